//! The programme's delivery plans: packages, cadences, and the default pair per regency/city.

use super::{Conn, Result, StoreError, millis};
use crate::domain::delivery::Deliverer;
use crate::domain::package::{Item, PackageSpec};
use crate::domain::schedule::Cadence;
use crate::domain::{RegionCode, UserId};
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub id: i64,
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadenceRow {
    pub id: i64,
    pub name: String,
    pub cadence: Cadence,
}

/// The package, cadence and deliverer a new sponsorship in a region gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub package: Package,
    pub cadence: CadenceRow,
    pub deliverer: Deliverer,
}

/// The key of the programme-wide default in `plan_defaults`.
const PROGRAMME: &str = "";

fn items(json: &str) -> Result<Vec<Item>> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("package items: {e}")))
}

/// What saving a package under a name did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedPackage {
    Added(i64),
    /// The name existed with other items: the sponsors who deliver it are to hear of it.
    Changed(i64),
    Unchanged(i64),
}

/// Adds a package, or replaces the items of the one with that name.
pub async fn save_package(
    conn: &mut Conn,
    spec: &PackageSpec,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<SavedPackage> {
    let json = serde_json::to_string(&spec.items)
        .map_err(|e| StoreError::Corrupt(format!("package items: {e}")))?;
    let before = sqlx::query("SELECT id, items FROM packages WHERE name = $1")
        .bind(&spec.name)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = &before {
        let id: i64 = row.try_get(0)?;
        if items(&row.try_get::<String, _>(1)?)? == spec.items {
            return Ok(SavedPackage::Unchanged(id));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO packages (name, items, created_by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET items = excluded.items RETURNING id",
    )
    .bind(&spec.name)
    .bind(json)
    .bind(by.0)
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(if before.is_some() {
        SavedPackage::Changed(id)
    } else {
        SavedPackage::Added(id)
    })
}

fn package_row(r: &sqlx::any::AnyRow) -> Result<Package> {
    Ok(Package {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        items: items(&r.try_get::<String, _>(2)?)?,
    })
}

pub async fn packages(conn: &mut Conn) -> Result<Vec<Package>> {
    let rows = sqlx::query("SELECT id, name, items FROM packages ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(package_row).collect()
}

pub async fn package(conn: &mut Conn, id: i64) -> Result<Option<Package>> {
    let row = sqlx::query("SELECT id, name, items FROM packages WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(package_row).transpose()
}

/// What saving a cadence under a name did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedCadence {
    Added(i64),
    /// The name existed with another rule: the sponsorships on it need re-planning.
    Changed(i64),
    Unchanged(i64),
    /// The rule exists already under this other name; nothing was saved.
    SameRuleAs(String),
}

/// Adds a cadence under a name, or gives an existing name a new rule. Names and rules are both unique.
pub async fn save_cadence(
    conn: &mut Conn,
    name: &str,
    cadence: &Cadence,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<SavedCadence> {
    let spec = cadence.spec();
    let same_rule = sqlx::query("SELECT id, name FROM cadences WHERE spec = $1")
        .bind(&spec)
        .fetch_optional(&mut *conn)
        .await?;
    let same_name = sqlx::query("SELECT id, spec FROM cadences WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = &same_rule {
        let id: i64 = row.try_get(0)?;
        let other: String = row.try_get(1)?;
        return Ok(if other == name {
            SavedCadence::Unchanged(id)
        } else {
            SavedCadence::SameRuleAs(other)
        });
    }
    if let Some(row) = same_name {
        let id: i64 = row.try_get(0)?;
        sqlx::query("UPDATE cadences SET spec = $2 WHERE id = $1")
            .bind(id)
            .bind(&spec)
            .execute(&mut *conn)
            .await?;
        return Ok(SavedCadence::Changed(id));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO cadences (name, spec, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(spec)
    .bind(by.0)
    .bind(millis(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(SavedCadence::Added(id))
}

fn cadence_row(r: &sqlx::any::AnyRow) -> Result<CadenceRow> {
    let spec: String = r.try_get(2)?;
    Ok(CadenceRow {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        cadence: Cadence::parse(&spec)
            .map_err(|e| StoreError::Corrupt(format!("cadence {spec}: {e}")))?,
    })
}

pub async fn cadences(conn: &mut Conn) -> Result<Vec<CadenceRow>> {
    let rows = sqlx::query("SELECT id, name, spec FROM cadences ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(cadence_row).collect()
}

pub async fn cadence(conn: &mut Conn, id: i64) -> Result<Option<CadenceRow>> {
    let row = sqlx::query("SELECT id, name, spec FROM cadences WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(cadence_row).transpose()
}

/// Sets the default of a regency/city, or of the whole programme when `region` is `None`.
pub async fn set_default(
    conn: &mut Conn,
    region: Option<&RegionCode>,
    package: i64,
    cadence: i64,
    deliverer: Deliverer,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO plan_defaults (region_code, package_id, cadence_id, deliverer, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (region_code) DO UPDATE SET package_id = excluded.package_id,
             cadence_id = excluded.cadence_id, deliverer = excluded.deliverer,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(region.map_or(PROGRAMME, |r| r.as_str()))
    .bind(package)
    .bind(cadence)
    .bind(deliverer.as_str())
    .bind(by.0)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The plan for a child in `area`: the default of the nearest enclosing region that has one, else the
/// programme's, else `None` (no package defined yet).
pub async fn default_for(conn: &mut Conn, area: &RegionCode) -> Result<Option<Plan>> {
    let mut keys = Vec::new();
    let mut cur = Some(area.clone());
    while let Some(c) = cur {
        keys.push(c.as_str().to_owned());
        cur = c.parent();
    }
    keys.push(PROGRAMME.to_owned());
    for key in keys {
        let row = sqlx::query(
            "SELECT package_id, cadence_id, deliverer FROM plan_defaults WHERE region_code = $1",
        )
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { continue };
        return plan(
            conn,
            row.try_get(0)?,
            row.try_get(1)?,
            &row.try_get::<String, _>(2)?,
        )
        .await;
    }
    Ok(None)
}

/// Loads a package and cadence pair by id.
pub async fn plan(
    conn: &mut Conn,
    package_id: i64,
    cadence_id: i64,
    deliverer: &str,
) -> Result<Option<Plan>> {
    let deliverer = Deliverer::parse(deliverer)
        .ok_or_else(|| StoreError::Corrupt(format!("deliverer {deliverer}")))?;
    let (Some(package), Some(cadence)) = (
        package(conn, package_id).await?,
        cadence(conn, cadence_id).await?,
    ) else {
        return Ok(None);
    };
    Ok(Some(Plan {
        package,
        cadence,
        deliverer,
    }))
}

/// All defaults, for the coordinator's overview: (region code or "" for the programme, plan).
pub async fn defaults(conn: &mut Conn) -> Result<Vec<(String, Plan)>> {
    let rows = sqlx::query(
        "SELECT region_code, package_id, cadence_id, deliverer FROM plan_defaults ORDER BY region_code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(p) = plan(
            conn,
            r.try_get(1)?,
            r.try_get(2)?,
            &r.try_get::<String, _>(3)?,
        )
        .await?
        {
            out.push((r.try_get(0)?, p));
        }
    }
    Ok(out)
}
