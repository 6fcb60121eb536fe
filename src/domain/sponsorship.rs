//! A sponsorship pairs one sponsor with one child. It starts as a proposal (from the matcher, a
//! coordinator, or a transfer) or a hold (a sponsor asked for a child), becomes active when the sponsor
//! accepts, and ends with a reason. Transitions are functions: a stale button cannot accept a declined one.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SponsorshipId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SponsorshipStatus {
    Proposed,
    Held,
    Active,
    Declined,
    Expired,
    Ended,
    Transferred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Origin {
    Match,
    Manual,
    Request,
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} sponsorship cannot become {to:?}")]
pub struct TransitionError {
    pub from: SponsorshipStatus,
    pub to: SponsorshipStatus,
}

impl SponsorshipStatus {
    pub const ALL: [Self; 7] = [
        Self::Proposed,
        Self::Held,
        Self::Active,
        Self::Declined,
        Self::Expired,
        Self::Ended,
        Self::Transferred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Held => "held",
            Self::Active => "active",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Ended => "ended",
            Self::Transferred => "transferred",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Proposed, held or active: the child is spoken for.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Proposed | Self::Held | Self::Active)
    }

    fn to(self, to: Self, allowed: bool) -> Result<Self, TransitionError> {
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    pub fn accept(self) -> Result<Self, TransitionError> {
        self.to(Self::Active, matches!(self, Self::Proposed | Self::Held))
    }

    pub fn decline(self) -> Result<Self, TransitionError> {
        self.to(Self::Declined, matches!(self, Self::Proposed | Self::Held))
    }

    pub fn expire(self) -> Result<Self, TransitionError> {
        self.to(Self::Expired, matches!(self, Self::Proposed | Self::Held))
    }

    pub fn end(self) -> Result<Self, TransitionError> {
        self.to(Self::Ended, self == Self::Active)
    }

    /// The sponsorship cannot go on (the sponsor's role was revoked, the child's case closed): an active
    /// one ends, an open offer or hold expires.
    pub fn withdraw(self) -> Result<Self, TransitionError> {
        if self == Self::Active {
            self.end()
        } else {
            self.expire()
        }
    }

    /// A coordinator moves the child to another sponsor: the old sponsorship, live in any form, gives way.
    pub fn transfer(self) -> Result<Self, TransitionError> {
        self.to(Self::Transferred, self.is_live())
    }
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::Manual => "manual",
            Self::Request => "request",
            Self::Transfer => "transfer",
        }
    }
}

/// What a sponsor commits to: BKKBN's national default is six months at about Rp 500,000 a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    pub months: u16,
    pub monthly_amount: u64,
}

impl Default for Commitment {
    fn default() -> Self {
        Self {
            months: 6,
            monthly_amount: 500_000,
        }
    }
}

impl Commitment {
    /// An office's own terms: 1–60 months, Rp 10,000 – 100,000,000 a month.
    pub fn new(months: i64, monthly_amount: i64) -> Option<Self> {
        let months = u16::try_from(months)
            .ok()
            .filter(|m| (1..=60).contains(m))?;
        let monthly_amount = u64::try_from(monthly_amount)
            .ok()
            .filter(|a| (10_000..=100_000_000).contains(a))?;
        Some(Self {
            months,
            monthly_amount,
        })
    }
}

/// Rupiah for people: 500000 → "Rp 500.000".
pub fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp {out}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use SponsorshipStatus::*;

    #[test]
    fn only_open_offers_can_be_accepted_declined_or_expire() {
        assert_eq!(Proposed.accept(), Ok(Active));
        assert_eq!(Held.accept(), Ok(Active));
        assert_eq!(Proposed.decline(), Ok(Declined));
        assert_eq!(Held.expire(), Ok(Expired));
        for done in [Active, Declined, Expired, Ended, Transferred] {
            assert!(done.accept().is_err(), "{done:?}");
            assert!(done.decline().is_err(), "{done:?}");
            assert!(done.expire().is_err(), "{done:?}");
        }
    }

    #[test]
    fn only_active_sponsorships_end_and_live_ones_transfer() {
        assert_eq!(Active.end(), Ok(Ended));
        assert!(Proposed.end().is_err());
        assert_eq!(Active.transfer(), Ok(Transferred));
        assert_eq!(Proposed.transfer(), Ok(Transferred));
        assert!(Ended.transfer().is_err());
    }

    #[test]
    fn withdrawing_ends_what_is_active_and_expires_what_is_open() {
        assert_eq!(Active.withdraw(), Ok(Ended));
        assert_eq!(Proposed.withdraw(), Ok(Expired));
        assert_eq!(Held.withdraw(), Ok(Expired));
        for done in [Declined, Expired, Ended, Transferred] {
            assert!(done.withdraw().is_err(), "{done:?}");
        }
    }

    #[test]
    fn commitments_have_bounds_and_a_national_default() {
        assert_eq!(
            Commitment::default(),
            Commitment {
                months: 6,
                monthly_amount: 500_000
            }
        );
        assert_eq!(
            Commitment::new(12, 750_000),
            Some(Commitment {
                months: 12,
                monthly_amount: 750_000
            })
        );
        assert_eq!(Commitment::new(0, 500_000), None);
        assert_eq!(Commitment::new(6, 5), None);
    }

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        assert_eq!(rupiah(500_000), "Rp 500.000");
        assert_eq!(rupiah(1_250_000), "Rp 1.250.000");
        assert_eq!(rupiah(950), "Rp 950");
    }

    #[test]
    fn statuses_round_trip() {
        for s in SponsorshipStatus::ALL {
            assert_eq!(SponsorshipStatus::parse(s.as_str()), Some(s));
        }
    }
}
