//! `reportgen schema`: the JSON Schema generated from the model's types.

use std::io::Write;
use std::process::ExitCode;

/// Arguments of `reportgen schema`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Prints the schema to standard output.
pub fn run(_: Args) -> ExitCode {
    let text = reportgen::check::schema::schema_text();
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}
