//! The weekly programme chart: deliveries per week on top, sponsorship coverage per kecamatan
//! below, all texts supplied by the caller in the coordinator's language.

use super::ChartError;
use super::canvas::{Align, Canvas, Colour, TextStyle, nice_ticks};

pub const WEEKLY_WIDTH: u32 = 1200;
pub const WEEKLY_HEIGHT: u32 = 1500;
/// More areas than this are left out of the coverage panel; the caller says so in the footnote.
pub const MAX_COVERAGE_BARS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekCounts {
    /// Short label under the bar, e.g. "07/09" (already localized by the caller).
    pub label: String,
    pub on_time: u32,
    /// Confirmed after its day.
    pub late: u32,
    /// Not confirmed, its day past, not missed yet.
    pub overdue: u32,
    pub missed: u32,
}

impl WeekCounts {
    fn total(&self) -> u64 {
        u64::from(self.on_time)
            + u64::from(self.late)
            + u64::from(self.overdue)
            + u64::from(self.missed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCoverage {
    /// Kecamatan name.
    pub name: String,
    pub sponsored: u32,
    pub registered: u32,
}

impl AreaCoverage {
    /// Share of registered children who are sponsored, clamped to 0..=1 for drawing.
    fn share(&self) -> f64 {
        if self.registered == 0 {
            0.0
        } else {
            (f64::from(self.sponsored) / f64::from(self.registered)).clamp(0.0, 1.0)
        }
    }

    /// Whole percent, rounded, except that rounding never claims 100 % for an incomplete area
    /// nor 0 % for one with any sponsored child. Above 100 % (bad data) is shown as it is.
    fn percent(&self) -> u64 {
        let (sponsored, registered) = (u64::from(self.sponsored), u64::from(self.registered));
        if registered == 0 {
            return 0;
        }
        let rounded = (sponsored * 200 + registered) / (registered * 2);
        match rounded {
            0 if sponsored > 0 => 1,
            100.. if sponsored < registered => 99,
            _ => rounded,
        }
    }
}

/// Every text on the chart, localized by the caller (Indonesian or English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyLabels {
    /// E.g. "Kota Kendari — minggu 16–22 Nov 2026".
    pub title: String,
    /// E.g. "Pengiriman per minggu (12 minggu terakhir)".
    pub weeks_title: String,
    /// Legend entry, e.g. "Tepat waktu".
    pub on_time: String,
    /// Legend entry, e.g. "Dikonfirmasi terlambat".
    pub late: String,
    /// Legend entry, e.g. "Terlambat".
    pub overdue: String,
    /// Legend entry, e.g. "Terlewat".
    pub missed: String,
    /// E.g. "Cakupan per kecamatan (anak berorang tua asuh / terdaftar)".
    pub coverage_title: String,
    /// Under the coverage panel when the caller passed more areas than fit, e.g. "20 dari 63
    /// kecamatan, cakupan terendah dulu".
    pub footnote: Option<String>,
    /// Written inside a panel that has nothing to show: "Belum ada data".
    pub empty: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyChart {
    pub labels: WeeklyLabels,
    /// Oldest first; normally 12 entries, but any number 0..=26 is drawn sensibly (more get
    /// thinner bars and sparser labels).
    pub weeks: Vec<WeekCounts>,
    /// In the order to draw (the caller sorts, lowest coverage first); at most
    /// [`MAX_COVERAGE_BARS`] are drawn.
    pub coverage: Vec<AreaCoverage>,
}

// Okabe–Ito colours: told apart under the common forms of colour blindness.
const ON_TIME: Colour = Colour::rgb(0, 158, 115);
const LATE: Colour = Colour::rgb(230, 159, 0);
const OVERDUE: Colour = Colour::rgb(204, 121, 167);
const MISSED: Colour = Colour::rgb(213, 94, 0);
const SPONSORED: Colour = Colour::rgb(0, 114, 178);
const TRACK: Colour = Colour::rgb(226, 226, 226);
const GRID: Colour = Colour::rgb(230, 230, 230);
const AXIS: Colour = Colour::rgb(140, 140, 140);
const INK: Colour = Colour::rgb(33, 33, 33);
const MUTED: Colour = Colour::rgb(96, 96, 96);

const WIDTH: f64 = WEEKLY_WIDTH as f64;
const MARGIN: f64 = 48.0;

const TITLE: TextStyle = TextStyle::new(34.0, INK).bold();
const TITLE_BASELINE: f64 = 72.0;
const PANEL_TITLE: TextStyle = TextStyle::new(24.0, INK).bold();
const BODY: TextStyle = TextStyle::new(17.0, INK);
const SMALL: TextStyle = TextStyle::new(15.0, MUTED);
const EMPTY: TextStyle = TextStyle::new(22.0, MUTED).align(Align::Centre);

const WEEKS_TITLE_BASELINE: f64 = 140.0;
const LEGEND_BASELINE: f64 = 180.0;
const PLOT_TOP: f64 = 230.0;
const PLOT_BOTTOM: f64 = 720.0;
const WEEK_LABEL_BASELINE: f64 = PLOT_BOTTOM + 28.0;
/// Bars wider than this look like blocks when there are only a few weeks.
const MAX_BAR_WIDTH: f64 = 64.0;
/// The smallest size a bar's total is shrunk to before it is left out.
const MIN_TOTAL_SIZE: f64 = 10.0;

const DIVIDER_Y: f64 = 790.5;
const COVERAGE_TITLE_BASELINE: f64 = 845.0;
const ROWS_TOP: f64 = 870.0;
const ROWS_BOTTOM: f64 = 1430.0;
/// Row pitch cap so that a handful of areas are not drawn as slabs.
const MAX_ROW_PITCH: f64 = 40.0;
const FOOTNOTE_BASELINE: f64 = 1468.0;

/// The chart as a PNG of exactly [`WEEKLY_WIDTH`] × [`WEEKLY_HEIGHT`] pixels.
pub fn weekly_png(chart: &WeeklyChart) -> Result<Vec<u8>, ChartError> {
    render(chart)?.png()
}

fn render(chart: &WeeklyChart) -> Result<Canvas, ChartError> {
    let mut canvas = Canvas::new(WEEKLY_WIDTH, WEEKLY_HEIGHT)?;
    let full_width = WIDTH - 2.0 * MARGIN;
    let labels = &chart.labels;
    canvas.text(
        &TITLE.fit(&labels.title, full_width),
        MARGIN,
        TITLE_BASELINE,
        &TITLE,
    );
    draw_weeks(&mut canvas, chart);
    canvas.line(MARGIN, DIVIDER_Y, WIDTH - MARGIN, DIVIDER_Y, 1.0, GRID);
    draw_coverage(&mut canvas, chart);
    if let Some(footnote) = &labels.footnote {
        canvas.text(
            &SMALL.fit(footnote, full_width),
            MARGIN,
            FOOTNOTE_BASELINE,
            &SMALL,
        );
    }
    Ok(canvas)
}

/// Baseline that centres a line of `style` text on `middle`.
fn centred_baseline(style: &TextStyle, middle: f64) -> f64 {
    middle + style.cap_height() / 2.0
}

fn draw_weeks(canvas: &mut Canvas, chart: &WeeklyChart) {
    let labels = &chart.labels;
    let full_width = WIDTH - 2.0 * MARGIN;
    canvas.text(
        &PANEL_TITLE.fit(&labels.weeks_title, full_width),
        MARGIN,
        WEEKS_TITLE_BASELINE,
        &PANEL_TITLE,
    );
    draw_legend(canvas, labels);

    let max_total = chart.weeks.iter().map(WeekCounts::total).max().unwrap_or(0);
    // At least 0..5 so that a quiet programme still gets whole-number ticks.
    let ticks = nice_ticks(0.0, (max_total as f64).max(5.0), 6);
    let axis_max = ticks.last().copied().filter(|&t| t > 0.0).unwrap_or(5.0);
    let tick_style = SMALL.align(Align::Right);
    let tick_texts: Vec<String> = ticks
        .iter()
        .map(|t| format!("{}", t.round() as u64))
        .collect();
    let widest_tick = tick_texts
        .iter()
        .map(|t| tick_style.measure(t))
        .fold(0.0, f64::max);
    let plot_left = (MARGIN + widest_tick + 12.0).min(MARGIN + 200.0).round();
    let plot_right = WIDTH - MARGIN;
    let plot_height = PLOT_BOTTOM - PLOT_TOP;
    let y_of = |value: f64| PLOT_BOTTOM - (value / axis_max).clamp(0.0, 1.0) * plot_height;

    for (tick, text) in ticks.iter().zip(&tick_texts) {
        let y = y_of(*tick).round();
        if *tick > 0.0 {
            canvas.line(plot_left, y + 0.5, plot_right, y + 0.5, 1.0, GRID);
        }
        let text = tick_style.fit(text, plot_left - 12.0);
        canvas.text(
            &text,
            plot_left - 10.0,
            centred_baseline(&tick_style, y),
            &tick_style,
        );
    }
    canvas.line(
        plot_left - 0.5,
        PLOT_TOP,
        plot_left - 0.5,
        PLOT_BOTTOM,
        1.0,
        AXIS,
    );
    canvas.line(
        plot_left - 4.0,
        PLOT_BOTTOM + 0.5,
        plot_right,
        PLOT_BOTTOM + 0.5,
        1.0,
        AXIS,
    );

    if max_total == 0 {
        let text = EMPTY.fit(&labels.empty, plot_right - plot_left - 20.0);
        let middle = (PLOT_TOP + PLOT_BOTTOM) / 2.0;
        canvas.text(
            &text,
            (plot_left + plot_right) / 2.0,
            centred_baseline(&EMPTY, middle),
            &EMPTY,
        );
    }
    if chart.weeks.is_empty() {
        return;
    }

    let count = chart.weeks.len() as f64;
    let slot = (plot_right - plot_left) / count;
    let bar_width = (slot * 0.62).clamp(1.0, MAX_BAR_WIDTH);
    // Thin out the week labels when they would touch, always keeping the latest week's.
    let label_style = SMALL.align(Align::Centre);
    let widest_label = chart
        .weeks
        .iter()
        .map(|w| label_style.measure(&w.label))
        .fold(0.0, f64::max);
    let stride = ((widest_label + 10.0) / slot).ceil().max(1.0) as usize;
    let last = chart.weeks.len() - 1;

    for (index, week) in chart.weeks.iter().enumerate() {
        let centre = plot_left + slot * (index as f64 + 0.5);
        let left = (centre - bar_width / 2.0).round();
        let right = (centre + bar_width / 2.0).round().max(left + 1.0);
        // Stack on cumulative rounded edges so segments meet without gaps or overlaps.
        let mut below = 0u64;
        let mut bottom = PLOT_BOTTOM;
        for (value, colour) in [
            (week.on_time, ON_TIME),
            (week.late, LATE),
            (week.overdue, OVERDUE),
            (week.missed, MISSED),
        ] {
            below += u64::from(value);
            let top = y_of(below as f64).round();
            if top < bottom {
                canvas.fill_rect(left, top, right - left, bottom - top, colour);
                bottom = top;
            }
        }
        if week.total() > 0 {
            draw_total(
                canvas,
                &week.total().to_string(),
                centre,
                bottom - 7.0,
                slot - 4.0,
            );
        }
        if (last - index).is_multiple_of(stride) {
            let room = (slot * stride as f64 - 10.0).min(2.0 * centre.min(WIDTH - centre) - 8.0);
            let text = label_style.fit(&week.label, room);
            canvas.text(&text, centre, WEEK_LABEL_BASELINE, &label_style);
        }
    }
}

/// A bar's total above it, shrunk to fit its slot, or left out if even the smallest size
/// would not fit (only with absurd counts or very many weeks).
fn draw_total(canvas: &mut Canvas, text: &str, centre: f64, baseline: f64, room: f64) {
    let mut style = SMALL.align(Align::Centre);
    style.colour = INK;
    while style.measure(text) > room && style.size > MIN_TOTAL_SIZE {
        style.size -= 1.0;
    }
    if style.measure(text) <= room {
        canvas.text(text, centre, baseline, &style);
    }
}

fn draw_legend(canvas: &mut Canvas, labels: &WeeklyLabels) {
    const SWATCH: f64 = 18.0;
    const GAP: f64 = 8.0;
    const SPACING: f64 = 32.0;
    let entries = [
        (&labels.on_time, ON_TIME),
        (&labels.late, LATE),
        (&labels.overdue, OVERDUE),
        (&labels.missed, MISSED),
    ];
    let room = (WIDTH - 2.0 * MARGIN - 3.0 * SPACING) / 4.0 - SWATCH - GAP;
    let middle = LEGEND_BASELINE - BODY.cap_height() / 2.0;
    let mut x = MARGIN;
    for (label, colour) in entries {
        canvas.fill_rect(x, (middle - SWATCH / 2.0).round(), SWATCH, SWATCH, colour);
        let text = BODY.fit(label, room);
        canvas.text(&text, x + SWATCH + GAP, LEGEND_BASELINE, &BODY);
        x += SWATCH + GAP + BODY.measure(&text) + SPACING;
    }
}

/// Where the coverage rows go; shared by drawing and tests.
#[derive(Debug, Clone, Copy, PartialEq)]
struct CoverageLayout {
    name_right: f64,
    track_left: f64,
    track_right: f64,
    value_left: f64,
    value_width: f64,
    pitch: f64,
    bar_height: f64,
}

impl CoverageLayout {
    fn new(rows: &[AreaCoverage]) -> Self {
        let names = rows
            .iter()
            .map(|r| BODY.measure(&r.name))
            .fold(0.0, f64::max);
        let values = rows
            .iter()
            .map(|r| BODY.measure(&value_text(r)))
            .fold(0.0, f64::max);
        let name_width = names.clamp(120.0, 300.0);
        let value_width = values.clamp(100.0, 330.0);
        let name_right = MARGIN + name_width;
        let track_left = name_right + 14.0;
        let value_left = WIDTH - MARGIN - value_width;
        let track_right = value_left - 12.0;
        let pitch = ((ROWS_BOTTOM - ROWS_TOP) / rows.len().max(1) as f64).min(MAX_ROW_PITCH);
        Self {
            name_right,
            track_left: track_left.round(),
            track_right: track_right.round(),
            value_left,
            value_width,
            pitch,
            bar_height: (pitch * 0.62).round(),
        }
    }

    fn middle(&self, row: usize) -> f64 {
        ROWS_TOP + self.pitch * (row as f64 + 0.5)
    }
}

fn value_text(area: &AreaCoverage) -> String {
    format!(
        "{}/{} ({} %)",
        area.sponsored,
        area.registered,
        area.percent()
    )
}

fn draw_coverage(canvas: &mut Canvas, chart: &WeeklyChart) {
    let labels = &chart.labels;
    let full_width = WIDTH - 2.0 * MARGIN;
    canvas.text(
        &PANEL_TITLE.fit(&labels.coverage_title, full_width),
        MARGIN,
        COVERAGE_TITLE_BASELINE,
        &PANEL_TITLE,
    );
    let rows = &chart.coverage[..chart.coverage.len().min(MAX_COVERAGE_BARS)];
    if rows.is_empty() {
        // Close under the panel title: centred in the tall rows area it would look orphaned.
        let middle = ROWS_TOP + 3.0 * MAX_ROW_PITCH;
        let text = EMPTY.fit(&labels.empty, full_width);
        canvas.text(&text, WIDTH / 2.0, centred_baseline(&EMPTY, middle), &EMPTY);
        return;
    }
    let layout = CoverageLayout::new(rows);
    let name_style = BODY.align(Align::Right);
    let track_width = layout.track_right - layout.track_left;
    for (row, area) in rows.iter().enumerate() {
        let middle = layout.middle(row);
        let baseline = centred_baseline(&BODY, middle);
        let name = name_style.fit(&area.name, layout.name_right - MARGIN);
        canvas.text(&name, layout.name_right, baseline, &name_style);
        let top = (middle - layout.bar_height / 2.0).round();
        canvas.fill_rect(
            layout.track_left,
            top,
            track_width,
            layout.bar_height,
            TRACK,
        );
        let filled = (track_width * area.share()).round();
        canvas.fill_rect(layout.track_left, top, filled, layout.bar_height, SPONSORED);
        let value = value_text(area);
        let value = BODY.fit(&value, layout.value_width);
        canvas.text(&value, layout.value_left, baseline, &BODY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> WeeklyLabels {
        WeeklyLabels {
            title: "Kota Kendari — minggu 16–22 Nov 2026".into(),
            weeks_title: "Pengiriman per minggu (12 minggu terakhir)".into(),
            on_time: "Tepat waktu".into(),
            late: "Dikonfirmasi terlambat".into(),
            overdue: "Terlambat".into(),
            missed: "Terlewat".into(),
            coverage_title: "Cakupan per kecamatan (anak berorang tua asuh / terdaftar)".into(),
            footnote: Some("20 dari 63 kecamatan, cakupan terendah dulu".into()),
            empty: "Belum ada data".into(),
        }
    }

    fn week(label: &str, on_time: u32, late: u32, missed: u32) -> WeekCounts {
        week4(label, on_time, late, 0, missed)
    }

    fn week4(label: &str, on_time: u32, late: u32, overdue: u32, missed: u32) -> WeekCounts {
        WeekCounts {
            label: label.into(),
            on_time,
            late,
            overdue,
            missed,
        }
    }

    fn area(name: &str, sponsored: u32, registered: u32) -> AreaCoverage {
        AreaCoverage {
            name: name.into(),
            sponsored,
            registered,
        }
    }

    fn sample() -> WeeklyChart {
        let weeks = (0..12)
            .map(|i| {
                let label = format!("{:02}/{:02}", 7 + (i * 7) % 23, 9 + i / 4);
                week(
                    &label,
                    20 + (i * 7) % 13,
                    (i * 3) % 5,
                    u32::from(i % 4 == 1) * 2 + i % 2,
                )
            })
            .collect();
        let names = [
            "Abeli",
            "Baruga",
            "Kadia",
            "Kambu",
            "Kendari",
            "Kendari Barat",
            "Mandonga",
            "Nambo",
            "Poasia",
            "Puuwatu",
            "Wua-Wua",
            "Ranomeeto Barat Daya Sangat Panjang Sekali",
            "Mata’é",
            "Lalolara",
            "Konda",
            "Moramo",
            "Sampara",
            "Soropia",
            "Lasolo",
            "Tinanggea",
        ];
        let coverage = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let registered = 15 + (i as u32 * 37) % 90;
                area(name, registered * (i as u32 + 1) / 21, registered)
            })
            .collect();
        WeeklyChart {
            labels: labels(),
            weeks,
            coverage,
        }
    }

    fn chart(weeks: Vec<WeekCounts>, coverage: Vec<AreaCoverage>) -> WeeklyChart {
        WeeklyChart {
            labels: labels(),
            weeks,
            coverage,
        }
    }

    fn count_in(canvas: &Canvas, colour: Colour, ys: std::ops::Range<u32>) -> usize {
        ys.flat_map(|y| (0..WEEKLY_WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| canvas.pixel(x, y) == Some(colour))
            .count()
    }

    fn top_panel() -> std::ops::Range<u32> {
        PLOT_TOP as u32..PLOT_BOTTOM as u32
    }

    fn assert_valid_png(chart: &WeeklyChart) {
        let png = weekly_png(chart).unwrap();
        let reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (WEEKLY_WIDTH, WEEKLY_HEIGHT));
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        assert!(matches!(
            info.color_type,
            png::ColorType::Rgb | png::ColorType::Rgba
        ));
    }

    #[test]
    fn sample_is_a_valid_png_of_the_promised_size() {
        assert_valid_png(&sample());
    }

    #[test]
    fn on_time_only_paints_green_and_no_red() {
        let canvas = render(&chart(vec![week("16/11", 10, 0, 0)], vec![])).unwrap();
        assert!(count_in(&canvas, ON_TIME, top_panel()) > 1000);
        assert_eq!(count_in(&canvas, MISSED, top_panel()), 0);
        assert_eq!(count_in(&canvas, LATE, top_panel()), 0);
    }

    #[test]
    fn missed_only_paints_red_and_no_green() {
        let canvas = render(&chart(vec![week("16/11", 0, 0, 3)], vec![])).unwrap();
        assert!(count_in(&canvas, MISSED, top_panel()) > 1000);
        assert_eq!(count_in(&canvas, ON_TIME, top_panel()), 0);
    }

    #[test]
    fn overdue_is_painted_as_overdue_not_missed() {
        let canvas = render(&chart(vec![week4("07/12", 0, 0, 5, 0)], vec![])).unwrap();
        assert!(count_in(&canvas, OVERDUE, top_panel()) > 1000);
        assert_eq!(count_in(&canvas, MISSED, top_panel()), 0);
        let both = render(&chart(vec![week4("07/12", 0, 0, 20, 10)], vec![])).unwrap();
        let (overdue, missed) = (
            count_in(&both, OVERDUE, top_panel()) as f64,
            count_in(&both, MISSED, top_panel()) as f64,
        );
        assert!((overdue / missed - 2.0).abs() < 0.2, "{overdue} {missed}");
    }

    #[test]
    fn stacked_segments_are_proportional() {
        let canvas = render(&chart(vec![week("a", 30, 20, 10)], vec![])).unwrap();
        let (green, amber, red) = (
            count_in(&canvas, ON_TIME, top_panel()) as f64,
            count_in(&canvas, LATE, top_panel()) as f64,
            count_in(&canvas, MISSED, top_panel()) as f64,
        );
        assert!((green / red - 3.0).abs() < 0.2, "{green} {red}");
        assert!((amber / red - 2.0).abs() < 0.2, "{amber} {red}");
    }

    #[test]
    fn half_coverage_fills_half_the_track() {
        let rows = vec![area("Poasia", 50, 100), area("Abeli", 0, 0)];
        let canvas = render(&chart(vec![], rows.clone())).unwrap();
        let layout = CoverageLayout::new(&rows);
        let row_y = |row| layout.middle(row).round() as u32;
        let xs = layout.track_left as u32..layout.track_right as u32;
        let along = |row, colour| {
            xs.clone()
                .filter(|&x| canvas.pixel(x, row_y(row)) == Some(colour))
                .count()
        };
        let (blue, grey) = (along(0, SPONSORED), along(0, TRACK));
        assert!(
            blue > 100 && blue.abs_diff(grey) <= 2,
            "{blue} blue, {grey} grey"
        );
        // Nothing registered: an empty track, no division by zero.
        assert_eq!(along(1, SPONSORED), 0);
        assert_eq!(along(1, TRACK), xs.len());
    }

    #[test]
    fn few_areas_keep_a_modest_bar_height() {
        let one = CoverageLayout::new(&[area("Abeli", 1, 2)]);
        let full = CoverageLayout::new(&vec![area("Abeli", 1, 2); MAX_COVERAGE_BARS]);
        assert!(one.bar_height <= MAX_ROW_PITCH && one.bar_height >= full.bar_height);
        assert!(full.middle(MAX_COVERAGE_BARS - 1) + full.bar_height / 2.0 <= ROWS_BOTTOM);
    }

    #[test]
    fn percentages_round_without_lying() {
        assert_eq!(area("", 1, 2).percent(), 50);
        assert_eq!(area("", 2, 3).percent(), 67);
        assert_eq!(area("", 999, 1000).percent(), 99);
        assert_eq!(area("", 1, 1000).percent(), 1);
        assert_eq!(area("", 0, 1000).percent(), 0);
        assert_eq!(area("", 5, 0).percent(), 0);
        assert_eq!(area("", 12, 10).percent(), 120);
        assert_eq!(area("", u32::MAX, u32::MAX).percent(), 100);
        assert_eq!(area("", u32::MAX, 1).percent(), u64::from(u32::MAX) * 100);
        assert_eq!(area("", 12, 10).share(), 1.0);
    }

    #[test]
    fn empty_panels_say_so() {
        let canvas = render(&chart(vec![], vec![])).unwrap();
        let dark = |ys: std::ops::Range<u32>| {
            ys.flat_map(|y| (300..900).map(move |x| (x, y)))
                .filter(|&(x, y)| canvas.pixel(x, y).is_some_and(|c| c.r < 150))
                .count()
        };
        assert!(
            dark(440..500) > 50,
            "no text in the middle of the weeks panel"
        );
        let middle = (ROWS_TOP + 3.0 * MAX_ROW_PITCH) as u32;
        assert!(
            dark(middle - 30..middle + 30) > 50,
            "no text in the middle of the coverage panel"
        );
    }

    #[test]
    fn edge_inputs_produce_valid_pngs() {
        let huge = week("99/99", u32::MAX, u32::MAX, u32::MAX);
        let long = "Sangat panjang sekali — ".repeat(40);
        let mut long_labels = labels();
        long_labels.title = long.clone();
        long_labels.weeks_title = long.clone();
        long_labels.coverage_title = long.clone();
        long_labels.on_time = long.clone();
        long_labels.footnote = Some(long.clone());
        long_labels.empty = long.clone();
        let mut empty_labels = labels();
        empty_labels.title = String::new();
        empty_labels.on_time = String::new();
        empty_labels.footnote = Some(String::new());
        let cases = [
            chart(vec![], vec![]),
            chart(vec![week("", 0, 0, 0); 12], vec![area("", 0, 0)]),
            chart(
                vec![huge.clone(); 26],
                vec![area(&long, u32::MAX, u32::MAX); 100],
            ),
            chart(vec![huge, week("x", 0, 0, 1)], vec![area("x", u32::MAX, 1)]),
            chart(
                vec![week(&long, 1, 2, 3); 40],
                (0..100).map(|i| area(&i.to_string(), i, 99)).collect(),
            ),
            WeeklyChart {
                labels: long_labels,
                ..sample()
            },
            WeeklyChart {
                labels: empty_labels,
                ..chart(vec![], vec![])
            },
        ];
        for case in &cases {
            assert_valid_png(case);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        #[test]
        fn any_input_renders(
            weeks in proptest::collection::vec(("\\PC{0,12}", proptest::num::u32::ANY, 0..1000u32, 0..1000u32), 0..=26),
            areas in proptest::collection::vec(("\\PC{0,40}", proptest::num::u32::ANY, proptest::num::u32::ANY), 0..30),
            title in "\\PC{0,120}",
        ) {
            let mut labels = labels();
            labels.title = title;
            let chart = WeeklyChart {
                labels,
                weeks: weeks.into_iter().map(|(l, a, b, c)| week(&l, a, b, c)).collect(),
                coverage: areas.into_iter().map(|(n, s, r)| area(&n, s, r)).collect(),
            };
            let png = weekly_png(&chart).unwrap();
            proptest::prop_assert!(png.starts_with(b"\x89PNG"));
        }
    }

    #[test]
    #[ignore = "writes /tmp/weekly-sample.png for looking at"]
    fn write_sample() {
        std::fs::write("/tmp/weekly-sample.png", weekly_png(&sample()).unwrap()).unwrap();
    }
}
