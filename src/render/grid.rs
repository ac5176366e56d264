//! The three tables as grids of cells with their merges, exactly as the official layout
//! (FORMAT.md): one description that the HTML template, the Typst template and the
//! tests all read. Markdown gets flattened versions ([`Flat`]).

use serde::Serialize;

use crate::model::labels::{
    self, APPLICANTS, BALANCE_NOTE, CARRIED_FORWARD, CARRIED_OVER, ORGANISATIONS, OUTCOMES, RECEIVED, RESULT_ROWS, RESULTS_LABEL,
    RESULTS_TOTAL, REVIEW_GROUPS,
};
use crate::model::{Report, Row};

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Cell {
    /// The text shown.
    pub text: String,
    /// Columns spanned (1 when not merged).
    pub colspan: u32,
    /// Rows spanned (1 when not merged).
    pub rowspan: u32,
    /// A header cell (`<th>`).
    pub header: bool,
    /// `scope` of a header cell: `col`, `colgroup`, `row` or `rowgroup`.
    pub scope: Option<&'static str>,
    /// A figure (right-aligned, tabular digits).
    pub number: bool,
    /// A note (the 勾稽关系 corner of table B).
    pub note: bool,
    /// Set vertically (table B's 三、本年度办理结果, which spans 22 rows).
    pub vertical: bool,
}

impl Cell {
    fn th(text: &str, scope: &'static str) -> Cell {
        Cell { text: text.into(), colspan: 1, rowspan: 1, header: true, scope: Some(scope), number: false, note: false, vertical: false }
    }
    fn num(text: impl ToString) -> Cell {
        Cell { text: text.to_string(), colspan: 1, rowspan: 1, header: false, scope: None, number: true, note: false, vertical: false }
    }
    fn span(mut self, cols: u32, rows: u32) -> Cell {
        self.colspan = cols;
        self.rowspan = rows;
        self
    }
}

/// A table: caption, number of columns, header rows and body rows.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Grid {
    /// A short caption.
    pub caption: String,
    /// Column count of the grid.
    pub columns: u32,
    /// Header rows (repeated on every printed page).
    pub head: Vec<Vec<Cell>>,
    /// Body rows.
    pub body: Vec<Vec<Cell>>,
}

/// Formats 万元 as the author wrote it: 15314, 12.35.
pub fn fees(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Table A.
pub fn table_a(r: &Report) -> Grid {
    let p = &r.proactive;
    let mut body = Vec::new();
    let block = |body: &mut Vec<Vec<Cell>>, item: &str, heads: &[&str]| {
        body.push(vec![Cell::th(item, "colgroup").span(4, 1)]);
        let mut row = vec![Cell::th("信息内容", "col")];
        if heads.len() == 1 {
            row.push(Cell::th(heads[0], "col").span(3, 1));
        } else {
            row.extend(heads.iter().map(|h| Cell::th(h, "col")));
        }
        body.push(row);
    };
    block(&mut body, "第二十条第（一）项", &["本年制发件数", "本年废止件数", "现行有效件数"]);
    for (label, d) in [("规章", &p.rules), ("行政规范性文件", &p.normative_documents)] {
        body.push(vec![Cell::th(label, "row"), Cell::num(d.issued), Cell::num(d.repealed), Cell::num(d.in_force)]);
    }
    block(&mut body, "第二十条第（五）项", &["本年处理决定数量"]);
    body.push(vec![Cell::th("行政许可", "row"), Cell::num(p.licensing).span(3, 1)]);
    block(&mut body, "第二十条第（六）项", &["本年处理决定数量"]);
    body.push(vec![Cell::th("行政处罚", "row"), Cell::num(p.punishment).span(3, 1)]);
    body.push(vec![Cell::th("行政强制", "row"), Cell::num(p.enforcement).span(3, 1)]);
    block(&mut body, "第二十条第（八）项", &["本年收费金额（单位：万元）"]);
    body.push(vec![Cell::th("行政事业性收费", "row"), Cell::num(fees(p.fees)).span(3, 1)]);
    Grid { caption: "主动公开政府信息情况".into(), columns: 4, head: Vec::new(), body }
}

fn seven(row: &Row) -> impl Iterator<Item = Cell> {
    row.cells().into_iter().chain([row.sum()]).map(Cell::num)
}

/// Table B.
pub fn table_b(r: &Report) -> Grid {
    let a = &r.applications;
    let mut corner = Cell::th(BALANCE_NOTE, "col").span(3, 3);
    corner.note = true;
    corner.scope = None;
    let mut orgs = vec![];
    orgs.extend(APPLICANTS[1..].iter().map(|c| Cell::th(c.label, "col")));
    let head = vec![
        vec![corner, Cell::th("申请人情况", "colgroup").span(7, 1)],
        vec![
            Cell::th(APPLICANTS[0].label, "col").span(1, 2),
            Cell::th(ORGANISATIONS, "colgroup").span(5, 1),
            Cell::th("总计", "col").span(1, 2),
        ],
        orgs,
    ];
    let mut body = Vec::new();
    let whole = |def: labels::RowDef, row: &Row| {
        let mut cells = vec![Cell::th(def.label, "row").span(3, 1)];
        cells.extend(seven(row));
        cells
    };
    body.push(whole(RECEIVED, &a.received));
    body.push(whole(CARRIED_OVER, &a.carried_over));
    let rows = a.result_rows();
    let mut i = 0;
    while i < RESULT_ROWS.len() {
        let def = RESULT_ROWS[i];
        let mut cells = Vec::new();
        if i == 0 {
            let mut label = Cell::th(RESULTS_LABEL, "rowgroup").span(1, RESULT_ROWS.len() as u32 + 1);
            label.vertical = true;
            cells.push(label);
        }
        match def.group {
            None => cells.push(Cell::th(def.label, "row").span(2, 1)),
            Some(g) => {
                let first = i == 0 || RESULT_ROWS[i - 1].group != Some(g);
                if first {
                    let n = RESULT_ROWS.iter().filter(|d| d.group == Some(g)).count() as u32;
                    cells.push(Cell::th(g, "rowgroup").span(1, n));
                }
                cells.push(Cell::th(def.label, "row"));
            }
        }
        cells.extend(seven(rows[i]));
        body.push(cells);
        i += 1;
    }
    let mut total = vec![Cell::th(RESULTS_TOTAL.label, "row").span(2, 1)];
    total.extend(seven(&a.results_total()));
    body.push(total);
    body.push(whole(CARRIED_FORWARD, &a.carried_forward));
    Grid { caption: "收到和处理政府信息公开申请情况".into(), columns: 10, head, body }
}

/// Table C.
pub fn table_c(r: &Report) -> Grid {
    let mut head = vec![vec![Cell::th("行政复议", "colgroup").span(5, 1), Cell::th("行政诉讼", "colgroup").span(10, 1)]];
    let mut second: Vec<Cell> = OUTCOMES.iter().map(|(_, l)| Cell::th(l, "col").span(1, 2)).collect();
    second.push(Cell::th(REVIEW_GROUPS[1].1, "colgroup").span(5, 1));
    second.push(Cell::th(REVIEW_GROUPS[2].1, "colgroup").span(5, 1));
    head.push(second);
    head.push(OUTCOMES.iter().chain(OUTCOMES.iter()).map(|(_, l)| Cell::th(l, "col")).collect());
    let body = vec![
        r.reviews_and_lawsuits
            .groups()
            .into_iter()
            .flat_map(|g| g.cells().into_iter().chain([g.sum()]).map(Cell::num).collect::<Vec<_>>())
            .collect(),
    ];
    Grid { caption: "政府信息公开行政复议、行政诉讼情况".into(), columns: 15, head, body }
}

/// A table flattened for Markdown: one header row, merged headers joined with `·`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Flat {
    /// A heading printed above the table (table A's 第二十条 items), if any.
    pub title: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Whether each column holds figures (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// Table A as four small tables, one per 第二十条 item.
pub fn flat_a(r: &Report) -> Vec<Flat> {
    let p = &r.proactive;
    let s = |v: crate::model::Count| v.to_string();
    let one = |title: &str, head: &str, rows: Vec<(&str, String)>| Flat {
        title: Some(title.into()),
        headers: vec!["信息内容".into(), head.into()],
        numeric: vec![false, true],
        rows: rows.into_iter().map(|(l, v)| vec![l.to_string(), v]).collect(),
    };
    vec![
        Flat {
            title: Some("第二十条第（一）项".into()),
            headers: ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"].map(String::from).to_vec(),
            numeric: vec![false, true, true, true],
            rows: [("规章", &p.rules), ("行政规范性文件", &p.normative_documents)]
                .into_iter()
                .map(|(l, d)| vec![l.to_string(), s(d.issued), s(d.repealed), s(d.in_force)])
                .collect(),
        },
        one("第二十条第（五）项", "本年处理决定数量", vec![("行政许可", s(p.licensing))]),
        one("第二十条第（六）项", "本年处理决定数量", vec![("行政处罚", s(p.punishment)), ("行政强制", s(p.enforcement))]),
        one("第二十条第（八）项", "本年收费金额（单位：万元）", vec![("行政事业性收费", fees(p.fees))]),
    ]
}

/// Table B with one label column (`（三）不予公开·1.属于国家秘密`) and seven figures.
pub fn flat_b(r: &Report) -> Flat {
    let a = &r.applications;
    let mut headers = vec!["项目".to_string(), APPLICANTS[0].label.to_string()];
    headers.extend(APPLICANTS[1..].iter().map(|c| format!("{ORGANISATIONS}·{}", c.label)));
    headers.push("总计".into());
    let row = |label: String, row: &Row| {
        let mut v = vec![label];
        v.extend(row.cells().into_iter().chain([row.sum()]).map(|n| n.to_string()));
        v
    };
    let mut rows = vec![row(RECEIVED.label.into(), &a.received), row(CARRIED_OVER.label.into(), &a.carried_over)];
    for (def, r) in RESULT_ROWS.iter().zip(a.result_rows()) {
        let label = match def.group {
            Some(g) => format!("{RESULTS_LABEL}·{g}·{}", def.label),
            None => format!("{RESULTS_LABEL}·{}", def.label),
        };
        rows.push(row(label, r));
    }
    rows.push(row(format!("{RESULTS_LABEL}·{}", RESULTS_TOTAL.label), &a.results_total()));
    rows.push(row(CARRIED_FORWARD.label.into(), &a.carried_forward));
    let mut numeric = vec![false];
    numeric.extend([true; 7]);
    Flat { title: None, headers, numeric, rows }
}

/// Table C with fifteen flattened headers and one row of figures.
pub fn flat_c(r: &Report) -> Flat {
    let mut headers = Vec::new();
    for (i, (_, group)) in REVIEW_GROUPS.iter().enumerate() {
        for (_, o) in OUTCOMES {
            headers.push(if i == 0 { format!("{group}·{o}") } else { format!("行政诉讼·{group}·{o}") });
        }
    }
    let row = r
        .reviews_and_lawsuits
        .groups()
        .into_iter()
        .flat_map(|g| g.cells().into_iter().chain([g.sum()]).map(|n| n.to_string()).collect::<Vec<_>>())
        .collect();
    Flat { title: None, numeric: vec![true; 15], headers, rows: vec![row] }
}
