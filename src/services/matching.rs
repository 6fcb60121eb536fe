//! `/match`: gathers the unmatched children and the sponsors with free places inside a coordinator's
//! scope, runs the pure matcher, and (on confirmation) turns its pairs into offers.

use super::sponsorships::{self as lifecycle, Refusal};
use crate::domain::child::{ChildId, age_days};
use crate::domain::matching::{
    self, ChildCandidate, MatchPlan, Pair, SponsorCandidate, UnmatchedReason,
};
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::role::{Scope, SponsorStatus};
use crate::domain::sponsorship::{Origin, SponsorshipId};
use crate::domain::{RegionCode, UserId};
use crate::store::children::Child;
use crate::store::{self, Conn, audit, children, sponsors, sponsorships};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What a run would do, with the children it concerns, for the preview.
#[derive(Debug, Clone)]
pub struct Preview {
    pub plan: MatchPlan,
    pub children: HashMap<ChildId, Child>,
    /// The sponsors of the area by user id, with their names, to say who gets whom.
    pub sponsor_names: HashMap<UserId, String>,
    /// Per kecamatan: pairs and unmatched.
    pub by_kecamatan: BTreeMap<RegionCode, (usize, usize)>,
    /// Pairs the matcher proposed that were declined before, and so were matched otherwise.
    pub declined_before: usize,
}

impl Preview {
    /// The pairs of each kecamatan (the child's), in priority order.
    pub fn pairs_by_kecamatan(&self) -> BTreeMap<&RegionCode, Vec<&Pair>> {
        let mut by: BTreeMap<&RegionCode, Vec<&Pair>> = BTreeMap::new();
        for pair in &self.plan.pairs {
            if let Some(c) = self.children.get(&pair.child) {
                by.entry(&c.kecamatan).or_default().push(pair);
            }
        }
        by
    }

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

/// What a matching run by `actor` would do: the waiting children of their area and the sponsors of their
/// area with free places (a scoped coordinator's run reaches no other region).
pub async fn preview(
    conn: &mut Conn,
    actor: &Actor,
    now: DateTime<Utc>,
) -> store::Result<Result<Preview, Denied>> {
    let scope = match (
        policy::check(actor, Action::Coordinate),
        &actor.roles.coordinator,
    ) {
        (Ok(_), Some(scope)) => scope,
        (Err(d), _) => return Ok(Err(d)),
        (Ok(_), None) => return Ok(Err(Denied::NoRole)),
    };
    Ok(Ok(plan(conn, scope, now).await?))
}

async fn plan(conn: &mut Conn, scope: &Scope, now: DateTime<Utc>) -> store::Result<Preview> {
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
    // The sponsors of the same area: a run offers nothing across the coordinator's scope (the matcher
    // itself pairs within a regency, nearest first).
    let (approved, _) = sponsors::list(conn, scope, SponsorStatus::Approved, i64::MAX).await?;
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
    let sponsor_names: HashMap<UserId, String> = approved
        .iter()
        .map(|s| (s.user, s.registration.name.as_str().to_owned()))
        .collect();
    let declined: HashSet<(ChildId, UserId)> = sponsorships::declined_pairs(conn)
        .await?
        .into_iter()
        .collect();
    let (plan, declined_before) = plan_avoiding(candidates, &sponsor_candidates, &declined);
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
        sponsor_names,
        by_kecamatan,
        declined_before,
    })
}

/// The matcher's plan, except that no child is offered again to a sponsor who declined them. The pure
/// matcher knows no history, so where its plan (in priority order) first pairs a child with a sponsor who
/// declined that child, the pairs before it are kept, that child alone is matched against the other
/// sponsors, and the matcher runs again for the children after it. Declines are rare, so this adds a few
/// runs at most; past [`MAX_RERUNS`] the remaining declined pairs are simply left out. With a decline in the
/// way, the smallest total distance is kept within each run of the matcher, not necessarily across the runs.
fn plan_avoiding(
    mut remaining: Vec<ChildCandidate>,
    sponsors: &[SponsorCandidate],
    declined: &HashSet<(ChildId, UserId)>,
) -> (MatchPlan, usize) {
    const MAX_RERUNS: usize = 64;
    let mut used: HashMap<UserId, u32> = HashMap::new();
    let mut result = MatchPlan::default();
    let mut avoided = 0;
    let with_used =
        |used: &HashMap<UserId, u32>, skip: &dyn Fn(UserId) -> bool| -> Vec<SponsorCandidate> {
            sponsors
                .iter()
                .filter(|s| !skip(s.id))
                .map(|s| SponsorCandidate {
                    active: s.active + used.get(&s.id).copied().unwrap_or(0),
                    ..s.clone()
                })
                .collect()
        };
    for rerun in 0..=MAX_RERUNS {
        let plan = matching::plan(&remaining, &with_used(&used, &|_| false));
        let conflict = plan
            .pairs
            .iter()
            .position(|p| declined.contains(&(p.child, p.sponsor)));
        let Some(k) = conflict.filter(|_| rerun < MAX_RERUNS) else {
            avoided += plan
                .pairs
                .iter()
                .filter(|p| declined.contains(&(p.child, p.sponsor)))
                .count();
            for pair in plan.pairs {
                if declined.contains(&(pair.child, pair.sponsor)) {
                    result
                        .unmatched
                        .push((pair.child, UnmatchedReason::SponsorsFull));
                } else {
                    result.pairs.push(pair);
                }
            }
            result.unmatched.extend(plan.unmatched);
            break;
        };
        avoided += 1;
        let mut settled: HashSet<ChildId> = HashSet::new();
        for pair in &plan.pairs[..k] {
            *used.entry(pair.sponsor).or_default() += 1;
            settled.insert(pair.child);
            result.pairs.push(*pair);
        }
        let child_id = plan.pairs[k].child;
        settled.insert(child_id);
        if let Some(child) = remaining.iter().find(|c| c.id == child_id).cloned() {
            let others = with_used(&used, &|s| declined.contains(&(child_id, s)));
            let single = matching::plan(std::slice::from_ref(&child), &others);
            match single.pairs.first() {
                Some(pair) => {
                    *used.entry(pair.sponsor).or_default() += 1;
                    result.pairs.push(*pair);
                }
                None => result.unmatched.extend(single.unmatched),
            }
        }
        remaining.retain(|c| !settled.contains(&c.id));
    }
    (result, avoided)
}

/// An offer made by a confirmed run.
#[derive(Debug, Clone)]
pub struct Offer {
    pub sponsorship: SponsorshipId,
    pub child: ChildId,
    pub sponsor: UserId,
}

/// Runs the matcher again (the data may have moved since the preview), makes its offers and sends them.
pub async fn confirm(
    conn: &mut Conn,
    actor: &Actor,
    ttl: Duration,
    now: DateTime<Utc>,
) -> store::Result<Result<Vec<Offer>, Denied>> {
    let preview = match preview(conn, actor, now).await? {
        Ok(p) => p,
        Err(d) => return Ok(Err(d)),
    };
    let mut offers = Vec::new();
    for pair in &preview.plan.pairs {
        match lifecycle::offer(
            conn,
            pair.child,
            pair.sponsor,
            Origin::Match,
            ttl,
            Some(actor.user),
            now,
        )
        .await?
        {
            Ok(id) => {
                lifecycle::send_offer(conn, id, now).await?;
                offers.push(Offer {
                    sponsorship: id,
                    child: pair.child,
                    sponsor: pair.sponsor,
                });
            }
            Err(Refusal::ChildTaken | Refusal::SponsorFull) => {}
            Err(other) => tracing::warn!(?other, "a planned pair could not be offered"),
        }
    }
    audit::record(
        conn,
        now,
        Some(actor.user),
        "match.run",
        "children",
        Some(&offers.len().to_string()),
    )
    .await?;
    Ok(Ok(offers))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    fn child(id: i64, haz: f64) -> ChildCandidate {
        ChildCandidate {
            id: ChildId(id),
            kecamatan: code("74.71.01"),
            village: None,
            haz: Some(haz),
            age_days: 400,
            waiting_since: 0,
        }
    }

    fn sponsor(id: i64, capacity: u32) -> SponsorCandidate {
        SponsorCandidate {
            id: UserId(id),
            office: None,
            kecamatan: code("74.71.01"),
            village: None,
            capacity,
            active: 0,
        }
    }

    #[test]
    fn a_declined_pair_is_never_proposed_again_and_the_sponsor_gets_the_next_child() {
        let children = vec![child(1, -3.5), child(2, -2.5)];
        let sponsors = vec![sponsor(10, 1), sponsor(20, 1)];
        let plain = matching::plan(&children, &sponsors);
        let first = plain
            .pairs
            .iter()
            .find(|p| p.child == ChildId(1))
            .expect("child 1 is paired")
            .sponsor;
        let declined: HashSet<(ChildId, UserId)> = [(ChildId(1), first)].into_iter().collect();
        let (plan, avoided) = plan_avoiding(children, &sponsors, &declined);
        assert_eq!(avoided, 1);
        assert_eq!(plan.pairs.len(), 2);
        for p in &plan.pairs {
            assert!(!declined.contains(&(p.child, p.sponsor)), "{p:?}");
        }
        assert!(plan.unmatched.is_empty());
    }

    #[test]
    fn a_child_who_declined_every_sponsor_waits() {
        let children = vec![child(1, -3.5)];
        let sponsors = vec![sponsor(10, 1)];
        let declined: HashSet<(ChildId, UserId)> = [(ChildId(1), UserId(10))].into_iter().collect();
        let (plan, _) = plan_avoiding(children, &sponsors, &declined);
        assert!(plan.pairs.is_empty());
        assert_eq!(plan.unmatched.len(), 1);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn world() -> impl Strategy<
            Value = (
                Vec<ChildCandidate>,
                Vec<SponsorCandidate>,
                HashSet<(ChildId, UserId)>,
            ),
        > {
            let children = prop::collection::vec((0u8..3, -40i32..10, 0u32..1800), 0..25);
            let sponsors = prop::collection::vec((0u8..3, 0u32..4, 0u32..2), 0..7);
            (
                children,
                sponsors,
                prop::collection::vec((0usize..25, 0usize..7), 0..30),
            )
                .prop_map(|(cs, ss, declined)| {
                    let kec = |k: u8| code(&format!("74.71.0{}", k + 1));
                    let children: Vec<ChildCandidate> = cs
                        .iter()
                        .enumerate()
                        .map(|(i, (k, haz, age))| ChildCandidate {
                            id: ChildId(i as i64 + 1),
                            kecamatan: kec(*k),
                            village: None,
                            haz: Some(f64::from(*haz) / 10.0),
                            age_days: *age,
                            waiting_since: i as i64,
                        })
                        .collect();
                    let sponsors: Vec<SponsorCandidate> = ss
                        .iter()
                        .enumerate()
                        .map(|(i, (k, capacity, active))| SponsorCandidate {
                            id: UserId(i as i64 + 100),
                            office: None,
                            kecamatan: kec(*k),
                            village: None,
                            capacity: *capacity,
                            active: *active,
                        })
                        .collect();
                    let declined = declined
                        .into_iter()
                        .filter(|(c, s)| *c < children.len() && *s < sponsors.len())
                        .map(|(c, s)| (children[c].id, sponsors[s].id))
                        .collect();
                    (children, sponsors, declined)
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]
            #[test]
            fn declined_pairs_never_return_and_capacity_holds((children, sponsors, declined) in world()) {
                let (plan, _) = plan_avoiding(children.clone(), &sponsors, &declined);
                for p in &plan.pairs {
                    prop_assert!(!declined.contains(&(p.child, p.sponsor)), "{:?}", p);
                }
                for s in &sponsors {
                    let taken = plan.pairs.iter().filter(|p| p.sponsor == s.id).count() as u32;
                    prop_assert!(taken == 0 || s.active + taken <= s.capacity, "{:?} took {}", s, taken);
                }
                let mut seen: Vec<ChildId> =
                    plan.pairs.iter().map(|p| p.child).chain(plan.unmatched.iter().map(|(c, _)| *c)).collect();
                seen.sort();
                let mut all: Vec<ChildId> = children.iter().map(|c| c.id).collect();
                all.sort();
                prop_assert_eq!(seen, all);
            }
        }
    }
}
