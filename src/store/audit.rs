//! The audit log: who changed what, when. Written in the transaction of the change itself.

use super::{Conn, Result, millis};
use crate::domain::UserId;
use chrono::{DateTime, Utc};

/// Records one change. `actor` is `None` for the server itself (CLI, `ASUH_ADMINS`).
pub async fn record(
    conn: &mut Conn,
    now: DateTime<Utc>,
    actor: Option<UserId>,
    action: &str,
    subject: &str,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(millis(now))
    .bind(actor.map(|a| a.0))
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
