//! Charts: the SVG parses as XML (roxmltree), its labels and figures are text that a
//! test can read, no two labels overlap (long labels, big figures, many series, many
//! years), everything stays inside the picture, fills are greys or patterns, hostile text
//! is escaped, an unknown figure reads 未读出; and in the PDF the chart's text is text
//! (pdftotext) whose real glyph boxes do not collide either.

use std::process::Command;

use reportgen::render::chart::{Bar, BarChart, Panel, TrendChart, bar_chart, text_width, trend_chart};

/// pdftotext's text of a PDF.
pub fn pdftotext(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The text content of every `<text>` element, in order.
pub fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the chart is well-formed XML");
    doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").to_string()).collect()
}

#[derive(Debug, Clone, Copy)]
struct BoxF {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl BoxF {
    fn overlaps(&self, o: &BoxF) -> bool {
        let eps = 0.5;
        self.x0 < o.x1 - eps && o.x0 < self.x1 - eps && self.y0 < o.y1 - eps && o.y0 < self.y1 - eps
    }
}

fn attr(n: &roxmltree::Node, a: &str) -> f64 {
    n.attribute(a).unwrap_or_else(|| panic!("<{}> has {a}", n.tag_name().name())).parse().unwrap()
}

/// Checks the geometry of a chart: it is an SVG with a viewBox; no two texts overlap;
/// no text overlaps a bar; everything is inside the picture. Returns the texts.
fn check_layout(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    let vb: Vec<f64> = root.attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
    let (w, h) = (vb[2], vb[3]);
    let mut boxes = Vec::new();
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let s = n.text().unwrap_or("");
        let size = attr(&n, "font-size");
        let (x, y) = (attr(&n, "x"), attr(&n, "y"));
        let tw = text_width(s, size);
        let x0 = match n.attribute("text-anchor") {
            Some("end") => x - tw,
            Some("middle") => x - tw / 2.0,
            _ => x,
        };
        let b = BoxF { x0, y0: y - 0.9 * size, x1: x0 + tw, y1: y + 0.2 * size };
        assert!(b.x0 >= -0.5 && b.x1 <= w + 0.5 && b.y0 >= -0.5 && b.y1 <= h + 0.5, "“{s}” {b:?} leaves the {w}×{h} picture");
        boxes.push((s.to_string(), b));
    }
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            assert!(!boxes[i].1.overlaps(&boxes[j].1), "“{}” {:?} overlaps “{}” {:?}", boxes[i].0, boxes[i].1, boxes[j].0, boxes[j].1);
        }
    }
    let in_defs = |n: &roxmltree::Node| n.ancestors().any(|a| a.has_tag_name("defs"));
    for r in doc.descendants().filter(|n| n.has_tag_name("rect") && !in_defs(n)) {
        let (rw, rh) = (attr(&r, "width"), attr(&r, "height"));
        if rw >= w - 0.5 && rh >= h - 0.5 {
            continue; // the background
        }
        let b = BoxF { x0: attr(&r, "x"), y0: attr(&r, "y"), x1: attr(&r, "x") + rw, y1: attr(&r, "y") + rh };
        assert!(b.x1 <= w + 0.5 && b.y1 <= h + 0.5, "a bar leaves the picture: {b:?}");
        for (s, t) in &boxes {
            assert!(!t.overlaps(&b), "“{s}” {t:?} overlaps a bar {b:?}");
        }
    }
    boxes.into_iter().map(|(s, _)| s).collect()
}

fn chart(series: usize, bars: Vec<Bar>) -> BarChart {
    BarChart {
        id: "t".into(),
        title: "测试图表（件）".into(),
        series: (0..series).map(|i| format!("{}年", 2019 + i)).collect(),
        bars,
        percent: false,
        unknown: "未读出".into(),
    }
}

#[test]
fn a_bar_chart_is_svg_whose_labels_and_figures_are_text() {
    let svg = bar_chart(&chart(1, vec![Bar::new("予以公开", vec![Some(55.0)]), Bar::new("部分公开", vec![Some(0.0)])]));
    let t = check_layout(&svg);
    assert_eq!(t, vec!["测试图表（件）", "予以公开", "55", "部分公开", "0"]);
}

#[test]
fn long_labels_and_big_figures_never_collide() {
    let long = "平潭综合实验区综合执法与应急管理局（行政审批、综合执法、应急管理、消防救援）";
    let bars = vec![
        Bar::new(long, vec![Some(123_456_789_012.0), Some(1.0), Some(0.0), None, Some(99_999.5)]),
        Bar::new("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", vec![Some(7.0); 5]),
        Bar::heading("行政诉讼·未经复议直接起诉后又经过复议再起诉的一个很长的分组标题用来测试换行"),
        Bar::new("A", vec![Some(1e12), Some(1e12), Some(1e12), Some(1e12), Some(1e12)]),
        Bar::new("2024 2025 2026 2027 2028 2029 2030 2031 2032 2033", vec![None; 5]),
    ];
    let svg = bar_chart(&chart(5, bars));
    let t = check_layout(&svg);
    assert!(t.iter().any(|s| s == "123456789012"), "big figures are written in full: {t:?}");
    assert!(t.iter().any(|s| s.ends_with('…')), "a label too long for two lines is cut with …: {t:?}");
    // The full label stays available as the bar's title.
    assert!(svg.contains(&format!("<title>{long}</title>")));
    // Five series: five legend entries, five distinct fills.
    for y in 2019..2024 {
        assert!(t.contains(&format!("{y}年")));
    }
}

#[test]
fn a_trend_over_many_years_with_big_figures_keeps_labels_apart() {
    let years: Vec<String> = (2012..2026).map(|y| format!("{y}年")).collect();
    let big: Vec<Option<f64>> = (0..14).map(|i| Some(9_876_543_210.0 + i as f64)).collect();
    let mut gaps = big.clone();
    gaps[3] = None;
    let c = TrendChart {
        id: "trend".into(),
        title: "历年变化".into(),
        years,
        panels: vec![
            Panel { label: "新收申请（件）以及一个相当长的指标名称".into(), values: big, percent: false },
            Panel { label: "公开率".into(), values: (0..14).map(|i| Some(i as f64 / 13.0)).collect(), percent: true },
            Panel { label: "行政复议".into(), values: gaps, percent: false },
        ],
    };
    let svg = trend_chart(&c);
    let t = check_layout(&svg);
    assert!(t.iter().any(|s| s == "2012年") && t.iter().any(|s| s == "2025年"));
    assert!(t.iter().any(|s| s == "100.0%") && t.iter().any(|s| s == "9876543210"));
    assert!(t.iter().any(|s| s == "?"), "an unknown year reads ?: {t:?}");
    let path_breaks = svg.matches(" M").count() + svg.matches("\"M").count();
    assert!(path_breaks >= 4, "the line is not drawn across the unknown year");
}

#[test]
fn fills_are_greys_or_patterns_and_series_differ() {
    let svg = bar_chart(&chart(4, vec![Bar::new("甲", vec![Some(1.0), Some(2.0), Some(3.0), Some(4.0)])]));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut bar_fills = Vec::new();
    for n in doc.descendants() {
        for a in ["fill", "stroke"] {
            if let Some(v) = n.attribute(a).filter(|v| v.starts_with('#')) {
                let (r, g, b) = (&v[1..3], &v[3..5], &v[5..7]);
                assert!(r == g && g == b, "{a}={v} is not a grey");
            }
        }
        if n.has_tag_name("rect") && n.ancestors().any(|a| a.has_tag_name("g")) {
            bar_fills.push(n.attribute("fill").unwrap().to_string());
        }
    }
    assert_eq!(bar_fills.len(), 4);
    let mut distinct = bar_fills.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "each series has its own grey or hatching: {bar_fills:?}");
    for f in bar_fills.iter().filter(|f| f.starts_with("url(#")) {
        let id = &f[5..f.len() - 1];
        assert!(doc.descendants().any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some(id)), "pattern {id} is defined");
        assert!(id.starts_with("t-"), "pattern ids carry the chart's id, so charts on one page do not clash");
    }
}

#[test]
fn hostile_text_is_escaped_and_unknown_is_not_zero() {
    let evil = "<script>alert('x')</script> & \"引号\" \u{1}";
    let mut c = chart(1, vec![Bar::new(evil, vec![None])]);
    c.title = evil.into();
    let svg = bar_chart(&c);
    let doc = roxmltree::Document::parse(&svg).expect("still well-formed");
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")), "no element from the data");
    let t = texts(&svg);
    assert!(t.iter().any(|s| s.starts_with("<script>alert('x')</script> & \"引号\"")), "the text reads as written: {t:?}");
    assert!(t.contains(&"未读出".to_string()), "{t:?}");
    assert!(!t.contains(&"0".to_string()), "an unknown figure is never drawn as 0: {t:?}");
}

/// Word boxes of a PDF page by pdftotext -bbox: (text, xMin, yMin, xMax, yMax).
fn word_boxes(pdf: &std::path::Path) -> Vec<(String, BoxF)> {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    let mut words = Vec::new();
    for part in html.split("<word ").skip(1) {
        let num = |k: &str| -> f64 {
            let i = part.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            part[i..i + part[i..].find('"').unwrap()].parse().unwrap()
        };
        let text = &part[part.find('>').unwrap() + 1..part.find("</word>").unwrap()];
        words.push((text.to_string(), BoxF { x0: num("xMin"), y0: num("yMin"), x1: num("xMax"), y1: num("yMax") }));
    }
    words
}

#[test]
fn the_pdf_holds_the_charts_text_and_real_glyphs_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::bin().args(["build", "examples/shiyi-scjg-2024.yaml", "-f", "tujie", "-o"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = dir.path().join("shiyi-scjg-2024-tujie.pdf");
    let text = pdftotext(&pdf);
    for s in [
        "申请办理结果（件）",
        "新收申请的申请人（件）",
        "行政复议、行政诉讼结果（件）",
        "予以公开",
        "法律服务机构",
        "行政许可",
        "5321",
        "尚未审结",
    ] {
        assert!(text.contains(s), "the chart text {s} is text in the PDF:\n{text}");
    }
    // Chart text uses the embedded fonts: every font in the PDF is embedded, none is a
    // fallback that would show boxes.
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let faces: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!faces.is_empty());
    for f in &faces {
        assert!(f.contains("Noto") && f.split_whitespace().rev().nth(4) == Some("yes"), "embedded Noto only: {f}");
    }
    let words = word_boxes(&pdf);
    assert!(words.len() > 100, "{} words", words.len());
    for i in 0..words.len() {
        for j in i + 1..words.len() {
            let (a, b) = (&words[i], &words[j]);
            let shrink = |w: &BoxF| BoxF { x0: w.x0 + 0.3, y0: w.y0 + 0.3, x1: w.x1 - 0.3, y1: w.y1 - 0.3 };
            assert!(!shrink(&a.1).overlaps(&shrink(&b.1)), "“{}” {:?} collides with “{}” {:?}", a.0, a.1, b.0, b.1);
        }
    }
}
