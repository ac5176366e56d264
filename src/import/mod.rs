//! `reportgen import`: a published report (page text, `cell |` rows, cells run
//! together, `pdftotext -layout`, HTML, or our own Markdown) back into a data file,
//! keeping the figures exactly as printed (totals as stated `total`s), so that `check`
//! shows what the published report got wrong.
//!
//! The tables are found by their labels, in the official order, each followed by its
//! figures; labels are matched by a distinctive part (a garbled `2.其他法律行政止公开`
//! still matches). Whatever could not be recovered is a diagnostic at its line of the
//! source text; the data file produced always validates against the schema.

pub mod doc;
pub mod docx;
pub mod html;
pub mod numbers;
pub mod text;
pub mod yaml;

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::Source;
use crate::model::{Applications, Count, Documents, Kind, Link, Meta, Outcomes, Report, Row, Section};

use numbers::{Token, splits, tokens};
use text::{Ch, find, line_end, line_start, slice};

/// An imported report and what could not be recovered.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The source as read (its text is the one diagnostics point into).
    pub source: Source,
    /// The recovered report (unknown cells hold 0: see `unknown`).
    pub report: Report,
    /// The cells that could not be read.
    pub unknown: crate::model::unknown::Unknown,
    /// What could not be recovered, or was guessed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Bytes → text: UTF-8, or (common for these pages) GBK/GB18030, decoded with a warning.
fn decode(name: &str, bytes: &[u8], lang: Lang) -> (Source, Option<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(t) = std::str::from_utf8(bytes) {
        return (Source { name: name.into(), text: t.into() }, None);
    }
    let enc = crate::load::guess_encoding(bytes);
    let (text, _, _) = enc.decode(bytes);
    let msg = match lang {
        Lang::Zh => format!("文件不是 UTF-8，按 {} 编码读取", enc.name()),
        Lang::En => format!("the file is not UTF-8; read as {}", enc.name()),
    };
    (Source { name: name.into(), text: text.into_owned() }, Some(Diagnostic::warning(Code::Encoding, msg).in_file(name)))
}

struct Ctx<'a> {
    src: &'a Source,
    s: Vec<Ch>,
    lang: Lang,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn span(&self, i: usize) -> std::ops::Range<usize> {
        let i = i.min(self.s.len().saturating_sub(1));
        let a = self.s.get(i).map_or(self.src.text.len(), |c| c.at);
        let b = self.s.get(line_end(&self.s, i).saturating_sub(1)).map_or(a, |c| c.at + c.c.len_utf8());
        a..b.max(a)
    }
    fn warn(&mut self, i: usize, zh: String, en: String) {
        let d = Diagnostic::warning(Code::Import, if self.lang == Lang::Zh { zh } else { en });
        let span = self.span(i);
        self.diags.push(d.at(&self.src.name, span));
    }
    fn error(&mut self, i: Option<usize>, zh: String, en: String) {
        let d = Diagnostic::error(Code::Import, if self.lang == Lang::Zh { zh } else { en });
        let d = match i {
            Some(i) => {
                let span = self.span(i);
                d.at(&self.src.name, span)
            }
            None => d.in_file(&self.src.name),
        };
        self.diags.push(d);
    }
}

/// Imports one published report.
pub fn import_bytes(name: &str, bytes: &[u8], lang: Lang) -> Result<Imported, Vec<Diagnostic>> {
    // A .docx (zip signature or name): its text, cell by cell, from the document's XML.
    if docx::is_docx(name, bytes) {
        let text = docx::to_text(name, bytes, lang)?;
        return import_text(Source { name: name.into(), text }, Vec::new(), lang);
    }
    let (raw, enc_warning) = decode(name, bytes, lang);
    if bytes.iter().take(4096).filter(|b| **b == 0).count() > 8 {
        let m = lang.pick("这是二进制文件，不是报告的网页或文本", "this is a binary file, not a report page or text");
        return Err(vec![Diagnostic::error(Code::Import, m).in_file(name)]);
    }
    let text = if html::looks_like_html(&raw.text) {
        html::to_text(&raw.text)
    } else if html::looks_like_our_markdown(&raw.text) {
        html::markdown_to_text(&raw.text)
    } else {
        raw.text.clone()
    };
    import_text(Source { name: name.into(), text }, enc_warning.into_iter().collect(), lang)
}

/// Imports a report's text (one cell per line, as [`html::to_text`] makes it).
fn import_text(source: Source, diags: Vec<Diagnostic>, lang: Lang) -> Result<Imported, Vec<Diagnostic>> {
    let name = source.name.clone();
    let name = name.as_str();
    let mut cx = Ctx { src: &source, s: text::normalize(&source.text), lang, diags };
    let s_len = cx.s.len();

    if let Some(which) = ["本年新制作数量", "上一年项目数量", "第二十条第（九）项"].iter().find_map(|k| find(&cx.s, k, 0, s_len))
    {
        cx.error(
            Some(which.0),
            "这是 2019 年试行格式（国办公开办函〔2019〕60号：本年新制作数量、上一年项目数量、第二十条第（九）项）的报告，与 2021 年起的格式（国办公开办函〔2021〕30号）表格不同，不能导入".into(),
            "this report uses the 2019 trial layout (国办公开办函〔2019〕60号: 本年新制作数量, 上一年项目数量, 第二十条第（九）项), whose tables differ from the 2021 layout (国办公开办函〔2021〕30号); it cannot be imported".into(),
        );
        return Err(cx.diags);
    }

    // The parts, in order.
    let p3 = find_heading(&cx.s, "三", "收到和处理政府信息公开申请情况", 0, s_len);
    let p2 = find_heading(&cx.s, "二", "主动公开政府信息情况", 0, p3.unwrap_or(s_len));
    let Some(p3) = p3 else {
        let m = lang.pick(
            "找不到“收到和处理政府信息公开申请情况”表：这不像一份政府信息公开工作年度报告（或内容被截断）",
            "no table “收到和处理政府信息公开申请情况”: this does not look like an annual information-disclosure report (or it is truncated)",
        );
        cx.diags.push(Diagnostic::error(Code::Import, m).in_file(name));
        return Err(cx.diags);
    };
    let p2 = p2.unwrap_or(p3);
    let p1 = find_heading(&cx.s, "一", "总体情况", 0, p2);
    let b_end = find(&cx.s, "结转下年度", p3, s_len).map_or(s_len, |(_, e)| e);
    let p5 = find_heading(&cx.s, "五", "存在的主要问题", b_end, s_len);
    let p4 = find_heading(&cx.s, "四", "政府信息公开行政", b_end, p5.unwrap_or(s_len))
        .or_else(|| find(&cx.s, "行政复议", b_end, p5.unwrap_or(s_len)).map(|(a, _)| a));
    let p6 = find_heading(&cx.s, "六", "其他需要报告", p5.unwrap_or(b_end), s_len);

    let mut report = Report {
        meta: meta(&mut cx, p1.unwrap_or(p2)),
        preamble: None,
        overview: Default::default(),
        proactive: Default::default(),
        applications: Default::default(),
        reviews_and_lawsuits: Default::default(),
        problems: String::new(),
        other_matters: String::new(),
        links: Vec::new(),
    };
    table_a(&mut cx, p2, p3, &mut report);
    table_b(&mut cx, p3, p4.unwrap_or(b_end), &mut report.applications);
    match p4 {
        Some(p4) => report.reviews_and_lawsuits = table_c(&mut cx, p4, p5.unwrap_or(s_len)),
        None => cx.error(Some(b_end), "找不到第四部分（行政复议、行政诉讼）表格".into(), "table C (行政复议、行政诉讼) not found".into()),
    }
    // Prose.
    let header_end = p1.map_or(0, |p| heading_end(&cx.s, p, "总体情况"));
    if let Some(p1) = p1 {
        let pre = prose_lines(&cx.s, &source.text, meta_end(&cx.s, p1), p1);
        let default = format!(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制本报告，报告数据统计期限为{y}年1月1日至{y}年12月31日。",
            y = report.meta.year
        );
        let pre = pre.trim().to_string();
        if !pre.is_empty() && pre.replace(['（', '）'], "") != default.replace(['（', '）'], "") && pre.contains("本报告") {
            report.preamble = Some(pre);
        }
        overview(&cx.s, &source.text, header_end, p2, &mut report);
    } else {
        cx.warn(0, "找不到“一、总体情况”".into(), "part 一 (总体情况) not found".into());
    }
    match p5 {
        Some(p5) => {
            let mut from = heading_end(&cx.s, p5, "存在的主要问题");
            // Run-together pages: the rest of the title (`…及改进情况`) is not text.
            if let Some((_, e)) =
                ["及改进情况", "及整改措施", "及整改情况"].iter().find_map(|k| find(&cx.s, k, from, (from + 8).min(s_len)))
            {
                from = e;
            }
            report.problems = prose_lines(&cx.s, &source.text, from, p6.unwrap_or(s_len)).trim().to_string()
        }
        None => cx.warn(b_end, "找不到“五、存在的主要问题及改进情况”".into(), "part 五 not found".into()),
    }
    match p6 {
        Some(p6) => {
            let mut from = heading_end(&cx.s, p6, "其他需要报告");
            if let Some((_, e)) = find(&cx.s, "的事项", from, (from + 5).min(s_len)) {
                from = e;
            }
            let (body, links) = split_links(&prose_lines(&cx.s, &source.text, from, s_len));
            report.other_matters = body;
            report.links = links;
        }
        None => cx.warn(s_len.saturating_sub(1), "找不到“六、其他需要报告的事项”".into(), "part 六 not found".into()),
    }
    if let Some(ed) = labelled(&cx.s, &["责任编辑："], 0, s_len) {
        report.meta.editor = Some(ed);
        // The editor line is page furniture, not part 六.
        if let Some(i) = report.other_matters.find("责任编辑") {
            report.other_matters = report.other_matters[..i].trim_end().to_string();
        }
    }
    let diagnostics = std::mem::take(&mut cx.diags);
    Ok(Imported { source: source.clone(), report, unknown: Default::default(), diagnostics })
}

/// A part heading: `二、主动公开…` (the numeral optional), at the start of a line when
/// possible. Returns where the heading starts (its numeral) and where its title ends.
fn find_heading_span(s: &[Ch], numeral: &str, title: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let mut at = from;
    let mut fallback = None;
    while let Some((a, e)) = find(s, title, at, to) {
        let mut j = a;
        while j > from && text::is_skippable(s[j - 1].c) {
            j -= 1;
        }
        let numbered = j >= 2 && matches!(s[j - 1].c, '、' | '.' | '．') && slice(s, j - 2, j - 1) == numeral;
        if numbered {
            return Some((j - 2, e));
        }
        let ls = line_start(s, a);
        if fallback.is_none() && slice(s, ls, a).trim().is_empty() {
            fallback = Some((a, e));
        }
        at = a + 1;
    }
    fallback
}

fn find_heading(s: &[Ch], numeral: &str, title: &str, from: usize, to: usize) -> Option<usize> {
    find_heading_span(s, numeral, title, from, to).map(|(a, _)| a)
}

/// Where a part's text begins: after the heading's title, and after the rest of the
/// heading's line when that is only the title's tail (`…及整改措施`).
fn heading_end(s: &[Ch], at: usize, title: &str) -> usize {
    let e = find(s, title, at, s.len()).map_or(at, |(_, e)| e);
    let le = line_end(s, e);
    let rest = slice(s, e, le);
    if rest.trim().chars().count() <= 12 && !rest.contains('。') { le } else { e }
}

/// Where the page furniture before the preamble ends (after the title and meta lines).
fn meta_end(s: &[Ch], p1: usize) -> usize {
    let mut best = 0;
    for key in ["年度报告", "日期：", "发布时间：", "公开日期", "正文", "时效"] {
        let mut at = 0;
        while let Some((_, e)) = find(s, key, at, p1) {
            best = best.max(line_end(s, e));
            at = e;
        }
    }
    best.min(p1)
}

/// The value after a label like `来源：` on the same line, or on the next line.
fn labelled(s: &[Ch], keys: &[&str], from: usize, to: usize) -> Option<String> {
    for k in keys {
        if let Some((_, e)) = find(s, k, from, to) {
            let rest = slice(s, e, line_end(s, e));
            let v = rest.trim().trim_start_matches('：').trim();
            // Stop at the next label on the same line (`来源：X 日期：Y`).
            let cut = ["来源：", "日期：", "发布机关：", "发布时间：", "责任编辑：", "  "]
                .iter()
                .filter_map(|l| v.find(l))
                .min()
                .unwrap_or(v.len());
            let v = v[..cut].trim();
            if !v.is_empty() {
                return Some(v.to_string());
            }
            let next = line_end(s, e) + 1;
            let v = slice(s, next, line_end(s, next)).trim().to_string();
            if !v.is_empty() {
                return Some(v);
            }
        }
    }
    None
}

/// `2024-02-18`, `2024年2月18日`, `2024/2/18`, `2024-02-18 15:07` → `2024-02-18`.
fn date(v: &str) -> Option<String> {
    let digits: Vec<u32> =
        v.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).take(3).filter_map(|p| p.parse().ok()).collect();
    match digits.as_slice() {
        [y, m, d] if (2000..2100).contains(y) => {
            let s = format!("{y:04}-{m:02}-{d:02}");
            crate::check::rules::parse_date(&s).map(|_| s)
        }
        _ => None,
    }
}

fn meta(cx: &mut Ctx, p1: usize) -> Meta {
    let s = cx.s.clone();
    let s = &s[..];
    // The title: the first line naming a year and 年度报告 before part 一.
    let mut title = None;
    let mut at = 0;
    while let Some((a, e)) = find(s, "年度报告", at, p1.max(1)) {
        let ls = line_start(s, a);
        let line: String = slice(s, ls, line_end(s, e)).chars().filter(|c| !c.is_whitespace()).collect();
        let line = line.trim_start_matches("标题：").trim_start_matches("名称").to_string();
        // A crawler's header line (`source: …`, `url: …`) is not the title.
        let crawl = line.split('：').next().is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()));
        if crawl {
            at = e;
            continue;
        }
        if let Some((agency, year)) = split_title(&line) {
            title = Some((line, agency, year, a));
            break;
        }
        // A title set on two lines: the agency above, the year and 年度报告 below.
        if ls > 0 {
            let prev_start = line_start(s, ls - 1);
            let prev: String = slice(s, prev_start, ls).chars().filter(|c| !c.is_whitespace()).collect();
            let joined = format!("{prev}{line}");
            if prev.chars().count() <= 30
                && let Some((agency, year)) = split_title(&joined)
            {
                title = Some((joined, agency, year, a));
                break;
            }
        }
        at = e;
    }
    let (title, agency, year) = match title {
        Some((t, a, y, _)) => (Some(t), a, y),
        None => {
            // The statistics period names the year: `2023年1月1日至2023年12月31日`.
            let period = find(s, "年1月1日至", 0, s.len()).and_then(|(a, _)| {
                let head = slice(s, a.saturating_sub(4), a);
                head.parse::<u16>().ok().filter(|y| (2008..2100).contains(y))
            });
            let year = period.or_else(|| {
                slice(s, 0, p1.max(1))
                    .split(|c: char| !c.is_ascii_digit())
                    .find_map(|p| p.parse::<u16>().ok().filter(|y| (2008..2100).contains(y)))
            });
            cx.warn(
                0,
                "找不到报告标题（机关名称与年度），请补全 meta.agency 和 meta.year".into(),
                "no title with agency and year; fill in meta.agency and meta.year".into(),
            );
            (None, "（机关名称）".to_string(), year.unwrap_or(2008))
        }
    };
    let end = p1.max(1);
    let published = labelled(s, &["发布时间：", "日期：", "发布日期：", "公开日期", "成文日期："], 0, end).and_then(|v| date(&v));
    let source = labelled(s, &["来源：", "发布机构"], 0, end).filter(|v| !v.contains("：") && v.chars().count() <= 40);
    let agency = labelled(s, &["发布机关："], 0, end).unwrap_or(agency);
    let kind = if ["人民政府", "管委会", "管理委员会", "实验区"].iter().any(|k| agency.ends_with(k)) {
        Kind::Government
    } else {
        Kind::Department
    };
    let default_title = format!("{agency}{year}年政府信息公开工作年度报告");
    Meta { agency, year, kind, title: title.filter(|t| *t != default_title), published, source, editor: None }
}

/// `绥中县2023年政府信息公开工作年度报告` → (`绥中县`, 2023); `…2022年度…` too.
fn split_title(line: &str) -> Option<(String, u16)> {
    let i = line.find("政府信息公开")?;
    let head = &line[..i];
    let head = head.strip_suffix("年度").or_else(|| head.strip_suffix('年'))?;
    let digits: String = head.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    let year: u16 = digits.parse().ok().filter(|y| (2008..2100).contains(y))?;
    let agency = head[..head.len() - digits.len()].trim().to_string();
    (!agency.is_empty()).then_some((agency, year))
}

fn count(v: u64) -> Count {
    Count(v.min(crate::model::MAX_COUNT))
}

/// Reads `n` figures from `seg` (indices into the stream), splitting run-together cells
/// with `ok`; `None` (with a diagnostic) when they cannot be recovered with certainty.
fn figures(cx: &mut Ctx, a: usize, b: usize, n: usize, label: &str, ok: &dyn Fn(&[u64]) -> bool) -> Option<Vec<u64>> {
    let mut toks: Vec<Token> = tokens(&cx.s[a.min(b)..b]);
    // Blank lines around a row's figures are layout, not cells.
    while toks.len() > n && toks.last().is_some_and(|t| t.blank) {
        toks.pop();
    }
    while toks.len() > n && toks.first().is_some_and(|t| t.blank) {
        toks.remove(0);
    }
    let ints: Vec<&str> = toks.iter().map(|t| t.text.split('.').next().unwrap_or("0")).collect();
    if toks.len() == n {
        return Some(ints.iter().map(|t| t.parse().unwrap_or(0)).collect());
    }
    if toks.len() > n {
        cx.warn(
            a,
            format!("“{label}”后有 {} 个数字，表格只有 {n} 格：取前 {n} 个", toks.len()),
            format!("“{label}” is followed by {} figures for {n} cells: took the first {n}", toks.len()),
        );
        return Some(ints[..n].iter().map(|t| t.parse().unwrap_or(0)).collect());
    }
    if toks.is_empty() {
        cx.error(Some(a), format!("“{label}”一行没有找到数字"), format!("no figures found for “{label}”"));
        return None;
    }
    let found = splits(&ints, n, ok, 3);
    match found.len() {
        1 => {
            cx.warn(
                a,
                format!("“{label}”的数字连在一起（{}），按表内勾稽关系拆分为 {:?}", ints.join(" "), found[0]),
                format!("figures of “{label}” run together ({}); split by the table's identities into {:?}", ints.join(" "), found[0]),
            );
            found.into_iter().next()
        }
        0 => {
            cx.error(
                Some(a),
                format!("“{label}”的数字连在一起（{}），无法拆分成 {n} 格", ints.join(" ")),
                format!("figures of “{label}” run together ({}) and cannot be split into {n} cells", ints.join(" ")),
            );
            None
        }
        _ => {
            let shown: Vec<String> = found.iter().map(|f| format!("{f:?}")).collect();
            cx.error(
                Some(a),
                format!(
                    "“{label}”的数字连在一起（{}），有多种拆法（{} …），无法确定：请对照原文手工填写",
                    ints.join(" "),
                    shown.join("、")
                ),
                format!(
                    "figures of “{label}” run together ({}) and split in several ways ({} …): fill them in by hand",
                    ints.join(" "),
                    shown.join(", ")
                ),
            );
            None
        }
    }
}

fn table_a(cx: &mut Ctx, from: usize, to: usize, r: &mut Report) {
    let rows: [(&str, &str, usize); 6] = [
        ("规章", "规章", 3),
        ("规范性文件", "行政规范性文件", 3),
        ("行政许可", "行政许可", 1),
        ("行政处罚", "行政处罚", 1),
        ("行政强制", "行政强制", 1),
        ("行政事业性收费", "行政事业性收费", 1),
    ];
    let mut anchors = Vec::new();
    let mut at = from;
    for (key, label, _) in rows {
        // Skip the 规章 inside 行政规范性文件's own label and prose mentions: search after the last anchor.
        match find(&cx.s, key, at, to) {
            Some((a, e)) => {
                anchors.push(Some((a, e)));
                at = e;
            }
            None => {
                cx.error(Some(from), format!("第二部分表格中找不到“{label}”"), format!("“{label}” not found in table A"));
                anchors.push(None);
            }
        }
    }
    for (i, (_, label, n)) in rows.iter().enumerate() {
        let Some((_, e)) = anchors[i] else { continue };
        let end = anchors[i + 1..].iter().flatten().next().map_or(to, |(a, _)| *a);
        if i == 5 {
            let toks = tokens(&cx.s[e..end]);
            match toks.first() {
                Some(t) => r.proactive.fees = t.text.parse::<f64>().unwrap_or(0.0).clamp(0.0, 1.0e12),
                None => cx.error(Some(e), "“行政事业性收费”没有找到金额".into(), "no amount for “行政事业性收费”".into()),
            }
            continue;
        }
        let Some(v) = figures(cx, e, end, *n, label, &|_| true) else { continue };
        match i {
            0 => r.proactive.rules = Documents { issued: count(v[0]), repealed: count(v[1]), in_force: count(v[2]) },
            1 => r.proactive.normative_documents = Documents { issued: count(v[0]), repealed: count(v[1]), in_force: count(v[2]) },
            2 => r.proactive.licensing = count(v[0]),
            3 => r.proactive.punishment = count(v[0]),
            _ => r.proactive.enforcement = count(v[0]),
        }
    }
}

/// Table B's rows: the key searched for, the row's place, the label for messages.
const B_KEYS: [(&str, usize); 25] = [
    ("本年新收", 0),
    ("上年结转", 1),
    ("予以公开", 2),
    ("部分公开", 3),
    ("属于国家秘密", 4),
    ("其他法律行政", 5),
    ("危及", 6),
    ("保护第三方", 7),
    ("三类内部事务", 8),
    ("四类过程性", 9),
    ("行政执法案卷", 10),
    ("行政查询", 11),
    ("不掌握", 12),
    ("另行制作", 13),
    ("仍不明确", 14),
    ("信访举报", 15),
    ("重复申请", 16),
    ("公开出版物", 17),
    ("大量反复", 18),
    ("确认或重", 19),
    ("逾期不补正", 20),
    ("缴纳费用", 21),
    ("3.其他", 22),
    ("总计", 23),
    ("结转下年度", 24),
];

fn row_of(v: &[u64]) -> Row {
    let mut r = Row::from_cells([v[0], v[1], v[2], v[3], v[4], v[5]].map(|x| x.min(crate::model::MAX_COUNT)));
    r.total = Some(count(v[6]));
    r
}

fn b_label(i: usize) -> &'static str {
    use crate::model::labels::*;
    match i {
        0 => RECEIVED.label,
        1 => CARRIED_OVER.label,
        23 => RESULTS_TOTAL.label,
        24 => CARRIED_FORWARD.label,
        i => RESULT_ROWS[i - 2].label,
    }
}

fn table_b(cx: &mut Ctx, from: usize, to: usize, a: &mut Applications) {
    let mut anchors: Vec<Option<(usize, usize)>> = vec![None; 25];
    let mut at = from;
    // The header ends at 本年新收; search the rows after it.
    let single_other = {
        let total =
            find(&cx.s, "（七）", from, to).or_else(|| find(&cx.s, "总计", find(&cx.s, "缴纳费用", from, to).map_or(from, |x| x.1), to));
        let sub = find(&cx.s, "逾期不补正", from, to).or_else(|| find(&cx.s, "缴纳费用", from, to));
        sub.is_none() && total.is_some()
    };
    let mut missing = Vec::new();
    for (key, i) in B_KEYS {
        if single_other && (20..=22).contains(&i) {
            continue;
        }
        let found = find(&cx.s, key, at, to).or_else(|| if i == 22 { find(&cx.s, "其他", at, to) } else { None });
        match found {
            Some((s0, e)) => {
                // Include the label's `3.` numbering (and the words between it and the
                // key, as in `1.属于国家秘密`), so it is not read as a figure.
                let mut start = s0;
                let mut j = s0;
                let mut steps = 0;
                while j > at
                    && steps < 40
                    && !cx.s[j - 1].c.is_ascii_digit()
                    && cx.s[j - 1].c != '.'
                    && !matches!(cx.s[j - 1].c, '\n' | '）' | '·')
                {
                    j -= 1;
                    steps += 1;
                }
                while j > at && text::is_skippable(cx.s[j - 1].c) {
                    j -= 1;
                }
                if i >= 4 && j >= at + 2 && cx.s[j - 1].c == '.' && cx.s[j - 2].c.is_ascii_digit() {
                    start = j - 2;
                }
                anchors[i] = Some((start, e));
                at = e;
            }
            None => missing.push(i),
        }
    }
    // Rows missing up to the end: the page was cut off. One message, not twenty.
    let found_after = |i: usize| anchors[i + 1..].iter().any(Option::is_some);
    let tail = missing.iter().position(|&i| !found_after(i));
    for (k, &i) in missing.iter().enumerate() {
        let l = b_label(i);
        if Some(k) == tail && i < 24 {
            let last = anchors[..i].iter().rposition(Option::is_some).map_or("（表头）", b_label);
            cx.error(
                Some(at.min(to.saturating_sub(1))),
                format!("第三部分表格在“{last}”之后中断，缺少“{l}”及以后各行：报告不完整（被截断？）"),
                format!("table B stops after “{last}”: “{l}” and the rows after it are missing (truncated report?)"),
            );
            break;
        }
        cx.error(Some(at.min(to.saturating_sub(1))), format!("第三部分表格中找不到“{l}”一行"), format!("row “{l}” not found in table B"));
    }
    if single_other {
        // （六）其他处理 printed as one row: its figures sit between 确认或重新 and 总计.
        if let (Some(prev), Some(next)) = (anchors[19], anchors[23])
            && let Some((s0, e)) = find(&cx.s, "其他处理", prev.1, next.0)
        {
            anchors[22] = Some((s0, e));
            cx.warn(
                s0,
                "“（六）其他处理”只有一行、没有三个子项：计入“3.其他”".into(),
                "“（六）其他处理” is a single row without its three sub-rows: taken as “3.其他”".into(),
            );
        }
    }
    let row_ok = |v: &[u64]| v[..6].iter().sum::<u64>() == v[6];
    let mut rows: Vec<Option<Vec<u64>>> = vec![None; 25];
    for i in 0..25 {
        let Some((_, e)) = anchors[i] else { continue };
        let end = anchors[i + 1..].iter().flatten().next().map_or(to, |(s0, _)| *s0);
        rows[i] = figures(cx, e, end, 7, b_label(i), &row_ok);
    }
    let get = |i: usize| rows[i].as_deref().map(row_of);
    if let Some(r) = get(0) {
        a.received = r;
    }
    if let Some(r) = get(1) {
        a.carried_over = r;
    }
    for (k, t) in a.result_rows_mut().into_iter().enumerate() {
        if let Some(r) = get(k + 2) {
            *t = r;
        }
    }
    if let Some(r) = get(23) {
        a.results.total = Some(r);
    }
    if let Some(r) = get(24) {
        a.carried_forward = r;
    }
}

fn table_c(cx: &mut Ctx, from: usize, to: usize) -> crate::model::ReviewsAndLawsuits {
    let ok = |v: &[u64]| v.chunks(5).all(|g| g[..4].iter().sum::<u64>() == g[4]);
    let mut out = crate::model::ReviewsAndLawsuits::default();
    if let Some(v) = figures(cx, from, to, 15, "行政复议、行政诉讼", &ok) {
        let g = |i: usize| Outcomes {
            upheld: count(v[i]),
            corrected: count(v[i + 1]),
            other: count(v[i + 2]),
            pending: count(v[i + 3]),
            total: Some(count(v[i + 4])),
        };
        out.review = g(0);
        out.lawsuit_direct = g(5);
        out.lawsuit_after_review = g(10);
    }
    out
}

/// Lines → Markdown paragraphs. A line that ends a sentence (`。：；！？`) ends a
/// paragraph; other lines are wrapped text (`pdftotext -layout`) and join the next.
/// Page footers are dropped.
fn prose_lines(s: &[Ch], src: &str, from: usize, to: usize) -> String {
    // Prose is taken as written (not normalized): only the figures need normalizing.
    let a = s.get(from).map_or(src.len(), |c| c.at);
    let b = s.get(to).map_or(src.len(), |c| c.at).max(a);
    let text = src.get(a..b).unwrap_or("").replace('\u{a0}', " ");
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let t = line.trim();
        let footer = t.trim_matches(|c| matches!(c, '-' | '—' | '－' | '–' | ' ')).chars().all(|c| c.is_ascii_digit())
            && t.chars().any(|c| c.is_ascii_digit())
            && t.chars().count() <= 9;
        if t.is_empty() || footer {
            if !cur.is_empty() && t.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // A numbered heading (`（一）…`, `一是…` excluded) starts a paragraph of its own.
        let heading = numbered_heading(t).is_some() && !t.contains('。');
        if heading && !cur.is_empty() {
            paras.push(std::mem::take(&mut cur));
        }
        cur.push_str(t);
        if heading || t.ends_with(['。', '：', '；', '！', '？', '”']) || t.chars().count() < 12 {
            paras.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras.join("\n\n")
}

/// `（一）标题…` or `(一)标题…` → the text after the numbering.
fn numbered_heading(p: &str) -> Option<&str> {
    let open = p.strip_prefix('（').or_else(|| p.strip_prefix('('))?;
    let close = open.char_indices().take(4).find(|(_, c)| matches!(c, '）' | ')'))?;
    let numeral = &open[..close.0];
    (!numeral.is_empty() && numeral.chars().all(|c| "一二三四五六七八九十".contains(c)))
        .then(|| open[close.0 + close.1.len_utf8()..].trim())
}

/// Splits a paragraph that runs several numbered sub-sections together
/// (`…工作。 （二）依申请公开方面 …`) before each `（二）`, `（三）`….
fn split_numbered(p: &str) -> Vec<String> {
    const N: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let mut cuts = vec![0];
    for n in &N {
        for pat in [format!("（{n}）"), format!("({n})")] {
            let mut from = 0;
            while let Some(i) = p[from..].find(&pat) {
                let at = from + i;
                let before = p[..at].trim_end();
                if at > 0 && (before.ends_with(['。', '！', '；']) || p[..at].ends_with(' ')) {
                    cuts.push(at);
                }
                from = at + pat.len();
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.push(p.len());
    cuts.windows(2).map(|w| p[w[0]..w[1]].trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Part 一: an introduction, then （一）（二）… sub-sections (title on its line, or up to
/// the first `。`/space when the page runs them together).
fn overview(s: &[Ch], src: &str, from: usize, to: usize, r: &mut Report) {
    let text = prose_lines(s, src, from, to);
    let mut intro = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let paragraphs: Vec<String> = text.split("\n\n").flat_map(split_numbered).collect();
    for para in &paragraphs {
        let p = para.trim();
        if let Some(rest) = numbered_heading(p) {
            let cut = rest.find(['。', ' ']).filter(|&i| i < 90);
            let (title, body) = match cut {
                Some(i) => (rest[..i].trim().to_string(), rest[i..].trim_start_matches(['。', ' ']).trim().to_string()),
                None => (rest.to_string(), String::new()),
            };
            let title = title.trim_end_matches(['。', '：']).to_string();
            if !title.is_empty() {
                sections.push(Section { title, body });
                continue;
            }
        }
        match sections.last_mut() {
            Some(sec) => {
                if !sec.body.is_empty() {
                    sec.body.push_str("\n\n");
                }
                sec.body.push_str(p);
            }
            None if !p.is_empty() => intro.push(p.to_string()),
            None => {}
        }
    }
    r.overview.intro = (!intro.is_empty()).then(|| intro.join("\n\n"));
    r.overview.sections = sections;
}

/// Part 六's text, with `链接：title <url>` lines taken out as links.
fn split_links(text: &str) -> (String, Vec<Link>) {
    let mut body = Vec::new();
    let mut links = Vec::new();
    for p in text.split("\n\n") {
        let t = p.trim().trim_start_matches('•').trim();
        if let Some(rest) = t.strip_prefix("链接：").or_else(|| t.strip_prefix("链接:")) {
            let (title, url) = match rest.rfind(" <") {
                Some(i) if rest.ends_with('>') => (rest[..i].trim().to_string(), Some(rest[i + 2..rest.len() - 1].to_string())),
                _ => (rest.trim().to_string(), None),
            };
            links.push(Link { title, url: url.filter(|u| crate::prose::safe_url(u) && !u.starts_with('#')) });
        } else if !t.is_empty() {
            body.push(p.trim().to_string());
        }
    }
    (body.join("\n\n"), links)
}

/// The rules of `check` run on an imported report, as findings about the published
/// source.
pub fn check_imported(imp: &Imported, previous: Option<&Report>, lang: Lang) -> Vec<Diagnostic> {
    let text = yaml::emit(&imp.report, "report.schema.json", "");
    let checked = crate::check::check_bytes(&imp.source.name, text.as_bytes(), &crate::check::Options { lang });
    let mut out = checked.diagnostics.clone();
    if let Some(prev) = previous {
        out.extend(crate::check::check_previous(&checked, prev, lang));
    }
    // The findings are about the published report: no position in the generated file.
    for d in &mut out {
        d.span = None;
    }
    out
}
