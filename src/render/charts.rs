//! The charts of the documents, from the data: applications by outcome, applicants by
//! type, reviews and lawsuits by result, and the trend over several years. Each takes
//! one series per report (a year, or the two years compared), reads cells through
//! [`Cells`] so an unknown cell stays unknown on the chart ("未读出"), and returns SVG
//! from [`chart`](super::chart).

use serde::Serialize;

use super::chart::{Bar, BarChart, Panel, TrendChart, bar_chart, trend_chart};
use crate::metrics::{Cells, Metrics};
use crate::model::labels::{APPLICANTS, OUTCOMES, RESULT_ROWS, REVIEW_GROUPS};

/// What an unknown figure reads as on a chart.
pub const UNKNOWN: &str = "未读出";

/// A chart ready for a template: its id, title and SVG text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    /// Unique within the document; also the name of its virtual file in the PDF
    /// (`/charts/<id>.svg`).
    pub id: String,
    /// The title (also inside the SVG).
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

impl Chart {
    fn bars(c: BarChart) -> Chart {
        Chart { id: c.id.clone(), title: c.title.clone(), svg: bar_chart(&c) }
    }
}

/// One report of a chart: its name in the legend and its cells.
pub type Series<'a> = (String, &'a Cells<'a>);

/// The six groups of results （一）…（六）: label and the rows under `/applications`.
fn outcome_groups() -> Vec<(&'static str, Vec<&'static str>)> {
    let by = |prefix: &str| RESULT_ROWS.iter().map(|r| r.path).filter(|p| p.starts_with(prefix)).collect::<Vec<_>>();
    vec![
        ("予以公开", vec!["/results/disclosed"]),
        ("部分公开", vec!["/results/partially_disclosed"]),
        ("不予公开", by("/results/withheld/")),
        ("无法提供", by("/results/unavailable/")),
        ("不予处理", by("/results/not_processed/")),
        ("其他处理", by("/results/other/")),
    ]
}

/// Applications by outcome: the six kinds of result (totals of table 三 （一）…（六）).
pub fn outcomes(id: &str, series: &[Series]) -> Chart {
    let bars = outcome_groups()
        .into_iter()
        .map(|(label, rows)| {
            let values =
                series.iter().map(|(_, c)| c.sum(rows.iter().map(|r| format!("/applications{r}/total"))).map(|v| v as f64)).collect();
            Bar::new(label, values)
        })
        .collect();
    Chart::bars(BarChart {
        id: id.into(),
        title: "申请办理结果（件）".into(),
        series: series.iter().map(|(n, _)| n.clone()).collect(),
        bars,
        percent: false,
        unknown: UNKNOWN.into(),
    })
}

/// Applicants by type: new applications of the year per applicant column.
pub fn applicants(id: &str, series: &[Series]) -> Chart {
    let bars = APPLICANTS
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let label = if i == 5 { "其他组织" } else { col.label };
            let values = series.iter().map(|(_, c)| c.count(&format!("/applications/received/{}", col.key)).map(|v| v as f64)).collect();
            Bar::new(label, values)
        })
        .collect();
    Chart::bars(BarChart {
        id: id.into(),
        title: "新收申请的申请人（件）".into(),
        series: series.iter().map(|(n, _)| n.clone()).collect(),
        bars,
        percent: false,
        unknown: UNKNOWN.into(),
    })
}

/// Reviews and lawsuits by result: each group of table 四, its four outcomes.
pub fn reviews(id: &str, series: &[Series]) -> Chart {
    let mut bars = Vec::new();
    for (g, label) in REVIEW_GROUPS {
        let heading = if g == "review" { label.to_string() } else { format!("行政诉讼·{label}") };
        bars.push(Bar::heading(heading));
        for (o, olabel) in OUTCOMES.iter().take(4) {
            let values = series.iter().map(|(_, c)| c.count(&format!("/reviews_and_lawsuits/{g}/{o}")).map(|v| v as f64)).collect();
            bars.push(Bar::new(olabel.trim_start_matches("结果"), values));
        }
    }
    Chart::bars(BarChart {
        id: id.into(),
        title: "行政复议、行政诉讼结果（件）".into(),
        series: series.iter().map(|(n, _)| n.clone()).collect(),
        bars,
        percent: false,
        unknown: UNKNOWN.into(),
    })
}

/// The trend over the years of a chain: one panel per headline metric.
pub fn trend(id: &str, years: &[(u16, &Metrics)]) -> Chart {
    let panel = |label: &str, key: &str, percent: bool| Panel {
        label: label.into(),
        values: years.iter().map(|(_, m)| m.value(key)).collect(),
        percent,
    };
    let c = TrendChart {
        id: id.into(),
        title: "历年变化".into(),
        years: years.iter().map(|(y, _)| format!("{y}年")).collect(),
        panels: vec![
            panel("新收申请（件）", "received", false),
            panel("办结（件）", "concluded", false),
            panel("公开率", "disclosure_rate", true),
            panel("行政复议（件）", "reviews", false),
            panel("行政诉讼（件）", "lawsuits", false),
        ],
    };
    Chart { id: c.id.clone(), title: c.title.clone(), svg: trend_chart(&c) }
}

/// The charts of one report (the 图解 page): outcomes, applicants, reviews and lawsuits.
pub fn report_charts(prefix: &str, cells: &Cells) -> Vec<Chart> {
    let s = [(String::new(), cells)];
    vec![
        outcomes(&format!("{prefix}-outcomes"), &s),
        applicants(&format!("{prefix}-applicants"), &s),
        reviews(&format!("{prefix}-reviews"), &s),
    ]
}

/// The charts of two years side by side (the comparison).
pub fn pair_charts(prefix: &str, last: Series, this: Series) -> Vec<Chart> {
    let s = [last, this];
    vec![
        outcomes(&format!("{prefix}-outcomes"), &s),
        applicants(&format!("{prefix}-applicants"), &s),
        reviews(&format!("{prefix}-reviews"), &s),
    ]
}

/// One report of a batch chart.
#[derive(Debug, Clone, Default)]
pub struct BatchRow {
    /// The report's name on the chart.
    pub label: String,
    /// Its figure; `None` when unknown or undefined.
    pub value: Option<f64>,
    /// Printed after the figure (不可比).
    pub note: Option<String>,
    /// The text of an undefined figure (`—`); `None` means unknown.
    pub undefined: Option<String>,
}

/// A bar chart over a batch of reports (the dashboard): one bar per report.
/// Each row: the report's label, its figure (`None`: unknown, or undefined when
/// `undefined` is given), a note after the figure, and the undefined text.
pub fn batch(id: &str, title: &str, rows: Vec<BatchRow>, percent: bool) -> Chart {
    let bars = rows
        .into_iter()
        .map(|r| {
            let mut b = Bar::new(r.label, vec![r.value]);
            b.note = r.note;
            b.undefined = r.undefined;
            b
        })
        .collect();
    Chart::bars(BarChart { id: id.into(), title: title.into(), series: Vec::new(), bars, percent, unknown: UNKNOWN.into() })
}
