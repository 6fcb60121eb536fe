//! Charts drawn in-process into PNG images, with the DejaVu fonts bundled in the binary so the
//! output looks the same on every machine and needs neither system fonts nor a network.
//!
//! - [`canvas`]: drawing primitives (rectangles, lines, text, axis ticks) over tiny-skia.
//! - [`weekly`]: the weekly programme chart sent to coordinators with their summary.
//!
//! Rendering is pure: data and already-localized labels in, PNG bytes out.

pub mod canvas;
pub mod growth;
pub mod weekly;

pub use growth::{GROWTH_HEIGHT, GROWTH_WIDTH, GrowthChart, GrowthLabels, GrowthPoint, growth_png};
pub use weekly::{
    AreaCoverage, MAX_COVERAGE_BARS, WEEKLY_HEIGHT, WEEKLY_WIDTH, WeekCounts, WeeklyChart,
    WeeklyLabels, weekly_png,
};

/// Why a chart could not be produced. None of these depend on the data drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot allocate a {width}×{height} canvas")]
    Size { width: u32, height: u32 },
    #[error("the bundled font cannot be read")]
    Font,
    #[error("PNG encoding failed: {0}")]
    Encode(String),
}
