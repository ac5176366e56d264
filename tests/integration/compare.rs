//! `reportgen compare`: a pair with known changes compared cell by cell (Δ, %, last year
//! 0, the cross-year rules), unknown cells kept unknown, reuse of sentences, the three
//! formats, the JSON, a chain of years, published reports as inputs.

use reportgen::Lang;
use reportgen::audit::audit_bytes;
use reportgen::compare::reuse::{normalise, sentences};
use reportgen::compare::{CellCmp, Comparison, Year, compare};
use reportgen::model::unknown::Unknown;

fn fixture(name: &str) -> std::path::PathBuf {
    crate::fixture(&format!("compare/{name}"))
}

/// Reads a fixture as `compare` does (audit, prose expanded).
fn year(name: &str) -> Year {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    let a = audit_bytes(name, &bytes, None, Lang::Zh);
    let expanded = reportgen::check_bytes(name, &bytes, &reportgen::Options::default()).expanded;
    Year::from_audited(&a, expanded.as_ref()).expect("readable")
}

fn pair() -> Comparison {
    compare(&[year("last-2022.yaml"), year("this-2023.yaml")], Lang::Zh).unwrap()
}

fn cell<'a>(c: &'a Comparison, pointer: &str) -> &'a CellCmp {
    c.latest()
        .tables
        .iter()
        .flat_map(|t| &t.rows)
        .flat_map(|r| &r.cells)
        .find(|c| c.pointer == pointer)
        .unwrap_or_else(|| panic!("no cell {pointer}"))
}

/// (last, this, Δ, %) as printed.
fn shown(c: &CellCmp) -> (&str, &str, &str, &str) {
    (&c.last, &c.this, &c.delta, &c.pct)
}

#[test]
fn every_cell_of_the_three_tables_is_compared() {
    let c = pair();
    let tables = &c.latest().tables;
    let count = |k: &str| tables.iter().find(|t| t.key == k).unwrap().rows.iter().map(|r| r.cells.len()).sum::<usize>();
    assert_eq!(count("a"), 10, "规章 ×3, 行政规范性文件 ×3, 许可, 处罚, 强制, 收费");
    assert_eq!(count("b"), 25 * 7, "25 rows × (6 applicant columns + 总计)");
    assert_eq!(count("c"), 3 * 5, "3 groups × (4 outcomes + 总计)");
    let mut pointers: Vec<&str> = tables.iter().flat_map(|t| &t.rows).flat_map(|r| &r.cells).map(|c| c.pointer.as_str()).collect();
    pointers.sort();
    pointers.dedup();
    assert_eq!(pointers.len(), 200, "no cell twice");
}

#[test]
fn changes_are_signed_with_a_true_minus_and_a_per_cent_to_one_decimal() {
    let c = pair();
    // Hand-computed from the two fixtures.
    assert_eq!(shown(cell(&c, "/applications/received/natural_person")), ("35", "37", "+2", "+5.7%"));
    assert_eq!(shown(cell(&c, "/applications/received/total")), ("40", "41", "+1", "+2.5%"));
    assert_eq!(shown(cell(&c, "/proactive/enforcement")), ("7", "4", "−3", "−42.9%"));
    assert!(cell(&c, "/proactive/enforcement").delta.starts_with('\u{2212}'), "U+2212, not a hyphen");
    assert_eq!(shown(cell(&c, "/proactive/licensing")), ("100", "106", "+6", "+6.0%"));
    assert_eq!(shown(cell(&c, "/proactive/fees")), ("12.5", "10", "−2.5", "−20.0%"));
    assert_eq!(shown(cell(&c, "/proactive/normative_documents/repealed")), ("1", "4", "+3", "+300.0%"));
    assert_eq!(shown(cell(&c, "/applications/results/disclosed/natural_person")), ("20", "30", "+10", "+50.0%"));
    assert_eq!(shown(cell(&c, "/applications/results/total/total")), ("36", "46", "+10", "+27.8%"));
    assert_eq!(shown(cell(&c, "/applications/carried_forward/total")), ("6", "0", "−6", "−100.0%"));
    assert_eq!(shown(cell(&c, "/reviews_and_lawsuits/review/total")), ("4", "4", "0", "0.0%"));
    assert_eq!(cell(&c, "/reviews_and_lawsuits/review/total").trend, "same");
}

#[test]
fn a_change_from_last_year_zero_has_no_per_cent() {
    let c = pair();
    assert_eq!(shown(cell(&c, "/proactive/punishment")), ("0", "5", "+5", "—"));
    assert_eq!(shown(cell(&c, "/reviews_and_lawsuits/lawsuit_after_review/corrected")), ("0", "1", "+1", "—"));
    assert_eq!(shown(cell(&c, "/applications/carried_over/commercial_enterprise")), ("0", "1", "+1", "—"));
    assert_eq!(shown(cell(&c, "/applications/results/withheld/state_secret/total")), ("0", "0", "0", "—"));
}

#[test]
fn cross_year_rules_sit_at_their_cells() {
    let c = pair();
    let rule = |p: &str| cell(&c, p).rule.clone().unwrap_or_else(|| panic!("no rule at {p}"));
    // 行政规范性文件: 30 + 2 − 4 = 28 = this year's 28.
    let a = rule("/proactive/normative_documents/in_force");
    assert_eq!((a.code, a.status), ("A-in-force", "ok"));
    // 规章: 2 + 0 − 0 = 2, but 3 this year.
    let a = rule("/proactive/rules/in_force");
    assert_eq!((a.code, a.status), ("A-in-force", "mismatch"));
    assert!(a.message.contains("= 2") && a.message.contains("本年现行有效 3"), "{}", a.message);
    // B-carry: 自然人 4 = 4; 商业企业 2 ≠ 1; 总计 6 ≠ 5.
    assert_eq!(rule("/applications/carried_over/natural_person").status, "ok");
    let b = rule("/applications/carried_over/commercial_enterprise");
    assert_eq!((b.code, b.status), ("B-carry", "mismatch"));
    assert!(b.message.contains("上年结转下年度 2") && b.message.contains("本年上年结转 1"), "{}", b.message);
    assert_eq!(rule("/applications/carried_over/total").status, "mismatch");
    assert!(cell(&c, "/applications/received/total").rule.is_none(), "rules only at the cells they concern");
}

#[test]
fn unknown_cells_stay_unknown_and_so_does_any_change_over_them() {
    let last = year("last-2022.yaml");
    let mut this = year("this-2023.yaml");
    let mut unknown = Unknown::none();
    unknown.insert("/applications/received/natural_person");
    unknown.insert("/applications/results/disclosed/natural_person");
    unknown.insert("/proactive/fees");
    this.unknown = unknown;
    let c = compare(&[last, this], Lang::Zh).unwrap();
    assert_eq!(shown(cell(&c, "/applications/received/natural_person")), ("35", "?", "?", "?"));
    assert_eq!(cell(&c, "/applications/received/natural_person").this_value, None);
    assert_eq!(cell(&c, "/applications/received/natural_person").trend, "unknown");
    // The row's total is not stated: the sum over an unknown cell is unknown, not 4.
    assert_eq!(shown(cell(&c, "/applications/received/total")), ("40", "?", "?", "?"));
    assert_eq!(shown(cell(&c, "/applications/received/commercial_enterprise")), ("5", "4", "−1", "−20.0%"));
    assert_eq!(shown(cell(&c, "/proactive/fees")), ("12.5", "?", "?", "?"));
    // （七）总计 is computed over 予以公开's unknown cell: unknown, and so is 公开率.
    assert_eq!(cell(&c, "/applications/results/total/natural_person").this, "?");
    let m = &c.years[1].metrics;
    assert_eq!(m.get("received").unwrap().value, None);
    assert_eq!(m.get("concluded").unwrap().value, None);
    assert_eq!(m.get("disclosure_rate").unwrap().status, reportgen::metrics::Status::Unknown);
    assert_eq!(m.get("disclosure_rate").unwrap().display(Lang::Zh), "未读出");
    let mc = c.latest().metrics.iter().find(|m| m.key == "disclosure_rate").unwrap();
    assert_eq!((mc.this.as_str(), mc.delta.as_str()), ("未读出", "?"));
    // Metrics that do not involve the unknown cells are still computed.
    assert_eq!(m.get("reviews").unwrap().value, Some(4.0));
}

#[test]
fn a_copied_sentence_with_new_figures_is_reused_a_rewritten_one_is_not() {
    // Figures, thousands separators, years and Chinese numerals before a counter are set aside.
    assert_eq!(normalise("全年共收到政府信息公开申请40件。"), normalise("全年共收到政府信息公开申请41件。"));
    assert_eq!(normalise("本年通过门户网站发布信息1200条。"), normalise("本年通过门户网站发布信息1,350条。"));
    assert_eq!(normalise("二〇二二年开展培训三次。"), normalise("二〇二三年开展培训五次。"));
    assert_eq!(normalise("2022年，本局认真贯彻落实《条例》。"), normalise("2023年, 本局认真贯彻落实《条例》."));
    // A changed word is a rewrite.
    assert_ne!(normalise("下一步将加强培训。"), normalise("下一步将加强业务培训。"));
    assert_ne!(normalise("我们进一步规范了公开目录。"), normalise("公开目录经过全面梳理，更加规范。"));

    let c = pair();
    let r = &c.latest().reuse;
    assert_eq!((r.total, r.reused, r.share_text.as_str()), (8, 6, "75.0%"));
    let one = &r.parts[0];
    assert_eq!(one.title, "一、总体情况");
    assert_eq!((one.total, one.reused, one.share_text.as_str()), (5, 4, "80.0%"));
    let reused = |s: &str| one.sentences.iter().find(|x| x.text.contains(s)).unwrap_or_else(|| panic!("no sentence {s}")).reused;
    // The citation {{ applications.received.total }} is compared as printed: 41 against 40.
    assert!(reused("全年共收到政府信息公开申请41件"));
    assert!(reused("发布信息1,350条"));
    assert!(reused("二〇二三年开展培训五次"));
    assert!(!reused("公开目录经过全面梳理"));
    assert_eq!(one.new, vec!["公开目录经过全面梳理，更加规范。".to_string()]);
    let five = &r.parts[1];
    assert_eq!((five.total, five.reused), (2, 1));
    assert_eq!(five.new, vec!["下一步将加强业务培训，提升能力。".to_string()]);
    assert_eq!((r.parts[2].total, r.parts[2].reused, r.parts[2].share_text.as_str()), (1, 1, "100.0%"));
}

#[test]
fn sentences_split_after_full_stops_and_keep_closing_quotes() {
    assert_eq!(sentences("甲。乙！丙？“丁。”戊"), vec!["甲。", "乙！", "丙？", "“丁。”", "戊"]);
    assert_eq!(sentences("# 标题\n\n- 一项内容\n- 二项内容。"), vec!["一项内容", "二项内容。"]);
    assert!(sentences("。  。").is_empty());
}

#[test]
fn the_command_writes_html_markdown_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args(["compare", "tests/fixtures/compare/last-2022.yaml", "tests/fixtures/compare/this-2023.yaml", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("本年文字 8 句，沿用上年 6 句（75.0%）"), "{stdout}");

    let md = std::fs::read_to_string(dir.path().join("this-2023-compare.md")).unwrap();
    // Each row of table 三 is one line, its row label first.
    for def in reportgen::model::unknown::b_rows() {
        let label = table_b_label(def);
        let lines: Vec<&str> = md.lines().filter(|l| l.starts_with("| ") && l.contains(&label)).collect();
        assert_eq!(lines.len(), 1, "{label}: {lines:?}");
        assert_eq!(lines[0].matches(" → ").count(), 7, "seven cells on the line of {label}");
    }
    let received = md.lines().find(|l| l.contains("一、本年新收政府信息公开申请数量")).unwrap();
    assert!(received.contains("35 → 37 (+2, +5.7%)") && received.contains("40 → 41 (+1, +2.5%)"), "{received}");
    assert!(md.contains("0 → 5 (+5, —)"), "last year 0: no per cent");
    assert!(md.contains("〔沿用〕存在的问题是公开内容不够全面。"));

    let html = std::fs::read_to_string(dir.path().join("this-2023-compare.html")).unwrap();
    assert!(html.contains("<svg") && !html.contains("<script"), "charts inline, no script");
    assert!(
        !html.contains("http://") || html.matches("http://").count() == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "nothing fetched"
    );
    assert!(html.contains("<span class=\"s reused\">"));

    let pdf = dir.path().join("this-2023-compare.pdf");
    let text = crate::chart::pdftotext(&pdf);
    for s in [
        "主要指标",
        "申请办理结果（件）",
        "新收申请的申请人（件）",
        "行政复议、行政诉讼结果（件）",
        "2022年",
        "A-in-force",
        "公开目录经过全面梳理",
    ] {
        assert!(text.contains(s), "the PDF shows {s}");
    }
}

/// The label a row of table B has in the comparison.
fn table_b_label(row_path: &str) -> String {
    use reportgen::model::labels::*;
    let mut all = vec![RECEIVED, CARRIED_OVER];
    all.extend(RESULT_ROWS);
    all.push(RESULTS_TOTAL);
    all.push(CARRIED_FORWARD);
    let d = all.iter().find(|d| d.path == row_path).unwrap();
    match d.group {
        Some(g) => format!("| {g}·{} |", d.label),
        None => format!("| {} |", d.label),
    }
}

#[test]
fn json_gives_every_cell_and_the_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args([
            "compare",
            "tests/fixtures/compare/last-2022.yaml",
            "tests/fixtures/compare/this-2023.yaml",
            "-f",
            "md",
            "--format",
            "json",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let this = &v["years"][1]["metrics"];
    // Hand-computed: (35 + 5) / 46 concluded; review corrected 2 / (1 + 2 + 1).
    assert!((this["disclosure_rate"]["value"].as_f64().unwrap() - 40.0 / 46.0).abs() < 1e-9);
    assert_eq!(this["disclosure_rate"]["comparable"], true);
    assert_eq!(this["review_correction_rate"]["value"], 0.5);
    assert_eq!(this["review_correction_rate"]["comparable"], false, "4 cases: not comparable");
    let cells: Vec<&serde_json::Value> = v["pairs"][0]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["rows"].as_array().unwrap())
        .flat_map(|r| r["cells"].as_array().unwrap())
        .collect();
    assert_eq!(cells.len(), 200);
    let fees = cells.iter().find(|c| c["pointer"] == "/proactive/fees").unwrap();
    assert_eq!((fees["last_value"].as_f64(), fees["this_value"].as_f64(), fees["delta"].as_str()), (Some(12.5), Some(10.0), Some("−2.5")));
    assert!(
        v["definitions"].as_array().unwrap().iter().any(|d| d["name"] == "公开率" && d["definition"].as_str().unwrap().contains("办结"))
    );
    assert!(dir.path().join("this-2023-compare.md").exists() && !dir.path().join("this-2023-compare.pdf").exists());
}

#[test]
fn a_chain_of_years_gives_the_trend() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args(["compare", "-f", "html,md"])
        .args([
            "tests/fixtures/compare/first-2021.yaml",
            "tests/fixtures/compare/last-2022.yaml",
            "tests/fixtures/compare/this-2023.yaml",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(dir.path().join("this-2023-compare.html")).unwrap();
    let start = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"cmp-trend\"").expect("the trend chart");
    let svg = &html[start..start + html[start..].find("</svg>").unwrap() + 6];
    let texts = crate::chart::texts(svg);
    for s in ["2021年", "2022年", "2023年", "新收申请（件）", "12", "40", "41", "100.0%", "77.8%", "87.0%"] {
        assert!(texts.iter().any(|t| t == s), "{s} in {texts:?}");
    }
    let md = std::fs::read_to_string(dir.path().join("this-2023-compare.md")).unwrap();
    assert!(md.contains("## 历年变化"));
    assert!(md.lines().any(|l| l.starts_with("| 2021年 | 1234572 | 12 |")), "{md}");
    // The detail is the last pair: 2022 → 2023.
    assert!(md.contains("35 → 37 (+2, +5.7%)"));

    // Out of order: a clear message, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args(["compare", "tests/fixtures/compare/this-2023.yaml", "tests/fixtures/compare/last-2022.yaml", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("请按年份从早到晚列出报告"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_published_report_compares_with_its_data_file() {
    // The seed's page text against the data file transcribed from it: every figure equal.
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args(["compare", "examples/suizhong-2023.yaml", "tests/fixtures/corpus/suizhong-2023.txt", "--format", "json", "-f", "md", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells: Vec<&serde_json::Value> = v["pairs"][0]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["rows"].as_array().unwrap())
        .flat_map(|r| r["cells"].as_array().unwrap())
        .collect();
    let changed: Vec<&&serde_json::Value> = cells.iter().filter(|c| c["delta"] != "0").collect();
    assert!(changed.is_empty(), "{changed:?}");
    assert!(v["pairs"][0]["reuse"]["share"].as_f64().unwrap() > 0.8, "the same text, mostly: {}", v["pairs"][0]["reuse"]["share"]);
    assert!(dir.path().join("suizhong-2023-compare.md").exists());
}

#[test]
fn an_unreadable_input_is_refused_with_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args(["compare", "tests/fixtures/bad/typos.yaml", "tests/fixtures/compare/this-2023.yaml", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("typos.yaml") && err.contains("无法作为年度报告读取"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing half-written");
}
