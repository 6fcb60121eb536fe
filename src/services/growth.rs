//! Growth monitoring: recording a measurement (from the chat or a file) through the same checks, the
//! growth lines of a child's card, the growth chart, the graduation question a recovery raises, and
//! rescoring every stored measurement with the current rules (`asuh growth rescore`).

use super::notices;
use super::sponsorships::{self as lifecycle, child_place_of};
use crate::callback::Callback;
use crate::charts::{self, ChartError, GrowthChart, GrowthLabels, GrowthPoint};
use crate::domain::child::{ChildId, ChildStatus, Sex, age_months, first_name};
use crate::domain::growth::{
    self as who, GrowthError, Indicator, Position, ZScores, stunting, underweight, wasting,
};
use crate::domain::measurement::{self, Implausible, Reading};
use crate::domain::policy::{self, Action, Actor, Capacity, Denied};
use crate::domain::progress::{self, z_text};
use crate::domain::sponsorship::Origin;
use crate::domain::sponsorship::SponsorshipStatus;
use crate::domain::{Lang, UserId};
use crate::i18n::{Arg, t, tf};
use crate::media::MediaStore;
use crate::outbound::{self, Attachment, Button, Keyboard, Outbound};
use crate::store::children::Child;
use crate::store::measurements::{self, Decision, Measurement, New, OfChild, Saved, Source};
use crate::store::{self, Conn, Db, audit, children, coordinators, sponsors, sponsorships, users};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeSet, HashSet};

/// What recording a measurement did.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub saved: Saved,
    pub z: ZScores,
    /// Whether the coordinators were asked about ending the sponsorship.
    pub graduation_asked: bool,
}

/// The date where the child lives: a measurement "today" in Papua is not yet today in Jakarta.
pub async fn local_today(
    conn: &mut Conn,
    child: &Child,
    default_zone: Tz,
    now: DateTime<Utc>,
) -> store::Result<NaiveDate> {
    let tz = super::deliveries::zone_of(conn, &child.kecamatan, default_zone).await?;
    Ok(now.with_timezone(&tz).date_naive())
}

/// Checks `reading` against the child and the measurements around its date, then records it (replacing
/// the day's, if that differs). When it completes two measurements in a row out of stunting for a
/// sponsored child, the coordinators are asked whether to end the sponsorship, in the same transaction.
pub async fn record(
    conn: &mut Conn,
    child: &Child,
    reading: &Reading,
    today: NaiveDate,
    source: Source,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<Result<Recorded, Implausible>> {
    let z = match check(conn, child, reading, today).await? {
        Ok(z) => z,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let new = New {
        reading: *reading,
        z,
    };
    let saved = measurements::save(conn, child.id, &new, source, by, now).await?;
    let graduation_asked = saved != Saved::Unchanged && ask_graduation(conn, child, now).await?;
    Ok(Ok(Recorded {
        saved,
        z,
        graduation_asked,
    }))
}

/// The checks of [`record`] without recording: the z-scores, or why the reading is refused.
pub async fn check(
    conn: &mut Conn,
    child: &Child,
    reading: &Reading,
    today: NaiveDate,
) -> store::Result<Result<ZScores, Implausible>> {
    let (before, after) = measurements::neighbours(conn, child.id, reading.measured_on).await?;
    Ok(measurement::check(
        child.sex,
        child.birth_date,
        today,
        reading,
        before.as_ref().map(Measurement::recorded).as_ref(),
        after.as_ref().map(Measurement::recorded).as_ref(),
    ))
}

/// Asks the area's coordinators about a graduation when the child's measurements call for it and the
/// child has an active sponsor; returns whether a question went out.
async fn ask_graduation(conn: &mut Conn, child: &Child, now: DateTime<Utc>) -> store::Result<bool> {
    let history = measurements::history(conn, child.id).await?;
    let newest_first: Vec<(NaiveDate, f64)> = history
        .iter()
        .rev()
        .filter_map(|m| Some((m.measured_on, m.haz()?)))
        .collect();
    let hazs: Vec<f64> = newest_first.iter().map(|(_, z)| *z).collect();
    if !progress::graduation_due(&hazs) {
        return Ok(false);
    }
    let Some(s) = sponsorships::live_for_child(conn, child.id).await? else {
        return Ok(false);
    };
    if s.status != SponsorshipStatus::Active {
        return Ok(false);
    }
    let [(on, latest), (before_on, before)] = [newest_first[0], newest_first[1]];
    let Some(id) =
        measurements::ask_graduation(conn, s.id, child.id, on, measurements::milli(latest), now)
            .await?
    else {
        return Ok(false);
    };
    let sponsor = sponsors::name(conn, s.sponsor).await?;
    for coordinator in coordinators::covering(conn, &child.kecamatan).await? {
        let lang = users::language(conn, coordinator).await?;
        let text = tf(
            lang,
            "graduation-ask",
            &[
                ("name", Arg::Text(&child.full_name)),
                ("id", Arg::Num(child.id.0)),
                ("sponsor", Arg::Text(&sponsor)),
                ("before", Arg::Text(&z_text(lang, before))),
                ("before_on", Arg::Text(&date_text(before_on))),
                ("latest", Arg::Text(&z_text(lang, latest))),
                ("latest_on", Arg::Text(&date_text(on))),
            ],
        );
        let keyboard = Keyboard::inline(vec![
            vec![Button::new(
                t(lang, "graduation-button-end"),
                Callback::Graduate { id, end: true }.encode(),
            )],
            vec![Button::new(
                t(lang, "graduation-button-keep"),
                Callback::Graduate { id, end: false }.encode(),
            )],
        ]);
        outbound::enqueue_in(
            conn,
            outbound::Lane::Notice,
            &Outbound::Message {
                chat_id: coordinator.0,
                text,
                keyboard,
            },
            now,
        )
        .await?;
    }
    Ok(true)
}

/// What rescoring the stored measurements found (and, unless it was a dry run, changed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rescored {
    /// Measurements looked at.
    pub measurements: u64,
    /// Measurements with at least one z-score changed.
    pub changed: u64,
    /// How many of them changed each z-score, in the order of [`INDICATORS`] (TB/U, BB/U, BB/TB, IMT/U).
    pub changed_by_indicator: [u64; 4],
    /// Children whose latest height-for-age (`children.haz_milli`) changed.
    pub children: u64,
    /// Measurements a z-score of which WHO flags under the current rules: kept, with their z-scores, for
    /// someone to measure again. Child, day and the flagged indicators.
    pub flagged: Vec<(ChildId, NaiveDate, Vec<Indicator>)>,
    /// Measurements that cannot be scored (a day before the birth or past the tables): left as they were.
    pub unscorable: Vec<(ChildId, NaiveDate, String)>,
    /// Measurements corrected by someone while the pass ran: left with the z-scores recorded with them.
    pub skipped: u64,
}

/// The z-scores of a stored measurement under the current rules, flagged ones included.
pub fn rescored(of: &OfChild) -> Result<ZScores, GrowthError> {
    let m = &of.measurement;
    let age_days = crate::domain::child::age_days(of.birth_date, m.measured_on).ok_or(
        GrowthError::AgeOutOfRange {
            days: (m.measured_on - of.birth_date).num_days(),
        },
    )?;
    who::all_z_scores(&who::Measurement {
        sex: of.sex,
        age_days,
        length_cm: m.length_mm as f64 / 10.0,
        position: m.position,
        weight_kg: m.weight_g.map(|g| g as f64 / 1000.0),
    })
}

/// Recomputes every stored measurement's z-scores with the current rules, `batch` measurements per
/// transaction (so the bot may keep running), and keeps each child's latest height-for-age on
/// `children.haz_milli` as [`record`] does. Nobody is notified and no graduation is asked: the stored
/// values are brought in line with WHO, nothing was measured. `dry_run` counts without writing.
/// Running it twice changes nothing the second time.
pub async fn rescore(
    db: &Db,
    batch: i64,
    dry_run: bool,
    now: DateTime<Utc>,
) -> store::Result<Rescored> {
    let mut done = Rescored::default();
    let mut children_changed = HashSet::new();
    let mut after = None;
    let mut turns = db.turns();
    loop {
        turns.between().await;
        let mut tx = db.begin().await?;
        let rows = measurements::batch_after(&mut tx, after, batch.max(1)).await?;
        let Some(last) = rows.last() else {
            tx.rollback().await?;
            break;
        };
        after = Some((last.child, last.measurement.measured_on));
        let mut seen = BTreeSet::new();
        for of in &rows {
            done.measurements += 1;
            seen.insert(of.child.0);
            let m = &of.measurement;
            let z = match rescored(of) {
                Ok(z) => z,
                Err(e) => {
                    done.unscorable
                        .push((of.child, m.measured_on, e.to_string()));
                    continue;
                }
            };
            let flagged: Vec<Indicator> = INDICATORS
                .into_iter()
                .zip([Some(z.haz), z.waz, z.whz, z.baz])
                .filter_map(|(i, z)| z.filter(|&z| i.flagged(z)).map(|_| i))
                .collect();
            if !flagged.is_empty() {
                done.flagged.push((of.child, m.measured_on, flagged));
            }
            let new = [
                Some(measurements::milli(z.haz)),
                z.waz.map(measurements::milli),
                z.whz.map(measurements::milli),
                z.baz.map(measurements::milli),
            ];
            let old = [m.haz_milli, m.waz_milli, m.whz_milli, m.baz_milli];
            if new == old {
                continue;
            }
            if !measurements::set_z_scores(&mut tx, of.child, m, new, now).await? {
                done.skipped += 1;
                continue;
            }
            done.changed += 1;
            for (count, (n, o)) in done
                .changed_by_indicator
                .iter_mut()
                .zip(new.iter().zip(old))
            {
                if *n != o {
                    *count += 1;
                }
            }
        }
        for child in seen {
            if measurements::refresh_child_haz(&mut tx, ChildId(child)).await? {
                children_changed.insert(child);
            }
        }
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
    }
    done.children = children_changed.len() as u64;
    if !dry_run {
        let mut conn = db.conn().await?;
        let detail = format!(
            "{} measurements, {} changed, {} children's height-for-age changed",
            done.measurements, done.changed, done.children
        );
        audit::record(
            &mut conn,
            now,
            None,
            "growth.rescore",
            "measurements",
            Some(&detail),
        )
        .await?;
    }
    Ok(done)
}

/// The reason a measurement was refused, for the person who entered it: what is wrong and what to do.
pub fn refusal_text(lang: Lang, refusal: &Implausible) -> String {
    match refusal {
        Implausible::InFuture => t(lang, "measure-refused-future"),
        Implausible::BeforeBirth => t(lang, "measure-refused-before-birth"),
        Implausible::TooOld => t(lang, "measure-refused-too-old"),
        Implausible::Flagged { indicator, z } => {
            let range = indicator.plausible();
            tf(
                lang,
                "measure-refused-flagged",
                &[
                    ("indicator", Arg::Text(&indicator_name(lang, *indicator))),
                    ("z", Arg::Text(&z_text(lang, *z))),
                    ("low", Arg::Text(&z_text(lang, *range.start()))),
                    ("high", Arg::Text(&z_text(lang, *range.end()))),
                ],
            )
        }
        Implausible::Shorter {
            earlier,
            shorter_by_mm,
        } => tf(
            lang,
            "measure-refused-shorter",
            &[
                (
                    "by",
                    Arg::Text(&decimal(lang, *shorter_by_mm as f64 / 10.0, 1)),
                ),
                ("date", Arg::Text(&date_text(earlier.measured_on))),
                (
                    "before",
                    Arg::Text(&length_text(lang, earlier.length_mm, earlier.position)),
                ),
            ],
        ),
        Implausible::TallerThanLater {
            later,
            taller_by_mm,
        } => tf(
            lang,
            "measure-refused-taller",
            &[
                (
                    "by",
                    Arg::Text(&decimal(lang, *taller_by_mm as f64 / 10.0, 1)),
                ),
                ("date", Arg::Text(&date_text(later.measured_on))),
                (
                    "after",
                    Arg::Text(&length_text(lang, later.length_mm, later.position)),
                ),
            ],
        ),
        Implausible::WeightJump { other, days } => tf(
            lang,
            "measure-refused-weight",
            &[
                (
                    "other",
                    Arg::Text(&decimal(
                        lang,
                        other.weight_g.unwrap_or_default() as f64 / 1000.0,
                        2,
                    )),
                ),
                ("date", Arg::Text(&date_text(other.measured_on))),
                ("days", Arg::Num(*days)),
            ],
        ),
    }
}

/// The short name of an indicator, as Indonesian health workers know it (TB/U, BB/U, BB/TB, IMT/U).
pub fn indicator_name(lang: Lang, indicator: Indicator) -> String {
    t(
        lang,
        match indicator {
            Indicator::LengthHeightForAge => "indicator-haz",
            Indicator::WeightForAge => "indicator-waz",
            Indicator::WeightForLengthHeight => "indicator-whz",
            Indicator::BmiForAge => "indicator-baz",
        },
    )
}

/// `x` with `places` decimals, in the language's way (`82,5` / `82.5`).
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    let text = format!("{x:.places$}");
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// `82,5 cm berdiri`.
pub fn length_text(lang: Lang, mm: i64, position: Position) -> String {
    tf(
        lang,
        match position {
            Position::Lying => "growth-length-lying",
            Position::Standing => "growth-length-standing",
        },
        &[("cm", Arg::Text(&decimal(lang, mm as f64 / 10.0, 1)))],
    )
}

/// The values of one measurement in a line: length and position, weight, arm circumference.
pub fn values_text(lang: Lang, m: &Measurement) -> String {
    let mut parts = vec![length_text(lang, m.length_mm, m.position)];
    if let Some(g) = m.weight_g {
        parts.push(tf(
            lang,
            "growth-weight",
            &[("kg", Arg::Text(&decimal(lang, g as f64 / 1000.0, 2)))],
        ));
    }
    if let Some(mm) = m.muac_mm {
        parts.push(tf(
            lang,
            "growth-muac",
            &[("cm", Arg::Text(&decimal(lang, mm as f64 / 10.0, 1)))],
        ));
    }
    parts.join(" · ")
}

/// The classification of a z-score of an indicator, where WHO has one (BMI-for-age has none here).
fn class_key(indicator: Indicator, z: f64) -> Option<&'static str> {
    use crate::domain::growth::{Stunting, Underweight, Wasting};
    Some(match indicator {
        Indicator::LengthHeightForAge => match stunting(z) {
            Stunting::Severe => "class-severely-stunted",
            Stunting::Stunted => "class-stunted",
            Stunting::Normal => "class-normal",
        },
        Indicator::WeightForAge => match underweight(z) {
            Underweight::Severe => "class-severely-underweight",
            Underweight::Underweight => "class-underweight",
            Underweight::Normal => "class-normal",
        },
        Indicator::WeightForLengthHeight => match wasting(z) {
            Wasting::Severe => "class-severely-wasted",
            Wasting::Wasted => "class-wasted",
            Wasting::Normal => "class-normal",
        },
        Indicator::BmiForAge => return None,
    })
}

/// The four indicators in the order of [`ZScores`] and of the card's lines.
pub const INDICATORS: [Indicator; 4] = [
    Indicator::LengthHeightForAge,
    Indicator::WeightForAge,
    Indicator::WeightForLengthHeight,
    Indicator::BmiForAge,
];

fn z_of(m: &Measurement, indicator: Indicator) -> Option<f64> {
    let milli = match indicator {
        Indicator::LengthHeightForAge => m.haz_milli,
        Indicator::WeightForAge => m.waz_milli,
        Indicator::WeightForLengthHeight => m.whz_milli,
        Indicator::BmiForAge => m.baz_milli,
    };
    milli.map(measurements::from_milli)
}

/// One line per z-score of `latest`: the value, its class, and the change since `previous` when that
/// has the same z-score.
pub fn z_lines(lang: Lang, latest: &Measurement, previous: Option<&Measurement>) -> Vec<String> {
    INDICATORS
        .iter()
        .filter_map(|&indicator| {
            let z = z_of(latest, indicator)?;
            let class = class_key(indicator, z)
                .map(|k| format!(" {}", t(lang, k)))
                .unwrap_or_default();
            let change = match previous.and_then(|p| Some((p, z_of(p, indicator)?))) {
                Some((p, before)) => {
                    let since = date_text(p.measured_on);
                    match progress::trend(before, z) {
                        progress::Trend::Unchanged => {
                            tf(lang, "growth-unchanged", &[("since", Arg::Text(&since))])
                        }
                        trend => {
                            let delta = z - before;
                            let sign = if delta > 0.0 { "+" } else { "" };
                            let arrow = if trend == progress::Trend::Improved {
                                "▲"
                            } else {
                                "▼"
                            };
                            tf(
                                lang,
                                "growth-change",
                                &[
                                    ("arrow", Arg::Text(arrow)),
                                    (
                                        "delta",
                                        Arg::Text(&format!("{sign}{}", z_text(lang, delta))),
                                    ),
                                    ("since", Arg::Text(&since)),
                                ],
                            )
                        }
                    }
                }
                None => String::new(),
            };
            Some(tf(
                lang,
                "growth-z-line",
                &[
                    ("indicator", Arg::Text(&indicator_name(lang, indicator))),
                    ("z", Arg::Text(&z_text(lang, z))),
                    ("class", Arg::Text(&class)),
                    ("change", Arg::Text(&change)),
                ],
            ))
        })
        .collect()
}

/// The growth part of a child's card: the latest measurement, its z-scores with their class and change.
pub fn card_lines(lang: Lang, child: &Child, history: &[Measurement]) -> Vec<String> {
    let Some(latest) = history.last() else {
        return vec![t(lang, "growth-never")];
    };
    let previous = history.len().checked_sub(2).and_then(|i| history.get(i));
    let months = age_months(child.birth_date, latest.measured_on).unwrap_or(0);
    let mut lines = vec![tf(
        lang,
        "growth-latest",
        &[
            ("date", Arg::Text(&date_text(latest.measured_on))),
            ("months", Arg::Num(i64::from(months))),
            ("values", Arg::Text(&values_text(lang, latest))),
            ("count", Arg::Num(history.len() as i64)),
        ],
    )];
    lines.extend(z_lines(lang, latest, previous));
    lines
}

/// The buttons under a growth card: measure, and the chart once there is something to plot.
pub fn card_keyboard(lang: Lang, child: ChildId, measured: bool, may_measure: bool) -> Keyboard {
    let mut row = Vec::new();
    if may_measure {
        row.push(Button::new(
            t(lang, "growth-button-measure"),
            Callback::Measure(child).encode(),
        ));
    }
    if measured {
        row.push(Button::new(
            t(lang, "growth-button-chart"),
            Callback::GrowthChart(child).encode(),
        ));
    }
    if row.is_empty() {
        Keyboard::None
    } else {
        Keyboard::inline(vec![row])
    }
}

/// The child's length/height against the WHO curves of their sex, as a PNG.
pub fn chart_png(
    lang: Lang,
    child: &Child,
    name: &str,
    history: &[Measurement],
) -> Result<Vec<u8>, ChartError> {
    let points = history
        .iter()
        .filter_map(|m| {
            Some(GrowthPoint {
                age_days: crate::domain::child::age_days(child.birth_date, m.measured_on)?,
                length_cm: m.length_mm as f64 / 10.0,
                position: m.position,
            })
        })
        .collect();
    let sex = t(
        lang,
        match child.sex {
            Sex::Male => "sex-male",
            Sex::Female => "sex-female",
        },
    );
    let first = crate::domain::child::first_name(&child.full_name).to_owned();
    let labels = GrowthLabels {
        title: tf(lang, "chart-growth-title", &[("name", Arg::Text(name))]),
        subtitle: tf(lang, "chart-growth-subtitle", &[("sex", Arg::Text(&sex))]),
        x_axis: t(lang, "chart-growth-x"),
        y_axis: t(lang, "chart-growth-y"),
        curves: [
            t(lang, "chart-growth-minus3"),
            t(lang, "chart-growth-minus2"),
            t(lang, "chart-growth-median"),
            t(lang, "chart-growth-plus2"),
        ],
        child: first,
        empty: t(lang, "chart-growth-empty"),
    };
    charts::growth_png(&GrowthChart {
        sex: child.sex,
        points,
        labels,
    })
}

/// The name a viewer may read on a child's chart: a sponsor reads the first name only.
pub fn name_for(capacity: Capacity, child: &Child) -> &str {
    match capacity {
        Capacity::Sponsor => first_name(&child.full_name),
        Capacity::Volunteer | Capacity::Coordinator => &child.full_name,
    }
}

/// The growth chart as a photo for `chat_id`, kept in the media store so the outbox row stays small;
/// `None` when it could not be drawn or kept (the caller says so). `name` is the name the viewer may read.
pub async fn chart_photo(
    media: &MediaStore,
    lang: Lang,
    chat_id: i64,
    child: &Child,
    name: &str,
    history: &[Measurement],
) -> Option<Outbound> {
    let png = chart_png(lang, child, name, history)
        .inspect_err(
            |e| tracing::error!(error = %e, child = %child.id, "drawing a growth chart failed"),
        )
        .ok()?;
    let key = media
        .put_chart(png)
        .await
        .inspect_err(|e| tracing::error!(error = %e, "keeping a growth chart failed"))
        .ok()?;
    let caption = tf(
        lang,
        "growth-chart-caption",
        &[
            ("name", Arg::Text(name)),
            ("count", Arg::Num(history.len() as i64)),
        ],
    );
    Some(Outbound::Photo {
        chat_id,
        photo: Attachment::Stored {
            key,
            file_name: format!("{}-{}.png", t(lang, "growth-chart-file"), child.id),
        },
        caption,
        keyboard: Keyboard::None,
    })
}

/// Whether the actor may measure this child (after a confirmation, the measuring step is offered).
pub fn may_measure(actor: &Actor, child: &Child) -> bool {
    !child.status.is_closed()
        && policy::check(actor, Action::Measure(child_place_of(child))).is_ok()
}

/// Why someone may not measure a child or see their growth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    Unknown,
    /// The child's case is closed: nobody measures them any more.
    Closed,
}

/// The child, when the actor may measure them now (a volunteer of their area, a coordinator of it).
pub async fn measurable(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
) -> store::Result<Result<Child, Refusal>> {
    let Some(child) = children::get(conn, id).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if let Err(d) = policy::check(actor, Action::Measure(child_place_of(&child))) {
        return Ok(Err(Refusal::Denied(d)));
    }
    if child.status.is_closed() {
        return Ok(Err(Refusal::Closed));
    }
    Ok(Ok(child))
}

/// A measurement typed in the chat, recorded through [`record`] once the policy lets the actor measure.
pub async fn measure(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
    reading: &Reading,
    default_zone: Tz,
    now: DateTime<Utc>,
) -> store::Result<Result<Result<(Child, Recorded), Implausible>, Refusal>> {
    let child = match measurable(conn, actor, id).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    let today = local_today(conn, &child, default_zone, now).await?;
    let recorded = record(
        conn,
        &child,
        reading,
        today,
        Source::Chat,
        Some(actor.user),
        now,
    )
    .await?;
    Ok(Ok(recorded.map(|r| (child, r))))
}

/// The growth chart of a child for whoever may see it (who may measure them, and their active sponsor),
/// with the name that viewer may read.
pub async fn chart(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
    media: &MediaStore,
    lang: Lang,
    chat_id: i64,
) -> store::Result<Result<Option<Outbound>, Refusal>> {
    let Some(child) = children::get(conn, id).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    let sponsor = sponsorships::live_for_child(conn, id)
        .await?
        .filter(|s| s.status == SponsorshipStatus::Active)
        .map(|s| s.sponsor);
    let capacity = match policy::check(
        actor,
        Action::SeeGrowth {
            child: child_place_of(&child),
            sponsor,
        },
    ) {
        Ok(c) => c,
        Err(d) => return Ok(Err(Refusal::Denied(d))),
    };
    let history = measurements::history(conn, id).await?;
    let name = name_for(capacity, &child).to_owned();
    Ok(Ok(chart_photo(
        media, lang, chat_id, &child, &name, &history,
    )
    .await))
}

/// What a coordinator's answer to a graduation question came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraduationAnswer {
    /// Answered before, by `by`.
    AlreadyDecided {
        child: String,
        decision: Decision,
        by: String,
    },
    /// The sponsorship it asked about is no longer active.
    Stale {
        child: String,
    },
    Kept {
        child: String,
    },
    /// The child graduated; whether their sponsor was offered another child.
    Ended {
        child: String,
        offered: bool,
    },
}

/// A coordinator answers "the child left stunting twice: end the sponsorship or keep it?". Ending closes
/// the child's case as graduated, thanks the sponsor and offers them the child of their kecamatan who has
/// waited longest (their consent still counts). Answered once.
pub async fn answer_graduation(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    end: bool,
    offer_ttl: chrono::Duration,
    now: DateTime<Utc>,
) -> store::Result<Result<GraduationAnswer, Refusal>> {
    let Some(g) = measurements::graduation(conn, id).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    let Some(child) = children::get(conn, g.child).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&child))) {
        return Ok(Err(Refusal::Denied(d)));
    }
    let name = child.full_name.clone();
    if let (Some(decision), Some(by)) = (g.decision, g.decided_by) {
        let by = users::first_name(conn, by)
            .await?
            .unwrap_or_else(|| "—".into());
        return Ok(Ok(GraduationAnswer::AlreadyDecided {
            child: name,
            decision,
            by,
        }));
    }
    let live = sponsorships::live_for_child(conn, child.id).await?;
    let Some(s) = live.filter(|s| s.id == g.sponsorship && s.status == SponsorshipStatus::Active)
    else {
        return Ok(Ok(GraduationAnswer::Stale { child: name }));
    };
    let decision = if end { Decision::End } else { Decision::Keep };
    if !measurements::decide(conn, id, decision, actor.user, now).await? {
        return Ok(Err(Refusal::Unknown));
    }
    if decision == Decision::Keep {
        return Ok(Ok(GraduationAnswer::Kept { child: name }));
    }
    if let Err(r) =
        lifecycle::close_case(conn, actor, child.id, ChildStatus::Graduated, now).await?
    {
        tracing::warn!(?r, "a graduation could not close the case");
    }
    let lang = users::language(conn, s.sponsor).await?;
    let haz = z_text(lang, measurements::from_milli(g.haz_milli));
    notices::person(
        conn,
        s.sponsor,
        "sponsor-graduated",
        &[
            ("name", Arg::Text(first_name(&child.full_name))),
            ("haz", Arg::Text(&haz)),
        ],
        Keyboard::None,
        now,
    )
    .await?;
    let offered = match lifecycle::offer_longest_waiting(
        conn,
        s.sponsor,
        Origin::Match,
        offer_ttl,
        Some(actor.user),
        now,
    )
    .await?
    {
        Ok(next) => {
            lifecycle::send_offer(conn, next.id, now).await?;
            true
        }
        Err(r) => {
            tracing::info!(?r, "no new child offered after a graduation");
            notices::person(
                conn,
                s.sponsor,
                "sponsor-graduated-none-waiting",
                &[],
                Keyboard::None,
                now,
            )
            .await?;
            false
        }
    };
    Ok(Ok(GraduationAnswer::Ended {
        child: name,
        offered,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RegionCode;
    use crate::domain::child::ChildStatus;

    fn child() -> Child {
        Child {
            id: ChildId(7),
            full_name: "Budi Santoso".into(),
            sex: Sex::Male,
            birth_date: NaiveDate::from_ymd_opt(2024, 6, 1).expect("date"),
            guardian_name: "Sari".into(),
            guardian_phone: None,
            address: None,
            kecamatan: RegionCode::parse("74.71.01").expect("code"),
            village: None,
            posyandu: None,
            nik: None,
            notes: None,
            puskesmas: None,
            status: ChildStatus::Matched,
            close_reason: None,
            haz: None,
            waiting_since: DateTime::<Utc>::default(),
            kecamatan_name: None,
            village_name: None,
        }
    }

    fn m(on: (i32, u32, u32), mm: i64, haz: i64, waz: Option<i64>) -> Measurement {
        Measurement {
            measured_on: NaiveDate::from_ymd_opt(on.0, on.1, on.2).expect("date"),
            length_mm: mm,
            position: Position::Standing,
            weight_g: waz.map(|_| 10_500),
            muac_mm: Some(131),
            haz_milli: Some(haz),
            waz_milli: waz,
            whz_milli: None,
            baz_milli: None,
        }
    }

    #[test]
    fn the_card_shows_the_latest_z_scores_with_class_and_change() {
        let history = [
            m((2026, 8, 20), 800, -2_640, Some(-1_850)),
            m((2026, 11, 20), 820, -2_310, Some(-1_900)),
        ];
        let lines = card_lines(Lang::Id, &child(), &history);
        let text = lines.join("\n");
        assert!(text.contains("20-11-2026"), "{text}");
        assert!(text.contains("82,0 cm"), "{text}");
        assert!(text.contains("10,50 kg"), "{text}");
        assert!(text.contains("13,1 cm"), "{text}");
        // TB/U −2.31, stunted, up 0.33 since August
        assert!(text.contains("−2,3"), "{text}");
        assert!(text.contains(&t(Lang::Id, "class-stunted")), "{text}");
        assert!(text.contains("▲ +0,3"), "{text}");
        assert!(text.contains("20-08-2026"), "{text}");
        // BB/U changed by −0.05: unchanged
        let waz_line = lines.iter().find(|l| l.contains("BB/U")).expect("waz line");
        assert!(
            !waz_line.contains('▲') && !waz_line.contains('▼'),
            "{waz_line}"
        );
        let en = card_lines(Lang::En, &child(), &history).join("\n");
        assert!(en.contains("−2.3") && en.contains("82.0 cm"), "{en}");
    }

    #[test]
    fn a_child_never_measured_says_so() {
        assert_eq!(
            card_lines(Lang::Id, &child(), &[]),
            vec![t(Lang::Id, "growth-never")]
        );
    }

    #[test]
    fn every_refusal_has_a_text_in_both_languages() {
        let r = measurement::Recorded {
            measured_on: NaiveDate::from_ymd_opt(2026, 8, 20).expect("date"),
            length_mm: 850,
            position: Position::Standing,
            weight_g: Some(7_000),
        };
        let all = [
            Implausible::InFuture,
            Implausible::BeforeBirth,
            Implausible::TooOld,
            Implausible::Flagged {
                indicator: Indicator::WeightForAge,
                z: 5.6,
            },
            Implausible::Shorter {
                earlier: r,
                shorter_by_mm: 15,
            },
            Implausible::TallerThanLater {
                later: r,
                taller_by_mm: 12,
            },
            Implausible::WeightJump { other: r, days: 20 },
        ];
        for lang in Lang::ALL {
            for refusal in &all {
                let text = refusal_text(lang, refusal);
                assert!(!text.is_empty() && !text.contains("measure-"), "{text}");
            }
        }
        let shorter = refusal_text(Lang::Id, &all[4]);
        assert!(
            shorter.contains("1,5") && shorter.contains("20-08-2026") && shorter.contains("85,0")
        );
        let weight = refusal_text(Lang::En, &all[6]);
        assert!(weight.contains("7.00") && weight.contains("20"), "{weight}");
    }

    #[test]
    fn the_chart_is_a_png() {
        let history = [
            m((2026, 8, 20), 800, -2_640, None),
            m((2026, 11, 20), 820, -2_310, None),
        ];
        let png = chart_png(Lang::Id, &child(), "Budi", &history).expect("chart");
        assert!(png.starts_with(b"\x89PNG"));
    }
}
