//! One dated hand-over of a sponsorship's package. Its status moves with the calendar (scheduled, due,
//! overdue, missed) and with people (confirmed, skipped, cancelled); transitions are functions, so a stale
//! button cannot confirm a cancelled delivery. Also the rules for moving a delivery to another day and for
//! re-planning a sponsorship's deliveries when its cadence changes.

use chrono::{Days, NaiveDate};
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

    /// The status time alone gives an open delivery on `today` (local date): before due_on Scheduled, on
    /// due_on Due, after Overdue, on/after due_on + missed_after days Missed. Non-open statuses are returned
    /// unchanged: the calendar never undoes what a person decided.
    pub fn by_calendar(self, due_on: NaiveDate, today: NaiveDate, missed_after: Days) -> Self {
        if !self.is_open() {
            return self;
        }
        let missed_on = due_on.checked_add_days(missed_after);
        if missed_on.is_some_and(|m| today >= m) {
            Self::Missed
        } else if today > due_on {
            Self::Overdue
        } else if today == due_on {
            Self::Due
        } else {
            Self::Scheduled
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

    #[test]
    fn the_calendar_moves_open_deliveries_at_day_boundaries() {
        let due = date(3, 10);
        let week = Days::new(7);
        for open in [Scheduled, Due, Overdue] {
            assert_eq!(open.by_calendar(due, date(3, 9), week), Scheduled);
            assert_eq!(open.by_calendar(due, date(3, 10), week), Due);
            assert_eq!(open.by_calendar(due, date(3, 11), week), Overdue);
            assert_eq!(open.by_calendar(due, date(3, 16), week), Overdue);
            assert_eq!(open.by_calendar(due, date(3, 17), week), Missed);
            assert_eq!(open.by_calendar(due, date(4, 30), week), Missed);
        }
        // With no grace at all a delivery is missed on its own day.
        assert_eq!(
            Scheduled.by_calendar(due, date(3, 10), Days::new(0)),
            Missed
        );
    }

    #[test]
    fn the_calendar_never_reopens_a_decided_delivery() {
        for done in [Confirmed, Missed, Skipped, Cancelled] {
            for today in [date(3, 1), date(3, 10), date(5, 1)] {
                assert_eq!(done.by_calendar(date(3, 10), today, Days::new(7)), done);
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
