//! Report → a readable data file: flow mappings for table rows, literal blocks for
//! prose, every string quoted so that no text can change the YAML's structure.

use crate::model::labels::{APPLICANTS, RESULT_ROWS};
use crate::model::{Documents, Outcomes, Report, Row};

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A literal block scalar (`|`) at `indent`, or a quoted string when a literal block
/// could not hold the text exactly.
fn block(key: &str, text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let ok = !text.is_empty()
        && !text.starts_with([' ', '\n'])
        && !text.contains(['\r', '\t'])
        && text.lines().all(|l| l == l.trim_end())
        && !text.chars().any(|c| c.is_control() && c != '\n');
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

fn row(r: &Row) -> String {
    let mut cells: Vec<String> =
        APPLICANTS.iter().zip(r.cells()).filter(|(_, v)| *v != 0).map(|(c, v)| format!("{}: {v}", c.key)).collect();
    if let Some(t) = r.total {
        cells.push(format!("total: {t}"));
    }
    format!("{{ {} }}", cells.join(", ")).replace("{  }", "{}")
}

fn docs(d: &Documents) -> String {
    format!("{{ issued: {}, repealed: {}, in_force: {} }}", d.issued, d.repealed, d.in_force)
}

fn outcomes(o: &Outcomes) -> String {
    let mut s = format!("{{ upheld: {}, corrected: {}, other: {}, pending: {}", o.upheld, o.corrected, o.other, o.pending);
    if let Some(t) = o.total {
        s.push_str(&format!(", total: {t}"));
    }
    s + " }"
}

/// The data file's text.
pub fn emit(r: &Report, schema_ref: &str, note: &str) -> String {
    let mut y = format!("# yaml-language-server: $schema={schema_ref}\n");
    for line in note.lines() {
        y.push_str(&format!("# {line}\n"));
    }
    let m = &r.meta;
    y.push_str("meta:\n");
    y.push_str(&format!("  agency: {}\n  year: {}\n", q(&m.agency), m.year));
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
    y.push_str(&format!("  rules: {}\n  normative_documents: {}\n", docs(&p.rules), docs(&p.normative_documents)));
    y.push_str(&format!("  licensing: {}\n  punishment: {}\n  enforcement: {}\n", p.licensing, p.punishment, p.enforcement));
    y.push_str(&format!("  fees: {}\n", crate::render::grid::fees(p.fees)));
    let a = &r.applications;
    y.push_str("applications:\n");
    y.push_str(&format!("  received: {}\n  carried_over: {}\n  results:\n", row(&a.received), row(&a.carried_over)));
    let mut group = "";
    for (def, rr) in RESULT_ROWS.iter().zip(a.result_rows()) {
        let parts: Vec<&str> = def.path.trim_start_matches("/results/").split('/').collect();
        if parts.len() == 2 {
            if group != parts[0] {
                y.push_str(&format!("    {}:\n", parts[0]));
                group = parts[0];
            }
            y.push_str(&format!("      {}: {}\n", parts[1], row(rr)));
        } else {
            y.push_str(&format!("    {}: {}\n", parts[0], row(rr)));
        }
    }
    if let Some(t) = &a.results.total {
        y.push_str(&format!("    total: {}\n", row(t)));
    }
    y.push_str(&format!("  carried_forward: {}\n", row(&a.carried_forward)));
    let c = &r.reviews_and_lawsuits;
    y.push_str("reviews_and_lawsuits:\n");
    y.push_str(&format!(
        "  review: {}\n  lawsuit_direct: {}\n  lawsuit_after_review: {}\n",
        outcomes(&c.review),
        outcomes(&c.lawsuit_direct),
        outcomes(&c.lawsuit_after_review)
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
