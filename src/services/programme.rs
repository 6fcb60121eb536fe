//! The programme's settings: regions, offices and their commitments, packages, cadences and the default
//! plans. Packages, cadences, offices, commitments and the programme's own default plan are programme-wide
//! (a coordinator of everything changes them); regions and a region's default plan belong to the
//! coordinators whose scope covers the region. A change that re-plans deliveries tells the sponsors who
//! deliver them; every change is in the audit log.

use super::deliveries::{self as planning, Settings};
use crate::domain::catalog::{Catalog, province_zone};
use crate::domain::delivery::Deliverer;
use crate::domain::package::PackageSpec;
use crate::domain::policy::{self, Action, Actor, Denied, Setting};
use crate::domain::region::RegionName;
use crate::domain::schedule::Cadence;
use crate::domain::sponsorship::Commitment;
use crate::domain::{OfficeId, RegionCode};
use crate::store::plans::{Plan, SavedCadence, SavedPackage};
use crate::store::regions::InUse;
use crate::store::{
    self, Conn, audit, children, deliveries, offices, plans, regions, sponsorships,
};
use chrono::{DateTime, Utc};

/// Whether the actor may change a setting of the whole programme.
pub fn may_change(actor: &Actor, setting: Setting) -> Result<(), Denied> {
    policy::check(actor, Action::ChangeProgramme(setting)).map(|_| ())
}

/// Whether the actor may set the default plan of `region` (`None`: the programme's own).
pub fn may_set_default(actor: &Actor, region: Option<&RegionCode>) -> Result<(), Denied> {
    match region {
        None => may_change(actor, Setting::ProgrammeDefaultPlan),
        Some(r) => policy::check(actor, Action::ManageRegion(r)).map(|_| ()),
    }
}

async fn record(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    subject: &str,
    detail: Option<&str>,
    now: DateTime<Utc>,
) -> store::Result<()> {
    audit::record(conn, now, actor.recorded(), action, subject, detail).await
}

/// Sets up or renames a region of the actor's area. Returns whether it is new.
pub async fn save_region(
    conn: &mut Conn,
    actor: &Actor,
    code: &RegionCode,
    name: &RegionName,
    zone: Option<chrono_tz::Tz>,
    now: DateTime<Utc>,
) -> store::Result<Result<bool, Denied>> {
    if let Err(d) = policy::check(actor, Action::ManageRegion(code)) {
        return Ok(Err(d));
    }
    let created = regions::upsert(conn, code, name.as_str(), zone.map(|z| z.name()), now).await?;
    record(
        conn,
        actor,
        "region.upsert",
        &format!("region:{code}"),
        Some(name.as_str()),
        now,
    )
    .await?;
    Ok(Ok(created))
}

/// Why a region could not be set up from the official list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogRefusal {
    Denied(Denied),
    /// No official region has that code.
    Unknown,
}

/// What setting a region up from the official list added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetUp {
    pub name: String,
    /// Regions that were not set up before (the region, those above it and everything inside it).
    pub added: u64,
    /// Of them, kecamatan and villages.
    pub districts: usize,
    pub villages: usize,
}

/// Sets up an official region with everything above and inside it in one step (`74.05`: Konawe Selatan, its
/// province, its 25 kecamatan and their desa), each province with its zone. Regions already set up keep
/// their names. The operator (`asuh regions add`) may set up anything; a coordinator what lies in their
/// scope.
pub async fn add_from_catalog(
    conn: &mut Conn,
    actor: &Actor,
    catalog: &Catalog,
    code: &RegionCode,
    now: DateTime<Utc>,
) -> store::Result<Result<SetUp, CatalogRefusal>> {
    if let Err(d) = policy::check(actor, Action::ManageRegion(code)) {
        return Ok(Err(CatalogRefusal::Denied(d)));
    }
    let Some(entry) = catalog.get(code) else {
        return Ok(Err(CatalogRefusal::Unknown));
    };
    let entries = catalog.with_ancestors_and_descendants(code);
    let zones: Vec<Option<&'static str>> = entries
        .iter()
        .map(|e| {
            (e.code.level() == crate::domain::RegionLevel::Province)
                .then(|| province_zone(e.code.as_str()).map(|z| z.name()))
                .flatten()
        })
        .collect();
    let rows: Vec<(&RegionCode, &str, Option<&str>)> = entries
        .iter()
        .zip(&zones)
        .map(|(e, z)| (&e.code, e.name.as_str(), *z))
        .collect();
    let added = regions::add_missing(conn, &rows, now).await?;
    let count = |level| entries.iter().filter(|e| e.code.level() == level).count();
    record(
        conn,
        actor,
        "region.catalog",
        &format!("region:{code}"),
        Some(&added.to_string()),
        now,
    )
    .await?;
    Ok(Ok(SetUp {
        name: entry.name.clone(),
        added,
        districts: count(crate::domain::RegionLevel::District),
        villages: count(crate::domain::RegionLevel::Village),
    }))
}

/// Why a region was not removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveRefusal {
    Denied(Denied),
    HasChildren,
    UsedByPeople,
    Unknown,
}

/// Removes an unused region of the actor's area.
pub async fn remove_region(
    conn: &mut Conn,
    actor: &Actor,
    code: &RegionCode,
    now: DateTime<Utc>,
) -> store::Result<Result<(), RemoveRefusal>> {
    if let Err(d) = policy::check(actor, Action::ManageRegion(code)) {
        return Ok(Err(RemoveRefusal::Denied(d)));
    }
    match regions::usage(conn, code).await? {
        InUse::HasChildren => return Ok(Err(RemoveRefusal::HasChildren)),
        InUse::UsedByPeople => return Ok(Err(RemoveRefusal::UsedByPeople)),
        InUse::Free => {}
    }
    if !regions::delete(conn, code).await? {
        return Ok(Err(RemoveRefusal::Unknown));
    }
    record(
        conn,
        actor,
        "region.remove",
        &format!("region:{code}"),
        None,
        now,
    )
    .await?;
    Ok(Ok(()))
}

/// Adds an office (OPD). Returns whether it is new (`false`: the name exists).
pub async fn add_office(
    conn: &mut Conn,
    actor: &Actor,
    name: &RegionName,
    now: DateTime<Utc>,
) -> store::Result<Result<bool, Denied>> {
    if let Err(d) = may_change(actor, Setting::Offices) {
        return Ok(Err(d));
    }
    let Some(id) = offices::add(conn, name.as_str(), now).await? else {
        return Ok(Ok(false));
    };
    record(
        conn,
        actor,
        "office.add",
        &format!("office:{}", id.0),
        Some(name.as_str()),
        now,
    )
    .await?;
    Ok(Ok(true))
}

/// Why an office's commitment was not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentRefusal {
    Denied(Denied),
    UnknownOffice,
}

/// Sets an office's commitment (months × monthly amount) for its sponsors' new sponsorships. Returns the
/// office's name.
pub async fn set_commitment(
    conn: &mut Conn,
    actor: &Actor,
    office: OfficeId,
    terms: Commitment,
    now: DateTime<Utc>,
) -> store::Result<Result<String, CommitmentRefusal>> {
    if let Err(d) = may_change(actor, Setting::Commitments) {
        return Ok(Err(CommitmentRefusal::Denied(d)));
    }
    let Some(name) = offices::name(conn, office).await? else {
        return Ok(Err(CommitmentRefusal::UnknownOffice));
    };
    offices::set_commitment(conn, office, terms).await?;
    record(
        conn,
        actor,
        "office.commitment",
        &format!("office:{}", office.0),
        Some(&format!("{} {}", terms.months, terms.monthly_amount)),
        now,
    )
    .await?;
    Ok(Ok(name))
}

/// Adds a package or changes its items; the sponsors who deliver a changed package are told.
pub async fn save_package(
    conn: &mut Conn,
    actor: &Actor,
    spec: &PackageSpec,
    now: DateTime<Utc>,
) -> store::Result<Result<SavedPackage, Denied>> {
    if let Err(d) = may_change(actor, Setting::Packages) {
        return Ok(Err(d));
    }
    let saved = plans::save_package(conn, spec, actor.user, now).await?;
    let (action, id) = match saved {
        SavedPackage::Unchanged(_) => return Ok(Ok(saved)),
        SavedPackage::Added(id) => ("package.add", id),
        SavedPackage::Changed(id) => ("package.change", id),
    };
    record(
        conn,
        actor,
        action,
        &format!("package:{id}"),
        Some(&crate::domain::package::summary(&spec.items)),
        now,
    )
    .await?;
    if let SavedPackage::Changed(id) = saved {
        for s in deliveries::active_on_package(conn, id).await? {
            planning::tell_sponsor_of_plan(conn, s, now).await?;
        }
    }
    Ok(Ok(saved))
}

/// What saving a cadence did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CadenceSaved {
    Added,
    Unchanged,
    /// The rule exists already under this other name; nothing was saved.
    SameRuleAs(String),
    /// The name had another rule: this many active sponsorships were re-planned, with this many new
    /// deliveries, and their sponsors told.
    Changed {
        sponsorships: usize,
        added: usize,
    },
}

/// Adds a cadence, or gives a name a new rule: the sponsorships on it are re-planned and their sponsors
/// told.
pub async fn save_cadence(
    conn: &mut Conn,
    actor: &Actor,
    name: &str,
    cadence: &Cadence,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<CadenceSaved, Denied>> {
    if let Err(d) = may_change(actor, Setting::Cadences) {
        return Ok(Err(d));
    }
    let saved = plans::save_cadence(conn, name, cadence, actor.user, now).await?;
    let (action, id) = match saved {
        SavedCadence::Unchanged(_) => return Ok(Ok(CadenceSaved::Unchanged)),
        SavedCadence::SameRuleAs(other) => return Ok(Ok(CadenceSaved::SameRuleAs(other))),
        SavedCadence::Added(id) => ("cadence.add", id),
        SavedCadence::Changed(id) => ("cadence.change", id),
    };
    record(
        conn,
        actor,
        action,
        &format!("cadence:{id}"),
        Some(&cadence.spec()),
        now,
    )
    .await?;
    if action == "cadence.add" {
        return Ok(Ok(CadenceSaved::Added));
    }
    let (replanned, added) = planning::replan_cadence(conn, id, settings, actor.user, now).await?;
    for s in &replanned {
        planning::tell_sponsor_of_plan(conn, *s, now).await?;
    }
    Ok(Ok(CadenceSaved::Changed {
        sponsorships: replanned.len(),
        added,
    }))
}

/// Why a default plan was not set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultRefusal {
    Denied(Denied),
    /// The package or cadence is gone (a stale button).
    Unknown,
}

/// Sets the default package, cadence and deliverer of the programme or of a region of the actor's area,
/// for the sponsorships offered from now on.
pub async fn set_default_plan(
    conn: &mut Conn,
    actor: &Actor,
    region: Option<&RegionCode>,
    package: i64,
    cadence: i64,
    deliverer: Deliverer,
    now: DateTime<Utc>,
) -> store::Result<Result<Plan, DefaultRefusal>> {
    if let Err(d) = may_set_default(actor, region) {
        return Ok(Err(DefaultRefusal::Denied(d)));
    }
    let Some(plan) = plans::plan(conn, package, cadence, deliverer.as_str()).await? else {
        return Ok(Err(DefaultRefusal::Unknown));
    };
    plans::set_default(conn, region, package, cadence, deliverer, actor.user, now).await?;
    record(
        conn,
        actor,
        "plan.default",
        &format!("region:{}", region.map_or("-", |r| r.as_str())),
        Some(&format!(
            "package:{package} cadence:{cadence} {}",
            deliverer.as_str()
        )),
        now,
    )
    .await?;
    Ok(Ok(plan))
}

/// The active sponsorships without a plan in `region` (everywhere when `None`) that a coordinator setting
/// its default may give it.
pub async fn without_plan(
    conn: &mut Conn,
    actor: &Actor,
    region: Option<&RegionCode>,
) -> store::Result<Result<usize, Denied>> {
    if let Err(d) = may_set_default(actor, region) {
        return Ok(Err(d));
    }
    Ok(Ok(deliveries::active_without_plan(conn, region)
        .await?
        .len()))
}

/// Gives every active sponsorship without a plan in `region` the default of its child's area: its
/// deliveries are planned and its sponsor told. Returns how many got one.
pub async fn apply_default(
    conn: &mut Conn,
    actor: &Actor,
    region: Option<&RegionCode>,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<usize, Denied>> {
    if let Err(d) = may_set_default(actor, region) {
        return Ok(Err(d));
    }
    let mut applied = 0;
    for s in deliveries::active_without_plan(conn, region).await? {
        let Some(sponsorship) = sponsorships::get(conn, s).await? else {
            continue;
        };
        let Some(child) = children::get(conn, sponsorship.child).await? else {
            continue;
        };
        let area = child.village.as_ref().unwrap_or(&child.kecamatan);
        let Some(plan) = plans::default_for(conn, area).await? else {
            continue;
        };
        let (deliverer, _) = planning::deliverer_for(conn, &child, plan.deliverer).await?;
        planning::set_plan(
            conn,
            s,
            plan.package.id,
            plan.cadence.id,
            deliverer,
            settings,
            actor.user,
            now,
        )
        .await?;
        planning::tell_sponsor_of_plan(conn, s, now).await?;
        applied += 1;
    }
    if applied > 0 {
        record(
            conn,
            actor,
            "plan.default.apply",
            &format!("region:{}", region.map_or("-", |r| r.as_str())),
            Some(&applied.to_string()),
            now,
        )
        .await?;
    }
    Ok(Ok(applied))
}
