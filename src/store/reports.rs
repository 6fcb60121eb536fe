//! Reports: the jobs coordinators ask for (built by the report worker), and the reads a report is made of.
//! Every read selects children by [`Area`] bounds and their deliveries by a range of `due_at` (the index on
//! `(child_id, due_at)`), then the exact local dates; sponsors, names and regions come in batches, never one
//! query per row.

use super::confirmations::ConfirmedAs;
use super::deliveries::{date, date_text};
use super::{Area, Backend, Conn, Db, Result, StoreError, millis};
use crate::domain::delivery::{Deliverer, DeliveryStatus};
use crate::domain::evidence::Outcome;
use crate::domain::report::{DAY_MS, Period};
use crate::domain::sponsorship::SponsorshipStatus;
use crate::domain::{RegionCode, UserId};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A report asked for and not finished yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub chat_id: i64,
    pub requested_by: UserId,
    /// `None`: the whole programme.
    pub region: Option<RegionCode>,
    pub period: Period,
    /// How many times it was claimed, this time included.
    pub attempts: i64,
}

/// Queues a report; the worker picks it up.
pub async fn create_job(
    conn: &mut Conn,
    chat_id: i64,
    by: UserId,
    region: Option<&RegionCode>,
    period: Period,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO report_jobs (chat_id, requested_by, region_code, from_date, to_date, status, attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6) RETURNING id",
    )
    .bind(chat_id)
    .bind(by.0)
    .bind(region.map(RegionCode::as_str))
    .bind(date_text(period.from()))
    .bind(date_text(period.to()))
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?)
}

fn job(r: &AnyRow) -> Result<Job> {
    let region: Option<String> = r.try_get("region_code")?;
    let region = region
        .map(|c| {
            RegionCode::parse(&c).map_err(|_| StoreError::Corrupt(format!("report region {c}")))
        })
        .transpose()?;
    let from = date(&r.try_get::<String, _>("from_date")?)?;
    let to = date(&r.try_get::<String, _>("to_date")?)?;
    Ok(Job {
        id: r.try_get("id")?,
        chat_id: r.try_get("chat_id")?,
        requested_by: UserId(r.try_get("requested_by")?),
        region,
        period: Period::new(from, to)
            .map_err(|e| StoreError::Corrupt(format!("report period {from}..{to}: {e}")))?,
        attempts: r.try_get("attempts")?,
    })
}

/// Claims the oldest job that is pending, or whose worker died or whose retry is due, for `lease`.
pub async fn claim(db: &Db, now: DateTime<Utc>, lease: Duration) -> Result<Option<Job>> {
    let lock = match db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE report_jobs SET status = 'running', lease_until = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM report_jobs
                     WHERE status = 'pending' OR (status = 'running' AND lease_until < $1)
                     ORDER BY id LIMIT 1{lock})
         RETURNING id, chat_id, requested_by, region_code, from_date, to_date, attempts"
    );
    let mut conn = db.conn().await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(millis(now))
        .bind(millis(now + lease))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(job).transpose()
}

/// Ends a job this claim still owns: `done`, or `failed` with the reason. False when another worker took it
/// over meanwhile (this one's lease ran out), so only one of them reports.
pub async fn finish(
    conn: &mut Conn,
    job: &Job,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE report_jobs SET status = $3, error = $4, finished_at = $5, lease_until = NULL
         WHERE id = $1 AND attempts = $2 AND status = 'running'",
    )
    .bind(job.id)
    .bind(job.attempts)
    .bind(if error.is_none() { "done" } else { "failed" })
    .bind(error)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Puts a job that failed back, to be claimed again at `at`.
pub async fn retry(conn: &mut Conn, job: &Job, error: &str, at: DateTime<Utc>) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE report_jobs SET lease_until = $3, error = $4
         WHERE id = $1 AND attempts = $2 AND status = 'running'",
    )
    .bind(job.id)
    .bind(job.attempts)
    .bind(millis(at))
    .bind(error)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

// --- what a report is made of ----------------------------------------------------------------------------

/// A sponsorship active at some time in the period, of a child in the area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SponsorshipData {
    pub id: i64,
    pub child: ChildData,
    pub sponsor: i64,
    pub sponsor_name: Option<String>,
    pub office: Option<i64>,
    pub status: SponsorshipStatus,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub package: Option<i64>,
    pub cadence: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildData {
    pub id: i64,
    pub name: String,
    pub kecamatan: String,
    pub village: Option<String>,
    pub puskesmas: Option<String>,
}

/// One delivery with one of its confirmations (and that confirmation's photos): a delivery with several
/// reports comes as several rows, one without any as one row without a confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryData {
    pub id: i64,
    pub child: i64,
    pub sponsorship: i64,
    pub sponsor: i64,
    pub due_on: NaiveDate,
    pub due_at: i64,
    pub status: DeliveryStatus,
    pub deliverer: Deliverer,
    pub confirmed_at: Option<i64>,
    pub confirmation: Option<ConfirmationData>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationData {
    pub id: i64,
    pub by: i64,
    pub role: ConfirmedAs,
    pub outcome: Outcome,
    pub at: i64,
    /// In the order they were sent.
    pub photos: Vec<PhotoData>,
}

/// A photo: its SHA-256 and key in the media store, once downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoData {
    pub sha256: Option<String>,
    pub storage_key: Option<String>,
}

/// `sha key;sha key` (either may be empty) as photos. Hashes are hex and keys hold no spaces or `;`.
fn photos(list: Option<&str>) -> Vec<PhotoData> {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    list.map_or_else(Vec::new, |list| {
        list.split(';')
            .map(|p| {
                let (sha, key) = p.split_once(' ').unwrap_or((p, ""));
                PhotoData {
                    sha256: some(sha),
                    storage_key: some(key),
                }
            })
            .collect()
    })
}

fn corrupt(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

/// UTC milliseconds of midnight (UTC) of a date: bounds for `due_at`, which is local midnight in UTC.
fn utc_midnight(d: NaiveDate) -> i64 {
    d.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

/// Sponsorships of children in `area` that had started before `started_before` and had not ended before
/// `ended_after` (UTC ms; the caller widens them by a day and checks each one's local dates).
pub async fn sponsorships(
    conn: &mut Conn,
    area: &Area,
    started_before: i64,
    ended_after: i64,
) -> Result<Vec<SponsorshipData>> {
    let sql = format!(
        "SELECT sp.id, sp.child_id, sp.sponsor_id, sp.status, sp.started_at, sp.ended_at, sp.package_id,
             sp.cadence_id, c.full_name, c.kecamatan_code, c.village_code, c.puskesmas,
             s.full_name AS sponsor_name, s.office_id
         FROM children c
         JOIN sponsorships sp ON sp.child_id = c.id
         LEFT JOIN sponsors s ON s.user_id = sp.sponsor_id
         WHERE {} AND sp.started_at < $4 AND (sp.ended_at IS NULL OR sp.ended_at >= $5)",
        Area::condition("c", 1)
    );
    let rows = area
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(started_before)
        .bind(ended_after)
        .try_map(|r: AnyRow| {
            let status: String = r.try_get("status")?;
            Ok(SponsorshipData {
                id: r.try_get("id")?,
                child: ChildData {
                    id: r.try_get("child_id")?,
                    name: r.try_get("full_name")?,
                    kecamatan: r.try_get("kecamatan_code")?,
                    village: r.try_get("village_code")?,
                    puskesmas: r.try_get("puskesmas")?,
                },
                sponsor: r.try_get("sponsor_id")?,
                sponsor_name: r.try_get("sponsor_name")?,
                office: r.try_get("office_id")?,
                status: SponsorshipStatus::parse(&status)
                    .ok_or_else(|| corrupt(format!("sponsorship status {status}")))?,
                started_at: r.try_get("started_at")?,
                ended_at: r.try_get("ended_at")?,
                package: r.try_get("package_id")?,
                cadence: r.try_get("cadence_id")?,
            })
        })
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows)
}

/// Deliveries of children in `area` whose local date falls in `period` (cancelled ones left out), each with
/// its confirmations and their photos (aggregated per confirmation: one row per delivery and report).
pub async fn deliveries(conn: &mut Conn, area: &Area, period: Period) -> Result<Vec<DeliveryData>> {
    // `due_at` is local midnight in UTC; every zone is within a day of UTC, so these bounds hold every
    // delivery of the period and let the index on (child_id, due_at) do the work; `due_on` then decides.
    let low = utc_midnight(period.from()) - DAY_MS;
    let high = utc_midnight(period.to()) + 2 * DAY_MS;
    let (confirmations, joined) = (
        "cf.id AS cf_id, cf.by_user, cf.by_role, cf.outcome, cf.created_at AS cf_at,
             (SELECT string_agg(COALESCE(e.sha256, '') || ' ' || COALESCE(e.storage_key, ''), ';' ORDER BY e.id)
              FROM evidence e WHERE e.delivery_id = d.id AND e.confirmation_id = cf.id) AS photos",
        "LEFT JOIN confirmations cf ON cf.delivery_id = d.id",
    );
    let sql = format!(
        "SELECT d.id, d.child_id, d.sponsorship_id, d.sponsor_id, d.due_on, d.due_at, d.status, d.deliverer,
             d.confirmed_at, {confirmations}
         FROM children c
         JOIN deliveries d ON d.child_id = c.id
         {joined}
         WHERE {} AND d.due_at >= $4 AND d.due_at < $5 AND d.due_on >= $6 AND d.due_on <= $7
             AND d.status <> 'cancelled'",
        Area::condition("c", 1)
    );
    let rows = area
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(low)
        .bind(high)
        .bind(date_text(period.from()))
        .bind(date_text(period.to()))
        .try_map(|r: AnyRow| {
            let confirmation = match r.try_get::<Option<i64>, _>("cf_id")? {
                None => None,
                Some(id) => {
                    let role: String = r.try_get("by_role")?;
                    let outcome: String = r.try_get("outcome")?;
                    Some(ConfirmationData {
                        id,
                        by: r.try_get("by_user")?,
                        role: ConfirmedAs::parse(&role)
                            .ok_or_else(|| corrupt(format!("confirmed as {role}")))?,
                        outcome: Outcome::parse(&outcome)
                            .ok_or_else(|| corrupt(format!("outcome {outcome}")))?,
                        at: r.try_get("cf_at")?,
                        photos: photos(r.try_get::<Option<String>, _>("photos")?.as_deref()),
                    })
                }
            };
            facts(&r, confirmation)
        })
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows)
}

/// [`deliveries`] without confirmations: each delivery once, with the facts its standing is decided by
/// and no more (a regency's quarter is some 50,000 deliveries). One row per child of the area, its
/// deliveries of the period folded into one text (see [`unfold`]): the database drivers'
/// work per row (a message, a row converted to sqlx's `Any` values, a channel hop on SQLite) cost more
/// than finding the deliveries, and a child has about nine in a quarter. Each child's are found through
/// `(child_id, due_at)` (on SQLite that index holds the facts too, so the table is not read). The area's
/// children are read in two halves by id (even, odd) at once, each on a connection of its own, so that
/// the database's work and the decoding use more than one core.
pub async fn delivery_facts(db: &Db, area: &Area, period: Period) -> Result<Vec<DeliveryData>> {
    let low = utc_midnight(period.from()) - DAY_MS;
    let high = utc_midnight(period.to()) + 2 * DAY_MS;
    let sql = format!(
        "SELECT c.id,
             (SELECT string_agg(concat_ws(',', d.id, d.sponsorship_id, d.sponsor_id, d.due_on, d.due_at,
                                          d.status, d.deliverer, d.confirmed_at), ';')
              FROM deliveries d
              WHERE d.child_id = c.id AND d.due_at >= $4 AND d.due_at < $5
                  AND d.due_on >= $6 AND d.due_on <= $7 AND d.status <> 'cancelled')
         FROM children c
         WHERE {} AND c.id % 2 = $8",
        Area::condition("c", 1)
    );
    let (from, to) = (date_text(period.from()), date_text(period.to()));
    let part = |part: i64| {
        let (sql, from, to) = (sql.clone(), from.clone(), to.clone());
        async move {
            let mut conn = db.conn().await?;
            let rows = area
                .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
                .bind(low)
                .bind(high)
                .bind(from)
                .bind(to)
                .bind(part)
                .try_map(|r: AnyRow| {
                    Ok((r.try_get::<i64, _>(0)?, r.try_get::<Option<String>, _>(1)?))
                })
                .fetch_all(&mut *conn)
                .await?;
            let mut out = Vec::new();
            for (child, folded) in rows {
                for one in folded.as_deref().unwrap_or_default().split(';') {
                    if !one.is_empty() {
                        out.push(unfold(child, one)?);
                    }
                }
            }
            Ok::<_, StoreError>(out)
        }
    };
    let (mut all, odd) = tokio::try_join!(part(0), part(1))?;
    all.extend(odd);
    Ok(all)
}

/// One delivery of `child` from [`delivery_facts`]'s text: `id,sponsorship_id,sponsor_id,due_on,due_at,
/// status,deliverer,confirmed_at` (left out when not confirmed). No field holds a `,` or `;`: numbers, a date,
/// and the statuses' and deliverers' names.
fn unfold(child: i64, text: &str) -> Result<DeliveryData> {
    let bad = || StoreError::Corrupt(format!("delivery facts {text}"));
    let mut f = text.split(',');
    let mut next = || f.next().ok_or_else(bad);
    let number = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let (id, sponsorship, sponsor) = (number(next()?)?, number(next()?)?, number(next()?)?);
    let due_on = date(next()?)?;
    let due_at = number(next()?)?;
    let (status, deliverer) = (next()?, next()?);
    // `concat_ws` leaves out a NULL, so an unconfirmed delivery has no last field.
    let confirmed_at = f.next().unwrap_or_default();
    if f.next().is_some() {
        return Err(bad());
    }
    Ok(DeliveryData {
        id,
        child,
        sponsorship,
        sponsor,
        due_on,
        due_at,
        status: DeliveryStatus::parse(status).ok_or_else(bad)?,
        deliverer: Deliverer::parse(deliverer).ok_or_else(bad)?,
        confirmed_at: match confirmed_at {
            "" => None,
            at => Some(number(at)?),
        },
        confirmation: None,
    })
}

/// A delivery's facts from the columns [`deliveries`] selects first (`d.id` … `d.confirmed_at`).
fn facts(
    r: &AnyRow,
    confirmation: Option<ConfirmationData>,
) -> std::result::Result<DeliveryData, sqlx::Error> {
    // By position (0–8): a name is looked up among the columns for every row.
    let status: &str = r.try_get(6)?;
    let deliverer: &str = r.try_get(7)?;
    let due_on: &str = r.try_get(4)?;
    Ok(DeliveryData {
        id: r.try_get(0)?,
        child: r.try_get(1)?,
        sponsorship: r.try_get(2)?,
        sponsor: r.try_get(3)?,
        due_on: date(due_on).map_err(|e| corrupt(e.to_string()))?,
        due_at: r.try_get(5)?,
        status: DeliveryStatus::parse(status)
            .ok_or_else(|| corrupt(format!("delivery status {status}")))?,
        deliverer: Deliverer::parse(deliverer)
            .ok_or_else(|| corrupt(format!("deliverer {deliverer}")))?,
        confirmed_at: r.try_get(8)?,
        confirmation,
    })
}

/// How many ids go into one `IN (…)` list.
const BATCH: usize = 500;

/// Runs `select` (ending in `IN `) once per batch of `ids`, mapping each row with `map`.
async fn in_batches<T: Send + Unpin + 'static>(
    conn: &mut Conn,
    select: &str,
    ids: &[i64],
    map: fn(AnyRow) -> std::result::Result<T, sqlx::Error>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(BATCH) {
        let list = super::in_list(1, chunk.len());
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("{select}({list})")));
        for id in chunk {
            query = query.bind(*id);
        }
        out.extend(query.try_map(map).fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// Sponsors by user id: (id, full name, office).
pub async fn sponsors(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String, Option<i64>)>> {
    in_batches(
        conn,
        "SELECT user_id, full_name, office_id FROM sponsors WHERE user_id IN ",
        ids,
        |r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)),
    )
    .await
}

/// Children by id.
pub async fn children(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ChildData>> {
    in_batches(
        conn,
        "SELECT id, full_name, kecamatan_code, village_code, puskesmas FROM children WHERE id IN ",
        ids,
        |r| {
            Ok(ChildData {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                kecamatan: r.try_get(2)?,
                village: r.try_get(3)?,
                puskesmas: r.try_get(4)?,
            })
        },
    )
    .await
}

/// People by user id, as the report names them: a sponsor by their registered name, anyone else by the
/// name Telegram gives.
pub async fn people(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    in_batches(
        conn,
        "SELECT u.id, COALESCE(s.full_name, u.first_name) FROM users u
         LEFT JOIN sponsors s ON s.user_id = u.id WHERE u.id IN ",
        ids,
        |r| Ok((r.try_get(0)?, r.try_get(1)?)),
    )
    .await
}

/// Regions inside the area's kecamatan range (the kecamatan and their villages): (code, name).
pub async fn regions(conn: &mut Conn, area: &Area) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT code, name FROM regions WHERE code >= $1 AND code < $2")
            .bind(area.kecamatan_from.as_str())
            .bind(area.kecamatan_to.as_str())
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// Every office: (id, name).
pub async fn offices(conn: &mut Conn) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, name FROM offices")
        .fetch_all(&mut *conn)
        .await?)
}

/// Every package and cadence by id: (id, name) each.
pub async fn plan_names(conn: &mut Conn) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
    let packages = sqlx::query_as("SELECT id, name FROM packages")
        .fetch_all(&mut *conn)
        .await?;
    let cadences = sqlx::query_as("SELECT id, name FROM cadences")
        .fetch_all(&mut *conn)
        .await?;
    Ok((packages, cadences))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_unfolds_from_its_facts() {
        let d = unfold(
            7,
            "11,22,33,2026-11-02,1793548800000,confirmed,volunteer,1793552400000",
        )
        .expect("facts");
        assert_eq!(
            (
                d.id,
                d.child,
                d.sponsorship,
                d.sponsor,
                d.due_at,
                d.confirmed_at
            ),
            (11, 7, 22, 33, 1_793_548_800_000, Some(1_793_552_400_000))
        );
        assert_eq!(
            d.due_on,
            NaiveDate::from_ymd_opt(2026, 11, 2).expect("date")
        );
        assert_eq!(d.status, DeliveryStatus::Confirmed);
        assert_eq!(d.deliverer, Deliverer::Volunteer);
        let open = unfold(7, "11,22,33,2026-11-02,1793548800000,overdue,sponsor").expect("facts");
        assert_eq!(open.confirmed_at, None);
        for bad in [
            "11,22,33,2026-11-02,1793548800000,overdue",
            "x,22,33,2026-11-02,1,due,sponsor",
            "11,22,33,2026-11-02,1,due,sponsor,soon",
            "11,22,33,2026-11-02,1,confirmed,sponsor,5,6",
            "",
        ] {
            assert!(unfold(7, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn photos_come_as_hash_and_key_pairs() {
        assert_eq!(photos(None), Vec::new());
        let got = photos(Some("ab ab/ab/ab.jpg; ;cd "));
        let p = |sha: Option<&str>, key: Option<&str>| PhotoData {
            sha256: sha.map(str::to_owned),
            storage_key: key.map(str::to_owned),
        };
        assert_eq!(
            got,
            vec![
                p(Some("ab"), Some("ab/ab/ab.jpg")),
                p(None, None),
                p(Some("cd"), None)
            ]
        );
    }
}
