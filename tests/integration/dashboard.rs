//! `audit … --html`, `--format json`, `--format csv`: the metrics of the corpus against
//! values computed here, by hand-written formulas, from the hand transcriptions in
//! `tests/fixtures/corpus/expected/*.json` (not by the code under test); the dashboard
//! page (self-contained, sortable, findings linked to their lines, definitions printed);
//! the CSV for Excel.

use serde_json::Value;

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn add(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? + b?)
}

/// (key, value, shown as) from a transcription, by the formulas of FORMAT.md: 办结 =
/// （七）总计; 公开率 = (予以公开 + 部分公开) / 办结; 纠错率 = 纠正 / (维持 + 纠正 + 其他);
/// a missing (null) cell makes the metric unknown.
fn expected(t: &Value) -> Vec<(&'static str, Option<f64>, String)> {
    let b = |row: &str| num(&t["b"][row][6]);
    let c = |i: usize| num(&t["c"][i]);
    let a = &t["a"];
    let proactive =
        [num(&a["rules"][0]), num(&a["normative_documents"][0]), num(&a["licensing"]), num(&a["punishment"]), num(&a["enforcement"])]
            .into_iter()
            .try_fold(0.0, |s, v| Some(s + v?));
    let count = |v: Option<f64>| v.map_or("未读出".to_string(), |v| format!("{v}"));
    let rate = |n: Option<f64>, d: Option<f64>| -> (Option<f64>, String) {
        match (n, d) {
            (_, Some(0.0)) => (None, "—".into()),
            (Some(n), Some(d)) => {
                let r = n / d;
                (Some(r), format!("{:.1}%", r * 100.0))
            }
            _ => (None, "未读出".into()),
        }
    };
    let disclosed = add(b("disclosed"), b("partially_disclosed"));
    let concluded = b("results_total");
    let (dr, drs) = rate(disclosed, concluded);
    let (rr, rrs) = rate(c(1), add(add(c(0), c(1)), c(2)));
    let decided = [c(5), c(6), c(7), c(10), c(11), c(12)].into_iter().try_fold(0.0, |s, v| Some(s + v?));
    let (lr, lrs) = rate(add(c(6), c(11)), decided);
    let lawsuits = add(c(9), c(14));
    vec![
        ("proactive", proactive, count(proactive)),
        ("received", b("received"), count(b("received"))),
        ("carried_over", b("carried_over"), count(b("carried_over"))),
        ("concluded", concluded, count(concluded)),
        ("carried_forward", b("carried_forward"), count(b("carried_forward"))),
        ("disclosed", disclosed, count(disclosed)),
        ("disclosure_rate", dr, drs),
        ("reviews", c(4), count(c(4))),
        ("review_correction_rate", rr, rrs),
        ("lawsuits", lawsuits, count(lawsuits)),
        ("lawsuit_correction_rate", lr, lrs),
    ]
}

fn corpus_with_transcriptions() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(crate::fixture("corpus")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let t = crate::fixture(&format!("corpus/expected/{name}.json"));
        if p.is_file() && t.exists() {
            out.push((name, serde_json::from_str(&std::fs::read_to_string(t).unwrap()).unwrap()));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn dashboard_and_json_metrics_of_the_corpus_match_the_hand_computed_ones() {
    let corpus = corpus_with_transcriptions();
    assert!(corpus.len() >= 6, "{} transcribed corpus files", corpus.len());
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("dash.html");
    let out = crate::bin()
        .args(["audit", "--format", "json", "--html"])
        .arg(&page)
        .args(corpus.iter().map(|(n, _)| crate::fixture(&format!("corpus/{n}"))))
        .output()
        .unwrap();
    let summaries: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v.get("verdict").is_some())
        .collect();
    assert_eq!(summaries.len(), corpus.len());
    let html = std::fs::read_to_string(&page).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let rows: Vec<Vec<String>> = doc
        .select(&scraper::Selector::parse("#metrics tbody tr").unwrap())
        .map(|tr| tr.select(&scraper::Selector::parse("td").unwrap()).map(|td| td.text().collect::<String>()).collect())
        .collect();
    assert_eq!(rows.len(), corpus.len());
    let mut checked = Vec::new();
    for (i, ((name, t), s)) in corpus.iter().zip(&summaries).enumerate() {
        let exp = expected(t);
        assert_eq!(s["year"], t["meta"]["year"], "{name}");
        for (j, (key, value, text)) in exp.iter().enumerate() {
            let got = &s["metrics"][key];
            match value {
                Some(v) => assert!((got["value"].as_f64().unwrap_or(f64::NAN) - v).abs() < 1e-9, "{name} {key}: {got} ≠ {v}"),
                None => assert!(got["value"].is_null(), "{name} {key}: {got} should have no value"),
            }
            if key.ends_with("rate") && value.is_some() {
                let den = got["denominator"].as_f64().unwrap();
                assert_eq!(got["comparable"], den >= 30.0, "{name} {key}");
            }
            // The dashboard's table: 错误, 警告, 未读出 come after 年度 and 结论.
            let cell = &rows[i][5 + j];
            assert_eq!(cell.trim(), text, "{name} {key} on the page");
        }
        checked.push(name.clone());
    }
    assert_eq!(checked.len(), corpus.len(), "checked {checked:?}");
    // Spot values, by hand: hongze 公开率 59/95; suizhong 55/57.
    let by_name = |n: &str| &summaries[corpus.iter().position(|(x, _)| x == n).unwrap()];
    assert!((by_name("hongze-2024.txt")["metrics"]["disclosure_rate"]["value"].as_f64().unwrap() - 59.0 / 95.0).abs() < 1e-9);
    assert!((by_name("suizhong-2023.txt")["metrics"]["disclosure_rate"]["value"].as_f64().unwrap() - 55.0 / 57.0).abs() < 1e-9);
}

#[test]
fn the_dashboard_is_one_page_with_findings_linked_to_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("dash.html");
    let out = crate::bin()
        .args(["audit", "--format", "short", "--html"])
        .arg(&page)
        .args(["tests/fixtures/corpus/pingtan-2022.txt", "tests/fixtures/corpus/pingtan-nongye-2021.txt"])
        .args([
            "tests/fixtures/corpus/changchun-tyjrswj-2023.txt",
            "tests/fixtures/corpus/hongze-2024.txt",
            "tests/fixtures/bad/balance.yaml",
        ])
        .args(["tests/fixtures/compare/this-2023.yaml", "tests/fixtures/render/injection.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings with errors: exit 1");
    let html = std::fs::read_to_string(&page).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    // Self-contained: no external resource, one script (the sorter).
    assert_eq!(doc.select(&sel("script")).count(), 1);
    assert!(doc.select(&sel("script[src], link[rel=stylesheet], img, iframe")).next().is_none());
    assert!(!html.contains("url(http"));
    // Every finding with a line links to a quoted line of the source that exists on the page.
    let mut links = 0;
    for a in doc.select(&sel(".findings a")) {
        let target = a.value().attr("href").unwrap().trim_start_matches('#');
        let line = doc.select(&sel(&format!("[id=\"{target}\"]"))).next().unwrap_or_else(|| panic!("no line {target}"));
        let n: usize = target.rsplit("-L").next().unwrap().parse().unwrap();
        assert_eq!(a.text().collect::<String>(), format!("第 {n} 行"));
        assert!(line.text().collect::<String>().starts_with(&n.to_string()));
        links += 1;
    }
    assert!(links >= 10, "{links} links");
    // changchun is cut off: what is missing is placed at the end of the text, not at a line
    // that does not exist.
    assert!(doc.select(&sel(".findings li")).any(|li| li.text().collect::<String>().contains("文末：找不到第四部分")));
    // pingtan's run-together cell, split by the prose, is a note quoted at its line.
    assert!(html.contains("8855698"));
    assert!(doc.select(&sel(".findings li.note")).any(|li| li.text().collect::<String>().contains("8855698")));
    // Verdicts and definitions.
    assert!(doc.select(&sel(".verdict.inconsistent")).next().is_some(), "balance.yaml is inconsistent");
    let defs: String = doc.select(&sel(".defs")).next().unwrap().text().collect();
    assert!(defs.contains("公开率 = (予以公开 + 部分公开) / 办结") && defs.contains("纠正 / (结果维持 + 结果纠正 + 其他结果)"), "{defs}");
    // The injection fixture's text is escaped, everywhere (its agency is on the page and in the charts).
    assert!(!html.contains("<script>alert"));
    // The sortable table: every heading sorts, rate cells not comparable are marked.
    assert_eq!(doc.select(&sel("#metrics th[data-sort]")).count(), 6 + reportgen::metrics::DEFS.len());
    for svg in doc.select(&sel("svg.chart")) {
        crate::chart::texts(&svg.html());
    }
}

#[test]
fn csv_of_the_metrics_opens_in_excel_with_chinese_intact() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("绥中,2023.yaml");
    std::fs::copy("examples/suizhong-2023.yaml", &odd).unwrap();
    let out = crate::bin()
        .args(["audit", "--format", "csv", "tests/fixtures/compare/last-2022.yaml", "tests/fixtures/compare/this-2023.yaml"])
        .arg(&odd)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let csv = out.stdout;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark, so Excel reads UTF-8");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0].starts_with("文件,机关,年度,结论,主动公开,新收申请,上年结转,办结,结转下年度,公开,公开率(%),公开率可比"),
        "{}",
        lines[0]
    );
    // By hand: this-2023: 公开 35 + 5 = 40 of 46 concluded = 87.0%; 复议纠错 2 / 4 = 50.0%, 4 cases.
    let this: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(
        &this[..12],
        &["tests/fixtures/compare/this-2023.yaml", "测试市测试局", "2023", "一致", "117", "41", "5", "46", "0", "40", "87.0", "是"]
    );
    assert_eq!(&this[12..15], &["4", "50.0", "否"]);
    assert!(lines[3].starts_with(&format!("\"{}\",绥中县人民政府,2023,", odd.display())), "a comma in a field is quoted: {}", lines[3]);
    let en = crate::bin().args(["audit", "--format", "csv", "--lang", "en", "tests/fixtures/compare/this-2023.yaml"]).output().unwrap();
    assert!(String::from_utf8_lossy(&en.stdout).contains("Disclosure rate(%)"));
}

#[test]
fn the_metrics_table_sorts_in_a_real_browser_with_unknown_last() {
    use std::process::Command;
    let Some(chrome) =
        ["chromium", "chromium-browser"].into_iter().find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        assert!(std::env::var_os("CI").is_none(), "CI must have chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // 新收申请: 41, 40, 57, 12; and one report whose figures are unknown (unreadable).
    std::fs::write(dir.path().join("broken.txt"), "这不是一份年度报告").unwrap();
    let out = crate::bin()
        .args(["audit", "--html"])
        .arg(dir.path().join("dash.html"))
        .args(["tests/fixtures/compare/this-2023.yaml", "tests/fixtures/compare/last-2022.yaml"])
        .arg(dir.path().join("broken.txt"))
        .args(["examples/suizhong-2023.yaml", "tests/fixtures/compare/first-2021.yaml"])
        .output()
        .unwrap();
    assert!(dir.path().join("dash.html").exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let col = 6 + reportgen::metrics::DEFS.iter().position(|d| d.key == "received").unwrap();
    let probe = format!(
        r#"<!DOCTYPE html><html><body><iframe id="f" src="dash.html" style="width:1280px;height:900px"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {{
  var d = this.contentDocument;
  var th = d.querySelectorAll('#metrics thead th')[{col}];
  var read = function () {{ return Array.prototype.map.call(d.querySelectorAll('#metrics tbody tr'), function (r) {{ return r.cells[{col}].textContent; }}); }};
  th.click(); var up = read();
  th.click(); var down = read();
  document.body.setAttribute('data-result', JSON.stringify({{ up: up, down: down, sort: th.getAttribute('aria-sort') }}));
}});
</script></body></html>"#
    );
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
    let r: Value = serde_json::from_str(&dom[start..start + dom[start..].find('"').unwrap()].replace("&quot;", "\"")).unwrap();
    assert_eq!(r["up"], serde_json::json!(["12", "40", "41", "57", "—"]), "{r}");
    assert_eq!(r["down"], serde_json::json!(["57", "41", "40", "12", "—"]), "unknown stays last: {r}");
    assert_eq!(r["sort"], "descending");
}
