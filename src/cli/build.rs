//! `reportgen build`: data files (or folders of them) → documents, in parallel.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use rayon::prelude::*;

use reportgen::build::{build_file, BuildConfig, Built};
use reportgen::diag;
use reportgen::render::{OutputFormat, Templates};
use reportgen::Lang;

use super::{expand_inputs, fail, DiagArgs};

/// Arguments of `reportgen build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data files (or folders of *.yaml) to build.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// Formats to write, comma-separated (default: all).
    #[arg(short, long, value_enum, value_delimiter = ',')]
    pub formats: Vec<OutputFormat>,
    /// A folder whose files override the default templates by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Extra folders of fonts for the PDF (searched recursively).
    #[arg(long, value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
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
    if let Some(t) = &a.templates {
        if !t.is_dir() {
            return fail(format!("--templates {}: not a folder", t.display()));
        }
    }
    let mut formats = if a.formats.is_empty() { OutputFormat::ALL.to_vec() } else { a.formats.clone() };
    formats.sort();
    formats.dedup();
    let fonts = formats
        .contains(&OutputFormat::Pdf)
        .then(|| std::sync::Arc::new(reportgen::render::pdf::Fonts::load(&a.font_path, !a.ignore_system_fonts)));
    let cfg = BuildConfig {
        out_dir: a.output.clone(),
        formats,
        templates: Templates { dir: a.templates.clone() },
        lang: a.diag.lang,
        fonts,
    };
    let env = cfg.templates.environment();
    // Typesetting recurses deeply: give the workers the main thread's stack size and more.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(32 << 20).build_global();
    // Ctrl-C: finish the file being written, start no other, then exit 130.
    let _ = ctrlc::set_handler(|| reportgen::build::INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst));
    let bar = (std::io::stderr().is_terminal() && files.len() > 4).then(|| {
        let b = indicatif::ProgressBar::new(files.len() as u64);
        b.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}").unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()));
        b
    });
    let results: Vec<Built> = files
        .par_iter()
        .map(|f| {
            let b = build_file(f, &cfg, &env);
            if files.len() > 1 {
                reportgen::render::pdf::evict();
            }
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            b
        })
        .collect();
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

fn summary(n: usize, failed: usize, written: usize, out: &std::path::Path, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("构建 {n} 份报告：{} 份成功，{failed} 份失败；写入 {written} 个文件到 {}", n - failed, out.display()),
        Lang::En => format!("built {n} report(s): {} ok, {failed} failed; wrote {written} file(s) to {}", n - failed, out.display()),
    }
}
