//! `reportgen build`: data files (or folders of them) → documents, in parallel.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::Lang;
use reportgen::build::{BuildConfig, build_file};
use reportgen::diag;
use reportgen::render::{OutputFormat, Templates};

use super::{DiagArgs, expand_inputs, fail};

/// Arguments of `reportgen build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data files (or folders of *.yaml) to build.
    #[arg(required = true)]
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
    /// Output options for findings.
    #[command(flatten)]
    pub diag: DiagArgs,
}

/// Runs `reportgen build`.
pub fn run(a: Args) -> ExitCode {
    let files = match expand_inputs(&a.files) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
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
        formats,
        templates: Templates { dir: a.templates.clone() },
        lang: a.diag.lang,
        fonts,
        reference,
    };
    let env = cfg.templates.environment();
    // Ctrl-C: finish the file being written, start no other, then exit 130.
    let _ = ctrlc::set_handler(|| reportgen::build::INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst));
    let bar = (std::io::stderr().is_terminal() && files.len() > 4).then(|| {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let results = run_parallel(&files, |f| {
        let b = build_file(f, &cfg, &env);
        if files.len() > 1 {
            reportgen::render::pdf::evict();
        }
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        b
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (mut failed, mut written) = (0, 0);
    let stopped = reportgen::build::INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst);
    for b in &results {
        if stopped && b.checked.source.text.is_empty() {
            // Not started: counted in the summary, not listed one by one.
            failed += 1;
            continue;
        }
        let out = diag::render(&b.checked.diagnostics, &b.checked.source.text, a.diag.format);
        eprint!("{out}");
        if b.failed() {
            failed += 1;
        }
        written += b.outputs.len();
    }
    eprintln!("{}", summary(results.len(), failed, written, &a.output, a.diag.lang));
    if reportgen::build::INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        eprintln!("{}", a.diag.lang.pick("已中断：未开始的报告没有生成", "interrupted: reports not yet started were not built"));
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

/// Runs `job` over `items` on one thread per core (each with a large stack: typesetting
/// recurses deeply), results in input order. Plain scoped threads pulling from a shared
/// counter: measured against rayon's pool here, a batch of 200 reports used a tenth of the
/// memory (Typst's memo caches are evicted after each report either way).
fn run_parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() == 1 {
        return vec![job(&items[0])];
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(items.len()).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let results = std::sync::Mutex::new(&mut slots);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let _ = std::thread::Builder::new().stack_size(32 << 20).spawn_scoped(s, || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = job(item);
                    if let Ok(mut guard) = results.lock() {
                        guard[i] = Some(r);
                    }
                }
            });
        }
    });
    // A thread that could not be started leaves its items undone: do them here.
    slots.into_iter().enumerate().map(|(i, r)| r.unwrap_or_else(|| job(&items[i]))).collect()
}

fn summary(n: usize, failed: usize, written: usize, out: &std::path::Path, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("构建 {n} 份报告：{} 份成功，{failed} 份失败；写入 {written} 个文件到 {}", n - failed, out.display()),
        Lang::En => format!("built {n} report(s): {} ok, {failed} failed; wrote {written} file(s) to {}", n - failed, out.display()),
    }
}
