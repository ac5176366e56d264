//! The embedded fonts alone show every real name: every character of every GB/T 2260
//! division name (`tests/fixtures/fonts/gbt2260-divisions.tsv`) is in every embedded face,
//! and a report that prints them all, in every face the template uses, compiles with no
//! `font` warning; a character outside the subsets does warn, through the same path.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::OnceLock;

use reportgen::render::pdf::{EMBEDDED_FONTS, Fonts};
use reportgen::render::{Context, Templates};
use reportgen::{Code, Diagnostic, Lang};

/// The division names of the fixture (code, TAB, name; `#` lines are its source note).
fn division_names() -> Vec<String> {
    let text = std::fs::read_to_string(crate::fixture("fonts/gbt2260-divisions.tsv")).unwrap();
    let names: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').nth(1).expect("code, TAB, name").to_string())
        .collect();
    assert!(names.len() > 3000, "the fixture lists every division ({})", names.len());
    names
}

/// The names of the issue, which GB 2312 lacks characters of.
const ISSUE_NAMES: [&str; 3] = ["宿州市埇桥区人民政府", "信阳市浉河区", "王喆、李堃、张珺、刘昇"];

/// The embedded fonts only, as on a fresh machine (`--ignore-system-fonts`).
fn embedded_only() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::load(&[], false))
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A report printing `names` in every face the default template uses: the title (小标宋
/// fallback: Noto Serif Bold) holds every distinct character; each （一） heading (楷体: LXGW
/// WenKai) a run of names; each body the same names plain (仿宋 fallback: Noto Serif), in
/// bold (黑体 fallback: Noto Sans) and in emphasis (楷体 again).
fn report_yaml(names: &[String]) -> String {
    let chars: BTreeSet<char> = names.iter().flat_map(|n| n.chars()).collect();
    let title: String = chars.into_iter().collect();
    let mut y = format!("meta:\n  agency: {}\n  year: 2024\n  title: {}\n", quoted(&names[0]), quoted(&title));
    y.push_str("overview:\n  sections:\n");
    for chunk in names.chunks(120) {
        let run = chunk.join("、");
        y.push_str(&format!("    - title: {}\n      body: {}\n", quoted(&run), quoted(&format!("{run}。**{run}**。*{run}*。"))));
    }
    y.push_str("problems: 无。\nother_matters: 无。\n");
    y
}

/// Compiles `yaml` to PDF through the library with the embedded fonts alone.
fn render(yaml: &str) -> (Vec<u8>, Vec<Diagnostic>) {
    let checked = reportgen::check_bytes("names.yaml", yaml.as_bytes(), &reportgen::Options::default());
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let report = checked.expanded.clone().unwrap();
    let ctx = Context::new(&report);
    let (pdf, warnings) = reportgen::render::pdf::render(&ctx, &Templates::default(), embedded_only(), &checked.source, Lang::Zh);
    (pdf.expect("the PDF compiles"), warnings)
}

fn font_warnings(ws: &[Diagnostic]) -> Vec<&Diagnostic> {
    ws.iter().filter(|d| d.code == Code::Font).collect()
}

#[test]
fn every_embedded_face_has_every_division_name() {
    let mut names = division_names();
    names.extend(ISSUE_NAMES.iter().map(|s| s.to_string()));
    let chars: BTreeSet<char> = names.iter().flat_map(|n| n.chars()).filter(|c| *c != '、').collect();
    assert!(chars.len() > 1000);
    for (file, data) in EMBEDDED_FONTS {
        for font in typst::text::Font::iter(typst::foundations::Bytes::new(*data)) {
            let missing: String = chars.iter().filter(|c| !font.info().coverage.contains(**c as u32)).collect();
            assert!(missing.is_empty(), "{file} lacks {missing}");
        }
    }
}

#[test]
fn every_division_name_renders_with_the_embedded_fonts_alone() {
    let mut names = division_names();
    names.extend(ISSUE_NAMES.iter().map(|s| s.to_string()));
    let (pdf, warnings) = render(&report_yaml(&names));
    let fw = font_warnings(&warnings);
    assert!(fw.is_empty(), "{} font warnings, first: {}", fw.len(), fw[0].message);
    if Command::new("pdffonts").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have poppler-utils");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("names.pdf");
    std::fs::write(&path, &pdf).unwrap();
    // Every face the template uses is there, embedded.
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
    for face in ["NotoSerifCJKsc-Bold", "NotoSerifCJKsc-Regular", "NotoSansCJKsc-Regular", "LXGWWenKai-Regular"] {
        assert!(fonts.lines().any(|l| l.contains(face) && l.contains(" yes yes yes ")), "{face} not embedded:\n{fonts}");
    }
    // And every name extracts as itself, in the headings and in the text.
    let out = Command::new("pdftotext").arg("-raw").arg(&path).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Without the page numbers (— 5 —), which fall inside runs that cross a page.
    let text: String = text
        .lines()
        .filter(|l| !(l.trim().starts_with('—') && l.trim().ends_with('—')))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace() && *c != '\u{c}')
        .collect();
    for chunk in names.chunks(120) {
        let run = chunk.join("、");
        assert!(text.matches(&run).count() >= 4, "not printed four times: {run}");
    }
}

/// The check above can fail: a character outside the subsets (龘, U+9F98, in neither GB 2312
/// nor the 通用规范汉字表, though the full Noto fonts have it) warns, naming it.
#[test]
fn a_character_outside_the_subsets_warns() {
    let c = '龘';
    assert!(!std::fs::read_to_string(crate::root().join("assets/fonts/tongyong-guifan-8105.txt")).unwrap().contains(c));
    let mut names: Vec<String> = ISSUE_NAMES.iter().map(|s| s.to_string()).collect();
    names.push(format!("{c}县"));
    let (_, warnings) = render(&report_yaml(&names));
    let fw = font_warnings(&warnings);
    assert_eq!(fw.len(), 1, "{:?}", fw.iter().map(|d| &d.message).collect::<Vec<_>>());
    assert!(fw[0].message.contains("U+9F98"), "{}", fw[0].message);
}
