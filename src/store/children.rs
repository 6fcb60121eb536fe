//! The children registry.

use super::{Conn, Result, StoreError, from_millis, millis};
use crate::domain::RegionCode;
use crate::domain::child::{ChildId, ChildStatus, Sex};
use crate::domain::role::Scope;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A child as an import or a coordinator gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChild {
    pub full_name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub guardian_name: String,
    pub guardian_phone: Option<String>,
    pub address: Option<String>,
    pub kecamatan: RegionCode,
    pub village: Option<RegionCode>,
    pub posyandu: Option<String>,
    pub nik: Option<String>,
    pub identity_key: String,
    pub notes: Option<String>,
    pub puskesmas: Option<String>,
}

impl NewChild {
    /// Every imported field in one string: equal fingerprints mean a re-import changes nothing.
    pub fn fingerprint(&self) -> String {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        [
            self.full_name.clone(),
            self.sex.as_str().to_owned(),
            self.birth_date.to_string(),
            self.guardian_name.clone(),
            opt(&self.guardian_phone),
            opt(&self.address),
            self.kecamatan.to_string(),
            self.village
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            opt(&self.posyandu),
            opt(&self.nik),
            opt(&self.notes),
        ]
        .join("\u{1f}")
            // Added later: a list without a Puskesmas keeps the fingerprint it had before.
            + &self
                .puskesmas
                .as_ref()
                .map(|p| format!("\u{1f}{p}"))
                .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub id: ChildId,
    pub full_name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub guardian_name: String,
    pub guardian_phone: Option<String>,
    pub address: Option<String>,
    pub kecamatan: RegionCode,
    pub village: Option<RegionCode>,
    pub posyandu: Option<String>,
    pub nik: Option<String>,
    pub notes: Option<String>,
    pub puskesmas: Option<String>,
    pub status: ChildStatus,
    pub close_reason: Option<String>,
    pub haz: Option<f64>,
    pub waiting_since: DateTime<Utc>,
    pub kecamatan_name: Option<String>,
    pub village_name: Option<String>,
}

const SELECT: &str = "SELECT c.id, c.full_name, c.sex, c.birth_date, c.guardian_name, c.guardian_phone, c.address,
        c.kecamatan_code, c.village_code, c.posyandu, c.nik, c.notes, c.puskesmas, c.status, c.close_reason, c.haz_milli,
        c.waiting_since, k.name AS kecamatan_name, v.name AS village_name
    FROM children c
    LEFT JOIN regions k ON k.code = c.kecamatan_code
    LEFT JOIN regions v ON v.code = c.village_code";

fn corrupt(what: String) -> StoreError {
    StoreError::Corrupt(what)
}

fn child(row: &AnyRow) -> Result<Child> {
    let code = |s: String| RegionCode::parse(&s).map_err(|_| corrupt(format!("region code {s}")));
    let sex: String = row.try_get("sex")?;
    let status: String = row.try_get("status")?;
    let birth: String = row.try_get("birth_date")?;
    Ok(Child {
        id: ChildId(row.try_get("id")?),
        full_name: row.try_get("full_name")?,
        sex: Sex::parse_code(&sex).ok_or_else(|| corrupt(format!("sex {sex}")))?,
        birth_date: birth
            .parse()
            .map_err(|_| corrupt(format!("birth date {birth}")))?,
        guardian_name: row.try_get("guardian_name")?,
        guardian_phone: row.try_get("guardian_phone")?,
        address: row.try_get("address")?,
        kecamatan: code(row.try_get("kecamatan_code")?)?,
        village: row
            .try_get::<Option<String>, _>("village_code")?
            .map(code)
            .transpose()?,
        posyandu: row.try_get("posyandu")?,
        nik: row.try_get("nik")?,
        notes: row.try_get("notes")?,
        puskesmas: row.try_get("puskesmas")?,
        status: ChildStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("child status {status}")))?,
        close_reason: row.try_get("close_reason")?,
        haz: row
            .try_get::<Option<i64>, _>("haz_milli")?
            .map(|m| m as f64 / 1000.0),
        waiting_since: from_millis(row.try_get("waiting_since")?),
        kecamatan_name: row.try_get("kecamatan_name")?,
        village_name: row.try_get("village_name")?,
    })
}

/// The child a record describes, if known: by NIK first, else by name, birth date and guardian. Two
/// lookups rather than one `OR`: each stays on its unique index whatever plan PostgreSQL caches.
pub async fn find(
    conn: &mut Conn,
    nik: Option<&str>,
    identity_key: &str,
) -> Result<Option<(ChildId, String)>> {
    if let Some(nik) = nik {
        let row = sqlx::query("SELECT id, fingerprint FROM children WHERE nik = $1")
            .bind(nik)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(r) = row {
            return Ok(Some((ChildId(r.try_get(0)?), r.try_get(1)?)));
        }
    }
    let row = sqlx::query("SELECT id, fingerprint FROM children WHERE identity_key = $1")
        .bind(identity_key)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((ChildId(r.try_get(0)?), r.try_get(1)?)))
        .transpose()
}

/// Binds the imported fields of `c` as `$1`…`$12`, in the order both statements below name them.
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    c: &'q NewChild,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(&c.full_name)
        .bind(c.sex.as_str())
        .bind(c.birth_date.to_string())
        .bind(&c.guardian_name)
        .bind(&c.guardian_phone)
        .bind(&c.address)
        .bind(c.kecamatan.as_str())
        .bind(c.village.as_ref().map(|v| v.as_str().to_owned()))
        .bind(&c.posyandu)
        .bind(&c.nik)
        .bind(&c.identity_key)
        .bind(&c.notes)
        .bind(&c.puskesmas)
}

pub async fn insert(conn: &mut Conn, c: &NewChild, now: DateTime<Utc>) -> Result<ChildId> {
    let q = sqlx::query(
        "INSERT INTO children (full_name, sex, birth_date, guardian_name, guardian_phone, address, kecamatan_code,
             village_code, posyandu, nik, identity_key, notes, puskesmas, fingerprint, status, waiting_since, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'unmatched', $15, $15, $15) RETURNING id",
    );
    let row = bind_fields(q, c)
        .bind(c.fingerprint())
        .bind(millis(now))
        .fetch_one(&mut *conn)
        .await?;
    Ok(ChildId(row.try_get(0)?))
}

/// Replaces the imported fields of a known child (status and sponsorship stay).
pub async fn update(conn: &mut Conn, id: ChildId, c: &NewChild, now: DateTime<Utc>) -> Result<()> {
    let q = sqlx::query(
        "UPDATE children SET full_name = $1, sex = $2, birth_date = $3, guardian_name = $4, guardian_phone = $5,
             address = $6, kecamatan_code = $7, village_code = $8, posyandu = $9, nik = COALESCE($10, nik),
             identity_key = $11, notes = $12, puskesmas = COALESCE($13, puskesmas), fingerprint = $14,
             updated_at = $15
         WHERE id = $16",
    );
    bind_fields(q, c)
        .bind(c.fingerprint())
        .bind(millis(now))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id: ChildId) -> Result<Option<Child>> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(child).transpose()
}

/// What a coordinator looks for: any of a name fragment, a status, a region (inside their scope), a
/// Puskesmas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: Option<String>,
    pub status: Option<ChildStatus>,
    pub region: Option<RegionCode>,
    pub puskesmas: Option<PuskesmasFilter>,
}

/// Children of a Puskesmas whose name contains the text (without case), or children without one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PuskesmasFilter {
    Named(String),
    Without,
}

pub async fn search(
    conn: &mut Conn,
    scope: &Scope,
    filter: &Filter,
    limit: i64,
) -> Result<(Vec<Child>, i64)> {
    // Scope and region both narrow by code prefix; the narrower of the two wins (both are checked).
    let scope_code = scope.code().map(|c| c.as_str().to_owned());
    let region = filter.region.as_ref().map(|c| c.as_str().to_owned());
    let pattern = filter.text.as_deref().map(super::contains_pattern);
    let status = filter.status.map(|s| s.as_str());
    // A Puskesmas by a part of its name, like a child's name; or none at all.
    let (puskesmas, without) = match &filter.puskesmas {
        None => (None, 0_i64),
        Some(PuskesmasFilter::Named(name)) => (Some(super::contains_pattern(name)), 0),
        Some(PuskesmasFilter::Without) => (None, 1),
    };
    let conditions = "($1 IS NULL OR c.kecamatan_code = $1 OR c.kecamatan_code LIKE $1 || '.%' OR c.village_code = $1)
        AND ($2 IS NULL OR c.kecamatan_code = $2 OR c.kecamatan_code LIKE $2 || '.%' OR c.village_code = $2)
        AND ($3 IS NULL OR LOWER(c.full_name) LIKE $3 ESCAPE '\\'
             OR LOWER(COALESCE(c.puskesmas, '')) LIKE $3 ESCAPE '\\')
        AND ($4 IS NULL OR c.status = $4)
        AND ($6 IS NULL OR LOWER(COALESCE(c.puskesmas, '')) LIKE $6 ESCAPE '\\')
        AND ($7 = 0 OR COALESCE(c.puskesmas, '') = '')";
    let sql = format!("{SELECT} WHERE {conditions} ORDER BY c.full_name, c.id LIMIT $5");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&scope_code)
        .bind(&region)
        .bind(&pattern)
        .bind(status)
        .bind(limit)
        .bind(&puskesmas)
        .bind(without)
        .fetch_all(&mut *conn)
        .await?;
    // The same conditions and numbering; the limit, unused, is bound to keep them.
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM children c WHERE {conditions} AND $5 >= 0"
    )))
    .bind(&scope_code)
    .bind(&region)
    .bind(&pattern)
    .bind(status)
    .bind(limit)
    .bind(&puskesmas)
    .bind(without)
    .fetch_one(&mut *conn)
    .await?;
    Ok((rows.iter().map(child).collect::<Result<_>>()?, total))
}

pub async fn set_status(
    conn: &mut Conn,
    id: ChildId,
    status: ChildStatus,
    close_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE children SET status = $2, close_reason = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id.0)
    .bind(status.as_str())
    .bind(close_reason)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Changes one editable field; `field` is one of the column names the coordinator command allows.
pub async fn set_field(
    conn: &mut Conn,
    id: ChildId,
    field: EditableField,
    value: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let sql = match field {
        EditableField::Name => "UPDATE children SET full_name = $2, updated_at = $3 WHERE id = $1",
        EditableField::Guardian => {
            "UPDATE children SET guardian_name = $2, updated_at = $3 WHERE id = $1"
        }
        EditableField::Phone => {
            "UPDATE children SET guardian_phone = $2, updated_at = $3 WHERE id = $1"
        }
        EditableField::Address => "UPDATE children SET address = $2, updated_at = $3 WHERE id = $1",
        EditableField::Posyandu => {
            "UPDATE children SET posyandu = $2, updated_at = $3 WHERE id = $1"
        }
        EditableField::Notes => "UPDATE children SET notes = $2, updated_at = $3 WHERE id = $1",
        EditableField::Village => {
            "UPDATE children SET village_code = $2, updated_at = $3 WHERE id = $1"
        }
    };
    sqlx::query(sql)
        .bind(id.0)
        .bind(value)
        .bind(millis(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The fields a coordinator may change by hand (the rest comes from the health office's list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditableField {
    Name,
    Guardian,
    Phone,
    Address,
    Posyandu,
    Notes,
    Village,
}

impl EditableField {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_lowercase().as_str() {
            "nama" | "name" => Self::Name,
            "wali" | "ortu" | "guardian" => Self::Guardian,
            "telepon" | "hp" | "phone" => Self::Phone,
            "alamat" | "address" => Self::Address,
            "posyandu" => Self::Posyandu,
            "catatan" | "notes" => Self::Notes,
            "kelurahan" | "desa" | "village" => Self::Village,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Guardian => "guardian",
            Self::Phone => "phone",
            Self::Address => "address",
            Self::Posyandu => "posyandu",
            Self::Notes => "notes",
            Self::Village => "village",
        }
    }
}

/// Unmatched children inside a scope, for the matcher.
pub async fn unmatched(conn: &mut Conn, scope: &Scope) -> Result<Vec<Child>> {
    let scope_code = scope.code().map(|c| c.as_str().to_owned());
    let sql = format!(
        "{SELECT} WHERE c.status = 'unmatched' AND ($1 IS NULL OR c.kecamatan_code = $1 OR c.kecamatan_code LIKE $1 || '.%')"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&scope_code)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(child).collect()
}

/// How many children there are by status inside a scope.
pub async fn counts(conn: &mut Conn, scope: &Scope) -> Result<Vec<(ChildStatus, i64)>> {
    let scope_code = scope.code().map(|c| c.as_str().to_owned());
    let rows = sqlx::query(
        "SELECT status, COUNT(*) FROM children
         WHERE ($1 IS NULL OR kecamatan_code = $1 OR kecamatan_code LIKE $1 || '.%') GROUP BY status",
    )
    .bind(&scope_code)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let s: String = r.try_get(0)?;
            Ok((
                ChildStatus::parse(&s).ok_or_else(|| corrupt(format!("status {s}")))?,
                r.try_get(1)?,
            ))
        })
        .collect()
}

/// The unmatched child of an area who has waited longest (a sponsor asking for a child).
pub async fn longest_waiting(conn: &mut Conn, kecamatan: &RegionCode) -> Result<Option<Child>> {
    let sql = format!(
        "{SELECT} WHERE c.status = 'unmatched' AND c.kecamatan_code = $1 ORDER BY c.waiting_since, c.id LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(kecamatan.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(child).transpose()
}
