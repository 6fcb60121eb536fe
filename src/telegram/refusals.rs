//! Every typed refusal of the use cases turned into the words a person reads: the one place where a
//! refusal becomes a message (a locale key of `locales/`).

use crate::domain::Lang;
use crate::domain::confirmation::DraftError;
use crate::domain::delivery::{DeliveryStatus, RescheduleError};
use crate::domain::policy::Denied;
use crate::i18n::{Arg, t, tf};
use crate::services::{
    children, confirmations, deliveries, evidence, growth, people, programme, sponsorships,
};

/// The access policy said no.
pub fn denied(d: Denied) -> &'static str {
    match d {
        Denied::NoRole => "error-not-allowed",
        Denied::ProgrammeWide => "error-programme-wide",
        Denied::OutOfScope => "error-not-in-scope",
        Denied::NotYours => "error-not-yours",
    }
}

pub fn sponsorship(r: sponsorships::Refusal) -> &'static str {
    use sponsorships::Refusal as R;
    match r {
        R::Denied(d) => denied(d),
        R::NotFound | R::NotYours => "sponsorship-not-yours",
        R::AlreadyDecided(_) => "sponsorship-already-decided",
        R::ChildClosed => "child-closed",
        R::ChildTaken => "child-taken",
        R::NotASponsor => "not-an-approved-sponsor",
        R::SponsorFull => "sponsor-full",
        R::NoChildWaiting => "no-child-waiting",
    }
}

pub fn delivery(r: &deliveries::Refusal) -> &'static str {
    use deliveries::Refusal as R;
    match r {
        R::Denied(Denied::NotYours) | R::NotFound | R::NotYours => "delivery-not-yours",
        R::Denied(d) => denied(*d),
        R::Closed(DeliveryStatus::Confirmed) => "delivery-already-confirmed",
        R::Closed(_) => "delivery-closed",
        R::Reschedule(RescheduleError::InThePast) => "reschedule-in-the-past",
        R::Reschedule(RescheduleError::TooLate { .. }) => "reschedule-too-late",
        R::Reschedule(RescheduleError::ClashesWithNext { .. }) => "reschedule-clashes",
        R::Reschedule(RescheduleError::SameDay) => "reschedule-same-day",
        R::Reschedule(RescheduleError::NotOpen) => "delivery-closed",
    }
}

pub fn plan(r: deliveries::PlanRefusal) -> &'static str {
    match r {
        deliveries::PlanRefusal::Denied(d) => denied(d),
        deliveries::PlanRefusal::Unknown => "error-stale-button",
    }
}

pub fn child(r: children::Refusal) -> &'static str {
    match r {
        children::Refusal::Denied(d) => denied(d),
        children::Refusal::Unknown => "child-unknown",
        children::Refusal::Closed => "child-closed",
        children::Refusal::Invalid => "child-edit-invalid",
    }
}

pub fn invite(r: &people::InviteRefusal) -> &'static str {
    match r {
        people::InviteRefusal::Denied(d) => denied(*d),
        people::InviteRefusal::UnknownRegion => "region-unknown",
        people::InviteRefusal::NeedsDistrict => "invite-needs-district",
    }
}

pub fn revoke(r: people::RevokeRefusal) -> &'static str {
    match r {
        people::RevokeRefusal::Denied(d) => denied(d),
        people::RevokeRefusal::NotHeld => "error-stale-button",
    }
}

pub fn remove_region(r: programme::RemoveRefusal) -> &'static str {
    match r {
        programme::RemoveRefusal::Denied(d) => denied(d),
        programme::RemoveRefusal::HasChildren => "region-remove-has-children",
        programme::RemoveRefusal::UsedByPeople => "region-remove-in-use",
        programme::RemoveRefusal::Unknown => "region-unknown",
    }
}

pub fn commitment(r: programme::CommitmentRefusal) -> &'static str {
    match r {
        programme::CommitmentRefusal::Denied(d) => denied(d),
        programme::CommitmentRefusal::UnknownOffice => "office-unknown",
    }
}

pub fn default_plan(r: programme::DefaultRefusal) -> &'static str {
    match r {
        programme::DefaultRefusal::Denied(d) => denied(d),
        programme::DefaultRefusal::Unknown => "error-stale-button",
    }
}

pub fn growth(r: growth::Refusal) -> &'static str {
    match r {
        growth::Refusal::Denied(Denied::NoRole) => "measure-not-allowed",
        growth::Refusal::Denied(d) => denied(d),
        growth::Refusal::Unknown => "child-unknown",
        growth::Refusal::Closed => "child-closed",
    }
}

/// Evidence and cases outside the coordinator's area are "not found": a forged button learns nothing.
pub fn evidence(r: evidence::Refusal) -> &'static str {
    match r {
        evidence::Refusal::Denied(Denied::NoRole) => "error-not-allowed",
        evidence::Refusal::Denied(_) | evidence::Refusal::NotFound => "evidence-not-found",
        evidence::Refusal::NotConfirmed => "evidence-not-confirmed",
        evidence::Refusal::AlreadyResolved => "case-already-resolved",
    }
}

/// A step of a confirmation that cannot be taken yet.
pub fn draft(e: DraftError) -> &'static str {
    match e {
        DraftError::TooManyPhotos => "evidence-too-many-photos",
        DraftError::SamePhoto => "evidence-same-photo",
        DraftError::NoPhoto => "evidence-photo-first",
        DraftError::NoItemsMissing => "evidence-no-items",
        DraftError::NoProblem => "evidence-no-problem",
        DraftError::TooShort => "evidence-text-too-short",
        DraftError::TooLong => "evidence-text-too-long",
        DraftError::WrongStep => "error-stale-button",
    }
}

/// Why someone may not confirm a delivery, with who confirmed it already and when (in `zone`, the zone of
/// the child's region, named).
pub fn confirmation(lang: Lang, zone: chrono_tz::Tz, r: confirmations::Refusal) -> String {
    use confirmations::Refusal as R;
    match r {
        R::Denied(d) => t(lang, denied(d)),
        R::NotFound => t(lang, "delivery-not-yours"),
        R::NotYourChild => t(lang, "evidence-not-your-child"),
        R::OutsideArea(area) => tf(lang, "evidence-outside-area", &[("area", Arg::Text(&area))]),
        R::AlreadyConfirmed { by, at, .. } => {
            let when = crate::domain::region::local_time(at, zone, "%d-%m-%Y %H:%M");
            tf(
                lang,
                "delivery-confirmed-already",
                &[("by", Arg::Text(&by)), ("when", Arg::Text(&when))],
            )
        }
        R::Closed(_) => t(lang, "delivery-closed"),
        R::Incomplete(e) => t(lang, draft(e)),
    }
}
