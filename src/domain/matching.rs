//! Proposing sponsors (bapak/bunda asuh) for children waiting for one: who is helped first, and by whom.
//!
//! The rules, from the programme, in the order they decide:
//! - **Who first.** The most severely stunted child first (lowest height-for-age z-score, HAZ; a child not yet
//!   measured counts as [`STUNTING_HAZ`]), then the younger one (the first 1,000 days matter most), then the one
//!   waiting longest, then the lower [`ChildId`] so that the order is total. See [`priority_cmp`]. A sponsor helps only
//!   in the regency (kabupaten/kota) they prefer, anyone there, so in each regency the children matched are the first
//!   ones in this order, as many as the sponsors there have free places: a child is never left waiting while a child
//!   after it in the order is matched in its regency (the matched set is the best one by priority that can be matched
//!   at all), and never matched beyond its regency: the sponsor visits the family.
//! - **Near, all together.** A sponsor who prefers the child's own village is at distance 0, one in the child's
//!   kecamatan at 1, anyone else in the regency at 2 ([`Proximity`]). Among the plans that match those children the
//!   plan has the smallest total distance. This is decided for the whole plan, not child by child: a sponsor near
//!   other waiting children is not sent away to a child who can be helped as well from elsewhere. (Sponsor A in
//!   Kadia with two places, B in Poasia with one; a severely stunted child in Wua-Wua and two in Kadia: A takes both
//!   Kadia children and B the Wua-Wua child, rather than A taking the first child and sending a Kadia child to B.)
//! - **Fair.** Among the plans equal on the two rules above, the children are taken in priority order and each takes
//!   the nearest sponsor with whom the rest can still be matched at the smallest total distance; among such sponsors
//!   equally near, the one with the lowest load ratio (children already sponsored plus those given in this run, over
//!   capacity), then the one whose office has received the fewest children in this run (so no single OPD carries the
//!   programme; a community member, without an office, is a group of their own), then the lowest [`UserId`]. That
//!   is the whole guarantee on fairness: it decides, child by child, only between plans equal on the first two rules
//!   (so an earlier child gets the nearer sponsor where the smallest total leaves a choice), and is not the most even
//!   spread by any measure over the whole plan.
//! - **Pure.** [`plan`] reads no clock and no database, and gives the same plan for the same children and sponsors in
//!   any order. It only proposes: the caller stores the pairs as proposals that people accept or decline.
//!
//! # How
//! **Who.** One pass over the children in priority order, counting down each regency's free places.
//!
//! **The smallest total.** Within a regency every sponsor can take every child, and the distance is a tree
//! (ultrametric) one: regency → kecamatan → village. Counting only the matched children, let `c` and `p` be the
//! children and the free places of an area (a village, or a kecamatan with its villages). No plan has more pairs at
//! distance 0 than `Σ min(c, p)` over the villages, nor more at distance ≤ 1 than `Σ min(c, p)` over the kecamatan, and
//! a plan reaching both (matching within villages first, then within kecamatan, then across the regency) exists.
//! Since the total distance of `n` pairs is `(n − pairs at 0) + (n − pairs at ≤ 1)`, the smallest total is
//! `2n − Σ_villages min(c, p) − Σ_kecamatan min(c, p)`, and a plan has it exactly when it reaches both maxima.
//!
//! **Whom.** A second pass gives the matched children a sponsor in priority order, with `c` now counting the matched
//! children still without one. A pair at distance `d` keeps the smallest total reachable exactly when `d` plus the
//! formula after the pair equals the formula before it. Worked out term by term, that holds exactly when every area the
//! pair leaves has more than its own share on the side that leaves it: the child's village (or kecamatan), when the
//! sponsor is outside it, more waiting children than free places; the sponsor's village (or kecamatan), when the child
//! is outside it, more free places than waiting children ("places to spare"). Taking the nearest tier first makes the
//! child's side hold by itself: a child looks beyond its village only when no free place is left there, and beyond its
//! kecamatan only when the kecamatan has no sponsor it may take, which can only be when it has more waiting children
//! than places. So the pass is the greedy "nearest, then fairest" pick among the sponsors whose areas have places to
//! spare, and such a sponsor always exists (some plan reaches the smallest total, and its pair for this child keeps it).
//!
//! Each sponsor with free places sits in one index per area they can be found in (their village,
//! kecamatan and regency), so a child only looks at its own three areas and never at the other sponsors; each area
//! also counts its free places and its waiting children. In a kecamatan's index a sponsor of a village counts only
//! while that village has places to spare, in a regency's only while their village and kecamatan both have. During the
//! second pass an area's places minus its waiting children drop when someone from elsewhere takes a place, stay when
//! one of its own children takes one of its places, and rise only when one of its children leaves, which happens only
//! while it has fewer places than waiting children; so "places to spare" only ever turns from yes to no, and a sponsor
//! turned away from an area is dropped from it for good, like a full one. Within an area the sponsors are grouped by
//! office, because an office's count moves every time any of its members takes a child, anywhere: a min-heap per
//! (area, group) orders the group's members by (load, UserId), and a min-heap per area orders the groups by their best
//! member's (load, office count, UserId). A sponsor's rank only ever grows during a run (loads and office counts only go
//! up, members only leave), so both heaps are lazy: an entry may be stale-low, and is refreshed when it reaches the top.
//! A top entry that is still current is therefore the true minimum.
//!
//! With C children, S sponsors and O the largest number of offices among the sponsors of one area, a run costs
//! O(C log C + S log S) for sorting and building, O(C) for the first pass, plus O((C · (1 + O) + S) log S) for the
//! picks: each pick refreshes each office group of its three areas at most once, and a member's entry goes stale only
//! when that sponsor takes a child, and leaves an area only once. Memory is O(C + S).

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

impl Proximity {
    /// The distance the plan's total counts: 0 for the same village, 1 for the same kecamatan, 2 for the regency.
    pub fn distance(self) -> u32 {
        match self {
            Self::SameVillage => 0,
            Self::SameKecamatan => 1,
            Self::SameRegency => 2,
        }
    }
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

impl MatchPlan {
    /// The plan's total distance (see [`Proximity::distance`]), the quantity it keeps smallest.
    pub fn total_distance(&self) -> u64 {
        self.pairs
            .iter()
            .map(|p| u64::from(p.proximity.distance()))
            .sum()
    }
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

    // Rank and areas are looked up once, in input order, so that the passes below touch small, contiguous records.
    let mut queue: Vec<Queued> = children
        .iter()
        .enumerate()
        .map(|(input, child)| Queued {
            rank: Rank::of(child),
            place: index.place_of(child),
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

    // Who: the first children of each regency, as many as its free places.
    let mut result = MatchPlan::default();
    queue.retain(|queued| match index.claim(queued.place) {
        Ok(()) => true,
        Err(reason) => {
            result.unmatched.push((queued.rank.id, reason));
            false
        }
    });

    // Whom: in the same order, each the nearest and fairest sponsor that keeps the smallest total reachable.
    result.pairs.reserve(queue.len());
    for queued in queue {
        match index.assign(queued.place) {
            Some((sponsor, proximity)) => result.pairs.push(Pair {
                child: queued.rank.id,
                sponsor,
                proximity,
            }),
            // Unreachable: a claimed child's regency keeps a free place for it (the places are counted down by both
            // passes alike). Kept as "full" rather than a panic, should the counts ever disagree.
            None => result
                .unmatched
                .push((queued.rank.id, UnmatchedReason::SponsorsFull)),
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
    place: Place,
    /// Position in the input, to reach the child's region codes for the last tie-break.
    input: usize,
}

/// The areas of the run, as indices into [`Index::areas`], a child lives in: `None` where no sponsor with a free place
/// is. `regency` is `None` only when no sponsor at all, full or not, prefers the regency.
#[derive(Debug, Clone, Copy)]
struct Place {
    village: Option<usize>,
    kecamatan: Option<usize>,
    regency: Option<usize>,
}

impl Place {
    fn areas(self) -> impl Iterator<Item = usize> {
        [self.village, self.kecamatan, self.regency]
            .into_iter()
            .flatten()
    }
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
    /// The areas the sponsor prefers; only read for a sponsor with a free place, the only ones that can be picked.
    place: Place,
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

/// What an area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Village,
    Kecamatan,
    Regency,
}

/// A regency, kecamatan or village some sponsor prefers, with the counts that decide whether its places are spoken for.
#[derive(Debug)]
struct Area {
    level: Level,
    /// Free places of the sponsors who prefer it (for a kecamatan or regency: also those of its villages and kecamatan).
    places: u64,
    /// Children matched in the first pass who live in it and have no sponsor yet.
    waiting: u64,
    /// For a regency: free places not yet claimed by the first pass.
    unclaimed: u64,
}

/// Whether an area has more free places than children of its own still waiting: one of them may go elsewhere.
fn spare(areas: &[Area], area: usize) -> bool {
    areas[area].places > areas[area].waiting
}

/// Whether a child from elsewhere may take this sponsor in an area of this level (see the module docs): anyone in
/// the village; in the kecamatan, one whose village (if they named one) has places to spare; in the regency, one whose
/// village and kecamatan both have. During the second pass an area's places minus its waiting children drop when
/// someone from elsewhere takes a place, stay when one of its children takes one of its places, and rise only when one
/// of its children leaves, which happens only while it has fewer places than waiting children, so it still has none to
/// spare after: once `false`, this stays `false`, and a sponsor it turns away is dropped from that area for good.
fn lets_go(areas: &[Area], seat: &Seat, level: Level) -> bool {
    let spare = |area: Option<usize>| area.is_none_or(|a| spare(areas, a));
    match level {
        Level::Village => true,
        Level::Kecamatan => spare(seat.place.village),
        Level::Regency => spare(seat.place.village) && spare(seat.place.kecamatan),
    }
}

/// The sponsors of one run, indexed by area, and what has been given so far.
#[derive(Debug)]
struct Index {
    /// Sorted by UserId (then by every other field, so that duplicates cannot depend on input order).
    sponsors: Vec<Seat>,
    /// Children given in this run, per group.
    group_taken: Vec<u32>,
    /// Area index by [`area_key`]: every regency with a sponsor, every kecamatan and village with a free place.
    keys: HashMap<u64, usize>,
    areas: Vec<Area>,
    /// Per slot, one (area, group) pair: its group, its area's level, and its members that may still have a free place
    /// and be let go.
    slot_group: Vec<usize>,
    slot_level: Vec<Level>,
    slot_members: Vec<BinaryHeap<Reverse<MemberRank>>>,
    /// Per area: one entry per slot of the area that may still have such a member.
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
        let mut keys: HashMap<u64, usize> = HashMap::new();
        let mut areas: Vec<Area> = Vec::new();
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
            let (regency, kecamatan, village) =
                area_keys(&sponsor.kecamatan, sponsor.village.as_ref());
            let mut intern = |key: u64, level: Level| {
                *keys.entry(key).or_insert_with(|| {
                    areas.push(Area {
                        level,
                        places: 0,
                        waiting: 0,
                        unclaimed: 0,
                    });
                    areas.len() - 1
                })
            };
            // Every sponsor marks their regency, even a full one: it tells "full" from "nobody here".
            let regency = regency.map(|key| intern(key, Level::Regency));
            let free = sponsor.capacity.saturating_sub(sponsor.active);
            let place = match regency {
                Some(regency) if free > 0 => Place {
                    village: village.map(|key| intern(key, Level::Village)),
                    kecamatan: kecamatan.map(|key| intern(key, Level::Kecamatan)),
                    regency: Some(regency),
                },
                _ => Place {
                    village: None,
                    kecamatan: None,
                    regency: None,
                },
            };
            if let Some(regency) = place.regency {
                areas[regency].unclaimed += u64::from(free);
            }
            for area in place.areas() {
                areas[area].places += u64::from(free);
                placements.push((area, group, position));
            }
            seats.push(Seat {
                id: sponsor.id,
                taken: sponsor.active,
                capacity: sponsor.capacity,
                group,
                place,
            });
        }

        // One slot per (area, group); its members are a heap by (load, position).
        placements.sort_unstable();
        let mut slot_group = Vec::new();
        let mut slot_level = Vec::new();
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
                slot_level.push(areas[area].level);
                slot_members.push(members);
            }
        }

        Self {
            sponsors: seats,
            group_taken: vec![0; group_count],
            keys,
            areas,
            slot_group,
            slot_level,
            slot_members,
            area_groups: area_groups.into_iter().map(BinaryHeap::from).collect(),
        }
    }

    /// The areas of this run a child lives in.
    fn place_of(&self, child: &ChildCandidate) -> Place {
        let (regency, kecamatan, village) = area_keys(&child.kecamatan, child.village.as_ref());
        let find = |key: Option<u64>| key.and_then(|k| self.keys.get(&k).copied());
        Place {
            village: find(village),
            kecamatan: find(kecamatan),
            regency: find(regency),
        }
    }

    /// The first pass: claims a place of the child's regency for them, or says why there is none.
    fn claim(&mut self, place: Place) -> Result<(), UnmatchedReason> {
        let regency = place.regency.ok_or(UnmatchedReason::NoSponsorInRegency)?;
        let unclaimed = &mut self.areas[regency].unclaimed;
        if *unclaimed == 0 {
            return Err(UnmatchedReason::SponsorsFull);
        }
        *unclaimed -= 1;
        for area in place.areas() {
            self.areas[area].waiting += 1;
        }
        Ok(())
    }

    /// The second pass: gives a claimed child the nearest sponsor that keeps the smallest total reachable, the
    /// fairest of those equally near.
    ///
    /// The village first: when it has no free place left, it has more children waiting than places, so the child
    /// may go; then the kecamatan, among the sponsors it lets go; when there are none, the kecamatan has more children
    /// waiting than places (so its own sponsors are not let go to the regency either), and the child may go to the
    /// regency's sponsors that it lets go.
    fn assign(&mut self, place: Place) -> Option<(UserId, Proximity)> {
        let tiers = [
            (place.village, Proximity::SameVillage),
            (place.kecamatan, Proximity::SameKecamatan),
            (place.regency, Proximity::SameRegency),
        ];
        let found = tiers.into_iter().find_map(|(area, proximity)| {
            let best = area.and_then(|a| self.best_in_area(a))?;
            Some((best.position, proximity))
        });
        debug_assert!(found.is_some(), "no sponsor keeps the smallest total");
        let (position, proximity) = found?;
        let seat = &mut self.sponsors[position];
        seat.taken += 1;
        self.group_taken[seat.group] += 1;
        let (id, home) = (seat.id, seat.place);
        for a in home.areas() {
            self.areas[a].places = self.areas[a].places.saturating_sub(1);
        }
        for a in place.areas() {
            self.areas[a].waiting = self.areas[a].waiting.saturating_sub(1);
        }
        Some((id, proximity))
    }

    /// The best sponsor of an area that a child may take there, by the fairness rank; `None` when there is none.
    fn best_in_area(&mut self, area: usize) -> Option<GroupRank> {
        loop {
            let Reverse(stored) = *self.area_groups[area].peek()?;
            let best = self.best_in_slot(stored.slot);
            let mut top = self.area_groups[area].peek_mut()?;
            let Some((load, position)) = best else {
                // The group has no one left to take in this area, and will not get anyone back in this run.
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
                return Some(current);
            }
            *top = Reverse(current);
        }
    }

    /// The best member of one group in one area that a child may take there, by (load, UserId).
    fn best_in_slot(&mut self, slot: usize) -> Option<MemberRank> {
        let level = self.slot_level[slot];
        let heap = &mut self.slot_members[slot];
        while let Some(mut top) = heap.peek_mut() {
            let Reverse((stored, position)) = *top;
            let seat = &self.sponsors[position];
            if !seat.is_free() || !lets_go(&self.areas, seat, level) {
                // Neither comes back in this run (see `lets_go`).
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
    use std::collections::{BTreeMap, HashSet};

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

    #[test]
    fn locality_is_not_given_away_for_nothing() {
        // Sponsor A in Kadia with two places, B in Poasia with one (one office, so only ids break ties); a severely
        // stunted child in Wua-Wua and two in Kadia. Child by child, A (the lower id, at an equal load) would take
        // the Wua-Wua child and the second Kadia child would go to B in Poasia: distance 2 + 1 + 2 = 5.
        let a = sponsor(1, Some(100), "74.71.08", 2);
        let b = sponsor(2, Some(100), "74.71.04", 1);
        let mut wua_wua = child(10, "74.71.07.1001");
        wua_wua.haz = Some(-3.6);
        let kadia_1 = child(11, "74.71.08.1001");
        let mut kadia_2 = child(12, "74.71.08.1002");
        kadia_2.age_days += 1;
        let plan = plan(&[kadia_2, wua_wua, kadia_1], &[b, a]);
        assert_eq!(
            pairs(&plan),
            vec![
                (10, 2, Proximity::SameRegency),
                (11, 1, Proximity::SameKecamatan),
                (12, 1, Proximity::SameKecamatan),
            ]
        );
        assert_eq!(plan.total_distance(), 4);
        assert!(plan.unmatched.is_empty());
    }

    #[test]
    fn a_village_sponsor_helps_outside_only_with_places_to_spare() {
        // The village sponsor has two free places and two village children of lower priority waiting for them, so
        // the severe child of kecamatan 01 goes to the sponsor of kecamatan 03 instead, though more loaded.
        let mut village = sponsor(1, None, "74.71.02.1001", 4);
        village.active = 2; // 2/4
        let mut elsewhere = sponsor(2, None, "74.71.03", 4);
        elsewhere.active = 3; // 3/4
        let mut severe = child(10, "74.71.01");
        severe.haz = Some(-3.5);
        let plan = plan(
            &[
                severe,
                child(11, "74.71.02.1001"),
                child(12, "74.71.02.1001"),
            ],
            &[village, elsewhere],
        );
        assert_eq!(
            pairs(&plan),
            vec![
                (10, 2, Proximity::SameRegency),
                (11, 1, Proximity::SameVillage),
                (12, 1, Proximity::SameVillage),
            ]
        );
    }

    #[test]
    fn with_places_to_spare_the_fairest_sponsor_far_away_is_taken() {
        // As above, but the village sponsor has a third place: the severe child takes the less loaded of the two.
        let mut village = sponsor(1, None, "74.71.02.1001", 6);
        village.active = 3; // 3/6
        let mut elsewhere = sponsor(2, None, "74.71.03", 4);
        elsewhere.active = 3; // 3/4
        let mut severe = child(10, "74.71.01");
        severe.haz = Some(-3.5);
        let plan = plan(
            &[
                severe,
                child(11, "74.71.02.1001"),
                child(12, "74.71.02.1001"),
            ],
            &[village, elsewhere],
        );
        assert_eq!(
            pairs(&plan),
            vec![
                (10, 1, Proximity::SameRegency),
                (11, 1, Proximity::SameVillage),
                (12, 1, Proximity::SameVillage),
            ]
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

    /// How near a sponsor is to a child, by the rules; `None` across regencies (or without a regency).
    fn proximity_of(c: &ChildCandidate, s: &SponsorCandidate) -> Option<Proximity> {
        let (cr, ck, cv) = area_keys(&c.kecamatan, c.village.as_ref());
        let (sr, sk, sv) = area_keys(&s.kecamatan, s.village.as_ref());
        if cr.is_none() || cr != sr {
            None
        } else if cv.is_some() && cv == sv {
            Some(Proximity::SameVillage)
        } else if ck.is_some() && ck == sk {
            Some(Proximity::SameKecamatan)
        } else {
            Some(Proximity::SameRegency)
        }
    }

    fn free_places(sponsors: &[SponsorCandidate]) -> Vec<u32> {
        sponsors
            .iter()
            .map(|s| s.capacity.saturating_sub(s.active))
            .collect()
    }

    /// The smallest total distance for giving every one of `children` a sponsor within `free`, by trying every way
    /// (`None` when not all of them can be given one). For small inputs only.
    fn smallest_total_by_trying(
        children: &[&ChildCandidate],
        sponsors: &[SponsorCandidate],
        free: &mut [u32],
    ) -> Option<u64> {
        let Some((first, rest)) = children.split_first() else {
            return Some(0);
        };
        let mut best: Option<u64> = None;
        for j in 0..sponsors.len() {
            let Some(proximity) = proximity_of(first, &sponsors[j]) else {
                continue;
            };
            if free[j] == 0 {
                continue;
            }
            free[j] -= 1;
            if let Some(total) = smallest_total_by_trying(rest, sponsors, free) {
                let total = total + u64::from(proximity.distance());
                best = Some(best.map_or(total, |b| b.min(total)));
            }
            free[j] += 1;
        }
        best
    }

    /// The same, by the formula of the module docs, counted from scratch: `2n − Σ_villages min(c, p) −
    /// Σ_kecamatan min(c, p)`, valid when each regency has at least as many free places as children.
    fn smallest_total_by_formula(
        children: &[&ChildCandidate],
        sponsors: &[SponsorCandidate],
        free: &mut [u32],
    ) -> Option<u64> {
        let mut counts: HashMap<u64, (u64, u64)> = HashMap::new();
        for c in children {
            let (r, k, v) = area_keys(&c.kecamatan, c.village.as_ref());
            for key in [r, k, v].into_iter().flatten() {
                counts.entry(key).or_default().0 += 1;
            }
        }
        for (s, &f) in sponsors.iter().zip(free.iter()) {
            let (r, k, v) = area_keys(&s.kecamatan, s.village.as_ref());
            for key in [r, k, v].into_iter().flatten() {
                counts.entry(key).or_default().1 += u64::from(f);
            }
        }
        let mut total = 2 * children.len() as u64;
        for (key, (c, p)) in counts {
            match key % 8 {
                2 if c > p => return None,
                3 | 4 => total -= c.min(p),
                _ => {}
            }
        }
        Some(total)
    }

    type Smallest = fn(&[&ChildCandidate], &[SponsorCandidate], &mut [u32]) -> Option<u64>;

    /// The rules restated the slow way, sponsor by sponsor: in priority order, a child is matched while its regency
    /// has a free place; then in the same order each matched child takes, of the sponsors with whom the rest can
    /// still be matched at the smallest total (as `smallest` computes it), the nearest, least loaded, of the office
    /// with the fewest children, lowest id.
    fn reference_plan(
        children: &[ChildCandidate],
        sponsors: &[SponsorCandidate],
        smallest: Smallest,
    ) -> MatchPlan {
        let mut order: Vec<&ChildCandidate> = children.iter().collect();
        order.sort_by(|a, b| priority_cmp(a, b));
        let mut result = MatchPlan::default();
        let mut free = free_places(sponsors);
        // Free places per regency; a regency whose sponsors are all full is there with none.
        let mut unclaimed: HashMap<u64, u32> = HashMap::new();
        for (s, f) in sponsors.iter().zip(&free) {
            if let Some(regency) = area_key(&s.kecamatan, 2) {
                *unclaimed.entry(regency).or_default() += f;
            }
        }
        let mut matched = Vec::new();
        for c in order {
            match area_key(&c.kecamatan, 2).and_then(|r| unclaimed.get_mut(&r)) {
                None => result
                    .unmatched
                    .push((c.id, UnmatchedReason::NoSponsorInRegency)),
                Some(0) => result.unmatched.push((c.id, UnmatchedReason::SponsorsFull)),
                Some(n) => {
                    *n -= 1;
                    matched.push(c);
                }
            }
        }
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
        for i in 0..matched.len() {
            let c = matched[i];
            let Some(now) = smallest(&matched[i..], sponsors, &mut free) else {
                panic!("the claimed children cannot all be matched");
            };
            let keeps = |j: usize, free: &mut Vec<u32>| -> Option<Proximity> {
                let proximity = proximity_of(c, &sponsors[j])?;
                if free[j] == 0 {
                    return None;
                }
                free[j] -= 1;
                let rest = smallest(&matched[i + 1..], sponsors, free);
                free[j] += 1;
                (rest.map(|r| r + u64::from(proximity.distance())) == Some(now))
                    .then_some(proximity)
            };
            let allowed: Vec<(usize, Proximity)> = (0..sponsors.len())
                .filter_map(|j| keeps(j, &mut free).map(|p| (j, p)))
                .collect();
            let load = |j: usize| Load {
                taken: sponsors[j].active + given[j],
                capacity: sponsors[j].capacity,
            };
            let Some(&(j, proximity)) = allowed.iter().min_by(|&&(i, pi), &&(j, pj)| {
                pi.cmp(&pj)
                    .then(load(i).cmp(&load(j)))
                    .then(group_given(&given, &sponsors[i]).cmp(&group_given(&given, &sponsors[j])))
                    .then(sponsors[i].id.cmp(&sponsors[j].id))
            }) else {
                panic!("no sponsor keeps the smallest total for {c:?}");
            };
            free[j] -= 1;
            given[j] += 1;
            result.pairs.push(Pair {
                child: c.id,
                sponsor: sponsors[j].id,
                proximity,
            });
        }
        result
    }

    /// The best plan by brute force: every way to give each child one sponsor of its regency or none, within the free
    /// places. Best by the matched set (better when, at the first child in priority order where two plans differ, it
    /// is matched), then by the total distance. Returns the matched children in priority order and the total.
    fn best_by_brute_force(
        children: &[ChildCandidate],
        sponsors: &[SponsorCandidate],
    ) -> (Vec<ChildId>, u64) {
        fn go(
            order: &[&ChildCandidate],
            sponsors: &[SponsorCandidate],
            free: &mut [u32],
            matched: &mut Vec<bool>,
            total: u64,
            best: &mut Option<(Vec<bool>, u64)>,
        ) {
            let Some((first, rest)) = order.split_first() else {
                let better = match best {
                    None => true,
                    // `true` sorts after `false`, so the greater set matched an earlier child.
                    Some((set, distance)) => {
                        (matched.as_slice(), Reverse(total)) > (set.as_slice(), Reverse(*distance))
                    }
                };
                if better {
                    *best = Some((matched.clone(), total));
                }
                return;
            };
            matched.push(false);
            go(rest, sponsors, free, matched, total, best);
            matched.pop();
            for j in 0..sponsors.len() {
                let Some(proximity) = proximity_of(first, &sponsors[j]) else {
                    continue;
                };
                if free[j] == 0 {
                    continue;
                }
                free[j] -= 1;
                matched.push(true);
                let total = total + u64::from(proximity.distance());
                go(rest, sponsors, free, matched, total, best);
                matched.pop();
                free[j] += 1;
            }
        }
        let mut order: Vec<&ChildCandidate> = children.iter().collect();
        order.sort_by(|a, b| priority_cmp(a, b));
        let mut best = None;
        let mut free = free_places(sponsors);
        go(&order, sponsors, &mut free, &mut Vec::new(), 0, &mut best);
        let (set, total) = best.unwrap_or_default();
        let matched = order
            .iter()
            .zip(set)
            .filter(|(_, m)| *m)
            .map(|(c, _)| c.id)
            .collect();
        (matched, total)
    }

    /// The smallest total distance for giving every one of `children` a sponsor, by a min-cost flow (successive
    /// shortest paths, Bellman-Ford) over groups of children and sponsors in the same place: nothing of the
    /// matcher's reasoning, just the network. `None` when not all of them can be given one.
    fn smallest_total_by_flow(
        children: &[&ChildCandidate],
        sponsors: &[SponsorCandidate],
    ) -> Option<u64> {
        type Node = (RegionCode, Option<RegionCode>);
        let mut child_groups: BTreeMap<Node, (u32, &ChildCandidate)> = BTreeMap::new();
        for c in children {
            child_groups
                .entry((c.kecamatan.clone(), c.village.clone()))
                .or_insert((0, c))
                .0 += 1;
        }
        let mut sponsor_groups: BTreeMap<Node, (u32, &SponsorCandidate)> = BTreeMap::new();
        for (s, f) in sponsors.iter().zip(free_places(sponsors)) {
            sponsor_groups
                .entry((s.kecamatan.clone(), s.village.clone()))
                .or_insert((0, s))
                .0 += f;
        }
        // Nodes: 0 source, 1 sink, then the child groups, then the sponsor groups.
        let (cn, sn) = (child_groups.len(), sponsor_groups.len());
        let n = 2 + cn + sn;
        // Edges as (to, capacity, cost), each followed by its reverse.
        let mut edges: Vec<(usize, i64, i64)> = Vec::new();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut add = |from: usize, to: usize, cap: i64, cost: i64| {
            out[from].push(edges.len());
            edges.push((to, cap, cost));
            out[to].push(edges.len());
            edges.push((from, 0, -cost));
        };
        for (i, (count, _)) in child_groups.values().enumerate() {
            add(0, 2 + i, i64::from(*count), 0);
        }
        for (j, (places, _)) in sponsor_groups.values().enumerate() {
            add(2 + cn + j, 1, i64::from(*places), 0);
        }
        for (i, (_, c)) in child_groups.values().enumerate() {
            for (j, (_, s)) in sponsor_groups.values().enumerate() {
                if let Some(p) = proximity_of(c, s) {
                    add(2 + i, 2 + cn + j, i64::MAX / 4, i64::from(p.distance()));
                }
            }
        }
        let (mut flow, mut cost) = (0usize, 0i64);
        loop {
            let mut dist = vec![i64::MAX; n];
            let mut via: Vec<Option<usize>> = vec![None; n];
            dist[0] = 0;
            for _ in 0..n {
                let mut changed = false;
                for from in 0..n {
                    if dist[from] == i64::MAX {
                        continue;
                    }
                    for &e in &out[from] {
                        let (to, cap, c) = edges[e];
                        if cap > 0 && dist[from] + c < dist[to] {
                            dist[to] = dist[from] + c;
                            via[to] = Some(e);
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            if dist[1] == i64::MAX {
                break;
            }
            let mut path = Vec::new();
            let mut at = 1;
            while let Some(e) = via[at] {
                path.push(e);
                at = edges[e ^ 1].0;
            }
            let push = path.iter().map(|&e| edges[e].1).min().unwrap_or(0);
            for &e in &path {
                edges[e].1 -= push;
                edges[e ^ 1].1 += push;
            }
            flow += usize::try_from(push).unwrap_or(0);
            cost += push * dist[1];
        }
        (flow == children.len()).then(|| u64::try_from(cost).unwrap_or(0))
    }

    fn arb_small_children() -> impl Strategy<Value = Vec<ChildCandidate>> {
        prop::collection::vec(
            (
                0..2usize,
                0..2usize,
                prop::option::of(0..2usize),
                prop::option::of(-4.0..0.0f64),
                0..3u32,
            ),
            0..8,
        )
        .prop_map(|specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (r, k, v, haz, age))| {
                    let (kecamatan, village) = area(r, k, v);
                    ChildCandidate {
                        id: ChildId((i as i64 * 7919) % 1009),
                        kecamatan,
                        village,
                        haz: haz.map(|z| z.round()),
                        age_days: age * 100,
                        waiting_since: 0,
                    }
                })
                .collect()
        })
    }

    fn arb_small_sponsors() -> impl Strategy<Value = Vec<SponsorCandidate>> {
        prop::collection::vec(
            (
                0..2usize,
                0..2usize,
                prop::option::of(0..2usize),
                prop::option::of(0..2i64),
                0..4u32,
                0..2u32,
            ),
            0..5,
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
                        active,
                    }
                })
                .collect()
        })
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
        fn the_indexed_matcher_agrees_with_the_rules_restated_the_slow_way(
            children in arb_children(),
            sponsors in arb_sponsors(),
        ) {
            let expected = reference_plan(&children, &sponsors, smallest_total_by_formula);
            prop_assert_eq!(plan(&children, &sponsors), expected);
        }

        #[test]
        fn the_total_distance_is_the_smallest_a_min_cost_flow_finds(
            children in arb_children(),
            sponsors in arb_sponsors(),
        ) {
            let plan = plan(&children, &sponsors);
            let matched: HashSet<ChildId> = plan.pairs.iter().map(|p| p.child).collect();
            let matched: Vec<&ChildCandidate> =
                children.iter().filter(|c| matched.contains(&c.id)).collect();
            prop_assert_eq!(Some(plan.total_distance()), smallest_total_by_flow(&matched, &sponsors));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Criteria 1 and 2 against every feasible assignment: the same children matched, the same total distance.
        #[test]
        fn the_plan_is_the_best_of_all_plans_tried_one_by_one(
            children in arb_small_children(),
            sponsors in arb_small_sponsors(),
        ) {
            let plan = plan(&children, &sponsors);
            let (matched, total) = best_by_brute_force(&children, &sponsors);
            let paired: Vec<ChildId> = plan.pairs.iter().map(|p| p.child).collect();
            prop_assert_eq!(paired, matched);
            prop_assert_eq!(plan.total_distance(), total);
        }

        /// Criterion 3 with the smallest total found by trying every way rather than by the formula.
        #[test]
        fn each_child_takes_the_nearest_fairest_sponsor_that_keeps_the_smallest_total(
            children in arb_small_children(),
            sponsors in arb_small_sponsors(),
        ) {
            let expected = reference_plan(&children, &sponsors, smallest_total_by_trying);
            prop_assert_eq!(plan(&children, &sponsors), expected);
        }
    }
}
