//! A coordinator's look at what was confirmed: one delivery's evidence (the record, the flags, the kept
//! photos) or its export, and resolving a case. Inside the coordinator's area only; every look at evidence
//! is in the audit log (it shows children and families).

use super::notices;
use super::sponsorships::child_place_of;
use crate::domain::DeliveryId;
use crate::domain::RegionCode;
use crate::domain::child::first_name;
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::i18n::Arg;
use crate::outbound::Keyboard;
use crate::store::children::{self, Child};
use crate::store::confirmations::{self as confirmed, Case, Confirmation, Evidence, FlagRow};
use crate::store::deliveries::{self, Delivery};
use crate::store::{self, Conn, audit, sponsors};
use chrono::{DateTime, Utc};

/// Why evidence was not shown, or a case not resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    /// No such delivery or case (or one outside the area: a forged button learns nothing).
    NotFound,
    NotConfirmed,
    AlreadyResolved,
}

/// One delivery's evidence.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    pub delivery: Delivery,
    pub child: Child,
    pub sponsor: String,
    pub confirmations: Vec<Confirmation>,
    pub pictures: Vec<Evidence>,
    pub flags: Vec<FlagRow>,
}

/// The evidence of delivery `id` for a coordinator of its child's area; the look (or the export) is
/// audited.
pub async fn open(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
    export: bool,
    now: DateTime<Utc>,
) -> store::Result<Result<EvidenceFile, Refusal>> {
    let Some(delivery) = deliveries::get(conn, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let Some(child) = children::get(conn, delivery.child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&child))) {
        return Ok(Err(Refusal::Denied(d)));
    }
    let confirmations = confirmed::of_delivery(conn, id).await?;
    if confirmations.is_empty() {
        return Ok(Err(Refusal::NotConfirmed));
    }
    let pictures = confirmed::evidence_of_delivery(conn, id).await?;
    let flags = confirmed::flags_of_delivery(conn, id).await?;
    audit::record(
        conn,
        now,
        Some(actor.user),
        if export {
            "evidence.export"
        } else {
            "evidence.view"
        },
        &format!("delivery:{}", id.0),
        None,
    )
    .await?;
    let sponsor = sponsors::name(conn, delivery.sponsor).await?;
    Ok(Ok(EvidenceFile {
        delivery,
        child,
        sponsor,
        confirmations,
        pictures,
        flags,
    }))
}

/// An open case the actor may resolve (a coordinator of its area).
pub async fn resolvable(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> store::Result<Result<Case, Refusal>> {
    let Some(case) = confirmed::get_case(conn, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let Ok(kecamatan) = RegionCode::parse(&case.kecamatan) else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(d) = policy::check(
        actor,
        Action::ManageChild(policy::Place::new(&kecamatan, None)),
    ) {
        return Ok(Err(Refusal::Denied(d)));
    }
    if !case.open {
        return Ok(Err(Refusal::AlreadyResolved));
    }
    Ok(Ok(case))
}

/// A coordinator of the case's area resolves it, saying what was done (once: of two coordinators, one
/// wins); the person who reported it and the delivery's sponsor are told.
pub async fn resolve_case(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    resolution: &str,
    now: DateTime<Utc>,
) -> store::Result<Result<Case, Refusal>> {
    let case = match resolvable(conn, actor, id).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    if !confirmed::resolve_case(conn, id, actor.user, Some(resolution), now).await? {
        return Ok(Err(Refusal::AlreadyResolved));
    }
    audit::record(
        conn,
        now,
        Some(actor.user),
        "case.resolve",
        &format!("case:{id}"),
        Some(resolution),
    )
    .await?;
    let child = first_name(&case.child_name);
    let mut told = vec![case.reporter];
    if !told.contains(&case.sponsor) {
        told.push(case.sponsor);
    }
    for person in told.into_iter().filter(|p| *p != actor.user) {
        notices::person(
            conn,
            person,
            "case-resolved-notice",
            &[("child", Arg::Text(child)), ("what", Arg::Text(resolution))],
            Keyboard::None,
            now,
        )
        .await?;
    }
    Ok(Ok(case))
}
