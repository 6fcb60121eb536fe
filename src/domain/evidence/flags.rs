//! The flags of one photo: why a piece of evidence is suspect, and the checks of a photo against the
//! family's place and the delivery's date.

use super::{ExifFacts, GeoPoint};
use chrono::NaiveDate;

/// Why a piece of evidence is suspect; shown to the coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagKind {
    /// The same file was already sent as evidence (found by the store through the SHA-256).
    ReusedPhoto,
    /// The place the sender shared is far from the family's home.
    FarFromFamily,
    /// The photo's EXIF date is far from both the delivery's date and the day it was sent.
    TakenLongBefore,
    /// The photo's EXIF position is far from the family's home.
    TakenFarFromFamily,
}

impl FlagKind {
    pub const ALL: [FlagKind; 4] = [
        FlagKind::ReusedPhoto,
        FlagKind::FarFromFamily,
        FlagKind::TakenLongBefore,
        FlagKind::TakenFarFromFamily,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::ReusedPhoto => "reused_photo",
            FlagKind::FarFromFamily => "far_from_family",
            FlagKind::TakenLongBefore => "taken_long_before",
            FlagKind::TakenFarFromFamily => "taken_far_from_family",
        }
    }

    /// The inverse of [`FlagKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Thresholds for the checks. Generous by default: GPS in villages is rough and deliveries slip by days;
/// the point is to catch photos from elsewhere or from long ago, not to police honest volunteers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Checks {
    /// Farther than this from the family's home (km) is suspect.
    pub max_km: f64,
    /// A capture date more than this many days from both the due date and the day received is suspect.
    pub max_days: i64,
}

impl Default for Checks {
    fn default() -> Self {
        Checks {
            max_km: 5.0,
            max_days: 3,
        }
    }
}

/// A flag with what makes it suspect: the distance in whole km (rounded), or the days between capture and
/// delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub kind: FlagKind,
    pub km: Option<i64>,
    pub days: Option<i64>,
}

/// The checks of one photo against the family's place and the delivery's date (pure), in this order:
/// - `shared` (the place the sender shared with Telegram's location button) farther than `max_km` from
///   `home` → FarFromFamily{km}
/// - EXIF place farther than `max_km` from `home` → TakenFarFromFamily{km}
/// - EXIF capture date more than `max_days` away from `due_on` and also more than `max_days` away from
///   the day it was received (`received_on`): a package delivered two days late photographed on the day it
///   was delivered is fine, an old photo is not → TakenLongBefore{days = |capture date − received_on|}.
///   The capture time is the camera's local time, so this is a date comparison with slack, not exact.
///
/// Missing data (no home, no shared place, no EXIF) never flags. Reuse is checked by the store, not here.
pub fn check_photo(
    checks: Checks,
    home: Option<GeoPoint>,
    shared: Option<GeoPoint>,
    exif: ExifFacts,
    due_on: NaiveDate,
    received_on: NaiveDate,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    let far = |kind: FlagKind, place: Option<GeoPoint>| -> Option<Flag> {
        let km = home?.distance_km(place?);
        (km > checks.max_km).then_some(Flag {
            kind,
            km: Some(km.round() as i64),
            days: None,
        })
    };
    flags.extend(far(FlagKind::FarFromFamily, shared));
    flags.extend(far(FlagKind::TakenFarFromFamily, exif.place));
    if let Some(taken) = exif.taken_at {
        let taken_on = taken.date();
        let from_due = (taken_on - due_on).num_days().abs();
        let from_received = (taken_on - received_on).num_days().abs();
        if from_due > checks.max_days && from_received > checks.max_days {
            flags.push(Flag {
                kind: FlagKind::TakenLongBefore,
                km: None,
                days: Some(from_received),
            });
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::testing::{KENDARI, MAKASSAR, d, p};

    #[test]
    fn flag_kind_names() {
        assert_eq!(
            FlagKind::ALL.map(FlagKind::as_str),
            [
                "reused_photo",
                "far_from_family",
                "taken_long_before",
                "taken_far_from_family"
            ]
        );
        for k in FlagKind::ALL {
            assert_eq!(FlagKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FlagKind::parse("reused"), None);
    }

    fn home() -> Option<GeoPoint> {
        Some(p(KENDARI.0, KENDARI.1))
    }

    /// About `km` north of the home (1° of latitude ≈ 111.2 km).
    fn north_of_home(km: f64) -> Option<GeoPoint> {
        GeoPoint::new(KENDARI.0 + km / 111.195, KENDARI.1)
    }

    fn exif_at(date: Option<NaiveDate>, place: Option<GeoPoint>) -> ExifFacts {
        ExifFacts {
            taken_at: date.map(|d| d.and_hms_opt(9, 30, 0).unwrap()),
            place,
        }
    }

    const DUE: (i32, u32, u32) = (2026, 11, 30);

    fn check(
        home: Option<GeoPoint>,
        shared: Option<GeoPoint>,
        exif: ExifFacts,
        received: NaiveDate,
    ) -> Vec<Flag> {
        check_photo(
            Checks::default(),
            home,
            shared,
            exif,
            d(DUE.0, DUE.1, DUE.2),
            received,
        )
    }

    #[test]
    fn checks_default() {
        assert_eq!(
            Checks::default(),
            Checks {
                max_km: 5.0,
                max_days: 3
            }
        );
    }

    #[test]
    fn check_photo_everything_fine() {
        let due = d(DUE.0, DUE.1, DUE.2);
        let flags = check(
            home(),
            north_of_home(1.0),
            exif_at(Some(due), north_of_home(4.9)),
            due,
        );
        assert_eq!(flags, vec![]);
    }

    #[test]
    fn check_photo_missing_data_never_flags() {
        let far = Some(p(MAKASSAR.0, MAKASSAR.1));
        let old = Some(d(2020, 1, 1));
        let due = d(DUE.0, DUE.1, DUE.2);
        // No home: places cannot be judged (but dates still can).
        assert_eq!(check(None, far, exif_at(None, far), due), vec![]);
        // Nothing shared, no EXIF.
        assert_eq!(check(home(), None, ExifFacts::default(), due), vec![]);
        assert_eq!(check(None, None, ExifFacts::default(), due), vec![]);
        // No home but an old photo: still an old photo.
        assert_eq!(
            check(None, None, exif_at(old, None), due)
                .iter()
                .map(|f| f.kind)
                .collect::<Vec<_>>(),
            vec![FlagKind::TakenLongBefore]
        );
    }

    #[test]
    fn check_photo_far_places() {
        let due = d(DUE.0, DUE.1, DUE.2);
        let makassar = Some(p(MAKASSAR.0, MAKASSAR.1));
        let flags = check(home(), makassar, exif_at(None, north_of_home(12.4)), due);
        assert_eq!(flags.len(), 2);
        assert_eq!(flags[0].kind, FlagKind::FarFromFamily);
        assert!((365..=375).contains(&flags[0].km.unwrap()), "{flags:?}");
        assert_eq!(flags[0].days, None);
        assert_eq!(
            flags[1],
            Flag {
                kind: FlagKind::TakenFarFromFamily,
                km: Some(12),
                days: None
            }
        );
        // Just inside and just outside the threshold.
        assert_eq!(
            check(home(), north_of_home(4.99), ExifFacts::default(), due),
            vec![]
        );
        assert_eq!(
            check(home(), north_of_home(5.2), ExifFacts::default(), due),
            vec![Flag {
                kind: FlagKind::FarFromFamily,
                km: Some(5),
                days: None
            }]
        );
        // A custom threshold.
        let strict = Checks {
            max_km: 1.0,
            max_days: 3,
        };
        assert_eq!(
            check_photo(
                strict,
                home(),
                north_of_home(2.0),
                ExifFacts::default(),
                due,
                due
            ),
            vec![Flag {
                kind: FlagKind::FarFromFamily,
                km: Some(2),
                days: None
            }]
        );
    }

    #[test]
    fn check_photo_dates_must_be_far_from_both_due_and_received() {
        let due = d(DUE.0, DUE.1, DUE.2);
        let days = |n: i64| due + chrono::Duration::days(n);
        let flagged = |taken: NaiveDate, received: NaiveDate| -> Option<i64> {
            let flags = check(home(), None, exif_at(Some(taken), None), received);
            assert!(flags.len() <= 1);
            flags.first().map(|f| {
                assert_eq!(f.kind, FlagKind::TakenLongBefore);
                assert_eq!(f.km, None);
                f.days.unwrap()
            })
        };
        // On time, photographed on the day or within the slack.
        assert_eq!(flagged(due, due), None);
        assert_eq!(flagged(days(-3), due), None);
        assert_eq!(flagged(days(3), days(3)), None);
        // Delivered a week late, photographed on the day it was delivered: fine.
        assert_eq!(flagged(days(7), days(7)), None);
        // Photographed on the due day, sent a week later: fine (near the due date).
        assert_eq!(flagged(due, days(7)), None);
        // An old photo: far from both.
        assert_eq!(flagged(days(-4), due), Some(4));
        assert_eq!(flagged(d(2025, 11, 30), due), Some(365));
        assert_eq!(flagged(days(-10), days(2)), Some(12));
        // A photo dated after it was received (a wrong camera clock) is far too.
        assert_eq!(flagged(days(20), due), Some(20));
        // The time of day does not matter, only the date.
        let late_night = ExifFacts {
            taken_at: Some(days(-3).and_hms_opt(0, 0, 1).unwrap()),
            place: None,
        };
        assert_eq!(check(home(), None, late_night, due), vec![]);
    }

    #[test]
    fn check_photo_all_flags_in_order() {
        let due = d(DUE.0, DUE.1, DUE.2);
        let far = Some(p(MAKASSAR.0, MAKASSAR.1));
        let flags = check(home(), far, exif_at(Some(d(2026, 1, 1)), far), due);
        assert_eq!(
            flags.iter().map(|f| f.kind).collect::<Vec<_>>(),
            vec![
                FlagKind::FarFromFamily,
                FlagKind::TakenFarFromFamily,
                FlagKind::TakenLongBefore
            ]
        );
        assert_eq!(flags[2].days, Some(333));
    }
}
