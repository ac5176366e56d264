//! `serve`: build, watch, rebuild, and answer a browser, with live reload.
//!
//! The parts, each testable without a network:
//! - [`Watch`] knows which paths matter (the data files, the templates folder, font
//!   folders) and classifies a file-system event as a [`Change`]; anything else (our
//!   own outputs, an editor's swap file) is ignored, so a build never triggers itself.
//! - [`Debounce`] gathers changes until the files have been quiet for a moment (an
//!   editor's save is several events), with a cap so a stream of events still rebuilds.
//! - [`Site`] owns the outputs: it builds through [`crate::build::build_file`] (the one
//!   build path) into its output folder, rebuilds what a batch of changes touches, and
//!   answers a URL path with a [`Reply`] (the page with the reload script injected, the
//!   error page with the diagnostics, the index of several reports, a PDF…).
//! - [`Signal`] carries the build generation to the live-reload streams.
//!
//! The binary (`src/cli/serve.rs`) adds the HTTP server (tiny_http, on 127.0.0.1 only),
//! the server-sent event stream, the watcher thread and Ctrl-C.

pub mod pages;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::build::{BuildConfig, build_file};
use crate::diag::{Diagnostic, Format, Lang};
use crate::render::pdf;

/// The URL path of the live-reload event stream.
pub const EVENTS: &str = "/__reportgen/events";

/// What changed on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The data file with this index.
    Data(usize),
    /// A file in the templates folder.
    Templates,
    /// A file in a font folder.
    Fonts,
}

/// A batch of changes, to rebuild at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Data files changed, by index.
    pub data: BTreeSet<usize>,
    /// Whether a template changed (every report is rebuilt).
    pub templates: bool,
    /// Whether a font changed (fonts are reloaded, every report is rebuilt).
    pub fonts: bool,
}

impl Changes {
    /// Adds one change.
    pub fn add(&mut self, c: Change) {
        match c {
            Change::Data(i) => {
                self.data.insert(i);
            }
            Change::Templates => self.templates = true,
            Change::Fonts => self.fonts = true,
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty() && !self.templates && !self.fonts
    }
}

/// The paths that matter, resolved once.
#[derive(Debug, Clone)]
pub struct Watch {
    /// Each data file as (its folder, canonical; its file name): editors that save by
    /// writing a new file and renaming it replace the file, not its folder.
    data: Vec<(PathBuf, OsString)>,
    templates: Option<PathBuf>,
    fonts: Vec<PathBuf>,
}

fn canonical_dir(p: &Path) -> std::io::Result<PathBuf> {
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    dir.canonicalize()
}

impl Watch {
    /// Resolves the data files, the templates folder and the font folders.
    pub fn new(files: &[PathBuf], templates: Option<&Path>, fonts: &[PathBuf]) -> std::io::Result<Watch> {
        let mut data = Vec::new();
        for f in files {
            let name = f.file_name().ok_or_else(|| std::io::Error::other(format!("{}: not a file", f.display())))?;
            data.push((canonical_dir(f)?, name.to_os_string()));
        }
        let templates = templates.map(Path::canonicalize).transpose()?;
        let fonts = fonts.iter().map(|f| f.canonicalize()).collect::<Result<_, _>>()?;
        Ok(Watch { data, templates, fonts })
    }

    /// The change an event on `path` means, if any.
    pub fn classify(&self, path: &Path) -> Option<Change> {
        let name = path.file_name()?;
        if name.to_string_lossy().starts_with(".reportgen-") {
            return None; // our own staging files
        }
        let dir = path.parent()?;
        if let Some(i) = self.data.iter().position(|(d, n)| d == dir && n == name) {
            return Some(Change::Data(i));
        }
        if self.templates.as_deref().is_some_and(|t| dir == t) {
            return Some(Change::Templates);
        }
        if self.fonts.iter().any(|f| path.starts_with(f)) {
            return Some(Change::Fonts);
        }
        None
    }

    /// The folders to watch, and whether recursively: each data file's folder and the
    /// templates folder (flat: templates load by plain name), font folders recursively.
    pub fn roots(&self) -> Vec<(PathBuf, bool)> {
        let mut roots: Vec<(PathBuf, bool)> = Vec::new();
        let flat = self.data.iter().map(|(d, _)| d.clone()).chain(self.templates.clone());
        for d in flat {
            if !roots.iter().any(|(r, _)| *r == d) {
                roots.push((d, false));
            }
        }
        roots.extend(self.fonts.iter().map(|f| (f.clone(), true)));
        roots
    }

    /// Whether `dir` (an output folder) is or lies inside a watched templates or font
    /// folder: writing there would make every build trigger the next.
    pub fn inside_watched(&self, dir: &Path) -> bool {
        let Ok(dir) = dir.canonicalize() else { return false };
        self.templates.iter().chain(&self.fonts).any(|w| dir.starts_with(w))
    }
}

/// Collects changes until the files have been quiet for `quiet`, or `max_wait` has
/// passed since the first one.
#[derive(Debug, Clone)]
pub struct Debounce {
    quiet: Duration,
    max_wait: Duration,
    first: Option<Instant>,
    last: Option<Instant>,
    pending: Changes,
}

impl Debounce {
    /// A debouncer with these delays.
    pub fn new(quiet: Duration, max_wait: Duration) -> Debounce {
        Debounce { quiet, max_wait, first: None, last: None, pending: Changes::default() }
    }

    /// Records a change seen at `now`.
    pub fn push(&mut self, c: Change, now: Instant) {
        self.pending.add(c);
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    /// How long until the pending batch is due (zero when it is); `None` when nothing is pending.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        let (first, last) = (self.first?, self.last?);
        let due = (last + self.quiet).min(first + self.max_wait);
        Some(due.saturating_duration_since(now))
    }

    /// The pending batch, if it is due at `now`; the debouncer starts over.
    pub fn take_due(&mut self, now: Instant) -> Option<Changes> {
        if self.wait(now)? > Duration::ZERO {
            return None;
        }
        self.first = None;
        self.last = None;
        Some(std::mem::take(&mut self.pending))
    }
}

/// One report being served.
#[derive(Debug, Clone)]
pub struct Page {
    /// The data file, as named.
    pub input: PathBuf,
    /// Its file stem: outputs are `<stem>.html`, …
    pub stem: String,
    /// 机关名称 and 统计年度, when the file could be read.
    pub agency: Option<String>,
    /// 统计年度.
    pub year: Option<u16>,
    /// Files of the last successful build, by file name (`data.html`, `data.pdf`, …).
    pub outputs: BTreeMap<String, PathBuf>,
    /// Findings of the last build.
    pub diagnostics: Vec<Diagnostic>,
    /// The data file's text at the last build (the diagnostics point into it).
    pub text: String,
    /// Whether the last build failed (its outputs are those of the build before).
    pub failed: bool,
    /// How long the last build took.
    pub took: Duration,
}

impl Page {
    /// The findings, rendered for a terminal or a page (`human`: with the YAML line).
    pub fn findings(&self, format: Format) -> String {
        crate::diag::render(&self.diagnostics, &self.text, format)
    }
}

/// How to serve, resolved once from the command line.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The data files.
    pub files: Vec<PathBuf>,
    /// How to build (its `out_dir` is the temporary folder or `-o`).
    pub build: BuildConfig,
    /// Font folders (`--font-path`), watched and reloaded on change.
    pub font_dirs: Vec<PathBuf>,
    /// Whether installed fonts are used.
    pub system_fonts: bool,
}

/// The served reports: builds, rebuilds, and answers URL paths.
pub struct Site {
    cfg: ServeConfig,
    pages: Vec<Page>,
    generation: u64,
}

/// An HTTP answer, before any HTTP: status, content type, body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// 200, 404, 422 (the report's data has errors), …
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

impl Site {
    /// Checks the configuration (distinct file stems) and builds every report once.
    pub fn new(cfg: ServeConfig) -> Result<Site, String> {
        let mut pages = Vec::new();
        let mut stems = BTreeSet::new();
        for f in &cfg.files {
            let stem = f.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "report".into());
            if !stems.insert(stem.clone()) {
                return Err(match cfg.build.lang {
                    Lang::Zh => format!("有两个数据文件都叫 {stem}：输出会互相覆盖，请改名或分开预览"),
                    Lang::En => format!("two data files are named {stem}: their outputs would overwrite each other; rename one"),
                });
            }
            pages.push(Page {
                input: f.clone(),
                stem,
                agency: None,
                year: None,
                outputs: BTreeMap::new(),
                diagnostics: Vec::new(),
                text: String::new(),
                failed: true,
                took: Duration::ZERO,
            });
        }
        let mut site = Site { cfg, pages, generation: 0 };
        let all = Changes { data: (0..site.pages.len()).collect(), ..Changes::default() };
        site.rebuild(&all);
        Ok(site)
    }

    /// Rebuilds what `changes` touch (every report for a template or font change; fonts
    /// are reloaded first), then drops Typst's caches so memory stays flat however many
    /// rebuilds a session makes. Returns the indices rebuilt; the generation advances.
    pub fn rebuild(&mut self, changes: &Changes) -> Vec<usize> {
        if changes.fonts && self.cfg.build.fonts.is_some() {
            self.cfg.build.fonts = Some(Arc::new(pdf::Fonts::load(&self.cfg.font_dirs, self.cfg.system_fonts)));
        }
        let which: Vec<usize> =
            if changes.templates || changes.fonts { (0..self.pages.len()).collect() } else { changes.data.iter().copied().collect() };
        // A fresh environment: minijinja keeps loaded templates, and a designer's edit must show.
        let env = self.cfg.build.templates.environment();
        for &i in &which {
            let Some(page) = self.pages.get_mut(i) else { continue };
            let started = Instant::now();
            let built = build_file(&page.input, &self.cfg.build, &env);
            page.took = started.elapsed();
            page.failed = built.failed();
            if let Some(r) = &built.checked.report {
                page.agency = Some(r.meta.agency.clone());
                page.year = Some(r.meta.year);
            }
            if !page.failed {
                page.outputs = built
                    .outputs
                    .iter()
                    .filter(|p| p.is_file())
                    .filter_map(|p| Some((p.file_name()?.to_string_lossy().to_string(), p.clone())))
                    .collect();
            }
            page.diagnostics = built.checked.diagnostics;
            page.text = built.checked.source.text;
        }
        pdf::evict();
        self.generation += 1;
        which
    }

    /// The build generation: 1 after the first build, one more per rebuild.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The reports.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// The folder the outputs are written to.
    pub fn out_dir(&self) -> &Path {
        &self.cfg.build.out_dir
    }

    /// The answer to a GET of `url` (path and query; the query is ignored). Only files
    /// of the last builds are served, by exact name: nothing else on disk is reachable.
    pub fn respond(&self, url: &str) -> Reply {
        let path = url.split(['?', '#']).next().unwrap_or("/");
        let lang = self.cfg.build.lang;
        let g = self.generation;
        if path == "/" {
            return match self.pages.as_slice() {
                [one] => self.page_reply(one, &format!("{}.html", one.stem)),
                _ => html(200, pages::index(&self.pages, g, lang)),
            };
        }
        let name = percent_decode(path.trim_start_matches('/'));
        for p in &self.pages {
            if name == format!("{}.html", p.stem) || p.outputs.contains_key(&name) {
                return self.page_reply(p, &name);
            }
        }
        html(404, pages::not_found(&name, g, lang))
    }

    fn page_reply(&self, p: &Page, name: &str) -> Reply {
        let lang = self.cfg.build.lang;
        let g = self.generation;
        let is_html = name.ends_with(".html");
        if p.failed && (is_html || !p.outputs.contains_key(name)) {
            return html(422, pages::error_page(p, g, lang));
        }
        let Some(file) = p.outputs.get(name) else { return html(404, pages::not_found(name, g, lang)) };
        match std::fs::read(file) {
            Ok(bytes) if is_html => html(200, pages::inject(&String::from_utf8_lossy(&bytes), g)),
            Ok(bytes) => Reply { status: 200, content_type: content_type(name), body: bytes },
            Err(e) => html(500, pages::not_found(&format!("{name}: {e}"), g, lang)),
        }
    }
}

fn html(status: u16, body: String) -> Reply {
    Reply { status, content_type: "text/html; charset=utf-8", body: body.into_bytes() }
}

/// `%XX` sequences decoded (file names may be Chinese); invalid ones kept as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The build generation, for the live-reload streams: they wait on it, the rebuild
/// loop advances it, and stopping wakes them all.
#[derive(Debug, Default)]
pub struct Signal {
    state: Mutex<(u64, bool)>,
    changed: Condvar,
}

impl Signal {
    /// Publishes a new generation.
    pub fn publish(&self, generation: u64) {
        if let Ok(mut s) = self.state.lock() {
            s.0 = generation;
        }
        self.changed.notify_all();
    }

    /// Stops every waiter.
    pub fn stop(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.1 = true;
        }
        self.changed.notify_all();
    }

    /// Whether [`Signal::stop`] was called.
    pub fn stopped(&self) -> bool {
        self.state.lock().map(|s| s.1).unwrap_or(true)
    }

    /// The current generation.
    pub fn generation(&self) -> u64 {
        self.state.lock().map(|s| s.0).unwrap_or(0)
    }

    /// Waits up to `timeout` for a generation other than `seen`.
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> Wake {
        let Ok(guard) = self.state.lock() else { return Wake::Stopped };
        let Ok((s, _)) = self.changed.wait_timeout_while(guard, timeout, |s| s.0 == seen && !s.1) else { return Wake::Stopped };
        match *s {
            (_, true) => Wake::Stopped,
            (g, _) if g != seen => Wake::Changed(g),
            _ => Wake::Timeout,
        }
    }
}

/// Why [`Signal::wait_change`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// A new generation was published.
    Changed(u64),
    /// Nothing happened in time.
    Timeout,
    /// [`Signal::stop`] was called: end the stream.
    Stopped,
}

/// One event of the live-reload stream: `event: reload`, the generation as data.
pub fn sse_event(generation: u64) -> String {
    format!("event: reload\ndata: {generation}\n\n")
}

/// Starts watching `watch`'s folders; every relevant event is sent as a [`Change`].
/// Dropping the returned watcher stops it.
pub fn watch(watch: &Watch, tx: std::sync::mpsc::Sender<Change>) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let w = watch.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        if matches!(ev.kind, EventKind::Access(notify::event::AccessKind::Open(_) | notify::event::AccessKind::Read)) {
            return;
        }
        for p in &ev.paths {
            if let Some(c) = w.classify(p) {
                let _ = tx.send(c);
            }
        }
    })?;
    for (root, recursive) in watch.roots() {
        let mode = if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
        watcher.watch(&root, mode)?;
    }
    Ok(watcher)
}
