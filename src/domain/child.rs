//! Children in the programme: identity, the values that describe them, and where their case stands.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A child as stored by asuh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ChildId(pub i64);

impl fmt::Display for ChildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// The code of the WHO tables: 1 = boy, 2 = girl.
    pub fn who_code(self) -> u8 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "m",
            Sex::Female => "f",
        }
    }

    pub fn parse_code(s: &str) -> Option<Self> {
        match s {
            "m" => Some(Sex::Male),
            "f" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// Where a child's case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChildStatus {
    /// Waiting for a sponsor.
    Unmatched,
    /// Has an active sponsor (or a proposal under way).
    Matched,
    /// Left stunting: the programme's goal.
    Graduated,
    Moved,
    Deceased,
}

impl ChildStatus {
    pub const ALL: [ChildStatus; 5] = [
        Self::Unmatched,
        Self::Matched,
        Self::Graduated,
        Self::Moved,
        Self::Deceased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unmatched => "unmatched",
            Self::Matched => "matched",
            Self::Graduated => "graduated",
            Self::Moved => "moved",
            Self::Deceased => "deceased",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// A closed case takes no sponsor and is not matched again.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Graduated | Self::Moved | Self::Deceased)
    }
}

/// Age in completed days on `on`; `None` when `on` is before the birth.
pub fn age_days(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    u32::try_from((on - birth).num_days()).ok()
}

/// Age in completed months, as people count it.
pub fn age_months(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    use chrono::Datelike;
    if on < birth {
        return None;
    }
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day() {
        months -= 1;
    }
    u32::try_from(months).ok()
}

/// Initials for a proposal, which must not reveal the name: "Siti Nur Aisyah" → "S. N. A."
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first name, which a sponsor sees once they accept.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn ages_in_completed_units() {
        assert_eq!(age_days(d(2025, 1, 1), d(2025, 1, 31)), Some(30));
        assert_eq!(age_days(d(2025, 1, 2), d(2025, 1, 1)), None);
        assert_eq!(age_months(d(2024, 1, 31), d(2024, 2, 29)), Some(0));
        assert_eq!(age_months(d(2024, 1, 15), d(2026, 1, 15)), Some(24));
        assert_eq!(age_months(d(2024, 1, 15), d(2026, 1, 14)), Some(23));
    }

    #[test]
    fn proposals_show_initials_only() {
        assert_eq!(initials("Siti Nur Aisyah"), "S. N. A.");
        assert_eq!(initials("  la ode  "), "L. O.");
        assert_eq!(first_name("Siti Nur Aisyah"), "Siti");
    }

    #[test]
    fn statuses_round_trip() {
        for s in ChildStatus::ALL {
            assert_eq!(ChildStatus::parse(s.as_str()), Some(s));
        }
        assert!(ChildStatus::Moved.is_closed() && !ChildStatus::Matched.is_closed());
    }
}
