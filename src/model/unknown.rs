//! Cells whose figure is not known: read from a published report that did not show
//! them legibly (lost, garbled, run together with more than one split).
//!
//! The typed [`Report`](super::Report) always holds numbers, so every renderer can stay
//! simple; beside it, an [`Unknown`] set names the cells (by JSON pointer, e.g.
//! `/applications/received/natural_person`) whose number is a placeholder and must not
//! be used. A rule whose inputs include an unknown cell is not checked; a metric over
//! one is unknown; nothing ever counts an unknown cell as 0.
//!
//! In a data file an unknown cell is written as the word [`UNREAD`] (`natural_person:
//! unread  # …`); `check` reports each one (code `unread`) until a person fills it in.
//! An author's omitted key still means 0.

use std::collections::BTreeSet;

use super::labels::{APPLICANTS, CARRIED_FORWARD, CARRIED_OVER, OUTCOMES, RECEIVED, RESULT_ROWS, RESULTS_TOTAL, REVIEW_GROUPS};

/// The word that marks an unknown cell in a data file.
pub const UNREAD: &str = "unread";

/// The set of unknown cells of one report, as JSON pointers into the data file, and
/// what is known of them all the same: sums of unknown cells that the source printed
/// (a report that prints （六）其他处理 as one row gives the sum of its three sub-rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unknown {
    cells: BTreeSet<String>,
    /// Known sums over cells some of which are unknown: (cells, their sum).
    pub sums: Vec<(Vec<String>, u64)>,
}

impl Unknown {
    /// No unknown cell.
    pub fn none() -> Unknown {
        Unknown::default()
    }

    /// Marks a cell unknown.
    pub fn insert(&mut self, pointer: impl Into<String>) {
        self.cells.insert(pointer.into());
    }

    /// Marks a cell known again.
    pub fn remove(&mut self, pointer: &str) {
        self.cells.remove(pointer);
    }

    /// Whether this cell is unknown.
    pub fn contains(&self, pointer: &str) -> bool {
        self.cells.contains(pointer)
    }

    /// Whether any of these cells is unknown.
    pub fn any<S: AsRef<str>>(&self, pointers: impl IntoIterator<Item = S>) -> bool {
        pointers.into_iter().any(|p| self.contains(p.as_ref()))
    }

    /// The unknown cells among these, in the order given.
    pub fn among<S: AsRef<str>>(&self, pointers: impl IntoIterator<Item = S>) -> Vec<String> {
        pointers.into_iter().filter(|p| self.contains(p.as_ref())).map(|p| p.as_ref().to_string()).collect()
    }

    /// Whether every cell is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many cells are unknown (table cells and meta; not prose parts not found).
    pub fn len(&self) -> usize {
        self.cells.iter().filter(|c| !matches!(c.as_str(), "/problems" | "/other_matters")).count()
    }

    /// The known sum of `cells` (all of them, in any order), when the source printed one.
    pub fn sum_of(&self, cells: &[String]) -> Option<u64> {
        self.sums.iter().find(|(c, _)| c.len() == cells.len() && c.iter().all(|x| cells.contains(x))).map(|(_, v)| *v)
    }

    /// The unknown cells, sorted by pointer.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(String::as_str)
    }
}

/// The pointer of a cell of table B: `row` is a [`RowDef::path`](super::labels::RowDef)
/// (`/received`, `/results/total`, …), `column` an applicant key or `total`.
pub fn b_cell(row: &str, column: &str) -> String {
    format!("/applications{row}/{column}")
}

/// The seven cells of a row of table B (six columns, then `total`).
pub fn b_row(row: &str) -> [String; 7] {
    let mut out: [String; 7] = Default::default();
    for (i, c) in APPLICANTS.iter().enumerate() {
        out[i] = b_cell(row, c.key);
    }
    out[6] = b_cell(row, "total");
    out
}

/// The 25 rows of table B in printed order: 一, 二, the 21 result rows, （七）总计, 四.
pub fn b_rows() -> Vec<&'static str> {
    let mut rows = vec![RECEIVED.path, CARRIED_OVER.path];
    rows.extend(RESULT_ROWS.iter().map(|r| r.path));
    rows.push(RESULTS_TOTAL.path);
    rows.push(CARRIED_FORWARD.path);
    rows
}

/// The pointer of a cell of table C: `group` a [`REVIEW_GROUPS`] key, `outcome` an
/// [`OUTCOMES`] key (`total` included).
pub fn c_cell(group: &str, outcome: &str) -> String {
    format!("/reviews_and_lawsuits/{group}/{outcome}")
}

/// The 15 cells of table C in printed order.
pub fn c_cells() -> Vec<String> {
    REVIEW_GROUPS.iter().flat_map(|(g, _)| OUTCOMES.iter().map(move |(o, _)| c_cell(g, o))).collect()
}

/// The cells of table A in printed order: 规章 ×3, 行政规范性文件 ×3, 许可, 处罚, 强制, 收费.
pub fn a_cells() -> Vec<String> {
    let mut v = Vec::new();
    for doc in ["rules", "normative_documents"] {
        for k in ["issued", "repealed", "in_force"] {
            v.push(format!("/proactive/{doc}/{k}"));
        }
    }
    for k in ["licensing", "punishment", "enforcement", "fees"] {
        v.push(format!("/proactive/{k}"));
    }
    v
}
