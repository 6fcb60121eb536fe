//! Files sent for import, handled one at a time by the import worker (download, check, apply, report).

use super::{Backend, Conn, Db, Result, millis};
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub chat_id: i64,
    pub requested_by: i64,
    pub file_id: String,
    pub file_name: String,
    pub attempts: i64,
}

pub async fn create(
    conn: &mut Conn,
    kind: &str,
    chat_id: i64,
    by: i64,
    file_id: &str,
    file_name: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO import_jobs (kind, chat_id, requested_by, file_id, file_name, status, attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6) RETURNING id",
    )
    .bind(kind)
    .bind(chat_id)
    .bind(by)
    .bind(file_id)
    .bind(file_name)
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?)
}

/// Claims the oldest job that is pending (or whose worker died), for `lease`.
pub async fn claim(db: &Db, now: DateTime<Utc>, lease: Duration) -> Result<Option<Job>> {
    let lock = match db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE import_jobs SET status = 'running', lease_until = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM import_jobs
                     WHERE status = 'pending' OR (status = 'running' AND lease_until < $1)
                     ORDER BY id LIMIT 1{lock})
         RETURNING id, kind, chat_id, requested_by, file_id, file_name, attempts"
    );
    let mut conn = db.conn().await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(millis(now))
        .bind(millis(now + lease))
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(Job {
            id: r.try_get(0)?,
            kind: r.try_get(1)?,
            chat_id: r.try_get(2)?,
            requested_by: r.try_get(3)?,
            file_id: r.try_get(4)?,
            file_name: r.try_get(5)?,
            attempts: r.try_get(6)?,
        })
    })
    .transpose()
}

/// Ends a job with its report (`done`) or gives it up (`failed`).
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    ok: bool,
    report: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("UPDATE import_jobs SET status = $2, report = $3, finished_at = $4, lease_until = NULL WHERE id = $1")
        .bind(id)
        .bind(if ok { "done" } else { "failed" })
        .bind(report)
        .bind(millis(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts a job back to be tried again after a failed download.
pub async fn retry(conn: &mut Conn, id: i64, at: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE import_jobs SET status = 'running', lease_until = $2 WHERE id = $1")
        .bind(id)
        .bind(millis(at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
