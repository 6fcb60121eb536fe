//! The dashboard's own rows: sessions begun from a checked `initData` and meeting links; and the one
//! figure no other screen reads, stunted children month by month. Everything else the dashboard shows
//! is read by `store::reports` and `store::digest`, as the report and the digest read it.

use super::{Area, Conn, Result, from_millis, millis};
use crate::domain::{Lang, RegionCode, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

/// A dashboard session that has not expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: UserId,
    pub lang: Lang,
    pub expires_at: DateTime<Utc>,
}

/// Starts a session for `user` under the SHA-256 of its token; forgets sessions that have expired.
pub async fn create_session(
    conn: &mut Conn,
    token_hash: &str,
    user: UserId,
    lang: Lang,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("DELETE FROM dashboard_sessions WHERE expires_at < $1")
        .bind(millis(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO dashboard_sessions (token_hash, user_id, lang, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user.0)
    .bind(lang.code())
    .bind(millis(now))
    .bind(millis(expires_at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The session under this token hash, unless it has expired at `now`.
pub async fn session(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>> {
    let row = sqlx::query(
        "SELECT user_id, lang, expires_at FROM dashboard_sessions
         WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(millis(now))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        let lang: String = r.try_get(1)?;
        Ok(Session {
            user: UserId(r.try_get(0)?),
            lang: Lang::parse(&lang).unwrap_or(Lang::Id),
            expires_at: from_millis(r.try_get(2)?),
        })
    })
    .transpose()
}

/// A meeting link as stored (its token is made from the id and expiry, never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: i64,
    pub created_by: UserId,
    /// `None`: the creator's whole area.
    pub region: Option<RegionCode>,
    pub lang: Lang,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn link(r: &sqlx::any::AnyRow) -> Result<Link> {
    let region: Option<String> = r.try_get("region_code")?;
    let lang: String = r.try_get("lang")?;
    let revoked: Option<i64> = r.try_get("revoked_at")?;
    Ok(Link {
        id: r.try_get("id")?,
        created_by: UserId(r.try_get("created_by")?),
        region: region.and_then(|c| RegionCode::parse(&c).ok()),
        lang: Lang::parse(&lang).unwrap_or(Lang::Id),
        created_at: from_millis(r.try_get("created_at")?),
        expires_at: from_millis(r.try_get("expires_at")?),
        revoked_at: revoked.map(from_millis),
    })
}

const LINK_COLUMNS: &str = "id, created_by, region_code, lang, created_at, expires_at, revoked_at";

/// Records a new meeting link; returns its id.
pub async fn create_link(
    conn: &mut Conn,
    by: UserId,
    region: Option<&RegionCode>,
    lang: Lang,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO meeting_links (created_by, region_code, lang, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(by.0)
    .bind(region.map(RegionCode::as_str))
    .bind(lang.code())
    .bind(millis(now))
    .bind(millis(expires_at))
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn link_by_id(conn: &mut Conn, id: i64) -> Result<Option<Link>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLUMNS} FROM meeting_links WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(link).transpose()
}

/// `by`'s links that have neither expired nor been revoked at `now`, newest first.
pub async fn live_links(conn: &mut Conn, by: UserId, now: DateTime<Utc>) -> Result<Vec<Link>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {LINK_COLUMNS} FROM meeting_links
         WHERE created_by = $1 AND expires_at > $2 AND revoked_at IS NULL ORDER BY id DESC"
    )))
    .bind(by.0)
    .bind(millis(now))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(link).collect()
}

/// Revokes `by`'s link `id` if it is still live; false when there was none to revoke.
pub async fn revoke_link(conn: &mut Conn, by: UserId, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE meeting_links SET revoked_at = $3
         WHERE id = $1 AND created_by = $2 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(by.0)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// One month's measurements of the area's children: how many children were measured in it, and how many
/// of them were stunted (height-for-age below −2 SD) at their last measurement of that month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuntedMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub measured: u64,
    pub stunted: u64,
}

/// [`StuntedMonth`] for every month from `from` to `to` (dates of measurement, inclusive) that has a
/// measurement, oldest first. A child counts once per month, by their last measurement of the month.
pub async fn stunted_by_month(
    conn: &mut Conn,
    area: &Area,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StuntedMonth>> {
    // Each child's last measurement of each month (one pass over the area's measurements, numbered per
    // child and month), then counted per month.
    let sql = format!(
        "SELECT x.month, COUNT(*), CAST(COALESCE(SUM(CASE WHEN x.haz_milli < -2000 THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM (SELECT substr(m.measured_on, 1, 7) AS month, m.haz_milli,
                      ROW_NUMBER() OVER (PARTITION BY m.child_id, substr(m.measured_on, 1, 7)
                                         ORDER BY m.measured_on DESC) AS rn
               FROM children c CROSS JOIN measurements m
               WHERE m.child_id = c.id AND {} AND m.measured_on >= $4 AND m.measured_on <= $5
                 AND m.haz_milli IS NOT NULL) x
         WHERE x.rn = 1
         GROUP BY x.month
         ORDER BY x.month",
        Area::condition("c", 1)
    );
    let rows = area
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(from.format("%Y-%m-%d").to_string())
        .bind(to.format("%Y-%m-%d").to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            let measured: i64 = r.try_get(1)?;
            let stunted: i64 = r.try_get(2)?;
            Ok(StuntedMonth {
                month: r.try_get(0)?,
                measured: u64::try_from(measured).unwrap_or(0),
                stunted: u64::try_from(stunted).unwrap_or(0),
            })
        })
        .collect()
}

/// A child waiting for a sponsor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub name: String,
    pub kecamatan: String,
    pub since: DateTime<Utc>,
}

/// The area's children waiting for a sponsor, the longest waiting first (at most `limit`).
pub async fn waiting_longest(conn: &mut Conn, area: &Area, limit: i64) -> Result<Vec<Waiting>> {
    let sql = format!(
        "SELECT c.full_name, COALESCE(r.name, c.kecamatan_code), c.waiting_since
         FROM children c LEFT JOIN regions r ON r.code = c.kecamatan_code
         WHERE c.status = 'unmatched' AND {}
         ORDER BY c.waiting_since, c.id
         LIMIT $4",
        Area::condition("c", 1)
    );
    let rows = area
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Waiting {
                name: r.try_get(0)?,
                kecamatan: r.try_get(1)?,
                since: from_millis(r.try_get(2)?),
            })
        })
        .collect()
}
