//! Confirmations of deliveries, the evidence behind them (photos kept by content hash), flags on suspect
//! evidence, and the cases a coordinator must resolve.

use super::{Backend, Conn, Db, Result, StoreError, from_millis, millis};
use crate::domain::child::ChildId;
use crate::domain::evidence::{ExifFacts, FlagKind, GeoPoint, ImageKind, Outcome, Problem};
use crate::domain::{DeliveryId, UserId};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Who confirmed, in which capacity (kept: an auditor asks whether the family's sponsor vouched for itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmedAs {
    Sponsor,
    Volunteer,
    Coordinator,
}

impl ConfirmedAs {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sponsor => "sponsor",
            Self::Volunteer => "volunteer",
            Self::Coordinator => "coordinator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sponsor" => Some(Self::Sponsor),
            "volunteer" => Some(Self::Volunteer),
            "coordinator" => Some(Self::Coordinator),
            _ => None,
        }
    }
}

pub struct NewConfirmation<'a> {
    pub delivery: DeliveryId,
    pub child: ChildId,
    pub by: UserId,
    pub by_role: ConfirmedAs,
    pub outcome: Outcome,
    pub missing: &'a [String],
    pub problem: Option<Problem>,
    pub detail: Option<&'a str>,
    pub note: Option<&'a str>,
    pub place: Option<GeoPoint>,
    pub photos: usize,
}

/// Records a confirmation; `None` when the delivery already has one that says it was received.
pub async fn insert(
    conn: &mut Conn,
    c: &NewConfirmation<'_>,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let missing = (!c.missing.is_empty()).then(|| c.missing.join("\n"));
    Ok(sqlx::query_scalar(
        "INSERT INTO confirmations (delivery_id, child_id, by_user, by_role, outcome, missing, problem, detail,
             note, lat_e6, lon_e6, photos, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (delivery_id) WHERE outcome <> 'not_received' DO NOTHING RETURNING id",
    )
    .bind(c.delivery.0)
    .bind(c.child.0)
    .bind(c.by.0)
    .bind(c.by_role.as_str())
    .bind(c.outcome.as_str())
    .bind(missing)
    .bind(c.problem.map(Problem::as_str))
    .bind(c.detail)
    .bind(c.note)
    .bind(c.place.map(GeoPoint::lat_e6))
    .bind(c.place.map(GeoPoint::lon_e6))
    .bind(i64::try_from(c.photos).unwrap_or(i64::MAX))
    .bind(millis(now))
    .fetch_optional(&mut *conn)
    .await?)
}

#[derive(Debug, Clone)]
pub struct Confirmation {
    pub id: i64,
    pub delivery: DeliveryId,
    pub by: UserId,
    pub by_name: String,
    pub by_role: ConfirmedAs,
    pub outcome: Outcome,
    pub missing: Vec<String>,
    pub problem: Option<Problem>,
    pub detail: Option<String>,
    pub note: Option<String>,
    pub place: Option<GeoPoint>,
    pub at: DateTime<Utc>,
}

fn point(lat: Option<i64>, lon: Option<i64>) -> Option<GeoPoint> {
    GeoPoint::from_e6(lat?, lon?)
}

fn confirmation(r: &AnyRow) -> Result<Confirmation> {
    let role: String = r.try_get("by_role")?;
    let outcome: String = r.try_get("outcome")?;
    let problem: Option<String> = r.try_get("problem")?;
    let missing: Option<String> = r.try_get("missing")?;
    Ok(Confirmation {
        id: r.try_get("id")?,
        delivery: DeliveryId(r.try_get("delivery_id")?),
        by: UserId(r.try_get("by_user")?),
        by_name: r.try_get("first_name")?,
        by_role: ConfirmedAs::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("confirmed as {role}")))?,
        outcome: Outcome::parse(&outcome)
            .ok_or_else(|| StoreError::Corrupt(format!("outcome {outcome}")))?,
        missing: missing
            .map(|m| m.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        problem: problem.as_deref().and_then(Problem::parse),
        detail: r.try_get("detail")?,
        note: r.try_get("note")?,
        place: point(r.try_get("lat_e6")?, r.try_get("lon_e6")?),
        at: from_millis(r.try_get("created_at")?),
    })
}

/// A delivery's confirmations and reports, oldest first.
pub async fn of_delivery(conn: &mut Conn, d: DeliveryId) -> Result<Vec<Confirmation>> {
    let rows = sqlx::query(
        "SELECT c.id, c.delivery_id, c.by_user, COALESCE(u.first_name, '') AS first_name, c.by_role,
             c.outcome, c.missing, c.problem, c.detail, c.note, c.lat_e6, c.lon_e6, c.created_at
         FROM confirmations c LEFT JOIN users u ON u.id = c.by_user
         WHERE c.delivery_id = $1 ORDER BY c.id",
    )
    .bind(d.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(confirmation).collect()
}

// --- evidence --------------------------------------------------------------------------------------

pub struct NewEvidence<'a> {
    pub confirmation: i64,
    pub delivery: DeliveryId,
    pub sent_by: UserId,
    pub received_at: DateTime<Utc>,
    pub file_id: &'a str,
    pub file_unique_id: &'a str,
    pub as_document: bool,
    pub place: Option<GeoPoint>,
}

/// Records a picture to be downloaded as soon as possible.
pub async fn add_evidence(conn: &mut Conn, e: &NewEvidence<'_>, now: DateTime<Utc>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO evidence (confirmation_id, delivery_id, sent_by, received_at, file_id, file_unique_id,
             as_document, lat_e6, lon_e6, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10, $10) RETURNING id",
    )
    .bind(e.confirmation)
    .bind(e.delivery.0)
    .bind(e.sent_by.0)
    .bind(millis(e.received_at))
    .bind(e.file_id)
    .bind(e.file_unique_id)
    .bind(i64::from(e.as_document))
    .bind(e.place.map(GeoPoint::lat_e6))
    .bind(e.place.map(GeoPoint::lon_e6))
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?)
}

/// Where a picture stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceState {
    /// Not downloaded yet (or a try failed and another is due).
    Pending,
    Stored,
    /// Not a picture, or over Telegram's download limit.
    Refused,
    /// Every download failed.
    Failed,
}

impl EvidenceState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Stored => "stored",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "stored" => Some(Self::Stored),
            "refused" => Some(Self::Refused),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Evidence {
    pub id: i64,
    pub confirmation: i64,
    pub delivery: DeliveryId,
    pub sent_by: UserId,
    pub received_at: DateTime<Utc>,
    pub file_id: String,
    pub file_unique_id: String,
    pub as_document: bool,
    pub place: Option<GeoPoint>,
    pub state: EvidenceState,
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub kind: Option<ImageKind>,
    pub storage_key: Option<String>,
    pub taken_at: Option<NaiveDateTime>,
    pub taken_place: Option<GeoPoint>,
    pub attempts: i64,
    pub error: Option<String>,
}

const EVIDENCE: &str = "id, confirmation_id, delivery_id, sent_by, received_at, file_id, file_unique_id,
    as_document, lat_e6, lon_e6, state, sha256, size, kind, storage_key, taken_at, exif_lat_e6, exif_lon_e6,
    attempts, error";

const TAKEN_AT: &str = "%Y-%m-%d %H:%M:%S";

fn evidence(r: &AnyRow) -> Result<Evidence> {
    let state: String = r.try_get("state")?;
    let kind: Option<String> = r.try_get("kind")?;
    let taken: Option<String> = r.try_get("taken_at")?;
    Ok(Evidence {
        id: r.try_get("id")?,
        confirmation: r.try_get("confirmation_id")?,
        delivery: DeliveryId(r.try_get("delivery_id")?),
        sent_by: UserId(r.try_get("sent_by")?),
        received_at: from_millis(r.try_get("received_at")?),
        file_id: r.try_get("file_id")?,
        file_unique_id: r.try_get("file_unique_id")?,
        as_document: r.try_get::<i64, _>("as_document")? != 0,
        place: point(r.try_get("lat_e6")?, r.try_get("lon_e6")?),
        state: EvidenceState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("evidence state {state}")))?,
        sha256: r.try_get("sha256")?,
        size: r.try_get("size")?,
        kind: kind.as_deref().and_then(ImageKind::parse),
        storage_key: r.try_get("storage_key")?,
        taken_at: taken
            .as_deref()
            .and_then(|t| NaiveDateTime::parse_from_str(t, TAKEN_AT).ok()),
        taken_place: point(r.try_get("exif_lat_e6")?, r.try_get("exif_lon_e6")?),
        attempts: r.try_get("attempts")?,
        error: r.try_get("error")?,
    })
}

pub async fn evidence_of_delivery(conn: &mut Conn, d: DeliveryId) -> Result<Vec<Evidence>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {EVIDENCE} FROM evidence WHERE delivery_id = $1 ORDER BY id"
    )))
    .bind(d.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(evidence).collect()
}

pub async fn get_evidence(conn: &mut Conn, id: i64) -> Result<Option<Evidence>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {EVIDENCE} FROM evidence WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(evidence).transpose()
}

const CLAIM_SQLITE: &str = "UPDATE evidence SET next_attempt_at = $2, attempts = attempts + 1, updated_at = $3
    WHERE id IN (SELECT id FROM evidence WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $4)
    RETURNING id";

const CLAIM_POSTGRES: &str = "UPDATE evidence SET next_attempt_at = $2, attempts = attempts + 1, updated_at = $3
    WHERE id IN (SELECT id FROM evidence WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $4
                 FOR UPDATE SKIP LOCKED)
    RETURNING id";

/// Claims up to `limit` pictures whose download is due, for `lease` (a process that dies mid-download
/// leaves them to be tried again when the lease ends). Each claim counts as an attempt.
pub async fn claim_downloads(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Evidence>> {
    let sql = match db.backend() {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let mut conn = db.conn().await?;
    let ids: Vec<i64> = sqlx::query_scalar(sql)
        .bind(millis(now))
        .bind(millis(now + lease))
        .bind(millis(now))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let mut claimed = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(e) = get_evidence(&mut conn, id).await? {
            claimed.push(e);
        }
    }
    claimed.sort_by_key(|e| e.id);
    Ok(claimed)
}

/// When the next download is due, if any.
pub async fn next_download(conn: &mut Conn) -> Result<Option<DateTime<Utc>>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(next_attempt_at) FROM evidence WHERE next_attempt_at IS NOT NULL",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(at.map(from_millis))
}

pub struct Stored<'a> {
    pub sha256: &'a str,
    pub size: usize,
    pub kind: ImageKind,
    pub key: &'a str,
    pub exif: ExifFacts,
}

pub async fn mark_stored(
    conn: &mut Conn,
    id: i64,
    s: &Stored<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE evidence SET state = 'stored', sha256 = $2, size = $3, kind = $4, storage_key = $5,
             taken_at = $6, exif_lat_e6 = $7, exif_lon_e6 = $8, next_attempt_at = NULL, error = NULL,
             updated_at = $9
         WHERE id = $1",
    )
    .bind(id)
    .bind(s.sha256)
    .bind(i64::try_from(s.size).unwrap_or(i64::MAX))
    .bind(s.kind.as_str())
    .bind(s.key)
    .bind(s.exif.taken_at.map(|t| t.format(TAKEN_AT).to_string()))
    .bind(s.exif.place.map(GeoPoint::lat_e6))
    .bind(s.exif.place.map(GeoPoint::lon_e6))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Settles a picture that will not be stored (refused or failed for good), with the reason.
pub async fn settle(
    conn: &mut Conn,
    id: i64,
    state: EvidenceState,
    error: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE evidence SET state = $2, error = $3, next_attempt_at = NULL, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(error)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A failed try: the download is tried again at `at`.
pub async fn retry_download(
    conn: &mut Conn,
    id: i64,
    at: DateTime<Utc>,
    error: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE evidence SET next_attempt_at = $2, error = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(millis(at))
    .bind(error)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The first delivery (other than `delivery`) that used the same picture: same Telegram file or same bytes.
/// Two indexed lookups rather than one `OR`, so neither scans the table.
pub async fn first_use(
    conn: &mut Conn,
    delivery: DeliveryId,
    file_unique_id: &str,
    sha256: Option<&str>,
) -> Result<Option<DeliveryId>> {
    let by_file: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(delivery_id) FROM evidence WHERE file_unique_id = $1 AND delivery_id <> $2",
    )
    .bind(file_unique_id)
    .bind(delivery.0)
    .fetch_one(&mut *conn)
    .await?;
    let by_bytes: Option<i64> = match sha256 {
        Some(sha) => {
            sqlx::query_scalar(
                "SELECT MIN(delivery_id) FROM evidence WHERE sha256 = $1 AND delivery_id <> $2",
            )
            .bind(sha)
            .bind(delivery.0)
            .fetch_one(&mut *conn)
            .await?
        }
        None => None,
    };
    Ok(match (by_file, by_bytes) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
    .map(DeliveryId))
}

// --- flags ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct FlagRow {
    pub evidence: i64,
    pub delivery: DeliveryId,
    pub kind: FlagKind,
    pub other_delivery: Option<DeliveryId>,
    pub km: Option<i64>,
    pub days: Option<i64>,
    pub at: DateTime<Utc>,
}

/// Flags a picture; returns whether the flag is new (each kind is raised once per picture).
pub async fn flag(conn: &mut Conn, f: &FlagRow) -> Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO evidence_flags (evidence_id, delivery_id, kind, other_delivery, km, days, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (evidence_id, kind) DO NOTHING RETURNING id",
    )
    .bind(f.evidence)
    .bind(f.delivery.0)
    .bind(f.kind.as_str())
    .bind(f.other_delivery.map(|d| d.0))
    .bind(f.km)
    .bind(f.days)
    .bind(millis(f.at))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.is_some())
}

pub async fn flags_of_delivery(conn: &mut Conn, d: DeliveryId) -> Result<Vec<FlagRow>> {
    let rows = sqlx::query(
        "SELECT evidence_id, delivery_id, kind, other_delivery, km, days, created_at FROM evidence_flags
         WHERE delivery_id = $1 ORDER BY id",
    )
    .bind(d.0)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(FlagRow {
                evidence: r.try_get("evidence_id")?,
                delivery: DeliveryId(r.try_get("delivery_id")?),
                kind: FlagKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("flag {kind}")))?,
                other_delivery: r
                    .try_get::<Option<i64>, _>("other_delivery")?
                    .map(DeliveryId),
                km: r.try_get("km")?,
                days: r.try_get("days")?,
                at: from_millis(r.try_get("created_at")?),
            })
        })
        .collect()
}

// --- cases ---------------------------------------------------------------------------------------

pub async fn open_case(
    conn: &mut Conn,
    delivery: DeliveryId,
    child: ChildId,
    confirmation: i64,
    outcome: Outcome,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO cases (delivery_id, child_id, confirmation_id, kind, status, opened_by, opened_at)
         VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING id",
    )
    .bind(delivery.0)
    .bind(child.0)
    .bind(confirmation)
    .bind(outcome.as_str())
    .bind(by.0)
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(Debug, Clone)]
pub struct Case {
    pub id: i64,
    pub delivery: DeliveryId,
    pub child: ChildId,
    pub child_name: String,
    pub kecamatan: String,
    pub outcome: Outcome,
    pub missing: Vec<String>,
    pub problem: Option<Problem>,
    pub detail: Option<String>,
    pub opened_by: String,
    pub opened_at: DateTime<Utc>,
    pub open: bool,
    /// Who reported it, and the delivery's sponsor: both hear how it was resolved.
    pub reporter: UserId,
    pub sponsor: UserId,
}

const CASES: &str = "SELECT k.id, k.delivery_id, k.child_id, ch.full_name, ch.kecamatan_code, k.kind, c.missing,
        c.problem, c.detail, COALESCE(u.first_name, '') AS opened_by, k.opened_at, k.status,
        k.opened_by AS reporter, d.sponsor_id
    FROM cases k JOIN children ch ON ch.id = k.child_id JOIN confirmations c ON c.id = k.confirmation_id
    JOIN deliveries d ON d.id = k.delivery_id
    LEFT JOIN users u ON u.id = k.opened_by";

fn case(r: &AnyRow) -> Result<Case> {
    let kind: String = r.try_get("kind")?;
    let problem: Option<String> = r.try_get("problem")?;
    let missing: Option<String> = r.try_get("missing")?;
    let status: String = r.try_get("status")?;
    Ok(Case {
        id: r.try_get("id")?,
        delivery: DeliveryId(r.try_get("delivery_id")?),
        child: ChildId(r.try_get("child_id")?),
        child_name: r.try_get("full_name")?,
        reporter: UserId(r.try_get("reporter")?),
        sponsor: UserId(r.try_get("sponsor_id")?),
        kecamatan: r.try_get("kecamatan_code")?,
        outcome: Outcome::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("case {kind}")))?,
        missing: missing
            .map(|m| m.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        problem: problem.as_deref().and_then(Problem::parse),
        detail: r.try_get("detail")?,
        opened_by: r.try_get("opened_by")?,
        opened_at: from_millis(r.try_get("opened_at")?),
        open: status == "open",
    })
}

/// Open cases of children inside `area` (a region code prefix; `None` for everywhere), oldest first.
pub async fn open_cases(conn: &mut Conn, area: Option<&str>, limit: i64) -> Result<Vec<Case>> {
    let rows = match area {
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{CASES} WHERE k.status = 'open' ORDER BY k.opened_at, k.id LIMIT $1"
            )))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        Some(area) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{CASES} WHERE k.status = 'open' AND (ch.kecamatan_code = $1 OR ch.kecamatan_code LIKE $2)
                 ORDER BY k.opened_at, k.id LIMIT $3"
            )))
            .bind(area)
            .bind(format!("{area}.%"))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.iter().map(case).collect()
}

pub async fn get_case(conn: &mut Conn, id: i64) -> Result<Option<Case>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{CASES} WHERE k.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(case).transpose()
}

/// Resolves an open case; false when it was resolved already (two coordinators at once: one wins).
pub async fn resolve_case(
    conn: &mut Conn,
    id: i64,
    by: UserId,
    resolution: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET status = 'resolved', resolved_by = $2, resolved_at = $3, resolution = $4
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(by.0)
    .bind(millis(now))
    .bind(resolution)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A confirmation in a list: the delivery, the child, the outcome, and how many flags its pictures have.
#[derive(Debug, Clone)]
pub struct Recent {
    pub delivery: DeliveryId,
    pub child_name: String,
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    pub flags: i64,
}

/// The latest confirmations inside `area` (all when `None`), newest first.
pub async fn recent(conn: &mut Conn, area: Option<&str>, limit: i64) -> Result<Vec<Recent>> {
    const SELECT: &str = "SELECT c.delivery_id, ch.full_name, c.outcome, c.created_at,
             (SELECT COUNT(*) FROM evidence_flags f WHERE f.delivery_id = c.delivery_id) AS flags
         FROM confirmations c JOIN children ch ON ch.id = c.child_id";
    let rows = match area {
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT} ORDER BY c.id DESC LIMIT $1"
            )))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
        }
        Some(a) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{SELECT} WHERE ch.kecamatan_code = $2 OR ch.kecamatan_code LIKE $3
                 ORDER BY c.id DESC LIMIT $1"
            )))
            .bind(limit)
            .bind(a)
            .bind(format!("{a}.%"))
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.iter()
        .map(|r| {
            let outcome: String = r.try_get("outcome")?;
            Ok(Recent {
                delivery: DeliveryId(r.try_get("delivery_id")?),
                child_name: r.try_get("full_name")?,
                outcome: Outcome::parse(&outcome)
                    .ok_or_else(|| StoreError::Corrupt(format!("outcome {outcome}")))?,
                at: from_millis(r.try_get("created_at")?),
                flags: r.try_get("flags")?,
            })
        })
        .collect()
}
