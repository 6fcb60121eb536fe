//! What a photo's EXIF says about when and where it was taken.

use super::GeoPoint;
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Cursor;

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
    (point.lat_e6() != 0 || point.lon_e6() != 0).then_some(point)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::ImageKind;
    use crate::domain::evidence::images::{self, ExifField};
    use crate::domain::evidence::testing::{KENDARI, dt, p};
    use proptest::prelude::*;

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
    }
}
