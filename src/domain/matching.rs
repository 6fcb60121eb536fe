//! Proposing sponsors (bapak/bunda asuh) for children waiting for one: who is helped first, and by whom.
//!
//! The rules, from the programme:
//! - **Who first.** The most severely stunted child first (lowest height-for-age z-score, HAZ; a child not yet
//!   measured counts as [`STUNTING_HAZ`]), then the younger one (the first 1,000 days matter most), then the one
//!   waiting longest, then the lower [`ChildId`] so that the order is total. See [`priority_cmp`].
//! - **Near.** A sponsor who prefers the child's own village first, then one in the child's kecamatan, then anyone in
//!   the child's regency (kabupaten/kota), and never a sponsor from another regency: the sponsor visits the family.
//! - **Fair.** Among equally near sponsors, the one with the lowest load ratio (children already sponsored plus those
//!   given in this run, over capacity), then the one whose office has received the fewest children in this run (so no
//!   single OPD carries the programme; a community member, without an office, is a group of their own), then the
//!   lowest [`UserId`].
//! - **Pure.** [`plan`] reads no clock and no database, and gives the same plan for the same children and sponsors in
//!   any order. It only proposes: the caller stores the pairs as proposals that people accept or decline.
//!
//! # How
//! One greedy pass over the children in priority order. Sponsors with free places sit in one index per area (each
//! village, kecamatan and regency that some sponsor prefers), so a child only looks at its own three areas and never at
//! the other sponsors. Within an area the sponsors are grouped by office, because an office's count moves every time
//! any of its members takes a child, anywhere: a min-heap per (area, group) orders the group's members by (load,
//! UserId), and a min-heap per area orders the groups by their best member's (load, office count, UserId). A sponsor's
//! rank only ever grows during a run (loads and office counts only go up), so both heaps are lazy: an entry may be
//! stale-low, and is refreshed when it reaches the top. A top entry that is still current is therefore the true minimum.
//!
//! With C children, S sponsors and O the largest number of offices among the sponsors of one area, a run costs
//! O(C log C + S log S) for sorting and building, plus O((C · (1 + O) + S) log S) for the picks: each pick refreshes
//! each office group of its area at most once, and a member's or a community sponsor's entry goes stale only when that
//! sponsor takes a child. Memory is O(C + S).

use std::cmp::{Ordering, Reverse};
use std::collections::binary_heap::PeekMut;
use std::collections::{BinaryHeap, HashMap};

use super::child::ChildId;
use super::ids::{OfficeId, UserId};
use super::region::RegionCode;

/// The HAZ below which a child is stunted (WHO). A child without a measurement is ranked as if exactly here: not
/// ahead of children known to be severely stunted, not behind those measured as only mildly short.
pub const STUNTING_HAZ: f64 = -2.0;

/// A child waiting for a sponsor, with what the matcher needs to know about them.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildCandidate {
    pub id: ChildId,
    /// The child's kecamatan (district code such as `74.71.02`); its first two parts are the regency.
    pub kecamatan: RegionCode,
    /// The child's kelurahan/desa, when known. Ignored unless it lies inside `kecamatan`.
    pub village: Option<RegionCode>,
    /// The latest height-for-age z-score; `None` (or a value that is not a number) when not measured yet.
    pub haz: Option<f64>,
    /// Age in completed days on the day of the run.
    pub age_days: u32,
    /// Since when the child has waited for a sponsor, in Unix milliseconds.
    pub waiting_since: i64,
}

/// A sponsor with where they prefer to help and how many children they can take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SponsorCandidate {
    pub id: UserId,
    /// The office (OPD) the sponsor belongs to; `None` for a community member.
    pub office: Option<OfficeId>,
    /// The preferred kecamatan (district code); its first two parts are the regency the sponsor can help in.
    pub kecamatan: RegionCode,
    /// A preferred kelurahan/desa inside that kecamatan, if any. Ignored unless it lies inside `kecamatan`.
    pub village: Option<RegionCode>,
    /// How many children the sponsor is willing to sponsor in total.
    pub capacity: u32,
    /// How many children the sponsor already sponsors; free places are `capacity - active`.
    pub active: u32,
}

/// How near a sponsor's preferred area is to the child; nearer is smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Proximity {
    /// Both name the same kelurahan/desa.
    SameVillage,
    /// Both are in the same kecamatan.
    SameKecamatan,
    /// Both are in the same regency (kabupaten/kota), in different kecamatan or villages.
    SameRegency,
}

/// A proposed sponsorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub child: ChildId,
    pub sponsor: UserId,
    pub proximity: Proximity,
}

/// Why a child got no sponsor in this run, so that coordinators know whether to recruit or to ask for more places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnmatchedReason {
    /// No sponsor at all prefers the child's regency.
    NoSponsorInRegency,
    /// There are sponsors in the child's regency, but they have no free place left.
    SponsorsFull,
}

/// The outcome of a run: every child is in exactly one of the two lists, each in priority order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchPlan {
    pub pairs: Vec<Pair>,
    pub unmatched: Vec<(ChildId, UnmatchedReason)>,
}

/// The order in which children are matched: `Less` means `a` is matched before `b`.
///
/// Lower HAZ first (a missing or non-numeric one counts as [`STUNTING_HAZ`]), then younger, then waiting longer, then
/// lower id. Total for children with distinct ids.
pub fn priority_cmp(a: &ChildCandidate, b: &ChildCandidate) -> Ordering {
    Rank::of(a).cmp(&Rank::of(b))
}

/// Proposes a sponsor for as many children as the sponsors' free places allow; see the module docs for the rules.
///
/// Pairs and unmatched children are listed in priority order. The result does not depend on the order of either input.
/// A sponsor whose `active` already reaches `capacity` takes no child but still counts as being in their regency.
/// Only the first three parts of a `kecamatan` code count as the kecamatan and its first two as the regency; a
/// `village` counts only when it lies inside the `kecamatan`, so that bad data cannot pair across regencies.
pub fn plan(children: &[ChildCandidate], sponsors: &[SponsorCandidate]) -> MatchPlan {
    let mut index = Index::build(sponsors);

    // Rank and areas are looked up once, in input order, so that the pass below touches small, contiguous records.
    let mut queue: Vec<Queued> = children
        .iter()
        .enumerate()
        .map(|(input, child)| Queued {
            rank: Rank::of(child),
            areas: index.areas_of(child),
            input,
        })
        .collect();
    queue.sort_unstable_by(|a, b| {
        a.rank.cmp(&b.rank).then_with(|| {
            // Only children sharing an id get here; their areas keep the order independent of the input's.
            let (a, b) = (&children[a.input], &children[b.input]);
            a.kecamatan
                .cmp(&b.kecamatan)
                .then_with(|| a.village.cmp(&b.village))
        })
    });

    let mut result = MatchPlan::default();
    for queued in queue {
        match index.take_nearest(queued.areas) {
            Ok((sponsor, proximity)) => result.pairs.push(Pair {
                child: queued.rank.id,
                sponsor,
                proximity,
            }),
            Err(reason) => result.unmatched.push((queued.rank.id, reason)),
        }
    }
    result
}

/// What decides a child's turn, in the order it decides it.
#[derive(Debug, Clone, Copy)]
struct Rank {
    /// The HAZ, with a missing or non-numeric one as [`STUNTING_HAZ`] and −0.0 as 0.0 (`total_cmp` tells them apart).
    severity: f64,
    age_days: u32,
    waiting_since: i64,
    id: ChildId,
}

impl Rank {
    fn of(child: &ChildCandidate) -> Self {
        let severity = match child.haz {
            Some(z) if z.is_finite() => z + 0.0,
            _ => STUNTING_HAZ,
        };
        Self {
            severity,
            age_days: child.age_days,
            waiting_since: child.waiting_since,
            id: child.id,
        }
    }
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> Ordering {
        self.severity
            .total_cmp(&other.severity)
            .then(self.age_days.cmp(&other.age_days))
            .then(self.waiting_since.cmp(&other.waiting_since))
            .then(self.id.cmp(&other.id))
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Rank {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Rank {}

/// A child in the queue of one run.
#[derive(Debug, Clone, Copy)]
struct Queued {
    rank: Rank,
    areas: Areas,
    /// Position in the input, to reach the child's region codes for the last tie-break.
    input: usize,
}

/// The areas, as indices of the run, a person can be served in: `None` where no sponsor with a free place is.
/// `regency` is `None` only when no sponsor at all, full or not, prefers the regency.
#[derive(Debug, Clone, Copy)]
struct Areas {
    village: Option<usize>,
    kecamatan: Option<usize>,
    regency: Option<usize>,
}

/// A number for the first `parts` parts of a code, `None` when the code has fewer: `74.71.02` with 2 parts is the
/// regency `74.71`. Numbers hash faster than strings, and valid codes have fixed widths, so distinct codes of the
/// same level get distinct numbers; the level is in the number too.
fn area_key(code: &RegionCode, parts: u64) -> Option<u64> {
    let mut key = 0u64;
    let mut seen = 1;
    for b in code.as_str().bytes() {
        if b == b'.' {
            if seen == parts {
                break;
            }
            seen += 1;
        } else {
            key = key
                .wrapping_mul(10)
                .wrapping_add(u64::from(b.wrapping_sub(b'0')));
        }
    }
    (seen == parts).then(|| key.wrapping_mul(8).wrapping_add(parts))
}

/// The keys of a person's regency, kecamatan and (if inside that kecamatan) village.
fn area_keys(
    kecamatan: &RegionCode,
    village: Option<&RegionCode>,
) -> (Option<u64>, Option<u64>, Option<u64>) {
    let kecamatan_key = area_key(kecamatan, 3);
    let village_key = village
        .filter(|v| kecamatan_key.is_some() && area_key(v, 3) == kecamatan_key)
        .and_then(|v| area_key(v, 4));
    (area_key(kecamatan, 2), kecamatan_key, village_key)
}

/// A load ratio, `taken / capacity`, compared exactly (capacities differ, so floats could tie wrongly).
#[derive(Debug, Clone, Copy)]
struct Load {
    taken: u32,
    capacity: u32,
}

impl Ord for Load {
    fn cmp(&self, other: &Self) -> Ordering {
        let lhs = u64::from(self.taken) * u64::from(other.capacity);
        let rhs = u64::from(other.taken) * u64::from(self.capacity);
        lhs.cmp(&rhs)
    }
}

impl PartialOrd for Load {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Load {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Load {}

/// A sponsor as the run sees it.
#[derive(Debug)]
struct Seat {
    id: UserId,
    /// Children already sponsored plus those given in this run.
    taken: u32,
    capacity: u32,
    /// The office, or the sponsor alone for a community member.
    group: usize,
}

impl Seat {
    fn is_free(&self) -> bool {
        self.taken < self.capacity
    }

    fn load(&self) -> Load {
        Load {
            taken: self.taken,
            capacity: self.capacity,
        }
    }
}

/// A member in its (area, group) heap: by load, then by position (the sponsors are sorted by UserId).
type MemberRank = (Load, usize);

/// A group in its area's heap, by its best member: load, then the group's count in this run, then position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct GroupRank {
    load: Load,
    group_taken: u32,
    position: usize,
    slot: usize,
}

/// The sponsors of one run, indexed by area, and what has been given so far.
#[derive(Debug)]
struct Index {
    /// Sorted by UserId (then by every other field, so that duplicates cannot depend on input order).
    sponsors: Vec<Seat>,
    /// Children given in this run, per group.
    group_taken: Vec<u32>,
    /// Area index by [`area_key`]: every regency with a sponsor, every kecamatan and village with a free place.
    areas: HashMap<u64, usize>,
    /// Per slot, one (area, group) pair: its group, and its members that may still have a free place.
    slot_group: Vec<usize>,
    slot_members: Vec<BinaryHeap<Reverse<MemberRank>>>,
    /// Per area: one entry per slot of the area that may still have a free place.
    area_groups: Vec<BinaryHeap<Reverse<GroupRank>>>,
}

impl Index {
    fn build(sponsors: &[SponsorCandidate]) -> Self {
        let mut sorted: Vec<&SponsorCandidate> = sponsors.iter().collect();
        sorted.sort_unstable_by(|a, b| {
            a.id.cmp(&b.id)
                .then_with(|| a.office.map(|o| o.0).cmp(&b.office.map(|o| o.0)))
                .then_with(|| a.kecamatan.cmp(&b.kecamatan))
                .then_with(|| a.village.cmp(&b.village))
                .then_with(|| a.capacity.cmp(&b.capacity))
                .then_with(|| a.active.cmp(&b.active))
        });

        let mut offices: HashMap<OfficeId, usize> = HashMap::new();
        let mut group_count = 0;
        let mut areas: HashMap<u64, usize> = HashMap::new();
        // (area, group, position) for every place a sponsor with a free place can be found.
        let mut placements: Vec<(usize, usize, usize)> = Vec::new();
        let mut seats = Vec::with_capacity(sorted.len());

        for (position, sponsor) in sorted.into_iter().enumerate() {
            let group = match sponsor.office {
                Some(office) => *offices.entry(office).or_insert(group_count),
                None => group_count,
            };
            if group == group_count {
                group_count += 1;
            }
            let seat = Seat {
                id: sponsor.id,
                taken: sponsor.active,
                capacity: sponsor.capacity,
                group,
            };
            let (regency, kecamatan, village) =
                area_keys(&sponsor.kecamatan, sponsor.village.as_ref());
            // Every sponsor marks their regency, even a full one: it tells "full" from "nobody here".
            let mut intern = |key: u64| {
                let next = areas.len();
                *areas.entry(key).or_insert(next)
            };
            let regency = regency.map(&mut intern);
            if seat.is_free() {
                let local = [kecamatan, village].into_iter().flatten().map(&mut intern);
                for area in regency.into_iter().chain(local) {
                    placements.push((area, group, position));
                }
            }
            seats.push(seat);
        }

        // One slot per (area, group); its members are a heap by (load, position).
        placements.sort_unstable();
        let mut slot_group = Vec::new();
        let mut slot_members = Vec::new();
        let mut area_groups: Vec<Vec<Reverse<GroupRank>>> = vec![Vec::new(); areas.len()];
        for run in placements.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let members: BinaryHeap<Reverse<MemberRank>> = run
                .iter()
                .map(|&(_, _, position)| Reverse((seats[position].load(), position)))
                .collect();
            if let (Some(&(area, group, _)), Some(&Reverse((load, position)))) =
                (run.first(), members.peek())
            {
                area_groups[area].push(Reverse(GroupRank {
                    load,
                    group_taken: 0,
                    position,
                    slot: slot_members.len(),
                }));
                slot_group.push(group);
                slot_members.push(members);
            }
        }

        Self {
            sponsors: seats,
            group_taken: vec![0; group_count],
            areas,
            slot_group,
            slot_members,
            area_groups: area_groups.into_iter().map(BinaryHeap::from).collect(),
        }
    }

    /// The areas of this run that a child can be served in.
    fn areas_of(&self, child: &ChildCandidate) -> Areas {
        let (regency, kecamatan, village) = area_keys(&child.kecamatan, child.village.as_ref());
        let find = |key: Option<u64>| key.and_then(|k| self.areas.get(&k).copied());
        Areas {
            village: find(village),
            kecamatan: find(kecamatan),
            regency: find(regency),
        }
    }

    /// Gives a child in `areas` the nearest, least loaded sponsor with a free place, or says why there is none.
    fn take_nearest(&mut self, areas: Areas) -> Result<(UserId, Proximity), UnmatchedReason> {
        let regency = areas.regency.ok_or(UnmatchedReason::NoSponsorInRegency)?;
        let tiers = [
            (areas.village, Proximity::SameVillage),
            (areas.kecamatan, Proximity::SameKecamatan),
            (Some(regency), Proximity::SameRegency),
        ];
        for (area, proximity) in tiers {
            if let Some(position) = area.and_then(|a| self.best_in_area(a)) {
                let seat = &mut self.sponsors[position];
                seat.taken += 1;
                self.group_taken[seat.group] += 1;
                return Ok((seat.id, proximity));
            }
        }
        Err(UnmatchedReason::SponsorsFull)
    }

    /// The best sponsor with a free place in an area, by the fairness rank; `None` when the area is full.
    fn best_in_area(&mut self, area: usize) -> Option<usize> {
        loop {
            let Reverse(stored) = *self.area_groups[area].peek()?;
            let best = self.best_in_slot(stored.slot);
            let mut top = self.area_groups[area].peek_mut()?;
            let Some((load, position)) = best else {
                // The group has no free place left in this area, and will not get one back in this run.
                PeekMut::pop(top);
                continue;
            };
            let current = GroupRank {
                load,
                group_taken: self.group_taken[self.slot_group[stored.slot]],
                position,
                slot: stored.slot,
            };
            if current == stored {
                return Some(position);
            }
            *top = Reverse(current);
        }
    }

    /// The best member with a free place of one group in one area, by (load, UserId).
    fn best_in_slot(&mut self, slot: usize) -> Option<MemberRank> {
        let heap = &mut self.slot_members[slot];
        while let Some(mut top) = heap.peek_mut() {
            let Reverse((stored, position)) = *top;
            let seat = &self.sponsors[position];
            if !seat.is_free() {
                PeekMut::pop(top);
                continue;
            }
            let current = seat.load();
            if current == stored {
                return Some((current, position));
            }
            *top = Reverse((current, position));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid code")
    }

    /// A child in `area`: a village code gives village and kecamatan, a kecamatan code only the kecamatan.
    fn child(id: i64, area: &str) -> ChildCandidate {
        let area = code(area);
        let (kecamatan, village) = match area.level() {
            crate::domain::region::RegionLevel::Village => (
                area.parent().expect("a village has a kecamatan"),
                Some(area),
            ),
            _ => (area, None),
        };
        ChildCandidate {
            id: ChildId(id),
            kecamatan,
            village,
            haz: None,
            age_days: 400,
            waiting_since: 0,
        }
    }

    fn sponsor(id: i64, office: Option<i64>, area: &str, capacity: u32) -> SponsorCandidate {
        let c = child(0, area);
        SponsorCandidate {
            id: UserId(id),
            office: office.map(OfficeId),
            kecamatan: c.kecamatan,
            village: c.village,
            capacity,
            active: 0,
        }
    }

    fn pairs(plan: &MatchPlan) -> Vec<(i64, i64, Proximity)> {
        plan.pairs
            .iter()
            .map(|p| (p.child.0, p.sponsor.0, p.proximity))
            .collect()
    }

    fn ids_paired(plan: &MatchPlan) -> Vec<i64> {
        plan.pairs.iter().map(|p| p.child.0).collect()
    }

    #[test]
    fn the_most_severely_stunted_child_comes_first() {
        let mut severe = child(3, "74.71.02");
        severe.haz = Some(-3.4);
        let mut mild = child(1, "74.71.02");
        mild.haz = Some(-2.1);
        let place = [sponsor(9, None, "74.71.02", 1)];
        let plan = plan(&[mild, severe], &place);
        assert_eq!(ids_paired(&plan), vec![3]);
        assert_eq!(
            plan.unmatched,
            vec![(ChildId(1), UnmatchedReason::SponsorsFull)]
        );
    }

    #[test]
    fn an_unmeasured_child_ranks_at_the_stunting_threshold() {
        let mut severe = child(1, "74.71.02");
        severe.haz = Some(-2.5);
        let unmeasured = child(2, "74.71.02");
        let mut mild = child(3, "74.71.02");
        mild.haz = Some(-1.5);
        let mut not_a_number = child(4, "74.71.02");
        not_a_number.haz = Some(f64::NAN);
        not_a_number.age_days = unmeasured.age_days + 1;
        let mut ranked = [&mild, &not_a_number, &unmeasured, &severe];
        ranked.sort_by(|a, b| priority_cmp(a, b));
        let ids: Vec<i64> = ranked.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, vec![1, 2, 4, 3]);
    }

    #[test]
    fn at_equal_severity_younger_then_longer_waiting_then_lower_id() {
        let mut older = child(1, "74.71.02");
        older.age_days = 900;
        let mut recent = child(2, "74.71.02");
        recent.waiting_since = 5_000;
        let mut early = child(3, "74.71.02");
        early.waiting_since = 1_000;
        let same_as_early = ChildCandidate {
            id: ChildId(4),
            ..early.clone()
        };
        let mut ranked = [&older, &same_as_early, &recent, &early];
        ranked.sort_by(|a, b| priority_cmp(a, b));
        let ids: Vec<i64> = ranked.iter().map(|c| c.id.0).collect();
        assert_eq!(ids, vec![3, 4, 2, 1]);

        let plan = plan(
            &[older, recent, early, same_as_early],
            &[sponsor(9, None, "74.71.02", 4)],
        );
        assert_eq!(
            ids_paired(&plan),
            vec![3, 4, 2, 1],
            "pairs in priority order"
        );
    }

    #[test]
    fn negative_zero_haz_ties_with_zero() {
        let mut a = child(1, "74.71.02");
        a.haz = Some(-0.0);
        let mut b = child(2, "74.71.02");
        b.haz = Some(0.0);
        b.age_days = a.age_days - 1;
        assert_eq!(priority_cmp(&b, &a), Ordering::Less);
    }

    #[test]
    fn the_same_village_is_preferred_then_the_kecamatan_then_the_regency() {
        let sponsors = [
            sponsor(1, None, "74.71.03", 1), // another kecamatan of the regency
            sponsor(2, None, "74.71.02", 1), // the kecamatan
            sponsor(3, None, "74.71.02.1001", 1), // the village
        ];
        let children: Vec<ChildCandidate> = (10..13).map(|id| child(id, "74.71.02.1001")).collect();
        let plan = plan(&children, &sponsors);
        assert_eq!(
            pairs(&plan),
            vec![
                (10, 3, Proximity::SameVillage),
                (11, 2, Proximity::SameKecamatan),
                (12, 1, Proximity::SameRegency),
            ]
        );
    }

    #[test]
    fn nearness_beats_a_lighter_load() {
        let mut busy_neighbour = sponsor(2, None, "74.71.02.1001", 10);
        busy_neighbour.active = 9;
        let idle_far = sponsor(1, None, "74.71.02", 10);
        let plan = plan(&[child(10, "74.71.02.1001")], &[idle_far, busy_neighbour]);
        assert_eq!(pairs(&plan), vec![(10, 2, Proximity::SameVillage)]);
    }

    #[test]
    fn a_sponsor_of_another_village_is_near_by_kecamatan_only() {
        let plan = plan(
            &[child(10, "74.71.02.1001"), child(11, "74.71.02")],
            &[sponsor(1, None, "74.71.02.1002", 2)],
        );
        assert_eq!(
            pairs(&plan),
            vec![
                (10, 1, Proximity::SameKecamatan),
                (11, 1, Proximity::SameKecamatan)
            ]
        );
    }

    #[test]
    fn a_village_outside_its_kecamatan_is_ignored() {
        let mut odd = sponsor(1, None, "74.72.05", 1);
        odd.village = Some(code("74.71.02.1001"));
        let plan = plan(&[child(10, "74.71.02.1001")], &[odd]);
        assert!(plan.pairs.is_empty(), "must not cross into regency 74.72");
        assert_eq!(
            plan.unmatched,
            vec![(ChildId(10), UnmatchedReason::NoSponsorInRegency)]
        );
    }

    #[test]
    fn no_child_is_matched_beyond_its_regency() {
        let plan = plan(
            &[child(10, "74.71.02.1001"), child(11, "74.72.01")],
            &[sponsor(1, None, "74.72.01", 1)],
        );
        assert_eq!(pairs(&plan), vec![(11, 1, Proximity::SameKecamatan)]);
        assert_eq!(
            plan.unmatched,
            vec![(ChildId(10), UnmatchedReason::NoSponsorInRegency)]
        );
    }

    #[test]
    fn the_least_loaded_sponsor_counting_active_children_gets_the_child() {
        let mut half_full = sponsor(1, None, "74.71.02", 10);
        half_full.active = 5; // 5/10
        let mut one_of_three = sponsor(2, None, "74.71.02", 3);
        one_of_three.active = 1; // 1/3
        let children: Vec<ChildCandidate> = (10..14).map(|id| child(id, "74.71.02")).collect();
        let plan = plan(&children, &[half_full, one_of_three]);
        // 1/3 < 5/10 → 2 (now 2/3); 5/10 < 2/3 → 1 (6/10); 6/10 < 2/3 → 1 (7/10); 2/3 < 7/10 → 2.
        let sponsors: Vec<i64> = plan.pairs.iter().map(|p| p.sponsor.0).collect();
        assert_eq!(sponsors, vec![2, 1, 1, 2]);
    }

    #[test]
    fn sponsors_with_equal_loads_are_spread_over_offices() {
        let sponsors = [
            sponsor(1, Some(100), "74.71.02", 10),
            sponsor(2, Some(100), "74.71.02", 10),
            sponsor(3, Some(200), "74.71.02", 10),
            sponsor(4, Some(200), "74.71.02", 10),
        ];
        let children: Vec<ChildCandidate> = (10..14).map(|id| child(id, "74.71.02")).collect();
        let plan = plan(&children, &sponsors);
        // Without the office rule the second child would go to 2, the lower id; office 100 already has one.
        let sponsors: Vec<i64> = plan.pairs.iter().map(|p| p.sponsor.0).collect();
        assert_eq!(sponsors, vec![1, 3, 2, 4]);
    }

    #[test]
    fn office_counts_span_areas() {
        // Office 100 takes the village child through sponsor 1; in the kecamatan, office 200 is then preferred.
        let sponsors = [
            sponsor(1, Some(100), "74.71.02.1001", 5),
            sponsor(2, Some(100), "74.71.02", 5),
            sponsor(3, Some(200), "74.71.02", 5),
        ];
        let plan = plan(
            &[child(10, "74.71.02.1001"), child(11, "74.71.02.1002")],
            &sponsors,
        );
        assert_eq!(
            pairs(&plan),
            vec![
                (10, 1, Proximity::SameVillage),
                (11, 3, Proximity::SameKecamatan)
            ]
        );
    }

    #[test]
    fn community_members_are_each_their_own_group() {
        let sponsors = [
            sponsor(1, None, "74.71.02", 10),
            sponsor(2, None, "74.71.02", 10),
            sponsor(3, Some(100), "74.71.02", 10),
        ];
        let children: Vec<ChildCandidate> = (10..13).map(|id| child(id, "74.71.02")).collect();
        let plan = plan(&children, &sponsors);
        // Sponsor 1's count does not hold back sponsor 2: both are at zero in their own groups.
        let sponsors: Vec<i64> = plan.pairs.iter().map(|p| p.sponsor.0).collect();
        assert_eq!(sponsors, vec![1, 2, 3]);
    }

    #[test]
    fn reasons_tell_full_from_absent() {
        let mut full = sponsor(1, None, "74.71.03", 2);
        full.active = 3; // more than the capacity: still counts as full
        let closed = sponsor(2, None, "74.73.01", 0);
        let plan = plan(
            &[
                child(10, "74.71.02"),
                child(11, "74.72.01"),
                child(12, "74.73.01"),
            ],
            &[full, closed],
        );
        assert!(plan.pairs.is_empty());
        assert_eq!(
            plan.unmatched,
            vec![
                (ChildId(10), UnmatchedReason::SponsorsFull),
                (ChildId(11), UnmatchedReason::NoSponsorInRegency),
                (ChildId(12), UnmatchedReason::SponsorsFull),
            ]
        );
    }

    #[test]
    fn shuffled_input_gives_the_same_plan() {
        let mut children: Vec<ChildCandidate> = (0..30)
            .map(|i| {
                let mut c = child(
                    100 - i,
                    ["74.71.01.1001", "74.71.01", "74.71.02.1002", "74.72.01"][(i % 4) as usize],
                );
                c.haz = (i % 3 != 0).then_some(-1.0 - f64::from(i as i32 % 5) * 0.5);
                c.age_days = (i as u32 * 37) % 200;
                c
            })
            .collect();
        let mut sponsors: Vec<SponsorCandidate> = (0..8)
            .map(|i| {
                let area = ["74.71.01.1001", "74.71.02", "74.71.01"][(i % 3) as usize];
                sponsor(
                    i + 1,
                    (i % 2 == 0).then_some(i % 4),
                    area,
                    1 + (i as u32 % 4),
                )
            })
            .collect();
        let expected = plan(&children, &sponsors);
        assert!(!expected.pairs.is_empty() && !expected.unmatched.is_empty());
        children.reverse();
        sponsors.rotate_left(3);
        assert_eq!(plan(&children, &sponsors), expected);
        children.rotate_left(7);
        sponsors.reverse();
        assert_eq!(plan(&children, &sponsors), expected);
    }

    #[test]
    fn no_input_gives_an_empty_plan() {
        assert_eq!(plan(&[], &[]), MatchPlan::default());
        assert_eq!(
            plan(&[], &[sponsor(1, None, "74.71.02", 3)]),
            MatchPlan::default()
        );
    }

    // ---- properties ----

    const REGENCIES: [&str; 2] = ["74.71", "74.72"];

    fn area(
        regency: usize,
        kecamatan: usize,
        village: Option<usize>,
    ) -> (RegionCode, Option<RegionCode>) {
        let k = format!("{}.{:02}", REGENCIES[regency], kecamatan + 1);
        let v = village.map(|v| code(&format!("{k}.{}", 1001 + v)));
        (code(&k), v)
    }

    fn arb_children() -> impl Strategy<Value = Vec<ChildCandidate>> {
        prop::collection::vec(
            (
                0..2usize,
                0..2usize,
                prop::option::of(0..2usize),
                prop::option::of(-5.0..1.0f64),
                0..5u32,
                0..4i64,
            ),
            0..40,
        )
        .prop_map(|specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (r, k, v, haz, age, waiting))| {
                    let (kecamatan, village) = area(r, k, v);
                    ChildCandidate {
                        // Ids not in input order, so that id order is a real tie-break.
                        id: ChildId((i as i64 * 7919) % 1009),
                        kecamatan,
                        village,
                        // Few distinct values, so that ties reach the later keys.
                        haz: haz.map(|z| (z * 2.0).round() / 2.0),
                        age_days: age * 100,
                        waiting_since: waiting,
                    }
                })
                .collect()
        })
    }

    fn arb_sponsors() -> impl Strategy<Value = Vec<SponsorCandidate>> {
        prop::collection::vec(
            (
                0..2usize,
                0..2usize,
                prop::option::of(0..2usize),
                prop::option::of(0..3i64),
                0..5u32,
                0..6u32,
            ),
            0..15,
        )
        .prop_map(|specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (r, k, v, office, capacity, active))| {
                    let (kecamatan, village) = area(r, k, v);
                    SponsorCandidate {
                        id: UserId((i as i64 * 31) % 97 + 1),
                        office: office.map(OfficeId),
                        kecamatan,
                        village,
                        capacity,
                        active: active.min(capacity + 1),
                    }
                })
                .collect()
        })
    }

    /// The rules restated the slow way, sponsor by sponsor: the reference for the indexed matcher.
    fn reference_plan(children: &[ChildCandidate], sponsors: &[SponsorCandidate]) -> MatchPlan {
        let mut order: Vec<&ChildCandidate> = children.iter().collect();
        order.sort_by(|a, b| priority_cmp(a, b));
        let mut given = vec![0u32; sponsors.len()];
        let group_given = |given: &[u32], s: &SponsorCandidate| -> u32 {
            sponsors
                .iter()
                .zip(given)
                .filter(|(o, _)| match s.office {
                    Some(office) => o.office == Some(office),
                    None => o.id == s.id,
                })
                .map(|(_, n)| *n)
                .sum()
        };
        let mut result = MatchPlan::default();
        for c in order {
            let regency = area_key(&c.kecamatan, 2);
            let local: Vec<usize> = (0..sponsors.len())
                .filter(|&i| area_key(&sponsors[i].kecamatan, 2) == regency)
                .collect();
            let proximity = |s: &SponsorCandidate| {
                if c.village.is_some() && c.village == s.village {
                    Proximity::SameVillage
                } else if c.kecamatan == s.kecamatan {
                    Proximity::SameKecamatan
                } else {
                    Proximity::SameRegency
                }
            };
            let best = local
                .iter()
                .copied()
                .filter(|&i| sponsors[i].active + given[i] < sponsors[i].capacity)
                .min_by(|&i, &j| {
                    let (a, b) = (&sponsors[i], &sponsors[j]);
                    let load = |s: &SponsorCandidate, n: u32| Load {
                        taken: s.active + n,
                        capacity: s.capacity,
                    };
                    proximity(a)
                        .cmp(&proximity(b))
                        .then(load(a, given[i]).cmp(&load(b, given[j])))
                        .then(group_given(&given, a).cmp(&group_given(&given, b)))
                        .then(a.id.cmp(&b.id))
                });
            match best {
                Some(i) => {
                    given[i] += 1;
                    result.pairs.push(Pair {
                        child: c.id,
                        sponsor: sponsors[i].id,
                        proximity: proximity(&sponsors[i]),
                    });
                }
                None if local.is_empty() => result
                    .unmatched
                    .push((c.id, UnmatchedReason::NoSponsorInRegency)),
                None => result.unmatched.push((c.id, UnmatchedReason::SponsorsFull)),
            }
        }
        result
    }

    /// A deterministic shuffle, so that a failing case replays.
    fn shuffled<T: Clone>(items: &[T], mut seed: u64) -> Vec<T> {
        let mut out = items.to_vec();
        for i in (1..out.len()).rev() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = ((seed >> 33) % (i as u64 + 1)) as usize;
            out.swap(i, j);
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn capacity_is_never_exceeded(children in arb_children(), sponsors in arb_sponsors()) {
            let plan = plan(&children, &sponsors);
            for s in &sponsors {
                let given = plan.pairs.iter().filter(|p| p.sponsor == s.id).count() as u32;
                prop_assert!(given == 0 || s.active + given <= s.capacity, "{s:?} got {given}");
            }
        }

        #[test]
        fn every_child_is_paired_or_unmatched_exactly_once(
            children in arb_children(),
            sponsors in arb_sponsors(),
        ) {
            let plan = plan(&children, &sponsors);
            let paired: Vec<ChildId> = plan.pairs.iter().map(|p| p.child).collect();
            let unique: HashSet<ChildId> = paired.iter().copied().collect();
            prop_assert_eq!(unique.len(), paired.len(), "a child in two pairs");
            let mut seen: Vec<ChildId> =
                paired.into_iter().chain(plan.unmatched.iter().map(|(c, _)| *c)).collect();
            let mut expected: Vec<ChildId> = children.iter().map(|c| c.id).collect();
            seen.sort();
            expected.sort();
            prop_assert_eq!(seen, expected);
        }

        #[test]
        fn a_better_child_is_never_passed_over_in_its_kecamatan(
            children in arb_children(),
            sponsors in arb_sponsors(),
        ) {
            let plan = plan(&children, &sponsors);
            let by_id: HashMap<ChildId, &ChildCandidate> = children.iter().map(|c| (c.id, c)).collect();
            for (left, _) in &plan.unmatched {
                let left = by_id[left];
                for pair in &plan.pairs {
                    let taken = by_id[&pair.child];
                    prop_assert!(
                        taken.kecamatan != left.kecamatan || priority_cmp(left, taken) == Ordering::Greater,
                        "{left:?} left while {taken:?} was paired"
                    );
                }
            }
        }

        #[test]
        fn pairs_stay_in_the_regency_and_name_the_true_proximity(
            children in arb_children(),
            sponsors in arb_sponsors(),
        ) {
            let plan = plan(&children, &sponsors);
            let by_id: HashMap<ChildId, &ChildCandidate> = children.iter().map(|c| (c.id, c)).collect();
            let sponsor_by_id: HashMap<UserId, &SponsorCandidate> = sponsors.iter().map(|s| (s.id, s)).collect();
            for pair in &plan.pairs {
                let (c, s) = (by_id[&pair.child], sponsor_by_id[&pair.sponsor]);
                prop_assert_eq!(area_key(&c.kecamatan, 2), area_key(&s.kecamatan, 2));
                let expected = if c.village.is_some() && c.village == s.village {
                    Proximity::SameVillage
                } else if c.kecamatan == s.kecamatan {
                    Proximity::SameKecamatan
                } else {
                    Proximity::SameRegency
                };
                prop_assert_eq!(pair.proximity, expected);
            }
        }

        #[test]
        fn the_plan_does_not_depend_on_input_order(
            children in arb_children(),
            sponsors in arb_sponsors(),
            seed in any::<u64>(),
        ) {
            let expected = plan(&children, &sponsors);
            let again = plan(&shuffled(&children, seed), &shuffled(&sponsors, seed ^ 0x9e37));
            prop_assert_eq!(again, expected);
        }

        #[test]
        fn the_indexed_matcher_agrees_with_the_rules_checked_one_by_one(
            children in arb_children(),
            sponsors in arb_sponsors(),
        ) {
            prop_assert_eq!(plan(&children, &sponsors), reference_plan(&children, &sponsors));
        }
    }
}
