//! The durable inbox: updates are stored before Telegram is told they arrived (by asking for the next
//! offset, or by answering the webhook's request), and handled from here, so a crash or restart loses none.
//!
//! Any number of processes handle them: each claims chats ([`claim_chats`]) for a lease and handles a
//! claimed chat's updates in order, one at a time; an update is taken ([`take`]) by the transaction that
//! handles it, so two processes never both handle one.

use super::rows::{self, Rows, Type, Value};
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

/// Stores many updates in few statements (`(update_id, chat, payload)`), each once: what the webhook's
/// requests of one moment bring, committed together.
pub async fn store_many(
    conn: &mut Conn,
    updates: &[(i64, Option<i64>, &str)],
    now: DateTime<Utc>,
) -> Result<()> {
    let backend = rows::backend_of(conn);
    for chunk in updates.chunks(rows::per_statement(backend)) {
        let mut set = Rows::new(UPDATE);
        for (id, chat, payload) in chunk {
            set.push([Value::from(*id), Value::from(*chat), Value::from(*payload)]);
        }
        // `WHERE true`: SQLite would read `ON CONFLICT` after a bare `FROM` as a join's `ON`.
        let sql = format!(
            "INSERT INTO inbox (update_id, chat_id, payload, received_at)
             SELECT u.update_id, u.chat_id, u.payload, $1 FROM {} WHERE true
             ON CONFLICT (update_id) DO NOTHING",
            set.table(backend, "u", 2)
        );
        let args = rows::arguments(backend, [Value::from(millis(now))], set)?;
        sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The columns of an update as [`store_many`] hands them over.
const UPDATE: &[(&str, Type)] = &[
    ("update_id", Type::Int),
    ("chat_id", Type::Int),
    ("payload", Type::Text),
];

/// The offset to ask getUpdates for: one past the newest stored update.
pub async fn next_offset(conn: &mut Conn) -> Result<Option<i64>> {
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(update_id) FROM inbox")
        .fetch_one(&mut *conn)
        .await?;
    Ok(max.map(|m| m + 1))
}

/// Claims up to `limit` chats that have unhandled updates and that nobody holds (or whose holder's lease
/// has ended) for `owner` until `until`, the chats with the oldest updates first; returns them (0 stands
/// for updates without a chat). One statement: of two processes claiming at once, each chat goes to one.
/// It looks at the oldest 1,000 unhandled updates only, so that a backlog does not make every claim a scan.
pub async fn claim_chats(
    conn: &mut Conn,
    owner: &str,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<i64>> {
    let chats: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO inbox_claims (chat_id, owner, lease_until)
         SELECT p.chat, $1, $2 FROM (
             SELECT COALESCE(o.chat_id, 0) AS chat, MIN(o.update_id) AS first FROM (
                 SELECT chat_id, update_id FROM inbox WHERE processed_at IS NULL
                 ORDER BY update_id LIMIT 1000) o
             GROUP BY COALESCE(o.chat_id, 0)) p
         WHERE NOT EXISTS (SELECT 1 FROM inbox_claims c WHERE c.chat_id = p.chat AND c.lease_until >= $3)
         ORDER BY p.first
         LIMIT $4
         ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
         WHERE inbox_claims.lease_until < $3
         RETURNING chat_id",
    )
    .bind(owner)
    .bind(millis(until))
    .bind(millis(now))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(chats)
}

/// Claims one chat for `owner` until `until`, unless another process holds it.
pub async fn claim_chat(
    conn: &mut Conn,
    chat: i64,
    owner: &str,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let claimed: Option<i64> = sqlx::query_scalar(
        "INSERT INTO inbox_claims (chat_id, owner, lease_until) VALUES ($1, $2, $3)
         ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
         WHERE inbox_claims.lease_until < $4
         RETURNING chat_id",
    )
    .bind(chat)
    .bind(owner)
    .bind(millis(until))
    .bind(millis(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(claimed.is_some())
}

/// Extends `owner`'s claim on a chat to `until`; false when it no longer holds it (its lease ended and
/// another process took the chat).
pub async fn renew_claim(
    conn: &mut Conn,
    chat: i64,
    owner: &str,
    until: DateTime<Utc>,
) -> Result<bool> {
    let n =
        sqlx::query("UPDATE inbox_claims SET lease_until = $3 WHERE chat_id = $1 AND owner = $2")
            .bind(chat)
            .bind(owner)
            .bind(millis(until))
            .execute(&mut *conn)
            .await?
            .rows_affected();
    Ok(n == 1)
}

/// Gives a chat up, if `owner` still holds it.
pub async fn release_claim(conn: &mut Conn, chat: i64, owner: &str) -> Result<()> {
    sqlx::query("DELETE FROM inbox_claims WHERE chat_id = $1 AND owner = $2")
        .bind(chat)
        .bind(owner)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A chat's unhandled updates, oldest first (`chat` 0: the updates without a chat).
pub async fn pending_of_chat(conn: &mut Conn, chat: i64, limit: i64) -> Result<Vec<Pending>> {
    let sql = if chat == 0 {
        "SELECT update_id, chat_id, payload, attempts FROM inbox
         WHERE chat_id IS NULL AND processed_at IS NULL AND $1 = 0 ORDER BY update_id LIMIT $2"
    } else {
        "SELECT update_id, chat_id, payload, attempts FROM inbox
         WHERE chat_id = $1 AND processed_at IS NULL ORDER BY update_id LIMIT $2"
    };
    let rows = sqlx::query(sql)
        .bind(chat)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(read_pending).collect()
}

/// Takes an update for the transaction that handles it: marks it handled, if nobody has. On PostgreSQL a
/// second process taking the same update waits for the first transaction and then finds it taken; if the
/// first rolls back (or its process dies), the update is unhandled again.
pub async fn take(conn: &mut Conn, update_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE inbox SET processed_at = $2, error = NULL WHERE update_id = $1 AND processed_at IS NULL",
    )
    .bind(update_id)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

fn read_pending(r: &sqlx::any::AnyRow) -> Result<Pending> {
    Ok(Pending {
        update_id: r.try_get(0)?,
        chat_id: r.try_get(1)?,
        payload: r.try_get(2)?,
        attempts: r.try_get(3)?,
    })
}

/// Unhandled updates, oldest first.
pub async fn pending(conn: &mut Conn, limit: i64) -> Result<Vec<Pending>> {
    let rows = sqlx::query(
        "SELECT update_id, chat_id, payload, attempts FROM inbox WHERE processed_at IS NULL ORDER BY update_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(read_pending).collect()
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
