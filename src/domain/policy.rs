//! Who may do what. One function, [`check`], decides whether an actor — a user with the roles they hold in
//! the transaction of the action — may perform an action on its subject. Every use case in `services`
//! asks it before it shows or changes anything, for commands, buttons and files alike; handlers never
//! decide it themselves.
//!
//! **Programme-wide settings** ([`Setting`]: packages, cadences, offices and their commitments, the
//! programme's own default plan) are changed only by a coordinator of the whole programme. **A coordinator
//! scoped to a region** owns what lies inside it: its regions, invites and default plans (choosing among the
//! programme's packages and cadences), its children and their sponsorships, deliveries, evidence, cases and
//! measurements, the sponsors and volunteers registered there, matching, reports and digests. Nothing a
//! scoped coordinator does reaches another region: a child is offered only to a sponsor of the same scope.
//!
//! **A sponsor** acts on their own sponsorships only, and only while approved: a revoked sponsor may do
//! nothing a sponsor does. **A volunteer** measures and confirms inside the kecamatan or village they serve.

use super::UserId;
use super::region::RegionCode;
use super::role::{Roles, Scope, SponsorStatus};

/// Someone acting: who, and the roles they hold now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub roles: Roles,
}

/// Where a child lives: their kecamatan and, when known, their village.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub kecamatan: &'a RegionCode,
    pub village: Option<&'a RegionCode>,
}

impl<'a> Place<'a> {
    pub fn new(kecamatan: &'a RegionCode, village: Option<&'a RegionCode>) -> Self {
        Self { kecamatan, village }
    }

    /// Whether `area` (a volunteer's kecamatan or village) holds this place.
    pub fn within(&self, area: &RegionCode) -> bool {
        area.contains(self.kecamatan) || self.village.is_some_and(|v| area.contains(v))
    }
}

/// A setting that holds for the whole programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Packages,
    Cadences,
    Offices,
    Commitments,
    /// The default package, cadence and deliverer of the programme (regions may have their own).
    ProgrammeDefaultPlan,
}

/// What someone wants to do, with what the decision needs to know of its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Change a setting of the whole programme.
    ChangeProgramme(Setting),
    /// Work of a coordinator over their own area: the lists, the digest, matching, reports of it.
    Coordinate,
    /// Set up, rename or remove a region, invite volunteers to it, set its default plan, report on it.
    ManageRegion(&'a RegionCode),
    /// See or change a child's record and case, their sponsorship's plan, their deliveries' evidence and
    /// cases (a coordinator's work).
    ManageChild(Place<'a>),
    /// Decide a sponsor's registration, see their details, revoke them (`area`: their kecamatan).
    ManageSponsor(&'a RegionCode),
    /// See or revoke a volunteer (`area`: the kecamatan or village they serve).
    ManageVolunteer(&'a RegionCode),
    /// Revoke a coordinator: one whose scope lies within one's own, never oneself.
    ManageCoordinator { user: UserId, scope: &'a Scope },
    /// Offer a child to a sponsor, by hand, by transfer or by matching: both must lie in one's scope.
    Offer {
        child: Place<'a>,
        sponsor: &'a RegionCode,
    },
    /// Measure a child and see their growth card.
    Measure(Place<'a>),
    /// See a child's growth lines and chart: whoever may measure them, and their active sponsor.
    SeeGrowth {
        child: Place<'a>,
        sponsor: Option<UserId>,
    },
    /// Confirm a delivery: its sponsor, a volunteer of the child's area, a coordinator of it.
    Confirm { child: Place<'a>, sponsor: UserId },
    /// A sponsor's own sponsorship or offer and its deliveries: answer, end, reschedule, skip, see.
    Sponsorship { sponsor: UserId },
    /// Ask for a child to sponsor.
    RequestChild,
}

/// As what someone acts (a confirmation records it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    Sponsor,
    Volunteer,
    Coordinator,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("no role that may do this")]
    NoRole,
    #[error("a setting of the whole programme")]
    ProgrammeWide,
    #[error("outside the actor's area")]
    OutOfScope,
    #[error("not the actor's own")]
    NotYours,
}

impl Actor {
    fn scope(&self) -> Result<&Scope, Denied> {
        self.roles.coordinator.as_ref().ok_or(Denied::NoRole)
    }

    fn approved_sponsor(&self) -> bool {
        self.roles.sponsor == Some(SponsorStatus::Approved)
    }

    /// As a coordinator whose scope covers `region`.
    fn covering(&self, region: &RegionCode) -> Result<Capacity, Denied> {
        if self.scope()?.covers(region) {
            Ok(Capacity::Coordinator)
        } else {
            Err(Denied::OutOfScope)
        }
    }

    /// As whoever may measure a child at `place`: a volunteer of it, else a coordinator covering it.
    fn measuring(&self, place: Place<'_>) -> Result<Capacity, Denied> {
        if self
            .roles
            .volunteer
            .as_ref()
            .is_some_and(|a| place.within(a))
        {
            return Ok(Capacity::Volunteer);
        }
        match (&self.roles.coordinator, &self.roles.volunteer) {
            (Some(scope), _) if scope.covers(place.kecamatan) => Ok(Capacity::Coordinator),
            (Some(_), _) | (None, Some(_)) => Err(Denied::OutOfScope),
            (None, None) => Err(Denied::NoRole),
        }
    }

    /// As the approved sponsor `owner`.
    fn owning(&self, owner: UserId) -> Result<Capacity, Denied> {
        if !self.approved_sponsor() {
            Err(Denied::NoRole)
        } else if self.user != owner {
            Err(Denied::NotYours)
        } else {
            Ok(Capacity::Sponsor)
        }
    }
}

impl Actor {
    /// The server's operator on the command line (`asuh import`, `asuh admin`): a coordinator of
    /// everything who is nobody in the chat.
    pub fn operator() -> Self {
        Self {
            user: UserId(0),
            roles: Roles {
                coordinator: Some(Scope::All),
                ..Roles::default()
            },
        }
    }

    /// Who the audit log names: nobody for the operator.
    pub fn recorded(&self) -> Option<UserId> {
        (self.user.0 > 0).then_some(self.user)
    }

    /// The area within which the actor may measure children (what [`Action::Measure`] allows), for
    /// listing them: `Some(None)` everywhere, `Some(Some(area))` inside it, `None` nowhere.
    pub fn measuring_area(&self) -> Option<Option<RegionCode>> {
        if let Some(scope) = &self.roles.coordinator {
            return Some(scope.code().cloned());
        }
        self.roles.volunteer.clone().map(Some)
    }
}

/// Whether `actor` may do `action` now, and in which capacity.
pub fn check(actor: &Actor, action: Action<'_>) -> Result<Capacity, Denied> {
    match action {
        Action::ChangeProgramme(_) => match actor.scope()? {
            Scope::All => Ok(Capacity::Coordinator),
            Scope::Region(_) => Err(Denied::ProgrammeWide),
        },
        Action::Coordinate => actor.scope().map(|_| Capacity::Coordinator),
        Action::ManageRegion(region)
        | Action::ManageSponsor(region)
        | Action::ManageVolunteer(region) => actor.covering(region),
        Action::ManageChild(place) => actor.covering(place.kecamatan),
        Action::ManageCoordinator { user, scope } => {
            if !actor.scope()?.encloses(scope) {
                Err(Denied::OutOfScope)
            } else if user == actor.user {
                Err(Denied::NotYours)
            } else {
                Ok(Capacity::Coordinator)
            }
        }
        Action::Offer { child, sponsor } => {
            actor.covering(child.kecamatan)?;
            actor.covering(sponsor)
        }
        Action::Measure(place) => actor.measuring(place),
        Action::SeeGrowth { child, sponsor } => match sponsor {
            Some(owner) if owner == actor.user && actor.approved_sponsor() => Ok(Capacity::Sponsor),
            _ => actor.measuring(child),
        },
        Action::Confirm { child, sponsor } => {
            if sponsor == actor.user && actor.approved_sponsor() {
                Ok(Capacity::Sponsor)
            } else {
                actor.measuring(child).map_err(|denied| {
                    // A sponsor who is not this child's is told it is not theirs.
                    if denied == Denied::NoRole && actor.approved_sponsor() {
                        Denied::NotYours
                    } else {
                        denied
                    }
                })
            }
        }
        Action::Sponsorship { sponsor } => actor.owning(sponsor),
        Action::RequestChild => {
            if actor.approved_sponsor() {
                Ok(Capacity::Sponsor)
            } else {
                Err(Denied::NoRole)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    fn actor(id: i64, roles: Roles) -> Actor {
        Actor {
            user: UserId(id),
            roles,
        }
    }

    fn coordinator(id: i64, scope: Scope) -> Actor {
        actor(
            id,
            Roles {
                coordinator: Some(scope),
                ..Roles::default()
            },
        )
    }

    fn sponsor(id: i64, status: SponsorStatus) -> Actor {
        actor(
            id,
            Roles {
                sponsor: Some(status),
                ..Roles::default()
            },
        )
    }

    fn volunteer(id: i64, area: &str) -> Actor {
        actor(
            id,
            Roles {
                volunteer: Some(code(area)),
                ..Roles::default()
            },
        )
    }

    #[test]
    fn programme_settings_belong_to_a_coordinator_of_everything() {
        let all = coordinator(1, Scope::All);
        let mandonga = coordinator(2, Scope::Region(code("74.71.01")));
        for s in [
            Setting::Packages,
            Setting::Cadences,
            Setting::Offices,
            Setting::Commitments,
            Setting::ProgrammeDefaultPlan,
        ] {
            assert_eq!(
                check(&all, Action::ChangeProgramme(s)),
                Ok(Capacity::Coordinator)
            );
            assert_eq!(
                check(&mandonga, Action::ChangeProgramme(s)),
                Err(Denied::ProgrammeWide)
            );
            assert_eq!(
                check(
                    &sponsor(3, SponsorStatus::Approved),
                    Action::ChangeProgramme(s)
                ),
                Err(Denied::NoRole)
            );
        }
    }

    #[test]
    fn a_scoped_coordinator_acts_inside_the_scope_only() {
        let mandonga = coordinator(2, Scope::Region(code("74.71.01")));
        let inside = code("74.71.01");
        let village = code("74.71.01.1001");
        let kadia = code("74.71.08");
        assert!(check(&mandonga, Action::ManageRegion(&village)).is_ok());
        assert_eq!(
            check(&mandonga, Action::ManageRegion(&kadia)),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            check(&mandonga, Action::ManageRegion(&code("74.71"))),
            Err(Denied::OutOfScope)
        );
        assert!(
            check(
                &mandonga,
                Action::ManageChild(Place::new(&inside, Some(&village)))
            )
            .is_ok()
        );
        assert_eq!(
            check(&mandonga, Action::ManageChild(Place::new(&kadia, None))),
            Err(Denied::OutOfScope)
        );
        assert!(check(&mandonga, Action::ManageSponsor(&inside)).is_ok());
        assert_eq!(
            check(&mandonga, Action::ManageSponsor(&kadia)),
            Err(Denied::OutOfScope)
        );
    }

    #[test]
    fn an_offer_needs_both_the_child_and_the_sponsor_in_scope() {
        let mandonga = coordinator(2, Scope::Region(code("74.71.01")));
        let inside = code("74.71.01");
        let kadia = code("74.71.08");
        let here = Place::new(&inside, None);
        assert!(
            check(
                &mandonga,
                Action::Offer {
                    child: here,
                    sponsor: &inside
                }
            )
            .is_ok()
        );
        assert_eq!(
            check(
                &mandonga,
                Action::Offer {
                    child: here,
                    sponsor: &kadia
                }
            ),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            check(
                &mandonga,
                Action::Offer {
                    child: Place::new(&kadia, None),
                    sponsor: &inside
                }
            ),
            Err(Denied::OutOfScope)
        );
    }

    #[test]
    fn coordinators_are_managed_from_above_and_never_by_themselves() {
        let kota = coordinator(1, Scope::Region(code("74.71")));
        let below = Scope::Region(code("74.71.01"));
        assert!(
            check(
                &kota,
                Action::ManageCoordinator {
                    user: UserId(9),
                    scope: &below
                }
            )
            .is_ok()
        );
        assert_eq!(
            check(
                &kota,
                Action::ManageCoordinator {
                    user: UserId(9),
                    scope: &Scope::All
                }
            ),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            check(
                &kota,
                Action::ManageCoordinator {
                    user: UserId(1),
                    scope: &below
                }
            ),
            Err(Denied::NotYours)
        );
    }

    #[test]
    fn only_an_approved_sponsor_acts_on_their_own_sponsorships() {
        let ani = sponsor(7, SponsorStatus::Approved);
        assert_eq!(
            check(&ani, Action::Sponsorship { sponsor: UserId(7) }),
            Ok(Capacity::Sponsor)
        );
        assert_eq!(
            check(&ani, Action::Sponsorship { sponsor: UserId(8) }),
            Err(Denied::NotYours)
        );
        for status in [
            SponsorStatus::Revoked,
            SponsorStatus::Pending,
            SponsorStatus::Rejected,
        ] {
            let gone = sponsor(7, status);
            assert_eq!(
                check(&gone, Action::Sponsorship { sponsor: UserId(7) }),
                Err(Denied::NoRole)
            );
            assert_eq!(check(&gone, Action::RequestChild), Err(Denied::NoRole));
        }
        assert_eq!(check(&ani, Action::RequestChild), Ok(Capacity::Sponsor));
    }

    #[test]
    fn growth_and_confirmations_follow_the_place_and_the_sponsorship() {
        let kec = code("74.71.02");
        let benua = code("74.71.02.1001");
        let sodohoa = code("74.71.02.1002");
        let child = Place::new(&kec, Some(&benua));
        let village_volunteer = volunteer(3, "74.71.02.1001");
        let other_village = volunteer(4, "74.71.02.1002");
        let kec_volunteer = volunteer(5, "74.71.02");
        assert_eq!(
            check(&village_volunteer, Action::Measure(child)),
            Ok(Capacity::Volunteer)
        );
        assert_eq!(
            check(&kec_volunteer, Action::Measure(child)),
            Ok(Capacity::Volunteer)
        );
        assert_eq!(
            check(&other_village, Action::Measure(child)),
            Err(Denied::OutOfScope)
        );
        assert_eq!(
            check(
                &other_village,
                Action::Measure(Place::new(&kec, Some(&sodohoa)))
            ),
            Ok(Capacity::Volunteer)
        );
        let ani = sponsor(7, SponsorStatus::Approved);
        assert_eq!(check(&ani, Action::Measure(child)), Err(Denied::NoRole));
        let see = |sponsor| Action::SeeGrowth { child, sponsor };
        assert_eq!(check(&ani, see(Some(UserId(7)))), Ok(Capacity::Sponsor));
        assert_eq!(check(&ani, see(Some(UserId(8)))), Err(Denied::NoRole));
        assert_eq!(
            check(&sponsor(7, SponsorStatus::Revoked), see(Some(UserId(7)))),
            Err(Denied::NoRole)
        );
        let confirm = |sponsor| Action::Confirm { child, sponsor };
        assert_eq!(check(&ani, confirm(UserId(7))), Ok(Capacity::Sponsor));
        assert_eq!(check(&ani, confirm(UserId(8))), Err(Denied::NotYours));
        assert_eq!(
            check(&sponsor(7, SponsorStatus::Revoked), confirm(UserId(7))),
            Err(Denied::NoRole)
        );
        assert_eq!(
            check(&village_volunteer, confirm(UserId(7))),
            Ok(Capacity::Volunteer)
        );
        assert_eq!(
            check(&coordinator(1, Scope::All), confirm(UserId(7))),
            Ok(Capacity::Coordinator)
        );
        assert_eq!(
            check(&actor(9, Roles::default()), confirm(UserId(7))),
            Err(Denied::NoRole)
        );
    }
}
