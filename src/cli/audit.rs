//! `reportgen audit FILES…`: each file read and checked by [`reportgen::audit::audit_bytes`]
//! (data files as they are, published reports imported first); a summary line per
//! report with its findings, or the metrics as data (`--format json`, `--format csv`),
//! and on request the dashboard page over the batch (`--html OUT.html`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::Lang;
use reportgen::audit::{Audited, audit_bytes};
use reportgen::diag::{self, Format};
use reportgen::metrics;
use reportgen::render::Templates;
use reportgen::render::compare::verdict_label;

use super::{fail, shown};

/// What `audit` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// A summary line per report, its findings with the source line.
    Human,
    /// A summary line per report, its findings as `file:line:col: severity[code]: message`.
    Short,
    /// A JSON object per report (verdict, metrics), then its findings, one per line.
    Json,
    /// The metrics table as CSV (UTF-8 with BOM, for Excel and WPS); findings are not printed.
    Csv,
}

/// Arguments of `reportgen audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Published reports (HTML, text, pdftotext output, our Markdown) or data files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// What to print: human, short, json, or csv (the metrics table).
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
    /// Also write the dashboard over the batch: one self-contained HTML page.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// A folder whose files override the default templates by name (dashboard.html.j2).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Language of messages.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

/// Runs `reportgen audit`.
pub fn run(a: Args) -> ExitCode {
    let lang = a.lang;
    let mut batch: Vec<Audited> = Vec::new();
    for f in &a.files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => return fail(format!("cannot read {}: {e}", f.display())),
        };
        batch.push(audit_bytes(&shown(f), &bytes, None, lang));
    }
    let any_error = batch.iter().any(|x| x.errors() > 0);
    let mut out = std::io::stdout().lock();
    match a.format {
        AuditFormat::Csv => {
            let all: Vec<Option<metrics::Metrics>> =
                batch.iter().map(|x| x.report.as_ref().map(|r| metrics::compute(r, &x.unknown))).collect();
            let lines: Vec<metrics::Line> = batch
                .iter()
                .zip(&all)
                .map(|(x, m)| metrics::Line {
                    file: &x.file,
                    agency: x.report.as_ref().map(|r| r.meta.agency.as_str()),
                    year: x.report.as_ref().map(|r| r.meta.year),
                    verdict: verdict_label(x.verdict, lang),
                    unknown_cells: x.unknown.len(),
                    metrics: m.as_ref(),
                })
                .collect();
            let _ = out.write_all(metrics::to_csv(&lines, lang).as_bytes());
        }
        format => {
            let dformat = match format {
                AuditFormat::Short => Format::Short,
                AuditFormat::Json => Format::Json,
                _ => Format::Human,
            };
            for x in &batch {
                let _ = writeln!(out, "{}", summary(x, dformat, lang));
                let _ = write!(out, "{}", diag::render(&x.diagnostics, &x.source.text, dformat));
            }
        }
    }
    if let Some(path) = &a.html {
        if let Some(t) = &a.templates
            && !t.is_dir()
        {
            return fail(format!("--templates {}: not a folder", t.display()));
        }
        let env = Templates { dir: a.templates.clone() }.environment();
        match reportgen::dashboard::render(&batch, &env, lang) {
            Ok(page) => {
                if let Err(e) = reportgen::write_atomic(path, page.as_bytes()) {
                    return fail(format!("cannot write {}: {e}", path.display()));
                }
                eprintln!("wrote {}", path.display());
            }
            Err(d) => {
                eprint!("{}", diag::render(&[d], "", Format::Short));
                return ExitCode::from(2);
            }
        }
    }
    if any_error { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// The summary line of one report.
fn summary(x: &Audited, format: Format, lang: Lang) -> String {
    let (errors, warnings) = (x.errors(), x.warnings());
    let r = x.report.as_ref();
    if format == Format::Json {
        return serde_json::json!({
            "file": x.file,
            "agency": r.map(|r| r.meta.agency.clone()),
            "year": r.map(|r| r.meta.year),
            "imported": r.is_some(),
            "verdict": x.verdict,
            "errors": errors,
            "warnings": warnings,
            "unknown_cells": x.unknown.len(),
            "metrics": r.map(|r| metrics::compute(r, &x.unknown).to_json()),
        })
        .to_string();
    }
    let verdict = verdict_label(x.verdict, lang);
    match (r, lang) {
        (Some(r), Lang::Zh) => format!("{}: {} {}年 — {verdict}：{errors} 个错误，{warnings} 个警告", x.file, r.meta.agency, r.meta.year),
        (Some(r), Lang::En) => {
            format!("{}: {} {} — {verdict}: {errors} error(s), {warnings} warning(s)", x.file, r.meta.agency, r.meta.year)
        }
        (None, _) => format!("{}: {}", x.file, lang.pick("无法读取", "could not be read")),
    }
}
