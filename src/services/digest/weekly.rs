//! The weekly summary: the last 12 complete weeks of deliveries and coverage per kecamatan, its chart
//! and its caption.

use super::{Settings, area_name, midnight, num, zone};
use crate::charts::{self, AreaCoverage, WeekCounts, WeeklyChart, WeeklyLabels};
use crate::domain::Lang;
use crate::domain::digest::percent;
use crate::domain::role::Scope;
use crate::i18n::{Arg, t, tf};
use crate::store::digest::{self as queries, Coverage, KecamatanCoverage, WeekTally};
use crate::store::{self, Area, Conn};
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};

/// The weekly summary's contents: the last 12 complete weeks and coverage per kecamatan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    pub area: String,
    /// Monday of each week, oldest first, with its tally.
    pub weeks: Vec<(NaiveDate, WeekTally)>,
    pub kecamatan: Vec<KecamatanCoverage>,
    pub coverage: Coverage,
}

pub const WEEKS: usize = 12;

/// Reads the weekly summary of `scope` as of `now`: the 12 weeks (Monday to Sunday, in the coordinator's
/// zone) before the current one.
pub async fn build_weekly(
    conn: &mut Conn,
    scope: &Scope,
    lang: Lang,
    now: DateTime<Utc>,
    settings: &Settings,
) -> store::Result<Weekly> {
    let tz = zone(conn, scope, settings.default_zone).await?;
    let area = Area::from(scope);
    let today = now.with_timezone(&tz).date_naive();
    let this_monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let first = this_monday - Days::new(7 * WEEKS as u64);
    let tallies = queries::weeks(conn, &area, midnight(first, tz), WEEKS).await?;
    let weeks = tallies
        .into_iter()
        .enumerate()
        .map(|(i, tally)| (first + Days::new(7 * i as u64), tally))
        .collect();
    let kecamatan = queries::coverage_by_kecamatan(conn, &area).await?;
    let day_start = midnight(today, tz);
    let coverage =
        queries::coverage(conn, &area, day_start - Duration::days(30), day_start).await?;
    Ok(Weekly {
        area: area_name(conn, scope, lang).await?,
        weeks,
        kecamatan,
        coverage,
    })
}

/// The weekly chart: deliveries per week, and coverage per kecamatan, the lowest first (at most
/// [`charts::MAX_COVERAGE_BARS`], with a footnote saying how many there are).
pub fn weekly_chart(lang: Lang, w: &Weekly) -> Result<Vec<u8>, charts::ChartError> {
    let mut kecamatan = w.kecamatan.clone();
    kecamatan.sort_by(|a, b| {
        percent(a.sponsored, a.registered)
            .cmp(&percent(b.sponsored, b.registered))
            .then(a.name.cmp(&b.name))
    });
    let footnote = (kecamatan.len() > charts::MAX_COVERAGE_BARS).then(|| {
        tf(
            lang,
            "chart-footnote",
            &[
                ("shown", num(charts::MAX_COVERAGE_BARS)),
                ("count", num(kecamatan.len())),
            ],
        )
    });
    let u32_of = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let chart = WeeklyChart {
        labels: WeeklyLabels {
            title: plain(&weekly_title(lang, w)),
            weeks_title: plain(&t(lang, "chart-weeks-title")),
            on_time: plain(&t(lang, "chart-on-time")),
            late: plain(&t(lang, "chart-late")),
            missed: plain(&t(lang, "chart-missed")),
            coverage_title: plain(&t(lang, "chart-coverage-title")),
            footnote: footnote.map(|f| plain(&f)),
            empty: plain(&t(lang, "chart-empty")),
        },
        weeks: w
            .weeks
            .iter()
            .map(|(monday, tally)| WeekCounts {
                label: monday.format("%d/%m").to_string(),
                on_time: u32_of(tally.on_time),
                late: u32_of(tally.late),
                missed: u32_of(tally.missed),
            })
            .collect(),
        coverage: kecamatan
            .into_iter()
            .take(charts::MAX_COVERAGE_BARS)
            .map(|k| AreaCoverage {
                name: k.name,
                sponsored: u32_of(k.sponsored),
                registered: u32_of(k.registered),
            })
            .collect(),
    };
    charts::weekly_png(&chart)
}

/// Locale texts are written for Telegram's HTML; a chart draws them as they read.
fn plain(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn weekly_title(lang: Lang, w: &Weekly) -> String {
    let (from, to) = match (w.weeks.first(), w.weeks.last()) {
        (Some((first, _)), Some((last, _))) => (*first, *last + Days::new(6)),
        _ => return w.area.clone(),
    };
    tf(
        lang,
        "chart-title",
        &[
            ("area", Arg::Text(&w.area)),
            ("from", Arg::Text(&from.format("%d-%m-%Y").to_string())),
            ("to", Arg::Text(&to.format("%d-%m-%Y").to_string())),
        ],
    )
}

/// The weekly summary's caption (under Telegram's 1,024 for a photo): last week, the 12 weeks, coverage.
pub fn weekly_caption(lang: Lang, w: &Weekly) -> String {
    let last = w.weeks.last().map(|(_, t)| *t).unwrap_or_default();
    let sum = w
        .weeks
        .iter()
        .fold(WeekTally::default(), |acc, (_, t)| WeekTally {
            on_time: acc.on_time + t.on_time,
            late: acc.late + t.late,
            missed: acc.missed + t.missed,
        });
    let due = |t: &WeekTally| t.on_time + t.late + t.missed;
    tf(
        lang,
        "digest-weekly",
        &[
            ("area", Arg::Text(&w.area)),
            ("due", num(due(&last))),
            ("on_time", num(last.on_time)),
            ("late", num(last.late)),
            ("missed", num(last.missed)),
            ("weeks", num(WEEKS)),
            ("weeks_pct", num(percent(sum.on_time, due(&sum)))),
            ("sponsored", num(w.coverage.sponsored)),
            ("registered", num(w.coverage.registered)),
            (
                "children_pct",
                num(percent(w.coverage.sponsored, w.coverage.registered)),
            ),
        ],
    )
}
