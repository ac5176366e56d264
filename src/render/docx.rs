//! DOCX: the Word document offices edit, sign off and upload. Office Open XML written
//! directly (the parts are small and fixed in shape) and zipped with fixed timestamps
//! and a fixed entry order, so the same input gives the same bytes.
//!
//! The look is GB/T 9704 (as the PDF): A4, margins 上37 下35 左28 右26 mm, 3号 仿宋 body on
//! a document grid of 22 lines × 28 characters, the title in 2号 小标宋, 一、 headings in 黑体,
//! （一） headings in 楷体, page numbers `— n —` in 4号 宋体 at the outer corner. Fonts carry
//! the names office machines have, with stock fallbacks in the font table. Styles, page
//! setup, header and footer come from a reference document ([`Reference`]), ours by
//! default, a designer's with `--reference-docx` (as pandoc does).
//!
//! Author text is data: every string is XML-escaped ([`parts::esc`]), links are
//! relationships with percent-encoded targets, and nothing a field holds becomes markup.

mod parts;
mod reference;
mod table;

use std::fmt::Write as _;
use std::io::Write as _;

use crate::diag::{Code, Diagnostic};
use crate::prose::{Block, Inline};

use super::Context;
use parts::{Rel, esc};
use table::Which;

pub use reference::Reference;

/// Builds the report's .docx.
pub fn render(ctx: &Context, reference: &Reference) -> Result<Vec<u8>, Diagnostic> {
    let mut w = Writer::new(reference);
    w.report(ctx);
    let date = super::pdf::document_date(ctx.published.as_deref());
    w.package(reference, &parts::core(&ctx.title, &ctx.agency, ctx.year, date), &parts::app(&ctx.agency))
}

/// The default reference document (`templates eject` writes it as `reference.docx`): a
/// page showing every style the report uses, with our page setup and footers. It is
/// generated from the same code as every report, so it cannot drift from the defaults;
/// built with it as `--reference-docx`, a report is byte for byte the default one.
pub fn reference_docx() -> Vec<u8> {
    use crate::render::grid::{Cell, Grid};
    let r = Reference::default();
    let mut w = Writer::new(&r);
    w.text("Title", "标题：2号方正小标宋简体（样式 Title）");
    w.text("Meta", "来源、日期：小四（样式 Report Meta）");
    w.text("Normal", "正文：3号仿宋_GB2312，两端对齐，首行缩进2字，每页22行、每行28字（样式 Normal）。");
    w.text("Heading1", "一、一级标题：3号黑体（样式 heading 1）");
    w.text("Heading2", "（一）二级标题：3号楷体_GB2312（样式 heading 2）");
    w.text("Heading3", "正文中的小标题：3号楷体_GB2312（样式 heading 3）");
    w.prose(
        &crate::prose::parse_markdown(
            "- 列表：**加粗**、*倾斜*、[链接](https://www.gov.cn/)（样式 List Paragraph、Hyperlink）\n\n> 引文（样式 Quote）",
        ),
        "Normal",
        "",
        0,
    );
    let th = |t: &str| Cell {
        text: t.into(),
        colspan: 1,
        rowspan: 1,
        header: true,
        scope: Some("col"),
        number: false,
        note: false,
        vertical: false,
    };
    let td = |t: &str| Cell { number: true, header: false, scope: None, ..th(t) };
    let row = |t: &str| Cell { scope: Some("row"), ..th(t) };
    let g = Grid {
        caption: String::new(),
        columns: 4,
        head: vec![vec![th("表头（Report Table Heading）"), th("本年制发件数"), th("本年废止件数"), th("现行有效件数")]],
        body: vec![vec![row("表格文字（Report Table Text）"), td("1"), td("12"), td("27")]],
    };
    w.table(&g, Which::A);
    w.text("Links", "链接：小四（样式 Report Links）");
    w.text("Colophon", "责任编辑：小四，右对齐（样式 Report Colophon）");
    let core = parts::core("reportgen 参考文档", "reportgen", 2024, None);
    w.package(&r, &core, &parts::app("reportgen")).unwrap_or_default()
}

/// The document being written: the body, its hyperlinks and its lists.
struct Writer {
    body: String,
    links: Vec<Rel>,
    lists: Vec<Option<u64>>,
    text_width: u32,
    text_height: u32,
}

/// Run formatting inherited through nested inline content.
#[derive(Debug, Clone, Copy, Default)]
struct Fmt {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    link: bool,
}

impl Fmt {
    fn rpr(self) -> String {
        let mut o = String::new();
        if self.link {
            o.push_str(r#"<w:rStyle w:val="Hyperlink"/>"#);
        } else if self.code {
            o.push_str(r#"<w:rStyle w:val="VerbatimChar"/>"#);
        }
        if self.bold {
            o.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            o.push_str("<w:i/><w:iCs/>");
        }
        if self.strike {
            o.push_str("<w:strike/>");
        }
        if o.is_empty() { o } else { format!("<w:rPr>{o}</w:rPr>") }
    }
}

/// Runs for `text`: line breaks become `w:br`, tabs `w:tab`.
fn runs(text: &str, rpr: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut o = format!("<w:r>{rpr}");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            o.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                o.push_str("<w:tab/>");
            }
            let piece = piece.trim_end_matches('\r');
            if !piece.is_empty() {
                let _ = write!(o, r#"<w:t xml:space="preserve">{}</w:t>"#, esc(piece));
            }
        }
    }
    o.push_str("</w:r>");
    o
}

/// A link target as a valid URI: what URIs may not hold (spaces, `<>"{}|\^`, non-ASCII)
/// percent-encoded, so Word accepts the relationship.
fn uri(url: &str) -> String {
    let mut o = String::with_capacity(url.len());
    for b in url.trim().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b) {
            o.push(b as char);
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

impl Writer {
    fn new(r: &Reference) -> Writer {
        Writer { body: String::new(), links: Vec::new(), lists: Vec::new(), text_width: r.text_width, text_height: r.text_height }
    }

    /// A paragraph of `style` (extra `w:pPr` children after the style, in schema order).
    fn para(&mut self, style: &str, ppr: &str, content: &str) {
        let _ = write!(self.body, r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{content}</w:p>"#);
    }

    /// A paragraph of plain text.
    fn text(&mut self, style: &str, text: &str) {
        let r = runs(text, "");
        self.para(style, "", &r);
    }

    /// A hyperlink relationship for `url` (one per distinct address).
    fn link(&mut self, url: &str) -> String {
        let target = uri(url);
        if let Some(r) = self.links.iter().find(|r| r.target == target) {
            return r.id.clone();
        }
        let id = format!("rLink{}", self.links.len() + 1);
        self.links.push(Rel { id: id.clone(), kind: "hyperlink".into(), target, external: true });
        id
    }

    fn inlines(&mut self, xs: &[Inline], f: Fmt, o: &mut String) {
        for x in xs {
            match x {
                Inline::Text { text } => o.push_str(&runs(text, &f.rpr())),
                Inline::Strong { content } => self.inlines(content, Fmt { bold: true, ..f }, o),
                Inline::Emph { content } => self.inlines(content, Fmt { italic: true, ..f }, o),
                Inline::Strike { content } => self.inlines(content, Fmt { strike: true, ..f }, o),
                Inline::Code { text } => o.push_str(&runs(text, &Fmt { code: true, ..f }.rpr())),
                Inline::Link { url, content } if !url.starts_with('#') && !f.link => {
                    let id = self.link(url);
                    let _ = write!(o, r#"<w:hyperlink r:id="{id}" w:history="1">"#);
                    self.inlines(content, Fmt { link: true, ..f }, o);
                    o.push_str("</w:hyperlink>");
                }
                Inline::Link { content, .. } => self.inlines(content, f, o),
                Inline::Break => o.push_str("<w:r><w:br/></w:r>"),
            }
        }
    }

    fn inline_para(&mut self, style: &str, ppr: &str, content: &[Inline]) {
        let mut o = String::new();
        self.inlines(content, Fmt::default(), &mut o);
        self.para(style, ppr, &o);
    }

    /// Prose blocks. `style` is the paragraph style (body, quote, list continuation);
    /// `depth` the list nesting.
    fn prose(&mut self, blocks: &[Block], style: &str, indent: &str, depth: u32) {
        for b in blocks {
            match b {
                Block::Paragraph { content } => self.inline_para(style, indent, content),
                Block::Heading { content, .. } => self.inline_para("Heading3", "", content),
                Block::List { start, items } => {
                    self.lists.push(*start);
                    let num = self.lists.len();
                    let level = depth.min(8);
                    let numpr = format!(r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#);
                    // Continuation blocks line up with the item's text.
                    let cont = format!(r#"<w:ind w:left="{}" w:firstLine="0"/>"#, 640 * (level + 1) + 420);
                    for item in items {
                        match item.split_first() {
                            Some((Block::Paragraph { content }, rest)) => {
                                self.inline_para("ListParagraph", &numpr, content);
                                self.prose(rest, "ListParagraph", &cont, depth + 1);
                            }
                            _ => {
                                self.para("ListParagraph", &numpr, "");
                                self.prose(item, "ListParagraph", &cont, depth + 1);
                            }
                        }
                    }
                }
                Block::Quote { content } => self.prose(content, "Quote", "", depth),
                Block::Code { text } => {
                    let r = runs(text.trim_end_matches('\n'), "");
                    self.para("SourceCode", "", &r);
                }
                Block::Rule => self.para(style, r#"<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>"#, ""),
            }
        }
    }

    fn table(&mut self, g: &crate::render::grid::Grid, which: Which) {
        self.body.push_str(&table::table_xml(g, which, self.text_width, self.text_height));
    }

    /// The report's content, in the order of FORMAT.md.
    fn report(&mut self, ctx: &Context) {
        self.text("Title", &ctx.title);
        let mut meta = Vec::new();
        if !ctx.title_names_agency {
            meta.push(format!("发布机关：{}", ctx.agency));
        }
        if let Some(s) = &ctx.source {
            meta.push(format!("来源：{s}"));
        }
        if let Some(p) = &ctx.published {
            meta.push(format!("日期：{p}"));
        }
        if !meta.is_empty() {
            // Two spaces between the items, as the HTML page shows them.
            self.text("Meta", &meta.join("  "));
        }
        self.prose(&ctx.preamble.blocks, "Normal", "", 0);
        self.text("Heading1", ctx.parts[0]);
        if let Some(intro) = &ctx.intro {
            self.prose(&intro.blocks, "Normal", "", 0);
        }
        for s in &ctx.sections {
            self.text("Heading2", &format!("{}{}", s.number, s.title));
            self.prose(&s.body.blocks, "Normal", "", 0);
        }
        self.text("Heading1", ctx.parts[1]);
        self.table(&ctx.tables.a, Which::A);
        self.text("Heading1", ctx.parts[2]);
        self.table(&ctx.tables.b, Which::B);
        self.text("Heading1", ctx.parts[3]);
        self.table(&ctx.tables.c, Which::C);
        self.text("Heading1", ctx.parts[4]);
        self.prose(&ctx.problems.blocks, "Normal", "", 0);
        self.text("Heading1", ctx.parts[5]);
        self.prose(&ctx.other_matters.blocks, "Normal", "", 0);
        for l in &ctx.links {
            let mut o = runs("链接：", "");
            match &l.url {
                Some(u) => {
                    let id = self.link(u);
                    let _ = write!(
                        o,
                        r#"<w:hyperlink r:id="{id}" w:history="1">{}</w:hyperlink>"#,
                        runs(&l.title, &Fmt { link: true, ..Fmt::default() }.rpr())
                    );
                }
                None => o.push_str(&runs(&l.title, "")),
            }
            self.para("Links", "", &o);
        }
        if let Some(e) = &ctx.editor {
            self.text("Colophon", &format!("责任编辑：{e}"));
        }
    }

    /// Zips the package: the document, the reference's styles, page setup, header and
    /// footer, and the properties, in a fixed order with fixed timestamps.
    fn package(self, reference: &Reference, core: &str, app: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut rels = vec![
            Rel { id: "rId1".into(), kind: "styles".into(), target: "styles.xml".into(), external: false },
            Rel { id: "rId2".into(), kind: "settings".into(), target: "settings.xml".into(), external: false },
            Rel { id: "rId3".into(), kind: "fontTable".into(), target: "fontTable.xml".into(), external: false },
            Rel { id: "rId4".into(), kind: "numbering".into(), target: "numbering.xml".into(), external: false },
        ];
        let mut overrides: Vec<(String, String)> = vec![
            ("word/document.xml".into(), parts::wml_type("document")),
            ("word/styles.xml".into(), parts::wml_type("styles")),
            ("word/settings.xml".into(), parts::wml_type("settings")),
            ("word/fontTable.xml".into(), parts::wml_type("fontTable")),
            ("word/numbering.xml".into(), parts::wml_type("numbering")),
            ("docProps/core.xml".into(), parts::wml_type("core")),
            ("docProps/app.xml".into(), parts::wml_type("app")),
        ];
        let mut sect = String::from("<w:sectPr>");
        for (i, r) in reference.refs.iter().enumerate() {
            let id = format!("rRef{}", i + 1);
            let _ = write!(sect, r#"<w:{} w:type="{}" r:id="{id}"/>"#, r.element, esc(&r.kind));
            rels.push(Rel { id, kind: r.element.trim_end_matches("Reference").into(), target: r.target.clone(), external: false });
        }
        sect.push_str(&reference.sect);
        sect.push_str("</w:sectPr>");
        if reference.theme.is_some() {
            rels.push(Rel { id: "rTheme".into(), kind: "theme".into(), target: "theme/theme1.xml".into(), external: false });
            overrides.push(("word/theme/theme1.xml".into(), parts::wml_type("theme")));
        }
        for p in &reference.parts {
            if let Some(t) = &p.content_type {
                overrides.push((p.name.clone(), t.clone()));
            }
        }
        rels.extend(self.links.iter().cloned());
        let document = format!(r#"{}<w:document {}><w:body>{}{sect}</w:body></w:document>"#, parts::DECL, parts::NS, self.body);
        let mut entries: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".into(), parts::content_types(&overrides, &reference.defaults).into_bytes()),
            ("_rels/.rels".into(), parts::package_rels().into_bytes()),
            ("docProps/core.xml".into(), core.as_bytes().to_vec()),
            ("docProps/app.xml".into(), app.as_bytes().to_vec()),
            ("word/document.xml".into(), document.into_bytes()),
            ("word/_rels/document.xml.rels".into(), parts::rels(&rels).into_bytes()),
            ("word/styles.xml".into(), reference.styles.as_bytes().to_vec()),
            ("word/settings.xml".into(), parts::settings(reference.even_and_odd).into_bytes()),
            ("word/fontTable.xml".into(), parts::font_table().into_bytes()),
            ("word/numbering.xml".into(), parts::numbering(&self.lists).into_bytes()),
        ];
        if let Some(t) = &reference.theme {
            entries.push(("word/theme/theme1.xml".into(), t.clone()));
        }
        for p in &reference.parts {
            entries.push((p.name.clone(), p.bytes.clone()));
        }
        zip_entries(&entries)
    }
}

/// Zips entries in order, deflated, every timestamp 1980-01-01 00:00 (the zip epoch).
fn zip_entries(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: &dyn std::fmt::Display| Diagnostic::error(Code::Io, format!("DOCX: {e}"));
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        z.start_file(name.as_str(), opts).map_err(|e| fail(&e))?;
        z.write_all(bytes).map_err(|e| fail(&e))?;
    }
    z.finish().map(|c| c.into_inner()).map_err(|e| fail(&e))
}
