//! `reportgen import`: a published report back into a data file, keeping the figures
//! exactly as printed (totals as stated `total`s), so that `check` shows what the
//! published report got wrong — and never a figure it does not show.
//!
//! The pipeline (DESIGN.md): a reader per input kind turns the bytes into a [`doc::Doc`]
//! (rows of cells, each with its place in the source); one matcher ([`tables`]) maps the
//! official labels onto it; one solver ([`solve`]) splits cells run together by the
//! table's identities, jointly over the whole table. A cell that cannot be determined is
//! unknown ([`Imported::unknown`]), never 0, and every cell keeps the bytes of the source
//! where a person can see it ([`Imported::positions`]).

pub mod doc;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod numbers;
mod parts;
pub mod pdf;
pub mod solve;
pub mod tables;
pub mod text;
pub mod yaml;

use std::ops::Range;

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::Source;
use crate::model::Report;
use crate::model::unknown::Unknown;

use doc::{Block, Cell, Doc, Places};
use parts::{find_heading, heading_end, labelled, meta, meta_end, overview, prose_lines, split_links};
use tables::{Positions, Unread, Why};
use text::{Ch, find, line_end};

/// An imported report and what could not be recovered.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The source as read (its text is the one diagnostics point into).
    pub source: Source,
    /// How positions in the source are named (line:col, PDF page, table row).
    pub places: Places,
    /// The recovered report (unknown cells hold 0: see `unknown`).
    pub report: Report,
    /// The cells that could not be read.
    pub unknown: Unknown,
    /// Per cell (and per row, by its pointer), the bytes of the source that show it.
    pub positions: Positions,
    /// What could not be recovered, and notes on what was done.
    pub diagnostics: Vec<Diagnostic>,
    /// The figures the prose states about the tables, each with its bytes in the source.
    pub claims: Vec<(crate::check::claims::Claim, Range<usize>)>,
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
    places: &'a Places,
    s: Vec<Ch>,
    lang: Lang,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// The bytes of the line holding stream index `i`, from `i` on.
    fn span(&self, i: usize) -> Range<usize> {
        let i = i.min(self.s.len().saturating_sub(1));
        let a = self.s.get(i).map_or(self.src.text.len(), |c| c.at);
        let b = self.s.get(line_end(&self.s, i).saturating_sub(1)).map_or(a, |c| c.at + c.c.len_utf8());
        a..b.max(a)
    }
    fn push(&mut self, d: Diagnostic, span: Option<Range<usize>>) {
        let d = match span {
            Some(span) => {
                let place = place(self.places, &self.src.text, span.start);
                let mut d = d.at(&self.src.name, span);
                d.place = place;
                d
            }
            None => d.in_file(&self.src.name),
        };
        self.diags.push(d);
    }
    fn pick(&self, zh: String, en: String) -> String {
        if self.lang == Lang::Zh { zh } else { en }
    }
    fn warn(&mut self, i: usize, zh: String, en: String) {
        let d = Diagnostic::warning(Code::Import, self.pick(zh, en));
        let span = self.span(i);
        self.push(d, Some(span));
    }
    fn warn_at(&mut self, span: Range<usize>, zh: String, en: String) {
        let d = Diagnostic::warning(Code::Import, self.pick(zh, en));
        self.push(d, Some(span));
    }
    fn note(&mut self, span: Range<usize>, zh: String, en: String) {
        let d = Diagnostic::note(Code::Import, self.pick(zh, en));
        self.push(d, Some(span));
    }
    fn error(&mut self, i: Option<usize>, zh: String, en: String) {
        let d = Diagnostic::error(Code::Import, self.pick(zh, en));
        let span = i.map(|i| self.span(i));
        self.push(d, span);
    }
}

/// How a person finds byte `at` of a read source: the PDF page, or nothing beyond
/// line:col (which the renderer derives).
pub fn place(places: &Places, text: &str, at: usize) -> Option<String> {
    match places {
        Places::LineCol => None,
        Places::Pages(starts) => Some((starts.iter().rposition(|&s| s <= at).unwrap_or(0) + 1).to_string()),
        Places::Labels => {
            let _ = text;
            Some(String::new())
        }
    }
}

/// The reader for these bytes: PDF (by its geometry), a .docx (a zip), HTML, Markdown, or
/// text as it is.
fn read(name: &str, bytes: &[u8], lang: Lang) -> Result<(Doc, Vec<Diagnostic>), Vec<Diagnostic>> {
    if pdf::looks_like_pdf(bytes) {
        return pdf::read(name, bytes, lang).map(|doc| (doc, Vec::new()));
    }
    if docx::is_docx(name, bytes) {
        return Ok((docx::read(name, bytes, lang)?, Vec::new()));
    }
    let (raw, enc_warning) = decode(name, bytes, lang);
    if bytes.iter().take(4096).filter(|b| **b == 0).count() > 8 {
        let m = lang.pick("这是二进制文件，不是报告的网页或文本", "this is a binary file, not a report page or text");
        return Err(vec![Diagnostic::error(Code::Import, m).in_file(name)]);
    }
    let diags: Vec<Diagnostic> = enc_warning.into_iter().collect();
    let doc = if html::looks_like_html(&raw.text) {
        html::read(&raw.text)
    } else if markdown::looks_like_markdown(&raw.text) {
        markdown::read(&raw.text)
    } else {
        let text = raw.text;
        let span = 0..text.len();
        Doc { blocks: vec![Block::Text(Cell { text: text.clone(), span })], text, places: Places::LineCol }
    };
    Ok((doc, diags))
}

/// Imports one published report.
pub fn import_bytes(name: &str, bytes: &[u8], lang: Lang) -> Result<Imported, Vec<Diagnostic>> {
    let (doc, diags) = read(name, bytes, lang)?;
    import_doc(name, doc, diags, lang)
}

/// Imports a read source: the matcher and solver over its rows of cells.
pub fn import_doc(name: &str, doc: Doc, diags: Vec<Diagnostic>, lang: Lang) -> Result<Imported, Vec<Diagnostic>> {
    let source = Source { name: name.into(), text: doc.text.clone() };
    let mut cx = Ctx { src: &source, places: &doc.places, s: text::flatten(&doc), lang, diags };
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

    let (meta, agency_known) = meta(&mut cx, p1.unwrap_or(p2));
    let mut report = Report {
        meta,
        preamble: None,
        overview: Default::default(),
        proactive: Default::default(),
        applications: Default::default(),
        reviews_and_lawsuits: Default::default(),
        problems: String::new(),
        other_matters: String::new(),
        links: Vec::new(),
    };
    // Prose first: its figures are evidence for table A. Parts not found are unknown.
    let mut lost: Vec<&str> = Vec::new();
    let header_end = p1.map_or(0, |p| heading_end(&cx.s, p, "总体情况"));
    if let Some(p1) = p1 {
        let pre = prose_lines(&cx.s, meta_end(&cx.s, p1), p1);
        let default = format!(
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制本报告，报告数据统计期限为{y}年1月1日至{y}年12月31日。",
            y = report.meta.year
        );
        let pre = pre.trim().to_string();
        if !pre.is_empty() && pre.replace(['（', '）'], "") != default.replace(['（', '）'], "") && pre.contains("本报告") {
            report.preamble = Some(pre);
        }
        overview(&cx.s, header_end, p2, &mut report);
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
            report.problems = prose_lines(&cx.s, from, p6.unwrap_or(s_len)).trim().to_string()
        }
        None => {
            cx.warn(b_end, "找不到“五、存在的主要问题及改进情况”".into(), "part 五 not found".into());
            lost.push("/problems");
        }
    }
    match p6 {
        Some(p6) => {
            let mut from = heading_end(&cx.s, p6, "其他需要报告");
            if let Some((_, e)) = find(&cx.s, "的事项", from, (from + 5).min(s_len)) {
                from = e;
            }
            let (body, links) = split_links(&prose_lines(&cx.s, from, s_len));
            report.other_matters = body;
            report.links = links;
        }
        None => {
            cx.warn(s_len.saturating_sub(1), "找不到“六、其他需要报告的事项”".into(), "part 六 not found".into());
            lost.push("/other_matters");
        }
    }
    if let Some(ed) = labelled(&cx.s, &["责任编辑："], 0, s_len) {
        report.meta.editor = Some(ed);
        // The editor line is page furniture, not part 六.
        if let Some(i) = report.other_matters.find("责任编辑") {
            report.other_matters = report.other_matters[..i].trim_end().to_string();
        }
    }

    // The tables. The prose's own figures for table A decide cuts its rows leave open.
    let mut claims = stream_claims(&cx.s, 0, p2);
    if let Some(p5) = p5 {
        claims.extend(stream_claims(&cx.s, p5, s_len));
    }
    let evidence: Vec<tables::Evidence> = claims
        .iter()
        .filter_map(|(c, _)| match c.target {
            crate::check::claims::Target::Documents(..) => Some(tables::Evidence {
                cells: c.target.cells().into_iter().map(|p| (p, 1)).collect(),
                rhs: i128::from(c.value),
                what: format!("正文“{}”", c.quote),
            }),
            _ => None,
        })
        .collect();
    let mut positions = Positions::new();
    let mut unknown = Unknown::none();
    let mut unread = tables::table_a(&mut cx, p2, p3, &evidence, &mut report, &mut positions);
    let mut sums = Vec::new();
    let b = tables::table_b(&mut cx, p3, p4.unwrap_or(b_end), &mut report, &mut positions, &mut sums);
    unread.rows.extend(b.rows);
    match p4 {
        Some(p4) => unread.rows.extend(tables::table_c(&mut cx, p4, p5.unwrap_or(s_len), &mut report, &mut positions).rows),
        None => {
            cx.error(Some(b_end), "找不到第四部分（行政复议、行政诉讼）表格".into(), "table C (行政复议、行政诉讼) not found".into());
            unread.rows.push(("行政复议、行政诉讼".into(), crate::model::unknown::c_cells(), cx.span(b_end), Why::NoLabel));
        }
    }
    unknown.sums = sums;
    for p in lost {
        unknown.insert(p);
    }
    // Where each table stands, for findings about a table as a whole.
    positions.insert("/proactive".into(), cx.span(p2));
    positions.insert("/applications".into(), cx.span(p3));
    if let Some(p4) = p4 {
        positions.insert("/reviews_and_lawsuits".into(), cx.span(p4));
    }
    if !agency_known {
        unknown.insert("/meta/agency");
    }
    report_unread(&mut cx, &unread, &mut unknown);
    let diagnostics = std::mem::take(&mut cx.diags);
    Ok(Imported { source: source.clone(), places: doc.places.clone(), report, unknown, positions, diagnostics, claims })
}

/// The prose claims of stream indices `from..to`, at their bytes in the source.
fn stream_claims(s: &[Ch], from: usize, to: usize) -> Vec<(crate::check::claims::Claim, Range<usize>)> {
    let mut text = String::new();
    let mut at: Vec<usize> = Vec::new();
    for ch in &s[from.min(s.len())..to.min(s.len())] {
        if ch.o == '\0' {
            continue;
        }
        let c = if ch.c == '\n' { '\n' } else { ch.o };
        for _ in 0..c.len_utf8() {
            at.push(ch.at);
        }
        text.push(c);
    }
    crate::check::claims::claims(&text)
        .into_iter()
        .map(|c| {
            let a = at.get(c.span.start).copied().unwrap_or(0);
            let b = c.span.end.checked_sub(1).and_then(|e| at.get(e)).map_or(a, |&b| b + 1);
            let span = a..b.max(a);
            (c, span)
        })
        .collect()
}

/// The unknown cells into the set, and one warning per row for a person to look at.
fn report_unread(cx: &mut Ctx, unread: &Unread, unknown: &mut Unknown) {
    // Consecutive rows of table B not found (a table cut off) are one message.
    let mut rows: Vec<(String, Vec<String>, Range<usize>, Why)> = Vec::new();
    let mut run: Option<(String, String, usize)> = None;
    for (label, cells, span, why) in &unread.rows {
        let b_row = *why == Why::NoLabel && cells.first().is_some_and(|c| c.starts_with("/applications"));
        if b_row && let (Some((_, last, n)), Some(prev)) = (run.as_mut(), rows.last_mut()) {
            *last = label.clone();
            *n += 1;
            prev.1.extend(cells.iter().cloned());
            continue;
        }
        if let Some((first, last, n)) = run.take().filter(|r| r.2 > 1)
            && let Some(prev) = rows.last_mut()
        {
            prev.0 = format!("{first}”至“{last}（{n} 行）");
        }
        run = b_row.then(|| (label.clone(), label.clone(), 1));
        rows.push((label.clone(), cells.clone(), span.clone(), *why));
    }
    if let Some((first, last, n)) = run.filter(|r| r.2 > 1)
        && let Some(prev) = rows.last_mut()
    {
        prev.0 = format!("{first}”至“{last}（{n} 行）");
    }
    for (label, cells, span, why) in &rows {
        for c in cells {
            unknown.insert(c.clone());
        }
        let names: Vec<String> = cells.iter().map(|c| cell_name(c)).collect();
        let n = names.len();
        let (zh, en) = match why {
            Why::NoLabel => (format!("“{label}”一行没有找到，{n} 格未读出"), format!("row “{label}” not found: {n} cell(s) unread")),
            Why::NoFigures => (format!("“{label}”一行没有数字，{n} 格未读出"), format!("no figures for “{label}”: {n} cell(s) unread")),
            Why::WrongCount => (
                format!("“{label}”一行的数字个数与表格不符，{n} 格未读出：请对照原文填写"),
                format!("the figures of “{label}” do not fit its cells: {n} cell(s) unread; fill them in from the source"),
            ),
            Why::Ambiguous => (
                format!("“{label}”一行的数字连在一起，有不止一种拆法，未能确定：{}", names.join("、")),
                format!("the figures of “{label}” run together and split in more than one way; not determined: {}", names.join(", ")),
            ),
            Why::OutOfOrder => (
                format!(
                    "“{label}”一行：表格的数字与行名次序错乱，这一行读到的数字不合勾稽关系，可能不是这一行的：{} 未能确定，请对照原文填写",
                    names.join("、")
                ),
                format!(
                    "“{label}”: the table's figures are out of order with its labels and the ones found for this row do not add up, so they may belong elsewhere; not determined: {}; fill them in from the source",
                    names.join(", ")
                ),
            ),
            Why::SingleRow => (
                "“（六）其他处理”只印了一行，没有分 1、2、3 三个子项：子项未知，它们的和按所印一行计".into(),
                "“（六）其他处理” is printed as one row without its three sub-rows: the sub-rows are unknown, their sum is the printed row"
                    .into(),
            ),
        };
        if *why == Why::SingleRow {
            cx.note(span.clone(), zh, en);
        } else {
            cx.warn_at(span.clone(), zh, en);
        }
    }
}

/// A cell named for a person: `自然人` for a column of table B, `本年制发件数`…
pub fn cell_name(pointer: &str) -> String {
    let last = pointer.rsplit('/').next().unwrap_or("");
    if let Some(c) = crate::model::labels::APPLICANTS.iter().find(|c| c.key == last) {
        return c.label.to_string();
    }
    match last {
        "total" => "总计",
        "issued" => "本年制发件数",
        "repealed" => "本年废止件数",
        "in_force" => "现行有效件数",
        "upheld" => "结果维持",
        "corrected" => "结果纠正",
        "other" => "其他结果",
        "pending" => "尚未审结",
        "licensing" => "行政许可",
        "punishment" => "行政处罚",
        "enforcement" => "行政强制",
        "fees" => "行政事业性收费",
        k => k,
    }
    .to_string()
}

/// Positions of an imported report's cells in its source.
struct ImportLocate<'a>(&'a Imported);

impl crate::check::rules::Locate for ImportLocate<'_> {
    fn file(&self) -> &str {
        &self.0.source.name
    }
    fn span(&self, pointer: &str) -> Range<usize> {
        // The cell, else its row, else its table.
        let mut p = pointer;
        loop {
            if let Some(s) = self.0.positions.get(p) {
                return s.clone();
            }
            match p.rsplit_once('/') {
                Some((parent, _)) if !parent.is_empty() => p = parent,
                _ => return 0..0,
            }
        }
    }
    fn has(&self, pointer: &str) -> bool {
        self.0.positions.contains_key(pointer)
    }
    fn place(&self, span: &Range<usize>) -> Option<String> {
        place(&self.0.places, &self.0.source.text, span.start)
    }
}

/// The rules of `check` run on an imported report, as findings about the published
/// source: each points at the place of the published text where its cell stands, and
/// no rule reads a cell that was not read.
pub fn check_imported(imp: &Imported, previous: Option<crate::check::Previous>, lang: Lang) -> Vec<Diagnostic> {
    use crate::check::rules;
    let loc = ImportLocate(imp);
    let ctx = rules::Ctx { loc: &loc, unknown: &imp.unknown, lang };
    let mut out = rules::run(&ctx, &imp.report);
    out.extend(rules::prose_figure(&ctx, &imp.report, &imp.claims));
    if let Some(prev) = previous {
        out.extend(rules::run_previous(&ctx, &imp.report, prev.report, prev.unknown));
    }
    out
}
