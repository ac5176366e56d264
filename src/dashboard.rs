//! The audit dashboard (`reportgen audit FILES… --html OUT.html`): one self-contained
//! page over a batch of reports: each report's verdict and findings, each finding
//! linked to the source line it concerns (the lines are quoted on the page, so the link
//! works without the file); a table of metrics per report, sortable by any column (a
//! small inline script, the only one); charts over the batch; the metric definitions.
//!
//! The page is `dashboard.html.j2` (overridable like every template); the metrics are
//! [`metrics::compute`] over each report and its unknown cells, so an unknown figure is
//! shown as 未读出 and sorts last, never as 0.

use serde::Serialize;

use crate::audit::{Audited, Verdict};
use crate::diag::{Diagnostic, Lang, Severity, line_col};
use crate::metrics::{self, Metrics, Status};
use crate::render::charts::{self, BatchRow, Chart};
use crate::render::compare::{Definition, definitions, render_template, verdict_label};

/// Most findings listed per report; the rest are counted.
const MAX_FINDINGS: usize = 200;
/// Characters of a source line quoted on the page.
const MAX_LINE: usize = 200;

/// A metric of one report as the table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MetricCell {
    /// As printed (`96.5%`, `未读出`, `—`).
    pub text: String,
    /// What the column sorts by (unknown and undefined sort last).
    pub sort: f64,
    /// `known`, `unknown` or `no_cases`.
    pub status: Status,
    /// For a rate: whether its base is at least 30.
    pub comparable: bool,
}

/// One finding, with where it is.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `error`, `warning` or `note` (what the reader did, e.g. how a run-together cell
    /// was split).
    pub severity: Severity,
    /// The stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// What to do.
    pub hints: Vec<String>,
    /// Where, as a reader says it: `第 12 行`, `第 3 页` (`line 12`, `page 3`), or empty.
    pub place: String,
    /// The id of the quoted source line it links to, when there is one.
    pub anchor: Option<String>,
}

/// A quoted line of a report's source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLine {
    /// Its number (1-based).
    pub number: usize,
    /// Its text (clipped).
    pub text: String,
    /// Its id on the page.
    pub anchor: String,
    /// Whether a finding points at it (others are context).
    pub marked: bool,
}

/// One report of the batch.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    /// Its id on the page (`r1`, `r2`, …).
    pub id: String,
    /// The file as named.
    pub file: String,
    /// 机关名称, when read.
    pub agency: Option<String>,
    /// 年度, when read.
    pub year: Option<u16>,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict as printed.
    pub verdict_label: &'static str,
    /// Errors among the findings.
    pub errors: usize,
    /// Warnings among the findings.
    pub warnings: usize,
    /// How many cells were not read.
    pub unknown_cells: usize,
    /// The metrics, in [`metrics::DEFS`] order (empty when the file could not be read).
    pub metrics: Vec<MetricCell>,
    /// Findings (at most 200).
    pub findings: Vec<Finding>,
    /// Findings not listed.
    pub more_findings: usize,
    /// The source lines the findings point at, with a line of context each side.
    pub lines: Vec<SourceLine>,
}

/// How many reports have a verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictCount {
    /// The verdict.
    pub verdict: Verdict,
    /// As printed.
    pub label: &'static str,
    /// How many reports.
    pub count: usize,
}

/// Everything `dashboard.html.j2` sees.
#[derive(Debug, Clone, Serialize)]
pub struct DashboardContext {
    /// Whether the page's own words are English (`--lang en`).
    pub en: bool,
    /// The page title.
    pub title: String,
    /// The metric names (table headings), in [`metrics::DEFS`] order.
    pub metric_names: Vec<&'static str>,
    /// Which metrics are rates.
    pub metric_rates: Vec<bool>,
    /// The reports, in the order given.
    pub reports: Vec<ReportRow>,
    /// Reports per verdict.
    pub verdicts: Vec<VerdictCount>,
    /// Charts over the batch.
    pub charts: Vec<Chart>,
    /// The metric definitions.
    pub definitions: Vec<Definition>,
}

/// Where a finding is: its place (a PDF page) or its line in the source text.
fn locate(d: &Diagnostic, text: &str, lang: Lang) -> (String, Option<usize>) {
    if let Some(p) = &d.place {
        let place = match lang {
            Lang::Zh => format!("第 {p} 页"),
            Lang::En => format!("page {p}"),
        };
        return (place, None);
    }
    let line = match (&d.span, d.line_col) {
        (Some(span), _) if !text.is_empty() => Some(line_col(text, span.start).0),
        (_, Some((l, _))) => Some(l),
        _ => None,
    };
    let place = match (line, lang) {
        (None, _) => String::new(),
        (Some(l), Lang::Zh) => format!("第 {l} 行"),
        (Some(l), Lang::En) => format!("line {l}"),
    };
    (place, line)
}

fn clip_line(line: &str) -> String {
    crate::diag::clip(line.trim_end(), MAX_LINE)
}

fn row(i: usize, a: &Audited, lang: Lang) -> ReportRow {
    let id = format!("r{}", i + 1);
    let metrics: Option<Metrics> = a.report.as_ref().map(|r| metrics::compute(r, &a.unknown));
    let text = &a.source.text;
    let source_lines: Vec<&str> = text.lines().collect();
    let mut findings = Vec::new();
    let mut marked = std::collections::BTreeSet::new();
    for d in a.diagnostics.iter().take(MAX_FINDINGS) {
        let (mut place, line) = locate(d, text, lang);
        // A finding at the very end (something missing) is past the last line: say so.
        if line.is_some_and(|l| l > source_lines.len()) && !text.is_empty() {
            place = lang.pick("文末", "end of text").to_string();
        }
        let anchor = line.filter(|&l| l <= source_lines.len()).map(|l| {
            marked.insert(l);
            format!("{id}-L{l}")
        });
        findings.push(Finding {
            severity: d.severity,
            code: d.code.as_str(),
            message: d.message.clone(),
            hints: d.hints.clone(),
            place,
            anchor,
        });
    }
    let mut wanted = std::collections::BTreeSet::new();
    for &l in &marked {
        for n in l.saturating_sub(1).max(1)..=(l + 1).min(source_lines.len()) {
            wanted.insert(n);
        }
    }
    let lines = wanted
        .into_iter()
        .filter_map(|n| {
            source_lines.get(n - 1).map(|t| SourceLine {
                number: n,
                text: clip_line(t),
                anchor: format!("{id}-L{n}"),
                marked: marked.contains(&n),
            })
        })
        .collect();
    ReportRow {
        id,
        file: a.file.clone(),
        agency: a.report.as_ref().map(|r| r.meta.agency.clone()),
        year: a.report.as_ref().map(|r| r.meta.year),
        verdict: a.verdict,
        verdict_label: verdict_label(a.verdict, lang),
        errors: a.errors(),
        warnings: a.warnings(),
        unknown_cells: a.unknown.len(),
        metrics: metrics
            .map(|m| {
                m.0.iter()
                    .map(|v| MetricCell { text: v.display(lang), sort: v.sort_key(), status: v.status, comparable: v.comparable })
                    .collect()
            })
            .unwrap_or_default(),
        findings,
        more_findings: a.diagnostics.len().saturating_sub(MAX_FINDINGS),
        lines,
    }
}

/// A report's name on a chart: the agency and year when read, else the file name.
fn chart_label(a: &Audited) -> String {
    match &a.report {
        Some(r) => format!("{} {}", r.meta.agency, r.meta.year),
        None => a.file.rsplit('/').next().unwrap_or(&a.file).to_string(),
    }
}

/// The charts over a batch: verdicts, 公开率 per report (not comparable ones marked), new
/// applications per report.
pub fn batch_charts(batch: &[Audited], lang: Lang) -> Vec<Chart> {
    let verdicts = [Verdict::Consistent, Verdict::Inconsistent, Verdict::Incomplete, Verdict::Unreadable];
    let counts = verdicts
        .iter()
        .map(|v| BatchRow {
            label: verdict_label(*v, lang).into(),
            value: Some(batch.iter().filter(|a| a.verdict == *v).count() as f64),
            ..Default::default()
        })
        .collect();
    let readable: Vec<&Audited> = batch.iter().filter(|a| a.report.is_some()).collect();
    let metric = |a: &Audited, key: &str| a.report.as_ref().map(|r| metrics::compute(r, &a.unknown)).and_then(|m| m.get(key).copied());
    let rates = readable
        .iter()
        .map(|a| {
            let v = metric(a, "disclosure_rate");
            let (note, undefined) = match v {
                Some(v) if v.status == Status::Known && !v.comparable => (Some(lang.pick("不可比", "not comparable").to_string()), None),
                Some(v) if v.status == Status::NoCases => (Some(lang.pick("无办结", "none concluded").to_string()), Some("—".to_string())),
                _ => (None, None),
            };
            BatchRow { label: chart_label(a), value: v.and_then(|v| v.value), note, undefined }
        })
        .collect();
    let received = readable
        .iter()
        .map(|a| BatchRow { label: chart_label(a), value: metric(a, "received").and_then(|v| v.value), ..Default::default() })
        .collect();
    vec![
        charts::batch("db-verdicts", lang.pick("审核结论（份）", "Verdicts (reports)"), counts, false),
        charts::batch("db-rates", lang.pick("公开率", "Disclosure rate"), rates, true),
        charts::batch("db-received", lang.pick("新收申请（件）", "New applications"), received, false),
    ]
}

/// Builds the dashboard's context.
pub fn context(batch: &[Audited], lang: Lang) -> DashboardContext {
    let verdicts = [Verdict::Consistent, Verdict::Inconsistent, Verdict::Incomplete, Verdict::Unreadable]
        .into_iter()
        .map(|v| VerdictCount { verdict: v, label: verdict_label(v, lang), count: batch.iter().filter(|a| a.verdict == v).count() })
        .collect();
    let title = match lang {
        Lang::Zh => format!("政府信息公开工作年度报告审核（{} 份）", batch.len()),
        Lang::En => format!("Audit of annual reports ({})", batch.len()),
    };
    DashboardContext {
        en: lang == Lang::En,
        title,
        metric_names: metrics::DEFS.iter().map(|d| d.name(lang)).collect(),
        metric_rates: metrics::DEFS.iter().map(|d| d.rate).collect(),
        reports: batch.iter().enumerate().map(|(i, a)| row(i, a, lang)).collect(),
        verdicts,
        charts: batch_charts(batch, lang),
        definitions: definitions(lang),
    }
}

/// Renders the dashboard page.
pub fn render(batch: &[Audited], env: &minijinja::Environment<'static>, lang: Lang) -> Result<String, Diagnostic> {
    render_template(env, "dashboard.html.j2", &context(batch, lang), lang)
}
