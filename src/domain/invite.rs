//! Invitations that let volunteers join for an area through a `t.me/<bot>?start=<code>` link.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::distr::Alphanumeric;

/// The code in an invite link: 12 letters and digits, which fits Telegram's deep-link alphabet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InviteCode(String);

impl InviteCode {
    const LEN: usize = 12;

    pub fn generate() -> Self {
        Self(
            rand::rng()
                .sample_iter(&Alphanumeric)
                .take(Self::LEN)
                .map(char::from)
                .collect(),
        )
    }

    /// A code from a `/start` payload; anything else is not one of ours.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == Self::LEN && s.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn link(&self, bot_username: &str) -> String {
        format!("https://t.me/{bot_username}?start={}", self.0)
    }
}

/// What a coordinator may choose for an invite: validity 1–90 days, 1–500 uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InviteTerms {
    pub days: u16,
    pub max_uses: u16,
}

impl Default for InviteTerms {
    fn default() -> Self {
        Self {
            days: 7,
            max_uses: 20,
        }
    }
}

impl InviteTerms {
    pub fn parse(days: Option<&str>, uses: Option<&str>) -> Option<Self> {
        let d = Self::default();
        let days = days.map_or(Some(d.days), |s| {
            s.parse().ok().filter(|n| (1..=90).contains(n))
        })?;
        let max_uses = uses.map_or(Some(d.max_uses), |s| {
            s.parse().ok().filter(|n| (1..=500).contains(n))
        })?;
        Some(Self { days, max_uses })
    }

    pub fn expires_at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + Duration::days(i64::from(self.days))
    }
}

/// An invite as stored, and the only question asked of it: may it be used now?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteState {
    pub expires_at: DateTime<Utc>,
    pub max_uses: i64,
    pub uses: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    Unknown,
    Expired,
    UsedUp,
    Revoked,
}

impl InviteState {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), InviteProblem> {
        if self.revoked {
            Err(InviteProblem::Revoked)
        } else if now >= self.expires_at {
            Err(InviteProblem::Expired)
        } else if self.uses >= self.max_uses {
            Err(InviteProblem::UsedUp)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn generated_codes_parse_and_differ() {
        let a = InviteCode::generate();
        let b = InviteCode::generate();
        assert_ne!(a, b);
        assert_eq!(InviteCode::parse(a.as_str()), Some(a.clone()));
        assert_eq!(
            a.link("asuh_bot"),
            format!("https://t.me/asuh_bot?start={}", a.as_str())
        );
        assert_eq!(InviteCode::parse("short"), None);
        assert_eq!(InviteCode::parse("abc-def_ghij"), None);
    }

    #[test]
    fn terms_have_bounds_and_defaults() {
        assert_eq!(
            InviteTerms::parse(None, None),
            Some(InviteTerms {
                days: 7,
                max_uses: 20
            })
        );
        assert_eq!(
            InviteTerms::parse(Some("30"), Some("5")),
            Some(InviteTerms {
                days: 30,
                max_uses: 5
            })
        );
        assert_eq!(InviteTerms::parse(Some("0"), None), None);
        assert_eq!(InviteTerms::parse(Some("91"), None), None);
        assert_eq!(InviteTerms::parse(None, Some("501")), None);
        assert_eq!(InviteTerms::parse(Some("x"), None), None);
    }

    #[test]
    fn an_invite_is_usable_until_it_expires_or_runs_out() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
            .single()
            .expect("date");
        let state = InviteState {
            expires_at: now + Duration::days(1),
            max_uses: 2,
            uses: 1,
            revoked: false,
        };
        assert_eq!(state.check(now), Ok(()));
        assert_eq!(
            state.check(now + Duration::days(1)),
            Err(InviteProblem::Expired)
        );
        assert_eq!(
            InviteState {
                uses: 2,
                ..state.clone()
            }
            .check(now),
            Err(InviteProblem::UsedUp)
        );
        assert_eq!(
            InviteState {
                revoked: true,
                ..state
            }
            .check(now),
            Err(InviteProblem::Revoked)
        );
    }
}
