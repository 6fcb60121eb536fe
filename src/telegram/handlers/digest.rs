//! `/ringkasan` (`/digest`): the coordinator digest on demand, its "show all" lists, and its schedule
//! (`/ringkasan 06:30`, a crontab expression, `/ringkasan mati`, or the buttons under the digest).

use super::Result;
use crate::callback::{Callback, DigestButton};
use crate::domain::digest::{DigestCron, DigestCronError, DigestKind, Section};
use crate::domain::region::{local_time, zone_label};
use crate::domain::role::Scope;
use crate::i18n::{Arg, date_label, t};
use crate::outbound::{Button, Keyboard};
use crate::services::digest;
use crate::store::digest as schedules;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;
use chrono::{Duration, NaiveTime, Weekday};
use chrono_tz::Tz;

/// The times offered on buttons; any other is typed.
const TIMES: [(u32, u32); 6] = [(6, 0), (7, 0), (8, 0), (12, 0), (16, 0), (19, 0)];
const WEEKDAYS: [Weekday; 2] = [Weekday::Mon, Weekday::Fri];
const OFF_WORDS: [&str; 3] = ["mati", "off", "stop"];
const WEEKLY_WORDS: [&str; 3] = ["minggu", "mingguan", "weekly"];

pub async fn command(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let args = args.trim();
    if args.is_empty() {
        return send_digest(ctx, scope).await;
    }
    if WEEKLY_WORDS.contains(&args.to_lowercase().as_str()) {
        return send_weekly(ctx, scope).await;
    }
    if OFF_WORDS.contains(&args.to_lowercase().as_str()) {
        return set(ctx, DigestKind::Daily, None, None).await;
    }
    match DigestCron::parse(args) {
        Ok(cron) => set(ctx, DigestKind::Daily, Some(cron), None).await,
        Err(e) => {
            let reason = ctx.tr(match e {
                DigestCronError::Bad(_) => "digest-error-bad",
                DigestCronError::NeverFires => "digest-error-never",
                DigestCronError::TooFrequent => "digest-error-frequent",
            });
            let text = ctx.trf("digest-bad-schedule", &[("error", Arg::Text(&reason))]);
            ctx.reply(text, Keyboard::None);
            Ok(())
        }
    }
}

/// Since when "confirmed since the last digest" counts: the last daily digest sent, else a day.
async fn since(ctx: &mut Ctx<'_>) -> Result<chrono::DateTime<chrono::Utc>> {
    let last = schedules::schedules_of(ctx.conn, ctx.user_id())
        .await?
        .into_iter()
        .find(|s| s.kind == DigestKind::Daily)
        .and_then(|s| s.last_sent_at);
    Ok(last.unwrap_or(ctx.now - Duration::days(1)).min(ctx.now))
}

/// The digest of `scope` as of now, listing at most `limit` children of the lists that are counted rather
/// than read whole, and the coordinator's zone. Its "since" lists start at `window_start` (a "show all"
/// button's digest), else where the next digest's would.
async fn current_digest(
    ctx: &mut Ctx<'_>,
    scope: &Scope,
    limit: usize,
    window_start: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(digest::Digest, Tz)> {
    let settings = ctx.bot.digest;
    let since = match window_start {
        Some(start) => start.min(ctx.now),
        None => since(ctx).await?,
    };
    let d = digest::build(
        ctx.conn,
        scope,
        ctx.lang(),
        since,
        ctx.now,
        &settings,
        limit,
    )
    .await?;
    let tz = digest::zone(ctx.conn, scope, settings.default_zone).await?;
    Ok((d, tz))
}

async fn send_digest(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let settings = ctx.bot.digest;
    let (d, tz) = current_digest(ctx, scope, settings.lines, None).await?;
    for (text, keyboard) in digest::render(ctx.lang(), &d, tz, &settings) {
        ctx.reply(text, keyboard);
    }
    Ok(())
}

/// The weekly summary with its chart, now.
async fn send_weekly(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let settings = ctx.bot.digest;
    let lang = ctx.lang();
    let w = digest::build_weekly(ctx.conn, scope, lang, ctx.now, &settings).await?;
    let messages = crate::jobs::digests::weekly_messages(
        ctx.user_id(),
        lang,
        &w,
        Some(&ctx.bot.media),
        ctx.now,
    )
    .await;
    ctx.out.extend(messages);
    Ok(())
}

pub async fn button(ctx: &mut Ctx<'_>, button: DigestButton, message_id: Option<i64>) -> Result {
    let Some(scope) = ctx.roles.coordinator.clone() else {
        ctx.notice("error-not-allowed");
        return Ok(());
    };
    match button {
        DigestButton::ShowAll(section, since) => show_all(ctx, &scope, section, since).await,
        DigestButton::Settings => settings(ctx, &scope, None).await,
        DigestButton::Daily(time) => {
            let cron = time.map(DigestCron::daily_at);
            set(ctx, DigestKind::Daily, cron, message_id).await
        }
        DigestButton::Weekly(day) => {
            let time = current(ctx, DigestKind::Daily)
                .await?
                .and_then(|c| c.time_of_day())
                .or_else(|| NaiveTime::from_hms_opt(7, 0, 0))
                .unwrap_or(NaiveTime::MIN);
            let cron = day.map(|d| DigestCron::weekly_at(d, time));
            set(ctx, DigestKind::Weekly, cron, message_id).await
        }
    }
}

/// One whole list, from the start of the window of the digest the button was under: what that digest
/// counted, and what came since.
async fn show_all(
    ctx: &mut Ctx<'_>,
    scope: &Scope,
    section: Section,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result {
    let settings = ctx.bot.digest;
    let (d, tz) = current_digest(ctx, scope, settings.show_all_max, since).await?;
    for (text, keyboard) in digest::render_section(ctx.lang(), &d, section, tz, &settings) {
        ctx.reply(text, keyboard);
    }
    Ok(())
}

/// The coordinator's schedule of `kind`: `None` when off. A coordinator without a row yet has the default.
async fn current(ctx: &mut Ctx<'_>, kind: DigestKind) -> Result<Option<DigestCron>> {
    Ok(digest::schedule_of(ctx.conn, ctx.user_id(), kind).await?)
}

fn describe(ctx: &Ctx<'_>, cron: Option<&DigestCron>) -> String {
    let Some(cron) = cron else {
        return ctx.tr("digest-off");
    };
    let time = cron.time_of_day().map(|t| t.format("%H:%M").to_string());
    match (time, cron.weekday(), cron.as_str().ends_with(" * * *")) {
        (Some(time), _, true) => ctx.trf("digest-daily-at", &[("time", Arg::Text(&time))]),
        (Some(time), Some(day), _) => ctx.trf(
            "digest-weekly-at",
            &[
                ("day", Arg::Text(&weekday(ctx, day))),
                ("time", Arg::Text(&time)),
            ],
        ),
        _ => ctx.trf("digest-cron", &[("cron", Arg::Text(cron.as_str()))]),
    }
}

fn weekday(ctx: &Ctx<'_>, day: Weekday) -> String {
    let key = match day {
        Weekday::Mon => "weekday-mon",
        Weekday::Tue => "weekday-tue",
        Weekday::Wed => "weekday-wed",
        Weekday::Thu => "weekday-thu",
        Weekday::Fri => "weekday-fri",
        Weekday::Sat => "weekday-sat",
        Weekday::Sun => "weekday-sun",
    };
    ctx.tr(key)
}

/// The schedule and its buttons: daily times, off, the weekly summary's day, off.
async fn settings(ctx: &mut Ctx<'_>, scope: &Scope, message_id: Option<i64>) -> Result {
    let tz = digest::zone(ctx.conn, scope, ctx.bot.digest.default_zone).await?;
    let daily = current(ctx, DigestKind::Daily).await?;
    let weekly = current(ctx, DigestKind::Weekly).await?;
    let text = ctx.trf(
        "digest-settings",
        &[
            ("daily", Arg::Html(&describe(ctx, daily.as_ref()))),
            ("weekly", Arg::Html(&describe(ctx, weekly.as_ref()))),
            ("zone", Arg::Text(zone_label(tz))),
        ],
    );
    let time_button = |(h, m): (u32, u32)| {
        let time = NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        Button::new(
            time.format("%H:%M").to_string(),
            Callback::Digest(DigestButton::Daily(Some(time))).encode(),
        )
    };
    let mut rows: Vec<Vec<Button>> = TIMES
        .chunks(3)
        .map(|c| c.iter().copied().map(time_button).collect())
        .collect();
    rows.push(vec![Button::new(
        ctx.tr("digest-button-off"),
        Callback::Digest(DigestButton::Daily(None)).encode(),
    )]);
    rows.push(
        WEEKDAYS
            .iter()
            .map(|day| {
                Button::new(
                    ctx.trf(
                        "digest-button-weekly-on",
                        &[("day", Arg::Text(&weekday(ctx, *day)))],
                    ),
                    Callback::Digest(DigestButton::Weekly(Some(*day))).encode(),
                )
            })
            .collect(),
    );
    rows.push(vec![Button::new(
        ctx.tr("digest-button-weekly-off"),
        Callback::Digest(DigestButton::Weekly(None)).encode(),
    )]);
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

/// Saves a schedule (`None`: off) and says when the next digest comes.
async fn set(
    ctx: &mut Ctx<'_>,
    kind: DigestKind,
    cron: Option<DigestCron>,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let zone = ctx.bot.digest.default_zone;
    let (next, tz) =
        match digest::set_schedule(ctx.conn, &actor, kind, cron.as_ref(), zone, ctx.now).await? {
            Ok(x) => x,
            Err(d) => {
                ctx.refuse(ctx.tr(refusals::denied(d)), message_id.is_some());
                return Ok(());
            }
        };
    let text = match (next, kind) {
        (Some(next), _) => {
            // In the zone of the coordinator's area, named.
            let local = next.with_timezone(&tz);
            let when = format!(
                "{} {}",
                date_label(ctx.lang(), local.date_naive()),
                local_time(next, tz, "%H:%M")
            );
            ctx.trf("digest-saved", &[("next", Arg::Text(&when))])
        }
        (None, DigestKind::Daily) => ctx.tr("digest-saved-off"),
        (None, DigestKind::Weekly) => ctx.tr("digest-weekly-saved-off"),
    };
    let keyboard = Keyboard::inline(vec![vec![Button::new(
        t(ctx.lang(), "digest-settings-button"),
        Callback::Digest(DigestButton::Settings).encode(),
    )]]);
    ctx.show(message_id, text, keyboard);
    Ok(())
}
