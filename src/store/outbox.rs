//! The durable outbox: every message the bot sends is a row here first. Rows are claimed with a lease, so
//! a sender that dies mid-send leaves its rows to be claimed again once the lease runs out, and several
//! processes sharing one PostgreSQL database never claim the same row at once.

use super::{Backend, Conn, Db, Result, from_millis, millis};
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub chat_id: i64,
    pub payload: String,
    pub attempts: i64,
}

/// Adds a message to send; with a `dedup_key` only the first enqueue of that key ever counts (a reminder
/// is enqueued once per delivery and offset however often the scheduler runs). Returns the row id, or `None`
/// for a duplicate.
pub async fn enqueue(
    conn: &mut Conn,
    chat_id: i64,
    payload: &str,
    dedup_key: Option<&str>,
    not_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (dedup_key, chat_id, payload, status, attempts, not_before, created_at)
         VALUES ($1, $2, $3, 'pending', 0, $4, $5)
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
    )
    .bind(dedup_key)
    .bind(chat_id)
    .bind(payload)
    .bind(millis(not_before))
    .bind(millis(now))
    .fetch_optional(&mut *conn)
    .await?)
}

/// Adds many messages (no dedup key) a few hundred rows per statement: `(chat, payload, not before)`.
pub async fn enqueue_many(
    conn: &mut Conn,
    rows: &[(i64, String, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Result<()> {
    for chunk in rows.chunks(super::SET_ROWS) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let p = r * 4;
                format!(
                    "(NULL, ${}, ${}, 'pending', 0, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO outbox (dedup_key, chat_id, payload, status, attempts, not_before, created_at)
             VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (chat, payload, not_before) in chunk {
            q = q
                .bind(*chat)
                .bind(payload.as_str())
                .bind(millis(*not_before))
                .bind(millis(now));
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

const CLAIM_SQLITE: &str = "UPDATE outbox SET status = 'sending', lease_until = $2
    WHERE id IN (SELECT id FROM outbox
                 WHERE (status = 'pending' AND not_before <= $1) OR (status = 'sending' AND lease_until < $4)
                 ORDER BY id LIMIT $3)
    RETURNING id, chat_id, payload, attempts";

const CLAIM_POSTGRES: &str = "UPDATE outbox SET status = 'sending', lease_until = $2
    WHERE id IN (SELECT id FROM outbox
                 WHERE (status = 'pending' AND not_before <= $1) OR (status = 'sending' AND lease_until < $4)
                 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
    RETURNING id, chat_id, payload, attempts";

/// Claims up to `limit` rows, oldest first, for `lease`: those due by `due_by` (the pass's clock) and those
/// whose lease ran out by `now` (the machine's clock; a lease is real time even when a pass replays a day).
pub async fn claim(
    db: &Db,
    due_by: DateTime<Utc>,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Claimed>> {
    let sql = match db.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let mut conn = db.conn().await?;
    let rows = sqlx::query(sql)
        .bind(millis(due_by))
        .bind(millis(now + lease))
        .bind(limit)
        .bind(millis(now))
        .fetch_all(&mut *conn)
        .await?;
    let mut claimed = rows
        .iter()
        .map(|r| {
            Ok(Claimed {
                id: r.try_get(0)?,
                chat_id: r.try_get(1)?,
                payload: r.try_get(2)?,
                attempts: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

pub async fn mark_sent(
    conn: &mut Conn,
    id: i64,
    message_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $2, message_id = $3, lease_until = NULL, attempts = attempts + 1
         WHERE id = $1",
    )
    .bind(id)
    .bind(millis(now))
    .bind(message_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Puts a row back to be sent at `not_before`. `attempted` says whether Telegram was asked (and failed),
/// as opposed to the sender holding the row back for a rate limit.
pub async fn retry_at(
    conn: &mut Conn,
    id: i64,
    not_before: DateTime<Utc>,
    attempted: bool,
    error: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'pending', not_before = $2, lease_until = NULL,
             attempts = attempts + $3, last_error = COALESCE($4, last_error)
         WHERE id = $1",
    )
    .bind(id)
    .bind(millis(not_before))
    .bind(i64::from(attempted))
    .bind(error)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Gives up on a row for good, keeping the reason.
pub async fn fail(conn: &mut Conn, id: i64, error: &str, now: DateTime<Utc>) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $2, sent_at = $3, lease_until = NULL,
             attempts = attempts + 1
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// When the next row becomes due, so the sender can sleep until then.
pub async fn next_due(conn: &mut Conn) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(CASE WHEN status = 'pending' THEN not_before ELSE lease_until END) FROM outbox
         WHERE status IN ('pending', 'sending')",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(at.map(from_millis))
}

/// Counts of rows by status, for operators and tests.
pub async fn counts(conn: &mut Conn) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Telegram's id of the message sent under `dedup_key`, once it is sent.
pub async fn sent_message_id(conn: &mut Conn, dedup_key: &str) -> Result<Option<i64>> {
    let id: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT message_id FROM outbox WHERE dedup_key = $1 AND status = 'sent'",
    )
    .bind(dedup_key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.flatten())
}

/// When the next pending row becomes due (rows being sent elsewhere are not counted).
pub async fn next_pending(conn: &mut Conn) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT MIN(not_before) FROM outbox WHERE status = 'pending'")
            .fetch_one(&mut *conn)
            .await?;
    Ok(at.map(from_millis))
}
