//! The 勾稽关系 and the other content rules of FORMAT.md, one function per code.
//!
//! Every rule reads the typed report (figures as given, totals computed) and reports
//! at the YAML position of the value at fault, with the figures in the message so a
//! clerk can see the arithmetic without opening the file.

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::{Node, Source};
use crate::model::labels::{self, APPLICANTS, OUTCOMES, RESULTS_TOTAL, REVIEW_GROUPS};
use crate::model::{Kind, Report};

/// Where rules report: the file and its tree.
pub struct Ctx<'a> {
    /// The data file.
    pub src: &'a Source,
    /// Its tree with positions.
    pub node: &'a Node,
    /// Message language.
    pub lang: Lang,
}

impl Ctx<'_> {
    fn at(&self, d: Diagnostic, pointer: &str) -> Diagnostic {
        d.at(&self.src.name, self.node.locate(pointer))
    }

    /// The first of `pointers` present in the file, else the last one (located by ancestor).
    fn first_present(&self, pointers: &[&str]) -> String {
        pointers.iter().find(|p| self.node.get(p).is_some()).or(pointers.last()).map(|p| p.to_string()).unwrap_or_default()
    }
}

/// Runs the single-file rules.
pub fn run(ctx: &Ctx, r: &Report) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    b_row_total(ctx, r, &mut out);
    b_results_total(ctx, r, &mut out);
    b_balance(ctx, r, &mut out);
    c_total(ctx, r, &mut out);
    deadline(ctx, r, &mut out);
    empty_part(ctx, r, &mut out);
    placeholder(ctx, r, &mut out);
    out
}

/// Runs the cross-year rules against last year's report.
pub fn run_previous(ctx: &Ctx, r: &Report, prev: &Report) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    a_in_force(ctx, r, prev, &mut out);
    b_carry(ctx, r, prev, &mut out);
    out
}

fn b_row_total(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    let a = &r.applications;
    let mut rows = a.typed_rows();
    if let Some(t) = &a.results.total {
        rows.push((RESULTS_TOTAL, t));
    }
    for (def, row) in rows {
        let Some(stated) = row.total else { continue };
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

fn b_results_total(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    let a = &r.applications;
    let Some(stated) = &a.results.total else { return };
    let computed = a.results_total();
    let stated_cells = stated.cells().map(Some).into_iter().chain([stated.total.map(|t| t.0)]);
    let computed_cells = computed.cells().into_iter().chain([computed.sum()]);
    let names = APPLICANTS.iter().map(|c| (c.key, c.label)).chain([("total", "总计")]);
    for ((s, c), (key, label)) in stated_cells.zip(computed_cells).zip(names) {
        let Some(s) = s else { continue };
        if s != c {
            let msg = match ctx.lang {
                Lang::Zh => format!("“（七）总计”的“{label}”列为 {s}，但（一）至（六）各行之和为 {c}"),
                Lang::En => format!("“（七）总计” in column “{label}” is {s}, but rows （一）…（六） add up to {c}"),
            };
            let pointer = format!("/applications/results/total/{key}");
            out.push(ctx.at(Diagnostic::error(Code::BResultsTotal, msg), &pointer));
        }
    }
}

fn b_balance(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    let a = &r.applications;
    let results = a.results_total();
    let columns = a.received.cells().into_iter().zip(a.carried_over.cells()).zip(results.cells()).zip(a.carried_forward.cells());
    for (i, (((new, old), done), next)) in columns.enumerate() {
        let (lhs, rhs) = (new.saturating_add(old), done.saturating_add(next));
        if lhs == rhs {
            continue;
        }
        let col = APPLICANTS[i];
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
        let k = col.key;
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

fn c_total(ctx: &Ctx, r: &Report, out: &mut Vec<Diagnostic>) {
    for ((key, label), g) in REVIEW_GROUPS.iter().zip(r.reviews_and_lawsuits.groups()) {
        let Some(stated) = g.total else { continue };
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
        if text.trim().is_empty() {
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

fn a_in_force(ctx: &Ctx, r: &Report, prev: &Report, out: &mut Vec<Diagnostic>) {
    let pairs = [
        ("rules", "规章", &r.proactive.rules, &prev.proactive.rules),
        ("normative_documents", "行政规范性文件", &r.proactive.normative_documents, &prev.proactive.normative_documents),
    ];
    for (key, label, now, last) in pairs {
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

fn b_carry(ctx: &Ctx, r: &Report, prev: &Report, out: &mut Vec<Diagnostic>) {
    let now = r.applications.carried_over.cells();
    let last = prev.applications.carried_forward.cells();
    for (i, (n, l)) in now.into_iter().zip(last).enumerate() {
        if n != l {
            let col = labels::APPLICANTS[i];
            let msg = match ctx.lang {
                Lang::Zh => format!("“{}”列上年结转为 {n}，但上年报告的结转下年度继续办理为 {l}", col.label),
                Lang::En => format!("column “{}”: carried over is {n}, but last year's report carried forward {l}", col.label),
            };
            out.push(ctx.at(Diagnostic::warning(Code::BCarry, msg), &format!("/applications/carried_over/{}", col.key)));
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
