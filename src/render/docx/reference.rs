//! The reference document, as pandoc has it: styles, page setup (the section's page
//! size, margins and document grid), header and footer come from a .docx. Ours is built
//! in code ([`Reference::default`], and [`super::reference_docx`] for `templates eject`);
//! a designer's is read with [`Reference::from_docx`].
//!
//! A designer's styles are taken as they are, with any style the document uses but the
//! file lacks added from ours, so no paragraph refers to a missing style. Its page setup
//! is re-serialized from the parsed XML (only WordprocessingML elements and attributes,
//! escaped), never spliced in as text. Its header and footer parts are copied with the
//! images they use, read through the same bounded reader as `import`.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use roxmltree::Node;

use super::parts::{self, esc};
use crate::diag::{Code, Diagnostic, Lang};
use crate::import::docx::{Package, W, is_w, parse_xml, w_attr, w_child};

/// A header or footer of the section.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderFooter {
    /// `headerReference` or `footerReference`.
    pub element: &'static str,
    /// `default` (odd pages), `even` or `first`.
    pub kind: String,
    /// The part, relative to `word/`.
    pub target: String,
}

/// A part copied from the reference document.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Name in the package (`word/footer1.xml`).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its content type, when not given by its extension's default.
    pub content_type: Option<String>,
}

/// Styles, page setup, header and footer for the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// `word/styles.xml`.
    pub styles: String,
    /// The section's properties after its header and footer references (`w:pgSz`,
    /// `w:pgMar`, `w:docGrid`, …), in schema order.
    pub sect: String,
    /// The section's headers and footers.
    pub refs: Vec<HeaderFooter>,
    /// Their parts and what they use (images, their relationships).
    pub parts: Vec<Part>,
    /// Content types by extension for the copied images.
    pub defaults: Vec<(String, String)>,
    /// Whether even pages have their own header and footer.
    pub even_and_odd: bool,
    /// `word/theme/theme1.xml`, if the reference has a theme.
    pub theme: Option<Vec<u8>>,
    /// Width of the text block (twips), which the tables fill.
    pub text_width: u32,
    /// Height of the text block (twips): a table shorter than a page is kept on one.
    pub text_height: u32,
}

/// A4 in twips.
const A4: (u32, u32) = (11906, 16838);
/// GB/T 9704 margins in twips: top 37, bottom 35, left 28, right 26 mm.
fn margins() -> (u32, u32, u32, u32) {
    (parts::mm(37.0), parts::mm(35.0), parts::mm(28.0), parts::mm(26.0))
}

impl Default for Reference {
    fn default() -> Reference {
        let (top, bottom, left, right) = margins();
        let width = A4.0 - left - right;
        let height = A4.1 - top - bottom;
        // 22 lines of 28 characters: the grid's line pitch, and the character pitch as
        // `charSpace` (4096ths of a point added to the 16 pt body size).
        let pitch = height / 22;
        debug_assert_eq!(pitch, parts::LINE_PITCH);
        let char_space = (((width as f64 / 20.0 / 28.0) - 16.0) * 4096.0).floor() as i64;
        let sect = format!(
            concat!(
                r#"<w:pgSz w:w="{}" w:h="{}"/>"#,
                r#"<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="851" w:footer="{footer}" w:gutter="0"/>"#,
                r#"<w:pgNumType w:start="1"/><w:cols w:space="425"/>"#,
                r#"<w:docGrid w:type="linesAndChars" w:linePitch="{pitch}" w:charSpace="{cs}"/>"#
            ),
            A4.0,
            A4.1,
            top = top,
            right = right,
            bottom = bottom,
            left = left,
            // The page number's line sits 7 mm below the text block.
            footer = parts::mm(35.0 - 7.0 - 5.0),
            pitch = pitch,
            cs = char_space,
        );
        let footer = |n: u32, odd: bool| Part {
            name: format!("word/footer{n}.xml"),
            bytes: parts::footer(odd).into_bytes(),
            content_type: Some(parts::wml_type("footer")),
        };
        Reference {
            styles: parts::styles(),
            sect,
            refs: vec![
                HeaderFooter { element: "footerReference", kind: "default".into(), target: "footer1.xml".into() },
                HeaderFooter { element: "footerReference", kind: "even".into(), target: "footer2.xml".into() },
            ],
            parts: vec![footer(1, true), footer(2, false)],
            defaults: Vec::new(),
            even_and_odd: true,
            theme: None,
            text_width: width,
            text_height: height,
        }
    }
}

/// Parts of ours a reference's part may not replace.
const FIXED: &[&str] = &[
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/numbering.xml",
    "word/theme/theme1.xml",
];

/// Most images and other parts copied with the headers and footers.
const MAX_COPIED: usize = 64;

impl Reference {
    /// Reads a designer's reference document. `name` is shown in messages.
    pub fn from_docx(name: &str, bytes: &[u8], lang: Lang) -> Result<Reference, Diagnostic> {
        let mut pkg = Package::open(name, bytes, lang)?;
        let main = pkg.main_document()?;
        let bad = |zh: &str, en: &str| {
            Diagnostic::error(Code::Template, lang.pick(zh, en).to_string()).in_file(name).hint(lang.pick(
                "参考文档应是用 Word 或 WPS 保存的 .docx；可用 reportgen templates eject 导出默认的 reference.docx 再修改",
                "a reference document is a .docx saved by Word or WPS; `reportgen templates eject` writes the default reference.docx to start from",
            ))
        };
        let Some(xml) = pkg.text(&main)? else {
            return Err(bad("不是 Word 文档（缺少 word/document.xml）", "not a Word document (no word/document.xml)"));
        };
        let rels = pkg.rels(&main)?;
        let target = |kind: &str| rels.values().find(|(k, _, ext)| k == kind && !ext).map(|(_, t, _)| t.clone());
        let mut out = Reference::default();
        if let Some(t) = target("styles")
            && let Some(styles) = pkg.text(&t)?
        {
            out.styles = merge_styles(&styles)
                .ok_or_else(|| bad("参考文档的 styles.xml 无法解析", "the reference's styles.xml cannot be parsed"))?;
        }
        if let Some(t) = target("theme") {
            out.theme = pkg.part(&t)?;
        }
        out.even_and_odd = match target("settings") {
            Some(t) => pkg
                .text(&t)?
                .is_some_and(|s| parse_xml(&s).is_ok_and(|d| d.root_element().children().any(|n| is_w(n, "evenAndOddHeaders") && on(n)))),
            None => false,
        };
        let doc = parse_xml(&xml).map_err(|_| bad("参考文档的 document.xml 无法解析", "the reference's document.xml cannot be parsed"))?;
        let Some(sect) = doc
            .root_element()
            .children()
            .find(|n| is_w(*n, "body"))
            .and_then(|b| b.children().rev().find(|n| n.is_element()))
            .filter(|n| is_w(*n, "sectPr"))
        else {
            // No page setup of its own: Word would use its defaults; ours are the 公文's.
            return Ok(out);
        };
        let mut body = String::new();
        for c in sect.children().filter(|c| c.is_element()) {
            if !is_w(c, "headerReference") && !is_w(c, "footerReference") {
                serialize(c, &mut body, 0);
            }
        }
        out.sect = body;
        if let Some((w, h)) = text_block(sect) {
            out.text_width = w;
            out.text_height = h;
        }
        let types = content_types(&mut pkg)?;
        out.refs.clear();
        out.parts.clear();
        let mut copied = 0;
        let (mut headers, mut footers) = (0, 0);
        for c in sect.children().filter(|c| is_w(*c, "headerReference") || is_w(*c, "footerReference")) {
            let header = is_w(c, "headerReference");
            let Some((_, part, _)) = c.attribute((crate::import::docx::R, "id")).and_then(|id| rels.get(id)).cloned() else { continue };
            let Some(bytes) = pkg.part(&part)? else { continue };
            let n = if header { &mut headers } else { &mut footers };
            *n += 1;
            let file = format!("{}{}.xml", if header { "header" } else { "footer" }, n);
            out.refs.push(HeaderFooter {
                element: if header { "headerReference" } else { "footerReference" },
                kind: w_attr(c, "type").unwrap_or("default").to_string(),
                target: file.clone(),
            });
            out.parts.push(Part {
                name: format!("word/{file}"),
                bytes,
                content_type: Some(parts::wml_type(if header { "header" } else { "footer" })),
            });
            // The part's own relationships (images), copied with what they point at.
            let (dir, base) = part.rsplit_once('/').unwrap_or(("", part.as_str()));
            let rels_path = if dir.is_empty() { format!("_rels/{base}.rels") } else { format!("{dir}/_rels/{base}.rels") };
            if dir != "word" {
                continue;
            }
            let Some(rels_bytes) = pkg.part(&rels_path)? else { continue };
            out.parts.push(Part { name: format!("word/_rels/{file}.rels"), bytes: rels_bytes, content_type: None });
            for (_, target, external) in pkg.rels(&part)?.into_values() {
                if external || FIXED.contains(&target.as_str()) || out.parts.iter().any(|p| p.name == target) || copied >= MAX_COPIED {
                    continue;
                }
                let Some(bytes) = pkg.part(&target)? else { continue };
                copied += 1;
                let ext = target.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
                let content_type = types.1.get(&format!("/{target}")).cloned();
                if content_type.is_none()
                    && let Some(t) = types.0.get(&ext)
                    && !out.defaults.iter().any(|(e, _)| *e == ext)
                {
                    out.defaults.push((ext, t.clone()));
                }
                out.parts.push(Part { name: target, bytes, content_type });
            }
        }
        Ok(out)
    }
}

/// The reference's content types: by extension, and by part name.
fn content_types(pkg: &mut Package) -> Result<(HashMap<String, String>, HashMap<String, String>), Diagnostic> {
    let mut by_ext = HashMap::new();
    let mut by_part = HashMap::new();
    if let Some(text) = pkg.text("[Content_Types].xml")?
        && let Ok(doc) = parse_xml(&text)
    {
        for n in doc.root_element().children().filter(|n| n.is_element()) {
            match (n.tag_name().name(), n.attribute("ContentType")) {
                ("Default", Some(t)) => {
                    if let Some(e) = n.attribute("Extension") {
                        by_ext.insert(e.to_ascii_lowercase(), t.to_string());
                    }
                }
                ("Override", Some(t)) => {
                    if let Some(p) = n.attribute("PartName") {
                        by_part.insert(p.to_string(), t.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    Ok((by_ext, by_part))
}

/// Whether an on/off element is on.
fn on(n: Node) -> bool {
    !matches!(w_attr(n, "val"), Some("0" | "false" | "off"))
}

/// The text block: page width less the left and right margins and the gutter, page
/// height less the top and bottom margins (negative margins count as their size).
fn text_block(sect: Node) -> Option<(u32, u32)> {
    let num = |n: Node, a: &str| w_attr(n, a).and_then(|v| v.parse::<i64>().ok()).map(i64::abs);
    let size = w_child(sect, "pgSz")?;
    let mar = w_child(sect, "pgMar")?;
    let w = num(size, "w")? - num(mar, "left").unwrap_or(0) - num(mar, "right").unwrap_or(0) - num(mar, "gutter").unwrap_or(0);
    let h = num(size, "h")? - num(mar, "top").unwrap_or(0) - num(mar, "bottom").unwrap_or(0);
    let ok = |v: i64| u32::try_from(v).ok().filter(|v| (1440..=31680).contains(v));
    Some((ok(w)?, ok(h)?))
}

/// Writes a WordprocessingML element back as XML: only `w:` elements and attributes,
/// values escaped; anything else (other namespaces, deep nesting) is dropped.
fn serialize(n: Node, o: &mut String, depth: usize) {
    if depth > 8 || n.tag_name().namespace() != Some(W) {
        return;
    }
    let _ = write!(o, "<w:{}", n.tag_name().name());
    for a in n.attributes().filter(|a| a.namespace() == Some(W)) {
        let _ = write!(o, r#" w:{}="{}""#, a.name(), esc(a.value()));
    }
    let kids: Vec<Node> = n.children().filter(|c| c.is_element() || c.is_text()).collect();
    if kids.iter().all(|c| c.is_text() && c.text().is_none_or(|t| t.trim().is_empty())) {
        o.push_str("/>");
        return;
    }
    o.push('>');
    for c in kids {
        if c.is_text() {
            o.push_str(&esc(c.text().unwrap_or("")));
        } else {
            serialize(c, o, depth + 1);
        }
    }
    let _ = write!(o, "</w:{}>", n.tag_name().name());
}

/// A designer's styles with ours added for every style id the document uses that they
/// lack (each declaring the namespace itself, whatever prefix the file uses).
fn merge_styles(theirs: &str) -> Option<String> {
    let doc = parse_xml(theirs).ok()?;
    let root = doc.root_element();
    let have: HashSet<&str> = root.children().filter(|n| is_w(*n, "style")).filter_map(|n| w_attr(n, "styleId")).collect();
    let missing: Vec<String> = parts::style_list()
        .into_iter()
        .filter(|(id, _)| !have.contains(id))
        .map(|(_, xml)| xml.replacen("<w:style ", &format!(r#"<w:style xmlns:w="{W}" "#), 1))
        .collect();
    if missing.is_empty() {
        return Some(theirs.to_string());
    }
    let end = root.range().end;
    let close = theirs[..end].rfind("</")?;
    Some(format!("{}{}{}", &theirs[..close], missing.concat(), &theirs[close..]))
}
