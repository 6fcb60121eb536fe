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
pub use weekly::{WEEKS, Weekly, build_weekly, weekly_caption, weekly_chart};

use crate::domain::role::Scope;
use crate::domain::{Lang, region::parse_zone};
use crate::i18n::{Arg, t};
use crate::store::{self, Conn, regions};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
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
        }
    }
}

/// The zone a coordinator of `scope` lives by: their area's, else the programme's.
pub async fn zone(conn: &mut Conn, scope: &Scope, default: Tz) -> store::Result<Tz> {
    Ok(match scope.code() {
        Some(code) => regions::timezone(conn, code)
            .await?
            .as_deref()
            .and_then(parse_zone)
            .unwrap_or(default),
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
