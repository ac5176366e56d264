//! Checks on the raw bytes of a PDF before any parser sees them, so that a hostile file
//! is refused instead of exhausting memory or the stack:
//!
//! - nesting of arrays and dictionaries, in the objects of the file, in the objects
//!   packed into object streams, and in the operators of content streams;
//! - the decoded size of every stream through its filters ([`super::decode`]: a
//!   decompression bomb inflates a few kilobytes into gigabytes, and the parser would
//!   hold it all);
//! - the page tree ([`super::tree`]): hayro expands it in full on opening the file, so
//!   its size (with repeated kids counted as often as they appear), its depth and its
//!   loops are checked here;
//! - graphics states saved without being restored (each `q` is a copy the
//!   interpreter keeps).
//!
//! Work while interpreting (glyphs, lines, operations, time) is bounded in
//! [`super::extract`]. Not covered (DESIGN.md): an encrypted file's streams (encrypted
//! until the parser decrypts them); image codecs (images are never decoded here).

use super::decode::{Filter, decode, filters};
use super::tree::{self, Content, Objects, TreeError};

/// The limits a PDF is read within.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file, bytes.
    pub file_bytes: usize,
    /// Most pages.
    pub pages: usize,
    /// Most objects (entries of the cross-reference table).
    pub objects: usize,
    /// Deepest nesting of arrays and dictionaries (and of the page tree).
    pub depth: usize,
    /// Most graphics states saved at once in one content stream.
    pub saves: usize,
    /// Largest decoded stream, bytes.
    pub stream_bytes: u64,
    /// Most decoded bytes of all streams together.
    pub total_stream_bytes: u64,
    /// Most glyphs of the whole document.
    pub glyphs: usize,
    /// Most border segments of the whole document.
    pub segs: usize,
    /// Most drawing operations the interpreter reports (paths, glyphs, images, clips,
    /// forms entered), over the whole document.
    pub ops: usize,
    /// Longest time spent interpreting pages, seconds.
    pub seconds: u64,
}

/// The limits `reportgen import` reads a PDF within: far above any annual report
/// (5–30 pages, a few thousand glyphs), far below what would hurt a clerk's machine.
pub const LIMITS: Limits = Limits {
    file_bytes: 64 << 20,
    pages: 500,
    objects: 500_000,
    depth: 64,
    saves: 256,
    stream_bytes: 64 << 20,
    total_stream_bytes: 512 << 20,
    glyphs: 2_000_000,
    segs: 1_000_000,
    ops: 20_000_000,
    seconds: 60,
};

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Larger than the file limit.
    TooLarge(usize),
    /// Arrays or dictionaries nested deeper than the limit, at this byte offset.
    TooDeep(usize),
    /// A stream at this byte offset inflates beyond the per-stream limit.
    Bomb(usize),
    /// All streams together inflate beyond the total limit.
    TooMuchData,
    /// The page tree stands for more pages than the limit (at least this many).
    TooManyPages(usize),
    /// The page tree loops, or nests deeper than the limit.
    BadPageTree,
    /// A content stream at this byte offset saves more graphics states at once than
    /// the limit.
    TooManySaves(usize),
}

/// A stream of the file: its object, where it is, how it is encoded.
struct StreamAt {
    num: Option<u32>,
    at: usize,
    data: std::ops::Range<usize>,
    filters: Vec<Filter>,
    form: bool,
}

/// Runs the checks.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    if bytes.len() > limits.file_bytes {
        return Err(Refusal::TooLarge(bytes.len()));
    }
    let mut objects = Objects::default();
    let mut streams: Vec<StreamAt> = Vec::new();
    let mut depth = 0usize;
    let mut total = 0u64;
    // The object being read: its number and where its body starts.
    let mut open: Option<(u32, usize)> = None;
    let mut i = 0;
    let n = bytes.len();
    let close = |objects: &mut Objects, open: &mut Option<(u32, usize)>, end: usize| -> Result<(), Refusal> {
        if let Some((num, start)) = open.take()
            && !objects.add(num, &bytes[start..end.max(start)])
        {
            return Err(Refusal::TooLarge(bytes.len()));
        }
        Ok(())
    };
    while i < n {
        match bytes[i] {
            b'%' => {
                while i < n && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => i = skip_string(bytes, i),
            b'[' => {
                depth += 1;
                if depth > limits.depth {
                    return Err(Refusal::TooDeep(i));
                }
            }
            b']' => depth = depth.saturating_sub(1),
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                if depth > limits.depth {
                    return Err(Refusal::TooDeep(i));
                }
                i += 1;
            }
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'o' if keyword(bytes, i, b"obj") => {
                close(&mut objects, &mut open, i)?;
                open = object_number(&bytes[i.saturating_sub(24)..i]).map(|num| (num, i + 3));
                depth = 0;
            }
            b'e' if keyword(bytes, i, b"endobj") => {
                close(&mut objects, &mut open, i)?;
                depth = 0;
                i += 6;
                continue;
            }
            b's' if keyword(bytes, i, b"stream") => {
                let num = open.map(|o| o.0);
                let dict_from = open.map_or(i.saturating_sub(4096), |o| o.1);
                close(&mut objects, &mut open, i)?;
                let mut start = i + 6;
                if bytes.get(start) == Some(&b'\r') {
                    start += 1;
                }
                if bytes.get(start) == Some(&b'\n') {
                    start += 1;
                }
                let dict = &bytes[dict_from..i];
                let length = tree::int_after(dict, b"/Length").map(|l| l as usize).filter(|l| start + l <= n);
                let end = find(bytes, b"endstream", start).or(length.map(|l| start + l)).unwrap_or(n);
                let fs = filters(dict);
                let packed = has(dict, b"/ObjStm");
                let mut kept = Vec::new();
                let out = decode(&bytes[start..end], &fs, limits.stream_bytes, &mut |b| {
                    if packed {
                        kept.extend_from_slice(b);
                    }
                });
                if out > limits.stream_bytes {
                    return Err(Refusal::Bomb(i));
                }
                total += out;
                if total > limits.total_stream_bytes {
                    return Err(Refusal::TooMuchData);
                }
                if packed {
                    if let Some(at) = too_deep(&kept, limits.depth) {
                        let _ = at;
                        return Err(Refusal::TooDeep(i));
                    }
                    if !objects.add_packed(dict, &kept) {
                        return Err(Refusal::TooLarge(bytes.len()));
                    }
                }
                let form = has(dict, b"/Form");
                streams.push(StreamAt { num, at: i, data: start..end, filters: fs, form });
                // Whatever is inside a stream is data, not syntax. A stream shorter than
                // its end marker (by its direct /Length) is read on after its length, as
                // a parser that trusts /Length would.
                depth = 0;
                i = match length {
                    Some(l) if start + l < end => start + l,
                    _ => end + 9,
                };
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    close(&mut objects, &mut open, n)?;

    match tree::pages(&objects, limits.pages, limits.depth) {
        Err(TreeError::TooMany(p)) => return Err(Refusal::TooManyPages(p)),
        Err(TreeError::Loop | TreeError::TooDeep) => return Err(Refusal::BadPageTree),
        Ok(_) => {}
    }

    // The operators of every content stream: pages' /Contents and form XObjects.
    let contents = tree::contents(&objects);
    for s in streams.iter().filter(|s| s.form || s.num.is_some_and(|n| contents.contains(&n))) {
        let mut scan = Content::default();
        decode(&bytes[s.data.clone()], &s.filters, limits.stream_bytes, &mut |b| scan.feed(b));
        if scan.max_nest > limits.depth {
            return Err(Refusal::TooDeep(s.at));
        }
        if scan.max_saves > limits.saves {
            return Err(Refusal::TooManySaves(s.at));
        }
    }
    Ok(())
}

/// Whether a keyword stands at `i` (not inside a longer word).
fn keyword(b: &[u8], i: usize, word: &[u8]) -> bool {
    b[i..].starts_with(word)
        && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
        && b.get(i + word.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// Whether a dictionary names `/Key` (not a longer name that starts the same).
fn has(dict: &[u8], name: &[u8]) -> bool {
    dict.windows(name.len()).enumerate().any(|(p, w)| w == name && dict.get(p + name.len()).is_none_or(|c| !c.is_ascii_alphanumeric()))
}

/// The object number in `… 12 0` just before an `obj` keyword.
fn object_number(before: &[u8]) -> Option<u32> {
    let t: Vec<&[u8]> = before.split(|c| c.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
    let [.., num, gen_] = t.as_slice() else { return None };
    if !gen_.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = num.rsplit(|c| !c.is_ascii_digit()).next()?;
    std::str::from_utf8(num).ok()?.parse().ok()
}

/// Where arrays or dictionaries in `b` (objects' syntax) first nest deeper than `limit`.
fn too_deep(b: &[u8], limit: usize) -> Option<usize> {
    let mut scan = Content::default();
    for (k, chunk) in b.chunks(4096).enumerate() {
        scan.feed(chunk);
        if scan.max_nest > limit {
            return Some(k * 4096);
        }
    }
    None
}

/// Past a literal string `( … )`, its nested parentheses and escapes. A string is not
/// followed past the end of its object (`endobj`): an unbalanced parenthesis must not
/// hide the rest of the file from these checks.
fn skip_string(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'e' if keyword(b, i, b"endobj") => return i - 1,
            _ => {}
        }
        i += 1;
    }
    i
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}
