//! The PDF's tables hold any figure the schema allows: with figures of 1 to 12 digits in
//! every cell of tables A, B and C (totals up to 13), built through the library, every
//! figure extracts as itself (`pdftotext -bbox`), in reading order; no two glyph boxes
//! overlap; a figure keeps clear of its neighbours (the padding of both cells); everything
//! stays inside the text block; and table B stays on one page. The checks can fail: the
//! fixed layout this replaced fails them.

use std::process::Command;

use reportgen::render::pdf::Fonts;
use reportgen::render::{Context, Templates};
use reportgen::{Code, Lang};

const COLUMNS: [&str; 6] =
    ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org", "other_org"];
const RESULTS: [(&str, &[&str]); 4] = [
    (
        "withheld",
        &[
            "state_secret",
            "prohibited_by_law",
            "endangers_security_stability",
            "third_party_rights",
            "internal_affairs",
            "process_information",
            "law_enforcement_file",
            "administrative_query",
        ],
    ),
    ("unavailable", &["not_held", "needs_creation", "unclear_after_correction"]),
    ("not_processed", &["petition_or_complaint", "duplicate", "publication", "excessive_repeated", "confirm_or_reissue"]),
    ("other", &["overdue_correction", "unpaid_fee", "other"]),
];

/// A `digits`-digit figure, different from cell to cell (`i`): 1234…, 2345…, …
fn figure(digits: usize, i: usize) -> u64 {
    let s: String = (0..digits).map(|j| b"1234567890"[(i + j) % 10] as char).collect();
    let s = match s.strip_prefix('0') {
        Some(rest) => format!("9{rest}"),
        None => s,
    };
    s.parse().unwrap()
}

/// A report with a `digits`-digit figure in every cell. Table B must balance (本年新收 +
/// 上年结转 = 办理结果总计 + 结转下年度) with every count at most `MAX_COUNT`, so its 23 result
/// and carried-forward cells are capped below `MAX_COUNT` / 23 (11 digits) and 本年新收 is
/// what balances (up to 12 digits); the computed totals reach 13.
pub(crate) fn wide_report(digits: usize) -> String {
    let cap = reportgen::model::MAX_COUNT / 23;
    let mut i = 0;
    let mut next = |capped: bool| {
        i += 1;
        let v = figure(digits, i);
        if capped { v.min(cap - i as u64 * 7919) } else { v }
    };
    let mut y = String::from("meta:\n  agency: 测试县人民政府\n  year: 2024\n  kind: government\n  published: 2025-03-01\n");
    let (a, b, c, d, e, f) = (next(false), next(false), next(false), next(false), next(false), next(false));
    y.push_str(&format!(
        "proactive:\n  rules: {{ issued: {a}, repealed: {b}, in_force: {c} }}\n  normative_documents: {{ issued: {d}, repealed: {e}, in_force: {f} }}\n"
    ));
    let fees = if digits <= 10 { format!("{}.25", next(false)) } else { next(false).to_string() };
    y.push_str(&format!("  licensing: {}\n  punishment: {}\n  enforcement: {}\n  fees: {fees}\n", next(false), next(false), next(false)));
    let mut row = || COLUMNS.map(|_| next(true));
    let disclosed = row();
    let partial = row();
    let groups: Vec<Vec<[u64; 6]>> = RESULTS.iter().map(|(_, keys)| keys.iter().map(|_| row()).collect()).collect();
    let forward = row();
    let over = row();
    let mut received = [0u64; 6];
    for (k, r) in received.iter_mut().enumerate() {
        let results: u64 = disclosed[k] + partial[k] + groups.iter().flatten().map(|g| g[k]).sum::<u64>();
        *r = results + forward[k] - over[k];
    }
    let map = |r: &[u64; 6]| format!("{{ {} }}", COLUMNS.iter().zip(r).map(|(c, v)| format!("{c}: {v}")).collect::<Vec<_>>().join(", "));
    y.push_str(&format!("applications:\n  received: {}\n  carried_over: {}\n  results:\n", map(&received), map(&over)));
    y.push_str(&format!("    disclosed: {}\n    partially_disclosed: {}\n", map(&disclosed), map(&partial)));
    for ((group, keys), rows) in RESULTS.iter().zip(&groups) {
        y.push_str(&format!("    {group}:\n"));
        for (k, r) in keys.iter().zip(rows) {
            y.push_str(&format!("      {k}: {}\n", map(r)));
        }
    }
    y.push_str(&format!("  carried_forward: {}\nreviews_and_lawsuits:\n", map(&forward)));
    for g in ["review", "lawsuit_direct", "lawsuit_after_review"] {
        y.push_str(&format!(
            "  {g}: {{ upheld: {}, corrected: {}, other: {}, pending: {} }}\n",
            next(false),
            next(false),
            next(false),
            next(false)
        ));
    }
    y.push_str("problems: 无。\nother_matters: 无。\n");
    y
}

/// A word of `pdftotext -bbox`: page (from 0), box in points (origin top left), text.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub(crate) page: usize,
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
    pub(crate) text: String,
}

impl Word {
    pub(crate) fn is_figure(&self) -> bool {
        self.text.chars().all(|c| c.is_ascii_digit() || c == '.') && self.text.chars().any(|c| c.is_ascii_digit())
    }
    /// The middle 60% of the box's height: poppler's boxes are a full em high, taller than
    /// the glyphs and than the lines of a table cell (or the stacked characters of table B's
    /// vertical label).
    fn band(&self) -> (f64, f64) {
        let h = self.y1 - self.y0;
        (self.y0 + 0.2 * h, self.y1 - 0.2 * h)
    }
    /// Whether the two glyph bands share some height (the same line, or cells side by side).
    pub(crate) fn beside(&self, o: &Word) -> bool {
        let ((a0, a1), (b0, b1)) = (self.band(), o.band());
        self.page == o.page && a0 < b1 && b0 < a1
    }
}

pub(crate) fn words(pdf: &std::path::Path) -> Vec<Word> {
    let out = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let mut ws = Vec::new();
    for (page, p) in html.split("<page ").skip(1).enumerate() {
        for w in p.split("<word ").skip(1) {
            let attr = |name: &str| -> f64 {
                let at = w.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                w[at..at + w[at..].find('"').unwrap()].parse().unwrap()
            };
            let text = &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()];
            ws.push(Word { page, x0: attr("xMin"), y0: attr("yMin"), x1: attr("xMax"), y1: attr("yMax"), text: text.to_string() });
        }
    }
    ws
}

/// Figure words in reading order: page, then line (tops within a point), then left to right.
pub(crate) fn reading_order(mut fs: Vec<Word>) -> Vec<Word> {
    fs.sort_by(|a, b| (a.page, a.y0).partial_cmp(&(b.page, b.y0)).unwrap());
    let mut lines: Vec<Vec<Word>> = Vec::new();
    for w in fs {
        match lines.last_mut() {
            Some(l) if l[0].page == w.page && (w.y0 - l[0].y0).abs() < 1.0 => l.push(w),
            _ => lines.push(vec![w]),
        }
    }
    lines
        .into_iter()
        .flat_map(|mut l| {
            l.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap());
            l
        })
        .collect()
}

pub(crate) const MM: f64 = 72.0 / 25.4;

/// Builds the report with `digits`-digit figures through the library (embedded fonts,
/// `templates`) and checks its PDF; the first fault found, if any.
fn build_and_check(digits: usize, templates: &Templates, fonts: &Fonts, dir: &std::path::Path) -> Result<(), String> {
    let yaml = wide_report(digits);
    let checked = reportgen::check_bytes("wide.yaml", yaml.as_bytes(), &reportgen::Options::default());
    assert!(!checked.has_errors(), "{digits} digits: {:?}", checked.diagnostics);
    let ctx = Context::new(checked.expanded.as_ref().unwrap());
    let (pdf, warnings) = reportgen::render::pdf::render(&ctx, templates, fonts, &checked.source, Lang::Zh);
    assert!(warnings.iter().all(|w| w.code != Code::Template), "{digits} digits: {warnings:?}");
    let path = dir.join(format!("wide-{digits}.pdf"));
    std::fs::write(&path, pdf.expect("the PDF compiles")).unwrap();
    let ws = words(&path);

    // Inside the text block (A4, 156 mm wide; the binding margin alternates 28/26 mm). A
    // line may begin with an opening bracket set in half its width, whose box sticks out.
    let (left, right) = (26.0 * MM, (210.0 - 26.0) * MM);
    for w in &ws {
        let slack = if w.is_figure() { 0.5 } else { 5.0 };
        if w.x0 < left - slack || w.x1 > right + slack {
            return Err(format!("{w:?} leaves the text block"));
        }
    }
    // Every figure, as itself, in the order of the tables (page numbers, in the footer
    // below the 225 mm text block, are not figures of a table).
    let bottom = (37.0 + 225.0) * MM;
    let figures = reading_order(ws.iter().filter(|w| w.is_figure() && w.y1 < bottom).cloned().collect());
    let t = &ctx.tables;
    let expected: Vec<&str> = [&t.a, &t.b, &t.c]
        .iter()
        .flat_map(|g| g.head.iter().chain(&g.body).flatten().filter(|c| c.number).map(|c| c.text.as_str()))
        .collect();
    let widest = expected.iter().map(|s| s.len()).max().unwrap();
    assert!(widest >= digits, "{digits} digits: the widest figure has {widest}");
    let got: Vec<&str> = figures.iter().map(|w| w.text.as_str()).collect();
    if got != expected {
        let at = got.iter().zip(&expected).position(|(g, e)| g != e).unwrap_or(got.len().min(expected.len()));
        return Err(format!("figure {at} extracts as {:?}, not {:?}", got.get(at), expected.get(at)));
    }
    // Table B on one page.
    let count = |g: &reportgen::render::grid::Grid| g.head.iter().chain(&g.body).flatten().filter(|c| c.number).count();
    let b = &figures[count(&t.a)..count(&t.a) + count(&t.b)];
    if b.iter().any(|w| w.page != b[0].page) {
        return Err("table B breaks across pages".into());
    }
    // In the text block, no two glyph boxes overlap; a figure keeps clear of whatever stands
    // beside it by the padding of both cells (2 × 3pt, less half a point): it has not run
    // into the padding, let alone into the next cell.
    let body: Vec<&Word> = ws.iter().filter(|w| w.y1 < bottom).collect();
    for (i, w) in body.iter().enumerate() {
        for o in body[i + 1..].iter().filter(|o| w.beside(o)) {
            let gap = if w.x1 <= o.x0 {
                o.x0 - w.x1
            } else if o.x1 <= w.x0 {
                w.x0 - o.x1
            } else {
                -1.0
            };
            if gap < 0.0 {
                return Err(format!("{w:?} overlaps {o:?}"));
            }
            if (w.is_figure() || o.is_figure()) && gap < 5.5 {
                return Err(format!("{w:?} and {o:?} are {gap:.1}pt apart"));
            }
        }
    }
    Ok(())
}

#[test]
fn figures_of_any_width_stay_in_their_cells() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have poppler-utils");
        return;
    }
    let (fonts, templates) = (Fonts::load(&[], false), Templates::default());
    let dir = tempfile::tempdir().unwrap();
    for digits in 1..=12 {
        if let Err(e) = build_and_check(digits, &templates, &fonts, dir.path()) {
            panic!("{digits} digits: {e}");
        }
    }
}

/// The checks above can fail: with the layout this replaces (fixed columns, figures at the
/// table's size) small figures pass and 7-digit ones (9 with totals) run into the next cell.
#[test]
fn a_fixed_layout_fails_the_checks() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        return;
    }
    let default = reportgen::render::templates::DEFAULTS.iter().find(|(n, _)| *n == "report.typ").unwrap().1;
    let fixed = default.replace("if need <= (block-width - lsum) / n {", "if true {");
    assert_ne!(fixed, default);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.typ"), &fixed).unwrap();
    let templates = Templates { dir: Some(dir.path().to_path_buf()) };
    let fonts = Fonts::load(&[], false);
    assert_eq!(build_and_check(3, &templates, &fonts, dir.path()), Ok(()));
    let e = build_and_check(7, &templates, &fonts, dir.path()).expect_err("7-digit figures overflow a fixed layout");
    assert!(["overlaps", "apart", "extracts as", "leaves the text block"].iter().any(|f| e.contains(f)), "{e}");
}
