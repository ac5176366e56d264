//! Import generalises by construction: many generated consistent reports are built, then
//! flattened the ways real reports reach us (the page's text as Chromium gives it,
//! `pdftotext` with and without `-layout`, pandoc's Markdown and plain text, a
//! PDF→Markdown converter, and the CMS shapes: one cell per line, `cell |` rows, cells
//! run together), and imported again. Every figure must come back equal or be marked
//! unknown: a wrong figure fails the test. The clean flattenings must come back whole.
//!
//! `FLATTEN_CASES=200 cargo test --release flatten` (or `PROPTEST_CASES`) runs longer
//! (fixed seeds); `FLATTEN_KEEP=DIR` keeps every flattening to look at.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use proptest::prelude::Rng;
use proptest::test_runner::{RngAlgorithm, TestRng};
use reportgen::Lang;
use reportgen::model::unknown::{a_cells, b_row, b_rows, c_cells};
use reportgen::model::{Count, Documents, Outcomes, Report, Row};

fn cases() -> usize {
    ["FLATTEN_CASES", "PROPTEST_CASES"].iter().find_map(|k| std::env::var(k).ok()?.parse().ok()).unwrap_or(8)
}

/// A number in `lo..hi`.
fn range(rng: &mut TestRng, lo: u64, hi: u64) -> u64 {
    lo + rng.next_u64() % (hi - lo)
}

/// A figure: mostly 0 or small, sometimes large (up to 7 digits), as real tables are.
fn figure(rng: &mut TestRng) -> u64 {
    match rng.next_u32() % 10 {
        0..=4 => 0,
        5..=7 => range(rng, 1, 60),
        8 => range(rng, 60, 5000),
        _ => range(rng, 5000, 3_000_000),
    }
}

fn row(rng: &mut TestRng) -> [u64; 6] {
    // Most applications come from 自然人; the other columns are often all zero.
    let mut c = [0u64; 6];
    for (i, v) in c.iter_mut().enumerate() {
        *v = if i == 0 || rng.next_u32().is_multiple_of(3) { figure(rng) } else { 0 };
    }
    c
}

const AGENCIES: [&str; 6] = ["测试县人民政府", "某市生态环境局", "某区市场监督管理局", "某县教育局", "某市统计局", "某省发展和改革委员会"];

/// A consistent report (every 勾稽 relation holds), its prose stating some of its own
/// table-A figures as real reports do.
fn report(rng: &mut TestRng, seed: usize) -> Report {
    let year = 2020 + (seed % 6) as u16;
    let agency = AGENCIES[seed % AGENCIES.len()];
    let yaml = format!(
        "meta:\n  agency: {agency}\n  year: {year}\n  published: \"{}-01-2{}\"\nproblems: x\nother_matters: y\n",
        year + 1,
        seed % 9
    );
    let mut r = reportgen::check_bytes("seed.yaml", yaml.as_bytes(), &reportgen::Options::default()).report.unwrap();
    let docs = |rng: &mut TestRng| Documents { issued: Count(figure(rng)), repealed: Count(figure(rng)), in_force: Count(figure(rng)) };
    r.proactive.rules = docs(rng);
    r.proactive.normative_documents = docs(rng);
    r.proactive.licensing = Count(figure(rng));
    r.proactive.punishment = Count(figure(rng));
    r.proactive.enforcement = Count(figure(rng));
    r.proactive.fees = match rng.next_u32() % 3 {
        0 => 0.0,
        1 => figure(rng) as f64,
        _ => (range(rng, 1, 2_000_000) as f64) / 100.0,
    };
    let a = &mut r.applications;
    for rr in a.result_rows_mut() {
        *rr = Row::from_cells(row(rng));
    }
    a.carried_forward = Row::from_cells(row(rng));
    let total = a.results_total().cells();
    let forward = a.carried_forward.cells();
    let mut over = row(rng);
    let mut received = [0u64; 6];
    for i in 0..6 {
        let need = total[i] + forward[i];
        over[i] = over[i].min(need);
        received[i] = need - over[i];
    }
    a.carried_over = Row::from_cells(over);
    a.received = Row::from_cells(received);
    let outcomes = |rng: &mut TestRng| {
        let mut o = Outcomes {
            upheld: Count(figure(rng) % 40),
            corrected: Count(figure(rng) % 9),
            other: Count(figure(rng) % 9),
            pending: Count(figure(rng) % 9),
            total: None,
        };
        o.total = Some(Count(o.sum()));
        o
    };
    r.reviews_and_lawsuits.review = outcomes(rng);
    r.reviews_and_lawsuits.lawsuit_direct = outcomes(rng);
    r.reviews_and_lawsuits.lawsuit_after_review = outcomes(rng);
    let nd = &r.proactive.normative_documents;
    let mut body = format!("本年度，我单位通过政府网站主动公开政府信息{}条。", figure(rng) + 100);
    if rng.next_u32().is_multiple_of(2) {
        body.push_str(&format!("本年制发行政规范性文件{}件，现行有效{}件。", nd.issued.0, nd.in_force.0));
    }
    let received_total: u64 = r.applications.received.sum();
    r.overview.sections = vec![
        reportgen::model::Section { title: "主动公开".into(), body },
        reportgen::model::Section {
            title: "依申请公开".into(),
            body: format!("全年共收到政府信息公开申请{received_total}件，均在法定期限内答复。"),
        },
    ];
    r.problems = "一是公开内容还不够全面；二是解读形式较为单一。下一步将加强培训。".into();
    r.other_matters = "本年度未收取信息处理费。".into();
    r.with_totals()
}

/// Every figure cell of the three tables: its pointer and its value in the report.
fn figures(r: &Report) -> Vec<(String, f64)> {
    let v = serde_json::to_value(r).unwrap();
    let mut cells = a_cells();
    for row in b_rows() {
        cells.extend(b_row(row));
    }
    cells.extend(c_cells());
    cells.into_iter().map(|p| (p.clone(), v.pointer(&p).and_then(serde_json::Value::as_f64).unwrap_or(0.0))).collect()
}

/// What one flattening of one report gave back.
#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    reports: usize,
    exact: usize,
    unknown: usize,
    wrong: usize,
    refused: usize,
}

/// Imports `text` and compares it with `want`: returns the tally and the wrong cells.
fn compare(name: &str, bytes: &[u8], want: &Report) -> (Tally, Vec<String>) {
    let mut t = Tally { reports: 1, ..Tally::default() };
    let imp = match reportgen::import::import_bytes(name, bytes, Lang::Zh) {
        Ok(imp) => imp,
        Err(_) => {
            t.refused = 1;
            t.unknown = figures(want).len();
            return (t, vec![]);
        }
    };
    // Totals as read (a total that was not printed is the sum of its row).
    let got_v = serde_json::to_value(&imp.report).unwrap();
    let summed = serde_json::to_value(imp.report.with_totals()).unwrap();
    let mut wrong = vec![];
    for (p, w) in figures(want) {
        if imp.unknown.contains(&p) {
            t.unknown += 1;
            continue;
        }
        let g = got_v
            .pointer(&p)
            .and_then(serde_json::Value::as_f64)
            .or_else(|| summed.pointer(&p).and_then(serde_json::Value::as_f64))
            .unwrap_or(0.0);
        if (g - w).abs() < 1e-6 {
            t.exact += 1;
        } else {
            t.wrong += 1;
            wrong.push(format!("{name}: {p} read as {g}, printed {w}"));
        }
    }
    (t, wrong)
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// The cells of our Markdown tables, and the lines around them, in the shapes a CMS
/// leaves: `one` cell per line, `bar` rows of `cell |`, or cells `run` together.
fn cms(md: &str, shape: &str) -> String {
    let mut out = String::new();
    for line in md.lines() {
        let t = line.trim();
        if !t.starts_with('|') {
            out.push_str(t.trim_start_matches('#').trim());
            out.push('\n');
            continue;
        }
        if t.trim_matches(|c| c == '|' || c == '-' || c == ':' || c == ' ').is_empty() {
            continue; // the rule line
        }
        let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
        match shape {
            "one" => cells.iter().for_each(|c| {
                out.push_str(c);
                out.push('\n');
            }),
            "bar" => {
                out.push_str(&cells.iter().map(|c| format!("{c} |")).collect::<Vec<_>>().join(" "));
                out.push('\n');
            }
            _ => {
                out.push_str(&cells.concat());
                out.push('\n');
            }
        }
    }
    out
}

/// Our Markdown's tables shredded as CMS editors and converters leave them: every few
/// rows the table is cut and a new one starts with invented header cells (`数据1`…) and
/// the original header repeated.
fn shred(md: &str) -> String {
    let mut out = String::new();
    let mut header: Option<String> = None;
    let mut rows = 0;
    for line in md.lines() {
        let t = line.trim();
        if !t.starts_with('|') {
            header = None;
            rows = 0;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let n = t.trim_matches('|').split('|').count();
        let rule = format!("|{}", "---|".repeat(n));
        if t.trim_matches(|c| c == '|' || c == '-' || c == ':' || c == ' ').is_empty() {
            out.push_str(&rule);
            out.push('\n');
            continue;
        }
        match &header {
            None => header = Some(line.to_string()),
            Some(h) => {
                rows += 1;
                if rows % 5 == 0 {
                    let invented: Vec<String> = (1..=n).map(|i| format!("数据{i}")).collect();
                    out.push_str(&format!("\n| {} |\n{rule}\n{h}\n", invented.join(" | ")));
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The page text of each HTML file as Chromium's `innerText` gives it (what a person
/// copying the page gets), in one browser run.
fn inner_texts(chrome: &str, dir: &Path, pages: &[String]) -> Vec<String> {
    let list = serde_json::to_string(pages).unwrap();
    let probe = format!(
        r#"<!DOCTYPE html><html><body><iframe id="f"></iframe><div id="out"></div>
<script>
var pages = {list}, i = 0, f = document.getElementById('f');
f.addEventListener('load', function () {{
  var pre = document.createElement('pre');
  pre.id = 'flat-' + i;
  pre.textContent = f.contentDocument.body.innerText;
  document.getElementById('out').appendChild(pre);
  i += 1;
  if (i < pages.length) f.src = pages[i]; else document.body.setAttribute('data-done', '1');
}});
f.src = pages[0];
</script></body></html>"#
    );
    std::fs::write(dir.join("probe.html"), probe).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = crate::headless(chrome, profile.path())
        .args(["--allow-file-access-from-files", "--virtual-time-budget=30000", "--dump-dom"])
        .arg(format!("file://{}", dir.join("probe.html").display()))
        .output()
        .unwrap();
    let dom = scraper::Html::parse_document(&String::from_utf8_lossy(&out.stdout));
    (0..pages.len())
        .map(|i| {
            let sel = scraper::Selector::parse(&format!("#flat-{i}")).unwrap();
            dom.select(&sel).next().unwrap_or_else(|| panic!("page {i} was not read by the browser")).text().collect()
        })
        .collect()
}

fn run(tool: &str, args: &[&str], input: &Path) -> Option<Vec<u8>> {
    let out = Command::new(tool).args(args).arg(input).output().ok()?;
    out.status.success().then_some(out.stdout)
}

#[test]
fn every_flattening_of_generated_reports_reads_back_exact_or_unknown() {
    let n = cases();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&data).unwrap();
    let mut reports = BTreeMap::new();
    for seed in 0..n {
        let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed as u8 ^ 0x5a; 32]);
        let r = report(&mut rng, seed);
        let name = format!("gen-{seed:03}");
        std::fs::write(data.join(format!("{name}.yaml")), reportgen::import::yaml::emit(&r, "report.schema.json", "")).unwrap();
        reports.insert(name, r);
    }
    let built = crate::bin().arg("build").arg(&data).arg("-o").arg(&out).args(["-f", "html,md,pdf,docx"]).output().unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));

    let ci = std::env::var_os("CI").is_some();
    let chrome = crate::chromium();
    assert!(!ci || chrome.is_some(), "CI must have chromium");
    let names: Vec<String> = reports.keys().cloned().collect();
    let inner = chrome.map(|c| inner_texts(c, &out, &names.iter().map(|n| format!("{n}.html")).collect::<Vec<_>>()));
    let poppler = have("pdftotext") || Command::new("pdftotext").arg("-v").output().is_ok();
    assert!(!ci || poppler, "CI must have pdftotext");
    let pandoc = have("pandoc");
    assert!(!ci || pandoc, "CI must have pandoc");
    // LibreOffice opens each page as an office would and saves it as text (one call for all).
    let soffice = have("soffice");
    assert!(!ci || soffice, "CI must have LibreOffice (.ci/run installs libreoffice-writer-nogui)");
    let lo_dir = dir.path().join("lo");
    if soffice {
        let profile = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("soffice");
        cmd.arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
            .args(["--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir"])
            .arg(&lo_dir);
        for n in &names {
            cmd.arg(out.join(format!("{n}.html")));
        }
        let done = cmd.output().unwrap();
        assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    }
    // The Word route: LibreOffice saves each page as .docx (an office pasting the page into
    // Word), and prints our .docx to PDF.
    let lo_docx = dir.path().join("lo-docx");
    let lo_pdf = dir.path().join("lo-pdf");
    if soffice {
        for (to, filter, ext) in [(&lo_docx, "docx:MS Word 2007 XML", "html"), (&lo_pdf, "pdf", "docx")] {
            let profile = tempfile::tempdir().unwrap();
            let mut cmd = Command::new("soffice");
            cmd.arg(format!("-env:UserInstallation=file://{}", profile.path().display())).args(["--headless", "--convert-to", filter, "--outdir"]).arg(to);
            for n in &names {
                cmd.arg(out.join(format!("{n}.{ext}")));
            }
            let done = cmd.output().unwrap();
            assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
        }
    }
    let markitdown = Command::new("markitdown").arg("--help").output().is_ok_and(|o| o.status.success());

    // Flattening → (tally, must be whole).
    let mut tallies: BTreeMap<&str, (Tally, bool)> = BTreeMap::new();
    let mut wrong = vec![];
    let mut add = |kind: &'static str, whole: bool, name: &str, bytes: Option<Vec<u8>>, want: &Report| {
        let Some(bytes) = bytes else { return };
        // FLATTEN_KEEP=DIR keeps every flattening for a person to look at.
        if let Some(keep) = std::env::var_os("FLATTEN_KEEP") {
            let _ = std::fs::create_dir_all(&keep);
            let _ = std::fs::write(Path::new(&keep).join(format!("{name}.{kind}.txt")), &bytes);
        }
        let (t, w) = compare(&format!("{name}.{kind}"), &bytes, want);
        let e = tallies.entry(kind).or_insert((Tally::default(), whole));
        e.0.reports += t.reports;
        e.0.exact += t.exact;
        e.0.unknown += t.unknown;
        e.0.wrong += t.wrong;
        e.0.refused += t.refused;
        wrong.extend(w);
    };
    for (i, (name, want)) in reports.iter().enumerate() {
        let html = out.join(format!("{name}.html"));
        let md = out.join(format!("{name}.md"));
        let pdf = out.join(format!("{name}.pdf"));
        let md_text = std::fs::read_to_string(&md).unwrap();
        add("html", true, name, std::fs::read(&html).ok(), want);
        add("md", true, name, Some(md_text.clone().into_bytes()), want);
        if let Some(inner) = &inner {
            add("chromium-innertext", true, name, Some(inner[i].clone().into_bytes()), want);
        }
        if poppler {
            add(
                "pdftotext-layout",
                true,
                name,
                run("pdftotext", &["-layout", "-enc", "UTF-8"], &pdf).map(|_| std::fs::read(pdf.with_extension("txt")).unwrap()),
                want,
            );
            add(
                "pdftotext-raw",
                true,
                name,
                run("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf).map(|_| std::fs::read(pdf.with_extension("txt")).unwrap()),
                want,
            );
            add(
                "pdftotext",
                false,
                name,
                run("pdftotext", &["-enc", "UTF-8"], &pdf).map(|_| std::fs::read(pdf.with_extension("txt")).unwrap()),
                want,
            );
        }
        if pandoc {
            add("pandoc-gfm", true, name, run("pandoc", &["-f", "html", "-t", "gfm", "--wrap=none"], &html), want);
            add(
                "pandoc-gfm-shredded",
                true,
                name,
                run("pandoc", &["-f", "html", "-t", "gfm", "--wrap=none"], &html).map(|b| shred(&String::from_utf8_lossy(&b)).into_bytes()),
                want,
            );
            add("pandoc-plain", false, name, run("pandoc", &["-f", "html", "-t", "plain", "--wrap=none"], &html), want);
        }
        add("docx", true, name, std::fs::read(out.join(format!("{name}.docx"))).ok(), want);
        if soffice {
            add("libreoffice-txt", true, name, std::fs::read(lo_dir.join(format!("{name}.txt"))).ok(), want);
            add("libreoffice-html-to-docx", true, name, std::fs::read(lo_docx.join(format!("{name}.docx"))).ok(), want);
            add("libreoffice-docx-to-pdf", true, name, std::fs::read(lo_pdf.join(format!("{name}.pdf"))).ok(), want);
        }
        if pandoc {
            add("pandoc-md-to-html", true, name, run("pandoc", &["-f", "gfm", "-t", "html"], &md), want);
        }
        if markitdown {
            add("markitdown-pdf", false, name, run("markitdown", &[], &pdf), want);
        }
        // The PDF itself, read by its geometry (src/import/pdf), and Chromium's
        // print-to-PDF of the page, as a portal's visitor saves it.
        add("pdf-geometry", true, name, std::fs::read(&pdf).ok(), want);
        if let Some(c) = chrome {
            let printed = out.join(format!("{name}.chromium.pdf"));
            let profile = tempfile::tempdir().unwrap();
            let _ = crate::headless(c, profile.path()).arg(format!("--print-to-pdf={}", printed.display())).arg(&html).output();
            add("pdf-geometry-chromium", true, name, std::fs::read(&printed).ok(), want);
        }
        add("cms-one-cell-per-line", true, name, Some(cms(&md_text, "one").into_bytes()), want);
        add("cms-cell-bars", true, name, Some(cms(&md_text, "bar").into_bytes()), want);
        add("cms-shredded-tables", true, name, Some(shred(&md_text).into_bytes()), want);
        add("cms-run-together", false, name, Some(cms(&md_text, "run").into_bytes()), want);
    }
    let mut table = String::from("flattening              reports  exact  unknown  wrong  refused\n");
    for (k, (t, _)) in &tallies {
        table.push_str(&format!("{k:<24}{:>6}{:>8}{:>9}{:>7}{:>9}\n", t.reports, t.exact, t.unknown, t.wrong, t.refused));
    }
    eprintln!("{table}");
    assert!(wrong.is_empty(), "wrong figures (a wrong figure is worse than none):\n{}\n{table}", wrong.join("\n"));
    for (k, (t, whole)) in &tallies {
        if *whole {
            assert_eq!((t.unknown, t.refused), (0, 0), "{k}: a clean flattening must read back whole\n{table}");
        }
    }
    assert!(tallies.len() >= 6, "{table}");
}
