//! Regions the coordinators have set up, keyed by Kemendagri code.

use super::{Conn, Result, StoreError, inside, millis};
use crate::domain::evidence::GeoPoint;
use crate::domain::role::Scope;
use crate::domain::{RegionCode, RegionLevel};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: RegionCode,
    pub name: String,
    pub level: RegionLevel,
    pub timezone: Option<String>,
}

fn region(row: &AnyRow) -> Result<Region> {
    let code: String = row.try_get("code")?;
    let level: String = row.try_get("level")?;
    Ok(Region {
        code: RegionCode::parse(&code)
            .map_err(|_| StoreError::Corrupt(format!("region code {code}")))?,
        level: RegionLevel::parse(&level)
            .ok_or_else(|| StoreError::Corrupt(format!("region level {level}")))?,
        name: row.try_get("name")?,
        timezone: row.try_get("timezone")?,
    })
}

/// Adds a region or renames it; returns whether it is new.
pub async fn upsert(
    conn: &mut Conn,
    code: &RegionCode,
    name: &str,
    timezone: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let existed = get(conn, code).await?.is_some();
    sqlx::query(
        "INSERT INTO regions (code, parent_code, level, name, timezone, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET name = excluded.name,
             timezone = COALESCE(excluded.timezone, regions.timezone)",
    )
    .bind(code.as_str())
    .bind(code.parent().map(String::from))
    .bind(code.level().as_str())
    .bind(name)
    .bind(timezone)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(!existed)
}

/// Adds the regions that are not set up yet, in batches (names a coordinator gave the ones that are stay);
/// a zone fills in only where none was set. Parents must come before their children. Returns how many
/// were added.
pub async fn add_missing(
    conn: &mut Conn,
    regions: &[(&RegionCode, &str, Option<&str>)],
    now: DateTime<Utc>,
) -> Result<u64> {
    const BATCH: usize = 500;
    let mut added = 0;
    for chunk in regions.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 6;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO regions (code, parent_code, level, name, timezone, created_at) VALUES {}
             ON CONFLICT (code) DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (code, name, zone) in chunk {
            query = query
                .bind(code.as_str())
                .bind(code.parent().map(String::from))
                .bind(code.level().as_str())
                .bind(*name)
                .bind(zone.map(str::to_owned))
                .bind(millis(now));
        }
        added += query.execute(&mut *conn).await?.rows_affected();
        for (code, _, zone) in chunk.iter().filter(|(_, _, z)| z.is_some()) {
            sqlx::query("UPDATE regions SET timezone = $2 WHERE code = $1 AND timezone IS NULL")
                .bind(code.as_str())
                .bind(zone.map(str::to_owned))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(added)
}

pub async fn get(conn: &mut Conn, code: &RegionCode) -> Result<Option<Region>> {
    let row = sqlx::query("SELECT code, name, level, timezone FROM regions WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(region).transpose()
}

/// The name of a region, or its code when it is not (or no longer) set up.
pub async fn name_or_code(conn: &mut Conn, code: &RegionCode) -> Result<String> {
    Ok(get(conn, code)
        .await?
        .map_or_else(|| code.to_string(), |r| r.name))
}

/// Regions of one level, inside `within` when given, by name; `offset`/`limit` page through them.
pub async fn of_level(
    conn: &mut Conn,
    level: RegionLevel,
    within: Option<&RegionCode>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Region>, i64)> {
    let (rows, total) = match within {
        None => {
            let rows = sqlx::query(
                "SELECT code, name, level, timezone FROM regions WHERE level = $1 ORDER BY name, code LIMIT $2 OFFSET $3",
            )
            .bind(level.as_str())
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?;
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE level = $1")
                .bind(level.as_str())
                .fetch_one(&mut *conn)
                .await?;
            (rows, total)
        }
        Some(parent) => {
            let rows = sqlx::query(
                "SELECT code, name, level, timezone FROM regions WHERE level = $1 AND code LIKE $2
                 ORDER BY name, code LIMIT $3 OFFSET $4",
            )
            .bind(level.as_str())
            .bind(inside(parent.as_str()))
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *conn)
            .await?;
            let total: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM regions WHERE level = $1 AND code LIKE $2",
            )
            .bind(level.as_str())
            .bind(inside(parent.as_str()))
            .fetch_one(&mut *conn)
            .await?;
            (rows, total)
        }
    };
    Ok((rows.iter().map(region).collect::<Result<_>>()?, total))
}

/// Every region a coordinator with `scope` sees, in code order (a tree when printed).
pub async fn in_scope(conn: &mut Conn, scope: &Scope, limit: i64) -> Result<(Vec<Region>, i64)> {
    let (rows, total) = match scope.code() {
        None => (
            sqlx::query("SELECT code, name, level, timezone FROM regions ORDER BY code LIMIT $1")
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?,
            sqlx::query_scalar("SELECT COUNT(*) FROM regions").fetch_one(&mut *conn).await?,
        ),
        Some(code) => (
            sqlx::query(
                "SELECT code, name, level, timezone FROM regions WHERE code = $1 OR code LIKE $2 ORDER BY code LIMIT $3",
            )
            .bind(code.as_str())
            .bind(inside(code.as_str()))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?,
            sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE code = $1 OR code LIKE $2")
                .bind(code.as_str())
                .bind(inside(code.as_str()))
                .fetch_one(&mut *conn)
                .await?,
        ),
    };
    Ok((rows.iter().map(region).collect::<Result<_>>()?, total))
}

/// What still refers to a region, which keeps it from being removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InUse {
    Free,
    HasChildren,
    UsedByPeople,
}

pub async fn usage(conn: &mut Conn, code: &RegionCode) -> Result<InUse> {
    let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE code LIKE $1")
        .bind(inside(code.as_str()))
        .fetch_one(&mut *conn)
        .await?;
    if children > 0 {
        return Ok(InUse::HasChildren);
    }
    let people: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM sponsors WHERE kecamatan_code = $1 OR village_code = $1)
              + (SELECT COUNT(*) FROM volunteers WHERE region_code = $1 AND status = 'active')
              + (SELECT COUNT(*) FROM coordinators WHERE scope_code = $1)",
    )
    .bind(code.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok(if people > 0 {
        InUse::UsedByPeople
    } else {
        InUse::Free
    })
}

pub async fn delete(conn: &mut Conn, code: &RegionCode) -> Result<bool> {
    let done = sqlx::query("DELETE FROM regions WHERE code = $1")
        .bind(code.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The time zone of a region: its own, or the nearest ancestor's.
pub async fn timezone(conn: &mut Conn, code: &RegionCode) -> Result<Option<String>> {
    let mut cur = Some(code.clone());
    while let Some(c) = cur {
        if let Some(tz) = get(conn, &c).await?.and_then(|r| r.timezone) {
            return Ok(Some(tz));
        }
        cur = c.parent();
    }
    Ok(None)
}

/// The point of the nearest region with one, from `code` up (a village without a point falls back to its
/// kecamatan's): where the family is taken to live.
pub async fn point(conn: &mut Conn, code: &RegionCode) -> Result<Option<GeoPoint>> {
    let mut at = Some(code.clone());
    while let Some(c) = at {
        if let Some(p) = point_of(conn, &c).await? {
            return Ok(Some(p));
        }
        at = c.parent();
    }
    Ok(None)
}

/// The region's own point, if it has one.
pub async fn point_of(conn: &mut Conn, code: &RegionCode) -> Result<Option<GeoPoint>> {
    let row: Option<(Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT lat_e6, lon_e6 FROM regions WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        Some((Some(lat), Some(lon))) => GeoPoint::from_e6(lat, lon),
        _ => None,
    })
}

/// Sets (or clears) a region's point.
pub async fn set_point(conn: &mut Conn, code: &RegionCode, p: Option<GeoPoint>) -> Result<bool> {
    let done = sqlx::query("UPDATE regions SET lat_e6 = $2, lon_e6 = $3 WHERE code = $1")
        .bind(code.as_str())
        .bind(p.map(GeoPoint::lat_e6))
        .bind(p.map(GeoPoint::lon_e6))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
