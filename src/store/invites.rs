//! Volunteer invitations.

use super::{Conn, Result, StoreError, from_millis, millis};
use crate::domain::invite::{InviteCode, InviteProblem, InviteState};
use crate::domain::{RegionCode, UserId};
use chrono::{DateTime, Utc};
use sqlx::Row;

pub async fn create(
    conn: &mut Conn,
    code: &InviteCode,
    region: &RegionCode,
    by: UserId,
    expires_at: DateTime<Utc>,
    max_uses: u16,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO invites (code, region_code, created_by, created_at, expires_at, max_uses, uses)
         VALUES ($1, $2, $3, $4, $5, $6, 0)",
    )
    .bind(code.as_str())
    .bind(region.as_str())
    .bind(by.0)
    .bind(millis(now))
    .bind(millis(expires_at))
    .bind(i64::from(max_uses))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Uses one place of an invite and returns its region; the conditional update makes the last place go to
/// exactly one of two people redeeming at once.
pub async fn redeem(
    conn: &mut Conn,
    code: &InviteCode,
    now: DateTime<Utc>,
) -> Result<Result<RegionCode, InviteProblem>> {
    let Some(row) = sqlx::query(
        "SELECT region_code, expires_at, max_uses, uses, revoked_at FROM invites WHERE code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Err(InviteProblem::Unknown));
    };
    let state = InviteState {
        expires_at: from_millis(row.try_get(1)?),
        max_uses: row.try_get(2)?,
        uses: row.try_get(3)?,
        revoked: row.try_get::<Option<i64>, _>(4)?.is_some(),
    };
    if let Err(problem) = state.check(now) {
        return Ok(Err(problem));
    }
    let taken =
        sqlx::query("UPDATE invites SET uses = uses + 1 WHERE code = $1 AND uses < max_uses")
            .bind(code.as_str())
            .execute(&mut *conn)
            .await?;
    if taken.rows_affected() == 0 {
        return Ok(Err(InviteProblem::UsedUp));
    }
    let region: String = row.try_get(0)?;
    Ok(Ok(RegionCode::parse(&region).map_err(|_| {
        StoreError::Corrupt(format!("region code {region}"))
    })?))
}
