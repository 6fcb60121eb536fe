//! One dated hand-over of a sponsorship's package. Its status moves with the calendar (scheduled, due,
//! overdue, missed) and with people (confirmed, skipped, cancelled); transitions are functions, so a stale
//! button cannot confirm a cancelled delivery. Also the rules for moving a delivery to another day and for
//! re-planning a sponsorship's deliveries when its cadence changes.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A delivery's life: Scheduled -> Due (on its day) -> Overdue (day after) -> Missed (after `missed_after`
/// days), and from any open one to Confirmed, Skipped (sponsor says skip, with reason) or Cancelled (plan
/// changed / sponsorship ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeliveryStatus {
    Scheduled,
    Due,
    Overdue,
    Confirmed,
    Missed,
    Skipped,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a delivery that is {from} cannot be {action}")]
pub struct DeliveryTransitionError {
    pub from: &'static str,
    pub action: &'static str,
}

impl DeliveryStatus {
    pub const ALL: [Self; 7] = [
        Self::Scheduled,
        Self::Due,
        Self::Overdue,
        Self::Confirmed,
        Self::Missed,
        Self::Skipped,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Due => "due",
            Self::Overdue => "overdue",
            Self::Confirmed => "confirmed",
            Self::Missed => "missed",
            Self::Skipped => "skipped",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still waiting for the package: the only statuses people or the calendar can change.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Scheduled | Self::Due | Self::Overdue)
    }

    fn when_open(self, to: Self, action: &'static str) -> Result<Self, DeliveryTransitionError> {
        if self.is_open() {
            Ok(to)
        } else {
            Err(DeliveryTransitionError {
                from: self.as_str(),
                action,
            })
        }
    }

    pub fn confirm(self) -> Result<Self, DeliveryTransitionError> {
        self.when_open(Self::Confirmed, "confirmed")
    }

    pub fn skip(self) -> Result<Self, DeliveryTransitionError> {
        self.when_open(Self::Skipped, "skipped")
    }

    pub fn cancel(self) -> Result<Self, DeliveryTransitionError> {
        self.when_open(Self::Cancelled, "cancelled")
    }

    /// A new date starts the calendar over: the moved delivery is scheduled again, even if it was overdue.
    pub fn reschedule(self) -> Result<Self, DeliveryTransitionError> {
        self.when_open(Self::Scheduled, "rescheduled")
    }

    /// Where the calendar puts an open delivery at `now`. Its day begins at `due_at` (local midnight of its
    /// date in the zone of the child's region): it is due from then, overdue a day later (its day has
    /// ended) and missed `missed_after` after its day began. The calendar only moves a delivery on: an
    /// open status already further along stays (the pass that wrote it saw a later moment), and what a
    /// person decided (confirmed, skipped, cancelled) or a missed delivery is returned unchanged.
    /// `store::deliveries::advance_calendar` writes overdue and missed, set-based, on every pass; "due" is
    /// this function's answer alone, never written.
    pub fn by_calendar(
        self,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
        missed_after: Duration,
    ) -> Self {
        if !self.is_open() {
            return self;
        }
        let by_time = if now >= due_at + missed_after {
            Self::Missed
        } else if now >= due_at + Duration::days(1) {
            Self::Overdue
        } else if now >= due_at {
            Self::Due
        } else {
            Self::Scheduled
        };
        let step = |s: Self| match s {
            Self::Scheduled => 0,
            Self::Due => 1,
            Self::Overdue => 2,
            _ => 3,
        };
        if step(by_time) > step(self) {
            by_time
        } else {
            self
        }
    }
}

/// Who hands the package over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deliverer {
    Sponsor,
    Volunteer,
}

impl Deliverer {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sponsor => "sponsor",
            Self::Volunteer => "volunteer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sponsor" => Some(Self::Sponsor),
            "volunteer" => Some(Self::Volunteer),
            _ => None,
        }
    }
}

/// Why a reschedule is refused (each variant becomes a localized message elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RescheduleError {
    #[error("the new date is in the past")]
    InThePast,
    #[error("the delivery can be moved to {latest} at the latest")]
    TooLate { latest: NaiveDate },
    #[error("the new date must be before the next delivery on {next}")]
    ClashesWithNext { next: NaiveDate },
    #[error("the delivery is already on that date")]
    SameDay,
    #[error("only a delivery that is still open can be moved")]
    NotOpen,
}

/// A sponsor may move an open delivery to a date that is today or later, at most `max_shift` days after its
/// *original* due date (the slot, so repeated moves cannot push it ever later), strictly before the next
/// delivery of the same sponsorship (if any, so packages keep their order), and different from its current date.
/// Checked in that order after openness; a date in the past is reported as such even if it is also the current one.
pub fn check_reschedule(
    status: DeliveryStatus,
    slot: NaiveDate,
    current: NaiveDate,
    wanted: NaiveDate,
    today: NaiveDate,
    next: Option<NaiveDate>,
    max_shift: Days,
) -> Result<(), RescheduleError> {
    if !status.is_open() {
        return Err(RescheduleError::NotOpen);
    }
    if wanted < today {
        return Err(RescheduleError::InThePast);
    }
    if wanted == current {
        return Err(RescheduleError::SameDay);
    }
    let latest = slot.checked_add_days(max_shift).unwrap_or(NaiveDate::MAX);
    if wanted > latest {
        return Err(RescheduleError::TooLate { latest });
    }
    if let Some(next) = next.filter(|n| wanted >= *n) {
        return Err(RescheduleError::ClashesWithNext { next });
    }
    Ok(())
}

/// A delivery as re-planning sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub id: i64,
    /// The cadence's date; a reschedule keeps it.
    pub slot: NaiveDate,
    pub due_on: NaiveDate,
    pub status: DeliveryStatus,
    /// The sponsor rescheduled it or a reminder already went out.
    pub touched: bool,
}

/// Regeneration when a cadence changes (or the plan is extended): what to cancel and which slots to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replan {
    pub cancel: Vec<i64>,
    pub create: Vec<NaiveDate>,
}

/// `existing`: the sponsorship's deliveries (any status). `wanted`: the new cadence's dates in the window
/// (sorted). Rules: confirmed/missed/skipped/cancelled rows are never touched; open rows that are `touched` or
/// whose due_on < `keep_before` (deliveries already in progress: due soon) are kept, because someone may
/// already be buying the package; other open rows whose slot is not in `wanted` are cancelled; a wanted date
/// is created unless a kept or remaining open row (not being cancelled) already has that slot or that due_on,
/// or a confirmed/skipped/missed row already has that slot (one live delivery per slot), or it is before
/// `keep_before`. Output sorted, without duplicates, so running it twice plans nothing new.
pub fn replan(existing: &[Planned], wanted: &[NaiveDate], keep_before: NaiveDate) -> Replan {
    let wanted: BTreeSet<NaiveDate> = wanted.iter().copied().collect();
    let mut cancel = BTreeSet::new();
    // Dates a new delivery may not take, as a slot or as a due date.
    let mut taken = BTreeSet::new();
    for row in existing {
        match row.status {
            DeliveryStatus::Cancelled => {}
            DeliveryStatus::Confirmed | DeliveryStatus::Missed | DeliveryStatus::Skipped => {
                taken.insert(row.slot);
            }
            DeliveryStatus::Scheduled | DeliveryStatus::Due | DeliveryStatus::Overdue => {
                let kept = row.touched || row.due_on < keep_before || wanted.contains(&row.slot);
                if kept {
                    taken.insert(row.slot);
                    taken.insert(row.due_on);
                } else {
                    cancel.insert(row.id);
                }
            }
        }
    }
    Replan {
        cancel: cancel.into_iter().collect(),
        create: wanted
            .into_iter()
            .filter(|d| *d >= keep_before && !taken.contains(d))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeliveryStatus::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("valid date")
    }

    #[test]
    fn statuses_round_trip() {
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DeliveryStatus::parse("Confirmed"), None);
        for d in [Deliverer::Sponsor, Deliverer::Volunteer] {
            assert_eq!(Deliverer::parse(d.as_str()), Some(d));
        }
        assert_eq!(Deliverer::parse("coordinator"), None);
    }

    #[test]
    fn only_open_deliveries_can_be_confirmed_skipped_cancelled_or_moved() {
        type Action = fn(DeliveryStatus) -> Result<DeliveryStatus, DeliveryTransitionError>;
        let actions: [(Action, &str); 4] = [
            (DeliveryStatus::confirm, "confirmed"),
            (DeliveryStatus::skip, "skipped"),
            (DeliveryStatus::cancel, "cancelled"),
            (DeliveryStatus::reschedule, "rescheduled"),
        ];
        // confirm, skip, cancel, reschedule; None = refused.
        let open = [
            Some(Confirmed),
            Some(Skipped),
            Some(Cancelled),
            Some(Scheduled),
        ];
        let closed = [None; 4];
        let table = [
            (Scheduled, open),
            (Due, open),
            (Overdue, open),
            (Confirmed, closed),
            (Missed, closed),
            (Skipped, closed),
            (Cancelled, closed),
        ];
        for (from, expected) in table {
            for ((action, name), want) in actions.iter().zip(expected) {
                let got = action(from);
                match want {
                    Some(to) => assert_eq!(got, Ok(to), "{from:?} {name}"),
                    None => assert_eq!(
                        got,
                        Err(DeliveryTransitionError {
                            from: from.as_str(),
                            action: name,
                        }),
                        "{from:?} {name}"
                    ),
                }
            }
        }
        assert_eq!(
            Missed.confirm().map_err(|e| e.to_string()),
            Err("a delivery that is missed cannot be confirmed".to_owned())
        );
    }

    /// Local midnight of 2026-`m`-`d` in Kendari (WITA), as `due_at` is stored.
    fn midnight(m: u32, d: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        chrono_tz::Asia::Makassar
            .with_ymd_and_hms(2026, m, d, 0, 0, 0)
            .single()
            .expect("a moment")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_calendar_moves_open_deliveries_at_day_boundaries() {
        let due = midnight(3, 10);
        let two_weeks = Duration::days(14);
        let second = Duration::seconds(1);
        for (now, want) in [
            (midnight(3, 10) - second, Scheduled),
            (midnight(3, 10), Due),
            (midnight(3, 11) - second, Due),
            (midnight(3, 11), Overdue),
            // 11 days late is overdue, not missed: missed starts 14 days after the day began.
            (midnight(3, 21), Overdue),
            (midnight(3, 24) - second, Overdue),
            (midnight(3, 24), Missed),
            (midnight(4, 30), Missed),
        ] {
            assert_eq!(Scheduled.by_calendar(due, now, two_weeks), want, "{now}");
        }
        // With no grace at all a delivery is missed on its own day.
        assert_eq!(Scheduled.by_calendar(due, due, Duration::zero()), Missed);
    }

    #[test]
    fn the_calendar_only_moves_a_delivery_on() {
        let due = midnight(3, 10);
        let week = Duration::days(7);
        // A pass that saw a later moment wrote "overdue": read earlier, it stays overdue.
        assert_eq!(Overdue.by_calendar(due, midnight(3, 9), week), Overdue);
        assert_eq!(Due.by_calendar(due, midnight(3, 9), week), Due);
        assert_eq!(Due.by_calendar(due, midnight(3, 12), week), Overdue);
        assert_eq!(Overdue.by_calendar(due, midnight(3, 17), week), Missed);
    }

    #[test]
    fn the_calendar_never_reopens_a_decided_delivery() {
        for done in [Confirmed, Missed, Skipped, Cancelled] {
            for now in [midnight(3, 1), midnight(3, 10), midnight(5, 1)] {
                assert_eq!(
                    done.by_calendar(midnight(3, 10), now, Duration::days(7)),
                    done
                );
            }
        }
    }

    fn reschedule(
        status: DeliveryStatus,
        wanted: NaiveDate,
        next: Option<NaiveDate>,
    ) -> Result<(), RescheduleError> {
        // Slot 10 March, already moved to 12 March, today is 11 March, at most 7 days after the slot.
        check_reschedule(
            status,
            date(3, 10),
            date(3, 12),
            wanted,
            date(3, 11),
            next,
            Days::new(7),
        )
    }

    #[test]
    fn a_delivery_moves_within_its_slot_window() {
        assert_eq!(reschedule(Scheduled, date(3, 11), None), Ok(()));
        assert_eq!(reschedule(Overdue, date(3, 17), Some(date(3, 24))), Ok(()));
    }

    #[test]
    fn each_refused_reschedule_says_why() {
        assert_eq!(
            reschedule(Confirmed, date(3, 13), None),
            Err(RescheduleError::NotOpen)
        );
        assert_eq!(
            reschedule(Due, date(3, 10), None),
            Err(RescheduleError::InThePast)
        );
        assert_eq!(
            reschedule(Due, date(3, 12), None),
            Err(RescheduleError::SameDay)
        );
        assert_eq!(
            reschedule(Scheduled, date(3, 18), None),
            Err(RescheduleError::TooLate {
                latest: date(3, 17)
            })
        );
        assert_eq!(
            reschedule(Scheduled, date(3, 15), Some(date(3, 15))),
            Err(RescheduleError::ClashesWithNext { next: date(3, 15) })
        );
        assert_eq!(
            reschedule(Scheduled, date(3, 16), Some(date(3, 15))),
            Err(RescheduleError::ClashesWithNext { next: date(3, 15) })
        );
    }

    fn row(id: i64, slot: NaiveDate, status: DeliveryStatus) -> Planned {
        Planned {
            id,
            slot,
            due_on: slot,
            status,
            touched: false,
        }
    }

    #[test]
    fn replanning_the_same_dates_changes_nothing() {
        let existing = [
            row(1, date(3, 2), Confirmed),
            row(2, date(3, 9), Due),
            row(3, date(3, 16), Scheduled),
            row(4, date(3, 23), Scheduled),
        ];
        let wanted = [date(3, 2), date(3, 9), date(3, 16), date(3, 23)];
        assert_eq!(replan(&existing, &wanted, date(3, 12)), Replan::default());
    }

    #[test]
    fn a_new_cadence_cancels_untouched_future_rows_and_creates_its_dates() {
        // Mondays become Thursdays from 12 March on.
        let existing = [
            row(1, date(3, 9), Overdue),
            row(2, date(3, 16), Scheduled),
            row(3, date(3, 23), Scheduled),
        ];
        let wanted = [date(3, 12), date(3, 19), date(3, 26)];
        let plan = replan(&existing, &wanted, date(3, 12));
        assert_eq!(
            plan,
            Replan {
                cancel: vec![2, 3],
                create: wanted.to_vec(),
            }
        );
    }

    #[test]
    fn touched_and_nearly_due_rows_are_kept_and_block_their_dates() {
        let moved = Planned {
            due_on: date(3, 19),
            touched: true,
            ..row(2, date(3, 16), Scheduled)
        };
        let reminded = Planned {
            touched: true,
            ..row(3, date(3, 23), Scheduled)
        };
        let existing = [
            row(1, date(3, 11), Due),
            moved,
            reminded,
            row(4, date(3, 30), Scheduled),
        ];
        let wanted = [date(3, 12), date(3, 19), date(3, 26), date(4, 2)];
        let plan = replan(&existing, &wanted, date(3, 14));
        // 12 March is before `keep_before`; 19 March is where the sponsor moved delivery 2.
        assert_eq!(
            plan,
            Replan {
                cancel: vec![4],
                create: vec![date(3, 26), date(4, 2)],
            }
        );
    }

    #[test]
    fn done_rows_are_never_cancelled_and_their_slots_are_not_recreated() {
        let existing = [
            row(1, date(3, 16), Confirmed),
            row(2, date(3, 23), Skipped),
            row(3, date(3, 30), Missed),
            row(4, date(4, 6), Cancelled),
        ];
        let wanted = [date(3, 16), date(3, 23), date(3, 30), date(4, 6)];
        let plan = replan(&existing, &wanted, date(3, 1));
        assert_eq!(
            plan,
            Replan {
                cancel: vec![],
                create: vec![date(4, 6)],
            }
        );
        // Even when the new cadence no longer has those dates.
        let plan = replan(&existing, &[date(3, 19)], date(3, 1));
        assert!(plan.cancel.is_empty());
        assert_eq!(plan.create, [date(3, 19)]);
    }

    #[test]
    fn replanning_never_puts_two_deliveries_on_one_day() {
        // Delivery 1 was moved from 16 to 18 March; the new cadence wants 18 March (twice, by mistake).
        let existing = [Planned {
            due_on: date(3, 18),
            touched: true,
            ..row(1, date(3, 16), Scheduled)
        }];
        let wanted = [date(3, 18), date(3, 18), date(3, 25)];
        let plan = replan(&existing, &wanted, date(3, 1));
        assert_eq!(plan.create, [date(3, 25)]);
        assert!(plan.cancel.is_empty());
        // And a second run over the result plans nothing more.
        let after = [existing[0].clone(), row(2, date(3, 25), Scheduled)];
        assert_eq!(replan(&after, &wanted, date(3, 1)), Replan::default());
    }
}
