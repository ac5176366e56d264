//! A table as read so far, possibly over several pages, and its rendering into a
//! [`Table`] of the [`Doc`](super::super::doc::Doc).
//!
//! A table goes on over a page break when the next page starts with a table of the same
//! width whose column lines are (mostly) the same. Joining it: the columns of both parts
//! are united (a part may lack some inner lines), header rows that the producer repeated
//! on the new page are dropped, and a merged cell cut by the break (a group label like
//! 三、本年度办理结果 spanning rows on both pages, empty on the second) is one cell again.

use super::grid::{Grid, cluster};
use crate::import::doc::{Cell, GridCell, Table};

/// Column lines this close (points) on two pages are the same line.
const SAME: f64 = 3.0;

/// A cell in the table's rows and columns.
#[derive(Debug, Clone, PartialEq)]
struct TCell {
    r0: usize,
    r1: usize,
    c0: usize,
    c1: usize,
    text: String,
}

/// A table being read.
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    xs: Vec<f64>,
    /// The page (0-based) of each row.
    row_page: Vec<usize>,
    cells: Vec<TCell>,
}

fn nearest(xs: &[f64], x: f64) -> usize {
    let mut best = 0;
    for (i, v) in xs.iter().enumerate() {
        if (v - x).abs() < (xs[best] - x).abs() {
            best = i;
        }
    }
    best
}

impl Tab {
    /// A table of one page.
    pub fn from_grid(g: &Grid, page: usize) -> Tab {
        Tab {
            xs: g.xs.clone(),
            row_page: vec![page; g.rows()],
            cells: g.cells.iter().map(|c| TCell { r0: c.r0, r1: c.r1, c0: c.c0, c1: c.c1, text: c.text.clone() }).collect(),
        }
    }

    fn rows(&self) -> usize {
        self.row_page.len()
    }

    /// Whether `next` (at the top of the next page) is this table going on.
    pub fn continues_into(&self, next: &Tab) -> bool {
        let (a, b) = (&self.xs, &next.xs);
        let edges = (a[0] - b[0]).abs() <= SAME && (a[a.len() - 1] - b[b.len() - 1]).abs() <= SAME;
        let share = |p: &[f64], q: &[f64]| p.iter().filter(|x| q.iter().any(|y| (*x - y).abs() <= SAME)).count() as f64 / p.len() as f64;
        edges && (share(b, a) >= 0.6 || share(a, b) >= 0.6)
    }

    /// Re-expresses the cells over the columns `xs` (a superset of the table's own).
    fn regrid(&mut self, xs: &[f64]) {
        for c in &mut self.cells {
            c.c0 = nearest(xs, self.xs[c.c0]);
            c.c1 = nearest(xs, self.xs[c.c1]).max(c.c0 + 1);
        }
        self.xs = xs.to_vec();
    }

    /// The cells within the first `k` rows, in a comparable form.
    fn head(&self, k: usize) -> Option<Vec<(usize, usize, usize, usize, &str)>> {
        let mut v = Vec::new();
        for c in &self.cells {
            if c.r0 < k && c.r1 > k {
                return None;
            }
            if c.r1 <= k {
                v.push((c.r0, c.r1, c.c0, c.c1, c.text.as_str()));
            }
        }
        v.sort();
        Some(v)
    }

    /// Appends the table's continuation from the next page.
    pub fn append(&mut self, mut next: Tab) {
        let xs = cluster(self.xs.iter().chain(&next.xs).copied().collect());
        self.regrid(&xs);
        next.regrid(&xs);
        // Header rows repeated on the new page.
        let mut skip = 0;
        for k in (1..=5.min(next.rows().saturating_sub(1))).rev() {
            if let (Some(a), Some(b)) = (self.head(k), next.head(k))
                && !b.is_empty()
                && a == b
            {
                skip = k;
                break;
            }
        }
        let offset = self.rows() - skip;
        let bottom = self.rows();
        let mut cells = std::mem::take(&mut next.cells);
        cells.retain(|c| c.r0 >= skip);
        for n in cells {
            let mut n = TCell { r0: n.r0 + offset, r1: n.r1 + offset, ..n };
            // A merged cell cut by the page break: empty at the top of the new page, below
            // a cell of the same columns that reaches the bottom of the last page.
            if n.r0 == bottom
                && n.text.is_empty()
                && let Some(p) = self.cells.iter_mut().find(|p| p.r1 == bottom && p.c0 == n.c0 && p.c1 == n.c1)
                && (p.r1 - p.r0 > 1 || n.r1 - n.r0 > 1)
            {
                p.r1 = n.r1;
                continue;
            }
            n.text = std::mem::take(&mut n.text);
            self.cells.push(n);
        }
        self.row_page.extend(next.row_page.into_iter().skip(skip));
    }

    /// Writes the table into `text` (one cell a line, `text |`, or `|` for an empty
    /// cell; a blank line after each row, as the HTML reader does) and returns its grid.
    /// `mark(offset, page)` is called where each row starts.
    pub fn render(mut self, text: &mut String, mark: &mut dyn FnMut(usize, usize)) -> Table {
        let (nr, nc) = (self.rows(), self.xs.len() - 1);
        self.cells.sort_by_key(|c| (c.r0, c.c0));
        let mut grid: Vec<Vec<Option<GridCell>>> = vec![vec![None; nc]; nr];
        let mut next = self.cells.iter().peekable();
        for r in 0..nr {
            mark(text.len(), self.row_page[r]);
            while let Some(c) = next.next_if(|c| c.r0 == r) {
                let free = (c.r0..c.r1.min(nr)).all(|rr| (c.c0..c.c1.min(nc)).all(|cc| grid[rr][cc].is_none()));
                if !free || c.c0 >= nc {
                    continue;
                }
                let start = text.len();
                if c.text.is_empty() {
                    text.push('|');
                } else {
                    text.push_str(&c.text);
                    text.push_str(" |");
                }
                let cell = Cell { text: c.text.clone(), span: start..start + c.text.len() };
                text.push('\n');
                for rr in c.r0..c.r1.min(nr) {
                    for cc in c.c0..c.c1.min(nc) {
                        grid[rr][cc] = Some(GridCell::Covered);
                    }
                }
                grid[r][c.c0] = Some(GridCell::Cell { cell, rows: c.r1.min(nr) - c.r0, cols: c.c1.min(nc) - c.c0 });
            }
            text.push('\n');
        }
        Table {
            rows: grid.into_iter().map(|row| row.into_iter().map(|g| g.unwrap_or(GridCell::Covered)).collect()).collect(),
            empty_is_zero: true,
        }
    }
}
