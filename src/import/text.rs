//! A published report's text as a stream of normalized characters that remember where
//! they came from, and the searches the importer runs over it.
//!
//! Normalization makes the many ways pages print the same thing compare equal:
//! full-width digits and letters, `(一)`/`（一）`, `1、`/`1.`, NBSP and ideographic
//! spaces, `|` cell separators. Label searches skip separators and quotes inside a
//! label (`商业 企业`, `第二十条  第(一)项`, `“三安全一稳定”`).

/// A normalized character and the byte offset of its source character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ch {
    /// The character after normalization (separators become ' ', line ends '\n').
    pub c: char,
    /// The character as written (`\0` for a separator the reader added), for prose.
    pub o: char,
    /// Byte offset in the source text.
    pub at: usize,
}

/// Normalizes `text` into a character stream.
pub fn normalize(text: &str) -> Vec<Ch> {
    let mut out: Vec<Ch> = Vec::with_capacity(text.len() / 2);
    for (at, c) in text.char_indices() {
        let n = match c {
            '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
            '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF0E}' => '.',
            '\u{FF0F}' => '/',
            '\u{FF1A}' => '：',
            '(' => '（',
            ')' => '）',
            ':' => '：',
            ',' => '，',
            ';' => '；',
            '\u{A0}' | '\u{3000}' | '\t' | '\u{200B}' | '\u{FEFF}' => ' ',
            // A cell border: a separator, but not a blank.
            '|' => '¦',
            '\r' => continue,
            '\u{C}' => '\n',
            c => c,
        };
        // `1、` → `1.`
        let n = if n == '、' && out.last().is_some_and(|p| p.c.is_ascii_digit()) { '.' } else { n };
        out.push(Ch { c: n, o: c, at });
    }
    out
}

/// Whether a character is skipped inside a label: spaces, line breaks, quotes.
pub fn is_skippable(c: char) -> bool {
    matches!(c, ' ' | '¦' | '\n' | '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』')
}

/// Finds `needle` in `s[from..to]`, letting separators and quotes appear between (and
/// be missing from) the characters of the needle. Returns (start, end) indices.
pub fn find(s: &[Ch], needle: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let want: Vec<char> = needle.chars().filter(|c| !is_skippable(*c)).collect();
    let first = *want.first()?;
    let to = to.min(s.len());
    let mut i = from;
    while i < to {
        if s[i].c == first {
            let mut j = i;
            let mut k = 0;
            while j < to && k < want.len() {
                if s[j].c == want[k] {
                    k += 1;
                    j += 1;
                } else if is_skippable(s[j].c) {
                    j += 1;
                } else {
                    break;
                }
            }
            if k == want.len() {
                return Some((i, j));
            }
        }
        i += 1;
    }
    None
}

/// The text of `s[a..b]` as normalized characters.
pub fn slice(s: &[Ch], a: usize, b: usize) -> String {
    let b = b.min(s.len());
    s[a.min(b)..b].iter().map(|c| c.c).collect()
}

/// Start of the line holding index `i`.
pub fn line_start(s: &[Ch], i: usize) -> usize {
    s[..i.min(s.len())].iter().rposition(|c| c.c == '\n').map_or(0, |p| p + 1)
}

/// End (exclusive, at the '\n') of the line holding index `i`.
pub fn line_end(s: &[Ch], i: usize) -> usize {
    s[i.min(s.len())..].iter().position(|c| c.c == '\n').map_or(s.len(), |p| i + p)
}

/// A read source as one character stream: text blocks as they are, table rows as their
/// cells joined by `¦` (a certain cell border) and ended by a line break, blank cells
/// of drawn tables as `∅` (a cell that means 0), covered positions of merged cells as
/// nothing, page-number rows dropped. Each character keeps the byte offset in
/// [`Doc::text`](super::doc::Doc) of the text it came from.
pub fn flatten(doc: &super::doc::Doc) -> Vec<Ch> {
    use super::doc::{Block, Cell};
    let mut out: Vec<Ch> = Vec::new();
    let push_cell = |out: &mut Vec<Ch>, cell: &Cell| {
        let verbatim = doc.text.get(cell.span.clone()) == Some(cell.text.as_str());
        for mut ch in normalize(&cell.text) {
            ch.at = if verbatim { cell.span.start + ch.at } else { cell.span.start };
            out.push(ch);
        }
    };
    for block in &doc.blocks {
        match block {
            Block::Text(cell) => {
                push_cell(&mut out, cell);
                out.push(Ch { c: '\n', o: '\n', at: cell.span.end });
            }
            Block::Table(t) => {
                for row in &t.rows {
                    let cells: Vec<&Cell> = row.iter().filter_map(|g| g.cell()).collect();
                    let joined: String = cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("¦");
                    if cells.is_empty() || super::numbers::is_footer(&joined) {
                        continue;
                    }
                    for (i, cell) in cells.iter().enumerate() {
                        if i > 0 {
                            out.push(Ch { c: '¦', o: '\0', at: cell.span.start });
                        }
                        if t.empty_is_zero && cell.text.trim().is_empty() {
                            out.push(Ch { c: '∅', o: '\0', at: cell.span.start });
                        } else {
                            push_cell(&mut out, cell);
                        }
                    }
                    let end = cells.last().map_or(0, |c| c.span.end);
                    out.push(Ch { c: '\n', o: '\n', at: end });
                }
            }
        }
    }
    out
}
