//! Metrics of one report: the figures a reader compares across years and agencies
//! (FORMAT.md, "Comparison and metrics"), each with its definition in Chinese and
//! English, printed wherever the metric is shown.
//!
//! Metrics are computed over a report *and* its [`Unknown`] cells: a metric whose inputs
//! include an unknown cell is unknown, never computed as if the cell were 0. A stated
//! total (as a published report prints it) is used as printed when it was read; a total
//! that was not stated is the sum of its cells, itself unknown when any cell is.
//!
//! - 办结 = （七）总计; 公开率 = (予以公开 + 部分公开) / 办结;
//! - 纠错率 (复议, 诉讼 each) = 纠正 / (维持 + 纠正 + 其他): cases still pending are not
//!   in the denominator;
//! - a rate over fewer than [`MIN_COMPARABLE`] applications (or cases) is shown but marked
//!   not comparable: one application more or less would move it by several points.

use serde::Serialize;

use crate::diag::Lang;
use crate::model::Report;
use crate::model::labels::{APPLICANTS, RESULT_ROWS};
use crate::model::unknown::Unknown;

/// Below this many applications (or cases) a rate is shown but marked not comparable.
pub const MIN_COMPARABLE: u64 = 30;

/// The figures of one report, cell by cell, with unknown cells as `None`.
#[derive(Debug, Clone)]
pub struct Cells<'a> {
    json: serde_json::Value,
    unknown: &'a Unknown,
}

impl<'a> Cells<'a> {
    /// The cells of `report`; those in `unknown` read as unknown.
    pub fn new(report: &Report, unknown: &'a Unknown) -> Cells<'a> {
        Cells { json: serde_json::to_value(report).unwrap_or_default(), unknown }
    }

    /// A count by JSON pointer (`/applications/received/natural_person`, …): `None` when
    /// the cell is unknown. A total that is not stated is computed from its cells.
    pub fn count(&self, pointer: &str) -> Option<u64> {
        if self.unknown.contains(pointer) {
            return None;
        }
        if let Some(v) = self.json.pointer(pointer) {
            return v.as_u64();
        }
        let (parent, last) = pointer.rsplit_once('/')?;
        if parent == "/applications/results/total" {
            // A column of （七）总计: the sum of the 21 result rows in that column; its own
            // total, the sum of its six columns or, failing that, of the 21 row totals.
            if last == "total" {
                return self.sum_row(parent).or_else(|| self.sum(RESULT_ROWS.iter().map(|r| format!("/applications{}/total", r.path))));
            }
            return self.sum(RESULT_ROWS.iter().map(|r| format!("/applications{}/{last}", r.path)));
        }
        if last != "total" {
            return None;
        }
        if parent.starts_with("/applications/") {
            return self.sum_row(parent);
        }
        if parent.starts_with("/reviews_and_lawsuits/") {
            return self.sum(["upheld", "corrected", "other", "pending"].iter().map(|k| format!("{parent}/{k}")));
        }
        None
    }

    /// 行政事业性收费 (万元), `None` when unknown.
    pub fn fees(&self) -> Option<f64> {
        if self.unknown.contains("/proactive/fees") {
            return None;
        }
        self.json.pointer("/proactive/fees").and_then(serde_json::Value::as_f64)
    }

    /// A figure of any cell: counts, or the fees.
    pub fn figure(&self, pointer: &str) -> Option<f64> {
        if pointer == "/proactive/fees" { self.fees() } else { self.count(pointer).map(|v| v as f64) }
    }

    fn sum_row(&self, row: &str) -> Option<u64> {
        self.sum(APPLICANTS.iter().map(|c| format!("{row}/{}", c.key)))
    }

    /// The sum of these cells; unknown when any of them is.
    pub fn sum(&self, pointers: impl IntoIterator<Item = String>) -> Option<u64> {
        pointers.into_iter().try_fold(0u64, |acc, p| Some(acc.saturating_add(self.count(&p)?)))
    }
}

/// What a metric is, and how it is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetricDef {
    /// Stable key (JSON, CSV).
    pub key: &'static str,
    /// Name in Chinese.
    pub zh: &'static str,
    /// Name in English.
    pub en: &'static str,
    /// Definition in Chinese.
    pub def_zh: &'static str,
    /// Definition in English.
    pub def_en: &'static str,
    /// Whether it is a rate (a share, shown as %).
    pub rate: bool,
}

impl MetricDef {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// The definition in `lang`.
    pub fn definition(&self, lang: Lang) -> &'static str {
        lang.pick(self.def_zh, self.def_en)
    }
}

const fn def(key: &'static str, zh: &'static str, en: &'static str, def_zh: &'static str, def_en: &'static str, rate: bool) -> MetricDef {
    MetricDef { key, zh, en, def_zh, def_en, rate }
}

/// Every metric, in the order they are shown.
pub const DEFS: [MetricDef; 11] = [
    def(
        "proactive",
        "主动公开",
        "Proactive disclosure",
        "表二所列本年件数之和：规章和行政规范性文件本年制发件数 + 行政许可、行政处罚、行政强制本年处理决定数量（不含收费金额）",
        "the items table 二 counts for the year: rules and normative documents issued + licensing, punishment and enforcement decisions (fees excluded)",
        false,
    ),
    def(
        "received",
        "新收申请",
        "New applications",
        "表三“一、本年新收政府信息公开申请数量”的总计",
        "table 三, row 一 (applications received this year), total",
        false,
    ),
    def(
        "carried_over",
        "上年结转",
        "Carried over",
        "表三“二、上年结转政府信息公开申请数量”的总计",
        "table 三, row 二 (carried over from last year), total",
        false,
    ),
    def(
        "concluded",
        "办结",
        "Concluded",
        "办结 = 表三“（七）总计”的总计（本年度办理结果之和）",
        "concluded = table 三, row （七）总计 (all results of the year), total",
        false,
    ),
    def(
        "carried_forward",
        "结转下年度",
        "Carried forward",
        "表三“四、结转下年度继续办理”的总计",
        "table 三, row 四 (carried forward to next year), total",
        false,
    ),
    def(
        "disclosed",
        "公开",
        "Disclosed",
        "予以公开 + 部分公开（表三（一）、（二）的总计）",
        "disclosed in full + in part (table 三, rows （一） and （二）, totals)",
        false,
    ),
    def(
        "disclosure_rate",
        "公开率",
        "Disclosure rate",
        "公开率 = (予以公开 + 部分公开) / 办结；办结少于30件时标为不可比",
        "disclosure rate = (disclosed in full + in part) / concluded; marked not comparable under 30 concluded",
        true,
    ),
    def("reviews", "行政复议", "Administrative reviews", "表四“行政复议”的总计", "table 四, administrative reviews, total", false),
    def(
        "review_correction_rate",
        "复议纠错率",
        "Review correction rate",
        "复议纠错率 = 结果纠正 / (结果维持 + 结果纠正 + 其他结果)（尚未审结的不计）；少于30件时标为不可比",
        "review correction rate = corrected / (upheld + corrected + other), pending cases excluded; marked not comparable under 30 cases",
        true,
    ),
    def(
        "lawsuits",
        "行政诉讼",
        "Lawsuits",
        "表四“未经复议直接起诉”与“复议后起诉”的总计之和",
        "table 四, lawsuits filed directly + after review, totals",
        false,
    ),
    def(
        "lawsuit_correction_rate",
        "诉讼纠错率",
        "Lawsuit correction rate",
        "诉讼纠错率 = 结果纠正 / (结果维持 + 结果纠正 + 其他结果)，两类行政诉讼合计（尚未审结的不计）；少于30件时标为不可比",
        "lawsuit correction rate = corrected / (upheld + corrected + other) over both kinds of lawsuit, pending excluded; marked not comparable under 30 cases",
        true,
    ),
];

/// The definition of a metric by key.
pub fn definition(key: &str) -> Option<&'static MetricDef> {
    DEFS.iter().find(|d| d.key == key)
}

/// Whether a metric could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Computed from cells that were all read.
    Known,
    /// Some input cell is unknown (not read from the source).
    Unknown,
    /// A rate with nothing to divide by (no application, no case).
    NoCases,
}

/// One metric of one report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    /// The metric's key (see [`DEFS`]).
    pub key: &'static str,
    /// The figure: a count, or a rate between 0 and 1. `None` unless `status` is known.
    pub value: Option<f64>,
    /// Whether it could be computed.
    pub status: Status,
    /// For a rate: what is counted, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<u64>,
    /// For a rate: what it is counted over, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<u64>,
    /// For a rate: whether its base is large enough (≥ [`MIN_COMPARABLE`]) to compare.
    pub comparable: bool,
}

impl Value {
    fn count(key: &'static str, v: Option<u64>) -> Value {
        Value {
            key,
            value: v.map(|v| v as f64),
            status: if v.is_some() { Status::Known } else { Status::Unknown },
            numerator: None,
            denominator: None,
            comparable: true,
        }
    }

    fn rate(key: &'static str, num: Option<u64>, den: Option<u64>) -> Value {
        let status = match (num, den) {
            (Some(_), Some(0)) => Status::NoCases,
            (Some(_), Some(_)) => Status::Known,
            (None, Some(0)) => Status::NoCases,
            _ => Status::Unknown,
        };
        let value = match (num, den) {
            (Some(n), Some(d)) if d > 0 => Some(n as f64 / d as f64),
            _ => None,
        };
        Value { key, value, status, numerator: num, denominator: den, comparable: den.is_some_and(|d| d >= MIN_COMPARABLE) }
    }

    /// The definition of this metric.
    pub fn def(&self) -> &'static MetricDef {
        definition(self.key).unwrap_or(&DEFS[0])
    }

    /// As printed: `57`, `96.5%`, `未读出` / `unknown`, `—` (no cases).
    pub fn display(&self, lang: Lang) -> String {
        match (self.status, self.value) {
            (Status::Unknown, _) => lang.pick("未读出", "unknown").into(),
            (Status::Known, Some(v)) if self.def().rate => format!("{:.1}%", v * 100.0),
            (Status::Known, Some(v)) => crate::compare::fmt_figure(v),
            _ => "—".into(),
        }
    }

    /// A number to sort by: unknown and undefined sort last.
    pub fn sort_key(&self) -> f64 {
        self.value.unwrap_or(f64::NEG_INFINITY)
    }
}

/// Every metric of one report, in [`DEFS`] order. As JSON, an object keyed by metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics(pub Vec<Value>);

impl Serialize for Metrics {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for v in &self.0 {
            m.serialize_entry(v.key, v)?;
        }
        m.end()
    }
}

impl Metrics {
    /// The metric with this key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|v| v.key == key)
    }

    /// The figure of a metric, when known.
    pub fn value(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(|v| v.value)
    }

    /// As a JSON object keyed by metric.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Computes every metric of a report whose unknown cells are `unknown`.
pub fn compute(report: &Report, unknown: &Unknown) -> Metrics {
    let c = Cells::new(report, unknown);
    let b = |row: &str| c.count(&format!("/applications{row}/total"));
    let add = |a: Option<u64>, b: Option<u64>| Some(a?.saturating_add(b?));
    let concluded = b("/results/total");
    let disclosed = add(b("/results/disclosed"), b("/results/partially_disclosed"));
    let group = |g: &str, k: &str| c.count(&format!("/reviews_and_lawsuits/{g}/{k}"));
    let decided = |g: &str| c.sum(["upheld", "corrected", "other"].iter().map(|k| format!("/reviews_and_lawsuits/{g}/{k}")));
    let proactive = c.sum(
        [
            "/proactive/rules/issued",
            "/proactive/normative_documents/issued",
            "/proactive/licensing",
            "/proactive/punishment",
            "/proactive/enforcement",
        ]
        .map(String::from),
    );
    Metrics(vec![
        Value::count("proactive", proactive),
        Value::count("received", b("/received")),
        Value::count("carried_over", b("/carried_over")),
        Value::count("concluded", concluded),
        Value::count("carried_forward", b("/carried_forward")),
        Value::count("disclosed", disclosed),
        Value::rate("disclosure_rate", disclosed, concluded),
        Value::count("reviews", group("review", "total")),
        Value::rate("review_correction_rate", group("review", "corrected"), decided("review")),
        Value::count("lawsuits", add(group("lawsuit_direct", "total"), group("lawsuit_after_review", "total"))),
        Value::rate(
            "lawsuit_correction_rate",
            add(group("lawsuit_direct", "corrected"), group("lawsuit_after_review", "corrected")),
            add(decided("lawsuit_direct"), decided("lawsuit_after_review")),
        ),
    ])
}

/// One line of the metrics table (CSV, dashboard): a report and its metrics.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The file as named by the user.
    pub file: &'a str,
    /// 机关名称, when read.
    pub agency: Option<&'a str>,
    /// 年度, when read.
    pub year: Option<u16>,
    /// The audit's verdict, as printed.
    pub verdict: &'a str,
    /// How many cells are unknown.
    pub unknown_cells: usize,
    /// The metrics; `None` when the file could not be read as a report.
    pub metrics: Option<&'a Metrics>,
}

/// The metrics table as CSV for Excel and WPS: UTF-8 with a byte-order mark (without
/// it, Excel reads the file as the local code page and garbles the Chinese), CRLF line
/// ends, fields quoted where needed. Unknown figures are written as 未读出 / unknown,
/// rates without cases as —, never as 0; a rate under 30 is followed by a column saying
/// it is not comparable.
pub fn to_csv(lines: &[Line], lang: Lang) -> String {
    let mut out = String::from("\u{feff}");
    let mut header: Vec<String> =
        [lang.pick("文件", "file"), lang.pick("机关", "agency"), lang.pick("年度", "year"), lang.pick("结论", "verdict")]
            .map(String::from)
            .to_vec();
    for d in &DEFS {
        if d.rate {
            header.push(format!("{}(%)", d.name(lang)));
            header.push(format!("{}{}", d.name(lang), lang.pick("可比", " comparable")));
        } else {
            header.push(d.name(lang).to_string());
        }
    }
    header.push(lang.pick("未读出单元格", "unknown cells").into());
    push_csv_line(&mut out, &header);
    for l in lines {
        let mut row = vec![l.file.to_string(), l.agency.unwrap_or("").to_string(), l.year.map(|y| y.to_string()).unwrap_or_default()];
        row.push(l.verdict.to_string());
        for d in &DEFS {
            let v = l.metrics.and_then(|m| m.get(d.key));
            let shown = match v {
                None => String::new(),
                Some(v) => match (v.status, v.value) {
                    (Status::Known, Some(x)) if d.rate => format!("{:.1}", x * 100.0),
                    (Status::Known, Some(x)) => crate::compare::fmt_figure(x),
                    (Status::NoCases, _) => "—".into(),
                    _ => lang.pick("未读出", "unknown").into(),
                },
            };
            row.push(shown);
            if d.rate {
                let comparable = match v {
                    Some(v) if v.status == Status::Known => {
                        lang.pick(if v.comparable { "是" } else { "否" }, if v.comparable { "yes" } else { "no" })
                    }
                    _ => "",
                };
                row.push(comparable.into());
            }
        }
        row.push(l.unknown_cells.to_string());
        push_csv_line(&mut out, &row);
    }
    out
}

fn push_csv_line(out: &mut String, fields: &[String]) {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            // A leading = + - @ would make a spreadsheet evaluate the field as a formula.
            let f = if f.starts_with(['=', '+', '-', '@']) { format!("'{f}") } else { f.clone() };
            if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
        })
        .collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}
