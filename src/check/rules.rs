//! The 勾稽关系 and the other content rules of FORMAT.md, one function per code.
//!
//! Every rule reads the typed report (figures as given, totals computed) and reports
//! at the position of the value at fault (a YAML value, or the cell of a published
//! report), with the figures in the message so a clerk can see the arithmetic without
//! opening the file. A rule whose inputs include an unknown cell (an imported report
//! that could not be read whole) is not evaluated: it is listed in one `unchecked`
//! warning per rule instead, so that no error is ever built on a figure nobody read.

use std::ops::Range;

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::{Node, Source};
use crate::model::labels::{
    self, APPLICANTS, CARRIED_FORWARD, CARRIED_OVER, OUTCOMES, RECEIVED, RESULT_ROWS, RESULTS_TOTAL, REVIEW_GROUPS,
};
use crate::model::unknown::{Unknown, b_cell, c_cell};
use crate::model::{Kind, Report};

/// Where findings point: a position for a JSON pointer of the report.
pub trait Locate {
    /// The file findings are about.
    fn file(&self) -> &str;
    /// The bytes to point at for `pointer` (the value, or the nearest thing shown).
    fn span(&self, pointer: &str) -> Range<usize>;
    /// Whether the file shows this value itself (not only an ancestor).
    fn has(&self, pointer: &str) -> bool;
    /// How a person finds `span` when line and column do not help (a PDF page).
    fn place(&self, _span: &Range<usize>) -> Option<String> {
        None
    }
}

/// A data file: positions from its YAML tree.
pub struct YamlLocate<'a> {
    /// The data file.
    pub src: &'a Source,
    /// Its tree with positions.
    pub node: &'a Node,
}

impl Locate for YamlLocate<'_> {
    fn file(&self) -> &str {
        &self.src.name
    }
    fn span(&self, pointer: &str) -> Range<usize> {
        self.node.locate(pointer)
    }
    fn has(&self, pointer: &str) -> bool {
        self.node.get(pointer).is_some()
    }
}

/// What a rule needs: where to point, which cells are unknown, the language.
pub struct Ctx<'a> {
    /// Positions.
    pub loc: &'a dyn Locate,
    /// Cells not known (none for an author's data file).
    pub unknown: &'a Unknown,
    /// Message language.
    pub lang: Lang,
}

impl Ctx<'_> {
    fn at(&self, d: Diagnostic, pointer: &str) -> Diagnostic {
        let span = self.loc.span(pointer);
        let place = self.loc.place(&span);
        let mut d = d.at(self.loc.file(), span);
        d.place = place;
        d
    }

    /// The first of `pointers` the file shows, else the last one (located by ancestor).
    fn first_present(&self, pointers: &[&str]) -> String {
        pointers.iter().find(|p| self.loc.has(p)).or(pointers.last()).map(|p| p.to_string()).unwrap_or_default()
    }
}

/// Rule instances that could not be evaluated, gathered into one warning per code.
#[derive(Default)]
struct Unchecked {
    /// (code, instance name, first unknown cell).
    items: Vec<(Code, String, String)>,
}

impl Unchecked {
    /// Whether all of `cells` are known; if not, the instance is recorded.
    fn need(&mut self, ctx: &Ctx, code: Code, instance: &str, cells: &[String]) -> bool {
        match cells.iter().find(|c| ctx.unknown.contains(c)) {
            Some(c) => {
                self.items.push((code, instance.to_string(), c.clone()));
                false
            }
            None => true,
        }
    }

    fn emit(self, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
        let mut codes: Vec<Code> = Vec::new();
        for (c, _, _) in &self.items {
            if !codes.contains(c) {
                codes.push(*c);
            }
        }
        for code in codes {
            let items: Vec<&(Code, String, String)> = self.items.iter().filter(|i| i.0 == code).collect();
            let names: Vec<&str> = items.iter().map(|i| i.1.as_str()).collect();
            let cells: Vec<String> = items.iter().map(|i| labels::describe(&i.2)).collect();
            let shown = |v: &[String]| crate::diag::clip(&v.join("、"), 160);
            let msg = match ctx.lang {
                Lang::Zh => format!(
                    "{code} 未能检查（{}）：所需的格未能从原文读出（如{}）",
                    crate::diag::clip(&names.join("、"), 120),
                    shown(&cells[..cells.len().min(3)])
                ),
                Lang::En => format!(
                    "{code} could not be checked ({}): cells it needs were not read from the source (e.g. {})",
                    crate::diag::clip(&names.join(", "), 120),
                    shown(&cells[..cells.len().min(3)])
                ),
            };
            let hint = ctx.lang.pick(
                "对照原文填入这些格（导入的数据文件中写作 unread）后再检查",
                "fill these cells in from the source (written `unread` in the imported data file), then check again",
            );
            out.push(ctx.at(Diagnostic::warning(Code::Unchecked, msg), &items[0].2).hint(hint));
        }
    }
}

/// Runs the single-file rules.
pub fn run(ctx: &Ctx, r: &Report) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut un = Unchecked::default();
    b_row_total(ctx, r, &mut out, &mut un);
    merged_row_totals(ctx, &mut out);
    b_results_total(ctx, r, &mut out, &mut un);
    b_balance(ctx, r, &mut out, &mut un);
    c_total(ctx, r, &mut out, &mut un);
    deadline(ctx, r, &mut out);
    empty_part(ctx, r, &mut out);
    placeholder(ctx, r, &mut out);
    un.emit(ctx, &mut out);
    out
}

/// Runs the cross-year rules against last year's report (and its unknown cells).
pub fn run_previous(ctx: &Ctx, r: &Report, prev: &Report, prev_unknown: &Unknown) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut un = Unchecked::default();
    a_in_force(ctx, r, prev, prev_unknown, &mut out, &mut un);
    b_carry(ctx, r, prev, prev_unknown, &mut out, &mut un);
    un.emit(ctx, &mut out);
    out
}

/// The seven cells of a row of table B (six columns, then total) as pointers.
fn row_cells(path: &str) -> Vec<String> {
    APPLICANTS.iter().map(|c| b_cell(path, c.key)).chain([b_cell(path, "total")]).collect()
}

fn b_row_total(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>, un: &mut Unchecked) {
    let a = &r.applications;
    let mut rows = a.typed_rows();
    if let Some(t) = &a.results.total {
        rows.push((RESULTS_TOTAL, t));
    }
    for (def, row) in rows {
        let Some(stated) = row.total else { continue };
        // Rows printed only as one merged row (a single （六） row) are checked as that row.
        if covered_by_sums(ctx, def.path) {
            continue;
        }
        if !un.need(ctx, Code::BRowTotal, def.label, &row_cells(def.path)) {
            continue;
        }
        let sum = row.sum();
        if stated.0 != sum {
            let cells: Vec<String> = row.cells().iter().map(u64::to_string).collect();
            let msg = match ctx.lang {
                Lang::Zh => format!("“{}”的总计为 {stated}，但六列之和为 {sum}（{}）", def.label, cells.join("+")),
                Lang::En => format!("the total of “{}” is {stated}, but its six columns add up to {sum} ({})", def.label, cells.join("+")),
            };
            let pointer = format!("/applications{}/total", def.path);
            out.push(ctx.at(Diagnostic::error(Code::BRowTotal, msg), &pointer).hint(ctx.lang.pick(
                "总计可以不填，由 reportgen 计算；填写时须与各列之和一致",
                "leave the total out and reportgen computes it; a stated total must equal the sum",
            )));
        }
    }
}

/// Whether every unknown cell of a row of table B is in a known sum (the row was printed
/// merged with others).
fn covered_by_sums(ctx: &Ctx, path: &str) -> bool {
    let cells = row_cells(path);
    cells.iter().any(|c| ctx.unknown.contains(c))
        && cells.iter().filter(|c| ctx.unknown.contains(c)).all(|c| ctx.unknown.sums.iter().any(|(s, _)| s.contains(c)))
}

/// B-row-total of rows printed merged: the known sums of their columns against the known
/// sum of their totals.
fn merged_row_totals(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let sums = &ctx.unknown.sums;
    for (cells, total) in sums.iter().filter(|(c, _)| c.iter().all(|p| p.ends_with("/total"))) {
        let rows: Vec<&str> = cells.iter().map(|p| p.rsplit_once('/').map_or("", |x| x.0)).collect();
        let col_sum: Option<u64> = APPLICANTS
            .iter()
            .map(|a| {
                let want: Vec<String> = rows.iter().map(|r| format!("{r}/{}", a.key)).collect();
                ctx.unknown.sum_of(&want)
            })
            .sum();
        let Some(col_sum) = col_sum else { continue };
        if col_sum != *total {
            let msg = match ctx.lang {
                Lang::Zh => format!("“（六）其他处理”一行的总计为 {total}，但六列之和为 {col_sum}"),
                Lang::En => format!("the total of the single row “（六）其他处理” is {total}, but its six columns add up to {col_sum}"),
            };
            out.push(ctx.at(Diagnostic::error(Code::BRowTotal, msg), &cells[0]));
        }
    }
}

/// Column `col` (0..6 applicants, 6 the total column) of the 21 result rows added up,
/// when every cell is known (or covered by a known sum of unknown cells).
fn results_sum(ctx: &Ctx, r: &Report, col: usize) -> Option<u64> {
    let key = APPLICANTS.get(col).map_or("total", |c| c.key);
    let mut total = 0u64;
    let mut unknown: Vec<String> = Vec::new();
    for (def, row) in RESULT_ROWS.iter().zip(r.applications.result_rows()) {
        let p = b_cell(def.path, key);
        if ctx.unknown.contains(&p) {
            unknown.push(p);
        } else {
            let v = if col < 6 { row.cells()[col] } else { row.total.map_or(row.sum(), |t| t.0) };
            total = total.saturating_add(v);
        }
    }
    if unknown.is_empty() {
        return Some(total);
    }
    // Unknown cells whose sum the source printed (a single （六） row).
    let mut covered: Vec<String> = Vec::new();
    for (cells, v) in &ctx.unknown.sums {
        if cells.iter().all(|c| unknown.contains(c)) {
            covered.extend(cells.iter().cloned());
            total = total.saturating_add(*v);
        }
    }
    unknown.iter().all(|u| covered.contains(u)).then_some(total)
}

/// The result rows' cells of a column, as pointers.
fn results_cells(col: &str) -> Vec<String> {
    RESULT_ROWS.iter().map(|d| b_cell(d.path, col)).collect()
}

fn b_results_total(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>, un: &mut Unchecked) {
    let a = &r.applications;
    let Some(stated) = &a.results.total else { return };
    let stated_cells = stated.cells().map(Some).into_iter().chain([stated.total.map(|t| t.0)]);
    let names = APPLICANTS.iter().map(|c| (c.key, c.label)).chain([("total", "总计")]);
    for (col, (s, (key, label))) in stated_cells.zip(names).enumerate() {
        let Some(s) = s else { continue };
        let pointer = format!("/applications/results/total/{key}");
        let instance = format!("（七）总计·{label}");
        if !un.need(ctx, Code::BResultsTotal, &instance, std::slice::from_ref(&pointer)) {
            continue;
        }
        let Some(c) = results_sum(ctx, r, col) else {
            let first = results_cells(key).into_iter().find(|p| ctx.unknown.contains(p)).unwrap_or_default();
            un.need(ctx, Code::BResultsTotal, &instance, &[first]);
            continue;
        };
        if s != c {
            let msg = match ctx.lang {
                Lang::Zh => format!("“（七）总计”的“{label}”列为 {s}，但（一）至（六）各行之和为 {c}"),
                Lang::En => format!("“（七）总计” in column “{label}” is {s}, but rows （一）…（六） add up to {c}"),
            };
            out.push(ctx.at(Diagnostic::error(Code::BResultsTotal, msg), &pointer));
        }
    }
}

fn b_balance(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>, un: &mut Unchecked) {
    let a = &r.applications;
    for (i, col) in APPLICANTS.iter().enumerate() {
        let k = col.key;
        let ins = [b_cell(RECEIVED.path, k), b_cell(CARRIED_OVER.path, k), b_cell(CARRIED_FORWARD.path, k)];
        if !un.need(ctx, Code::BBalance, col.label, &ins) {
            continue;
        }
        // 办理结果总计: the printed （七）总计 when there is one, else the rows added up.
        let stated = a.results.total.as_ref().map(|t| t.cells()[i]);
        let done = match stated {
            Some(v) if !ctx.unknown.contains(&b_cell(RESULTS_TOTAL.path, k)) => Some(v),
            _ => results_sum(ctx, r, i),
        };
        let Some(done) = done else {
            un.need(ctx, Code::BBalance, col.label, &[b_cell(RESULTS_TOTAL.path, k)]);
            continue;
        };
        let (new, old, next) = (a.received.cells()[i], a.carried_over.cells()[i], a.carried_forward.cells()[i]);
        let (lhs, rhs) = (new.saturating_add(old), done.saturating_add(next));
        if lhs == rhs {
            continue;
        }
        let msg = match ctx.lang {
            Lang::Zh => format!(
                "“{}”列不平衡：本年新收 {new} + 上年结转 {old} = {lhs}，但办理结果总计 {done} + 结转下年度 {next} = {rhs}",
                col.label
            ),
            Lang::En => format!(
                "column “{}” does not balance: received {new} + carried over {old} = {lhs}, but results {done} + carried forward {next} = {rhs}",
                col.label
            ),
        };
        let pointer = ctx.first_present(&[
            &format!("/applications/results/total/{k}"),
            &format!("/applications/carried_forward/{k}"),
            &format!("/applications/received/{k}"),
        ]);
        out.push(
            ctx.at(Diagnostic::error(Code::BBalance, msg), &pointer).hint(ctx.lang.pick(
                "勾稽关系：第一项加第二项之和，等于第三项加第四项之和",
                "rule: rows 一 + 二 must equal rows 三 + 四 in every column",
            )),
        );
    }
}

fn c_total(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>, un: &mut Unchecked) {
    for ((key, label), g) in REVIEW_GROUPS.iter().zip(r.reviews_and_lawsuits.groups()) {
        let Some(stated) = g.total else { continue };
        let cells: Vec<String> = OUTCOMES.iter().map(|(o, _)| c_cell(key, o)).collect();
        if !un.need(ctx, Code::CTotal, label, &cells) {
            continue;
        }
        let sum = g.sum();
        if stated.0 != sum {
            let c = g.cells();
            let msg = match ctx.lang {
                Lang::Zh => format!(
                    "“{label}”的总计为 {stated}，但{}{} + {}{} + {}{} + {}{} = {sum}",
                    OUTCOMES[0].1, c[0], OUTCOMES[1].1, c[1], OUTCOMES[2].1, c[2], OUTCOMES[3].1, c[3]
                ),
                Lang::En => format!(
                    "the total of “{label}” is {stated}, but upheld {} + corrected {} + other {} + pending {} = {sum}",
                    c[0], c[1], c[2], c[3]
                ),
            };
            out.push(ctx.at(Diagnostic::error(Code::CTotal, msg), &format!("/reviews_and_lawsuits/{key}/total")));
        }
    }
}

/// A calendar date `YYYY-MM-DD`, validated.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1]).then_some((y, m, d))
}

fn deadline(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    let Some((y, m, d)) = r.meta.published.as_deref().and_then(parse_date) else { return };
    let due_year = i32::from(r.meta.year) + 1;
    let (due_m, due_d, who) = match r.meta.kind {
        Kind::Government => (3, 31, ctx.lang.pick("本级人民政府", "a people's government")),
        Kind::Department => (1, 31, ctx.lang.pick("政府部门", "a government department")),
    };
    if (y, m, d) > (due_year, due_m, due_d) {
        let msg = match ctx.lang {
            Lang::Zh => format!("发布日期 {y}-{m:02}-{d:02} 晚于法定期限：{who}的年度报告应在 {due_year}年{due_m}月{due_d}日前公布"),
            Lang::En => {
                format!("published {y}-{m:02}-{d:02}, after the legal deadline: {who} must publish by {due_year}-{due_m:02}-{due_d:02}")
            }
        };
        let hint = ctx.lang.pick(
            "《政府信息公开条例》第四十九条、第五十条；若是本级政府的报告，请设 meta.kind: government",
            "Regulations art. 49–50; for a government's own report set meta.kind: government",
        );
        out.push(ctx.at(Diagnostic::warning(Code::Deadline, msg), "/meta/published").hint(hint));
    }
}

fn empty_part(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    for (text, key, zh, en) in [
        (&r.problems, "problems", "五、存在的主要问题及改进情况", "part 五 (problems and improvements)"),
        (&r.other_matters, "other_matters", "六、其他需要报告的事项", "part 六 (other matters)"),
    ] {
        if text.trim().is_empty() && !ctx.unknown.contains(&format!("/{key}")) {
            let msg = match ctx.lang {
                Lang::Zh => format!("“{zh}”是空的：这是《条例》第五十条要求的内容"),
                Lang::En => format!("{en} is empty: it is required content (Regulations art. 50)"),
            };
            let hint = match ctx.lang {
                Lang::Zh => format!("在 `{key}:` 下写上内容；没有时写明“无”及原因"),
                Lang::En => format!("write it under `{key}:`; if there is nothing, say so"),
            };
            out.push(ctx.at(Diagnostic::warning(Code::EmptyPart, msg), &format!("/{key}")).hint(hint));
        }
    }
}

fn a_in_force(ctx: &Ctx, r: &Report, prev: &Report, prev_unknown: &Unknown, out: &mut Vec<Diagnostic>, un: &mut Unchecked) {
    let pairs = [
        ("rules", "规章", &r.proactive.rules, &prev.proactive.rules),
        ("normative_documents", "行政规范性文件", &r.proactive.normative_documents, &prev.proactive.normative_documents),
    ];
    for (key, label, now, last) in pairs {
        let cells: Vec<String> = ["issued", "repealed", "in_force"].iter().map(|k| format!("/proactive/{key}/{k}")).collect();
        if !un.need(ctx, Code::AInForce, label, &cells) {
            continue;
        }
        if prev_unknown.contains(&format!("/proactive/{key}/in_force")) {
            un.items.push((Code::AInForce, format!("{label}（上年）"), cells[2].clone()));
            continue;
        }
        let expected = i128::from(last.in_force.0) + i128::from(now.issued.0) - i128::from(now.repealed.0);
        if expected != i128::from(now.in_force.0) {
            let msg = match ctx.lang {
                Lang::Zh => format!(
                    "“{label}”现行有效件数为 {}，但上年现行有效 {} + 本年制发 {} − 本年废止 {} = {expected}",
                    now.in_force, last.in_force, now.issued, now.repealed
                ),
                Lang::En => format!(
                    "“{label}” in force is {}, but last year's {} + issued {} − repealed {} = {expected}",
                    now.in_force, last.in_force, now.issued, now.repealed
                ),
            };
            out.push(ctx.at(Diagnostic::warning(Code::AInForce, msg), &format!("/proactive/{key}/in_force")));
        }
    }
}

fn b_carry(ctx: &Ctx, r: &Report, prev: &Report, prev_unknown: &Unknown, out: &mut Vec<Diagnostic>, un: &mut Unchecked) {
    let now = r.applications.carried_over.cells();
    let last = prev.applications.carried_forward.cells();
    for (i, (n, l)) in now.into_iter().zip(last).enumerate() {
        let col = labels::APPLICANTS[i];
        let here = b_cell(CARRIED_OVER.path, col.key);
        if !un.need(ctx, Code::BCarry, col.label, std::slice::from_ref(&here)) {
            continue;
        }
        if prev_unknown.contains(&b_cell(CARRIED_FORWARD.path, col.key)) {
            un.items.push((Code::BCarry, format!("{}（上年）", col.label), here));
            continue;
        }
        if n != l {
            let msg = match ctx.lang {
                Lang::Zh => format!("“{}”列上年结转为 {n}，但上年报告的结转下年度继续办理为 {l}", col.label),
                Lang::En => format!("column “{}”: carried over is {n}, but last year's report carried forward {l}", col.label),
            };
            out.push(ctx.at(Diagnostic::warning(Code::BCarry, msg), &here));
        }
    }
}

/// Placeholder text of the `reportgen init` skeleton (（总述）, （主动公开情况）, …) still in
/// a prose field: a warning at that field, so a skeleton is never published as written.
fn placeholder(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    let mut fields: Vec<(String, &str)> = vec![("/preamble".into(), r.preamble.as_deref().unwrap_or(""))];
    fields.push(("/overview/intro".into(), r.overview.intro.as_deref().unwrap_or("")));
    for (i, s) in r.overview.sections.iter().enumerate() {
        fields.push((format!("/overview/sections/{i}/body"), s.body.as_str()));
    }
    fields.push(("/problems".into(), r.problems.as_str()));
    fields.push(("/other_matters".into(), r.other_matters.as_str()));
    let placeholders = crate::init::placeholders();
    for (pointer, text) in fields {
        let Some(p) = placeholders.iter().find(|p| text.contains(p.as_str())) else { continue };
        let msg = match ctx.lang {
            Lang::Zh => format!("“{p}”是 reportgen init 骨架的占位文字，还没有替换成实际内容"),
            Lang::En => format!("“{p}” is placeholder text of the reportgen init skeleton, not yet replaced"),
        };
        let hint = ctx.lang.pick("发布前把占位文字换成本机关的实际情况", "replace the placeholder with the real content before publishing");
        out.push(ctx.at(Diagnostic::warning(Code::Placeholder, msg), &pointer).hint(hint));
    }
}

/// `prose-figure`: the prose states a figure of the tables that differs from the table.
/// `claims` are the prose's claims with the bytes of the file where each stands.
pub fn prose_figure(ctx: &Ctx, r: &Report, claims: &[(super::claims::Claim, Range<usize>)]) -> Vec<Diagnostic> {
    use super::claims::Target;
    let mut out = Vec::new();
    // The stated figure where the table states one (an imported report), else computed.
    let raw = serde_json::to_value(r).unwrap_or_default();
    let full = serde_json::to_value(r.with_totals()).unwrap_or_default();
    let value = |p: &str| raw.pointer(p).or_else(|| full.pointer(p)).and_then(serde_json::Value::as_u64);
    for (claim, span) in claims {
        let cells = claim.target.cells();
        if ctx.unknown.any(&cells) || cells.iter().any(|c| value(c).is_none() && !c.ends_with("/total")) {
            continue;
        }
        let table: u64 = cells.iter().map(|c| value(c).unwrap_or(0)).sum();
        if table == claim.value {
            continue;
        }
        // 收到 may count last year's carried-over applications too.
        if claim.target == Target::Received {
            let carried = value("/applications/carried_over/total").unwrap_or(0);
            if carried > 0 && table + carried == claim.value && !ctx.unknown.contains("/applications/carried_over/total") {
                continue;
            }
        }
        let label = claim.target.label(ctx.lang);
        let msg = match ctx.lang {
            Lang::Zh => format!("正文说“{}”（{}），但{label}为 {table}", claim.quote, claim.value),
            Lang::En => format!("the prose says “{}” ({}), but {label} is {table}", claim.quote, claim.value),
        };
        let hint = ctx.lang.pick(
            "改正文或表格，使两者一致；正文可写成 {{ … }} 引用表格数据，就不会再不一致",
            "correct the prose or the table; prose can cite the table with {{ … }} so they cannot disagree",
        );
        let place = ctx.loc.place(span);
        let mut d = Diagnostic::warning(Code::ProseFigure, msg).at(ctx.loc.file(), span.clone()).hint(hint);
        d.place = place;
        out.push(d);
    }
    out
}
