//! PDF through the Typst compiler, embedded as a library.
//!
//! The World is a sandbox: the main file and the report data (JSON) are in memory; the
//! template files come from the designer's folder (confined to it) or the defaults
//! compiled into the binary; fonts are the embedded subsets, `--font-path` folders and,
//! optionally, the system's. Nothing else can be read, packages cannot be loaded, and
//! the date is fixed (from `meta.published`, else `SOURCE_DATE_EPOCH`), so the same
//! input gives the same bytes. Author text reaches Typst only as JSON data.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::{FontPath, FontStore};
use typst_layout::PagedDocument;

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::Source as DataSource;

use super::Context;
use super::templates::Templates;

/// The embedded fonts (OFL, see assets/fonts/OFL.txt and OFL-LXGWWenKai.txt), each subset to
/// GB 2312, the 通用规范汉字表 and punctuation (`scripts/subset-fonts.py`).
pub const EMBEDDED_FONTS: &[(&str, &[u8])] = &[
    ("NotoSerifCJKsc-Regular.otf", include_bytes!("../../assets/fonts/NotoSerifCJKsc-Regular.otf")),
    ("NotoSerifCJKsc-Bold.otf", include_bytes!("../../assets/fonts/NotoSerifCJKsc-Bold.otf")),
    ("NotoSansCJKsc-Regular.otf", include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf")),
    ("NotoSansCJKsc-Bold.otf", include_bytes!("../../assets/fonts/NotoSansCJKsc-Bold.otf")),
    ("LXGWWenKai-Regular.ttf", include_bytes!("../../assets/fonts/LXGWWenKai-Regular.ttf")),
];

/// The licence files of [`EMBEDDED_FONTS`], by name.
pub const FONT_LICENCES: &[(&str, &[u8])] = &[
    ("OFL.txt", include_bytes!("../../assets/fonts/OFL.txt")),
    ("OFL-LXGWWenKai.txt", include_bytes!("../../assets/fonts/OFL-LXGWWenKai.txt")),
];

/// The embedded fonts' metadata (family, variant, glyph coverage), computed once by
/// [`embedded_font_info`] and committed: computing it at every start would cost more than
/// typesetting a report. A test fails when it is stale.
pub const EMBEDDED_FONT_INFO: &str = include_str!("../../assets/fonts/fontinfo.json");

/// Computes [`EMBEDDED_FONT_INFO`]'s content from the font files.
pub fn embedded_font_info() -> String {
    let infos: Vec<typst::text::FontInfo> =
        EMBEDDED_FONTS.iter().flat_map(|(_, data)| Font::iter(Bytes::new(*data)).map(|f| f.info().clone())).collect();
    serde_json::to_string(&infos).unwrap_or_default() + "\n"
}

/// An embedded face, parsed only when the document uses it.
struct Embedded(&'static [u8]);

impl typst_kit::fonts::FontSource for Embedded {
    fn load(&self) -> Option<Font> {
        Font::new(Bytes::new(self.0), 0)
    }
}

/// The Typst template files of the report, by name (the defaults are in `templates/`).
pub const TYPST_FILES: &[&str] = &["report.typ"];

/// Every Typst template a document may load: the report's, the comparison's, the 图解's.
pub const ALL_TYPST_FILES: &[&str] = &["report.typ", "compare.typ", "tujie.typ"];

/// Loaded fonts, shared by every report of a batch.
pub struct Fonts {
    store: FontStore,
    /// The code points some face covers, as sorted ranges, built on first use.
    covered: OnceLock<Vec<(u32, u32)>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({} faces)", self.count())
    }
}

impl Fonts {
    /// The embedded fonts, then those in `dirs`, then (with `system`) installed fonts.
    /// Installed copies of the embedded families are skipped, so the output does not
    /// depend on whether a machine happens to have Noto CJK installed.
    pub fn load(dirs: &[PathBuf], system: bool) -> Fonts {
        let mut store = FontStore::new();
        let mut embedded_families = Vec::new();
        let infos: Vec<typst::text::FontInfo> = serde_json::from_str(EMBEDDED_FONT_INFO).unwrap_or_default();
        if infos.len() == EMBEDDED_FONTS.len() {
            for ((_, data), info) in EMBEDDED_FONTS.iter().zip(infos) {
                embedded_families.push(info.family.clone());
                store.push((Embedded(data), info));
            }
        } else {
            // A stale cache: compute the metadata (slower, same result).
            for (_, data) in EMBEDDED_FONTS {
                for font in Font::iter(Bytes::new(*data)) {
                    let info = font.info().clone();
                    embedded_families.push(info.family.clone());
                    store.push((font, info));
                }
            }
        }
        for d in dirs {
            let mut db = fontdb::Database::new();
            db.load_fonts_dir(d);
            for (path, index, info) in scan(&db, &embedded_families) {
                store.push((FontPath { path, index }, info));
            }
        }
        if system {
            for (path, index, info) in system_fonts(&embedded_families) {
                store.push((FontPath { path, index }, info));
            }
        }
        Fonts { store, covered: OnceLock::new() }
    }
}

/// The faces of a font database worth offering to Typst, with their metadata.
fn scan(db: &fontdb::Database, embedded_families: &[String]) -> Vec<(PathBuf, u32, typst::text::FontInfo)> {
    let mut out = Vec::new();
    {
        for face in db.faces() {
            let family = face.families.first().map(|f| f.0.as_str()).unwrap_or("");
            // Installed copies of our own faces, and the Japanese, Korean and Traditional
            // variants of CJK collections, are skipped before their (costly) glyph
            // coverage is computed: a report never asks for them.
            let variant = [" JP", " KR", " TC", " HK"].iter().any(|v| family.ends_with(v) || family.contains(&format!("{v} ")));
            if variant || embedded_families.iter().any(|e| e == family) {
                continue;
            }
            let path = match &face.source {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                fontdb::Source::Binary(_) => continue,
            };
            let Some(info) = db.with_face_data(face.id, typst::text::FontInfo::new).flatten() else { continue };
            if embedded_families.contains(&info.family) {
                continue;
            }
            out.push((path, face.index, info));
        }
    }
    out
}

/// Installed fonts. Scanning them costs more than typesetting a report, so the result is
/// cached (as fontconfig does) in the user's cache folder, keyed by every font file's
/// path, size and modification time; any change rescans. A cache that cannot be read
/// or written is simply not used.
fn system_fonts(embedded_families: &[String]) -> Vec<(PathBuf, u32, typst::text::FontInfo)> {
    type Entry = (PathBuf, u32, typst::text::FontInfo);
    let mut dirs: Vec<PathBuf> = vec!["/usr/share/fonts".into(), "/usr/local/share/fonts".into()];
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        dirs.push(home.join(".fonts"));
        dirs.push(home.join(".local/share/fonts"));
    }
    let mut files = Vec::new();
    for d in &dirs {
        list_fonts(d, 0, &mut files);
    }
    files.sort();
    let listing: Vec<String> = files.iter().map(|(p, n, t)| format!("{}:{n}:{t}", p.display())).collect();
    let key = format!("v1 {} {}", embedded_families.join(","), listing.join("|"));
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|c| c.join("reportgen").join("system-fonts.json"));
    if let Some(c) = &cache
        && let Ok(text) = std::fs::read_to_string(c)
        && let Ok((k, entries)) = serde_json::from_str::<(String, Vec<Entry>)>(&text)
        && k == key
    {
        return entries;
    }
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let entries = scan(&db, embedded_families);
    if let Some(c) = &cache
        && let (Some(dir), Ok(json)) = (c.parent(), serde_json::to_string(&(key, &entries)))
    {
        let _ = std::fs::create_dir_all(dir).and_then(|_| crate::write_atomic(c, json.as_bytes()));
    }
    entries
}

/// Font files under `dir` with their size and modification time (seconds).
fn list_fonts(dir: &Path, depth: usize, out: &mut Vec<(PathBuf, u64, u64)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(meta) = std::fs::metadata(&p) else { continue };
        if meta.is_dir() && depth < 8 {
            list_fonts(&p, depth + 1, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase).as_deref(),
            Some("ttf" | "otf" | "ttc" | "otc")
        ) {
            let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
            out.push((p, meta.len(), mtime));
        }
    }
}

impl Fonts {
    /// Number of font faces.
    pub fn count(&self) -> usize {
        (0..).take_while(|&i| self.store.book().info(i).is_some()).count()
    }

    /// Whether any face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        let covered = self.covered.get_or_init(|| {
            // A coverage is run-length encoded (alternating gaps and runs); its serialized
            // form is that list, which turns into ranges without visiting every glyph.
            let book = self.store.book();
            let mut ranges = Vec::new();
            for info in (0..).map_while(|i| book.info(i)) {
                let runs: Vec<u32> =
                    serde_json::to_value(&info.coverage).ok().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
                let mut at = 0u32;
                for pair in runs.chunks(2) {
                    at = at.saturating_add(pair[0]);
                    let len = pair.get(1).copied().unwrap_or(0);
                    ranges.push((at, at.saturating_add(len)));
                    at = at.saturating_add(len);
                }
            }
            ranges.sort_unstable();
            // Merge into disjoint ranges, so one binary search answers.
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
            for (start, end) in ranges {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            merged
        });
        let c = c as u32;
        let i = covered.partition_point(|&(start, _)| start <= c);
        i > 0 && c < covered[i - 1].1
    }
}

fn library() -> &'static LazyHash<Library> {
    static LIB: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIB.get_or_init(|| LazyHash::new(Library::builder().build()))
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

const MAIN: &str = "#import \"/report.typ\": report\n#report(json(\"/data.json\"))\n";

/// The bundle's `main.typ`: [`MAIN`] plus the PDF metadata that [`document_info`] sets
/// for reportgen's own PDFs, as a set rule, so the Typst CLI writes the same metadata.
/// reportgen does not compile this rule itself: a `set document` with the report's title
/// is a style of everything in the document, and a style that differs between reports
/// makes every layout result of one report useless to the next (measured: a batch does
/// 3.6 times the work per report with it).
const BUNDLE_MAIN: &str = r#"// The PDF metadata, as reportgen sets it.
#let data = json("/data.json")
#set document(
  title: data.title,
  author: data.agency,
  keywords: ("政府信息公开", "年度报告", str(data.year)),
  date: if "date" in data { datetime(year: data.date.year, month: data.date.month, day: data.date.day) } else { none },
)
#import "/report.typ": report
#report(data)
"#;

/// The PDF's metadata (title, author, keywords, date) from the report's data, wherever
/// the template left it unset (a designer's template may still `set document` itself).
/// Only for the report: the other documents (图解, comparisons) set their own.
fn document_info(info: &mut typst::model::DocumentInfo, data: &serde_json::Value, date: Option<Datetime>) {
    let text = |k: &str| data.get(k).and_then(|v| v.as_str()).filter(|s| !s.is_empty());
    if info.title.is_none()
        && let Some(t) = text("title")
    {
        info.title = Some(t.into());
    }
    if info.author.is_empty()
        && let Some(a) = text("agency")
    {
        info.author = vec![a.into()];
    }
    if info.keywords.is_empty() {
        let year = data.get("year").map(|y| y.as_str().map_or_else(|| y.to_string(), str::to_string)).unwrap_or_default();
        info.keywords = vec!["政府信息公开".into(), "年度报告".into(), year.into()];
    }
    if info.date.is_auto() {
        info.date = Smart::Custom(date);
    }
}

/// A template file, parsed: the last parse of each file is kept and reused while its
/// text is unchanged (every report of a batch, every rebuild of `serve` until the
/// designer saves a change), so a template is parsed once, not once per report.
fn parsed(id: FileId, text: String) -> Source {
    static PARSED: OnceLock<std::sync::Mutex<Vec<Source>>> = OnceLock::new();
    let cache = PARSED.get_or_init(Default::default);
    let Ok(mut cache) = cache.lock() else { return Source::new(id, text) };
    if let Some(s) = cache.iter().find(|s| s.id() == id && s.text() == text) {
        return s.clone();
    }
    let s = Source::new(id, text);
    cache.retain(|c| c.id() != id);
    cache.push(s.clone());
    s
}

/// One compilation's world.
struct ReportWorld<'a> {
    fonts: &'a Fonts,
    templates: &'a Templates,
    main: Source,
    data: Bytes,
    /// In-memory files beside the data (chart SVGs), by path without the leading `/`.
    files: &'a [(String, Bytes)],
    today: Option<Datetime>,
}

impl ReportWorld<'_> {
    fn template(&self, name: &str) -> FileResult<String> {
        if !ALL_TYPST_FILES.contains(&name) {
            // Only the template files exist: no system files, no other paths.
            return Err(FileError::AccessDenied);
        }
        self.templates.load_file(name).map_err(|e| FileError::Other(Some(e.into())))?.ok_or(FileError::NotFound(name.into()))
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        let name = id.vpath().get_without_slash().to_string();
        Ok(parsed(id, self.template(&name)?))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        match id.vpath().get_without_slash() {
            "data.json" => Ok(self.data.clone()),
            "main.typ" => Ok(Bytes::from_string(self.main.text().to_string())),
            name => match self.files.iter().find(|(n, _)| n == name) {
                Some((_, bytes)) => Ok(bytes.clone()),
                None => Ok(Bytes::from_string(self.template(name)?)),
            },
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// The document date: `meta.published`, else `SOURCE_DATE_EPOCH`, else none.
pub fn document_date(published: Option<&str>) -> Option<(i32, u32, u32)> {
    if let Some(d) = published.and_then(crate::check::rules::parse_date) {
        return Some(d);
    }
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    Some(crate::check::civil_from_days(secs.div_euclid(86_400)))
}

/// The data handed to the template: the context plus the document date.
pub fn data_value(ctx: &Context) -> serde_json::Value {
    let mut v = serde_json::to_value(ctx).unwrap_or_default();
    if let (Some((y, m, d)), Some(obj)) = (document_date(ctx.published.as_deref()), v.as_object_mut()) {
        obj.insert("date".into(), serde_json::json!({ "year": y, "month": m, "day": d }));
    }
    v
}

/// Compiles the report to PDF bytes, with warnings (missing glyphs, Typst warnings).
pub fn render(
    ctx: &Context,
    templates: &Templates,
    fonts: &Fonts,
    data_src: &DataSource,
    lang: Lang,
) -> (Result<Vec<u8>, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let job =
        Job { template: "report.typ", function: "report", data: data_value(ctx), files: Vec::new(), published: ctx.published.as_deref() };
    compile(&job, templates, fonts, data_src, lang)
}

/// A document for the Typst compiler: a template file and the function it exports,
/// called with the data (as JSON); in-memory files beside it (chart SVGs, loaded by the
/// template as `image("/charts/x.svg")`).
#[derive(Debug, Clone)]
pub struct Job<'a> {
    /// One of [`ALL_TYPST_FILES`].
    pub template: &'a str,
    /// The function of that file that lays out the document.
    pub function: &'a str,
    /// The data it receives.
    pub data: serde_json::Value,
    /// In-memory files by path (`charts/outcomes.svg`), without the leading `/`.
    pub files: Vec<(String, Vec<u8>)>,
    /// The document date (`YYYY-MM-DD`), else `SOURCE_DATE_EPOCH`.
    pub published: Option<&'a str>,
}

/// Compiles a [`Job`] to PDF bytes, with warnings (missing glyphs, Typst warnings).
pub fn compile(
    job: &Job,
    templates: &Templates,
    fonts: &Fonts,
    data_src: &DataSource,
    lang: Lang,
) -> (Result<Vec<u8>, Vec<Diagnostic>>, Vec<Diagnostic>) {
    let data = &job.data;
    let mut warnings = missing_glyphs(data, fonts, data_src, lang);
    let today = document_date(job.published).and_then(|(y, m, d)| Datetime::from_ymd(y, m as u8, d as u8));
    let main = if job.template == "report.typ" && job.function == "report" {
        MAIN.to_string()
    } else {
        format!("#import \"/{}\": {}\n#{}(json(\"/data.json\"))\n", job.template, job.function, job.function)
    };
    let files: Vec<(String, Bytes)> = job.files.iter().map(|(n, b)| (n.clone(), Bytes::new(b.clone()))).collect();
    let world = ReportWorld {
        fonts,
        templates,
        main: parsed(file_id("/main.typ"), main),
        data: Bytes::from_string(data.to_string()),
        files: &files,
        today,
    };
    let result = typst::compile::<PagedDocument>(&world);
    // The template's font lists name the official faces first; their absence is the
    // normal case on most machines, not something to warn about.
    warnings.extend(result.warnings.iter().filter(|w| !w.message.starts_with("unknown font family")).map(|w| typst_diag(&world, w, lang)));
    let mut doc = match result.output {
        Ok(doc) => doc,
        Err(errs) => return (Err(errs.iter().map(|e| typst_diag(&world, e, lang)).collect()), warnings),
    };
    if job.template == "report.typ" && job.function == "report" {
        document_info(doc.info_mut(), data, today);
    }
    let timestamp = today.and_then(|d| Datetime::from_ymd_hms(d.year()?, d.month()?, d.day()?, 0, 0, 0)).map(typst_pdf::Timestamp::new_utc);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some("reportgen".into())),
        timestamp,
        tagged: true,
        ..Default::default()
    };
    let out = typst_pdf::pdf(&doc, &options).map_err(|errs| errs.iter().map(|e| typst_diag(&world, e, lang)).collect());
    drop(doc);
    evict();
    (out, warnings)
}

/// A Typst diagnostic as ours: file (template name), line and a snippet of the template.
fn typst_diag(world: &ReportWorld, d: &SourceDiagnostic, lang: Lang) -> Diagnostic {
    let mut out = match d.severity {
        TypstSeverity::Error => Diagnostic::error(Code::Template, String::new()),
        TypstSeverity::Warning => Diagnostic::warning(Code::Template, String::new()),
    };
    let place = d.span.id().and_then(|id| {
        let src = world.source(id).ok()?;
        let range: Range<usize> = world.range(d.span)?;
        let (line, col) = src.lines().byte_to_line_column(range.start)?;
        let text = src.lines().text().lines().nth(line).unwrap_or("").to_string();
        Some((id.vpath().get_without_slash().to_string(), line + 1, col + 1, text))
    });
    let msg = crate::diag::clip(&d.message, 300);
    out.message = match (&place, lang) {
        (Some((f, l, _, _)), Lang::Zh) => format!("PDF 模板 {f} 第 {l} 行：{msg}"),
        (Some((f, l, _, _)), Lang::En) => format!("PDF template {f}, line {l}: {msg}"),
        (None, Lang::Zh) => format!("PDF 排版：{msg}"),
        (None, Lang::En) => format!("PDF typesetting: {msg}"),
    };
    if let Some((f, l, c, text)) = place {
        out.file = f;
        out.line_col = Some((l, c));
        out = out.hint(format!("{l:4} | {}\n     | {}^", crate::diag::clip(&text, 160), " ".repeat(c.saturating_sub(1).min(160))));
    }
    for h in &d.hints {
        out = out.hint(crate::diag::clip(&h.v, 300));
    }
    out
}

/// Every character of the data that no font can show: a warning naming it and where
/// it first occurs in the data file, instead of a silent tofu box.
fn missing_glyphs(data: &serde_json::Value, fonts: &Fonts, src: &DataSource, lang: Lang) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    let mut strings = Vec::new();
    collect_strings(data, &mut strings);
    let mut out = Vec::new();
    for s in strings {
        for c in s.chars() {
            if c.is_control() || c.is_whitespace() || seen.contains(&c) {
                continue;
            }
            seen.insert(c);
            if !fonts.covers(c) {
                let at = src.text.find(c).map(|i| i..i + c.len_utf8());
                let msg = match lang {
                    Lang::Zh => format!("字符“{c}”（U+{:04X}）没有任何字体能显示，PDF 中会是空白方框", c as u32),
                    Lang::En => format!("no font has the character “{c}” (U+{:04X}); the PDF would show an empty box", c as u32),
                };
                let mut d = Diagnostic::warning(Code::Font, msg).hint(lang.pick(
                    "用 --font-path 指定含有该字的字体目录，或改用常用字",
                    "add a folder with a font that has it (--font-path), or use a common character",
                ));
                d = match at {
                    Some(span) => d.at(&src.name, span),
                    None => d.in_file(&src.name),
                };
                out.push(d);
                if out.len() >= 20 {
                    return out;
                }
            }
        }
    }
    out
}

fn collect_strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::String(s) => out.push(s),
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        serde_json::Value::Object(o) => o.iter().filter(|(k, _)| *k != "html" && *k != "md").for_each(|(_, x)| collect_strings(x, out)),
        _ => {}
    }
}

/// Writes the `-f typst` bundle: `main.typ`, `data.json`, the template files and
/// `fonts/`, so `typst compile --ignore-system-fonts --font-path fonts main.typ` gives
/// the same PDF.
pub fn bundle(ctx: &Context, templates: &Templates, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir.join("fonts"))?;
    let mut written = Vec::new();
    let mut put = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        let p = dir.join(rel);
        crate::write_atomic(&p, bytes)?;
        written.push(p);
        Ok(())
    };
    put("main.typ", BUNDLE_MAIN.as_bytes())?;
    put("data.json", data_value(ctx).to_string().as_bytes())?;
    for name in TYPST_FILES {
        let text = templates
            .load_file(name)
            .map_err(std::io::Error::other)?
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, *name))?;
        put(name, text.as_bytes())?;
    }
    for (name, data) in EMBEDDED_FONTS {
        put(&format!("fonts/{name}"), data)?;
    }
    for (name, text) in FONT_LICENCES {
        put(&format!("fonts/{name}"), text)?;
    }
    Ok(written)
}

/// Ages Typst's memoized results by one and drops those unused for a while; called
/// after every compilation, so the cache holds the last few reports' results and no
/// more, however long the batch (or the `serve` session, or the test run).
///
/// What every report shares (the template's evaluation, the layout of the fixed table
/// headers and headings, shaped fixed text) is used again by each report, stays young
/// and is kept: measured on a batch, a warm cache saves about 14% of the instructions
/// per report. A report's own results age out after `2 × cores` compilations (each
/// thread ages the shared cache, so a report still being typeset on another thread
/// keeps what it is using). Memoization is transparent: the bytes do not depend on it.
pub fn evict() {
    static AGE: OnceLock<usize> = OnceLock::new();
    let age = *AGE.get_or_init(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get()));
    typst::comemo::evict(age);
}
