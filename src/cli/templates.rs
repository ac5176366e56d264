//! `reportgen templates`: list the templates, print the reference of their variables, or
//! eject the defaults for a designer.

use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::render::{Templates, templates};

use super::fail;

/// Arguments of `reportgen templates`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Cmd,
}

/// `templates` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Cmd {
    /// List the templates (and which ones DIR overrides).
    List {
        /// A designer's templates folder.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Print the reference of every template variable (Markdown; docs/templates.md is this output).
    Vars,
    /// Write the default templates into DIR, to edit and use with `build --templates DIR`.
    Eject {
        /// Target folder (created if needed).
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
}

/// Runs `reportgen templates`.
pub fn run(a: Args) -> ExitCode {
    match a.command {
        Cmd::List { templates } => {
            for (name, overridden) in (Templates { dir: templates }).list() {
                println!("{name}{}", if overridden { "  (overridden)" } else { "" });
            }
            ExitCode::SUCCESS
        }
        Cmd::Vars => {
            print!("{}", reportgen::render::vars::reference());
            ExitCode::SUCCESS
        }
        Cmd::Eject { dir, force } => match templates::eject(&dir, force) {
            Ok(files) => {
                for f in &files {
                    println!("{}", f.display());
                }
                eprintln!("wrote {} templates to {}; build with --templates {}", files.len(), dir.display(), dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
    }
}
