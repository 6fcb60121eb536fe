//! The programme checks itself (`domain::doctor`): what needs attention in an area, worded with the button
//! that fixes each finding, and the fixes a coordinator presses. `asuh doctor` prints the same on the server;
//! the coordinator's digest and `/periksa` show it.

use super::deliveries::{self as planning, Settings};
use super::sponsorships::{self as lifecycle, child_place_of};
use crate::callback::{Callback, DoctorFix};
use crate::domain::Lang;
use crate::domain::child::first_name;
use crate::domain::doctor::{Check, Finding};
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::role::Scope;
use crate::domain::sponsorship::SponsorshipId;
use crate::i18n::{Arg, tf};
use crate::outbound::Button;
use crate::store::{self, Area, Conn, children, deliveries, doctor, plans, sponsorships};
use chrono::{DateTime, Duration, Utc};

/// How many findings of one check are read for a screen.
pub const PER_CHECK: i64 = 50;

/// What needs attention in `scope`: every check's findings (at most [`PER_CHECK`] each), cases counting
/// as open too long after `case_days`.
pub async fn findings(
    conn: &mut Conn,
    scope: &Scope,
    case_days: i64,
    now: DateTime<Utc>,
) -> store::Result<Vec<Finding>> {
    let area = Area::from(scope);
    let mut all = Vec::new();
    for check in Check::ALL {
        all.extend(
            doctor::findings(
                conn,
                check,
                &area,
                now,
                now - Duration::days(case_days),
                PER_CHECK,
            )
            .await?,
        );
    }
    Ok(all)
}

/// A finding as one line a coordinator reads.
pub fn line(lang: Lang, f: &Finding) -> String {
    tf(
        lang,
        &format!("doctor-{}", f.check.code()),
        &[
            ("child", Arg::Text(&f.child_name)),
            ("id", Arg::Num(f.child.0)),
            ("case", Arg::Num(f.case.unwrap_or(0))),
        ],
    )
}

/// The button that fixes a finding (or leads to the fix).
pub fn button(lang: Lang, f: &Finding) -> Option<Button> {
    let name = first_name(&f.child_name);
    let (key, data) = match f.check {
        Check::SponsoredWithoutSponsor => (
            "doctor-fix-sync",
            Callback::Doctor(DoctorFix::Sync(f.child)),
        ),
        Check::SponsorshipWithoutDeliveries => (
            "doctor-fix-plan",
            Callback::Doctor(DoctorFix::Plan(f.sponsorship?)),
        ),
        Check::DeliveryWithoutDeliverer => ("doctor-fix-reassign", Callback::Reassign(f.child)),
        Check::WaitingWithSponsorFree => ("doctor-fix-offer", Callback::Reassign(f.child)),
        Check::OfferPastExpiry => ("doctor-fix-expire", Callback::Doctor(DoctorFix::Expire)),
        Check::CaseOpenTooLong => ("doctor-fix-case", Callback::ResolveCase(f.case?)),
    };
    Some(Button::new(
        tf(lang, key, &[("child", Arg::Text(name))]),
        data.encode(),
    ))
}

/// The fixes of some findings, each button once (several findings may share a fix).
pub fn buttons<'a>(lang: Lang, findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Button> {
    let mut buttons: Vec<Button> = Vec::new();
    for b in findings.into_iter().filter_map(|f| button(lang, f)) {
        if !buttons.contains(&b) {
            buttons.push(b);
        }
    }
    buttons
}

/// What pressing a fix did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    /// The child's status follows their sponsorships again.
    Synced,
    /// The sponsorship has its plan and this many new deliveries.
    Planned(usize),
    /// Offers past their expiry expired.
    Expired(usize),
}

/// A coordinator presses the fix of a finding.
pub async fn fix(
    conn: &mut Conn,
    actor: &Actor,
    what: DoctorFix,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<Fixed, Denied>> {
    match what {
        DoctorFix::Sync(child) => {
            let Some(c) = children::get(conn, child).await? else {
                return Ok(Ok(Fixed::Synced));
            };
            if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&c))) {
                return Ok(Err(d));
            }
            lifecycle::sync_child(conn, child, now).await?;
            Ok(Ok(Fixed::Synced))
        }
        DoctorFix::Plan(s) => replan(conn, actor, s, settings, now).await,
        DoctorFix::Expire => {
            if let Err(d) = policy::check(actor, Action::Coordinate) {
                return Ok(Err(d));
            }
            Ok(Ok(Fixed::Expired(
                lifecycle::expire_due(conn, now).await?.len(),
            )))
        }
    }
}

/// An active sponsorship without upcoming deliveries: its plan (its own, else its area's default) is
/// applied again from today, and its sponsor told.
async fn replan(
    conn: &mut Conn,
    actor: &Actor,
    s: SponsorshipId,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<Fixed, Denied>> {
    let Some(sponsorship) = sponsorships::get(conn, s).await? else {
        return Ok(Ok(Fixed::Planned(0)));
    };
    let Some(child) = children::get(conn, sponsorship.child).await? else {
        return Ok(Ok(Fixed::Planned(0)));
    };
    if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&child))) {
        return Ok(Err(d));
    }
    let plan = match deliveries::plan_ids(conn, s).await? {
        Some((package, cadence, deliverer)) => {
            plans::plan(conn, package, cadence, &deliverer).await?
        }
        None => {
            let area = child.village.as_ref().unwrap_or(&child.kecamatan);
            plans::default_for(conn, area).await?
        }
    };
    let Some(plan) = plan else {
        return Ok(Ok(Fixed::Planned(0)));
    };
    let (deliverer, _) = planning::deliverer_for(conn, &child, plan.deliverer).await?;
    let added = planning::set_plan(
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
    Ok(Ok(Fixed::Planned(added)))
}
