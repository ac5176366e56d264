//! `reportgen import` (a published report → data file) and `reportgen audit` (import
//! + check, a summary line per report).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reportgen::diag::{self, Diagnostic, Format};
use reportgen::import::{Imported, import_bytes, yaml};
use reportgen::{Lang, check};

use super::{DiagArgs, fail, shown};

/// Arguments of `reportgen import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The published report: its HTML page, its text, or `pdftotext -layout` output.
    pub file: PathBuf,
    /// Write the data file here (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output options for findings.
    #[command(flatten)]
    pub diag: DiagArgs,
}

/// Arguments of `reportgen audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Published reports (HTML, text).
    #[arg(required_unless_present = "files_from")]
    pub files: Vec<PathBuf>,
    /// Parallel jobs, manifest, shard.
    #[command(flatten)]
    pub batch: super::batch::BatchArgs,
    /// Output options for findings.
    #[command(flatten)]
    pub diag: DiagArgs,
}

fn read(path: &Path, lang: Lang) -> Result<Result<Imported, Vec<Diagnostic>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(import_bytes(&shown(path), &bytes, lang))
}

/// The imported report's data file, and the findings of `check` on it.
fn to_yaml(imp: &Imported, lang: Lang) -> (String, Vec<Diagnostic>) {
    let note = match lang {
        Lang::Zh => format!("由 reportgen import 从 {} 导入；数字按原文（所载总计保留为 total）。", imp.source.name),
        Lang::En => format!("imported by reportgen import from {}; figures as printed (stated totals kept as total).", imp.source.name),
    };
    let text = yaml::emit(&imp.report, "report.schema.json", &note);
    let checked = check::check_bytes(&imp.source.name, text.as_bytes(), &check::Options { lang });
    // The findings are about the published report: no position in the generated file.
    let findings = checked
        .diagnostics
        .into_iter()
        .map(|mut d| {
            d.span = None;
            d
        })
        .collect();
    (text, findings)
}

/// Runs `reportgen import`.
pub fn run_import(a: ImportArgs) -> ExitCode {
    let lang = a.diag.lang;
    let imp = match read(&a.file, lang) {
        Ok(Ok(i)) => i,
        Ok(Err(diags)) => {
            eprint!("{}", diag::render(&diags, "", a.diag.format));
            return ExitCode::from(1);
        }
        Err(e) => return fail(e),
    };
    let (text, findings) = to_yaml(&imp, lang);
    eprint!("{}", diag::render(&imp.diagnostics, &imp.source.text, a.diag.format));
    let schema_errors: Vec<&Diagnostic> =
        findings.iter().filter(|d| d.code == reportgen::Code::Schema || d.code == reportgen::Code::Syntax).collect();
    if !schema_errors.is_empty() {
        // Never write a file that does not validate.
        eprint!("{}", diag::render(&findings, "", a.diag.format));
        return ExitCode::from(1);
    }
    match &a.output {
        Some(p) => {
            if let Err(e) = reportgen::write_atomic(p, text.as_bytes()) {
                return fail(format!("cannot write {}: {e}", p.display()));
            }
            eprintln!("wrote {}", p.display());
        }
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    if imp.diagnostics.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// One report's audit: its summary line and findings as text, and whether it has errors.
fn audit_one(f: &Path, a: &AuditArgs) -> Result<(String, bool), String> {
    let lang = a.diag.lang;
    let (summary, diags, text) = match read(f, lang) {
        Err(e) => return Err(e),
        Ok(Err(d)) => (None, d, String::new()),
        Ok(Ok(imp)) => {
            let (_, findings) = to_yaml(&imp, lang);
            let mut all = imp.diagnostics.clone();
            all.extend(findings);
            (Some(imp.report), all, imp.source.text)
        }
    };
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let line = match (&summary, a.diag.format) {
        (_, Format::Json) => serde_json::json!({
            "file": shown(f),
            "agency": summary.as_ref().map(|r| r.meta.agency.clone()),
            "year": summary.as_ref().map(|r| r.meta.year),
            "imported": summary.is_some(),
            "errors": errors,
            "warnings": warnings,
        })
        .to_string(),
        (Some(r), _) => match lang {
            Lang::Zh => format!("{}: {} {}年 — {errors} 个错误，{warnings} 个警告", shown(f), r.meta.agency, r.meta.year),
            Lang::En => format!("{}: {} {} — {errors} error(s), {warnings} warning(s)", shown(f), r.meta.agency, r.meta.year),
        },
        (None, _) => format!("{}: {}", shown(f), lang.pick("无法导入", "could not be imported")),
    };
    Ok((format!("{line}\n{}", diag::render(&diags, &text, a.diag.format)), errors > 0))
}

/// Runs `reportgen audit`: the reports in parallel, each printed as it finishes (in
/// input order) and dropped.
pub fn run_audit(a: AuditArgs) -> ExitCode {
    let files = match a.batch.all_inputs(&a.files, |p| Ok(p.to_vec())) {
        Ok(all) => a.batch.share(all),
        Err(e) => return fail(e),
    };
    let mut any_error = false;
    let mut unreadable = None;
    let mut out = std::io::stdout().lock();
    let bar = super::batch::progress(files.len());
    reportgen::batch::run_ordered(
        &files,
        a.batch.jobs(),
        |f| audit_one(f, &a),
        |_, r| {
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            match r {
                // An unreadable file stops the listing there, as a usage error.
                _ if unreadable.is_some() => {}
                Err(e) => unreadable = Some(e),
                Ok((text, errors)) => {
                    any_error |= errors;
                    match &bar {
                        Some(b) => b.suspend(|| out.write_all(text.as_bytes())),
                        None => out.write_all(text.as_bytes()),
                    }
                    .ok();
                }
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(e) = unreadable {
        return fail(e);
    }
    if any_error { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
