//! The binary: exit codes, formats, init, --help.

use predicates_shim::*;

mod predicates_shim {
    pub fn text(out: &std::process::Output) -> String {
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
    }
}

#[test]
fn examples_check_clean() {
    let out = crate::bin().args(["check", "examples/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn findings_exit_1_and_unreadable_files_exit_2() {
    let out = crate::bin().args(["check", "tests/fixtures/bad/balance.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = crate::bin().args(["check", "tests/fixtures/bad/gbk.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an encoding problem is a finding, not an I/O failure");
    let out = crate::bin().args(["check", "no/such/file.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = crate::bin().args(["check", "--format", "xml", "examples/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn warnings_alone_exit_0() {
    let out = crate::bin().args(["check", "tests/fixtures/bad/late-government.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("warning[deadline]"));
}

#[test]
fn short_and_json_formats() {
    let out = crate::bin().args(["check", "--format", "short", "tests/fixtures/bad/suizhong-broken-totals.yaml"]).output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.lines().next().unwrap().starts_with("tests/fixtures/bad/suizhong-broken-totals.yaml:44:45: error[B-row-total]: "), "{s}");
    let out = crate::bin()
        .args(["check", "--format", "json", "--lang", "en", "tests/fixtures/bad/suizhong-broken-totals.yaml"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    let objs: Vec<serde_json::Value> = s.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(objs.len(), 6);
    assert_eq!(objs[5]["code"], "C-total");
    assert_eq!(objs[5]["line"], 72);
    assert!(objs[5]["message"].as_str().unwrap().starts_with("the total of"));
}

#[test]
fn previous_flag_enables_cross_year_rules() {
    let out = crate::bin()
        .args([
            "check",
            "--format",
            "short",
            "--previous",
            "tests/fixtures/good/previous-2022.yaml",
            "tests/fixtures/good/current-2023.yaml",
        ])
        .output()
        .unwrap();
    let s = text(&out);
    assert_eq!(out.status.code(), Some(0), "{s}");
    assert!(s.contains("warning[A-in-force]") && s.contains("warning[B-carry]"), "{s}");
}

#[test]
fn init_writes_a_complete_skeleton_with_only_placeholder_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("new.yaml");
    let out = crate::bin()
        .args(["init", "--agency", "测试县人民政府", "--year", "2024", "--kind", "government", "-o"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let yaml = std::fs::read_to_string(&out_path).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema="));
    let c = reportgen::check_bytes("new.yaml", yaml.as_bytes(), &reportgen::Options::default());
    // Each placeholder (（总述）, five （…情况）, parts 五 and 六) is a warning until replaced.
    assert_eq!(c.diagnostics.len(), 8, "{:?}", c.diagnostics);
    assert!(c.diagnostics.iter().all(|d| d.code == reportgen::Code::Placeholder && !d.is_error()), "{:?}", c.diagnostics);
    // The modeline points at a schema that exists: written beside the new file.
    assert!(yaml.starts_with("# yaml-language-server: $schema=report.schema.json\n"));
    assert_eq!(std::fs::read_to_string(dir.path().join("report.schema.json")).unwrap(), reportgen::check::schema::schema_text());
    let r = c.report.unwrap();
    assert_eq!(r.meta.agency, "测试县人民政府");
    assert_eq!(r.meta.kind, reportgen::model::Kind::Government);
    // Every row of table B and every group of table C is spelled out.
    for def in reportgen::model::labels::RESULT_ROWS {
        let key = def.path.rsplit('/').next().unwrap();
        assert!(yaml.contains(&format!("{key}: {{ natural_person: 0")), "{key} missing");
    }
    for key in ["received", "carried_over", "carried_forward", "review", "lawsuit_direct", "lawsuit_after_review"] {
        assert!(yaml.contains(&format!("  {key}: {{")), "{key} missing");
    }
    // Refuses to overwrite.
    let again = crate::bin().args(["init", "-o"]).arg(&out_path).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn help_is_stable() {
    let out = crate::bin().arg("--help").output().unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}
