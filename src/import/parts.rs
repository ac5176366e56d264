//! Where the six parts stand, and what is not a table: the title and meta lines, the
//! preamble, and the prose of parts 一, 五 and 六.

use super::Ctx;
use super::text::{self, Ch, find, line_end, line_start, slice};
use crate::model::{Kind, Link, Meta, Report, Section};

/// A part heading: `二、主动公开…` (the numeral optional), at the start of a line when
/// possible. Returns where the heading starts (its numeral) and where its title ends.
pub(super) fn find_heading_span(s: &[Ch], numeral: &str, title: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let mut at = from;
    let mut fallback = None;
    while let Some((a, e)) = find(s, title, at, to) {
        // `五、存在的主要问题`, or a few words between (`五、政府信息公开存在的主要问题`).
        let mut j = a;
        let mut gap = 0;
        while j > from && gap <= 8 {
            while j > from && text::is_skippable(s[j - 1].c) {
                j -= 1;
            }
            if j >= 2 && matches!(s[j - 1].c, '、' | '.' | '．') && slice(s, j - 2, j - 1) == numeral {
                return Some((j - 2, e));
            }
            if j == from || matches!(s[j - 1].c, '。' | '\n' | '、' | '）' | '；') {
                break;
            }
            j -= 1;
            gap += 1;
        }
        let ls = line_start(s, a);
        if fallback.is_none() && slice(s, ls, a).trim().is_empty() {
            fallback = Some((a, e));
        }
        at = a + 1;
    }
    fallback
}

pub(super) fn find_heading(s: &[Ch], numeral: &str, title: &str, from: usize, to: usize) -> Option<usize> {
    titles(title).iter().filter_map(|t| find_heading_span(s, numeral, t, from, to)).min_by_key(|x| x.0).map(|(a, _)| a)
}

/// A part's title and the variants some reports use instead of it.
fn titles(title: &str) -> Vec<&str> {
    let mut v = vec![title];
    if title == "其他需要报告" {
        v.extend(["需要说明的其他事项", "其他需要说明的事项"]);
    }
    v
}

/// Where a part's text begins: after the heading's title, and after the rest of the
/// heading's line when that is only the title's tail (`…及整改措施`).
pub(super) fn heading_end(s: &[Ch], at: usize, title: &str) -> usize {
    let near = (at + 40).min(s.len());
    let e = titles(title).iter().find_map(|t| find(s, t, at, near)).map_or(at, |(_, e)| e);
    let le = line_end(s, e);
    let rest = slice(s, e, le);
    if rest.trim().chars().count() <= 12 && !rest.contains('。') { le } else { e }
}

/// Where the page furniture before the preamble ends (after the title and meta lines).
pub(super) fn meta_end(s: &[Ch], p1: usize) -> usize {
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
pub(super) fn labelled(s: &[Ch], keys: &[&str], from: usize, to: usize) -> Option<String> {
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
pub(super) fn date(v: &str) -> Option<String> {
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

/// The placeholder of an agency no title or label names (the cell is unknown).
pub const NO_AGENCY: &str = "（机关名称未能读出）";

/// The meta lines before part 一: title (agency and year), date, source. The agency comes
/// from the title, else from a `发布机构`/`发布机关` label; a bare place name in the title
/// (`绥中县2023年…`) is that place's people's government. `None` for the agency when
/// nothing names it.
pub(super) fn meta(cx: &mut Ctx, p1: usize) -> (Meta, bool) {
    let s = cx.s.clone();
    let s = &s[..];
    let end = p1.max(1);
    let mut title: Option<(String, String, u16)> = None;
    let mut at = 0;
    'search: while at < end {
        let Some((a, e)) = ["年度报告", "工作报告", "年报"].iter().filter_map(|k| find(s, k, at, end)).min_by_key(|x| x.0) else {
            break;
        };
        at = e;
        let ls = line_start(s, a);
        let line = clean_title(&slice(s, ls, line_end(s, e)));
        // A crawler's header line (`source: …`, `url: …`) is not the title.
        let crawl = line.split(['：', ':']).next().is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()));
        if crawl || !line.contains("政府信息公开") {
            continue;
        }
        if let Some((agency, year)) = split_title(&line) {
            title = Some((line, agency, year));
            break;
        }
        // A title set on two lines: the agency above, the year and 年度报告 below.
        let mut prev_end = ls;
        for _ in 0..3 {
            if prev_end == 0 {
                break;
            }
            let prev_start = line_start(s, prev_end - 1);
            let prev = clean_title(&slice(s, prev_start, prev_end));
            prev_end = prev_start;
            if prev.is_empty() {
                continue;
            }
            let joined = format!("{prev}{line}");
            if prev.chars().count() <= 30
                && let Some((agency, year)) = split_title(&joined)
            {
                title = Some((joined, agency, year));
                break 'search;
            }
            break;
        }
    }
    let published = labelled(s, &["发布时间：", "日期：", "发布日期：", "公开日期", "成文日期："], 0, end).and_then(|v| date(&v));
    let source = labelled(s, &["来源：", "发布机构"], 0, end).filter(|v| !v.contains("：") && v.chars().count() <= 40);
    let label = labelled(s, &["发布机关：", "发布机构："], 0, end).filter(|v| v.chars().count() <= 40 && !v.contains('：'));
    let (title, agency, year) = match title {
        Some((t, a, y)) => (Some(t), Some(a), y),
        None => {
            // The statistics period names the year: `2023年1月1日至2023年12月31日`.
            let period = ["年1月1日", "年12月31日"].iter().find_map(|k| {
                find(s, k, 0, s.len()).and_then(|(a, _)| {
                    let head: String = slice(s, a.saturating_sub(6), a).chars().filter(|c| c.is_ascii_digit()).collect();
                    let head = &head[head.len().saturating_sub(4)..];
                    head.parse::<u16>().ok().filter(|y| (2008..2100).contains(y))
                })
            });
            let year = period.or_else(|| {
                slice(s, 0, end)
                    .split(|c: char| !c.is_ascii_digit())
                    .find_map(|p| p.parse::<u16>().ok().filter(|y| (2008..2100).contains(y)))
            });
            (None, label.clone(), year.unwrap_or(2008))
        }
    };
    let agency = agency.map(|a| government(&a));
    if agency.is_none() {
        cx.warn(
            0,
            "找不到报告标题或发布机构，机关名称未能读出：请补全 meta.agency".into(),
            "no title or publisher names the agency: fill in meta.agency".into(),
        );
    }
    let known = agency.is_some();
    let agency = agency.unwrap_or_else(|| NO_AGENCY.to_string());
    let kind = if ["人民政府", "管委会", "管理委员会", "实验区", "新区", "开发区"].iter().any(|k| agency.ends_with(k)) {
        Kind::Government
    } else {
        Kind::Department
    };
    let default_title = format!("{agency}{year}年政府信息公开工作年度报告");
    (Meta { agency, year, kind, title: title.filter(|t| *t != default_title), published, source, editor: None }, known)
}

/// A title line without spaces, Markdown marks and label words.
fn clean_title(line: &str) -> String {
    let t: String = line.chars().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*' | '|' | '¦' | '_' | '>')).collect();
    t.trim_start_matches("标题：").trim_start_matches("标题:").trim_start_matches("名称").trim_end_matches(['。', '.']).to_string()
}

/// A bare place name (`绥中县`) as the subject of a report is its people's government.
fn government(agency: &str) -> String {
    let areas = ["实验区", "开发区", "新区", "片区", "园区", "示范区", "高新区", "保税区", "合作区", "管理区"];
    let place = ["省", "市", "县", "区", "旗", "自治州", "州", "盟", "镇", "乡"].iter().any(|k| agency.ends_with(k));
    if place && !areas.iter().any(|k| agency.ends_with(k)) && !agency.contains("局") && agency.chars().count() <= 12 {
        format!("{agency}人民政府")
    } else {
        agency.to_string()
    }
}

/// `绥中县2023年政府信息公开工作年度报告` → (`绥中县`, 2023); `…2022年度…` too, and a
/// sentence that names it (`现公布区统计局2023年…`) gives the name after its verb.
pub(super) fn split_title(line: &str) -> Option<(String, u16)> {
    line.match_indices("政府信息公开").find_map(|(i, _)| split_at(line, i))
}

fn split_at(line: &str, i: usize) -> Option<(String, u16)> {
    let head = &line[..i];
    let head = head.strip_suffix("年度").or_else(|| head.strip_suffix('年'))?;
    let digits: String = head.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    let year: u16 = digits.parse().ok().filter(|y| (2008..2100).contains(y))?;
    let mut agency = head[..head.len() - digits.len()].trim();
    for cut in ["公布", "现将", "发布", "，", ",", "。", "》", "：", ":", "《"] {
        if let Some(i) = agency.rfind(cut) {
            agency = &agency[i + cut.len()..];
        }
    }
    let agency = agency.trim_start_matches(['“', '"', '《']).trim();
    (!agency.is_empty() && agency.chars().count() <= 40).then(|| (agency.to_string(), year))
}

/// Lines → Markdown paragraphs. A line that ends a sentence (`。：；！？`) ends a
/// paragraph; other lines are wrapped text (`pdftotext -layout`) and join the next.
/// Page footers are dropped.
pub(super) fn prose_lines(s: &[Ch], from: usize, to: usize) -> String {
    // Prose is taken as written (not normalized): only the figures need normalizing.
    let text: String = s[from.min(s.len())..to.min(s.len())]
        .iter()
        .filter(|c| c.o != '\0')
        .map(|c| {
            if c.o == '\u{a0}' {
                ' '
            } else if c.c == '\n' {
                '\n'
            } else {
                c.o
            }
        })
        .collect();
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
pub(super) fn numbered_heading(p: &str) -> Option<&str> {
    let open = p.strip_prefix('（').or_else(|| p.strip_prefix('('))?;
    let close = open.char_indices().take(4).find(|(_, c)| matches!(c, '）' | ')'))?;
    let numeral = &open[..close.0];
    (!numeral.is_empty() && numeral.chars().all(|c| "一二三四五六七八九十".contains(c)))
        .then(|| open[close.0 + close.1.len_utf8()..].trim())
}

/// Splits a paragraph that runs several numbered sub-sections together
/// (`…工作。 （二）依申请公开方面 …`) before each `（二）`, `（三）`….
pub(super) fn split_numbered(p: &str) -> Vec<String> {
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
pub(super) fn overview(s: &[Ch], from: usize, to: usize, r: &mut Report) {
    let text = prose_lines(s, from, to);
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
pub(super) fn split_links(text: &str) -> (String, Vec<Link>) {
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
