//! `build`: data files → documents in an output folder. Each file is checked, rendered
//! into memory in every requested format, and only then written, each output atomically
//! (temporary file + rename): a failed build leaves earlier outputs untouched.

use std::path::{Path, PathBuf};

use crate::check::{self, Checked};
use crate::diag::{Code, Diagnostic, Lang};
use crate::render::{Context, OutputFormat, Templates, pdf};

/// How to build, resolved once from the command line.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    /// Output folder (created if needed).
    pub out_dir: PathBuf,
    /// How outputs are named in it.
    pub layout: crate::batch::Layout,
    /// Formats to write.
    pub formats: Vec<OutputFormat>,
    /// Template source.
    pub templates: Templates,
    /// Message language.
    pub lang: Lang,
    /// Fonts for the PDF (loaded once per batch; `None` when no PDF is built).
    pub fonts: Option<std::sync::Arc<crate::render::pdf::Fonts>>,
    /// The DOCX reference document (styles, page setup, header and footer); `None`: ours.
    pub reference: Option<std::sync::Arc<crate::render::docx::Reference>>,
    /// Leave the outputs unsynced: the caller syncs each of [`Built::outputs`] with
    /// [`sync_outputs`] (a batch does it on its printing thread, so the rendering threads
    /// never wait for the disk). `false`: each output is synced before it is renamed.
    pub defer_sync: bool,
}

/// What became of one input.
#[derive(Debug)]
pub struct Built {
    /// The check result (its source text renders the diagnostics).
    pub checked: Checked,
    /// Files written.
    pub outputs: Vec<PathBuf>,
}

impl Built {
    /// Whether this input failed (errors in data, templates or writing).
    pub fn failed(&self) -> bool {
        self.checked.has_errors()
    }
}

impl BuildConfig {
    /// The output of `input` in the format with extension `ext` (`typst` names the
    /// bundle folder `<name>-typst`). `None` when the layout cannot place the input.
    pub fn output(&self, input: &Path, ext: &str) -> Option<PathBuf> {
        self.output_named(input, &if ext == "typst" { "-typst".to_string() } else { format!(".{ext}") })
    }

    /// The output of `input` named `<name><suffix>` (e.g. `-tujie.pdf`), placed as
    /// [`BuildConfig::output`] places the others.
    pub fn output_named(&self, input: &Path, suffix: &str) -> Option<PathBuf> {
        let base = self.layout.base(input)?;
        let name = base.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        Some(self.out_dir.join(base.with_file_name(format!("{name}{suffix}"))))
    }
}

/// Set when the user interrupts (Ctrl-C): no new file is started and nothing more is
/// written, so an interrupted batch leaves whole outputs and no temporary files.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Builds one data file.
pub fn build_file(path: &Path, cfg: &BuildConfig, env: &minijinja::Environment<'static>) -> Built {
    let name = path.display().to_string();
    // A file not read at all: an empty check result carrying only the reason.
    let not_read = |d: Diagnostic| {
        let mut c = check::check_bytes(&name, b"", &check::Options { lang: cfg.lang });
        c.diagnostics = vec![d.in_file(&name)];
        Built { checked: c, outputs: Vec::new() }
    };
    if interrupted() {
        return not_read(Diagnostic::error(Code::Io, cfg.lang.pick("已中断", "interrupted")));
    }
    let mut checked = match std::fs::read(path) {
        Ok(bytes) => check::check_bytes(&name, &bytes, &check::Options { lang: cfg.lang }),
        Err(e) => return not_read(Diagnostic::error(Code::Io, format!("cannot read {name}: {e}"))),
    };
    if checked.has_errors() {
        return Built { checked, outputs: Vec::new() };
    }
    let Some(report) = checked.expanded.clone() else { return Built { checked, outputs: Vec::new() } };
    let ctx = Context::new(&report);
    let mut rendered = Vec::new();
    let mut bundle = false;
    for &f in &cfg.formats {
        let Some(out) = cfg.output(path, f.extension()) else {
            let c = crate::batch::Collision { output: PathBuf::new(), inputs: vec![path.to_path_buf()] };
            checked.diagnostics.push(Diagnostic::error(Code::Io, c.message(cfg.lang)).in_file(&name));
            return Built { checked, outputs: Vec::new() };
        };
        match f {
            OutputFormat::Html | OutputFormat::Markdown => match cfg.templates.render(env, f, &ctx, cfg.lang) {
                Ok(text) => rendered.push((out, text.into_bytes())),
                Err(d) => checked.diagnostics.push(d),
            },
            OutputFormat::Pdf => {
                let Some(fonts) = &cfg.fonts else { continue };
                let (result, warnings) = pdf::render(&ctx, &cfg.templates, fonts, &checked.source, cfg.lang);
                checked.diagnostics.extend(warnings);
                match result {
                    Ok(bytes) => rendered.push((out, bytes)),
                    Err(errs) => checked.diagnostics.extend(errs),
                }
            }
            OutputFormat::Docx => {
                let default = crate::render::docx::Reference::default();
                match crate::render::docx::render(&ctx, cfg.reference.as_deref().unwrap_or(&default)) {
                    Ok(bytes) => rendered.push((out, bytes)),
                    Err(d) => checked.diagnostics.push(d),
                }
            }
            OutputFormat::Typst => bundle = true,
            OutputFormat::Tujie => {
                let Some(fonts) = &cfg.fonts else { continue };
                let tctx = crate::render::tujie::context(&report, &checked.unknown, cfg.lang);
                let (result, warnings) = crate::render::tujie::render(&tctx, &cfg.templates, env, fonts, &checked.source, cfg.lang);
                checked.diagnostics.extend(warnings);
                match result {
                    Ok((html, pdf)) => {
                        for (suffix, bytes) in [("-tujie.html", html.into_bytes()), ("-tujie.pdf", pdf)] {
                            if let Some(p) = cfg.output_named(path, suffix) {
                                rendered.push((p, bytes));
                            }
                        }
                    }
                    Err(errs) => checked.diagnostics.extend(errs),
                }
            }
        }
    }
    if checked.has_errors() {
        return Built { checked, outputs: Vec::new() };
    }
    let input = path.canonicalize().ok();
    let mut outputs = Vec::new();
    let folder = rendered.first().and_then(|(out, _): &(PathBuf, _)| out.parent().map(Path::to_path_buf)).unwrap_or(cfg.out_dir.clone());
    if let Err(e) = std::fs::create_dir_all(&folder) {
        checked.diagnostics.push(io_error(&folder, &e, cfg.lang));
        return Built { checked, outputs };
    }
    for (out, _) in &rendered {
        if out.canonicalize().ok().is_some_and(|o| Some(o) == input) {
            let msg = match cfg.lang {
                Lang::Zh => format!("输出文件 {} 就是输入文件，已拒绝覆盖", out.display()),
                Lang::En => format!("the output {} is the input file; refusing to overwrite it", out.display()),
            };
            checked.diagnostics.push(Diagnostic::error(Code::Io, msg).in_file(&name));
            return Built { checked, outputs };
        }
    }
    // Stage every output first; only when all are on disk are they renamed into place,
    // so a full disk or an interruption changes none of the earlier outputs.
    let mut staged = Vec::new();
    for (out, bytes) in &rendered {
        if interrupted() {
            return Built { checked, outputs };
        }
        let staged_file = if cfg.defer_sync { crate::stage_unsynced(out, bytes) } else { crate::stage(out, bytes) };
        match staged_file {
            Ok(tmp) => staged.push((out.clone(), tmp)),
            Err(e) => {
                checked.diagnostics.push(io_error(out, &e, cfg.lang));
                return Built { checked, outputs };
            }
        }
    }
    for (out, tmp) in staged {
        match tmp.persist(&out) {
            Ok(_) => outputs.push(out),
            Err(e) => {
                checked.diagnostics.push(io_error(&out, &e.error, cfg.lang));
                return Built { checked, outputs };
            }
        }
    }
    if bundle && let Some(dir) = cfg.output(path, "typst") {
        match pdf::bundle(&ctx, &cfg.templates, &dir) {
            Ok(_) => outputs.push(dir),
            Err(e) => checked.diagnostics.push(io_error(&dir, &e, cfg.lang)),
        }
    }
    Built { checked, outputs }
}

/// Syncs outputs written with [`BuildConfig::defer_sync`]: one error per file that could
/// not be flushed to the disk.
pub fn sync_outputs(outputs: &[PathBuf], lang: Lang) -> Vec<Diagnostic> {
    outputs.iter().filter(|p| p.is_file()).filter_map(|p| crate::sync_file(p).err().map(|e| io_error(p, &e, lang))).collect()
}

fn io_error(path: &Path, e: &std::io::Error, lang: Lang) -> Diagnostic {
    let msg = match lang {
        Lang::Zh => format!("无法写入 {}：{e}", path.display()),
        Lang::En => format!("cannot write {}: {e}", path.display()),
    };
    Diagnostic::error(Code::Io, msg).hint(
        lang.pick("检查输出目录是否存在、可写，磁盘是否已满", "check that the output folder exists, is writable, and the disk is not full"),
    )
}
