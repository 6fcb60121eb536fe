//! The durable inbox: updates are stored before Telegram is told they arrived (by asking for the next
//! offset), and handled from here, so a crash or restart loses none.

use super::{Conn, Result, millis};
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Pending {
    pub update_id: i64,
    pub chat_id: Option<i64>,
    pub payload: String,
    pub attempts: i64,
}

/// Stores an update once; a repeat (Telegram resending after a crash) is ignored.
pub async fn store(
    conn: &mut Conn,
    update_id: i64,
    chat_id: Option<i64>,
    payload: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (update_id) DO NOTHING",
    )
    .bind(update_id)
    .bind(chat_id)
    .bind(payload)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The offset to ask getUpdates for: one past the newest stored update.
pub async fn next_offset(conn: &mut Conn) -> Result<Option<i64>> {
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(update_id) FROM inbox")
        .fetch_one(&mut *conn)
        .await?;
    Ok(max.map(|m| m + 1))
}

/// Unhandled updates, oldest first.
pub async fn pending(conn: &mut Conn, limit: i64) -> Result<Vec<Pending>> {
    let rows = sqlx::query(
        "SELECT update_id, chat_id, payload, attempts FROM inbox WHERE processed_at IS NULL ORDER BY update_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Pending {
                update_id: r.try_get(0)?,
                chat_id: r.try_get(1)?,
                payload: r.try_get(2)?,
                attempts: r.try_get(3)?,
            })
        })
        .collect()
}

pub async fn mark_processed(
    conn: &mut Conn,
    update_id: i64,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE inbox SET processed_at = $2, error = $3 WHERE update_id = $1")
        .bind(update_id)
        .bind(millis(now))
        .bind(error)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The chat a stored update came from, if it had one.
pub async fn chat_of(conn: &mut Conn, update_id: i64) -> Result<Option<i64>> {
    let chat: Option<Option<i64>> =
        sqlx::query_scalar("SELECT chat_id FROM inbox WHERE update_id = $1")
            .bind(update_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(chat.flatten())
}

/// A handling attempt failed (database trouble, a bug): count it, keep the update for another try.
pub async fn record_failure(conn: &mut Conn, update_id: i64, error: &str) -> Result<i64> {
    let attempts: i64 =
        sqlx::query_scalar("UPDATE inbox SET attempts = attempts + 1, error = $2 WHERE update_id = $1 RETURNING attempts")
            .bind(update_id)
            .bind(error)
            .fetch_one(&mut *conn)
            .await?;
    Ok(attempts)
}

/// What [`prune`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    /// Handled updates deleted.
    pub deleted: u64,
    /// Handled updates kept (the newest, as the polling offset) with their content blanked.
    pub blanked: u64,
}

/// Forgets handled updates handled before `before`: deletes them, except the newest update, which stays as
/// the polling offset ([`next_offset`]) with its payload replaced by `{}` and its error cleared, so that
/// nobody's phone number, place or words outlive the retention. Unhandled updates are never touched.
pub async fn prune(conn: &mut Conn, before: DateTime<Utc>) -> Result<Pruned> {
    let deleted = sqlx::query(
        "DELETE FROM inbox WHERE processed_at IS NOT NULL AND processed_at < $1
         AND update_id < (SELECT MAX(update_id) FROM inbox)",
    )
    .bind(millis(before))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let blanked = sqlx::query(
        "UPDATE inbox SET payload = '{}', error = NULL
         WHERE processed_at IS NOT NULL AND processed_at < $1 AND (payload <> '{}' OR error IS NOT NULL)",
    )
    .bind(millis(before))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(Pruned { deleted, blanked })
}
