//! The pages `serve` makes itself (index, build errors, not found) and the live-reload
//! script it injects into every HTML page it serves. The script is added to the bytes
//! on their way to the browser, never to the built files; every text from a data file
//! or a diagnostic is HTML-escaped.

use crate::diag::{Format, Lang};
use crate::prose::escape_html;

use super::{EVENTS, Page};

/// The live-reload script: it listens to the event stream and reloads when the build
/// generation differs from the one this page was served at (so a rebuild between the
/// page load and the stream's start is not missed). Inline, no external script.
pub fn script(generation: u64) -> String {
    format!(
        "<script>/* reportgen serve: live reload */(function(){{var g={generation};var s=new EventSource(\"{EVENTS}\");\
         s.addEventListener(\"reload\",function(e){{if(Number(e.data)!==g){{s.close();location.reload();}}}});}})();</script>"
    )
}

/// `html` with the live-reload script before its last `</body>` (or at the end).
pub fn inject(html: &str, generation: u64) -> String {
    let s = script(generation);
    let lower = html.to_ascii_lowercase();
    match lower.rfind("</body>") {
        Some(i) => format!("{}{s}\n{}", &html[..i], &html[i..]),
        None => format!("{html}\n{s}\n"),
    }
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.4rem}pre{background:#fff5f5;border:1px solid #e0b4b4;padding:1rem;overflow-x:auto;white-space:pre-wrap;\
font-family:'Noto Sans Mono CJK SC',monospace;font-size:.9rem;line-height:1.5}table{border-collapse:collapse;width:100%}\
td,th{border:1px solid #ccc;padding:.4rem .6rem;text-align:left}.bad{color:#a00}.ok{color:#060}a{color:#0645ad}";

fn shell(title: &str, body: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n{body}\n{}\n</body>\n</html>\n",
        escape_html(title),
        script(generation)
    )
}

/// The page shown instead of a report whose last build failed: every finding, as in the
/// terminal, escaped. It reloads by itself when the file is fixed.
pub fn error_page(p: &Page, generation: u64, lang: Lang) -> String {
    let file = p.input.display().to_string();
    let errors = p.diagnostics.iter().filter(|d| d.is_error()).count();
    let heading = match lang {
        Lang::Zh => format!("{file} 有 {errors} 个错误，未能生成"),
        Lang::En => format!("{file} has {errors} error(s) and was not built"),
    };
    let note = lang.pick(
        "修正数据文件或模板并保存，本页会自动刷新。下面的内容与终端中显示的相同。",
        "Fix the data file or template and save: this page reloads by itself. The findings below are the same as in the terminal.",
    );
    let body = format!(
        "<h1 class=\"bad\">{}</h1>\n<p>{}</p>\n<pre>{}</pre>",
        escape_html(&heading),
        escape_html(note),
        escape_html(&p.findings(Format::Human))
    );
    shell(&heading, &body, generation)
}

/// The index of several reports: agency, year, state, and a link to each output.
pub fn index(pages: &[Page], generation: u64, lang: Lang) -> String {
    let title = lang.pick("报告预览", "Report preview");
    let mut rows = String::new();
    for p in pages {
        let agency = p.agency.clone().unwrap_or_else(|| p.input.display().to_string());
        let year = p.year.map(|y| y.to_string()).unwrap_or_default();
        let state = if p.failed {
            format!("<a class=\"bad\" href=\"{}.html\">{}</a>", escape_html(&url_name(&p.stem)), lang.pick("有错误", "errors"))
        } else {
            let warnings = p.diagnostics.len();
            let ok = match lang {
                Lang::Zh if warnings > 0 => format!("已生成（{warnings} 个警告）"),
                Lang::Zh => "已生成".to_string(),
                Lang::En if warnings > 0 => format!("built ({warnings} warning(s))"),
                Lang::En => "built".to_string(),
            };
            format!("<span class=\"ok\">{ok}</span>")
        };
        let links: Vec<String> =
            p.outputs.keys().map(|name| format!("<a href=\"{}\">{}</a>", escape_html(&url_name(name)), escape_html(name))).collect();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{state}</td><td>{}</td></tr>\n",
            escape_html(&agency),
            escape_html(&year),
            escape_html(&p.input.display().to_string()),
            links.join(" · ")
        ));
    }
    let head = match lang {
        Lang::Zh => "<tr><th>机关</th><th>年度</th><th>数据文件</th><th>状态</th><th>输出</th></tr>",
        Lang::En => "<tr><th>Agency</th><th>Year</th><th>Data file</th><th>State</th><th>Outputs</th></tr>",
    };
    shell(title, &format!("<h1>{}</h1>\n<table>\n{head}\n{rows}</table>", escape_html(title)), generation)
}

/// A 404 page (it too reloads, so a file that appears after the next build shows).
pub fn not_found(name: &str, generation: u64, lang: Lang) -> String {
    let msg = match lang {
        Lang::Zh => format!("没有 {name}：只能访问本次构建生成的文件"),
        Lang::En => format!("no {name}: only the files of the current build are served"),
    };
    shell(&msg, &format!("<h1>{}</h1>\n<p><a href=\"/\">/</a></p>", escape_html(&msg)), generation)
}

/// A file name as a URL path: percent-encoded outside the unreserved characters.
pub fn url_name(name: &str) -> String {
    let mut out = String::from("/");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
