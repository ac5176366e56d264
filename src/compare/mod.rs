//! Year over year: two reports (or a chain of years) → a comparison model that every
//! format renders (`reportgen compare`).
//!
//! Every cell of tables 二, 三 and 四 is shown with last year's figure, this year's, the
//! signed change (`+4`, `−3` with U+2212) and the change in per cent to one decimal
//! (`+5.7%`; `—` where last year is 0). A cell that was not read (an imported report) is
//! unknown: shown as `?`, and a change over it is unknown too, never a change from 0. The
//! cross-year rules (A-in-force, B-carry) sit at the cells they concern, and the prose
//! is compared sentence by sentence ([`reuse`]).

pub mod reuse;

use serde::Serialize;

use crate::audit::{Audited, Verdict};
use crate::diag::Lang;
use crate::metrics::{self, Cells, Metrics, Status};
use crate::model::Report;
use crate::model::labels::{APPLICANTS, CARRIED_FORWARD, CARRIED_OVER, OUTCOMES, RECEIVED, RESULT_ROWS, RESULTS_TOTAL, REVIEW_GROUPS};
use crate::model::unknown::Unknown;

/// The minus sign of a negative change (U+2212, not the hyphen).
pub const MINUS: char = '−';

/// One year's report, as read for comparison.
#[derive(Debug, Clone)]
pub struct Year {
    /// The file as named by the user.
    pub file: String,
    /// The figures as read (stated totals as printed; unknown cells hold 0).
    pub report: Report,
    /// The cells not read.
    pub unknown: Unknown,
    /// The prose of parts 一, 五, 六 (citations expanded), in [`reuse::PARTS`] order.
    pub prose: [String; 3],
    /// What the audit of this file concluded.
    pub verdict: Verdict,
}

impl Year {
    /// From an audited file. `expanded` is the data file's report with its `{{ … }}`
    /// citations expanded (for a data file); a published report's prose is as printed.
    pub fn from_audited(a: &Audited, expanded: Option<&Report>) -> Option<Year> {
        let report = a.report.clone()?;
        let prose = reuse::part_texts(expanded.unwrap_or(&report));
        Some(Year { file: a.file.clone(), report, unknown: a.unknown.clone(), prose, verdict: a.verdict })
    }
}

/// A figure as printed: whole numbers without decimals, others to two at most.
pub fn fmt_figure(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { crate::render::grid::fees(r) }
}

/// A signed change: `+4`, `−3`, `0`.
pub fn fmt_delta(d: f64) -> String {
    let r = (d * 100.0).round() / 100.0;
    if r == 0.0 {
        "0".into()
    } else if r > 0.0 {
        format!("+{}", fmt_figure(r))
    } else {
        format!("{MINUS}{}", fmt_figure(-r))
    }
}

/// The change in per cent to one decimal (`+5.7%`, `−3.0%`, `0.0%`), `—` when last
/// year is 0.
pub fn fmt_pct(last: f64, this: f64) -> String {
    if last == 0.0 {
        return "—".into();
    }
    let p = ((this - last) / last * 1000.0).round() / 10.0;
    if p == 0.0 {
        "0.0%".into()
    } else if p > 0.0 {
        format!("+{p:.1}%")
    } else {
        format!("{MINUS}{:.1}%", -p)
    }
}

/// A cross-year rule at the cell it concerns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCheck {
    /// `A-in-force` or `B-carry`.
    pub code: &'static str,
    /// `ok`, `mismatch`, or `unchecked` (an input is unknown).
    pub status: &'static str,
    /// The arithmetic, in the chosen language.
    pub message: String,
}

/// One cell, last year against this year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellCmp {
    /// The cell's JSON pointer in the data file.
    pub pointer: String,
    /// Last year's figure; `None` when unknown.
    pub last_value: Option<f64>,
    /// This year's figure; `None` when unknown.
    pub this_value: Option<f64>,
    /// Last year as printed (`?` when unknown).
    pub last: String,
    /// This year as printed (`?` when unknown).
    pub this: String,
    /// Signed change (`+4`, `−3`, `0`, `?`).
    pub delta: String,
    /// Change in per cent (`+5.7%`, `—` when last year is 0, `?`).
    pub pct: String,
    /// `up`, `down`, `same` or `unknown`.
    pub trend: &'static str,
    /// A cross-year rule about this cell.
    pub rule: Option<RuleCheck>,
}

fn cell(pointer: &str, last: &Cells, this: &Cells) -> CellCmp {
    let (l, t) = (last.figure(pointer), this.figure(pointer));
    let show = |v: Option<f64>| v.map_or_else(|| "?".to_string(), fmt_figure);
    let (delta, pct, trend) = match (l, t) {
        (Some(l), Some(t)) => {
            let d = (t - l).abs() < 0.005;
            (
                fmt_delta(t - l),
                fmt_pct(l, t),
                if d {
                    "same"
                } else if t > l {
                    "up"
                } else {
                    "down"
                },
            )
        }
        _ => ("?".into(), "?".into(), "unknown"),
    };
    CellCmp { pointer: pointer.into(), last_value: l, this_value: t, last: show(l), this: show(t), delta, pct, trend, rule: None }
}

/// One row of a compared table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowCmp {
    /// The row's label as printed in the official table.
    pub label: String,
    /// The group it sits under (`（三）不予公开`), if any.
    pub group: Option<String>,
    /// The row's cells, one per column (table 二's single-figure rows have one).
    pub cells: Vec<CellCmp>,
}

/// One compared table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableCmp {
    /// `a`, `b` or `c`.
    pub key: &'static str,
    /// The part title it belongs to.
    pub title: &'static str,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<RowCmp>,
}

fn table_a(last: &Cells, this: &Cells) -> TableCmp {
    let mut rows = Vec::new();
    for (doc, label) in [("rules", "规章"), ("normative_documents", "行政规范性文件")] {
        let cells = ["issued", "repealed", "in_force"].iter().map(|k| cell(&format!("/proactive/{doc}/{k}"), last, this)).collect();
        rows.push(RowCmp { label: label.into(), group: Some("第二十条第（一）项".into()), cells });
    }
    for (k, label, group) in [
        ("licensing", "行政许可（本年处理决定数量）", "第二十条第（五）项"),
        ("punishment", "行政处罚（本年处理决定数量）", "第二十条第（六）项"),
        ("enforcement", "行政强制（本年处理决定数量）", "第二十条第（六）项"),
        ("fees", "行政事业性收费（本年收费金额，万元）", "第二十条第（八）项"),
    ] {
        rows.push(RowCmp { label: label.into(), group: Some(group.into()), cells: vec![cell(&format!("/proactive/{k}"), last, this)] });
    }
    TableCmp {
        key: "a",
        title: crate::render::PARTS[1],
        columns: ["本年制发件数", "本年废止件数", "现行有效件数"].map(String::from).to_vec(),
        rows,
    }
}

fn table_b(last: &Cells, this: &Cells) -> TableCmp {
    let mut defs = vec![RECEIVED, CARRIED_OVER];
    defs.extend(RESULT_ROWS);
    defs.push(RESULTS_TOTAL);
    defs.push(CARRIED_FORWARD);
    let columns: Vec<&str> = APPLICANTS.iter().map(|c| c.key).chain(["total"]).collect();
    let rows = defs
        .iter()
        .map(|d| RowCmp {
            label: d.label.into(),
            group: d.group.map(String::from),
            cells: columns.iter().map(|c| cell(&format!("/applications{}/{c}", d.path), last, this)).collect(),
        })
        .collect();
    let mut headings: Vec<String> = APPLICANTS.iter().map(|c| c.label.to_string()).collect();
    headings[5] = "其他组织".into();
    headings.push("总计".into());
    TableCmp { key: "b", title: crate::render::PARTS[2], columns: headings, rows }
}

fn table_c(last: &Cells, this: &Cells) -> TableCmp {
    let rows = REVIEW_GROUPS
        .iter()
        .map(|(g, label)| RowCmp {
            label: (*label).into(),
            group: (*g != "review").then(|| "行政诉讼".to_string()),
            cells: OUTCOMES.iter().map(|(o, _)| cell(&format!("/reviews_and_lawsuits/{g}/{o}"), last, this)).collect(),
        })
        .collect();
    TableCmp { key: "c", title: crate::render::PARTS[3], columns: OUTCOMES.iter().map(|(_, l)| l.to_string()).collect(), rows }
}

/// Puts the cross-year rules at their cells: A-in-force at this year's 现行有效件数 of
/// 规章 and 行政规范性文件, B-carry at each cell of this year's 上年结转 row.
fn place_rules(tables: &mut [TableCmp], last: &Cells, this: &Cells, lang: Lang) {
    let show = |v: Option<u64>| v.map_or_else(|| "?".to_string(), |v| v.to_string());
    for row in tables[0].rows.iter_mut().take(2) {
        let doc = if row.label == "规章" { "rules" } else { "normative_documents" };
        let p = |k: &str| format!("/proactive/{doc}/{k}");
        let (prev, issued, repealed, now) =
            (last.count(&p("in_force")), this.count(&p("issued")), this.count(&p("repealed")), this.count(&p("in_force")));
        let expected = match (prev, issued, repealed) {
            (Some(a), Some(b), Some(c)) => Some(a as i128 + b as i128 - c as i128),
            _ => None,
        };
        let status = match (expected, now) {
            (Some(e), Some(n)) if e == n as i128 => "ok",
            (Some(_), Some(_)) => "mismatch",
            _ => "unchecked",
        };
        let e = expected.map_or_else(|| "?".to_string(), |v| v.to_string());
        let message = match lang {
            Lang::Zh => format!(
                "上年现行有效 {} + 本年制发 {} − 本年废止 {} = {e}，本年现行有效 {}",
                show(prev),
                show(issued),
                show(repealed),
                show(now)
            ),
            Lang::En => format!(
                "last year in force {} + issued {} − repealed {} = {e}; in force this year {}",
                show(prev),
                show(issued),
                show(repealed),
                show(now)
            ),
        };
        row.cells[2].rule = Some(RuleCheck { code: "A-in-force", status, message });
    }
    let carried = &mut tables[1].rows[1];
    let columns: Vec<&str> = APPLICANTS.iter().map(|c| c.key).chain(["total"]).collect();
    for (c, key) in carried.cells.iter_mut().zip(columns) {
        let forward = last.count(&format!("/applications/carried_forward/{key}"));
        let over = this.count(&format!("/applications/carried_over/{key}"));
        let status = match (forward, over) {
            (Some(a), Some(b)) if a == b => "ok",
            (Some(_), Some(_)) => "mismatch",
            _ => "unchecked",
        };
        let message = match lang {
            Lang::Zh => format!("上年结转下年度 {}，本年上年结转 {}", show(forward), show(over)),
            Lang::En => format!("carried forward last year {}; carried over this year {}", show(forward), show(over)),
        };
        c.rule = Some(RuleCheck { code: "B-carry", status, message });
    }
}

/// A metric, last year against this year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricCmp {
    /// The metric's key.
    pub key: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Its definition.
    pub definition: &'static str,
    /// Last year as printed.
    pub last: String,
    /// This year as printed.
    pub this: String,
    /// The change: `+4`; for a rate in percentage points (`+3.2个百分点`).
    pub delta: String,
    /// Whether both years' figures are comparable (rates over at least 30).
    pub comparable: bool,
}

fn metric_cmps(last: &Metrics, this: &Metrics, lang: Lang) -> Vec<MetricCmp> {
    last.0
        .iter()
        .zip(&this.0)
        .map(|(l, t)| {
            let d = l.def();
            let delta = match (l.value, t.value) {
                (Some(a), Some(b)) if d.rate => {
                    let pp = ((b - a) * 1000.0).round() / 10.0;
                    let s = if pp == 0.0 { "0.0".to_string() } else { format!("{}{:.1}", if pp > 0.0 { '+' } else { MINUS }, pp.abs()) };
                    format!("{s}{}", lang.pick("个百分点", " pp"))
                }
                (Some(a), Some(b)) => fmt_delta(b - a),
                _ if l.status == Status::Unknown || t.status == Status::Unknown => "?".into(),
                _ => "—".into(),
            };
            MetricCmp {
                key: d.key,
                name: d.name(lang),
                definition: d.definition(lang),
                last: l.display(lang),
                this: t.display(lang),
                delta,
                comparable: !d.rate || (l.comparable && t.comparable),
            }
        })
        .collect()
}

/// Last year against this year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// Index of last year in [`Comparison::years`].
    pub last: usize,
    /// Index of this year.
    pub this: usize,
    /// Tables 二, 三, 四, cell by cell, the cross-year rules at their cells.
    pub tables: Vec<TableCmp>,
    /// The metrics, side by side.
    pub metrics: Vec<MetricCmp>,
    /// The prose, sentence by sentence.
    pub reuse: reuse::Reuse,
}

/// One year of the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearInfo {
    /// The file as named.
    pub file: String,
    /// 机关名称.
    pub agency: String,
    /// 年度.
    pub year: u16,
    /// The report's title.
    pub title: String,
    /// What the audit concluded.
    pub verdict: Verdict,
    /// How many cells were not read.
    pub unknown_cells: usize,
    /// Its metrics.
    pub metrics: Metrics,
}

/// A chain of years compared (two or more).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The years, oldest first.
    pub years: Vec<YearInfo>,
    /// Each year against the one before it.
    pub pairs: Vec<Pair>,
}

/// Why a set of reports cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareError {
    /// Fewer than two reports.
    TooFew,
    /// A report's year comes before the year of the report listed before it.
    OutOfOrder {
        /// The file listed earlier.
        earlier: String,
        /// Its year.
        earlier_year: u16,
        /// The file listed later.
        later: String,
        /// Its (earlier) year.
        later_year: u16,
    },
}

impl CompareError {
    /// The message, in `lang`, with what to do.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CompareError::TooFew, Lang::Zh) => "至少需要两份报告：上年的和本年的".into(),
            (CompareError::TooFew, Lang::En) => "at least two reports are needed: last year's and this year's".into(),
            (CompareError::OutOfOrder { earlier, earlier_year, later, later_year }, Lang::Zh) => {
                format!("{later}（{later_year}年）排在 {earlier}（{earlier_year}年）之后：请按年份从早到晚列出报告，上年在前、本年在后")
            }
            (CompareError::OutOfOrder { earlier, earlier_year, later, later_year }, Lang::En) => format!(
                "{later} ({later_year}) is listed after {earlier} ({earlier_year}): list the reports oldest first, last year before this year"
            ),
        }
    }
}

/// Compares a chain of years, oldest first.
pub fn compare(years: &[Year], lang: Lang) -> Result<Comparison, CompareError> {
    if years.len() < 2 {
        return Err(CompareError::TooFew);
    }
    for w in years.windows(2) {
        if w[1].report.meta.year < w[0].report.meta.year {
            return Err(CompareError::OutOfOrder {
                earlier: w[0].file.clone(),
                earlier_year: w[0].report.meta.year,
                later: w[1].file.clone(),
                later_year: w[1].report.meta.year,
            });
        }
    }
    let infos = years
        .iter()
        .map(|y| YearInfo {
            file: y.file.clone(),
            agency: y.report.meta.agency.clone(),
            year: y.report.meta.year,
            title: y.report.title(),
            verdict: y.verdict,
            unknown_cells: y.unknown.len(),
            metrics: metrics::compute(&y.report, &y.unknown),
        })
        .collect::<Vec<_>>();
    let pairs = (1..years.len()).map(|i| pair(years, &infos, i - 1, i, lang)).collect();
    Ok(Comparison { years: infos, pairs })
}

fn pair(years: &[Year], infos: &[YearInfo], l: usize, t: usize, lang: Lang) -> Pair {
    let last = Cells::new(&years[l].report, &years[l].unknown);
    let this = Cells::new(&years[t].report, &years[t].unknown);
    let mut tables = vec![table_a(&last, &this), table_b(&last, &this), table_c(&last, &this)];
    place_rules(&mut tables, &last, &this, lang);
    Pair {
        last: l,
        this: t,
        tables,
        metrics: metric_cmps(&infos[l].metrics, &infos[t].metrics, lang),
        reuse: reuse::compare(&years[l].prose, &years[t].prose),
    }
}

impl Comparison {
    /// The last pair (the two most recent years): what the document shows in detail.
    pub fn latest(&self) -> &Pair {
        &self.pairs[self.pairs.len() - 1]
    }

    /// The comparison as JSON: years with their metrics, and every pair.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
