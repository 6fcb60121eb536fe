//! The sponsors' monthly note: their deliveries of the month by how they went, and each child they
//! sponsor with the latest height-for-age and the progress since the sponsorship began.

use super::{Settings, num, tally, z};
use crate::domain::delivery::DeliveryStatus;
use crate::domain::growth::{Stunting, stunting};
use crate::domain::progress::{self, Trend, z_text};
use crate::domain::{Lang, UserId};
use crate::i18n::{Arg, t, tf};
use crate::services::deliveries::Zones;
use crate::store::digest::{self as queries, SponsoredChild};
use crate::store::{self, Conn};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// A sponsor's note about the month `[from, to]`: their deliveries by how they stand at `now`
/// (`domain::report::standing`, as every screen counts them), and each child they sponsor now with the
/// latest height-for-age, last delivery, and progress since the sponsorship began (its start read as a
/// date in the zone of the child's region).
pub async fn monthly_note(
    conn: &mut Conn,
    sponsor: UserId,
    lang: Lang,
    (from, to): (NaiveDate, NaiveDate),
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<String> {
    let facts = queries::sponsor_due_facts(conn, sponsor, from, to).await?;
    let record = tally(&facts, now, settings);
    let skipped: u64 = facts
        .iter()
        .filter(|f| f.status == DeliveryStatus::Skipped)
        .map(|f| f.count)
        .sum();
    let children = queries::sponsored_children(conn, sponsor).await?;
    let mut zones = Zones::new(settings.default_zone);
    let month = format!(
        "{} {}",
        t(lang, &format!("month-{}", from.month())),
        from.year()
    );
    let mut lines = vec![tf(lang, "note-title", &[("month", Arg::Text(&month))])];
    lines.push(if record.due == 0 {
        t(lang, "note-no-deliveries")
    } else {
        tf(
            lang,
            "note-deliveries",
            &[
                ("due", num(record.due)),
                ("on_time", num(record.on_time)),
                ("late", num(record.late)),
                ("overdue", num(record.overdue)),
                ("missed", num(record.missed)),
                ("skipped", num(skipped)),
            ],
        )
    });
    if !children.is_empty() {
        lines.push(t(lang, "note-children"));
    }
    for child in &children {
        let status = match child.haz_milli.map(|z| stunting(z as f64 / 1000.0)) {
            Some(Stunting::Severe) => "child-status-severe",
            Some(Stunting::Stunted) => "child-status-stunted",
            Some(Stunting::Normal) => "child-status-normal",
            None => "child-status-unmeasured",
        };
        let haz = child
            .haz_milli
            .map(|m| z_text(lang, z(m)))
            .unwrap_or_else(|| "—".into());
        let measured = child
            .measured_on
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_else(|| "—".into());
        let delivered = child
            .last_delivery
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_else(|| "—".into());
        lines.push(tf(
            lang,
            "note-child",
            &[
                ("name", Arg::Text(&child.name)),
                ("status", Arg::Text(&t(lang, status))),
                ("haz", Arg::Text(&haz)),
                ("measured", Arg::Text(&measured)),
                ("delivered", Arg::Text(&delivered)),
            ],
        ));
        let tz = zones.of(conn, &child.kecamatan).await?;
        lines.extend(progress_sentence(lang, child, from.year(), tz));
    }
    lines.push(t(lang, "note-thanks"));
    // A sponsor has at most 20 children: a few lines each, far within one message.
    Ok(lines.join("\n"))
}

/// "Maret", or "Maret 2025" when the year is not `year`.
fn month_label(lang: Lang, date: NaiveDate, year: i32) -> String {
    let month = t(lang, &format!("month-{}", date.month()));
    if date.year() == year {
        month
    } else {
        format!("{month} {}", date.year())
    }
}

/// How a sponsored child's height-for-age went since the sponsorship began, in words: the baseline (the
/// last measurement before its first day, else the first one: `progress::baseline`) against the latest;
/// one taken on the first day counts as since the sponsorship began. `None` for a child
/// never measured (the child's line says so already). `note_year`: the year of the month the note is about.
fn progress_sentence(lang: Lang, child: &SponsoredChild, note_year: i32, tz: Tz) -> Option<String> {
    let start = child.started_at?.with_timezone(&tz).date_naive();
    let dates: Vec<NaiveDate> = child.history.iter().map(|(on, _)| *on).collect();
    let base = progress::baseline(&dates, start)?;
    let (base_on, base_haz) = *child.history.get(base)?;
    let (latest_on, latest_haz) = *child.history.last()?;
    if base + 1 == child.history.len() {
        // Nothing to compare with: the sponsor hears what is known, and that progress needs a new measurement.
        let key = if child.history.len() == 1 {
            "note-progress-once"
        } else {
            "note-progress-not-since"
        };
        return Some(tf(
            lang,
            key,
            &[
                ("haz", Arg::Text(&z_text(lang, z(latest_haz)))),
                ("month", Arg::Text(&month_label(lang, latest_on, note_year))),
            ],
        ));
    }
    let (before, after) = (z(base_haz), z(latest_haz));
    let key = match progress::trend(before, after) {
        Trend::Improved => "note-progress-improved",
        Trend::Worsened => "note-progress-worsened",
        Trend::Unchanged => "note-progress-unchanged",
    };
    Some(tf(
        lang,
        key,
        &[
            ("before", Arg::Text(&z_text(lang, before))),
            ("after", Arg::Text(&z_text(lang, after))),
            (
                "since",
                Arg::Text(&month_label(lang, base_on, latest_on.year())),
            ),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn on(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn sponsored(history: &[(NaiveDate, i64)], started: NaiveDate) -> SponsoredChild {
        SponsoredChild {
            child: 1,
            name: "Muhammad Fathan".into(),
            kecamatan: "74.71.01".into(),
            haz_milli: history.last().map(|(_, h)| *h),
            measured_on: history.last().map(|(d, _)| *d),
            last_delivery: None,
            started_at: Some(crate::domain::schedule::local_to_utc(
                started,
                NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                chrono_tz::Asia::Jakarta,
            )),
            history: history.to_vec(),
        }
    }

    #[test]
    fn a_sponsor_reads_the_progress_since_the_sponsorship_began_in_words() {
        let tz = chrono_tz::Asia::Jakarta;
        let history = [(on(3, 10), -2900), (on(5, 4), -2640), (on(10, 2), -2100)];
        // Started in May: the May measurement is the baseline, not the first one.
        let child = sponsored(&history, on(5, 20));
        assert_eq!(
            progress_sentence(Lang::Id, &child, 2026, tz).as_deref(),
            Some("Tinggi menurut umur membaik dari −2,6 menjadi −2,1 sejak Mei.")
        );
        assert_eq!(
            progress_sentence(Lang::En, &child, 2026, tz).as_deref(),
            Some("Height-for-age improved from −2.6 to −2.1 since May.")
        );
        // Started before any measurement: the first one after the start is the baseline.
        let child = sponsored(&history, on(1, 5));
        assert_eq!(
            progress_sentence(Lang::Id, &child, 2026, tz).as_deref(),
            Some("Tinggi menurut umur membaik dari −2,9 menjadi −2,1 sejak Maret.")
        );
        let worse = sponsored(&[(on(3, 10), -2100), (on(10, 2), -2600)], on(4, 1));
        assert_eq!(
            progress_sentence(Lang::En, &worse, 2026, tz).as_deref(),
            Some("Height-for-age worsened from −2.1 to −2.6 since March.")
        );
        let same = sponsored(&[(on(3, 10), -2340), (on(10, 2), -2260)], on(4, 1));
        assert_eq!(
            progress_sentence(Lang::Id, &same, 2026, tz).as_deref(),
            Some("Tinggi menurut umur tetap di −2,3 sejak Maret.")
        );
        // The baseline's year is said when it is not the latest's.
        let older = NaiveDate::from_ymd_opt(2025, 11, 3).expect("date");
        let long = sponsored(&[(older, -3100), (on(10, 2), -2500)], older);
        assert_eq!(
            progress_sentence(Lang::Id, &long, 2026, tz).as_deref(),
            Some("Tinggi menurut umur membaik dari −3,1 menjadi −2,5 sejak November 2025.")
        );
        let once = sponsored(&[(on(10, 2), -2500)], on(4, 1));
        assert_eq!(
            progress_sentence(Lang::En, &once, 2026, tz).as_deref(),
            Some(
                "Height-for-age has been measured once so far (−2.5, October); progress shows after the next measurement."
            )
        );
        // Measured on the sponsorship's first day (started 10:00 in Jakarta on 4 May): that is progress
        // since the sponsorship began, against March.
        let first_day = sponsored(&[(on(3, 10), -2900), (on(5, 4), -2640)], on(5, 4));
        assert_eq!(
            progress_sentence(Lang::Id, &first_day, 2026, tz).as_deref(),
            Some("Tinggi menurut umur membaik dari −2,9 menjadi −2,6 sejak Maret.")
        );
        // The first day is the child's region's: accepted at 23:30 in Jakarta on 3 May, which is 00:30 on 4
        // May in Kendari, a measurement of 3 May in Kendari was taken the day before.
        let mut late = sponsored(&[(on(3, 10), -2900), (on(5, 3), -2640)], on(5, 3));
        late.started_at = Some(crate::domain::schedule::local_to_utc(
            on(5, 3),
            NaiveTime::from_hms_opt(23, 30, 0).unwrap(),
            chrono_tz::Asia::Jakarta,
        ));
        assert_eq!(
            progress_sentence(Lang::Id, &late, 2026, chrono_tz::Asia::Makassar).as_deref(),
            Some("Belum ada pengukuran baru sejak masa asuh dimulai; terakhir −2,6 (Mei).")
        );
        let not_since = sponsored(&[(on(3, 10), -2900), (on(5, 4), -2640)], on(10, 20));
        assert_eq!(
            progress_sentence(Lang::Id, &not_since, 2026, tz).as_deref(),
            Some("Belum ada pengukuran baru sejak masa asuh dimulai; terakhir −2,6 (Mei).")
        );
        assert_eq!(
            progress_sentence(Lang::Id, &sponsored(&[], on(4, 1)), 2026, tz),
            None
        );
    }
}
