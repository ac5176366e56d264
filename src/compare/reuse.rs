//! Prose compared sentence by sentence: which of this year's sentences are last year's,
//! word for word, once figures and years are set aside.
//!
//! A report copied from last year with the figures updated is the common complaint, so
//! the comparison normalises what a copy would change (every run of digits, and Chinese
//! numerals before a counter such as 件, 条, 年) and what no reader sees (spaces,
//! half-width against full-width punctuation); anything else that differs makes the
//! sentence new. A sentence is reused when its normalised text is any sentence of last
//! year's report, in any part (a paragraph moved from part 五 to part 一 is still copied).

use std::collections::HashSet;

use serde::Serialize;

use crate::prose::{Block, parse_markdown, plain_text};

/// The prose parts compared: 一, 五, 六 (the preamble is boilerplate the format requires).
pub const PARTS: [&str; 3] = ["一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"];

/// One of this year's sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// As written.
    pub text: String,
    /// Whether last year's report has it word for word (figures and years aside).
    pub reused: bool,
}

/// One part's prose, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartReuse {
    /// The part's title, `一、总体情况` …
    pub title: String,
    /// This year's sentences in order, reused ones marked.
    pub sentences: Vec<Sentence>,
    /// How many sentences this year.
    pub total: usize,
    /// How many of them are reused.
    pub reused: usize,
    /// reused / total, when there is any sentence.
    pub share: Option<f64>,
    /// The share as printed: `75.0%`, or `—` for a part without text.
    pub share_text: String,
    /// The sentences that are not last year's.
    pub new: Vec<String>,
}

/// The prose of all parts, compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reuse {
    /// Part by part.
    pub parts: Vec<PartReuse>,
    /// Sentences this year, all parts.
    pub total: usize,
    /// Of them reused.
    pub reused: usize,
    /// reused / total.
    pub share: Option<f64>,
    /// As printed.
    pub share_text: String,
}

/// The Markdown of each compared part of a report, in [`PARTS`] order (part 一: its
/// introduction and section bodies; section titles are headings, not sentences).
pub fn part_texts(r: &crate::model::Report) -> [String; 3] {
    let mut one = r.overview.intro.clone().unwrap_or_default();
    for s in &r.overview.sections {
        one.push_str("\n\n");
        one.push_str(&s.body);
    }
    [one, r.problems.clone(), r.other_matters.clone()]
}

/// The sentences of Markdown prose: paragraphs, list items and quotes, split after
/// 。！？!? (a closing quote or bracket stays with its sentence). Headings are skipped.
pub fn sentences(markdown: &str) -> Vec<String> {
    let mut paras = Vec::new();
    collect(&parse_markdown(markdown), &mut paras);
    let mut out = Vec::new();
    for p in paras {
        let mut cur = String::new();
        let mut chars = p.chars().peekable();
        while let Some(c) = chars.next() {
            cur.push(c);
            if matches!(c, '。' | '！' | '？' | '!' | '?') {
                while let Some(&n) = chars.peek() {
                    if matches!(n, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '。' | '！' | '？') {
                        cur.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                push_sentence(&mut out, &mut cur);
            }
        }
        push_sentence(&mut out, &mut cur);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !normalise(t).is_empty() {
        out.push(t.to_string());
    }
    cur.clear();
}

fn collect(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Paragraph { content } => out.push(plain_text(content)),
            Block::List { items, .. } => items.iter().for_each(|i| collect(i, out)),
            Block::Quote { content } => collect(content, out),
            Block::Heading { .. } | Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// Chinese numerals, normalised like digits when a counter follows them.
const HAN_DIGITS: &str = "零〇一二两三四五六七八九十百千万亿";
/// Counters after which a run of Chinese numerals is a figure (二〇二三年, 三件).
const COUNTERS: &str = "件条次个项年月日人家期篇场批份余多";

/// A sentence as compared: spaces dropped, full-width ASCII folded to half-width,
/// every run of digits (with its `.` and `,`) and every run of Chinese numerals before
/// a counter replaced by `#`. Punctuation that only ends the sentence is dropped too.
pub fn normalise(s: &str) -> String {
    let folded: Vec<char> = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < folded.len() {
        let c = folded[i];
        if c.is_ascii_digit() {
            while i < folded.len()
                && (folded[i].is_ascii_digit() || (matches!(folded[i], '.' | ',') && folded.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            out.push('#');
            continue;
        }
        if HAN_DIGITS.contains(c) {
            let mut j = i;
            while j < folded.len() && HAN_DIGITS.contains(folded[j]) {
                j += 1;
            }
            if folded.get(j).is_some_and(|n| COUNTERS.contains(*n)) {
                out.push('#');
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out.trim_end_matches(['。', '!', '?', '！', '？', '.', ';', '；']).to_string()
}

/// Compares this year's prose with last year's, part by part.
pub fn compare(last: &[String; 3], this: &[String; 3]) -> Reuse {
    let known: HashSet<String> = last.iter().flat_map(|t| sentences(t)).map(|s| normalise(&s)).collect();
    let mut parts = Vec::new();
    for (title, text) in PARTS.iter().zip(this) {
        let sentences: Vec<Sentence> =
            sentences(text).into_iter().map(|s| Sentence { reused: known.contains(&normalise(&s)), text: s }).collect();
        let total = sentences.len();
        let reused = sentences.iter().filter(|s| s.reused).count();
        let share = (total > 0).then(|| reused as f64 / total as f64);
        parts.push(PartReuse {
            title: title.to_string(),
            new: sentences.iter().filter(|s| !s.reused).map(|s| s.text.clone()).collect(),
            sentences,
            total,
            reused,
            share,
            share_text: share_text(share),
        });
    }
    let total = parts.iter().map(|p| p.total).sum();
    let reused = parts.iter().map(|p| p.reused).sum();
    let share = (total > 0).then(|| reused as f64 / total as f64);
    Reuse { parts, total, reused, share, share_text: share_text(share) }
}

fn share_text(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |s| format!("{:.1}%", s * 100.0))
}
