//! The fixed parts of the package: XML escaping, the styles (the 公文 look), settings,
//! the font table with its stock fallbacks, numbering for lists, the page-number
//! footers, content types, relationships and document properties.
//!
//! Every element is written in the order the OOXML schema prescribes (Word refuses a
//! document whose `w:rPr` or `w:pPr` children are out of order).

use std::fmt::Write;

/// The WordprocessingML main namespace and the others a part declares.
pub const NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
);

/// The XML declaration every part starts with.
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Text for element content and attribute values: markup characters escaped, line
/// breaks and tabs as character references (so attribute values keep them), and
/// characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) shown as U+FFFD
/// instead of making the part unreadable.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' => o.push_str("&#9;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c if allowed(c) => o.push(c),
            _ => o.push('\u{FFFD}'),
        }
    }
    o
}

/// Whether XML 1.0 allows the character in a document.
fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The line pitch (twips) giving 22 lines in the 225 mm text block.
pub const LINE_PITCH: u32 = 579;

/// Character spacing of the body (twips): 16 pt characters condensed to 15.7 pt, so 28
/// fit a line of 156 mm.
pub const CONDENSE: i32 = -6;

/// Twips (1/20 pt) per millimetre.
pub const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// Millimetres → twips, rounded.
pub fn mm(v: f64) -> u32 {
    (v * TWIPS_PER_MM).round() as u32
}

/// Chinese type sizes (号) in half-points, as `w:sz` takes them.
pub mod hao {
    /// 2号, 22 pt: the title.
    pub const ER: u32 = 44;
    /// 3号, 16 pt: the body.
    pub const SAN: u32 = 32;
    /// 4号, 14 pt: page numbers.
    pub const SI: u32 = 28;
    /// 小四, 12 pt: the meta line, links, signature.
    pub const XIAOSI: u32 = 24;
    /// 5号, 10.5 pt: table A.
    pub const WU: u32 = 21;
    /// 小五, 9 pt: tables B and C.
    pub const XIAOWU: u32 = 18;
}

/// The fonts as offices have them, each with the stock Windows/WPS face that stands in
/// for it (`w:altName`), its PANOSE number and the GB 2312 character set.
pub const FONTS: &[(&str, &str, &str, &str)] = &[
    // (name, alternative, panose, family)
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "modern"),
    ("方正小标宋简体", "宋体", "03000509000000000000", "script"),
    ("黑体", "SimHei", "02010609060101010101", "modern"),
    ("楷体_GB2312", "楷体", "02010609030101010101", "modern"),
    ("宋体", "SimSun", "02010600030101010101", "auto"),
    ("仿宋", "FangSong", "02010609060101010101", "modern"),
    ("楷体", "KaiTi", "02010609060101010101", "modern"),
];

/// Body face (3号 text).
pub const FANG: &str = "仿宋_GB2312";
/// Title face.
pub const TITLE: &str = "方正小标宋简体";
/// 一、 headings, table column headings.
pub const HEI: &str = "黑体";
/// （一） headings.
pub const KAI: &str = "楷体_GB2312";
/// Page numbers.
pub const SONG: &str = "宋体";
/// Figures and Latin text (GB/T 9704 prints figures in a Roman face).
pub const LATIN: &str = "Times New Roman";

/// `w:fontTable`.
pub fn font_table() -> String {
    let mut o = format!("{DECL}<w:fonts {NS}>");
    for (name, alt, panose, family) in FONTS {
        let _ = write!(
            o,
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        );
    }
    o.push_str(
        r#"<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    );
    o.push_str(
        r#"<w:font w:name="Courier New"><w:panose1 w:val="02070309020205020404"/><w:charset w:val="00"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    );
    o.push_str("</w:fonts>");
    o
}

/// `w:rFonts` naming an East-Asian face, with Times New Roman for figures and Latin text.
pub fn rfonts(east_asia: &str) -> String {
    format!(r#"<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east_asia}" w:cs="{LATIN}"/>"#)
}

/// One paragraph style. `ppr` and `rpr` are the children of `w:pPr` / `w:rPr`, already
/// in schema order.
fn pstyle(o: &mut String, id: &str, name: &str, based: Option<&str>, next: Option<&str>, ppr: &str, rpr: &str) {
    // Word's built-in styles (heading 1, Title, footer, …) keep their names; ours are custom.
    let custom = if name.starts_with("Report ") || name == "Source Code" { r#" w:customStyle="1""# } else { "" };
    let _ = write!(o, r#"<w:style w:type="paragraph"{custom} w:styleId="{id}"><w:name w:val="{name}"/>"#);
    if let Some(b) = based {
        let _ = write!(o, r#"<w:basedOn w:val="{b}"/>"#);
    }
    if let Some(n) = next {
        let _ = write!(o, r#"<w:next w:val="{n}"/>"#);
    }
    let _ = write!(o, "<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>");
}

/// No first-line indent (the body's is two characters).
const NO_INDENT: &str = r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#;

/// Table text: no snapping to the 22-line grid (a table row would take a whole grid
/// line), single spacing, no indent.
const TABLE_PPR: &str = r#"<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#;

/// Natural character spacing (the body's is condensed).
const NATURAL: &str = r#"<w:spacing w:val="0"/>"#;

/// The style ids the document uses, with `styles.xml` defining each.
pub const STYLE_IDS: &[&str] = &[
    "Normal",
    "Title",
    "Meta",
    "Heading1",
    "Heading2",
    "Heading3",
    "ListParagraph",
    "Quote",
    "SourceCode",
    "Links",
    "Colophon",
    "TableText",
    "TableHeading",
    "TableNote",
    "Footer",
    "Hyperlink",
    "VerbatimChar",
    "ReportTable",
];

/// `w:styles`: the 公文 look. A designer's reference document replaces it (styles it
/// lacks are added from here, so the document never refers to a missing style).
pub fn styles() -> String {
    let mut o = format!("{DECL}<w:styles {NS}>");
    let _ = write!(
        o,
        r#"<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val="2"/><w:sz w:val="{s}"/><w:szCs w:val="{s}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        rfonts(FANG),
        s = hao::SAN
    );
    o.push_str(&style_defs());
    o.push_str("</w:styles>");
    o
}

/// The `w:style` elements (without the wrapper), each on its own so they can be added to a
/// designer's styles.
pub fn style_defs() -> String {
    let mut o = String::new();
    // Body: 3号 仿宋, justified, two-character first-line indent, 22 lines of 28
    // characters. The lines are the grid's pitch as exact spacing and the characters
    // 16 pt condensed by 0.3 pt (28 × 15.7 pt fill the 156 mm line), rather than
    // snapping to the document grid: Word and WPS would snap alike, but LibreOffice
    // spreads each 16 pt character over two grid cells of 15.8 pt.
    let _ = write!(
        o,
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:line="{LINE_PITCH}" w:lineRule="exact"/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr><w:rPr>{}<w:spacing w:val="{CONDENSE}"/><w:sz w:val="{s}"/><w:szCs w:val="{s}"/></w:rPr></w:style>"#,
        rfonts(FANG),
        s = hao::SAN
    );
    let size = |s: u32| format!(r#"<w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#);
    pstyle(
        &mut o,
        "Title",
        "Title",
        Some("Normal"),
        Some("Normal"),
        &format!(r#"<w:keepNext/><w:spacing w:after="{LINE_PITCH}"/>{NO_INDENT}<w:jc w:val="center"/><w:outlineLvl w:val="9"/>"#),
        &format!("{}{}", rfonts(TITLE), size(hao::ER)),
    );
    pstyle(
        &mut o,
        "Meta",
        "Report Meta",
        Some("Normal"),
        Some("Normal"),
        &format!(r#"<w:spacing w:after="{LINE_PITCH}"/>{NO_INDENT}<w:jc w:val="center"/>"#),
        &format!(r#"<w:color w:val="5A5A5A"/>{}"#, size(hao::XIAOSI)),
    );
    for (id, name, face, level) in [("Heading1", "heading 1", HEI, 0), ("Heading2", "heading 2", KAI, 1), ("Heading3", "heading 3", KAI, 2)]
    {
        pstyle(
            &mut o,
            id,
            name,
            Some("Normal"),
            Some("Normal"),
            &format!(r#"<w:keepNext/><w:keepLines/><w:outlineLvl w:val="{level}"/>"#),
            &format!(r#"{}<w:b w:val="0"/><w:bCs w:val="0"/>{}"#, rfonts(face), size(hao::SAN)),
        );
    }
    pstyle(&mut o, "ListParagraph", "List Paragraph", Some("Normal"), None, NO_INDENT, "");
    pstyle(&mut o, "Quote", "Quote", Some("Normal"), None, r#"<w:ind w:left="640" w:right="640"/>"#, r#"<w:color w:val="404040"/>"#);
    pstyle(
        &mut o,
        "SourceCode",
        "Source Code",
        Some("Normal"),
        None,
        &format!(
            r#"<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>{NO_INDENT}<w:jc w:val="left"/>"#
        ),
        &format!(
            r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:eastAsia="{SONG}" w:cs="Courier New"/>{NATURAL}{}"#,
            size(hao::XIAOSI)
        ),
    );
    pstyle(&mut o, "Links", "Report Links", Some("Normal"), None, NO_INDENT, &size(hao::XIAOSI));
    pstyle(
        &mut o,
        "Colophon",
        "Report Colophon",
        Some("Normal"),
        None,
        &format!(r#"{NO_INDENT}<w:jc w:val="right"/>"#),
        &format!(r#"<w:color w:val="5A5A5A"/>{}"#, size(hao::XIAOSI)),
    );
    pstyle(&mut o, "TableText", "Report Table Text", Some("Normal"), None, TABLE_PPR, &format!("{NATURAL}{}", size(hao::WU)));
    pstyle(&mut o, "TableHeading", "Report Table Heading", Some("TableText"), None, "", &rfonts(HEI));
    pstyle(&mut o, "TableNote", "Report Table Note", Some("TableText"), None, r#"<w:jc w:val="left"/>"#, "");
    pstyle(
        &mut o,
        "Footer",
        "footer",
        Some("Normal"),
        None,
        &format!(r#"<w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/>{NO_INDENT}"#),
        &format!(r#"<w:rFonts w:ascii="{SONG}" w:hAnsi="{SONG}" w:eastAsia="{SONG}" w:cs="{SONG}"/>{NATURAL}{}"#, size(hao::SI)),
    );
    o.push_str(
        r#"<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>"#,
    );
    o.push_str(
        r#"<w:style w:type="character" w:customStyle="1" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/></w:rPr></w:style>"#,
    );
    o.push_str(concat!(
        r#"<w:style w:type="table" w:customStyle="1" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:tblPr>"#,
        r#"<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#,
        r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>"#,
        r#"<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="45" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>"#,
        r#"</w:tblPr></w:style>"#,
    ));
    o
}

/// Each style of [`style_defs`] with its id.
pub fn style_list() -> Vec<(&'static str, String)> {
    style_defs()
        .split("<w:style ")
        .filter(|s| !s.is_empty())
        .map(|s| {
            let xml = format!("<w:style {s}");
            let id = STYLE_IDS.iter().find(|id| xml.contains(&format!("w:styleId=\"{id}\""))).copied().unwrap_or("");
            (id, xml)
        })
        .collect()
}

/// The left + right cell margins of [`style_defs`]'s table style, in twips.
pub const CELL_PADDING: u32 = 2 * 57;

/// `w:settings`: odd and even footers differ (page numbers at the outer corner); no
/// punctuation compression, so a line holds the grid's 28 characters.
pub fn settings(even_and_odd: bool) -> String {
    let mut o = format!("{DECL}<w:settings {NS}>");
    o.push_str(r#"<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>"#);
    if even_and_odd {
        o.push_str("<w:evenAndOddHeaders/>");
    }
    let _ = write!(o, r#"<w:drawingGridVerticalSpacing w:val="{LINE_PITCH}"/><w:characterSpacingControl w:val="doNotCompress"/>"#);
    o.push_str(
        r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
    );
    o.push_str(r#"<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>"#);
    o.push_str("</w:settings>");
    o
}

/// A footer holding the page number as `— n —`, 4号 宋体, at the outer corner (odd pages
/// right, even pages left, one character in from the edge of the text block).
pub fn footer(odd: bool) -> String {
    let (jc, ind) =
        if odd { ("right", r#"<w:ind w:right="280" w:firstLine="0"/>"#) } else { ("left", r#"<w:ind w:left="280" w:firstLine="0"/>"#) };
    let dash = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    format!(
        concat!(
            "{decl}<w:ftr {ns}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>{ind}<w:jc w:val=\"{jc}\"/></w:pPr>{open}",
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            "{close}</w:p></w:ftr>"
        ),
        decl = DECL,
        ns = NS,
        ind = ind,
        jc = jc,
        open = dash("— "),
        close = dash(" —"),
    )
}

/// `w:numbering`: bullets (abstract 0) and decimals (abstract 1) on nine levels, and one
/// instance per list (`starts`: `None` for bullets, the first number otherwise), so each
/// numbered list counts from its own start.
pub fn numbering(starts: &[Option<u64>]) -> String {
    let mut o = format!("{DECL}<w:numbering {NS}>");
    for (id, ordered) in [(0, false), (1, true)] {
        let _ = write!(o, r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="multilevel"/>"#);
        for l in 0..9u32 {
            let (fmt, text) = if ordered { ("decimal", format!("%{}.", l + 1)) } else { ("bullet", "•".to_string()) };
            let left = 640 * (l + 1) + 420;
            let _ = write!(
                o,
                r#"<w:lvl w:ilvl="{l}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="420"/></w:pPr></w:lvl>"#
            );
        }
        o.push_str("</w:abstractNum>");
    }
    for (i, s) in starts.iter().enumerate() {
        let n = i + 1;
        match s {
            None => {
                let _ = write!(o, r#"<w:num w:numId="{n}"><w:abstractNumId w:val="0"/></w:num>"#);
            }
            Some(start) => {
                let _ = write!(o, r#"<w:num w:numId="{n}"><w:abstractNumId w:val="1"/>"#);
                for l in 0..9 {
                    let _ = write!(o, r#"<w:lvlOverride w:ilvl="{l}"><w:startOverride w:val="{start}"/></w:lvlOverride>"#);
                }
                o.push_str("</w:num>");
            }
        }
    }
    o.push_str("</w:numbering>");
    o
}

/// One relationship of a part.
#[derive(Debug, Clone, PartialEq)]
pub struct Rel {
    /// `rId…`.
    pub id: String,
    /// The relationship type's last path segment (`styles`, `hyperlink`, …) or a full URI.
    pub kind: String,
    /// Target (part name relative to `word/`, or an external address).
    pub target: String,
    /// An external target (hyperlinks).
    pub external: bool,
}

/// A relationships part.
pub fn rels(items: &[Rel]) -> String {
    let mut o = format!(r#"{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    for r in items {
        let kind = if r.kind.contains("://") {
            r.kind.clone()
        } else {
            format!("http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}", r.kind)
        };
        let mode = if r.external { r#" TargetMode="External""# } else { "" };
        let _ = write!(o, r#"<Relationship Id="{}" Type="{}" Target="{}"{mode}/>"#, esc(&r.id), esc(&kind), esc(&r.target));
    }
    o.push_str("</Relationships>");
    o
}

/// The package relationships (`_rels/.rels`).
pub fn package_rels() -> String {
    format!(
        concat!(
            r#"{}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
            "</Relationships>"
        ),
        DECL
    )
}

/// `[Content_Types].xml` for the given parts (name, content type) and default extensions.
pub fn content_types(overrides: &[(String, String)], defaults: &[(String, String)]) -> String {
    let mut o = format!(r#"{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#);
    o.push_str(r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#);
    o.push_str(r#"<Default Extension="xml" ContentType="application/xml"/>"#);
    for (ext, ty) in defaults {
        let _ = write!(o, r#"<Default Extension="{}" ContentType="{}"/>"#, esc(ext), esc(ty));
    }
    for (part, ty) in overrides {
        let _ = write!(o, r#"<Override PartName="/{}" ContentType="{}"/>"#, esc(part), esc(ty));
    }
    o.push_str("</Types>");
    o
}

/// The content type of a WordprocessingML part by its kind.
pub fn wml_type(kind: &str) -> String {
    match kind {
        "document" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml".into(),
        "theme" => "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        "core" => "application/vnd.openxmlformats-package.core-properties+xml".into(),
        "app" => "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        other => format!("application/vnd.openxmlformats-officedocument.wordprocessingml.{other}+xml"),
    }
}

/// Document properties (`docProps/core.xml`): title, author = the agency, subject,
/// keywords and the date of `meta.published` (else `SOURCE_DATE_EPOCH`, else none, so
/// the bytes never depend on the clock).
pub fn core(title: &str, agency: &str, year: u16, date: Option<(i32, u32, u32)>) -> String {
    let mut o = format!(
        concat!(
            r#"{}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{}</dc:title><dc:subject>政府信息公开工作年度报告</dc:subject><dc:creator>{}</dc:creator>",
            "<cp:keywords>政府信息公开, 年度报告, {}</cp:keywords><dc:language>zh-CN</dc:language>"
        ),
        DECL,
        esc(title),
        esc(agency),
        year
    );
    if let Some((y, m, d)) = date {
        let _ = write!(
            o,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{y:04}-{m:02}-{d:02}T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{y:04}-{m:02}-{d:02}T00:00:00Z</dcterms:modified>"#
        );
    }
    o.push_str("</cp:coreProperties>");
    o
}

/// Extended properties (`docProps/app.xml`).
pub fn app(agency: &str) -> String {
    format!(
        r#"{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>reportgen</Application><Company>{}</Company></Properties>"#,
        esc(agency)
    )
}
