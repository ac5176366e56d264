//! reportgen: a YAML data file → a checked, standard-layout 政府信息公开工作年度报告.
//!
//! The pipeline (see DESIGN.md): [`load`] reads text into a tree with positions,
//! [`check`] validates it against the schema and the 勾稽关系 and yields a typed
//! [`model::Report`] with [`diag::Diagnostic`]s; renderers turn a checked report into
//! documents. Every stage returns data; only the binary prints.

pub mod check;
pub mod diag;
pub mod load;
pub mod model;
pub mod prose;

pub use check::{Checked, Options, check_bytes};
pub use diag::{Code, Diagnostic, Format, Lang, Severity};
pub use model::Report;
pub mod init;

/// Writes a file atomically: a temporary file in the same folder, then a rename, so a
/// reader (or a failed run) never sees a half-written file.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, synced, ready to be renamed over it
/// with `persist`. Dropped unpersisted, it is removed: writing several outputs as
/// "stage all, then persist all" changes none of them when any write fails.
pub fn stage(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".reportgen-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // Temporary files are private (0600); a report is meant to be read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    Ok(tmp)
}
pub mod audit;
pub mod batch;
pub mod build;
pub mod compare;
pub mod dashboard;
pub mod import;
pub mod metrics;
pub mod render;
pub mod serve;
