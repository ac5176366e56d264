//! The joint solver: the figures of a whole table at once.
//!
//! A table row whose cells ran together (`210000021`) has several ways to be cut into
//! its cells. Each row is a *slot* with its candidate cuts; the table's identities are
//! linear equations over the cells of several slots (a row's total, a column's balance,
//! a column's sum of result rows). The solver enumerates every assignment of candidates
//! that satisfies all equations: a cell is known when every solution gives it the same
//! value, and unknown otherwise. Nothing is guessed:
//!
//! 1. the whole system; if it has solutions, their common cells are the reading;
//! 2. a published table may itself break one identity (that is what audits find): if the
//!    whole system has no solution, each identity is dropped in turn and the solutions of
//!    all these systems together decide, so that one misprinted total cannot hide the
//!    figures around it, nor make the solver pick a split that hides the misprint;
//! 3. if that fails too (several identities broken), each row stands alone: a cut is kept
//!    only if it is the only one, or the only one that satisfies the row's own total.
//!
//! The search is bounded (nodes and solutions); past the bound every cell that is not
//! the same in all candidates of its slot is unknown.

/// One equation: Σ coef × cell = rhs, where a cell is (slot, index in the slot).
#[derive(Debug, Clone, PartialEq)]
pub struct Equation {
    /// The terms.
    pub terms: Vec<(usize, usize, i64)>,
    /// The right-hand side (0 for identities; a stated figure for evidence).
    pub rhs: i128,
    /// Where the equation comes from, for messages (`B-balance 自然人`).
    pub name: String,
}

impl Equation {
    /// Σ plus − Σ minus = 0.
    pub fn balance(plus: &[(usize, usize)], minus: &[(usize, usize)], name: impl Into<String>) -> Equation {
        let mut terms: Vec<(usize, usize, i64)> = plus.iter().map(|&(s, i)| (s, i, 1)).collect();
        terms.extend(minus.iter().map(|&(s, i)| (s, i, -1)));
        Equation { terms, rhs: 0, name: name.into() }
    }

    /// The slots the equation reads.
    fn slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.terms.iter().map(|t| t.0)
    }
}

/// What became of each slot: per cell, its value when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Per slot: `None` when the slot had no candidate at all; else per cell
    /// `Some(value)` when every solution agrees, `None` when they differ.
    pub cells: Vec<Option<Vec<Option<u64>>>>,
    /// Per slot: the candidates that took part in some solution (indices into the
    /// slot's candidate list), for positions and messages.
    pub used: Vec<Vec<usize>>,
    /// Which stage decided (1 whole table, 2 one identity dropped, 3 row by row).
    pub stage: u8,
    /// The identities dropped in stage 2 that gave solutions (the published table
    /// breaks one of these).
    pub dropped: Vec<String>,
    /// Whether the search hit its bound.
    pub bounded: bool,
}

const MAX_NODES: u64 = 3_000_000;
const MAX_SOLUTIONS: usize = 4096;

struct Search<'a> {
    slots: &'a [Vec<Vec<u64>>],
    eqs: Vec<&'a Equation>,
    order: Vec<usize>,
    /// Per equation: per slot position in `order`, whether it is the last slot of the
    /// equation to be assigned.
    /// Per slot and cell: (min, max) over its candidates.
    bounds: Vec<Vec<(u64, u64)>>,
    assigned: Vec<Option<usize>>,
    nodes: u64,
    solutions: Vec<Vec<usize>>,
    bounded: bool,
}

impl Search<'_> {
    fn value(&self, slot: usize, cell: usize) -> Option<u64> {
        self.assigned[slot].map(|c| self.slots[slot][c][cell])
    }

    /// Whether an equation can still hold: its value range, given what is assigned and
    /// the bounds of the rest, contains the right-hand side.
    fn feasible(&self, eq: &Equation) -> bool {
        let (mut lo, mut hi) = (-eq.rhs, -eq.rhs);
        for &(s, i, k) in &eq.terms {
            let k = i128::from(k);
            match self.value(s, i) {
                Some(v) => {
                    lo += k * i128::from(v);
                    hi += k * i128::from(v);
                }
                None => {
                    let (a, b) = self.bounds[s][i];
                    let (a, b) = (k * i128::from(a), k * i128::from(b));
                    lo += a.min(b);
                    hi += a.max(b);
                }
            }
        }
        lo <= 0 && 0 <= hi
    }

    fn run(&mut self, depth: usize) {
        if self.bounded {
            return;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES || self.solutions.len() >= MAX_SOLUTIONS {
            self.bounded = true;
            return;
        }
        if depth == self.order.len() {
            let sol = self.assigned.iter().map(|a| a.unwrap_or(0)).collect();
            self.solutions.push(sol);
            return;
        }
        let slot = self.order[depth];
        for c in 0..self.slots[slot].len() {
            self.assigned[slot] = Some(c);
            let ok = self.eqs.iter().filter(|e| e.slots().any(|s| s == slot)).all(|e| self.feasible(e));
            if ok {
                self.run(depth + 1);
            }
        }
        self.assigned[slot] = None;
    }
}

/// All solutions of a system (candidate index per slot), and whether the bound was hit.
/// Slots with no candidate are left out of the search, and so are the equations that
/// read them: nothing can be concluded from a cell that was not read.
fn enumerate(slots: &[Vec<Vec<u64>>], eqs: &[&Equation]) -> (Vec<Vec<usize>>, bool) {
    let live = |s: usize| !slots[s].is_empty();
    let eqs: Vec<&Equation> = eqs.iter().copied().filter(|e| e.slots().all(live)).collect();
    let mut order: Vec<usize> = (0..slots.len()).filter(|&s| live(s)).collect();
    order.sort_by_key(|&s| slots[s].len());
    let bounds = slots
        .iter()
        .map(|cands| {
            let n = cands.first().map_or(0, Vec::len);
            (0..n)
                .map(|i| {
                    let vals = cands.iter().map(|c| c[i]);
                    (vals.clone().min().unwrap_or(0), vals.max().unwrap_or(0))
                })
                .collect()
        })
        .collect();
    let mut s = Search { slots, eqs, order, bounds, assigned: vec![None; slots.len()], nodes: 0, solutions: Vec::new(), bounded: false };
    s.run(0);
    (s.solutions, s.bounded)
}

/// Solves a table: `slots[s]` are the candidate cuts of slot `s` (each a vector of cell
/// values, all of the slot's length); `eqs` the identities and evidence.
pub fn solve(slots: &[Vec<Vec<u64>>], eqs: &[Equation]) -> Solution {
    let all: Vec<&Equation> = eqs.iter().collect();
    let (sols, bounded) = enumerate(slots, &all);
    if bounded {
        return fallback(slots, eqs, true);
    }
    if !sols.is_empty() {
        return summarize(slots, &sols, 1, Vec::new(), false);
    }
    // Stage 2: one identity at a time left out.
    let mut union: Vec<Vec<usize>> = Vec::new();
    let mut dropped = Vec::new();
    for skip in 0..eqs.len() {
        let rest: Vec<&Equation> = eqs.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, e)| e).collect();
        let (sols, bounded) = enumerate(slots, &rest);
        if bounded {
            return fallback(slots, eqs, true);
        }
        if !sols.is_empty() {
            dropped.push(eqs[skip].name.clone());
            union.extend(sols);
        }
        if union.len() > MAX_SOLUTIONS {
            return fallback(slots, eqs, true);
        }
    }
    if !union.is_empty() {
        return summarize(slots, &union, 2, dropped, false);
    }
    fallback(slots, eqs, false)
}

fn summarize(slots: &[Vec<Vec<u64>>], sols: &[Vec<usize>], stage: u8, dropped: Vec<String>, bounded: bool) -> Solution {
    let mut used: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    for sol in sols {
        for (s, &c) in sol.iter().enumerate() {
            if !slots[s].is_empty() && !used[s].contains(&c) {
                used[s].push(c);
            }
        }
    }
    for u in &mut used {
        u.sort_unstable();
    }
    let cells = slots.iter().zip(&used).map(|(cands, u)| agree(cands, u)).collect();
    Solution { cells, used, stage, dropped, bounded }
}

/// Per cell, the value shared by the chosen candidates.
fn agree(cands: &[Vec<u64>], chosen: &[usize]) -> Option<Vec<Option<u64>>> {
    let first = cands.get(*chosen.first()?)?;
    Some(
        (0..first.len())
            .map(|i| {
                let v = first[i];
                chosen.iter().all(|&c| cands[c][i] == v).then_some(v)
            })
            .collect(),
    )
}

/// Stage 3: each slot alone, with only the equations that read it alone.
fn fallback(slots: &[Vec<Vec<u64>>], eqs: &[Equation], bounded: bool) -> Solution {
    let mut used = Vec::with_capacity(slots.len());
    for (s, cands) in slots.iter().enumerate() {
        let own: Vec<&Equation> = eqs.iter().filter(|e| e.slots().all(|x| x == s)).collect();
        let ok: Vec<usize> = (0..cands.len())
            .filter(|&c| {
                own.iter().all(|e| {
                    let v: i128 = e.terms.iter().map(|&(_, i, k)| i128::from(k) * i128::from(cands[c][i])).sum();
                    v == e.rhs
                })
            })
            .collect();
        // The row's own total picks one cut: kept. No cut satisfies it (the printed total
        // is wrong): all cuts stay candidates, and only what they share is known.
        used.push(if ok.is_empty() { (0..cands.len()).collect() } else { ok });
    }
    let cells = slots.iter().zip(&used).map(|(cands, u)| agree(cands, u)).collect();
    Solution { cells, used, stage: 3, dropped: Vec::new(), bounded }
}

/// Every way to cut `frags` into exactly `n` cell values, in order. A fragment is a
/// string of digits that holds one or more whole cells (cells ran together, never a
/// cell split across fragments); `None` is a blank cell (exactly one cell, 0). A cut
/// never makes a part with a leading zero (`05`) nor one longer than 13 digits. Each
/// candidate also gives, per value, the fragment and digit range it came from. At most
/// `limit` candidates are returned; `None` when there are more.
pub fn cuts(frags: &[Option<&str>], n: usize, limit: usize) -> Option<Vec<Cut>> {
    let mut out = Vec::new();
    let mut cur = Cut::default();
    let min: usize = frags.len();
    if min > n {
        return Some(out);
    }
    let max: usize = frags.iter().map(|f| f.map_or(1, str::len)).sum();
    if max < n {
        return Some(out);
    }
    let mut budget = 2_000_000u64;
    if !rec(frags, 0, n, &mut cur, &mut out, limit, &mut budget) {
        return None;
    }
    Some(out)
}

/// One way to cut a row's fragments: the values, and for each value (fragment index,
/// digit range inside that fragment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cut {
    /// The cell values.
    pub values: Vec<u64>,
    /// Per value: (fragment, byte range within the fragment's digits).
    pub from: Vec<(usize, std::ops::Range<usize>)>,
}

fn rec(frags: &[Option<&str>], idx: usize, left: usize, cur: &mut Cut, out: &mut Vec<Cut>, limit: usize, budget: &mut u64) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    if idx == frags.len() {
        if left == 0 {
            if out.len() >= limit {
                return false;
            }
            out.push(cur.clone());
        }
        return true;
    }
    let rest_min = frags.len() - idx - 1;
    let rest_max: usize = frags[idx + 1..].iter().map(|f| f.map_or(1, str::len)).sum();
    match frags[idx] {
        None => {
            if left == 0 {
                return true;
            }
            cur.values.push(0);
            cur.from.push((idx, 0..0));
            let ok = rec(frags, idx + 1, left - 1, cur, out, limit, budget);
            cur.values.pop();
            cur.from.pop();
            ok
        }
        Some(s) => {
            // This fragment holds k cells: at least 1, and leaves the rest feasible.
            let lo = left.saturating_sub(rest_max).max(1);
            let hi = left.saturating_sub(rest_min).min(s.len());
            for k in lo..=hi {
                if !split_into(s, 0, k, idx, cur, &mut |cur| rec(frags, idx + 1, left - k, cur, out, limit, budget)) {
                    return false;
                }
            }
            true
        }
    }
}

/// Cuts `s[at..]` into `k` parts, calling `f` for each complete cut; false stops.
fn split_into(s: &str, at: usize, k: usize, frag: usize, cur: &mut Cut, f: &mut dyn FnMut(&mut Cut) -> bool) -> bool {
    let rest = &s[at..];
    let valid = |p: &str| !p.is_empty() && p.len() <= 13 && !(p.len() > 1 && p.starts_with('0'));
    if k == 1 {
        if !valid(rest) {
            return true;
        }
        cur.values.push(rest.parse().unwrap_or(0));
        cur.from.push((frag, at..s.len()));
        let go = f(cur);
        cur.values.pop();
        cur.from.pop();
        return go;
    }
    for len in 1..=rest.len().saturating_sub(k - 1) {
        let head = &rest[..len];
        if !valid(head) {
            break;
        }
        cur.values.push(head.parse().unwrap_or(0));
        cur.from.push((frag, at..at + len));
        let go = split_into(s, at + len, k - 1, frag, cur, f);
        cur.values.pop();
        cur.from.pop();
        if !go {
            return false;
        }
    }
    true
}
