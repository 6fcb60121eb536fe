//! Notices to the people who answer for an area: each in their own language, through the outbox, in the
//! caller's transaction.

use crate::domain::{RegionCode, UserId};
use crate::i18n::{Arg, tf};
use crate::outbound::{self, Keyboard, Outbound};
use crate::store::{self, Conn, coordinators, sponsors, users};
use chrono::{DateTime, Utc};

/// Tells every coordinator whose scope covers `area` (all of them when the area is unknown).
pub async fn coordinators(
    conn: &mut Conn,
    area: Option<&RegionCode>,
    key: &str,
    args: &[(&str, Arg<'_>)],
    now: DateTime<Utc>,
) -> store::Result<usize> {
    let to = match area {
        Some(a) => coordinators::covering(conn, a).await?,
        None => coordinators::list(conn)
            .await?
            .into_iter()
            .map(|c| c.user)
            .collect(),
    };
    for coordinator in &to {
        let lang = users::language(conn, *coordinator).await?;
        outbound::enqueue_in(
            conn,
            outbound::Lane::Notice,
            &Outbound::Message {
                chat_id: coordinator.0,
                text: tf(lang, key, args),
                keyboard: Keyboard::None,
            },
            now,
        )
        .await?;
    }
    Ok(to.len())
}

/// Tells one person, in their language.
pub async fn person(
    conn: &mut Conn,
    user: UserId,
    key: &str,
    args: &[(&str, Arg<'_>)],
    keyboard: Keyboard,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let lang = users::language(conn, user).await?;
    outbound::enqueue_in(
        conn,
        outbound::Lane::Notice,
        &Outbound::Message {
            chat_id: user.0,
            text: tf(lang, key, args),
            keyboard,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Telegram answered 403 for `user`: they are marked unreachable and, the first time only, the coordinators
/// of their area hear of it (a sponsor who blocked the bot misses every reminder from now on).
pub async fn unreachable(conn: &mut Conn, user: UserId, now: DateTime<Utc>) -> store::Result<()> {
    if !users::mark_unreachable(conn, user, now).await? {
        return Ok(());
    }
    let (name, area, role) = if let Some(s) = sponsors::get(conn, user).await? {
        (
            s.registration.name.as_str().to_owned(),
            Some(s.registration.area.kecamatan.clone()),
            "sponsor",
        )
    } else if let Some(region) = store::volunteers::region_of(conn, user).await? {
        let name = users::first_name(conn, user).await?.unwrap_or_default();
        (name, Some(region), "volunteer")
    } else {
        return Ok(());
    };
    coordinators(
        conn,
        area.as_ref(),
        "coordinator-user-unreachable",
        &[
            ("name", Arg::Text(&name)),
            ("id", Arg::Num(user.0)),
            ("role", Arg::Text(role)),
        ],
        now,
    )
    .await?;
    Ok(())
}
