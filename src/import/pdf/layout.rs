//! Glyphs → lines → text: the glyphs of a line ordered left to right with spaces where
//! the gaps are; a cell's lines joined (no space between Chinese characters, so a
//! wrapped label stays one label); the page furniture (running headers, footers, page
//! numbers) found; the lines outside tables joined into paragraphs.

use super::extract::Glyph;

/// Whether a character is Chinese (or Japanese/Korean) script or full-width punctuation:
/// text in these is written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF | 0x3200..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// A line of text: glyphs on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text, with a space for a word gap and two for a column gap.
    pub text: String,
    /// Baseline.
    pub y: f64,
    /// Left edge.
    pub x0: f64,
    /// Right edge.
    pub x1: f64,
    /// Typical glyph size.
    pub size: f64,
    /// Whether it has a column gap (a row of a table drawn without lines).
    pub gapped: bool,
}

/// A gap this many ems wide separates columns, not words.
const COLUMN_GAP: f64 = 2.5;

/// Glyphs → lines, top to bottom.
pub fn lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(l) if (g.y - l[0].y).abs() <= 0.4 * g.size.max(l[0].size) => l.push(g),
            _ => groups.push(vec![g]),
        }
    }
    groups.into_iter().filter_map(line).collect()
}

fn line(mut gs: Vec<Glyph>) -> Option<Line> {
    gs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut sizes: Vec<f64> = gs.iter().map(|g| g.size).collect();
    sizes.sort_by(f64::total_cmp);
    let size = *sizes.get(sizes.len() / 2)?;
    let mut text = String::new();
    let mut gapped = false;
    let mut prev: Option<&Glyph> = None;
    let mut kept: Vec<&Glyph> = Vec::new();
    for g in &gs {
        if g.text.trim().is_empty() {
            continue;
        }
        // Bold faked by drawing a glyph twice, slightly shifted (a small part of its
        // width: two narrow letters in a row, `ll`, are not one).
        if kept.iter().rev().take(3).any(|k| k.text == g.text && (k.x0 - g.x0).abs() < (0.15 * size).min(0.4 * (k.x1 - k.x0))) {
            continue;
        }
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let (a, b) = (p.text.chars().last().unwrap_or(' '), g.text.chars().next().unwrap_or(' '));
            if gap > COLUMN_GAP * size {
                text.push_str("  ");
                gapped = true;
            } else if (is_cjk(a) && is_cjk(b) && gap > 1.0 * size) || (!(is_cjk(a) && is_cjk(b)) && gap > 0.15 * size) {
                text.push(' ');
            }
        }
        text.push_str(&g.text);
        prev = Some(g);
        kept.push(g);
    }
    let first = kept.first()?;
    let x1 = kept.iter().map(|g| g.x1).fold(f64::NEG_INFINITY, f64::max);
    Some(Line { text, y: first.y, x0: first.x0, x1, size, gapped })
}

/// Joins two pieces of text that a line break separated: nothing between Chinese
/// characters (or where either side is Chinese), a space between words.
pub fn join(out: &mut String, next: &str) {
    let a = out.chars().last();
    let b = next.chars().next();
    if let (Some(a), Some(b)) = (a, b)
        && !is_cjk(a)
        && !is_cjk(b)
        && !a.is_whitespace()
    {
        out.push(' ');
    }
    out.push_str(next);
}

/// The text of a block (a table cell): its lines joined.
pub fn block_text(glyphs: Vec<Glyph>) -> String {
    let mut out = String::new();
    for l in lines(glyphs) {
        join(&mut out, l.text.trim());
    }
    out
}

/// Whether a line is a page number: `- 3 -`, `— 3 —`, `第3页`, `第 3 页 共 5 页`, `3/5`,
/// `Page 3 of 5`, or a bare number.
pub fn is_page_number(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '~' | '·' | '•'));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
    if digits(t) {
        return true;
    }
    if let Some(r) = t.strip_prefix('第') {
        let (n, rest) = r.split_once('页').unwrap_or((r, "x"));
        return digits(n) && (rest.is_empty() || rest.strip_prefix('共').and_then(|r| r.strip_suffix('页')).is_some_and(digits));
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    let low = t.to_ascii_lowercase();
    if let Some(r) = low.strip_prefix("page") {
        let (n, rest) = r.split_once("of").unwrap_or((r, "0"));
        return digits(n) && digits(rest);
    }
    false
}

/// A line's text with the digits blanked: a running footer (`第 3 页`, a date) compares
/// equal from page to page.
fn shape(t: &str) -> String {
    t.chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Marks the page furniture of each page's lines: in the top or bottom eighth of the
/// page, a page number, or a line that repeats (digits aside) at the same height on
/// other pages.
pub fn furniture(pages: &[(f64, Vec<Line>)]) -> Vec<Vec<bool>> {
    let band = |h: f64, y: f64| y < 0.125 * h || y > 0.875 * h;
    let mut marks: Vec<Vec<bool>> = Vec::new();
    for (p, (h, lines)) in pages.iter().enumerate() {
        let m = lines
            .iter()
            .map(|l| {
                if !band(*h, l.y) {
                    return false;
                }
                if is_page_number(&l.text) || l.text.trim_end().rsplit("  ").next().is_some_and(is_page_number) && l.y > 0.875 * h {
                    return true;
                }
                let s = shape(&l.text);
                pages
                    .iter()
                    .enumerate()
                    .any(|(q, (_, other))| q != p && other.iter().any(|o| (o.y - l.y).abs() < 4.0 && shape(&o.text) == s))
            })
            .collect();
        marks.push(m);
    }
    marks
}

/// The body's measures, from its lines: the left edge most lines start at, the right
/// edge most lines reach, the usual glyph size and line pitch.
#[derive(Debug, Clone, Copy)]
pub struct Measure {
    /// Left edge of the text body.
    pub left: f64,
    /// Right edge of the text body.
    pub right: f64,
    /// Usual glyph size.
    pub em: f64,
    /// Usual distance between baselines.
    pub pitch: f64,
}

fn mode(v: impl Iterator<Item = f64>) -> Option<f64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for x in v {
        *counts.entry((x * 2.0).round() as i64).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(k, n)| (*n, -*k)).map(|(k, _)| k as f64 / 2.0)
}

impl Measure {
    /// Measures the body from all prose lines of the document (each page's in order).
    pub fn of(pages: &[Vec<Line>]) -> Measure {
        let all = || pages.iter().flatten().filter(|l| !l.gapped);
        let em = mode(all().map(|l| l.size)).unwrap_or(12.0).max(1.0);
        let left = mode(all().map(|l| l.x0)).unwrap_or(0.0);
        // Most lines of a justified body end at its right edge; of a ragged one, near it.
        let mut ends: Vec<f64> = all().map(|l| l.x1).collect();
        ends.sort_by(f64::total_cmp);
        let right = ends.get(ends.len() * 9 / 10).copied().unwrap_or(f64::MAX);
        let mut pitches: Vec<f64> = Vec::new();
        for p in pages {
            for w in p.windows(2) {
                let d = w[1].y - w[0].y;
                if d > 0.5 * em && d < 3.0 * em {
                    pitches.push(d);
                }
            }
        }
        pitches.sort_by(f64::total_cmp);
        let pitch = pitches.get(pitches.len() / 2).copied().unwrap_or(1.5 * em);
        Measure { left, right, em, pitch }
    }

    /// Whether `b` starts a new paragraph after `a` (`same_page`: whether they are on one
    /// page, so that their distance means something).
    pub fn breaks(&self, a: &Line, b: &Line, same_page: bool) -> bool {
        let em = self.em;
        // A title set on two lines: both larger than the body, the same size, close.
        let title = a.size > 1.2 * em && (a.size - b.size).abs() < 0.1 * em && same_page && b.y - a.y < 2.0 * a.size;
        if title && !a.gapped && !b.gapped {
            return false;
        }
        let indented = b.x0 > self.left + 0.8 * em;
        let short = a.x1 < self.right - 2.0 * em;
        let ends = a.text.trim_end().ends_with(['。', '！', '？', '；', '：', '.', '!', '?', ':']);
        let far = same_page && b.y - a.y > 1.6 * self.pitch.max(em);
        let resized = (a.size - b.size).abs() > 0.15 * em;
        indented || short || far || resized || a.gapped || b.gapped || (ends && a.x1 < self.right - 0.5 * em)
    }
}
