//! The coordinator digest: what it says (read per area through `store::digest`), how it reads in each
//! language, the weekly summary with its chart, and the sponsors' monthly note. Rendering here turns data
//! into localized lines; `domain::digest` decides grouping and how lines become messages.
//!
//! `daily` is the digest itself and its "show all" lists, `weekly` the weekly summary and its chart,
//! `monthly` the sponsor's note; this file has what they share (settings, the coordinator's zone and
//! area name, number helpers). Callers name everything as `services::digest::X`.

mod daily;
mod monthly;
mod weekly;

pub use daily::{Digest, build, render, render_section};
pub use monthly::monthly_note;
pub use weekly::{WEEKS, Weekly, build_weekly, weekly_caption, weekly_chart, weekly_puskesmas};

use crate::domain::Lang;
use crate::domain::UserId;
use crate::domain::digest::percent;
use crate::domain::digest::{DigestCron, DigestKind};
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::report::{Counts, standing};
use crate::domain::role::Scope;
use crate::i18n::{Arg, t, tf};
use crate::services::deliveries::zone_of;
use crate::store::digest::DueFacts;
use crate::store::{self, Conn, digest as schedules, regions};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// How digests read and when they look back.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Items shown per list before "… and N more" with a "show all" button (`ASUH_DIGEST_LINES`).
    pub lines: usize,
    /// The most items "show all" sends; past it, the report has the rest.
    pub show_all_max: usize,
    /// The zone of a coordinator whose area has none.
    pub default_zone: Tz,
    /// Deliveries overdue longer than this are missed and no longer listed as overdue.
    pub missed_after_days: u32,
    /// Whether a new coordinator starts with the daily digest and the weekly summary on (`ASUH_DIGESTS`);
    /// off, they turn them on with `/ringkasan`.
    pub on_by_default: bool,
    /// Whether sponsors get their monthly note (`ASUH_SPONSOR_NOTES`).
    pub sponsor_notes: bool,
    /// A case open longer than this many days needs attention (`ASUH_CASE_DAYS`).
    pub case_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lines: 5,
            show_all_max: 300,
            default_zone: chrono_tz::Asia::Jakarta,
            missed_after_days: 14,
            on_by_default: true,
            sponsor_notes: true,
            case_days: 14,
        }
    }
}

/// The zone a coordinator of `scope` lives by: their area's (`services::deliveries::zone_of`), else the
/// programme's.
pub async fn zone(conn: &mut Conn, scope: &Scope, default: Tz) -> store::Result<Tz> {
    Ok(match scope.code() {
        Some(code) => zone_of(conn, code, default).await?,
        None => default,
    })
}

/// The area's name as the digest's title says it.
pub async fn area_name(conn: &mut Conn, scope: &Scope, lang: Lang) -> store::Result<String> {
    Ok(match scope.code() {
        Some(code) => regions::name_or_code(conn, code).await?,
        None => t(lang, "digest-whole-programme"),
    })
}

/// The schedule of one of a coordinator's digests: saved, or the default when never set.
pub async fn schedule_of(
    conn: &mut Conn,
    user: UserId,
    kind: DigestKind,
) -> store::Result<Option<DigestCron>> {
    let row = schedules::schedules_of(conn, user)
        .await?
        .into_iter()
        .find(|s| s.kind == kind);
    Ok(match row {
        Some(s) => s.cron.as_deref().and_then(|c| DigestCron::parse(c).ok()),
        None => Some(kind.default_cron()),
    })
}

/// A coordinator sets when one of their digests comes (`None`: off), in the zone of their area. A new
/// daily time moves the weekly summary along (it comes at the daily digest's time). Returns the next
/// time it comes and the zone it is read in.
pub async fn set_schedule(
    conn: &mut Conn,
    actor: &Actor,
    kind: DigestKind,
    cron: Option<&DigestCron>,
    default_zone: Tz,
    now: DateTime<Utc>,
) -> store::Result<Result<(Option<DateTime<Utc>>, Tz), Denied>> {
    let scope = match (
        policy::check(actor, Action::Coordinate),
        &actor.roles.coordinator,
    ) {
        (Ok(_), Some(scope)) => scope,
        (Err(d), _) => return Ok(Err(d)),
        (Ok(_), None) => return Ok(Err(Denied::NoRole)),
    };
    let tz = zone(conn, scope, default_zone).await?;
    let next = cron.and_then(|c| c.next_after(now, tz));
    schedules::set_schedule(
        conn,
        actor.user,
        kind,
        cron.map(DigestCron::as_str),
        next,
        now,
    )
    .await?;
    if kind == DigestKind::Daily
        && let (Some(time), Some(weekly)) = (
            cron.and_then(DigestCron::time_of_day),
            schedule_of(conn, actor.user, DigestKind::Weekly).await?,
        )
        && let Some(day) = weekly.weekday()
    {
        let moved = DigestCron::weekly_at(day, time);
        let next = moved.next_after(now, tz);
        schedules::set_schedule(
            conn,
            actor.user,
            DigestKind::Weekly,
            Some(moved.as_str()),
            next,
            now,
        )
        .await?;
    }
    Ok(Ok((next, tz)))
}

impl Settings {
    /// How long after its day began an open delivery is missed (`ASUH_MISSED_AFTER_DAYS`).
    pub fn missed_after(&self) -> Duration {
        Duration::days(i64::from(self.missed_after_days))
    }
}

/// How the deliveries of `facts` stand at `now`, each as `domain::report::standing` says: the tally every
/// figure of the digest, the weekly summary and the monthly note is read from.
fn tally<'a>(
    facts: impl IntoIterator<Item = &'a DueFacts>,
    now: DateTime<Utc>,
    settings: &Settings,
) -> Counts {
    let mut counts = Counts::default();
    for f in facts {
        counts.add_n(
            standing(
                f.status,
                f.due_at,
                f.confirmed_at,
                now,
                settings.missed_after(),
            ),
            f.count,
        );
    }
    counts
}

/// The on-time share of `counts` as it reads after "on time …: ": `share_key` ("3/4 (75 %)") when some
/// deliveries' standing is decided; in words when none was due, or when the only ones due are today's and
/// not late before their day has ended — never "0/0 (0 %)".
fn on_time_text(lang: Lang, counts: &Counts, share_key: &str) -> String {
    match (counts.decided(), counts.due) {
        (0, 0) => t(lang, "digest-on-time-none"),
        (0, _) => t(lang, "digest-on-time-not-yet"),
        (decided, _) => tf(
            lang,
            share_key,
            &[
                ("on_time", num(counts.on_time)),
                ("decided", num(decided)),
                ("pct", num(percent(counts.on_time, decided))),
            ],
        ),
    }
}

/// Local midnight of `date` in `tz`, in UTC.
fn midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    crate::domain::schedule::local_to_utc(date, NaiveTime::MIN, tz)
}

fn z(milli: i64) -> f64 {
    milli as f64 / 1000.0
}

fn num(n: impl TryInto<i64>) -> Arg<'static> {
    Arg::Num(n.try_into().unwrap_or(i64::MAX))
}
