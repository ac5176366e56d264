//! The HTML reader: a real HTML5 parser (html5ever, through `scraper`), each data
//! `<table>` read as a grid with its `rowspan`/`colspan`, the rest as paragraphs.
//!
//! Tables that hold other tables are page layout (CMS pages wrap their content in them)
//! and are read as flow. Emphasis is kept as Markdown (`**…**`, `*…*`), list items as
//! `- `/`1. `, and the items of a `<ul class="links">` (our own pages) as
//! `链接：title <url>`. Every cell and paragraph points at its element's start tag in
//! the source, so a finding names the line of the HTML file.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node};

use super::doc::{Block, Cell, Doc, Places, Table};

/// Whether the text is an HTML page.
pub fn looks_like_html(t: &str) -> bool {
    let head: String = t.chars().take(4000).collect::<String>().to_ascii_lowercase();
    head.contains("<html") || head.contains("<table") || head.contains("<!doctype html") || head.contains("<td")
}

/// The largest nesting the reader follows; deeper content is read as text of its parent.
const MAX_DEPTH: usize = 200;

/// Reads an HTML page.
pub fn read(source: &str) -> Doc {
    let html = Html::parse_document(source);
    let starts = start_tags(source);
    // The k-th element of a name in document order is the k-th start tag of that name.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut at: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    for node in html.tree.root().descendants() {
        if let Node::Element(e) = node.value() {
            let name = e.name().to_ascii_lowercase();
            let k = seen.entry(name.clone()).or_default();
            if let Some(&off) = starts.get(&name).and_then(|v| v.get(*k)) {
                at.insert(node.id(), off);
            }
            *k += 1;
        }
    }
    let mut r = Reader { source, at, blocks: Vec::new(), buf: String::new(), buf_at: 0 };
    r.flow(html.root_element(), 0, &mut Vec::new());
    r.flush();
    Doc { text: source.to_string(), places: Places::LineCol, blocks: r.blocks }
}

/// Offsets of start tags by lower-case name, skipping comments, scripts and styles.
fn start_tags(src: &str) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::new();
    let bytes = src.as_bytes();
    let lower = src.to_ascii_lowercase();
    let mut i = 0;
    while let Some(k) = src[i..].find('<') {
        let p = i + k;
        if src[p..].starts_with("<!--") {
            i = src[p..].find("-->").map_or(src.len(), |e| p + e + 3);
            continue;
        }
        let name: String = src[p + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        i = p + 1;
        if name.is_empty() || !bytes[p + 1].is_ascii_alphabetic() {
            continue;
        }
        out.entry(name.clone()).or_default().push(p);
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = lower[p..].find(&close).map_or(src.len(), |e| p + e);
        }
    }
    out
}

struct Reader<'a> {
    source: &'a str,
    at: HashMap<ego_tree::NodeId, usize>,
    blocks: Vec<Block>,
    /// Inline text of the paragraph being read.
    buf: String,
    buf_at: usize,
}

/// (ordered, next number, links list)
type ListState = (bool, u64, bool);

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "center"
            | "form"
            | "figure"
            | "body"
            | "html"
    )
}

impl Reader<'_> {
    fn offset(&self, e: &ElementRef) -> usize {
        self.at.get(&e.id()).copied().unwrap_or(0)
    }

    /// The end of an element's start tag, so a span covers `<td …>`.
    fn tag_span(&self, off: usize) -> std::ops::Range<usize> {
        let end = self.source[off..].find('>').map_or(off, |e| off + e + 1);
        off..end
    }

    fn flush(&mut self) {
        let text = tidy(&self.buf);
        if !text.is_empty() {
            let span = self.tag_span(self.buf_at);
            self.blocks.push(Block::Text(Cell { text, span: span.clone() }));
            // A blank line: the end of a paragraph.
            self.blocks.push(Block::Text(Cell { text: String::new(), span: span.end..span.end }));
        }
        self.buf.clear();
    }

    fn flow(&mut self, e: ElementRef, depth: usize, lists: &mut Vec<ListState>) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => {
                    if self.buf.trim().is_empty() {
                        self.buf_at = self.offset(&e);
                    }
                    self.buf.push_str(&t.replace(['\n', '\r', '\t'], " "));
                }
                Node::Element(el) => {
                    let Some(ce) = ElementRef::wrap(child) else { continue };
                    let name = el.name().to_ascii_lowercase();
                    if matches!(name.as_str(), "script" | "style" | "head" | "noscript" | "template" | "caption" | "title") {
                        continue;
                    }
                    if depth > MAX_DEPTH {
                        self.buf.push_str(&ce.text().collect::<String>());
                        continue;
                    }
                    match name.as_str() {
                        "br" => self.buf.push('\n'),
                        "table" if !has_table(&ce) => {
                            self.flush();
                            let t = self.table(&ce);
                            self.blocks.push(Block::Table(t));
                        }
                        "strong" | "b" | "em" | "i" | "a" => {
                            let mark = match name.as_str() {
                                "strong" | "b" => "**",
                                "em" | "i" => "*",
                                _ => "",
                            };
                            let links = lists.last().is_some_and(|l| l.2);
                            self.buf.push_str(mark);
                            self.flow(ce, depth + 1, lists);
                            self.buf.push_str(mark);
                            if name == "a"
                                && links
                                && let Some(h) = el.attr("href")
                            {
                                self.buf.push_str(&format!(" <{h}>"));
                            }
                        }
                        "ul" | "ol" => {
                            self.flush();
                            let start = el.attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
                            let links = el.attr("class").is_some_and(|c| c.split_whitespace().any(|c| c == "links"));
                            lists.push((name == "ol", start, links));
                            self.flow(ce, depth + 1, lists);
                            lists.pop();
                            self.flush();
                        }
                        "li" => {
                            self.flush();
                            self.buf_at = self.offset(&ce);
                            match lists.last_mut() {
                                Some((_, _, true)) => self.buf.push_str("链接："),
                                Some((true, n, _)) => {
                                    self.buf.push_str(&format!("{n}. "));
                                    *n += 1;
                                }
                                Some((false, _, _)) => self.buf.push_str("- "),
                                None => {}
                            }
                            self.flow(ce, depth + 1, lists);
                            self.flush();
                        }
                        n if is_block(n) => {
                            self.flush();
                            self.buf_at = self.offset(&ce);
                            self.flow(ce, depth + 1, lists);
                            self.flush();
                        }
                        _ => {
                            if self.buf.trim().is_empty() {
                                self.buf_at = self.offset(&ce);
                            }
                            self.flow(ce, depth + 1, lists);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A data table: its rows of cells with their spans.
    fn table(&self, t: &ElementRef) -> Table {
        let mut rows: Vec<Vec<(Cell, usize, usize)>> = Vec::new();
        for tr in t.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name().eq_ignore_ascii_case("tr")) {
            let mut row = Vec::new();
            for cell in tr.children().filter_map(ElementRef::wrap) {
                let name = cell.value().name().to_ascii_lowercase();
                if name != "td" && name != "th" {
                    continue;
                }
                let span = |a: &str| cell.value().attr(a).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1);
                let text = tidy(&cell.text().collect::<Vec<_>>().join(" ")).replace('\n', " ");
                let off = self.offset(&cell);
                row.push((Cell { text, span: self.tag_span(off) }, span("rowspan"), span("colspan")));
            }
            rows.push(row);
        }
        Table::from_spans(rows)
    }
}

fn has_table(e: &ElementRef) -> bool {
    e.descendants().skip(1).filter_map(ElementRef::wrap).any(|d| d.value().name().eq_ignore_ascii_case("table"))
}

/// Whitespace collapsed within lines, lines trimmed, empty lines dropped.
fn tidy(s: &str) -> String {
    s.replace('\u{a0}', " ")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
