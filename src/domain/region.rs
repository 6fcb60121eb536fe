//! Regions with Kemendagri codes: province `74`, regency/city `74.71`, district (kecamatan) `74.71.01`,
//! village (kelurahan/desa) `74.71.01.1001`. The code itself says the level and the parent, so lists from
//! different offices agree and scoping is a prefix test.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    Province,
    Regency,
    District,
    Village,
}

impl RegionLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Regency => "regency",
            Self::District => "district",
            Self::Village => "village",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(Self::Province),
            "regency" => Some(Self::Regency),
            "district" => Some(Self::District),
            "village" => Some(Self::Village),
            _ => None,
        }
    }
}

/// A valid Kemendagri region code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a Kemendagri region code (expected 74, 74.71, 74.71.01 or 74.71.01.1001)")]
pub struct InvalidRegionCode;

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, InvalidRegionCode> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('.').collect();
        let widths: &[usize] = match parts.len() {
            1 => &[2],
            2 => &[2, 2],
            3 => &[2, 2, 2],
            4 => &[2, 2, 2, 4],
            _ => return Err(InvalidRegionCode),
        };
        let ok = parts
            .iter()
            .zip(widths)
            .all(|(p, w)| p.len() == *w && p.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidRegionCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        match self.0.matches('.').count() {
            0 => RegionLevel::Province,
            1 => RegionLevel::Regency,
            2 => RegionLevel::District,
            _ => RegionLevel::Village,
        }
    }

    /// The code one level up (`74.71.01` → `74.71`); a province has none.
    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rfind('.').map(|i| Self(self.0[..i].to_owned()))
    }

    /// Whether `other` is this region or lies inside it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0 == self.0
            || (other.0.starts_with(&self.0) && other.0.as_bytes().get(self.0.len()) == Some(&b'.'))
    }
}

impl TryFrom<String> for RegionCode {
    type Error = InvalidRegionCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A character a name must not hold because nobody sees it: a control character (NUL, BEL, the C1 range…)
/// or one of the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
/// reorder the text around them on screen and in files ("Trojan Source").
pub fn is_hidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` holds a [hidden character](is_hidden_char) once its whitespace is folded (tabs and line
/// breaks are whitespace, which a name may hold and loses).
pub fn has_hidden_chars(s: &str) -> bool {
    s.split_whitespace()
        .flat_map(str::chars)
        .any(is_hidden_char)
}

/// A region's name (also an office's): 2–80 characters, one line, no [hidden character](is_hidden_char).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionName(String);

impl RegionName {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = s.chars().count();
        ((2..=80).contains(&n) && !s.starts_with('/') && !has_hidden_chars(&s)).then_some(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Indonesia's three time zones, by the names people use.
pub fn parse_zone(s: &str) -> Option<Tz> {
    match s.to_ascii_uppercase().as_str() {
        "WIB" => Some(chrono_tz::Asia::Jakarta),
        "WITA" => Some(chrono_tz::Asia::Makassar),
        "WIT" => Some(chrono_tz::Asia::Jayapura),
        _ => s.parse().ok(),
    }
}

/// The short name of a zone for people (`WITA`), falling back to the IANA name.
pub fn zone_label(tz: Tz) -> &'static str {
    match tz {
        chrono_tz::Asia::Jakarta | chrono_tz::Asia::Pontianak => "WIB",
        chrono_tz::Asia::Makassar => "WITA",
        chrono_tz::Asia::Jayapura => "WIT",
        other => other.name(),
    }
}

/// A moment as a person reads it: in `tz` (the zone of the region concerned, from
/// `services::deliveries::zone_of`), formatted with `fmt` (chrono's, e.g. `"%d-%m-%Y %H:%M"`), then the
/// zone named: `"03-12-2026 12:33 WITA"`.
pub fn local_time(at: DateTime<Utc>, tz: Tz, fmt: &str) -> String {
    format!("{} {}", at.with_timezone(&tz).format(fmt), zone_label(tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid code")
    }

    #[test]
    fn parses_every_level() {
        assert_eq!(code("74").level(), RegionLevel::Province);
        assert_eq!(code("74.71").level(), RegionLevel::Regency);
        assert_eq!(code("74.71.01").level(), RegionLevel::District);
        assert_eq!(code(" 74.71.01.1001 ").level(), RegionLevel::Village);
    }

    #[test]
    fn refuses_malformed_codes() {
        for bad in [
            "",
            "7",
            "747",
            "74.7",
            "74.71.1",
            "74.71.01.101",
            "74.71.01.1001.1",
            "ab.cd",
            "74-71",
            "74..71",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn parents_walk_up() {
        assert_eq!(code("74.71.01.1001").parent(), Some(code("74.71.01")));
        assert_eq!(code("74.71").parent(), Some(code("74")));
        assert_eq!(code("74").parent(), None);
    }

    #[test]
    fn containment_respects_code_boundaries() {
        assert!(code("74.71").contains(&code("74.71.01.1001")));
        assert!(code("74.71").contains(&code("74.71")));
        assert!(!code("74.71.01").contains(&code("74.71")));
        assert!(!code("74.71.01").contains(&code("74.71.02.1001")));
    }

    #[test]
    fn zones_by_local_name() {
        assert_eq!(parse_zone("wita"), Some(chrono_tz::Asia::Makassar));
        assert_eq!(parse_zone("WIT"), Some(chrono_tz::Asia::Jayapura));
        assert_eq!(parse_zone("Asia/Jakarta"), Some(chrono_tz::Asia::Jakarta));
        assert_eq!(parse_zone("Mars"), None);
        assert_eq!(zone_label(chrono_tz::Asia::Makassar), "WITA");
    }

    #[test]
    fn a_moment_reads_in_the_zone_given_and_names_it() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T04:33:00Z")
            .expect("a moment")
            .with_timezone(&Utc);
        let fmt = "%d-%m-%Y %H:%M";
        assert_eq!(
            local_time(at, chrono_tz::Asia::Makassar, fmt),
            "07-12-2026 12:33 WITA"
        );
        assert_eq!(
            local_time(at, chrono_tz::Asia::Jakarta, fmt),
            "07-12-2026 11:33 WIB"
        );
        assert_eq!(
            local_time(at, chrono_tz::Asia::Jayapura, "%H:%M"),
            "13:33 WIT"
        );
    }

    #[test]
    fn region_names_are_one_trimmed_line() {
        assert_eq!(
            RegionName::parse("  Kendari   Barat ").map(|n| n.as_str().to_owned()),
            Some("Kendari Barat".into())
        );
        assert!(RegionName::parse("K").is_none());
        assert!(RegionName::parse("/start").is_none());
        assert_eq!(
            RegionName::parse("Kendari\tBarat\r\n").map(|n| n.as_str().to_owned()),
            Some("Kendari Barat".into()),
            "whitespace is folded, not refused"
        );
    }

    #[test]
    fn region_names_with_hidden_characters_are_refused() {
        for bad in [
            "Bad\u{0}Name",
            "Bell\u{7}Name",
            "Del\u{7F}Name",
            "C1\u{9B}x",
            "Esc\u{1B}[31m",
            "Bad\u{202A}Name",
            "Bad\u{202E}Name",
            "Bad\u{2066}Name",
            "Bad\u{2069}Name",
        ] {
            assert!(RegionName::parse(bad).is_none(), "{bad:?}");
            assert!(has_hidden_chars(bad), "{bad:?}");
        }
        for good in [
            "Wua-Wua",
            "Baruga",
            "Kota Lama",
            "Nur’aini",
            "Poasia (Lama)",
        ] {
            assert!(RegionName::parse(good).is_some(), "{good:?}");
            assert!(!has_hidden_chars(good), "{good:?}");
        }
    }
}
