//! The programme checks itself: the invariants that, broken, leave a child without help or a screen saying
//! something false. Each finding names what is wrong and what fixes it; `services::doctor` finds them, the
//! coordinator's digest lists them under "needs attention" with the button that fixes each, and
//! `asuh doctor` prints them on the server.

use super::DeliveryId;
use super::UserId;
use super::child::ChildId;
use super::sponsorship::SponsorshipId;

/// One invariant of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// A child marked sponsored has no live sponsorship.
    SponsoredWithoutSponsor,
    /// An active sponsorship has no upcoming delivery.
    SponsorshipWithoutDeliveries,
    /// An open delivery's deliverer cannot be reached: no volunteer serves the area, or the sponsor
    /// blocked the bot.
    DeliveryWithoutDeliverer,
    /// A child waits while a sponsor of the same kecamatan has a free place.
    WaitingWithSponsorFree,
    /// An offer or hold is past its expiry (the scheduler is not running).
    OfferPastExpiry,
    /// A case (items missing, package not received) has been open too long.
    CaseOpenTooLong,
}

impl Check {
    pub const ALL: [Check; 6] = [
        Check::SponsoredWithoutSponsor,
        Check::SponsorshipWithoutDeliveries,
        Check::DeliveryWithoutDeliverer,
        Check::WaitingWithSponsorFree,
        Check::OfferPastExpiry,
        Check::CaseOpenTooLong,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Check::SponsoredWithoutSponsor => "sponsored-without-sponsor",
            Check::SponsorshipWithoutDeliveries => "sponsorship-without-deliveries",
            Check::DeliveryWithoutDeliverer => "delivery-without-deliverer",
            Check::WaitingWithSponsorFree => "waiting-with-sponsor-free",
            Check::OfferPastExpiry => "offer-past-expiry",
            Check::CaseOpenTooLong => "case-open-too-long",
        }
    }
}

/// One thing that needs attention, with what a fix needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: Check,
    pub child: ChildId,
    pub child_name: String,
    pub sponsorship: Option<SponsorshipId>,
    pub sponsor: Option<UserId>,
    pub delivery: Option<DeliveryId>,
    pub case: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_listed_once_with_its_own_code() {
        let codes: std::collections::HashSet<&str> = Check::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), Check::ALL.len());
        for c in Check::ALL {
            // A new check must be added to ALL: this match has no wildcard.
            match c {
                Check::SponsoredWithoutSponsor
                | Check::SponsorshipWithoutDeliveries
                | Check::DeliveryWithoutDeliverer
                | Check::WaitingWithSponsorFree
                | Check::OfferPastExpiry
                | Check::CaseOpenTooLong => {}
            }
        }
    }
}
