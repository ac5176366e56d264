//! `import FILE.pdf`: the PDF reader (tables by their ruling lines) on our own Typst
//! PDFs, on headless Chromium's print-to-PDF of our HTML, on a real WPS export
//! (hongze-2024.pdf) against its hand transcription; scans and hostile files refused.

use std::process::Command;

use reportgen::Lang;
use reportgen::import::doc::{Block, Doc, GridCell, Places, Table};
use reportgen::import::pdf::{self, guard};

fn read(path: &std::path::Path) -> Doc {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    pdf::read(&path.file_name().unwrap().to_string_lossy(), &bytes, Lang::Zh).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace('、', ".").replace(['(', ')'], "").replace(['（', '）'], "")
}

fn tables(doc: &Doc) -> Vec<&Table> {
    doc.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect()
}

fn texts(doc: &Doc) -> Vec<&str> {
    doc.blocks.iter().filter_map(|b| if let Block::Text(c) = b { Some(c.text.as_str()) } else { None }).collect()
}

/// The table holding a cell whose text contains `key`.
fn table_with<'a>(doc: &'a Doc, key: &str) -> &'a Table {
    let key = squash(key);
    tables(doc)
        .into_iter()
        .find(|t| t.rows.iter().flatten().any(|g| g.cell().is_some_and(|c| squash(&c.text).contains(&key))))
        .unwrap_or_else(|| panic!("no table with “{key}”: {:#?}", tables(doc)))
}

/// Every cell's span points at its text in `Doc.text`.
fn spans_hold(doc: &Doc) {
    for b in &doc.blocks {
        let cells: Vec<&reportgen::import::doc::Cell> = match b {
            Block::Text(c) => vec![c],
            Block::Table(t) => t.rows.iter().flatten().filter_map(GridCell::cell).collect(),
        };
        for c in cells {
            assert_eq!(&doc.text[c.span.clone()], c.text, "span {:?}", c.span);
        }
    }
}

/// The rows of table B as (innermost label starting in the row, the 7 figures as text).
fn rows_b(t: &Table) -> Vec<(String, Vec<String>)> {
    let nc = t.rows[0].len();
    let mut out = Vec::new();
    for row in &t.rows {
        // The innermost non-empty label: WPS leaves the sub-label column's cell empty (but
        // drawn) beside （六）其他处理 and （七）总计 when they are printed as one row.
        let label = row[..nc - 7].iter().filter_map(GridCell::cell).map(|c| squash(&c.text)).rfind(|t| !t.is_empty());
        let figures: Vec<String> = row[nc - 7..].iter().map(|g| g.cell().map(|c| c.text.trim().to_string()).unwrap_or_default()).collect();
        if let Some(label) = label
            && figures.iter().all(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
        {
            out.push((label, figures));
        }
    }
    out
}

/// The official row labels of table B (a distinctive start of each).
const B_LABELS: [&str; 25] = [
    "一.本年新收",
    "二.上年结转",
    "一予以公开",
    "二部分公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正",
    "2.申请人逾期未按收费通知要求缴纳费用",
    "3.其他",
    "七总计",
    "四.结转下年度继续办理",
];

/// Table B of a checked report: 25 rows of the six columns and the total, as text.
fn data_b(r: &reportgen::Report) -> Vec<Vec<String>> {
    let a = &r.applications;
    let mut v = a.with_totals_view();
    let t = a.results_total();
    let c = t.cells();
    v.insert(23, [c[0], c[1], c[2], c[3], c[4], c[5], t.sum()]);
    v.into_iter().map(|r| r.iter().map(u64::to_string).collect()).collect()
}

fn assert_table_b(doc: &Doc, want: &[Vec<String>], what: &str) {
    let t = table_with(doc, "本年新收");
    let rows = rows_b(t);
    assert_eq!(rows.len(), 25, "{what}: {rows:#?}");
    for (i, ((label, figures), want)) in rows.iter().zip(want).enumerate() {
        assert!(label.starts_with(&squash(B_LABELS[i])), "{what}: row {i} is “{label}”, not “{}”", B_LABELS[i]);
        assert_eq!(figures, want, "{what}: row {i} “{label}”");
    }
    // The group label is one cell over the 22 result rows.
    let group = t.rows.iter().flatten().find_map(|g| match g {
        GridCell::Cell { cell, rows, .. } if squash(&cell.text).replace('.', "") == "三本年度办理结果" => Some(*rows),
        _ => None,
    });
    // (Our template stacks it vertically, without the 、.)
    assert_eq!(group, Some(22), "{what}: 三、本年度办理结果 is one merged cell of 22 rows");
}

fn example_report(name: &str) -> reportgen::Report {
    crate::check_file(&crate::root().join(format!("examples/{name}.yaml")), Lang::Zh).expanded.unwrap()
}

fn build(example: &str, format: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let out = crate::bin().arg("build").arg(format!("examples/{example}.yaml")).args(["-f", format, "-o"]).arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir.join(format!("{example}.{format}"))
}

use crate::chromium;

/// Headless Chromium's print-to-PDF of a page, as a portal's visitor saves it.
fn print_to_pdf(chrome: &str, html: &std::path::Path, pdf: &std::path::Path) {
    let profile = tempfile::tempdir().unwrap();
    let out = crate::headless(chrome, profile.path()).arg(format!("--print-to-pdf={}", pdf.display())).arg(html).output().unwrap();
    assert!(pdf.exists(), "chromium printed no PDF: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn typst_pdf_table_b_is_the_official_grid_with_the_data() {
    let dir = tempfile::tempdir().unwrap();
    for example in ["suizhong-2023", "shiyi-scjg-2024"] {
        let doc = read(&build(example, "pdf", dir.path()));
        spans_hold(&doc);
        assert_table_b(&doc, &data_b(&example_report(example)), &format!("{example}.pdf (Typst)"));
    }
}

#[test]
fn chromium_print_of_our_html_reads_the_same_table_b() {
    let Some(chrome) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        eprintln!("skipped: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for example in ["suizhong-2023", "shiyi-scjg-2024"] {
        let html = build(example, "html", dir.path());
        let pdf = dir.path().join(format!("{example}-chromium.pdf"));
        print_to_pdf(chrome, &html, &pdf);
        let doc = read(&pdf);
        spans_hold(&doc);
        assert_table_b(&doc, &data_b(&example_report(example)), &format!("{example} (Chromium)"));
        // The browser's running header (date, title) and footer (URL, n/m) are not text.
        for t in texts(&doc) {
            assert!(!t.contains("file://") && !t.contains(" AM") && !t.contains(" PM"), "page furniture read as prose: {t}");
        }
    }
}

fn expected_hongze() -> serde_json::Value {
    let s = std::fs::read_to_string(crate::fixture("corpus/expected/hongze-2024.txt.json")).unwrap();
    serde_json::from_str(&s).unwrap()
}

fn nums(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|n| n.to_string()).collect()
}

#[test]
fn hongze_wps_export_reads_tables_a_b_c_by_their_lines() {
    let doc = read(&crate::fixture("corpus/hongze-2024.pdf"));
    spans_hold(&doc);
    let want = expected_hongze();
    let Places::Pages(starts) = &doc.places else { panic!("a PDF names pages") };
    assert_eq!(starts.len(), 5);

    // Table A, over pages 2 and 3: one table.
    let a = table_with(&doc, "第二十条第（一）项");
    assert!(
        a.rows.iter().flatten().any(|g| g.cell().is_some_and(|c| squash(&c.text).contains("第二十条第八项"))),
        "table A joins over the page break"
    );
    let row = |t: &Table, label: &str| -> Vec<String> {
        let r = t
            .rows
            .iter()
            .find(|r| r.iter().filter_map(GridCell::cell).next().is_some_and(|c| squash(&c.text) == squash(label)))
            .unwrap_or_else(|| panic!("no row “{label}”"));
        r.iter().filter_map(GridCell::cell).skip(1).map(|c| c.text.clone()).collect()
    };
    let wa = &want["a"];
    assert_eq!(row(a, "规章"), nums(&wa["rules"]));
    assert_eq!(row(a, "行政规范性文件"), nums(&wa["normative_documents"]));
    assert_eq!(row(a, "行政许可"), [wa["licensing"].to_string()]);
    assert_eq!(row(a, "行政处罚"), [wa["punishment"].to_string()]);
    assert_eq!(row(a, "行政强制"), [wa["enforcement"].to_string()]);
    assert_eq!(row(a, "行政事业性收费"), [wa["fees"].to_string()]);

    // Table B, over pages 3 and 4, the group labels cut by the break joined again.
    let keys = [
        "received",
        "carried_over",
        "disclosed",
        "partially_disclosed",
        "state_secret",
        "prohibited_by_law",
        "endangers_security_stability",
        "third_party_rights",
        "internal_affairs",
        "process_information",
        "law_enforcement_file",
        "administrative_query",
        "not_held",
        "needs_creation",
        "unclear_after_correction",
        "petition_or_complaint",
        "duplicate",
        "publication",
        "excessive_repeated",
        "confirm_or_reissue",
        "overdue_correction",
        "unpaid_fee",
        "other",
        "results_total",
        "carried_forward",
    ];
    let wb: Vec<Vec<String>> = keys.iter().map(|k| nums(&want["b"][k])).collect();
    let t = table_with(&doc, "本年新收");
    let rows = rows_b(t);
    // Hongze prints （六）其他处理 as one row, not three: 23 rows with figures.
    let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let other = rows.iter().find(|r| r.0 == "六其他处理").unwrap_or_else(|| panic!("{labels:?}"));
    assert_eq!(other.1, wb[22], "（六）其他处理 as printed");
    for (label, figures) in &rows {
        if let Some(i) = B_LABELS.iter().position(|l| label.starts_with(&squash(l))) {
            assert_eq!(figures, &wb[i], "row “{label}”");
        }
    }
    assert_eq!(rows.len(), 23, "{labels:?}");
    let group = t.rows.iter().flatten().find_map(|g| match g {
        GridCell::Cell { cell, rows, .. } if squash(&cell.text).replace('.', "") == "三本年度办理结果" => Some(*rows),
        _ => None,
    });
    assert_eq!(group, Some(20), "三、本年度办理结果 is one cell over its 20 printed rows (（六） is one row)");
    // No page footer inside a table.
    for t in tables(&doc) {
        for c in t.rows.iter().flatten().filter_map(GridCell::cell) {
            assert!(!pdf::layout::is_page_number(&c.text) || c.text.trim().chars().all(|c| c.is_ascii_digit()), "footer in a table: {c:?}");
            assert!(!c.text.contains("- 3 -") && !c.text.contains("- 4 -"), "footer in a table: {c:?}");
        }
    }
    // （七）总计 is on page 4.
    let total = t.rows.iter().flatten().filter_map(GridCell::cell).find(|c| squash(&c.text) == "七总计").unwrap();
    assert_eq!(pdf::page_of(starts, total.span.start), 4);

    // Table C: its 15 figures in one row.
    let c = table_with(&doc, "复议后起诉");
    let figures = c.rows.last().unwrap().iter().filter_map(GridCell::cell).map(|c| c.text.clone()).collect::<Vec<_>>();
    assert_eq!(figures, nums(&want["c"]));

    // Prose: paragraphs joined over line and page breaks, no footers.
    let prose = texts(&doc);
    assert!(
        prose.iter().any(|p| p.starts_with("2024 年，全区政府信息公开工作虽取得一定成绩") && p.contains("政务新媒体运维管理还需加强等。")),
        "{prose:#?}"
    );
    assert!(prose.iter().any(|p| p.contains("答复书模板，使各行政机关答复的方式")), "a paragraph goes on over the page break: {prose:#?}");
    for p in &prose {
        assert!(!pdf::layout::is_page_number(p), "a page number read as prose: {p}");
        assert!(!p.contains("- 2 -") && !p.contains("- 5 -"), "a footer inside prose: {p}");
    }
}

#[test]
fn a_scan_says_it_has_no_text_layer() {
    let bytes = std::fs::read(crate::fixture("pdf/scan.pdf")).unwrap();
    let e = pdf::read("scan.pdf", &bytes, Lang::Zh).unwrap_err();
    assert!(e[0].message.contains("扫描件，没有文字层"), "{e:?}");
    let e = pdf::read("scan.pdf", &bytes, Lang::En).unwrap_err();
    assert!(e[0].message.contains("scan without a text layer"), "{e:?}");
    // Through the CLI: exit 1, the message, no data file.
    let out = crate::bin().args(["import", "tests/fixtures/pdf/scan.pdf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("扫描件，没有文字层"));
    assert!(out.stdout.is_empty());
}

fn refused(name: &str, limits: &guard::Limits) -> String {
    let bytes = std::fs::read(crate::fixture("pdf").join(name)).unwrap();
    let e = pdf::read_with(name, &bytes, Lang::En, limits).expect_err(name);
    assert!(e.iter().all(|d| d.is_error() && d.file == name), "{e:?}");
    e[0].message.clone()
}

#[test]
fn hostile_pdfs_are_refused_within_bounds() {
    let l = guard::LIMITS;
    // 4 KB inflating to 4 MB: within the default limit (it has no text), beyond 1 MB.
    assert!(refused("bomb.pdf", &l).contains("no text"));
    assert!(refused("bomb.pdf", &guard::Limits { stream_bytes: 1 << 20, ..l }).contains("decompression bomb"));
    // 100 MB behind two Flate layers, 782 bytes on disk.
    assert!(refused("bomb-twice.pdf", &l).contains("decompression bomb"));
    assert!(refused("deep.pdf", &l).contains("nests its objects too deeply"));
    // 2^24 pages in 30 objects (each node's kids are the same node).
    let m = refused("many-pages.pdf", &l);
    assert!(m.contains("pages"), "{m}");
    assert!(refused("garbage.pdf", &l).contains("damaged"));
    // Every glyph and every line counts against the document's budget.
    let hongze = std::fs::read(crate::fixture("corpus/hongze-2024.pdf")).unwrap();
    let e = pdf::read_with("h.pdf", &hongze, Lang::En, &guard::Limits { glyphs: 1000, ..l }).unwrap_err();
    assert!(e[0].message.contains("too many glyphs"), "{e:?}");
    let e = pdf::read_with("h.pdf", &hongze, Lang::En, &guard::Limits { pages: 4, ..l }).unwrap_err();
    assert!(e[0].message.contains("5 pages"), "{e:?}");
}

/// Hostile structures the parser would expand without end: each is refused, quickly.
#[test]
fn hostile_structures_are_refused_before_the_parser_expands_them() {
    let l = guard::LIMITS;
    for (name, says) in [
        // many-pages.pdf's tree hidden inside an object stream (a cross-reference stream).
        ("packed-pages.pdf", "pages"),
        // A page tree that lists itself among its kids.
        ("page-loop.pdf", "refers to itself"),
        // 100 000 `q` without a `Q`.
        ("saves.pdf", "saves the graphics state"),
        // Forms drawing forms: 10^8 lines from 2 KB.
        ("forms.pdf", "too many drawing operations"),
        // An array nested 10 000 deep inside a page's content.
        ("deep-content.pdf", "too deeply"),
    ] {
        let started = std::time::Instant::now();
        let m = refused(name, &l);
        assert!(m.contains(says), "{name}: {m}");
        assert!(started.elapsed() < std::time::Duration::from_secs(l.seconds + 5), "{name}: {:?}", started.elapsed());
    }
}

#[test]
fn a_broken_xref_is_repaired() {
    let doc = read(&crate::fixture("pdf/broken-xref.pdf"));
    assert_eq!(texts(&doc), ["Broken xref, still read"]);
}

/// Imports a PDF through the whole pipeline (reader → matcher → solver).
fn import_pdf(path: &std::path::Path) -> reportgen::import::Imported {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    reportgen::import::import_bytes(&name, &bytes, Lang::Zh).unwrap_or_else(|d| panic!("{name}: {d:?}"))
}

#[test]
fn hongze_pdf_imports_every_figure_of_its_transcription() {
    let imp = import_pdf(&crate::fixture("corpus/hongze-2024.pdf"));
    let e = crate::corpus::expected("hongze-2024.txt");
    let (wrong, guessed, missed) = crate::corpus::compare(&imp.report, &imp.unknown, &e);
    assert!(wrong.is_empty(), "wrong: {wrong:#?}");
    assert!(guessed.is_empty(), "guessed: {guessed:#?}");
    // （六）其他处理 is printed as one row: its sub-rows are unknown, their sum kept.
    let missed: Vec<&String> = missed.iter().filter(|m| !m.starts_with("/applications/results/other/other/")).collect();
    assert!(missed.is_empty(), "not recovered: {missed:#?}");
    for col in ["natural_person", "total"] {
        let cells: Vec<String> =
            ["overdue_correction", "unpaid_fee", "other"].iter().map(|r| format!("/applications/results/other/{r}/{col}")).collect();
        assert!(cells.iter().all(|c| imp.unknown.contains(c)), "{col}: {:?}", imp.unknown);
        assert_eq!(imp.unknown.sum_of(&cells), Some(0), "{col}");
    }
    assert_eq!(imp.report.meta.year, 2024);
    assert_eq!(imp.report.meta.agency, "淮安市洪泽区人民政府");
    // A finding points at the page: （七）总计 of table B is on page 4.
    let total = imp.positions.get("/applications/results/total").map(|r| r.start);
    let Places::Pages(starts) = &imp.places else { panic!("a PDF names pages") };
    if let Some(at) = total {
        assert_eq!(pdf::page_of(starts, at), 4);
    }
}

/// Every figure of the three tables (totals computed) in a round trip: (equal, unknown,
/// wrong with what was read).
fn figures_back(original: &reportgen::Report, imp: &reportgen::import::Imported) -> (usize, Vec<String>, Vec<String>) {
    let (want, got) = (original.with_totals(), imp.report.with_totals());
    let (mut equal, mut unknown, mut wrong) = (0, Vec::new(), Vec::new());
    for (p, _) in crate::corpus::expected_cells(&serde_json::Value::Null) {
        let w = crate::corpus::value(&want, &p);
        if imp.unknown.contains(&p) {
            unknown.push(p);
        } else if crate::corpus::value(&got, &p) == w {
            equal += 1;
        } else {
            wrong.push(format!("{p}: read {:?}, printed {w:?}", crate::corpus::value(&got, &p)));
        }
    }
    (equal, unknown, wrong)
}

#[test]
fn our_pdfs_import_back_with_every_figure_equal() {
    let chrome = chromium();
    if chrome.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    for example in ["suizhong-2023", "shiyi-scjg-2024"] {
        let original = example_report(example);
        let mut pdfs = vec![("Typst", build(example, "pdf", dir.path()))];
        if let Some(chrome) = chrome {
            let html = build(example, "html", dir.path());
            let pdf = dir.path().join(format!("{example}-chromium.pdf"));
            print_to_pdf(chrome, &html, &pdf);
            pdfs.push(("Chromium", pdf));
        }
        for (producer, pdf) in pdfs {
            let imp = import_pdf(&pdf);
            let (equal, unknown, wrong) = figures_back(&original, &imp);
            assert!(wrong.is_empty(), "{example} ({producer}): wrong {wrong:#?}");
            assert!(unknown.is_empty(), "{example} ({producer}): unknown {unknown:#?}");
            assert_eq!(equal, 10 + 25 * 7 + 15, "{example} ({producer})");
            assert!(!imp.diagnostics.iter().any(|d| d.is_error()), "{example} ({producer}): {:?}", imp.diagnostics);
            assert_eq!(imp.report.meta.year, original.meta.year, "{example} ({producer})");
            assert_eq!(imp.report.meta.agency, original.meta.agency, "{example} ({producer})");
        }
    }
}

/// A portal's page with a figure that breaks its row total, saved as PDF by Chromium:
/// `audit` finds it and names the page it is on (the page poppler finds the row on).
#[test]
fn a_finding_in_a_pdf_names_its_page() {
    let Some(chrome) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(build("suizhong-2023", "html", dir.path())).unwrap();
    let from = "予以公开</th><td class=\"num\">55</td>";
    assert!(html.contains(from), "the example's 予以公开 row changed: update the test");
    let bad = dir.path().join("bad.html");
    std::fs::write(&bad, html.replace(from, "予以公开</th><td class=\"num\">57</td>")).unwrap();
    let pdf = dir.path().join("bad.pdf");
    print_to_pdf(chrome, &bad, &pdf);
    let page = (1..=20)
        .find(|p| {
            let out = Command::new("pdftotext").args(["-f", &p.to_string(), "-l", &p.to_string()]).arg(&pdf).arg("-").output().unwrap();
            String::from_utf8_lossy(&out.stdout).contains("（一）予以公开")
        })
        .expect("poppler finds the row");
    let a = reportgen::audit::audit_bytes("bad.pdf", &std::fs::read(&pdf).unwrap(), None, Lang::Zh);
    assert_eq!(a.verdict, reportgen::audit::Verdict::Inconsistent);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.is_error() && d.message.contains("（一）予以公开"))
        .unwrap_or_else(|| panic!("{:?}", a.diagnostics));
    assert!(d.message.contains("55") && d.message.contains("57"), "{}", d.message);
    assert_eq!(d.place.as_deref(), Some(page.to_string().as_str()), "{d:?}");
    // Through the CLI: `bad.pdf:N:` in the short format.
    let out = crate::bin().args(["audit", "--format", "short"]).arg(&pdf).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains(&format!("bad.pdf:{page}: error[B-row-total]")), "{s}");
}

/// Sets a JSON pointer in a value, creating the objects on its way.
fn set(v: &mut serde_json::Value, pointer: &str, n: u64) {
    let mut at = v;
    for key in pointer.trim_start_matches('/').split('/') {
        if !at.is_object() {
            *at = serde_json::json!({});
        }
        at = at.as_object_mut().unwrap().entry(key.to_string()).or_insert(serde_json::Value::Null);
    }
    *at = serde_json::json!(n);
}

/// A runner with a fixed seed (`PROPTEST_CASES` runs more).
fn runner(default_cases: u32, seed: u8) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default_cases);
    TestRunner::new_with_rng(
        Config { cases, failure_persistence: None, ..Config::default() },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// Every table cell, drawn at random: mostly small, now and then a 12-digit figure.
fn figures() -> impl proptest::strategy::Strategy<Value = Vec<u64>> {
    use proptest::prelude::*;
    let figure = prop_oneof![4 => Just(0u64), 3 => 0u64..100, 2 => 0u64..1_000_000, 1 => 0u64..1_000_000_000_000];
    proptest::collection::vec(figure, 10 + 25 * 7 + 15)
}

/// A report with these figures in its cells (stated totals included, so most do not add
/// up), as `build` expands it.
fn generated(figures: &[u64]) -> (reportgen::Report, reportgen::load::Source) {
    let cells: Vec<String> = crate::corpus::expected_cells(&serde_json::Value::Null).into_iter().map(|c| c.0).collect();
    let seed = reportgen::check_bytes(
        "seed.yaml",
        "meta:\n  agency: 测试局\n  year: 2024\nproblems: x\nother_matters: y\n".as_bytes(),
        &reportgen::Options::default(),
    );
    let mut v = serde_json::to_value(seed.report.unwrap()).unwrap();
    for (p, n) in cells.iter().zip(figures) {
        set(&mut v, p, *n);
    }
    let r: reportgen::Report = serde_json::from_value(v).unwrap();
    let yaml = reportgen::import::yaml::emit(&r, "report.schema.json", "generated");
    let c = reportgen::check_bytes("gen.yaml", yaml.as_bytes(), &reportgen::Options::default());
    (c.expanded.unwrap(), c.source)
}

/// Imports a generated report's PDF and compares every figure.
fn check_back(e: &reportgen::Report, pdf: &[u8], what: &str) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::prelude::*;
    let imp = reportgen::import::import_bytes("gen.pdf", pdf, Lang::Zh).map_err(|d| TestCaseError::fail(format!("{what}: {d:?}")))?;
    let (equal, unknown, wrong) = figures_back(e, &imp);
    prop_assert!(wrong.is_empty(), "{}: wrong: {:#?}", what, wrong);
    prop_assert!(unknown.is_empty(), "{}: unknown: {:#?}", what, unknown);
    prop_assert_eq!(equal, 10 + 25 * 7 + 15, "{}", what);
    Ok(())
}

/// Generated reports through our Typst PDF and back: every figure as printed.
#[test]
fn generated_reports_round_trip_through_our_pdf() {
    let fonts = reportgen::render::pdf::Fonts::load(&[], false);
    let templates = reportgen::render::Templates::default();
    runner(4, 11)
        .run(&figures(), |figures| {
            let (e, source) = generated(&figures);
            let ctx = reportgen::render::Context::new(&e);
            let (pdf, _) = reportgen::render::pdf::render(&ctx, &templates, &fonts, &source, Lang::Zh);
            check_back(&e, &pdf.expect("the PDF compiles"), "Typst")
        })
        .unwrap();
}

/// Generated reports through our HTML, printed to PDF by Chromium, and back.
#[test]
fn generated_reports_round_trip_through_chromium_pdf() {
    let Some(chrome) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium (.ci/run installs it)");
        return;
    };
    let templates = reportgen::render::Templates::default();
    let env = templates.environment();
    runner(2, 12)
        .run(&figures(), |figures| {
            let (e, _) = generated(&figures);
            let ctx = reportgen::render::Context::new(&e);
            let html = templates.render(&env, reportgen::render::OutputFormat::Html, &ctx, Lang::Zh).expect("HTML renders");
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("gen.html"), html).unwrap();
            print_to_pdf(chrome, &dir.path().join("gen.html"), &dir.path().join("gen.pdf"));
            check_back(&e, &std::fs::read(dir.path().join("gen.pdf")).unwrap(), "Chromium")
        })
        .unwrap();
}

/// LibreOffice's PDF export of our HTML page (Writer/Web draws no cell borders, so the
/// tables come as positioned text, one cell per glyph run): never a wrong figure; what
/// cannot be placed is unknown, and said so.
#[test]
fn libreoffice_pdf_of_our_html_has_no_wrong_figure() {
    if Command::new("soffice").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for example in ["suizhong-2023", "shiyi-scjg-2024"] {
        let html = build(example, "html", dir.path());
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path().join("lo"))
            .arg(&html)
            .output()
            .unwrap();
        let pdf = dir.path().join("lo").join(format!("{example}.pdf"));
        assert!(pdf.exists(), "LibreOffice wrote no PDF: {}", String::from_utf8_lossy(&out.stderr));
        let imp = import_pdf(&pdf);
        let (equal, unknown, wrong) = figures_back(&example_report(example), &imp);
        assert!(wrong.is_empty(), "{example} (LibreOffice): wrong {wrong:#?}");
        eprintln!("{example} (LibreOffice PDF of our HTML): {equal} figures equal, {} unknown, 0 wrong", unknown.len());
        // Every unknown cell is reported.
        assert!(unknown.is_empty() || imp.diagnostics.iter().any(|d| d.code == reportgen::Code::Import), "{example}: unknowns unreported");
    }
}
