//! HTML and our own Markdown → the line-per-cell text the importer reads.

/// Whether the text is an HTML page.
pub fn looks_like_html(t: &str) -> bool {
    let head: String = t.chars().take(4000).collect::<String>().to_ascii_lowercase();
    head.contains("<html") || head.contains("<table") || head.contains("<!doctype html") || head.contains("<td")
}

/// Whether the text is Markdown with GFM tables (as `reportgen build` writes).
pub fn looks_like_our_markdown(t: &str) -> bool {
    t.lines().any(|l| l.starts_with("|:---|") || l.starts_with("|---:|")) && t.starts_with("# ")
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ldquo" => '“',
        "rdquo" => '”',
        "mdash" => '—',
        "middot" => '·',
        _ => {
            let n = name.strip_prefix('#')?;
            let v = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(v)?
        }
    })
}

/// Decodes character references.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        match tail.find(';').filter(|&j| j <= 10).and_then(|j| entity(&tail[..j]).map(|c| (c, j))) {
            Some((c, j)) => {
                out.push(c);
                rest = &tail[j + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let i = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[i..];
    let (q, rest) = match rest.chars().next()? {
        '"' => ('"', &rest[1..]),
        '\'' => ('\'', &rest[1..]),
        _ => (' ', rest),
    };
    let end = rest.find([q, '>']).unwrap_or(rest.len());
    Some(decode_entities(&rest[..end]))
}

/// HTML → text: one table cell per line, blocks separated by blank lines, scripts and
/// styles dropped, emphasis kept as Markdown, list items as `- `, report links as
/// `链接：title <url>`.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip: Option<String> = None;
    let mut lists: Vec<(bool, u64)> = Vec::new();
    let mut in_links = false;
    let mut href: Option<String> = None;
    let mut cell_start: Option<usize> = None;
    while let Some(i) = rest.find('<') {
        let text = &rest[..i];
        if skip.is_none() {
            out.push_str(&decode_entities(&text.replace(['\n', '\r'], " ")));
        }
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i + 1..i + j];
        rest = &rest[i + j + 1..];
        if tag.starts_with("!--") {
            if let Some(k) = rest.find("-->") {
                rest = &rest[k + 3..];
            }
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String =
            tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        if let Some(s) = &skip {
            if closing && &name == s {
                skip = None;
            }
            continue;
        }
        match (name.as_str(), closing) {
            ("script" | "style" | "head" | "noscript" | "template" | "caption", false) => skip = Some(name),
            ("br", _) => out.push('\n'),
            ("span", true) => out.push_str("  "),
            ("td" | "th", false) => {
                out.push('\n');
                cell_start = Some(out.len());
            }
            ("td" | "th", true) => {
                // One line per cell: its text and a `|`, or a lone `|` for an empty cell.
                let start = cell_start.take().unwrap_or(out.len()).min(out.len());
                if out[start..].trim().is_empty() {
                    out.truncate(start);
                    out.push_str("|\n");
                } else {
                    let keep = out.trim_end().len();
                    out.truncate(keep);
                    let body = out.split_off(start).split_whitespace().collect::<Vec<_>>().join(" ");
                    out.push_str(&body);
                    out.push_str(" |\n");
                }
            }
            ("tr", true) => out.push('\n'),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section" | "header" | "footer" | "table" | "blockquote" | "pre",
                _,
            ) => out.push_str("\n\n"),
            ("ul" | "ol", false) => {
                let start = attr(tag, "start").and_then(|s| s.parse().ok()).unwrap_or(1);
                in_links = attr(tag, "class").is_some_and(|c| c.split(' ').any(|c| c == "links"));
                lists.push((name == "ol", start));
                out.push('\n');
            }
            ("ul" | "ol", true) => {
                lists.pop();
                in_links = false;
                out.push_str("\n\n");
            }
            ("li", false) => {
                out.push_str("\n\n");
                if in_links {
                    out.push_str("链接：");
                } else if let Some((ordered, n)) = lists.last_mut() {
                    if *ordered {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    } else {
                        out.push_str("- ");
                    }
                }
            }
            ("strong" | "b", _) => out.push_str("**"),
            ("em" | "i", _) => out.push('*'),
            ("a", false) => href = attr(tag, "href"),
            ("a", true) => {
                if in_links && let Some(u) = href.take() {
                    out.push_str(&format!(" <{u}>"));
                }
            }
            _ => {}
        }
    }
    if skip.is_none() {
        out.push_str(&decode_entities(rest));
    }
    // Tidy: trim lines, at most one blank line in a row.
    let mut tidy = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        let t = line.trim_matches(|c: char| c == ' ' || c == '\t');
        if t.is_empty() {
            blank += 1;
            if blank == 1 {
                tidy.push('\n');
            }
        } else {
            blank = 0;
            tidy.push_str(t);
            tidy.push('\n');
        }
    }
    tidy
}

/// Our Markdown → text: table rows as `cell |` lines (alignment rows dropped), heading
/// marks and backslash escapes removed, links after part 六 as `链接：title <url>`.
pub fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let t = line.trim_end();
        if t.starts_with("|:---") || t.starts_with("|---") {
            continue;
        }
        let t = t.trim_start_matches('#').trim_start();
        if let Some(rest) = t.strip_prefix("- 链接：") {
            match rest.strip_prefix('[').filter(|r| r.ends_with(">)")).and_then(|r| r.rfind("](<").map(|k| (r, k))) {
                Some((r, k)) => out.push_str(&format!("\n链接：{} <{}>\n", unescape(&r[..k]), unescape(&r[k + 3..r.len() - 2]))),
                None => out.push_str(&format!("\n链接：{}\n", unescape(rest))),
            }
            continue;
        }
        if t.starts_with('|') {
            // Split on unescaped pipes.
            let mut cell = String::new();
            let mut prev = ' ';
            for c in t.chars().skip(1) {
                if c == '|' && prev != '\\' {
                    out.push_str(&format!("{} |\n", unescape(cell.trim())));
                    cell.clear();
                } else {
                    cell.push(c);
                }
                prev = c;
            }
            continue;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

fn unescape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut esc = false;
    for c in s.chars() {
        if esc || c != '\\' {
            o.push(c);
            esc = false;
        } else {
            esc = true;
        }
    }
    o
}
