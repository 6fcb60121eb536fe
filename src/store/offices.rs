//! Offices (OPD) that sponsors belong to.

use super::{Conn, Result, millis};
use crate::domain::OfficeId;
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub id: OfficeId,
    pub name: String,
}

/// Adds an office; `None` when one of that name (ignoring case) exists already.
pub async fn add(conn: &mut Conn, name: &str, now: DateTime<Utc>) -> Result<Option<OfficeId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO offices (name, name_key, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name_key) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(name.to_lowercase())
    .bind(millis(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(OfficeId))
}

pub async fn list(conn: &mut Conn) -> Result<Vec<Office>> {
    let rows = sqlx::query("SELECT id, name FROM offices ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Office {
                id: OfficeId(r.try_get(0)?),
                name: r.try_get(1)?,
            })
        })
        .collect()
}

pub async fn name(conn: &mut Conn, id: OfficeId) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM offices WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The office's own commitment, if it set one.
pub async fn commitment(
    conn: &mut Conn,
    id: OfficeId,
) -> Result<Option<crate::domain::sponsorship::Commitment>> {
    let row = sqlx::query("SELECT months, monthly_amount FROM offices WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let months: Option<i64> = row.try_get(0)?;
    let amount: Option<i64> = row.try_get(1)?;
    Ok(months
        .zip(amount)
        .and_then(|(m, a)| crate::domain::sponsorship::Commitment::new(m, a)))
}

pub async fn set_commitment(
    conn: &mut Conn,
    id: OfficeId,
    c: crate::domain::sponsorship::Commitment,
) -> Result<bool> {
    let done = sqlx::query("UPDATE offices SET months = $2, monthly_amount = $3 WHERE id = $1")
        .bind(id.0)
        .bind(i64::from(c.months))
        .bind(i64::try_from(c.monthly_amount).unwrap_or(i64::MAX))
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
