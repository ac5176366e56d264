//! Figures the prose states about the tables: `共收到政府信息公开申请16件`, `办结…16件`,
//! `行政复议1件`, `制发行政规范性文件1件，废止12件，现行有效27件`.
//!
//! The reading is deliberately narrow: a claim is made only where the sentence clearly
//! speaks of that table cell, so that `prose-figure` never fires on a report whose prose
//! is right. Not claims: `受理` (accepted is not received), counts of 信息 in 条, a figure
//! for a whole district (`全区`, `全县`…), a case count in a sentence that is not about
//! 政府信息公开, documents named together (`规章和规范性文件`), negations. Figures may be
//! written `1,234`, in full-width digits, or in Chinese numerals (`十二`, `两百零三`).
//! A `{{ … }}` citation is blanked before reading, so a figure drawn from the data can
//! never be claimed against it.

use std::ops::Range;

/// The table cell a claim is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// 一、本年新收 … 总计.
    Received,
    /// 二、上年结转 … 总计.
    CarriedOver,
    /// （七）总计 … 总计 (办结).
    Done,
    /// 四、结转下年度继续办理 … 总计.
    CarriedForward,
    /// 行政复议 总计.
    Reviews,
    /// 行政诉讼 (both groups) 总计.
    Lawsuits,
    /// A cell of table A: (`rules` | `normative_documents`, `issued` | `repealed` | `in_force`).
    Documents(&'static str, &'static str),
}

impl Target {
    /// The JSON pointers whose sum the claim states.
    pub fn cells(self) -> Vec<String> {
        match self {
            Target::Received => vec!["/applications/received/total".into()],
            Target::CarriedOver => vec!["/applications/carried_over/total".into()],
            Target::Done => vec!["/applications/results/total/total".into()],
            Target::CarriedForward => vec!["/applications/carried_forward/total".into()],
            Target::Reviews => vec!["/reviews_and_lawsuits/review/total".into()],
            Target::Lawsuits => {
                vec!["/reviews_and_lawsuits/lawsuit_direct/total".into(), "/reviews_and_lawsuits/lawsuit_after_review/total".into()]
            }
            Target::Documents(doc, k) => vec![format!("/proactive/{doc}/{k}")],
        }
    }

    /// The cell named for a person.
    pub fn label(self, lang: crate::diag::Lang) -> String {
        use crate::diag::Lang::*;
        let (zh, en) = match self {
            Target::Received => ("表三“一、本年新收政府信息公开申请数量”总计", "table B “received” total"),
            Target::CarriedOver => ("表三“二、上年结转政府信息公开申请数量”总计", "table B “carried over” total"),
            Target::Done => ("表三“（七）总计”", "table B “（七）总计”"),
            Target::CarriedForward => ("表三“四、结转下年度继续办理”总计", "table B “carried forward” total"),
            Target::Reviews => ("表四“行政复议”总计", "table C review total"),
            Target::Lawsuits => ("表四“行政诉讼”两组总计之和", "table C lawsuit totals"),
            Target::Documents(doc, k) => {
                let d = if doc == "rules" { "规章" } else { "行政规范性文件" };
                let f = match k {
                    "issued" => "本年制发件数",
                    "repealed" => "本年废止件数",
                    _ => "现行有效件数",
                };
                return match lang {
                    Zh => format!("表二“{d}”{f}"),
                    En => format!("table A “{d}” {k}"),
                };
            }
        };
        match lang {
            Zh => zh.into(),
            En => en.into(),
        }
    }
}

/// A figure the prose states.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// What it is about.
    pub target: Target,
    /// The figure.
    pub value: u64,
    /// Bytes of the figure in the text read.
    pub span: Range<usize>,
    /// The clause it stands in, for messages.
    pub quote: String,
}

/// The claims of a prose text.
pub fn claims(text: &str) -> Vec<Claim> {
    let blanked = blank_citations(text);
    let chars: Vec<(usize, char)> = blanked.char_indices().map(|(i, c)| (i, normalize(c))).collect();
    let mut out = Vec::new();
    for sentence in split(&chars, &['。', '；', '！', '？', '\n', ';']) {
        let s: String = sentence.iter().map(|c| c.1).collect();
        if ["全区", "全县", "全市", "全省", "全镇", "各单位", "各部门", "全系统"].iter().any(|k| s.contains(k)) {
            continue;
        }
        let about_disclosure = s.contains("信息公开") || s.contains("依申请");
        let mut doc_kind: Option<&'static str> = None;
        for clause in split(sentence, &['，', ',', '、', '：']) {
            let c: String = clause.iter().map(|x| x.1).collect();
            // The document kind carries over the clauses of one sentence
            // (`制发行政规范性文件1件，废止12件，现行有效27件`).
            let has_rules = c.contains("规章");
            let has_docs = c.contains("规范性文件");
            if has_rules && has_docs {
                doc_kind = None;
                continue;
            }
            if has_docs {
                doc_kind = Some("normative_documents");
            } else if has_rules {
                doc_kind = Some("rules");
            }
            for (value, span) in figures_before(clause, '件') {
                let before: String = clause.iter().take_while(|x| x.0 < span.start).map(|x| x.1).collect();
                let after: String = clause.iter().filter(|x| x.0 >= span.end).map(|x| x.1).skip(1).take(10).collect();
                // `16件公开申请均已办结`: the figure before the noun, the verb after.
                let done_after = ["申请均已办结", "申请全部办结", "公开申请均已办结", "公开申请全部办结", "申请均办结"]
                    .iter()
                    .any(|k| after.starts_with(k));
                let t = if done_after { Some(Target::Done) } else { target(&before, about_disclosure, doc_kind) };
                if let Some(t) = t {
                    out.push(Claim { target: t, value, span, quote: crate::diag::clip(c.trim(), 60) });
                }
            }
        }
    }
    out
}

/// What a figure followed by 件 is, from the words before it in its clause.
fn target(before: &str, about_disclosure: bool, doc: Option<&'static str>) -> Option<Target> {
    let b = before.trim_end();
    let tail = |n: usize| -> String { b.chars().rev().take(n).collect::<Vec<_>>().into_iter().rev().collect() };
    if b.contains('未') || b.contains('无') || b.contains("没有") {
        return None;
    }
    // Documents of table A: 制发/废止/现行有效 right before the figure or its noun.
    if let Some(doc) = doc {
        let t = tail(14);
        let field = if t.contains("废止") {
            Some("repealed")
        } else if t.contains("现行有效") {
            Some("in_force")
        } else if t.contains("制发") || t.contains("印发") && !t.contains("信息") {
            Some("issued")
        } else {
            None
        };
        let noun_ok = t.ends_with("规范性文件")
            || t.ends_with("规章")
            || t.ends_with("文件")
            || t.ends_with("件数")
            || t.ends_with("废止")
            || t.ends_with("有效")
            || t.ends_with("制发");
        if let Some(f) = field
            && noun_ok
        {
            return Some(Target::Documents(doc, f));
        }
    }
    let t = tail(24);
    // 行政复议 / 行政诉讼 N 件, in a sentence about information disclosure.
    if about_disclosure {
        let near = tail(6);
        if near.contains("行政复议") && !near.contains("诉讼") {
            return Some(Target::Reviews);
        }
        if near.contains("行政诉讼") && !near.contains("复议") {
            return Some(Target::Lawsuits);
        }
    }
    let application = t.contains("申请");
    if !application {
        return None;
    }
    // The figure follows 申请 closely: `申请16件`, `申请件2件`, `依申请公开57件`.
    let after_app = t.rsplit("申请").next().unwrap_or("");
    let close = after_app.chars().count() <= 6 && after_app.chars().all(|c| "公开信息政府件事项 ".contains(c));
    if !close {
        return None;
    }
    if t.contains("上年结转") {
        return Some(Target::CarriedOver);
    }
    if t.contains("结转下年") || t.contains("结转至下年") {
        return Some(Target::CarriedForward);
    }
    if t.contains("办结") {
        return Some(Target::Done);
    }
    if (t.contains("收到") || t.contains("新收") || t.contains("共收") || t.contains("接收")) && !t.contains("受理") {
        return Some(Target::Received);
    }
    None
}

/// Figures directly followed by `unit` (spaces allowed between), with their bytes.
fn figures_before(clause: &[(usize, char)], unit: char) -> Vec<(u64, Range<usize>)> {
    let mut out = Vec::new();
    for (k, &(_, c)) in clause.iter().enumerate() {
        if c != unit {
            continue;
        }
        let mut j = k;
        while j > 0 && clause[j - 1].1 == ' ' {
            j -= 1;
        }
        let end = j;
        while j > 0 && (is_digit(clause[j - 1].1) || clause[j - 1].1 == ',' && j >= 2 && is_digit(clause[j - 2].1)) {
            j -= 1;
        }
        if j == end {
            continue;
        }
        // A figure glued to more digits or letters before it is not a count (`2022年`).
        let word: String = clause[j..end].iter().map(|x| x.1).filter(|c| *c != ',').collect();
        let Some(v) = parse_number(&word) else { continue };
        let start = clause[j].0;
        let stop = clause[end - 1].0 + clause[end - 1].1.len_utf8();
        out.push((v, start..stop));
    }
    out
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || "〇零一二两三四五六七八九十百千万".contains(c)
}

/// `1234`, `一千零五十`, `两百零三`, `十二` → the number.
pub fn parse_number(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return if s.len() <= 13 { s.parse().ok() } else { None };
    }
    if s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let digit = |c: char| -> Option<u64> {
        Some(match c {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total = 0u64;
    let mut section = 0u64;
    let mut num: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            num = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        if unit == 10_000 {
            section = (section + num.take().unwrap_or(0)) * unit;
            total += section;
            section = 0;
        } else {
            section += num.take().unwrap_or(1) * unit;
        }
    }
    Some(total + section + num.unwrap_or(0))
}

fn normalize(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
        '\u{FF0C}' => '，',
        '\u{A0}' | '\u{3000}' | '\t' => ' ',
        c => c,
    }
}

/// Splits at the `at` characters; a `,` between digits (`1,234`) is a thousands separator,
/// not a break.
fn split<'a>(chars: &'a [(usize, char)], at: &[char]) -> Vec<&'a [(usize, char)]> {
    let digit = |i: usize| chars.get(i).is_some_and(|c| c.1.is_ascii_digit());
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        let thousands = c.1 == ',' && i > 0 && digit(i - 1) && digit(i + 1);
        if at.contains(&c.1) && !thousands {
            if i > start {
                out.push(&chars[start..i]);
            }
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push(&chars[start..]);
    }
    out
}

/// `{{ … }}` replaced by spaces of the same length (so byte offsets stay).
fn blank_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        match rest[i..].find("}}") {
            Some(j) => {
                out.push_str(&" ".repeat(j + 2));
                rest = &rest[i + j + 2..];
            }
            None => {
                out.push_str(&" ".repeat(rest.len() - i));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
