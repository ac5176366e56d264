//! `build -f tujie`: the 图解 page as HTML and a one-page PDF, figures and sentences from
//! the data only (unknown cells said to be unknown), overridable templates, and a phone
//! in a real browser.

use std::process::Command;

use reportgen::Lang;
use reportgen::model::unknown::Unknown;
use reportgen::render::tujie;

fn build(data: &str, dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    crate::bin().args(["build", data, "-f", "tujie", "-o"]).arg(dir).args(extra).output().unwrap()
}

fn pages(pdf: &std::path::Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn build_writes_the_tujie_html_and_a_one_page_pdf() {
    let dir = tempfile::tempdir().unwrap();
    for data in ["examples/suizhong-2023.yaml", "examples/shiyi-scjg-2024.yaml", "tests/fixtures/render/injection.yaml"] {
        let out = build(data, dir.path(), &[]);
        assert!(out.status.success(), "{data}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let html = std::fs::read_to_string(dir.path().join("suizhong-2023-tujie.html")).unwrap();
    assert!(html.contains("绥中县2023年政府信息公开工作年度报告【图解】"));
    // Headline figures from the data: 主动公开 = 1 + 21820 + 1046 + 3; 新收 57; 办结 57.
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse(".tile").unwrap();
    let tiles: Vec<String> = doc.select(&sel).map(|t| t.text().collect::<String>()).collect();
    assert_eq!(tiles.len(), 5);
    assert!(tiles[0].starts_with("主动公开22870件"), "{tiles:?}");
    assert!(tiles[1].starts_with("新收申请57件"));
    assert!(tiles[2].starts_with("办结57件") && tiles[2].contains("公开率 96.5%"));
    assert!(tiles[3].starts_with("复议／诉讼1 / 0件"));
    assert!(tiles[4].starts_with("纠错1件"));
    assert_eq!(html.matches("<svg").count(), 4, "four charts inline");
    assert!(!html.contains("<script"));
    for (stem, n) in [("suizhong-2023", 1), ("shiyi-scjg-2024", 1), ("injection", 1)] {
        let pdf = dir.path().join(format!("{stem}-tujie.pdf"));
        assert_eq!(pages(&pdf), n, "{stem}: one A4 page");
    }
    let text = crate::chart::pdftotext(&dir.path().join("suizhong-2023-tujie.pdf"));
    assert!(text.contains("22870") && text.contains("本年新收政府信息公开申请57件"), "{text}");
}

#[test]
fn the_sentences_are_built_from_the_data_and_say_what_is_unknown() {
    let bytes = std::fs::read("examples/suizhong-2023.yaml").unwrap();
    let r = reportgen::check_bytes("s.yaml", &bytes, &reportgen::Options::default()).report.unwrap();
    let ctx = tujie::context(&r, &Unknown::none(), Lang::Zh);
    assert_eq!(
        ctx.parts[1].summary,
        "本年新收政府信息公开申请57件，上年结转0件；办结57件，其中予以公开55件、部分公开0件，公开率96.5%；结转下年度继续办理0件。"
    );
    assert_eq!(ctx.parts[2].summary, "因政府信息公开引起行政复议1件、行政诉讼0件；其中结果被纠正1件，尚未审结0件。");
    assert!(ctx.parts[0].summary.contains("作出行政许可决定21820件、行政处罚决定1046件、行政强制决定3件；行政事业性收费15314万元。"));

    // A file without stated totals: a total over an unknown cell is unknown. (A stated
    // total that was read, as in the file above, stands as printed.)
    let bytes = std::fs::read("tests/fixtures/compare/this-2023.yaml").unwrap();
    let r = reportgen::check_bytes("t.yaml", &bytes, &reportgen::Options::default()).report.unwrap();
    let mut unknown = Unknown::none();
    unknown.insert("/applications/results/disclosed/natural_person");
    unknown.insert("/reviews_and_lawsuits/review/corrected");
    let ctx = tujie::context(&r, &unknown, Lang::Zh);
    let b = &ctx.parts[1].summary;
    assert!(b.contains("办结（未读出），其中予以公开（未读出）") && b.contains("公开率未能计算"), "{b}");
    assert!(b.starts_with("本年新收政府信息公开申请41件"), "{b}");
    let c = &ctx.parts[2].summary;
    assert!(c.contains("行政复议（未读出）、行政诉讼1件") && c.contains("其中结果被纠正（未读出）"), "{c}");
    assert_eq!(ctx.headlines[2].value, "未读出");
    assert_eq!(ctx.headlines[4].value, "未读出", "纠错 over an unknown cell is unknown, not 0");
    assert_eq!(ctx.unknown_cells, 2);
}

#[test]
fn designers_override_the_tujie_templates() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t");
    std::fs::create_dir(&t).unwrap();
    std::fs::write(t.join("tujie.html.j2"), "<p>{{ headlines[1].label }}={{ headlines[1].value }}</p>").unwrap();
    let out = build("examples/suizhong-2023.yaml", dir.path(), &["--templates", t.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join("suizhong-2023-tujie.html")).unwrap(), "<p>新收申请=57</p>");
    let list = crate::bin().args(["templates", "list"]).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    for name in ["tujie.html.j2", "tujie.typ", "compare.html.j2", "compare.md.j2", "compare.typ", "dashboard.html.j2", "pages.css"] {
        assert!(list.lines().any(|l| l == name), "templates list shows {name}");
    }
    let ej = dir.path().join("ejected");
    assert!(crate::bin().args(["templates", "eject"]).arg(&ej).output().unwrap().status.success());
    assert!(std::fs::read_to_string(ej.join("tujie.typ")).unwrap().contains("#let tujie(data)"));
}

#[test]
fn the_tujie_page_fits_a_phone_in_a_real_browser() {
    let Some(chrome) =
        ["chromium", "chromium-browser"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    assert!(build("examples/shiyi-scjg-2024.yaml", dir.path(), &[]).status.success());
    let probe = r#"<!DOCTYPE html><html><body><iframe id="f" src="shiyi-scjg-2024-tujie.html" style="width:390px;height:844px;border:0"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument;
  var charts = Array.prototype.map.call(d.querySelectorAll('svg.chart'), function (s) {
    var r = s.getBoundingClientRect();
    return { w: r.width, right: r.right };
  });
  var label = d.querySelector('svg.chart text.label');
  document.body.setAttribute('data-result', JSON.stringify({
    page: d.documentElement.scrollWidth, client: d.documentElement.clientWidth, charts: charts,
    label: label.getBoundingClientRect().height
  }));
});
</script></body></html>"#;
    std::fs::write(dir.path().join("probe.html"), probe).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .args([
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", dir.path().join("probe.html").display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("data-result=\"").expect("the probe ran") + 13;
    let r: serde_json::Value = serde_json::from_str(&dom[start..start + dom[start..].find('"').unwrap()].replace("&quot;", "\"")).unwrap();
    assert!(r["page"].as_f64().unwrap() <= r["client"].as_f64().unwrap(), "the page overflows a phone: {r}");
    let charts = r["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 4);
    for c in charts {
        assert!(c["right"].as_f64().unwrap() <= r["client"].as_f64().unwrap() + 0.5, "a chart sticks out: {r}");
    }
    assert!(r["label"].as_f64().unwrap() >= 10.0, "chart labels stay legible on a phone (≥ 10 px): {r}");
}
