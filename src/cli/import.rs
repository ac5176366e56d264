//! `reportgen import`: a published report → a data file, unknown cells marked `unread`
//! with the place of the source beside them, so a person fills them in before `check`
//! passes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reportgen::diag::{self, Diagnostic};
use reportgen::import::{Imported, import_bytes, yaml};
use reportgen::{Code, Lang, check};

use super::{DiagArgs, fail, shown};

/// Arguments of `reportgen import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The published report: its HTML page, its text (as a browser or crawler flattens
    /// it), Markdown, or `pdftotext -layout` output.
    pub file: PathBuf,
    /// Write the data file here (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output options for findings.
    #[command(flatten)]
    pub diag: DiagArgs,
}

/// Reads a published report from a file.
pub fn read(path: &Path, lang: Lang) -> Result<Result<Imported, Vec<Diagnostic>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(import_bytes(&shown(path), &bytes, lang))
}

/// Where a person finds a cell in the source, for the comment beside an `unread` cell.
pub fn place_of(imp: &Imported, pointer: &str) -> Option<String> {
    let mut p = pointer;
    let span = loop {
        if let Some(s) = imp.positions.get(p) {
            break s.clone();
        }
        p = p.rsplit_once('/').map(|(a, _)| a).filter(|a| !a.is_empty())?;
    };
    let at = match reportgen::import::place(&imp.places, &imp.source.text, span.start) {
        Some(page) if !page.is_empty() => format!("第 {page} 页"),
        Some(_) => reportgen::model::labels::describe(pointer),
        None => {
            let (l, c) = diag::line_col(&imp.source.text, span.start);
            format!("{l}:{c}")
        }
    };
    Some(format!("{}:{at}", imp.source.name))
}

/// The imported report's data file.
pub fn to_yaml(imp: &Imported, lang: Lang) -> String {
    let note = match lang {
        Lang::Zh => format!(
            "由 reportgen import 从 {} 导入；数字按原文（所载总计保留为 total）。写作 unread 的格未能从原文读出：请对照原文填写。",
            imp.source.name
        ),
        Lang::En => format!(
            "imported by reportgen import from {}; figures as printed (stated totals kept as total). Cells written unread could not be read from the source: fill them in.",
            imp.source.name
        ),
    };
    let place = |p: &str| place_of(imp, p);
    yaml::emit_marked(&imp.report, &yaml::Marks { unknown: &imp.unknown, place: &place }, "report.schema.json", &note)
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
    let text = to_yaml(&imp, lang);
    eprint!("{}", diag::render(&imp.diagnostics, &imp.source.text, a.diag.format));
    // Never write a file that does not parse or does not match the schema.
    let checked = check::check_bytes(&imp.source.name, text.as_bytes(), &check::Options { lang });
    let broken: Vec<Diagnostic> = checked
        .diagnostics
        .into_iter()
        .filter(|d| matches!(d.code, Code::Schema | Code::Syntax))
        .map(|d| Diagnostic { span: None, ..d })
        .collect();
    if !broken.is_empty() {
        eprint!("{}", diag::render(&broken, "", a.diag.format));
        return ExitCode::from(1);
    }
    match &a.output {
        Some(p) => {
            if let Err(e) = reportgen::write_atomic(p, text.as_bytes()) {
                return fail(format!("cannot write {}: {e}", p.display()));
            }
            let n = imp.unknown.len();
            let msg = match (lang, n) {
                (_, 0) => format!("wrote {}", p.display()),
                (Lang::Zh, n) => {
                    format!("已写入 {}：{n} 格未能从原文读出，写作 unread；对照原文填好后运行 reportgen check {}", p.display(), p.display())
                }
                (Lang::En, n) => format!(
                    "wrote {}: {n} cell(s) could not be read and are written `unread`; fill them in, then run reportgen check {}",
                    p.display(),
                    p.display()
                ),
            };
            eprintln!("{msg}");
        }
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    if imp.diagnostics.iter().any(Diagnostic::is_error) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
