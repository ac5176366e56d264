//! Findings for CI: GitHub Actions workflow commands and a SARIF 2.1.0 log.
//!
//! - `github`: one `::error …::message` / `::warning …` / `::notice …` line per finding, which
//!   GitHub Actions turns into an annotation on the pull request's diff. The escaping is
//!   GitHub's own (`@actions/core`): `%`, CR and LF in the message; those and `:` `,` in
//!   the properties, so a file name or message can never end a property or the command.
//! - `sarif`: one log for the whole run (every file), for code scanning. The tool's
//!   rules are our codes with their descriptions; columns are counted in Unicode code
//!   points (`columnKind`), as everywhere else here; a PDF page (`place`) becomes a
//!   logical location, since a SARIF region cannot name a page.

use serde_json::{Value, json};

use super::{Code, Diagnostic, Lang, Severity, position};

impl Code {
    /// Every code, in the order of FORMAT.md's table (checks), then the others.
    pub const ALL: [Code; 20] = [
        Code::Schema,
        Code::BBalance,
        Code::BRowTotal,
        Code::BResultsTotal,
        Code::CTotal,
        Code::AInForce,
        Code::BCarry,
        Code::Deadline,
        Code::EmptyPart,
        Code::ProseFigure,
        Code::Placeholder,
        Code::Unread,
        Code::Unchecked,
        Code::Encoding,
        Code::Syntax,
        Code::Prose,
        Code::Template,
        Code::Font,
        Code::Io,
        Code::Import,
    ];

    /// What the rule behind the code asks, in one sentence.
    pub fn describe(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Code::Schema => (
                "数据文件符合 report.schema.json（类型、必填键、无未知键）",
                "the file matches report.schema.json (types, required keys, no unknown keys)",
            ),
            Code::BBalance => (
                "每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
                "per column: received + carried over = results total + carried forward",
            ),
            Code::BRowTotal => ("填写的行总计等于六列之和", "a stated row total equals the sum of its six columns"),
            Code::BResultsTotal => {
                ("填写的（七）总计等于（一）至（六）各行之和", "a stated （七）总计 equals the sum of result rows （一）…（六）")
            }
            Code::CTotal => {
                ("表四的总计等于维持 + 纠正 + 其他 + 尚未审结", "a stated total in table C equals upheld + corrected + other + pending")
            }
            Code::AInForce => (
                "上年现行有效 + 本年制发 − 本年废止 = 现行有效（需 --previous）",
                "last year's in force + issued − repealed = in force (with --previous)",
            ),
            Code::BCarry => (
                "上年报告的结转下年度 = 本年的上年结转（需 --previous）",
                "last year's carried forward = this year's carried over (with --previous)",
            ),
            Code::Deadline => (
                "发布日期不晚于法定期限（部门1月31日，本级政府3月31日）",
                "published by the legal deadline (31 January for a department, 31 March for a government)",
            ),
            Code::EmptyPart => ("第五、六部分不为空（《条例》第五十条）", "parts 五 and 六 are not empty (Regulations art. 50)"),
            Code::ProseFigure => ("正文中写到的表格数字与表格一致", "figures stated in the prose agree with the tables"),
            Code::Placeholder => {
                ("文件中不再有 reportgen init 骨架的占位文字", "no placeholder text of the reportgen init skeleton is left in the file")
            }
            Code::Unread => ("导入时未能读出的单元格已按原文补上", "cells the importer could not read have been filled in from the source"),
            Code::Unchecked => {
                ("规则的输入有未知单元格，因而未能核对", "a rule could not be checked because some of its inputs are unknown")
            }
            Code::Encoding => ("文件是 UTF-8 编码", "the file is UTF-8"),
            Code::Syntax => ("文件是格式正确的 YAML", "the file is well-formed YAML"),
            Code::Prose => ("正文中的 {{ … }} 引用能够求值", "every {{ … }} citation in the prose evaluates"),
            Code::Template => ("模板能够加载和渲染", "the templates load and render"),
            Code::Font => ("每个字都有字体可以显示", "every character has a font"),
            Code::Io => ("文件能够读取和写入", "files can be read and written"),
            Code::Import => ("已发布的报告能够读回为数据", "the published report can be read back into data"),
        };
        lang.pick(zh, en)
    }
}

/// `%`, CR and LF escaped, as GitHub's toolkit does for a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The message escaping plus `:` and `,`, for a command's property values.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One GitHub Actions workflow command:
/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
/// Hints follow the message on their own lines; a PDF page is named in the message.
pub fn render_github(d: &Diagnostic, text: &str) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = Vec::new();
    if !d.file.is_empty() {
        props.push(format!("file={}", escape_property(&d.file)));
        if d.place.is_none()
            && let Some(((l, c), (el, ec))) = position(d, text)
        {
            props.push(format!("line={l}"));
            props.push(format!("col={c}"));
            if d.span.is_some() {
                props.push(format!("endLine={el}"));
                props.push(format!("endColumn={ec}"));
            }
        }
    }
    props.push(format!("title={}", escape_property(&format!("reportgen [{}]", d.code))));
    let mut message = d.message.clone();
    if let Some(place) = &d.place {
        message.push_str(&format!(" ({}:{place})", d.file));
    }
    for h in &d.hints {
        message.push_str("\nhint: ");
        message.push_str(h);
    }
    format!("::{command} {}::{}", props.join(","), escape_data(&message))
}

/// A path as a SARIF URI reference: `/` separators, and every byte outside the URI's
/// unreserved set (and `/`) percent-encoded, so spaces and Chinese names stay valid.
pub fn uri_reference(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_result(d: &Diagnostic, text: &str, lang: Lang) -> Value {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut message = d.message.clone();
    for h in &d.hints {
        message.push_str(&format!("\n{}{h}", lang.pick("提示：", "hint: ")));
    }
    let mut result = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
        "level": level,
        "message": { "text": message },
    });
    if !d.file.is_empty() {
        let mut physical = json!({ "artifactLocation": { "uri": uri_reference(&d.file) } });
        let mut location = json!({});
        match (&d.place, position(d, text)) {
            (Some(place), _) => {
                let name = match lang {
                    Lang::Zh => format!("第{place}页"),
                    Lang::En => format!("page {place}"),
                };
                location["logicalLocations"] =
                    json!([{ "name": name, "fullyQualifiedName": format!("{}:{place}", d.file), "kind": "page" }]);
            }
            (None, Some(((l, c), (el, ec)))) => {
                let mut region = json!({ "startLine": l, "startColumn": c });
                if d.span.is_some() {
                    region["endLine"] = json!(el);
                    region["endColumn"] = json!(ec);
                }
                physical["region"] = region;
            }
            (None, None) => {}
        }
        location["physicalLocation"] = physical;
        result["locations"] = json!([location]);
    }
    if !d.hints.is_empty() {
        result["properties"] = json!({ "hints": d.hints });
    }
    result
}

/// One SARIF 2.1.0 log of every file's findings: `files` are (findings, that file's text).
pub fn render_sarif(files: &[(&[Diagnostic], &str)], lang: Lang) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.describe(lang) },
            })
        })
        .collect();
    let results: Vec<Value> = files.iter().flat_map(|(diags, text)| diags.iter().map(|d| sarif_result(d, text, lang))).collect();
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "reportgen",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "language": lang.pick("zh-CN", "en-US"),
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
