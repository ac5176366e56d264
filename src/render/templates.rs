//! Templates: the defaults are compiled into the binary; a designer's folder
//! (`--templates DIR`) overrides any of them by file name. Names are confined to that
//! folder: `..`, absolute paths and symlinks that lead outside are refused.

use std::path::{Component, Path, PathBuf};

use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};

use crate::diag::{Code, Diagnostic, Lang};
use crate::prose::escape_markdown;

use super::{Context, OutputFormat};

/// The default templates, by name.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("report.html.j2", include_str!("../../templates/report.html.j2")),
    ("table.html.j2", include_str!("../../templates/table.html.j2")),
    ("style.css", include_str!("../../templates/style.css")),
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    ("table.md.j2", include_str!("../../templates/table.md.j2")),
    ("report.typ", include_str!("../../templates/report.typ")),
    ("pages.css", include_str!("../../templates/pages.css")),
    ("compare.html.j2", include_str!("../../templates/compare.html.j2")),
    ("compare.md.j2", include_str!("../../templates/compare.md.j2")),
    ("compare.typ", include_str!("../../templates/compare.typ")),
    ("tujie.html.j2", include_str!("../../templates/tujie.html.j2")),
    ("tujie.typ", include_str!("../../templates/tujie.typ")),
    ("dashboard.html.j2", include_str!("../../templates/dashboard.html.j2")),
];

/// Fuel for one template render: far more than any report needs, finite for a designer's loop.
const TEMPLATE_FUEL: u64 = 50_000_000;

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// A designer's folder whose files override the defaults.
    pub dir: Option<PathBuf>,
}

/// Why a template name was refused or could not be read.
fn load(dir: Option<&Path>, name: &str) -> Result<Option<String>, minijinja::Error> {
    let bad = |why: &str| minijinja::Error::new(ErrorKind::InvalidOperation, format!("template “{name}”: {why}"));
    let rel = Path::new(name);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) || name.contains('\\') {
        return Err(bad("only plain file names inside the templates folder can be loaded"));
    }
    if let Some(dir) = dir {
        let path = dir.join(rel);
        if path.exists() {
            let root = dir.canonicalize().map_err(|e| bad(&e.to_string()))?;
            let real = path.canonicalize().map_err(|e| bad(&e.to_string()))?;
            if !real.starts_with(&root) {
                return Err(bad("it is a link to a file outside the templates folder"));
            }
            return std::fs::read_to_string(&real).map(Some).map_err(|e| bad(&e.to_string()));
        }
    }
    Ok(DEFAULTS.iter().find(|(n, _)| *n == name).map(|(_, s)| s.to_string()))
}

impl Templates {
    /// A template file's text: the designer's copy if there is one, else the default.
    pub fn load_file(&self, name: &str) -> Result<Option<String>, String> {
        load(self.dir.as_deref(), name).map_err(|e| e.detail().unwrap_or("cannot load").to_string())
    }

    /// The environment: strict undefined, escaping by target (`.html` → HTML,
    /// `.md` → Markdown), fuel-limited.
    pub fn environment(&self) -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(TEMPLATE_FUEL));
        let dir = self.dir.clone();
        env.set_loader(move |name| load(dir.as_deref(), name));
        env.set_auto_escape_callback(|name| {
            if name.contains(".html") {
                AutoEscape::Html
            } else if name.contains(".md") {
                AutoEscape::Custom("markdown".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| match state.auto_escape() {
            AutoEscape::Custom(name) if name == "markdown" && !value.is_safe() && !value.is_undefined() && !value.is_none() => {
                out.write_str(&escape_markdown(&value.to_string(), true)).map_err(minijinja::Error::from)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        env
    }

    /// Renders one format.
    pub fn render(&self, env: &Environment<'static>, format: OutputFormat, ctx: &Context, lang: Lang) -> Result<String, Diagnostic> {
        let name = match format {
            OutputFormat::Html => "report.html.j2",
            OutputFormat::Markdown => "report.md.j2",
            OutputFormat::Pdf | OutputFormat::Typst | OutputFormat::Docx | OutputFormat::Tujie => {
                return Err(Diagnostic::error(Code::Template, "PDF, Typst, DOCX and 图解 output are rendered by render::pdf, render::docx and render::compare"));
            }
        };
        let tmpl = env.get_template(name).map_err(|e| template_error(&e, lang))?;
        tmpl.render(minijinja::Value::from(minijinja::value::Serde(ctx))).map_err(|e| template_error(&e, lang))
    }

    /// Names of every template (the DOCX reference document too), with whether the
    /// designer's folder overrides it.
    pub fn list(&self) -> Vec<(&'static str, bool)> {
        DEFAULTS
            .iter()
            .map(|(n, _)| *n)
            .chain([REFERENCE_DOCX])
            .map(|n| (n, self.dir.as_ref().is_some_and(|d| d.join(n).is_file())))
            .collect()
    }
}

/// The DOCX reference document's file name in a templates folder.
pub const REFERENCE_DOCX: &str = "reference.docx";

/// Writes the default templates, and the DOCX reference document, into `dir` (created if needed). Existing files are
/// kept unless `force`; returns the files written.
pub fn eject(dir: &Path, force: bool) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let existing: Vec<&str> = DEFAULTS.iter().map(|(n, _)| *n).chain([REFERENCE_DOCX]).filter(|n| dir.join(n).exists()).collect();
    if !force && !existing.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already has {} (use --force to overwrite)", dir.display(), existing.join(", ")),
        ));
    }
    let mut written = Vec::new();
    for (name, text) in DEFAULTS {
        let path = dir.join(name);
        crate::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    let path = dir.join(REFERENCE_DOCX);
    crate::write_atomic(&path, &super::docx::reference_docx())?;
    written.push(path);
    Ok(written)
}

/// A template failure as a diagnostic: template name, line, and the source around it.
pub fn template_error(e: &minijinja::Error, lang: Lang) -> Diagnostic {
    let mut chain = String::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut innermost = e;
    while let Some(err) = cur {
        if let Some(m) = err.downcast_ref::<minijinja::Error>() {
            innermost = m;
        }
        cur = err.source();
    }
    let name = innermost.name().unwrap_or("?");
    let line = innermost.line().map(|l| l.to_string()).unwrap_or_else(|| "?".into());
    let detail = crate::diag::clip(innermost.detail().unwrap_or(&innermost.kind().to_string()), 300);
    let msg = match lang {
        Lang::Zh => format!("模板 {name} 第 {line} 行出错：{detail}（{}）", innermost.kind()),
        Lang::En => format!("template {name}, line {line}: {detail} ({})", innermost.kind()),
    };
    let mut d = Diagnostic::error(Code::Template, msg).in_file(name);
    d.line_col = innermost.line().map(|l| (l, 1));
    if let Some(src) = innermost.template_source()
        && let Some(l) = innermost.line()
    {
        let lines: Vec<&str> = src.lines().collect();
        let from = l.saturating_sub(2).max(1);
        let to = (l + 1).min(lines.len());
        for n in from..=to {
            let mark = if n == l { ">" } else { " " };
            chain.push_str(&format!("{mark}{n:4} | {}\n", crate::diag::clip(lines.get(n - 1).unwrap_or(&""), 160)));
        }
        d = d.hint(chain.trim_end().to_string());
    }
    d
}
