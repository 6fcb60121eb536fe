//! Who a user is to asuh. One person may hold several roles at once (an official who coordinates and also
//! sponsors a child); menus and permissions follow the union.

use super::region::RegionCode;
use serde::{Deserialize, Serialize};

/// The roles that have their own command menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Sponsor,
    Volunteer,
    Coordinator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sponsor => "sponsor",
            Role::Volunteer => "volunteer",
            Role::Coordinator => "coordinator",
        }
    }
}

/// The area a coordinator oversees: everything, or one regency/district and what lies inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Region(RegionCode),
}

impl Scope {
    pub fn from_code(code: Option<RegionCode>) -> Self {
        code.map_or(Scope::All, Scope::Region)
    }

    pub fn code(&self) -> Option<&RegionCode> {
        match self {
            Scope::All => None,
            Scope::Region(c) => Some(c),
        }
    }

    pub fn covers(&self, region: &RegionCode) -> bool {
        match self {
            Scope::All => true,
            Scope::Region(own) => own.contains(region),
        }
    }

    /// Whether this scope reaches at least as far as `other` (a coordinator may only manage coordinators
    /// whose scope lies within their own).
    pub fn encloses(&self, other: &Scope) -> bool {
        match (self, other) {
            (Scope::All, _) => true,
            (Scope::Region(_), Scope::All) => false,
            (Scope::Region(a), Scope::Region(b)) => a.contains(b),
        }
    }
}

/// Where a sponsor's registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SponsorStatus {
    Pending,
    Approved,
    Rejected,
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} registration cannot become {to:?}")]
pub struct TransitionError {
    pub from: SponsorStatus,
    pub to: SponsorStatus,
}

impl SponsorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }

    fn to(self, to: Self, allowed: bool) -> Result<Self, TransitionError> {
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }

    /// A coordinator's decision applies to a pending registration only: a second press of the button,
    /// or a second coordinator, finds it decided already.
    pub fn approve(self) -> Result<Self, TransitionError> {
        self.to(Self::Approved, self == Self::Pending)
    }

    pub fn reject(self) -> Result<Self, TransitionError> {
        self.to(Self::Rejected, self == Self::Pending)
    }

    /// Only an approved sponsor holds a role to revoke; a pending one is rejected instead.
    pub fn revoke(self) -> Result<Self, TransitionError> {
        self.to(Self::Revoked, self == Self::Approved)
    }

    /// Whether the user may (re)submit a registration. An approved sponsor is registered already and a
    /// pending one waits for a decision; someone rejected or revoked may try again.
    pub fn may_register(status: Option<Self>) -> bool {
        !matches!(status, Some(Self::Pending | Self::Approved))
    }
}

/// Everything asuh knows about a user's roles, loaded once per update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    pub coordinator: Option<Scope>,
    pub sponsor: Option<SponsorStatus>,
    pub volunteer: Option<RegionCode>,
}

impl Roles {
    /// The roles whose commands this user may use, in menu order.
    pub fn active(&self) -> Vec<Role> {
        let mut roles = Vec::new();
        if self.sponsor == Some(SponsorStatus::Approved) {
            roles.push(Role::Sponsor);
        }
        if self.volunteer.is_some() {
            roles.push(Role::Volunteer);
        }
        if self.coordinator.is_some() {
            roles.push(Role::Coordinator);
        }
        roles
    }

    pub fn has(&self, role: Role) -> bool {
        self.active().contains(&role)
    }

    /// Someone with no role and no registration under way: `/start` asks them who they are.
    pub fn is_newcomer(&self) -> bool {
        self.active().is_empty() && self.sponsor != Some(SponsorStatus::Pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid code")
    }

    #[test]
    fn decisions_apply_to_pending_registrations_only() {
        assert_eq!(
            SponsorStatus::Pending.approve(),
            Ok(SponsorStatus::Approved)
        );
        assert_eq!(SponsorStatus::Pending.reject(), Ok(SponsorStatus::Rejected));
        assert!(SponsorStatus::Approved.approve().is_err());
        assert!(SponsorStatus::Rejected.approve().is_err());
        assert!(SponsorStatus::Approved.reject().is_err());
        assert_eq!(SponsorStatus::Approved.revoke(), Ok(SponsorStatus::Revoked));
        assert!(SponsorStatus::Pending.revoke().is_err());
    }

    #[test]
    fn who_may_register_again() {
        assert!(SponsorStatus::may_register(None));
        assert!(SponsorStatus::may_register(Some(SponsorStatus::Rejected)));
        assert!(SponsorStatus::may_register(Some(SponsorStatus::Revoked)));
        assert!(!SponsorStatus::may_register(Some(SponsorStatus::Pending)));
        assert!(!SponsorStatus::may_register(Some(SponsorStatus::Approved)));
    }

    #[test]
    fn scopes_cover_what_lies_inside() {
        let kota = Scope::Region(code("74.71"));
        assert!(kota.covers(&code("74.71.01")));
        assert!(!kota.covers(&code("74.05.01")));
        assert!(Scope::All.covers(&code("74.05.01")));
        assert!(Scope::All.encloses(&kota));
        assert!(kota.encloses(&Scope::Region(code("74.71.02"))));
        assert!(!kota.encloses(&Scope::All));
    }

    #[test]
    fn active_roles_need_an_approved_registration() {
        let pending = Roles {
            sponsor: Some(SponsorStatus::Pending),
            ..Roles::default()
        };
        assert!(pending.active().is_empty());
        assert!(!pending.is_newcomer());
        let both = Roles {
            sponsor: Some(SponsorStatus::Approved),
            coordinator: Some(Scope::All),
            volunteer: None,
        };
        assert_eq!(both.active(), vec![Role::Sponsor, Role::Coordinator]);
        assert!(Roles::default().is_newcomer());
    }
}
