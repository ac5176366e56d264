//! Diagnostics: one type for every stage (load, schema, rules, prose, templates),
//! rendered once, at the edge, in three formats.
//!
//! - human: codespan-reporting with the YAML line and a caret under the value (it measures
//!   display width, so the caret lines up under Chinese text);
//! - short: `file:line:col: severity[code]: message`, one line each, for editors and grep;
//! - json: one object per line, for CI;
//! - github, sarif: GitHub Actions annotations and a SARIF 2.1.0 log (see [`ci`]).
//!
//! Spans are byte ranges in the data file's text; line and column (1-based, column in
//! characters) are derived when rendering.

use std::fmt;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use serde::Serialize;

pub mod ci;
pub use ci::render_sarif;

/// Language of messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the message in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// How bad a finding is: errors stop `build`, warnings don't.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information: what was done (an importer's note), nothing to look at.
    Note,
    /// Printed, does not stop a build.
    Warning,
    /// Stops the build of this file; `check` exits 1.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// The stable code of a finding (FORMAT.md, "The checks"), plus codes for problems
/// that come before the checks (encoding, YAML syntax) or after them (prose, templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// The file is not UTF-8.
    Encoding,
    /// The file is not well-formed YAML.
    Syntax,
    /// The file does not match the schema.
    Schema,
    /// 本年新收 + 上年结转 = 办理结果总计 + 结转下年度, per column.
    BBalance,
    /// A stated row total equals the sum of its six columns.
    BRowTotal,
    /// A stated （七）总计 equals the sum of the result rows.
    BResultsTotal,
    /// A stated total in table C equals its four outcomes.
    CTotal,
    /// Last year's 现行有效 + 制发 − 废止 = this year's 现行有效.
    AInForce,
    /// Last year's 结转下年度 = this year's 上年结转.
    BCarry,
    /// Published after the legal deadline.
    Deadline,
    /// Part 五 or 六 is empty.
    EmptyPart,
    /// A `{{ … }}` expression in prose failed.
    Prose,
    /// A template failed to load or render.
    Template,
    /// A character that no font has.
    Font,
    /// Reading or writing a file failed.
    Io,
    /// The importer could not recover something.
    Import,
    /// A cell of an imported report that could not be read is still unknown.
    Unread,
    /// A rule could not be checked because some of its inputs are unknown.
    Unchecked,
    /// The prose states a figure of the tables that differs from the table.
    ProseFigure,
    /// Text of the `reportgen init` skeleton is still in the file.
    Placeholder,
}

impl Code {
    /// The code as printed: `schema`, `B-balance`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Encoding => "encoding",
            Code::Syntax => "syntax",
            Code::Schema => "schema",
            Code::BBalance => "B-balance",
            Code::BRowTotal => "B-row-total",
            Code::BResultsTotal => "B-results-total",
            Code::CTotal => "C-total",
            Code::AInForce => "A-in-force",
            Code::BCarry => "B-carry",
            Code::Deadline => "deadline",
            Code::EmptyPart => "empty-part",
            Code::Prose => "prose",
            Code::Template => "template",
            Code::Font => "font",
            Code::Io => "io",
            Code::Import => "import",
            Code::Unread => "unread",
            Code::Unchecked => "unchecked",
            Code::ProseFigure => "prose-figure",
            Code::Placeholder => "placeholder",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// One sentence in the chosen language.
    pub message: String,
    /// What to do about it.
    pub hints: Vec<String>,
    /// The file it is about (as the user named it); empty when it is about no file.
    pub file: String,
    /// Bytes at fault in that file, when known.
    pub span: Option<Range<usize>>,
    /// Line and column (1-based) when there is no span into a data file: a position in
    /// a template, whose text the renderer does not have.
    pub line_col: Option<(usize, usize)>,
    /// Where in the source a person finds it, when line and column would not help: the
    /// page of a PDF (`3`), or nothing for a .docx (the message names table and row).
    /// Shown instead of `line:col`.
    pub place: Option<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            hints: Vec::new(),
            file: String::new(),
            span: None,
            line_col: None,
            place: None,
        }
    }

    /// A new warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    /// A new note: information, not a finding.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Note, ..Diagnostic::error(code, message) }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Sets the file, without a position.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = file.to_string();
        self
    }

    /// Sets file and span.
    pub fn at(mut self, file: &str, span: Range<usize>) -> Self {
        self.file = file.to_string();
        self.span = Some(span);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// With the YAML line and a caret (default).
    #[default]
    Human,
    /// `file:line:col: severity[code]: message`.
    Short,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the diff.
    Github,
    /// One SARIF 2.1.0 log, for code scanning.
    Sarif,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// At most `max` characters of `s`, with `…` where it was cut: hostile input must never
/// turn into a huge message.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Renders diagnostics of one file. `text` is that file's text (empty if unknown).
/// With `Sarif`, one log of this file (callers with several files use [`render_sarif`]).
pub fn render(diags: &[Diagnostic], text: &str, format: Format) -> String {
    if format == Format::Sarif {
        return render_sarif(&[(diags, text)], Lang::Zh);
    }
    let mut out = String::new();
    for d in diags {
        match format {
            Format::Human => out.push_str(&render_human(d, text)),
            Format::Short => {
                out.push_str(&render_short(d, text));
                out.push('\n');
            }
            Format::Json => {
                out.push_str(&render_json(d, text));
                out.push('\n');
            }
            Format::Github => {
                out.push_str(&ci::render_github(d, text));
                out.push('\n');
            }
            Format::Sarif => {}
        }
    }
    out
}

fn position(d: &Diagnostic, text: &str) -> Option<((usize, usize), (usize, usize))> {
    if let (None, Some(lc)) = (&d.span, d.line_col) {
        return Some((lc, lc));
    }
    let span = d.span.as_ref()?;
    Some((line_col(text, span.start), line_col(text, span.end)))
}

/// `file:line:col: severity[code]: message (hint: …)`.
pub fn render_short(d: &Diagnostic, text: &str) -> String {
    let mut s = String::new();
    if !d.file.is_empty() {
        s.push_str(&d.file);
        match (&d.place, position(d, text)) {
            (Some(p), _) => s.push_str(&format!(":{p}")),
            (None, Some(((l, c), _))) => s.push_str(&format!(":{l}:{c}")),
            (None, None) => {}
        }
        s.push_str(": ");
    }
    s.push_str(&format!("{}[{}]: {}", d.severity, d.code, d.message.replace('\n', " ")));
    for h in &d.hints {
        s.push_str(&format!(" (hint: {})", h.replace('\n', " ")));
    }
    s
}

/// One JSON object: file, line, column, end_line, end_column, place, severity, code,
/// message, hints. With a `place` (a PDF page), line and column are left out: they would
/// be lines of the extracted text, which no person has in front of them.
pub fn render_json(d: &Diagnostic, text: &str) -> String {
    #[derive(Serialize)]
    struct J<'a> {
        file: &'a str,
        line: Option<usize>,
        column: Option<usize>,
        end_line: Option<usize>,
        end_column: Option<usize>,
        #[serde(skip_serializing_if = "Option::is_none")]
        place: Option<&'a str>,
        severity: Severity,
        code: &'a str,
        message: &'a str,
        hints: &'a [String],
    }
    let pos = if d.place.is_some() { None } else { position(d, text) };
    serde_json::to_string(&J {
        file: &d.file,
        line: pos.map(|p| p.0.0),
        column: pos.map(|p| p.0.1),
        end_line: pos.map(|p| p.1.0),
        end_column: pos.map(|p| p.1.1),
        place: d.place.as_deref(),
        severity: d.severity,
        code: d.code.as_str(),
        message: &d.message,
        hints: &d.hints,
    })
    .unwrap_or_default()
}

/// Longest line shown in a human snippet; longer lines are cropped around the span.
const MAX_SNIPPET_LINE: usize = 240;

/// The codespan-reporting rendering, with the offending line and a caret.
pub fn render_human(d: &Diagnostic, text: &str) -> String {
    let severity = match d.severity {
        Severity::Error => codespan_reporting::diagnostic::Severity::Error,
        Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        Severity::Note => codespan_reporting::diagnostic::Severity::Note,
    };
    let mut cs = CsDiagnostic::new(severity)
        .with_code(d.code.as_str())
        .with_message(d.message.clone())
        .with_notes(d.hints.iter().map(|h| format!("hint: {h}")).collect());
    let config = term::Config::default();
    let name = if d.file.is_empty() { "<input>" } else { d.file.as_str() };
    if let Some(place) = &d.place {
        // A PDF page: the extracted line is shown as a note, not as `line:col` of a text
        // the reader does not have.
        if let Some(span) = d.span.as_ref().filter(|_| !text.is_empty()) {
            let start = floor_char_boundary(text, span.start.min(text.len()));
            let ls = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let le = text[start..].find('\n').map_or(text.len(), |i| start + i);
            cs.notes.insert(0, clip(text[ls..le].trim(), 120));
        }
        let file = SimpleFile::new(format!("{name}:{place}"), "");
        cs = cs.with_message(format!("{} ({name}:{place})", d.message));
        return term::emit_into_string(&config, &file, &cs).unwrap_or_else(|_| render_short(d, text) + "\n");
    }
    let rendered = match &d.span {
        Some(span) if !text.is_empty() => {
            let (snippet, span) = snippet_window(text, span.clone());
            let file = SimpleFile::new(name, snippet.as_str());
            cs = cs.with_labels(vec![Label::primary((), span)]);
            term::emit_into_string(&config, &file, &cs)
        }
        _ => {
            let file = SimpleFile::new(name, "");
            term::emit_into_string(&config, &file, &cs)
        }
    };
    rendered.unwrap_or_else(|_| render_short(d, text) + "\n")
}

/// A copy of `text` reduced to the span's line (earlier lines kept as empty lines so
/// line numbers stay right), cropped to a window around the span when that line is long.
fn snippet_window(text: &str, span: Range<usize>) -> (String, Range<usize>) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let newlines = text[..line_start].matches('\n').count();
    let mut from = line_start;
    let mut to = line_end;
    if line_end - line_start > MAX_SNIPPET_LINE * 4 || text[line_start..line_end].chars().count() > MAX_SNIPPET_LINE {
        from = floor_char_boundary(text, start.saturating_sub(MAX_SNIPPET_LINE / 2).max(line_start));
        to = floor_char_boundary(text, (start + MAX_SNIPPET_LINE * 2).min(line_end)).max(from);
        let window = &text[from..to];
        let keep: usize = window.char_indices().nth(MAX_SNIPPET_LINE).map_or(window.len(), |(i, _)| i);
        to = from + keep;
    }
    let mut snippet = "\n".repeat(newlines);
    let base = snippet.len();
    snippet.push_str(&text[from..to]);
    let s = base + (start - from).min(to - from);
    let e = base + (end.min(to).max(start) - from).min(to - from);
    (snippet, s..e.max(s))
}
