//! `/match`: gathers the unmatched children and the sponsors with free places inside a coordinator's
//! scope, runs the pure matcher, and (on confirmation) turns its pairs into offers.

use super::sponsorships::{self as lifecycle, Refusal};
use crate::domain::child::{ChildId, age_days};
use crate::domain::matching::{self, ChildCandidate, MatchPlan, SponsorCandidate, UnmatchedReason};
use crate::domain::role::{Scope, SponsorStatus};
use crate::domain::sponsorship::{Origin, SponsorshipId};
use crate::domain::{RegionCode, UserId};
use crate::store::children::Child;
use crate::store::{self, Conn, children, sponsors, sponsorships};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a run would do, with the children it concerns, for the preview.
#[derive(Debug, Clone)]
pub struct Preview {
    pub plan: MatchPlan,
    pub children: HashMap<ChildId, Child>,
    /// Per kecamatan: pairs and unmatched.
    pub by_kecamatan: BTreeMap<RegionCode, (usize, usize)>,
    /// Pairs left out because that sponsor once declined that child.
    pub declined_before: usize,
}

impl Preview {
    pub fn reasons(&self) -> (usize, usize) {
        let no_sponsor = self
            .plan
            .unmatched
            .iter()
            .filter(|(_, r)| *r == UnmatchedReason::NoSponsorInRegency)
            .count();
        (no_sponsor, self.plan.unmatched.len() - no_sponsor)
    }
}

pub async fn preview(conn: &mut Conn, scope: &Scope, now: DateTime<Utc>) -> store::Result<Preview> {
    let today = now.date_naive();
    let waiting = children::unmatched(conn, scope).await?;
    let candidates: Vec<ChildCandidate> = waiting
        .iter()
        .filter_map(|c| {
            Some(ChildCandidate {
                id: c.id,
                kecamatan: c.kecamatan.clone(),
                village: c.village.clone(),
                haz: c.haz,
                age_days: age_days(c.birth_date, today)?,
                waiting_since: c.waiting_since.timestamp_millis(),
            })
        })
        .collect();
    let load: HashMap<UserId, i64> = sponsorships::load_by_sponsor(conn)
        .await?
        .into_iter()
        .collect();
    // Sponsors are matched across the whole regency, so those of the scope's regency count even when the
    // coordinator oversees one kecamatan.
    let regency_scope = match scope.code() {
        Some(code) => Scope::Region(regency_of(code)),
        None => Scope::All,
    };
    let (approved, _) =
        sponsors::list(conn, &regency_scope, SponsorStatus::Approved, i64::MAX).await?;
    let sponsor_candidates: Vec<SponsorCandidate> = approved
        .iter()
        .map(|s| SponsorCandidate {
            id: s.user,
            office: s.registration.affiliation.office(),
            kecamatan: s.registration.area.kecamatan.clone(),
            village: s.registration.area.village.clone(),
            capacity: u32::from(s.registration.capacity.get()),
            active: u32::try_from(load.get(&s.user).copied().unwrap_or(0)).unwrap_or(u32::MAX),
        })
        .collect();
    let mut plan = matching::plan(&candidates, &sponsor_candidates);
    // The matcher knows nothing of history; a pair that was declined before is not offered again (the
    // child waits for the next run or a coordinator's hand).
    let declined: HashSet<(ChildId, UserId)> = sponsorships::declined_pairs(conn)
        .await?
        .into_iter()
        .collect();
    let before = plan.pairs.len();
    let mut kept = Vec::with_capacity(before);
    for pair in plan.pairs {
        if declined.contains(&(pair.child, pair.sponsor)) {
            plan.unmatched
                .push((pair.child, UnmatchedReason::SponsorsFull));
        } else {
            kept.push(pair);
        }
    }
    plan.pairs = kept;
    let declined_before = before - plan.pairs.len();
    let children: HashMap<ChildId, Child> = waiting.into_iter().map(|c| (c.id, c)).collect();
    let mut by_kecamatan: BTreeMap<RegionCode, (usize, usize)> = BTreeMap::new();
    for pair in &plan.pairs {
        if let Some(c) = children.get(&pair.child) {
            by_kecamatan.entry(c.kecamatan.clone()).or_default().0 += 1;
        }
    }
    for (child, _) in &plan.unmatched {
        if let Some(c) = children.get(child) {
            by_kecamatan.entry(c.kecamatan.clone()).or_default().1 += 1;
        }
    }
    Ok(Preview {
        plan,
        children,
        by_kecamatan,
        declined_before,
    })
}

fn regency_of(code: &RegionCode) -> RegionCode {
    let mut c = code.clone();
    while c.level() > crate::domain::RegionLevel::Regency {
        match c.parent() {
            Some(p) => c = p,
            None => break,
        }
    }
    c
}

/// An offer made by a confirmed run.
#[derive(Debug, Clone)]
pub struct Offer {
    pub sponsorship: SponsorshipId,
    pub child: ChildId,
    pub sponsor: UserId,
}

/// Runs the matcher again (the data may have moved since the preview) and makes its offers.
pub async fn confirm(
    conn: &mut Conn,
    scope: &Scope,
    by: UserId,
    ttl: Duration,
    now: DateTime<Utc>,
) -> store::Result<(Preview, Vec<Offer>)> {
    let preview = preview(conn, scope, now).await?;
    let mut offers = Vec::new();
    for pair in &preview.plan.pairs {
        match lifecycle::offer(
            conn,
            pair.child,
            pair.sponsor,
            Origin::Match,
            ttl,
            Some(by),
            now,
        )
        .await?
        {
            Ok(id) => offers.push(Offer {
                sponsorship: id,
                child: pair.child,
                sponsor: pair.sponsor,
            }),
            Err(Refusal::ChildTaken | Refusal::SponsorFull) => {}
            Err(other) => tracing::warn!(?other, "a planned pair could not be offered"),
        }
    }
    Ok((preview, offers))
}
