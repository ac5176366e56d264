//! YAML text → a tree with positions.
//!
//! The author's file is kept as text (for snippets and `line:col`) beside a [`Node`] tree
//! in which every value and every mapping key carries its byte span. Checks address
//! values by JSON pointer (`/applications/received/natural_person`); [`Node::locate`]
//! turns a pointer back into a span, falling back to the nearest ancestor that exists
//! when the value was omitted.
//!
//! Parsing goes through serde-saphyr with its budgets on: depth 64, bounded events,
//! aliases and anchors, duplicate keys rejected. Those bound time and memory for hostile
//! input before a single value of ours is built.

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::{Code, Diagnostic, Lang};

/// A data file as read: its name and its text (decoded, BOM removed).
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given by the user, used in messages.
    pub name: String,
    /// UTF-8 text without a BOM.
    pub text: String,
}

/// A YAML value with its byte span in [`Source::text`].
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Bytes of the value in the source text.
    pub span: Range<usize>,
    /// The value.
    pub kind: NodeKind,
}

/// The shape of a YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer, kept wide so that no figure overflows while it is read.
    Int(i128),
    /// A number with a fraction or exponent.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<Entry>),
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as text.
    pub key: String,
    /// Bytes of the key in the source text.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

/// The encoding `bytes` most likely are in, guessed as a browser on a `.cn` page would.
pub fn guess_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow)
}

/// Bytes → text. A BOM is dropped; anything that is not UTF-8 is an error that names
/// the encoding it most likely is (GBK is common on Chinese Windows) and how to re-save.
pub fn decode(name: &str, bytes: &[u8], lang: Lang) -> Result<Source, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Source { name: name.to_string(), text: text.to_string() }),
        Err(e) => {
            let at = e.valid_up_to();
            let enc = guess_encoding(bytes);
            let guessed = if enc == encoding_rs::UTF_8 { None } else { Some(enc.name()) };
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let message = match (lang, guessed) {
                (Lang::Zh, Some(n)) => format!("文件不是 UTF-8 编码（第 {line} 行起看起来是 {n} 编码）"),
                (Lang::Zh, None) => format!("文件不是 UTF-8 编码（第 {line} 行有无效字节）"),
                (Lang::En, Some(n)) => format!("the file is not UTF-8 (from line {line} it looks like {n})"),
                (Lang::En, None) => format!("the file is not UTF-8 (invalid bytes on line {line})"),
            };
            let hint = match lang {
                Lang::Zh => "请用编辑器“另存为”UTF-8 编码，或运行：iconv -f GBK -t UTF-8 原文件 > 新文件".to_string(),
                Lang::En => "re-save it as UTF-8 in your editor, or run: iconv -f GBK -t UTF-8 old.yaml > new.yaml".to_string(),
            };
            Err(Diagnostic::error(Code::Encoding, message).hint(hint).in_file(name))
        }
    }
}

/// Text → [`Node`] tree. Syntax errors come back as one diagnostic with position and,
/// where a usual slip explains it (full-width colon, tab, full-width space), a hint.
pub fn parse(src: &Source, lang: Lang) -> Result<Node, Diagnostic> {
    if src.text.trim().is_empty() || src.text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        let (m, h) = match lang {
            Lang::Zh => ("文件是空的", "用 `reportgen init -o 文件名.yaml` 生成一份完整的模板"),
            Lang::En => ("the file is empty", "run `reportgen init -o FILE.yaml` for a complete skeleton"),
        };
        return Err(Diagnostic::error(Code::Syntax, m).hint(h).in_file(&src.name));
    }
    // Only `true`/`false` are booleans: `y`, `no`, `on` are text, as an author means them.
    let options = serde_saphyr::options! { with_snippet: false, strict_booleans: true };
    let node: Result<Node, _> = serde_saphyr::from_str_with_options(&src.text, options);
    let node = node.map_err(|e| syntax_error(src, &e, lang))?;
    if !matches!(node.kind, NodeKind::Map(_)) {
        let (m, h) = match lang {
            Lang::Zh => ("文件顶层应是键值对（meta:、proactive: 等），而不是单个值或列表", "每个顶层键写在行首，后跟英文冒号，如 `meta:`"),
            Lang::En => (
                "the top level must be a mapping (meta:, proactive:, …), not a single value or a list",
                "write each top-level key at the start of a line followed by a colon, e.g. `meta:`",
            ),
        };
        return Err(Diagnostic::error(Code::Schema, m).hint(h).at(&src.name, node.span.clone()));
    }
    Ok(node)
}

fn syntax_error(src: &Source, e: &serde_saphyr::Error, lang: Lang) -> Diagnostic {
    let raw = e.without_snippet().render();
    // The position is shown by the renderer; drop the parser's own "at line …".
    let raw = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let raw = crate::diag::clip(&raw, 300);
    let offset = e.location().map(|loc| byte_of(src, loc)).unwrap_or(0);
    let line_no = src.text[..offset].matches('\n').count();
    // The slip is often on the line the parser reports or on the one just before it.
    let nearby: Vec<&str> = src.text.lines().skip(line_no.saturating_sub(1)).take(2).collect();
    let mut hints = Vec::new();
    let has = |c: char| nearby.iter().any(|l| l.contains(c));
    let lead_tab = nearby.iter().any(|l| l.trim_start_matches(' ').starts_with('\t'));
    let budget = if raw.contains("budget breached") || raw.contains("recursion limit") {
        Some(if raw.contains("Depth") || raw.contains("recursion") {
            lang.pick(
                "嵌套层级过深（最多 64 层）：数据文件不会有这么多层缩进",
                "nested too deeply (at most 64 levels): a data file never needs this many",
            )
        } else {
            lang.pick(
                "文件过于复杂（节点、别名或锚点展开超出限制），已拒绝处理",
                "the file is too complex (nodes, aliases or anchors beyond the limits) and was refused",
            )
        })
    } else {
        None
    };
    let duplicate = raw.strip_prefix("duplicate mapping key: ").map(|k| k.split(", set ").next().unwrap_or(k).to_string());
    let (message, tab_hint, colon_hint, space_hint) = match lang {
        Lang::Zh => (
            match &duplicate {
                _ if budget.is_some() => budget.unwrap_or_default().to_string(),
                Some(k) => format!("重复的键 `{k}`：同一层级里每个键只能出现一次"),
                None => format!("YAML 语法错误：{raw}"),
            },
            "缩进里有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
            "这里有全角冒号“：”：键后面要用英文冒号加空格，如 `agency: 绥中县人民政府`",
            "这里有全角空格：缩进和冒号后面要用半角空格",
        ),
        Lang::En => (
            match &duplicate {
                _ if budget.is_some() => budget.unwrap_or_default().to_string(),
                Some(k) => format!("duplicate key `{k}`: each key may appear only once in a mapping"),
                None => format!("YAML syntax error: {raw}"),
            },
            "a tab is used for indentation: YAML indents with spaces only",
            "a full-width colon “：” is used: a key needs an ASCII colon and a space, e.g. `agency: Name`",
            "a full-width space (U+3000) is used: indent and separate with ASCII spaces",
        ),
    };
    if lead_tab || raw.contains("tabs disallowed") {
        hints.push(tab_hint.to_string());
    }
    if has('：') {
        hints.push(colon_hint.to_string());
    }
    if has('\u{3000}') {
        hints.push(space_hint.to_string());
    }
    let end = src.text[offset..].chars().next().map(|c| offset + c.len_utf8()).unwrap_or(offset);
    let mut d = Diagnostic::error(Code::Syntax, message).at(&src.name, offset..end);
    d.hints = hints;
    d
}

/// The byte offset of a serde-saphyr location (character-based line and column).
fn byte_of(src: &Source, loc: serde_saphyr::Location) -> usize {
    if let Some(b) = loc.span().byte_offset() {
        return (b as usize).min(src.text.len());
    }
    line_col_to_byte(&src.text, loc.line() as usize, loc.column() as usize)
}

/// 1-based line and character column → byte offset (clamped to the text).
pub fn line_col_to_byte(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    start + line_text.char_indices().nth(col.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i)
}

fn span_of<T>(s: &Spanned<T>) -> Range<usize> {
    let sp = s.referenced.span();
    match (sp.byte_offset(), sp.byte_len()) {
        (Some(o), Some(l)) => o as usize..(o + l) as usize,
        (Some(o), None) => o as usize..o as usize,
        _ => 0..0,
    }
}

impl Node {
    /// The value at a JSON pointer (`/a/b/0`), if present.
    pub fn get(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for part in pointer.split('/').skip(1) {
            let part = part.replace("~1", "/").replace("~0", "~");
            node = match &node.kind {
                NodeKind::Map(entries) => &entries.iter().find(|e| e.key == part)?.value,
                NodeKind::Seq(items) => items.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The span of the mapping key that holds the value at `pointer`, if present.
    pub fn key_span(&self, pointer: &str) -> Option<Range<usize>> {
        let (parent, last) = pointer.rsplit_once('/')?;
        let last = last.replace("~1", "/").replace("~0", "~");
        match &self.get(parent)?.kind {
            NodeKind::Map(entries) => entries.iter().find(|e| e.key == last).map(|e| e.key_span.clone()),
            _ => None,
        }
    }

    /// Where to point for `pointer`: the value if it is there; otherwise the key of the
    /// nearest ancestor that is (an omitted row is reported at its group); the root
    /// mapping's first key as the last resort.
    pub fn locate(&self, pointer: &str) -> Range<usize> {
        if let Some(n) = self.get(pointer)
            && !n.span.is_empty()
        {
            return n.span.clone();
        }
        let mut p = pointer;
        while let Some((parent, _)) = p.rsplit_once('/') {
            if let Some(k) = self.key_span(p) {
                return k;
            }
            p = parent;
        }
        match &self.kind {
            NodeKind::Map(entries) if !entries.is_empty() => entries[0].key_span.clone(),
            _ => self.span.start..self.span.start,
        }
    }

    /// The tree as JSON, for schema validation and typed deserialization. `null`
    /// values of mapping entries are dropped: in a data file an empty value means "omitted".
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => match (u64::try_from(*i), i64::try_from(*i)) {
                (Ok(u), _) => Value::from(u),
                (_, Ok(s)) => Value::from(s),
                // Beyond 64 bits: keep it a number so the schema reports it as too large.
                _ => serde_json::Number::from_f64(*i as f64).map_or(Value::Null, Value::Number),
            },
            // `1e3` or `3.0` is a whole number; a count may be written so.
            NodeKind::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15 => Value::from(*f as u64),
            NodeKind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries.iter().filter(|e| e.value.kind != NodeKind::Null).map(|e| (e.key.clone(), e.value.to_json())).collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: Spanned<Kind> = Spanned::deserialize(d)?;
        let span = span_of(&s);
        Ok(Node { span, kind: s.value.0 })
    }
}

/// Deserializes any YAML value into a [`NodeKind`].
struct Kind(NodeKind);

/// A mapping key, whatever scalar it was written as.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Kind::deserialize(d)?.0 {
            NodeKind::Str(s) => Ok(Key(s)),
            NodeKind::Int(i) => Ok(Key(i.to_string())),
            NodeKind::Float(f) => Ok(Key(f.to_string())),
            NodeKind::Bool(b) => Ok(Key(b.to_string())),
            NodeKind::Null => Ok(Key("null".into())),
            _ => Err(de::Error::custom("a mapping key must be a plain word, not a list or a mapping")),
        }
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Int(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Int(v.into())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Int(v)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Int(i128::try_from(v).unwrap_or(i128::MAX))))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Str(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Str(v)))
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Null))
    }
    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind(NodeKind::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Kind(NodeKind::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Spanned<Key>>()? {
            let key_span = span_of(&k);
            let value = map.next_value::<Node>()?;
            entries.push(Entry { key: k.value.0, key_span, value });
        }
        Ok(Kind(NodeKind::Map(entries)))
    }
}
