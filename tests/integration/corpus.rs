//! Every real published report of the corpus against its hand transcription
//! (`tests/fixtures/corpus/expected/*.json`): no figure is ever wrong, every figure a
//! person can read is recovered (the exceptions are listed here, each with its reason),
//! and `audit` finds every printed inconsistency and accuses no consistent report.

use reportgen::Lang;
use reportgen::audit::{Verdict, audit_bytes};
use reportgen::import::import_bytes;
use reportgen::model::labels::{APPLICANTS, RESULT_ROWS};
use reportgen::model::unknown::Unknown;
use serde_json::Value;

/// The corpus files with a transcription.
pub fn files() -> Vec<String> {
    let dir = crate::fixture("corpus/expected");
    let mut v: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().trim_end_matches(".json").to_string())
        .collect();
    v.sort();
    v
}

/// The hand transcription of a corpus file.
pub fn expected(file: &str) -> Value {
    let p = crate::fixture("corpus/expected").join(format!("{file}.json"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

/// Every cell of the three tables: (pointer, expected figure or null).
pub fn expected_cells(e: &Value) -> Vec<(String, Option<f64>)> {
    let mut out = Vec::new();
    let a = &e["a"];
    for doc in ["rules", "normative_documents"] {
        for (i, k) in ["issued", "repealed", "in_force"].iter().enumerate() {
            out.push((format!("/proactive/{doc}/{k}"), a[doc].get(i).and_then(Value::as_f64)));
        }
    }
    for k in ["licensing", "punishment", "enforcement", "fees"] {
        out.push((format!("/proactive/{k}"), a[k].as_f64()));
    }
    let mut rows: Vec<(&str, String)> = vec![("received", "/received".into()), ("carried_over", "/carried_over".into())];
    for r in RESULT_ROWS {
        rows.push((r.path.rsplit('/').next().unwrap(), r.path.to_string()));
    }
    rows.push(("results_total", "/results/total".into()));
    rows.push(("carried_forward", "/carried_forward".into()));
    for (key, path) in rows {
        let cols = APPLICANTS.iter().map(|c| c.key).chain(["total"]);
        for (i, col) in cols.enumerate() {
            out.push((format!("/applications{path}/{col}"), e["b"][key].get(i).and_then(Value::as_f64)));
        }
    }
    let groups = ["review", "lawsuit_direct", "lawsuit_after_review"];
    let outs = ["upheld", "corrected", "other", "pending", "total"];
    for (g, group) in groups.iter().enumerate() {
        for (o, out_) in outs.iter().enumerate() {
            out.push((format!("/reviews_and_lawsuits/{group}/{out_}"), e["c"].get(g * 5 + o).and_then(Value::as_f64)));
        }
    }
    out
}

/// A cell's value in an imported report, through its JSON form.
pub fn value(report: &reportgen::Report, pointer: &str) -> Option<f64> {
    serde_json::to_value(report).unwrap().pointer(pointer).and_then(Value::as_f64)
}

/// Figures read wrong (known, and not what the transcription says), figures read where a
/// person can determine none, and figures a person can read that were not recovered.
pub fn compare(report: &reportgen::Report, unknown: &Unknown, e: &Value) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut wrong, mut guessed, mut missed) = (Vec::new(), Vec::new(), Vec::new());
    for (p, want) in expected_cells(e) {
        let got = if unknown.contains(&p) { None } else { value(report, &p).or(Some(0.0)) };
        match (want, got) {
            (Some(w), Some(g)) if (w - g).abs() > 1e-9 => wrong.push(format!("{p}: read {g}, printed {w}")),
            (None, Some(g)) => guessed.push(format!("{p}: read {g}, not determined by the text")),
            (Some(w), None) => missed.push(format!("{p} ({w})")),
            _ => {}
        }
    }
    (wrong, guessed, missed)
}

/// The cells a person can read that the importer leaves unknown, per file, with the reason.
fn allowed_missing(file: &str) -> Vec<&'static str> {
    match file {
        // （六）其他处理 printed as one row: the three sub-rows are unknown; their sum is kept.
        "hongze-2024.txt" | "hongze-2024.markitdown.md" => vec!["/applications/results/other/other/"],
        _ => vec![],
    }
}

#[test]
fn no_wrong_figure_and_every_readable_figure_recovered() {
    let mut failures = Vec::new();
    for file in files() {
        let e = expected(&file);
        let bytes = std::fs::read(crate::fixture("corpus").join(&file)).unwrap();
        let imp = match import_bytes(&file, &bytes, Lang::Zh) {
            Ok(i) => i,
            Err(d) => {
                failures.push(format!("{file}: not imported: {d:?}"));
                continue;
            }
        };
        let (wrong, guessed, missed) = compare(&imp.report, &imp.unknown, &e);
        for w in wrong {
            failures.push(format!("{file}: WRONG {w}"));
        }
        for g in guessed {
            failures.push(format!("{file}: GUESSED {g}"));
        }
        let allowed = allowed_missing(&file);
        for m in missed {
            if !allowed.iter().any(|a| m.starts_with(a)) {
                failures.push(format!("{file}: not recovered {m}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn single_other_row_keeps_its_sum() {
    for file in ["hongze-2024.txt", "hongze-2024.markitdown.md"] {
        let bytes = std::fs::read(crate::fixture("corpus").join(file)).unwrap();
        let imp = import_bytes(file, &bytes, Lang::Zh).unwrap();
        for col in APPLICANTS.iter().map(|c| c.key).chain(["total"]) {
            let cells: Vec<String> =
                ["overdue_correction", "unpaid_fee", "other"].iter().map(|r| format!("/applications/results/other/{r}/{col}")).collect();
            assert!(cells.iter().all(|c| imp.unknown.contains(c)), "{file} {col}");
            assert_eq!(imp.unknown.sum_of(&cells), Some(0), "{file} {col}");
        }
    }
}

#[test]
fn audit_finds_every_printed_inconsistency_and_accuses_no_consistent_report() {
    let mut failures = Vec::new();
    for file in files() {
        let e = expected(&file);
        let bytes = std::fs::read(crate::fixture("corpus").join(&file)).unwrap();
        let a = audit_bytes(&file, &bytes, None, Lang::Zh);
        let rule_errors: Vec<String> = a
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && reportgen::audit::is_rule(d.code))
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        let printed: Vec<String> =
            e["inconsistencies"].as_array().unwrap().iter().map(|i| i["rule"].as_str().unwrap().to_string()).collect();
        if printed.is_empty() && !rule_errors.is_empty() {
            failures.push(format!("{file}: consistent as printed, but audit says {rule_errors:?}"));
        }
        for rule in &printed {
            if !rule_errors.iter().any(|r| r.starts_with(rule.as_str())) {
                failures.push(format!("{file}: printed {rule} inconsistency not found (audit: {rule_errors:?})"));
            }
        }
        let want = if !printed.is_empty() {
            Verdict::Inconsistent
        } else if e["truncated"].as_bool() == Some(true) {
            Verdict::Incomplete
        } else {
            a.verdict
        };
        if a.verdict != want || (printed.is_empty() && a.verdict == Verdict::Inconsistent) {
            failures.push(format!("{file}: verdict {:?}, want {want:?}", a.verdict));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn meta_as_printed() {
    let mut failures = Vec::new();
    for file in files() {
        let e = expected(&file);
        let bytes = std::fs::read(crate::fixture("corpus").join(&file)).unwrap();
        let imp = import_bytes(&file, &bytes, Lang::Zh).unwrap();
        let m = &imp.report.meta;
        if let Some(y) = e["meta"]["year"].as_u64()
            && u64::from(m.year) != y
        {
            failures.push(format!("{file}: year {} ≠ {y}", m.year));
        }
        match e["meta"]["agency"].as_str() {
            Some(a) if m.agency != a => failures.push(format!("{file}: agency {} ≠ {a}", m.agency)),
            None if !imp.unknown.contains("/meta/agency") => failures.push(format!("{file}: agency {} read, none printed", m.agency)),
            _ => {}
        }
        if e["meta"]["published"].as_str() != m.published.as_deref() {
            failures.push(format!("{file}: published {:?} ≠ {:?}", m.published, e["meta"]["published"]));
        }
        if m.agency.contains(['#', '*', '|']) {
            failures.push(format!("{file}: agency with Markdown marks: {}", m.agency));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
