//! The weekly summary: the last 12 complete weeks of deliveries and coverage per kecamatan, its chart
//! and its caption; and, where the area's children have a Puskesmas, a line per Puskesmas.

use super::{Settings, area_name, midnight, num, on_time_text, zone};
use crate::charts::{self, AreaCoverage, WeekCounts, WeeklyChart, WeeklyLabels};
use crate::domain::Lang;
use crate::domain::digest::{MESSAGE_LIMIT, monday_of, pack, percent, week_index};
use crate::domain::report::{Counts, PuskesmasTable, standing};
use crate::domain::role::Scope;
use crate::i18n::{Arg, t, tf};
use crate::store::digest::{self as queries, Coverage, DueFacts, KecamatanCoverage};
use crate::store::{self, Area, Conn};
use chrono::{DateTime, Days, NaiveDate, Utc};

/// The weekly summary's contents: the last 12 complete weeks and coverage per kecamatan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    pub area: String,
    /// Monday of each week, oldest first, with how its deliveries stand (`domain::report::standing`).
    pub weeks: Vec<(NaiveDate, Counts)>,
    pub kecamatan: Vec<KecamatanCoverage>,
    pub coverage: Coverage,
    /// Per Puskesmas: its children registered and sponsored now, and its deliveries of the 12 weeks; empty
    /// when no child of the area has one.
    pub puskesmas: PuskesmasTable,
}

pub const WEEKS: usize = 12;

/// Reads the weekly summary of `scope` as of `now`: the 12 weeks before the current one (the current one
/// in the coordinator's zone). Weeks are local weeks, Monday to Sunday: each delivery counts in the week
/// of its own date in the zone of its child's region (`due_on`), so a Monday delivery in Kendari (WITA) is
/// Monday's for a coordinator in Jakarta (WIB) too, although its day began at 23:00 on Sunday there.
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
    let this_monday = monday_of(today);
    let first = this_monday - Days::new(7 * WEEKS as u64);
    let last = this_monday - Days::new(1);
    let children = queries::coverage_by_puskesmas(conn, &area).await?;
    let by_puskesmas = children.iter().any(|c| c.puskesmas.is_some());
    let dates = (first, last);
    let days = (midnight(first, tz), midnight(this_monday, tz));
    // The facts once: by Puskesmas too where the area's children have one.
    let facts: Vec<(Option<String>, DueFacts)> = if by_puskesmas {
        queries::due_facts_by_puskesmas(conn, &area, dates, days).await?
    } else {
        queries::due_facts_between(conn, &area, dates, days)
            .await?
            .into_iter()
            .map(|f| (None, f))
            .collect()
    };
    let mut weeks: Vec<(NaiveDate, Counts)> = (0..WEEKS)
        .map(|i| (first + Days::new(7 * i as u64), Counts::default()))
        .collect();
    let mut stood = Vec::with_capacity(facts.len());
    for (puskesmas, f) in &facts {
        if let Some(i) = week_index(first, WEEKS, f.due_on) {
            let stands = standing(
                f.status,
                f.due_at,
                f.confirmed_at,
                now,
                settings.missed_after(),
            );
            weeks[i].1.add_n(stands, f.count);
            stood.push((puskesmas.as_deref(), stands, f.count));
        }
    }
    let puskesmas = if by_puskesmas {
        PuskesmasTable::tally(&children, stood)
    } else {
        PuskesmasTable::default()
    };
    let kecamatan = queries::coverage_by_kecamatan(conn, &area).await?;
    let coverage = queries::coverage(conn, &area).await?;
    Ok(Weekly {
        area: area_name(conn, scope, lang).await?,
        weeks,
        kecamatan,
        coverage,
        puskesmas,
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
            overdue: plain(&t(lang, "chart-overdue")),
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
                overdue: u32_of(tally.overdue),
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
/// Each delivery counted as `domain::report::standing` says: overdue is not missed.
pub fn weekly_caption(lang: Lang, w: &Weekly) -> String {
    let last = w.weeks.last().map(|(_, c)| *c).unwrap_or_default();
    let mut sum = Counts::default();
    for (_, c) in &w.weeks {
        sum.merge(c);
    }
    tf(
        lang,
        "digest-weekly",
        &[
            ("area", Arg::Text(&w.area)),
            ("due", num(last.due)),
            ("on_time", num(last.on_time)),
            ("late", num(last.late)),
            ("overdue", num(last.overdue)),
            ("missed", num(last.missed)),
            ("weeks", num(WEEKS)),
            (
                "weeks_on_time",
                Arg::Html(&on_time_text(lang, &sum, "digest-weekly-on-time")),
            ),
            ("sponsored", num(w.coverage.sponsored)),
            ("registered", num(w.coverage.registered)),
            (
                "children_pct",
                num(percent(w.coverage.sponsored, w.coverage.registered)),
            ),
        ],
    )
}

/// The weekly summary's lines per Puskesmas, as messages after the chart (none when no child of the area
/// has a Puskesmas): each one's children sponsored of registered and waiting now, and its deliveries of the
/// 12 weeks on time, counted as the caption counts them.
pub fn weekly_puskesmas(lang: Lang, w: &Weekly) -> Vec<String> {
    if !w.puskesmas.has_named() {
        return Vec::new();
    }
    let none = t(lang, "digest-no-puskesmas");
    let mut block = vec![tf(
        lang,
        "digest-weekly-puskesmas",
        &[("area", Arg::Text(&w.area)), ("weeks", num(WEEKS))],
    )];
    for row in &w.puskesmas.rows {
        block.push(tf(
            lang,
            "digest-weekly-puskesmas-line",
            &[
                ("name", Arg::Text(row.name.as_deref().unwrap_or(&none))),
                ("sponsored", num(row.sponsored)),
                ("registered", num(row.registered)),
                ("children_pct", num(percent(row.sponsored, row.registered))),
                ("waiting", num(row.waiting())),
                (
                    "weeks_on_time",
                    Arg::Html(&on_time_text(lang, &row.counts, "digest-weekly-on-time")),
                ),
            ],
        ));
    }
    pack(&[block], MESSAGE_LIMIT)
}
