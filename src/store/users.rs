//! Users: everyone who ever wrote to the bot, with their language and reachability.

use super::{Conn, Result, StoreError, millis};
use crate::domain::role::{Roles, Scope, SponsorStatus};
use crate::domain::{Lang, RegionCode, UserId};
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub first_name: String,
    pub lang: Lang,
    /// This update is the first asuh ever got from them.
    pub first_contact: bool,
}

fn lang_of(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// Records that a user wrote to the bot: creates them on first contact (in Telegram's language), refreshes
/// their name, and clears an earlier "unreachable" mark, since they evidently reach us again.
pub async fn touch(
    conn: &mut Conn,
    id: UserId,
    first_name: &str,
    username: Option<&str>,
    telegram_lang: Lang,
    now: DateTime<Utc>,
) -> Result<User> {
    let row = sqlx::query(
        "INSERT INTO users (id, first_name, username, language, language_chosen, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5, $5)
         ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, username = excluded.username,
             unreachable_at = NULL, updated_at = excluded.updated_at
         RETURNING language, created_at",
    )
    .bind(id.0)
    .bind(first_name)
    .bind(username)
    .bind(telegram_lang.code())
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?;
    // An update leaves created_at alone, so it equals this call's time only for a new row.
    let created_at: i64 = row.try_get(1)?;
    Ok(User {
        id,
        first_name: first_name.to_owned(),
        lang: lang_of(row.try_get::<&str, _>(0)?),
        first_contact: created_at == millis(now),
    })
}

pub async fn set_language(
    conn: &mut Conn,
    id: UserId,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE users SET language = $2, language_chosen = 1, updated_at = $3 WHERE id = $1",
    )
    .bind(id.0)
    .bind(lang.code())
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The language to write to someone in; Indonesian for someone who never wrote to the bot.
pub async fn language(conn: &mut Conn, id: UserId) -> Result<Lang> {
    let code: Option<String> = sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(code.as_deref().map(lang_of).unwrap_or_default())
}

/// [`language`] of many people in a few statements (a reminder pass writes to thousands).
pub async fn languages(
    conn: &mut Conn,
    ids: &[UserId],
) -> Result<std::collections::HashMap<UserId, Lang>> {
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(super::SET_ROWS) {
        let sql = format!(
            "SELECT id, language FROM users WHERE id IN ({})",
            super::in_list(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (i64, Option<String>)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(id.0);
        }
        for (id, code) in q.fetch_all(&mut *conn).await? {
            found.insert(UserId(id), code.as_deref().map(lang_of).unwrap_or_default());
        }
    }
    for id in ids {
        found.entry(*id).or_default();
    }
    Ok(found)
}

/// The name Telegram gave us for a user, for lists shown to coordinators.
pub async fn first_name(conn: &mut Conn, id: UserId) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT first_name FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Telegram answered 403 for this user: stop writing to them until they write again.
pub async fn mark_unreachable(conn: &mut Conn, id: UserId, now: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET unreachable_at = $2 WHERE id = $1 AND unreachable_at IS NULL",
    )
    .bind(id.0)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// They unblocked the bot (or wrote again): messages may go to them.
pub async fn mark_reachable(conn: &mut Conn, id: UserId) -> Result<()> {
    sqlx::query("UPDATE users SET unreachable_at = NULL WHERE id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether the user ever wrote to the bot (Telegram lets a bot write only to those who did).
pub async fn known(conn: &mut Conn, id: UserId) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

pub async fn is_unreachable(conn: &mut Conn, id: UserId) -> Result<bool> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT unreachable_at FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(matches!(at, Some(Some(_))))
}

/// All roles of a user in one round trip.
pub async fn roles(conn: &mut Conn, id: UserId) -> Result<Roles> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM coordinators WHERE user_id = $1),
                (SELECT scope_code FROM coordinators WHERE user_id = $1),
                (SELECT status FROM sponsors WHERE user_id = $1),
                (SELECT region_code FROM volunteers WHERE user_id = $1 AND status = 'active')",
    )
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await?;
    let is_coordinator: i64 = row.try_get(0)?;
    let scope: Option<String> = row.try_get(1)?;
    let status: Option<String> = row.try_get(2)?;
    let volunteer: Option<String> = row.try_get(3)?;
    let code = |s: String| {
        RegionCode::parse(&s).map_err(|_| StoreError::Corrupt(format!("region code {s}")))
    };
    Ok(Roles {
        coordinator: if is_coordinator > 0 {
            Some(Scope::from_code(scope.map(code).transpose()?))
        } else {
            None
        },
        sponsor: status
            .map(|s| {
                SponsorStatus::parse(&s)
                    .ok_or_else(|| StoreError::Corrupt(format!("sponsor status {s}")))
            })
            .transpose()?,
        volunteer: volunteer.map(code).transpose()?,
    })
}
