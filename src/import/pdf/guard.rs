//! Checks on the raw bytes of a PDF before any parser sees them, so that a hostile file
//! is refused instead of exhausting memory or the stack: nesting of arrays and
//! dictionaries, and the decoded size of every stream through its filters (Flate, LZW,
//! RunLength, ASCIIHex, ASCII85, chained: a decompression bomb inflates a few kilobytes
//! into gigabytes, and the parser would hold it all). The last Flate layer is inflated
//! into a small reused buffer, counting bytes, never keeping them.
//!
//! Not covered (see DESIGN.md): streams of an encrypted file (their bytes are encrypted
//! until the parser decrypts them); image codecs (images are never decoded here).

use flate2::{Decompress, FlushDecompress, Status};

/// The limits a PDF is read within.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file, bytes.
    pub file_bytes: usize,
    /// Most pages.
    pub pages: usize,
    /// Most objects (entries of the cross-reference table).
    pub objects: usize,
    /// Deepest nesting of arrays and dictionaries.
    pub depth: usize,
    /// Largest decoded stream, bytes.
    pub stream_bytes: u64,
    /// Most decoded bytes of all streams together.
    pub total_stream_bytes: u64,
    /// Most glyphs of the whole document.
    pub glyphs: usize,
    /// Most border segments of the whole document.
    pub segs: usize,
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
    stream_bytes: 64 << 20,
    total_stream_bytes: 512 << 20,
    glyphs: 2_000_000,
    segs: 1_000_000,
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
}

/// Runs the checks.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<(), Refusal> {
    if bytes.len() > limits.file_bytes {
        return Err(Refusal::TooLarge(bytes.len()));
    }
    let mut depth = 0usize;
    let mut total = 0u64;
    let mut i = 0;
    let n = bytes.len();
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
            b's' if bytes[i..].starts_with(b"stream") && (i == 0 || !bytes[i - 1].is_ascii_alphabetic()) => {
                let mut start = i + 6;
                if bytes.get(start) == Some(&b'\r') {
                    start += 1;
                }
                if bytes.get(start) == Some(&b'\n') {
                    start += 1;
                }
                let end = find(bytes, b"endstream", start).unwrap_or(n);
                let dict = dict_before(&bytes[i.saturating_sub(4096)..i]);
                let out = decoded_size(&bytes[start..end], &filters(dict), limits.stream_bytes);
                if out > limits.stream_bytes {
                    return Err(Refusal::Bomb(i));
                }
                total += out;
                if total > limits.total_stream_bytes {
                    return Err(Refusal::TooMuchData);
                }
                // Whatever is inside a stream is data, not syntax.
                depth = 0;
                i = end + 9;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Past a literal string `( … )`, its nested parentheses and escapes.
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
            _ => {}
        }
        i += 1;
    }
    i
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// The stream's dictionary: the text since its object began.
fn dict_before(before: &[u8]) -> &[u8] {
    let from = before.windows(3).rposition(|w| w == b"obj").map_or(0, |p| p + 3);
    &before[from..]
}

/// A stream filter whose output can be larger than its input.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Filter {
    Flate,
    Lzw,
    RunLength,
    AsciiHex,
    Ascii85,
    /// An image codec or anything else: never decoded by the reader (images are not
    /// looked at), so its size does not matter.
    Other,
}

/// The filters a stream dictionary names, in the order they are applied when decoding.
fn filters(dict: &[u8]) -> Vec<Filter> {
    let Some(f) = dict.windows(7).rposition(|w| w == b"/Filter") else { return Vec::new() };
    let rest = &dict[f + 7..];
    let rest = match rest.iter().position(|c| !c.is_ascii_whitespace()) {
        Some(p) => &rest[p..],
        None => return Vec::new(),
    };
    let list: &[u8] = if rest.first() == Some(&b'[') {
        &rest[1..rest.iter().position(|c| *c == b']').unwrap_or(rest.len())]
    } else {
        let end = rest[1..].iter().position(|c| c.is_ascii_whitespace() || b"/<>[]".contains(c)).map_or(rest.len(), |p| p + 1);
        &rest[..end]
    };
    list.split(|c| *c == b'/')
        .map(|n| n.trim_ascii())
        .filter(|n| !n.is_empty())
        .map(|n| match n {
            b"FlateDecode" | b"Fl" => Filter::Flate,
            b"LZWDecode" | b"LZW" => Filter::Lzw,
            b"RunLengthDecode" | b"RL" => Filter::RunLength,
            b"ASCIIHexDecode" | b"AHx" => Filter::AsciiHex,
            b"ASCII85Decode" | b"A85" => Filter::Ascii85,
            _ => Filter::Other,
        })
        .collect()
}

/// The decoded size of a stream through its filters, counted up to just past `cap`.
/// Intermediate layers are decoded into memory (at most `cap` bytes); the last is only
/// counted.
fn decoded_size(data: &[u8], filters: &[Filter], cap: u64) -> u64 {
    let mut cur: std::borrow::Cow<[u8]> = std::borrow::Cow::Borrowed(data);
    for (k, f) in filters.iter().enumerate() {
        let last = k + 1 == filters.len();
        if *f == Filter::Other {
            return cur.len() as u64;
        }
        if last && *f == Filter::Flate {
            return inflated_size(&cur, cap, None);
        }
        let mut out = Vec::new();
        let over = match f {
            Filter::Flate => inflated_size(&cur, cap, Some(&mut out)) > cap,
            Filter::Lzw => lzw(&cur, cap, &mut out),
            Filter::RunLength => run_length(&cur, cap, &mut out),
            Filter::AsciiHex => ascii_hex(&cur, &mut out),
            Filter::Ascii85 => ascii85(&cur, &mut out),
            Filter::Other => false,
        };
        if over {
            return cap + 1;
        }
        cur = std::borrow::Cow::Owned(out);
    }
    cur.len() as u64
}

/// How many bytes `data` inflates to (zlib, or raw deflate), counting up to just past
/// `cap`. A broken stream counts what inflated before the break.
fn inflated_size(data: &[u8], cap: u64, mut keep: Option<&mut Vec<u8>>) -> u64 {
    let zlib = data.first().is_some_and(|b| b & 0x0f == 8);
    let mut d = Decompress::new(zlib);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let before_in = d.total_in();
        let before_out = d.total_out();
        let input = &data[(before_in as usize).min(data.len())..];
        let status = d.decompress(input, &mut buf, FlushDecompress::None);
        if let Some(k) = keep.as_deref_mut() {
            k.extend_from_slice(&buf[..(d.total_out() - before_out) as usize]);
        }
        let progressed = d.total_in() != before_in || d.total_out() != before_out;
        match status {
            Ok(Status::StreamEnd) => return d.total_out(),
            Ok(_) if progressed => {
                if d.total_out() > cap {
                    return d.total_out();
                }
            }
            _ => return d.total_out(),
        }
    }
}

/// LZW (PDF's variant: 9–12-bit codes, early change), decoded into `out`; `true` when
/// the output passes `cap`.
fn lzw(data: &[u8], cap: u64, out: &mut Vec<u8>) -> bool {
    // The table as (prefix code, last byte, length): an entry's bytes are read backwards.
    let mut table: Vec<(u16, u8, u32)> = (0..=255u16).map(|b| (u16::MAX, b as u8, 1)).collect();
    table.push((0, 0, 0));
    table.push((0, 0, 0));
    let (mut bits, mut acc, mut nbits) = (9u32, 0u32, 0u32);
    let mut prev: Option<u16> = None;
    let mut scratch = Vec::new();
    let emit = |code: u16, table: &[(u16, u8, u32)], scratch: &mut Vec<u8>, out: &mut Vec<u8>| {
        scratch.clear();
        let mut c = code;
        while c != u16::MAX {
            let (p, b, _) = table[c as usize];
            scratch.push(b);
            c = p;
        }
        out.extend(scratch.iter().rev());
    };
    for &byte in data {
        acc = (acc << 8) | u32::from(byte);
        nbits += 8;
        while nbits >= bits {
            let code = ((acc >> (nbits - bits)) & ((1 << bits) - 1)) as u16;
            nbits -= bits;
            match code {
                256 => {
                    table.truncate(258);
                    bits = 9;
                    prev = None;
                }
                257 => return false,
                _ => {
                    let Some(p) = prev else {
                        if code > 255 {
                            return false;
                        }
                        out.push(code as u8);
                        prev = Some(code);
                        continue;
                    };
                    let known = (code as usize) < table.len();
                    if !known && code as usize != table.len() {
                        return false;
                    }
                    let first = |c: u16, table: &[(u16, u8, u32)]| {
                        let mut c = c;
                        loop {
                            let (pp, b, _) = table[c as usize];
                            if pp == u16::MAX {
                                return b;
                            }
                            c = pp;
                        }
                    };
                    let head = if known { first(code, &table) } else { first(p, &table) };
                    if table.len() < 4096 {
                        let len = table[p as usize].2 + 1;
                        table.push((p, head, len));
                    }
                    emit(code, &table, &mut scratch, out);
                    if out.len() as u64 > cap {
                        return true;
                    }
                    prev = Some(code);
                    if table.len() + 1 >= (1 << bits) && bits < 12 {
                        bits += 1;
                    }
                }
            }
        }
    }
    false
}

/// RunLength, decoded into `out`; `true` when the output passes `cap`.
fn run_length(data: &[u8], cap: u64, out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < data.len() {
        let n = data[i] as usize;
        i += 1;
        match n {
            128 => break,
            0..=127 => {
                out.extend_from_slice(&data[i..(i + n + 1).min(data.len())]);
                i += n + 1;
            }
            _ => {
                if let Some(&b) = data.get(i) {
                    out.extend(std::iter::repeat_n(b, 257 - n));
                }
                i += 1;
            }
        }
        if out.len() as u64 > cap {
            return true;
        }
    }
    false
}

/// ASCIIHex, decoded into `out` (it only shrinks).
fn ascii_hex(data: &[u8], out: &mut Vec<u8>) -> bool {
    let digits: Vec<u8> = data
        .iter()
        .take_while(|c| **c != b'>')
        .filter_map(|c| (*c as char).to_digit(16))
        .map(|d| d as u8)
        .collect();
    out.extend(digits.chunks(2).map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0)));
    false
}

/// ASCII85, decoded into `out` (`z` is four zero bytes: at most 4× the input).
fn ascii85(data: &[u8], out: &mut Vec<u8>) -> bool {
    let mut group: Vec<u32> = Vec::with_capacity(5);
    for &c in data {
        match c {
            b'~' => break,
            b'z' if group.is_empty() => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group.push(u32::from(c - b'!'));
                if group.len() == 5 {
                    let v = group.iter().fold(0u32, |a, d| a.wrapping_mul(85).wrapping_add(*d));
                    out.extend_from_slice(&v.to_be_bytes());
                    group.clear();
                }
            }
            _ => {}
        }
    }
    if group.len() > 1 {
        let n = group.len();
        group.resize(5, 84);
        let v = group.iter().fold(0u32, |a, d| a.wrapping_mul(85).wrapping_add(*d));
        out.extend_from_slice(&v.to_be_bytes()[..n - 1]);
    }
    false
}
