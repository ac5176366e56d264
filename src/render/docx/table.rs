//! The three statistics tables as Word tables, from the grids of [`crate::render::grid`]:
//! a merged cell becomes `w:gridSpan` (columns) and `w:vMerge` restart/continue (rows),
//! so a row holds one `w:tc` per grid position not covered by a span to its left.
//!
//! Column widths and the figures' size adapt to the widest figure, as the PDF's do: a
//! table keeps its official size (5号 for table A, 小五 for B and C) and preferred label
//! widths while every figure fits on one line of its cell; a wider figure first narrows
//! the label columns, down to their minimum; then that table's figures shrink, all alike,
//! down to 5 pt, and below that are condensed (`w:w`, character scale) as well. The
//! labels keep the table's size. No figure wraps or runs into the next cell.

use std::fmt::Write;

use super::parts::{CELL_PADDING, LINE_PITCH, esc, hao, mm};
use crate::render::grid::{Cell, Grid};

/// Which table: they differ in their label columns and sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// 主动公开政府信息情况.
    A,
    /// 收到和处理政府信息公开申请情况.
    B,
    /// 行政复议、行政诉讼情况.
    C,
}

/// A table's chosen sizes and column widths.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Type size of the labels, in half-points (the table's official size).
    pub size: u32,
    /// Type size of the figures, in half-points.
    pub figure_size: u32,
    /// Horizontal scale of the figures, in percent (100: not condensed).
    pub figure_scale: u32,
    /// Column widths in twips, summing to the text width.
    pub widths: Vec<u32>,
}

/// The smallest size figures shrink to before they are condensed: 5 pt, in half-points.
const MIN_FIGURE: u32 = 10;

/// Safety added to a figure's width (twips), for renderers whose digits are a hair wider.
const SLACK: u32 = 40;

/// Width of text in em: figures and Latin in Times New Roman (digits are half an em),
/// Chinese a full em.
fn ems(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            '0'..='9' => 0.5,
            '.' | ',' => 0.25,
            c if c.is_ascii() => 0.55,
            _ => 1.0,
        })
        .sum()
}

/// Label columns of each table: (preferred width, minimum), in twips, as the PDF has
/// them on A4: table A's may narrow to 30 mm; table B's 7, 17 and 44 mm keep their width
/// (its labels are long, and narrower columns would wrap them onto more lines than a page
/// holds). On another page size (a reference document's) they scale with the text block.
fn labels(which: Which, text_width: u32) -> Vec<(u32, u32)> {
    let a4 = (11906 - mm(28.0) - mm(26.0)) as f64;
    let scaled = |v: f64| (mm(v) as f64 * text_width as f64 / a4) as u32;
    match which {
        // 1.3 : 1 : 1 : 1.
        Which::A => vec![((text_width as f64 * 1.3 / 4.3) as u32, scaled(30.0))],
        Which::B => [7.0, 17.0, 44.0].map(|w| (scaled(w), scaled(w))).to_vec(),
        Which::C => vec![],
    }
}

/// The table's official size: 5号 for table A, 小五 for B and C.
fn official_size(which: Which) -> u32 {
    if which == Which::A { hao::WU } else { hao::XIAOWU }
}

/// Chooses the sizes and widths for `g` within `text_width` twips.
pub fn layout(g: &Grid, which: Which, text_width: u32) -> Layout {
    let size = official_size(which);
    let labels = labels(which, text_width);
    let figures = (g.columns as usize).saturating_sub(labels.len()).max(1) as u32;
    // Twips per em at a size in half-points.
    let em = |sz: u32| sz as f64 * 10.0;
    let figs: Vec<(f64, u32)> =
        g.head.iter().chain(&g.body).flatten().filter(|c| c.number).map(|c| (ems(&c.text), c.colspan.max(1))).collect();
    // The narrowest figure column that holds every figure on one line at the table's size.
    let need = figs.iter().map(|(w, k)| ((w * em(size)).ceil() as u32 + CELL_PADDING + SLACK).div_ceil(*k)).max().unwrap_or(0);
    let min_labels: Vec<u32> = labels.iter().map(|(_, m)| *m).collect();
    let pref_labels: Vec<u32> = labels.iter().map(|(p, m)| (*p).max(*m)).collect();
    let (min_total, pref_total): (u32, u32) = (min_labels.iter().sum(), pref_labels.iter().sum());
    let at_size = |widths: Vec<u32>| finish(Layout { size, figure_size: size, figure_scale: 100, widths }, figures, text_width);
    // What the figures leave for the labels (negative: not even the figures fit).
    let room = text_width as i64 - (need * figures) as i64;
    if room >= pref_total as i64 {
        return at_size(pref_labels);
    }
    if room >= min_total as i64 && pref_total > min_total {
        // Labels shrink evenly towards their minimum, just enough.
        let t = (room - min_total as i64) as f64 / (pref_total - min_total) as f64;
        return at_size(min_labels.iter().zip(&pref_labels).map(|(m, p)| m + ((p - m) as f64 * t) as u32).collect());
    }
    // Labels at their minimum; the figures shrink to what the columns hold.
    let col = text_width.saturating_sub(min_total) / figures;
    let ratio = figs
        .iter()
        .map(|(w, k)| (col * k).saturating_sub(CELL_PADDING + SLACK) as f64 / (w * em(size)).max(1.0))
        .fold(f64::INFINITY, f64::min)
        .min(1.0);
    let fit = size as f64 * ratio * 0.98;
    let (figure_size, figure_scale) = if fit >= MIN_FIGURE as f64 {
        (fit.floor() as u32, 100)
    } else {
        (MIN_FIGURE, ((fit / MIN_FIGURE as f64 * 100.0).floor() as u32).max(1))
    };
    finish(Layout { size, figure_size, figure_scale, widths: min_labels }, figures, text_width)
}

/// Gives the figure columns what the labels leave, evenly; the last takes the rounding.
fn finish(mut lay: Layout, figures: u32, text_width: u32) -> Layout {
    let used: u32 = lay.widths.iter().sum();
    let rest = text_width.saturating_sub(used);
    let each = rest / figures;
    for i in 0..figures {
        lay.widths.push(if i + 1 == figures { rest - each * (figures - 1) } else { each });
    }
    lay
}

/// One grid position: the cell covering it and whether the cell starts in this row.
#[derive(Clone, Copy)]
struct Slot<'a> {
    cell: &'a Cell,
    start_row: usize,
    start_col: usize,
}

/// Lays the grid's rows out as a browser lays out HTML rowspan/colspan.
fn slots<'a>(rows: &[&'a Vec<Cell>], cols: usize) -> Vec<Vec<Option<Slot<'a>>>> {
    let mut grid: Vec<Vec<Option<Slot>>> = vec![vec![None; cols]; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in row.iter() {
            while c < cols && grid[r][c].is_some() {
                c += 1;
            }
            for rr in r..(r + cell.rowspan as usize).min(rows.len()) {
                for cc in c..(c + cell.colspan as usize).min(cols) {
                    grid[rr][cc] = Some(Slot { cell, start_row: r, start_col: c });
                }
            }
            c += cell.colspan as usize;
        }
    }
    grid
}

/// Vertical padding of a cell (top + bottom margins of the table style), twips.
const V_PADDING: u32 = 90;

/// An estimate of the table's height (twips): each cell's text wrapped at its width,
/// a row as tall as its tallest cell, a merged cell's rows grown to hold it.
fn height(grid: &[Vec<Option<Slot>>], lay: &Layout) -> u32 {
    let line = lay.size * 25 / 2;
    let mut heights = vec![line + V_PADDING; grid.len()];
    let mut spanning = Vec::new();
    for (r, slots) in grid.iter().enumerate() {
        let mut c = 0;
        while c < slots.len() {
            let Some(s) = slots[c] else {
                c += 1;
                continue;
            };
            let span = (s.cell.colspan as usize).max(1);
            if s.start_row == r && s.start_col == c && !s.cell.vertical {
                let width: u32 = lay.widths[c..(c + span).min(slots.len())].iter().sum();
                let room = width.saturating_sub(CELL_PADDING).max(1) as f64;
                // Figures are sized to stand on one line.
                let lines = if s.cell.number { 1 } else { (ems(&s.cell.text) * lay.size as f64 * 10.0 / room).ceil().max(1.0) as u32 };
                let need = lines * line + V_PADDING;
                if s.cell.rowspan > 1 {
                    spanning.push((r, (s.cell.rowspan as usize).min(grid.len() - r), need));
                } else {
                    heights[r] = heights[r].max(need);
                }
            }
            c += span;
        }
    }
    for (r, n, need) in spanning {
        let have: u32 = heights[r..r + n].iter().sum();
        if need > have {
            heights[r + n - 1] += need - have;
        }
    }
    heights.iter().sum()
}

/// The table as `w:tbl`: header rows repeat on every page (`w:tblHeader`), no row splits
/// across a page, widths fixed. A table that fits on a page (`text_height`) is kept
/// on one.
pub fn table_xml(g: &Grid, which: Which, text_width: u32, text_height: u32) -> String {
    let lay = layout(g, which, text_width);
    let total: u32 = lay.widths.iter().sum();
    let cols = g.columns as usize;
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
    );
    for w in &lay.widths {
        let _ = write!(o, r#"<w:gridCol w:w="{w}"/>"#);
    }
    o.push_str("</w:tblGrid>");
    let rows: Vec<&Vec<Cell>> = g.head.iter().chain(&g.body).collect();
    let grid = slots(&rows, cols);
    // Kept on one page only when it surely fits one below its heading (the estimate can
    // be a few per cent short): a table kept together that is taller than the page would
    // leave its heading alone at the foot of the page before.
    let est = height(&grid, &lay);
    let keep_together = est + est / 10 + LINE_PITCH <= text_height;
    // A row holding one cell across the whole table starts a block (table A's 第二十条第（一）项
    // …): a block is kept together, whether or not the table is.
    let starts_block: Vec<bool> =
        rows.iter().enumerate().map(|(r, row)| r >= g.head.len() && row.len() == 1 && row[0].colspan as usize == cols).collect();
    let blocks = starts_block.iter().any(|b| *b);
    for (r, line) in grid.iter().enumerate() {
        let header = r < g.head.len();
        o.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            o.push_str("<w:tblHeader/>");
        }
        o.push_str("</w:trPr>");
        let mut c = 0;
        while c < cols {
            let Some(slot) = line[c] else {
                // A hole in a malformed grid: an empty cell keeps the row whole.
                let _ = write!(
                    o,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p></w:tc>"#,
                    lay.widths[c]
                );
                c += 1;
                continue;
            };
            let span = (slot.cell.colspan as usize).clamp(1, cols - slot.start_col);
            let width: u32 = lay.widths[c..(c + span).min(cols)].iter().sum();
            // A row keeps with the next (`keepNext` in its paragraphs) within a block, or
            // throughout a table that fits a page; one that does not fit breaks where it
            // must, its header repeated.
            let keep = r + 1 < grid.len() && if blocks { !starts_block[r + 1] } else { keep_together };
            o.push_str(&cell_xml(slot.cell, which, &lay, width, span, slot.start_row == r, keep));
            c += span;
        }
        o.push_str("</w:tr>");
    }
    o.push_str("</w:tbl>");
    o
}

/// One `w:tc`. A cell continued from the row above (`first` false) is an empty
/// `vMerge` continuation of the same width.
fn cell_xml(cell: &Cell, which: Which, lay: &Layout, width: u32, span: usize, first: bool, keep: bool) -> String {
    let size = lay.size;
    let mut o = format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
    if span > 1 {
        let _ = write!(o, r#"<w:gridSpan w:val="{span}"/>"#);
    }
    if cell.rowspan > 1 {
        o.push_str(if first { r#"<w:vMerge w:val="restart"/>"# } else { "<w:vMerge/>" });
    }
    if cell.vertical {
        // East-Asian vertical text: characters upright, top to bottom.
        o.push_str(r#"<w:textDirection w:val="tbRlV"/>"#);
    }
    o.push_str(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
    let keep = if keep { "<w:keepNext/>" } else { "" };
    // Lines 1.25 em apart, whatever the face's own line gap (Noto's is 1.45 em).
    let line = format!(r#"<w:spacing w:line="{}" w:lineRule="exact"/>"#, size * 25 / 2);
    if !first {
        let _ = write!(o, r#"<w:p><w:pPr><w:pStyle w:val="TableText"/>{keep}{line}</w:pPr></w:p></w:tc>"#);
        return o;
    }
    let (style, jc) = if cell.note {
        ("TableNote", "left")
    } else if cell.header && matches!(cell.scope, Some("col" | "colgroup")) {
        ("TableHeading", "center")
    } else if cell.header && cell.scope == Some("row") {
        ("TableText", "left")
    } else if cell.number {
        ("TableText", if which == Which::C { "center" } else { "right" })
    } else {
        ("TableText", "center")
    };
    let (sz, scale) = if cell.number {
        (lay.figure_size, lay.figure_scale)
    } else if cell.note {
        ((size * 11 / 12).max(12), 100)
    } else {
        (size, 100)
    };
    let scale = if scale < 100 { format!(r#"<w:w w:val="{scale}"/>"#) } else { String::new() };
    let _ = write!(
        o,
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{line}<w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr>{scale}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>"#,
        esc(&cell.text)
    );
    o
}
