//! The DOCX's tables hold any figure the schema allows, as the PDF's do
//! (`pdf_tables`): with figures of 1 to 12 digits in every cell of tables A, B and C,
//! built through the library and converted by LibreOffice, every figure extracts as
//! itself (`pdftotext -bbox`), in reading order, so none wrapped or ran into the next
//! cell; no figure's glyph box overlaps another word's; a figure keeps clear of whatever
//! stands beside it (the padding of both cells); everything stays inside the text block.
//! The checks can fail: the layout with figures kept at the table's size fails them.

use std::path::{Path, PathBuf};

use reportgen::render::Context;
use reportgen::render::docx::Reference;

use crate::pdf_tables::{MM, Word, reading_order, wide_report, words};

/// Builds the report with `digits`-digit figures as `<dir>/wide-<digits>.docx`.
fn build(digits: usize, dir: &Path) -> (PathBuf, Context) {
    let yaml = wide_report(digits);
    let checked = reportgen::check_bytes("wide.yaml", yaml.as_bytes(), &reportgen::Options::default());
    assert!(!checked.has_errors(), "{digits} digits: {:?}", checked.diagnostics);
    let ctx = Context::new(checked.expanded.as_ref().unwrap());
    let bytes = reportgen::render::docx::render(&ctx, &Reference::default()).expect("the DOCX is written");
    let path = dir.join(format!("wide-{digits}.docx"));
    std::fs::write(&path, bytes).unwrap();
    (path, ctx)
}

/// Checks LibreOffice's PDF of a report built from `ctx`; the first fault found, if any.
fn check(pdf: &Path, ctx: &Context, digits: usize) -> Result<(), String> {
    let ws = words(pdf);
    // Inside the text block: A4, 156 mm between the margins 28 and 26 mm (either way
    // round), below the 37 mm top margin and above the footer (the page number).
    let (left, right) = (26.0 * MM, (210.0 - 26.0) * MM);
    let bottom = (37.0 + 225.0) * MM;
    let body: Vec<&Word> = ws.iter().filter(|w| w.y1 < bottom).collect();
    for w in &body {
        let slack = if w.is_figure() { 0.5 } else { 5.0 };
        if w.x0 < left - slack || w.x1 > right + slack {
            return Err(format!("{w:?} leaves the text block"));
        }
    }
    // Every figure, as itself, in the order of the tables: those below part 二's heading
    // (above it, the title, date and period have years and days; after it, no prose has
    // figures).
    let Some(heading) = body.iter().find(|w| w.text.contains("主动公开政府信息情况")) else {
        return Err("no heading 二、主动公开政府信息情况".into());
    };
    let after = |w: &Word| w.page > heading.page || (w.page == heading.page && w.y0 > heading.y1);
    let figures = reading_order(body.iter().filter(|w| w.is_figure() && after(w)).map(|w| (*w).clone()).collect());
    let t = &ctx.tables;
    let expected: Vec<&str> = [&t.a, &t.b, &t.c]
        .iter()
        .flat_map(|g| g.head.iter().chain(&g.body).flatten().filter(|c| c.number).map(|c| c.text.as_str()))
        .collect();
    let widest = expected.iter().map(|s| s.len()).max().unwrap();
    assert!(widest >= digits, "{digits} digits: the widest figure has {widest}");
    let got: Vec<&str> = figures.iter().map(|w| w.text.as_str()).collect();
    if got != expected {
        let at = got.iter().zip(&expected).position(|(g, e)| g != e).unwrap_or(got.len().min(expected.len()));
        return Err(format!("figure {at} extracts as {:?}, not {:?}", got.get(at), expected.get(at)));
    }
    // No table figure's glyphs overlap another word's, and a figure keeps clear of whatever
    // stands beside it by the padding of both cells (2 × 2.85pt, less rounding). (Words
    // without figures are not compared with each other: LibreOffice boxes the characters
    // of table B's vertical label loosely.)
    for (i, w) in body.iter().enumerate() {
        for o in body[i + 1..].iter().filter(|o| ((w.is_figure() && after(w)) || (o.is_figure() && after(o))) && w.beside(o)) {
            let gap = if w.x1 <= o.x0 {
                o.x0 - w.x1
            } else if o.x1 <= w.x0 {
                w.x0 - o.x1
            } else {
                -1.0
            };
            if gap < 0.0 {
                return Err(format!("{w:?} overlaps {o:?}"));
            }
            if gap < 4.5 {
                return Err(format!("{w:?} and {o:?} are {gap:.1}pt apart"));
            }
        }
    }
    Ok(())
}

#[test]
fn docx_figures_of_any_width_stay_in_their_cells() {
    if !crate::pdf::need("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let built: Vec<(PathBuf, Context)> = (1..=12).map(|d| build(d, dir.path())).collect();
    let docs: Vec<PathBuf> = built.iter().map(|(p, _)| p.clone()).collect();
    let pdfs = crate::docx::soffice(&docs);
    for (digits, (pdf, (_, ctx))) in (1..=12).zip(pdfs.iter().zip(&built)) {
        if let Err(e) = check(pdf, ctx, digits) {
            panic!("{digits} digits: {e}");
        }
    }
}

/// `document.xml` with every figure at least 小五 (9 pt) and not condensed: the layout
/// before figures adapted (label columns still narrowed).
fn figures_at_table_size(xml: &str) -> String {
    const RUN: &str = "<w:r><w:rPr>";
    const T: &str = r#"<w:t xml:space="preserve">"#;
    let mut pieces = xml.split(RUN);
    let mut out = pieces.next().unwrap().to_string();
    for piece in pieces {
        out.push_str(RUN);
        let end = piece.find("</w:rPr>").unwrap();
        let text = piece[end..].strip_prefix("</w:rPr>").and_then(|t| t.strip_prefix(T)).and_then(|t| t.split("</w:t>").next());
        match text {
            Some(t) if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                let sz = piece[..end].split(r#"<w:sz w:val=""#).nth(1).and_then(|v| v[..v.find('"')?].parse::<u32>().ok());
                let sz = sz.unwrap_or(18).max(18);
                out.push_str(&format!(r#"<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>"#));
                out.push_str(&piece[end..]);
            }
            _ => out.push_str(piece),
        }
    }
    out
}

/// The checks above can fail: with the figures at the table's size, small figures pass
/// and 12-digit ones run over or wrap.
#[test]
fn docx_figures_at_the_tables_size_fail_the_checks() {
    if !crate::pdf::need("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut built = Vec::new();
    for digits in [3, 12] {
        let (path, ctx) = build(digits, dir.path());
        let entries = crate::docx::entries(&path);
        let fixed = dir.path().join(format!("fixed-{digits}.docx"));
        let mut z = zip::ZipWriter::new(std::fs::File::create(&fixed).unwrap());
        let mut changed = false;
        for (name, bytes) in entries {
            z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            let bytes = if name == "word/document.xml" {
                let xml = String::from_utf8(bytes).unwrap();
                let doctored = figures_at_table_size(&xml);
                changed |= doctored != xml;
                doctored.into_bytes()
            } else {
                bytes
            };
            std::io::Write::write_all(&mut z, &bytes).unwrap();
        }
        z.finish().unwrap();
        assert_eq!(changed, digits == 12, "{digits} digits: only the wide figures were made smaller");
        built.push((fixed, ctx, digits));
    }
    let pdfs = crate::docx::soffice(&built.iter().map(|(p, ..)| p.clone()).collect::<Vec<_>>());
    if pdfs.is_empty() {
        return;
    }
    assert_eq!(check(&pdfs[0], &built[0].1, 3), Ok(()));
    let e = check(&pdfs[1], &built[1].1, 12).expect_err("12-digit figures at 9 pt overflow");
    assert!(["overlaps", "apart", "extracts as", "leaves the text block"].iter().any(|f| e.contains(f)), "{e}");
}
