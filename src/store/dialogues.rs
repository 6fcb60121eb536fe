//! Dialogue state per user, as JSON, so that a conversation survives a restart.

use super::{Conn, Result, millis};
use crate::domain::UserId;
use crate::domain::dialogue::Dialogue;
use chrono::{DateTime, Utc};

/// The user's dialogue; `Idle` when none is stored or the stored one no longer parses (after an upgrade
/// changed the steps, starting over beats failing forever).
pub async fn load(conn: &mut Conn, user: UserId) -> Result<Dialogue> {
    let state: Option<String> =
        sqlx::query_scalar("SELECT state FROM dialogues WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(state
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

pub async fn save(
    conn: &mut Conn,
    user: UserId,
    dialogue: &Dialogue,
    now: DateTime<Utc>,
) -> Result<()> {
    if dialogue.is_idle() {
        sqlx::query("DELETE FROM dialogues WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    let json =
        serde_json::to_string(dialogue).map_err(|e| super::StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO dialogues (user_id, state, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(json)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
