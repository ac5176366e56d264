//! The comparison document (`reportgen compare`): the model of [`crate::compare`] with
//! its charts and labels, rendered to HTML and Markdown by `compare.html.j2` /
//! `compare.md.j2` and to PDF by `compare.typ` (charts as in-memory SVG files).

use serde::Serialize;

use super::charts::{self, Chart};
use super::templates::{Templates, template_error};
use crate::compare::{Comparison, MetricCmp, Pair, TableCmp, YearInfo, reuse::Reuse};
use crate::diag::{Diagnostic, Lang};
use crate::metrics::{self, Cells};

/// A metric's name and definition, as printed under the tables.
#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    /// The metric's key.
    pub key: &'static str,
    /// The name.
    pub name: &'static str,
    /// How it is computed.
    pub definition: &'static str,
}

/// Every metric definition in `lang`.
pub fn definitions(lang: Lang) -> Vec<Definition> {
    metrics::DEFS.iter().map(|d| Definition { key: d.key, name: d.name(lang), definition: d.definition(lang) }).collect()
}

/// One year of the trend table.
#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    /// 年度.
    pub year: u16,
    /// The metrics as printed, in [`metrics::DEFS`] order.
    pub values: Vec<String>,
    /// Share of sentences reused from the year before (— for the first year).
    pub reuse: String,
}

/// Everything the comparison templates see.
#[derive(Debug, Clone, Serialize)]
pub struct CompareContext {
    /// The document's title.
    pub title: String,
    /// Last year (the one before the most recent).
    pub last: YearInfo,
    /// This year (the most recent).
    pub this: YearInfo,
    /// Whether more than two years are compared.
    pub chain: bool,
    /// Every year, oldest first.
    pub years: Vec<YearInfo>,
    /// Tables 二, 三, 四, cell by cell.
    pub tables: Vec<TableCmp>,
    /// The metrics side by side.
    pub metrics: Vec<MetricCmp>,
    /// The prose compared.
    pub reuse: Reuse,
    /// Charts of the two years.
    pub charts: Vec<Chart>,
    /// The trend chart (three years or more).
    pub trend: Option<Chart>,
    /// The metric names, for the trend table's heading.
    pub metric_names: Vec<&'static str>,
    /// The trend table (three years or more).
    pub trend_rows: Vec<TrendRow>,
    /// Metric definitions.
    pub definitions: Vec<Definition>,
    /// Verdict of each year as printed (`last`, `this`).
    pub verdicts: [String; 2],
}

/// The audit verdict as a reader reads it.
pub fn verdict_label(v: crate::audit::Verdict, lang: Lang) -> &'static str {
    use crate::audit::Verdict::*;
    match v {
        Consistent => lang.pick("一致", "consistent"),
        Inconsistent => lang.pick("不一致", "inconsistent"),
        Incomplete => lang.pick("未能完整读出", "could not be fully read"),
        Unreadable => lang.pick("无法读取", "unreadable"),
    }
}

/// Builds the context: the latest pair in detail, the chain as a trend. `years` are
/// the inputs the comparison was made from (their cells feed the charts).
pub fn context(cmp: &Comparison, years: &[crate::compare::Year], lang: Lang) -> CompareContext {
    let pair: &Pair = cmp.latest();
    let (l, t) = (&cmp.years[pair.last], &cmp.years[pair.this]);
    let last_cells = Cells::new(&years[pair.last].report, &years[pair.last].unknown);
    let this_cells = Cells::new(&years[pair.this].report, &years[pair.this].unknown);
    let charts = charts::pair_charts("cmp", (format!("{}年", l.year), &last_cells), (format!("{}年", t.year), &this_cells));
    let chain = cmp.years.len() > 2;
    let trend = chain.then(|| {
        let ys: Vec<(u16, &metrics::Metrics)> = cmp.years.iter().map(|y| (y.year, &y.metrics)).collect();
        charts::trend("cmp-trend", &ys)
    });
    let trend_rows = if chain {
        cmp.years
            .iter()
            .enumerate()
            .map(|(i, y)| TrendRow {
                year: y.year,
                values: y.metrics.0.iter().map(|v| v.display(lang)).collect(),
                reuse: if i == 0 { "—".into() } else { cmp.pairs[i - 1].reuse.share_text.clone() },
            })
            .collect()
    } else {
        Vec::new()
    };
    let agency = if l.agency == t.agency { t.agency.clone() } else { format!("{}／{}", l.agency, t.agency) };
    // The document is in Chinese, whatever the language of messages.
    let title = format!("{agency}政府信息公开工作年度报告对比（{}—{}年）", cmp.years[0].year, t.year);
    CompareContext {
        title,
        last: l.clone(),
        this: t.clone(),
        chain,
        years: cmp.years.clone(),
        tables: pair.tables.clone(),
        metrics: pair.metrics.clone(),
        reuse: pair.reuse.clone(),
        charts,
        trend,
        metric_names: metrics::DEFS.iter().map(|d| d.name(lang)).collect(),
        trend_rows,
        definitions: definitions(lang),
        verdicts: [verdict_label(l.verdict, lang).into(), verdict_label(t.verdict, lang).into()],
    }
}

/// Renders a minijinja template of the comparison (`compare.html.j2`, `compare.md.j2`).
pub fn render_template<T: Serialize>(env: &minijinja::Environment<'static>, name: &str, ctx: &T, lang: Lang) -> Result<String, Diagnostic> {
    let tmpl = env.get_template(name).map_err(|e| template_error(&e, lang))?;
    tmpl.render(minijinja::Value::from(minijinja::value::Serde(ctx))).map_err(|e| template_error(&e, lang))
}

/// The data handed to a Typst template: the context without the SVG text (charts are
/// files), and the charts as `(charts/<id>.svg, bytes)`.
pub fn typst_data<T: Serialize>(ctx: &T) -> serde_json::Value {
    let mut v = serde_json::to_value(ctx).unwrap_or_default();
    strip_svg(&mut v);
    v
}

fn strip_svg(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("svg");
            o.values_mut().for_each(strip_svg);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_svg),
        _ => {}
    }
}

/// The chart files of a Typst job.
pub fn chart_files<'a>(charts: impl IntoIterator<Item = &'a Chart>) -> Vec<(String, Vec<u8>)> {
    charts.into_iter().map(|c| (format!("charts/{}.svg", c.id), c.svg.clone().into_bytes())).collect()
}

/// Compiles the comparison to PDF with `compare.typ`.
pub fn pdf(
    ctx: &CompareContext,
    templates: &Templates,
    fonts: &super::pdf::Fonts,
    lang: Lang,
) -> (Result<Vec<u8>, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let job = super::pdf::Job {
        template: "compare.typ",
        function: "compare",
        data: typst_data(ctx),
        files: chart_files(ctx.charts.iter().chain(&ctx.trend)),
        published: None,
    };
    let src = crate::load::Source { name: ctx.this.file.clone(), text: String::new() };
    super::pdf::compile(&job, templates, fonts, &src, lang)
}
