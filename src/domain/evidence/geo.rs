//! Points on Earth and the distance between them.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Mean Earth radius (IUGG), in km: the haversine distance is an approximation anyway, this one is the
/// conventional choice.
const EARTH_RADIUS_KM: f64 = 6371.0088;

const MICRO: f64 = 1_000_000.0;
const MAX_LAT_E6: i64 = 90_000_000;
const MAX_LON_E6: i64 = 180_000_000;

/// A point on Earth, stored exactly as integer microdegrees (so it can live in a BIGINT column and derive
/// Eq). A microdegree is about 11 cm, far finer than any phone's GPS.
///
/// Deserializing validates the ranges like [`GeoPoint::from_e6`], so a stored or hand-edited value cannot
/// smuggle in an impossible point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct GeoPoint {
    lat_e6: i32,
    lon_e6: i32,
}

impl GeoPoint {
    /// A point from degrees; `None` unless both are finite and within |lat| <= 90, |lon| <= 180.
    /// Rounds to the nearest microdegree.
    pub fn new(lat: f64, lon: f64) -> Option<GeoPoint> {
        if !lat.is_finite() || !lon.is_finite() || lat.abs() > 90.0 || lon.abs() > 180.0 {
            return None;
        }
        // In range, so the rounded values fit an i64 (and then the ranges of from_e6) exactly.
        GeoPoint::from_e6((lat * MICRO).round() as i64, (lon * MICRO).round() as i64)
    }

    /// A point from stored microdegrees; `None` outside |lat| <= 90°, |lon| <= 180°.
    pub fn from_e6(lat_e6: i64, lon_e6: i64) -> Option<GeoPoint> {
        if !(-MAX_LAT_E6..=MAX_LAT_E6).contains(&lat_e6)
            || !(-MAX_LON_E6..=MAX_LON_E6).contains(&lon_e6)
        {
            return None;
        }
        Some(GeoPoint {
            lat_e6: i32::try_from(lat_e6).ok()?,
            lon_e6: i32::try_from(lon_e6).ok()?,
        })
    }

    /// Latitude in degrees, positive north.
    pub fn lat(self) -> f64 {
        f64::from(self.lat_e6) / MICRO
    }

    /// Longitude in degrees, positive east.
    pub fn lon(self) -> f64 {
        f64::from(self.lon_e6) / MICRO
    }

    /// Latitude in microdegrees, as stored.
    pub fn lat_e6(self) -> i64 {
        i64::from(self.lat_e6)
    }

    /// Longitude in microdegrees, as stored.
    pub fn lon_e6(self) -> i64 {
        i64::from(self.lon_e6)
    }

    /// Great-circle distance in km (haversine on a sphere of radius 6371.0088 km): good to about 0.5%,
    /// plenty for "is this photo near the family's home".
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat().to_radians(), other.lat().to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon() - self.lon()).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        // Rounding can push `a` a hair outside [0, 1] for antipodal points; asin would then give NaN.
        2.0 * EARTH_RADIUS_KM * a.clamp(0.0, 1.0).sqrt().asin()
    }
}

impl<'de> Deserialize<'de> for GeoPoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            lat_e6: i64,
            lon_e6: i64,
        }
        let raw = Raw::deserialize(deserializer)?;
        GeoPoint::from_e6(raw.lat_e6, raw.lon_e6)
            .ok_or_else(|| serde::de::Error::custom("coordinates out of range"))
    }
}

/// "-3.972100, 122.514900": latitude, longitude, six decimals (exact, from the integers), the form map
/// sites accept in their search box.
impl fmt::Display for GeoPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn degrees(f: &mut fmt::Formatter<'_>, e6: i32) -> fmt::Result {
            let sign = if e6 < 0 { "-" } else { "" };
            let abs = e6.unsigned_abs();
            write!(f, "{sign}{}.{:06}", abs / 1_000_000, abs % 1_000_000)
        }
        degrees(f, self.lat_e6)?;
        f.write_str(", ")?;
        degrees(f, self.lon_e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::testing::{KENDARI, MAKASSAR, p};
    use proptest::prelude::*;

    #[test]
    fn geopoint_accepts_the_full_range_and_nothing_more() {
        for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), KENDARI] {
            assert!(GeoPoint::new(lat, lon).is_some(), "{lat},{lon}");
        }
        for (lat, lon) in [
            (90.000_001, 0.0),
            (-90.1, 0.0),
            (0.0, 180.000_001),
            (0.0, -181.0),
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
            (f64::NEG_INFINITY, 0.0),
        ] {
            assert_eq!(GeoPoint::new(lat, lon), None, "{lat},{lon}");
        }
        assert!(GeoPoint::from_e6(90_000_000, -180_000_000).is_some());
        assert_eq!(GeoPoint::from_e6(90_000_001, 0), None);
        assert_eq!(GeoPoint::from_e6(0, -180_000_001), None);
        assert_eq!(GeoPoint::from_e6(i64::MIN, 0), None);
        assert_eq!(GeoPoint::from_e6(0, i64::MAX), None);
    }

    #[test]
    fn geopoint_rounds_to_the_nearest_microdegree() {
        let g = p(-3.972_100_4, 122.514_900_6);
        assert_eq!((g.lat_e6(), g.lon_e6()), (-3_972_100, 122_514_901));
        let g = p(0.000_000_5, -0.000_000_5);
        assert_eq!((g.lat_e6(), g.lon_e6()), (1, -1)); // half away from zero
        assert_eq!(p(-0.0, 0.0), p(0.0, 0.0));
        assert_eq!(p(KENDARI.0, KENDARI.1).lat(), -3.9721);
        assert_eq!(p(KENDARI.0, KENDARI.1).lon(), 122.5149);
    }

    #[test]
    fn geopoint_round_trips_through_e6() {
        for (lat, lon) in [KENDARI, MAKASSAR, (90.0, -180.0), (-0.000_001, 0.000_001)] {
            let g = p(lat, lon);
            assert_eq!(GeoPoint::from_e6(g.lat_e6(), g.lon_e6()), Some(g));
            assert_eq!(GeoPoint::new(g.lat(), g.lon()), Some(g));
        }
    }

    #[test]
    fn geopoint_displays_six_decimals() {
        assert_eq!(p(KENDARI.0, KENDARI.1).to_string(), "-3.972100, 122.514900");
        assert_eq!(
            GeoPoint::from_e6(-500, 7).unwrap().to_string(),
            "-0.000500, 0.000007"
        );
        assert_eq!(p(90.0, -180.0).to_string(), "90.000000, -180.000000");
        assert_eq!(p(0.0, 0.0).to_string(), "0.000000, 0.000000");
    }

    #[test]
    fn geopoint_serde_round_trips_and_validates() {
        let g = p(KENDARI.0, KENDARI.1);
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(json, r#"{"lat_e6":-3972100,"lon_e6":122514900}"#);
        assert_eq!(serde_json::from_str::<GeoPoint>(&json).unwrap(), g);
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat_e6":90000001,"lon_e6":0}"#).is_err());
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat_e6":1}"#).is_err());
    }

    #[test]
    fn distance_kendari_makassar_is_about_370_km() {
        let (k, m) = (p(KENDARI.0, KENDARI.1), p(MAKASSAR.0, MAKASSAR.1));
        let km = k.distance_km(m);
        assert!((km - 370.0).abs() <= 5.0, "{km}");
        assert_eq!(k.distance_km(m), m.distance_km(k));
        assert_eq!(k.distance_km(k), 0.0);
    }

    #[test]
    fn distance_is_finite_at_the_extremes() {
        // Antipodes: half the circumference.
        let half = p(0.0, 0.0).distance_km(p(0.0, 180.0));
        assert!(
            (half - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6,
            "{half}"
        );
        assert!(p(90.0, 0.0).distance_km(p(-90.0, 0.0)).is_finite());
        assert!(p(0.0, 180.0).distance_km(p(0.0, -180.0)) < 1e-6);
        // One microdegree of latitude is about 11 cm.
        let tiny = p(0.0, 0.0).distance_km(GeoPoint::from_e6(1, 0).unwrap());
        assert!((tiny - 0.000_111).abs() < 0.000_001, "{tiny}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn geopoint_e6_round_trip(lat in -90_000_000i64..=90_000_000, lon in -180_000_000i64..=180_000_000) {
            let g = GeoPoint::from_e6(lat, lon).unwrap();
            prop_assert_eq!((g.lat_e6(), g.lon_e6()), (lat, lon));
            prop_assert_eq!(GeoPoint::new(g.lat(), g.lon()), Some(g));
        }

        #[test]
        fn distance_is_symmetric_and_bounded(
            a in (-90.0f64..=90.0, -180.0f64..=180.0),
            b in (-90.0f64..=90.0, -180.0f64..=180.0),
        ) {
            let (a, b) = (p(a.0, a.1), p(b.0, b.1));
            let ab = a.distance_km(b);
            prop_assert!(ab.is_finite() && ab >= 0.0);
            prop_assert!(ab <= std::f64::consts::PI * EARTH_RADIUS_KM + 1e-6);
            prop_assert!((ab - b.distance_km(a)).abs() < 1e-9);
        }
    }
}
