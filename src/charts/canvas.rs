//! Drawing primitives shared by every chart: a white canvas, rectangles, lines, text set in the
//! bundled DejaVu fonts, and axis helpers.
//!
//! Coordinates are pixels as `f64`, origin at the top left, y growing downwards. Nothing here
//! panics on odd input: shapes with non-finite or empty geometry are skipped, and whatever falls
//! outside the canvas is clipped.

use std::borrow::Cow;
use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve, Point};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash,
    Transform,
};

use super::ChartError;

static REGULAR: LazyLock<Option<FontRef<'static>>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf")).ok()
});
static BOLD: LazyLock<Option<FontRef<'static>>> = LazyLock::new(|| {
    FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf")).ok()
});

const ELLIPSIS: &str = "…";

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Colour {
    pub const WHITE: Colour = Colour::rgb(255, 255, 255);
    pub const BLACK: Colour = Colour::rgb(0, 0, 0);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b, a: 255 }
    }

    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self { r, g, b, a }
    }

    fn paint(self) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(self.r, self.g, self.b, self.a);
        paint
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Weight {
    #[default]
    Regular,
    Bold,
}

impl Weight {
    fn font(self) -> Option<&'static FontRef<'static>> {
        match self {
            Weight::Regular => REGULAR.as_ref(),
            Weight::Bold => BOLD.as_ref(),
        }
    }
}

/// Which point of the text the x coordinate given to [`Canvas::text`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Centre,
    Right,
}

/// How to set a piece of text: size is the em size in pixels, like CSS `font-size`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f64,
    pub weight: Weight,
    pub colour: Colour,
    pub align: Align,
}

impl TextStyle {
    pub const fn new(size: f64, colour: Colour) -> Self {
        Self {
            size,
            weight: Weight::Regular,
            colour,
            align: Align::Left,
        }
    }

    pub const fn bold(self) -> Self {
        Self {
            weight: Weight::Bold,
            ..self
        }
    }

    pub const fn align(self, align: Align) -> Self {
        Self { align, ..self }
    }

    /// Advance width of `text` in pixels.
    pub fn measure(&self, text: &str) -> f64 {
        measure(text, self.size, self.weight)
    }

    /// `text`, shortened with "…" if needed to be at most `max_width` pixels wide.
    pub fn fit<'a>(&self, text: &'a str, max_width: f64) -> Cow<'a, str> {
        fit(text, self.size, self.weight, max_width)
    }

    /// Height of capital letters in pixels, for centring a line of text vertically.
    pub fn cap_height(&self) -> f64 {
        cap_height(self.size, self.weight)
    }
}

/// Pixels per font unit, or `None` for sizes nothing sensible can be drawn at.
fn scale(font: &FontRef<'_>, size: f64) -> Option<f64> {
    let units_per_em = f64::from(font.units_per_em().unwrap_or(2048.0));
    (size.is_finite() && size > 0.0 && units_per_em > 0.0).then(|| size / units_per_em)
}

/// Glyphs of `text` with their pen positions in font units, kerning applied. Control characters
/// are dropped rather than drawn as boxes; anything else the font lacks maps to glyph 0
/// (`.notdef`), as ab_glyph does.
fn layout<'a>(
    font: &'a FontRef<'static>,
    text: &'a str,
) -> impl Iterator<Item = (GlyphId, f64, f64)> + 'a {
    let mut pen = 0.0_f64;
    let mut previous: Option<GlyphId> = None;
    text.chars().filter(|c| !c.is_control()).map(move |c| {
        let id = font.glyph_id(c);
        if let Some(previous) = previous {
            pen += f64::from(font.kern_unscaled(previous, id));
        }
        let x = pen;
        let advance = f64::from(font.h_advance_unscaled(id));
        pen += advance;
        previous = Some(id);
        (id, x, advance)
    })
}

/// Advance width of `text` set at `size` pixels, 0 for empty text or a size that cannot be drawn.
pub fn measure(text: &str, size: f64, weight: Weight) -> f64 {
    let Some(font) = weight.font() else {
        return 0.0;
    };
    let Some(scale) = scale(font, size) else {
        return 0.0;
    };
    layout(font, text)
        .last()
        .map_or(0.0, |(_, x, advance)| (x + advance) * scale)
}

/// `text` shortened at a character boundary and ended with "…" so that it is at most `max_width`
/// pixels wide; empty if not even the ellipsis fits.
pub fn fit(text: &str, size: f64, weight: Weight, max_width: f64) -> Cow<'_, str> {
    if measure(text, size, weight) <= max_width {
        return Cow::Borrowed(text);
    }
    let Some(font) = weight.font() else {
        return Cow::Borrowed("");
    };
    let Some(px_per_unit) = scale(font, size) else {
        return Cow::Borrowed("");
    };
    let room = max_width - measure(ELLIPSIS, size, weight);
    // Also catches a NaN width, which no comparison below would stop at.
    if room.is_nan() || room < 0.0 {
        return Cow::Borrowed("");
    }
    // Pair every char boundary with the width of the text before it: one pass, kerning included.
    let mut end = 0;
    let visible = text.char_indices().filter(|(_, c)| !c.is_control());
    for ((index, c), (_, x, advance)) in visible.zip(layout(font, text)) {
        if (x + advance) * px_per_unit > room {
            break;
        }
        end = index + c.len_utf8();
    }
    let kept = text[..end].trim_end();
    Cow::Owned(format!("{kept}{ELLIPSIS}"))
}

/// Height of a capital "H" at `size` pixels.
pub fn cap_height(size: f64, weight: Weight) -> f64 {
    let Some(font) = weight.font() else {
        return 0.0;
    };
    let Some(scale) = scale(font, size) else {
        return 0.0;
    };
    // ab_glyph keeps a y-up outline's top in `bounds.min.y`; take the larger to not depend on it.
    font.outline(font.glyph_id('H'))
        .map_or(size * 0.73, |outline| {
            f64::from(outline.bounds.min.y.max(outline.bounds.max.y)) * scale
        })
}

/// A white raster to draw charts on, encoded to PNG at the end.
pub struct Canvas {
    pixmap: Pixmap,
}

impl std::fmt::Debug for Canvas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canvas")
            .field("width", &self.pixmap.width())
            .field("height", &self.pixmap.height())
            .finish()
    }
}

impl Canvas {
    /// A white canvas. Fails if the size is zero or too large to allocate, or if the bundled
    /// fonts cannot be read (checked here so that drawing text never has to fail).
    pub fn new(width: u32, height: u32) -> Result<Self, ChartError> {
        if REGULAR.is_none() || BOLD.is_none() {
            return Err(ChartError::Font);
        }
        let mut pixmap = Pixmap::new(width, height).ok_or(ChartError::Size { width, height })?;
        pixmap.fill(Color::WHITE);
        Ok(Self { pixmap })
    }

    pub fn width(&self) -> u32 {
        self.pixmap.width()
    }

    pub fn height(&self) -> u32 {
        self.pixmap.height()
    }

    /// The colour at a pixel, `None` outside the canvas.
    pub fn pixel(&self, x: u32, y: u32) -> Option<Colour> {
        // tiny-skia only checks the pixel index, so x past the width would wrap to the next row.
        if x >= self.width() {
            return None;
        }
        let c = self.pixmap.pixel(x, y)?.demultiply();
        Some(Colour::rgba(c.red(), c.green(), c.blue(), c.alpha()))
    }

    /// Fills a rectangle; negative widths or heights draw nothing. Pass whole-pixel edges for
    /// crisp, exactly coloured bars.
    pub fn fill_rect(&mut self, x: f64, y: f64, width: f64, height: f64, colour: Colour) {
        if let Some(rect) = Rect::from_xywh(x as f32, y as f32, width as f32, height as f32) {
            self.pixmap
                .fill_rect(rect, &colour.paint(), Transform::identity(), None);
        }
    }

    /// A filled circle, e.g. a measurement dot.
    pub fn fill_circle(&mut self, cx: f64, cy: f64, radius: f64, colour: Colour) {
        if let Some(path) = PathBuilder::from_circle(cx as f32, cy as f32, radius as f32) {
            self.pixmap.fill_path(
                &path,
                &colour.paint(),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    /// A straight line. For a crisp 1 px horizontal or vertical line, put it on a half pixel.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, width: f64, colour: Colour) {
        self.polyline(&[(x1, y1), (x2, y2)], width, colour);
    }

    /// Connected line segments through `points`, with round joins so curves look smooth.
    pub fn polyline(&mut self, points: &[(f64, f64)], width: f64, colour: Colour) {
        self.stroke(points, width, colour, None);
    }

    /// A line drawn as `dash` pixels on, `gap` pixels off.
    pub fn dashed_line(
        &mut self,
        (x1, y1): (f64, f64),
        (x2, y2): (f64, f64),
        width: f64,
        dash: f64,
        gap: f64,
        colour: Colour,
    ) {
        // StrokeDash rejects non-positive intervals; a plain line is the closest sensible drawing.
        let dash = StrokeDash::new(vec![dash as f32, gap as f32], 0.0);
        self.stroke(&[(x1, y1), (x2, y2)], width, colour, dash);
    }

    fn stroke(
        &mut self,
        points: &[(f64, f64)],
        width: f64,
        colour: Colour,
        dash: Option<StrokeDash>,
    ) {
        let [(x0, y0), rest @ ..] = points else {
            return;
        };
        if rest.is_empty() || !(width.is_finite() && width > 0.0) {
            return;
        }
        let mut builder = PathBuilder::new();
        builder.move_to(*x0 as f32, *y0 as f32);
        for (x, y) in rest {
            builder.line_to(*x as f32, *y as f32);
        }
        let Some(path) = builder.finish() else { return };
        let stroke = Stroke {
            width: width as f32,
            line_cap: LineCap::Butt,
            line_join: LineJoin::Round,
            dash,
            ..Stroke::default()
        };
        self.pixmap
            .stroke_path(&path, &colour.paint(), &stroke, Transform::identity(), None);
    }

    /// Draws one line of text with its baseline at `baseline`; `x` is the left edge, centre or
    /// right edge depending on `style.align`. Text is not clipped to any box: use
    /// [`TextStyle::fit`] first where it might run into something.
    pub fn text(&mut self, text: &str, x: f64, baseline: f64, style: &TextStyle) {
        let Some(font) = style.weight.font() else {
            return;
        };
        let Some(scale) = scale(font, style.size) else {
            return;
        };
        let left = match style.align {
            Align::Left => x,
            Align::Centre => x - style.measure(text) / 2.0,
            Align::Right => x - style.measure(text),
        };
        // All glyphs go into one path, filled once with the non-zero rule TrueType outlines use.
        let mut builder = PathBuilder::new();
        for (id, pen, _) in layout(font, text) {
            let Some(outline) = font.outline(id) else {
                continue;
            };
            let ox = left + pen * scale;
            let to_px = |p: Point| {
                (
                    (ox + f64::from(p.x) * scale) as f32,
                    (baseline - f64::from(p.y) * scale) as f32,
                )
            };
            let mut closed = true;
            let mut start = Point { x: 0.0, y: 0.0 };
            let mut last = start;
            for curve in &outline.curves {
                let (first, end) = match *curve {
                    OutlineCurve::Line(p0, p1) => (p0, p1),
                    OutlineCurve::Quad(p0, _, p2) => (p0, p2),
                    OutlineCurve::Cubic(p0, _, _, p3) => (p0, p3),
                };
                // ab_glyph flattens contours into one list of curves; a contour begins wherever
                // a curve does not continue the previous one or the previous one came back home.
                if closed || first != last {
                    let (x, y) = to_px(first);
                    builder.move_to(x, y);
                    start = first;
                }
                match *curve {
                    OutlineCurve::Line(_, p1) => {
                        let (x, y) = to_px(p1);
                        builder.line_to(x, y);
                    }
                    OutlineCurve::Quad(_, p1, p2) => {
                        let ((x1, y1), (x, y)) = (to_px(p1), to_px(p2));
                        builder.quad_to(x1, y1, x, y);
                    }
                    OutlineCurve::Cubic(_, p1, p2, p3) => {
                        let ((x1, y1), (x2, y2), (x, y)) = (to_px(p1), to_px(p2), to_px(p3));
                        builder.cubic_to(x1, y1, x2, y2, x, y);
                    }
                }
                last = end;
                closed = end == start;
            }
        }
        // No path at all (empty or blank text) is fine: there is nothing to draw.
        if let Some(path) = builder.finish() {
            self.pixmap.fill_path(
                &path,
                &style.colour.paint(),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }

    /// The canvas as a PNG (8-bit RGBA).
    pub fn png(self) -> Result<Vec<u8>, ChartError> {
        self.pixmap
            .encode_png()
            .map_err(|e| ChartError::Encode(e.to_string()))
    }
}

/// Up to `max_ticks` round values (steps of 1, 2 or 5 × 10ⁿ) covering `min..=max`: the first
/// tick is at or below `min`, the last at or above `max`. A range of one value is widened around
/// it (0..0 gives 0..1). Non-finite bounds give no ticks.
pub fn nice_ticks(min: f64, max: f64, max_ticks: usize) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) {
        return Vec::new();
    }
    let (mut min, mut max) = if min <= max { (min, max) } else { (max, min) };
    if min == max {
        let pad = if min == 0.0 { 1.0 } else { min.abs() * 0.1 };
        if min >= 0.0 && min - pad < 0.0 {
            // Keep a non-negative quantity's axis from dipping below zero.
            max += pad;
        } else {
            min -= pad;
            max += pad;
        }
    }
    let max_ticks = max_ticks.max(2);
    let raw_step = (max - min) / (max_ticks - 1) as f64;
    if !(raw_step.is_finite() && raw_step > 0.0) {
        return vec![min, max];
    }
    let mut exponent = raw_step.log10().floor() as i32;
    let mut nice = [1.0, 2.0, 5.0]
        .into_iter()
        .find(|&n| n * 10f64.powi(exponent) >= raw_step)
        .unwrap_or(10.0);
    // Rounding the ends outwards can add a tick; step up until the count fits.
    loop {
        let step = nice * 10f64.powi(exponent);
        let first = (min / step).floor();
        let last = (max / step).ceil();
        let count = last - first + 1.0;
        if !count.is_finite() || !step.is_finite() {
            return vec![min, max];
        }
        if count <= max_ticks as f64 {
            let ticks: Vec<f64> = (0..count as usize)
                .map(|i| tick_value(first + i as f64, nice, exponent))
                .collect();
            // Near f64::MAX the rounded-out last tick overflows to infinity.
            return if ticks.iter().all(|t| t.is_finite()) {
                ticks
            } else {
                vec![min, max]
            };
        }
        (nice, exponent) = match nice {
            1.0 => (2.0, exponent),
            2.0 => (5.0, exponent),
            _ => (1.0, exponent + 1),
        };
    }
}

/// `index × nice × 10^exponent`, computed so that decimal ticks come out as the shortest decimal
/// (0.3, not 0.30000000000000004): dividing by an exact power of ten rounds correctly, multiplying
/// by an inexact 0.1 does not.
fn tick_value(index: f64, nice: f64, exponent: i32) -> f64 {
    let divisor = 10f64.powi(exponent.saturating_neg());
    let value = if exponent < 0 && divisor.is_finite() {
        index * nice / divisor
    } else {
        index * nice * 10f64.powi(exponent)
    };
    // Avoid printing "-0" for the zero tick of a range starting below zero.
    if value == 0.0 { 0.0 } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INK: Colour = Colour::rgb(20, 20, 20);

    fn dark_columns(canvas: &Canvas, y0: u32, y1: u32) -> Vec<u32> {
        (0..canvas.width())
            .filter(|&x| {
                (y0..y1).any(|y| canvas.pixel(x, y).is_some_and(|c| c.r < 128 && c.g < 128))
            })
            .collect()
    }

    #[test]
    fn new_canvas_is_white() {
        let canvas = Canvas::new(10, 5).unwrap();
        assert_eq!((canvas.width(), canvas.height()), (10, 5));
        assert_eq!(canvas.pixel(9, 4), Some(Colour::WHITE));
        assert_eq!(canvas.pixel(10, 0), None);
    }

    #[test]
    fn zero_sized_canvas_is_an_error() {
        assert!(matches!(
            Canvas::new(0, 10),
            Err(ChartError::Size {
                width: 0,
                height: 10
            })
        ));
    }

    #[test]
    fn png_decodes_with_the_canvas_size() {
        let mut canvas = Canvas::new(30, 20).unwrap();
        canvas.fill_rect(0.0, 0.0, 10.0, 10.0, Colour::rgb(0, 114, 178));
        let png = canvas.png().unwrap();
        let decoder = png::Decoder::new(png.as_slice());
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (30, 20));
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
    }

    #[test]
    fn rects_are_exact_on_whole_pixels() {
        let blue = Colour::rgb(0, 114, 178);
        let mut canvas = Canvas::new(20, 20).unwrap();
        canvas.fill_rect(5.0, 5.0, 10.0, 4.0, blue);
        assert_eq!(canvas.pixel(5, 5), Some(blue));
        assert_eq!(canvas.pixel(14, 8), Some(blue));
        assert_eq!(canvas.pixel(15, 8), Some(Colour::WHITE));
        assert_eq!(canvas.pixel(5, 9), Some(Colour::WHITE));
    }

    #[test]
    fn lines_and_dashes_paint() {
        let mut canvas = Canvas::new(100, 20).unwrap();
        canvas.line(0.0, 2.5, 100.0, 2.5, 1.0, INK);
        canvas.dashed_line((0.0, 10.5), (100.0, 10.5), 1.0, 4.0, 4.0, INK);
        canvas.polyline(&[(0.0, 15.0), (50.0, 18.0), (100.0, 15.0)], 2.0, INK);
        assert!((0..100).all(|x| canvas.pixel(x, 2) == Some(INK)));
        let dashed = (0..100)
            .filter(|&x| canvas.pixel(x, 10) == Some(INK))
            .count();
        assert!(
            (40..=60).contains(&dashed),
            "{dashed} dark pixels in a half-on dash"
        );
    }

    #[test]
    fn degenerate_shapes_draw_nothing_and_do_not_panic() {
        let mut canvas = Canvas::new(10, 10).unwrap();
        canvas.fill_rect(f64::NAN, 0.0, 5.0, 5.0, INK);
        canvas.fill_rect(0.0, 0.0, -5.0, 5.0, INK);
        canvas.line(0.0, 0.0, 5.0, 5.0, 0.0, INK);
        canvas.line(0.0, 0.0, f64::INFINITY, 5.0, 1.0, INK);
        canvas.polyline(&[(1.0, 1.0)], 1.0, INK);
        canvas.fill_circle(5.0, 5.0, -1.0, INK);
        canvas.text("abc", f64::NAN, 5.0, &TextStyle::new(12.0, INK));
        canvas.text("abc", 0.0, 5.0, &TextStyle::new(f64::INFINITY, INK));
        canvas.text("abc", 0.0, 5.0, &TextStyle::new(-3.0, INK));
        assert!((0..10).all(|x| (0..10).all(|y| canvas.pixel(x, y) == Some(Colour::WHITE))));
    }

    #[test]
    fn text_renders_within_its_measured_width() {
        let style = TextStyle::new(24.0, INK);
        let text = "Kecamatan Poasia";
        let width = style.measure(text);
        let mut canvas = Canvas::new(400, 40).unwrap();
        canvas.text(text, 50.0, 30.0, &style);
        let columns = dark_columns(&canvas, 0, 40);
        assert!(columns.len() > 100, "only {} dark columns", columns.len());
        let (first, last) = (columns[0], columns[columns.len() - 1]);
        assert!(
            first >= 50 && f64::from(last) <= 50.0 + width + 1.0,
            "{first}..{last} vs {width}"
        );
        // The text is anti-aliased: some pixels are neither white nor the ink.
        let grey = (0..400)
            .any(|x| (0..40).any(|y| canvas.pixel(x, y).is_some_and(|c| c.r > 60 && c.r < 200)));
        assert!(grey);
    }

    #[test]
    fn alignment_moves_the_text() {
        let style = TextStyle::new(20.0, INK);
        let width = style.measure("Terlambat");
        for (align, x, left) in [
            (Align::Centre, 200.0, 200.0 - width / 2.0),
            (Align::Right, 300.0, 300.0 - width),
        ] {
            let mut canvas = Canvas::new(400, 40).unwrap();
            canvas.text("Terlambat", x, 30.0, &style.align(align));
            let columns = dark_columns(&canvas, 0, 40);
            assert!(
                (f64::from(columns[0]) - left).abs() < 4.0,
                "{align:?}: {}",
                columns[0]
            );
        }
    }

    #[test]
    fn measure_grows_with_length_and_size() {
        let a = measure("Tepat", 16.0, Weight::Regular);
        let b = measure("Tepat waktu", 16.0, Weight::Regular);
        assert!(a > 0.0 && b > a);
        assert!(measure("Tepat", 32.0, Weight::Regular) > a * 1.9);
        assert!(measure("Tepat", 16.0, Weight::Bold) > a);
        assert_eq!(measure("", 16.0, Weight::Regular), 0.0);
        assert_eq!(measure("abc", f64::NAN, Weight::Regular), 0.0);
    }

    #[test]
    fn non_ascii_and_unknown_glyphs_render() {
        let style = TextStyle::new(20.0, INK);
        // Em dash, en dash, accented and apostrophe from DejaVu; a CJK char and an emoji it
        // lacks, which come out as .notdef boxes.
        for text in ["—", "–", "é", "Ma’ruf", "中", "🦀"] {
            assert!(style.measure(text) > 0.0, "{text}");
            let mut canvas = Canvas::new(60, 40).unwrap();
            canvas.text(text, 10.0, 30.0, &style);
            assert!(
                !dark_columns(&canvas, 0, 40).is_empty(),
                "{text} drew nothing"
            );
        }
    }

    #[test]
    fn fit_truncates_with_an_ellipsis() {
        let text = "Kecamatan Mandonga dan sekitarnya yang sangat panjang";
        assert_eq!(fit(text, 16.0, Weight::Regular, 10_000.0), text);
        let short = fit(text, 16.0, Weight::Regular, 150.0);
        assert!(short.ends_with('…') && short.len() < text.len(), "{short}");
        assert!(measure(&short, 16.0, Weight::Regular) <= 150.0);
        assert_eq!(fit(text, 16.0, Weight::Regular, 1.0), "");
        assert_eq!(fit(text, 16.0, Weight::Regular, f64::NAN), "");
        // Cuts fall on char boundaries even in multi-byte text.
        let long = "é—".repeat(50);
        assert!(fit(&long, 16.0, Weight::Bold, 100.0).ends_with('…'));
    }

    #[test]
    fn cap_height_is_about_three_quarters_of_the_size() {
        let h = cap_height(100.0, Weight::Regular);
        assert!((65.0..80.0).contains(&h), "{h}");
    }

    #[test]
    fn nice_ticks_examples() {
        assert_eq!(nice_ticks(0.0, 7.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(0.0, 0.0, 5), [0.0, 0.5, 1.0]);
        assert_eq!(nice_ticks(0.0, 1234.0, 6), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(nice_ticks(0.0, 10.0, 6), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            nice_ticks(0.0, 1.0, 11),
            [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        );
        assert_eq!(
            nice_ticks(-3.0, 3.0, 7),
            [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(nice_ticks(45.0, 120.0, 6), [40.0, 60.0, 80.0, 100.0, 120.0]);
        assert_eq!(nice_ticks(7.0, 0.0, 5), nice_ticks(0.0, 7.0, 5));
        assert_eq!(nice_ticks(50.0, 50.0, 5), [45.0, 50.0, 55.0]);
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
        assert!(nice_ticks(0.0, f64::INFINITY, 5).is_empty());
    }

    #[test]
    fn nice_ticks_handle_extreme_ranges() {
        for (min, max) in [
            (0.0, f64::MAX),
            (-f64::MAX, f64::MAX),
            (1e-300, 2e-300),
            (0.0, 1e-320),
        ] {
            for max_ticks in [0, 1, 2, 5, 100] {
                let ticks = nice_ticks(min, max, max_ticks);
                assert!(ticks.len() <= max_ticks.max(2), "{min}..{max}: {ticks:?}");
                assert!(ticks.iter().all(|t| t.is_finite()));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn nice_ticks_cover_the_range(min in -1e9..1e9_f64, span in 0.0..1e9_f64, max_ticks in 2..12_usize) {
            let max = min + span;
            let ticks = nice_ticks(min, max, max_ticks);
            proptest::prop_assert!(ticks.len() >= 2 && ticks.len() <= max_ticks, "{ticks:?}");
            proptest::prop_assert!(ticks[0] <= min && ticks[ticks.len() - 1] >= max, "{ticks:?}");
            proptest::prop_assert!(ticks.windows(2).all(|w| w[0] < w[1]));
        }

        #[test]
        fn fit_never_exceeds_the_width(text in "\\PC{0,40}", max_width in 0.0..400.0_f64) {
            let fitted = fit(&text, 14.0, Weight::Regular, max_width);
            proptest::prop_assert!(measure(&fitted, 14.0, Weight::Regular) <= max_width + 1e-9);
        }
    }
}
