//! Charts as SVG, drawn here directly: one renderer for every format (inlined in HTML,
//! an in-memory image in the Typst PDF).
//!
//! Why not a plotting crate: these are a few bar charts and small line panels whose
//! hard requirements (no label ever overlapping another, every figure written on the
//! chart, Chinese text as text, greyscale-safe fills) are about layout, which a plotting
//! crate leaves to the caller anyway; the SVG itself is a few elements. So the layout is
//! computed by construction: each bar has its own row, its label a reserved column on
//! the left (wrapped onto two lines, then cut with "…", the full text in a `<title>`), its
//! figure a reserved column on the right; trend panels space the years by the widest
//! figure. Text widths are estimated from the character classes (a Han character is one
//! em, a digit about 0.56 em), on the generous side.
//!
//! Fills are distinct greys and hatch patterns, so a black-and-white print keeps the
//! series apart, and every figure is also printed as text beside its bar. Pattern ids
//! are prefixed with the chart's id, as several charts share one HTML page. Every piece
//! of text is escaped for XML.

use std::fmt::Write as _;

/// The fonts named in the SVG: the embedded Noto Sans CJK SC first (what Typst uses),
/// then faces common on readers' machines.
pub const FONT_FAMILY: &str = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const WIDTH: f64 = 400.0;
const PAD: f64 = 8.0;
const LABEL: f64 = 14.0;
const VALUE: f64 = 13.0;
const TITLE: f64 = 15.0;
const BAR: f64 = 15.0;

/// Escapes text for XML content and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t') => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// The estimated width of `s` at `size`: generous, so estimated room is real room.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            ' ' => 0.32,
            '0'..='9' => 0.58,
            '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
            '%' => 0.92,
            'A'..='Z' | '?' | '+' | '−' | '-' | '—' => 0.68,
            'a'..='z' => 0.58,
            c if (c as u32) < 0x2E80 => 0.7,
            _ => 1.0,
        })
        .sum::<f64>()
        * size
}

/// Whether a line may break before and after `c` (a Han character, punctuation).
fn breaks_around(c: char) -> bool {
    (c as u32) >= 0x2E80 || c == ' '
}

/// `s` wrapped to `max` width on at most `lines` lines; the last cut with "…". Lines
/// break between Han characters or at spaces, not inside a run of digits or letters
/// (`2024` stays whole) unless the run alone is too wide.
pub fn wrap(s: &str, size: f64, max: f64, lines: usize) -> Vec<String> {
    // Units: a Han character, a space, or a run of other characters.
    let mut units: Vec<String> = Vec::new();
    for c in s.chars() {
        match units.last_mut() {
            Some(u) if !breaks_around(c) && !u.chars().last().is_some_and(breaks_around) => u.push(c),
            _ => units.push(c.to_string()),
        }
    }
    // A run wider than a line is broken into characters after all.
    let units: Vec<String> =
        units.into_iter().flat_map(|u| if text_width(&u, size) > max { u.chars().map(String::from).collect() } else { vec![u] }).collect();
    let mut out = vec![String::new()];
    for u in units {
        let count = out.len();
        let cur = out.last_mut().expect("one line");
        let next = format!("{cur}{u}");
        if text_width(next.trim_end(), size) <= max || cur.is_empty() {
            *cur = next;
        } else if count < lines {
            let t = cur.trim_end().to_string();
            *cur = t;
            out.push(u.trim_start().to_string());
        } else {
            let mut t = cur.trim_end().to_string();
            while !t.is_empty() && text_width(&format!("{t}…"), size) > max {
                t.pop();
            }
            t.push('…');
            *cur = t;
            return out;
        }
    }
    out
}

/// A fill for series `i`: distinct in greyscale (solid greys and hatchings).
fn fill(id: &str, i: usize) -> String {
    match i % 5 {
        0 => "#2b2b2b".into(),
        1 => format!("url(#{id}-p1)"),
        2 => "#8c8c8c".into(),
        3 => format!("url(#{id}-p3)"),
        _ => "#d4d4d4".into(),
    }
}

fn patterns(id: &str) -> String {
    format!(
        "<defs><pattern id=\"{id}-p1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><rect width=\"3\" height=\"6\" fill=\"#555555\"/></pattern>\
<pattern id=\"{id}-p3\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"5\" height=\"5\" fill=\"#ffffff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#333333\"/></pattern></defs>"
    )
}

fn open_svg(id: &str, w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" role=\"img\" aria-labelledby=\"{id}-t\" \
viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" font-family=\"{FONT_FAMILY}\">\
<title id=\"{id}-t\">{}</title>{}<rect width=\"{w:.0}\" height=\"{h:.0}\" fill=\"#ffffff\"/>",
        escape_xml(title),
        patterns(id)
    )
}

fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, extra: &str, s: &str) {
    let _ = write!(out, "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\"{extra}>{}</text>", escape_xml(s));
}

/// One bar (or one group of bars, one per series) of a bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The category's label.
    pub label: String,
    /// One figure per series; `None` when unknown.
    pub values: Vec<Option<f64>>,
    /// Printed after each figure (e.g. 不可比), if any.
    pub note: Option<String>,
    /// A heading row instead of a bar (the group the following bars belong to).
    pub heading: bool,
    /// What a missing figure reads as when it is not unknown but undefined (a rate with
    /// nothing to divide by: `—`); `None` for the chart's unknown text.
    pub undefined: Option<String>,
}

impl Bar {
    /// A bar with these figures.
    pub fn new(label: impl Into<String>, values: Vec<Option<f64>>) -> Bar {
        Bar { label: label.into(), values, note: None, heading: false, undefined: None }
    }

    /// A heading row.
    pub fn heading(label: impl Into<String>) -> Bar {
        Bar { label: label.into(), values: Vec::new(), note: None, heading: true, undefined: None }
    }
}

/// A horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Unique within a page (pattern ids are derived from it).
    pub id: String,
    /// The title, printed on the chart.
    pub title: String,
    /// Series names (a legend is drawn when there are two or more).
    pub series: Vec<String>,
    /// Bars, top to bottom.
    pub bars: Vec<Bar>,
    /// Figures are shares (0–1) printed as per cent.
    pub percent: bool,
    /// What an unknown figure reads as (未读出).
    pub unknown: String,
}

fn figure(v: Option<f64>, percent: bool, unknown: &str) -> String {
    match v {
        None => unknown.to_string(),
        Some(v) if percent => format!("{:.1}%", v * 100.0),
        Some(v) => crate::compare::fmt_figure(v),
    }
}

/// Draws a bar chart.
pub fn bar_chart(c: &BarChart) -> String {
    let id = sanitize_id(&c.id);
    let n = c.series.len().max(1);
    // Headings span the whole width; only bar labels need the label column.
    let labels: Vec<String> = c.bars.iter().filter(|b| !b.heading).map(|b| b.label.clone()).collect();
    let label_w = labels.iter().map(|l| text_width(l, LABEL)).fold(0.0, f64::max).min(WIDTH * 0.4);
    let value_text = |b: &Bar, v: Option<f64>| {
        let f = figure(v, c.percent, b.undefined.as_deref().unwrap_or(&c.unknown));
        match &b.note {
            Some(n) => format!("{f} {n}"),
            None => f,
        }
    };
    let value_w = c.bars.iter().flat_map(|b| b.values.iter().map(move |v| text_width(&value_text(b, *v), VALUE))).fold(0.0, f64::max) + 6.0;
    let x0 = PAD + label_w + 8.0;
    let x1 = (WIDTH - PAD - value_w).max(x0 + 40.0);
    let width = (x1 + value_w + PAD).max(WIDTH);
    let max = c.bars.iter().flat_map(|b| b.values.iter().flatten()).fold(0.0f64, |a, &v| a.max(v));
    let max = if c.percent { max.max(1.0) } else { max };

    let mut body = String::new();
    let mut y = PAD + TITLE + 4.0;
    text(&mut body, PAD, y - 4.0, TITLE, "start", " font-weight=\"bold\"", &c.title);
    y += 6.0;
    if c.series.len() > 1 {
        y = legend(&mut body, &id, &c.series, y, width);
    }
    for b in &c.bars {
        let line_h = LABEL * 1.25;
        if b.heading {
            let lines = wrap(&b.label, LABEL, width - 2.0 * PAD, 2);
            y += 4.0;
            for (i, l) in lines.iter().enumerate() {
                text(&mut body, PAD, y + LABEL + i as f64 * line_h, LABEL, "start", " font-weight=\"bold\"", l);
            }
            y += lines.len() as f64 * line_h + 4.0;
            continue;
        }
        let lines = wrap(&b.label, LABEL, label_w, 2);
        let block = (n as f64 * (BAR + 2.0) - 2.0).max(lines.len() as f64 * line_h);
        let _ = write!(body, "<g class=\"bar\"><title>{}</title>", escape_xml(&b.label));
        let label_top = y + (block - lines.len() as f64 * line_h) / 2.0;
        for (i, l) in lines.iter().enumerate() {
            text(&mut body, PAD + label_w, label_top + LABEL * 0.95 + i as f64 * line_h, LABEL, "end", " class=\"label\"", l);
        }
        let bars_top = y + (block - (n as f64 * (BAR + 2.0) - 2.0)) / 2.0;
        for (s, v) in b.values.iter().enumerate() {
            let by = bars_top + s as f64 * (BAR + 2.0);
            let len = match v {
                Some(v) if max > 0.0 => (v / max * (x1 - x0)).max(if *v > 0.0 { 1.5 } else { 0.0 }),
                _ => 0.0,
            };
            let unknown = v.is_none() && b.undefined.is_none();
            if v.is_some() {
                let _ = write!(
                    body,
                    "<rect x=\"{x0:.1}\" y=\"{by:.1}\" width=\"{len:.1}\" height=\"{BAR}\" fill=\"{}\" stroke=\"#333333\" stroke-width=\"0.6\"/>",
                    fill(&id, s)
                );
            } else if unknown {
                let _ = write!(
                    body,
                    "<rect x=\"{x0:.1}\" y=\"{by:.1}\" width=\"24\" height=\"{BAR}\" fill=\"none\" stroke=\"#777777\" stroke-width=\"0.8\" stroke-dasharray=\"2 2\"/>"
                );
            }
            let vx = x0 + if unknown { 24.0 } else { len } + 4.0;
            let grey = if v.is_some() { "" } else { " fill=\"#555555\"" };
            text(&mut body, vx, by + BAR * 0.8, VALUE, "start", &format!(" class=\"value\"{grey}"), &value_text(b, *v));
        }
        // The axis, bar by bar, so it never crosses a heading.
        let _ = write!(
            body,
            "<line x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x0:.1}\" y2=\"{:.1}\" stroke=\"#333333\" stroke-width=\"1\"/>",
            y - 4.5,
            y + block + 4.5
        );
        body.push_str("</g>");
        y += block + 9.0;
    }
    let height = y + PAD;
    format!("{}{body}</svg>", open_svg(&id, width, height, &c.title))
}

/// The legend: a swatch and a name per series, wrapped onto more lines as needed.
fn legend(out: &mut String, id: &str, series: &[String], mut y: f64, width: f64) -> f64 {
    let mut x = PAD;
    for (i, s) in series.iter().enumerate() {
        let w = 16.0 + text_width(s, LABEL) + 20.0;
        if x + w > width - PAD && x > PAD {
            x = PAD;
            y += LABEL * 1.5;
        }
        let _ = write!(
            out,
            "<rect class=\"swatch\" x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"#333333\" stroke-width=\"0.6\"/>",
            y + 2.0,
            fill(id, i)
        );
        text(out, x + 16.0, y + LABEL - 1.0, LABEL, "start", " class=\"legend\"", s);
        x += w;
    }
    y + LABEL * 1.5 + 4.0
}

/// One panel of a trend chart: a figure over the years.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// What the figure is.
    pub label: String,
    /// One figure per year; `None` when unknown (or undefined).
    pub values: Vec<Option<f64>>,
    /// Shares (0–1) printed as per cent.
    pub percent: bool,
}

/// Small multiples over the years: one panel per figure, each with its own scale, every
/// point labelled with its figure.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    /// Unique within a page.
    pub id: String,
    /// The title.
    pub title: String,
    /// The years, oldest first.
    pub years: Vec<String>,
    /// Panels, top to bottom.
    pub panels: Vec<Panel>,
}

/// Draws a trend chart. Years are spaced by the widest figure, so labels never touch.
pub fn trend_chart(c: &TrendChart) -> String {
    let id = sanitize_id(&c.id);
    let n = c.years.len().max(1);
    let label_w = c.panels.iter().map(|p| text_width(&p.label, LABEL)).fold(0.0, f64::max).min(WIDTH * 0.3);
    let widest = c
        .panels
        .iter()
        .flat_map(|p| p.values.iter().map(move |v| text_width(&figure(*v, p.percent, "?"), VALUE)))
        .chain(c.years.iter().map(|y| text_width(y, VALUE)))
        .fold(0.0, f64::max);
    let x0 = PAD + label_w + 12.0 + widest / 2.0;
    let room = WIDTH - PAD - widest / 2.0 - x0;
    let step = if n > 1 { (room / (n - 1) as f64).max(widest + 12.0) } else { 0.0 };
    let width = (x0 + step * (n - 1) as f64 + widest / 2.0 + PAD).max(WIDTH);
    let xs: Vec<f64> = (0..n).map(|i| x0 + step * i as f64).collect();

    let mut body = String::new();
    let mut y = PAD + TITLE;
    text(&mut body, PAD, y, TITLE, "start", " font-weight=\"bold\"", &c.title);
    y += 10.0;
    let (top, plot, bottom) = (VALUE + 6.0, 34.0, 10.0);
    for p in &c.panels {
        let lines = wrap(&p.label, LABEL, label_w, 2);
        let _ = write!(body, "<g class=\"panel\"><title>{}</title>", escape_xml(&p.label));
        for (i, l) in lines.iter().enumerate() {
            text(&mut body, PAD, y + top + LABEL + i as f64 * LABEL * 1.25, LABEL, "start", " class=\"label\"", l);
        }
        let base = y + top + plot;
        let _ = write!(
            body,
            "<line x1=\"{:.1}\" y1=\"{base:.1}\" x2=\"{:.1}\" y2=\"{base:.1}\" stroke=\"#bbbbbb\" stroke-width=\"0.8\"/>",
            xs[0] - 6.0,
            xs[n - 1] + 6.0
        );
        let max = p.values.iter().flatten().fold(0.0f64, |a, &v| a.max(v));
        // Shares are drawn on their full scale, 0 to 100%.
        let max = if p.percent { 1.0 } else { max };
        let ys: Vec<Option<f64>> = p.values.iter().map(|v| v.map(|v| if max > 0.0 { base - v / max * plot } else { base })).collect();
        let mut path = String::new();
        for (i, py) in ys.iter().enumerate() {
            if let Some(py) = py {
                let cmd = if i > 0 && ys[i - 1].is_some() { 'L' } else { 'M' };
                let _ = write!(path, "{cmd}{:.1} {py:.1} ", xs[i]);
            }
        }
        if !path.is_empty() {
            let _ = write!(body, "<path d=\"{}\" fill=\"none\" stroke=\"#222222\" stroke-width=\"2\"/>", path.trim_end());
        }
        for (i, (v, py)) in p.values.iter().zip(&ys).enumerate() {
            let label = figure(*v, p.percent, "?");
            match py {
                Some(py) => {
                    let _ = write!(body, "<circle cx=\"{:.1}\" cy=\"{py:.1}\" r=\"3.2\" fill=\"#222222\"/>", xs[i]);
                    text(&mut body, xs[i], py - 6.0, VALUE, "middle", " class=\"value\"", &label);
                }
                None => text(&mut body, xs[i], base - 4.0, VALUE, "middle", " class=\"value\" fill=\"#555555\"", &label),
            }
        }
        body.push_str("</g>");
        y += top + plot + bottom;
    }
    y += VALUE;
    for (i, yr) in c.years.iter().enumerate() {
        text(&mut body, xs[i], y, VALUE, "middle", " class=\"year\"", yr);
    }
    let height = y + PAD + 4.0;
    format!("{}{body}</svg>", open_svg(&id, width, height, &c.title))
}

/// An id safe in XML and CSS: letters, digits, `-` and `_` only.
fn sanitize_id(id: &str) -> String {
    let s: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) { s } else { format!("c{s}") }
}
