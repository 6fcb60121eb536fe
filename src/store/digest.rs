//! What the coordinator digests read, per area: every query selects the area's children by the range of
//! their kecamatan codes ([`Area`]) and reaches their deliveries through the `(child_id, due_at)` index
//! (`deliveries_of_child`; on SQLite `deliveries_of_child_facts`), bounded in time, so a district's digest
//! reads its own rows and not the programme's. The joins of children and deliveries are written
//! `CROSS JOIN`, which SQLite takes as "in this order": without statistics (nobody runs `ANALYZE` on a bot's
//! database) it would otherwise start from the programme-wide calendar index, 16 times slower for a
//! kecamatan. PostgreSQL plans them as any inner join. Also each coordinator's digest
//! schedule and the sponsors' monthly notes. Measurements are reached per child through their
//! `UNIQUE (child_id, measured_on)` index: a child's newest or previous one is one probe of it.

use super::deliveries::date;
use super::{Area, Conn, Result, StoreError, millis};
use crate::domain::UserId;
use crate::domain::delivery::DeliveryStatus;
use crate::domain::digest::{DigestKind, Overdue};
use crate::domain::report::PuskesmasChildren;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

const DAY_MS: i64 = 86_400_000;

/// A delivery due today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub delivery: i64,
    pub child: String,
    pub sponsor: Option<String>,
    pub office: Option<String>,
    pub by_volunteer: bool,
    pub confirmed: bool,
}

/// A delivery confirmed since the last digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    pub delivery: i64,
    pub child: String,
    /// The child's kecamatan, whose zone the time is read in.
    pub kecamatan: String,
    pub by: String,
    pub partial: bool,
    pub at: DateTime<Utc>,
}

/// A flag raised on a photo since the last digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub delivery: i64,
    pub child: String,
    pub kind: String,
    pub other_delivery: Option<i64>,
    pub km: Option<i64>,
    pub days: Option<i64>,
}

/// A problem a volunteer reported that no coordinator has resolved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    pub id: i64,
    pub delivery: i64,
    pub child: String,
    pub partial: bool,
    pub problem: Option<String>,
    pub detail: Option<String>,
    pub opened_at: DateTime<Utc>,
}

/// A child waiting for a sponsor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub child: i64,
    pub name: String,
    pub kecamatan: String,
    pub haz_milli: Option<i64>,
    pub since: DateTime<Utc>,
}

/// A sponsor Telegram said cannot be reached (blocked the bot, deleted the account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    pub user: UserId,
    pub name: String,
    pub office: Option<String>,
    pub since: DateTime<Utc>,
}

/// A child whose newest measurement was recorded in a window, with the measurement before it (by date)
/// that has a z-score: what the digest compares for "worse" and "left stunting".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrowthChange {
    pub child: i64,
    pub name: String,
    pub village: Option<String>,
    pub kecamatan: String,
    pub measured_on: NaiveDate,
    pub haz_milli: i64,
    pub previous_on: NaiveDate,
    pub previous_haz_milli: i64,
}

/// An active child without a measurement for a while.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmeasured {
    pub child: i64,
    pub name: String,
    pub village: Option<String>,
    pub kecamatan: String,
    /// `None`: never measured.
    pub last_measured: Option<NaiveDate>,
    pub registered: DateTime<Utc>,
}

/// Children registered (waiting or sponsored) and sponsored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub registered: u64,
    pub sponsored: u64,
}

/// Deliveries that share what their standing is decided by (`domain::report::standing`): their local
/// date, stored status, the start of their day and when they were confirmed; `count` of them. The store
/// reads these facts and never classifies: the one function does, for every screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueFacts {
    pub due_on: NaiveDate,
    pub status: DeliveryStatus,
    pub due_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub count: u64,
}

/// An open delivery whose day has begun, for the digest's overdue lists (its standing decides whether it
/// is overdue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDelivery {
    pub delivery: Overdue,
    pub status: DeliveryStatus,
    pub due_at: DateTime<Utc>,
}

/// Children registered and sponsored in one kecamatan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KecamatanCoverage {
    pub code: String,
    pub name: String,
    pub registered: u64,
    pub sponsored: u64,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn status(s: &str) -> Result<DeliveryStatus> {
    DeliveryStatus::parse(s).ok_or_else(|| StoreError::Corrupt(format!("delivery status {s}")))
}

/// The facts of a `SELECT due_on, status, due_at, confirmed_at, COUNT(*) … GROUP BY` row.
fn due_facts(r: &AnyRow) -> Result<DueFacts> {
    let due_on: String = r.try_get(0)?;
    let st: String = r.try_get(1)?;
    let confirmed_at: Option<i64> = r.try_get(3)?;
    Ok(DueFacts {
        due_on: date(&due_on)?,
        status: status(&st)?,
        due_at: super::from_millis(r.try_get(2)?),
        confirmed_at: confirmed_at.map(super::from_millis),
        count: count(r.try_get(4)?),
    })
}

fn sql(text: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(text)
}

/// A parameter of an area query after the area's own three.
enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

/// Runs a query built with `Area::condition(alias, 1)`: the area's bounds are `$1`–`$3`, `extra` follow.
async fn area_rows(
    conn: &mut Conn,
    area: &Area,
    query: String,
    extra: &[Param<'_>],
) -> Result<Vec<AnyRow>> {
    let mut q = area.bind(sqlx::query(sql(query)));
    for p in extra {
        q = match p {
            Param::Int(n) => q.bind(*n),
            Param::Text(t) => q.bind(*t),
        };
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Like [`area_rows`], for a query that returns one row.
async fn area_row(
    conn: &mut Conn,
    area: &Area,
    query: String,
    extra: &[Param<'_>],
) -> Result<AnyRow> {
    area_rows(conn, area, query, extra)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt("an aggregate returned no row".into()))
}

/// Deliveries due on `today` (a local date; `day_start` its local midnight) of the area's children.
pub async fn due_today(
    conn: &mut Conn,
    area: &Area,
    today: NaiveDate,
    day_start: DateTime<Utc>,
) -> Result<Vec<Due>> {
    let query = format!(
        "SELECT d.id, c.full_name, s.full_name, o.name, d.deliverer, d.status
         FROM children c CROSS JOIN deliveries d
         LEFT JOIN sponsors s ON s.user_id = d.sponsor_id LEFT JOIN offices o ON o.id = s.office_id
         WHERE d.child_id = c.id AND {} AND d.due_at >= $4 AND d.due_at < $5 AND d.due_on = $6
           AND d.status IN ('scheduled', 'due', 'confirmed')
         ORDER BY d.status = 'confirmed', c.full_name, d.id",
        Area::condition("c", 1)
    );
    // Children of one area may sit in zones an hour or two apart: a day either side catches them all.
    let today = today.format("%Y-%m-%d").to_string();
    let extra = [
        Param::Int(millis(day_start) - DAY_MS),
        Param::Int(millis(day_start) + 2 * DAY_MS),
        Param::Text(&today),
    ];
    let rows = area_rows(conn, area, query, &extra).await?;
    rows.iter()
        .map(|r| {
            let deliverer: String = r.try_get(4)?;
            let status: String = r.try_get(5)?;
            Ok(Due {
                delivery: r.try_get(0)?,
                child: r.try_get(1)?,
                sponsor: r.try_get(2)?,
                office: r.try_get(3)?,
                by_volunteer: deliverer == "volunteer",
                confirmed: status == "confirmed",
            })
        })
        .collect()
}

/// Open deliveries (scheduled, due or overdue) of the area's children whose day began in `[from, until)`:
/// the digest keeps those that stand overdue.
pub async fn open_since(
    conn: &mut Conn,
    area: &Area,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<OpenDelivery>> {
    let query = format!(
        "SELECT d.sponsor_id, COALESCE(s.full_name, u.first_name, ''), o.name, d.due_on, d.status, d.due_at
         FROM children c CROSS JOIN deliveries d
         LEFT JOIN sponsors s ON s.user_id = d.sponsor_id LEFT JOIN offices o ON o.id = s.office_id
         LEFT JOIN users u ON u.id = d.sponsor_id
         WHERE d.child_id = c.id AND {} AND d.due_at >= $4 AND d.due_at < $5
           AND d.status IN ('scheduled', 'due', 'overdue')",
        Area::condition("c", 1)
    );
    let window = [Param::Int(millis(from)), Param::Int(millis(until))];
    let rows = area_rows(conn, area, query, &window).await?;
    rows.iter()
        .map(|r| {
            let due_on: String = r.try_get(3)?;
            let st: String = r.try_get(4)?;
            Ok(OpenDelivery {
                delivery: Overdue {
                    sponsor_id: r.try_get(0)?,
                    sponsor: r.try_get(1)?,
                    office: r.try_get(2)?,
                    due_on: date(&due_on)?,
                },
                status: status(&st)?,
                due_at: super::from_millis(r.try_get(5)?),
            })
        })
        .collect()
}

/// Deliveries of the area's children confirmed as received (in full or in part) in `[since, until)`.
pub async fn confirmed(
    conn: &mut Conn,
    area: &Area,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Confirmed>> {
    let query = format!(
        "SELECT cf.delivery_id, c.full_name, COALESCE(sp.full_name, u.first_name, ''), cf.outcome,
                cf.created_at, c.kecamatan_code
         FROM confirmations cf JOIN children c ON c.id = cf.child_id
         LEFT JOIN sponsors sp ON sp.user_id = cf.by_user LEFT JOIN users u ON u.id = cf.by_user
         WHERE cf.created_at >= $4 AND cf.created_at < $5 AND cf.outcome <> 'not_received' AND {}
         ORDER BY cf.created_at, cf.id",
        Area::condition("c", 1)
    );
    let window = [Param::Int(millis(since)), Param::Int(millis(until))];
    let rows = area_rows(conn, area, query, &window).await?;
    rows.iter()
        .map(|r| {
            let outcome: String = r.try_get(3)?;
            Ok(Confirmed {
                delivery: r.try_get(0)?,
                child: r.try_get(1)?,
                by: r.try_get(2)?,
                partial: outcome == "partial",
                at: super::from_millis(r.try_get(4)?),
                kecamatan: r.try_get(5)?,
            })
        })
        .collect()
}

/// Flags raised on the area's evidence in `[since, until)`.
pub async fn flags(
    conn: &mut Conn,
    area: &Area,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Flag>> {
    let query = format!(
        "SELECT f.delivery_id, c.full_name, f.kind, f.other_delivery, f.km, f.days
         FROM evidence_flags f JOIN deliveries d ON d.id = f.delivery_id
         JOIN children c ON c.id = d.child_id
         WHERE f.created_at >= $4 AND f.created_at < $5 AND {}
         ORDER BY f.created_at, f.id",
        Area::condition("c", 1)
    );
    let window = [Param::Int(millis(since)), Param::Int(millis(until))];
    let rows = area_rows(conn, area, query, &window).await?;
    rows.iter()
        .map(|r| {
            Ok(Flag {
                delivery: r.try_get(0)?,
                child: r.try_get(1)?,
                kind: r.try_get(2)?,
                other_delivery: r.try_get(3)?,
                km: r.try_get(4)?,
                days: r.try_get(5)?,
            })
        })
        .collect()
}

/// The area's open cases, oldest first.
pub async fn open_cases(conn: &mut Conn, area: &Area) -> Result<Vec<OpenCase>> {
    let query = format!(
        "SELECT k.id, k.delivery_id, c.full_name, k.kind, cf.problem, cf.detail, k.opened_at
         FROM cases k JOIN children c ON c.id = k.child_id
         JOIN confirmations cf ON cf.id = k.confirmation_id
         WHERE k.status = 'open' AND {}
         ORDER BY k.opened_at, k.id",
        Area::condition("c", 1)
    );
    let rows = area_rows(conn, area, query, &[]).await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get(3)?;
            Ok(OpenCase {
                id: r.try_get(0)?,
                delivery: r.try_get(1)?,
                child: r.try_get(2)?,
                partial: kind == "partial",
                problem: r.try_get(4)?,
                detail: r.try_get(5)?,
                opened_at: super::from_millis(r.try_get(6)?),
            })
        })
        .collect()
}

/// How many of the area's children wait for a sponsor, and the first `limit` of them: the most stunted
/// first, then the longest waiting.
pub async fn waiting(conn: &mut Conn, area: &Area, limit: i64) -> Result<(u64, Vec<Waiting>)> {
    let query = format!(
        "SELECT c.id, c.full_name, COALESCE(r.name, c.kecamatan_code), c.haz_milli, c.waiting_since
         FROM children c LEFT JOIN regions r ON r.code = c.kecamatan_code
         WHERE c.status = 'unmatched' AND {}
         ORDER BY c.haz_milli IS NULL, c.haz_milli, c.waiting_since, c.id
         LIMIT $4",
        Area::condition("c", 1)
    );
    let rows = area_rows(conn, area, query, &[Param::Int(limit)]).await?;
    let total_query = format!(
        "SELECT COUNT(*) FROM children c WHERE c.status = 'unmatched' AND {}",
        Area::condition("c", 1)
    );
    let total: i64 = area_row(conn, area, total_query, &[]).await?.try_get(0)?;
    let children = rows
        .iter()
        .map(|r| {
            Ok(Waiting {
                child: r.try_get(0)?,
                name: r.try_get(1)?,
                kecamatan: r.try_get(2)?,
                haz_milli: r.try_get(3)?,
                since: super::from_millis(r.try_get(4)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((count(total), children))
}

/// The area's children (not moved away or deceased) whose newest measurement was recorded in
/// `[since, until)` — the window of "confirmed since the last digest", so each is told once — and has a
/// z-score, each with the measurement before it that has one. A child measured for the first time has none
/// before and is left out: there is nothing to compare. Which changes count is `domain::progress`'s rule.
pub async fn growth_changes(
    conn: &mut Conn,
    area: &Area,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<GrowthChange>> {
    // The newest measurement is found by one probe of the child's (child_id, measured_on) index and then
    // checked for when it was recorded: a child's older measurements are never read one by one.
    let query = format!(
        "SELECT c.id, c.full_name, v.name, COALESCE(k.name, c.kecamatan_code),
                m.measured_on, m.haz_milli, p.measured_on, p.haz_milli
         FROM children c CROSS JOIN measurements m CROSS JOIN measurements p
         LEFT JOIN regions v ON v.code = c.village_code LEFT JOIN regions k ON k.code = c.kecamatan_code
         WHERE {} AND c.status NOT IN ('moved', 'deceased')
           AND m.child_id = c.id
           AND m.measured_on = (SELECT MAX(n.measured_on) FROM measurements n WHERE n.child_id = c.id)
           AND m.created_at >= $4 AND m.created_at < $5 AND m.haz_milli IS NOT NULL
           AND p.child_id = c.id
           AND p.measured_on = (SELECT MAX(q.measured_on) FROM measurements q
                                WHERE q.child_id = c.id AND q.measured_on < m.measured_on
                                  AND q.haz_milli IS NOT NULL)",
        Area::condition("c", 1)
    );
    let window = [Param::Int(millis(since)), Param::Int(millis(until))];
    let rows = area_rows(conn, area, query, &window).await?;
    rows.iter()
        .map(|r| {
            let measured_on: String = r.try_get(4)?;
            let previous_on: String = r.try_get(6)?;
            Ok(GrowthChange {
                child: r.try_get(0)?,
                name: r.try_get(1)?,
                village: r.try_get(2)?,
                kecamatan: r.try_get(3)?,
                measured_on: date(&measured_on)?,
                haz_milli: r.try_get(5)?,
                previous_on: date(&previous_on)?,
                previous_haz_milli: r.try_get(7)?,
            })
        })
        .collect()
}

/// How many of the area's active children (waiting or sponsored) have no measurement on or after
/// `measured_since`, and the first `limit` of them: the never measured first (the longest registered
/// first), then the longest unmeasured.
pub async fn unmeasured(
    conn: &mut Conn,
    area: &Area,
    measured_since: NaiveDate,
    limit: i64,
) -> Result<(u64, Vec<Unmeasured>)> {
    // "No measurement since" is one probe of the (child_id, measured_on) index per child; the latest date
    // another, read only for those. Place names are looked up for the listed children only.
    let not_measured =
        "NOT EXISTS (SELECT 1 FROM measurements n WHERE n.child_id = c.id AND n.measured_on >= $4)";
    let query = format!(
        "SELECT x.id, x.full_name, v.name, COALESCE(k.name, x.kecamatan_code), x.last_on, x.created_at
         FROM (SELECT c.id, c.full_name, c.village_code, c.kecamatan_code, c.created_at,
                      (SELECT MAX(m.measured_on) FROM measurements m WHERE m.child_id = c.id) AS last_on
               FROM children c
               WHERE c.status IN ('unmatched', 'matched') AND {} AND {not_measured}
               ORDER BY last_on NULLS FIRST, c.created_at, c.id
               LIMIT $5) x
         LEFT JOIN regions v ON v.code = x.village_code LEFT JOIN regions k ON k.code = x.kecamatan_code
         ORDER BY x.last_on NULLS FIRST, x.created_at, x.id",
        Area::condition("c", 1)
    );
    let since = measured_since.format("%Y-%m-%d").to_string();
    let rows = area_rows(conn, area, query, &[Param::Text(&since), Param::Int(limit)]).await?;
    let children = rows
        .iter()
        .map(|r| {
            let last: Option<String> = r.try_get(4)?;
            Ok(Unmeasured {
                child: r.try_get(0)?,
                name: r.try_get(1)?,
                village: r.try_get(2)?,
                kecamatan: r.try_get(3)?,
                last_measured: last.as_deref().map(date).transpose()?,
                registered: super::from_millis(r.try_get(5)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let total_query = format!(
        "SELECT COUNT(*) FROM children c
         WHERE c.status IN ('unmatched', 'matched') AND {} AND {not_measured}",
        Area::condition("c", 1)
    );
    let total: i64 = area_row(conn, area, total_query, &[Param::Text(&since)])
        .await?
        .try_get(0)?;
    Ok((count(total), children))
}

/// Approved sponsors of the area whom Telegram reported unreachable, the longest unreachable first.
pub async fn unreachable(conn: &mut Conn, area: &Area) -> Result<Vec<Unreachable>> {
    let query = format!(
        "SELECT s.user_id, s.full_name, o.name, u.unreachable_at
         FROM sponsors s JOIN users u ON u.id = s.user_id LEFT JOIN offices o ON o.id = s.office_id
         WHERE s.status = 'approved' AND u.unreachable_at IS NOT NULL AND {}
         ORDER BY u.unreachable_at, s.user_id",
        Area::condition("s", 1)
    );
    let rows = area_rows(conn, area, query, &[]).await?;
    rows.iter()
        .map(|r| {
            Ok(Unreachable {
                user: UserId(r.try_get(0)?),
                name: r.try_get(1)?,
                office: r.try_get(2)?,
                since: super::from_millis(r.try_get(3)?),
            })
        })
        .collect()
}

/// The area's children registered (waiting or sponsored) and sponsored.
pub async fn coverage(conn: &mut Conn, area: &Area) -> Result<Coverage> {
    let children = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN c.status = 'matched' THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM children c WHERE {} AND c.status IN ('unmatched', 'matched')",
        Area::condition("c", 1)
    );
    let row = area_row(conn, area, children, &[]).await?;
    let (registered, sponsored): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    Ok(Coverage {
        registered: count(registered),
        sponsored: count(sponsored),
    })
}

/// The area's deliveries whose local date is in `[from, to]` (and not skipped or cancelled), grouped by
/// the facts their standing is decided by. `day_from` and `day_until` bound their days' starts in UTC
/// (the local midnights of `from` and the day after `to`), widened here by a day on each side: the
/// area's children may live in zones an hour or two apart, and the exact local dates then decide.
pub async fn due_facts_between(
    conn: &mut Conn,
    area: &Area,
    (from, to): (NaiveDate, NaiveDate),
    (day_from, day_until): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<DueFacts>> {
    let rows = facts_rows(conn, area, (from, to), (day_from, day_until), "").await?;
    rows.iter().map(due_facts).collect()
}

/// [`due_facts_between`], each group also by its children's Puskesmas (as stored; `None`: without one).
pub async fn due_facts_by_puskesmas(
    conn: &mut Conn,
    area: &Area,
    dates: (NaiveDate, NaiveDate),
    days: (DateTime<Utc>, DateTime<Utc>),
) -> Result<Vec<(Option<String>, DueFacts)>> {
    let rows = facts_rows(conn, area, dates, days, ", c.puskesmas").await?;
    rows.iter()
        .map(|r| Ok((r.try_get(5)?, due_facts(r)?)))
        .collect()
}

/// The rows of [`due_facts_between`], grouped by `also` (`""`, or `, c.column`) too.
async fn facts_rows(
    conn: &mut Conn,
    area: &Area,
    (from, to): (NaiveDate, NaiveDate),
    (day_from, day_until): (DateTime<Utc>, DateTime<Utc>),
    also: &str,
) -> Result<Vec<AnyRow>> {
    let query = format!(
        "SELECT d.due_on, d.status, d.due_at, d.confirmed_at, COUNT(*){also}
         FROM children c CROSS JOIN deliveries d
         WHERE d.child_id = c.id AND {} AND d.due_at >= $4 AND d.due_at < $5
           AND d.due_on >= $6 AND d.due_on <= $7
           AND d.status IN ('scheduled', 'due', 'overdue', 'confirmed', 'missed')
         GROUP BY d.due_on, d.status, d.due_at, d.confirmed_at{also}",
        Area::condition("c", 1)
    );
    let (from, to) = (
        from.format("%Y-%m-%d").to_string(),
        to.format("%Y-%m-%d").to_string(),
    );
    let extra = [
        Param::Int(millis(day_from) - DAY_MS),
        Param::Int(millis(day_until) + DAY_MS),
        Param::Text(&from),
        Param::Text(&to),
    ];
    area_rows(conn, area, query, &extra).await
}

/// Children registered and sponsored per kecamatan of the area.
pub async fn coverage_by_kecamatan(conn: &mut Conn, area: &Area) -> Result<Vec<KecamatanCoverage>> {
    let query = format!(
        "SELECT c.kecamatan_code, COALESCE(r.name, c.kecamatan_code), COUNT(*),
                CAST(SUM(CASE WHEN c.status = 'matched' THEN 1 ELSE 0 END) AS BIGINT)
         FROM children c LEFT JOIN regions r ON r.code = c.kecamatan_code
         WHERE {} AND c.status IN ('unmatched', 'matched')
         GROUP BY c.kecamatan_code, r.name
         ORDER BY c.kecamatan_code",
        Area::condition("c", 1)
    );
    let rows = area_rows(conn, area, query, &[]).await?;
    rows.iter()
        .map(|r| {
            Ok(KecamatanCoverage {
                code: r.try_get(0)?,
                name: r.try_get(1)?,
                registered: count(r.try_get(2)?),
                sponsored: count(r.try_get(3)?),
            })
        })
        .collect()
}

/// Children registered (waiting or sponsored) and sponsored per Puskesmas of the area, as stored (one
/// Puskesmas written two ways comes twice: `domain::report::PuskesmasTable` takes them as one).
pub async fn coverage_by_puskesmas(conn: &mut Conn, area: &Area) -> Result<Vec<PuskesmasChildren>> {
    let query = format!(
        "SELECT c.puskesmas, COUNT(*), CAST(SUM(CASE WHEN c.status = 'matched' THEN 1 ELSE 0 END) AS BIGINT)
         FROM children c
         WHERE {} AND c.status IN ('unmatched', 'matched')
         GROUP BY c.puskesmas
         ORDER BY c.puskesmas",
        Area::condition("c", 1)
    );
    let rows = area_rows(conn, area, query, &[]).await?;
    rows.iter()
        .map(|r| {
            Ok(PuskesmasChildren {
                puskesmas: r.try_get(0)?,
                registered: count(r.try_get(1)?),
                sponsored: count(r.try_get(2)?),
            })
        })
        .collect()
}

/// A coordinator's schedule for one kind of digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub user: UserId,
    pub kind: DigestKind,
    /// `None`: turned off.
    pub cron: Option<String>,
    pub next_at: Option<DateTime<Utc>>,
    pub last_sent_at: Option<DateTime<Utc>>,
}

fn schedule(r: &sqlx::any::AnyRow) -> Result<Schedule> {
    let kind: String = r.try_get(1)?;
    let next_at: Option<i64> = r.try_get(3)?;
    let last: Option<i64> = r.try_get(4)?;
    Ok(Schedule {
        user: UserId(r.try_get(0)?),
        kind: DigestKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("digest {kind}")))?,
        cron: r.try_get(2)?,
        next_at: next_at.map(super::from_millis),
        last_sent_at: last.map(super::from_millis),
    })
}

const SCHEDULE: &str = "SELECT user_id, kind, cron, next_at, last_sent_at FROM digest_schedules";

/// Coordinators who have no schedule of `kind` yet.
pub async fn unscheduled(conn: &mut Conn, kind: DigestKind) -> Result<Vec<UserId>> {
    let rows = sqlx::query(
        "SELECT c.user_id FROM coordinators c
         WHERE NOT EXISTS (SELECT 1 FROM digest_schedules s WHERE s.user_id = c.user_id AND s.kind = $1)
         ORDER BY c.user_id",
    )
    .bind(kind.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(UserId(r.try_get(0)?))).collect()
}

/// Sets a coordinator's schedule of `kind` (`None` turns it off).
pub async fn set_schedule(
    conn: &mut Conn,
    user: UserId,
    kind: DigestKind,
    cron: Option<&str>,
    next_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO digest_schedules (user_id, kind, cron, next_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, kind) DO UPDATE SET cron = excluded.cron, next_at = excluded.next_at,
             updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(kind.as_str())
    .bind(cron)
    .bind(next_at.map(millis))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A schedule for a coordinator who has none, unless another process made one first.
pub async fn create_schedule(
    conn: &mut Conn,
    user: UserId,
    kind: DigestKind,
    cron: Option<&str>,
    next_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO digest_schedules (user_id, kind, cron, next_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, kind) DO NOTHING",
    )
    .bind(user.0)
    .bind(kind.as_str())
    .bind(cron)
    .bind(next_at.map(millis))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes someone's digest schedules (they are no longer a coordinator).
pub async fn remove_schedules(conn: &mut Conn, user: UserId) -> Result<()> {
    sqlx::query("DELETE FROM digest_schedules WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn schedules_of(conn: &mut Conn, user: UserId) -> Result<Vec<Schedule>> {
    let rows = sqlx::query(sql(format!("{SCHEDULE} WHERE user_id = $1 ORDER BY kind")))
        .bind(user.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(schedule).collect()
}

/// Schedules whose digest is due at `now`, the earliest first.
pub async fn due_schedules(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Schedule>> {
    let rows = sqlx::query(sql(format!(
        "{SCHEDULE} WHERE next_at IS NOT NULL AND next_at <= $1 ORDER BY next_at LIMIT $2"
    )))
    .bind(millis(now))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(schedule).collect()
}

/// The earliest digest due, for the scheduler's sleep.
pub async fn next_due(conn: &mut Conn) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT MIN(next_at) FROM digest_schedules WHERE next_at IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    Ok(at.map(super::from_millis))
}

/// Moves a schedule on from the `next_at` it was read with, recording the digest as sent: true only for
/// the one transaction that did, so a digest goes out once however many processes pass at once.
pub async fn advance(
    conn: &mut Conn,
    schedule: &Schedule,
    next_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(read) = schedule.next_at else {
        return Ok(false);
    };
    let done = sqlx::query(
        "UPDATE digest_schedules SET next_at = $1, last_sent_at = $2, updated_at = $2
         WHERE user_id = $3 AND kind = $4 AND next_at = $5",
    )
    .bind(next_at.map(millis))
    .bind(millis(now))
    .bind(schedule.user.0)
    .bind(schedule.kind.as_str())
    .bind(millis(read))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims the monthly note of `sponsor` for `month` (YYYY-MM): true for the one caller that made the row.
pub async fn claim_note(
    conn: &mut Conn,
    sponsor: UserId,
    month: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO sponsor_notes (sponsor_id, month, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (sponsor_id, month) DO NOTHING",
    )
    .bind(sponsor.0)
    .bind(month)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Approved sponsors with a sponsorship that was active at some time in `[from, until)` and no note for
/// `month` yet, at most `limit`.
pub async fn sponsors_without_note(
    conn: &mut Conn,
    month: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<UserId>> {
    let rows = sqlx::query(
        "SELECT s.user_id FROM sponsors s
         WHERE s.status = 'approved'
           AND NOT EXISTS (SELECT 1 FROM sponsor_notes n WHERE n.sponsor_id = s.user_id AND n.month = $1)
           AND EXISTS (SELECT 1 FROM sponsorships p WHERE p.sponsor_id = s.user_id
                       AND p.status IN ('active', 'ended', 'transferred')
                       AND p.started_at IS NOT NULL AND p.started_at < $3
                       AND (p.ended_at IS NULL OR p.ended_at >= $2))
         ORDER BY s.user_id LIMIT $4",
    )
    .bind(month)
    .bind(millis(from))
    .bind(millis(until))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(UserId(r.try_get(0)?))).collect()
}

/// One sponsor's deliveries whose local date is in `[from, until]`, grouped by the facts their standing is
/// decided by (skipped and cancelled ones too: the note counts the skipped).
pub async fn sponsor_due_facts(
    conn: &mut Conn,
    sponsor: UserId,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<DueFacts>> {
    let rows = sqlx::query(
        "SELECT due_on, status, due_at, confirmed_at, COUNT(*)
         FROM deliveries WHERE sponsor_id = $1 AND due_on >= $2 AND due_on <= $3
         GROUP BY due_on, status, due_at, confirmed_at",
    )
    .bind(sponsor.0)
    .bind(from.format("%Y-%m-%d").to_string())
    .bind(until.format("%Y-%m-%d").to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(due_facts).collect()
}

/// A sponsor's child in the monthly note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SponsoredChild {
    pub child: i64,
    pub name: String,
    /// The child's kecamatan, whose zone the sponsorship's first day is read in.
    pub kecamatan: String,
    pub haz_milli: Option<i64>,
    pub measured_on: Option<NaiveDate>,
    pub last_delivery: Option<NaiveDate>,
    /// When the sponsorship began (accepted).
    pub started_at: Option<DateTime<Utc>>,
    /// Every measurement with a z-score, oldest first: the baseline and the latest come from it.
    pub history: Vec<(NaiveDate, i64)>,
}

/// The children a sponsor sponsors now, with their latest measurement, last confirmed delivery and
/// measurement history.
pub async fn sponsored_children(conn: &mut Conn, sponsor: UserId) -> Result<Vec<SponsoredChild>> {
    let rows = sqlx::query(
        "SELECT c.id, c.full_name, c.haz_milli,
                (SELECT MAX(m.measured_on) FROM measurements m WHERE m.child_id = c.id),
                (SELECT MAX(d.due_on) FROM deliveries d WHERE d.sponsorship_id = p.id AND d.status = 'confirmed'),
                p.started_at, c.kecamatan_code
         FROM sponsorships p JOIN children c ON c.id = p.child_id
         WHERE p.sponsor_id = $1 AND p.status = 'active'
         ORDER BY c.full_name, c.id",
    )
    .bind(sponsor.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut children = rows
        .iter()
        .map(|r| {
            let measured: Option<String> = r.try_get(3)?;
            let delivered: Option<String> = r.try_get(4)?;
            let started: Option<i64> = r.try_get(5)?;
            Ok(SponsoredChild {
                child: r.try_get(0)?,
                name: r.try_get(1)?,
                haz_milli: r.try_get(2)?,
                measured_on: measured.as_deref().map(date).transpose()?,
                last_delivery: delivered.as_deref().map(date).transpose()?,
                started_at: started.map(super::from_millis),
                kecamatan: r.try_get(6)?,
                history: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // A sponsor has at most a few dozen children; their measurements come in one query, each child's through
    // the (child_id, measured_on) index.
    let history = sqlx::query(
        "SELECT m.child_id, m.measured_on, m.haz_milli
         FROM sponsorships p CROSS JOIN measurements m
         WHERE p.sponsor_id = $1 AND p.status = 'active' AND m.child_id = p.child_id
           AND m.haz_milli IS NOT NULL
         ORDER BY m.child_id, m.measured_on",
    )
    .bind(sponsor.0)
    .fetch_all(&mut *conn)
    .await?;
    for r in &history {
        let child: i64 = r.try_get(0)?;
        let on: String = r.try_get(1)?;
        let haz: i64 = r.try_get(2)?;
        if let Some(c) = children.iter_mut().find(|c| c.child == child) {
            c.history.push((date(&on)?, haz));
        }
    }
    Ok(children)
}
