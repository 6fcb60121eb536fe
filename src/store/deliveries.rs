//! Dated deliveries of each sponsorship, with their next reminder (a row of `delivery_reminders` while one
//! is left: the reminder pass moves reminders without rewriting deliveries). Every change is conditional on
//! the state it was decided from, so two processes doing the same pass never both act on one row.

use super::rows::{self, Rows, Type, Value};
use super::{Backend, Conn, Result, StoreError, from_millis, millis};
pub use crate::domain::DeliveryId;
use crate::domain::child::ChildId;
use crate::domain::delivery::{Deliverer, DeliveryStatus};
use crate::domain::sponsorship::SponsorshipId;
use crate::domain::{RegionCode, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub sponsorship: SponsorshipId,
    pub child: ChildId,
    pub sponsor: UserId,
    pub slot: NaiveDate,
    pub due_on: NaiveDate,
    /// When its day begins: local midnight of `due_on` in the zone of the child's region.
    pub due_at: DateTime<Utc>,
    pub package: i64,
    pub deliverer: Deliverer,
    /// As the last pass or person left it; where an open delivery stands now is [`Delivery::standing`].
    pub status: DeliveryStatus,
    pub next_step: Option<String>,
    pub next_reminder_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub rescheduled: bool,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_by: Option<UserId>,
}

const COLUMNS: &str =
    "d.id, d.sponsorship_id, d.child_id, d.sponsor_id, d.slot, d.due_on, d.due_at, d.package_id,
    d.deliverer, d.status, r.step AS next_step, r.next_at AS next_reminder_at, d.reason, d.rescheduled,
    d.confirmed_at, d.confirmed_by";

/// Deliveries `d` with their reminder `r`, if one is left: what [`COLUMNS`] reads from.
const WITH_REMINDER: &str = "deliveries d LEFT JOIN delivery_reminders r ON r.delivery_id = d.id";

/// A stored date, `YYYY-MM-DD` (read digit by digit: reports read it for every delivery of a quarter, and
/// chrono's format parser cost more than the rest of the row).
pub fn date(s: &str) -> Result<NaiveDate> {
    let number = |b: &[u8]| {
        b.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = match s.as_bytes() {
        b @ [_, _, _, _, b'-', _, _, b'-', _, _] => {
            match (number(&b[0..4]), number(&b[5..7]), number(&b[8..10])) {
                (Some(y), Some(m), Some(d)) => i32::try_from(y)
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
                _ => None,
            }
        }
        _ => None,
    };
    parsed.ok_or_else(|| StoreError::Corrupt(format!("date {s}")))
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Delivery {
    /// Where the delivery stands at `now`: what the calendar puts it at while it is open (due, overdue),
    /// else as stored. Every screen that shows a delivery's status asks this.
    pub fn standing(&self, now: DateTime<Utc>, missed_after: chrono::Duration) -> DeliveryStatus {
        self.status.by_calendar(self.due_at, now, missed_after)
    }
}

fn delivery(r: &AnyRow) -> Result<Delivery> {
    let status: String = r.try_get("status")?;
    let deliverer: String = r.try_get("deliverer")?;
    Ok(Delivery {
        id: DeliveryId(r.try_get("id")?),
        sponsorship: SponsorshipId(r.try_get("sponsorship_id")?),
        child: ChildId(r.try_get("child_id")?),
        sponsor: UserId(r.try_get("sponsor_id")?),
        slot: date(&r.try_get::<String, _>("slot")?)?,
        due_on: date(&r.try_get::<String, _>("due_on")?)?,
        due_at: from_millis(r.try_get("due_at")?),
        package: r.try_get("package_id")?,
        deliverer: Deliverer::parse(&deliverer)
            .ok_or_else(|| StoreError::Corrupt(format!("deliverer {deliverer}")))?,
        status: DeliveryStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("delivery status {status}")))?,
        next_step: r.try_get("next_step")?,
        next_reminder_at: r
            .try_get::<Option<i64>, _>("next_reminder_at")?
            .map(from_millis),
        reason: r.try_get("reason")?,
        rescheduled: r.try_get::<i64, _>("rescheduled")? != 0,
        confirmed_at: r
            .try_get::<Option<i64>, _>("confirmed_at")?
            .map(from_millis),
        confirmed_by: r.try_get::<Option<i64>, _>("confirmed_by")?.map(UserId),
    })
}

pub struct NewDelivery {
    pub sponsorship: SponsorshipId,
    pub child: ChildId,
    pub sponsor: UserId,
    pub slot: NaiveDate,
    pub due_at: DateTime<Utc>,
    pub package: i64,
    pub deliverer: Deliverer,
    pub next_step: Option<String>,
    pub next_reminder_at: Option<DateTime<Utc>>,
}

/// Adds scheduled deliveries on their slots, a few hundred rows per statement; a slot that has a live
/// delivery already is left alone (also when another process plans the same sponsorship at once). Returns
/// how many were added.
pub async fn insert_many(
    conn: &mut Conn,
    rows: &[NewDelivery],
    now: DateTime<Utc>,
) -> Result<usize> {
    let backend = rows::backend_of(conn);
    let mut added = 0;
    for chunk in rows.chunks(rows::per_statement(backend)) {
        let mut set = Rows::new(NEW_DELIVERY);
        for d in chunk {
            set.push([
                Value::from(d.sponsorship.0),
                Value::from(d.child.0),
                Value::from(d.sponsor.0),
                Value::from(date_text(d.slot)),
                Value::from(millis(d.due_at)),
                Value::from(d.package),
                Value::from(d.deliverer.as_str()),
            ]);
        }
        // `WHERE true`: SQLite would read `ON CONFLICT` after a bare `FROM` as a join's `ON`.
        let sql = format!(
            "INSERT INTO deliveries (sponsorship_id, child_id, sponsor_id, slot, due_on, due_at, package_id,
                 deliverer, status, created_at, updated_at)
             SELECT n.sponsorship_id, n.child_id, n.sponsor_id, n.slot, n.slot, n.due_at, n.package_id,
                 n.deliverer, 'scheduled', $1, $1
             FROM {} WHERE true
             ON CONFLICT (sponsorship_id, slot) WHERE status <> 'cancelled' DO NOTHING
             RETURNING id, sponsorship_id, slot",
            set.table(backend, "n", 2)
        );
        let args = rows::arguments(backend, [Value::from(millis(now))], set)?;
        let inserted = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
            .fetch_all(&mut *conn)
            .await?;
        added += inserted.len();
        // The first reminder of each delivery added (a slot that had a live delivery keeps what it had).
        let firsts: HashMap<(i64, NaiveDate), (&str, DateTime<Utc>)> = chunk
            .iter()
            .filter_map(|d| {
                let first = (d.next_step.as_deref()?, d.next_reminder_at?);
                Some(((d.sponsorship.0, d.slot), first))
            })
            .collect();
        let mut reminders = Rows::new(REMINDER);
        for r in &inserted {
            let key = (r.try_get::<i64, _>(1)?, date(&r.try_get::<String, _>(2)?)?);
            if let Some((step, at)) = firsts.get(&key) {
                reminders.push([
                    Value::from(r.try_get::<i64, _>(0)?),
                    Value::from(*step),
                    Value::from(millis(*at)),
                ]);
            }
        }
        if !reminders.is_empty() {
            let sql = format!(
                "INSERT INTO delivery_reminders (delivery_id, step, next_at)
                 SELECT v.delivery_id, v.step, v.next_at FROM {}",
                reminders.table(backend, "v", 1)
            );
            let args = rows::arguments(backend, [], reminders)?;
            sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(added)
}

/// The columns of a reminder as [`insert_many`] hands them over.
const REMINDER: &[(&str, Type)] = &[
    ("delivery_id", Type::Int),
    ("step", Type::Text),
    ("next_at", Type::Int),
];

/// The columns of a new delivery as [`insert_many`] hands them over.
const NEW_DELIVERY: &[(&str, Type)] = &[
    ("sponsorship_id", Type::Int),
    ("child_id", Type::Int),
    ("sponsor_id", Type::Int),
    ("slot", Type::Text),
    ("due_at", Type::Int),
    ("package_id", Type::Int),
    ("deliverer", Type::Text),
];

pub async fn get(conn: &mut Conn, id: DeliveryId) -> Result<Option<Delivery>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {WITH_REMINDER} WHERE d.id = $1"
    )))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(delivery).transpose()
}

/// All deliveries of a sponsorship, by due date.
pub async fn of_sponsorship(conn: &mut Conn, s: SponsorshipId) -> Result<Vec<Delivery>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {WITH_REMINDER} WHERE d.sponsorship_id = $1 ORDER BY d.due_at, d.id"
    )))
    .bind(s.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(delivery).collect()
}

/// Open deliveries of a sponsor (or of everyone serving as deliverer for them), soonest first.
pub async fn open_of_sponsor(
    conn: &mut Conn,
    sponsor: UserId,
    limit: i64,
) -> Result<Vec<Delivery>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {WITH_REMINDER} WHERE d.sponsor_id = $1
             AND d.status IN ('scheduled', 'due', 'overdue')
         ORDER BY d.due_at, d.id LIMIT $2"
    )))
    .bind(sponsor.0)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(delivery).collect()
}

/// The soonest open delivery of a sponsorship.
pub async fn next_open(conn: &mut Conn, s: SponsorshipId) -> Result<Option<Delivery>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {WITH_REMINDER} WHERE d.sponsorship_id = $1
             AND d.status IN ('scheduled', 'due', 'overdue')
         ORDER BY d.due_at, d.id LIMIT 1"
    )))
    .bind(s.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(delivery).transpose()
}

/// The next live delivery of the same sponsorship after `due_on` (a reschedule must stay before it).
pub async fn next_after(
    conn: &mut Conn,
    s: SponsorshipId,
    id: DeliveryId,
    slot: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let next: Option<String> = sqlx::query_scalar(
        "SELECT MIN(due_on) FROM deliveries WHERE sponsorship_id = $1 AND id <> $2 AND slot > $3
             AND status NOT IN ('cancelled', 'skipped')",
    )
    .bind(s.0)
    .bind(id.0)
    .bind(date_text(slot))
    .fetch_one(&mut *conn)
    .await?;
    next.as_deref().map(date).transpose()
}

/// Moves an open delivery to another day, with the reminder that now comes next.
#[allow(clippy::too_many_arguments)]
pub async fn reschedule(
    conn: &mut Conn,
    id: DeliveryId,
    from: DeliveryStatus,
    due_on: NaiveDate,
    due_at: DateTime<Utc>,
    next_step: Option<&str>,
    next_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE deliveries SET due_on = $3, due_at = $4, status = 'scheduled', rescheduled = 1, updated_at = $5
         WHERE id = $1 AND status = $2",
    )
    .bind(id.0)
    .bind(from.as_str())
    .bind(date_text(due_on))
    .bind(millis(due_at))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    match (next_step, next_at) {
        (Some(step), Some(at)) => {
            sqlx::query(
                "INSERT INTO delivery_reminders (delivery_id, step, next_at) VALUES ($1, $2, $3)
                 ON CONFLICT (delivery_id) DO UPDATE SET step = excluded.step, next_at = excluded.next_at",
            )
            .bind(id.0)
            .bind(step)
            .bind(millis(at))
            .execute(&mut *conn)
            .await?;
        }
        _ => forget_reminder(conn, id).await?,
    }
    Ok(true)
}

/// A delivery has no reminder left.
async fn forget_reminder(conn: &mut Conn, id: DeliveryId) -> Result<()> {
    sqlx::query("DELETE FROM delivery_reminders WHERE delivery_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends an open delivery in `to` (skipped, cancelled, confirmed): no reminder is left.
pub async fn close(
    conn: &mut Conn,
    id: DeliveryId,
    from: DeliveryStatus,
    to: DeliveryStatus,
    reason: Option<&str>,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let confirmed = to == DeliveryStatus::Confirmed;
    let done = sqlx::query(
        "UPDATE deliveries SET status = $3, reason = COALESCE($4, reason), updated_at = $5,
             confirmed_at = CASE WHEN $6 = 1 THEN $5 ELSE confirmed_at END,
             confirmed_by = CASE WHEN $6 = 1 THEN $7 ELSE confirmed_by END
         WHERE id = $1 AND status = $2",
    )
    .bind(id.0)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(reason)
    .bind(millis(now))
    .bind(i64::from(confirmed))
    .bind(by.map(|u| u.0))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    forget_reminder(conn, id).await?;
    Ok(true)
}

/// Cancels every open delivery of a sponsorship (it ended or moved on).
pub async fn cancel_open(
    conn: &mut Conn,
    s: SponsorshipId,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    sqlx::query(
        "DELETE FROM delivery_reminders WHERE delivery_id IN
             (SELECT id FROM deliveries WHERE sponsorship_id = $1 AND status IN ('scheduled', 'due', 'overdue'))",
    )
    .bind(s.0)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "UPDATE deliveries SET status = 'cancelled', reason = $2, updated_at = $3
         WHERE sponsorship_id = $1 AND status IN ('scheduled', 'due', 'overdue')",
    )
    .bind(s.0)
    .bind(reason)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Moves open deliveries along the calendar where it counts over days: overdue the day after their day,
/// missed (no reminder left) `missed_after` after it. Set-based, so a pass costs three statements however
/// many rows change.
///
/// "Due" (its day has begun) is not written: it is where the calendar puts an open delivery that day, and
/// every reader asks `DeliveryStatus::by_calendar` (see [`Delivery::standing`]), which moves a stored status
/// on but never back. Writing it rewrote each of a day's deliveries with all its index entries (status is
/// indexed): 12 s of a national programme's morning pass.
pub async fn advance_calendar(
    conn: &mut Conn,
    now: DateTime<Utc>,
    missed_after: chrono::Duration,
) -> Result<u64> {
    let now_ms = millis(now);
    let missed_by = now_ms - missed_after.num_milliseconds();
    // What is missed now has no reminder left.
    sqlx::query(
        "DELETE FROM delivery_reminders WHERE delivery_id IN
             (SELECT id FROM deliveries WHERE status IN ('scheduled', 'due', 'overdue') AND due_at <= $1)",
    )
    .bind(missed_by)
    .execute(&mut *conn)
    .await?;
    let mut changed = 0;
    for (sql, since) in [
        (
            "UPDATE deliveries SET status = 'missed', updated_at = $2
             WHERE status IN ('scheduled', 'due', 'overdue') AND due_at <= $1",
            missed_by,
        ),
        (
            "UPDATE deliveries SET status = 'overdue', updated_at = $2
             WHERE status IN ('scheduled', 'due') AND due_at <= $1",
            now_ms - chrono::Duration::days(1).num_milliseconds(),
        ),
    ] {
        changed += sqlx::query(sql)
            .bind(since)
            .bind(now_ms)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(changed)
}

/// A delivery whose reminder is due, with what the message needs.
#[derive(Debug, Clone)]
pub struct DueReminder {
    pub delivery: Delivery,
    pub child_name: String,
    pub kecamatan: String,
    pub village: Option<String>,
}

const DUE_SQLITE: &str = "SELECT {COLUMNS}, c.full_name, c.kecamatan_code, c.village_code
    FROM delivery_reminders r JOIN deliveries d ON d.id = r.delivery_id JOIN children c ON c.id = d.child_id
    WHERE r.next_at <= $1
    ORDER BY r.next_at LIMIT $2";

const DUE_POSTGRES: &str = "SELECT {COLUMNS}, c.full_name, c.kecamatan_code, c.village_code
    FROM delivery_reminders r JOIN deliveries d ON d.id = r.delivery_id JOIN children c ON c.id = d.child_id
    WHERE r.next_at <= $1
    ORDER BY r.next_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED";

/// Deliveries whose next reminder is due at `now`, oldest first (in the order of the `delivery_reminders_due`
/// index alone, so a batch reads its rows and stops: a tie-break by id would sort every due row for each
/// batch). Call inside a transaction: on PostgreSQL
/// the rows stay locked until it ends, and another process's pass skips them.
pub async fn due_reminders(
    conn: &mut Conn,
    backend: Backend,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueReminder>> {
    let sql = match backend {
        Backend::Sqlite => DUE_SQLITE,
        Backend::Postgres => DUE_POSTGRES,
    }
    .replace("{COLUMNS}", COLUMNS);
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(millis(now))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DueReminder {
                delivery: delivery(r)?,
                child_name: r.try_get("full_name")?,
                kecamatan: r.try_get("kecamatan_code")?,
                village: r.try_get("village_code")?,
            })
        })
        .collect()
}

/// One delivery's reminder moving on: from `step` to `next_step` at `next_at` (none: no more reminders).
#[derive(Debug, Clone)]
pub struct Advance {
    pub id: DeliveryId,
    pub step: String,
    pub next_step: Option<String>,
    pub next_at: Option<DateTime<Utc>>,
}

/// Records that each delivery's reminder `step` went out and which comes next, a few hundred deliveries per
/// statement. Returns the deliveries that moved
/// on (a delivery another pass advanced first, or whose step changed meanwhile, is left out).
pub async fn advance_reminders(conn: &mut Conn, moves: &[Advance]) -> Result<Vec<DeliveryId>> {
    let backend = rows::backend_of(conn);
    let mut advanced = Vec::with_capacity(moves.len());
    for chunk in moves.chunks(rows::per_statement(backend)) {
        // Those with a step to come move on; those without lose their reminder. Both only from the step
        // they were decided from.
        let (mut later, mut last) = (Rows::new(ADVANCE), Rows::new(ADVANCE));
        for m in chunk {
            let set = if m.next_at.is_some() {
                &mut later
            } else {
                &mut last
            };
            set.push([
                Value::from(m.id.0),
                Value::from(m.step.clone()),
                Value::from(m.next_step.clone()),
                Value::from(m.next_at.map(millis)),
            ]);
        }
        if !later.is_empty() {
            let sql = format!(
                "UPDATE delivery_reminders SET step = v.next_step, next_at = v.next_at
                 FROM {} WHERE delivery_reminders.delivery_id = v.id AND delivery_reminders.step = v.step
                 RETURNING delivery_reminders.delivery_id",
                later.table(backend, "v", 1)
            );
            let args = rows::arguments(backend, [], later)?;
            advanced.extend(ids(conn, sql, args).await?);
        }
        if !last.is_empty() {
            let sql = format!(
                "DELETE FROM delivery_reminders
                 WHERE (delivery_id, step) IN (SELECT v.id, v.step FROM {})
                 RETURNING delivery_id",
                last.table(backend, "v", 1)
            );
            let args = rows::arguments(backend, [], last)?;
            advanced.extend(ids(conn, sql, args).await?);
        }
    }
    Ok(advanced)
}

/// The delivery ids a statement returns.
async fn ids(
    conn: &mut Conn,
    sql: String,
    args: sqlx::any::AnyArguments,
) -> Result<Vec<DeliveryId>> {
    let ids = sqlx::query_scalar_with::<_, i64, _>(sqlx::AssertSqlSafe(sql), args)
        .fetch_all(&mut *conn)
        .await?;
    Ok(ids.into_iter().map(DeliveryId).collect())
}

/// The columns of a reminder's move as [`advance_reminders`] hands them over.
const ADVANCE: &[(&str, Type)] = &[
    ("id", Type::Int),
    ("step", Type::Text),
    ("next_step", Type::Text),
    ("next_at", Type::Int),
];

/// When the earliest reminder is due, so the scheduler can sleep until then.
pub async fn next_reminder_at(conn: &mut Conn) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> = sqlx::query_scalar("SELECT MIN(next_at) FROM delivery_reminders")
        .fetch_one(&mut *conn)
        .await?;
    Ok(at.map(from_millis))
}

/// Active sponsorships whose deliveries are planned less far than `until`, with what planning needs.
#[derive(Debug, Clone)]
pub struct ToPlan {
    pub sponsorship: SponsorshipId,
    pub child: ChildId,
    pub sponsor: UserId,
    pub started_at: Option<DateTime<Utc>>,
    pub planned_until: Option<NaiveDate>,
    pub package: i64,
    pub cadence: i64,
    pub deliverer: Deliverer,
    pub kecamatan: String,
}

///
/// A pass walks them in id order from `after`, so each batch starts where the last ended instead of
/// stepping again over every sponsorship planned already.
pub async fn to_plan(
    conn: &mut Conn,
    until: NaiveDate,
    after: SponsorshipId,
    limit: i64,
) -> Result<Vec<ToPlan>> {
    let rows = sqlx::query(
        "SELECT s.id, s.child_id, s.sponsor_id, s.started_at, s.planned_until, s.package_id, s.cadence_id,
                s.deliverer, c.kecamatan_code
         FROM sponsorships s JOIN children c ON c.id = s.child_id
         WHERE s.id > $3 AND s.status = 'active' AND s.cadence_id IS NOT NULL AND s.package_id IS NOT NULL
           AND (s.planned_until IS NULL OR s.planned_until < $1)
         ORDER BY s.id LIMIT $2",
    )
    .bind(date_text(until))
    .bind(limit)
    .bind(after.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(to_plan_row).collect()
}

/// The same, for one sponsorship whatever its horizon (after accepting or changing its plan).
pub async fn plan_of(conn: &mut Conn, s: SponsorshipId) -> Result<Option<ToPlan>> {
    let row = sqlx::query(
        "SELECT s.id, s.child_id, s.sponsor_id, s.started_at, s.planned_until, s.package_id, s.cadence_id,
                s.deliverer, c.kecamatan_code
         FROM sponsorships s JOIN children c ON c.id = s.child_id
         WHERE s.id = $1 AND s.status = 'active' AND s.cadence_id IS NOT NULL AND s.package_id IS NOT NULL",
    )
    .bind(s.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(to_plan_row).transpose()
}

fn to_plan_row(r: &AnyRow) -> Result<ToPlan> {
    let deliverer: Option<String> = r.try_get(7)?;
    Ok(ToPlan {
        sponsorship: SponsorshipId(r.try_get(0)?),
        child: ChildId(r.try_get(1)?),
        sponsor: UserId(r.try_get(2)?),
        started_at: r.try_get::<Option<i64>, _>(3)?.map(from_millis),
        planned_until: r
            .try_get::<Option<String>, _>(4)?
            .as_deref()
            .map(date)
            .transpose()?,
        package: r.try_get(5)?,
        cadence: r.try_get(6)?,
        deliverer: deliverer
            .as_deref()
            .and_then(Deliverer::parse)
            .unwrap_or(Deliverer::Sponsor),
        kecamatan: r.try_get(8)?,
    })
}

pub async fn set_planned_until(conn: &mut Conn, s: SponsorshipId, until: NaiveDate) -> Result<()> {
    sqlx::query("UPDATE sponsorships SET planned_until = $2 WHERE id = $1")
        .bind(s.0)
        .bind(date_text(until))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// [`set_planned_until`] of many sponsorships planned to the same day, a few hundred per statement.
pub async fn set_planned_until_all(
    conn: &mut Conn,
    sponsorships: &[SponsorshipId],
    until: NaiveDate,
) -> Result<()> {
    for chunk in sponsorships.chunks(super::SET_ROWS) {
        let sql = format!(
            "UPDATE sponsorships SET planned_until = $1 WHERE id IN ({})",
            super::in_list(2, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(date_text(until));
        for s in chunk {
            q = q.bind(s.0);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Gives a sponsorship its package, cadence and deliverer; planning starts over from today.
pub async fn set_plan(
    conn: &mut Conn,
    s: SponsorshipId,
    package: i64,
    cadence: i64,
    deliverer: Deliverer,
) -> Result<()> {
    sqlx::query(
        "UPDATE sponsorships SET package_id = $2, cadence_id = $3, deliverer = $4, planned_until = NULL
         WHERE id = $1",
    )
    .bind(s.0)
    .bind(package)
    .bind(cadence)
    .bind(deliverer.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The package, cadence and deliverer ids of a sponsorship, if it has a plan.
pub async fn plan_ids(conn: &mut Conn, s: SponsorshipId) -> Result<Option<(i64, i64, String)>> {
    let row = sqlx::query(
        "SELECT package_id, cadence_id, deliverer FROM sponsorships
         WHERE id = $1 AND package_id IS NOT NULL AND cadence_id IS NOT NULL",
    )
    .bind(s.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get::<Option<String>, _>(2)?
                .unwrap_or_else(|| "sponsor".into()),
        ))
    })
    .transpose()
}

/// Active sponsorships on a cadence, with their package and deliverer (to re-plan when the cadence changes).
/// The active sponsorships of children in `area` (everywhere when `None`) that have no plan yet (from
/// before the programme had a default).
pub async fn active_without_plan(
    conn: &mut Conn,
    area: Option<&RegionCode>,
) -> Result<Vec<SponsorshipId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT s.id FROM sponsorships s JOIN children c ON c.id = s.child_id
         WHERE s.status = 'active' AND (s.package_id IS NULL OR s.cadence_id IS NULL)
           AND ($1 IS NULL OR c.kecamatan_code = $1 OR c.kecamatan_code LIKE $1 || '.%')
         ORDER BY s.id",
    )
    .bind(area.map(|a| a.as_str().to_owned()))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(SponsorshipId).collect())
}

/// The active sponsorships that deliver a package.
pub async fn active_on_package(conn: &mut Conn, package: i64) -> Result<Vec<SponsorshipId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM sponsorships WHERE status = 'active' AND package_id = $1 ORDER BY id",
    )
    .bind(package)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(SponsorshipId).collect())
}

pub async fn active_on_cadence(
    conn: &mut Conn,
    cadence: i64,
) -> Result<Vec<(SponsorshipId, i64, Deliverer)>> {
    let rows = sqlx::query(
        "SELECT id, package_id, deliverer FROM sponsorships
         WHERE status = 'active' AND cadence_id = $1 AND package_id IS NOT NULL ORDER BY id",
    )
    .bind(cadence)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let deliverer: Option<String> = r.try_get(2)?;
            Ok((
                SponsorshipId(r.try_get(0)?),
                r.try_get(1)?,
                deliverer
                    .as_deref()
                    .and_then(Deliverer::parse)
                    .unwrap_or(Deliverer::Sponsor),
            ))
        })
        .collect()
}

/// Open deliveries a user may confirm, due by `until`, oldest first: their own as a sponsor and, for a
/// volunteer, those of children in `area`.
pub async fn confirmable(
    conn: &mut Conn,
    user: UserId,
    area: Option<&RegionCode>,
    until: NaiveDate,
    limit: i64,
) -> Result<Vec<Delivery>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM {WITH_REMINDER} JOIN children c ON c.id = d.child_id
         WHERE d.status IN ('scheduled', 'due', 'overdue') AND d.due_on <= $2
             AND (d.sponsor_id = $1 OR c.kecamatan_code = $3 OR c.village_code = $3
                  OR c.kecamatan_code LIKE $4)
         ORDER BY d.due_at, d.id LIMIT $5"
    )))
    .bind(user.0)
    .bind(date_text(until))
    // No area: a code no child has, so only the sponsor's own deliveries match.
    .bind(area.map_or("-", |a| a.as_str()))
    .bind(area.map_or_else(|| "-".to_owned(), |a| format!("{a}.%")))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(delivery).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_date_is_read_and_anything_else_refused() {
        assert_eq!(
            date("2026-02-28").ok(),
            NaiveDate::from_ymd_opt(2026, 2, 28)
        );
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "2026/02/28",
            "20260228",
            "",
            "2026-02-2x",
            "+026-02-28",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }
}
