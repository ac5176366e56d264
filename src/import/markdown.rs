//! The Markdown reader: GFM tables as tables, other lines as text.
//!
//! It reads our own Markdown (`reportgen build -f md`) and what PDF→Markdown converters
//! make of a report: the big table shredded into many small ones, invented headers
//! (`数据1…数据6`, `## 表二`), header rows repeated mid-table, figures on the line before
//! their label, prose cut into table cells. The reader only says which text stands in
//! which cell; empty cells of a converter's table are padding, not zeros (their
//! figures, when they are zeros, are printed as `0`). Every cell is a verbatim piece
//! of the source, so findings point at its line and column.

use super::doc::{Block, Cell, Doc, Places, Table};

/// Whether the text is Markdown with GFM tables (ours, or a converter's).
pub fn looks_like_markdown(t: &str) -> bool {
    t.lines().any(|l| {
        let l = l.trim();
        l.starts_with('|') && l.contains("---") && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
    })
}

/// Reads a Markdown text.
pub fn read(source: &str) -> Doc {
    let mut blocks = Vec::new();
    let mut table: Vec<Vec<(Cell, usize, usize)>> = Vec::new();
    let mut at = 0;
    for raw in source.split_inclusive('\n') {
        let line_start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let t = line.trim();
        if t.starts_with('|') {
            if is_rule(t) {
                continue;
            }
            table.push(cells(line, line_start).into_iter().map(|c| (c, 1, 1)).collect());
            continue;
        }
        if !table.is_empty() {
            let mut t = Table::from_spans(std::mem::take(&mut table));
            t.empty_is_zero = false;
            blocks.push(Block::Table(t));
        }
        // Raw HTML that converters leave around blocks (`<div class=…>`, `</div>`) is
        // markup, not text: its attributes hold digits that are no figures.
        if is_html_tag_line(t) {
            blocks.push(Block::Text(Cell { text: String::new(), span: line_start..line_start }));
            continue;
        }
        let (text, offset) = strip_marks(line);
        let start = line_start + offset;
        blocks.push(Block::Text(Cell { text: unescape(&text), span: start..line_start + line.len() }));
    }
    if !table.is_empty() {
        let mut t = Table::from_spans(table);
        t.empty_is_zero = false;
        blocks.push(Block::Table(t));
    }
    Doc { text: source.to_string(), places: Places::LineCol, blocks }
}

/// A line that is nothing but HTML tags (`<div id="part-4" class="section">`, `</div>`).
fn is_html_tag_line(t: &str) -> bool {
    let mut rest = t;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('<') else { return false };
        let name_ok = r.trim_start_matches('/').chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        let Some(end) = r.find('>') else { return false };
        if !name_ok {
            return false;
        }
        rest = r[end + 1..].trim_start();
    }
    true
}

/// `|---|:---:|`: a table's alignment row.
fn is_rule(t: &str) -> bool {
    t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The cells of a table line, split on unescaped `|`, each with its bytes in the source.
fn cells(line: &str, base: usize) -> Vec<Cell> {
    let mut out = Vec::new();
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    let mut start: Option<usize> = None;
    let mut prev = ' ';
    for &(i, c) in &bytes {
        if c == '|' && prev != '\\' {
            if let Some(s) = start {
                let raw = &line[s..i];
                let lead = raw.len() - raw.trim_start().len();
                let text = raw.trim();
                let a = base + s + lead;
                out.push(Cell { text: unescape(text), span: a..a + text.len() });
            }
            start = Some(i + 1);
        }
        prev = c;
    }
    // A line that does not end with `|` still has its last cell.
    if let Some(s) = start.filter(|&s| s < line.len()) {
        let raw = &line[s..];
        if !raw.trim().is_empty() {
            let lead = raw.len() - raw.trim_start().len();
            let text = raw.trim();
            let a = base + s + lead;
            out.push(Cell { text: unescape(text), span: a..a + text.len() });
        }
    }
    out
}

/// A line without heading marks, and our `- 链接：[title](<url>)` as `链接：title <url>`.
/// Returns the text and where it starts in the line.
fn strip_marks(line: &str) -> (String, usize) {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let t = trimmed.trim_start_matches('#');
    let lead = lead + (trimmed.len() - t.len());
    let t2 = t.trim_start();
    let lead = lead + (t.len() - t2.len());
    if let Some(rest) = t2.strip_prefix("- 链接：") {
        let link = rest
            .strip_prefix('[')
            .filter(|r| r.ends_with(">)"))
            .and_then(|r| r.rfind("](<").map(|k| format!("链接：{} <{}>", &r[..k], &r[k + 3..r.len() - 2])));
        return (link.unwrap_or_else(|| format!("链接：{rest}")), lead);
    }
    (t2.to_string(), lead)
}

fn unescape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut esc = false;
    for c in s.chars() {
        if esc || c != '\\' {
            o.push(c);
            esc = false;
        } else {
            esc = true;
        }
    }
    o
}
