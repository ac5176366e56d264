//! The matcher: the official labels of the three tables mapped onto the read source, and
//! each table's figures solved whole.
//!
//! For every row the matcher finds its label (by a distinctive part, in the official
//! order) and gathers the digit fragments that belong to it:
//! - *anchored*: the figures that follow the label, up to the next label (page text,
//!   `pdftotext`, HTML and .docx rows, crawler text with cells run together);
//! - *in order*: when figures stand apart from their labels (a PDF→Markdown converter
//!   puts a row's figures on the line before its label), the table's figure cells are
//!   dealt out to the rows in order, and accepted only if their count is exactly the
//!   table's and every label stands between its neighbours' figures.
//!
//! The fragments of every row then go to the joint solver (`super::solve`) with the
//! table's identities; a cell is known only when the whole system admits one value.

use std::ops::Range;

use super::Ctx;
use super::numbers::{Frag, frags, is_han};
use super::solve::{Cut, Equation, cuts, solve};
use super::text::{Ch, find, is_skippable};
use crate::model::labels::{APPLICANTS, CARRIED_FORWARD, CARRIED_OVER, RECEIVED, RESULT_ROWS, RESULTS_TOTAL};
use crate::model::unknown::{a_cells, b_cell, c_cells};
use crate::model::{Count, Report, Row};

/// A fact from outside the table that can decide a cut of table A: a figure the report's
/// own prose states, or last year's 现行有效 with A-in-force.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The equation (cells of table A as slot/index pairs are filled in by the matcher).
    pub cells: Vec<(String, i64)>,
    /// Σ coef × cell = rhs.
    pub rhs: i128,
    /// What it is, for the message (`正文“…制发规范性文件88件”`).
    pub what: String,
}

/// Where a table's cells were read: per pointer, the bytes of the source that show it.
pub type Positions = std::collections::BTreeMap<String, Range<usize>>;

/// Table B's rows: the key searched for, in printed order (see [`b_pointer_row`]).
const B_KEYS: [&str; 25] = [
    "本年新收",
    "上年结转",
    "予以公开",
    "部分公开",
    "属于国家秘密",
    "其他法律行政",
    "危及",
    "保护第三方",
    "三类内部事务",
    "四类过程性",
    "行政执法案卷",
    "行政查询",
    "不掌握",
    "另行制作",
    "仍不明确",
    "信访举报",
    "重复申请",
    "公开出版物",
    "大量反复",
    "确认或重",
    "逾期不补正",
    "缴纳费用",
    "3.其他",
    "总计",
    "结转下年度",
];

/// The row path (`/received`, …) of table B's printed row `i`.
pub fn b_pointer_row(i: usize) -> &'static str {
    match i {
        0 => RECEIVED.path,
        1 => CARRIED_OVER.path,
        23 => RESULTS_TOTAL.path,
        24 => CARRIED_FORWARD.path,
        i => RESULT_ROWS[i - 2].path,
    }
}

/// The label of table B's printed row `i`.
pub fn b_label(i: usize) -> &'static str {
    match i {
        0 => RECEIVED.label,
        1 => CARRIED_OVER.label,
        23 => RESULTS_TOTAL.label,
        24 => CARRIED_FORWARD.label,
        i => RESULT_ROWS[i - 2].label,
    }
}

/// One row (or several rows whose labels were lost) and the fragments that belong to it.
#[derive(Debug, Clone)]
struct Group {
    /// Printed row indices, in order.
    rows: Vec<usize>,
    /// The fragments.
    frags: Vec<Frag>,
    /// Stream indices of the first row's label (for positions).
    label: (usize, usize),
}

/// A slot of the solver: a group, the pointers of its cells, and its candidate cuts.
struct Slot {
    group: Group,
    ptrs: Vec<String>,
    cands: Vec<Cut>,
    /// Whether there were too many cuts to list (the row is unknown).
    overflow: bool,
}

impl Ctx<'_> {
    /// Source bytes of stream indices `a..b`.
    fn bytes(&self, a: usize, b: usize) -> Range<usize> {
        let start = self.s.get(a).map_or(self.src.text.len(), |c| c.at);
        let end = b.checked_sub(1).and_then(|i| self.s.get(i)).map_or(start, |c| c.at + c.o.len_utf8().max(1));
        start..end.max(start)
    }
}

/// Where a label's numbering (`1.` of `1.属于国家秘密`) starts, so that it is not read
/// as a figure of the row before.
fn label_start(s: &[Ch], at: usize, key_start: usize) -> usize {
    let mut j = key_start;
    let mut steps = 0;
    while j > at && steps < 40 && !s[j - 1].c.is_ascii_digit() && s[j - 1].c != '.' && !matches!(s[j - 1].c, '\n' | '）' | '·' | '¦') {
        j -= 1;
        steps += 1;
    }
    while j > at && is_skippable(s[j - 1].c) {
        j -= 1;
    }
    if j >= at + 2 && s[j - 1].c == '.' && s[j - 2].c.is_ascii_digit() { j - 2 } else { key_start }
}

/// The fragments of a row's segment: the figures after its label, up to the first text
/// that follows a figure (the next row's group label, a page's prose).
fn row_frags(s: &[Ch], a: usize, b: usize, blank_lines: bool) -> Vec<Frag> {
    let seg = &s[a.min(b)..b];
    let all = frags(seg, blank_lines);
    let Some(first) = all.iter().find(|f| f.digits.is_some()) else { return all };
    // Cut at the first run of two CJK characters after the first figure (outside notes).
    let first_at = first.span().start;
    let mut depth = 0i32;
    let mut run = 0;
    let mut cut = None;
    for ch in seg {
        match ch.c {
            '（' | '【' => depth += 1,
            '）' | '】' => depth = (depth - 1).max(0),
            '\n' => depth = 0,
            _ => {}
        }
        if ch.at <= first_at || depth > 0 {
            continue;
        }
        if is_han(ch.c) {
            run += 1;
            if run >= 2 {
                cut = Some(ch.at);
                break;
            }
        } else if !matches!(ch.c, ' ' | '¦') {
            run = 0;
        }
    }
    match cut {
        Some(c) => all.into_iter().filter(|f| f.span().start < c).collect(),
        None => all,
    }
}

/// Whether a fragment list can make `n` cells.
fn feasible(frags: &[Frag], n: usize) -> bool {
    let min = frags.len();
    let max: usize = frags.iter().map(|f| f.digits.as_ref().map_or(1, String::len)).sum();
    min <= n && n <= max
}

/// Drops blank cells at the ends while there are more fragments than cells (blank lines
/// around a row's figures are layout).
fn trim_blanks(mut fr: Vec<Frag>, n: usize) -> Vec<Frag> {
    while fr.len() > n && fr.last().is_some_and(|f| f.digits.is_none()) {
        fr.pop();
    }
    while fr.len() > n && fr.first().is_some_and(|f| f.digits.is_none()) {
        fr.remove(0);
    }
    if fr.len() > n && fr.iter().any(|f| f.digits.is_none()) && fr.iter().filter(|f| f.digits.is_some()).count() <= n {
        // Blank lines inside a row of a text whose blank cells are not lines.
        let digits: Vec<Frag> = fr.iter().filter(|f| f.digits.is_some()).cloned().collect();
        if digits.len() == n {
            return digits;
        }
    }
    fr
}

/// The figure cells of a stretch of the stream: text between cell borders (`¦`) and
/// line ends that holds nothing but figures. Header cells (`数据1`, `自然人`) are never
/// figure cells.
fn figure_cells(s: &[Ch], a: usize, b: usize) -> Vec<Frag> {
    let mut out = Vec::new();
    let mut start = a;
    for i in a..=b.min(s.len()) {
        let end = i == b.min(s.len()) || matches!(s[i].c, '¦' | '\n');
        if !end {
            continue;
        }
        let cell = &s[start..i];
        let pure = cell.iter().all(|c| c.c.is_ascii_digit() || matches!(c.c, ' ' | '∅'));
        if pure && cell.iter().any(|c| c.c.is_ascii_digit()) {
            out.extend(frags(cell, false));
        }
        start = i + 1;
    }
    out
}

/// Reads table A (part 二) into `r`, with `evidence` to decide cuts of 规章/规范性文件.
pub(super) fn table_a(cx: &mut Ctx, from: usize, to: usize, evidence: &[Evidence], r: &mut Report, pos: &mut Positions) -> Unread {
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
    for (key, _, _) in rows {
        let found = find(&cx.s, key, at, to);
        if let Some((_, e)) = found {
            at = e;
        }
        anchors.push(found);
    }
    let pointers = a_cells();
    let mut unread = Unread::default();
    let mut slots: Vec<Slot> = Vec::new();
    let mut ptr_at = 0;
    for (i, (_, label, n)) in rows.iter().enumerate() {
        let ptrs: Vec<String> = pointers[ptr_at..ptr_at + n].to_vec();
        ptr_at += n;
        let Some((a, e)) = anchors[i] else {
            let span = cx.bytes(from, from + 1);
            unread.rows.push((label.to_string(), ptrs.clone(), span, Why::NoLabel));
            continue;
        };
        let end = anchors[i + 1..].iter().flatten().next().map_or(to, |(s0, _)| *s0);
        let fr = row_frags(&cx.s, e, end, true);
        let fr = trim_blanks(fr, *n);
        pos.insert(ptrs[0].rsplit_once('/').map_or(ptrs[0].clone(), |(p, _)| p.to_string()), cx.bytes(a, e));
        if i == 5 {
            // An amount: one figure, decimals allowed, never cut.
            match fr.first() {
                Some(f) if f.digits.is_some() => {
                    r.proactive.fees = f.shown().parse::<f64>().unwrap_or(0.0).clamp(0.0, 1.0e12);
                    pos.insert(ptrs[0].clone(), f.span());
                }
                Some(f) => {
                    r.proactive.fees = 0.0;
                    pos.insert(ptrs[0].clone(), f.span());
                }
                None => unread.rows.push((label.to_string(), ptrs.clone(), cx.bytes(a, e), Why::NoFigures)),
            }
            continue;
        }
        let group = Group { rows: vec![i], frags: fr, label: (a, e) };
        slots.push(make_slot(group, *n, ptrs));
    }
    // Evidence equations over the slots.
    let mut eqs = Vec::new();
    for ev in evidence {
        let terms: Option<Vec<(usize, usize, i64)>> = ev
            .cells
            .iter()
            .map(|(p, k)| slots.iter().enumerate().find_map(|(s, slot)| slot.ptrs.iter().position(|x| x == p).map(|i| (s, i, *k))))
            .collect();
        if let Some(terms) = terms {
            eqs.push(Equation { terms, rhs: ev.rhs, name: ev.what.clone() });
        }
    }
    let used = solve_slots(cx, &slots, &eqs, r, pos, &mut unread, "表二");
    // Say which evidence decided a cut.
    for (s, slot) in slots.iter().enumerate() {
        if slot.cands.len() > 1 && used.get(s).is_some_and(|u| u.len() == 1) {
            let what: Vec<&str> = eqs.iter().filter(|e| e.terms.iter().any(|t| t.0 == s)).map(|e| e.name.as_str()).collect();
            if !what.is_empty() {
                let label = rows[slot.group.rows[0]].1;
                let printed: Vec<String> = slot.group.frags.iter().map(Frag::shown).collect();
                let (zh, en) = (
                    format!("表二“{label}”的数字连在一起（{}），表内没有勾稽关系，按{}拆分", printed.join(" "), what.join("、")),
                    format!("table A “{label}”: figures run together ({}), split by {}", printed.join(" "), what.join(", ")),
                );
                let span = cx.bytes(slot.group.label.0, slot.group.label.1);
                cx.note(span, zh, en);
            }
        }
    }
    unread
}

fn make_slot(group: Group, n: usize, ptrs: Vec<String>) -> Slot {
    let views: Vec<Option<&str>> = group.frags.iter().map(|f| f.digits.as_deref()).collect();
    match cuts(&views, n, 20_000) {
        Some(c) => Slot { group, ptrs, cands: c, overflow: false },
        None => Slot { group, ptrs, cands: Vec::new(), overflow: true },
    }
}

/// Why a row's cells are unknown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Why {
    /// Its label was not found.
    NoLabel,
    /// No figure after its label.
    NoFigures,
    /// Its figures cannot make its cells (too many or too few).
    WrongCount,
    /// Several cuts remain.
    Ambiguous,
    /// （六）其他处理 printed as one row: its three sub-rows are not in the report.
    SingleRow,
    /// The table's figures are out of order and this row's do not add up: they may not
    /// be its own.
    OutOfOrder,
}

/// The rows whose cells (some or all) are unknown, for the messages.
#[derive(Debug, Default)]
pub(super) struct Unread {
    /// (label, the unknown cells, the source bytes to look at, why).
    pub rows: Vec<(String, Vec<String>, Range<usize>, Why)>,
}

/// Runs the solver over the slots, writes known cells into the
/// report, and collects the unknown ones. Returns, per slot, the candidates used.
fn solve_slots(
    cx: &mut Ctx,
    slots: &[Slot],
    eqs: &[Equation],
    r: &mut Report,
    pos: &mut Positions,
    unread: &mut Unread,
    table: &str,
) -> Vec<Vec<usize>> {
    let cands: Vec<Vec<Vec<u64>>> = slots.iter().map(|s| s.cands.iter().map(|c| c.values.clone()).collect()).collect();
    let sol = solve(&cands, eqs);
    for (s, slot) in slots.iter().enumerate() {
        let ptrs = &slot.ptrs;
        let label_span = cx.bytes(slot.group.label.0, slot.group.label.1);
        let row_span = slot.group.frags.iter().map(Frag::span).reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
        let label = row_label(table, slot.group.rows[0]);
        let Some(cells) = &sol.cells[s] else {
            let why = if slot.overflow || !slot.group.frags.is_empty() { Why::WrongCount } else { Why::NoFigures };
            let why = if slot.overflow { Why::Ambiguous } else { why };
            unread.rows.push((label, ptrs.clone(), row_span.unwrap_or(label_span), why));
            continue;
        };
        let mut missing = Vec::new();
        for (i, (p, v)) in ptrs.iter().zip(cells).enumerate() {
            match v {
                Some(v) => {
                    set(r, p, *v);
                    let c = &slot.cands[sol.used[s][0]];
                    let (f, range) = &c.from[i];
                    pos.insert(p.clone(), slot.group.frags[*f].sub_span(range));
                }
                None => {
                    missing.push(p.clone());
                    pos.insert(p.clone(), row_span.clone().unwrap_or(label_span.clone()));
                }
            }
        }
        if !missing.is_empty() {
            unread.rows.push((label, missing, row_span.unwrap_or(label_span), Why::Ambiguous));
        }
    }
    // Rows whose run-together figures had more than one cut but one solution of the whole
    // table: one note per table (table A's cuts by evidence have their own note).
    let split: Vec<usize> = (0..slots.len())
        .filter(|&s| slots[s].cands.len() > 1 && sol.cells[s].as_ref().is_some_and(|c| c.iter().all(Option::is_some)))
        .collect();
    if table != "表二"
        && let Some(&first) = split.first()
    {
        let names: Vec<String> = split.iter().take(3).map(|&s| row_label(table, slots[s].group.rows[0])).collect();
        let more = if split.len() > 3 { "…" } else { "" };
        let g = &slots[first].group;
        cx.note(
            cx.bytes(g.label.0, g.label.1),
            format!("{table}有 {} 行的数字连在一起（“{}”{more}），按表内勾稽关系只有一种拆法，已据此拆分", split.len(), names.join("”、“")),
            format!(
                "{}: the figures of {} row(s) run together (“{}”{more}); the table's identities leave one split, which was taken",
                if table == "表三" { "table B" } else { "table C" },
                split.len(),
                names.join("”, “")
            ),
        );
    }
    sol.used
}

fn row_label(table: &str, i: usize) -> String {
    match table {
        "表三" => b_label(i).to_string(),
        "表二" => ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"][i].to_string(),
        _ => "行政复议、行政诉讼".to_string(),
    }
}

/// Sets the cell `pointer` of the report to `v`.
pub fn set(r: &mut Report, pointer: &str, v: u64) {
    let c = Count(v.min(crate::model::MAX_COUNT));
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["proactive", doc, k] => {
            let d = if *doc == "rules" { &mut r.proactive.rules } else { &mut r.proactive.normative_documents };
            match *k {
                "issued" => d.issued = c,
                "repealed" => d.repealed = c,
                _ => d.in_force = c,
            }
        }
        ["proactive", "licensing"] => r.proactive.licensing = c,
        ["proactive", "punishment"] => r.proactive.punishment = c,
        ["proactive", "enforcement"] => r.proactive.enforcement = c,
        ["reviews_and_lawsuits", g, k] => {
            let o = match *g {
                "review" => &mut r.reviews_and_lawsuits.review,
                "lawsuit_direct" => &mut r.reviews_and_lawsuits.lawsuit_direct,
                _ => &mut r.reviews_and_lawsuits.lawsuit_after_review,
            };
            match *k {
                "upheld" => o.upheld = c,
                "corrected" => o.corrected = c,
                "other" => o.other = c,
                "pending" => o.pending = c,
                _ => o.total = Some(c),
            }
        }
        ["applications", ..] => {
            let (row, col) = pointer.trim_start_matches("/applications").rsplit_once('/').unwrap_or(("", ""));
            if let Some(row) = b_row_mut(r, row) {
                match APPLICANTS.iter().position(|a| a.key == col) {
                    Some(0) => row.natural_person = c,
                    Some(1) => row.commercial_enterprise = c,
                    Some(2) => row.research_institution = c,
                    Some(3) => row.social_welfare_org = c,
                    Some(4) => row.legal_service_org = c,
                    Some(5) => row.other_org = c,
                    _ => row.total = Some(c),
                }
            }
        }
        _ => {}
    }
}

fn b_row_mut<'a>(r: &'a mut Report, path: &str) -> Option<&'a mut Row> {
    let a = &mut r.applications;
    match path {
        "/received" => Some(&mut a.received),
        "/carried_over" => Some(&mut a.carried_over),
        "/carried_forward" => Some(&mut a.carried_forward),
        "/results/total" => Some(a.results.total.get_or_insert_with(Row::default)),
        p => {
            let i = RESULT_ROWS.iter().position(|d| d.path == p)?;
            a.result_rows_mut().into_iter().nth(i)
        }
    }
}

/// The anchors of table B's 25 rows, and whether （六）其他处理 is printed as one row.
fn b_anchors(cx: &mut Ctx, from: usize, to: usize) -> (Vec<Option<(usize, usize)>>, bool) {
    let mut anchors: Vec<Option<(usize, usize)>> = vec![None; 25];
    let mut at = from;
    // （六）其他处理 as one row: no sub-row 1. or 2., and the group label followed by （七）总计.
    let single_other = {
        let sub = find(&cx.s, "逾期不补正", from, to).or_else(|| find(&cx.s, "缴纳费用", from, to));
        let group = find(&cx.s, "其他处理", from, to);
        let total = group.and_then(|(_, e)| find(&cx.s, "总计", e, to));
        sub.is_none() && total.is_some()
    };
    for (i, key) in B_KEYS.iter().enumerate() {
        if single_other && (20..=22).contains(&i) {
            continue;
        }
        let found = find(&cx.s, key, at, to).or_else(|| if i == 22 { find(&cx.s, "其他", at, to) } else { None });
        if let Some((s0, e)) = found {
            let start = if i >= 4 { label_start(&cx.s, at, s0) } else { s0 };
            anchors[i] = Some((start, e));
            at = e;
        }
    }
    if single_other
        && let (Some(prev), Some(next)) = (anchors[19], anchors[23])
        && let Some((s0, e)) = find(&cx.s, "其他处理", prev.1, next.0)
    {
        anchors[22] = Some((s0, e));
    }
    (anchors, single_other)
}

/// Reads table B (part 三).
pub(super) fn table_b(
    cx: &mut Ctx,
    from: usize,
    to: usize,
    r: &mut Report,
    pos: &mut Positions,
    sums: &mut Vec<(Vec<String>, u64)>,
) -> Unread {
    let (anchors, single_other) = b_anchors(cx, from, to);
    let mut unread = Unread::default();
    let present: Vec<usize> = (0..25).filter(|&i| anchors[i].is_some()).collect();
    if present.is_empty() {
        cx.error(Some(from), "第三部分表格中一行也找不到".into(), "no row of table B found".into());
        return unread;
    }
    report_missing(cx, &anchors, single_other, from, to);
    let first = anchors[present[0]].map_or(from, |a| a.0);
    let absent: Vec<usize> = if single_other { vec![20, 21] } else { Vec::new() };
    let anchored = anchored_groups(cx, &anchors, &present, to, 7, &absent);
    let header_clean = frags(&cx.s[from..first], false).iter().all(|f| f.digits.is_none());
    // Lenient: some row's figures do not fit its cells and they do not deal out in order
    // either, so the stream is out of order somewhere (a PDF's text in reading order
    // chaos): a row's figures may not be its own.
    let (groups, lenient) = match anchored {
        Some(g) if header_clean => (g, false),
        _ => match ordered_groups(cx, &anchors, &present, from, to, 7) {
            Some(g) => (g, false),
            None => (anchored_groups_lenient(cx, &anchors, &present, to, 7, &absent), true),
        },
    };
    // Slots and the pointers of their cells; the single （六） row as a virtual row 25.
    let mut slots = Vec::new();
    let mut where_: std::collections::HashMap<usize, (usize, usize)> = Default::default();
    for g in groups {
        let n = 7 * g.rows.len();
        let mut ptrs = Vec::new();
        for (k, &row) in g.rows.iter().enumerate() {
            where_.insert(row, (slots.len(), k * 7));
            let path = b_pointer_row(row);
            ptrs.extend(APPLICANTS.iter().map(|c| b_cell(path, c.key)).chain([b_cell(path, "total")]));
        }
        slots.push(make_slot(g, n, ptrs));
    }
    let cell = |row: usize, c: usize| where_.get(&row).map(|&(s, o)| (s, o + c));
    let mut eqs = Vec::new();
    for &row in &present {
        let Some(total) = cell(row, 6) else { continue };
        let cols: Vec<(usize, usize)> = (0..6).filter_map(|c| cell(row, c)).collect();
        eqs.push(Equation::balance(&cols, &[total], format!("B-row-total {}", b_label(row))));
    }
    let result_rows: Vec<usize> = if single_other { (2..=19).chain([22]).collect() } else { (2..=22).collect() };
    for c in 0..7 {
        let name = if c < 6 { APPLICANTS[c].label } else { "总计" };
        if let (Some(a), Some(b), Some(t), Some(f)) = (cell(0, c), cell(1, c), cell(23, c), cell(24, c)) {
            eqs.push(Equation::balance(&[a, b], &[t, f], format!("B-balance {name}")));
        }
        let parts: Option<Vec<(usize, usize)>> = result_rows.iter().map(|&row| cell(row, c)).collect();
        if let (Some(parts), Some(t)) = (parts, cell(23, c)) {
            eqs.push(Equation::balance(&[t], &parts, format!("B-results-total {name}")));
        }
    }
    solve_slots(cx, &slots, &eqs, r, pos, &mut unread, "表三");
    if lenient {
        distrust_unbalanced(cx, &slots, &eqs, r, &mut unread);
    }
    // Rows outside every group (before the first label found, after the last one of a
    // table cut off): unknown.
    let grouped: Vec<usize> = slots.iter().flat_map(|s| s.group.rows.clone()).collect();
    for row in (0..25).filter(|i| !grouped.contains(i) && !absent.contains(i)) {
        let ptrs: Vec<String> =
            APPLICANTS.iter().map(|c| b_cell(b_pointer_row(row), c.key)).chain([b_cell(b_pointer_row(row), "total")]).collect();
        unread.rows.push((b_label(row).to_string(), ptrs, cx.bytes(to.saturating_sub(1), to), Why::NoLabel));
    }
    // Row positions (the label) for findings about a whole row.
    for &row in &present {
        if let Some((a, e)) = anchors[row] {
            pos.insert(format!("/applications{}", b_pointer_row(row)), cx.bytes(a, e));
        }
    }
    if single_other {
        // The one （六） row is the sum of its three sub-rows, which were not printed: the
        // sub-rows are unknown, their sum is known.
        let other = ["/results/other/overdue_correction", "/results/other/unpaid_fee", "/results/other/other"];
        let single = |col: &str| b_cell(other[2], col);
        let mut all = Vec::new();
        for col in APPLICANTS.iter().map(|c| c.key).chain(["total"]) {
            let cells: Vec<String> = other.iter().map(|p| b_cell(p, col)).collect();
            let unknown = unread.rows.iter().any(|(_, ps, _, _)| ps.contains(&single(col)));
            if !unknown {
                sums.push((cells.clone(), get(r, &single(col))));
            }
            if let Some(span) = pos.get(&single(col)).cloned() {
                for p in &cells {
                    pos.insert(p.clone(), span.clone());
                }
            }
            set(r, &single(col), 0);
            all.extend(cells);
        }
        unread.rows.retain(|(_, ps, _, _)| !ps.iter().any(|p| p.starts_with("/applications/results/other/")));
        let span = anchors[22].map_or(0..0, |(a, e)| cx.bytes(a, e));
        unread.rows.push(("（六）其他处理".into(), all, span, Why::SingleRow));
    }
    unread
}

/// In a table whose figures are out of order, figures found after a label may belong to
/// another row, and a failed identity is more likely a misreading than a printed error.
/// So a cell is kept only when every identity it takes part in could be checked and
/// holds: the cells of a failed identity, and of an identity with an unknown input, are
/// made unknown, until nothing changes. Never a 勾稽 error the published table may not
/// have, never a figure taken from the wrong row.
fn distrust_unbalanced(cx: &Ctx, slots: &[Slot], eqs: &[Equation], r: &Report, unread: &mut Unread) {
    let mut unknown: std::collections::HashSet<String> = unread.rows.iter().flat_map(|(_, ps, _, _)| ps.iter().cloned()).collect();
    let mut distrusted: Vec<(usize, String)> = Vec::new();
    loop {
        let mut changed = false;
        for eq in eqs {
            let ptrs: Vec<(usize, &String)> = eq.terms.iter().map(|&(s, i, _)| (s, &slots[s].ptrs[i])).collect();
            let open = ptrs.iter().any(|(_, p)| unknown.contains(*p));
            let fails = !open
                && eq.terms.iter().zip(&ptrs).map(|(&(_, _, k), (_, p))| i128::from(k) * i128::from(get(r, p))).sum::<i128>() != eq.rhs;
            if open || fails {
                for (s, p) in ptrs {
                    if unknown.insert(p.clone()) {
                        distrusted.push((s, p.clone()));
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    distrusted.sort();
    for (s, slot) in slots.iter().enumerate() {
        let cells: Vec<String> = distrusted.iter().filter(|(d, _)| *d == s).map(|(_, p)| p.clone()).collect();
        if cells.is_empty() {
            continue;
        }
        let span = slot.group.frags.iter().map(Frag::span).reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
        let span = span.unwrap_or_else(|| cx.bytes(slot.group.label.0, slot.group.label.1));
        unread.rows.push((row_label("表三", slot.group.rows[0]), cells, span, Why::OutOfOrder));
    }
}

/// The value of the cell `pointer` of the report.
pub fn get(r: &Report, pointer: &str) -> u64 {
    let v = serde_json::to_value(r).unwrap_or_default();
    v.pointer(pointer).and_then(serde_json::Value::as_u64).unwrap_or(0)
}

/// One message for the rows whose labels are missing: the table cut off after a row,
/// or a row not found.
fn report_missing(cx: &mut Ctx, anchors: &[Option<(usize, usize)>], single_other: bool, from: usize, to: usize) {
    let missing: Vec<usize> = (0..25).filter(|&i| anchors[i].is_none() && !(single_other && (20..=21).contains(&i))).collect();
    let found_after = |i: usize| anchors[i + 1..].iter().any(Option::is_some);
    let last_found = anchors.iter().rposition(Option::is_some).map(|i| anchors[i].map_or(from, |a| a.1)).unwrap_or(from);
    for &i in &missing {
        let l = b_label(i);
        if !found_after(i) {
            let last = anchors[..i].iter().rposition(Option::is_some).map_or("（表头）", b_label);
            cx.error(
                Some(last_found.min(to.saturating_sub(1))),
                format!("第三部分表格在“{last}”之后中断，缺少“{l}”及以后各行：报告不完整（被截断？）"),
                format!("table B stops after “{last}”: “{l}” and the rows after it are missing (truncated report?)"),
            );
            return;
        }
        cx.error(Some(from), format!("第三部分表格中找不到“{l}”一行"), format!("row “{l}” not found in table B"));
    }
}

/// Figures that follow each label, up to the next; a row whose label is lost shares the
/// segment of the row before. `None` when some segment cannot make its cells.
fn anchored_groups(
    cx: &Ctx,
    anchors: &[Option<(usize, usize)>],
    present: &[usize],
    to: usize,
    n: usize,
    absent: &[usize],
) -> Option<Vec<Group>> {
    let groups = anchored_groups_lenient(cx, anchors, present, to, n, absent);
    groups.iter().all(|g| feasible(&g.frags, n * g.rows.len())).then_some(groups)
}

/// `absent`: rows that are not in this report's layout at all (not lost).
fn anchored_groups_lenient(
    cx: &Ctx,
    anchors: &[Option<(usize, usize)>],
    present: &[usize],
    to: usize,
    n: usize,
    absent: &[usize],
) -> Vec<Group> {
    let mut groups = Vec::new();
    for (k, &row) in present.iter().enumerate() {
        let (a, e) = anchors[row].unwrap_or((0, 0));
        let next = present.get(k + 1).copied();
        let end = next.and_then(|x| anchors[x]).map_or(to, |(s0, _)| s0);
        // Rows between this one and the next present one lost their labels.
        let mut rows = vec![row];
        if let Some(next) = next {
            rows.extend((row + 1..next).filter(|i| !absent.contains(i)));
        }
        let fr = row_frags(&cx.s, e, end, true);
        let fr = trim_blanks(fr, n * rows.len());
        groups.push(Group { rows, frags: fr, label: (a, e) });
    }
    groups
}

/// The table's figure cells dealt out in order, when their count is exactly the table's
/// and every label stands between the figures of its neighbours.
fn ordered_groups(cx: &Ctx, anchors: &[Option<(usize, usize)>], present: &[usize], from: usize, to: usize, n: usize) -> Option<Vec<Group>> {
    // Rows whose labels were lost make the dealing ambiguous.
    if present.windows(2).any(|w| w[1] != w[0] + 1 && !(w[0] == 19 && w[1] == 22)) {
        return None;
    }
    let cells = figure_cells(&cx.s, from, to);
    if cells.iter().any(|f| f.digits.as_ref().is_some_and(|d| d.len() > 1 && d.starts_with('0'))) {
        return None;
    }
    if cells.len() != n * present.len() {
        return None;
    }
    let mut groups: Vec<Group> = Vec::new();
    for (k, chunk) in cells.chunks(n).enumerate() {
        let row = present[k];
        groups.push(Group { rows: vec![row], frags: chunk.to_vec(), label: anchors[row].unwrap_or((from, from)) });
    }
    // Each label stands after the figures of the row two before and before those of the
    // row two after (figures may stand just before or just after their label).
    let byte = |i: usize| cx.s.get(i).map_or(usize::MAX, |c| c.at);
    for (k, g) in groups.iter().enumerate() {
        let at = byte(g.label.0);
        if k >= 1 && groups[k - 1].frags.first().is_some_and(|f| f.span().start > at) {
            return None;
        }
        if groups.get(k + 1).is_some_and(|h| h.frags.last().is_some_and(|f| f.span().end < at)) {
            return None;
        }
    }
    Some(groups)
}

/// Reads table C (part 四): 15 figures after its header.
pub(super) fn table_c(cx: &mut Ctx, from: usize, to: usize, r: &mut Report, pos: &mut Positions) -> Unread {
    // The figures follow the last header word.
    let mut start = from;
    for key in ["总计", "审结", "结果", "维持", "纠正", "复议后起诉", "直接起诉"] {
        let mut at = from;
        while let Some((_, e)) = find(&cx.s, key, at, to) {
            if e > start && only_blank(&cx.s[start..e]) {
                start = e;
            }
            at = e;
        }
    }
    let fr = row_frags(&cx.s, start, to, true);
    let fr = trim_blanks(fr, 15);
    let group = Group { rows: vec![0], frags: fr, label: (from, start) };
    let slot = make_slot(group, 15, c_cells());
    let eqs: Vec<Equation> = (0..3)
        .map(|g| {
            let parts: Vec<(usize, usize)> = (0..4).map(|i| (0, g * 5 + i)).collect();
            Equation::balance(&parts, &[(0, g * 5 + 4)], format!("C-total {}", ["行政复议", "未经复议直接起诉", "复议后起诉"][g]))
        })
        .collect();
    let mut unread = Unread::default();
    solve_slots(cx, &[slot], &eqs, r, pos, &mut unread, "表四");
    pos.insert("/reviews_and_lawsuits".into(), cx.bytes(from, start));
    unread
}

fn only_blank(s: &[Ch]) -> bool {
    s.iter().all(|c| !c.c.is_ascii_digit())
}
