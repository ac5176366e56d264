//! `check` on good and bad fixtures: snapshots of every diagnostic in all three
//! formats, and exact expectations for the 勾稽关系 rules.

use reportgen::{Code, Format, Lang, diag};

fn all_formats(path: &std::path::Path, lang: Lang) -> String {
    let c = crate::check_file(path, lang);
    let mut s = String::new();
    for (name, f) in [("human", Format::Human), ("short", Format::Short), ("json", Format::Json)] {
        s.push_str(&format!("--- {name}\n"));
        s.push_str(&diag::render(&c.diagnostics, &c.source.text, f));
    }
    s
}

#[test]
fn bad_fixtures_zh() {
    insta::glob!("../fixtures", "bad/*.yaml", |path| {
        let c = crate::check_file(path, Lang::Zh);
        assert!(!c.diagnostics.is_empty(), "{} gave no finding", path.display());
        insta::assert_snapshot!(all_formats(path, Lang::Zh));
    });
}

#[test]
fn bad_fixtures_en() {
    insta::glob!("../fixtures", "bad/*.yaml", |path| {
        insta::assert_snapshot!(all_formats(path, Lang::En));
    });
}

#[test]
fn good_fixtures_and_examples_are_clean() {
    let mut files: Vec<_> = std::fs::read_dir(crate::fixture("good")).unwrap().map(|e| e.unwrap().path()).collect();
    files.extend(std::fs::read_dir(crate::root().join("examples")).unwrap().map(|e| e.unwrap().path()));
    assert!(files.len() >= 6);
    for f in files {
        let c = crate::check_file(&f, Lang::Zh);
        assert!(c.diagnostics.is_empty(), "{}: {:?}", f.display(), c.diagnostics);
        assert!(c.report.is_some() && c.expanded.is_some());
    }
}

/// (code, line) of every finding.
fn findings(rel: &str) -> Vec<(Code, usize)> {
    let c = crate::check_file(&crate::fixture(rel), Lang::Zh);
    c.diagnostics.iter().map(|d| (d.code, diag::line_col(&c.source.text, d.span.clone().unwrap().start).0)).collect()
}

/// A published report whose totals don't add up: exactly the broken rules, at their lines.
#[test]
fn broken_published_totals_name_exactly_the_broken_rules() {
    assert_eq!(
        findings("bad/suizhong-broken-totals.yaml"),
        // The printed （七）总计 58 breaks its column sum and the balance with 新收 57; the
        // row total misprinted at line 44 also breaks the 总计 column's sum.
        vec![
            (Code::BRowTotal, 44),
            (Code::BResultsTotal, 69),
            (Code::BBalance, 69),
            (Code::BRowTotal, 69),
            (Code::BResultsTotal, 69),
            (Code::CTotal, 72)
        ]
    );
}

#[test]
fn balance_is_checked_per_column() {
    let c = crate::check_file(&crate::fixture("bad/balance.yaml"), Lang::Zh);
    let codes: Vec<_> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::BBalance], "{:?}", c.diagnostics);
    assert!(c.diagnostics[0].message.contains("自然人"), "{}", c.diagnostics[0].message);
    assert!(c.diagnostics[0].message.contains("10 + 上年结转 1 = 11"));
}

#[test]
fn deadline_depends_on_kind() {
    assert_eq!(findings("bad/late-government.yaml"), vec![(Code::Deadline, 5)]);
    let late = findings("bad/late-and-empty.yaml");
    assert!(late.contains(&(Code::Deadline, 4)) && late.iter().filter(|f| f.0 == Code::EmptyPart).count() == 2, "{late:?}");
}

#[test]
fn prose_citations_are_expanded_from_computed_totals() {
    let c = crate::check_file(&crate::root().join("examples/suizhong-2023.yaml"), Lang::Zh);
    let e = c.expanded.unwrap();
    let body = &e.overview.sections[1].body;
    assert!(body.contains("共收依申请公开57件"), "{body}");
    assert!(body.contains("行政复议1件"), "{body}");
    let dept = crate::check_file(&crate::root().join("examples/shiyi-scjg-2024.yaml"), Lang::Zh).expanded.unwrap();
    assert!(dept.overview.sections[1].body.contains("新收政府信息公开申请 104 件，上年结转 5 件；办结 101 件，结转下年度继续办理 8 件"));
    assert!(dept.preamble.unwrap().contains("2024年1月1日至2024年12月31日"));
}

#[test]
fn prose_errors_point_at_the_expression() {
    assert_eq!(findings("bad/prose-undefined.yaml"), vec![(Code::Prose, 9)]);
    let c = crate::check_file(&crate::fixture("bad/prose-undefined.yaml"), Lang::Zh);
    let span = c.diagnostics[0].span.clone().unwrap();
    assert!(c.source.text[span].contains("recieved"));
}

#[test]
fn endless_prose_runs_out_of_fuel_quickly() {
    let t = std::time::Instant::now();
    assert_eq!(findings("bad/prose-endless-loop.yaml"), vec![(Code::Prose, 4)]);
    // Generous bound: the point is "terminates", not a benchmark.
    assert!(t.elapsed().as_secs() < 10);
}

#[test]
fn computed_totals_fill_every_row() {
    let c = crate::check_file(&crate::root().join("examples/shiyi-scjg-2024.yaml"), Lang::Zh);
    let e = c.expanded.unwrap();
    let a = &e.applications;
    assert_eq!(a.carried_forward.total.unwrap().0, 8);
    assert_eq!(a.results.total.unwrap().total.unwrap().0, 101);
    assert_eq!(a.results.total.unwrap().natural_person.0, 84);
    assert_eq!(e.reviews_and_lawsuits.lawsuit_direct.total.unwrap().0, 2);
    for (_, row) in a.typed_rows() {
        assert_eq!(row.total.unwrap().0, row.sum());
    }
}

#[test]
fn every_stated_total_is_compared() {
    // Change each stated figure of the department example by one: each change must be caught.
    let path = crate::root().join("examples/shiyi-scjg-2024.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut mutated = 0;
    for (i, line) in text.lines().enumerate() {
        let Some(pos) = line.rfind("total: ") else { continue };
        let digits: String = line[pos + 7..].chars().take_while(char::is_ascii_digit).collect();
        let Ok(n) = digits.parse::<u64>() else { continue };
        let new_line = format!("{}total: {}{}", &line[..pos], n + 1, &line[pos + 7 + digits.len()..]);
        let new_text: Vec<String> = text.lines().enumerate().map(|(j, l)| if i == j { new_line.clone() } else { l.to_string() }).collect();
        let c = reportgen::check_bytes("x.yaml", new_text.join("\n").as_bytes(), &reportgen::Options::default());
        let errs: Vec<_> = c.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(!errs.is_empty(), "changing line {} went unnoticed", i + 1);
        for d in errs {
            assert_eq!(diag::line_col(&c.source.text, d.span.clone().unwrap().start).0, i + 1, "{d:?}");
        }
        mutated += 1;
    }
    assert!(mutated >= 3, "{mutated}");
}

#[test]
fn previous_year_rules() {
    let prev = crate::check_file(&crate::fixture("good/previous-2022.yaml"), Lang::Zh);
    let cur = crate::check_file(&crate::fixture("good/current-2023.yaml"), Lang::Zh);
    let d = reportgen::check::check_previous(
        &cur,
        reportgen::check::Previous { report: prev.report.as_ref().unwrap(), unknown: &prev.unknown },
        Lang::Zh,
    );
    let codes: Vec<_> = d.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::AInForce, Code::BCarry]);
    assert!(d.iter().all(|d| !d.is_error()));
    insta::assert_snapshot!(diag::render(&d, &cur.source.text, Format::Human));
}

#[test]
fn long_lines_are_cropped_in_messages() {
    let junk = "x".repeat(5_000_000);
    let text = format!("meta:\n  agency: a\n  year: 2023\nproblems: 无\nother_matters: 无\n{junk}: 1\n");
    let c = reportgen::check_bytes("big.yaml", text.as_bytes(), &reportgen::Options::default());
    assert!(c.has_errors());
    for f in [Format::Human, Format::Short, Format::Json] {
        let out = diag::render(&c.diagnostics, &c.source.text, f);
        assert!(out.len() < 4_000, "{f:?} printed {} bytes", out.len());
    }
}

#[test]
fn carets_line_up_under_chinese_text() {
    let text = "meta:\n  agency: 测试局\n  year: 2023\nproblems: 无\nother_matters: 无\nproactive:\n  licensing: 一千\n";
    let c = reportgen::check_bytes("a.yaml", text.as_bytes(), &reportgen::Options::default());
    let out = diag::render(&c.diagnostics, &c.source.text, Format::Human);
    let lines: Vec<&str> = out.lines().collect();
    let src = lines.iter().position(|l| l.contains("licensing: 一千")).unwrap();
    let caret = lines[src + 1];
    // "一千" is 4 columns wide: the caret run is 4 wide and starts under 一.
    let src_col = unicode_col(lines[src], "一千");
    assert_eq!(unicode_col(caret, "^"), src_col, "\n{out}");
    assert_eq!(caret.matches('^').count(), 4, "\n{out}");
}

fn unicode_col(line: &str, needle: &str) -> usize {
    let byte = line.find(needle).unwrap();
    line[..byte].chars().map(|c| if ('\u{4e00}'..='\u{9fff}').contains(&c) { 2 } else { 1 }).sum()
}
