//! The stream filters whose output can be larger than their input (Flate, LZW,
//! RunLength, ASCIIHex, ASCII85), decoded by [`super::guard`] within a cap before the
//! parser sees them: a decompression bomb inflates a few kilobytes into gigabytes.
//! Intermediate layers are held (at most the cap); the last layer is passed to a sink
//! chunk by chunk, so that its bytes can be counted or scanned without being kept.

use flate2::{Decompress, FlushDecompress, Status};

/// A stream filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filter {
    /// FlateDecode (zlib or raw deflate).
    Flate,
    /// LZWDecode.
    Lzw,
    /// RunLengthDecode.
    RunLength,
    /// ASCIIHexDecode.
    AsciiHex,
    /// ASCII85Decode.
    Ascii85,
    /// An image codec or anything else: never decoded by the reader (images are not
    /// looked at), so its size does not matter.
    Other,
}

/// The filters a stream dictionary names, in the order they are applied when decoding.
pub fn filters(dict: &[u8]) -> Vec<Filter> {
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

/// Decodes a stream through its filters, passing the last layer's bytes to `sink`, and
/// returns its decoded size, counted up to just past `cap` (then decoding stops). A
/// stream behind an image codec (or no decodable filter) is passed as it is.
pub fn decode(data: &[u8], filters: &[Filter], cap: u64, sink: &mut dyn FnMut(&[u8])) -> u64 {
    let mut cur: std::borrow::Cow<[u8]> = std::borrow::Cow::Borrowed(data);
    for (k, f) in filters.iter().enumerate() {
        if *f == Filter::Other {
            break;
        }
        if k + 1 == filters.len() && *f == Filter::Flate {
            return inflate(&cur, cap, sink);
        }
        let mut out = Vec::new();
        let over = match f {
            Filter::Flate => inflate(&cur, cap, &mut |b| out.extend_from_slice(b)) > cap,
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
    sink(&cur);
    cur.len() as u64
}

/// Inflates `data` (zlib, or raw deflate) into `sink` in chunks, up to just past `cap`;
/// returns the bytes produced. A broken stream counts what inflated before the break.
fn inflate(data: &[u8], cap: u64, sink: &mut dyn FnMut(&[u8])) -> u64 {
    let zlib = data.first().is_some_and(|b| b & 0x0f == 8);
    let mut d = Decompress::new(zlib);
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let before_in = d.total_in();
        let before_out = d.total_out();
        let input = &data[(before_in as usize).min(data.len())..];
        let status = d.decompress(input, &mut buf, FlushDecompress::None);
        sink(&buf[..(d.total_out() - before_out) as usize]);
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
    // The table as (prefix code, last byte): an entry's bytes are read backwards.
    let mut table: Vec<(u16, u8)> = (0..=255u16).map(|b| (u16::MAX, b as u8)).collect();
    table.push((0, 0));
    table.push((0, 0));
    let (mut bits, mut acc, mut nbits) = (9u32, 0u32, 0u32);
    let mut prev: Option<u16> = None;
    let mut scratch = Vec::new();
    let first = |mut c: u16, table: &[(u16, u8)]| loop {
        let (p, b) = table[c as usize];
        if p == u16::MAX {
            return b;
        }
        c = p;
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
                    let head = if known { first(code, &table) } else { first(p, &table) };
                    if table.len() < 4096 {
                        table.push((p, head));
                    }
                    scratch.clear();
                    let mut c = code;
                    while c != u16::MAX {
                        let (pp, b) = table[c as usize];
                        scratch.push(b);
                        c = pp;
                    }
                    out.extend(scratch.iter().rev());
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
                out.extend_from_slice(&data[i.min(data.len())..(i + n + 1).min(data.len())]);
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
    let digits: Vec<u8> = data.iter().take_while(|c| **c != b'>').filter_map(|c| (*c as char).to_digit(16)).map(|d| d as u8).collect();
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
