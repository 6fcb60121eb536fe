//! The durable outbox: every message the bot sends is a row here first. Rows are claimed with a lease, so
//! a sender that dies mid-send leaves its rows to be claimed again once the lease runs out, and several
//! processes sharing one PostgreSQL database never claim the same row at once.
//!
//! Rows go out by [`Lane`] first (a person's answer before a notice before a batch), then by round within
//! the lane (each chat's next message is one round after its previous one, so chats take turns), then by
//! age. A row waits while an earlier row of its chat in the same lane is still pending, so one chat's
//! messages of a lane go in the order they were written (a row being sent does not hold the next one: a
//! sender that died mid-send would hold the chat until its lease ran out; the chat's pace keeps them apart).

use super::rows::{self, Rows, Type, Value};
use super::{Backend, Conn, Db, Result, from_millis, millis};
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

/// How urgent a message is: the sender claims every due row of a lower lane before any of a higher one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lane {
    /// Answers a person's own action: the reply to a message or a button, an edited message, the next step
    /// of a dialogue. The person is waiting for it.
    Reply = 0,
    /// Tells a person something that happened to them: an approval, an offer, a case, a photo received.
    Notice = 1,
    /// Batches: reminders, digests, monthly notes, report files, menus.
    Batch = 2,
}

impl Lane {
    pub const ALL: [Lane; 3] = [Lane::Reply, Lane::Notice, Lane::Batch];

    pub fn number(self) -> i64 {
        self as i64
    }

    pub fn from_number(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.number() == n)
    }
}

#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub chat_id: i64,
    pub payload: String,
    pub attempts: i64,
    pub lane: Lane,
}

/// A message to write to the outbox: its chat, its payload, whether it is paced, and when it may go.
#[derive(Debug, Clone)]
pub struct Queued {
    pub chat_id: i64,
    pub payload: String,
    /// A new message, which Telegram's sending limits count: it waits for its turn. An edit or a menu goes
    /// unpaced, and the sender keeps such requests from taking every slot (see [`claim`]).
    pub paced: bool,
    pub not_before: DateTime<Utc>,
}

/// Adds a message to send; with a `dedup_key` only the first enqueue of that key ever counts (a reminder
/// is enqueued once per delivery and offset however often the scheduler runs). Returns the row id, or `None`
/// for a duplicate. The row joins its lane's current round, or the round after the chat's last open row
/// in that lane.
pub async fn enqueue(
    conn: &mut Conn,
    lane: Lane,
    message: &Queued,
    dedup_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (dedup_key, chat_id, payload, status, attempts, not_before, created_at, lane, turn, paced)
         VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, COALESCE(
             (SELECT turn + 1 FROM outbox WHERE chat_id = $2 AND lane = $6 AND status IN ('pending', 'sending')
              ORDER BY id DESC LIMIT 1),
             (SELECT MIN(turn) FROM outbox WHERE lane = $6 AND status = 'pending'),
             0), $7)
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
    )
    .bind(dedup_key)
    .bind(message.chat_id)
    .bind(&message.payload)
    .bind(millis(message.not_before))
    .bind(millis(now))
    .bind(lane.number())
    .bind(i64::from(message.paced))
    .fetch_optional(&mut *conn)
    .await?)
}

/// Adds many messages of one lane (no dedup key) a few hundred rows per statement. Each row takes its round
/// as [`enqueue`] does (rows of one chat in one statement share one).
pub async fn enqueue_many(
    conn: &mut Conn,
    lane: Lane,
    messages: &[Queued],
    now: DateTime<Utc>,
) -> Result<()> {
    let backend = rows::backend_of(conn);
    let lane = lane.number();
    for chunk in messages.chunks(rows::per_statement(backend)) {
        let mut set = Rows::new(MESSAGE);
        for m in chunk {
            set.push([
                Value::from(m.chat_id),
                Value::from(m.payload.as_str()),
                Value::from(millis(m.not_before)),
                Value::from(i64::from(m.paced)),
            ]);
        }
        let sql = format!(
            "INSERT INTO outbox (dedup_key, chat_id, payload, status, attempts, not_before, created_at, lane, turn, paced)
             SELECT NULL, m.chat_id, m.payload, 'pending', 0, m.not_before, $1, {lane}, COALESCE(
                 (SELECT o.turn + 1 FROM outbox o WHERE o.chat_id = m.chat_id AND o.lane = {lane}
                      AND o.status IN ('pending', 'sending') ORDER BY o.id DESC LIMIT 1),
                 (SELECT MIN(o.turn) FROM outbox o WHERE o.lane = {lane} AND o.status = 'pending'),
                 0), m.paced
             FROM {}",
            set.table(backend, "m", 2)
        );
        let args = rows::arguments(backend, [Value::from(millis(now))], set)?;
        sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The columns of a message as [`enqueue_many`] hands them over.
const MESSAGE: &[(&str, Type)] = &[
    ("chat_id", Type::Int),
    ("payload", Type::Text),
    ("not_before", Type::Int),
    ("paced", Type::Int),
];

/// Claims the due rows in claim order, each the first pending row of its chat in its lane. SQLite is told to
/// walk the pending rows in claim order (`outbox_lane_ready`) and stop at the limit, where it would otherwise
/// sort every pending row first; the earlier-row check repeats the condition of `outbox_chat_open` word for
/// word so that its planner may use that partial index (without it, each candidate scanned every pending row
/// of its lane, and a claim among 20,000 queued rows took 50 s).
const CLAIM_SQLITE: &str = "UPDATE outbox SET status = 'sending', lease_until = $2
     WHERE id IN (SELECT o.id FROM outbox o INDEXED BY outbox_lane_ready
         WHERE o.status = 'pending' AND o.not_before <= $1
           AND NOT EXISTS (SELECT 1 FROM outbox e
                           WHERE e.chat_id = o.chat_id AND e.lane = o.lane AND e.id < o.id
                             AND e.status IN ('pending', 'sending') AND e.status = 'pending')
           AND o.paced >= $4
         ORDER BY o.lane, o.turn, o.id LIMIT $3)
     RETURNING id, chat_id, payload, attempts, lane, turn";
/// PostgreSQL (skipping rows another process is claiming) asks for each candidate's chat's first pending row by `outbox_chat_open`, one probe per
/// candidate, in a subquery it cannot turn into a join: written as `NOT EXISTS`, the planner, misled by
/// statistics of a queue that grew within seconds, joined each candidate with every earlier pending row of
/// its lane (a claim among 5,000 queued replies took 0.9–1.3 s and most of the database's CPU).
const CLAIM_POSTGRES: &str = "UPDATE outbox SET status = 'sending', lease_until = $2
     WHERE id IN (SELECT o.id FROM outbox o
         WHERE o.status = 'pending' AND o.not_before <= $1
           AND o.id = (SELECT e.id FROM outbox e
                       WHERE e.chat_id = o.chat_id AND e.lane = o.lane AND e.status = 'pending'
                       ORDER BY e.id LIMIT 1)
           AND o.paced >= $4
         ORDER BY o.lane, o.turn, o.id LIMIT $3 FOR UPDATE OF o SKIP LOCKED)
     RETURNING id, chat_id, payload, attempts, lane, turn";

/// Claims up to `limit` rows in lane and round order for `lease`: those due by `due_by` (the pass's clock),
/// only paced ones when `paced_only` (the sender's slots for unpaced requests are taken: a burst of edits
/// must not hold back the new messages queued behind it; a chat whose first row is an edit still waits for
/// it). Rows whose lease ran out by `now` (the machine's clock; a lease is real time even when a pass
/// replays a day) are first put back where they were, so they are claimed again in their turn.
pub async fn claim(
    db: &Db,
    due_by: DateTime<Utc>,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
    paced_only: bool,
) -> Result<Vec<Claimed>> {
    let mut conn = db.conn().await?;
    sqlx::query(
        "UPDATE outbox SET status = 'pending', lease_until = NULL
         WHERE status = 'sending' AND lease_until < $1",
    )
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    let sql = match db.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let rows = sqlx::query(sql)
        .bind(millis(due_by))
        .bind(millis(now + lease))
        .bind(limit)
        .bind(i64::from(paced_only))
        .fetch_all(&mut *conn)
        .await?;
    let mut claimed = rows
        .iter()
        .map(|r| {
            let lane: i64 = r.try_get(4)?;
            let turn: i64 = r.try_get(5)?;
            Ok((
                turn,
                Claimed {
                    id: r.try_get(0)?,
                    chat_id: r.try_get(1)?,
                    payload: r.try_get(2)?,
                    attempts: r.try_get(3)?,
                    lane: Lane::from_number(lane)
                        .ok_or_else(|| super::StoreError::Corrupt(format!("outbox lane {lane}")))?,
                },
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    claimed.sort_by_key(|(turn, c)| (c.lane, *turn, c.id));
    Ok(claimed.into_iter().map(|(_, c)| c).collect())
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

/// Brings PostgreSQL's statistics of the outbox up to date, for after a pass that queued many rows. With
/// statistics from before (a morning's reminders: 428,572 rows queued where ~9,500 were estimated), each claim
/// of a few rows read every pending row and sorted them, 1.4 s a claim, instead of walking `outbox_lane_ready`
/// in order, until autovacuum got to the table about a minute later. SQLite's claim names its index and has
/// nothing to refresh.
pub async fn refresh_statistics(db: &Db) -> Result<()> {
    if db.backend() == Backend::Postgres {
        sqlx::query("ANALYZE outbox")
            .execute(&mut *db.conn().await?)
            .await?;
    }
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
