//! Sponsorships: proposals, holds, active pairings and how they ended.

use super::{Conn, Result, StoreError, from_millis, millis};
use crate::domain::UserId;
use crate::domain::child::ChildId;
use crate::domain::sponsorship::{Commitment, Origin, SponsorshipId, SponsorshipStatus};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq)]
pub struct Sponsorship {
    pub id: SponsorshipId,
    pub child: ChildId,
    pub sponsor: UserId,
    pub status: SponsorshipStatus,
    pub proposed_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub commitment: Commitment,
}

const SELECT: &str = "SELECT id, child_id, sponsor_id, status, proposed_at, expires_at, started_at, months, monthly_amount
    FROM sponsorships";

fn sponsorship(row: &AnyRow) -> Result<Sponsorship> {
    let status: String = row.try_get("status")?;
    let months: i64 = row.try_get("months")?;
    let amount: i64 = row.try_get("monthly_amount")?;
    Ok(Sponsorship {
        id: SponsorshipId(row.try_get("id")?),
        child: ChildId(row.try_get("child_id")?),
        sponsor: UserId(row.try_get("sponsor_id")?),
        status: SponsorshipStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("sponsorship status {status}")))?,
        proposed_at: from_millis(row.try_get("proposed_at")?),
        expires_at: row
            .try_get::<Option<i64>, _>("expires_at")?
            .map(from_millis),
        started_at: row
            .try_get::<Option<i64>, _>("started_at")?
            .map(from_millis),
        commitment: Commitment::new(months, amount).unwrap_or_default(),
    })
}

/// Offers a child to a sponsor (`Proposed`) or holds one for them (`Held`). `None` when the child is
/// spoken for already: the partial unique index allows one live sponsorship per child.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    conn: &mut Conn,
    child: ChildId,
    sponsor: UserId,
    status: SponsorshipStatus,
    origin: Origin,
    expires_at: DateTime<Utc>,
    commitment: Commitment,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Option<SponsorshipId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO sponsorships (child_id, sponsor_id, status, origin, proposed_at, expires_at, months, monthly_amount, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(child.0)
    .bind(sponsor.0)
    .bind(status.as_str())
    .bind(origin.as_str())
    .bind(millis(now))
    .bind(millis(expires_at))
    .bind(i64::from(commitment.months))
    .bind(i64::try_from(commitment.monthly_amount).unwrap_or(i64::MAX))
    .bind(by.map(|b| b.0))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(SponsorshipId))
}

pub async fn get(conn: &mut Conn, id: SponsorshipId) -> Result<Option<Sponsorship>> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(sponsorship).transpose()
}

/// Records why the sponsor declined or ended their sponsorship (asked after the fact).
pub async fn set_end_reason(
    conn: &mut Conn,
    id: SponsorshipId,
    sponsor: UserId,
    reason: &str,
) -> Result<bool> {
    let done =
        sqlx::query("UPDATE sponsorships SET end_reason = $3 WHERE id = $1 AND sponsor_id = $2")
            .bind(id.0)
            .bind(sponsor.0)
            .bind(reason)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Moves a sponsorship from `from` to `to` only if it is still in `from` (a second press finds it moved).
pub async fn transition(
    conn: &mut Conn,
    id: SponsorshipId,
    from: SponsorshipStatus,
    to: SponsorshipStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sponsorships SET status = $3,
             decided_at = CASE WHEN $3 IN ('active', 'declined', 'expired') THEN $5 ELSE decided_at END,
             started_at = CASE WHEN $3 = 'active' THEN $5 ELSE started_at END,
             ended_at = CASE WHEN $3 IN ('ended', 'transferred') THEN $5 ELSE ended_at END,
             end_reason = COALESCE($4, end_reason)
         WHERE id = $1 AND status = $2",
    )
    .bind(id.0)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(reason)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The child's proposal, hold or active sponsorship, if any.
pub async fn live_for_child(conn: &mut Conn, child: ChildId) -> Result<Option<Sponsorship>> {
    let sql = format!("{SELECT} WHERE child_id = $1 AND status IN ('proposed', 'held', 'active')");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(child.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(sponsorship).transpose()
}

/// A sponsor's sponsorships in the given states, oldest first.
pub async fn of_sponsor(
    conn: &mut Conn,
    sponsor: UserId,
    statuses: &[SponsorshipStatus],
) -> Result<Vec<Sponsorship>> {
    // The statuses are the enum's own fixed words, so they can stand in the SQL text.
    let wanted = statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let sql =
        format!("{SELECT} WHERE sponsor_id = $1 AND status IN ({wanted}) ORDER BY proposed_at, id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(sponsor.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(sponsorship).collect()
}

/// How many live sponsorships (offered, held, active) count against a sponsor's capacity.
pub async fn live_count(conn: &mut Conn, sponsor: UserId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM sponsorships WHERE sponsor_id = $1 AND status IN ('proposed', 'held', 'active')",
    )
    .bind(sponsor.0)
    .fetch_one(&mut *conn)
    .await?)
}

/// Live sponsorships per sponsor: what counts against their capacity.
pub async fn load_by_sponsor(conn: &mut Conn) -> Result<Vec<(UserId, i64)>> {
    let rows = sqlx::query(
        "SELECT sponsor_id, COUNT(*) FROM sponsorships WHERE status IN ('proposed', 'held', 'active') GROUP BY sponsor_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((UserId(r.try_get(0)?), r.try_get(1)?)))
        .collect()
}

/// Pairs that were declined: the matcher does not offer the same child to the same sponsor again.
pub async fn declined_pairs(conn: &mut Conn) -> Result<Vec<(ChildId, UserId)>> {
    let rows =
        sqlx::query("SELECT child_id, sponsor_id FROM sponsorships WHERE status = 'declined'")
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| Ok((ChildId(r.try_get(0)?), UserId(r.try_get(1)?))))
        .collect()
}

/// Offers and holds whose time is up.
pub async fn expired(conn: &mut Conn, now: DateTime<Utc>, limit: i64) -> Result<Vec<Sponsorship>> {
    let sql = format!(
        "{SELECT} WHERE status IN ('proposed', 'held') AND expires_at <= $1 ORDER BY expires_at LIMIT $2"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(millis(now))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(sponsorship).collect()
}

/// When the earliest open offer or hold runs out.
pub async fn next_expiry(conn: &mut Conn) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(expires_at) FROM sponsorships WHERE status IN ('proposed', 'held')",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(at.map(super::from_millis))
}
