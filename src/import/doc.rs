//! What every reader produces: the source as rows of cells, each cell with the place in
//! the source where a person can see it. One matcher (`super::matcher`) maps the
//! official labels onto these rows, whatever the input was (HTML, Markdown, page text,
//! `pdftotext` text, .docx, .pdf).
//!
//! A reader never interprets figures: it only says what text stands where, and which
//! cells are certainly separate (table cells, `|` cells, lines of a one-cell-per-line
//! page) and which text may run several cells together (a crawler's flattened page).

use std::ops::Range;

/// A read source: the text that spans point into, and its content in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The text diagnostics point into. For text inputs this is the source itself; for
    /// structured inputs (.docx, .pdf) it is a text rendering, one line per paragraph or
    /// table row, so that a snippet can be shown.
    pub text: String,
    /// How positions are shown to a person (line and column, or page, or table row).
    pub places: Places,
    /// The content in reading order.
    pub blocks: Vec<Block>,
}

/// How a byte offset of [`Doc::text`] is named for a person.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Places {
    /// `file:line:col`: the text is the source a person opens.
    #[default]
    LineCol,
    /// `file:page`: the byte offset where each page starts in [`Doc::text`] (a PDF).
    Pages(Vec<usize>),
    /// No position a person could look up (a .docx): findings name the table and row.
    Labels,
}

/// A piece of the source in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// One line or paragraph of text outside any table. Its text may hold several
    /// cells of a flattened table (`（一）予以公开 270020130`).
    Text(Cell),
    /// A table whose cells are known: HTML `<table>`, Markdown table, .docx `w:tbl`,
    /// PDF ruling lines.
    Table(Table),
}

/// A table as a grid: merged cells resolved, so each row has one entry per column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The rows, top to bottom.
    pub rows: Vec<Vec<GridCell>>,
    /// Whether an empty cell is a cell that means 0 (HTML, .docx and PDF tables, whose
    /// cells are drawn), rather than filler (a Markdown table shredded by a converter,
    /// whose empty cells are only padding).
    pub empty_is_zero: bool,
}

/// One position of a table's grid.
#[derive(Debug, Clone, PartialEq)]
pub enum GridCell {
    /// A cell that starts here (its top-left corner), spanning `rows` × `cols`.
    Cell {
        /// Its text and place.
        cell: Cell,
        /// Rows it spans (1 for an ordinary cell).
        rows: usize,
        /// Columns it spans.
        cols: usize,
    },
    /// Covered by a merged cell that starts above or to the left: not a cell of its own
    /// (so neither a figure nor a blank).
    Covered,
}

/// Text that stands at one place of the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text as a person reads it (entities decoded, markup removed, whitespace of
    /// wrapped lines kept as spaces or line breaks).
    pub text: String,
    /// Byte range in [`Doc::text`].
    pub span: Range<usize>,
}

impl GridCell {
    /// The cell, when one starts here.
    pub fn cell(&self) -> Option<&Cell> {
        match self {
            GridCell::Cell { cell, .. } => Some(cell),
            GridCell::Covered => None,
        }
    }
}

impl Table {
    /// Builds a grid from rows of (cell, rowspan, colspan), as HTML, Markdown and .docx
    /// describe tables: positions covered by an earlier cell's span are skipped, so the
    /// result has every merged cell once, at its top-left corner. Spans are clamped
    /// (hostile input cannot make the grid huge).
    pub fn from_spans(rows: Vec<Vec<(Cell, usize, usize)>>) -> Table {
        const MAX_SPAN: usize = 64;
        let mut grid: Vec<Vec<Option<GridCell>>> = Vec::new();
        for (r, row) in rows.into_iter().enumerate() {
            if grid.len() <= r {
                grid.resize_with(r + 1, Vec::new);
            }
            let mut c = 0;
            for (cell, rs, cs) in row {
                while grid[r].get(c).is_some_and(Option::is_some) {
                    c += 1;
                }
                let (rs, cs) = (rs.clamp(1, MAX_SPAN), cs.clamp(1, MAX_SPAN));
                for dr in 0..rs {
                    if grid.len() <= r + dr {
                        grid.resize_with(r + dr + 1, Vec::new);
                    }
                    let line = &mut grid[r + dr];
                    if line.len() < c + cs {
                        line.resize(c + cs, None);
                    }
                    for dc in 0..cs {
                        if line[c + dc].is_none() {
                            line[c + dc] = Some(GridCell::Covered);
                        }
                    }
                }
                grid[r][c] = Some(GridCell::Cell { cell, rows: rs, cols: cs });
                c += cs;
            }
        }
        // A short row (fewer cells than its neighbours) has no cells where it ends.
        let rows = grid.into_iter().map(|row| row.into_iter().map(|g| g.unwrap_or(GridCell::Covered)).collect()).collect();
        Table { rows, empty_is_zero: true }
    }
}
