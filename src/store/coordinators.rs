//! Coordinators and the region each one oversees.

use super::{Conn, Result, StoreError, millis};
use crate::domain::role::Scope;
use crate::domain::{RegionCode, UserId};
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordinator {
    pub user: UserId,
    pub scope: Scope,
    pub first_name: Option<String>,
}

/// Makes someone a coordinator, or changes their scope.
pub async fn grant(
    conn: &mut Conn,
    user: UserId,
    scope: &Scope,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO coordinators (user_id, scope_code, granted_by, granted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET scope_code = excluded.scope_code, granted_by = excluded.granted_by,
             granted_at = excluded.granted_at",
    )
    .bind(user.0)
    .bind(scope.code().map(|c| c.as_str().to_owned()))
    .bind(by.map(|b| b.0))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn revoke(conn: &mut Conn, user: UserId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM coordinators WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn list(conn: &mut Conn) -> Result<Vec<Coordinator>> {
    let rows = sqlx::query(
        "SELECT c.user_id, c.scope_code, u.first_name FROM coordinators c LEFT JOIN users u ON u.id = c.user_id
         ORDER BY c.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let scope: Option<String> = r.try_get(1)?;
            let scope = scope
                .map(|s| {
                    RegionCode::parse(&s).map_err(|_| StoreError::Corrupt(format!("scope {s}")))
                })
                .transpose()?;
            Ok(Coordinator {
                user: UserId(r.try_get(0)?),
                scope: Scope::from_code(scope),
                first_name: r.try_get(2)?,
            })
        })
        .collect()
}

/// Coordinators whose scope covers `region`: the ones to ask about a sponsor of that area.
pub async fn covering(conn: &mut Conn, region: &RegionCode) -> Result<Vec<UserId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM coordinators
         WHERE scope_code IS NULL OR scope_code = $1 OR $1 LIKE scope_code || '.%' ORDER BY user_id",
    )
    .bind(region.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(UserId).collect())
}
