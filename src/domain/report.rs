//! Reports: the periods a coordinator asks for (the presets offered on buttons and what they type), how a
//! delivery counts (on time, late, overdue, missed — the digest counts the same way), and the report itself as
//! data: the deliveries, the sponsorships, the per-office ("keroyokan") table and the per-Puskesmas table,
//! tallied from them.

use crate::domain::delivery::{Deliverer, DeliveryStatus};
use crate::domain::evidence::Outcome;
use crate::domain::role::Role;
use crate::domain::sponsorship::SponsorshipStatus;
use crate::domain::{OfficeId, RegionCode};
use chrono::{DateTime, Datelike, Days, Duration, FixedOffset, Months, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The longest period a report may cover.
pub const MAX_DAYS: i64 = 366;

/// A day in milliseconds, by which the store widens a period's UTC bounds (its local dates then decide).
pub const DAY_MS: i64 = 86_400_000;

/// A period offered on `/laporan`'s buttons, relative to the coordinator's today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPeriod {
    ThisMonth,
    LastMonth,
    LastThreeMonths,
    ThisYear,
}

impl ReportPeriod {
    pub const ALL: [ReportPeriod; 4] = [
        ReportPeriod::ThisMonth,
        ReportPeriod::LastMonth,
        ReportPeriod::LastThreeMonths,
        ReportPeriod::ThisYear,
    ];

    /// Its code in button data.
    pub fn code(self) -> &'static str {
        match self {
            ReportPeriod::ThisMonth => "tm",
            ReportPeriod::LastMonth => "lm",
            ReportPeriod::LastThreeMonths => "l3",
            ReportPeriod::ThisYear => "ty",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The dates it covers when today is `today`: this month (all of it), last month, the last three months
    /// (this one and the two before it), this year (all of it).
    pub fn period(self, today: NaiveDate) -> Period {
        let first = first_of_month(today);
        let (from, to) = match self {
            ReportPeriod::ThisMonth => (first, last_of_month(first)),
            ReportPeriod::LastMonth => {
                let from = first.checked_sub_months(Months::new(1)).unwrap_or(first);
                (from, last_of_month(from))
            }
            ReportPeriod::LastThreeMonths => (
                first.checked_sub_months(Months::new(2)).unwrap_or(first),
                last_of_month(first),
            ),
            ReportPeriod::ThisYear => (
                NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(first),
                NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(first),
            ),
        };
        // Every preset is at most a year: a valid period by construction.
        Period { from, to }
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.checked_sub_days(Days::new(1)))
        .unwrap_or(first)
}

/// Why a period was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("not a period (2026-10, 2026-10-01..2026-10-31 or 2026-10-01 2026-10-31): {0}")]
    Unreadable(String),
    #[error("the period ends before it starts")]
    Reversed,
    #[error("the period covers {days} days, more than {MAX_DAYS}")]
    TooLong { days: i64 },
}

/// The dates a report covers, both inclusive: `from <= to`, at most [`MAX_DAYS`] days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::Reversed);
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_DAYS {
            return Err(PeriodError::TooLong { days });
        }
        Ok(Self { from, to })
    }

    /// One calendar month.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Self {
            from: first,
            to: last_of_month(first),
        })
    }

    /// `2026-10` (a month), `2026-10-01..2026-10-31` or `2026-10-01 2026-10-31` (inclusive dates).
    pub fn parse(text: &str) -> Result<Self, PeriodError> {
        let text = text.trim();
        let unreadable = || PeriodError::Unreadable(text.to_owned());
        let date =
            |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| unreadable());
        let parts: Vec<&str> = if text.contains("..") {
            text.split("..").collect()
        } else {
            text.split_whitespace().collect()
        };
        match parts[..] {
            [from, to] => Self::new(date(from)?, date(to)?),
            [month] => {
                let (year, month) = month.split_once('-').ok_or_else(unreadable)?;
                let ok = year.len() == 4
                    && (1..=2).contains(&month.len())
                    && year
                        .bytes()
                        .chain(month.bytes())
                        .all(|b| b.is_ascii_digit());
                if !ok {
                    return Err(unreadable());
                }
                let (year, month) = (
                    year.parse().map_err(|_| unreadable())?,
                    month.parse().map_err(|_| unreadable())?,
                );
                Self::month(year, month).ok_or_else(unreadable)
            }
            _ => Err(unreadable()),
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// How many days it covers.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// How a delivery counts in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Timeliness {
    /// Confirmed by the end of its day.
    OnTime,
    /// Confirmed after its day.
    Late,
    /// Not confirmed, its day past (status `overdue`).
    Overdue,
    /// Not confirmed in time at all (status `missed`).
    Missed,
    /// Due today and not confirmed yet: counts as due, in none of the four above.
    DueToday,
    /// Not owed (scheduled, skipped, cancelled): not counted at all.
    NotDue,
}

impl Timeliness {
    pub const ALL: [Timeliness; 6] = [
        Timeliness::OnTime,
        Timeliness::Late,
        Timeliness::Overdue,
        Timeliness::Missed,
        Timeliness::DueToday,
        Timeliness::NotDue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Timeliness::OnTime => "on_time",
            Timeliness::Late => "late",
            Timeliness::Overdue => "overdue",
            Timeliness::Missed => "missed",
            Timeliness::DueToday => "due_today",
            Timeliness::NotDue => "not_due",
        }
    }

    /// Whether it is one of the "deliveries due" of its period.
    pub fn counts_as_due(self) -> bool {
        self != Timeliness::NotDue
    }
}

/// Whether a delivery with this status is one of the "deliveries due" of the period its date falls in: due,
/// overdue, confirmed or missed (not scheduled, skipped or cancelled).
pub fn is_due(status: DeliveryStatus) -> bool {
    matches!(
        status,
        DeliveryStatus::Due
            | DeliveryStatus::Overdue
            | DeliveryStatus::Confirmed
            | DeliveryStatus::Missed
    )
}

/// Where a delivery stands at `now` — on time, late, overdue, missed, due today, or not due: the one function
/// every screen asks (the report and its files, the digest's figures and lists, the weekly summary and its
/// chart, the sponsors' monthly note), so that none calls overdue what another calls missed. An open
/// delivery stands where the calendar puts it (`DeliveryStatus::by_calendar`: due on its day, overdue when
/// its day has ended, missed `missed_after` after its day began), so the answer does not wait for the next
/// calendar pass; a confirmed one is on time when confirmed before its day ended (`due_at` is local midnight
/// of its day in the zone of the child's region), else late. A confirmed delivery without a time (never
/// written by asuh) cannot be shown to be on time and counts as late.
pub fn standing(
    status: DeliveryStatus,
    due_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    missed_after: Duration,
) -> Timeliness {
    match status.by_calendar(due_at, now, missed_after) {
        DeliveryStatus::Confirmed => match confirmed_at {
            Some(at) if at < due_at + Duration::days(1) => Timeliness::OnTime,
            _ => Timeliness::Late,
        },
        DeliveryStatus::Overdue => Timeliness::Overdue,
        DeliveryStatus::Missed => Timeliness::Missed,
        DeliveryStatus::Due => Timeliness::DueToday,
        DeliveryStatus::Scheduled | DeliveryStatus::Skipped | DeliveryStatus::Cancelled => {
            Timeliness::NotDue
        }
    }
}

/// The deliveries due of a period and how they went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub due: u64,
    pub on_time: u64,
    pub late: u64,
    pub overdue: u64,
    pub missed: u64,
}

impl Counts {
    pub fn add(&mut self, t: Timeliness) {
        self.add_n(t, 1);
    }

    /// `n` deliveries that stand the same.
    pub fn add_n(&mut self, t: Timeliness, n: u64) {
        if !t.counts_as_due() {
            return;
        }
        self.due += n;
        match t {
            Timeliness::OnTime => self.on_time += n,
            Timeliness::Late => self.late += n,
            Timeliness::Overdue => self.overdue += n,
            Timeliness::Missed => self.missed += n,
            Timeliness::DueToday | Timeliness::NotDue => {}
        }
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Counts) {
        self.due += other.due;
        self.on_time += other.on_time;
        self.late += other.late;
        self.overdue += other.overdue;
        self.missed += other.missed;
    }

    /// The deliveries due whose standing is settled: on time, late, overdue or missed. One due today and
    /// not confirmed yet is not among them: it is not late until its day has ended.
    pub fn decided(&self) -> u64 {
        self.on_time + self.late + self.overdue + self.missed
    }

    /// Confirmed on time, as a percentage of the [decided](Self::decided) deliveries; `None` when none is.
    pub fn on_time_pct(&self) -> Option<f64> {
        let decided = self.decided();
        (decided > 0).then(|| self.on_time as f64 * 100.0 / decided as f64)
    }
}

/// An office (OPD).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OfficeRef {
    pub id: OfficeId,
    pub name: String,
}

/// A sponsor as the report names them, with their office (`None`: a community member).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SponsorRef {
    pub id: i64,
    pub name: String,
    pub office: Option<Arc<OfficeRef>>,
}

/// A child as the report names them (the coordinator may see names inside their area), and where they live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRef {
    pub id: i64,
    pub name: String,
    pub kecamatan_code: String,
    pub kecamatan_name: String,
    pub village_code: Option<String>,
    pub village_name: Option<String>,
    /// The Puskesmas the child is registered with, as the health office's file names it.
    pub puskesmas: Option<String>,
}

/// One photo of a confirmation: its SHA-256 and where it is kept, once downloaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoRef {
    pub sha256: Option<String>,
    pub storage_key: Option<String>,
}

/// Who said what about a delivery, when (local time of the child's region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationRef {
    pub at: Option<DateTime<FixedOffset>>,
    pub by_id: Option<i64>,
    /// Shared by every row the same person confirmed.
    pub by_name: Option<Arc<str>>,
    /// In which capacity they confirmed.
    pub by_role: Option<Role>,
    pub outcome: Option<Outcome>,
    pub photos: Vec<PhotoRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    pub id: i64,
    pub due_on: NaiveDate,
    pub status: DeliveryStatus,
    pub timeliness: Timeliness,
    pub child: Arc<ChildRef>,
    pub sponsorship: i64,
    pub sponsor: Arc<SponsorRef>,
    pub deliverer: Deliverer,
    pub confirmation: Option<ConfirmationRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SponsorshipRow {
    pub id: i64,
    pub child: Arc<ChildRef>,
    pub sponsor: Arc<SponsorRef>,
    pub status: SponsorshipStatus,
    /// Local dates of the child's region.
    pub started: Option<NaiveDate>,
    pub ended: Option<NaiveDate>,
    pub package: Option<String>,
    pub cadence: Option<String>,
    /// Its deliveries due in the period.
    pub counts: Counts,
}

/// One line of the per-office table; `office` is `None` for the community row and for the total.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficeRow {
    pub office: Option<Arc<OfficeRef>>,
    /// Distinct sponsors with a sponsorship in the area active in the period.
    pub sponsors: u64,
    /// Distinct children those sponsorships are for.
    pub children: u64,
    pub counts: Counts,
}

/// The children of an area registered with one Puskesmas (as the files name it; `None`: without one), as
/// the store counts them now: registered (waiting or sponsored, the digest's coverage) and sponsored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PuskesmasChildren {
    pub puskesmas: Option<String>,
    pub registered: u64,
    pub sponsored: u64,
}

/// One line of the per-Puskesmas table: the children registered with it now, sponsored and waiting, and
/// how the deliveries to its children stand (the same tally as the per-office table).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PuskesmasRow {
    /// `None`: the children without a Puskesmas (in [`PuskesmasTable::total`]: all of them).
    pub name: Option<String>,
    pub registered: u64,
    pub sponsored: u64,
    pub counts: Counts,
}

impl PuskesmasRow {
    /// Registered and not sponsored: waiting for a sponsor.
    pub fn waiting(&self) -> u64 {
        self.registered.saturating_sub(self.sponsored)
    }
}

/// The per-Puskesmas table: the Puskesmas by name, the children without one last, and the total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PuskesmasTable {
    pub rows: Vec<PuskesmasRow>,
    pub total: PuskesmasRow,
}

/// Names of one Puskesmas as files write them ("LAINEA", "Lainea ", "lainea") are one: compared without
/// case and with spaces collapsed. An empty name is none.
pub fn puskesmas_key(name: &str) -> Option<String> {
    let key = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (!key.is_empty()).then_some(key)
}

impl PuskesmasTable {
    /// Tallies the table from the children per Puskesmas and deliveries (each its child's Puskesmas, where
    /// it stands as [`standing`] says, and how many stand so), counted as the per-office table counts them.
    /// A row with no child registered and no delivery due is left out.
    pub fn tally<'a>(
        children: &[PuskesmasChildren],
        deliveries: impl IntoIterator<Item = (Option<&'a str>, Timeliness, u64)>,
    ) -> Self {
        // Keyed by the compared name; `None` (no Puskesmas) sorts after every name.
        let mut rows: BTreeMap<(bool, String), PuskesmasRow> = BTreeMap::new();
        let mut total = PuskesmasRow::default();
        fn entry<'m>(
            rows: &'m mut BTreeMap<(bool, String), PuskesmasRow>,
            name: Option<&str>,
        ) -> &'m mut PuskesmasRow {
            let key = name.and_then(puskesmas_key);
            let row = rows
                .entry((key.is_none(), key.clone().unwrap_or_default()))
                .or_default();
            // Of the ways one Puskesmas is written, the first in sort order names it.
            if let (Some(name), Some(_)) = (name, key) {
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                if row.name.as_ref().is_none_or(|n| name < *n) {
                    row.name = Some(name);
                }
            }
            row
        }
        for c in children {
            let row = entry(&mut rows, c.puskesmas.as_deref());
            row.registered += c.registered;
            row.sponsored += c.sponsored;
            total.registered += c.registered;
            total.sponsored += c.sponsored;
        }
        for (puskesmas, stands, n) in deliveries {
            entry(&mut rows, puskesmas).counts.add_n(stands, n);
            total.counts.add_n(stands, n);
        }
        PuskesmasTable {
            rows: rows
                .into_values()
                .filter(|r| r.registered > 0 || r.counts.due > 0)
                .collect(),
            total,
        }
    }

    /// Whether any child or delivery of the table has a Puskesmas: otherwise the table says nothing.
    pub fn has_named(&self) -> bool {
        self.rows.iter().any(|r| r.name.is_some())
    }
}

/// A report of one area and period, rows in a stable order: sponsorships and deliveries by kecamatan,
/// village, child and date; offices by children, sponsors and deliveries due (most first), then name;
/// Puskesmas by name, the children without one last.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// `None`: the whole programme.
    pub region: Option<RegionCode>,
    pub region_name: Option<String>,
    pub period: Period,
    pub offices: Vec<OfficeRow>,
    /// Sponsors without an office.
    pub community: OfficeRow,
    pub total: OfficeRow,
    /// The children of the area per Puskesmas now, and the period's deliveries to them.
    pub puskesmas: PuskesmasTable,
    pub sponsorships: Vec<SponsorshipRow>,
    pub deliveries: Vec<DeliveryRow>,
}

impl Report {
    /// Puts the rows in order and tallies the sponsorships' counts, the per-office table and the
    /// per-Puskesmas table (with `children`, the area's children per Puskesmas) from them.
    pub fn assemble(
        region: Option<RegionCode>,
        region_name: Option<String>,
        period: Period,
        mut sponsorships: Vec<SponsorshipRow>,
        mut deliveries: Vec<DeliveryRow>,
        children: &[PuskesmasChildren],
    ) -> Self {
        fn place(c: &ChildRef) -> (&str, &str, &str, i64) {
            (
                &c.kecamatan_code,
                c.village_code.as_deref().unwrap_or_default(),
                &c.name,
                c.id,
            )
        }
        // Each child once, in order of place, then rows by their child's rank: comparing places row by
        // row (or sorting a regency's quarter of rows by place before dropping repeats) cost more than
        // the rest of assembling it.
        let mut seen = HashSet::new();
        let mut children_in_order: Vec<&ChildRef> = deliveries
            .iter()
            .map(|d| &*d.child)
            .chain(sponsorships.iter().map(|s| &*s.child))
            .filter(|c| seen.insert(c.id))
            .collect();
        children_in_order.sort_unstable_by(|a, b| place(a).cmp(&place(b)));
        let rank: HashMap<i64, usize> = children_in_order
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        let rank_of = |c: &ChildRef| rank.get(&c.id).copied().unwrap_or(usize::MAX);
        deliveries.sort_by_cached_key(|d| (rank_of(&d.child), d.due_on, d.id));
        sponsorships.sort_by_cached_key(|s| (rank_of(&s.child), s.started, s.id));

        let mut by_sponsorship: BTreeMap<i64, Counts> = BTreeMap::new();
        #[derive(Default)]
        struct Tally {
            office: Option<Arc<OfficeRef>>,
            sponsors: BTreeSet<i64>,
            children: BTreeSet<i64>,
            counts: Counts,
        }
        let mut offices: BTreeMap<Option<OfficeId>, Tally> = BTreeMap::new();
        let mut total = Tally::default();
        let key = |s: &SponsorRef| s.office.as_ref().map(|o| o.id);
        // How many deliveries stand each way per Puskesmas as written: the table compares names once
        // per way of writing, not once per delivery.
        let mut per_puskesmas: HashMap<(Option<&str>, Timeliness), u64> = HashMap::new();
        for d in &deliveries {
            by_sponsorship
                .entry(d.sponsorship)
                .or_default()
                .add(d.timeliness);
            let t = offices.entry(key(&d.sponsor)).or_default();
            t.office.clone_from(&d.sponsor.office);
            t.counts.add(d.timeliness);
            total.counts.add(d.timeliness);
            *per_puskesmas
                .entry((d.child.puskesmas.as_deref(), d.timeliness))
                .or_default() += 1;
        }
        for s in &mut sponsorships {
            s.counts = by_sponsorship.get(&s.id).copied().unwrap_or_default();
            let t = offices.entry(key(&s.sponsor)).or_default();
            t.office.clone_from(&s.sponsor.office);
            t.sponsors.insert(s.sponsor.id);
            t.children.insert(s.child.id);
            total.sponsors.insert(s.sponsor.id);
            total.children.insert(s.child.id);
        }
        let row = |t: Tally| OfficeRow {
            office: t.office,
            sponsors: t.sponsors.len() as u64,
            children: t.children.len() as u64,
            counts: t.counts,
        };
        let community = row(offices.remove(&None).unwrap_or_default());
        let mut rows: Vec<OfficeRow> = offices.into_values().map(row).collect();
        rows.sort_by(|a, b| {
            (b.children, b.sponsors, b.counts.due)
                .cmp(&(a.children, a.sponsors, a.counts.due))
                .then_with(|| {
                    office_name(a)
                        .to_lowercase()
                        .cmp(&office_name(b).to_lowercase())
                })
                .then_with(|| {
                    a.office
                        .as_ref()
                        .map(|o| o.id)
                        .cmp(&b.office.as_ref().map(|o| o.id))
                })
        });
        let puskesmas = PuskesmasTable::tally(
            children,
            per_puskesmas
                .into_iter()
                .map(|((name, stands), n)| (name, stands, n)),
        );
        Report {
            region,
            region_name,
            period,
            offices: rows,
            community,
            total: row(total),
            puskesmas,
            sponsorships,
            deliveries,
        }
    }
}

fn office_name(row: &OfficeRow) -> &str {
    row.office.as_ref().map_or("", |o| o.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn period(from: &str, to: &str) -> Period {
        Period::new(date(from), date(to)).expect("period")
    }

    #[test]
    fn a_period_is_typed_three_ways() {
        assert_eq!(
            Period::parse("2026-10"),
            Ok(period("2026-10-01", "2026-10-31"))
        );
        assert_eq!(
            Period::parse(" 2026-2 "),
            Ok(period("2026-02-01", "2026-02-28"))
        );
        assert_eq!(
            Period::parse("2028-02"),
            Ok(period("2028-02-01", "2028-02-29"))
        );
        assert_eq!(
            Period::parse("2026-12"),
            Ok(period("2026-12-01", "2026-12-31"))
        );
        assert_eq!(
            Period::parse("2026-10-01..2026-10-31"),
            Ok(period("2026-10-01", "2026-10-31"))
        );
        assert_eq!(
            Period::parse("2026-10-01 .. 2026-11-15"),
            Ok(period("2026-10-01", "2026-11-15"))
        );
        assert_eq!(
            Period::parse("2026-10-01  2026-10-01"),
            Ok(period("2026-10-01", "2026-10-01"))
        );
        assert_eq!(period("2026-10-01", "2026-10-01").days(), 1);
    }

    #[test]
    fn bad_periods_are_refused_with_the_reason() {
        for bad in [
            "",
            "2026",
            "2026-13",
            "2026-00",
            "26-10",
            "2026-1x",
            "oktober",
            "2026-10-32..2026-11-01",
            "2026-10-01..",
            "2026-10-01 2026-10-02 2026-10-03",
            "2026-02-30 2026-03-01",
        ] {
            assert!(
                matches!(Period::parse(bad), Err(PeriodError::Unreadable(_))),
                "{bad:?}: {:?}",
                Period::parse(bad)
            );
        }
        assert_eq!(
            Period::parse("2026-10-31..2026-10-01"),
            Err(PeriodError::Reversed)
        );
        // 2026 has 365 days: to 2027-01-01 is 366 days, still allowed; one more is not.
        assert_eq!(
            Period::parse("2026-01-01..2027-01-01").map(|p| p.days()),
            Ok(366)
        );
        assert_eq!(
            Period::parse("2026-01-01..2027-01-02"),
            Err(PeriodError::TooLong { days: 367 })
        );
        // A leap year is 366 days: allowed whole.
        assert_eq!(
            Period::parse("2028-01-01..2028-12-31").map(|p| p.days()),
            Ok(366)
        );
    }

    #[test]
    fn presets_cover_whole_months_and_years() {
        let today = date("2026-11-24");
        assert_eq!(
            ReportPeriod::ThisMonth.period(today),
            period("2026-11-01", "2026-11-30")
        );
        assert_eq!(
            ReportPeriod::LastMonth.period(today),
            period("2026-10-01", "2026-10-31")
        );
        assert_eq!(
            ReportPeriod::LastThreeMonths.period(today),
            period("2026-09-01", "2026-11-30")
        );
        assert_eq!(
            ReportPeriod::ThisYear.period(today),
            period("2026-01-01", "2026-12-31")
        );
        // January: last month is the year before's December.
        let january = date("2027-01-31");
        assert_eq!(
            ReportPeriod::LastMonth.period(january),
            period("2026-12-01", "2026-12-31")
        );
        assert_eq!(
            ReportPeriod::LastThreeMonths.period(january),
            period("2026-11-01", "2027-01-31")
        );
        // March in a leap year: February has 29 days.
        let march = date("2028-03-31");
        assert_eq!(
            ReportPeriod::LastMonth.period(march),
            period("2028-02-01", "2028-02-29")
        );
        assert_eq!(
            ReportPeriod::ThisMonth.period(date("2028-02-29")),
            period("2028-02-01", "2028-02-29")
        );
        assert_eq!(ReportPeriod::ThisYear.period(march).days(), 366);
        // Every preset is a valid period, on every day of a few years.
        let mut day = date("2026-12-25");
        while day < date("2029-01-10") {
            for p in ReportPeriod::ALL {
                let got = p.period(day);
                assert_eq!(Period::new(got.from(), got.to()), Ok(got), "{p:?} {day}");
                if p != ReportPeriod::LastMonth {
                    assert!(got.contains(day), "{p:?} {day}");
                }
            }
            day = day + Days::new(1);
        }
        for p in ReportPeriod::ALL {
            assert_eq!(ReportPeriod::parse(p.code()), Some(p));
        }
    }

    #[test]
    fn standing_follows_the_definitions() {
        use DeliveryStatus as S;
        let due_at = DateTime::from_timestamp_millis(1_764_000_000_000).expect("a moment");
        let day = Duration::days(1);
        let ms = Duration::milliseconds(1);
        let missed_after = Duration::days(14);
        // Read the evening after the day: open deliveries are overdue.
        let now = due_at + Duration::hours(40);
        let at = |status, confirmed| standing(status, due_at, confirmed, now, missed_after);
        assert_eq!(at(S::Confirmed, Some(due_at - ms * 5)), Timeliness::OnTime);
        assert_eq!(
            at(S::Confirmed, Some(due_at + day - ms)),
            Timeliness::OnTime
        );
        assert_eq!(at(S::Confirmed, Some(due_at + day)), Timeliness::Late);
        assert_eq!(at(S::Confirmed, None), Timeliness::Late);
        assert_eq!(at(S::Overdue, None), Timeliness::Overdue);
        assert_eq!(at(S::Missed, None), Timeliness::Missed);
        for s in [S::Skipped, S::Cancelled] {
            assert_eq!(at(s, Some(due_at)), Timeliness::NotDue);
            assert!(!is_due(s));
        }
        assert!(!is_due(S::Scheduled));
        for s in [S::Due, S::Overdue, S::Confirmed, S::Missed] {
            assert!(is_due(s));
            assert!(at(s, Some(due_at)).counts_as_due());
        }
    }

    #[test]
    fn an_open_delivery_stands_where_the_calendar_puts_it_whatever_was_stored() {
        use DeliveryStatus as S;
        let due_at = DateTime::from_timestamp_millis(1_764_000_000_000).expect("a moment");
        let missed_after = Duration::days(14);
        let at =
            |status, after: Duration| standing(status, due_at, None, due_at + after, missed_after);
        // Its own day: due, not late until the day has ended.
        assert_eq!(at(S::Scheduled, Duration::hours(7)), Timeliness::DueToday);
        assert_eq!(at(S::Due, Duration::hours(23)), Timeliness::DueToday);
        // 11 days on: overdue, on every screen, even before a pass wrote it.
        assert_eq!(at(S::Due, Duration::days(11)), Timeliness::Overdue);
        assert_eq!(at(S::Overdue, Duration::days(11)), Timeliness::Overdue);
        // Missed 14 days after its day began.
        assert_eq!(
            at(S::Overdue, Duration::days(14) - Duration::seconds(1)),
            Timeliness::Overdue
        );
        assert_eq!(at(S::Overdue, Duration::days(14)), Timeliness::Missed);
        // Not yet its day.
        assert_eq!(at(S::Scheduled, -Duration::hours(1)), Timeliness::NotDue);
    }

    #[test]
    fn the_on_time_share_is_of_the_decided_deliveries() {
        let mut counts = Counts::default();
        counts.add(Timeliness::OnTime);
        counts.add(Timeliness::DueToday);
        assert_eq!(counts.due, 2);
        assert_eq!(counts.decided(), 1);
        assert_eq!(counts.on_time_pct(), Some(100.0));
        counts.add(Timeliness::Overdue);
        assert_eq!(counts.on_time_pct(), Some(50.0));
        let mut today_only = Counts::default();
        today_only.add(Timeliness::DueToday);
        assert_eq!(today_only.on_time_pct(), None);
    }

    fn office(id: i64, name: &str) -> Arc<OfficeRef> {
        Arc::new(OfficeRef {
            id: OfficeId(id),
            name: name.into(),
        })
    }

    fn sponsor(id: i64, office: Option<Arc<OfficeRef>>) -> Arc<SponsorRef> {
        Arc::new(SponsorRef {
            id,
            name: format!("Sponsor {id}"),
            office,
        })
    }

    fn child(id: i64, kecamatan: &str) -> Arc<ChildRef> {
        Arc::new(ChildRef {
            id,
            name: format!("Anak {id}"),
            kecamatan_code: kecamatan.into(),
            kecamatan_name: kecamatan.into(),
            village_code: None,
            village_name: None,
            puskesmas: None,
        })
    }

    #[test]
    fn the_office_table_is_tallied_from_the_rows() {
        let health = office(1, "Dinas Kesehatan");
        let family = office(2, "DPPKB");
        let (a, b, c) = (
            sponsor(10, Some(health.clone())),
            sponsor(11, Some(family.clone())),
            sponsor(12, None),
        );
        let (k1, k2, k3) = (
            child(1, "74.71.02"),
            child(2, "74.71.01"),
            child(3, "74.71.01"),
        );
        let sp = |id, child: &Arc<ChildRef>, sponsor: &Arc<SponsorRef>| SponsorshipRow {
            id,
            child: child.clone(),
            sponsor: sponsor.clone(),
            status: SponsorshipStatus::Active,
            started: Some(date("2026-09-01")),
            ended: None,
            package: None,
            cadence: None,
            counts: Counts::default(),
        };
        let dl = |id, s: &SponsorshipRow, day: &str, status, t| DeliveryRow {
            id,
            due_on: date(day),
            status,
            timeliness: t,
            child: s.child.clone(),
            sponsorship: s.id,
            sponsor: s.sponsor.clone(),
            deliverer: Deliverer::Sponsor,
            confirmation: None,
        };
        let s1 = sp(100, &k1, &a);
        let s2 = sp(101, &k2, &a);
        let s3 = sp(102, &k3, &b);
        let s4 = sp(103, &k3, &c);
        use DeliveryStatus as S;
        let deliveries = vec![
            dl(5, &s1, "2026-10-12", S::Missed, Timeliness::Missed),
            dl(1, &s1, "2026-10-05", S::Confirmed, Timeliness::OnTime),
            dl(2, &s2, "2026-10-05", S::Confirmed, Timeliness::Late),
            dl(3, &s3, "2026-10-05", S::Overdue, Timeliness::Overdue),
            dl(4, &s4, "2026-10-05", S::Scheduled, Timeliness::NotDue),
            dl(6, &s4, "2026-10-06", S::Due, Timeliness::DueToday),
        ];
        let report = Report::assemble(
            None,
            None,
            period("2026-10-01", "2026-10-31"),
            vec![s4.clone(), s3.clone(), s2.clone(), s1.clone()],
            deliveries,
            &[],
        );
        // Kecamatan, then child, then date.
        let order: Vec<i64> = report.deliveries.iter().map(|d| d.id).collect();
        assert_eq!(order, vec![2, 3, 4, 6, 1, 5]);
        let order: Vec<i64> = report.sponsorships.iter().map(|s| s.id).collect();
        assert_eq!(order, vec![101, 102, 103, 100]);
        let s1 = &report.sponsorships[3];
        assert_eq!(
            s1.counts,
            Counts {
                due: 2,
                on_time: 1,
                missed: 1,
                ..Counts::default()
            }
        );
        assert_eq!(report.offices.len(), 2);
        let first = &report.offices[0];
        assert_eq!(first.office.as_deref(), Some(&*health));
        assert_eq!((first.sponsors, first.children), (1, 2));
        assert_eq!(
            first.counts,
            Counts {
                due: 3,
                on_time: 1,
                late: 1,
                overdue: 0,
                missed: 1
            }
        );
        assert_eq!(first.counts.on_time_pct().map(|p| p.round()), Some(33.0));
        let second = &report.offices[1];
        assert_eq!(second.office.as_deref(), Some(&*family));
        assert_eq!(
            (second.sponsors, second.children, second.counts.overdue),
            (1, 1, 1)
        );
        assert_eq!(report.community.office, None);
        assert_eq!(
            (
                report.community.sponsors,
                report.community.children,
                report.community.counts.due
            ),
            (1, 1, 1)
        );
        // The total counts a child with two sponsors once.
        assert_eq!((report.total.sponsors, report.total.children), (3, 3));
        assert_eq!(report.total.counts.due, 5);
        assert_eq!(Counts::default().on_time_pct(), None);
    }

    #[test]
    fn the_puskesmas_table_is_tallied_like_the_offices_and_names_one_puskesmas_once() {
        let children = [
            PuskesmasChildren {
                puskesmas: Some("LAINEA".into()),
                registered: 3,
                sponsored: 1,
            },
            PuskesmasChildren {
                puskesmas: Some("Lainea ".into()),
                registered: 1,
                sponsored: 1,
            },
            PuskesmasChildren {
                puskesmas: None,
                registered: 2,
                sponsored: 0,
            },
            PuskesmasChildren {
                puskesmas: Some("Andoolo".into()),
                registered: 1,
                sponsored: 0,
            },
        ];
        use Timeliness as T;
        let deliveries = [
            (Some("lainea"), T::OnTime, 2),
            (Some("LAINEA"), T::Overdue, 1),
            (Some("Lainea"), T::NotDue, 5),
            (None, T::Missed, 1),
            // A Puskesmas whose children are all closed now still has its deliveries of the period.
            (Some("Kolono"), T::Late, 1),
            // Nothing due: no row.
            (Some("Palangga"), T::NotDue, 3),
        ];
        let table = PuskesmasTable::tally(&children, deliveries);
        let names: Vec<Option<&str>> = table.rows.iter().map(|r| r.name.as_deref()).collect();
        assert_eq!(
            names,
            vec![Some("Andoolo"), Some("Kolono"), Some("LAINEA"), None]
        );
        let lainea = &table.rows[2];
        assert_eq!(
            (lainea.registered, lainea.sponsored, lainea.waiting()),
            (4, 2, 2)
        );
        assert_eq!(
            lainea.counts,
            Counts {
                due: 3,
                on_time: 2,
                overdue: 1,
                ..Counts::default()
            }
        );
        assert_eq!(
            (table.rows[3].waiting(), table.rows[3].counts.missed),
            (2, 1)
        );
        assert_eq!(
            (
                table.total.registered,
                table.total.sponsored,
                table.total.counts.due
            ),
            (7, 2, 5)
        );
        assert!(table.has_named());
        let none = PuskesmasTable::tally(&children[2..3], []);
        assert!(!none.has_named());
        assert_eq!(puskesmas_key("  "), None);
        assert_eq!(puskesmas_key(" PKM  Lainea"), Some("pkm lainea".into()));
    }
}
