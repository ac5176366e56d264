//! Prose fields: `{{ … }}` citations of the data, expanded in a sandbox.
//!
//! Authors may write `共收依申请公开{{ applications.received.total }}件` so that figures in
//! the text cannot drift from the tables. Expressions run in a minijinja environment
//! with no loader (nothing to include), no functions beyond the built-in filters, a
//! fuel limit (a loop that never ends runs out of fuel) and strict undefined names (a
//! typo is an error at its position in the data file, not an empty string).

use std::ops::Range;

use minijinja::{Environment, UndefinedBehavior};

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::{Node, Source};
use crate::model::Report;

/// Fuel for one prose field: ample for citations and small loops, finite for anything else.
const FUEL: u64 = 50_000;

/// The most output one field may produce (bytes).
const MAX_OUTPUT: usize = 1 << 20;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(32);
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // Figures print as written: 15314 rather than 15314.0.
    env.set_formatter(|out, state, value| {
        if value.kind() == minijinja::value::ValueKind::Number {
            let s = value.to_string();
            if let Some(whole) = s.strip_suffix(".0") {
                return out.write_str(whole).map_err(minijinja::Error::from);
            }
        }
        minijinja::escape_formatter(out, state, value)
    });
    env
}

/// Expands every prose field of `report` (whose totals are filled) in place; errors
/// point into the data file.
pub fn expand(report: &mut Report, src: &Source, node: &Node, lang: Lang) -> Vec<Diagnostic> {
    let env = environment();
    let ctx = minijinja::Value::from(minijinja::value::Serde(&*report));
    let mut diags = Vec::new();
    let mut run = |text: &mut String, pointer: String| {
        if !text.contains("{{") && !text.contains("{%") {
            return;
        }
        match env.render_str(text, ctx.clone()) {
            Ok(s) if s.len() <= MAX_OUTPUT => *text = s,
            Ok(_) => diags.push(
                Diagnostic::error(Code::Prose, lang.pick("这段文字展开后超过 1 MB", "this text expands beyond 1 MB"))
                    .at(&src.name, node.locate(&pointer)),
            ),
            Err(e) => diags.push(prose_error(&e, text, src, node, &pointer, lang)),
        }
    };
    if let Some(p) = report.preamble.as_mut() {
        run(p, "/preamble".into());
    }
    if let Some(p) = report.overview.intro.as_mut() {
        run(p, "/overview/intro".into());
    }
    for (i, s) in report.overview.sections.iter_mut().enumerate() {
        run(&mut s.body, format!("/overview/sections/{i}/body"));
    }
    run(&mut report.problems, "/problems".into());
    run(&mut report.other_matters, "/other_matters".into());
    diags
}

fn prose_error(e: &minijinja::Error, template: &str, src: &Source, node: &Node, pointer: &str, lang: Lang) -> Diagnostic {
    let field = node.locate(pointer);
    let span = e.range().map(|r| map_span(&src.text, field.clone(), template, r)).unwrap_or(field);
    let what = match e.kind() {
        minijinja::ErrorKind::UndefinedError => lang.pick("引用了不存在的数据名", "refers to a name that does not exist"),
        minijinja::ErrorKind::OutOfFuel => lang.pick("计算量超出限制（是否写了死循环？）", "ran out of fuel (an endless loop?)"),
        minijinja::ErrorKind::SyntaxError => lang.pick("{{ … }} 写法有误", "malformed {{ … }}"),
        _ => lang.pick("{{ … }} 无法展开", "cannot expand {{ … }}"),
    };
    let detail = crate::diag::clip(&e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string()), 160);
    Diagnostic::error(Code::Prose, format!("{what}: {detail}"))
        .at(&src.name, span)
        .hint(lang.pick(
            "可引用的如 {{ meta.year }}、{{ applications.received.total }}、{{ proactive.licensing }}、{{ reviews_and_lawsuits.review.total }}",
            "names you can cite: {{ meta.year }}, {{ applications.received.total }}, {{ proactive.licensing }}, {{ reviews_and_lawsuits.review.total }}",
        ))
}

/// Maps a byte range inside a prose value back to the data file: the value's lines
/// appear in the file verbatim (after indentation), so the line holding the range is
/// searched for within the value's span.
fn map_span(file: &str, field: Range<usize>, template: &str, r: Range<usize>) -> Range<usize> {
    let r = r.start.min(template.len())..r.end.min(template.len());
    let line_start = template[..r.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = template[r.start..].find('\n').map_or(template.len(), |i| r.start + i);
    let line = &template[line_start..line_end];
    let region_end = file.len().min(field.end.max(field.start) + template.len() + 1);
    let region = file.get(field.start..region_end).unwrap_or("");
    match (!line.trim().is_empty()).then(|| region.find(line)).flatten() {
        Some(p) => {
            let start = field.start + p + (r.start - line_start);
            let end = (start + r.len()).min(file.len());
            if file.is_char_boundary(start) && file.is_char_boundary(end) { start..end } else { field }
        }
        None => field,
    }
}
