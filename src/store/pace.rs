//! Turns to send, shared by every process on the database. Telegram's limits belong to the bot token, not
//! to a process: with a bot and two workers sending, each must take its turn from one place. A key
//! (`global`, `chat:<id>`) holds the earliest time its next message may go; taking a turn moves it on by
//! the key's interval in one statement, so two processes never take the same turn.

use super::{Conn, Result, from_millis, millis};
use chrono::{DateTime, Duration, Utc};

pub const GLOBAL: &str = "global";

pub fn chat_key(chat: i64) -> String {
    format!("chat:{chat}")
}

/// Takes the next turn under `key` if it comes within `max_wait`: returns `Ok(when)` (now or later; the
/// caller sleeps until then), or `Err(next)` when the key is busy longer than that, leaving it untouched.
pub async fn take(
    conn: &mut Conn,
    key: &str,
    now: DateTime<Utc>,
    interval: Duration,
    max_wait: Duration,
) -> Result<std::result::Result<DateTime<Utc>, DateTime<Utc>>> {
    let step = interval.num_milliseconds();
    let taken: Option<i64> = sqlx::query_scalar(
        "INSERT INTO send_pace (pace_key, next_at) VALUES ($1, $2 + $3)
         ON CONFLICT (pace_key) DO UPDATE
             SET next_at = (CASE WHEN send_pace.next_at > $2 THEN send_pace.next_at ELSE $2 END) + $3
             WHERE send_pace.next_at <= $2 + $4
         RETURNING next_at",
    )
    .bind(key)
    .bind(millis(now))
    .bind(step)
    .bind(max_wait.num_milliseconds())
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(next) = taken {
        return Ok(Ok(from_millis(next - step).max(now)));
    }
    let next: Option<i64> = sqlx::query_scalar("SELECT next_at FROM send_pace WHERE pace_key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(Err(next.map_or(now, from_millis)))
}

/// Nobody sends under `key` before `until` (Telegram said retry after).
pub async fn hold(conn: &mut Conn, key: &str, until: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO send_pace (pace_key, next_at) VALUES ($1, $2)
         ON CONFLICT (pace_key) DO UPDATE
             SET next_at = CASE WHEN send_pace.next_at > $2 THEN send_pace.next_at ELSE $2 END",
    )
    .bind(key)
    .bind(millis(until))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Forgets chat turns that are long past, so the table stays the size of the recently active chats.
pub async fn prune(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM send_pace WHERE pace_key <> 'global' AND next_at < $1")
            .bind(millis(before))
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}
