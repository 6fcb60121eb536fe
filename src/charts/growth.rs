//! A child's growth chart: length/height by age against the WHO 2006 length/height-for-age
//! curves (−3, −2, median and +2 SD), laid out like WHO's own charts, with all texts supplied by
//! the caller already localized.
//!
//! The child's values are plotted as the tables use them ([`table_length`]): recumbent length
//! before two years, standing height from two years, so a point lies on the same side of a curve
//! as its z-score says. That is also why the curves step down by about 0.7 cm at 24 months, where
//! a dashed line marks the change from length to height.

use super::ChartError;
use super::canvas::{Align, Canvas, Colour, TextStyle, nice_ticks};
use crate::domain::child::Sex;
use crate::domain::growth::{HEIGHT_FROM_DAYS, MAX_AGE_DAYS, Position, length_at_z, table_length};

pub const GROWTH_WIDTH: u32 = 1200;
pub const GROWTH_HEIGHT: u32 = 900;

/// One measurement of the child.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthPoint {
    /// Age in completed days on the day of measurement.
    pub age_days: u32,
    /// As measured, before the lying/standing conversion.
    pub length_cm: f64,
    pub position: Position,
}

/// Every text on the chart, localized by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrowthLabels {
    /// E.g. "Budi Santoso — tinggi menurut umur".
    pub title: String,
    /// E.g. "Laki-laki · standar WHO 2006".
    pub subtitle: String,
    /// E.g. "Umur (bulan)".
    pub x_axis: String,
    /// E.g. "Panjang/tinggi badan (cm)".
    pub y_axis: String,
    /// Legend names of the −3, −2, 0 (median) and +2 SD curves, e.g. "−3 SD"; also written at the
    /// right end of each curve.
    pub curves: [String; 4],
    /// Legend name of the child's points, e.g. "Budi".
    pub child: String,
    /// Written in the middle of the plot when there is no point to draw: "Belum ada pengukuran".
    pub empty: String,
}

/// What to draw. Points may come in any order. Points older than the standards (past day 1826)
/// and lengths that cannot be a child's (non-finite, or outside 20–200 cm once converted: a
/// typo in mm or m) are left out rather than drawn or allowed to squash the curves into a strip.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthChart {
    pub sex: Sex,
    pub points: Vec<GrowthPoint>,
    pub labels: GrowthLabels,
}

/// Days in an average month: WHO's convention for age in months.
const DAYS_PER_MONTH: f64 = 30.4375;
/// The standards end at five years.
const MAX_MONTHS: u32 = 60;
/// Where recumbent length gives way to standing height, in months.
const TWO_YEARS: f64 = 24.0;
/// Room left before the youngest and after the oldest point, in months.
const MONTHS_AROUND: f64 = 3.0;
/// A narrower age axis would make a few weeks look like a steep climb.
const MIN_SPAN_MONTHS: u32 = 12;
/// The age axis without any point: the first two years, where most measuring happens.
const EMPTY_MONTHS: (u32, u32) = (0, 24);
/// Month steps for the age axis, smallest first; the first giving at most [`MAX_X_TICKS`] wins.
const MONTH_STEPS: [u32; 5] = [1, 2, 3, 6, 12];
const MAX_X_TICKS: usize = 13;
const MAX_Y_TICKS: usize = 11;
/// Curves are sampled weekly: smooth at any zoom of this chart, and cheap...
const SAMPLE_DAYS: u32 = 7;
/// ...except over the first three months, where they bend most: daily samples follow the table
/// exactly there instead of cutting its corners.
const DAILY_UNTIL_DAYS: u32 = 92;
/// Converted lengths outside this range are data-entry errors, not a child under five.
const PLAUSIBLE_CM: std::ops::RangeInclusive<f64> = 20.0..=200.0;
/// The y range used if the curves are somehow unavailable; a child's whole first five years.
const FALLBACK_CM: (f64, f64) = (40.0, 130.0);

/// The four WHO curves in the order of [`GrowthLabels::curves`]: z-score, colour, line width.
/// Widths differ too so the curves stay apart for readers who cannot tell the colours apart;
/// the labels at their right ends do the rest.
const CURVES: [(f64, Colour, f64); 4] = [
    (-3.0, MINUS_3, 2.0),
    (-2.0, MINUS_2, 2.5),
    (0.0, MEDIAN, 3.0),
    (2.0, PLUS_2, 2.0),
];

// Okabe–Ito colours where possible (as in the weekly chart): told apart under the common forms of
// colour blindness; −3 SD is a dark red that reads as "worse than −2" by lightness alone.
const MINUS_3: Colour = Colour::rgb(110, 18, 18);
const MINUS_2: Colour = Colour::rgb(213, 94, 0);
const MEDIAN: Colour = Colour::rgb(0, 158, 115);
const PLUS_2: Colour = Colour::rgb(230, 159, 0);
const CHILD: Colour = Colour::rgb(0, 114, 178);
/// The stunting zone below −2 SD: a light tint of the −2 SD colour.
const STUNTED: Colour = Colour::rgb(252, 236, 226);
const GRID: Colour = Colour::rgb(230, 230, 230);
const AXIS: Colour = Colour::rgb(140, 140, 140);
const INK: Colour = Colour::rgb(33, 33, 33);
const MUTED: Colour = Colour::rgb(96, 96, 96);

const WIDTH: f64 = GROWTH_WIDTH as f64;
const MARGIN: f64 = 48.0;

const TITLE: TextStyle = TextStyle::new(34.0, INK).bold();
const SUBTITLE: TextStyle = TextStyle::new(20.0, MUTED);
const BODY: TextStyle = TextStyle::new(17.0, INK);
const SMALL: TextStyle = TextStyle::new(15.0, MUTED);
const EMPTY: TextStyle = TextStyle::new(22.0, MUTED).align(Align::Centre);

const TITLE_BASELINE: f64 = 62.0;
const SUBTITLE_BASELINE: f64 = 96.0;
const LEGEND_BASELINE: f64 = 140.0;
const Y_LABEL_BASELINE: f64 = 184.0;
const PLOT_TOP: f64 = 206.0;
const PLOT_BOTTOM: f64 = 800.0;
const X_TICK_BASELINE: f64 = PLOT_BOTTOM + 26.0;
const X_LABEL_BASELINE: f64 = PLOT_BOTTOM + 66.0;
/// Curve names at the right end of the curves get at most this much room.
const MAX_END_LABEL: f64 = 120.0;
const END_LABEL_GAP: f64 = 8.0;

const CHILD_LINE: f64 = 2.5;
const CHILD_RADIUS: f64 = 6.0;
/// A white ring around each point keeps it visible where it sits on a curve.
const HALO_RADIUS: f64 = 8.5;

/// The chart as a PNG of exactly [`GROWTH_WIDTH`] × [`GROWTH_HEIGHT`] pixels.
pub fn growth_png(chart: &GrowthChart) -> Result<Vec<u8>, ChartError> {
    render(chart)?.png()
}

/// Maps data to pixels inside the plot area. Built only with non-empty ranges, so neither
/// mapping divides by zero.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    /// Age axis range in months.
    months: (f64, f64),
    /// Length axis range in cm.
    cm: (f64, f64),
}

impl Frame {
    fn x(&self, months: f64) -> f64 {
        let (lo, hi) = self.months;
        self.left + (months - lo) / (hi - lo) * (self.right - self.left)
    }

    fn y(&self, cm: f64) -> f64 {
        let (lo, hi) = self.cm;
        self.bottom - (cm - lo) / (hi - lo) * (self.bottom - self.top)
    }
}

/// Everything computed from the data before drawing; tests look at it to know where things go.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    frame: Frame,
    /// Whole months with a label on the age axis.
    x_ticks: Vec<u32>,
    /// Lengths with a label on the cm axis; the first and last are the axis ends.
    y_ticks: Vec<f64>,
    /// (months, cm) samples of each curve of [`CURVES`], by age.
    curves: [Vec<(f64, f64)>; 4],
    /// The child's (months, table cm), oldest measurement last.
    points: Vec<(f64, f64)>,
}

impl Plan {
    fn new(chart: &GrowthChart) -> Self {
        let points = child_points(&chart.points);
        let (lo, hi) = month_range(points.iter().map(|&(months, _)| months));
        let days = sample_days(lo, hi);
        let curves = CURVES.map(|(z, _, _)| {
            days.iter()
                .filter_map(|&day| length_at_z(chart.sex, day, z).map(|cm| (months_of(day), cm)))
                .collect::<Vec<_>>()
        });
        let y_ticks = cm_ticks(curves.iter().flatten().chain(&points).map(|&(_, cm)| cm));
        let (cm_lo, cm_hi) = match (y_ticks.first(), y_ticks.last()) {
            (Some(&lo), Some(&hi)) if hi > lo => (lo, hi),
            _ => FALLBACK_CM,
        };
        let left = (MARGIN + widest(&SMALL, y_ticks.iter().map(|t| format!("{t}"))) + 12.0)
            .min(MARGIN + 100.0)
            .round();
        let end_labels = widest(&SMALL, chart.labels.curves.iter().cloned()).min(MAX_END_LABEL);
        let right = if end_labels > 0.0 {
            WIDTH - MARGIN - end_labels - END_LABEL_GAP
        } else {
            WIDTH - MARGIN
        }
        .round();
        Self {
            frame: Frame {
                left,
                right,
                top: PLOT_TOP,
                bottom: PLOT_BOTTOM,
                months: (f64::from(lo), f64::from(hi)),
                cm: (cm_lo, cm_hi),
            },
            x_ticks: month_ticks(lo, hi),
            y_ticks,
            curves,
            points,
        }
    }
}

fn months_of(age_days: u32) -> f64 {
    f64::from(age_days) / DAYS_PER_MONTH
}

/// The points worth drawing as (months, cm the tables use), by age; a stable sort keeps
/// same-day measurements in the order given, so the output does not depend on sort internals.
fn child_points(points: &[GrowthPoint]) -> Vec<(f64, f64)> {
    let mut kept: Vec<(u32, f64)> = points
        .iter()
        .filter(|p| p.age_days <= MAX_AGE_DAYS && p.length_cm.is_finite() && p.length_cm > 0.0)
        .map(|p| {
            (
                p.age_days,
                table_length(p.age_days, p.length_cm, p.position),
            )
        })
        .filter(|(_, cm)| PLAUSIBLE_CM.contains(cm))
        .collect();
    kept.sort_by_key(|&(days, _)| days);
    kept.into_iter()
        .map(|(days, cm)| (months_of(days), cm))
        .collect()
}

/// The age axis in whole months: a few months either side of the points, within 0–60, at least
/// a year wide (widened to the right first: that is where the next measurements will go).
fn month_range(ages: impl Iterator<Item = f64>) -> (u32, u32) {
    let span = ages.fold(None, |span: Option<(f64, f64)>, months| {
        Some(span.map_or((months, months), |(lo, hi)| {
            (lo.min(months), hi.max(months))
        }))
    });
    let Some((youngest, oldest)) = span else {
        return EMPTY_MONTHS;
    };
    let max = f64::from(MAX_MONTHS);
    // Casts saturate, and the clamps keep both ends inside 0..=60 whatever the input.
    let lo = (youngest - MONTHS_AROUND).floor().clamp(0.0, max) as u32;
    let hi = (oldest + MONTHS_AROUND).ceil().clamp(0.0, max) as u32;
    let hi = hi.max(lo + MIN_SPAN_MONTHS).min(MAX_MONTHS);
    let lo = lo.min(hi.saturating_sub(MIN_SPAN_MONTHS));
    (lo, hi)
}

/// Labelled months: multiples of the smallest step in [`MONTH_STEPS`] that gives at most
/// [`MAX_X_TICKS`] of them, so the labels stay readable and fall on familiar ages.
fn month_ticks(lo: u32, hi: u32) -> Vec<u32> {
    let mut ticks = Vec::new();
    for step in MONTH_STEPS {
        ticks = (lo..=hi).filter(|m| m % step == 0).collect();
        if ticks.len() <= MAX_X_TICKS {
            break;
        }
    }
    ticks
}

/// Days to sample the curves at: weekly (daily at first) from the first day of the axis to the
/// last, plus the last day before and the first day of standing height, so the step at two years
/// is drawn as a drop between neighbouring days rather than a slope across a week.
fn sample_days(lo: u32, hi: u32) -> Vec<u32> {
    // Inside the axis, so no curve pokes past its ends.
    let first = ((f64::from(lo) * DAYS_PER_MONTH).ceil() as u32).min(MAX_AGE_DAYS);
    let last = ((f64::from(hi) * DAYS_PER_MONTH).floor() as u32).min(MAX_AGE_DAYS);
    let special = [first, HEIGHT_FROM_DAYS - 1, HEIGHT_FROM_DAYS, last];
    (first..=last)
        .filter(|&day| day < DAILY_UNTIL_DAYS || day % SAMPLE_DAYS == 0 || special.contains(&day))
        .collect()
}

/// Ticks of the cm axis covering every value given (curves and points), with a little room so
/// nothing touches the frame. Empty only if no value is finite.
fn cm_ticks(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return nice_ticks(FALLBACK_CM.0, FALLBACK_CM.1, MAX_Y_TICKS);
    }
    let pad = ((hi - lo) * 0.03).max(1.0);
    nice_ticks(lo - pad, hi + pad, MAX_Y_TICKS)
}

fn widest(style: &TextStyle, texts: impl Iterator<Item = String>) -> f64 {
    texts.map(|t| style.measure(&t)).fold(0.0, f64::max)
}

/// Baseline that centres a line of `style` text on `middle`.
fn centred_baseline(style: &TextStyle, middle: f64) -> f64 {
    middle + style.cap_height() / 2.0
}

fn render(chart: &GrowthChart) -> Result<Canvas, ChartError> {
    let mut canvas = Canvas::new(GROWTH_WIDTH, GROWTH_HEIGHT)?;
    let plan = Plan::new(chart);
    let labels = &chart.labels;
    let full_width = WIDTH - 2.0 * MARGIN;
    canvas.text(
        &TITLE.fit(&labels.title, full_width),
        MARGIN,
        TITLE_BASELINE,
        &TITLE,
    );
    canvas.text(
        &SUBTITLE.fit(&labels.subtitle, full_width),
        MARGIN,
        SUBTITLE_BASELINE,
        &SUBTITLE,
    );
    draw_legend(&mut canvas, labels);
    draw_stunting_zone(&mut canvas, chart.sex, &plan.frame);
    draw_axes(&mut canvas, &plan, labels);
    draw_curves(&mut canvas, &plan, labels);
    draw_child(&mut canvas, &plan);
    if plan.points.is_empty() {
        draw_empty(&mut canvas, &plan.frame, &labels.empty);
    }
    Ok(canvas)
}

/// Tints the area below the −2 SD curve one pixel column at a time: the canvas has no polygon
/// fill, and whole-pixel columns give an exact colour. The curve drawn later covers the edge.
fn draw_stunting_zone(canvas: &mut Canvas, sex: Sex, frame: &Frame) {
    let (lo, hi) = frame.months;
    let width = frame.right - frame.left;
    let mut x = frame.left;
    while x < frame.right {
        let months = lo + (x + 0.5 - frame.left) / width * (hi - lo);
        let day = (months * DAYS_PER_MONTH)
            .round()
            .clamp(0.0, f64::from(MAX_AGE_DAYS)) as u32;
        if let Some(cm) = length_at_z(sex, day, -2.0) {
            let top = frame.y(cm).clamp(frame.top, frame.bottom).round();
            canvas.fill_rect(x, top, 1.0, frame.bottom - top, STUNTED);
        }
        x += 1.0;
    }
}

fn draw_axes(canvas: &mut Canvas, plan: &Plan, labels: &GrowthLabels) {
    let f = &plan.frame;
    let y_tick = SMALL.align(Align::Right);
    for &tick in &plan.y_ticks {
        let y = f.y(tick).round();
        if y < f.bottom - 0.5 {
            canvas.line(f.left, y + 0.5, f.right, y + 0.5, 1.0, GRID);
        }
        let text = format!("{tick}");
        let text = y_tick.fit(&text, f.left - MARGIN);
        canvas.text(&text, f.left - 10.0, centred_baseline(&y_tick, y), &y_tick);
    }
    let x_tick = SMALL.align(Align::Centre);
    for &month in &plan.x_ticks {
        let x = f.x(f64::from(month)).round();
        if x > f.left + 0.5 {
            canvas.line(x + 0.5, f.top, x + 0.5, f.bottom, 1.0, GRID);
        }
        canvas.line(x + 0.5, f.bottom, x + 0.5, f.bottom + 5.0, 1.0, AXIS);
        canvas.text(&month.to_string(), x + 0.5, X_TICK_BASELINE, &x_tick);
    }
    // Where recumbent length gives way to standing height, and the curves step down.
    // 24 months falls between day 730 and 731 (HEIGHT_FROM_DAYS), where the curves drop.
    if f.months.0 < TWO_YEARS && TWO_YEARS < f.months.1 {
        let x = f.x(TWO_YEARS).round() + 0.5;
        canvas.dashed_line((x, f.top), (x, f.bottom), 1.0, 6.0, 4.0, AXIS);
    }
    canvas.line(f.left - 0.5, f.top, f.left - 0.5, f.bottom, 1.0, AXIS);
    canvas.line(
        f.left - 0.5,
        f.bottom + 0.5,
        f.right,
        f.bottom + 0.5,
        1.0,
        AXIS,
    );

    let y_label = SMALL.fit(&labels.y_axis, WIDTH - 2.0 * MARGIN);
    canvas.text(&y_label, MARGIN, Y_LABEL_BASELINE, &SMALL);
    let x_label_style = BODY.align(Align::Centre);
    let x_label = x_label_style.fit(&labels.x_axis, WIDTH - 2.0 * MARGIN);
    canvas.text(
        &x_label,
        (f.left + f.right) / 2.0,
        X_LABEL_BASELINE,
        &x_label_style,
    );
}

fn draw_curves(canvas: &mut Canvas, plan: &Plan, labels: &GrowthLabels) {
    let f = &plan.frame;
    for (samples, &(_, colour, width)) in plan.curves.iter().zip(&CURVES) {
        let pixels: Vec<(f64, f64)> = samples.iter().map(|&(m, cm)| (f.x(m), f.y(cm))).collect();
        canvas.polyline(&pixels, width, colour);
    }
    draw_end_labels(canvas, plan, labels);
}

/// Each curve's name just right of its end, as on WHO's charts, nudged apart where the curves
/// end close together (a very wide cm range, from an outlying point).
fn draw_end_labels(canvas: &mut Canvas, plan: &Plan, labels: &GrowthLabels) {
    const MIN_GAP: f64 = 17.0;
    let f = &plan.frame;
    let mut ends: Vec<(f64, usize)> = plan
        .curves
        .iter()
        .enumerate()
        .filter_map(|(i, samples)| samples.last().map(|&(_, cm)| (f.y(cm), i)))
        .collect();
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    for i in 1..ends.len() {
        ends[i].0 = ends[i].0.max(ends[i - 1].0 + MIN_GAP);
    }
    // Pushed below the plot: shift back up from the bottom.
    if let Some(last) = ends.last_mut() {
        last.0 = last.0.min(f.bottom);
    }
    for i in (0..ends.len().saturating_sub(1)).rev() {
        ends[i].0 = ends[i].0.min(ends[i + 1].0 - MIN_GAP);
    }
    let room = WIDTH - MARGIN - f.right - END_LABEL_GAP;
    for (y, i) in ends {
        let mut style = SMALL;
        style.colour = CURVES[i].1;
        let text = style.fit(&labels.curves[i], room);
        canvas.text(
            &text,
            f.right + END_LABEL_GAP,
            centred_baseline(&style, y),
            &style,
        );
    }
}

fn draw_child(canvas: &mut Canvas, plan: &Plan) {
    let f = &plan.frame;
    let pixels: Vec<(f64, f64)> = plan
        .points
        .iter()
        .map(|&(m, cm)| (f.x(m), f.y(cm)))
        .collect();
    canvas.polyline(&pixels, CHILD_LINE, CHILD);
    for &(x, y) in &pixels {
        canvas.fill_circle(x, y, HALO_RADIUS, Colour::WHITE);
        canvas.fill_circle(x, y, CHILD_RADIUS, CHILD);
    }
}

/// The `empty` text on a white patch in the middle of the plot, so the curves behind it do not
/// make it hard to read.
fn draw_empty(canvas: &mut Canvas, f: &Frame, text: &str) {
    let text = EMPTY.fit(text, f.right - f.left - 40.0);
    let width = EMPTY.measure(&text);
    if width <= 0.0 {
        return;
    }
    let (centre, middle) = ((f.left + f.right) / 2.0, (f.top + f.bottom) / 2.0);
    let height = EMPTY.size * 2.0;
    canvas.fill_rect(
        (centre - width / 2.0 - 16.0).round(),
        (middle - height / 2.0).round(),
        (width + 32.0).round(),
        height.round(),
        Colour::WHITE,
    );
    canvas.text(&text, centre, centred_baseline(&EMPTY, middle), &EMPTY);
}

fn draw_legend(canvas: &mut Canvas, labels: &GrowthLabels) {
    const SWATCH: f64 = 30.0;
    const GAP: f64 = 8.0;
    const SPACING: f64 = 28.0;
    let room = (WIDTH - 2.0 * MARGIN - 4.0 * SPACING) / 5.0 - SWATCH - GAP;
    let middle = LEGEND_BASELINE - BODY.cap_height() / 2.0;
    let mut x = MARGIN;
    let mut entry = |canvas: &mut Canvas, label: &str, swatch: &dyn Fn(&mut Canvas, f64)| {
        swatch(canvas, x);
        let text = BODY.fit(label, room);
        canvas.text(&text, x + SWATCH + GAP, LEGEND_BASELINE, &BODY);
        x += SWATCH + GAP + BODY.measure(&text) + SPACING;
    };
    for (label, &(_, colour, width)) in labels.curves.iter().zip(&CURVES) {
        entry(canvas, label, &|canvas, x| {
            canvas.line(x, middle, x + SWATCH, middle, width, colour);
        });
    }
    entry(canvas, &labels.child, &|canvas, x| {
        canvas.line(x, middle, x + SWATCH, middle, CHILD_LINE, CHILD);
        canvas.fill_circle(x + SWATCH / 2.0, middle, CHILD_RADIUS, CHILD);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> GrowthLabels {
        GrowthLabels {
            title: "Budi Santoso — tinggi menurut umur".into(),
            subtitle: "Laki-laki · standar WHO 2006".into(),
            x_axis: "Umur (bulan)".into(),
            y_axis: "Panjang/tinggi badan (cm)".into(),
            curves: ["−3 SD", "−2 SD", "Median", "+2 SD"].map(String::from),
            child: "Budi".into(),
            empty: "Belum ada pengukuran".into(),
        }
    }

    fn point(age_days: u32, length_cm: f64, position: Position) -> GrowthPoint {
        GrowthPoint {
            age_days,
            length_cm,
            position,
        }
    }

    fn chart(sex: Sex, points: Vec<GrowthPoint>) -> GrowthChart {
        GrowthChart {
            sex,
            points,
            labels: labels(),
        }
    }

    /// A boy measured every few months from birth past his third birthday, a little short.
    fn sample() -> GrowthChart {
        let points = [
            (3, 48.5, Position::Lying),
            (95, 58.0, Position::Lying),
            (190, 64.0, Position::Lying),
            (370, 71.5, Position::Lying),
            (560, 77.0, Position::Lying),
            (725, 82.0, Position::Lying),
            (740, 81.6, Position::Standing),
            (920, 85.5, Position::Standing),
            (1110, 89.0, Position::Standing),
        ]
        .map(|(d, cm, p)| point(d, cm, p))
        .to_vec();
        chart(Sex::Male, points)
    }

    fn assert_valid_png(chart: &GrowthChart) -> Vec<u8> {
        let png = growth_png(chart).unwrap();
        let reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (GROWTH_WIDTH, GROWTH_HEIGHT));
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        png
    }

    fn pixel_at(canvas: &Canvas, x: f64, y: f64) -> Option<Colour> {
        canvas.pixel(x.floor() as u32, y.floor() as u32)
    }

    #[test]
    fn sample_is_a_valid_png_of_the_promised_size() {
        assert_valid_png(&sample());
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            growth_png(&sample()).unwrap(),
            growth_png(&sample()).unwrap()
        );
    }

    #[test]
    fn both_sexes_render_and_differ() {
        let boy = chart(Sex::Male, sample().points);
        let girl = chart(Sex::Female, sample().points);
        assert_ne!(assert_valid_png(&boy), assert_valid_png(&girl));
        // Girls' median is shorter than boys' at a year.
        let at_a_year = |c: &GrowthChart| {
            Plan::new(c).curves[2]
                .iter()
                .find(|&&(m, _)| (m - 12.0).abs() < 0.2)
                .map(|&(_, cm)| cm)
                .unwrap()
        };
        assert!(at_a_year(&girl) < at_a_year(&boy));
    }

    #[test]
    fn frame_maps_axis_ends_to_plot_edges() {
        let f = Plan::new(&sample()).frame;
        assert_eq!(f.x(f.months.0), f.left);
        assert_eq!(f.x(f.months.1), f.right);
        assert_eq!(f.y(f.cm.0), f.bottom);
        assert_eq!(f.y(f.cm.1), f.top);
        assert!(f.x(20.0) < f.x(21.0) && f.y(80.0) > f.y(81.0));
    }

    #[test]
    fn a_child_point_is_drawn_where_the_frame_puts_it() {
        let chart = chart(Sex::Male, vec![point(400, 75.0, Position::Lying)]);
        let plan = Plan::new(&chart);
        let canvas = render(&chart).unwrap();
        let (x, y) = (plan.frame.x(400.0 / DAYS_PER_MONTH), plan.frame.y(75.0));
        assert_eq!(pixel_at(&canvas, x, y), Some(CHILD));
        // Inside the disc but not far off it: the point has the promised size.
        assert_eq!(pixel_at(&canvas, x + CHILD_RADIUS - 2.0, y), Some(CHILD));
        assert_ne!(pixel_at(&canvas, x + CHILD_RADIUS + 2.0, y), Some(CHILD));
    }

    #[test]
    fn standing_before_two_years_is_plotted_converted() {
        // 80 cm standing at 20 months is 80.7 cm of recumbent length.
        let chart = chart(Sex::Female, vec![point(610, 80.0, Position::Standing)]);
        let plan = Plan::new(&chart);
        assert_eq!(plan.points, [(610.0 / DAYS_PER_MONTH, 80.7)]);
        let canvas = render(&chart).unwrap();
        let (x, y) = (plan.frame.x(plan.points[0].0), plan.frame.y(80.7));
        assert_eq!(pixel_at(&canvas, x, y), Some(CHILD));
    }

    #[test]
    fn no_points_shows_the_first_two_years_and_says_so() {
        let chart = chart(Sex::Female, vec![]);
        let plan = Plan::new(&chart);
        assert_eq!(plan.frame.months, (0.0, 24.0));
        assert!(plan.points.is_empty());
        assert!(plan.curves.iter().all(|c| c.len() > 100));
        let grey_text = |canvas: &Canvas| {
            let middle = ((PLOT_TOP + PLOT_BOTTOM) / 2.0) as u32;
            (middle - 20..middle + 20)
                .flat_map(|y| (300..900).map(move |x| (x, y)))
                .filter(|&(x, y)| {
                    canvas
                        .pixel(x, y)
                        .is_some_and(|c| c.r < 130 && c.r == c.g && c.g == c.b)
                })
                .count()
        };
        assert!(grey_text(&render(&chart).unwrap()) > 50);
        assert_eq!(grey_text(&render(&sample()).unwrap()), 0);
        assert_valid_png(&chart);
    }

    #[test]
    fn one_point_gets_a_year_wide_axis() {
        let chart = chart(Sex::Male, vec![point(400, 75.0, Position::Lying)]);
        let plan = Plan::new(&chart);
        assert_eq!(plan.frame.months, (10.0, 22.0));
        assert_eq!(plan.x_ticks, (10..=22).collect::<Vec<_>>());
        assert_valid_png(&chart);
    }

    #[test]
    fn month_range_rules() {
        let range = |days: &[u32]| month_range(days.iter().map(|&d| months_of(d)));
        assert_eq!(range(&[]), (0, 24));
        assert_eq!(range(&[0]), (0, 12));
        assert_eq!(range(&[400]), (10, 22));
        assert_eq!(range(&[MAX_AGE_DAYS]), (48, 60));
        assert_eq!(range(&[100, 1800]), (0, 60));
        assert_eq!(range(&[200, 500]), (3, 20));
        // Garbage in (not reachable through child_points) still gives a sane axis.
        assert_eq!(month_range([f64::NAN].into_iter()), (0, 12));
        assert_eq!(month_range([1e12, -1e12].into_iter()), (0, 60));
    }

    #[test]
    fn month_ticks_stay_readable() {
        assert_eq!(month_ticks(0, 12), (0..=12).collect::<Vec<_>>());
        assert_eq!(month_ticks(0, 24), (0..=24).step_by(2).collect::<Vec<_>>());
        assert_eq!(month_ticks(0, 36), (0..=36).step_by(3).collect::<Vec<_>>());
        assert_eq!(month_ticks(0, 60), (0..=60).step_by(6).collect::<Vec<_>>());
        for lo in 0..=48 {
            for hi in lo + 12..=60 {
                let ticks = month_ticks(lo, hi);
                assert!((2..=MAX_X_TICKS).contains(&ticks.len()), "{lo}..{hi}");
            }
        }
    }

    #[test]
    fn curves_are_sampled_weekly_or_closer_across_the_axis() {
        for (lo, hi) in [(0, 12), (0, 24), (10, 22), (20, 40), (48, 60), (0, 60)] {
            let days = sample_days(lo, hi);
            let (first, last) = (days[0], days[days.len() - 1]);
            assert!(
                months_of(first) >= f64::from(lo)
                    && (first == 0 || months_of(first - 1) < f64::from(lo))
            );
            assert!(months_of(last) <= f64::from(hi));
            assert!(last == MAX_AGE_DAYS || months_of(last + 1) > f64::from(hi));
            assert!(
                days.windows(2)
                    .all(|w| w[0] < w[1] && w[1] - w[0] <= SAMPLE_DAYS)
            );
            let spans_two_years = lo < 24 && hi > 24;
            assert_eq!(days.contains(&730) && days.contains(&731), spans_two_years);
        }
        assert_eq!(sample_days(0, 12)[..3], [0, 1, 2]);
    }

    #[test]
    fn curves_step_down_at_two_years_between_neighbouring_days() {
        let plan = Plan::new(&sample());
        let f = plan.frame;
        for curve in &plan.curves {
            let at = |day: u32| {
                curve
                    .iter()
                    .find(|&&(m, _)| (m - months_of(day)).abs() < 1e-9)
                    .copied()
                    .unwrap()
            };
            let (before, after) = (at(HEIGHT_FROM_DAYS - 1), at(HEIGHT_FROM_DAYS));
            let drop = before.1 - after.1;
            assert!((0.5..0.9).contains(&drop), "{drop}");
            assert!(f.x(after.0) - f.x(before.0) < 1.0, "not vertical");
        }
        // The curves keep their order: −3 < −2 < median < +2 everywhere.
        for i in 0..3 {
            assert!(
                plan.curves[i]
                    .iter()
                    .zip(&plan.curves[i + 1])
                    .all(|(a, b)| a.0 == b.0 && a.1 < b.1)
            );
        }
    }

    #[test]
    fn y_axis_covers_curves_and_points() {
        for chart in [
            sample(),
            chart(Sex::Female, vec![]),
            chart(Sex::Male, vec![point(30, 150.0, Position::Lying)]),
            chart(Sex::Male, vec![point(1500, 25.0, Position::Standing)]),
        ] {
            let plan = Plan::new(&chart);
            let (lo, hi) = plan.frame.cm;
            let values = plan.curves.iter().flatten().chain(&plan.points);
            assert!(values.clone().all(|&(_, cm)| lo < cm && cm < hi));
            assert!(plan.y_ticks.len() <= MAX_Y_TICKS);
            assert_eq!(
                (plan.y_ticks[0], plan.y_ticks[plan.y_ticks.len() - 1]),
                (lo, hi)
            );
        }
    }

    #[test]
    fn stunting_zone_is_tinted() {
        let chart = chart(Sex::Male, vec![]);
        let f = Plan::new(&chart).frame;
        let canvas = render(&chart).unwrap();
        // Between grid lines, just above the bottom axis: well below −2 SD.
        assert_eq!(pixel_at(&canvas, f.x(1.0), f.bottom - 3.0), Some(STUNTED));
        // Just above the top of the plot's +2 SD region: white.
        assert_eq!(
            pixel_at(&canvas, f.x(1.0), f.top + 3.0),
            Some(Colour::WHITE)
        );
    }

    #[test]
    fn spanning_the_two_year_step() {
        let chart = chart(
            Sex::Female,
            vec![
                point(700, 84.0, Position::Lying),
                point(735, 85.0, Position::Lying),
                point(770, 85.2, Position::Standing),
            ],
        );
        let plan = Plan::new(&chart);
        let cms: Vec<f64> = plan.points.iter().map(|&(_, cm)| cm).collect();
        assert_eq!(cms.len(), 3);
        assert_eq!(cms[0], 84.0);
        assert!((cms[1] - 84.3).abs() < 1e-9);
        assert_eq!(cms[2], 85.2);
        assert!(plan.frame.months.0 < 24.0 && 24.0 < plan.frame.months.1);
        assert_valid_png(&chart);
    }

    #[test]
    fn unsorted_input_is_drawn_in_date_order() {
        let mut reversed = sample();
        reversed.points.reverse();
        let plan = Plan::new(&reversed);
        assert!(plan.points.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(
            growth_png(&reversed).unwrap(),
            growth_png(&sample()).unwrap()
        );
    }

    #[test]
    fn unusable_points_are_ignored() {
        let mut noisy = sample();
        noisy.points.extend([
            point(400, f64::NAN, Position::Lying),
            point(400, f64::INFINITY, Position::Lying),
            point(400, f64::NEG_INFINITY, Position::Standing),
            point(400, 0.0, Position::Lying),
            point(400, -75.0, Position::Lying),
            point(400, 750.0, Position::Lying),
            point(400, 0.75, Position::Lying),
            point(400, f64::MAX, Position::Lying),
            point(MAX_AGE_DAYS + 1, 110.0, Position::Standing),
            point(u32::MAX, 110.0, Position::Standing),
        ]);
        assert_eq!(Plan::new(&noisy).points, Plan::new(&sample()).points);
        assert_eq!(growth_png(&noisy).unwrap(), growth_png(&sample()).unwrap());
    }

    #[test]
    fn edge_inputs_produce_valid_pngs() {
        let long = "Sangat panjang sekali — ".repeat(40);
        let mut long_labels = labels();
        long_labels.title = long.clone();
        long_labels.subtitle = long.clone();
        long_labels.x_axis = long.clone();
        long_labels.y_axis = long.clone();
        long_labels.curves = [long.clone(), long.clone(), long.clone(), long.clone()];
        long_labels.child = long.clone();
        long_labels.empty = long.clone();
        let mut empty_labels = labels();
        empty_labels.curves = Default::default();
        empty_labels.title = String::new();
        empty_labels.empty = String::new();
        let cases = [
            chart(Sex::Male, vec![point(0, 50.0, Position::Lying); 30]),
            chart(
                Sex::Female,
                vec![point(MAX_AGE_DAYS, 110.0, Position::Standing)],
            ),
            chart(
                Sex::Male,
                vec![
                    point(10, 20.0, Position::Lying),
                    point(1800, 200.0, Position::Standing),
                ],
            ),
            chart(
                Sex::Female,
                (0..=MAX_AGE_DAYS)
                    .map(|d| point(d, 50.0 + f64::from(d) / 30.0, Position::Standing))
                    .collect(),
            ),
            GrowthChart {
                labels: long_labels.clone(),
                ..sample()
            },
            GrowthChart {
                labels: long_labels,
                ..chart(Sex::Female, vec![])
            },
            GrowthChart {
                labels: empty_labels,
                ..chart(Sex::Male, vec![])
            },
        ];
        for case in &cases {
            assert_valid_png(case);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        #[test]
        fn any_points_render(
            male in proptest::bool::ANY,
            points in proptest::collection::vec(
                (0..2500u32, proptest::num::f64::ANY, proptest::bool::ANY), 0..40),
            plausible in proptest::collection::vec((0..2000u32, 40.0..125.0_f64), 0..10),
        ) {
            let sex = if male { Sex::Male } else { Sex::Female };
            let position = |standing| if standing { Position::Standing } else { Position::Lying };
            let points = points
                .into_iter()
                .map(|(d, cm, standing)| point(d, cm, position(standing)))
                .chain(plausible.into_iter().map(|(d, cm)| point(d, cm, Position::Lying)))
                .collect();
            let chart = chart(sex, points);
            let plan = Plan::new(&chart);
            let (lo, hi) = plan.frame.cm;
            proptest::prop_assert!(plan.points.iter().all(|&(_, cm)| lo < cm && cm < hi));
            proptest::prop_assert!(plan.x_ticks.len() <= MAX_X_TICKS);
            let png = growth_png(&chart).unwrap();
            proptest::prop_assert!(png.starts_with(b"\x89PNG"));
        }
    }

    #[test]
    #[ignore = "writes /tmp/growth-*.png for looking at"]
    fn write_samples() {
        std::fs::write("/tmp/growth-sample.png", growth_png(&sample()).unwrap()).unwrap();
        let empty = chart(Sex::Female, vec![]);
        std::fs::write("/tmp/growth-empty.png", growth_png(&empty).unwrap()).unwrap();
        let one = chart(Sex::Male, vec![point(400, 75.0, Position::Lying)]);
        std::fs::write("/tmp/growth-one.png", growth_png(&one).unwrap()).unwrap();
    }
}
