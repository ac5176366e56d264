//! The PDF: text and figures in order (pdftotext), fonts embedded (pdffonts),
//! byte-identical builds, the sandbox, missing glyphs.

use std::path::Path;
use std::process::Command;

use reportgen::model::labels::{APPLICANTS, RESULT_ROWS};

pub(crate) fn need(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    assert!(ok || std::env::var_os("CI").is_none(), "CI must have {tool} (.ci/run installs poppler-utils)");
    ok
}

fn build_pdf(data: &Path, dir: &Path, extra: &[&str]) -> std::process::Output {
    crate::bin().arg("build").arg(data).arg("-o").arg(dir).args(["-f", "pdf"]).args(extra).output().unwrap()
}

pub(crate) fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg("-raw").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts each needle occurs in `hay`, in order; returns nothing, panics naming the first missing.
pub(crate) fn in_order(hay: &str, needles: &[String]) {
    let mut at = 0;
    for n in needles {
        match hay[at..].find(n.as_str()) {
            Some(i) => at += i + n.len(),
            None => panic!("“{n}” missing or out of order (searching from byte {at})"),
        }
    }
}

#[test]
fn every_label_figure_and_paragraph_in_order() {
    if !need("pdftotext") {
        return;
    }
    for example in ["suizhong-2023", "shiyi-scjg-2024"] {
        let data = crate::root().join(format!("examples/{example}.yaml"));
        let dir = tempfile::tempdir().unwrap();
        let out = build_pdf(&data, dir.path(), &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = squash(&pdftotext(&dir.path().join(format!("{example}.pdf"))));
        let r = crate::check_file(&data, reportgen::Lang::Zh).expanded.unwrap();
        let ctx = reportgen::render::Context::new(&r);

        let mut expect: Vec<String> = vec![squash(&ctx.title)];
        for b in &ctx.preamble.blocks {
            expect.push(squash(&block_text(b)));
        }
        expect.push("一、总体情况".into());
        for s in &ctx.sections {
            expect.push(squash(&format!("{}{}", s.number, s.title)));
            expect.extend(s.body.blocks.iter().map(|b| squash(&block_text(b))));
        }
        expect.push("二、主动公开政府信息情况".into());
        let p = &r.proactive;
        for (label, figures) in [
            ("规章", vec![p.rules.issued.0, p.rules.repealed.0, p.rules.in_force.0]),
            ("行政规范性文件", vec![p.normative_documents.issued.0, p.normative_documents.repealed.0, p.normative_documents.in_force.0]),
            ("行政许可", vec![p.licensing.0]),
            ("行政处罚", vec![p.punishment.0]),
            ("行政强制", vec![p.enforcement.0]),
        ] {
            expect.push(format!("{label}{}", figures.iter().map(u64::to_string).collect::<String>()));
        }
        expect.push(format!("行政事业性收费{}", reportgen::render::grid::fees(p.fees)));
        expect.push("三、收到和处理政府信息公开申请情况".into());
        expect.push(squash(reportgen::model::labels::BALANCE_NOTE));
        expect.extend(APPLICANTS.iter().map(|c| c.label.to_string()));
        let a = &r.applications;
        let row = |label: &str, row: &reportgen::model::Row| {
            format!("{}{}", squash(label), row.cells().iter().chain([&row.sum()]).map(u64::to_string).collect::<String>())
        };
        expect.push(row("一、本年新收政府信息公开申请数量", &a.received));
        expect.push(row("二、上年结转政府信息公开申请数量", &a.carried_over));
        for (def, r) in RESULT_ROWS.iter().zip(a.result_rows()) {
            expect.push(row(def.label, r));
        }
        expect.push(row("（七）总计", &a.results_total()));
        expect.push(row("四、结转下年度继续办理", &a.carried_forward));
        expect.push("四、政府信息公开行政复议、行政诉讼情况".into());
        expect.push(
            r.reviews_and_lawsuits.groups().iter().flat_map(|g| g.cells().into_iter().chain([g.sum()])).map(|n| n.to_string()).collect(),
        );
        expect.push("五、存在的主要问题及改进情况".into());
        expect.extend(ctx.problems.blocks.iter().map(|b| squash(&block_text(b))));
        expect.push("六、其他需要报告的事项".into());
        expect.extend(ctx.other_matters.blocks.iter().map(|b| squash(&block_text(b))));
        in_order(&text, &expect);
        // The group labels of table B are there too.
        for g in ["（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"] {
            assert!(text.contains(g), "{example}: {g}");
        }
    }
}

/// The plain text of a prose block (what a PDF reader extracts).
pub(crate) fn block_text(b: &reportgen::prose::Block) -> String {
    use reportgen::prose::{Block, plain_text as inl};
    match b {
        Block::Paragraph { content } | Block::Heading { content, .. } => inl(content),
        // List markers sit between items in the extracted text.
        Block::List { items, .. } => items.first().map(|i| i.iter().map(block_text).collect()).unwrap_or_default(),
        Block::Quote { content } => content.iter().map(block_text).collect(),
        Block::Code { text } => text.clone(),
        Block::Rule => String::new(),
    }
}

#[test]
fn fonts_are_embedded_and_metadata_set() {
    if !need("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = build_pdf(&crate::root().join("examples/suizhong-2023.yaml"), dir.path(), &["--ignore-system-fonts"]);
    assert!(out.status.success());
    let pdf = dir.path().join("suizhong-2023.pdf");
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&pdf).output().unwrap().stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 2, "{fonts}");
    for r in &rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "not embedded: {r}");
    }
    assert!(fonts.contains("NotoSerifCJKsc") && fonts.contains("NotoSansCJKsc"), "{fonts}");
    let info = String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("Title:           绥中县2023年政府信息公开工作年度报告"), "{info}");
    assert!(info.contains("Author:          绥中县人民政府"));
    assert!(info.contains("CreationDate:    Sun Feb 18 00:00:00 2024 UTC"));
    assert!(info.contains("Tagged:          yes"));
    assert!(info.contains("Page size:       595.276 x 841.89 pts (A4)"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let data = crate::root().join("examples/shiyi-scjg-2024.yaml");
    assert!(build_pdf(&data, a.path(), &[]).status.success());
    assert!(build_pdf(&data, b.path(), &[]).status.success());
    let x = std::fs::read(a.path().join("shiyi-scjg-2024.pdf")).unwrap();
    let y = std::fs::read(b.path().join("shiyi-scjg-2024.pdf")).unwrap();
    assert!(x.len() > 10_000);
    assert!(x == y, "PDF bytes differ between two builds");
}

#[test]
fn injected_prose_appears_literally() {
    if !need("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = build_pdf(&crate::fixture("render/injection.yaml"), dir.path(), &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = squash(&pdftotext(&dir.path().join("injection.pdf")));
    for literal in [
        "标题<imgsrc=xonerror=alert(1)>|#*`_[链接](javascript:alert(2)){{meta.year}}",
        "导语<script>alert(\"preamble\")</script>与<imgsrc=xonerror=alert(3)>以及|管道|和{{花括号}}。",
        "<divonclick=\"alert(5)\">块</div>",
        "<style>body{display:none}</style>",
    ] {
        assert!(text.contains(literal), "not literal in the PDF: {literal}\n{text}");
    }
}

#[test]
fn a_character_no_font_has_is_a_warning_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let out = build_pdf(&crate::fixture("render/rare-char.yaml"), dir.path(), &["--ignore-system-fonts", "--format", "short"]);
    assert!(out.status.success(), "a warning does not stop the build");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rare-char.yaml:2:11: warning[font]") && err.contains("U+20000"), "{err}");
    assert!(err.contains("U+2A6A5"), "{err}");
}

fn with_template(typ: &str) -> (std::process::Output, tempfile::TempDir) {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("report.typ"), typ).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = build_pdf(
        &crate::root().join("examples/suizhong-2023.yaml"),
        out_dir.path(),
        &["--format", "short", "--templates", t.path().to_str().unwrap()],
    );
    (out, out_dir)
}

#[test]
fn the_typst_sandbox_holds() {
    for (typ, what) in [
        ("#let report(data) = read(\"/etc/passwd\")\n", "read"),
        ("#let report(data) = image(\"/etc/passwd\")\n", "image"),
        ("#let report(data) = read(\"../../../../etc/passwd\")\n", "relative read"),
        ("#import \"@preview/cetz:0.3.0\"\n#let report(data) = []\n", "package"),
    ] {
        let (out, dir) = with_template(typ);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(!err.contains("root:x"), "{what} leaked the file");
        assert!(err.contains("error[template]") && err.contains("report.typ"), "{what}: {err}");
        assert!(!dir.path().join("suizhong-2023.pdf").exists());
    }
}

#[test]
fn typst_errors_name_file_and_line() {
    let (out, _) = with_template("#let report(data) = {\n  let x = 1\n  data.no_such_key\n}\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("report.typ:3:") && err.contains("no_such_key"), "{err}");
}

#[test]
fn typst_bundle_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin().args(["build", "examples/suizhong-2023.yaml", "-f", "typst", "-o"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    let b = dir.path().join("suizhong-2023-typst");
    for f in ["main.typ", "data.json", "report.typ", "fonts/NotoSerifCJKsc-Regular.otf", "fonts/OFL.txt"] {
        assert!(b.join(f).is_file(), "{f} missing from the bundle");
    }
    let data: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(b.join("data.json")).unwrap()).unwrap();
    assert_eq!(data["tables"]["b"]["columns"], 10);
    // When the Typst CLI is installed (the benchmark installs it), it gives the same PDF.
    if Command::new("typst").arg("--version").output().is_ok() {
        let st = Command::new("typst")
            .current_dir(&b)
            .args(["compile", "--ignore-system-fonts", "--font-path", "fonts", "main.typ", "cli.pdf"])
            .status()
            .unwrap();
        assert!(st.success());
        let ours = dir.path().join("ours");
        assert!(build_pdf(&crate::root().join("examples/suizhong-2023.yaml"), &ours, &["--ignore-system-fonts"]).status.success());
        let a = pdftotext(&b.join("cli.pdf"));
        let c = pdftotext(&ours.join("suizhong-2023.pdf"));
        assert_eq!(a, c, "the bundle typesets the same text");
    }
}

/// When a table does not fit a page (here: a designer's template with a short text
/// block), its header rows repeat on the next page under a 续表 marker.
#[test]
fn continued_tables_repeat_their_header_with_a_marker() {
    if !need("pdftotext") {
        return;
    }
    let default = reportgen::render::templates::DEFAULTS.iter().find(|(n, _)| *n == "report.typ").unwrap().1;
    let short = default.replace("#let block-height = 225mm", "#let block-height = 120mm");
    assert_ne!(short, default);
    let (out, dir) = with_template(&short);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdftotext(&dir.path().join("suizhong-2023.pdf"));
    assert_eq!(text.matches("续表").count(), 1, "{text}");
    assert_eq!(text.matches("申请人情况").count(), 2);
    // The marker sits on the page where the table continues, above the repeated header.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let p = pages.iter().position(|p| p.contains("续表")).unwrap();
    assert!(pages[p - 1].contains("一、本年新收政府信息公开申请数量"));
    assert!(pages[p].find("续表").unwrap() < pages[p].find("申请人情况").unwrap());
}

/// The committed metadata of the embedded fonts matches the font files
/// (regenerate: `UPDATE_FONT_INFO=1 cargo test --release font_info`).
#[test]
fn embedded_font_info_is_current() {
    let path = crate::root().join("assets/fonts/fontinfo.json");
    let current = reportgen::render::pdf::embedded_font_info();
    if std::env::var_os("UPDATE_FONT_INFO").is_some() {
        std::fs::write(&path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(committed == current, "assets/fonts/fontinfo.json is stale: UPDATE_FONT_INFO=1 cargo test --release font_info");
}
