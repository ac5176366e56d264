//! Report → a readable data file: flow mappings for table rows, literal blocks for
//! prose, every string quoted so that no text can change the YAML's structure.

use crate::model::labels::{APPLICANTS, CARRIED_FORWARD, CARRIED_OVER, RECEIVED, RESULT_ROWS, RESULTS_TOTAL};
use crate::model::unknown::{UNREAD, Unknown, b_cell, c_cell};
use crate::model::{Documents, Outcomes, Report, Row};

/// Whether YAML lets `c` stand as itself in a scalar, apart from the C0 controls (which
/// JSON's escaping and [`block`] deal with): not DEL, the C1 controls but U+0085, U+FEFF
/// (a byte order mark inside a document), U+FFFE or U+FFFF. A mis-decoded byte in an
/// imported page can produce any of them.
fn printable(c: char) -> bool {
    !matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// A double-quoted YAML string: JSON's escaping (`"`, `\\`, C0 controls), and `\uXXXX`
/// for what is not [`printable`].
fn q(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    if json.chars().all(printable) {
        return json;
    }
    json.chars().map(|c| if printable(c) { c.to_string() } else { format!("\\u{:04X}", c as u32) }).collect()
}

/// A literal block scalar (`|`) at `indent`, or a quoted string when a literal block
/// could not hold the text exactly.
fn block(key: &str, text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let ok = !text.is_empty()
        && !text.starts_with([' ', '\n'])
        && !text.contains(['\r', '\t'])
        && text.lines().all(|l| l == l.trim_end())
        && text.chars().all(|c| c == '\n' || (!c.is_control() && printable(c)));
    if !ok {
        return format!("{pad}{key}: {}\n", q(text));
    }
    let mut out = format!("{pad}{key}: |{}\n", if text.ends_with('\n') { "" } else { "-" });
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{pad}  {line}\n"));
        }
    }
    out
}

/// What the emitter needs to know of unknown cells: which they are, and where a person
/// finds each in the source (written as a comment beside it).
pub struct Marks<'a> {
    /// The unknown cells.
    pub unknown: &'a Unknown,
    /// Per pointer (cell, or its row), where to look in the source: `report.txt:57`.
    pub place: &'a dyn Fn(&str) -> Option<String>,
}

impl Marks<'_> {
    fn value(&self, pointer: &str, v: impl std::fmt::Display) -> String {
        if self.unknown.contains(pointer) { UNREAD.to_string() } else { v.to_string() }
    }
    /// The comment closing a line that holds unknown cells.
    fn comment(&self, pointers: &[String]) -> String {
        let unread: Vec<&String> = pointers.iter().filter(|p| self.unknown.contains(p)).collect();
        let Some(first) = unread.first() else { return String::new() };
        let at = (self.place)(first).map(|p| format!("，见原文 {p}")).unwrap_or_default();
        format!("  # {} 格未读出{at}", unread.len())
    }
}

fn row(r: &Row, path: &str, m: &Marks) -> String {
    let ptrs: Vec<String> = APPLICANTS.iter().map(|c| b_cell(path, c.key)).collect();
    let mut cells: Vec<String> = APPLICANTS
        .iter()
        .zip(r.cells())
        .zip(&ptrs)
        .filter(|((_, v), p)| *v != 0 || m.unknown.contains(p))
        .map(|((c, v), p)| format!("{}: {}", c.key, m.value(p, v)))
        .collect();
    let total = b_cell(path, "total");
    if let Some(t) = r.total {
        cells.push(format!("total: {}", m.value(&total, t)));
    } else if m.unknown.contains(&total) {
        cells.push(format!("total: {UNREAD}"));
    }
    let mut all = ptrs;
    all.push(total);
    format!("{{ {} }}{}", cells.join(", "), m.comment(&all)).replace("{  }", "{}")
}

fn docs(d: &Documents, key: &str, m: &Marks) -> String {
    let p = |k: &str| format!("/proactive/{key}/{k}");
    let ptrs = [p("issued"), p("repealed"), p("in_force")];
    format!(
        "{{ issued: {}, repealed: {}, in_force: {} }}{}",
        m.value(&ptrs[0], d.issued),
        m.value(&ptrs[1], d.repealed),
        m.value(&ptrs[2], d.in_force),
        m.comment(&ptrs)
    )
}

fn outcomes(o: &Outcomes, group: &str, m: &Marks) -> String {
    let ptrs: Vec<String> = ["upheld", "corrected", "other", "pending", "total"].iter().map(|k| c_cell(group, k)).collect();
    let mut s = format!(
        "{{ upheld: {}, corrected: {}, other: {}, pending: {}",
        m.value(&ptrs[0], o.upheld),
        m.value(&ptrs[1], o.corrected),
        m.value(&ptrs[2], o.other),
        m.value(&ptrs[3], o.pending)
    );
    if let Some(t) = o.total {
        s.push_str(&format!(", total: {}", m.value(&ptrs[4], t)));
    } else if m.unknown.contains(&ptrs[4]) {
        s.push_str(&format!(", total: {UNREAD}"));
    }
    s + " }" + &m.comment(&ptrs)
}

fn scalar(key: &str, v: impl std::fmt::Display, m: &Marks) -> String {
    let p = format!("/proactive/{key}");
    format!("  {key}: {}{}\n", m.value(&p, v), m.comment(std::slice::from_ref(&p)))
}

/// The data file's text, every cell known.
pub fn emit(r: &Report, schema_ref: &str, note: &str) -> String {
    let none = Unknown::none();
    emit_marked(r, &Marks { unknown: &none, place: &|_| None }, schema_ref, note)
}

/// The data file's text, unknown cells written [`UNREAD`] with where to look beside them.
pub fn emit_marked(r: &Report, marks: &Marks, schema_ref: &str, note: &str) -> String {
    let mut y = format!("# yaml-language-server: $schema={schema_ref}\n");
    for line in note.lines() {
        y.push_str(&format!("# {line}\n"));
    }
    let m = &r.meta;
    y.push_str("meta:\n");
    if marks.unknown.contains("/meta/agency") {
        y.push_str(&format!("  agency: {UNREAD}  # 原文没有标题或发布机构：请填写机关名称\n  year: {}\n", m.year));
    } else {
        y.push_str(&format!("  agency: {}\n  year: {}\n", q(&m.agency), m.year));
    }
    y.push_str(&format!(
        "  kind: {}\n",
        match m.kind {
            crate::model::Kind::Government => "government",
            crate::model::Kind::Department => "department",
        }
    ));
    for (k, v) in [("title", &m.title), ("published", &m.published), ("source", &m.source), ("editor", &m.editor)] {
        if let Some(v) = v {
            y.push_str(&format!("  {k}: {}\n", q(v)));
        }
    }
    if let Some(p) = &r.preamble {
        y.push_str(&block("preamble", p, 0));
    }
    y.push_str("overview:\n");
    if let Some(i) = &r.overview.intro {
        y.push_str(&block("intro", i, 2));
    }
    if r.overview.sections.is_empty() {
        y.push_str("  sections: []\n");
    } else {
        y.push_str("  sections:\n");
        for s in &r.overview.sections {
            y.push_str(&format!("    - title: {}\n", q(&s.title)));
            y.push_str(&block("body", &s.body, 6));
        }
    }
    let p = &r.proactive;
    y.push_str("proactive:\n");
    y.push_str(&format!(
        "  rules: {}\n  normative_documents: {}\n",
        docs(&p.rules, "rules", marks),
        docs(&p.normative_documents, "normative_documents", marks)
    ));
    y.push_str(&scalar("licensing", p.licensing, marks));
    y.push_str(&scalar("punishment", p.punishment, marks));
    y.push_str(&scalar("enforcement", p.enforcement, marks));
    y.push_str(&scalar("fees", crate::render::grid::fees(p.fees), marks));
    let a = &r.applications;
    y.push_str("applications:\n");
    y.push_str(&format!(
        "  received: {}\n  carried_over: {}\n  results:\n",
        row(&a.received, RECEIVED.path, marks),
        row(&a.carried_over, CARRIED_OVER.path, marks)
    ));
    let mut group = "";
    for (def, rr) in RESULT_ROWS.iter().zip(a.result_rows()) {
        let parts: Vec<&str> = def.path.trim_start_matches("/results/").split('/').collect();
        if parts.len() == 2 {
            if group != parts[0] {
                y.push_str(&format!("    {}:\n", parts[0]));
                group = parts[0];
            }
            y.push_str(&format!("      {}: {}\n", parts[1], row(rr, def.path, marks)));
        } else {
            y.push_str(&format!("    {}: {}\n", parts[0], row(rr, def.path, marks)));
        }
    }
    if let Some(t) = &a.results.total {
        y.push_str(&format!("    total: {}\n", row(t, RESULTS_TOTAL.path, marks)));
    }
    y.push_str(&format!("  carried_forward: {}\n", row(&a.carried_forward, CARRIED_FORWARD.path, marks)));
    let c = &r.reviews_and_lawsuits;
    y.push_str("reviews_and_lawsuits:\n");
    y.push_str(&format!(
        "  review: {}\n  lawsuit_direct: {}\n  lawsuit_after_review: {}\n",
        outcomes(&c.review, "review", marks),
        outcomes(&c.lawsuit_direct, "lawsuit_direct", marks),
        outcomes(&c.lawsuit_after_review, "lawsuit_after_review", marks)
    ));
    y.push_str(&if r.problems.is_empty() { "problems: \"\"\n".to_string() } else { block("problems", &r.problems, 0) });
    y.push_str(&if r.other_matters.is_empty() { "other_matters: \"\"\n".to_string() } else { block("other_matters", &r.other_matters, 0) });
    if !r.links.is_empty() {
        y.push_str("links:\n");
        for l in &r.links {
            y.push_str(&format!("  - title: {}\n", q(&l.title)));
            if let Some(u) = &l.url {
                y.push_str(&format!("    url: {}\n", q(u)));
            }
        }
    }
    y
}
