//! `reportgen init`: writes a complete skeleton (or prints it).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use reportgen::init::{Skeleton, skeleton};
use reportgen::model::Kind;

use super::fail;

/// Arguments of `reportgen init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 机关名称 (agency).
    #[arg(long, default_value = "某某县人民政府")]
    pub agency: String,
    /// 统计年度 (the year reported on); default: last year.
    #[arg(long)]
    pub year: Option<u16>,
    /// government (本级政府) or department (部门).
    #[arg(long, value_enum, default_value_t = KindArg::Department)]
    pub kind: KindArg,
    /// Write to this file (refused if it exists, unless --force); default: standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
}

/// `--kind` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    /// 本级人民政府.
    Government,
    /// 政府部门.
    Department,
}

/// The schema reference for the modeline: `schema/report.schema.json` in the nearest
/// ancestor folder that has one (relative to the output), else `report.schema.json`
/// beside the output; `None` when that file is missing and has to be written.
fn schema_ref(out: Option<&Path>) -> (String, bool) {
    let dir = out.and_then(Path::parent).filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let beside = dir.join("report.schema.json").is_file();
    if let Ok(abs) = std::fs::canonicalize(dir) {
        let mut up = String::new();
        for anc in abs.ancestors() {
            if anc.join("schema/report.schema.json").is_file() {
                return (format!("{up}schema/report.schema.json"), true);
            }
            up.push_str("../");
        }
    }
    ("report.schema.json".into(), beside)
}

/// Runs `reportgen init`.
pub fn run(a: Args) -> ExitCode {
    let year = a.year.unwrap_or_else(|| (reportgen::check::current_year() - 1) as u16);
    let kind = match a.kind {
        KindArg::Government => Kind::Government,
        KindArg::Department => Kind::Department,
    };
    let (schema_ref, exists) = schema_ref(a.output.as_deref());
    let text = skeleton(&Skeleton { agency: a.agency, year, kind, schema_ref });
    match a.output {
        None => {
            print!("{text}");
            if !exists {
                eprintln!(
                    "note: the first line points at report.schema.json: write it beside the file with `reportgen schema > report.schema.json`"
                );
            }
            ExitCode::SUCCESS
        }
        Some(p) => {
            if p.exists() && !a.force {
                return fail(format!("{} already exists (use --force to overwrite)", p.display()));
            }
            if !exists {
                // The modeline must point at a schema that exists, so editors can use it.
                let schema = p.with_file_name("report.schema.json");
                if let Err(e) = reportgen::write_atomic(&schema, reportgen::check::schema::schema_text().as_bytes()) {
                    return fail(format!("cannot write {}: {e}", schema.display()));
                }
                eprintln!("wrote {}", schema.display());
            }
            match reportgen::write_atomic(&p, text.as_bytes()) {
                Ok(()) => {
                    eprintln!("wrote {}", p.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(format!("cannot write {}: {e}", p.display())),
            }
        }
    }
}
