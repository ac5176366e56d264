//! `import FILE.docx`: the reader's `Doc` (the grid of table B read from our own .docx is
//! the official one, cell text equal to the figures), the round trip build → import for
//! every example, and bad input (not a report, corrupt zip, zip bombs, hostile XML) as
//! clear errors, never a panic.

use std::io::Write;

use reportgen::Lang;
use reportgen::import::doc::{Block, GridCell, Places};
use reportgen::import::docx::read;
use reportgen::import::import_bytes;
use reportgen::model::labels::{CARRIED_FORWARD, CARRIED_OVER, RECEIVED, RESULT_ROWS, RESULTS_LABEL, RESULTS_TOTAL};

use crate::docx::build;

/// A zip of the given entries (deflated).
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn errors(r: Result<impl std::fmt::Debug, Vec<reportgen::Diagnostic>>) -> String {
    let diags = r.expect_err("an error");
    assert!(diags.iter().any(|d| d.is_error()));
    diags.iter().map(|d| format!("{} {}", d.message, d.hints.join(" "))).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_reader_gives_the_official_grid_of_our_own_docx() {
    for example in ["suizhong-2023", "shiyi-scjg-2024"] {
        let data = crate::root().join(format!("examples/{example}.yaml"));
        let (_d, path) = build(&data, &[]);
        let bytes = std::fs::read(&path).unwrap();
        let doc = read("r.docx", &bytes, Lang::Zh).unwrap();
        assert_eq!(doc.places, Places::Labels);
        // Every span points at its text, one line per paragraph or table row.
        let mut tables = Vec::new();
        for b in &doc.blocks {
            match b {
                Block::Text(c) => {
                    assert_eq!(&doc.text[c.span.clone()], c.text);
                    // A paragraph is one line, ended by its line break (a blank line follows).
                    assert!(c.text.ends_with('\n') && !c.text.trim_end_matches('\n').contains('\n'), "{:?}", c.text);
                    assert_eq!(&doc.text[c.span.end..c.span.end + 1], "\n");
                }
                Block::Table(t) => {
                    for g in t.rows.iter().flatten() {
                        if let Some(c) = g.cell() {
                            assert_eq!(&doc.text[c.span.clone()], c.text);
                        }
                    }
                    tables.push(t);
                }
            }
        }
        assert_eq!(
            doc.text.lines().filter(|l| !l.is_empty()).count(),
            doc.blocks.iter().map(|b| if let Block::Table(t) = b { t.rows.len() } else { 1 }).sum::<usize>()
        );
        let r = crate::check_file(&data, Lang::Zh).expanded.unwrap();
        let title = r.title();
        assert!(matches!(&doc.blocks[0], Block::Text(c) if c.text.trim_end() == title));
        assert_eq!(tables.len(), 3);
        let b = tables[1];
        assert_eq!(b.rows.len(), 3 + 25);
        assert!(b.rows.iter().all(|row| row.len() == 10), "10 grid columns");
        let a = &r.applications;
        let mut want: Vec<(&str, &reportgen::model::Row)> = vec![(RECEIVED.label, &a.received), (CARRIED_OVER.label, &a.carried_over)];
        want.extend(RESULT_ROWS.iter().map(|d| d.label).zip(a.result_rows()));
        let total = a.results_total();
        want.push((RESULTS_TOTAL.label, &total));
        want.push((CARRIED_FORWARD.label, &a.carried_forward));
        for (row, (label, figures)) in b.rows[3..].iter().zip(want) {
            let texts: Vec<&str> = row.iter().filter_map(|g| g.cell()).map(|c| c.text.as_str()).collect();
            assert!(texts.contains(&label), "{example}: {label} in {texts:?}");
            let got: Vec<String> = row[3..].iter().map(|g| g.cell().unwrap().text.clone()).collect();
            let expect: Vec<String> = figures.cells().iter().chain([&figures.sum()]).map(|n| n.to_string()).collect();
            assert_eq!(got, expect, "{example}: {label}");
        }
        // The group label covers its 22 rows; the sub-groups theirs.
        match &b.rows[5][0] {
            GridCell::Cell { cell, rows, cols } => assert_eq!((cell.text.as_str(), *rows, *cols), (RESULTS_LABEL, 22, 1)),
            GridCell::Covered => panic!("no group label"),
        }
        assert!(b.rows[6..27].iter().all(|r| r[0] == GridCell::Covered));
        match &b.rows[0][0] {
            GridCell::Cell { rows, cols, .. } => assert_eq!((*rows, *cols), (3, 3)),
            GridCell::Covered => panic!("no corner"),
        }
    }
}

#[test]
fn round_trip_build_then_import_docx_gives_the_same_data() {
    for entry in std::fs::read_dir(crate::root().join("examples")).unwrap() {
        let data = entry.unwrap().path();
        let (_d, path) = build(&data, &[]);
        let imp = import_bytes("rt.docx", &std::fs::read(&path).unwrap(), Lang::Zh).unwrap();
        assert!(!imp.diagnostics.iter().any(|d| d.is_error()), "{}: {:?}", data.display(), imp.diagnostics);
        let original = crate::check_file(&data, Lang::Zh).expanded.unwrap();
        let (want, got) = (crate::import::canonical(&original), crate::import::canonical(&imp.report));
        assert_eq!(got.0, want.0, "{}: data differs", data.display());
        assert_eq!(got.1, want.1, "{}: prose differs", data.display());
    }
}

#[test]
fn a_docx_that_is_no_report_or_no_docx_gets_a_clear_error() {
    // A Word document, but not a report (the ejected reference document).
    let t = tempfile::tempdir().unwrap();
    assert!(crate::bin().args(["templates", "eject"]).arg(t.path()).output().unwrap().status.success());
    let reference = std::fs::read(t.path().join("reference.docx")).unwrap();
    assert!(read("ref.docx", &reference, Lang::Zh).is_ok(), "it reads as a document");
    assert!(errors(import_bytes("ref.docx", &reference, Lang::Zh)).contains("不像一份政府信息公开工作年度报告"));
    // Not a zip; an old .doc; a zip that is not a Word document.
    assert!(errors(import_bytes("x.docx", b"hello, this is text", Lang::Zh)).contains("不是 .docx"));
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
    assert!(errors(import_bytes("x.docx", &ole, Lang::En)).contains(".doc"));
    let other = zip_of(&[("readme.txt", b"a zip, not a document")]);
    assert!(errors(import_bytes("x.zip", &other, Lang::Zh)).contains("缺少 word/document.xml"));
    // Corrupt: cut in half, or bytes flipped inside the compressed document.
    let (_d, path) = build(&crate::root().join("examples/suizhong-2023.yaml"), &[]);
    let good = std::fs::read(&path).unwrap();
    assert!(errors(import_bytes("cut.docx", &good[..good.len() / 2], Lang::Zh)).contains("损坏"));
    let mut flipped = good.clone();
    let at = good.windows(17).position(|w| w == b"word/document.xml").unwrap() + 17 + 200;
    for b in &mut flipped[at..at + 64] {
        *b ^= 0x5A;
    }
    assert!(errors(import_bytes("flip.docx", &flipped, Lang::En)).contains("corrupt"));
    // Not XML.
    let garbage = zip_of(&[("word/document.xml", b"<w:document><unclosed")]);
    assert!(errors(read("g.docx", &garbage, Lang::Zh)).contains("损坏"));
}

#[test]
fn zip_bombs_are_refused_within_limits() {
    // A part that inflates past the per-part limit.
    let zeros = vec![0u8; (reportgen::import::docx::MAX_PART + 1) as usize];
    let big = zip_of(&[("word/document.xml", &zeros)]);
    assert!(big.len() < 1 << 20, "the bomb is small: {} bytes", big.len());
    assert!(errors(read("bomb.docx", &big, Lang::Zh)).contains("压缩炸弹"));
    // One that is within the size limit but compressed far beyond any real document.
    let dense = zip_of(&[("word/document.xml", &zeros[..(4 << 20)])]);
    assert!(errors(read("ratio.docx", &dense, Lang::En)).contains("compression ratio"));
    // One whose header understates its size: reading still stops at the limits.
    let mut liar = zip_of(&[("word/document.xml", &zeros[..(8 << 20)])]);
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let h = liar.windows(4).position(|w| w == sig).unwrap();
        let size_at = if sig[2] == 3 { h + 22 } else { h + 24 };
        liar[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
    }
    let _ = errors(read("liar.docx", &liar, Lang::Zh));
    // Too many entries.
    let names: Vec<String> = (0..reportgen::import::docx::MAX_ENTRIES + 1).map(|i| format!("f{i}")).collect();
    let many = zip_of(&names.iter().map(|n| (n.as_str(), &b""[..])).collect::<Vec<_>>());
    assert!(errors(read("many.docx", &many, Lang::Zh)).contains("个文件"));
}

#[test]
fn hostile_document_xml_neither_panics_nor_overflows() {
    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
    // Content controls nested 100 000 deep around a paragraph.
    let depth = 100_000;
    let deep = format!(
        "<w:document {NS}><w:body>{}<w:p><w:r><w:t>深处</w:t></w:r></w:p>{}</w:body></w:document>",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    let z = zip_of(&[("word/document.xml", deep.as_bytes())]);
    if let Ok(doc) = read("deep.docx", &z, Lang::Zh) {
        assert!(doc.text.contains("深处"));
    }
    // Absurd spans and merges: clamped, the grid stays small.
    let cell = |pr: &str, t: &str| format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let rows: String = (0..200)
        .map(|i| {
            let merge = if i == 0 { r#"<w:vMerge w:val="restart"/>"# } else { "<w:vMerge/>" };
            format!(
                "<w:tr><w:trPr><w:gridBefore w:val=\"4000000000\"/></w:trPr>{}{}</w:tr>",
                cell(&format!(r#"<w:gridSpan w:val="99999999"/>{merge}"#), "x"),
                cell(r#"<w:hMerge/>"#, "y")
            )
        })
        .collect();
    let xml = format!(
        "<w:document {NS}><w:body><w:tbl>{rows}</w:tbl><w:tbl><w:tr>{}</w:tr></w:tbl></w:body></w:document>",
        cell("<w:vMerge/>", "z")
    );
    let z = zip_of(&[("word/document.xml", xml.as_bytes())]);
    let doc = read("spans.docx", &z, Lang::Zh).unwrap();
    let Block::Table(t) = &doc.blocks[0] else { panic!("a table") };
    assert!(t.rows.iter().all(|r| r.len() <= 128), "clamped");
    // A continuation with nothing above is a cell of its own, not a panic.
    let Block::Table(t) = &doc.blocks[1] else { panic!("a table") };
    assert_eq!(t.rows[0][0].cell().map(|c| c.text.as_str()), Some("z"));
    // A DTD (entity expansion) is refused.
    let dtd = format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><w:document {NS}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let z = zip_of(&[("word/document.xml", dtd.as_bytes())]);
    let _ = errors(read("dtd.docx", &z, Lang::Zh));
}
