//! Command-line arguments (clap derive: the doc comments are the `--help` text) and
//! their dispatch, one file per subcommand. Library errors become exit codes here:
//! 0 success (warnings allowed), 1 findings in the data, 2 usage or I/O failure.

pub mod audit;
pub mod batch;
pub mod build;
pub mod check;
pub mod compare;
pub mod completions;
pub mod import;
pub mod init;
pub mod schema;
pub mod serve;
pub mod templates;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use reportgen::{Format, Lang};

/// Turns a YAML data file into a checked 政府信息公开工作年度报告 (HTML, Markdown, PDF, DOCX).
#[derive(Debug, Parser)]
#[command(name = "reportgen", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build documents from data files into an output folder: one <stem>.<ext> per format of
    /// --formats (all are listed under it; a Typst project folder with -f typst).
    Build(build::Args),
    /// Check data files: schema, 勾稽关系 and content rules, every finding at once.
    Check(check::Args),
    /// Turn a published report (PDF, .docx, HTML page, page text, pdftotext output) back into a data file.
    Import(import::ImportArgs),
    /// Read published reports (or data files) and check them: a verdict per report, findings under it;
    /// metrics as JSON or CSV, a dashboard page (--html).
    Audit(audit::AuditArgs),
    /// Compare reports of consecutive years: every cell, the cross-year rules, reused prose.
    Compare(compare::Args),
    /// Print the JSON Schema of the data file (for editors and CI).
    Schema(schema::Args),
    /// Write a complete data-file skeleton, every row present at 0.
    Init(init::Args),
    /// List or eject the templates.
    Templates(templates::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::Args),
    /// Print the manual page (roff), e.g. `reportgen man > reportgen.1`.
    Man,
    /// Build, serve on 127.0.0.1 and rebuild on every change, with live reload in the browser.
    #[command(visible_alias = "watch")]
    Serve(serve::Args),
}

/// Options shared by commands that report findings.
#[derive(Debug, Clone, clap::Args)]
pub struct DiagArgs {
    /// How to print findings: human (with the YAML line), short (file:line:col), json (one object per line),
    /// github (GitHub Actions annotations), sarif (one SARIF 2.1.0 log, for code scanning).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Language of messages.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Import(a) => import::run_import(a),
        Command::Audit(a) => audit::run_audit(a),
        Command::Compare(a) => compare::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Init(a) => init::run(a),
        Command::Templates(a) => templates::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man => completions::man(),
    }
}

/// Expands the command line's paths: a folder means its `*.yaml` / `*.yml` files, sorted.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && matches!(f.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(format!("{}: no .yaml files in this folder", p.display()));
            }
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A path as shown in messages.
pub fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Prints a usage or I/O error and returns exit code 2.
pub fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}
