//! Digests on their schedule, and the sponsors' monthly notes. Each coordinator has a row per kind of
//! digest with the next time it is due in their zone; a pass builds the digests that are due and queues
//! them in the transaction that moves the row on from the time it read, so one process sends each digest
//! once, and a bot that was down sends the current digest once, not every one it missed.

use crate::domain::UserId;
use crate::domain::digest::{DigestCron, DigestKind};
use crate::domain::role::Scope;
use crate::i18n::t;
use crate::media::MediaStore;
use crate::outbound::{self, Attachment, Button, Keyboard, Outbound};
use crate::services::digest::{self, Settings};
use crate::store::digest as schedules;
use crate::store::digest::Schedule;
use crate::store::{self, Conn, Db, users};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Utc};

/// Digests handled per query; a pass goes on until none is due.
const BATCH: i64 = 20;

/// Sends the digests due at `now` (creating the default schedule of new coordinators first); returns how
/// many it queued.
pub async fn run(
    db: &Db,
    settings: &Settings,
    media: Option<&MediaStore>,
    dashboard: Option<&str>,
    now: DateTime<Utc>,
) -> store::Result<usize> {
    schedule_new_coordinators(db, settings, now).await?;
    let mut sent = 0;
    let mut turns = db.turns();
    loop {
        let due = {
            let mut conn = db.conn().await?;
            schedules::due_schedules(&mut conn, now, BATCH).await?
        };
        if due.is_empty() {
            return Ok(sent);
        }
        let mut moved = false;
        for schedule in &due {
            turns.between().await;
            match send(db, settings, media, dashboard, schedule, now).await {
                Ok(true) => {
                    sent += 1;
                    moved = true;
                }
                // Another process sent it, or it was turned off meanwhile.
                Ok(false) => moved = true,
                Err(e) => tracing::error!(user = schedule.user.0, error = %e, "digest failed"),
            }
        }
        // Every row failed: try again next pass rather than spin.
        if !moved {
            return Ok(sent);
        }
    }
}

/// A coordinator's zone and the next firing of `cron` there after `now`.
async fn next_at(
    conn: &mut Conn,
    scope: &Scope,
    cron: &DigestCron,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Option<DateTime<Utc>>> {
    let tz = digest::zone(conn, scope, settings.default_zone).await?;
    Ok(cron.next_after(now, tz))
}

async fn schedule_new_coordinators(
    db: &Db,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let mut conn = db.conn().await?;
    for kind in DigestKind::ALL {
        for user in schedules::unscheduled(&mut conn, kind).await? {
            let Some(scope) = users::roles(&mut conn, user).await?.coordinator else {
                continue;
            };
            let cron = kind.default_cron();
            let (cron, next) = if settings.on_by_default {
                let next = next_at(&mut conn, &scope, &cron, settings, now).await?;
                (Some(cron.as_str()), next)
            } else {
                (None, None)
            };
            schedules::create_schedule(&mut conn, user, kind, cron, next, now).await?;
        }
    }
    Ok(())
}

/// Builds and queues one digest; false when another process did, or the schedule no longer applies.
async fn send(
    db: &Db,
    settings: &Settings,
    media: Option<&MediaStore>,
    dashboard: Option<&str>,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> store::Result<bool> {
    let user = schedule.user;
    let mut conn = db.conn().await?;
    let scope = users::roles(&mut conn, user).await?.coordinator;
    let cron = schedule
        .cron
        .as_deref()
        .and_then(|c| DigestCron::parse(c).ok());
    let Some(scope) = scope else {
        // No longer a coordinator: the schedule goes, and one granted again starts from the defaults.
        schedules::remove_schedules(&mut conn, user).await?;
        return Ok(false);
    };
    let Some(cron) = cron else {
        // A stored expression that no longer reads (it was checked when saved): stop rather than retry.
        schedules::advance(&mut conn, schedule, None, now).await?;
        return Ok(false);
    };
    let lang = users::language(&mut conn, user).await?;
    let next = next_at(&mut conn, &scope, &cron, settings, now).await?;
    let tz = digest::zone(&mut conn, &scope, settings.default_zone).await?;
    // Read before the transaction: on SQLite a write transaction holds the only writer's lock.
    let messages: Vec<Outbound> = match schedule.kind {
        DigestKind::Daily => {
            let since = schedule
                .last_sent_at
                .unwrap_or(now - Duration::days(1))
                .min(now);
            let d = digest::build(
                &mut conn,
                &scope,
                lang,
                since,
                now,
                settings,
                settings.lines,
            )
            .await?;
            let mut messages = digest::render(lang, &d, tz, settings);
            // A digest goes to the coordinator's private chat: the dashboard opens under it.
            if let (Some(url), Some((_, keyboard))) = (dashboard, messages.last_mut()) {
                let button = Button::web_app(t(lang, "dash-button"), url);
                match keyboard {
                    Keyboard::Inline { rows } => rows.insert(0, vec![button]),
                    other => *other = Keyboard::inline(vec![vec![button]]),
                }
            }
            messages
                .into_iter()
                .map(|(text, keyboard)| Outbound::Message {
                    chat_id: user.0,
                    text,
                    keyboard,
                })
                .collect()
        }
        DigestKind::Weekly => {
            let w = digest::build_weekly(&mut conn, &scope, lang, now, settings).await?;
            weekly_messages(user, lang, &w, media, now).await
        }
    };
    drop(conn);
    let mut tx = db.begin().await?;
    if !schedules::advance(&mut tx, schedule, next, now).await? {
        return Ok(false);
    }
    let read = schedule.next_at.map_or(0, store::millis);
    for (i, message) in messages.iter().enumerate() {
        let key = format!("digest:{}:{}:{read}:{i}", user.0, schedule.kind.as_str());
        outbound::enqueue_once(&mut tx, outbound::Lane::Batch, message, &key, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The weekly summary: the chart with the caption, kept in the media store so the outbox row stays small
/// (without a chart — no store here, or drawing failed — the caption goes alone); then the lines per
/// Puskesmas, where the area's children have one.
pub async fn weekly_messages(
    user: UserId,
    lang: crate::domain::Lang,
    w: &digest::Weekly,
    media: Option<&MediaStore>,
    now: DateTime<Utc>,
) -> Vec<Outbound> {
    let caption = digest::weekly_caption(lang, w);
    let mut messages = weekly_chart_message(user, lang, w, caption, media, now).await;
    messages.extend(
        digest::weekly_puskesmas(lang, w)
            .into_iter()
            .map(|text| Outbound::Message {
                chat_id: user.0,
                text,
                keyboard: Keyboard::None,
            }),
    );
    messages
}

/// The chart with the caption; without a chart (no store here, or drawing failed) the caption alone.
async fn weekly_chart_message(
    user: UserId,
    lang: crate::domain::Lang,
    w: &digest::Weekly,
    caption: String,
    media: Option<&MediaStore>,
    now: DateTime<Utc>,
) -> Vec<Outbound> {
    let chart = match digest::weekly_chart(lang, w) {
        Ok(png) => Some(png),
        Err(e) => {
            tracing::error!(error = %e, "drawing the weekly chart failed");
            None
        }
    };
    if let (Some(png), Some(media)) = (chart, media) {
        match media.put_chart(png).await {
            Ok(key) => {
                return vec![Outbound::Photo {
                    chat_id: user.0,
                    photo: Attachment::Stored {
                        key,
                        file_name: format!(
                            "{}-{}.png",
                            t(lang, "chart-file"),
                            now.format("%Y-%m-%d")
                        ),
                    },
                    caption,
                    keyboard: Keyboard::None,
                }];
            }
            Err(e) => tracing::error!(error = %e, "keeping the weekly chart failed"),
        }
    }
    vec![Outbound::Message {
        chat_id: user.0,
        text: caption,
        keyboard: Keyboard::None,
    }]
}

/// The local time on the 1st of a month when sponsors get their note about the month before.
const NOTE_TIME: (u32, u32) = (9, 0);
/// Notes go out over the first days of a month; after that a month without its note is left alone.
const NOTE_DAYS: u32 = 3;

/// Queues the monthly notes due at `now` (in the programme's zone); returns how many.
pub async fn notes(db: &Db, settings: &Settings, now: DateTime<Utc>) -> store::Result<usize> {
    if !settings.sponsor_notes {
        return Ok(0);
    }
    let tz = settings.default_zone;
    let local = now.with_timezone(&tz);
    let send_from = NaiveTime::from_hms_opt(NOTE_TIME.0, NOTE_TIME.1, 0).unwrap_or(NaiveTime::MIN);
    if local.day() > NOTE_DAYS || (local.day() == 1 && local.time() < send_from) {
        return Ok(0);
    }
    let this_month = local.date_naive().with_day(1).unwrap_or(local.date_naive());
    let Some(from) = this_month.checked_sub_months(Months::new(1)) else {
        return Ok(0);
    };
    let to = this_month.pred_opt().unwrap_or(this_month);
    let month = from.format("%Y-%m").to_string();
    let midnight = |d: NaiveDate| crate::domain::schedule::local_to_utc(d, NaiveTime::MIN, tz);
    let mut queued = 0;
    let mut turns = db.turns();
    // A bounded pass: a large programme's notes spread over a few passes a minute apart.
    for _ in 0..10 {
        let sponsors = {
            let mut conn = db.conn().await?;
            schedules::sponsors_without_note(
                &mut conn,
                &month,
                midnight(from),
                midnight(this_month),
                200,
            )
            .await?
        };
        if sponsors.is_empty() {
            break;
        }
        for sponsor in sponsors {
            turns.between().await;
            let mut tx = db.begin().await?;
            if !schedules::claim_note(&mut tx, sponsor, &month, now).await? {
                continue;
            }
            let lang = users::language(&mut tx, sponsor).await?;
            let text =
                digest::monthly_note(&mut tx, sponsor, lang, (from, to), settings, now).await?;
            let note = Outbound::Message {
                chat_id: sponsor.0,
                text,
                keyboard: Keyboard::None,
            };
            outbound::enqueue_once(
                &mut tx,
                outbound::Lane::Batch,
                &note,
                &format!("note:{}:{month}", sponsor.0),
                now,
            )
            .await?;
            tx.commit().await?;
            queued += 1;
        }
    }
    Ok(queued)
}
