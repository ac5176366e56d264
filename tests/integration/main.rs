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

/// Debian's headless Chromium, when this machine has it.
pub fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// A headless Chromium run with our flags (no sandbox, no network chatter, a profile of
/// its own in `profile`); callers add what to do (`--dump-dom`, `--print-to-pdf=…`, a page).
pub fn headless(chrome: &str, profile: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(chrome);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}
