//! `reportgen build`: data files (or folders of them, or a manifest, or one shard of
//! those) → documents, in parallel, each report's findings printed as it finishes.

use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::Lang;
use reportgen::batch::Layout;
use reportgen::build::{BuildConfig, build_file};
use reportgen::diag;
use reportgen::render::{OutputFormat, Templates};

use super::batch::{BatchArgs, check_collisions, eprint_above, progress};
use super::{DiagArgs, expand_inputs, fail};

/// Arguments of `reportgen build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data files (or folders of *.yaml) to build.
    #[arg(required_unless_present = "files_from")]
    pub files: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// Formats to write, comma-separated (default: every format but typst).
    #[arg(short, long, value_enum, value_delimiter = ',')]
    pub formats: Vec<OutputFormat>,
    /// A folder whose files override the default templates by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Extra folders of fonts for the PDF (searched recursively).
    #[arg(long, value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// A .docx whose styles, page setup, header and footer the DOCX output takes (as
    /// pandoc's --reference-doc); default: reference.docx in --templates DIR, else ours
    /// (`reportgen templates eject` writes it).
    #[arg(long, value_name = "FILE")]
    pub reference_docx: Option<PathBuf>,
    /// Use only the embedded fonts and --font-path, not the system's.
    #[arg(long)]
    pub ignore_system_fonts: bool,
    /// Output names: `flat` (OUT/<name>.*) or `tree` (OUT/<folders as given>/<name>.*,
    /// for inputs that share a name in different folders).
    #[arg(long, value_enum, default_value_t = Layout::Flat)]
    pub layout: Layout,
    /// Parallel jobs, manifest, shard.
    #[command(flatten)]
    pub batch: BatchArgs,
    /// Output options for findings.
    #[command(flatten)]
    pub diag: DiagArgs,
}

/// Runs `reportgen build`.
pub fn run(a: Args) -> ExitCode {
    let lang = a.diag.lang;
    let all = match a.batch.all_inputs(&a.files, expand_inputs) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    // On the whole list, before sharding: shards on other hosts see the same collisions.
    if let Err(e) = check_collisions(&all, a.layout, lang) {
        return fail(e);
    }
    let files = a.batch.share(all);
    if let Some(t) = &a.templates
        && !t.is_dir()
    {
        return fail(format!("--templates {}: not a folder", t.display()));
    }
    let mut formats = if a.formats.is_empty() { OutputFormat::ALL.to_vec() } else { a.formats.clone() };
    formats.sort();
    formats.dedup();
    let fonts = (formats.contains(&OutputFormat::Pdf) || formats.contains(&OutputFormat::Tujie))
        .then(|| std::sync::Arc::new(reportgen::render::pdf::Fonts::load(&a.font_path, !a.ignore_system_fonts)));
    let reference = match reference(&a, &formats) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let cfg = BuildConfig {
        out_dir: a.output.clone(),
        layout: a.layout,
        formats,
        templates: Templates { dir: a.templates.clone() },
        lang,
        fonts,
        reference,
        defer_sync: true,
    };
    let env = cfg.templates.environment();
    // Ctrl-C: finish the file being written, start no other, then exit 130.
    let _ = ctrlc::set_handler(|| reportgen::build::INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst));
    let bar = progress(files.len());
    let (mut failed, mut written) = (0, 0);
    // Each report is summarized on its worker thread (its findings rendered to text) and
    // only the summary crosses over: printed in input order, then dropped.
    let stopped = || reportgen::build::INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst);
    reportgen::batch::run_ordered(
        &files,
        a.batch.jobs(),
        |f| {
            let b = build_file(f, &cfg, &env);
            let not_started = stopped() && b.checked.source.text.is_empty();
            let text =
                if not_started { String::new() } else { diag::render(&b.checked.diagnostics, &b.checked.source.text, a.diag.format) };
            (text, b.failed() || not_started, b.outputs)
        },
        |_, (text, f, outputs)| {
            eprint_above(bar.as_ref(), &text);
            // Synced here, on the printing thread, while the workers render the next reports.
            let unsynced = reportgen::build::sync_outputs(&outputs, lang);
            if !unsynced.is_empty() {
                eprint_above(bar.as_ref(), &diag::render(&unsynced, "", a.diag.format));
            }
            failed += usize::from(f || !unsynced.is_empty());
            written += outputs.len() - unsynced.len();
            if let Some(bar) = &bar {
                bar.inc(1);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    eprintln!("{}", summary(files.len(), failed, written, &a.output, lang));
    if stopped() {
        eprintln!("{}", lang.pick("已中断：未开始的报告没有生成", "interrupted: reports not yet started were not built"));
        return ExitCode::from(130);
    }
    if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// The DOCX reference document: `--reference-docx`, else `reference.docx` in the
/// templates folder, else ours (`None`). A file that cannot be used stops the build.
fn reference(a: &Args, formats: &[OutputFormat]) -> Result<Option<std::sync::Arc<reportgen::render::docx::Reference>>, ExitCode> {
    let in_templates = a.templates.as_ref().map(|t| t.join("reference.docx")).filter(|p| p.is_file());
    let Some(path) = a.reference_docx.clone().or(in_templates) else { return Ok(None) };
    if !formats.contains(&OutputFormat::Docx) {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|e| fail(format!("--reference-docx {}: {e}", path.display())))?;
    let name = path.display().to_string();
    match reportgen::render::docx::Reference::from_docx(&name, &bytes, a.diag.lang) {
        Ok(r) => Ok(Some(std::sync::Arc::new(r))),
        Err(d) => {
            eprint!("{}", diag::render(&[d], "", a.diag.format));
            Err(ExitCode::from(2))
        }
    }
}

fn summary(n: usize, failed: usize, written: usize, out: &std::path::Path, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("构建 {n} 份报告：{} 份成功，{failed} 份失败；写入 {written} 个文件到 {}", n - failed, out.display()),
        Lang::En => format!("built {n} report(s): {} ok, {failed} failed; wrote {written} file(s) to {}", n - failed, out.display()),
    }
}
