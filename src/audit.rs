//! Audit: a published report (or a data file) → its figures, the cells that could not
//! be read, every finding, and one verdict. `reportgen audit`, `compare` and the audit
//! dashboard all start here, so a report reads the same wherever it is shown.
//!
//! The principle: a wrong figure is worse than no figure. A rule whose inputs include an
//! unknown cell is not checked (a warning `unchecked` says so), and a report with unknown
//! cells is "could not be fully read", never "N errors" on the strength of a guess.

use crate::check::{self, Options, Previous};
use crate::diag::{Code, Diagnostic, Lang};
use crate::load::Source;
use crate::model::Report;
use crate::model::unknown::Unknown;

/// What an audit concluded about one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every cell read, every rule checked, no error.
    Consistent,
    /// At least one rule fails on cells that were all read.
    Inconsistent,
    /// No rule fails on what was read, but some cells are unknown, so some rules could
    /// not be checked.
    Incomplete,
    /// The file could not be read as a report at all.
    Unreadable,
}

/// One audited file.
#[derive(Debug, Clone)]
pub struct Audited {
    /// The file as named by the user.
    pub file: String,
    /// The text findings point into (the source, or a text rendering of a .docx/.pdf).
    pub source: Source,
    /// The figures, when the file could be read as a report. Unknown cells hold 0 here
    /// and are named in `unknown`: never use them as figures.
    pub report: Option<Report>,
    /// The cells whose figure is not known.
    pub unknown: Unknown,
    /// Every finding: reading problems first, then the rules, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The conclusion.
    pub verdict: Verdict,
}

impl Audited {
    /// Errors among the findings.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Warnings among the findings (notes are not findings).
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == crate::diag::Severity::Warning).count()
    }
}

/// Whether a file name is a data file (`.yaml`/`.yml`) rather than a published report.
pub fn is_data_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Reads and audits one file: a data file is checked as it is; anything else is
/// imported as a published report first. `previous` (last year's report) adds the
/// cross-year rules.
pub fn audit_bytes(name: &str, bytes: &[u8], previous: Option<Previous>, lang: Lang) -> Audited {
    if is_data_file(name) {
        let checked = check::check_bytes(name, bytes, &Options { lang });
        let mut diagnostics = checked.diagnostics.clone();
        if let Some(prev) = previous {
            diagnostics.extend(check::check_previous(&checked, prev, lang));
        }
        let report = checked.report.clone();
        let unknown = checked.unknown.clone();
        let verdict = verdict(report.is_some(), &unknown, &diagnostics);
        return Audited { file: name.into(), source: checked.source, report, unknown, diagnostics, verdict };
    }
    match crate::import::import_bytes(name, bytes, lang) {
        Err(diagnostics) => Audited {
            file: name.into(),
            source: Source { name: name.into(), text: String::new() },
            report: None,
            unknown: Unknown::none(),
            diagnostics,
            verdict: Verdict::Unreadable,
        },
        Ok(imp) => {
            let mut diagnostics = imp.diagnostics.clone();
            diagnostics.extend(crate::import::check_imported(&imp, previous, lang));
            let verdict = verdict(true, &imp.unknown, &diagnostics);
            Audited { file: name.into(), source: imp.source, report: Some(imp.report), unknown: imp.unknown, diagnostics, verdict }
        }
    }
}

/// Inconsistent when a rule fails on cells that were all read; incomplete when some rule
/// could not be checked (or the source could not be read whole); consistent otherwise —
/// unknown cells that no rule needs block no verdict.
fn verdict(read: bool, _unknown: &Unknown, diags: &[Diagnostic]) -> Verdict {
    let rule_error = diags.iter().any(|d| d.is_error() && is_rule(d.code));
    let incomplete = diags.iter().any(|d| d.code == Code::Unchecked || d.code == Code::Unread || d.code == Code::Import && d.is_error());
    match (read, rule_error) {
        (false, _) => Verdict::Unreadable,
        (true, true) => Verdict::Inconsistent,
        (true, false) if incomplete => Verdict::Incomplete,
        (true, false) => Verdict::Consistent,
    }
}

/// Whether a code is a 勾稽关系 rule (as opposed to a reading problem).
pub fn is_rule(code: Code) -> bool {
    matches!(code, Code::BBalance | Code::BRowTotal | Code::BResultsTotal | Code::CTotal | Code::AInForce | Code::BCarry)
}
