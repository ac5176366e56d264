//! Ruling lines → tables. The borders of a page are merged into lines, lines that touch
//! form a table, and the table's distinct line positions cut it into elementary cells.
//! Two neighbouring elementary cells belong to one merged cell when the line between
//! them is missing (less than half drawn); a merged cell must be a rectangle, or its
//! pieces are kept apart (never guessed). Glyphs fall into the cell that holds their
//! centre.

use super::extract::{Glyph, Seg};
use super::layout;

/// Positions closer than this (points) are one line (a double border, a stroke drawn as
/// two thin boxes, rounding of the producer).
pub const TOL: f64 = 1.6;

/// A cell of a table on one page, in grid units.
#[derive(Debug, Clone, PartialEq)]
pub struct GCell {
    /// First row.
    pub r0: usize,
    /// One past the last row.
    pub r1: usize,
    /// First column.
    pub c0: usize,
    /// One past the last column.
    pub c1: usize,
    /// Its text, lines joined in reading order.
    pub text: String,
}

/// A table found on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Column boundaries, left to right (points).
    pub xs: Vec<f64>,
    /// Row boundaries, top to bottom.
    pub ys: Vec<f64>,
    /// The cells, each merged cell once, in reading order (row, then column).
    pub cells: Vec<GCell>,
}

impl Grid {
    /// Top of the table.
    pub fn top(&self) -> f64 {
        self.ys[0]
    }
    /// Bottom of the table.
    pub fn bottom(&self) -> f64 {
        *self.ys.last().unwrap_or(&0.0)
    }
    /// Whether a point lies inside the table.
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        let (x0, x1) = (self.xs[0], *self.xs.last().unwrap_or(&0.0));
        x >= x0 - 0.5 && x <= x1 + 0.5 && y >= self.top() - 0.5 && y <= self.bottom() + 0.5
    }
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.ys.len() - 1
    }
}

/// Positions within [`TOL`] of each other, merged (their mean), sorted.
pub fn cluster(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((sum, n)) if x - *sum / *n as f64 <= TOL => {
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(s, n)| s / n as f64).collect()
}

/// Segments on one line merged: collinear pieces that overlap or nearly touch become one.
fn merge(segs: &[Seg], horizontal: bool) -> Vec<Seg> {
    let mut v: Vec<Seg> = segs.iter().filter(|s| s.horizontal == horizontal).copied().collect();
    v.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut lines: Vec<Vec<Seg>> = Vec::new();
    for s in v {
        match lines.last_mut() {
            Some(l) if s.at - l[0].at <= TOL => l.push(s),
            _ => lines.push(vec![s]),
        }
    }
    let mut out = Vec::new();
    for mut l in lines {
        let at = l.iter().map(|s| s.at).sum::<f64>() / l.len() as f64;
        l.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut cur: Option<Seg> = None;
        for s in l {
            match &mut cur {
                Some(c) if s.from <= c.to + TOL => c.to = c.to.max(s.to),
                _ => {
                    if let Some(c) = cur.take() {
                        out.push(c);
                    }
                    cur = Some(Seg { horizontal, at, from: s.from, to: s.to });
                }
            }
        }
        out.extend(cur);
    }
    out
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn new(n: usize) -> Self {
        Dsu((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// How much of `[a, b]` the segments (on one line) cover, as a fraction.
fn coverage(segs: &[&Seg], a: f64, b: f64) -> f64 {
    let mut covered = 0.0;
    for s in segs {
        let (lo, hi) = (s.from.max(a), s.to.min(b));
        if hi > lo {
            covered += hi - lo;
        }
    }
    if b > a { covered / (b - a) } else { 1.0 }
}

/// Most border segments a page may have for tables to be looked for (beyond this the
/// page is a drawing, and its text is read as lines).
pub const MAX_SEGS: usize = 6000;

/// The tables of a page. The glyphs that fall into a table are taken out of `glyphs`.
pub fn tables(segs: &[Seg], glyphs: &mut Vec<Glyph>) -> Vec<Grid> {
    if segs.len() > MAX_SEGS {
        return Vec::new();
    }
    let mut lines = merge(segs, true);
    lines.extend(merge(segs, false));
    // Lines that touch (within the tolerance) are of one table.
    let mut dsu = Dsu::new(lines.len());
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            let (a, b) = (&lines[i], &lines[j]);
            let touch = if a.horizontal == b.horizontal {
                false
            } else {
                let (h, v) = if a.horizontal { (a, b) } else { (b, a) };
                v.at >= h.from - TOL && v.at <= h.to + TOL && h.at >= v.from - TOL && h.at <= v.to + TOL
            };
            if touch {
                dsu.union(i, j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..lines.len() {
        let r = dsu.find(i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = Vec::new();
    for idx in groups.values() {
        let group: Vec<Seg> = idx.iter().map(|&i| lines[i]).collect();
        if let Some(g) = grid(&group, glyphs) {
            out.push(g);
        }
    }
    out.sort_by(|a, b| a.top().total_cmp(&b.top()));
    out
}

/// One group of touching lines → a table (at least two cells), taking its glyphs.
fn grid(group: &[Seg], glyphs: &mut Vec<Glyph>) -> Option<Grid> {
    let hs: Vec<&Seg> = group.iter().filter(|s| s.horizontal).collect();
    let vs: Vec<&Seg> = group.iter().filter(|s| !s.horizontal).collect();
    if hs.len() < 2 || vs.len() < 2 {
        return None;
    }
    let x0 = hs.iter().map(|s| s.from).chain(vs.iter().map(|s| s.at)).fold(f64::INFINITY, f64::min);
    let x1 = hs.iter().map(|s| s.to).chain(vs.iter().map(|s| s.at)).fold(f64::NEG_INFINITY, f64::max);
    let y0 = vs.iter().map(|s| s.from).chain(hs.iter().map(|s| s.at)).fold(f64::INFINITY, f64::min);
    let y1 = vs.iter().map(|s| s.to).chain(hs.iter().map(|s| s.at)).fold(f64::NEG_INFINITY, f64::max);
    // The outer edges are boundaries even where the border is not drawn (an open table).
    let xs = cluster(vs.iter().map(|s| s.at).chain([x0, x1]).collect());
    let ys = cluster(hs.iter().map(|s| s.at).chain([y0, y1]).collect());
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    if nr == 0 || nc == 0 || nr * nc < 2 || nr * nc > 20_000 {
        return None;
    }
    let on = |segs: &[&Seg], at: f64| -> Vec<Seg> { segs.iter().filter(|s| (s.at - at).abs() <= TOL).map(|s| **s).collect() };
    let vlines: Vec<Vec<Seg>> = xs.iter().map(|&x| on(&vs, x)).collect();
    let hlines: Vec<Vec<Seg>> = ys.iter().map(|&y| on(&hs, y)).collect();
    let id = |r: usize, c: usize| r * nc + c;
    let mut dsu = Dsu::new(nr * nc);
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc {
                let v: Vec<&Seg> = vlines[c + 1].iter().collect();
                if coverage(&v, ys[r], ys[r + 1]) < 0.5 {
                    dsu.union(id(r, c), id(r, c + 1));
                }
            }
            if r + 1 < nr {
                let h: Vec<&Seg> = hlines[r + 1].iter().collect();
                if coverage(&h, xs[c], xs[c + 1]) < 0.5 {
                    dsu.union(id(r, c), id(r + 1, c));
                }
            }
        }
    }
    // Regions → rectangles (a region that is not one stays in pieces).
    let mut bounds: std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize)> = Default::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = dsu.find(id(r, c));
            let b = bounds.entry(root).or_insert((r, r + 1, c, c + 1, 0));
            b.0 = b.0.min(r);
            b.1 = b.1.max(r + 1);
            b.2 = b.2.min(c);
            b.3 = b.3.max(c + 1);
            b.4 += 1;
        }
    }
    let mut owner = vec![usize::MAX; nr * nc];
    let mut rects: Vec<(usize, usize, usize, usize)> = Vec::new();
    for r in 0..nr {
        for c in 0..nc {
            if owner[id(r, c)] != usize::MAX {
                continue;
            }
            let (r0, r1, c0, c1, n) = bounds[&dsu.find(id(r, c))];
            let rect = if n == (r1 - r0) * (c1 - c0) { (r0, r1, c0, c1) } else { (r, r + 1, c, c + 1) };
            for rr in rect.0..rect.1 {
                for cc in rect.2..rect.3 {
                    owner[id(rr, cc)] = rects.len();
                }
            }
            rects.push(rect);
        }
    }
    if rects.len() < 2 {
        return None;
    }
    // Glyphs into cells.
    let mut inside: Vec<Vec<Glyph>> = vec![Vec::new(); rects.len()];
    let bbox = |(x, y): (f64, f64)| x >= xs[0] - 0.5 && x <= xs[nc] + 0.5 && y >= ys[0] - 0.5 && y <= ys[nr] + 0.5;
    let find = |v: &[f64], x: f64| v.partition_point(|b| *b <= x).saturating_sub(1).min(v.len() - 2);
    glyphs.retain(|g| {
        let (cx, cy) = g.centre();
        if !bbox((cx, cy)) {
            return true;
        }
        let (r, c) = (find(&ys, cy), find(&xs, cx));
        inside[owner[id(r, c)]].push(g.clone());
        false
    });
    let cells = rects.iter().zip(inside).map(|(&(r0, r1, c0, c1), gs)| GCell { r0, r1, c0, c1, text: layout::block_text(gs) }).collect();
    Some(Grid { xs, ys, cells })
}
