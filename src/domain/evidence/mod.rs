//! Evidence of a delivery: the photos volunteers send to prove a food package reached a child's family, and
//! the rules that flag suspicious ones for the coordinator. Everything here is pure: what a file's bytes say
//! it is ([`ImageKind::sniff`]), what its EXIF says about when and where it was taken ([`read_exif`]), its
//! content hash ([`sha256_hex`]), and the checks of one photo against the family's place and the delivery's
//! date ([`check_photo`]). Storing files and spotting reused photos is the store's job.
//!
//! One module per concern: `geo` (points and distances), `file` (what a file's bytes are), `exif`
//! (capture time and place), `hash` (SHA-256), `flags` (the flags of one photo); the outcomes and
//! problems a volunteer reports are here. Everything is re-exported: callers name `domain::evidence::X`.

mod exif;
mod file;
mod flags;
mod geo;
mod hash;

pub use exif::{ExifFacts, read_exif};
pub use file::{ImageKind, is_image_mime};
pub use flags::{Checks, Flag, FlagKind, check_photo};
pub use geo::GeoPoint;
pub use hash::sha256_hex;

use serde::{Deserialize, Serialize};

/// The outcome a volunteer reports for a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The whole package reached the family.
    Full,
    /// Some of it did (items missing or spoiled).
    Partial,
    /// Nothing reached the family.
    NotReceived,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Full, Outcome::Partial, Outcome::NotReceived];

    /// The name stored in the database (same as the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Full => "full",
            Outcome::Partial => "partial",
            Outcome::NotReceived => "not_received",
        }
    }

    /// The inverse of [`Outcome::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the delivery counts as made (Full, Partial).
    pub fn delivered(self) -> bool {
        matches!(self, Outcome::Full | Outcome::Partial)
    }

    /// Whether the coordinator must look at it (Partial, NotReceived): it opens a case.
    pub fn opens_case(self) -> bool {
        matches!(self, Outcome::Partial | Outcome::NotReceived)
    }

    /// Whether at least one photo is required (Full, Partial: yes; NotReceived: no, there is nothing to
    /// photograph).
    pub fn needs_photo(self) -> bool {
        self.delivered()
    }
}

/// Why a package did not reach the family (a volunteer's problem report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    FamilyMoved,
    NobodyHome,
    ChildInHospital,
    Refused,
    Other,
}

impl Problem {
    /// In the order a volunteer is offered them.
    pub const ALL: [Problem; 5] = [
        Problem::FamilyMoved,
        Problem::NobodyHome,
        Problem::ChildInHospital,
        Problem::Refused,
        Problem::Other,
    ];

    /// The name stored in the database (same as the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::FamilyMoved => "family_moved",
            Problem::NobodyHome => "nobody_home",
            Problem::ChildInHospital => "child_in_hospital",
            Problem::Refused => "refused",
            Problem::Other => "other",
        }
    }

    /// The inverse of [`Problem::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The test image builders shared with the end-to-end tests. Declared here rather than inside a `tests`
/// module: `#[path]` in an inline module resolves relative to a directory named after it, which rustfmt and
/// rustc disagree about.
#[cfg(test)]
#[path = "../../../tests/support/images.rs"]
mod images;

/// Helpers the tests of every concern share.
#[cfg(test)]
mod testing {
    use chrono::{NaiveDate, NaiveDateTime};

    use super::GeoPoint;

    pub(super) fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(super) fn dt(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, s).unwrap()
    }

    pub(super) const KENDARI: (f64, f64) = (-3.9721, 122.5149);
    pub(super) const MAKASSAR: (f64, f64) = (-5.1477, 119.4327);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_rules_and_names() {
        use Outcome::*;
        assert_eq!(
            Outcome::ALL.map(|o| (o.delivered(), o.opens_case(), o.needs_photo())),
            [
                (true, false, true),
                (true, true, true),
                (false, true, false)
            ]
        );
        assert_eq!(Full.as_str(), "full");
        assert_eq!(Partial.as_str(), "partial");
        assert_eq!(NotReceived.as_str(), "not_received");
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
            assert_eq!(
                serde_json::from_str::<Outcome>(&format!("\"{}\"", o.as_str())).unwrap(),
                o
            );
        }
        assert_eq!(Outcome::parse("Full"), None);
        assert_eq!(Outcome::parse(""), None);
    }

    #[test]
    fn problem_names() {
        assert_eq!(
            Problem::ALL.map(Problem::as_str),
            [
                "family_moved",
                "nobody_home",
                "child_in_hospital",
                "refused",
                "other"
            ]
        );
        for pr in Problem::ALL {
            assert_eq!(Problem::parse(pr.as_str()), Some(pr));
            assert_eq!(
                serde_json::to_string(&pr).unwrap(),
                format!("\"{}\"", pr.as_str())
            );
            assert_eq!(
                serde_json::from_str::<Problem>(&format!("\"{}\"", pr.as_str())).unwrap(),
                pr
            );
        }
        assert_eq!(Problem::parse("moved"), None);
    }
}
