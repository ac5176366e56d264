//! The JSON Schema: generated from the model's types, and used to validate a data file
//! so that every mismatch is reported at once, each at the YAML position of the value
//! (or key) at fault, in words a clerk understands.

use std::sync::OnceLock;

use jsonschema::JsonType;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::diag::{Code, Diagnostic, Lang};
use crate::load::{Node, Source};
use crate::model::Report;

/// The JSON Schema of the data file (draft-07, which yaml-language-server and most
/// editors understand), with a Chinese `title` and `description` on every property.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<Report>().to_value();
    drop_object_defaults(&mut schema);
    if let Value::Object(map) = &mut schema {
        map.insert("$id".into(), Value::String("https://reportgen.invalid/schema/report.schema.json".into()));
    }
    schema
}

/// `reportgen schema`'s output: the schema, pretty-printed, with a final newline.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("a schema is always serializable");
    s.push('\n');
    s
}

/// Removes `default`s that are whole objects: every omitted count is 0, and a default
/// that spells out all 150 cells of table B would only clutter an editor's hover.
fn drop_object_defaults(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.get("default").is_some_and(|d| d.is_object() || d.is_array()) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_object_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_object_defaults),
        _ => {}
    }
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| jsonschema::options().with_draft(jsonschema::Draft::Draft7).build(&schema()).expect("the generated schema is valid"))
}

/// Validates the tree against the schema; one diagnostic per problem, all of them.
pub fn validate(src: &Source, root: &Node, json: &Value, lang: Lang) -> Vec<Diagnostic> {
    let schema = schema();
    let mut out = Vec::new();
    for err in validator().iter_errors(json) {
        let path = err.instance_path().as_str().to_string();
        let instance: &Value = err.instance();
        out.extend(describe(src, root, &schema, &path, err.kind(), instance, lang));
        if out.len() >= 200 {
            out.push(
                Diagnostic::error(Code::Schema, lang.pick("问题太多，只列出前 200 个", "too many problems; only the first 200 are listed"))
                    .in_file(&src.name),
            );
            break;
        }
    }
    out
}

/// Follows `$ref` to `#/definitions/…`.
fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    let mut s = s;
    for _ in 0..8 {
        if let Some([only]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            s = only;
        }
        match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/definitions/")) {
            Some(name) => match root.pointer(&format!("/definitions/{name}")) {
                Some(t) => s = t,
                None => break,
            },
            None => break,
        }
    }
    s
}

/// The schema that describes the instance at `pointer`, with the titles met on the way.
fn schema_at<'a>(root: &'a Value, pointer: &str) -> (Option<&'a Value>, Vec<String>) {
    let mut s = root;
    let mut titles = Vec::new();
    for part in pointer.split('/').skip(1) {
        let r = resolve(root, s);
        let r = match r.get("anyOf").and_then(Value::as_array) {
            Some(alts) => {
                alts.iter().map(|a| resolve(root, a)).find(|a| a.get("properties").is_some() || a.get("items").is_some()).unwrap_or(r)
            }
            None => r,
        };
        let next = r.get("properties").and_then(|p| p.get(part)).or_else(|| r.get("items"));
        match next {
            Some(n) => {
                if let Some(t) = n.get("title").and_then(Value::as_str) {
                    titles.push(t.to_string());
                } else if part.parse::<usize>().is_ok() {
                    titles.push(format!("第{}项", part.parse::<usize>().unwrap_or(0) + 1));
                }
                s = n;
            }
            None => return (None, titles),
        }
    }
    (Some(resolve(root, s)), titles)
}

fn allowed_keys(root: &Value, pointer: &str) -> Vec<(String, String)> {
    let (s, _) = schema_at(root, pointer);
    let Some(s) = s else { return Vec::new() };
    let s = match s.get("anyOf").and_then(Value::as_array) {
        Some(alts) => alts.iter().map(|a| resolve(root, a)).find(|a| a.get("properties").is_some()).unwrap_or(s),
        None => s,
    };
    s.get("properties")
        .and_then(Value::as_object)
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v.get("title").and_then(Value::as_str).unwrap_or("").to_string())).collect())
        .unwrap_or_default()
}

/// The dotted path a user reads: `applications.received.natural_person`.
pub fn dotted(pointer: &str) -> String {
    let p = pointer.trim_start_matches('/').replace('/', ".");
    if p.is_empty() { "（顶层）".into() } else { p }
}

fn show(v: &Value) -> String {
    crate::diag::clip(
        &match v {
            Value::String(s) => format!("“{s}”"),
            other => other.to_string(),
        },
        60,
    )
}

fn type_name(t: JsonType, lang: Lang) -> &'static str {
    match t {
        JsonType::Integer => lang.pick("非负整数", "a non-negative whole number"),
        JsonType::Number => lang.pick("数字", "a number"),
        JsonType::String => lang.pick("文本", "text"),
        JsonType::Object => lang.pick("键值对（下一级用缩进写 key: value）", "a mapping (indented key: value lines)"),
        JsonType::Array => lang.pick("列表（每项以 - 开头）", "a list (items starting with -)"),
        JsonType::Boolean => lang.pick("true 或 false", "true or false"),
        JsonType::Null => lang.pick("空", "empty"),
    }
}

/// Levenshtein distance in characters, for "did you mean".
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The allowed key closest to `key`, by spelling or by its Chinese title.
fn suggest(key: &str, allowed: &[(String, String)]) -> Option<String> {
    if let Some((k, _)) = allowed.iter().find(|(_, t)| !t.is_empty() && (t.contains(key) || key.contains(t.as_str()))) {
        return Some(k.clone());
    }
    let lower = key.to_lowercase().replace(['-', ' '], "_");
    allowed
        .iter()
        .map(|(k, _)| (distance(&lower, k), k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(2))
        .min()
        .map(|(_, k)| k.clone())
}

fn describe(
    src: &Source,
    root: &Node,
    schema: &Value,
    path: &str,
    kind: &ValidationErrorKind,
    instance: &Value,
    lang: Lang,
) -> Vec<Diagnostic> {
    let (_, mut titles) = schema_at(schema, path);
    if titles.len() > 2 {
        titles.drain(..titles.len() - 2);
    }
    let label = if titles.is_empty() { format!("`{}`", dotted(path)) } else { format!("`{}`（{}）", dotted(path), titles.join(" · ")) };
    let here = root.locate(path);
    // Show the value as the author typed it (a huge number stays as written).
    let typed = root
        .get(path)
        .filter(|n| !matches!(n.kind, crate::load::NodeKind::Map(_) | crate::load::NodeKind::Seq(_)))
        .and_then(|n| src.text.get(n.span.clone()))
        .filter(|t| !t.is_empty());
    let show = |v: &Value| typed.map(|t| crate::diag::clip(t, 60)).unwrap_or_else(|| show(v));
    let err = |msg: String| Diagnostic::error(Code::Schema, msg).at(&src.name, here.clone());
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|key| {
                let child = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                let span = root.key_span(&child).unwrap_or_else(|| here.clone());
                let allowed = allowed_keys(schema, path);
                let names: Vec<&str> = allowed.iter().map(|(k, _)| k.as_str()).collect();
                let parent = if path.is_empty() { lang.pick("顶层", "the top level").to_string() } else { format!("`{}`", dotted(path)) };
                let mut d = Diagnostic::error(
                    Code::Schema,
                    match lang {
                        Lang::Zh => format!("未知的键 `{}`：{parent} 下没有这一项", crate::diag::clip(key, 40)),
                        Lang::En => format!("unknown key `{}`: {parent} has no such entry", crate::diag::clip(key, 40)),
                    },
                )
                .at(&src.name, span);
                let bare = key.trim_matches(|c: char| c.is_whitespace() || c == '：');
                if key.contains('\u{3000}') {
                    d = d.hint(
                        lang.pick("键里有全角空格：缩进要用半角空格", "the key contains a full-width space: indent with ASCII spaces"),
                    );
                }
                if key.contains('：') {
                    d = d.hint(lang.pick(
                        "键里有全角冒号“：”：要用英文冒号加空格",
                        "the key contains a full-width colon: use an ASCII colon and a space",
                    ));
                }
                if let Some(s) = suggest(bare, &allowed) {
                    d = d.hint(match lang {
                        Lang::Zh => format!("是不是 `{s}`？"),
                        Lang::En => format!("did you mean `{s}`?"),
                    });
                }
                d.hint(match lang {
                    Lang::Zh => format!("可用的键：{}", names.join("、")),
                    Lang::En => format!("allowed keys: {}", names.join(", ")),
                })
            })
            .collect(),
        ValidationErrorKind::Required { property } => {
            let prop = property.as_str().unwrap_or_default();
            let child = format!("{path}/{prop}");
            let (_, t) = schema_at(schema, &child);
            let title = t.last().cloned().unwrap_or_default();
            // `agency:` with nothing after it is dropped as "omitted": point at that key.
            let (span, empty) = match root.key_span(&child) {
                Some(s) => (s, true),
                None => (here.clone(), false),
            };
            let msg = match (lang, empty) {
                (Lang::Zh, true) => format!("必填项 `{}`（{title}）是空的", dotted(&child)),
                (Lang::Zh, false) => format!("缺少必填项 `{}`（{title}）", dotted(&child)),
                (Lang::En, true) => format!("required `{}` ({title}) is empty", dotted(&child)),
                (Lang::En, false) => format!("required `{}` ({title}) is missing", dotted(&child)),
            };
            vec![Diagnostic::error(Code::Schema, msg).at(&src.name, span)]
        }
        ValidationErrorKind::Type { kind } => {
            let want: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![type_name(*t, lang)],
                TypeKind::Multiple(set) => set.iter().filter(|t| *t != JsonType::Null).map(|t| type_name(t, lang)).collect(),
            };
            let fraction = matches!(kind, TypeKind::Single(JsonType::Integer)) && instance.is_f64();
            let mut d = err(match lang {
                Lang::Zh => format!("{label} 应为{}，这里是 {}", want.join("或"), show(instance)),
                Lang::En => format!("{label} must be {}, found {}", want.join(" or "), show(instance)),
            });
            if fraction {
                d = d.hint(lang.pick("件数、数量只能是整数，不能有小数", "counts are whole numbers"));
            } else if instance.is_string() && want.iter().any(|w| w.contains("整数") || w.contains("whole")) {
                d = d.hint(lang.pick("只写阿拉伯数字，不加单位或引号，如 `57`", "write digits only, no unit or quotes, e.g. `57`"));
            }
            vec![d]
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            let negative = limit.as_f64() == Some(0.0);
            vec![err(match (lang, negative) {
                (Lang::Zh, true) => format!("{label} 不能为负数，这里是 {}", show(instance)),
                (Lang::En, true) => format!("{label} cannot be negative, found {}", show(instance)),
                (Lang::Zh, false) => format!("{label} 不能小于 {limit}，这里是 {}", show(instance)),
                (Lang::En, false) => format!("{label} must be at least {limit}, found {}", show(instance)),
            })]
        }
        ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => vec![
            err(match lang {
                Lang::Zh => format!("{label} 太大：{}，最大为 {limit}", show(instance)),
                Lang::En => format!("{label} is too large: {}, at most {limit}", show(instance)),
            })
            .hint(lang.pick("请核对是否多打了数字", "check for extra digits")),
        ],
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options.as_array().map(|a| a.iter().map(|o| o.to_string()).collect()).unwrap_or_default();
            vec![err(match lang {
                Lang::Zh => format!("{label} 只能是 {}，这里是 {}", opts.join(" 或 "), show(instance)),
                Lang::En => format!("{label} must be one of {}, found {}", opts.join(", "), show(instance)),
            })]
        }
        ValidationErrorKind::MinLength { .. } => vec![err(match lang {
            Lang::Zh => format!("{label} 不能为空"),
            Lang::En => format!("{label} cannot be empty"),
        })],
        ValidationErrorKind::Pattern { .. } | ValidationErrorKind::Format { .. } => {
            let d = err(match lang {
                Lang::Zh => format!("{label} 格式不对：{}", show(instance)),
                Lang::En => format!("{label} is malformed: {}", show(instance)),
            });
            let hint = if path.ends_with("/published") {
                lang.pick("日期写成 YYYY-MM-DD，如 2024-02-18", "write dates as YYYY-MM-DD, e.g. 2024-02-18")
            } else if path.ends_with("/url") {
                lang.pick("网址以 http:// 或 https:// 开头，中间不能有空格", "a URL starts with http:// or https:// and has no spaces")
            } else {
                ""
            };
            vec![if hint.is_empty() { d } else { d.hint(hint) }]
        }
        other => vec![err(crate::diag::clip(&format!("{label}: {other:?}"), 200))],
    }
}
