//! Sponsor registrations and their status.

use super::{Conn, Result, StoreError, from_millis, inside, millis};
use crate::domain::role::{Scope, SponsorStatus};
use crate::domain::sponsor::{Affiliation, Area, Capacity, PersonName, Phone, Registration};
use crate::domain::{OfficeId, RegionCode, UserId};
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored registration with the names a person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sponsor {
    pub user: UserId,
    pub registration: Registration,
    pub status: SponsorStatus,
    pub office_name: Option<String>,
    pub kecamatan_name: Option<String>,
    pub village_name: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT s.user_id, s.full_name, s.phone, s.office_id, s.kecamatan_code, s.village_code, s.capacity,
        s.status, s.submitted_at, s.decided_by, s.decided_at, o.name AS office_name, k.name AS kecamatan_name,
        v.name AS village_name
    FROM sponsors s
    LEFT JOIN offices o ON o.id = s.office_id
    LEFT JOIN regions k ON k.code = s.kecamatan_code
    LEFT JOIN regions v ON v.code = s.village_code";

fn corrupt(what: &str) -> impl FnOnce(crate::domain::sponsor::InputError) -> StoreError + '_ {
    move |e| StoreError::Corrupt(format!("{what}: {e}"))
}

fn sponsor(row: &AnyRow) -> Result<Sponsor> {
    let code = |s: String| {
        RegionCode::parse(&s).map_err(|_| StoreError::Corrupt(format!("region code {s}")))
    };
    let status: String = row.try_get("status")?;
    let office: Option<i64> = row.try_get("office_id")?;
    let village: Option<String> = row.try_get("village_code")?;
    Ok(Sponsor {
        user: UserId(row.try_get("user_id")?),
        registration: Registration {
            name: PersonName::parse(row.try_get("full_name")?).map_err(corrupt("name"))?,
            phone: Phone::parse(row.try_get("phone")?).map_err(corrupt("phone"))?,
            affiliation: office.map_or(Affiliation::Community, |id| {
                Affiliation::Office(OfficeId(id))
            }),
            area: Area {
                kecamatan: code(row.try_get("kecamatan_code")?)?,
                village: village.map(code).transpose()?,
            },
            capacity: Capacity::new(row.try_get("capacity")?).map_err(corrupt("capacity"))?,
        },
        status: SponsorStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        office_name: row.try_get("office_name")?,
        kecamatan_name: row.try_get("kecamatan_name")?,
        village_name: row.try_get("village_name")?,
        submitted_at: from_millis(row.try_get("submitted_at")?),
        decided_by: row.try_get::<Option<i64>, _>("decided_by")?.map(UserId),
        decided_at: row
            .try_get::<Option<i64>, _>("decided_at")?
            .map(from_millis),
    })
}

/// Stores a submitted registration as pending. Returns `false`, changing nothing, when the user is already
/// pending or approved (a second submit from a stale summary).
pub async fn submit(
    conn: &mut Conn,
    user: UserId,
    r: &Registration,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO sponsors (user_id, full_name, phone, office_id, kecamatan_code, village_code, capacity, status,
                               submitted_at, decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, NULL, NULL)
         ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, phone = excluded.phone,
             office_id = excluded.office_id, kecamatan_code = excluded.kecamatan_code,
             village_code = excluded.village_code, capacity = excluded.capacity, status = 'pending',
             submitted_at = excluded.submitted_at, decided_by = NULL, decided_at = NULL
         WHERE sponsors.status IN ('rejected', 'revoked')",
    )
    .bind(user.0)
    .bind(r.name.as_str())
    .bind(r.phone.as_str())
    .bind(r.affiliation.office().map(|o| o.0))
    .bind(r.area.kecamatan.as_str())
    .bind(r.area.village.as_ref().map(|v| v.as_str().to_owned()))
    .bind(i64::from(r.capacity.get()))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn get(conn: &mut Conn, user: UserId) -> Result<Option<Sponsor>> {
    let sql = format!("{SELECT} WHERE s.user_id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(sponsor).transpose()
}

/// Moves a registration from `from` to `to`, only if it is still in `from`: of two coordinators pressing
/// Approve at once, exactly one succeeds.
pub async fn transition(
    conn: &mut Conn,
    user: UserId,
    from: SponsorStatus,
    to: SponsorStatus,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sponsors SET status = $3, decided_by = $4, decided_at = $5 WHERE user_id = $1 AND status = $2",
    )
    .bind(user.0)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(by.map(|b| b.0))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Sponsors with `status` inside a coordinator's scope, oldest first, and how many there are in all.
pub async fn list(
    conn: &mut Conn,
    scope: &Scope,
    status: SponsorStatus,
    limit: i64,
) -> Result<(Vec<Sponsor>, i64)> {
    let (rows, total) = match scope.code() {
        None => {
            let sql =
                format!("{SELECT} WHERE s.status = $1 ORDER BY s.submitted_at, s.user_id LIMIT $2");
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(status.as_str())
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?;
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sponsors WHERE status = $1")
                .bind(status.as_str())
                .fetch_one(&mut *conn)
                .await?;
            (rows, total)
        }
        Some(code) => {
            let sql = format!(
                "{SELECT} WHERE s.status = $1 AND (s.kecamatan_code = $2 OR s.kecamatan_code LIKE $3)
                 ORDER BY s.submitted_at, s.user_id LIMIT $4"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(status.as_str())
                .bind(code.as_str())
                .bind(inside(code.as_str()))
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?;
            let total: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sponsors WHERE status = $1 AND (kecamatan_code = $2 OR kecamatan_code LIKE $3)",
            )
            .bind(status.as_str())
            .bind(code.as_str())
            .bind(inside(code.as_str()))
            .fetch_one(&mut *conn)
            .await?;
            (rows, total)
        }
    };
    Ok((rows.iter().map(sponsor).collect::<Result<_>>()?, total))
}

/// The full name a sponsor registered with, for notices; their Telegram id when there is none.
pub async fn name(conn: &mut Conn, user: UserId) -> Result<String> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT full_name FROM sponsors WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(name.unwrap_or_else(|| user.to_string()))
}

/// [`name`] of many sponsors in a few statements.
pub async fn names(
    conn: &mut Conn,
    users: &[UserId],
) -> Result<std::collections::HashMap<UserId, String>> {
    let mut found = std::collections::HashMap::with_capacity(users.len());
    for chunk in users.chunks(super::SET_ROWS) {
        let sql = format!(
            "SELECT user_id, full_name FROM sponsors WHERE user_id IN ({})",
            super::in_list(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (i64, Option<String>)>(sqlx::AssertSqlSafe(sql));
        for u in chunk {
            q = q.bind(u.0);
        }
        for (id, name) in q.fetch_all(&mut *conn).await? {
            if let Some(name) = name {
                found.insert(UserId(id), name);
            }
        }
    }
    for u in users {
        found.entry(*u).or_insert_with(|| u.to_string());
    }
    Ok(found)
}

/// Approved sponsors Telegram has not reached since before `before` who still hold live sponsorships: their
/// id, when they became unreachable, and how many children they hold.
pub async fn unreachable_holding(
    conn: &mut Conn,
    before: DateTime<Utc>,
) -> Result<Vec<(UserId, DateTime<Utc>, i64)>> {
    let rows = sqlx::query(
        "SELECT s.user_id, u.unreachable_at, COUNT(p.id) FROM sponsors s
         JOIN users u ON u.id = s.user_id
         JOIN sponsorships p ON p.sponsor_id = s.user_id AND p.status IN ('proposed', 'held', 'active')
         WHERE s.status = 'approved' AND u.unreachable_at IS NOT NULL AND u.unreachable_at <= $1
         GROUP BY s.user_id, u.unreachable_at ORDER BY s.user_id",
    )
    .bind(millis(before))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                UserId(r.try_get(0)?),
                from_millis(r.try_get(1)?),
                r.try_get(2)?,
            ))
        })
        .collect()
}
