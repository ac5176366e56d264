//! `reportgen check`: every finding of every file, in the chosen format.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::diag;
use reportgen::{Checked, Lang, check};

use super::{DiagArgs, expand_inputs, fail, shown};

/// Arguments of `reportgen check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data files (or folders of *.yaml) to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Last year's data file: enables the cross-year rules A-in-force and B-carry.
    #[arg(long, value_name = "LAST_YEAR.yaml")]
    pub previous: Option<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub diag: DiagArgs,
}

/// Reads and checks one file; `Err` only when the file cannot be read at all.
pub fn load(path: &std::path::Path, lang: Lang) -> Result<Checked, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(check::check_bytes(&shown(path), &bytes, &check::Options { lang }))
}

/// Runs `reportgen check`.
pub fn run(args: Args) -> ExitCode {
    let lang = args.diag.lang;
    let files = match expand_inputs(&args.files) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let mut checked = Vec::new();
    for f in &files {
        match load(f, lang) {
            Ok(c) => checked.push(c),
            Err(e) => return fail(e),
        }
    }
    let mut previous_out: Option<Checked> = None;
    if let Some(p) = &args.previous {
        match load(p, lang) {
            Ok(prev) => {
                if let Some(prev_report) = &prev.report {
                    for c in &mut checked {
                        let extra = check::check_previous(c, check::Previous { report: prev_report, unknown: &prev.unknown }, lang);
                        c.diagnostics.extend(extra);
                    }
                }
                if prev.has_errors() {
                    previous_out = Some(prev);
                }
            }
            Err(e) => return fail(e),
        }
    }
    let mut stdout = std::io::stdout().lock();
    let (mut errors, mut warnings) = (0, 0);
    let all: Vec<&Checked> = checked.iter().chain(previous_out.iter()).collect();
    if args.diag.format == reportgen::Format::Sarif {
        // One log for the whole run.
        let files: Vec<(&[reportgen::Diagnostic], &str)> = all.iter().map(|c| (&c.diagnostics[..], c.source.text.as_str())).collect();
        let _ = stdout.write_all(diag::render_sarif(&files, lang).as_bytes());
    }
    for c in all {
        errors += c.diagnostics.iter().filter(|d| d.is_error()).count();
        warnings += c.diagnostics.iter().filter(|d| !d.is_error()).count();
        if args.diag.format == reportgen::Format::Sarif {
            continue;
        }
        let out = diag::render(&c.diagnostics, &c.source.text, args.diag.format);
        if stdout.write_all(out.as_bytes()).is_err() {
            // A closed pipe (`| head`) is a normal end.
            break;
        }
    }
    let _ = stdout.flush();
    if args.diag.format == reportgen::Format::Human {
        eprintln!("{}", summary(files.len(), errors, warnings, lang));
    }
    if errors > 0 || previous_out.is_some() { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn summary(files: usize, errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告"),
        Lang::En => format!("checked {files} file(s): {errors} error(s), {warnings} warning(s)"),
    }
}
