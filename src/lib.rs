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
    let tmp = stage_unsynced(path, bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// [`stage`] without the sync: the caller syncs the file once it is in place
/// ([`sync_file`]), off the threads that render (a batch build syncs each report's
/// outputs on the thread that prints its results, so rendering never waits for the disk).
pub fn stage_unsynced(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
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
    Ok(tmp)
}

/// Flushes a written file to the disk (an error here, e.g. a full network share that
/// reports it only now, is an error writing that file).
pub fn sync_file(path: &std::path::Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
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
