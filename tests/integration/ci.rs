//! `--format github` and `--format sarif`: goldens, GitHub's escaping rules, and every
//! SARIF log validated against the published 2.1.0 schema (tests/fixtures/sarif).

use reportgen::diag::{self, Code, Diagnostic, Format, Lang, ci};
use serde_json::Value;

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(crate::fixture("sarif/sarif-schema-2.1.0.json")).expect("schema fixture");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    jsonschema::draft4::options().should_validate_formats(true).build(&schema).expect("the SARIF schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, log: &str) -> Value {
    let value: Value = serde_json::from_str(log).expect("SARIF is JSON");
    let errors: Vec<String> = v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF log does not validate:\n{}\n{log}", errors.join("\n"));
    value
}

/// Findings of kinds that only synthetic diagnostics have: a PDF page, a template line,
/// no file, and text that needs escaping everywhere.
fn unusual() -> Vec<Diagnostic> {
    let mut page = Diagnostic::error(Code::Unread, "表三 第4行 无法读出").in_file("公开/报告 2023.pdf");
    page.place = Some("3".into());
    let mut tmpl = Diagnostic::error(Code::Template, "template report.html.j2, line 7: unknown filter").in_file("report.html.j2");
    tmpl.line_col = Some((7, 1));
    vec![
        page,
        tmpl,
        Diagnostic::error(Code::Io, "cannot write out/: disk full"),
        Diagnostic::warning(Code::Placeholder, "100% 完成\r\n第二行: a, b").in_file("a,b:c%.yaml").hint("删掉 “（总述）”"),
    ]
}

#[test]
fn github_escapes_as_the_toolkit_does() {
    assert_eq!(ci::escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
    assert_eq!(ci::escape_property("50% a\r\nb: c, d"), "50%25 a%0D%0Ab%3A c%2C d");
    let mut note = Diagnostic::warning(Code::Import, "read 3 tables").in_file("a.txt");
    note.severity = reportgen::diag::Severity::Note;
    assert_eq!(ci::render_github(&note, ""), "::notice file=a.txt,title=reportgen [import]::read 3 tables");
    let v = sarif_validator();
    let log = assert_valid(&v, &diag::render_sarif(&[(std::slice::from_ref(&note), "")], Lang::En));
    assert_eq!(log["runs"][0]["results"][0]["level"], "note");
    let out = diag::render(&unusual(), "", Format::Github);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=公开/报告 2023.pdf,title=reportgen [unread]::表三 第4行 无法读出 (公开/报告 2023.pdf:3)",
            "::error file=report.html.j2,line=7,col=1,title=reportgen [template]::template report.html.j2, line 7: unknown filter",
            "::error title=reportgen [io]::cannot write out/: disk full",
            "::warning file=a%2Cb%3Ac%25.yaml,title=reportgen [placeholder]::100%25 完成%0D%0A第二行: a, b%0Ahint: 删掉 “（总述）”",
        ]
    );
}

/// Golden: the bad fixtures as GitHub annotations (one command per line, nothing else).
#[test]
fn github_golden() {
    let mut s = String::new();
    for f in ["bad/balance.yaml", "bad/typos.yaml", "bad/late-and-empty.yaml", "bad/suizhong-broken-totals.yaml"] {
        let c = crate::check_file(&crate::fixture(f), Lang::Zh);
        s.push_str(&diag::render(&c.diagnostics, &c.source.text, Format::Github));
    }
    for line in s.lines() {
        assert_workflow_command(line);
        let (props, _) = line.split_once("::").map(|(_, r)| r.split_once("::").unwrap()).unwrap();
        assert!(props.contains("file=") && props.contains("line=") && props.contains("title="), "{line}");
    }
    insta::assert_snapshot!(s);
}

/// Golden: one SARIF log for several files, valid against the published schema.
#[test]
fn sarif_golden_and_valid() {
    let v = sarif_validator();
    let checked: Vec<_> = ["bad/balance.yaml", "bad/typos.yaml", "bad/late-and-empty.yaml"]
        .iter()
        .map(|f| crate::check_file(&crate::fixture(f), Lang::Zh))
        .collect();
    let files: Vec<(&[Diagnostic], &str)> = checked.iter().map(|c| (&c.diagnostics[..], c.source.text.as_str())).collect();
    let log = diag::render_sarif(&files, Lang::Zh);
    let value = assert_valid(&v, &log);
    let run = &value["runs"][0];
    let total: usize = checked.iter().map(|c| c.diagnostics.len()).sum();
    assert_eq!(run["results"].as_array().unwrap().len(), total);
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    // Every result names a rule of the driver, by id and by index.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Code::ALL.len());
    for r in run["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    insta::assert_snapshot!(log);
}

#[test]
fn sarif_of_every_fixture_and_unusual_findings_validates() {
    let v = sarif_validator();
    for lang in [Lang::Zh, Lang::En] {
        for dir in ["bad", "good"] {
            for e in std::fs::read_dir(crate::fixture(dir)).unwrap() {
                let c = crate::check_file(&e.unwrap().path(), lang);
                assert_valid(&v, &diag::render(&c.diagnostics, &c.source.text, Format::Sarif));
            }
        }
        let unusual = unusual();
        let value = assert_valid(&v, &diag::render_sarif(&[(&unusual, "")], lang));
        let results = value["runs"][0]["results"].as_array().unwrap();
        // The page is a logical location, with the file and no region.
        let page = &results[0]["locations"][0];
        assert_eq!(page["physicalLocation"]["artifactLocation"]["uri"], "%E5%85%AC%E5%BC%80/%E6%8A%A5%E5%91%8A%202023.pdf");
        assert!(page["physicalLocation"].get("region").is_none());
        assert_eq!(page["logicalLocations"][0]["kind"], "page");
        assert_eq!(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
        assert!(results[2].get("locations").is_none());
        assert_eq!(results[3]["level"], "warning");
    }
}

/// The schema fixture really constrains: a wrong level or a missing version is refused.
#[test]
fn sarif_schema_refuses_a_broken_log() {
    let v = sarif_validator();
    let c = crate::check_file(&crate::fixture("bad/balance.yaml"), Lang::En);
    let mut value: Value = serde_json::from_str(&diag::render(&c.diagnostics, &c.source.text, Format::Sarif)).unwrap();
    value["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!v.is_valid(&value));
    value.as_object_mut().unwrap().remove("version");
    assert!(!v.is_valid(&value));
}

#[test]
fn every_code_is_listed_once() {
    let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), Code::ALL.len());
    for c in Code::ALL {
        assert!(c.describe(Lang::Zh).chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{c}");
        assert_ne!(c.describe(Lang::Zh), c.describe(Lang::En), "{c}");
    }
}

/// The binary: `check --format sarif` over several files prints one log; `audit` too,
/// with its summary lines kept off standard output.
#[test]
fn binary_prints_one_sarif_log() {
    let v = sarif_validator();
    let out = crate::bin()
        .args(["check", "--format", "sarif", "tests/fixtures/bad/balance.yaml", "tests/fixtures/bad/typos.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let value = assert_valid(&v, &String::from_utf8(out.stdout).unwrap());
    let uris: std::collections::BTreeSet<String> = value["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(uris.into_iter().collect::<Vec<_>>(), ["tests/fixtures/bad/balance.yaml", "tests/fixtures/bad/typos.yaml"]);

    let out = crate::bin().args(["check", "--format", "sarif", "examples/"]).output().unwrap();
    assert!(out.status.success());
    let value = assert_valid(&v, &String::from_utf8(out.stdout).unwrap());
    assert_eq!(value["runs"][0]["results"].as_array().unwrap().len(), 0);

    let out = crate::bin()
        .args(["audit", "--format", "sarif", "tests/fixtures/corpus/suizhong-2023.txt", "tests/fixtures/bad/balance.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let value = assert_valid(&v, &String::from_utf8(out.stdout).unwrap());
    assert_eq!(value["runs"].as_array().unwrap().len(), 1, "one log, one run, for every report");
    let results = value["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["level"] == "error"
            && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/fixtures/bad/balance.yaml")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("suizhong-2023.txt:") && stderr.contains("balance.yaml:"), "{stderr}");
}

#[test]
fn binary_prints_github_commands() {
    let out = crate::bin().args(["check", "--format", "github", "tests/fixtures/bad/balance.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("::error file=tests/fixtures/bad/balance.yaml,line="), "{text}");
    // audit: a summary per report (a notice), then its findings; nothing but commands,
    // whatever the verdict (consistent, inconsistent, not fully read, not importable).
    let files = [
        "tests/fixtures/corpus/suizhong-2023.txt",
        "tests/fixtures/corpus/hongze-2024.txt",
        "tests/fixtures/bad/balance.yaml",
        "tests/fixtures/bad/unclosed-flow.yaml",
        "examples/suizhong-2023.yaml",
    ];
    for lang in ["zh", "en"] {
        let out = crate::bin().args(["audit", "--format", "github", "--lang", lang]).args(files).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = String::from_utf8(out.stdout).unwrap();
        let mut notices = Vec::new();
        for line in text.lines() {
            assert_workflow_command(line);
            if line.starts_with("::notice ") && line.contains("title=reportgen audit::") {
                notices.push(line.split_once("file=").unwrap().1.split_once(',').unwrap().0.to_string());
            }
        }
        assert_eq!(notices, files, "one summary per report, in order:\n{text}");
        assert!(text.contains("::error file=tests/fixtures/bad/balance.yaml,line="), "{text}");
    }
}

/// One workflow command as GitHub's runner parses it: `::name k=v,…::message`, with a
/// known command, known properties, and the escaping applied (no raw CR/LF, no stray `::`
/// in a property).
fn assert_workflow_command(line: &str) {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line}"));
    let (head, message) = rest.split_once("::").unwrap_or_else(|| panic!("no message: {line}"));
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    assert!(["error", "warning", "notice"].contains(&name), "{line}");
    assert!(!message.is_empty() && !message.contains('\r'), "{line}");
    for p in props.split(',').filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("property without value: {line}"));
        assert!(["file", "line", "col", "endLine", "endColumn", "title"].contains(&k), "{k}: {line}");
        assert!(!v.contains(':') && !v.contains(','), "{line}");
        if matches!(k, "line" | "col" | "endLine" | "endColumn") {
            assert!(v.parse::<u32>().is_ok_and(|n| n >= 1), "{line}");
        }
    }
}
