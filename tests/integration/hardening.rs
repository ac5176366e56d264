//! Hostile input across the whole pipeline: property tests (fixed seed, a case count that
//! keeps CI fast; `PROPTEST_CASES=2000 cargo test --release hardening` runs longer),
//! mutants of the examples, huge files, interrupted batches.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use reportgen::model::{Count, Kind, Report, Row};
use reportgen::render::{Context, OutputFormat, Templates};
use reportgen::{Code, Lang};

fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default_cases);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

/// Prose: Chinese text mixed with every HTML, Markdown, Typst and YAML special character.
fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("政府信息公开".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just("依申请".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        "[<>&\"'|#*_`\\[\\]()$@=+/.:~\\\\}!-]{1,3}".prop_map(|s| s),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(2)>".to_string()),
        Just("#set page(width: 1cm)".to_string()),
        Just("{{ meta.year }}".to_string()),
        Just("- 列表".to_string()),
        Just("1. 有序".to_string()),
        Just("**粗**".to_string()),
        Just("`代码`".to_string()),
        Just("[链接](javascript:alert(3))".to_string()),
        Just("a: b".to_string()),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat())
}

fn row6() -> impl Strategy<Value = [u64; 6]> {
    proptest::array::uniform6(prop_oneof![3 => Just(0u64), 2 => 0u64..50, 1 => 0u64..1_000_000])
}

/// Which rule violations are built into a generated report.
#[derive(Debug, Clone, Copy)]
struct Faults {
    row_total: bool,
    results_total: bool,
    balance: bool,
    c_total: bool,
    late: bool,
    empty: bool,
}

fn faults() -> impl Strategy<Value = Faults> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
        |(row_total, results_total, balance, c_total, late, empty)| Faults { row_total, results_total, balance, c_total, late, empty },
    )
}

fn report() -> impl Strategy<Value = (Report, Faults)> {
    (
        proptest::collection::vec(row6(), 21),
        row6(),
        row6(),
        proptest::array::uniform4(0u64..20),
        (prose(), prose(), prose(), prose()),
        faults(),
        0usize..21,
        0usize..6,
        2010u16..2025,
    )
        .prop_map(|(results, carried_over, carried_forward, c, (title, body, problems, other), f, which, col, year)| {
            let mut r = reportgen::check_bytes(
                "seed.yaml",
                format!("meta:\n  agency: 测试局\n  year: {year}\nproblems: x\nother_matters: y\n").as_bytes(),
                &reportgen::Options::default(),
            )
            .report
            .unwrap();
            {
                let a = &mut r.applications;
                a.carried_over = Row::from_cells(carried_over);
                a.carried_forward = Row::from_cells(carried_forward);
                for (row, cells) in a.result_rows_mut().into_iter().zip(&results) {
                    *row = Row::from_cells(*cells);
                }
                // Received = results + carried forward − carried over (kept non-negative by
                // moving any shortfall into carried over): the table balances.
                let total = a.results_total().cells();
                let mut received = [0u64; 6];
                let mut over = a.carried_over.cells();
                for i in 0..6 {
                    let need = total[i] + a.carried_forward.cells()[i];
                    over[i] = over[i].min(need);
                    received[i] = need - over[i];
                }
                a.carried_over = Row::from_cells(over);
                a.received = Row::from_cells(received);
                a.results.total = Some(a.results_total());
            }
            let g = &mut r.reviews_and_lawsuits.review;
            g.upheld = Count(c[0]);
            g.corrected = Count(c[1]);
            g.other = Count(c[2]);
            g.pending = Count(c[3]);
            g.total = Some(Count(c.iter().sum()));
            // Build the faults in.
            if f.row_total {
                let row = &mut r.applications.received;
                row.total = Some(Count(row.sum() + 1));
            }
            if f.results_total {
                let t = r.applications.results.total.as_mut().unwrap();
                let mut cells = t.cells();
                cells[col] += 1;
                *t = Row::from_cells(cells);
            }
            if f.balance {
                let mut cells = r.applications.carried_forward.cells();
                cells[col] += 1;
                r.applications.carried_forward = Row::from_cells(cells);
            }
            if f.c_total {
                let g = &mut r.reviews_and_lawsuits.review;
                g.total = Some(Count(g.sum() + 1));
            }
            r.meta.kind = Kind::Department;
            r.meta.published = Some(if f.late { format!("{}-02-01", year + 1) } else { format!("{}-01-15", year + 1) });
            r.meta.title = Some(format!("{title}测试"));
            r.overview.sections = vec![reportgen::model::Section { title: "依申请公开".into(), body: body.clone() }];
            r.problems = if f.empty { " \n".into() } else { format!("{problems}问题") };
            r.other_matters = format!("{other}其他");
            let _ = which;
            (r, f)
        })
}

fn expected(f: &Faults) -> std::collections::BTreeSet<&'static str> {
    let mut s = std::collections::BTreeSet::new();
    if f.row_total {
        s.insert("B-row-total");
    }
    if f.results_total {
        s.insert("B-results-total");
    }
    // A fault in carried forward breaks the balance; so does one in the stated （七）总计:
    // the balance is checked on the figures as printed, and both printed equations fail.
    if f.balance || f.results_total {
        s.insert("B-balance");
    }
    if f.c_total {
        s.insert("C-total");
    }
    if f.late {
        s.insert("deadline");
    }
    if f.empty {
        s.insert("empty-part");
    }
    s
}

#[test]
fn check_finds_exactly_the_built_in_violations_and_build_never_panics() {
    let templates = Templates::default();
    let env = templates.environment();
    runner(48)
        .run(&report(), |(r, f)| {
            let yaml = reportgen::import::yaml::emit(&r, "report.schema.json", "generated");
            let c = reportgen::check_bytes("gen.yaml", yaml.as_bytes(), &reportgen::Options::default());
            let found: std::collections::BTreeSet<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
            prop_assert_eq!(&found, &expected(&f), "yaml:\n{}\n{:?}", yaml, c.diagnostics);
            let e = c.expanded.expect("a schema-valid report");
            let ctx = Context::new(&e);
            let html = templates.render(&env, OutputFormat::Html, &ctx, Lang::Zh).expect("HTML renders");
            let md = templates.render(&env, OutputFormat::Markdown, &ctx, Lang::Zh).expect("Markdown renders");
            // No element from data: the body holds only the template's elements.
            let doc = scraper::Html::parse_document(&html);
            let sel = scraper::Selector::parse("body script, body img, body iframe, body style, body div[onclick]").unwrap();
            prop_assert_eq!(doc.select(&sel).count(), 0);
            let title: String = doc.select(&scraper::Selector::parse("h1").unwrap()).next().unwrap().text().collect();
            prop_assert_eq!(&title, e.meta.title.as_ref().unwrap());
            // Markdown: no raw HTML, and the figures come back through the importer.
            for ev in pulldown_cmark::Parser::new(&md) {
                prop_assert!(!matches!(ev, pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)), "raw HTML in Markdown");
            }
            let imp = reportgen::import::import_bytes("gen.md", md.as_bytes(), Lang::Zh).expect("imports");
            prop_assert_eq!(imp.report.applications.with_totals_view(), e.applications.with_totals_view());
            prop_assert_eq!(imp.report.reviews_and_lawsuits.review.cells(), e.reviews_and_lawsuits.review.cells());
            prop_assert_eq!(imp.report.meta.year, e.meta.year);
            Ok(())
        })
        .unwrap();
}

#[test]
fn pdf_text_contains_the_prose_as_written() {
    if std::process::Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have pdftotext");
        return;
    }
    let fonts = reportgen::render::pdf::Fonts::load(&[], false);
    let templates = Templates::default();
    runner(6)
        .run(&report(), |(r, _)| {
            let yaml = reportgen::import::yaml::emit(&r, "report.schema.json", "generated");
            let c = reportgen::check_bytes("gen.yaml", yaml.as_bytes(), &reportgen::Options::default());
            let e = c.expanded.unwrap();
            let ctx = Context::new(&e);
            let (pdf, _) = reportgen::render::pdf::render(&ctx, &templates, &fonts, &c.source, Lang::Zh);
            let pdf = pdf.expect("the PDF compiles whatever the prose");
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("p.pdf");
            std::fs::write(&path, pdf).unwrap();
            let out = std::process::Command::new("pdftotext").arg("-raw").arg(&path).arg("-").output().unwrap();
            let text: String = String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect();
            let title: String = e.meta.title.unwrap().chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert!(text.contains(&title), "title {:?} not in PDF text", title);
            // Each paragraph of the section's prose, as its text (markup is typesetting).
            for b in reportgen::prose::parse_markdown(&e.overview.sections[0].body) {
                if let reportgen::prose::Block::Paragraph { content } = b {
                    let plain: String = reportgen::prose::plain_text(&content).chars().filter(|c| !c.is_whitespace()).collect();
                    prop_assert!(text.contains(&plain), "paragraph {:?} not in PDF text {:?}", plain, text);
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Mutants of every example: deleted and duplicated lines, broken indentation, junk,
/// huge numbers, random bytes. `check` answers each with findings or a clean bill,
/// never a panic.
#[test]
fn mutants_of_the_examples_never_panic() {
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[9; 32]);
    let per_example: usize = std::env::var("MUTANTS").ok().and_then(|c| c.parse().ok()).unwrap_or(150);
    let mut slowest = std::time::Duration::ZERO;
    for entry in std::fs::read_dir(crate::root().join("examples")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for k in 0..per_example {
            let mut m: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            let i = (rng.next_u32() as usize) % m.len();
            match k % 7 {
                0 => {
                    m.remove(i);
                }
                1 => m.insert(i, m[i].clone()),
                2 => m[i] = format!("{}{}", " ".repeat(1 + (rng.next_u32() % 5) as usize), m[i]),
                3 => m[i] = m[i].trim_start().to_string(),
                4 => m[i].push_str(["：", "\t", "{", "]", "&a", "*a", "|", "\u{3000}", "!!binary"][(rng.next_u32() % 9) as usize]),
                5 => m[i] = m[i].replace(|c: char| c.is_ascii_digit(), "99999999999999999999"),
                _ => {}
            }
            let mut bytes = m.join("\n").into_bytes();
            if k % 7 == 6 {
                for _ in 0..1 + rng.next_u32() % 8 {
                    let at = (rng.next_u32() as usize) % bytes.len();
                    bytes[at] = rng.next_u32() as u8;
                }
            }
            let t = std::time::Instant::now();
            let c = reportgen::check_bytes("mutant.yaml", &bytes, &reportgen::Options::default());
            slowest = slowest.max(t.elapsed());
            for d in &c.diagnostics {
                assert!(!d.message.is_empty());
                assert!(reportgen::diag::render(std::slice::from_ref(d), &c.source.text, reportgen::Format::Human).len() < 8_000);
            }
        }
    }
    // A hang detector, not a benchmark (timing belongs in scripts/bench.sh).
    assert!(slowest < std::time::Duration::from_secs(5), "slowest mutant took {slowest:?}");
}

#[test]
fn a_50_mb_data_file_is_refused_quickly_with_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    let mut text = String::from("meta:\n  agency: 测试局\n  year: 2023\nproblems: |\n");
    while text.len() < 50 << 20 {
        text.push_str("  政府信息公开工作年度报告政府信息公开工作年度报告<script>alert(1)</script>\n");
    }
    std::fs::write(&big, &text).unwrap();
    let out = crate::bin().arg("check").arg(&big).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.len() + out.stderr.len() < 2_000);
    assert!(String::from_utf8_lossy(&out.stdout).contains("文件太大"));
    let c = reportgen::check_bytes("big.yaml", text.as_bytes(), &reportgen::Options::default());
    assert_eq!(c.diagnostics.len(), 1);
}

#[test]
fn deep_nesting_in_the_data_is_refused() {
    let text = format!("meta: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let c = reportgen::check_bytes("deep.yaml", text.as_bytes(), &reportgen::Options::default());
    assert!(c.has_errors() && c.diagnostics[0].code == Code::Syntax);
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let out = crate::bin().args(["build", "examples/suizhong-2023.yaml", "-f", "html", "-o"]).arg(file.join("out")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[io]") && err.contains("无法写入"), "{err}");
    let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "no stray files");
}

#[cfg(unix)]
#[test]
fn ctrl_c_during_a_batch_leaves_no_partial_outputs() {
    let src = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(crate::root().join("examples/shiyi-scjg-2024.yaml")).unwrap();
    for i in 0..120 {
        std::fs::write(
            src.path().join(format!("r{i:03}.yaml")),
            text.replace("示例市市场监督管理局\n", &format!("示例市市场监督管理局{i}\n")),
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("reportgen");
    let child = std::process::Command::new(bin)
        .arg("build")
        .arg(src.path())
        .arg("-o")
        .arg(out.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the batch has written something, then interrupt it.
    let t = std::time::Instant::now();
    while std::fs::read_dir(out.path()).map(|d| d.count()).unwrap_or(0) < 3 && t.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = std::process::Command::new("kill").arg("-INT").arg(child.id().to_string()).status();
    let output = child.wait_with_output().unwrap();
    let status = output.status;
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let files: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(files.iter().all(|f| !f.file_name().unwrap().to_string_lossy().contains(".tmp")), "temporary files left: {files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        match f.extension().and_then(|e| e.to_str()) {
            Some("html") => assert!(bytes.trim_ascii_end().ends_with(b"</html>"), "{} is partial", f.display()),
            Some("pdf") => assert!(bytes.windows(5).rev().take(64).any(|w| w == b"%%EOF"), "{} is partial", f.display()),
            Some("md") => assert!(!bytes.is_empty()),
            Some("docx") => assert!(zip::ZipArchive::new(std::io::Cursor::new(&bytes)).is_ok(), "{} is partial", f.display()),
            _ => panic!("unexpected {}", f.display()),
        }
    }
    // Four files a report (html, md, pdf, docx): fewer, and the batch was interrupted.
    if files.len() < 4 * 120 {
        assert_eq!(status.code(), Some(130), "an interrupted batch exits 130: {status:?} {stderr}");
    }
}

/// A full disk (a 64 KB tmpfs): a clear error, no temporary files, and none of the
/// earlier outputs changed. Needs `mount` (root); skipped where it is not allowed.
#[cfg(unix)]
#[test]
fn a_full_disk_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ok = std::process::Command::new("mount").args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"]).arg(dir.path()).status();
    if !ok.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _guard = Unmount(dir.path());
    // An earlier build's HTML is there; the new build (HTML, Markdown and PDF) cannot fit.
    std::fs::write(dir.path().join("suizhong-2023.html"), "earlier").unwrap();
    let out = crate::bin().args(["build", "examples/suizhong-2023.yaml", "-o"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error[io]") && err.contains("磁盘是否已满"), "{err}");
    let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names, ["suizhong-2023.html"], "no temporary or partial files");
    assert_eq!(std::fs::read_to_string(dir.path().join("suizhong-2023.html")).unwrap(), "earlier");
}

/// Mutants of the real published reports: the importer answers each with a report or
/// an error, never a panic.
#[test]
fn mutants_of_the_corpus_never_panic_the_importer() {
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let per_file: usize = std::env::var("MUTANTS").ok().and_then(|c| c.parse().ok()).unwrap_or(150) / 3;
    for entry in std::fs::read_dir(crate::fixture("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() || path.extension().is_some_and(|e| e == "pdf") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for k in 0..per_file {
            let mut m: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            for _ in 0..1 + k % 4 {
                let i = (rng.next_u32() as usize) % m.len();
                match rng.next_u32() % 5 {
                    0 => {
                        m.remove(i);
                    }
                    1 => m.insert(i, m[i].clone()),
                    2 => m[i] = m[i].chars().rev().collect(),
                    3 => m[i].push_str(["（", "）", "1.", "年度报告", "总计", "0000", "|", "一、"][(rng.next_u32() % 8) as usize]),
                    _ => m[i] = m[i].replace(|c: char| c.is_ascii_digit(), ""),
                }
                if m.is_empty() {
                    m.push(String::new());
                }
            }
            let mut bytes = m.join("\n").into_bytes();
            if k % 5 == 4 && !bytes.is_empty() {
                let at = (rng.next_u32() as usize) % bytes.len();
                bytes[at] = rng.next_u32() as u8;
            }
            match reportgen::import::import_bytes("mutant.txt", &bytes, Lang::Zh) {
                Ok(imp) => {
                    // Whatever was recovered is a valid data file.
                    let yaml = reportgen::import::yaml::emit(&imp.report, "report.schema.json", "m");
                    let c = reportgen::check_bytes("m.yaml", yaml.as_bytes(), &reportgen::Options::default());
                    assert!(!c.diagnostics.iter().any(|d| d.code == Code::Schema || d.code == Code::Syntax), "{:?}\n{yaml}", c.diagnostics);
                }
                Err(d) => assert!(!d.is_empty()),
            }
        }
    }
}
