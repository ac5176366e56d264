//! `reportgen audit`: published reports (or data files) read and checked by
//! [`reportgen::audit::audit_bytes`], one summary line per report with its verdict, then
//! its findings, each at the place of the published text where a person can see it; or
//! the metrics as data (`--format json`, `--format csv`); and on request the dashboard
//! page over the batch (`--html OUT.html`). Reports are audited in parallel (`--jobs`),
//! from a manifest (`--files-from`) or one shard of it (`--shard`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::audit::{Audited, Verdict, audit_bytes};
use reportgen::diag::{self, Format};
use reportgen::render::Templates;
use reportgen::render::compare::verdict_label;
use reportgen::{Code, Lang, metrics};

use super::{fail, shown};

/// What `audit` prints on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// A summary line per report, its findings with the source line.
    Human,
    /// A summary line per report, its findings as `file:line:col: severity[code]: message`.
    Short,
    /// A JSON object per report (verdict, counts, metrics), then its findings, one per line.
    Json,
    /// The metrics table as CSV (UTF-8 with BOM, for Excel and WPS); findings are not printed.
    Csv,
    /// GitHub Actions workflow commands: each finding an annotation, each summary a notice.
    Github,
    /// One SARIF 2.1.0 log over all reports on stdout (summary lines on stderr).
    Sarif,
}

/// Arguments of `reportgen audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Published reports (HTML, page text, Markdown, pdftotext output) or data files.
    #[arg(required_unless_present = "files_from")]
    pub files: Vec<PathBuf>,
    /// Parallel jobs, manifest, shard.
    #[command(flatten)]
    pub batch: super::batch::BatchArgs,
    /// Last year's report (published or a data file): adds the cross-year rules.
    #[arg(long, value_name = "LAST_YEAR")]
    pub previous: Option<PathBuf>,
    /// What to print: human, short, json (a summary object per report with its metrics,
    /// then its findings), csv (the metrics table), github (workflow commands) or sarif.
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

/// The summary of one audited report as a JSON object, with its metrics (unknown
/// metrics as `null`, never 0).
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
        "metrics": a.report.as_ref().map(|r| metrics::compute(r, &a.unknown).to_json()),
    })
}

/// The summary of one audited report as a GitHub workflow command (a notice on the
/// file), so `--format github` prints nothing but workflow commands.
pub fn summary_github(a: &Audited, lang: Lang) -> String {
    use reportgen::diag::ci::{escape_data, escape_property};
    format!("::notice file={},title={}::{}", escape_property(&a.file), escape_property("reportgen audit"), escape_data(&summary(a, lang)))
}

/// The metrics table of the batch as CSV.
fn csv(batch: &[Audited], lang: Lang) -> String {
    let all: Vec<Option<metrics::Metrics>> = batch.iter().map(|x| x.report.as_ref().map(|r| metrics::compute(r, &x.unknown))).collect();
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
    metrics::to_csv(&lines, lang)
}

/// Runs `reportgen audit`.
pub fn run_audit(a: AuditArgs) -> ExitCode {
    let lang = a.lang;
    if let Some(t) = &a.templates
        && !t.is_dir()
    {
        return fail(format!("--templates {}: not a folder", t.display()));
    }
    let previous = match &a.previous {
        Some(p) => match std::fs::read(p) {
            Ok(bytes) => Some(audit_bytes(&shown(p), &bytes, None, lang)),
            Err(e) => return fail(format!("cannot read {}: {e}", p.display())),
        },
        None => None,
    };
    let prev = previous.as_ref().and_then(|p| p.report.as_ref().map(|r| reportgen::check::Previous { report: r, unknown: &p.unknown }));
    let files = match a.batch.all_inputs(&a.files, |p| Ok(p.to_vec())) {
        Ok(all) => a.batch.share(all),
        Err(e) => return fail(e),
    };
    let dformat = match a.format {
        AuditFormat::Short => Format::Short,
        AuditFormat::Json => Format::Json,
        AuditFormat::Github => Format::Github,
        AuditFormat::Sarif => Format::Sarif,
        _ => Format::Human,
    };
    // CSV, SARIF and the dashboard are over the whole batch, so they keep every result;
    // otherwise each report is printed as soon as it and those before it are done, then
    // dropped (memory stays flat however long the batch).
    let keep = matches!(a.format, AuditFormat::Csv | AuditFormat::Sarif) || a.html.is_some();
    let mut batch: Vec<Audited> = Vec::new();
    let (mut any_error, mut unreadable) = (false, None);
    let mut out = std::io::stdout().lock();
    let bar = super::batch::progress(files.len());
    reportgen::batch::run_ordered(
        &files,
        a.batch.jobs(),
        |f| {
            let bytes = std::fs::read(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
            Ok::<_, String>(audit_bytes(&shown(f), &bytes, prev, lang))
        },
        |_, r| {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            let x = match r {
                // An unreadable file stops the listing there, as a usage error.
                _ if unreadable.is_some() => return,
                Err(e) => {
                    unreadable = Some(e);
                    return;
                }
                Ok(x) => x,
            };
            any_error |= x.errors() > 0;
            let line = match dformat {
                Format::Json => summary_json(&x).to_string(),
                Format::Github => summary_github(&x, lang),
                _ => summary(&x, lang),
            };
            // SARIF is one log for the run: summary lines go to stderr, findings at the end.
            let text = match a.format {
                AuditFormat::Csv => String::new(),
                AuditFormat::Sarif => {
                    eprintln!("{line}");
                    String::new()
                }
                _ => format!("{line}\n{}", diag::render(&shown_diags(&x, dformat), &x.source.text, dformat)),
            };
            match &bar {
                Some(b) => b.suspend(|| out.write_all(text.as_bytes())),
                None => out.write_all(text.as_bytes()),
            }
            .ok();
            if keep {
                batch.push(x);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(e) = unreadable {
        return fail(e);
    }
    match a.format {
        AuditFormat::Csv => {
            let _ = out.write_all(csv(&batch, lang).as_bytes());
        }
        AuditFormat::Sarif => {
            let collected: Vec<(Vec<reportgen::Diagnostic>, &str)> =
                batch.iter().map(|x| (shown_diags(x, dformat), x.source.text.as_str())).collect();
            let files: Vec<(&[reportgen::Diagnostic], &str)> = collected.iter().map(|(d, t)| (&d[..], *t)).collect();
            let _ = write!(out, "{}", diag::render_sarif(&files, lang));
        }
        _ => {}
    }
    if let Some(path) = &a.html {
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

/// The findings shown for one report: notes say what was done, so the human and short
/// views list them only when the report is not simply consistent; JSON keeps them all.
fn shown_diags(x: &Audited, format: Format) -> Vec<reportgen::Diagnostic> {
    match format {
        Format::Json => x.diagnostics.clone(),
        _ => {
            x.diagnostics.iter().filter(|d| d.severity != reportgen::Severity::Note || x.verdict != Verdict::Consistent).cloned().collect()
        }
    }
}
