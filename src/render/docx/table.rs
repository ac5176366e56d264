//! The three statistics tables as Word tables, from the grids of [`crate::render::grid`]:
//! a merged cell becomes `w:gridSpan` (columns) and `w:vMerge` restart/continue (rows),
//! so a row holds one `w:tc` per grid position not covered by a span to its left.
//!
//! Column widths and the type size adapt to the widest figure: a table starts at its
//! official size (5号 for table A, 小五 for B and C) and preferred label widths; when a
//! figure would not fit on one line of its cell, the label columns give way down to
//! their minimum, then the size steps down (to 小六 at the least). Only when no size
//! fits (15 columns of 12-digit figures cannot) does a figure wrap, inside its cell.

use std::fmt::Write;

use super::parts::{CELL_PADDING, esc, hao, mm};
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

/// A table's chosen size and column widths.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Type size in half-points.
    pub size: u32,
    /// Column widths in twips, summing to the text width.
    pub widths: Vec<u32>,
}

/// Sizes a table may step down through, in half-points: 5号, 小五, 8 pt, 六号, 7 pt, 小六.
const SIZES: [u32; 6] = [hao::WU, hao::XIAOWU, 16, 15, 14, 13];

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

/// Label columns of each table: (preferred width in mm, minimum in characters).
fn labels(which: Which, text_width: u32) -> Vec<(u32, f64)> {
    match which {
        // 1.3 : 1 : 1 : 1, as the PDF.
        Which::A => vec![((text_width as f64 * 1.3 / 4.3) as u32, 5.0)],
        Which::B => vec![(mm(7.0), 1.0), (mm(17.0), 4.0), (mm(44.0), 8.0)],
        Which::C => vec![],
    }
}

/// Chooses the size and widths for `g` within `text_width` twips.
pub fn layout(g: &Grid, which: Which, text_width: u32) -> Layout {
    let labels = labels(which, text_width);
    let cols = g.columns as usize;
    let figures = cols - labels.len();
    let start = if which == Which::A { 0 } else { 1 };
    let sizes = &SIZES[start..];
    let mut best = None;
    for &size in sizes {
        // The narrowest figure column that holds every figure on one line.
        let em = size as f64 * 10.0;
        let need = g
            .head
            .iter()
            .chain(&g.body)
            .flatten()
            .filter(|c| c.number)
            .map(|c| ((ems(&c.text) * em).ceil() as u32 + CELL_PADDING + SLACK).div_ceil(c.colspan.max(1)))
            .max()
            .unwrap_or(0);
        let min_labels: Vec<u32> = labels.iter().map(|(_, chars)| (chars * em).ceil() as u32 + CELL_PADDING).collect();
        let pref_labels: Vec<u32> = labels.iter().zip(&min_labels).map(|((p, _), m)| (*p).max(*m)).collect();
        let room = text_width.saturating_sub(need * figures as u32);
        let min_total: u32 = min_labels.iter().sum();
        let pref_total: u32 = pref_labels.iter().sum();
        if room < min_total {
            best = Some((size, min_labels));
            continue;
        }
        // Labels as preferred when there is room, else shrunk evenly towards their minimum.
        let label_widths: Vec<u32> = if room >= pref_total {
            pref_labels
        } else {
            let t = (room - min_total) as f64 / (pref_total - min_total).max(1) as f64;
            min_labels.iter().zip(&pref_labels).map(|(m, p)| m + ((p - m) as f64 * t) as u32).collect()
        };
        return finish(size, label_widths, figures, text_width);
    }
    let (size, label_widths) = best.unwrap_or((hao::XIAOWU, Vec::new()));
    finish(size, label_widths, figures, text_width)
}

/// Gives the figure columns what the labels leave, evenly; the last takes the rounding.
fn finish(size: u32, mut widths: Vec<u32>, figures: usize, text_width: u32) -> Layout {
    let used: u32 = widths.iter().sum();
    let rest = text_width.saturating_sub(used);
    let each = rest / figures.max(1) as u32;
    for i in 0..figures {
        widths.push(if i + 1 == figures { rest - each * (figures as u32 - 1) } else { each });
    }
    Layout { size, widths }
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
                let lines = (ems(&s.cell.text) * lay.size as f64 * 10.0 / room).ceil().max(1.0) as u32;
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
    // Kept together only when it surely fits: a table kept together that is taller than
    // a page would leave its heading alone at the foot of the page before.
    let keep_together = height(&grid, &lay) < text_height * 4 / 5;
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
            // Every row but the last keeps with the next: a table that fits a page is not
            // split (one that does not breaks where it must, its header repeated).
            let keep = keep_together && r + 1 < grid.len();
            o.push_str(&cell_xml(slot.cell, which, lay.size, width, span, slot.start_row == r, keep));
            c += span;
        }
        o.push_str("</w:tr>");
    }
    o.push_str("</w:tbl>");
    o
}

/// One `w:tc`. A cell continued from the row above (`first` false) is an empty
/// `vMerge` continuation of the same width.
fn cell_xml(cell: &Cell, which: Which, size: u32, width: u32, span: usize, first: bool, keep: bool) -> String {
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
    let sz = if cell.note { (size * 11 / 12).max(12) } else { size };
    let _ = write!(
        o,
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{line}<w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr><w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>"#,
        esc(&cell.text)
    );
    o
}
