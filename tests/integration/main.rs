//! The one integration-test binary: a module per feature.

mod browser;
mod chart;
mod check;
mod ci;
mod cli;
mod compare;
mod corpus;
mod dashboard;
mod docx;
mod docx_import;
mod docx_tables;
mod flatten;
mod fonts;
mod hardening;
mod import;
mod pdf;
mod pdf_import;
mod pdf_tables;
mod render;
mod scale;
mod schema;
mod serve;
mod solver;
mod tooling;
mod tujie;

use std::path::{Path, PathBuf};

/// The crate's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's path under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Checks a file through the library, naming it by its file name only (stable snapshots).
pub fn check_file(path: &Path, lang: reportgen::Lang) -> reportgen::Checked {
    let bytes = std::fs::read(path).expect("fixture readable");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    reportgen::check_bytes(&name, &bytes, &reportgen::Options { lang })
}

/// The `reportgen` binary under test.
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("reportgen").expect("binary built");
    cmd.current_dir(root());
    cmd
}
