//! Figures between two labels: the fragments of digits a segment of the source holds,
//! what counts as a zero, and what is not a figure at all (notes in parentheses, page
//! footers, the numbering of the next label).
//!
//! A fragment is a maximal run of digits. It holds one or more whole cells: a crawler
//! that runs cells together writes `713000074` for seven cells, but never splits one
//! cell's figure with a space, so whitespace and cell borders are always boundaries and
//! the solver (`super::solve`) decides how a fragment is cut.

use std::ops::Range;

use super::text::Ch;

/// A figure or a run of figures as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Frag {
    /// The digits (thousands separators removed), or `None` for a cell that means zero:
    /// a blank cell, a lone `/`, dash or `无`.
    pub digits: Option<String>,
    /// The decimal part, for amounts (`9116.36`).
    pub decimals: Option<String>,
    /// Per digit, its bytes in the source (for a zero mark: the mark's bytes).
    pub at: Vec<Range<usize>>,
}

impl Frag {
    /// Bytes of the whole fragment in the source.
    pub fn span(&self) -> Range<usize> {
        match (self.at.first(), self.at.last()) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => 0..0,
        }
    }

    /// Bytes of the digits `r` (a range of digit indices) in the source.
    pub fn sub_span(&self, r: &Range<usize>) -> Range<usize> {
        match (self.at.get(r.start), r.end.checked_sub(1).and_then(|e| self.at.get(e))) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => self.span(),
        }
    }

    /// The fragment as printed, for messages.
    pub fn shown(&self) -> String {
        match (&self.digits, &self.decimals) {
            (Some(d), Some(f)) => format!("{d}.{f}"),
            (Some(d), None) => d.clone(),
            (None, _) => "0".into(),
        }
    }
}

/// The fragments of `seg`, in order. Parenthesized notes (`（其中修订16件）`) and page
/// footers (`-3-`, `— 3 —`, `第3页`) are not figures. `blank_lines` makes a line of only
/// spaces a blank cell (pages that print one cell per line and 0 as nothing); `∅` in the
/// stream is a blank cell of a table a reader knows to be a cell.
pub fn frags(seg: &[Ch], blank_lines: bool) -> Vec<Frag> {
    let mut chars: Vec<char> = seg.iter().map(|c| c.c).collect();
    blank_notes(&mut chars);
    blank_footers(&mut chars);
    let at = |i: usize, j: usize| -> Range<usize> {
        let a = seg[i].at;
        let b = seg.get(j).map_or(a + seg[i].c.len_utf8(), |c| if c.at > a { c.at } else { a + seg[i].c.len_utf8() });
        a..b
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '∅' {
            out.push(Frag { digits: None, decimals: None, at: vec![at(i, i + 1)] });
            i += 1;
            continue;
        }
        if blank_lines && c == '\n' {
            let mut j = i + 1;
            let mut bars = 0;
            while j < chars.len() && matches!(chars[j], ' ' | '¦') {
                bars += usize::from(chars[j] == '¦');
                j += 1;
            }
            // A line of spaces (or one `|`) is an empty cell; `|||` is border filler.
            if j > i + 1 && bars <= 1 && j < chars.len() && chars[j] == '\n' {
                out.push(Frag { digits: None, decimals: None, at: vec![at(i + 1, i + 2)] });
                i = j;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let start = i;
            let mut digits = String::new();
            let mut pos = Vec::new();
            while i < chars.len() {
                if chars[i].is_ascii_digit() {
                    digits.push(chars[i]);
                    pos.push(at(i, i + 1));
                    i += 1;
                } else if is_thousands(&chars, i) {
                    i += 1;
                } else {
                    break;
                }
            }
            // `2.申请人…`, `3、其他`: a single digit then a stop and a Han character is the
            // item number of a row label (a label wrapped so its number stands apart), never
            // a figure. (`01.属于…`, a figure run into the number, is left to the solver.)
            let before_ok = start == 0 || !chars[start - 1].is_ascii_digit();
            if digits.len() == 1 && before_ok && i + 1 < chars.len() && matches!(chars[i], '.' | '．' | '、') && is_han(chars[i + 1]) {
                continue;
            }
            let mut decimals = None;
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                let mut d = String::new();
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    d.push(chars[i]);
                    pos.push(at(i, i + 1));
                    i += 1;
                }
                decimals = Some(d);
            }
            out.push(Frag { digits: Some(digits), decimals, at: pos });
            continue;
        }
        // A cell that means zero: a lone `/`, dash or 无.
        let lone = |j: usize| j >= chars.len() || matches!(chars[j], ' ' | '\n' | '¦');
        let double = c == '—' && chars.get(i + 1) == Some(&'—');
        if matches!(c, '/' | '—' | '-' | '－' | '–' | '无') && (i == 0 || lone(i - 1)) && lone(i + 1 + usize::from(double)) {
            out.push(Frag { digits: None, decimals: None, at: vec![at(i, i + 1)] });
            i += 1 + usize::from(double);
            continue;
        }
        i += 1;
    }
    out
}

/// A `,` inside a figure as a thousands separator: one to three digits before it (after
/// another separator: exactly three), exactly three after, and no digit after those.
fn is_thousands(chars: &[char], i: usize) -> bool {
    if chars[i] != ',' && chars[i] != '，' {
        return false;
    }
    let after = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let before = chars[..i].iter().rev().take_while(|c| c.is_ascii_digit()).count();
    after == 3 && (1..=3).contains(&before)
}

fn blank_notes(chars: &mut [char]) {
    let mut depth = 0i32;
    for c in chars.iter_mut() {
        match *c {
            '（' | '【' | '[' => {
                depth += 1;
                *c = ' ';
            }
            '）' | '】' | ']' => {
                depth = (depth - 1).max(0);
                *c = ' ';
            }
            '\n' if depth > 0 => depth = 0,
            _ if depth > 0 => *c = ' ',
            _ => {}
        }
    }
}

/// Whether a line (separators and spaces ignored) is only a page number: `-3-`, `— 3 —`,
/// `第3页`, `第 3 页 共 5 页`, `3/5`.
pub fn is_footer(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !matches!(c, ' ' | '¦' | '\u{a0}' | '\u{3000}' | '|')).collect();
    if t.is_empty() {
        return false;
    }
    let dash = |c: char| matches!(c, '-' | '—' | '－' | '–');
    let core = t.trim_matches(dash);
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if core.len() < t.len() && t.starts_with(dash) && t.ends_with(dash) && digits(core) {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        let (n, rest) = rest.split_once('页').unwrap_or(("", ""));
        if digits(n) {
            let rest = rest.trim_start_matches(['，', ',', '/']);
            return rest.is_empty() || rest.strip_prefix('共').and_then(|r| r.strip_suffix('页')).is_some_and(digits);
        }
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b) && a.len() <= 3 && b.len() <= 3;
    }
    false
}

/// Blanks `-3-`, `— 3 —`, `- 3 -` and `第3页`/`第 3 页 共 5 页` in place.
fn blank_footers(chars: &mut [char]) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if matches!(chars[i], '-' | '—' | '－' | '–') {
            let mut j = i + 1;
            while j < n && chars[j] == ' ' {
                j += 1;
            }
            let d = j;
            while j < n && chars[j].is_ascii_digit() {
                j += 1;
            }
            let digits = j - d;
            while j < n && chars[j] == ' ' {
                j += 1;
            }
            if digits > 0 && digits <= 3 && j < n && matches!(chars[j], '-' | '—' | '－' | '–') {
                for c in &mut chars[i..=j] {
                    *c = ' ';
                }
                i = j + 1;
                continue;
            }
        }
        if chars[i] == '第' {
            let mut j = i + 1;
            while j < n && (chars[j] == ' ' || chars[j].is_ascii_digit()) {
                j += 1;
            }
            if j < n && chars[j] == '页' && j > i + 1 {
                for c in &mut chars[i..=j] {
                    *c = ' ';
                }
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
}

/// A Han character (CJK unified ideographs and extension A).
pub(super) fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}
