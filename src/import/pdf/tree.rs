//! The object graph as [`super::guard`] sees it in the raw bytes, before any parser:
//! which object holds which body (objects of the file, and those packed into object
//! streams), the page tree (hayro expands it in full when it opens a file, so a tree
//! of 30 objects whose kids repeat one node stands for millions of pages, and a tree
//! that loops never ends), and the content streams (page `/Contents`, form XObjects),
//! whose operators [`Content`] scans for nesting.

use std::collections::HashMap;

/// The bodies of the objects, by object number. One number may have several bodies
/// (an updated file): all count, so the checks are on the safe side.
#[derive(Debug, Default)]
pub struct Objects {
    bodies: HashMap<u32, Vec<Vec<u8>>>,
    bytes: usize,
}

/// Most bytes of object bodies kept for the checks (beyond this the file is refused as
/// too large a structure: an annual report's objects are a few hundred kilobytes).
pub const MAX_BODY_BYTES: usize = 64 << 20;

impl Objects {
    /// Adds a body; `false` when the bodies together pass [`MAX_BODY_BYTES`].
    pub fn add(&mut self, num: u32, body: &[u8]) -> bool {
        // Only what the checks read: the dictionary part (a stream's data is not kept).
        let keep = body.len().min(64 * 1024);
        self.bytes += keep;
        self.bodies.entry(num).or_default().push(body[..keep].to_vec());
        self.bytes <= MAX_BODY_BYTES
    }

    /// The objects packed in an object stream (its decoded bytes and dictionary).
    pub fn add_packed(&mut self, dict: &[u8], data: &[u8]) -> bool {
        let (Some(n), Some(first)) = (int_after(dict, b"/N"), int_after(dict, b"/First")) else { return true };
        let header = &data[..(first as usize).min(data.len())];
        let nums: Vec<u64> = numbers(header).take(2 * n.min(1 << 20) as usize).collect();
        let pairs: Vec<(u32, usize)> = nums.chunks_exact(2).map(|p| (p[0] as u32, (first + p[1]) as usize)).collect();
        for (k, &(num, at)) in pairs.iter().enumerate() {
            let end = pairs.get(k + 1).map_or(data.len(), |p| p.1).min(data.len());
            if at < end && !self.add(num, &data[at..end]) {
                return false;
            }
        }
        true
    }

    /// Every body.
    pub fn all(&self) -> impl Iterator<Item = &[u8]> {
        self.bodies.values().flatten().map(Vec::as_slice)
    }
}

/// The unsigned integers of a run of text, in order.
fn numbers(b: &[u8]) -> impl Iterator<Item = u64> + '_ {
    b.split(|c| !c.is_ascii_digit()).filter(|s| !s.is_empty() && s.len() <= 12).filter_map(|s| std::str::from_utf8(s).ok()?.parse().ok())
}

/// The integer after a key (`/N 12`).
pub fn int_after(dict: &[u8], key: &[u8]) -> Option<u64> {
    let mut from = 0;
    while let Some(p) = dict[from..].windows(key.len()).position(|w| w == key) {
        let at = from + p + key.len();
        // `/N` must not be the start of `/Names`.
        if dict.get(at).is_some_and(|c| c.is_ascii_alphanumeric()) {
            from = at;
            continue;
        }
        let rest = dict[at..].trim_ascii_start();
        let digits: &[u8] = &rest[..rest.iter().position(|c| !c.is_ascii_digit()).unwrap_or(rest.len())];
        return std::str::from_utf8(digits).ok()?.parse().ok();
    }
    None
}

/// The objects a key refers to: `/Kids [3 0 R 4 0 R]`, `/Contents 5 0 R`,
/// `/Contents [5 0 R 6 0 R]`; an array held in an object of its own is looked up.
fn refs(objects: &Objects, body: &[u8], key: &[u8]) -> Vec<u32> {
    let Some(p) = body.windows(key.len()).position(|w| w == key) else { return Vec::new() };
    let rest = body[p + key.len()..].trim_ascii_start();
    if rest.first() == Some(&b'[') {
        let end = rest.iter().position(|c| *c == b']').unwrap_or(rest.len());
        return triples(&rest[1..end]);
    }
    // `N G R`: the value itself, or (an indirect array) the references it holds.
    let line = &rest[..rest.iter().position(|c| b"/>]".contains(c)).unwrap_or(rest.len())];
    let Some(&target) = triples(line).first() else { return Vec::new() };
    let arrays: Vec<u32> = objects
        .bodies
        .get(&target)
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let b = b.trim_ascii_start();
            b.starts_with(b"[").then(|| triples(&b[1..b.iter().position(|c| *c == b']').unwrap_or(b.len())]))
        })
        .flatten()
        .collect();
    if arrays.is_empty() { vec![target] } else { arrays }
}

/// The object numbers of the `N G R` references in a run of text.
fn triples(b: &[u8]) -> Vec<u32> {
    let toks: Vec<&[u8]> = b.split(|c| c.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < toks.len() {
        if toks[i + 2] == b"R" && toks[i + 1].iter().all(u8::is_ascii_digit) {
            if let Some(n) = std::str::from_utf8(toks[i]).ok().and_then(|s| s.parse().ok()) {
                out.push(n);
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    out
}

/// What is wrong with a page tree.
#[derive(Debug, Clone, PartialEq)]
pub enum TreeError {
    /// It stands for more pages than the limit (the count, capped just past it).
    TooMany(usize),
    /// A node is its own ancestor.
    Loop,
    /// Nodes nested deeper than the limit.
    TooDeep,
}

/// The most pages any node of the page tree expands to (as hayro expands it: a kid
/// seen twice is two pages), or what is wrong with the tree.
pub fn pages(objects: &Objects, limit: usize, depth_limit: usize) -> Result<usize, TreeError> {
    let kids: HashMap<u32, Vec<u32>> = objects
        .bodies
        .iter()
        .filter_map(|(n, bodies)| {
            let k: Vec<u32> = bodies.iter().flat_map(|b| refs(objects, b, b"/Kids")).collect();
            (!k.is_empty()).then_some((*n, k))
        })
        .collect();
    // Depth-first, without recursion: (node, next kid, pages so far).
    let mut done: HashMap<u32, usize> = HashMap::new();
    let mut best = 0;
    for &root in kids.keys() {
        if done.contains_key(&root) {
            continue;
        }
        let mut stack: Vec<(u32, usize, usize)> = vec![(root, 0, 0)];
        let mut open: std::collections::HashSet<u32> = [root].into();
        while let Some(&mut (node, ref mut next, ref mut sum)) = stack.last_mut() {
            let list = &kids[&node];
            if *next == list.len() {
                done.insert(node, *sum);
                open.remove(&node);
                let n = *sum;
                stack.pop();
                if let Some(parent) = stack.last_mut() {
                    parent.2 = (parent.2 + n).min(limit + 1);
                }
                best = best.max(n);
                continue;
            }
            let kid = list[*next];
            *next += 1;
            if !kids.contains_key(&kid) {
                *sum = (*sum + 1).min(limit + 1);
            } else if let Some(n) = done.get(&kid) {
                *sum = (*sum + n).min(limit + 1);
            } else if open.contains(&kid) {
                return Err(TreeError::Loop);
            } else {
                if stack.len() >= depth_limit {
                    return Err(TreeError::TooDeep);
                }
                open.insert(kid);
                stack.push((kid, 0, 0));
            }
        }
        if best > limit {
            return Err(TreeError::TooMany(best));
        }
    }
    Ok(best)
}

/// The objects that are page content streams (every `/Contents` reference).
pub fn contents(objects: &Objects) -> std::collections::HashSet<u32> {
    objects.all().flat_map(|b| refs(objects, b, b"/Contents")).collect()
}

/// A scanner of content-stream operators, fed chunk by chunk: how deep arrays and
/// dictionaries nest, and how many graphics states are saved (`q`) without being
/// restored (`Q`) — each saved state is a copy the interpreter keeps.
#[derive(Debug, Default)]
pub struct Content {
    state: Lex,
    tok: Vec<u8>,
    nest: usize,
    saves: usize,
    /// The deepest nesting of arrays and dictionaries seen.
    pub max_nest: usize,
    /// The most graphics states saved at once.
    pub max_saves: usize,
    prev: u8,
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Lex {
    #[default]
    Ops,
    Comment,
    /// In a literal string: its parenthesis depth, and whether a `\` came last.
    Str(usize, bool),
    Hex,
    /// Inline image data after `ID`: how much of a closing ` EI` has been seen.
    Image(u8),
}

impl Content {
    /// Scans the next bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        for &c in bytes {
            self.byte(c);
        }
    }

    fn end_token(&mut self) {
        match self.tok.as_slice() {
            b"q" => {
                self.saves += 1;
                self.max_saves = self.max_saves.max(self.saves);
            }
            b"Q" => self.saves = self.saves.saturating_sub(1),
            b"ID" => self.state = Lex::Image(0),
            _ => {}
        }
        self.tok.clear();
    }

    fn open(&mut self) {
        self.nest += 1;
        self.max_nest = self.max_nest.max(self.nest);
    }

    fn byte(&mut self, c: u8) {
        let prev = std::mem::replace(&mut self.prev, c);
        match self.state {
            Lex::Comment => {
                if c == b'\n' || c == b'\r' {
                    self.state = Lex::Ops;
                }
            }
            Lex::Str(depth, escaped) => {
                self.state = match (c, escaped) {
                    (_, true) => Lex::Str(depth, false),
                    (b'\\', false) => Lex::Str(depth, true),
                    (b'(', false) => Lex::Str(depth + 1, false),
                    (b')', false) if depth <= 1 => Lex::Ops,
                    (b')', false) => Lex::Str(depth - 1, false),
                    _ => Lex::Str(depth, false),
                }
            }
            Lex::Hex => {
                if c == b'<' && prev == b'<' {
                    // `<<`: not a hex string but a dictionary.
                    self.state = Lex::Ops;
                    self.open();
                    self.prev = 0;
                } else if c == b'>' {
                    self.state = Lex::Ops;
                    self.prev = 0;
                }
            }
            Lex::Image(seen) => {
                let white = c.is_ascii_whitespace();
                self.state = match (seen, c) {
                    (0, _) if white => Lex::Image(1),
                    (1, b'E') => Lex::Image(2),
                    (2, b'I') => Lex::Image(3),
                    (3, _) if white => Lex::Ops,
                    _ if white => Lex::Image(1),
                    _ => Lex::Image(0),
                };
            }
            Lex::Ops => {
                let delim = c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c);
                if delim {
                    self.end_token();
                    if self.state != Lex::Ops {
                        // `ID` began inline image data; this byte is its separator.
                        return;
                    }
                } else if self.tok.len() < 4 {
                    self.tok.push(c);
                } else {
                    self.tok.truncate(4);
                }
                match c {
                    b'%' => self.state = Lex::Comment,
                    b'(' => self.state = Lex::Str(1, false),
                    b'[' => self.open(),
                    b']' => self.nest = self.nest.saturating_sub(1),
                    b'<' => self.state = Lex::Hex,
                    b'>' if prev == b'>' => {
                        self.nest = self.nest.saturating_sub(1);
                        self.prev = 0;
                    }
                    _ => {}
                }
            }
        }
    }
}
