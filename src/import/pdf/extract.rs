//! One page of a PDF as what a table reader needs: the glyphs (Unicode text, where it
//! stands, how big) and the straight horizontal and vertical strokes and thin filled
//! rectangles that draw cell borders. hayro-interpret runs the content stream and calls
//! this module's [`Device`] for every glyph and path; everything else (images,
//! shadings, clipping) is ignored.
//!
//! Coordinates are PDF points with the origin at the top-left of the page, y down (as
//! on screen), after the page's rotation.

use hayro_interpret::font::Glyph as HGlyph;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::{BlendMode, ClipPath, Device, GlyphDrawMode, Image, Paint, PathDrawMode, SoftMask};
use kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};

/// A drawn character (or a ligature's characters) and its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The Unicode text (usually one character); U+FFFD when the font has no mapping.
    pub text: String,
    /// Left edge (the glyph's origin), points.
    pub x0: f64,
    /// Right edge (origin + advance).
    pub x1: f64,
    /// The baseline.
    pub y: f64,
    /// The em size on the page, points.
    pub size: f64,
}

impl Glyph {
    /// Top of the glyph's box (an em above the baseline, less the descent).
    pub fn top(&self) -> f64 {
        self.y - 0.85 * self.size
    }
    /// Bottom of the glyph's box.
    pub fn bottom(&self) -> f64 {
        self.y + 0.15 * self.size
    }
    /// The centre of its box, where it is placed into a cell.
    pub fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.top() + self.bottom()) / 2.0)
    }
}

/// A straight border: horizontal (at y, from x to x) or vertical (at x, from y to y).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seg {
    /// Horizontal (`at` is y) or vertical (`at` is x).
    pub horizontal: bool,
    /// The fixed coordinate.
    pub at: f64,
    /// Start of the running coordinate (`from <= to`).
    pub from: f64,
    /// End of the running coordinate.
    pub to: f64,
}

/// What one page holds.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// Width and height in points.
    pub size: (f64, f64),
    /// The glyphs, in content-stream order.
    pub glyphs: Vec<Glyph>,
    /// The borders.
    pub segs: Vec<Seg>,
    /// Glyphs whose font gives no Unicode text.
    pub unmapped: usize,
    /// Images drawn (a scan is an image per page and no glyphs).
    pub images: usize,
}

/// Budgets of one document, shared by its pages: a hostile content stream cannot make
/// the reader hold more than this, or work longer.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Glyphs left to record.
    pub glyphs: usize,
    /// Border segments left to record.
    pub segs: usize,
    /// Drawing operations left (every call of the interpreter into the device).
    pub ops: usize,
    /// When reading must have ended.
    pub deadline: std::time::Instant,
}

/// Which budget ran out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exhausted {
    /// Glyphs or border segments.
    Content,
    /// Drawing operations.
    Ops,
    /// Time.
    Time,
}

/// The unwinding payload that stops the interpreter when a budget runs out (caught
/// around `interpret_page`; it does not go through the panic hook).
#[derive(Debug)]
pub struct Stop;

/// The hayro device that records a page.
pub struct Recorder<'b> {
    /// The page being recorded.
    pub page: Page,
    /// The document's remaining budget.
    pub budget: &'b mut Budget,
    /// Set when a budget ran out (the page is then incomplete).
    pub exhausted: Option<Exhausted>,
}

/// A border thinner than this (points) is a line, not a filled box.
const THIN: f64 = 2.5;
/// A stroke this far from axis-parallel (points over its length) is still straight.
const SKEW: f64 = 0.6;

fn visible(paint: &Paint<'_>) -> bool {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, a] = c.to_rgba().components();
            // White (or transparent) on the white page draws nothing a reader sees.
            a > 0.05 && (r + g + b) < 2.85
        }
        Paint::Pattern(_) => true,
    }
}

impl Recorder<'_> {
    /// Stops interpreting: the budget `why` ran out.
    fn stop(&mut self, why: Exhausted) -> ! {
        self.exhausted = Some(why);
        std::panic::resume_unwind(Box::new(Stop))
    }

    /// Counts one operation of the interpreter; stops it past the budget or the time.
    fn tick(&mut self) {
        self.budget.ops = self.budget.ops.saturating_sub(1);
        if self.budget.ops == 0 {
            self.stop(Exhausted::Ops);
        }
        if self.budget.ops.is_multiple_of(1024) && std::time::Instant::now() > self.budget.deadline {
            self.stop(Exhausted::Time);
        }
    }

    fn push_seg(&mut self, s: Seg) {
        if s.to - s.from < 0.5 {
            return;
        }
        if self.budget.segs == 0 {
            self.stop(Exhausted::Content);
        }
        self.budget.segs -= 1;
        self.page.segs.push(s);
    }

    fn line(&mut self, a: Point, b: Point) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if dy <= SKEW && dx > dy {
            let y = (a.y + b.y) / 2.0;
            self.push_seg(Seg { horizontal: true, at: y, from: a.x.min(b.x), to: a.x.max(b.x) });
        } else if dx <= SKEW && dy > dx {
            let x = (a.x + b.x) / 2.0;
            self.push_seg(Seg { horizontal: false, at: x, from: a.y.min(b.y), to: a.y.max(b.y) });
        }
    }

    /// A rectangle on the page: a thin one is a line along its long side, a box gives
    /// its four edges (a shaded cell, or a cell drawn as a box).
    fn rect(&mut self, r: Rect, filled: bool) {
        let (w, h) = (r.width(), r.height());
        let (pw, ph) = self.page.size;
        if filled && h <= THIN && w > h {
            self.push_seg(Seg { horizontal: true, at: r.center().y, from: r.x0, to: r.x1 });
        } else if filled && w <= THIN && h > w {
            self.push_seg(Seg { horizontal: false, at: r.center().x, from: r.y0, to: r.y1 });
        } else if w * h < 0.6 * pw * ph {
            // A page-sized box is a background, not a cell.
            self.push_seg(Seg { horizontal: true, at: r.y0, from: r.x0, to: r.x1 });
            self.push_seg(Seg { horizontal: true, at: r.y1, from: r.x0, to: r.x1 });
            self.push_seg(Seg { horizontal: false, at: r.x0, from: r.y0, to: r.y1 });
            self.push_seg(Seg { horizontal: false, at: r.x1, from: r.y0, to: r.y1 });
        }
    }

    fn path(&mut self, path: &BezPath, filled: bool) {
        // Sub-path by sub-path: a rectangle (`re`, or four lines) is a box; other
        // shapes give their straight pieces when stroked (a filled curve is a glyph or
        // an icon, not a border).
        let mut pts: Vec<Point> = Vec::new();
        let mut curved = false;
        let flush = |me: &mut Self, pts: &mut Vec<Point>, curved: bool| {
            if let Some(r) = (!curved).then(|| as_rect(pts)).flatten() {
                me.rect(r, filled);
            } else if !filled {
                for w in pts.windows(2) {
                    me.line(w[0], w[1]);
                }
            }
            pts.clear();
        };
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    flush(self, &mut pts, curved);
                    curved = false;
                    pts.push(p);
                }
                PathEl::LineTo(p) => pts.push(p),
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    curved = true;
                    // A curve breaks the straight run: start a new one at its end.
                    if !filled {
                        for w in pts.windows(2) {
                            self.line(w[0], w[1]);
                        }
                    }
                    pts.clear();
                    pts.push(p);
                }
                PathEl::ClosePath => {
                    if let Some(&first) = pts.first() {
                        pts.push(first);
                    }
                }
            }
        }
        flush(self, &mut pts, curved);
    }
}

/// The rectangle a closed run of 4 (or 5, closing) axis-parallel points draws.
fn as_rect(pts: &[Point]) -> Option<Rect> {
    let pts = match pts {
        [a, .., z] if pts.len() == 5 && a.distance(*z) < 0.5 => &pts[..4],
        _ if pts.len() == 4 => pts,
        _ => return None,
    };
    for i in 0..4 {
        let (a, b) = (pts[i], pts[(i + 1) % 4]);
        if (a.x - b.x).abs() > SKEW && (a.y - b.y).abs() > SKEW {
            return None;
        }
    }
    let mut r = Rect::from_points(pts[0], pts[2]);
    r = r.union_pt(pts[1]).union_pt(pts[3]);
    Some(r)
}

impl<'a> Device<'a> for Recorder<'_> {
    // Every call counts against the budget: a form XObject entered reports its soft
    // mask, blend mode and clip, so a tree of forms drawing forms is bounded too.
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {
        self.tick();
    }
    fn set_blend_mode(&mut self, _: BlendMode) {
        self.tick();
    }
    fn push_clip_path(&mut self, _: &ClipPath) {
        self.tick();
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {
        self.tick();
    }
    fn pop_clip_path(&mut self) {
        self.tick();
    }
    fn pop_transparency_group(&mut self) {
        self.tick();
    }

    fn draw_path(&mut self, path: &BezPath, transform: Affine, paint: &Paint<'a>, mode: &PathDrawMode) {
        self.tick();
        if !visible(paint) {
            return;
        }
        let filled = matches!(mode, PathDrawMode::Fill(_));
        // Bound the work: a path of a million points is not a table border.
        if path.elements().len() > 4096 {
            return;
        }
        let mut p = path.clone();
        p.apply_affine(transform);
        self.path(&p, filled);
    }

    fn draw_rect(&mut self, rect: &Rect, transform: Affine, paint: &Paint<'a>, mode: &PathDrawMode) {
        self.draw_path(&rect.to_path(0.1), transform, paint, mode);
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {
        self.tick();
        self.page.images += 1;
    }

    fn draw_glyph(&mut self, glyph: &HGlyph<'a>, transform: Affine, glyph_transform: Affine, _: &Paint<'a>, mode: &GlyphDrawMode) {
        self.tick();
        // Fill+stroke text is drawn twice: record it once.
        if matches!(mode, GlyphDrawMode::Stroke(_)) && self.page.glyphs.last().is_some() {
            // A stroked-only glyph (outline text) is still text; only skip the stroke
            // pass of a glyph just filled at the same place.
            let full = transform * glyph_transform;
            let o = full * Point::ZERO;
            if let Some(last) = self.page.glyphs.last()
                && (last.x0 - o.x).abs() < 0.01
                && (last.y - o.y).abs() < 0.01
            {
                return;
            }
        }
        if self.budget.glyphs == 0 {
            self.stop(Exhausted::Content);
        }
        self.budget.glyphs -= 1;
        let text = match glyph.as_unicode() {
            Some(BfString::Char(c)) => c.to_string(),
            Some(BfString::String(s)) => s,
            None => {
                self.page.unmapped += 1;
                "\u{FFFD}".to_string()
            }
        };
        // Glyph space is 1/1000 em; the advance comes from the font's widths. A Type 3
        // glyph (Chromium's fonts) has no width here: a CJK character is an em, other
        // characters about half.
        let adv = match glyph {
            HGlyph::Outline(g) => g.advance_width().map(f64::from).filter(|w| *w > 0.0),
            HGlyph::Type3(_) => None,
        }
        .unwrap_or_else(|| if text.chars().any(super::layout::is_cjk) { 1000.0 } else { 550.0 });
        let full = transform * glyph_transform;
        let o = full * Point::ZERO;
        let e = full * Point::new(adv, 0.0);
        let up = full * Point::new(0.0, 1000.0);
        let size = (up - o).hypot();
        if !size.is_finite() || size <= 0.01 || size > 2000.0 || !o.x.is_finite() || !o.y.is_finite() {
            return;
        }
        let (x0, x1) = if (e.x - o.x).abs() >= (e.y - o.y).abs() {
            (o.x.min(e.x), o.x.max(e.x))
        } else {
            // Rotated text: its box across the line.
            (o.x - size / 2.0, o.x + size / 2.0)
        };
        if text.chars().any(char::is_control) {
            return;
        }
        let text = unify(text);
        self.page.glyphs.push(Glyph { text, x0, x1, y: o.y, size });
    }
}

/// Radicals → the ideographs they look like. Fonts whose one glyph serves both (Noto CJK)
/// make some producers (Chromium) write the radical (⼯ U+2F2F) where the text has the
/// ideograph (工 U+5DE5); a compatibility ideograph (U+F900…) likewise, and the
/// vertical presentation forms of punctuation (︑ U+FE11, which Chromium writes for the
/// 、 of text set vertically) → the ordinary forms.
fn unify(text: String) -> String {
    let odd = |c: char| matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F | 0xFE10..=0xFE19 | 0xFE30..=0xFE4F);
    if !text.chars().any(odd) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if odd(c) {
            if let Ok(i) = RADICALS.binary_search_by_key(&c, |r| r.0) {
                out.push(RADICALS[i].1);
                continue;
            }
            let mut d = String::new();
            unicode_normalization::char::decompose_compatible(c, |x| d.push(x));
            if d.chars().count() == 1 {
                out.push_str(&d);
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// CJK Radicals Supplement (U+2E80…, which has no Unicode decomposition) → the
/// ideograph each stands for, where there is one (the simplified forms of Chinese text).
const RADICALS: &[(char, char)] = &[
    ('\u{2E85}', '亻'),
    ('\u{2E86}', '冂'),
    ('\u{2E89}', '刂'),
    ('\u{2E8A}', '卜'),
    ('\u{2E8E}', '兀'),
    ('\u{2E92}', '巳'),
    ('\u{2E93}', '幺'),
    ('\u{2E94}', '彑'),
    ('\u{2E96}', '忄'),
    ('\u{2E98}', '扌'),
    ('\u{2E99}', '攵'),
    ('\u{2E9D}', '月'),
    ('\u{2E9E}', '歺'),
    ('\u{2EA0}', '民'),
    ('\u{2EA1}', '氵'),
    ('\u{2EA2}', '氺'),
    ('\u{2EA3}', '灬'),
    ('\u{2EA4}', '爫'),
    ('\u{2EA6}', '丬'),
    ('\u{2EA7}', '牛'),
    ('\u{2EA8}', '犭'),
    ('\u{2EA9}', '王'),
    ('\u{2EAA}', '疋'),
    ('\u{2EAC}', '示'),
    ('\u{2EAD}', '礻'),
    ('\u{2EAE}', '竹'),
    ('\u{2EAF}', '糹'),
    ('\u{2EB0}', '纟'),
    ('\u{2EB2}', '罒'),
    ('\u{2EB6}', '羊'),
    ('\u{2EBB}', '聿'),
    ('\u{2EBC}', '月'),
    ('\u{2EBE}', '艹'),
    ('\u{2EC1}', '虎'),
    ('\u{2EC2}', '衤'),
    ('\u{2EC3}', '覀'),
    ('\u{2EC4}', '西'),
    ('\u{2EC5}', '见'),
    ('\u{2EC6}', '角'),
    ('\u{2EC8}', '讠'),
    ('\u{2EC9}', '贝'),
    ('\u{2ECB}', '车'),
    ('\u{2ECC}', '辶'),
    ('\u{2ECD}', '辶'),
    ('\u{2ECE}', '辶'),
    ('\u{2ECF}', '阝'),
    ('\u{2ED0}', '钅'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2ED6}', '阝'),
    ('\u{2ED7}', '雨'),
    ('\u{2ED8}', '青'),
    ('\u{2ED9}', '韦'),
    ('\u{2EDA}', '页'),
    ('\u{2EDB}', '风'),
    ('\u{2EDC}', '飞'),
    ('\u{2EDD}', '食'),
    ('\u{2EDF}', '飠'),
    ('\u{2EE0}', '饣'),
    ('\u{2EE1}', '首'),
    ('\u{2EE2}', '马'),
    ('\u{2EE3}', '骨'),
    ('\u{2EE4}', '鬼'),
    ('\u{2EE5}', '鱼'),
    ('\u{2EE6}', '鸟'),
    ('\u{2EE7}', '卤'),
    ('\u{2EE8}', '麦'),
    ('\u{2EE9}', '黄'),
    ('\u{2EEA}', '黾'),
    ('\u{2EEC}', '齐'),
    ('\u{2EEE}', '齿'),
    ('\u{2EF0}', '龙'),
];
