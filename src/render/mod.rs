//! Checked report → documents. One context ([`Context`]) serves every format; each
//! format is one function. HTML and Markdown go through minijinja templates (embedded
//! defaults, overridable file by file); PDF goes through the embedded Typst compiler;
//! DOCX is Office Open XML written directly ([`docx`]).

pub mod chart;
pub mod charts;
pub mod compare;
pub mod docx;
pub mod grid;
pub mod pdf;
pub mod templates;
pub mod tujie;
pub mod vars;

use serde::Serialize;

use crate::model::Report;
use crate::prose::{self, Block};

pub use templates::Templates;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum OutputFormat {
    /// One self-contained HTML file.
    Html,
    /// CommonMark + GFM tables.
    #[value(name = "md")]
    Markdown,
    /// A4 PDF typeset by the embedded Typst compiler.
    Pdf,
    /// The Word document (.docx) offices edit and sign off.
    Docx,
    /// A Typst project folder (`<stem>-typst/`) that compiles to the same PDF.
    Typst,
    /// The one-page 图解: `<stem>-tujie.html` and `<stem>-tujie.pdf`.
    Tujie,
}

impl OutputFormat {
    /// Every format, in build order.
    pub const ALL: [OutputFormat; 4] = [OutputFormat::Html, OutputFormat::Markdown, OutputFormat::Pdf, OutputFormat::Docx];

    /// The file extension of the output.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Html => "html",
            OutputFormat::Markdown => "md",
            OutputFormat::Pdf => "pdf",
            OutputFormat::Docx => "docx",
            OutputFormat::Typst => "typst",
            OutputFormat::Tujie => "tujie",
        }
    }
}

/// A prose field, rendered for every target.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Prose {
    /// Safe HTML.
    pub html: String,
    /// Escaped Markdown.
    pub md: String,
    /// The block tree (for Typst).
    pub blocks: Vec<Block>,
    /// Whether there is any content.
    pub empty: bool,
}

impl Prose {
    fn new(src: &str) -> Prose {
        let blocks = prose::parse_markdown(src);
        Prose { html: prose::to_html(&blocks), md: prose::to_markdown(&blocks), empty: blocks.is_empty(), blocks }
    }
}

/// A numbered sub-section of part 一.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "NumberedSection")]
pub struct Section {
    /// （一）, （二）, …
    pub number: String,
    /// Title as written.
    pub title: String,
    /// Body.
    pub body: Prose,
}

/// A link after part 六.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LinkOut {
    /// Title as written.
    pub title: String,
    /// A safe http(s) address, if any.
    pub url: Option<String>,
}

/// The three tables, as grids and flattened.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Tables {
    /// Table A.
    pub a: grid::Grid,
    /// Table B.
    pub b: grid::Grid,
    /// Table C.
    pub c: grid::Grid,
    /// Table A for Markdown (one small table per 第二十条 item).
    pub flat_a: Vec<grid::Flat>,
    /// Table B for Markdown.
    pub flat_b: grid::Flat,
    /// Table C for Markdown.
    pub flat_c: grid::Flat,
}

/// Everything a template sees.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Context {
    /// The report's title.
    pub title: String,
    /// 机关名称.
    pub agency: String,
    /// Whether the title already names the agency (else the meta line shows it).
    pub title_names_agency: bool,
    /// 统计年度.
    pub year: u16,
    /// 发布日期, as written.
    pub published: Option<String>,
    /// 来源.
    pub source: Option<String>,
    /// 责任编辑.
    pub editor: Option<String>,
    /// 统计期限, printed from the year: `2023年1月1日至2023年12月31日`.
    pub period: String,
    /// The preamble (given, or the default sentence with the period).
    pub preamble: Prose,
    /// Part 一's introduction.
    pub intro: Option<Prose>,
    /// Part 一's sections, numbered.
    pub sections: Vec<Section>,
    /// The six part titles, with their numbers: `一、总体情况` …
    pub parts: [&'static str; 6],
    /// The tables.
    pub tables: Tables,
    /// Part 五.
    pub problems: Prose,
    /// Part 六.
    pub other_matters: Prose,
    /// Links after part 六.
    pub links: Vec<LinkOut>,
    /// The report data with totals filled (for designers who want raw figures).
    pub report: Report,
}

/// The six part titles.
pub const PARTS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// （一）…（二十）; beyond that, （21）.
pub fn section_number(i: usize) -> String {
    const N: [&str; 20] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九",
        "二十",
    ];
    match N.get(i) {
        Some(n) => format!("（{n}）"),
        None => format!("（{}）", i + 1),
    }
}

impl Context {
    /// Builds the context from an expanded report (totals filled, prose expanded).
    pub fn new(r: &Report) -> Context {
        let y = r.meta.year;
        let period = format!("{y}年1月1日至{y}年12月31日");
        let preamble = match &r.preamble {
            Some(p) => p.clone(),
            None => format!("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制本报告，报告数据统计期限为{period}。"),
        };
        Context {
            title: r.title(),
            agency: r.meta.agency.clone(),
            title_names_agency: r.title().starts_with(&r.meta.agency),
            year: y,
            published: r.meta.published.clone(),
            source: r.meta.source.clone(),
            editor: r.meta.editor.clone(),
            period,
            preamble: Prose::new(&preamble),
            intro: r.overview.intro.as_deref().map(Prose::new).filter(|p| !p.empty),
            sections: r
                .overview
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| Section { number: section_number(i), title: s.title.clone(), body: Prose::new(&s.body) })
                .collect(),
            parts: PARTS,
            tables: Tables {
                a: grid::table_a(r),
                b: grid::table_b(r),
                c: grid::table_c(r),
                flat_a: grid::flat_a(r),
                flat_b: grid::flat_b(r),
                flat_c: grid::flat_c(r),
            },
            problems: Prose::new(&r.problems),
            other_matters: Prose::new(&r.other_matters),
            links: r.links.iter().map(|l| LinkOut { title: l.title.clone(), url: l.url.clone().filter(|u| prose::safe_url(u)) }).collect(),
            report: r.clone(),
        }
    }
}
