//! `reportgen audit`: published reports (or data files) read and checked, one summary
//! line per report with its verdict, then its findings, each at the place of the
//! published text where a person can see it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::audit::{Audited, Verdict, audit_bytes};
use reportgen::diag::{self, Format};
use reportgen::{Code, Lang};

use super::{DiagArgs, fail, shown};

/// Arguments of `reportgen audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Published reports (HTML, page text, Markdown, pdftotext output) or data files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Last year's report (published or a data file): adds the cross-year rules.
    #[arg(long, value_name = "LAST_YEAR")]
    pub previous: Option<PathBuf>,
    /// Output options for findings.
    #[command(flatten)]
    pub diag: DiagArgs,
}

/// The summary line of one audited report.
pub fn summary(a: &Audited, lang: Lang) -> String {
    let Some(r) = &a.report else {
        return format!("{}: {}", a.file, lang.pick("无法导入", "could not be imported"));
    };
    let (e, w) = (a.errors(), a.warnings());
    let unchecked = a.diagnostics.iter().filter(|d| d.code == Code::Unchecked).count();
    let who = format!("{} {}", r.meta.agency, r.meta.year);
    let verdict = match (a.verdict, lang) {
        (Verdict::Consistent, Lang::Zh) => {
            let mut v = "一致".to_string();
            if !a.unknown.is_empty() {
                v.push_str(&format!("（{} 格未读出，不影响任何检查）", a.unknown.len()));
            }
            if w > 0 {
                v.push_str(&format!("，{w} 个警告"));
            }
            v
        }
        (Verdict::Consistent, Lang::En) => {
            let mut v = "consistent".to_string();
            if !a.unknown.is_empty() {
                v.push_str(&format!(" ({} cell(s) unread, needed by no check)", a.unknown.len()));
            }
            format!("{v}, {w} warning(s)")
        }
        (Verdict::Inconsistent, Lang::Zh) => format!("{e} 个错误，{w} 个警告"),
        (Verdict::Inconsistent, Lang::En) => format!("{e} error(s), {w} warning(s)"),
        (Verdict::Incomplete, Lang::Zh) => {
            format!("未能完整读出：{} 格未读出，{unchecked} 项检查未能进行；已读出的部分没有发现错误", a.unknown.len())
        }
        (Verdict::Incomplete, Lang::En) => {
            format!("could not be fully read: {} cell(s) unread, {unchecked} check(s) not run; no error in what was read", a.unknown.len())
        }
        (Verdict::Unreadable, _) => lang.pick("无法导入", "could not be imported").to_string(),
    };
    match lang {
        Lang::Zh => format!("{}: {who}年 — {verdict}", a.file),
        Lang::En => format!("{}: {who} — {verdict}", a.file),
    }
}

/// The summary of one audited report as a JSON object.
pub fn summary_json(a: &Audited) -> serde_json::Value {
    serde_json::json!({
        "file": a.file,
        "agency": a.report.as_ref().map(|r| r.meta.agency.clone()),
        "year": a.report.as_ref().map(|r| r.meta.year),
        "verdict": a.verdict,
        "imported": a.report.is_some(),
        "errors": a.errors(),
        "warnings": a.warnings(),
        "unread_cells": a.unknown.len(),
        "unchecked": a.diagnostics.iter().filter(|d| d.code == Code::Unchecked).count(),
    })
}

/// The summary of one audited report as a GitHub workflow command (a notice on the
/// file), so `--format github` prints nothing but workflow commands.
pub fn summary_github(a: &Audited, lang: Lang) -> String {
    use reportgen::diag::ci::{escape_data, escape_property};
    format!("::notice file={},title={}::{}", escape_property(&a.file), escape_property("reportgen audit"), escape_data(&summary(a, lang)))
}

/// Runs `reportgen audit`.
pub fn run_audit(a: AuditArgs) -> ExitCode {
    let lang = a.diag.lang;
    let previous = match &a.previous {
        Some(p) => match std::fs::read(p) {
            Ok(bytes) => Some(audit_bytes(&shown(p), &bytes, None, lang)),
            Err(e) => return fail(format!("cannot read {}: {e}", p.display())),
        },
        None => None,
    };
    let prev = previous.as_ref().and_then(|p| p.report.as_ref().map(|r| reportgen::check::Previous { report: r, unknown: &p.unknown }));
    let mut any_error = false;
    let mut out = std::io::stdout().lock();
    // SARIF is one log for the run: findings are collected, summary lines go to stderr.
    let sarif = a.diag.format == Format::Sarif;
    let mut collected: Vec<(Vec<reportgen::Diagnostic>, String)> = Vec::new();
    for f in &a.files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => return fail(format!("cannot read {}: {e}", f.display())),
        };
        let audited = audit_bytes(&shown(f), &bytes, prev, lang);
        any_error |= audited.errors() > 0;
        let line = match a.diag.format {
            Format::Json => summary_json(&audited).to_string(),
            Format::Github => summary_github(&audited, lang),
            _ => summary(&audited, lang),
        };
        let shown_diags: Vec<_> = match a.diag.format {
            // Notes say what was done; the human and short views list what to look at.
            Format::Json => audited.diagnostics.clone(),
            _ => audited
                .diagnostics
                .iter()
                .filter(|d| d.severity != reportgen::Severity::Note || audited.verdict != Verdict::Consistent)
                .cloned()
                .collect(),
        };
        if sarif {
            eprintln!("{line}");
            collected.push((shown_diags, audited.source.text));
            continue;
        }
        let _ = writeln!(out, "{line}");
        let _ = write!(out, "{}", diag::render(&shown_diags, &audited.source.text, a.diag.format));
    }
    if sarif {
        let files: Vec<(&[reportgen::Diagnostic], &str)> = collected.iter().map(|(d, t)| (&d[..], t.as_str())).collect();
        let _ = write!(out, "{}", diag::render_sarif(&files, lang));
    }
    if any_error { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
