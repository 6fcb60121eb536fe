//! Volunteers (Baznas, TPK and posyandu cadres) and the area each serves.

use super::{Conn, Result, StoreError, inside, millis};
use crate::domain::role::Scope;
use crate::domain::{RegionCode, UserId};
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volunteer {
    pub user: UserId,
    pub first_name: String,
    pub region: RegionCode,
    pub region_name: Option<String>,
}

/// Makes a user an active volunteer of `region` (again, if they were revoked; moved, if they were elsewhere).
pub async fn join(
    conn: &mut Conn,
    user: UserId,
    region: &RegionCode,
    invite: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO volunteers (user_id, region_code, invite_code, status, joined_at) VALUES ($1, $2, $3, 'active', $4)
         ON CONFLICT (user_id) DO UPDATE SET region_code = excluded.region_code, invite_code = excluded.invite_code,
             status = 'active', joined_at = excluded.joined_at",
    )
    .bind(user.0)
    .bind(region.as_str())
    .bind(invite)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn revoke(conn: &mut Conn, user: UserId) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE volunteers SET status = 'revoked' WHERE user_id = $1 AND status = 'active'",
    )
    .bind(user.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Active volunteers inside a scope, by area, and how many in all.
pub async fn list(conn: &mut Conn, scope: &Scope, limit: i64) -> Result<(Vec<Volunteer>, i64)> {
    let (pattern_eq, pattern_like) = match scope.code() {
        Some(c) => (c.as_str().to_owned(), inside(c.as_str())),
        None => (String::new(), "%".to_owned()),
    };
    let rows = sqlx::query(
        "SELECT v.user_id, u.first_name, v.region_code, r.name FROM volunteers v
         JOIN users u ON u.id = v.user_id LEFT JOIN regions r ON r.code = v.region_code
         WHERE v.status = 'active' AND (v.region_code = $1 OR v.region_code LIKE $2)
         ORDER BY v.region_code, u.first_name LIMIT $3",
    )
    .bind(&pattern_eq)
    .bind(&pattern_like)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM volunteers WHERE status = 'active' AND (region_code = $1 OR region_code LIKE $2)",
    )
    .bind(&pattern_eq)
    .bind(&pattern_like)
    .fetch_one(&mut *conn)
    .await?;
    let volunteers = rows
        .iter()
        .map(|r| {
            let code: String = r.try_get(2)?;
            Ok(Volunteer {
                user: UserId(r.try_get(0)?),
                first_name: r.try_get(1)?,
                region: RegionCode::parse(&code)
                    .map_err(|_| StoreError::Corrupt(format!("region code {code}")))?,
                region_name: r.try_get(3)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((volunteers, total))
}

/// Active volunteers who serve a child's area: those of its kecamatan and those of its village.
pub async fn serving(
    conn: &mut Conn,
    kecamatan: &RegionCode,
    village: Option<&RegionCode>,
) -> Result<Vec<UserId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM volunteers WHERE status = 'active' AND (region_code = $1 OR region_code = $2)
         ORDER BY user_id",
    )
    .bind(kecamatan.as_str())
    .bind(village.map(|v| v.as_str().to_owned()))
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(UserId).collect())
}

/// The area an active volunteer serves.
pub async fn region_of(conn: &mut Conn, user: UserId) -> Result<Option<RegionCode>> {
    let code: Option<String> = sqlx::query_scalar(
        "SELECT region_code FROM volunteers WHERE user_id = $1 AND status = 'active'",
    )
    .bind(user.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(code.and_then(|c| RegionCode::parse(&c).ok()))
}
