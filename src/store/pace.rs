//! Turns to send, shared by every process on the database. Telegram's limits belong to the bot token, not
//! to a process: with a bot and two workers sending, each must take its turn from one place. A key
//! (`global`, `chat:<id>`) holds the earliest time its next message may go, in microseconds (a turn of the
//! global pace is a fraction of a millisecond more than 1/30 s); taking turns moves it on by the key's
//! interval in one statement, so two processes never take the same turn.

use super::{Conn, Result};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn from_micros(us: i64) -> DateTime<Utc> {
    Utc.timestamp_micros(us).single().unwrap_or_default()
}

fn span(d: Duration) -> i64 {
    d.num_microseconds().unwrap_or(i64::MAX / 4)
}

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
    Ok(take_many(conn, key, now, interval, 1, max_wait)
        .await?
        .map(|turns| turns.first().copied().unwrap_or(now)))
}

/// Takes the next `n` turns under `key` at once (one statement), if the first comes within `max_wait`:
/// `Ok(the n times)`, `Err(next)` as [`take`].
pub async fn take_many(
    conn: &mut Conn,
    key: &str,
    now: DateTime<Utc>,
    interval: Duration,
    n: usize,
    max_wait: Duration,
) -> Result<std::result::Result<Vec<DateTime<Utc>>, DateTime<Utc>>> {
    let step = span(interval);
    let n = i64::try_from(n.max(1)).unwrap_or(1);
    let taken: Option<i64> = sqlx::query_scalar(
        "INSERT INTO send_pace (pace_key, next_at) VALUES ($1, $2 + $3)
         ON CONFLICT (pace_key) DO UPDATE
             SET next_at = (CASE WHEN send_pace.next_at > $2 THEN send_pace.next_at ELSE $2 END) + $3
             WHERE send_pace.next_at <= $2 + $4
         RETURNING next_at",
    )
    .bind(key)
    .bind(micros(now))
    .bind(step * n)
    .bind(span(max_wait))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(next) = taken {
        let first = next - step * n;
        return Ok(Ok((0..n)
            .map(|k| from_micros(first + step * k).max(now))
            .collect()));
    }
    let next: Option<i64> = sqlx::query_scalar("SELECT next_at FROM send_pace WHERE pace_key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(Err(next.map_or(now, from_micros)))
}

/// Nobody sends under `key` before `until` (Telegram said retry after).
pub async fn hold(conn: &mut Conn, key: &str, until: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO send_pace (pace_key, next_at) VALUES ($1, $2)
         ON CONFLICT (pace_key) DO UPDATE
             SET next_at = CASE WHEN send_pace.next_at > $2 THEN send_pace.next_at ELSE $2 END",
    )
    .bind(key)
    .bind(micros(until))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Forgets chat turns that are long past, so the table stays the size of the recently active chats.
pub async fn prune(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM send_pace WHERE pace_key <> 'global' AND next_at < $1")
            .bind(micros(before))
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}
