//! `build -f docx`: the tables' grids read from `word/document.xml` against FORMAT.md,
//! the 公文 styles and page setup, properties, reproducible bytes, hostile text shown
//! literally, reference documents; and real consumers: LibreOffice converts every
//! example (its PDF holds every part's text and every figure, no two words overlap),
//! python-docx reads table B's grid cell by cell, pandoc reads every table.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use roxmltree::{Document, Node};

use crate::pdf::{block_text, in_order, pdftotext, squash};
use crate::render::official_layout;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Builds `data` as DOCX into a fresh folder; returns the folder and the .docx path.
pub fn build(data: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin().arg("build").arg(data).arg("-o").arg(dir.path()).args(["-f", "docx"]).args(extra).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stem = data.file_stem().unwrap().to_string_lossy().to_string();
    let path = dir.path().join(format!("{stem}.docx"));
    (dir, path)
}

/// Every entry of a zip, in order.
pub fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

fn part(path: &Path, name: &str) -> String {
    let e = entries(path);
    String::from_utf8(e.into_iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}")).1).unwrap()
}

fn w<'a>(n: Node<'a, '_>, local: &str) -> Option<Node<'a, 'a>> {
    n.children().find(|c| c.tag_name().name() == local && c.tag_name().namespace() == Some(W))
}
fn wv<'a>(n: Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attribute((W, local))
}
fn all<'a, 'i>(n: Node<'a, 'i>, local: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.descendants().filter(move |c| c.tag_name().name() == local && c.tag_name().namespace() == Some(W))
}
fn text(n: Node) -> String {
    all(n, "t").filter_map(|t| t.text()).collect()
}

/// A table as laid out from its XML alone: (cell text → row, column, rowspan, colspan,
/// first occurrence), rows, grid columns, header rows; asserts every row fills the grid.
fn layout(tbl: Node) -> (HashMap<String, (usize, usize, usize, usize)>, usize, usize, usize) {
    let cols = w(tbl, "tblGrid").unwrap().children().filter(|c| c.is_element()).count();
    let rows: Vec<Node> = tbl.children().filter(|c| c.tag_name().name() == "tr").collect();
    // (row, col) → index of the cell covering it.
    let mut owner: Vec<Vec<Option<usize>>> = vec![vec![None; cols]; rows.len()];
    let mut cells: Vec<(String, usize, usize, usize, usize)> = Vec::new();
    let mut header = 0;
    for (r, tr) in rows.iter().enumerate() {
        if w(*tr, "trPr").and_then(|p| w(p, "tblHeader")).is_some() {
            assert_eq!(header, r, "header rows come first");
            header += 1;
        }
        let mut c = 0;
        for tc in tr.children().filter(|c| c.tag_name().name() == "tc") {
            let pr = w(tc, "tcPr").unwrap();
            let span = w(pr, "gridSpan").and_then(|g| wv(g, "val")).map_or(1, |v| v.parse().unwrap());
            let width: u32 = wv(w(pr, "tcW").unwrap(), "w").unwrap().parse().unwrap();
            assert!(width > 0);
            let merge = w(pr, "vMerge").map(|m| wv(m, "val").unwrap_or("continue"));
            assert!(c + span <= cols, "row {r}: cell overflows the {cols} columns");
            let idx = if merge == Some("continue") {
                let above = owner[r - 1][c].expect("a continued cell has one above");
                assert_eq!(cells[above].2, c, "continues the cell that starts in the same column");
                assert_eq!(cells[above].4, span, "with the same width");
                cells[above].3 += 1;
                assert!(text(tc).is_empty(), "a continuation holds no text");
                above
            } else {
                cells.push((text(tc), r, c, 1, span));
                cells.len() - 1
            };
            for cc in c..c + span {
                owner[r][cc] = Some(idx);
            }
            c += span;
        }
        assert_eq!(c, cols, "row {r} fills {c} of {cols} columns");
    }
    let mut found = HashMap::new();
    for (t, r, c, rs, cs) in cells {
        found.entry(t).or_insert((r, c, rs, cs));
    }
    (found, rows.len(), cols, header)
}

fn document(path: &Path) -> String {
    part(path, "word/document.xml")
}

#[test]
fn docx_tables_match_the_official_layout() {
    let (_d, path) = build(&crate::root().join("examples/suizhong-2023.yaml"), &[]);
    let xml = document(&path);
    let doc = Document::parse(&xml).unwrap();
    let tables: Vec<Node> = all(doc.root_element(), "tbl").collect();
    assert_eq!(tables.len(), 3);
    let expected_cols = [4, 10, 15];
    let expected_header = [0, 3, 3];
    for (i, ((id, cells, rows), tbl)) in official_layout().into_iter().zip(&tables).enumerate() {
        let (found, n, cols, header) = layout(*tbl);
        assert_eq!((n, cols, header), (rows, expected_cols[i], expected_header[i]), "{id}: rows, columns, header rows");
        for (t, at) in cells {
            assert_eq!(found.get(t), Some(&at), "{id}: {t}");
        }
    }
    // The group label of table B is set vertically, and each table fills the text width.
    let group = all(tables[1], "tc").find(|tc| text(*tc) == "三、本年度办理结果").unwrap();
    assert_eq!(wv(w(w(group, "tcPr").unwrap(), "textDirection").unwrap(), "val"), Some("tbRlV"));
    for t in &tables {
        let sum: u32 = w(*t, "tblGrid").unwrap().children().filter_map(|g| wv(g, "w")).map(|v| v.parse::<u32>().unwrap()).sum();
        assert_eq!(sum, 11906 - 1587 - 1474, "columns fill the 156 mm text block");
        assert_eq!(wv(w(w(*t, "tblPr").unwrap(), "tblLayout").unwrap(), "type"), Some("fixed"));
    }
}

/// The paragraphs of the body: (style, text).
fn paragraphs(xml: &str) -> Vec<(String, String)> {
    let doc = Document::parse(xml).unwrap();
    let body = w(doc.root_element(), "body").unwrap();
    body.children()
        .filter(|p| p.tag_name().name() == "p")
        .map(|p| {
            let style = w(p, "pPr").and_then(|pr| w(pr, "pStyle")).and_then(|s| wv(s, "val")).unwrap_or("").to_string();
            (style, text(p))
        })
        .collect()
}

/// A style's property (`rPr` or `pPr` child `local`, attribute `attr`).
fn style_prop(styles: &Document, id: &str, pr: &str, local: &str, attr: &str) -> Option<String> {
    let s = all(styles.root_element(), "style").find(|s| wv(*s, "styleId") == Some(id))?;
    w(w(s, pr)?, local).and_then(|n| wv(n, attr)).map(str::to_string)
}

#[test]
fn docx_styles_page_setup_and_footers_are_the_official_ones() {
    let data = crate::root().join("examples/shiyi-scjg-2024.yaml");
    let (_d, path) = build(&data, &[]);
    let styles_xml = part(&path, "word/styles.xml");
    let styles = Document::parse(&styles_xml).unwrap();
    let prop = |id: &str, pr: &str, local: &str, attr: &str| style_prop(&styles, id, pr, local, attr);
    // Faces and sizes: body 3号 仿宋, title 2号 小标宋, 一、 黑体, （一） 楷体, page numbers 4号 宋体.
    for (id, face, size) in [
        ("Normal", "仿宋_GB2312", Some("32")),
        ("Title", "方正小标宋简体", Some("44")),
        ("Heading1", "黑体", Some("32")),
        ("Heading2", "楷体_GB2312", Some("32")),
        ("Footer", "宋体", Some("28")),
        ("TableHeading", "黑体", None),
    ] {
        assert_eq!(prop(id, "rPr", "rFonts", "eastAsia").as_deref(), Some(face), "{id}");
        assert_eq!(prop(id, "rPr", "sz", "val").as_deref(), size, "{id}");
    }
    assert_eq!(prop("TableText", "rPr", "sz", "val").as_deref(), Some("21"), "5号 by default");
    assert_eq!(prop("Heading1", "rPr", "b", "val").as_deref(), Some("0"), "headings are not bold");
    // 22 lines: the body's exact line pitch is the grid's.
    assert_eq!(prop("Normal", "pPr", "spacing", "line").as_deref(), Some("579"));
    assert_eq!(prop("Normal", "pPr", "spacing", "lineRule").as_deref(), Some("exact"));
    assert_eq!(prop("Normal", "pPr", "ind", "firstLineChars").as_deref(), Some("200"));
    assert_eq!(prop("TableText", "pPr", "snapToGrid", "val").as_deref(), Some("0"));

    // A4, margins 上37 下35 左28 右26 mm, the 22-line grid.
    let xml = document(&path);
    let doc = Document::parse(&xml).unwrap();
    let sect = all(doc.root_element(), "sectPr").last().unwrap();
    let attr = |el: &str, a: &str| wv(w(sect, el).unwrap(), a).unwrap().parse::<i64>().unwrap();
    assert_eq!((attr("pgSz", "w"), attr("pgSz", "h")), (11906, 16838));
    let mm = |t: i64| (t as f64 * 25.4 / 1440.0 * 10.0).round() / 10.0;
    assert_eq!(
        [mm(attr("pgMar", "top")), mm(attr("pgMar", "bottom")), mm(attr("pgMar", "left")), mm(attr("pgMar", "right"))],
        [37.0, 35.0, 28.0, 26.0]
    );
    assert_eq!(wv(w(sect, "docGrid").unwrap(), "type"), Some("linesAndChars"));
    let height = 16838 - attr("pgMar", "top") - attr("pgMar", "bottom");
    assert_eq!(height / attr("docGrid", "linePitch"), 22, "22 lines a page");
    // 28 characters: the grid's character pitch, and the condensed body characters.
    let width = 11906 - attr("pgMar", "left") - attr("pgMar", "right");
    let char_pitch = 16.0 + attr("docGrid", "charSpace") as f64 / 4096.0;
    assert_eq!((width as f64 / 20.0 / char_pitch).floor(), 28.0);
    let condensed = 16.0 + prop("Normal", "rPr", "spacing", "val").unwrap().parse::<f64>().unwrap() / 20.0;
    assert_eq!((width as f64 / 20.0 / condensed).floor(), 28.0);

    // Page numbers `— n —`: odd pages right, even pages left (settings let them differ).
    assert!(part(&path, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    let rels = part(&path, "word/_rels/document.xml.rels");
    for (kind, jc) in [("default", "right"), ("even", "left")] {
        let r = all(sect, "footerReference").find(|f| wv(*f, "type") == Some(kind)).unwrap();
        let id = r.attribute(("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")).unwrap();
        let at = rels.find(&format!("Id=\"{id}\"")).unwrap();
        let target = &rels[at..][rels[at..].find("Target=\"").unwrap() + 8..];
        let footer = part(&path, &format!("word/{}", &target[..target.find('"').unwrap()]));
        assert!(footer.contains(r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#), "{kind}: a PAGE field");
        assert!(footer.contains("— </w:t>") && footer.contains(" —</w:t>"), "{kind}: — n —");
        assert!(footer.contains(&format!(r#"<w:jc w:val="{jc}"/>"#)), "{kind}: {jc}");
    }
    // Fonts named as offices have them, with stock fallbacks.
    let fonts = part(&path, "word/fontTable.xml");
    for (name, alt) in [("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")]
    {
        assert!(fonts.contains(&format!(r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/>"#)), "{name} → {alt}");
    }

    // The body: title, the six parts in order as Heading1, sections as Heading2.
    let r = crate::check_file(&data, reportgen::Lang::Zh).expanded.unwrap();
    let ctx = reportgen::render::Context::new(&r);
    let paras = paragraphs(&xml);
    assert_eq!(paras[0], ("Title".to_string(), ctx.title.clone()));
    let h1: Vec<&str> = paras.iter().filter(|p| p.0 == "Heading1").map(|p| p.1.as_str()).collect();
    assert_eq!(h1, reportgen::render::PARTS);
    let h2: Vec<String> = paras.iter().filter(|p| p.0 == "Heading2").map(|p| p.1.clone()).collect();
    assert_eq!(h2, ctx.sections.iter().map(|s| format!("{}{}", s.number, s.title)).collect::<Vec<_>>());
    // Prose: bold runs, numbered and bulleted lists, the link as a relationship.
    assert!(xml.contains("<w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">自然人</w:t>"), "bold run");
    let numbering = part(&path, "word/numbering.xml");
    assert!(numbering.contains(r#"<w:numFmt w:val="bullet"/>"#) && numbering.contains(r#"<w:numFmt w:val="decimal"/>"#));
    assert_eq!(paras.iter().filter(|p| p.0 == "ListParagraph").count(), 5, "three bullets, two numbered items");
    assert!(rels.contains(r#"Target="https://example.gov.cn/scjg/2024/tujie.html" TargetMode="External""#));
    assert!(paras.iter().any(|p| p.0 == "Links" && p.1 == "链接：示例市市场监督管理局2024年政府信息公开工作年度报告【图解】"));
}

#[test]
fn docx_properties_and_reproducible_bytes() {
    let data = crate::root().join("examples/suizhong-2023.yaml");
    let (_a, first) = build(&data, &[]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_b, second) = build(&data, &[]);
    let (a, b) = (std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    assert!(a == b, "two builds differ");
    let core = part(&first, "docProps/core.xml");
    assert!(core.contains("<dc:title>绥中县2023年政府信息公开工作年度报告</dc:title>"));
    assert!(core.contains("<dc:creator>绥中县人民政府</dc:creator>"));
    assert!(core.contains(r#"<dcterms:created xsi:type="dcterms:W3CDTF">2024-02-18T00:00:00Z</dcterms:created>"#));
    // Fixed entry order, every timestamp the zip epoch (1980-01-01 00:00).
    let names: Vec<String> = entries(&first).into_iter().map(|(n, _)| n).collect();
    assert_eq!(&names[..5], ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "word/document.xml"]);
    let mut at = 0;
    let mut headers = 0;
    while let Some(i) = a[at..].windows(4).position(|x| x == b"PK\x03\x04") {
        let h = at + i;
        assert_eq!(&a[h + 10..h + 14], &[0, 0, 0x21, 0], "local header time and date");
        headers += 1;
        at = h + 4;
    }
    assert_eq!(headers, names.len());
    // Without `meta.published` (and no SOURCE_DATE_EPOCH) there is no date at all.
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin()
        .args(["build", "tests/fixtures/render/injection.yaml", "-f", "docx", "-o"])
        .arg(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!part(&dir.path().join("injection.docx"), "docProps/core.xml").contains("dcterms:created"));
}

#[test]
fn hostile_text_is_shown_literally_in_the_docx() {
    let (_d, path) = build(&crate::fixture("render/injection.yaml"), &[]);
    let mut shown = String::new();
    for (name, bytes) in entries(&path) {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let xml = String::from_utf8(bytes).unwrap();
            let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
            if name == "word/document.xml" {
                // Only the elements the writer makes: nothing from the data became markup.
                let allowed = [
                    "document",
                    "body",
                    "p",
                    "pPr",
                    "pStyle",
                    "r",
                    "rPr",
                    "t",
                    "br",
                    "tab",
                    "b",
                    "bCs",
                    "i",
                    "iCs",
                    "strike",
                    "rStyle",
                    "hyperlink",
                    "numPr",
                    "ilvl",
                    "numId",
                    "ind",
                    "pBdr",
                    "bottom",
                    "tbl",
                    "tblPr",
                    "tblStyle",
                    "tblW",
                    "jc",
                    "tblLayout",
                    "tblLook",
                    "tblGrid",
                    "gridCol",
                    "tr",
                    "trPr",
                    "cantSplit",
                    "tblHeader",
                    "tc",
                    "tcPr",
                    "tcW",
                    "gridSpan",
                    "vMerge",
                    "textDirection",
                    "vAlign",
                    "keepNext",
                    "spacing",
                    "sz",
                    "szCs",
                    "sectPr",
                    "footerReference",
                    "pgSz",
                    "pgMar",
                    "pgNumType",
                    "cols",
                    "docGrid",
                ];
                for n in doc.descendants().filter(|n| n.is_element()) {
                    assert!(allowed.contains(&n.tag_name().name()), "element {} came from data", n.tag_name().name());
                }
                shown = all(doc.root_element(), "t").filter_map(|t| t.text()).collect();
            }
        }
    }
    for visible in [
        "标题 <img src=x onerror=alert(1)> | # * ` _ [链接](javascript:alert(2)) {{ meta.year }}",
        "导语 <script>alert(\"preamble\")</script> 与 <img src=x onerror=alert(3)>",
        "<div onclick=\"alert(5)\">块</div>",
        "问题 </p><p onclick=\"alert(6)\">破坏</p>",
        "<style>body{display:none}</style>",
        "链接 <script>alert(7)</script> | *",
        "<script>alert('agency')</script>局",
    ] {
        assert!(shown.contains(visible), "not shown as written: {visible}");
    }
    let rels = part(&path, "word/_rels/document.xml.rels");
    assert!(!rels.to_lowercase().contains("javascript:"));
    assert!(rels.contains(r#"Target="https://example.gov.cn/a_b?c=1&amp;d=%3C2%3E""#), "a valid, escaped URI: {rels}");
    assert!(part(&path, "docProps/core.xml").contains("<dc:creator>&lt;script&gt;alert(&apos;agency&apos;)&lt;/script&gt;局</dc:creator>"));
}

#[test]
fn a_designers_reference_docx_gives_styles_page_setup_and_header() {
    // `templates eject` writes reference.docx; built with it, a report is the default one.
    let t = tempfile::tempdir().unwrap();
    let out = crate::bin().args(["templates", "eject"]).arg(t.path()).output().unwrap();
    assert!(out.status.success());
    let reference = t.path().join("reference.docx");
    let data = crate::root().join("examples/suizhong-2023.yaml");
    let (_a, default) = build(&data, &[]);
    let (_b, with) = build(&data, &["--reference-docx", reference.to_str().unwrap()]);
    assert!(std::fs::read(&default).unwrap() == std::fs::read(&with).unwrap(), "the ejected reference gives the default document");

    // A designer's: A5, another body face, a header of their own, no page numbers.
    let designed = t.path().join("designed.docx");
    write_designed_reference(&reference, &designed);
    let (_c, path) = build(&data, &["--reference-docx", designed.to_str().unwrap()]);
    let xml = document(&path);
    assert!(xml.contains(r#"<w:pgSz w:w="8391" w:h="11906"/>"#), "A5 page");
    assert!(part(&path, "word/styles.xml").contains(r#"w:eastAsia="设计字体""#));
    let names: Vec<String> = entries(&path).into_iter().map(|(n, _)| n).collect();
    assert!(names.contains(&"word/header1.xml".to_string()) && !names.iter().any(|n| n.contains("footer")), "{names:?}");
    assert!(xml.contains(r#"<w:headerReference w:type="default" r:id="rRef1"/>"#));
    // The tables fill the A5 text block.
    let doc = Document::parse(&xml).unwrap();
    for t in all(doc.root_element(), "tbl") {
        let sum: u32 = w(t, "tblGrid").unwrap().children().filter_map(|g| wv(g, "w")).map(|v| v.parse::<u32>().unwrap()).sum();
        assert_eq!(sum, 8391 - 1134 - 1134);
    }
    // The same reference, found in the templates folder.
    let (_e, found) = build(&data, &["--templates", t.path().to_str().unwrap()]);
    assert!(std::fs::read(&found).unwrap() == std::fs::read(&default).unwrap());
    // On A5, table B runs over two pages, its header rows repeated (LibreOffice).
    if let Some(pdf) = soffice(std::slice::from_ref(&path)).pop() {
        let text = pdftotext(&pdf);
        let pages: Vec<&str> = text.split('\u{c}').collect();
        let with_header = pages.iter().filter(|p| p.contains("申请人情况")).count();
        assert!(with_header >= 2, "table B's header repeats on the page it continues on");
        assert!(text.contains("由设计者提供的页眉"), "the designer's header");
    }
    // A file that is no .docx stops the build with a clear message.
    let bad = t.path().join("bad.docx");
    std::fs::write(&bad, "not a zip").unwrap();
    let out = crate::bin()
        .args(["build", "examples/suizhong-2023.yaml", "-f", "docx", "--reference-docx"])
        .arg(&bad)
        .arg("-o")
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是 .docx"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Rewrites the ejected reference: an A5 page with 2 cm margins, the body face renamed,
/// a header part instead of the footers.
fn write_designed_reference(from: &Path, to: &Path) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let header = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>由设计者提供的页眉</w:t></w:r></w:p></w:hdr>"#;
    for (name, bytes) in entries(from) {
        let mut text = String::from_utf8(bytes).unwrap();
        if name.starts_with("word/footer") {
            continue;
        }
        match name.as_str() {
            "word/document.xml" => {
                let s = text.find("<w:sectPr>").unwrap();
                let e = text.find("</w:sectPr>").unwrap() + "</w:sectPr>".len();
                text.replace_range(
                    s..e,
                    r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:pgSz w:w="8391" w:h="11906"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>"#,
                );
            }
            "word/styles.xml" => text = text.replace(r#"w:eastAsia="仿宋_GB2312""#, r#"w:eastAsia="设计字体""#),
            "word/_rels/document.xml.rels" => {
                text = text.replace(
                    "</Relationships>",
                    r#"<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header7.xml"/></Relationships>"#,
                )
            }
            "[Content_Types].xml" => {
                text = text.replace(
                    "</Types>",
                    r#"<Override PartName="/word/header7.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>"#,
                )
            }
            _ => {}
        }
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("word/header7.xml", opts).unwrap();
    z.write_all(header.as_bytes()).unwrap();
    z.finish().unwrap();
}

/// Converts .docx files to PDF with LibreOffice (office faces shown by free look-alikes,
/// a private profile so tests can run side by side); `None` entries when LibreOffice is
/// missing outside CI.
pub fn soffice(files: &[PathBuf]) -> Vec<PathBuf> {
    if Command::new("soffice").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice (.ci/run installs libreoffice-writer-nogui)");
        eprintln!("skipped: no soffice on this machine");
        return Vec::new();
    }
    let profile = tempfile::tempdir().unwrap();
    let out_dir = files[0].parent().unwrap();
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out_dir)
        .args(files)
        .env("FONTCONFIG_FILE", crate::fixture("docx/fonts.conf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    files
        .iter()
        .map(|f| {
            let pdf = f.with_extension("pdf");
            assert!(pdf.is_file(), "LibreOffice did not convert {}: {}", f.display(), String::from_utf8_lossy(&out.stderr));
            pdf
        })
        .collect()
}

/// What the converted PDF must hold, in order: the title, every part's text, and every
/// table's labels and figures row by row.
fn expected(data: &Path) -> Vec<String> {
    let r = crate::check_file(data, reportgen::Lang::Zh).expanded.unwrap();
    let ctx = reportgen::render::Context::new(&r);
    let mut expect: Vec<String> = vec![squash(&ctx.title)];
    expect.extend(ctx.preamble.blocks.iter().map(|b| squash(&block_text(b))));
    expect.push(reportgen::render::PARTS[0].into());
    if let Some(i) = &ctx.intro {
        expect.extend(i.blocks.iter().map(|b| squash(&block_text(b))));
    }
    for s in &ctx.sections {
        expect.push(squash(&format!("{}{}", s.number, s.title)));
        expect.extend(s.body.blocks.iter().map(|b| squash(&block_text(b))));
    }
    for (part, g) in [(1, &ctx.tables.a), (2, &ctx.tables.b), (3, &ctx.tables.c)] {
        expect.push(reportgen::render::PARTS[part].into());
        for row in g.head.iter().chain(&g.body) {
            let line: String = row.iter().map(|c| squash(&c.text)).collect();
            // Table C's 12-digit figures wrap inside their narrow cells: each is still
            // there, digit for digit, in its row.
            expect.push(line);
        }
    }
    expect.push(reportgen::render::PARTS[4].into());
    expect.extend(ctx.problems.blocks.iter().map(|b| squash(&block_text(b))));
    expect.push(reportgen::render::PARTS[5].into());
    expect.extend(ctx.other_matters.blocks.iter().map(|b| squash(&block_text(b))));
    expect.extend(ctx.links.iter().map(|l| squash(&format!("链接：{}", l.title))));
    expect
}

/// The text without the footers' `—n—`, which fall inside paragraphs running over a page.
fn without_page_numbers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('—') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '—'.len_utf8()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && after[digits..].starts_with('—') {
            rest = &after[digits + '—'.len_utf8()..];
        } else {
            out.push('—');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Words with their boxes, per page (`pdftotext -bbox`).
fn word_boxes(pdf: &Path) -> Vec<Vec<(String, [f64; 4])>> {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for w in page.split("<word ").skip(1) {
            let num = |k: &str| -> f64 {
                let i = w.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
                w[i..i + w[i..].find('"').unwrap()].parse().unwrap()
            };
            let t = &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()];
            words.push((t.to_string(), [num("xMin"), num("yMin"), num("xMax"), num("yMax")]));
        }
        pages.push(words);
    }
    pages
}

#[test]
fn libreoffice_converts_every_example_with_every_part_and_figure() {
    if !crate::pdf::need("pdftotext") {
        return;
    }
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(crate::root().join("examples")).unwrap().map(|e| e.unwrap().path()).collect();
    inputs.sort();
    inputs.push(crate::fixture("docx/twelve-digits.yaml"));
    inputs.push(crate::fixture("render/injection.yaml"));
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin().arg("build").args(&inputs).arg("-o").arg(dir.path()).args(["-f", "docx"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs: Vec<PathBuf> = inputs.iter().map(|i| dir.path().join(format!("{}.docx", i.file_stem().unwrap().to_string_lossy()))).collect();
    let pdfs = soffice(&docs);
    for (data, pdf) in inputs.iter().zip(&pdfs) {
        let text = without_page_numbers(&squash(&pdftotext(pdf)));
        in_order(&text, &expected(data));
        // Every figure of every table stands on one line of its cell, whole (a figure too
        // wide for its cell would wrap or run over; table C's 12-digit ones are condensed).
        let r = crate::check_file(data, reportgen::Lang::Zh).expanded.unwrap();
        let ctx = reportgen::render::Context::new(&r);
        let words: std::collections::HashSet<String> = word_boxes(pdf).into_iter().flatten().map(|(w, _)| w).collect();
        for g in [&ctx.tables.a, &ctx.tables.b, &ctx.tables.c] {
            for c in g.body.iter().flatten().filter(|c| c.number) {
                assert!(words.contains(&c.text), "{}: figure {} is not whole on one line", data.display(), c.text);
            }
        }
        // No figure runs into its neighbour: no word holding a digit overlaps another
        // (the vertical group label's characters are boxed loosely, so words without
        // figures are not compared with each other).
        for (p, words) in word_boxes(pdf).iter().enumerate() {
            for (i, (a, ba)) in words.iter().enumerate() {
                for (b, bb) in &words[i + 1..] {
                    if !a.chars().chain(b.chars()).any(|c| c.is_ascii_digit()) {
                        continue;
                    }
                    let overlap = ba[0] < bb[2] - 0.5 && bb[0] < ba[2] - 0.5 && ba[1] < bb[3] - 0.5 && bb[1] < ba[3] - 0.5;
                    assert!(!overlap, "{}: page {}: “{a}” overlaps “{b}”", data.display(), p + 1);
                }
            }
        }
    }
    if let Some(pdf) = pdfs.iter().find(|p| p.ends_with("suizhong-2023.pdf")) {
        // Page numbers `— n —`, and the faces LibreOffice found for 黑体 and 楷体.
        let text = pdftotext(pdf);
        assert!(text.contains("— 1 —") && text.contains("— 2 —"));
        let fonts = String::from_utf8(Command::new("pdffonts").arg(pdf).output().unwrap().stdout).unwrap();
        assert!(fonts.contains("NotoSansCJK") && fonts.contains("LXGWWenKai"), "黑体 and 楷体 reach the renderer: {fonts}");
    }
}

/// python-docx's view of the tables: per table, per row, (cell identity, text) for each
/// grid column.
fn python_docx(path: &Path) -> Option<Vec<Vec<Vec<(String, String)>>>> {
    let ok = Command::new("python3").args(["-c", "import docx"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "CI must have python-docx (.ci/run installs it)");
        return None;
    }
    let script = r#"
import docx, json, sys
d = docx.Document(sys.argv[1])
out = []
for t in d.tables:
    tree = t._tbl.getroottree()
    out.append([[(tree.getpath(c._tc), c.text) for c in row.cells] for row in t.rows])
print(json.dumps(out, ensure_ascii=False))
"#;
    let out = Command::new("python3").args(["-c", script]).arg(path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn python_docx_reads_the_official_grid_cell_by_cell() {
    let (_d, path) = build(&crate::root().join("examples/suizhong-2023.yaml"), &[]);
    let Some(tables) = python_docx(&path) else { return };
    assert_eq!(tables.len(), 3);
    for (((id, cells, rows), t), cols) in official_layout().into_iter().zip(&tables).zip([4, 10, 15]) {
        assert_eq!(t.len(), rows, "{id}: rows");
        // Each distinct cell: where it first appears and how far it reaches.
        let mut seen: HashMap<String, (String, usize, usize, usize, usize)> = HashMap::new();
        for (r, row) in t.iter().enumerate() {
            assert_eq!(row.len(), cols, "{id}: row {r} has one cell per grid column");
            for (c, (tc, text)) in row.iter().enumerate() {
                let e = seen.entry(tc.clone()).or_insert((text.clone(), r, c, r, c));
                e.3 = e.3.max(r);
                e.4 = e.4.max(c);
            }
        }
        let mut found = HashMap::new();
        for (text, r0, c0, r1, c1) in seen.into_values() {
            let at = (r0, c0, r1 - r0 + 1, c1 - c0 + 1);
            let e = found.entry(text).or_insert(at);
            *e = (*e).min(at);
        }
        for (t, at) in cells {
            assert_eq!(found.get(t), Some(&at), "{id}: {t}");
        }
    }
}

#[test]
fn pandoc_reads_every_table_and_all_text() {
    if Command::new("pandoc").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have pandoc (.ci/run installs it)");
        return;
    }
    let data = crate::root().join("examples/shiyi-scjg-2024.yaml");
    let (_d, path) = build(&data, &[]);
    let out = Command::new("pandoc").args(["-f", "docx", "-t", "json"]).arg(&path).output().unwrap();
    assert!(out.status.success());
    let ast: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables: Vec<&serde_json::Value> = ast["blocks"].as_array().unwrap().iter().filter(|b| b["t"] == "Table").collect();
    // (columns, header rows, body rows) as the official layout, header rows recognised.
    let shape: Vec<(usize, usize, usize)> = tables
        .iter()
        .map(|t| {
            let c = &t["c"];
            let body: usize = c[4].as_array().unwrap().iter().map(|b| b[3].as_array().unwrap().len()).sum();
            (c[2].as_array().unwrap().len(), c[3][1].as_array().unwrap().len(), body)
        })
        .collect();
    assert_eq!(shape, [(4, 0, 14), (10, 3, 25), (15, 3, 1)]);
    // The group label spans its 22 rows.
    let third_row = &tables[1]["c"][4][0][3][2][1];
    assert_eq!((third_row[0][2].as_u64(), third_row[0][3].as_u64()), (Some(22), Some(1)));
    let out = Command::new("pandoc").args(["-s", "-f", "docx", "-t", "plain", "--wrap=none"]).arg(&path).output().unwrap();
    let plain = squash(&String::from_utf8(out.stdout).unwrap());
    let r = crate::check_file(&data, reportgen::Lang::Zh).expanded.unwrap();
    let ctx = reportgen::render::Context::new(&r);
    let mut want: Vec<String> = vec![squash(&ctx.title)];
    want.extend(reportgen::render::PARTS.iter().map(|p| p.to_string()));
    for g in [&ctx.tables.a, &ctx.tables.b, &ctx.tables.c] {
        want.extend(g.head.iter().chain(&g.body).flatten().filter(|c| !c.number).map(|c| squash(&c.text)));
    }
    for b in ctx.sections.iter().flat_map(|s| &s.body.blocks).chain(&ctx.problems.blocks).chain(&ctx.other_matters.blocks) {
        want.push(squash(&block_text(b)));
    }
    for w in want {
        assert!(plain.contains(&w), "pandoc lost “{w}”");
    }
    // Every figure, row by row, in table B.
    let b = &ctx.tables.b;
    for row in &b.body {
        let figures: String = row.iter().filter(|c| c.number).map(|c| c.text.clone()).collect();
        assert!(plain.contains(&figures), "row {:?}", row[0].text);
    }
}
