//! The 图解 page (`build -f tujie`): one A4 page of headline figures, charts and one
//! generated sentence per statistics part, as `<stem>-tujie.html` (`tujie.html.j2`) and
//! `<stem>-tujie.pdf` (`tujie.typ`).
//!
//! Nothing on it is invented: every figure and every sentence is built from cells of the
//! data, and a cell that was not read is said to be so (未读出), never written as 0.
//!
//! The headline 主动公开 is the [`proactive`](crate::metrics::DEFS) metric: the items
//! table 二 counts for the year (rules and normative documents issued, and licensing,
//! punishment and enforcement decisions), because the data holds no other count of
//! what was published proactively (the 发布信息N条 of part 一 is prose, not data).

use serde::Serialize;

use super::charts::{self, Chart};
use super::compare::{Definition, chart_files, definitions, render_template, typst_data};
use super::templates::Templates;
use crate::diag::{Diagnostic, Lang};
use crate::metrics::{self, Cells, Metrics, Status};
use crate::model::Report;
use crate::model::unknown::Unknown;

/// One headline figure.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// What it is (主动公开, 新收申请, …).
    pub label: String,
    /// The figure as printed (未读出 when unknown).
    pub value: String,
    /// Its unit (件), empty when the figure is unknown.
    pub unit: String,
    /// One line under it, from the data.
    pub note: String,
}

/// A statistics part: its title, the sentence built from its figures, its charts.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// `a`, `b` or `c` (the table of the part).
    pub key: &'static str,
    /// `二、主动公开政府信息情况` …
    pub title: &'static str,
    /// The generated sentence.
    pub summary: String,
    /// The charts of this part.
    pub charts: Vec<Chart>,
}

/// Everything the 图解 templates see.
#[derive(Debug, Clone, Serialize)]
pub struct TujieContext {
    /// The page title: the report's title with 【图解】.
    pub title: String,
    /// 机关名称.
    pub agency: String,
    /// 年度.
    pub year: u16,
    /// 发布日期.
    pub published: Option<String>,
    /// The five headline figures.
    pub headlines: Vec<Headline>,
    /// Parts 二, 三, 四.
    pub parts: Vec<Part>,
    /// The metric definitions.
    pub definitions: Vec<Definition>,
    /// How many cells are unknown.
    pub unknown_cells: usize,
}

/// A count in a sentence: `57件`, or `（未读出）`.
fn n(v: Option<u64>) -> String {
    v.map_or_else(|| "（未读出）".to_string(), |v| format!("{v}件"))
}

fn metric_text(m: &Metrics, key: &str, lang: Lang) -> String {
    m.get(key).map_or_else(|| "—".into(), |v| v.display(lang))
}

/// The sentence of part 二.
pub fn summary_a(c: &Cells) -> String {
    let p = |k: &str| c.count(&format!("/proactive/{k}"));
    let fees = c.fees().map_or_else(|| "（未读出）".to_string(), |f| format!("{}万元", crate::compare::fmt_figure(f)));
    format!(
        "本年制发规章{}、行政规范性文件{}，废止规章{}、行政规范性文件{}，现行有效规章{}、行政规范性文件{}；作出行政许可决定{}、行政处罚决定{}、行政强制决定{}；行政事业性收费{fees}。",
        n(p("rules/issued")),
        n(p("normative_documents/issued")),
        n(p("rules/repealed")),
        n(p("normative_documents/repealed")),
        n(p("rules/in_force")),
        n(p("normative_documents/in_force")),
        n(p("licensing")),
        n(p("punishment")),
        n(p("enforcement")),
    )
}

/// The sentence of part 三.
pub fn summary_b(c: &Cells, m: &Metrics) -> String {
    let b = |row: &str| c.count(&format!("/applications{row}/total"));
    let mut s = format!(
        "本年新收政府信息公开申请{}，上年结转{}；办结{}，其中予以公开{}、部分公开{}",
        n(b("/received")),
        n(b("/carried_over")),
        n(b("/results/total")),
        n(b("/results/disclosed")),
        n(b("/results/partially_disclosed")),
    );
    if let Some(rate) = m.get("disclosure_rate") {
        match rate.status {
            Status::Known => {
                s.push_str(&format!("，公开率{}", rate.display(Lang::Zh)));
                if !rate.comparable {
                    s.push_str("（办结不足30件，不宜与其他机关比较）");
                }
            }
            Status::Unknown => s.push_str("，公开率未能计算（有数字未读出）"),
            Status::NoCases => {}
        }
    }
    s.push_str(&format!("；结转下年度继续办理{}。", n(b("/carried_forward"))));
    s
}

/// The sentence of part 四.
pub fn summary_c(c: &Cells) -> String {
    let g = |grp: &str, k: &str| c.count(&format!("/reviews_and_lawsuits/{grp}/{k}"));
    let add = |a: Option<u64>, b: Option<u64>| Some(a? + b?);
    let lawsuits = add(g("lawsuit_direct", "total"), g("lawsuit_after_review", "total"));
    let corrected = add(g("review", "corrected"), add(g("lawsuit_direct", "corrected"), g("lawsuit_after_review", "corrected")));
    let pending = add(g("review", "pending"), add(g("lawsuit_direct", "pending"), g("lawsuit_after_review", "pending")));
    format!(
        "因政府信息公开引起行政复议{}、行政诉讼{}；其中结果被纠正{}，尚未审结{}。",
        n(g("review", "total")),
        n(lawsuits),
        n(corrected),
        n(pending)
    )
}

/// The five headline figures.
fn headlines(c: &Cells, m: &Metrics, lang: Lang) -> Vec<Headline> {
    let count = |key: &str| -> (String, String) {
        match m.get(key).filter(|v| v.status == Status::Known) {
            Some(v) => (v.display(lang), "件".into()),
            None => ("未读出".into(), String::new()),
        }
    };
    let issued = c.sum(["/proactive/rules/issued", "/proactive/normative_documents/issued"].map(String::from));
    let decisions = c.sum(["/proactive/licensing", "/proactive/punishment", "/proactive/enforcement"].map(String::from));
    let (p, pu) = count("proactive");
    let (r, ru) = count("received");
    let (d, du) = count("concluded");
    let (rv, _) = count("reviews");
    let (ls, _) = count("lawsuits");
    let g = |grp: &str| c.count(&format!("/reviews_and_lawsuits/{grp}/corrected"));
    let corrected = [g("review"), g("lawsuit_direct"), g("lawsuit_after_review")].into_iter().try_fold(0u64, |a, v| Some(a + v?));
    let rate_note = |key: &str| {
        let v = m.get(key);
        let shown = metric_text(m, key, lang);
        match v {
            Some(v) if v.status == Status::Known && !v.comparable => format!("{shown}（不足30件）"),
            _ => shown,
        }
    };
    vec![
        Headline {
            label: "主动公开".into(),
            value: p,
            unit: pu,
            note: format!("制发规章和规范性文件{}，许可、处罚、强制决定{}", n(issued), n(decisions)),
        },
        Headline {
            label: "新收申请".into(),
            value: r,
            unit: ru,
            note: format!("上年结转{}", n(c.count("/applications/carried_over/total"))),
        },
        Headline { label: "办结".into(), value: d, unit: du, note: format!("公开率 {}", rate_note("disclosure_rate")) },
        Headline {
            label: "复议／诉讼".into(),
            value: format!("{rv} / {ls}"),
            unit: if rv == "未读出" || ls == "未读出" { String::new() } else { "件".into() },
            note: "行政复议 / 行政诉讼".into(),
        },
        Headline {
            label: "纠错".into(),
            value: corrected.map_or_else(|| "未读出".into(), |v| v.to_string()),
            unit: if corrected.is_some() { "件".into() } else { String::new() },
            note: format!("复议纠错率 {}，诉讼纠错率 {}", rate_note("review_correction_rate"), rate_note("lawsuit_correction_rate")),
        },
    ]
}

/// The proactive-disclosure chart of part 二.
fn proactive_chart(c: &Cells) -> Chart {
    use super::chart::{Bar, BarChart, bar_chart};
    let v = |p: &str| c.count(p).map(|v| v as f64);
    let bars = vec![
        Bar::new("制发规章", vec![v("/proactive/rules/issued")]),
        Bar::new("制发规范性文件", vec![v("/proactive/normative_documents/issued")]),
        Bar::new("行政许可", vec![v("/proactive/licensing")]),
        Bar::new("行政处罚", vec![v("/proactive/punishment")]),
        Bar::new("行政强制", vec![v("/proactive/enforcement")]),
    ];
    let chart = BarChart {
        id: "tj-proactive".into(),
        title: "主动公开：本年件数".into(),
        series: Vec::new(),
        bars,
        percent: false,
        unknown: charts::UNKNOWN.into(),
    };
    Chart { id: chart.id.clone(), title: chart.title.clone(), svg: bar_chart(&chart) }
}

/// Builds the 图解 context of a report (totals filled) whose unknown cells are `unknown`.
pub fn context(r: &Report, unknown: &Unknown, lang: Lang) -> TujieContext {
    let c = Cells::new(r, unknown);
    let m = metrics::compute(r, unknown);
    let s = [(String::new(), &c)];
    TujieContext {
        title: format!("{}【图解】", r.title()),
        agency: r.meta.agency.clone(),
        year: r.meta.year,
        published: r.meta.published.clone(),
        headlines: headlines(&c, &m, lang),
        parts: vec![
            Part { key: "a", title: super::PARTS[1], summary: summary_a(&c), charts: vec![proactive_chart(&c)] },
            Part {
                key: "b",
                title: super::PARTS[2],
                summary: summary_b(&c, &m),
                charts: vec![charts::outcomes("tj-outcomes", &s), charts::applicants("tj-applicants", &s)],
            },
            Part { key: "c", title: super::PARTS[3], summary: summary_c(&c), charts: vec![charts::reviews("tj-reviews", &s)] },
        ],
        definitions: definitions(lang),
        unknown_cells: unknown.len(),
    }
}

/// Renders the 图解 page: HTML text and PDF bytes, with warnings.
pub fn render(
    ctx: &TujieContext,
    templates: &Templates,
    env: &minijinja::Environment<'static>,
    fonts: &super::pdf::Fonts,
    data_src: &crate::load::Source,
    lang: Lang,
) -> (Result<(String, Vec<u8>), Vec<Diagnostic>>, Vec<Diagnostic>) {
    let html = match render_template(env, "tujie.html.j2", ctx, lang) {
        Ok(h) => h,
        Err(d) => return (Err(vec![d]), Vec::new()),
    };
    let job = super::pdf::Job {
        template: "tujie.typ",
        function: "tujie",
        data: typst_data(ctx),
        files: chart_files(ctx.parts.iter().flat_map(|p| &p.charts)),
        published: ctx.published.as_deref(),
    };
    let (pdf, warnings) = super::pdf::compile(&job, templates, fonts, data_src, lang);
    (pdf.map(|p| (html, p)), warnings)
}
