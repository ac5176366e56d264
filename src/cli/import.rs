//! `reportgen import`: a published report → a data file (`audit` is in `audit.rs`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reportgen::diag::{self, Diagnostic};
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
