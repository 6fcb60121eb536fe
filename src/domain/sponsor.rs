//! A sponsor's registration and the validated values it is made of.

use super::ids::OfficeId;
use super::region::RegionCode;
use serde::{Deserialize, Serialize};

/// Why a value typed by a user was refused; each maps to one localized message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("a name is 3 to 100 letters")]
    Name,
    #[error("a phone number is 8 to 15 digits")]
    Phone,
    #[error("a capacity is a whole number from 1 to 20")]
    Capacity,
}

/// A person's full name as they typed it: 3–100 characters, letters with spaces and the punctuation names
/// carry (`Hj. Siti Nur'aini, S.Pd.`), at least two letters, never a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = s.chars().count();
        // Offices' lists also carry nicknames in quotes, brackets and the odd semicolon: harmless
        // characters (escaped wherever a name is shown or written), not reasons to lose a child.
        let allowed = |c: char| c.is_alphabetic() || " .,'-`’\"();".contains(c);
        let letters = s.chars().filter(|c| c.is_alphabetic()).count();
        if (3..=100).contains(&len) && letters >= 2 && s.chars().all(allowed) {
            Ok(Self(s))
        } else {
            Err(InputError::Name)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = InputError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PersonName> for String {
    fn from(n: PersonName) -> String {
        n.0
    }
}

/// A phone number in international form (`+6281234567890`). Telegram hands contacts over with or without
/// the `+`; Indonesian numbers typed locally (`0812…`) are turned into `+62812…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(s: &str) -> Result<Self, InputError> {
        let cleaned: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InputError::Phone);
        }
        let international = match digits.strip_prefix('0') {
            Some(local) => format!("62{local}"),
            None => digits.to_owned(),
        };
        if (8..=15).contains(&international.len()) {
            Ok(Self(format!("+{international}")))
        } else {
            Err(InputError::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = InputError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// How many children a sponsor takes on: 1 to 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Capacity(u8);

impl Capacity {
    pub const MAX: u8 = 20;

    pub fn new(n: i64) -> Result<Self, InputError> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
            .ok_or(InputError::Capacity)
    }

    pub fn parse(s: &str) -> Result<Self, InputError> {
        s.trim()
            .parse::<i64>()
            .map_err(|_| InputError::Capacity)
            .and_then(Self::new)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Capacity {
    type Error = InputError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Self::new(i64::from(n))
    }
}

impl From<Capacity> for u8 {
    fn from(c: Capacity) -> u8 {
        c.0
    }
}

/// Whom a sponsor sponsors for: an office (OPD) of the local government, or themselves as a community member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Affiliation {
    Office(OfficeId),
    Community,
}

impl Affiliation {
    pub fn office(self) -> Option<OfficeId> {
        match self {
            Affiliation::Office(id) => Some(id),
            Affiliation::Community => None,
        }
    }
}

/// The area a sponsor wants to help: a district (kecamatan), optionally narrowed to one village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub kecamatan: RegionCode,
    pub village: Option<RegionCode>,
}

impl Area {
    /// The most precise region of the area.
    pub fn region(&self) -> &RegionCode {
        self.village.as_ref().unwrap_or(&self.kecamatan)
    }
}

/// A complete registration, ready to be confirmed and submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub name: PersonName,
    pub phone: Phone,
    pub affiliation: Affiliation,
    pub area: Area,
    pub capacity: Capacity,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_people_really_have() {
        for ok in [
            "Budi",
            "Hj. Siti Nur'aini",
            "Andi Muh. Fadli, S.Pd.",
            "  La   Ode  Ali ",
        ] {
            assert!(PersonName::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            PersonName::parse("  La   Ode  Ali ").map(String::from),
            Ok("La Ode Ali".into())
        );
    }

    #[test]
    fn names_refused() {
        for bad in [
            "",
            "Bo",
            "12345",
            "/start",
            "Budi 😀",
            &"a".repeat(101),
            "...",
        ] {
            assert_eq!(PersonName::parse(bad), Err(InputError::Name), "{bad}");
        }
    }

    #[test]
    fn phones_normalised_to_international_form() {
        assert_eq!(
            Phone::parse("6281234567890").map(String::from),
            Ok("+6281234567890".into())
        );
        assert_eq!(
            Phone::parse("+62 812-3456-7890").map(String::from),
            Ok("+6281234567890".into())
        );
        assert_eq!(
            Phone::parse("081234567890").map(String::from),
            Ok("+6281234567890".into())
        );
        assert!(Phone::parse("12ab").is_err());
        assert!(Phone::parse("+123").is_err());
        assert!(Phone::parse("+1234567890123456").is_err());
    }

    #[test]
    fn capacity_bounds() {
        assert_eq!(Capacity::parse("1").map(Capacity::get), Ok(1));
        assert_eq!(Capacity::parse(" 20 ").map(Capacity::get), Ok(20));
        for bad in ["0", "21", "500", "-1", "two", "", "1.5"] {
            assert_eq!(Capacity::parse(bad), Err(InputError::Capacity), "{bad}");
        }
    }

    #[test]
    fn registrations_round_trip_through_json() {
        let r = Registration {
            name: PersonName::parse("Budi Santoso").expect("name"),
            phone: Phone::parse("+6281234567890").expect("phone"),
            affiliation: Affiliation::Office(OfficeId(3)),
            area: Area {
                kecamatan: RegionCode::parse("74.71.01").expect("code"),
                village: None,
            },
            capacity: Capacity::new(2).expect("capacity"),
        };
        let json = serde_json::to_string(&r).expect("serialize");
        assert_eq!(
            serde_json::from_str::<Registration>(&json).expect("deserialize"),
            r
        );
        let tampered = json.replace("\"capacity\":2", "\"capacity\":99");
        assert!(serde_json::from_str::<Registration>(&tampered).is_err());
    }
}
