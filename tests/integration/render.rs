//! `build` for HTML and Markdown: snapshots, the tables' grids against FORMAT.md,
//! injection safety, template overrides, atomic writes.

use std::collections::HashMap;
use std::path::Path;

use scraper::{ElementRef, Html, Selector};

/// Builds `data` into a fresh temporary folder; returns (folder, exit code, stderr).
fn build(data: &Path, extra: &[&str]) -> (tempfile::TempDir, Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin().arg("build").arg(data).arg("-o").arg(dir.path()).args(extra).output().unwrap();
    (dir, out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn snapshots_of_every_example() {
    for entry in std::fs::read_dir(crate::root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let (dir, code, err) = build(&path, &["-f", "html,md"]);
        assert_eq!(code, Some(0), "{err}");
        insta::assert_snapshot!(format!("{stem}.html"), read(dir.path(), &format!("{stem}.html")));
        insta::assert_snapshot!(format!("{stem}.md"), read(dir.path(), &format!("{stem}.md")));
    }
}

/// Lays the table's cells out on a grid (as a browser does) and returns, per cell
/// text, its (row, column, rowspan, colspan); asserts every row is exactly `cols` wide.
fn layout(table: ElementRef, cols: usize) -> HashMap<String, (usize, usize, usize, usize)> {
    let tr = Selector::parse("tr").unwrap();
    let cell = Selector::parse("th, td").unwrap();
    let rows: Vec<ElementRef> = table.select(&tr).collect();
    let mut taken = vec![vec![false; cols]; rows.len()];
    let mut found = HashMap::new();
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for td in row.select(&cell) {
            while c < cols && taken[r][c] {
                c += 1;
            }
            let attr = |n: &str| td.value().attr(n).map_or(1, |v| v.parse::<usize>().unwrap());
            let (rs, cs) = (attr("rowspan"), attr("colspan"));
            assert!(c + cs <= cols, "row {r}: cell “{}” overflows the {cols} columns", td.text().collect::<String>());
            for rr in r..r + rs {
                assert!(rr < rows.len(), "rowspan of “{}” runs past the table", td.text().collect::<String>());
                for cc in c..c + cs {
                    assert!(!taken[rr][cc], "cells overlap at row {rr}, column {cc}");
                    taken[rr][cc] = true;
                }
            }
            if td.value().name() == "th" {
                assert!(td.value().attr("scope").is_some() || td.value().attr("class") == Some("note"), "header without scope");
            }
            found.entry(td.text().collect::<String>()).or_insert((r, c, rs, cs));
            c += cs;
        }
    }
    for (r, row) in taken.iter().enumerate() {
        assert!(row.iter().all(|t| *t), "row {r} is not filled: {row:?}");
    }
    found
}

fn tables(html: &str) -> Vec<(String, HashMap<String, (usize, usize, usize, usize)>, usize)> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse("table").unwrap();
    let tr = Selector::parse("tr").unwrap();
    doc.select(&sel)
        .map(|t| {
            let id = t.value().id().unwrap_or("").to_string();
            let cols = match id.as_str() {
                "table-a" => 4,
                "table-b" => 10,
                "table-c" => 15,
                other => panic!("unexpected table {other}"),
            };
            (id, layout(t, cols), t.select(&tr).count())
        })
        .collect()
}

#[test]
fn html_tables_match_the_official_layout() {
    let (dir, code, err) = build(&crate::root().join("examples/suizhong-2023.yaml"), &["-f", "html"]);
    assert_eq!(code, Some(0), "{err}");
    let html = read(dir.path(), "suizhong-2023.html");
    let t = tables(&html);
    assert_eq!(t.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), ["table-a", "table-b", "table-c"]);

    for ((id, cells, rows), (table_id, found, n)) in official_layout().into_iter().zip(&t) {
        assert_eq!(id, table_id);
        assert_eq!(rows, *n, "{id}: rows");
        for (text, at) in cells {
            assert_eq!(found.get(text), Some(&at), "{id}: {text}");
        }
    }
}

/// The official layout of FORMAT.md (suizhong-2023's figures), shared by every format's
/// test: per table its id, (cell text → row, column, rowspan, colspan) and its row count.
pub fn official_layout() -> Vec<(&'static str, Vec<(&'static str, (usize, usize, usize, usize))>, usize)> {
    let mut b = vec![
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", (0, 0, 3, 3)),
        ("申请人情况", (0, 3, 1, 7)),
        ("自然人", (1, 3, 2, 1)),
        ("法人或其他组织", (1, 4, 1, 5)),
        ("总计", (1, 9, 2, 1)),
    ];
    for (i, l) in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"].into_iter().enumerate() {
        b.push((l, (2, 4 + i, 1, 1)));
    }
    b.extend([
        ("一、本年新收政府信息公开申请数量", (3, 0, 1, 3)),
        ("二、上年结转政府信息公开申请数量", (4, 0, 1, 3)),
        ("三、本年度办理结果", (5, 0, 22, 1)),
        ("（一）予以公开", (5, 1, 1, 2)),
        ("（三）不予公开", (7, 1, 8, 1)),
        ("1.属于国家秘密", (7, 2, 1, 1)),
        ("（四）无法提供", (15, 1, 3, 1)),
        ("（五）不予处理", (18, 1, 5, 1)),
        ("（六）其他处理", (23, 1, 3, 1)),
        ("（七）总计", (26, 1, 1, 2)),
        ("四、结转下年度继续办理", (27, 0, 1, 3)),
    ]);
    vec![
        (
            // Table A: 4 columns, 14 rows; single-figure rows span the three value columns.
            "table-a",
            vec![
                ("第二十条第（一）项", (0, 0, 1, 4)),
                ("本年制发件数", (1, 1, 1, 1)),
                ("现行有效件数", (1, 3, 1, 1)),
                ("本年收费金额（单位：万元）", (12, 1, 1, 3)),
                ("21820", (6, 1, 1, 3)),
                ("15314", (13, 1, 1, 3)),
            ],
            14,
        ),
        // Table B: 10 columns; header 3 rows; 25 body rows.
        ("table-b", b, 3 + 25),
        (
            // Table C: 15 columns, 4 rows.
            "table-c",
            vec![
                ("行政复议", (0, 0, 1, 5)),
                ("行政诉讼", (0, 5, 1, 10)),
                ("结果维持", (1, 0, 2, 1)),
                ("未经复议直接起诉", (1, 5, 1, 5)),
                ("复议后起诉", (1, 10, 1, 5)),
            ],
            4,
        ),
    ]
}

#[test]
fn html_figures_and_totals() {
    let (dir, _, _) = build(&crate::root().join("examples/shiyi-scjg-2024.yaml"), &["-f", "html"]);
    let doc = Html::parse_document(&read(dir.path(), "shiyi-scjg-2024.html"));
    let row = |label: &str| -> Vec<String> {
        let tr = Selector::parse("#table-b tr").unwrap();
        let td = Selector::parse("td").unwrap();
        doc.select(&tr).find(|r| r.text().collect::<String>().contains(label)).unwrap().select(&td).map(|c| c.text().collect()).collect()
    };
    assert_eq!(row("一、本年新收"), ["86", "12", "1", "0", "3", "2", "104"]);
    assert_eq!(row("二、上年结转"), ["4", "1", "0", "0", "0", "0", "5"]);
    assert_eq!(row("（七）总计"), ["84", "11", "1", "0", "3", "2", "101"]);
    assert_eq!(row("四、结转下年度"), ["6", "2", "0", "0", "0", "0", "8"]);
    let td = Selector::parse("#table-c td").unwrap();
    let c: Vec<String> = doc.select(&td).map(|c| c.text().collect()).collect();
    assert_eq!(c, ["2", "1", "0", "1", "4", "1", "0", "0", "1", "2", "1", "0", "0", "0", "1"]);
    let html = read(dir.path(), "shiyi-scjg-2024.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="), "self-contained, no scripts");
    assert!(html.contains("@media print") && html.contains("size: A4"));
    // Section numbering and the preamble's period.
    assert!(html.contains("<h3>（五）监督保障</h3>"));
    assert!(html.contains("2024年1月1日至2024年12月31日"));
}

#[test]
fn injection_renders_as_text() {
    let (dir, code, err) = build(&crate::fixture("render/injection.yaml"), &["-f", "html,md"]);
    assert_eq!(code, Some(0), "{err}");
    let html = read(dir.path(), "injection.html");
    let doc = Html::parse_document(&html);
    let body = Selector::parse("body *").unwrap();
    let allowed = [
        "article",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "span",
        "time",
        "div",
        "section",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "s",
        "code",
        "pre",
        "a",
        "footer",
        "blockquote",
        "hr",
        "br",
    ];
    for el in doc.select(&body) {
        let name = el.value().name();
        assert!(allowed.contains(&name), "element <{name}> came from data");
        for (attr, value) in el.value().attrs() {
            assert!(!attr.starts_with("on"), "event handler {attr} on <{name}>");
            assert!(!value.to_lowercase().contains("javascript:"), "{attr}={value}");
        }
    }
    let text: String = doc.root_element().text().collect();
    for visible in [
        "标题 <img src=x onerror=alert(1)> | # * ` _ [链接](javascript:alert(2)) {{ meta.year }}",
        "导语 <script>alert(\"preamble\")</script> 与 <img src=x onerror=alert(3)>",
        "<div onclick=\"alert(5)\">块</div>",
        "问题 </p><p onclick=\"alert(6)\">破坏</p>",
        "<style>body{display:none}</style>",
        "链接 <script>alert(7)</script> | *",
    ] {
        assert!(text.contains(visible), "not visible as written: {visible}");
    }

    // Markdown: no raw HTML survives a CommonMark parse, tables keep their columns, and
    // the text reads back as written.
    let md = read(dir.path(), "injection.md");
    let mut opts = pulldown_cmark::Options::empty();
    opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
    opts.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut plain = String::new();
    let mut cells_in_row = Vec::new();
    let mut cells = 0;
    for ev in pulldown_cmark::Parser::new_ext(&md, opts) {
        match ev {
            pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) => panic!("raw HTML in Markdown: {h}"),
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
                assert!(dest_url.starts_with("https://"), "{dest_url}")
            }
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => plain.push_str(&t),
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::TableCell) => cells += 1,
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::TableRow | pulldown_cmark::TagEnd::TableHead) => {
                cells_in_row.push(cells);
                cells = 0;
            }
            _ => {}
        }
    }
    assert!(plain.contains("标题 <img src=x onerror=alert(1)> | # * ` _ [链接](javascript:alert(2)) {{ meta.year }}"), "{plain}");
    assert!(plain.contains("链接 <script>alert(7)</script> | *"));
    assert!(plain.contains("来源 <b>粗</b> | 管道"));
    let widths: std::collections::BTreeSet<usize> = cells_in_row.into_iter().collect();
    assert_eq!(widths, [2, 4, 8, 15].into_iter().collect(), "table widths");
}

#[test]
fn designer_can_eject_and_override_one_template() {
    let t = tempfile::tempdir().unwrap();
    let out = crate::bin().args(["templates", "eject"]).arg(t.path()).output().unwrap();
    assert!(out.status.success());
    for (name, _) in reportgen::render::templates::DEFAULTS {
        assert!(t.path().join(name).is_file(), "{name} not ejected");
    }
    // Ejecting again refuses to overwrite without --force.
    let again = crate::bin().args(["templates", "eject"]).arg(t.path()).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    // Change one file; the others still come from the defaults.
    std::fs::write(t.path().join("style.css"), ".report { border-top: 9px solid rebeccapurple; }\n").unwrap();
    for (name, _) in reportgen::render::templates::DEFAULTS {
        if *name != "style.css" {
            std::fs::remove_file(t.path().join(name)).unwrap();
        }
    }
    let list = crate::bin().args(["templates", "list", "--templates"]).arg(t.path()).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("style.css  (overridden)") && list.contains("report.html.j2\n"), "{list}");
    let tp = t.path().to_str().unwrap().to_string();
    let (dir, code, err) = build(&crate::root().join("examples/suizhong-2023.yaml"), &["-f", "html", "--templates", &tp]);
    assert_eq!(code, Some(0), "{err}");
    let html = read(dir.path(), "suizhong-2023.html");
    assert!(html.contains("rebeccapurple"));
    assert!(html.contains("<table id=\"table-b\""));
}

#[test]
fn template_errors_name_the_template_and_keep_earlier_outputs() {
    let data = crate::root().join("examples/suizhong-2023.yaml");
    let dir = tempfile::tempdir().unwrap();
    let ok = crate::bin().arg("build").arg(&data).arg("-o").arg(dir.path()).args(["-f", "html,md"]).output().unwrap();
    assert!(ok.status.success());
    let before = std::fs::read(dir.path().join("suizhong-2023.html")).unwrap();
    let before_md = std::fs::read(dir.path().join("suizhong-2023.md")).unwrap();

    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("report.md.j2"), "# {{ title }}\n\n{{ no_such_variable }}\n").unwrap();
    let bad = crate::bin()
        .arg("build")
        .arg(&data)
        .arg("-o")
        .arg(dir.path())
        .args(["-f", "html,md", "--format", "short", "--templates"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("report.md.j2") && err.contains("第 3 行") && err.contains("error[template]"), "{err}");
    // Nothing was written: not even the HTML, which rendered fine.
    assert_eq!(std::fs::read(dir.path().join("suizhong-2023.html")).unwrap(), before);
    assert_eq!(std::fs::read(dir.path().join("suizhong-2023.md")).unwrap(), before_md);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn templates_cannot_reach_outside_their_folder() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("report.md.j2"), "{% include \"../secret.txt\" %}").unwrap();
    std::fs::write(t.path().parent().unwrap().join("secret.txt"), "SECRET").ok();
    let (_, code, err) =
        build(&crate::root().join("examples/suizhong-2023.yaml"), &["-f", "md", "--templates", t.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(!err.contains("SECRET") && err.contains("error[template]"), "{err}");
    #[cfg(unix)]
    {
        let t2 = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", t2.path().join("style.css")).unwrap();
        let (_, code, err) =
            build(&crate::root().join("examples/suizhong-2023.yaml"), &["-f", "html", "--templates", t2.path().to_str().unwrap()]);
        assert_eq!(code, Some(1));
        assert!(!err.contains("root:") && err.contains("outside the templates folder"), "{err}");
    }
}

#[test]
fn a_bad_file_does_not_stop_the_others() {
    let src = tempfile::tempdir().unwrap();
    std::fs::copy(crate::root().join("examples/suizhong-2023.yaml"), src.path().join("good.yaml")).unwrap();
    std::fs::copy(crate::fixture("bad/balance.yaml"), src.path().join("bad.yaml")).unwrap();
    let (dir, code, err) = build(src.path(), &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(dir.path().join("good.html").is_file() && dir.path().join("good.md").is_file());
    assert!(!dir.path().join("bad.html").exists());
    assert!(err.contains("1 份失败"), "{err}");
}

#[test]
fn an_output_may_not_overwrite_its_input() {
    let src = tempfile::tempdir().unwrap();
    let data = src.path().join("r.md");
    std::fs::copy(crate::root().join("examples/suizhong-2023.yaml"), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let out = crate::bin().arg("build").arg(&data).arg("-o").arg(src.path()).args(["-f", "md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&data).unwrap(), before);
}
