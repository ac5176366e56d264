//! `reportgen compare LAST THIS …`: reports of consecutive years (data files or published
//! reports) → `<THIS stem>-compare.{html,md,pdf}`, and the comparison as JSON on request.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use reportgen::Lang;
use reportgen::audit::{self, Verdict};
use reportgen::compare::{self, Year};
use reportgen::diag::{self, Diagnostic};
use reportgen::render::Templates;
use reportgen::render::compare as doc;

use super::{fail, shown};

/// A format of the comparison document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum DocFormat {
    /// One self-contained HTML page.
    Html,
    /// CommonMark + GFM tables.
    Md,
    /// A4 PDF (embedded Typst).
    Pdf,
}

/// What to print on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrintFormat {
    /// A summary line per report.
    Human,
    /// The whole comparison (every cell, the metrics, the sentences) as one JSON document.
    Json,
}

/// Arguments of `reportgen compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The reports, oldest first: last year's, then this year's (more years for a
    /// multi-year view). Data files (.yaml) or published reports (anything `import` reads).
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// Formats to write, comma-separated (default: html,md,pdf).
    #[arg(short, long, value_enum, value_delimiter = ',')]
    pub formats: Vec<DocFormat>,
    /// What to print: human (a summary) or json (the comparison as data, on standard output).
    #[arg(long, value_enum, default_value_t = PrintFormat::Human)]
    pub format: PrintFormat,
    /// A folder whose files override the default templates by name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Extra folders of fonts for the PDF (searched recursively).
    #[arg(long, value_name = "DIR")]
    pub font_path: Vec<PathBuf>,
    /// Use only the embedded fonts and --font-path, not the system's.
    #[arg(long)]
    pub ignore_system_fonts: bool,
    /// Language of messages.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,
}

/// Reads one input as a year of the comparison, audited against the year before it (so
/// its verdict includes the cross-year rules): `Err` with the findings when it cannot be
/// read as a report at all.
fn read_year(
    path: &std::path::Path,
    before: Option<&audit::Audited>,
    lang: Lang,
) -> Result<Result<(Year, audit::Audited), Vec<Diagnostic>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = shown(path);
    let previous = before.and_then(|b| b.report.as_ref().map(|r| reportgen::check::Previous { report: r, unknown: &b.unknown }));
    let audited = audit::audit_bytes(&name, &bytes, previous, lang);
    // A data file's prose may cite figures ({{ … }}): compare the text as printed.
    let expanded =
        audit::is_data_file(&name).then(|| reportgen::check_bytes(&name, &bytes, &reportgen::Options { lang }).expanded).flatten();
    match Year::from_audited(&audited, expanded.as_ref()) {
        Some(y) => Ok(Ok((y, audited))),
        None => Ok(Err(audited.diagnostics)),
    }
}

/// Runs `reportgen compare`.
pub fn run(a: Args) -> ExitCode {
    let lang = a.lang;
    if let Some(t) = &a.templates
        && !t.is_dir()
    {
        return fail(format!("--templates {}: not a folder", t.display()));
    }
    let mut years = Vec::new();
    let mut audits: Vec<audit::Audited> = Vec::new();
    for f in &a.files {
        match read_year(f, audits.last(), lang) {
            Err(e) => return fail(e),
            Ok(Err(diags)) => {
                eprintln!("{}: {}", shown(f), lang.pick("无法作为年度报告读取", "cannot be read as an annual report"));
                eprint!("{}", diag::render(&diags, "", diag::Format::Short));
                return ExitCode::from(1);
            }
            Ok(Ok((y, au))) => {
                years.push(y);
                audits.push(au);
            }
        }
    }
    let cmp = match compare::compare(&years, lang) {
        Ok(c) => c,
        Err(e) => return fail(e.message(lang)),
    };
    let ctx = doc::context(&cmp, &years, lang);
    let mut formats = if a.formats.is_empty() { vec![DocFormat::Html, DocFormat::Md, DocFormat::Pdf] } else { a.formats.clone() };
    formats.sort();
    formats.dedup();
    let templates = Templates { dir: a.templates.clone() };
    let env = templates.environment();
    let stem = a.files.last().and_then(|p| p.file_stem()).map_or_else(|| "report".into(), |s| s.to_string_lossy().to_string());
    let mut rendered: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for f in &formats {
        let out = a.output.join(format!(
            "{stem}-compare.{}",
            match f {
                DocFormat::Html => "html",
                DocFormat::Md => "md",
                DocFormat::Pdf => "pdf",
            }
        ));
        let result = match f {
            DocFormat::Html => doc::render_template(&env, "compare.html.j2", &ctx, lang).map(String::into_bytes),
            DocFormat::Md => doc::render_template(&env, "compare.md.j2", &ctx, lang).map(String::into_bytes),
            DocFormat::Pdf => {
                let fonts = reportgen::render::pdf::Fonts::load(&a.font_path, !a.ignore_system_fonts);
                let (r, warnings) = doc::pdf(&ctx, &templates, &fonts, lang);
                problems.extend(warnings);
                r.map_err(|mut e| e.remove(0))
            }
        };
        match result {
            Ok(bytes) => rendered.push((out, bytes)),
            Err(d) => problems.push(d),
        }
    }
    eprint!("{}", diag::render(&problems, "", diag::Format::Short));
    if problems.iter().any(Diagnostic::is_error) {
        return ExitCode::from(1);
    }
    if let Err(e) = write_all(&a.output, &rendered) {
        return fail(e);
    }
    let mut stdout = std::io::stdout().lock();
    match a.format {
        PrintFormat::Json => {
            let mut v = cmp.to_json();
            if let Some(o) = v.as_object_mut() {
                o.insert("definitions".into(), serde_json::to_value(doc::definitions(lang)).unwrap_or_default());
            }
            let _ = writeln!(stdout, "{v}");
        }
        PrintFormat::Human => {
            for (y, au) in cmp.years.iter().zip(&audits) {
                let _ = writeln!(stdout, "{}", summary(y, au, lang));
            }
            let r = &cmp.latest().reuse;
            let _ = match lang {
                Lang::Zh => writeln!(stdout, "本年文字 {} 句，沿用上年 {} 句（{}）", r.total, r.reused, r.share_text),
                Lang::En => {
                    writeln!(stdout, "this year's prose: {} sentences, {} reused from last year ({})", r.total, r.reused, r.share_text)
                }
            };
        }
    }
    for (p, _) in &rendered {
        eprintln!("wrote {}", p.display());
    }
    ExitCode::SUCCESS
}

fn summary(y: &compare::YearInfo, au: &audit::Audited, lang: Lang) -> String {
    let verdict = doc::verdict_label(y.verdict, lang);
    let extra = if y.verdict == Verdict::Consistent {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!(
                "（{} 个错误，{} 个警告，{} 个数字未读出；详见 reportgen audit {}）",
                au.errors(),
                au.warnings(),
                y.unknown_cells,
                y.file
            ),
            Lang::En => format!(
                " ({} error(s), {} warning(s), {} cell(s) unknown; see reportgen audit {})",
                au.errors(),
                au.warnings(),
                y.unknown_cells,
                y.file
            ),
        }
    };
    match lang {
        Lang::Zh => format!("{}: {} {}年 — {verdict}{extra}", y.file, y.agency, y.year),
        Lang::En => format!("{}: {} {} — {verdict}{extra}", y.file, y.agency, y.year),
    }
}

/// Stages every output, then renames them all: a failure changes none of them.
fn write_all(dir: &std::path::Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut staged = Vec::new();
    for (p, bytes) in files {
        staged.push((p, reportgen::stage(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))?));
    }
    for (p, tmp) in staged {
        tmp.persist(p).map_err(|e| format!("cannot write {}: {}", p.display(), e.error))?;
    }
    Ok(())
}
