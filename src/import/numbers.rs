//! Figures between two labels: tokens, what counts as a number or as zero, and the
//! split of cells run together (`713000074`) by the table's own identities.

/// A figure as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The digits (or a decimal), `0` for `/`, `—`, `-` and `无`.
    pub text: String,
    /// Byte offset in the source where it starts.
    pub at: usize,
    /// Whether it is a blank cell (a line of spaces) read as 0.
    pub blank: bool,
}

/// Removes parenthesized notes (`（其中修订16件）`) and page footers (`-3-`, `— 3 —`,
/// `第3页`), then returns the figures of a segment in order.
pub fn tokens(seg: &[super::text::Ch]) -> Vec<Token> {
    // Blank out notes and footers first, keeping positions.
    let mut chars: Vec<char> = seg.iter().map(|c| c.c).collect();
    let mut depth = 0;
    for c in chars.iter_mut() {
        match *c {
            '（' | '【' | '[' => {
                depth += 1;
                *c = ' ';
            }
            '）' | '】' | ']' => {
                depth = (depth - 1i32).max(0);
                *c = ' ';
            }
            _ if depth > 0 => *c = ' ',
            _ => {}
        }
    }
    blank_footers(&mut chars);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A line holding only spaces is a blank cell (some pages print 0 as nothing).
        // (A line of one `|` is an empty cell too; `|||` is only border filler.)
        if c == '\n' {
            let mut j = i + 1;
            let mut bars = 0;
            while j < chars.len() && matches!(chars[j], ' ' | '¦') {
                bars += usize::from(chars[j] == '¦');
                j += 1;
            }
            if j > i + 1 && bars <= 1 && j < chars.len() && chars[j] == '\n' {
                out.push(Token { text: "0".into(), at: seg[i + 1].at_index(), blank: true });
                i = j;
                continue;
            }
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',') {
                i += 1;
            }
            // A decimal part.
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars[start..i].iter().filter(|c| **c != ',').collect();
            out.push(Token { text, at: seg[start].at_index(), blank: false });
            continue;
        }
        // A cell that means zero: a lone `/`, dash or 无.
        let lone = |j: usize| j >= chars.len() || matches!(chars[j], ' ' | '\n' | '¦');
        if matches!(c, '/' | '—' | '-' | '－' | '–' | '无')
            && (i == 0 || lone(i - 1))
            && lone(i + 1 + usize::from(c == '—' && chars.get(i + 1) == Some(&'—')))
        {
            out.push(Token { text: "0".into(), at: seg[i].at_index(), blank: false });
            i += 1 + usize::from(c == '—' && chars.get(i + 1) == Some(&'—'));
            continue;
        }
        i += 1;
    }
    out
}

trait AtIndex {
    fn at_index(&self) -> usize;
}

impl AtIndex for super::text::Ch {
    fn at_index(&self) -> usize {
        self.at
    }
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

/// Every way to cut the given digit strings into exactly `n` numbers (cuts only inside
/// a string; no part with a leading zero), keeping those `ok` accepts. At most `limit`
/// solutions are returned; the search itself is bounded too.
pub fn splits(parts: &[&str], n: usize, ok: &dyn Fn(&[u64]) -> bool, limit: usize) -> Vec<Vec<u64>> {
    let mut out = Vec::new();
    let extra = n.checked_sub(parts.len());
    let Some(extra) = extra else { return out };
    let mut budget: u64 = 2_000_000;
    let mut cur = Vec::with_capacity(n);
    rec(parts, 0, extra, &mut cur, ok, &mut out, limit, &mut budget);
    out
}

#[allow(clippy::too_many_arguments)]
fn rec(
    parts: &[&str],
    idx: usize,
    extra: usize,
    cur: &mut Vec<u64>,
    ok: &dyn Fn(&[u64]) -> bool,
    out: &mut Vec<Vec<u64>>,
    limit: usize,
    budget: &mut u64,
) {
    if out.len() >= limit || *budget == 0 {
        return;
    }
    *budget -= 1;
    if idx == parts.len() {
        if extra == 0 && ok(cur) {
            out.push(cur.clone());
        }
        return;
    }
    let s = parts[idx];
    // Cut `s` into k = 1..=extra+1 pieces.
    let max_k = (extra + 1).min(s.len());
    for k in 1..=max_k {
        let mut pieces = Vec::new();
        cut(s, k, &mut pieces, &mut |ps: &[u64]| {
            let len = cur.len();
            cur.extend_from_slice(ps);
            rec(parts, idx + 1, extra - (k - 1), cur, ok, out, limit, budget);
            cur.truncate(len);
        });
    }
}

fn cut(s: &str, k: usize, acc: &mut Vec<u64>, f: &mut dyn FnMut(&[u64])) {
    if k == 1 {
        if s.len() > 1 && s.starts_with('0') || s.len() > 13 {
            return;
        }
        if let Ok(v) = s.parse::<u64>() {
            acc.push(v);
            f(acc);
            acc.pop();
        }
        return;
    }
    for i in 1..s.len() {
        let head = &s[..i];
        if head.len() > 1 && head.starts_with('0') || head.len() > 13 {
            break;
        }
        if let Ok(v) = head.parse::<u64>() {
            acc.push(v);
            cut(&s[i..], k - 1, acc, f);
            acc.pop();
        }
    }
}
