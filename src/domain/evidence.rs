//! Evidence of a delivery: the photos volunteers send to prove a food package reached a child's family, and
//! the rules that flag suspicious ones for the coordinator. Everything here is pure: what a file's bytes say
//! it is ([`ImageKind::sniff`]), what its EXIF says about when and where it was taken ([`read_exif`]), its
//! content hash ([`sha256_hex`]), and the checks of one photo against the family's place and the delivery's
//! date ([`check_photo`]). Storing files and spotting reused photos is the store's job.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Cursor;

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

/// What a file's first bytes say it is (never trust the file name or the declared MIME type).
///
/// AVIF shares HEIF's container but is deliberately not recognised: coordinators' devices often cannot show
/// it, and calling it HEIC would store it under the wrong type. An AVIF file sniffs as `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
    Heic,
    Gif,
}

/// ISO BMFF brands of HEIF files coded with HEVC (stills and sequences) and of generic HEIF (`mif1`,
/// `msf1`), which phones use as the major brand of HEIC pictures too.
const HEIC_BRANDS: [&[u8; 4]; 10] = [
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
];

/// AVIF brands: a generic `mif1`/`msf1` file listing one of these is AVIF, not HEIC.
const AVIF_BRANDS: [&[u8; 4]; 2] = [b"avif", b"avis"];

impl ImageKind {
    pub const ALL: [ImageKind; 5] = [
        ImageKind::Jpeg,
        ImageKind::Png,
        ImageKind::Webp,
        ImageKind::Heic,
        ImageKind::Gif,
    ];

    /// The kind from magic numbers: JPEG `FF D8 FF`; PNG's 8-byte signature; `RIFF....WEBP`; `GIF87a` or
    /// `GIF89a`; HEIC: an ISO BMFF `ftyp` box first whose major brand is a HEIF/HEVC brand (a generic
    /// `mif1`/`msf1` major brand counts unless the compatible brands say AVIF). Anything else is `None`.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ImageKind::Png)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if is_heic(bytes) {
            Some(ImageKind::Heic)
        } else {
            None
        }
    }

    /// The file extension evidence files are stored under.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Webp => "webp",
            ImageKind::Heic => "heic",
            ImageKind::Gif => "gif",
        }
    }

    /// The MIME type to serve or send the file with.
    pub fn mime(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
            ImageKind::Heic => "image/heic",
            ImageKind::Gif => "image/gif",
        }
    }

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpeg",
            ImageKind::Png => "png",
            ImageKind::Webp => "webp",
            ImageKind::Heic => "heic",
            ImageKind::Gif => "gif",
        }
    }

    /// The inverse of [`ImageKind::as_str`].
    pub fn parse(s: &str) -> Option<ImageKind> {
        ImageKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An ISO BMFF file starting with an `ftyp` box (size, "ftyp", major brand, minor version, compatible
/// brands) whose major brand is HEIC's and which is not AVIF in disguise.
fn is_heic(bytes: &[u8]) -> bool {
    if bytes.len() < 12 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let major = &bytes[8..12];
    if !HEIC_BRANDS.iter().any(|b| b.as_slice() == major) {
        return false;
    }
    // Compatible brands follow the minor version, up to the end of the box (or of what we were given).
    // A size of 0 means "to the end of the file".
    let box_len = match u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) {
        0 => bytes.len(),
        n => n as usize,
    };
    let end = box_len.clamp(12, bytes.len());
    let compatible = bytes.get(16..end).unwrap_or_default();
    !compatible
        .chunks_exact(4)
        .any(|brand| AVIF_BRANDS.iter().any(|b| b.as_slice() == brand))
}

/// Whether a MIME type a client declared for a document looks like a picture ("image/..."),
/// case-insensitive and ignoring parameters (`image/jpeg; q=1`). Only a first filter: the bytes decide.
pub fn is_image_mime(mime: &str) -> bool {
    let essence = mime.split(';').next().unwrap_or_default().trim();
    essence
        .get(..6)
        .is_some_and(|p| p.eq_ignore_ascii_case("image/"))
        && essence.len() > 6
}

/// What a photo's EXIF says about when and where it was taken. Telegram strips EXIF from compressed
/// photos, so this is only ever found in photos sent as files (documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExifFacts {
    /// Local camera time (EXIF has no reliable time zone), so compare dates with slack.
    pub taken_at: Option<NaiveDateTime>,
    pub place: Option<GeoPoint>,
}

/// When and where the photo was taken, from its EXIF. Never fails or panics: a file without EXIF, or with
/// broken EXIF, gives `ExifFacts::default()`; a partly broken block still gives what can be read.
/// Works for JPEG (APP1) and whatever else kamadak-exif's `Reader::read_from_container` supports (TIFF, PNG
/// eXIf, WebP, HEIF).
///
/// `taken_at`: DateTimeOriginal, else DateTimeDigitized, else DateTime ("YYYY:MM:DD HH:MM:SS", local
/// camera time; '-' is accepted as date separator and 'T' between date and time, as some software writes
/// them). Invalid dates, zero dates ("0000:00:00 00:00:00") and years before 1900 are ignored, and the next
/// field is tried.
///
/// `place`: GPSLatitude/GPSLatitudeRef/GPSLongitude/GPSLongitudeRef (degrees, minutes, seconds as
/// rationals; S and W negative); `None` if any part is missing or invalid, or if it is exactly 0,0 (what
/// cameras write without a fix).
pub fn read_exif(bytes: &[u8]) -> ExifFacts {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let parsed = reader
        .read_from_container(&mut Cursor::new(bytes))
        .or_else(|e| e.distill_partial_result(|_| {}));
    let Ok(exif) = parsed else {
        return ExifFacts::default();
    };
    let taken_at = [
        exif::Tag::DateTimeOriginal,
        exif::Tag::DateTimeDigitized,
        exif::Tag::DateTime,
    ]
    .into_iter()
    .find_map(|tag| {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        match &field.value {
            exif::Value::Ascii(strings) => strings.first().and_then(|s| parse_exif_datetime(s)),
            _ => None,
        }
    });
    ExifFacts {
        taken_at,
        place: exif_place(&exif),
    }
}

/// "YYYY:MM:DD HH:MM:SS" (19 bytes; anything after, such as a NUL or sub-seconds, is ignored).
fn parse_exif_datetime(s: &[u8]) -> Option<NaiveDateTime> {
    let s = s.get(..19)?;
    let date_sep = |c: u8| c == b':' || c == b'-';
    if !date_sep(s[4])
        || !date_sep(s[7])
        || !(s[10] == b' ' || s[10] == b'T')
        || s[13] != b':'
        || s[16] != b':'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        s[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    if year < 1900 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?.and_hms_opt(
        number(11..13)?,
        number(14..16)?,
        number(17..19)?,
    )
}

fn exif_place(exif: &exif::Exif) -> Option<GeoPoint> {
    let lat = exif_coordinate(
        exif,
        exif::Tag::GPSLatitude,
        exif::Tag::GPSLatitudeRef,
        b'N',
        b'S',
    )?;
    let lon = exif_coordinate(
        exif,
        exif::Tag::GPSLongitude,
        exif::Tag::GPSLongitudeRef,
        b'E',
        b'W',
    )?;
    let point = GeoPoint::new(lat, lon)?;
    (point.lat_e6 != 0 || point.lon_e6 != 0).then_some(point)
}

/// Signed degrees from a (degrees, minutes, seconds) rational triple and its N/S or E/W reference.
fn exif_coordinate(
    exif: &exif::Exif,
    value_tag: exif::Tag,
    ref_tag: exif::Tag,
    positive: u8,
    negative: u8,
) -> Option<f64> {
    let reference = match &exif.get_field(ref_tag, exif::In::PRIMARY)?.value {
        exif::Value::Ascii(strings) => strings.first()?.first()?.to_ascii_uppercase(),
        _ => return None,
    };
    let sign = if reference == positive {
        1.0
    } else if reference == negative {
        -1.0
    } else {
        return None;
    };
    // The standard says unsigned RATIONAL; some writers use SRATIONAL, accepted when not negative.
    let parts: Vec<(f64, f64)> = match &exif.get_field(value_tag, exif::In::PRIMARY)?.value {
        exif::Value::Rational(v) => v
            .iter()
            .map(|r| (f64::from(r.num), f64::from(r.denom)))
            .collect(),
        exif::Value::SRational(v) => v
            .iter()
            .map(|r| (f64::from(r.num), f64::from(r.denom)))
            .collect(),
        _ => return None,
    };
    let [deg, min, sec] = [parts.first()?, parts.get(1)?, parts.get(2)?].map(|&(num, denom)| {
        if denom > 0.0 && num >= 0.0 {
            Some(num / denom)
        } else {
            None
        }
    });
    let degrees = deg? + min? / 60.0 + sec? / 3600.0;
    Some(sign * degrees)
}

/// SHA-256 of the bytes, lowercase hex (64 chars). The evidence file's name and the reuse check: the same
/// photo sent again, for another delivery, hashes the same.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0F)]));
    }
    out
}

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

/// The test image builders shared with the end-to-end tests. Declared here rather than inside `tests`:
/// `#[path]` in an inline module resolves relative to `src/domain/evidence/tests/`, which rustfmt and rustc
/// disagree about.
#[cfg(test)]
#[path = "../../tests/support/images.rs"]
mod images;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use super::images;
    use images::ExifField;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dt(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, s).unwrap()
    }

    const KENDARI: (f64, f64) = (-3.9721, 122.5149);
    const MAKASSAR: (f64, f64) = (-5.1477, 119.4327);

    // ---- GeoPoint ----

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

    // ---- ImageKind ----

    #[test]
    fn sniff_recognises_each_kind_by_its_bytes() {
        assert_eq!(ImageKind::sniff(&images::jpeg(1)), Some(ImageKind::Jpeg));
        assert_eq!(
            ImageKind::sniff(&images::jpeg_with_exif(
                1,
                Some("2026:11:30 10:15:00"),
                None
            )),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(&images::png(1)), Some(ImageKind::Png));
        assert_eq!(
            ImageKind::sniff(b"RIFF\x24\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(
            ImageKind::sniff(b"GIF87a\x01\0\x01\0"),
            Some(ImageKind::Gif)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a"), Some(ImageKind::Gif));
        for heic in [
            &b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"[..],
            b"\0\0\0\x18ftypheix\0\0\0\0mif1heix",
            b"\0\0\0\x18ftyphevc\0\0\0\0msf1hevc",
            b"\0\0\0\x1cftypmif1\0\0\0\0mif1heicmiaf",
            b"\0\0\0\x14ftypmsf1\0\0\0\0",
            b"\0\0\0\x18ftypheic",
        ] {
            assert_eq!(ImageKind::sniff(heic), Some(ImageKind::Heic), "{heic:?}");
        }
    }

    #[test]
    fn sniff_rejects_avif_other_containers_garbage_and_short_input() {
        for bytes in [
            &b""[..],
            b"\xFF",
            b"\xFF\xD8",
            b"\x89PNG\r\n\x1a",
            b"RIFF\x24\0\0\0WAVE",
            b"RIFF\x24\0\0\0WEB",
            b"GIF88a",
            b"GIF8",
            b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf",
            b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf",
            b"\0\0\0\x18ftypisom\0\0\0\0isommp41",
            b"\0\0\0\x18ftypmp42\0\0\0\0mp42heic",
            b"\0\0\0\x18ftyphei",
            b"\0\0\0\x18moovheic\0\0\0\0",
            b"%PDF-1.7\n",
            b"PK\x03\x04",
            b"<svg xmlns=",
            b"hello world, not an image",
        ] {
            assert_eq!(ImageKind::sniff(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn image_kind_names() {
        for kind in ImageKind::ALL {
            assert_eq!(ImageKind::parse(kind.as_str()), Some(kind));
            assert!(kind.mime().starts_with("image/"));
            assert!(is_image_mime(kind.mime()));
        }
        assert_eq!(ImageKind::Jpeg.extension(), "jpg");
        assert_eq!(ImageKind::Jpeg.mime(), "image/jpeg");
        assert_eq!(ImageKind::Heic.extension(), "heic");
        assert_eq!(ImageKind::Heic.mime(), "image/heic");
        assert_eq!(ImageKind::Webp.as_str(), "webp");
        assert_eq!(ImageKind::parse("jpg"), None);
        assert_eq!(ImageKind::parse("JPEG"), None);
        assert_eq!(ImageKind::parse(""), None);
    }

    #[test]
    fn image_mime() {
        for yes in [
            "image/jpeg",
            "IMAGE/PNG",
            "Image/Heic",
            " image/webp ",
            "image/jpeg; charset=binary",
        ] {
            assert!(is_image_mime(yes), "{yes}");
        }
        for no in [
            "",
            "image",
            "image/",
            "video/mp4",
            "application/pdf",
            "text/plain",
            "imagex/png",
            "application/image/png",
            "ímage/png",
        ] {
            assert!(!is_image_mime(no), "{no}");
        }
    }

    // ---- EXIF ----

    #[test]
    fn exif_time_and_gps_from_a_jpeg() {
        let bytes = images::jpeg_with_exif(3, Some("2026:11:30 10:15:00"), Some(KENDARI));
        let facts = read_exif(&bytes);
        assert_eq!(facts.taken_at, Some(dt(2026, 11, 30, 10, 15, 0)));
        assert_eq!(facts.place, Some(p(KENDARI.0, KENDARI.1)));
    }

    #[test]
    fn exif_south_and_west_are_negative_north_and_east_positive() {
        for (lat, lon) in [
            (-33.8568, -151.2153),
            (52.3731, 4.8922),
            (40.6892, -74.0445),
        ] {
            let facts = read_exif(&images::jpeg_with_exif(0, None, Some((lat, lon))));
            let place = facts.place.unwrap();
            assert!(
                (place.lat_e6() - p(lat, lon).lat_e6()).abs() <= 1,
                "{place}"
            );
            assert!(
                (place.lon_e6() - p(lat, lon).lon_e6()).abs() <= 1,
                "{place}"
            );
            assert_eq!(facts.taken_at, None);
        }
    }

    #[test]
    fn exif_only_time() {
        let facts = read_exif(&images::jpeg_with_exif(
            0,
            Some("2025:02:03 04:05:06"),
            None,
        ));
        assert_eq!(
            facts,
            ExifFacts {
                taken_at: Some(dt(2025, 2, 3, 4, 5, 6)),
                place: None
            }
        );
    }

    #[test]
    fn exif_absent_gives_default() {
        assert_eq!(read_exif(&images::jpeg(0)), ExifFacts::default());
        assert_eq!(
            read_exif(&images::jpeg_with_exif(0, None, None)),
            ExifFacts::default()
        );
        assert_eq!(read_exif(&images::png(0)), ExifFacts::default());
        assert_eq!(read_exif(b""), ExifFacts::default());
        assert_eq!(read_exif(b"not an image at all"), ExifFacts::default());
    }

    #[test]
    fn exif_broken_gives_default_without_panicking() {
        let good = images::exif_app1(&images::exif_tiff(&[
            ExifField::DateTimeOriginal("2026:11:30 10:15:00"),
            ExifField::GpsLatitude("S", [(3, 1), (58, 1), (19560, 1000)]),
            ExifField::GpsLongitude("E", [(122, 1), (30, 1), (53640, 1000)]),
        ]));
        for payload in [
            &b"Exif\0\0"[..],
            b"Exif\0\0MM",
            b"Exif\0\0MM\0\x2a\0\0\0\x08",
            b"Exif\0\0MM\0\x2a\xff\xff\xff\xff",
            b"Exif\0\0II\x2a\0\x08\0\0\0\xff\xff",
            b"Exif\0\0garbage garbage garbage garbage",
            b"Exif",
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>",
            b"",
        ] {
            assert_eq!(
                read_exif(&images::jpeg_with_app1(0, payload)),
                ExifFacts::default(),
                "{payload:?}"
            );
        }
        // Every truncation of a good block, and every truncation of the whole file.
        for len in 0..good.len() {
            let _ = read_exif(&images::jpeg_with_app1(0, &good[..len]));
        }
        let file = images::jpeg_with_app1(0, &good);
        for len in 0..file.len() {
            let _ = read_exif(&file[..len]);
        }
        assert_eq!(read_exif(&file).taken_at, Some(dt(2026, 11, 30, 10, 15, 0)));
    }

    #[test]
    fn exif_from_a_png_exif_chunk() {
        let tiff = images::exif_tiff(&[
            ExifField::DateTime("2024:06:07 08:09:10"),
            ExifField::GpsLatitude("N", [(1, 1), (30, 1), (0, 1)]),
            ExifField::GpsLongitude("W", [(2, 1), (15, 1), (0, 1)]),
        ]);
        let facts = read_exif(&images::png_with_exif(9, &tiff));
        assert_eq!(facts.taken_at, Some(dt(2024, 6, 7, 8, 9, 10)));
        assert_eq!(facts.place, Some(p(1.5, -2.25)));
    }

    fn taken(fields: &[ExifField<'_>]) -> Option<NaiveDateTime> {
        read_exif(&images::jpeg_with_app1(
            0,
            &images::exif_app1(&images::exif_tiff(fields)),
        ))
        .taken_at
    }

    fn place(fields: &[ExifField<'_>]) -> Option<GeoPoint> {
        read_exif(&images::jpeg_with_app1(
            0,
            &images::exif_app1(&images::exif_tiff(fields)),
        ))
        .place
    }

    #[test]
    fn exif_time_prefers_original_then_digitized_then_modified() {
        use ExifField::{DateTime, DateTimeDigitized as Digitized, DateTimeOriginal as Original};
        let all = [
            DateTime("2026:01:03 00:00:00"),
            Digitized("2026:01:02 00:00:00"),
            Original("2026:01:01 00:00:00"),
        ];
        assert_eq!(taken(&all), Some(dt(2026, 1, 1, 0, 0, 0)));
        assert_eq!(taken(&all[..2]), Some(dt(2026, 1, 2, 0, 0, 0)));
        assert_eq!(taken(&all[..1]), Some(dt(2026, 1, 3, 0, 0, 0)));
        // An unusable original falls back to the next one.
        assert_eq!(
            taken(&[
                Original("0000:00:00 00:00:00"),
                Digitized("2026:01:02 00:00:00")
            ]),
            Some(dt(2026, 1, 2, 0, 0, 0))
        );
        assert_eq!(
            taken(&[
                Original("    :  :     :  :  "),
                DateTime("2026:01:03 00:00:00")
            ]),
            Some(dt(2026, 1, 3, 0, 0, 0))
        );
    }

    #[test]
    fn exif_time_ignores_invalid_dates() {
        use ExifField::DateTimeOriginal as Original;
        for bad in [
            "0000:00:00 00:00:00",
            "                   ",
            "2026:13:01 00:00:00",
            "2026:02:30 00:00:00",
            "2026:01:01 24:00:00",
            "2026:01:01 23:60:00",
            "1899:12:31 23:59:59",
            "2026/01/01 00:00:00",
            "2026:01:01",
            "2026:1:1 0:0:0",
            "20a6:01:01 00:00:00",
            "",
        ] {
            assert_eq!(taken(&[Original(bad)]), None, "{bad:?}");
        }
        assert_eq!(
            taken(&[Original("2026-01-05T06:07:08")]),
            Some(dt(2026, 1, 5, 6, 7, 8))
        );
        assert_eq!(
            taken(&[Original("2026:01:05 06:07:08.123+07:00")]),
            Some(dt(2026, 1, 5, 6, 7, 8))
        );
    }

    #[test]
    fn exif_gps_needs_every_part_and_valid_values() {
        use ExifField::{GpsLatitude as Lat, GpsLongitude as Lon};
        let lat = Lat("S", [(3, 1), (58, 1), (19560, 1000)]);
        let lon = Lon("E", [(122, 1), (30, 1), (53640, 1000)]);
        assert_eq!(place(&[lat, lon]), Some(p(KENDARI.0, KENDARI.1)));
        assert_eq!(place(&[lat]), None);
        assert_eq!(place(&[lon]), None);
        // Lower-case references are tolerated.
        assert_eq!(
            place(&[
                Lat("s", [(3, 1), (58, 1), (19560, 1000)]),
                Lon("e", [(122, 1), (30, 1), (53640, 1000)])
            ]),
            Some(p(KENDARI.0, KENDARI.1))
        );
        for bad_lat in [
            Lat("X", [(3, 1), (0, 1), (0, 1)]),
            Lat("", [(3, 1), (0, 1), (0, 1)]),
            Lat("E", [(3, 1), (0, 1), (0, 1)]),
            Lat("N", [(3, 0), (0, 1), (0, 1)]),
            Lat("N", [(3, 1), (0, 0), (0, 1)]),
            Lat("N", [(91, 1), (0, 1), (0, 1)]),
        ] {
            assert_eq!(place(&[bad_lat, lon]), None, "{bad_lat:?}");
        }
        assert_eq!(place(&[lat, Lon("E", [(181, 1), (0, 1), (0, 1)])]), None);
        assert_eq!(place(&[lat, Lon("N", [(100, 1), (0, 1), (0, 1)])]), None);
        // Exactly 0,0 is what cameras write without a fix.
        assert_eq!(
            place(&[
                Lat("N", [(0, 1), (0, 1), (0, 1)]),
                Lon("E", [(0, 1), (0, 1), (0, 1)])
            ]),
            None
        );
        // A point on the equator (or the meridian) alone is fine.
        assert_eq!(
            place(&[
                Lat("N", [(0, 1), (0, 1), (0, 1)]),
                Lon("E", [(122, 1), (0, 1), (0, 1)])
            ]),
            Some(p(0.0, 122.0))
        );
        // Decimal degrees with zero minutes and seconds, as some phones write.
        assert_eq!(
            place(&[
                Lat("S", [(39_721, 10_000), (0, 1), (0, 1)]),
                Lon("E", [(1_225_149, 10_000), (0, 1), (0, 1)])
            ]),
            Some(p(KENDARI.0, KENDARI.1))
        );
    }

    #[test]
    fn fixture_seeds_change_the_hash_but_not_the_kind() {
        let a = sha256_hex(&images::jpeg(1));
        let b = sha256_hex(&images::jpeg(2));
        assert_ne!(a, b);
        assert_eq!(a, sha256_hex(&images::jpeg(1)));
        assert_ne!(sha256_hex(&images::png(1)), sha256_hex(&images::png(2)));
        assert_ne!(
            sha256_hex(&images::jpeg_with_exif(1, None, None)),
            sha256_hex(&images::jpeg_with_exif(2, None, None))
        );
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    // ---- Outcome, Problem, FlagKind ----

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

    // ---- check_photo ----

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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn read_exif_and_sniff_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = read_exif(&bytes);
            let _ = ImageKind::sniff(&bytes);
        }

        #[test]
        fn read_exif_never_panics_on_corrupted_exif(
            at in any::<prop::sample::Index>(),
            values in proptest::collection::vec(any::<u8>(), 1..8),
        ) {
            let mut file = images::jpeg_with_exif(0, Some("2026:11:30 10:15:00"), Some(KENDARI));
            let start = at.index(file.len());
            for (i, v) in values.iter().enumerate() {
                if let Some(b) = file.get_mut(start + i) {
                    *b = *v;
                }
            }
            let _ = read_exif(&file);
            let _ = ImageKind::sniff(&file);
        }

        #[test]
        fn exif_gps_round_trips_through_the_fixture(lat in -89.999f64..89.999, lon in -179.999f64..179.999) {
            let facts = read_exif(&images::jpeg_with_exif(0, None, Some((lat, lon))));
            let expected = GeoPoint::new(lat, lon).unwrap();
            if expected.lat_e6() == 0 && expected.lon_e6() == 0 {
                prop_assert_eq!(facts.place, None);
            } else {
                let got = facts.place.unwrap();
                prop_assert!((got.lat_e6() - expected.lat_e6()).abs() <= 1);
                prop_assert!((got.lon_e6() - expected.lon_e6()).abs() <= 1);
            }
        }

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
