//! A .docx (Office Open XML) → [`Doc`]: the tables straight from `word/document.xml`,
//! their grid resolved through `w:gridSpan`, `w:hMerge` and `w:vMerge` (no flattening
//! guesswork), and every other paragraph as a line of text.
//!
//! A .docx is a zip file from a stranger, so reading is bounded: the number of entries,
//! each part's size and compression ratio, and the total read are limited before and
//! while inflating; the XML is parsed without DTDs (no entity expansion) under a node
//! limit; the walk is iterative (no recursion a deep document could overflow); merged
//! cells are clamped. Every failure is a diagnostic, never a panic.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, Node, ParsingOptions};

use super::doc::{Block, Cell, Doc, GridCell, Places, Table};
use crate::diag::{Code, Diagnostic, Lang};

/// The WordprocessingML main namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The relationships namespace (`r:id`).
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Most entries a package may list (a report has about a dozen).
pub const MAX_ENTRIES: usize = 5_000;
/// Largest part read, inflated (bytes).
pub const MAX_PART: u64 = 32 << 20;
/// Most bytes inflated from one package, all parts together.
pub const MAX_TOTAL: u64 = 96 << 20;
/// Highest compression ratio of a part larger than [`RATIO_FLOOR`]: XML compresses
/// about 10:1; a zip bomb by hundreds or thousands.
pub const MAX_RATIO: u64 = 200;
/// Parts smaller than this are not held to [`MAX_RATIO`].
pub const RATIO_FLOOR: u64 = 1 << 20;
/// Most XML nodes of one part.
pub const MAX_NODES: u32 = 4_000_000;
/// Most grid positions of all tables together.
pub const MAX_GRID: usize = 1_000_000;
/// Widest merge honoured (columns or rows).
const MAX_SPAN: usize = 64;

/// A package opened for bounded reading.
pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    name: String,
    lang: Lang,
    read: u64,
}

fn err(name: &str, lang: Lang, zh: String, en: String, hint: (&str, &str)) -> Diagnostic {
    Diagnostic::error(Code::Import, if lang == Lang::Zh { zh } else { en }).in_file(name).hint(lang.pick(hint.0, hint.1))
}

const HINT_RESAVE: (&str, &str) = (
    "用 Word 或 WPS 打开该文件，另存为 .docx（Word 文档）后再导入",
    "open the file in Word or WPS, save it as .docx (Word document), and import that",
);

/// Whether the bytes (or the name) say this is a .docx: the zip signature, or the name.
pub fn is_docx(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || name.to_ascii_lowercase().ends_with(".docx")
}

/// The number of entries the end of central directory record announces (zip64 too),
/// read before the zip library lists them all: a million-entry archive is refused
/// without allocating for a million entries.
fn announced_entries(bytes: &[u8]) -> Option<u64> {
    let tail_from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (tail_from..bytes.len().saturating_sub(21)).rev().find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let le16 = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u64);
    let le64 = |i: usize| bytes.get(i..i + 8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])));
    let n = le16(eocd + 10)?;
    if n != 0xFFFF {
        return Some(n);
    }
    // Zip64: the locator just before the record points at the zip64 record.
    let loc = eocd.checked_sub(20)?;
    if !bytes[loc..].starts_with(b"PK\x06\x07") {
        return Some(n);
    }
    let at = usize::try_from(le64(loc + 8)?).ok()?;
    if !bytes.get(at..)?.starts_with(b"PK\x06\x06") {
        return Some(u64::MAX);
    }
    le64(at + 32)
}

impl<'a> Package<'a> {
    /// Opens a .docx, refusing what is not a zip, too many entries, an old .doc.
    pub fn open(name: &str, bytes: &'a [u8], lang: Lang) -> Result<Package<'a>, Diagnostic> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(err(
                name,
                lang,
                "这是旧版 Word 97-2003 文档（.doc）或加密的文档，不是 .docx".into(),
                "this is an old Word 97-2003 document (.doc) or an encrypted one, not a .docx".into(),
                HINT_RESAVE,
            ));
        }
        if !bytes.starts_with(b"PK") {
            return Err(err(
                name,
                lang,
                "这不是 .docx 文件：.docx 是 ZIP 压缩包，而此文件开头不是 ZIP 签名".into(),
                "this is not a .docx file: a .docx is a zip archive, and this file does not start like one".into(),
                HINT_RESAVE,
            ));
        }
        match announced_entries(bytes) {
            Some(n) if n > MAX_ENTRIES as u64 => {
                return Err(err(
                    name,
                    lang,
                    format!("压缩包声明了 {n} 个文件，超过上限 {MAX_ENTRIES}：这不是正常的 Word 文档（可能是“压缩炸弹”）"),
                    format!(
                        "the archive lists {n} entries, more than the limit of {MAX_ENTRIES}: not a normal Word document (possibly a zip bomb)"
                    ),
                    HINT_RESAVE,
                ));
            }
            _ => {}
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            err(
                name,
                lang,
                format!("ZIP 压缩包已损坏，无法读取：{e}"),
                format!("the zip archive is corrupt and cannot be read: {e}"),
                (
                    "文件可能下载不完整；重新下载或从原处重新保存",
                    "the file may be truncated; download it again or save it again from its source",
                ),
            )
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(err(
                name,
                lang,
                format!("压缩包有 {} 个文件，超过上限 {MAX_ENTRIES}", zip.len()),
                format!("the archive has {} entries, more than the limit of {MAX_ENTRIES}", zip.len()),
                HINT_RESAVE,
            ));
        }
        Ok(Package { zip, name: name.into(), lang, read: 0 })
    }

    fn bomb(&self, part: &str, why: String, why_en: String) -> Diagnostic {
        err(
            &self.name,
            self.lang,
            format!("{part}：{why}，已停止读取（可能是“压缩炸弹”）"),
            format!("{part}: {why_en}; reading stopped (possibly a zip bomb)"),
            (
                "正常的年度报告 .docx 只有几百 KB；请确认文件来源",
                "a normal report .docx is a few hundred KB; check where the file came from",
            ),
        )
    }

    /// A part's bytes, or `None` when the package has no such part. Bounded by
    /// [`MAX_PART`], [`MAX_RATIO`] and [`MAX_TOTAL`], whatever the entry claims.
    pub fn part(&mut self, path: &str) -> Result<Option<Vec<u8>>, Diagnostic> {
        let found = self.zip.by_name(path).map(|f| (f.size(), f.compressed_size())).map_err(|e| e.to_string());
        let (size, packed) = match found {
            Ok(v) => v,
            Err(_) if self.zip.index_for_name(path).is_none() => return Ok(None),
            Err(e) => return Err(self.corrupt(path, &e)),
        };
        if size > MAX_PART {
            return Err(self.bomb(
                path,
                format!("解压后 {size} 字节，超过上限 {MAX_PART}"),
                format!("{size} bytes inflated, over the limit of {MAX_PART}"),
            ));
        }
        if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
            let r = size / packed.max(1);
            return Err(self.bomb(
                path,
                format!("压缩比 {r}:1，超过上限 {MAX_RATIO}:1"),
                format!("compression ratio {r}:1, over the limit of {MAX_RATIO}:1"),
            ));
        }
        let budget = MAX_PART.min(MAX_TOTAL.saturating_sub(self.read));
        let mut out = Vec::with_capacity(size.min(budget) as usize);
        let result = match self.zip.by_name(path) {
            Ok(f) => f.take(budget + 1).read_to_end(&mut out).map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if out.len() as u64 > budget {
            return Err(self.bomb(
                path,
                format!("解压后超过 {budget} 字节（与其声明的大小不符）"),
                format!("inflates beyond {budget} bytes (more than it claims)"),
            ));
        }
        if let Err(e) = result {
            return Err(self.corrupt(path, &e));
        }
        self.read += out.len() as u64;
        Ok(Some(out))
    }

    fn corrupt(&self, part: &str, e: &str) -> Diagnostic {
        err(
            &self.name,
            self.lang,
            format!("压缩包中的 {part} 已损坏：{e}"),
            format!("{part} in the archive is corrupt: {e}"),
            (
                "文件可能下载不完整；重新下载或从原处重新保存",
                "the file may be truncated; download it again or save it again from its source",
            ),
        )
    }

    /// A part as UTF-8 text (a byte-order mark dropped).
    pub fn text(&mut self, path: &str) -> Result<Option<String>, Diagnostic> {
        let Some(bytes) = self.part(path)? else { return Ok(None) };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(Some(s.to_string())),
            Err(_) => Err(self.corrupt(path, "not UTF-8")),
        }
    }

    /// The relationships of a part (`word/document.xml` → `word/_rels/document.xml.rels`):
    /// id → (type's last segment, target resolved against the part's folder, external).
    pub fn rels(&mut self, part: &str) -> Result<HashMap<String, (String, String, bool)>, Diagnostic> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let path = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
        let mut out = HashMap::new();
        let Some(text) = self.text(&path)? else { return Ok(out) };
        let doc = parse_xml(&text).map_err(|e| self.corrupt(&path, &e))?;
        for r in doc.root_element().children().filter(|n| n.has_tag_name("Relationship")) {
            let (Some(id), Some(ty), Some(target)) = (r.attribute("Id"), r.attribute("Type"), r.attribute("Target")) else { continue };
            let external = r.attribute("TargetMode") == Some("External");
            let kind = ty.rsplit('/').next().unwrap_or("").to_string();
            let target = if external { target.to_string() } else { resolve(dir, target) };
            out.insert(id.to_string(), (kind, target, external));
        }
        Ok(out)
    }

    /// The main document part's name (`word/document.xml` unless the package says otherwise).
    pub fn main_document(&mut self) -> Result<String, Diagnostic> {
        let rels = self.rels("")?;
        if let Some((_, t, _)) = rels.values().find(|(k, _, ext)| k == "officeDocument" && !ext) {
            return Ok(t.clone());
        }
        Ok("word/document.xml".into())
    }
}

/// A relative target resolved against a folder: `media/a.png` from `word` → `word/media/a.png`;
/// `..` climbs, an absolute `/x` is from the package root.
pub fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Parses XML without DTDs (no entities to expand) under [`MAX_NODES`].
pub fn parse_xml(text: &str) -> Result<Document<'_>, String> {
    Document::parse_with_options(text, ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..Default::default() })
        .map_err(|e| e.to_string())
}

/// Whether `n` is the WordprocessingML element `local`.
pub fn is_w(n: Node, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(W)
}

/// A `w:` attribute.
pub fn w_attr<'a>(n: Node<'a, '_>, local: &str) -> Option<&'a str> {
    n.attribute((W, local))
}

/// The first `w:` child named `local`.
pub fn w_child<'a, 'i>(n: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_w(*c, local))
}

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    text: String,
    bold: bool,
    italic: bool,
    link: Option<String>,
}

/// A paragraph as read.
#[derive(Debug, Clone, Default)]
struct Para {
    spans: Vec<Span>,
    /// `(numId, ilvl)` when the paragraph is a list item.
    list: Option<(String, u32)>,
}

impl Para {
    fn plain(&self) -> String {
        let s: String = self.spans.iter().map(|s| s.text.as_str()).collect();
        s.replace(['\n', '\r'], " ").trim().to_string()
    }
}

/// A table cell as read: where it starts on the grid and how far it reaches.
#[derive(Debug, Clone)]
struct Tc {
    col: usize,
    span: usize,
    merge: Merge,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Merge {
    None,
    Restart,
    Continue,
}

#[derive(Debug, Clone)]
enum Item {
    Para(Para),
    Table(Vec<Vec<Tc>>),
}

/// Whether an on/off property (`w:b`, `w:i`) is on.
fn on(n: Option<Node>) -> bool {
    n.is_some_and(|n| !matches!(w_attr(n, "val"), Some("0" | "false" | "off" | "none")))
}

/// Elements whose content is not part of the text a reader sees: deletions, field
/// instructions, drawings and text boxes, alternative content, properties.
fn skipped(n: Node) -> bool {
    if n.tag_name().namespace() == Some("http://schemas.openxmlformats.org/markup-compatibility/2006") {
        return n.tag_name().name() == "Fallback";
    }
    n.tag_name().namespace() == Some(W)
        && matches!(
            n.tag_name().name(),
            "del"
                | "moveFrom"
                | "instrText"
                | "delText"
                | "drawing"
                | "pict"
                | "object"
                | "rPr"
                | "pPr"
                | "tblPr"
                | "trPr"
                | "tcPr"
                | "footnoteReference"
                | "endnoteReference"
                | "commentReference"
        )
}

/// Reads one paragraph's runs, iteratively.
fn paragraph(p: Node, links: &HashMap<String, (String, String, bool)>) -> Para {
    let mut para = Para::default();
    if let Some(num) = w_child(p, "pPr").and_then(|ppr| w_child(ppr, "numPr")) {
        let id = w_child(num, "numId").and_then(|n| w_attr(n, "val")).unwrap_or("0").to_string();
        let lvl = w_child(num, "ilvl").and_then(|n| w_attr(n, "val")).and_then(|v| v.parse().ok()).unwrap_or(0u32).min(8);
        if id != "0" {
            para.list = Some((id, lvl));
        }
    }
    // (node, the hyperlink it is inside)
    let mut stack: Vec<(Node, Option<String>)> = p.children().rev().map(|c| (c, None)).collect();
    while let Some((n, link)) = stack.pop() {
        if !n.is_element() || skipped(n) {
            continue;
        }
        let name = n.tag_name().name();
        if n.tag_name().namespace() == Some(W) && name == "r" {
            let rpr = w_child(n, "rPr");
            let style = rpr.and_then(|r| w_child(r, "rStyle")).and_then(|s| w_attr(s, "val")).unwrap_or("");
            let bold = on(rpr.and_then(|r| w_child(r, "b"))) || style.contains("Strong");
            let italic = on(rpr.and_then(|r| w_child(r, "i"))) || style.contains("Emphasis");
            let mut text = String::new();
            for c in n.children().filter(|c| c.is_element()) {
                match (c.tag_name().namespace() == Some(W), c.tag_name().name()) {
                    (true, "t") => text.push_str(c.text().unwrap_or("")),
                    (true, "tab" | "ptab") => text.push(' '),
                    (true, "br" | "cr") => text.push('\n'),
                    (true, "noBreakHyphen") => text.push('-'),
                    _ => {}
                }
            }
            if !text.is_empty() {
                para.spans.push(Span { text, bold, italic, link: link.clone() });
            }
            continue;
        }
        let link = if is_w(n, "hyperlink") {
            n.attribute((R, "id")).and_then(|id| links.get(id)).filter(|(_, _, ext)| *ext).map(|(_, t, _)| t.clone()).or(link)
        } else {
            link
        };
        // Containers (hyperlinks, fields, smart tags, content controls, insertions):
        // their runs belong to the paragraph.
        stack.extend(n.children().rev().map(|c| (c, link.clone())));
    }
    para
}

/// A cell's text: its paragraphs (nested tables' too) joined by spaces.
fn cell_text(tc: Node) -> String {
    let none = HashMap::new();
    let mut parts = Vec::new();
    let mut stack: Vec<Node> = tc.children().rev().collect();
    while let Some(n) = stack.pop() {
        if is_w(n, "p") {
            let t = paragraph(n, &none).plain();
            if !t.is_empty() {
                parts.push(t);
            }
        } else if n.is_element() && !skipped(n) {
            stack.extend(n.children().rev());
        }
    }
    parts.join(" ")
}

/// Reads a `w:tbl`'s rows: each cell with its grid column and span.
fn table(tbl: Node) -> Vec<Vec<Tc>> {
    let mut rows = Vec::new();
    let mut stack: Vec<Node> = tbl.children().rev().collect();
    while let Some(n) = stack.pop() {
        if is_w(n, "tr") {
            let before = w_child(n, "trPr")
                .and_then(|t| w_child(t, "gridBefore"))
                .and_then(|g| w_attr(g, "val"))
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0)
                .min(MAX_SPAN);
            let mut cells: Vec<Tc> = Vec::new();
            let mut col = before;
            let mut cstack: Vec<Node> = n.children().rev().collect();
            while let Some(c) = cstack.pop() {
                if !is_w(c, "tc") {
                    // Cells inside content controls or custom XML.
                    if c.is_element() && !skipped(c) && !is_w(c, "tbl") {
                        cstack.extend(c.children().rev());
                    }
                    continue;
                }
                let pr = w_child(c, "tcPr");
                let span = pr
                    .and_then(|p| w_child(p, "gridSpan"))
                    .and_then(|g| w_attr(g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_SPAN);
                let merge = match pr.and_then(|p| w_child(p, "vMerge")) {
                    None => Merge::None,
                    Some(v) if w_attr(v, "val") == Some("restart") => Merge::Restart,
                    Some(_) => Merge::Continue,
                };
                let hcont = pr.and_then(|p| w_child(p, "hMerge")).is_some_and(|h| w_attr(h, "val") != Some("restart"));
                if hcont && let Some(last) = cells.last_mut() {
                    // Legacy horizontal merge: this cell widens the one to its left.
                    last.span = (last.span + span).min(MAX_SPAN);
                    col += span;
                    continue;
                }
                cells.push(Tc { col, span, merge, text: cell_text(c) });
                col += span;
            }
            rows.push(cells);
        } else if n.is_element() && !skipped(n) && !is_w(n, "tbl") {
            stack.extend(n.children().rev());
        }
    }
    rows
}

/// Reads the body in order: paragraphs and tables (inside content controls too).
fn items(body: Node, links: &HashMap<String, (String, String, bool)>) -> Vec<Item> {
    let mut out = Vec::new();
    let mut stack: Vec<Node> = body.children().rev().collect();
    while let Some(n) = stack.pop() {
        if is_w(n, "p") {
            out.push(Item::Para(paragraph(n, links)));
        } else if is_w(n, "tbl") {
            out.push(Item::Table(table(n)));
        } else if n.is_element() && !skipped(n) && !is_w(n, "sectPr") {
            stack.extend(n.children().rev());
        }
    }
    out
}

/// The grid of a table as read: each merged cell once, at its top-left corner.
fn grid(rows: &[Vec<Tc>], text: &mut String, budget: &mut usize) -> Option<Table> {
    let width = rows.iter().flat_map(|r| r.iter().map(|c| c.col + c.span)).max().unwrap_or(0);
    *budget = budget.checked_sub(width.checked_mul(rows.len())?)?;
    let mut out: Vec<Vec<GridCell>> = vec![vec![GridCell::Covered; width]; rows.len()];
    // Where the cell covering a position starts.
    let mut origin: Vec<Vec<Option<(usize, usize)>>> = vec![vec![None; width]; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut line: Vec<(usize, String)> = Vec::new();
        for tc in row {
            let above = (r > 0).then(|| origin[r - 1][tc.col]).flatten();
            let continues = tc.merge == Merge::Continue && above.is_some_and(|(or, oc)| oc == tc.col && or < r);
            if let (true, Some((or, oc))) = (continues, above) {
                let (rows_now, cols) = match &out[or][oc] {
                    GridCell::Cell { rows, cols, .. } => (*rows, *cols),
                    GridCell::Covered => (1, tc.span),
                };
                if rows_now < MAX_SPAN {
                    if let GridCell::Cell { rows, .. } = &mut out[or][oc] {
                        *rows += 1;
                    }
                    for c in oc..(oc + cols).min(width) {
                        origin[r][c] = Some((or, oc));
                    }
                    continue;
                }
            }
            line.push((tc.col, tc.text.clone()));
            for c in tc.col..(tc.col + tc.span).min(width) {
                origin[r][c] = Some((r, tc.col));
            }
            out[r][tc.col] = GridCell::Cell { cell: Cell { text: String::new(), span: 0..0 }, rows: 1, cols: tc.span };
        }
        // The row's line of text: its cells separated by ` | `.
        for (i, (col, t)) in line.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let start = text.len();
            text.push_str(t);
            if let GridCell::Cell { cell, .. } = &mut out[r][*col] {
                *cell = Cell { text: t.clone(), span: start..text.len() };
            }
        }
        text.push('\n');
    }
    Some(Table { rows: out, empty_is_zero: true })
}

/// Everything read from a package: the body's items, the list formats and the parse.
fn load(name: &str, bytes: &[u8], lang: Lang) -> Result<(Vec<Item>, HashMap<String, bool>), Vec<Diagnostic>> {
    let mut pkg = Package::open(name, bytes, lang).map_err(|d| vec![d])?;
    let main = pkg.main_document().map_err(|d| vec![d])?;
    let Some(xml) = pkg.text(&main).map_err(|d| vec![d])? else {
        return Err(vec![err(
            name,
            lang,
            format!("这是 ZIP 压缩包，但不是 Word 文档：缺少 {main}"),
            format!("this is a zip archive but not a Word document: it has no {main}"),
            HINT_RESAVE,
        )]);
    };
    let links = pkg.rels(&main).map_err(|d| vec![d])?;
    let ordered = match links.values().find(|(k, _, ext)| k == "numbering" && !ext).map(|(_, t, _)| t.clone()) {
        Some(t) => pkg.text(&t).map_err(|d| vec![d])?.map(|x| numbering(&x)).unwrap_or_default(),
        None => HashMap::new(),
    };
    let doc = parse_xml(&xml).map_err(|e| vec![pkg.corrupt(&main, &e)])?;
    let body = doc.root_element().children().find(|n| is_w(*n, "body"));
    let Some(body) = body else {
        return Err(vec![pkg.corrupt(&main, lang.pick("没有 w:body 正文", "no w:body"))]);
    };
    Ok((items(body, &links), ordered))
}

/// `numId:ilvl` → whether that list level is numbered (not bullets).
fn numbering(xml: &str) -> HashMap<String, bool> {
    let mut out = HashMap::new();
    let Ok(doc) = parse_xml(xml) else { return out };
    let root = doc.root_element();
    let mut abstract_fmt: HashMap<&str, Vec<bool>> = HashMap::new();
    for a in root.children().filter(|n| is_w(*n, "abstractNum")) {
        let id = w_attr(a, "abstractNumId").unwrap_or("");
        let levels = a
            .children()
            .filter(|l| is_w(*l, "lvl"))
            .map(|l| w_child(l, "numFmt").and_then(|f| w_attr(f, "val")).is_some_and(|v| v != "bullet" && v != "none"))
            .collect();
        abstract_fmt.insert(id, levels);
    }
    for n in root.children().filter(|n| is_w(*n, "num")) {
        let (Some(id), Some(a)) = (w_attr(n, "numId"), w_child(n, "abstractNumId").and_then(|a| w_attr(a, "val"))) else { continue };
        for (l, ordered) in abstract_fmt.get(a).into_iter().flatten().enumerate() {
            out.insert(format!("{id}:{l}"), *ordered);
        }
    }
    out
}

/// Reads a .docx into a [`Doc`]: each non-empty paragraph a [`Block::Text`] holding its
/// text as Markdown (bold and italic as `**` / `*`, links as `[text](url)`, list items
/// as `- ` / `1. `, characters Markdown would read as markup escaped, the report's links
/// as `链接：title <url>`), followed by a blank line so that paragraphs stay apart; each
/// table a [`Block::Table`] with its merges resolved. [`Doc::text`] holds one line per
/// paragraph and per table row (cells separated by ` | `), and every span points into it.
pub fn read(name: &str, bytes: &[u8], lang: Lang) -> Result<Doc, Vec<Diagnostic>> {
    let (items, ordered) = load(name, bytes, lang)?;
    let mut doc = Doc { text: String::new(), places: Places::Labels, blocks: Vec::new() };
    let mut budget = MAX_GRID;
    let mut counters: HashMap<String, u64> = HashMap::new();
    for item in items {
        match item {
            Item::Para(p) => {
                let body = markdown(&p);
                let body = body.trim();
                if body.is_empty() {
                    continue;
                }
                let mut t = String::new();
                match &p.list {
                    Some((id, lvl)) if ordered.get(&format!("{id}:{lvl}")).copied().unwrap_or(false) => {
                        let n = counters.entry(format!("{id}:{lvl}")).or_insert(0);
                        *n += 1;
                        t.push_str(&format!("{}{}. ", "   ".repeat(*lvl as usize), n));
                    }
                    Some((_, lvl)) => t.push_str(&format!("{}- ", "  ".repeat(*lvl as usize))),
                    None => {}
                }
                t.push_str(body);
                t.push('\n');
                let start = doc.text.len();
                doc.text.push_str(&t);
                doc.blocks.push(Block::Text(Cell { text: t, span: start..doc.text.len() }));
                doc.text.push('\n');
            }
            Item::Table(rows) => match grid(&rows, &mut doc.text, &mut budget) {
                Some(t) => doc.blocks.push(Block::Table(t)),
                None => {
                    return Err(vec![err(
                        name,
                        lang,
                        format!("表格过大（超过 {MAX_GRID} 个单元格）"),
                        format!("the tables are too large (more than {MAX_GRID} cells)"),
                        HINT_RESAVE,
                    )]);
                }
            },
        }
    }
    Ok(doc)
}

/// Text as Markdown shows it literally: the characters that would start emphasis, a
/// link, an autolink or raw HTML, or code are backslash-escaped.
fn literal(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for c in t.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '~') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// A paragraph as Markdown: emphasis kept, links as `[text](url)`, the rest literal;
/// a report's link line (`链接：title`) as `链接：title <url>`, as the other readers give it.
fn markdown(p: &Para) -> String {
    let links_line = p.plain().starts_with("链接：");
    let mut out = String::new();
    let mut i = 0;
    while i < p.spans.len() {
        let s = &p.spans[i];
        // Adjacent runs of the same emphasis and link read as one.
        let mut text = s.text.replace(['\n', '\r'], " ");
        let mut j = i + 1;
        while j < p.spans.len() && p.spans[j].bold == s.bold && p.spans[j].italic == s.italic && p.spans[j].link == s.link {
            text.push_str(&p.spans[j].text.replace(['\n', '\r'], " "));
            j += 1;
        }
        i = j;
        if links_line {
            out.push_str(&text);
            if let Some(u) = &s.link {
                out.push_str(&format!(" <{u}>"));
            }
            continue;
        }
        let mark = match (s.bold, s.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let inner = literal(text.trim());
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = if text.trim().is_empty() { "" } else { &text[text.trim_end().len()..] };
        let shown = if inner.is_empty() { String::new() } else { format!("{mark}{inner}{mark}") };
        match &s.link {
            Some(u) if !shown.is_empty() => {
                out.push_str(&format!("{lead}[{shown}]({}){trail}", u.replace(' ', "%20").replace('(', "%28").replace(')', "%29")))
            }
            _ => out.push_str(&format!("{lead}{shown}{trail}")),
        }
    }
    out
}
