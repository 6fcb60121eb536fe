//! Identifier newtypes, so that a user id is never passed where an office id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Telegram user id. In a private chat it is also the chat id, which is the only kind of chat asuh talks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl UserId {
    /// Parses a user id typed by a coordinator (`/cabut 123456`). Telegram user ids are positive.
    pub fn parse(s: &str) -> Option<Self> {
        s.trim().parse::<i64>().ok().filter(|n| *n > 0).map(Self)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An office (OPD) of the local government, as stored by asuh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OfficeId(pub i64);

/// One dated delivery of a sponsorship's package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeliveryId(pub i64);

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_positive_numbers() {
        assert_eq!(UserId::parse(" 42 "), Some(UserId(42)));
        assert_eq!(UserId::parse("0"), None);
        assert_eq!(UserId::parse("-5"), None);
        assert_eq!(UserId::parse("abc"), None);
    }
}
