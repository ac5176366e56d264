//! Data file → checked report: decode, parse with positions, validate against the
//! schema (all problems at once), deserialize into the typed model, then run the
//! 勾稽关系 rules and expand the prose. Nothing here prints.

pub mod claims;
pub mod rules;
pub mod schema;

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::{self, Node, Source};
use crate::model::Report;

/// What a check needs besides the file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Message language.
    pub lang: Lang,
}

/// A data file after checking.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file as read (text may be empty when it could not be decoded).
    pub source: Source,
    /// Its tree, when it parsed.
    pub node: Option<Node>,
    /// The report as written, when it matched the schema.
    pub report: Option<Report>,
    /// The report as printed: totals filled, prose expanded. Present when `report` is.
    pub expanded: Option<Report>,
    /// Cells written as `unread` (an imported report a person has not finished): their
    /// figure in `report` is a placeholder 0, and no rule uses them.
    pub unknown: crate::model::unknown::Unknown,
    /// Every finding, in file order within each stage.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The current calendar year (UTC), for the upper bound of `meta.year`.
pub fn current_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    civil_from_days((secs / 86_400) as i64).0
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// The largest data file accepted. A real report is a few dozen kilobytes; anything
/// near this is a mistake or an attack, and is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 8 << 20;

/// Checks one data file given as bytes.
pub fn check_bytes(name: &str, bytes: &[u8], opts: &Options) -> Checked {
    let mut checked = Checked {
        source: Source { name: name.to_string(), text: String::new() },
        node: None,
        report: None,
        expanded: None,
        unknown: Default::default(),
        diagnostics: Vec::new(),
    };
    if bytes.len() > MAX_FILE_BYTES {
        let mb = bytes.len() >> 20;
        let msg = match opts.lang {
            Lang::Zh => format!("文件太大（{mb} MB，上限 8 MB）：数据文件通常只有几十 KB"),
            Lang::En => format!("the file is too large ({mb} MB, limit 8 MB): a data file is a few dozen KB"),
        };
        checked.diagnostics.push(Diagnostic::error(Code::Syntax, msg).in_file(name));
        return checked;
    }
    let src = match load::decode(name, bytes, opts.lang) {
        Ok(s) => s,
        Err(d) => {
            checked.diagnostics.push(d);
            return checked;
        }
    };
    checked.source = src;
    let src = &checked.source;
    let node = match load::parse(src, opts.lang) {
        Ok(n) => n,
        Err(d) => {
            checked.diagnostics.push(d);
            return checked;
        }
    };
    let mut json = node.to_json();
    let unread = take_unread(&mut json);
    let mut diags = schema::validate(src, &node, &json, opts.lang);
    diags.extend(unread.iter().map(|p| unread_error(src, &node, p, opts.lang)));
    let mut unknown = crate::model::unknown::Unknown::none();
    for p in &unread {
        unknown.insert(p.clone());
    }
    diags.extend(values(src, &node, &json, opts.lang));
    if diags.is_empty() {
        match serde_json::from_value::<Report>(json) {
            Ok(report) => {
                let loc = rules::YamlLocate { src, node: &node };
                let ctx = rules::Ctx { loc: &loc, unknown: &unknown, lang: opts.lang };
                diags.extend(rules::run(&ctx, &report));
                diags.extend(rules::prose_figure(&ctx, &report, &yaml_claims(src, &node, &report)));
                let mut expanded = report.with_totals();
                diags.extend(crate::prose::expand(&mut expanded, src, &node, opts.lang));
                checked.report = Some(report);
                checked.expanded = Some(expanded);
            }
            Err(e) => diags.push(Diagnostic::error(Code::Schema, crate::diag::clip(&e.to_string(), 200)).at(&src.name, node.locate(""))),
        }
    }
    // Report in file order: a clerk reads the file top to bottom.
    diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    checked.diagnostics = diags;
    checked.node = Some(node);
    checked.unknown = unknown;
    checked
}

/// Value checks the schema cannot express: the year against today, real calendar dates.
/// They read the JSON tree, so they run even when the schema found other problems.
fn values(src: &Source, node: &Node, json: &serde_json::Value, lang: Lang) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let last = current_year() + 1;
    let year = json.pointer("/meta/year").and_then(serde_json::Value::as_i64).unwrap_or(2008);
    if (2008..=2100).contains(&year) && year > i64::from(last) {
        let msg = match lang {
            Lang::Zh => format!("统计年度 {year} 不在 2008（《条例》施行）至 {last} 之间"),
            Lang::En => format!("year {year} is outside 2008 (when the Regulations took effect) to {last}"),
        };
        out.push(Diagnostic::error(Code::Schema, msg).at(&src.name, node.locate("/meta/year")));
    }
    if let Some(p) = json.pointer("/meta/published").and_then(serde_json::Value::as_str)
        && p.len() == 10
        && rules::parse_date(p).is_none()
    {
        let msg = match lang {
            Lang::Zh => format!("发布日期“{}”不是有效的日期", crate::diag::clip(p, 20)),
            Lang::En => format!("published “{}” is not a real date", crate::diag::clip(p, 20)),
        };
        out.push(
            Diagnostic::error(Code::Schema, msg)
                .at(&src.name, node.locate("/meta/published"))
                .hint(lang.pick("日期写成 YYYY-MM-DD，如 2024-02-18", "write dates as YYYY-MM-DD, e.g. 2024-02-18")),
        );
    }
    out
}

/// Last year's report, for the cross-year rules, with the cells of it that are unknown.
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    /// The figures.
    pub report: &'a Report,
    /// Its unknown cells (when it was imported from a published report).
    pub unknown: &'a crate::model::unknown::Unknown,
}

/// Runs the cross-year rules (A-in-force, B-carry) of `this` against last year's report.
pub fn check_previous(this: &Checked, previous: Previous, lang: Lang) -> Vec<Diagnostic> {
    match (&this.node, &this.report) {
        (Some(node), Some(report)) => {
            let loc = rules::YamlLocate { src: &this.source, node };
            let ctx = rules::Ctx { loc: &loc, unknown: &this.unknown, lang };
            rules::run_previous(&ctx, report, previous.report, previous.unknown)
        }
        _ => Vec::new(),
    }
}

/// Takes the cells written [`UNREAD`](crate::model::unknown::UNREAD) out of the data
/// (they become 0 in the typed report and are listed, so no rule uses them).
fn take_unread(json: &mut serde_json::Value) -> Vec<String> {
    fn walk(v: &mut serde_json::Value, path: &mut String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s == crate::model::unknown::UNREAD => {
                out.push(path.clone());
                *v = serde_json::Value::from(0u64);
            }
            serde_json::Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let len = path.len();
                    path.push('/');
                    path.push_str(k);
                    walk(child, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(a) = json.pointer_mut("/meta/agency").filter(|a| a.as_str() == Some(crate::model::unknown::UNREAD)) {
        *a = serde_json::Value::from("（机关名称未能读出）");
        out.push("/meta/agency".to_string());
    }
    for table in ["proactive", "applications", "reviews_and_lawsuits"] {
        if let Some(v) = json.get_mut(table) {
            let mut path = format!("/{table}");
            walk(v, &mut path, &mut out);
        }
    }
    out
}

/// The error at a cell still written `unread`, naming the source line the importer
/// left in the comment beside it.
fn unread_error(src: &Source, node: &Node, pointer: &str, lang: Lang) -> Diagnostic {
    let span = node.locate(pointer);
    let line_end = src.text[span.end.min(src.text.len())..].find('\n').map_or(src.text.len(), |i| span.end + i);
    let comment = src.text.get(span.end..line_end).and_then(|rest| rest.split_once('#')).map(|(_, c)| c.trim().to_string());
    let cell = crate::model::labels::describe(pointer);
    let msg = match lang {
        Lang::Zh => format!("{cell}还没有填：导入时未能从原文读出"),
        Lang::En => format!("{cell} is not filled in: it could not be read from the source"),
    };
    let hint = match (&comment, lang) {
        (Some(c), Lang::Zh) => format!("对照原文（{c}）填入数字，替换 unread"),
        (Some(c), Lang::En) => format!("look it up in the source ({c}) and replace `unread` with the figure"),
        (None, Lang::Zh) => "对照原文填入数字，替换 unread".to_string(),
        (None, Lang::En) => "look it up in the source and replace `unread` with the figure".to_string(),
    };
    Diagnostic::error(Code::Unread, msg).at(&src.name, span).hint(hint)
}

/// The prose's claims about the tables, each at the bytes of the data file where its
/// figure stands (found by searching the figure in its field's text).
fn yaml_claims(src: &Source, node: &Node, r: &Report) -> Vec<(claims::Claim, std::ops::Range<usize>)> {
    let mut fields: Vec<(String, &str)> = Vec::new();
    if let Some(p) = &r.preamble {
        fields.push(("/preamble".into(), p));
    }
    if let Some(i) = &r.overview.intro {
        fields.push(("/overview/intro".into(), i));
    }
    for (k, sec) in r.overview.sections.iter().enumerate() {
        fields.push((format!("/overview/sections/{k}/body"), &sec.body));
    }
    fields.push(("/problems".into(), &r.problems));
    fields.push(("/other_matters".into(), &r.other_matters));
    let mut out = Vec::new();
    for (pointer, text) in fields {
        let field = node.locate(&pointer);
        let in_file = src.text.get(field.clone()).unwrap_or("");
        for claim in claims::claims(text) {
            // The figure with the characters around it, as they stand in the file.
            let ctx_start = text[..claim.span.start].char_indices().rev().nth(3).map_or(0, |(i, _)| i);
            let needle = &text[ctx_start..claim.span.end];
            let span = match in_file.find(needle) {
                Some(i) => {
                    let at = field.start + i + (claim.span.start - ctx_start);
                    at..at + claim.span.len()
                }
                None => field.clone(),
            };
            out.push((claim, span));
        }
    }
    out
}
