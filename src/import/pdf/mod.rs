//! The PDF reader: a published PDF → a [`Doc`], reading the tables by their geometry.
//!
//! hayro (the PDF interpreter Typst already uses) runs each page's content stream into
//! [`extract`], which keeps the glyphs with their Unicode text and boxes and the
//! straight borders. [`grid`] turns the borders into tables and drops each glyph into
//! its cell; [`layout`] orders the rest into lines, removes page furniture and joins
//! paragraphs. A table that goes on over a page break is joined here, its repeated
//! header rows dropped and the merged cells cut by the break joined again.
//!
//! [`guard`] refuses hostile files before the parser sees them; pages, glyphs, borders
//! and time are bounded while reading. Nothing is guessed: a PDF without a text layer (a
//! scan) is an error that says so.

mod decode;
pub mod extract;
pub mod grid;
pub mod guard;
pub mod layout;
mod tables;
mod tree;

use std::sync::Arc;
use std::time::Instant;

use hayro_interpret::hayro_syntax::{LoadPdfError, Pdf};
use hayro_interpret::{Context, InterpreterCache, InterpreterSettings, TransformExt, interpret_page};
use kurbo::Rect;

use super::doc::{Block, Cell, Doc, Places};
use crate::diag::{Code, Diagnostic, Lang};
use extract::{Budget, Exhausted, Recorder};
use guard::{LIMITS, Limits, Refusal};
use layout::{Line, Measure};
use tables::Tab;

/// Whether the bytes are a PDF (`%PDF-` near the start, as readers accept it).
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes.len() >= 5 && bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// Reads a PDF into a [`Doc`]: tables as grids, the other text as paragraphs, page
/// furniture removed; `Doc.text` is a rendering (one paragraph or table cell a line)
/// and `Doc.places` its page starts.
pub fn read(name: &str, bytes: &[u8], lang: Lang) -> Result<Doc, Vec<Diagnostic>> {
    read_with(name, bytes, lang, &LIMITS)
}

/// [`read`] within other limits.
pub fn read_with(name: &str, bytes: &[u8], lang: Lang, limits: &Limits) -> Result<Doc, Vec<Diagnostic>> {
    let err = |zh: String, en: String, hint: (&str, &str)| {
        vec![Diagnostic::error(Code::Import, if lang == Lang::Zh { zh } else { en }).hint(lang.pick(hint.0, hint.1)).in_file(name)]
    };
    let started = Instant::now();
    if let Err(r) = guard::check(bytes, limits) {
        let hint = (
            "这不是正常的报告 PDF：请从发布网站重新下载，或另存为 PDF 后再导入",
            "this is not an ordinary report PDF: download it again from the portal, or save it as PDF again, and retry",
        );
        return Err(match r {
            Refusal::TooLarge(n) => err(
                format!("PDF 文件太大（{} MB，上限 {} MB）", n >> 20, limits.file_bytes >> 20),
                format!("the PDF is too large ({} MB; the limit is {} MB)", n >> 20, limits.file_bytes >> 20),
                hint,
            ),
            Refusal::TooDeep(at) => err(
                format!("PDF 结构嵌套过深（第 {at} 字节处超过 {} 层），拒绝读取", limits.depth),
                format!("the PDF nests its objects too deeply (more than {} levels at byte {at}); refused", limits.depth),
                hint,
            ),
            Refusal::Bomb(at) => err(
                format!("PDF 中第 {at} 字节处的压缩数据解压后超过 {} MB（疑似“解压炸弹”），拒绝读取", limits.stream_bytes >> 20),
                format!(
                    "a compressed stream at byte {at} inflates beyond {} MB (a decompression bomb?); refused",
                    limits.stream_bytes >> 20
                ),
                hint,
            ),
            Refusal::TooMuchData => err(
                format!("PDF 的压缩数据解压后共超过 {} MB，拒绝读取", limits.total_stream_bytes >> 20),
                format!("the PDF's compressed data inflates beyond {} MB in all; refused", limits.total_stream_bytes >> 20),
                hint,
            ),
            Refusal::TooManyPages(p) => err(
                format!("PDF 的页面树展开后超过 {p} 页（上限 {} 页）：这不像一份年度报告，拒绝读取", limits.pages),
                format!(
                    "the PDF's page tree expands to more than {p} pages (the limit is {}): this is not an annual report; refused",
                    limits.pages
                ),
                hint,
            ),
            Refusal::BadPageTree => err(
                "PDF 的页面树循环引用自身或嵌套过深，拒绝读取".into(),
                "the PDF's page tree refers to itself or nests too deeply; refused".into(),
                hint,
            ),
            Refusal::TooManySaves(at) => err(
                format!("PDF 第 {at} 字节处的页面内容连续保存图形状态超过 {} 次而不恢复，拒绝读取", limits.saves),
                format!(
                    "the page content at byte {at} saves the graphics state more than {} times without restoring it; refused",
                    limits.saves
                ),
                hint,
            ),
        });
    }
    let pdf = match Pdf::new(bytes.to_vec()) {
        Ok(p) => p,
        Err(LoadPdfError::Decryption(_)) => {
            return Err(err(
                "PDF 已加密，需要密码才能打开".into(),
                "the PDF is encrypted and needs a password".into(),
                (
                    "请向发布机关索取未加密的文件，或用阅读器打印为新的 PDF",
                    "ask the publisher for an unencrypted file, or print it to a new PDF",
                ),
            ));
        }
        Err(_) => {
            return Err(err(
                "PDF 文件已损坏，无法读取（找不到页面和对象表）".into(),
                "the PDF is damaged and cannot be read (no pages or object table found)".into(),
                (
                    "请从发布网站重新下载；下载不完整的文件常有此问题",
                    "download it again from the portal: an incomplete download often looks like this",
                ),
            ));
        }
    };
    if pdf.len() > limits.objects {
        return Err(err(
            format!("PDF 对象过多（{} 个，上限 {}），拒绝读取", pdf.len(), limits.objects),
            format!("the PDF has too many objects ({}; the limit is {}); refused", pdf.len(), limits.objects),
            ("年度报告的 PDF 通常只有几百个对象", "an annual report's PDF has a few hundred objects"),
        ));
    }
    let pages = pdf.pages();
    if pages.len() > limits.pages {
        return Err(err(
            format!("PDF 有 {} 页，超过上限 {} 页：这不像一份年度报告", pages.len(), limits.pages),
            format!("the PDF has {} pages, more than the limit of {}: this does not look like an annual report", pages.len(), limits.pages),
            ("年度报告通常只有 5–30 页", "an annual report has 5 to 30 pages"),
        ));
    }
    if pages.is_empty() {
        return Err(err("PDF 没有页面".into(), "the PDF has no pages".into(), ("请检查文件是否完整", "check that the file is complete")));
    }

    let mut settings = InterpreterSettings::default();
    // A font the PDF does not embed is stood in for by an embedded one: its outlines do
    // not matter here, only that its text can be read (the widths come from the PDF).
    let fallback: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(crate::render::pdf::EMBEDDED_FONTS[2].1);
    settings.font_resolver = Arc::new(move |_| Some((fallback.clone(), 0)));
    settings.cmap_resolver = Arc::new(|_| None);
    settings.warning_sink = Arc::new(|_| {});
    let cache = InterpreterCache::new();
    let deadline = started + std::time::Duration::from_secs(limits.seconds);
    let mut budget = Budget { glyphs: limits.glyphs, segs: limits.segs, ops: limits.ops, deadline };
    let mut read_pages = Vec::with_capacity(pages.len());
    for page in pages.iter() {
        let (w, h) = page.render_dimensions();
        let (w, h) = (f64::from(w), f64::from(h));
        let mut cx = Context::new(page.initial_transform(true).to_kurbo(), Rect::new(0.0, 0.0, w, h), &cache, pdf.xref(), settings.clone());
        let mut rec = Recorder { page: extract::Page { size: (w, h), ..Default::default() }, budget: &mut budget, exhausted: None };
        // A budget that runs out unwinds out of the interpreter (extract::Stop); so
        // does a panic inside it, which is then a damaged file, not a crash.
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| interpret_page(page, &mut cx, &mut rec)));
        let (zh, en, hint) = match (rec.exhausted, run) {
            (None, Ok(())) => {
                read_pages.push(rec.page);
                continue;
            }
            (Some(Exhausted::Content), _) => (
                format!("PDF 的文字或线条过多（上限 {} 个字符、{} 条线），拒绝读取", limits.glyphs, limits.segs),
                format!("the PDF draws too many glyphs or lines (limits: {} glyphs, {} lines); refused", limits.glyphs, limits.segs),
                ("年度报告的 PDF 通常只有几万个字符", "an annual report's PDF has some tens of thousands of glyphs"),
            ),
            (Some(Exhausted::Ops), _) => (
                format!("PDF 的绘图操作过多（上限 {} 次，例如表单层层嵌套重复绘制），拒绝读取", limits.ops),
                format!("the PDF performs too many drawing operations (limit {}; forms drawing forms over and over?); refused", limits.ops),
                ("年度报告的 PDF 通常只有几万次绘图操作", "an annual report's PDF has some tens of thousands of drawing operations"),
            ),
            (Some(Exhausted::Time), _) => (
                format!("读取 PDF 超时（超过 {} 秒），拒绝读取", limits.seconds),
                format!("reading the PDF took more than {} seconds; refused", limits.seconds),
                ("年度报告的 PDF 通常不到一秒即可读完", "an annual report's PDF reads in under a second"),
            ),
            (None, Err(_)) => (
                format!("PDF 第 {} 页已损坏，无法解释其内容", read_pages.len() + 1),
                format!("page {} of the PDF is damaged: its content cannot be interpreted", read_pages.len() + 1),
                ("请从发布网站重新下载，或用阅读器打印为新的 PDF", "download it again from the portal, or print it to a new PDF"),
            ),
        };
        return Err(err(zh, en, hint));
    }
    let glyphs: usize = read_pages.iter().map(|p| p.glyphs.len()).sum();
    let unmapped: usize = read_pages.iter().map(|p| p.unmapped).sum();
    let images: usize = read_pages.iter().map(|p| p.images).sum();
    let readable = read_pages.iter().flat_map(|p| &p.glyphs).filter(|g| !g.text.trim().is_empty() && g.text != "\u{FFFD}").count();
    if readable == 0 && unmapped == 0 {
        return Err(if images > 0 {
            err(
                "扫描件，没有文字层：这个 PDF 的页面是图片，没有可读取的文字".into(),
                "a scan without a text layer: the pages of this PDF are images, with no text to read".into(),
                (
                    "请找发布网站上的网页版或可复制文字的 PDF；若只有扫描件，请对照原件手工填写数据文件（reportgen init）",
                    "look for the report's web page or a PDF whose text can be copied; if there is only a scan, fill in a data file by hand (reportgen init)",
                ),
            )
        } else {
            err("PDF 中没有文字".into(), "the PDF has no text".into(), ("请检查是否下载了正确的文件", "check that this is the right file"))
        });
    }
    if unmapped * 2 > glyphs {
        return Err(err(
            format!("PDF 的文字无法解码：{unmapped} 个字符的字体没有 Unicode 映射（ToUnicode）"),
            format!("the PDF's text cannot be decoded: {unmapped} glyphs use fonts without a Unicode mapping (ToUnicode)"),
            ("请找发布网站上的网页版，或可复制文字的 PDF", "look for the report's web page, or a PDF whose text can be copied"),
        ));
    }
    Ok(assemble(read_pages))
}

/// A piece of a page in reading order.
enum Item {
    Line(Line),
    Table(Tab),
}

/// Pages → the document: tables found, furniture removed, tables over page breaks
/// joined, lines joined into paragraphs, rendered.
fn assemble(pages: Vec<extract::Page>) -> Doc {
    let n = pages.len();
    let mut lines_of: Vec<(f64, Vec<Line>)> = Vec::with_capacity(n);
    let mut tabs_of: Vec<Vec<grid::Grid>> = Vec::with_capacity(n);
    for p in pages {
        let mut glyphs = p.glyphs;
        let tabs = grid::tables(&p.segs, &mut glyphs);
        tabs_of.push(tabs);
        lines_of.push((p.size.1, layout::lines(glyphs)));
    }
    let marks = layout::furniture(&lines_of);
    let body: Vec<Vec<Line>> = lines_of
        .into_iter()
        .zip(&marks)
        .map(|((_, ls), m)| ls.into_iter().zip(m).filter(|(_, f)| !**f).map(|(l, _)| l).collect())
        .collect();
    let measure = Measure::of(&body);
    // Each page's items by their top.
    let mut items: Vec<(usize, Item)> = Vec::new();
    for (p, (ls, tabs)) in body.into_iter().zip(tabs_of).enumerate() {
        let mut page: Vec<(f64, Item)> = ls.into_iter().map(|l| (l.y - 0.85 * l.size, Item::Line(l))).collect();
        page.extend(tabs.into_iter().map(|g| (g.top(), Item::Table(Tab::from_grid(&g, p)))));
        page.sort_by(|a, b| a.0.total_cmp(&b.0));
        let first = items.len();
        for (_, it) in page {
            // A table that starts a page goes on from the table that ended the last one.
            if items.len() == first
                && let Item::Table(t) = &it
                && let Some((q, Item::Table(prev))) = items.last_mut()
                && *q + 1 == p
                && prev.continues_into(t)
            {
                let Item::Table(t) = it else { unreachable!() };
                prev.append(t);
                *q = p;
                continue;
            }
            items.push((p, it));
        }
    }
    render(items, n, &measure)
}

/// Writes the text and the blocks. Page starts are where the first text of each page is.
fn render(items: Vec<(usize, Item)>, pages: usize, measure: &Measure) -> Doc {
    let mut doc = Doc::default();
    let mut starts: Vec<usize> = Vec::with_capacity(pages);
    let mark = |at: usize, starts: &mut Vec<usize>, page: usize| {
        while starts.len() <= page.min(pages.saturating_sub(1)) {
            starts.push(at);
        }
    };
    let mut para: Option<(Cell, Line, usize)> = None;
    let flush = |doc: &mut Doc, para: &mut Option<(Cell, Line, usize)>| {
        if let Some((mut cell, _, _)) = para.take() {
            cell.span.end = doc.text.len();
            doc.text.push_str("\n\n");
            doc.blocks.push(Block::Text(cell));
        }
    };
    for (page, item) in items {
        match item {
            Item::Line(l) => {
                let text = l.text.trim().to_string();
                if text.is_empty() {
                    continue;
                }
                let goes_on = para.as_ref().is_some_and(|(_, last, p)| !measure.breaks(last, &l, *p == page));
                if goes_on && let Some((cell, last, p)) = para.as_mut() {
                    layout::join(&mut doc.text, &text);
                    mark(doc.text.len() - text.len(), &mut starts, page);
                    cell.text = doc.text[cell.span.start..].to_string();
                    *last = l;
                    *p = page;
                    continue;
                }
                flush(&mut doc, &mut para);
                mark(doc.text.len(), &mut starts, page);
                let start = doc.text.len();
                doc.text.push_str(&text);
                para = Some((Cell { text: text.clone(), span: start..doc.text.len() }, l, page));
            }
            Item::Table(t) => {
                flush(&mut doc, &mut para);
                let table = t.render(&mut doc.text, &mut |at, row_page| mark(at, &mut starts, row_page));
                doc.blocks.push(Block::Table(table));
                doc.text.push('\n');
            }
        }
    }
    flush(&mut doc, &mut para);
    while starts.len() < pages {
        starts.push(doc.text.len());
    }
    doc.places = Places::Pages(starts);
    doc
}

/// The page (1-based) a byte offset of a PDF's [`Doc::text`] is on.
pub fn page_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|s| *s <= offset).max(1)
}
