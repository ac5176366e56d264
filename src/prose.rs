//! Prose fields: `{{ … }}` citations of the data, expanded in a sandbox.
//!
//! Authors may write `共收依申请公开{{ applications.received.total }}件` so that figures in
//! the text cannot drift from the tables. Expressions run in a minijinja environment
//! with no loader (nothing to include), no functions beyond the built-in filters, a
//! fuel limit (a loop that never ends runs out of fuel) and strict undefined names (a
//! typo is an error at its position in the data file, not an empty string).

use std::ops::Range;

use minijinja::{Environment, UndefinedBehavior};

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::{Node, Source};
use crate::model::Report;

/// Fuel for one prose field: ample for citations and small loops, finite for anything else.
const FUEL: u64 = 50_000;

/// The most output one field may produce (bytes).
const MAX_OUTPUT: usize = 1 << 20;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(32);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // Figures print as written: 15314 rather than 15314.0.
    env.set_formatter(|out, state, value| {
        if value.kind() == minijinja::value::ValueKind::Number {
            let s = value.to_string();
            if let Some(whole) = s.strip_suffix(".0") {
                return out.write_str(whole).map_err(minijinja::Error::from);
            }
        }
        minijinja::escape_formatter(out, state, value)
    });
    env
}

/// Expands every prose field of `report` (whose totals are filled) in place; errors
/// point into the data file.
pub fn expand(report: &mut Report, src: &Source, node: &Node, lang: Lang) -> Vec<Diagnostic> {
    let env = environment();
    let ctx = minijinja::Value::from(minijinja::value::Serde(&*report));
    let mut diags = Vec::new();
    let mut run = |text: &mut String, pointer: String| {
        if !text.contains("{{") && !text.contains("{%") {
            return;
        }
        match env.render_str(text, ctx.clone()) {
            Ok(s) if s.len() <= MAX_OUTPUT => *text = s,
            Ok(_) => diags.push(
                Diagnostic::error(Code::Prose, lang.pick("这段文字展开后超过 1 MB", "this text expands beyond 1 MB"))
                    .at(&src.name, node.locate(&pointer)),
            ),
            Err(e) => diags.push(prose_error(&e, text, src, node, &pointer, lang)),
        }
    };
    if let Some(p) = report.preamble.as_mut() {
        run(p, "/preamble".into());
    }
    if let Some(p) = report.overview.intro.as_mut() {
        run(p, "/overview/intro".into());
    }
    for (i, s) in report.overview.sections.iter_mut().enumerate() {
        run(&mut s.body, format!("/overview/sections/{i}/body"));
    }
    run(&mut report.problems, "/problems".into());
    run(&mut report.other_matters, "/other_matters".into());
    diags
}

fn prose_error(e: &minijinja::Error, template: &str, src: &Source, node: &Node, pointer: &str, lang: Lang) -> Diagnostic {
    let field = node.locate(pointer);
    let span = e.range().map(|r| map_span(&src.text, field.clone(), template, r)).unwrap_or(field);
    let what = match e.kind() {
        minijinja::ErrorKind::UndefinedError => lang.pick("引用了不存在的数据名", "refers to a name that does not exist"),
        minijinja::ErrorKind::OutOfFuel => lang.pick("计算量超出限制（是否写了死循环？）", "ran out of fuel (an endless loop?)"),
        minijinja::ErrorKind::SyntaxError => lang.pick("{{ … }} 写法有误", "malformed {{ … }}"),
        _ => lang.pick("{{ … }} 无法展开", "cannot expand {{ … }}"),
    };
    let detail = crate::diag::clip(&e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string()), 160);
    Diagnostic::error(Code::Prose, format!("{what}: {detail}"))
        .at(&src.name, span)
        .hint(lang.pick(
            "可引用的如 {{ meta.year }}、{{ applications.received.total }}、{{ proactive.licensing }}、{{ reviews_and_lawsuits.review.total }}",
            "names you can cite: {{ meta.year }}, {{ applications.received.total }}, {{ proactive.licensing }}, {{ reviews_and_lawsuits.review.total }}",
        ))
}

/// Maps a byte range inside a prose value back to the data file: the value's lines
/// appear in the file verbatim (after indentation), so the line holding the range is
/// searched for within the value's span.
fn map_span(file: &str, field: Range<usize>, template: &str, r: Range<usize>) -> Range<usize> {
    let r = r.start.min(template.len())..r.end.min(template.len());
    let line_start = template[..r.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = template[r.start..].find('\n').map_or(template.len(), |i| r.start + i);
    let line = &template[line_start..line_end];
    let region_end = file.len().min(field.end.max(field.start) + template.len() + 1);
    let region = file.get(field.start..region_end).unwrap_or("");
    match (!line.trim().is_empty()).then(|| region.find(line)).flatten() {
        Some(p) => {
            let start = field.start + p + (r.start - line_start);
            let end = (start + r.len()).min(file.len());
            if file.is_char_boundary(start) && file.is_char_boundary(end) { start..end } else { field }
        }
        None => field,
    }
}

// ---------------------------------------------------------------------------------------
// Markdown → a small block tree, and from it HTML, Markdown and (as data) Typst.

use pulldown_cmark::{Event, HeadingLevel, Options as MdOptions, Parser, Tag, TagEnd};
use serde::Serialize;

/// A block of prose.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// Its content.
        content: Vec<Inline>,
    },
    /// A heading inside prose (printed below the report's own heading levels).
    Heading {
        /// 1–6 as written.
        level: u8,
        /// Its content.
        content: Vec<Inline>,
    },
    /// A bulleted or numbered list.
    List {
        /// The first number of a numbered list; `None` for bullets.
        start: Option<u64>,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quote.
    Quote {
        /// Its blocks.
        content: Vec<Block>,
    },
    /// A code block, shown verbatim.
    Code {
        /// The text.
        text: String,
    },
    /// A thematic break.
    Rule,
}

/// Inline content of prose.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text (raw HTML in the source ends up here too, as text).
    Text {
        /// The text.
        text: String,
    },
    /// **strong**
    Strong {
        /// Its content.
        content: Vec<Inline>,
    },
    /// *emphasis*
    Emph {
        /// Its content.
        content: Vec<Inline>,
    },
    /// ~~struck~~
    Strike {
        /// Its content.
        content: Vec<Inline>,
    },
    /// `code`
    Code {
        /// The text.
        text: String,
    },
    /// A link whose address is http(s), mailto or a fragment; others become plain text.
    Link {
        /// The address.
        url: String,
        /// Its content.
        content: Vec<Inline>,
    },
    /// A hard line break.
    Break,
}

/// Whether a character is CJK (no space is wanted at a line break beside it).
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Addresses a link may have; anything else (`javascript:`, `data:`, …) is dropped.
pub fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("mailto:") || u.starts_with('#')
}

#[derive(Default)]
struct Frame {
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
}

/// Parses prose Markdown (CommonMark + strikethrough) into blocks. Raw HTML becomes
/// text; images become links to their address (nothing is loaded); a soft line break
/// between CJK characters disappears instead of becoming a space.
pub fn parse_markdown(src: &str) -> Vec<Block> {
    let mut opts = MdOptions::empty();
    opts.insert(MdOptions::ENABLE_STRIKETHROUGH);
    let events: Vec<Event> = Parser::new_ext(src, opts).collect();
    // Stack of open containers: (tag, frame).
    let mut stack: Vec<(Option<Tag>, Frame)> = vec![(None, Frame::default())];
    let mut list_items: Vec<Vec<Vec<Block>>> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Event::Start(tag) => {
                if let Tag::List(_) = tag {
                    list_items.push(Vec::new());
                }
                stack.push((Some(tag.clone()), Frame::default()));
            }
            Event::End(end) => {
                let Some((Some(tag), frame)) = stack.pop() else { continue };
                let Some((_, parent)) = stack.last_mut() else { break };
                close(tag, *end, frame, parent, &mut list_items);
            }
            Event::Text(t) => push_inline(&mut stack, Inline::Text { text: t.to_string() }),
            Event::Code(t) => push_inline(&mut stack, Inline::Code { text: t.to_string() }),
            Event::Html(t) | Event::InlineHtml(t) => push_inline(&mut stack, Inline::Text { text: t.to_string() }),
            Event::SoftBreak => {
                let prev = text_before(&events[..i]);
                let next = text_after(&events[i + 1..]);
                let joined = prev.is_some_and(is_cjk) || next.is_some_and(is_cjk);
                if !joined {
                    push_inline(&mut stack, Inline::Text { text: " ".into() });
                }
            }
            Event::HardBreak => push_inline(&mut stack, Inline::Break),
            Event::Rule => {
                if let Some((_, f)) = stack.last_mut() {
                    f.blocks.push(Block::Rule);
                }
            }
            _ => {}
        }
    }
    let mut root = stack.into_iter().next().map(|(_, f)| f).unwrap_or_default();
    flush_loose(&mut root);
    root.blocks
}

fn text_before(events: &[Event]) -> Option<char> {
    events.iter().rev().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    })
}

fn text_after(events: &[Event]) -> Option<char> {
    events.iter().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    })
}

fn push_inline(stack: &mut [(Option<Tag>, Frame)], inline: Inline) {
    if let Some((_, f)) = stack.last_mut() {
        // Merge adjacent text so renderers see whole runs.
        if let (Inline::Text { text: new }, Some(Inline::Text { text })) = (&inline, f.inlines.last_mut()) {
            text.push_str(new);
            return;
        }
        f.inlines.push(inline);
    }
}

/// Loose inline content (a tight list item's text) becomes a paragraph.
fn flush_loose(f: &mut Frame) {
    if !f.inlines.is_empty() {
        let content = std::mem::take(&mut f.inlines);
        f.blocks.push(Block::Paragraph { content });
    }
}

fn close(tag: Tag, _end: TagEnd, mut frame: Frame, parent: &mut Frame, list_items: &mut Vec<Vec<Vec<Block>>>) {
    let inl = |frame: Frame| frame.inlines;
    match tag {
        Tag::Paragraph => parent.blocks.push(Block::Paragraph { content: inl(frame) }),
        Tag::Heading { level, .. } => {
            let level = match level {
                HeadingLevel::H1 => 1,
                HeadingLevel::H2 => 2,
                HeadingLevel::H3 => 3,
                HeadingLevel::H4 => 4,
                HeadingLevel::H5 => 5,
                HeadingLevel::H6 => 6,
            };
            parent.blocks.push(Block::Heading { level, content: inl(frame) })
        }
        Tag::BlockQuote(_) => {
            flush_loose(&mut frame);
            parent.blocks.push(Block::Quote { content: frame.blocks })
        }
        Tag::CodeBlock(_) => {
            let text = frame
                .inlines
                .into_iter()
                .map(|i| match i {
                    Inline::Text { text } => text,
                    _ => String::new(),
                })
                .collect();
            parent.blocks.push(Block::Code { text })
        }
        Tag::Item => {
            flush_loose(&mut frame);
            if let Some(items) = list_items.last_mut() {
                items.push(frame.blocks);
            }
        }
        Tag::List(start) => {
            let items = list_items.pop().unwrap_or_default();
            parent.blocks.push(Block::List { start, items })
        }
        Tag::Emphasis => parent.inlines.push(Inline::Emph { content: inl(frame) }),
        Tag::Strong => parent.inlines.push(Inline::Strong { content: inl(frame) }),
        Tag::Strikethrough => parent.inlines.push(Inline::Strike { content: inl(frame) }),
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
            if safe_url(&dest_url) {
                parent.inlines.push(Inline::Link { url: dest_url.to_string(), content: inl(frame) })
            } else {
                parent.inlines.extend(inl(frame))
            }
        }
        // Anything else (tables, footnotes, …) keeps its text.
        _ => {
            flush_loose(&mut frame);
            parent.blocks.extend(frame.blocks);
            parent.inlines.extend(frame.inlines);
        }
    }
}

/// The text a reader sees of inline content (markup dropped, code kept).
pub fn plain_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|x| match x {
            Inline::Text { text } | Inline::Code { text } => text.clone(),
            Inline::Strong { content } | Inline::Emph { content } | Inline::Strike { content } | Inline::Link { content, .. } => {
                plain_text(content)
            }
            Inline::Break => String::new(),
        })
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Blocks → HTML. Prose headings start at `<h4>`, below the report's own levels.
pub fn to_html(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        block_html(b, &mut o);
    }
    o
}

fn block_html(b: &Block, o: &mut String) {
    match b {
        Block::Paragraph { content } => {
            o.push_str("<p>");
            inlines_html(content, o);
            o.push_str("</p>\n");
        }
        Block::Heading { level, content } => {
            let l = (level + 3).min(6);
            o.push_str(&format!("<h{l} class=\"prose-heading\">"));
            inlines_html(content, o);
            o.push_str(&format!("</h{l}>\n"));
        }
        Block::List { start, items } => {
            match start {
                Some(1) => o.push_str("<ol>\n"),
                Some(n) => o.push_str(&format!("<ol start=\"{n}\">\n")),
                None => o.push_str("<ul>\n"),
            }
            for item in items {
                o.push_str("<li>");
                // A one-paragraph item prints without <p> (a tight list).
                match item.as_slice() {
                    [Block::Paragraph { content }] => inlines_html(content, o),
                    blocks => blocks.iter().for_each(|b| block_html(b, o)),
                }
                o.push_str("</li>\n");
            }
            o.push_str(if start.is_some() { "</ol>\n" } else { "</ul>\n" });
        }
        Block::Quote { content } => {
            o.push_str("<blockquote>\n");
            content.iter().for_each(|b| block_html(b, o));
            o.push_str("</blockquote>\n");
        }
        Block::Code { text } => {
            o.push_str("<pre><code>");
            o.push_str(&escape_html(text));
            o.push_str("</code></pre>\n");
        }
        Block::Rule => o.push_str("<hr>\n"),
    }
}

fn inlines_html(inlines: &[Inline], o: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { text } => o.push_str(&escape_html(text)),
            Inline::Strong { content } => wrap_html("strong", content, o),
            Inline::Emph { content } => wrap_html("em", content, o),
            Inline::Strike { content } => wrap_html("s", content, o),
            Inline::Code { text } => {
                o.push_str("<code>");
                o.push_str(&escape_html(text));
                o.push_str("</code>");
            }
            Inline::Link { url, content } => {
                o.push_str(&format!("<a href=\"{}\">", escape_html(url)));
                inlines_html(content, o);
                o.push_str("</a>");
            }
            Inline::Break => o.push_str("<br>"),
        }
    }
}

fn wrap_html(tag: &str, content: &[Inline], o: &mut String) {
    o.push_str(&format!("<{tag}>"));
    inlines_html(content, o);
    o.push_str(&format!("</{tag}>"));
}

/// Escapes text so that Markdown shows it literally. Characters that are markup
/// anywhere (`\ ` * _ [ ] < > | ~ & # $`) are backslash-escaped; those that are markup
/// only at the start of a line (`- + =`, `1.` `1)`) are escaped there. With `inline`
/// (a table cell, a title) line breaks become spaces.
pub fn escape_markdown(s: &str, inline: bool) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    // A value spliced into a template line is not at the start of a line.
    let mut at_line_start = !inline;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '$' => {
                o.push('\\');
                o.push(c);
            }
            '\n' | '\r' if inline => o.push(' '),
            '-' | '+' | '=' if at_line_start => {
                o.push('\\');
                o.push(c);
            }
            '.' | ')' if !inline && line_is_ordinal(&chars[..i]) => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
        if c == '\n' {
            at_line_start = true;
        } else if c != ' ' {
            at_line_start = false;
        }
    }
    o
}

/// Whether `before` ends in a line that so far holds only spaces and 1–9 digits: a `.`
/// or `)` after it would start an ordered list.
fn line_is_ordinal(before: &[char]) -> bool {
    let line = before.iter().rev().take_while(|&&c| c != '\n').collect::<Vec<_>>();
    let trimmed: Vec<&char> = line.iter().copied().rev().skip_while(|c| **c == ' ').collect();
    !trimmed.is_empty() && trimmed.len() <= 9 && trimmed.iter().all(|c| c.is_ascii_digit())
}

/// Blocks → Markdown (CommonMark), with all text escaped.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut o = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            o.push('\n');
        }
        block_md(b, "", &mut o);
    }
    o
}

fn block_md(b: &Block, indent: &str, o: &mut String) {
    match b {
        Block::Paragraph { content } => {
            o.push_str(indent);
            o.push_str(&inlines_md(content).replace('\n', &format!("\n{indent}")));
            o.push('\n');
        }
        Block::Heading { content, .. } => {
            o.push_str(&format!("{indent}**{}**\n", inlines_md(content)));
        }
        Block::List { start, items } => {
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(s) => format!("{}. ", s + n as u64),
                    None => "- ".to_string(),
                };
                let inner = format!("{indent}{}", " ".repeat(marker.len()));
                for (k, b) in item.iter().enumerate() {
                    let mut s = String::new();
                    block_md(b, &inner, &mut s);
                    if k == 0 {
                        o.push_str(indent);
                        o.push_str(&marker);
                        o.push_str(s.trim_start());
                    } else {
                        o.push('\n');
                        o.push_str(&s);
                    }
                }
            }
        }
        Block::Quote { content } => {
            let inner = to_markdown(content);
            for line in inner.lines() {
                o.push_str(&format!("{indent}> {line}\n"));
            }
        }
        Block::Code { text } => {
            let fence = if text.contains("```") { "~~~~" } else { "```" };
            o.push_str(&format!("{indent}{fence}\n"));
            for line in text.lines() {
                o.push_str(&format!("{indent}{line}\n"));
            }
            o.push_str(&format!("{indent}{fence}\n"));
        }
        Block::Rule => o.push_str(&format!("{indent}---\n")),
    }
}

/// Inline content → Markdown.
pub fn inlines_md(inlines: &[Inline]) -> String {
    let mut o = String::new();
    for i in inlines {
        match i {
            Inline::Text { text } => o.push_str(&escape_markdown(text, false)),
            Inline::Strong { content } => o.push_str(&format!("**{}**", inlines_md(content))),
            Inline::Emph { content } => o.push_str(&format!("*{}*", inlines_md(content))),
            Inline::Strike { content } => o.push_str(&format!("~~{}~~", inlines_md(content))),
            Inline::Code { text } => {
                let ticks = if text.contains('`') { "`` " } else { "`" };
                let close = if text.contains('`') { " ``" } else { "`" };
                o.push_str(&format!("{ticks}{}{close}", text.replace('\n', " ")));
            }
            Inline::Link { url, content } => o.push_str(&format!("[{}](<{}>)", inlines_md(content), url.replace(['<', '>', '\n'], ""))),
            Inline::Break => o.push_str("\\\n"),
        }
    }
    o
}
