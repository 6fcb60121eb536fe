//! Tiny but valid image files built byte by byte, for tests: a baseline JPEG (optionally carrying an EXIF
//! APP1 segment with a capture time and a GPS position, the way phone cameras write them) and a PNG
//! (optionally with an `eXIf` chunk). Only std, so both the unit tests (`#[path]`-included) and the
//! end-to-end harness can use it. A `seed` changes a harmless byte, so different seeds give files with
//! different SHA-256s while staying decodable.

/// An 8x8 mid-grey baseline JPEG with a JFIF APP0 segment, no EXIF. Decodes in any image viewer.
#[allow(dead_code)]
pub fn jpeg(seed: u8) -> Vec<u8> {
    let mut app0 = b"JFIF\0".to_vec();
    app0.extend_from_slice(&[1, 1, 0, 0, 1, 0, 1, 0, 0]); // version 1.1, aspect 1:1, no thumbnail
    build_jpeg(seed, 0xE0, &app0)
}

/// The same 8x8 JPEG with an EXIF APP1 right after SOI (as cameras write it) holding a capture time
/// (`DateTimeOriginal`, e.g. "2026:11:30 10:15:00") and/or a GPS position (latitude, longitude in degrees;
/// negative means S/W, written as N/S/E/W references and degree/minute/second rationals with seconds in
/// 1/1000). With neither, the EXIF block only has an Orientation tag.
#[allow(dead_code)]
pub fn jpeg_with_exif(seed: u8, taken: Option<&str>, gps: Option<(f64, f64)>) -> Vec<u8> {
    let mut fields = Vec::new();
    if let Some(taken) = taken {
        fields.push(ExifField::DateTimeOriginal(taken));
    }
    if let Some((lat, lon)) = gps {
        fields.push(ExifField::GpsLatitude(
            if lat < 0.0 { "S" } else { "N" },
            dms(lat),
        ));
        fields.push(ExifField::GpsLongitude(
            if lon < 0.0 { "W" } else { "E" },
            dms(lon),
        ));
    }
    jpeg_with_app1(seed, &exif_app1(&exif_tiff(&fields)))
}

/// The same 8x8 JPEG with an arbitrary APP1 payload right after SOI (for broken-EXIF tests). The payload is
/// cut to the 65533 bytes a segment can hold.
#[allow(dead_code)]
pub fn jpeg_with_app1(seed: u8, payload: &[u8]) -> Vec<u8> {
    build_jpeg(seed, 0xE1, payload)
}

/// An APP1 payload for EXIF: the "Exif\0\0" identifier followed by a TIFF structure.
#[allow(dead_code)]
pub fn exif_app1(tiff: &[u8]) -> Vec<u8> {
    let mut out = b"Exif\0\0".to_vec();
    out.extend_from_slice(tiff);
    out
}

/// One EXIF field [`exif_tiff`] can write. GPS values are (reference, [degrees, minutes, seconds]) with
/// each of the three an unsigned rational (numerator, denominator), exactly as stored.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExifField<'a> {
    /// IFD0 DateTime (0x0132): when the file was last changed.
    DateTime(&'a str),
    /// Exif IFD DateTimeOriginal (0x9003): when the picture was taken.
    DateTimeOriginal(&'a str),
    /// Exif IFD DateTimeDigitized (0x9004): when it was stored digitally.
    DateTimeDigitized(&'a str),
    /// GPS IFD GPSLatitudeRef (0x0001) and GPSLatitude (0x0002).
    GpsLatitude(&'a str, [(u32, u32); 3]),
    /// GPS IFD GPSLongitudeRef (0x0003) and GPSLongitude (0x0004).
    GpsLongitude(&'a str, [(u32, u32); 3]),
}

/// A big-endian TIFF structure as found in an EXIF block: IFD0 (Orientation, optional DateTime, pointers)
/// followed by the Exif IFD and the GPS IFD when they have fields.
#[allow(dead_code)]
pub fn exif_tiff(fields: &[ExifField<'_>]) -> Vec<u8> {
    let mut ifd0 = vec![TiffEntry::short(0x0112, 1)]; // Orientation: normal
    let mut exif = Vec::new();
    let mut gps = Vec::new();
    for field in fields {
        match *field {
            ExifField::DateTime(s) => ifd0.push(TiffEntry::ascii(0x0132, s)),
            ExifField::DateTimeOriginal(s) => exif.push(TiffEntry::ascii(0x9003, s)),
            ExifField::DateTimeDigitized(s) => exif.push(TiffEntry::ascii(0x9004, s)),
            ExifField::GpsLatitude(r, v) => {
                gps.push(TiffEntry::ascii(0x0001, r));
                gps.push(TiffEntry::rationals(0x0002, &v));
            }
            ExifField::GpsLongitude(r, v) => {
                gps.push(TiffEntry::ascii(0x0003, r));
                gps.push(TiffEntry::rationals(0x0004, &v));
            }
        }
    }
    if !exif.is_empty() {
        // ExifVersion "0232", as every camera writes it.
        exif.push(TiffEntry {
            tag: 0x9000,
            typ: 7,
            count: 4,
            data: b"0232".to_vec(),
        });
    }
    if !gps.is_empty() {
        // GPSVersionID 2.3.0.0.
        gps.push(TiffEntry {
            tag: 0x0000,
            typ: 1,
            count: 4,
            data: vec![2, 3, 0, 0],
        });
    }

    // Layout: header (8 bytes), IFD0, Exif IFD, GPS IFD; each IFD followed by its out-of-line values.
    let ifd0_len =
        ifd_len(&ifd0) + 12 * (usize::from(!exif.is_empty()) + usize::from(!gps.is_empty()));
    let exif_at = 8 + ifd0_len;
    let gps_at = exif_at + if exif.is_empty() { 0 } else { ifd_len(&exif) };
    if !exif.is_empty() {
        ifd0.push(TiffEntry::long(0x8769, exif_at as u32));
    }
    if !gps.is_empty() {
        ifd0.push(TiffEntry::long(0x8825, gps_at as u32));
    }

    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    write_ifd(&mut out, ifd0);
    if !exif.is_empty() {
        write_ifd(&mut out, exif);
    }
    if !gps.is_empty() {
        write_ifd(&mut out, gps);
    }
    out
}

/// A 1x1 8-bit greyscale PNG whose single pixel is `seed` (correct CRCs, zlib stored block).
#[allow(dead_code)]
pub fn png(seed: u8) -> Vec<u8> {
    build_png(seed, None)
}

/// The same PNG with an `eXIf` chunk (before IDAT) holding `tiff` (e.g. from [`exif_tiff`]).
#[allow(dead_code)]
pub fn png_with_exif(seed: u8, tiff: &[u8]) -> Vec<u8> {
    build_png(seed, Some(tiff))
}

/// Degrees as three rationals: whole degrees, whole minutes, seconds in 1/1000 (sign dropped).
#[allow(dead_code)]
fn dms(value: f64) -> [(u32, u32); 3] {
    let value = value.abs();
    let mut deg = value.trunc() as u32;
    let minutes = (value - f64::from(deg)) * 60.0;
    let mut min = minutes.trunc() as u32;
    let mut milli_sec = ((minutes - f64::from(min)) * 60_000.0).round() as u32;
    if milli_sec >= 60_000 {
        milli_sec -= 60_000;
        min += 1;
    }
    if min >= 60 {
        min -= 60;
        deg += 1;
    }
    [(deg, 1), (min, 1), (milli_sec, 1000)]
}

#[allow(dead_code)]
struct TiffEntry {
    tag: u16,
    typ: u16,
    count: u32,
    data: Vec<u8>,
}

#[allow(dead_code)]
impl TiffEntry {
    fn short(tag: u16, value: u16) -> TiffEntry {
        TiffEntry {
            tag,
            typ: 3,
            count: 1,
            data: value.to_be_bytes().to_vec(),
        }
    }

    fn long(tag: u16, value: u32) -> TiffEntry {
        TiffEntry {
            tag,
            typ: 4,
            count: 1,
            data: value.to_be_bytes().to_vec(),
        }
    }

    fn ascii(tag: u16, s: &str) -> TiffEntry {
        let mut data = s.as_bytes().to_vec();
        data.push(0);
        TiffEntry {
            tag,
            typ: 2,
            count: data.len() as u32,
            data,
        }
    }

    fn rationals(tag: u16, values: &[(u32, u32)]) -> TiffEntry {
        let mut data = Vec::new();
        for &(num, denom) in values {
            data.extend_from_slice(&num.to_be_bytes());
            data.extend_from_slice(&denom.to_be_bytes());
        }
        TiffEntry {
            tag,
            typ: 5,
            count: values.len() as u32,
            data,
        }
    }

    /// Bytes this entry needs outside the IFD (values of more than 4 bytes), kept at even offsets.
    fn out_of_line_len(&self) -> usize {
        if self.data.len() > 4 {
            self.data.len() + self.data.len() % 2
        } else {
            0
        }
    }
}

/// Size of an IFD with its out-of-line values: count, 12-byte entries, next-IFD offset, values.
#[allow(dead_code)]
fn ifd_len(entries: &[TiffEntry]) -> usize {
    2 + 12 * entries.len()
        + 4
        + entries
            .iter()
            .map(TiffEntry::out_of_line_len)
            .sum::<usize>()
}

/// Appends an IFD (entries sorted by tag, as TIFF requires) at `out.len()`, its values right after it.
#[allow(dead_code)]
fn write_ifd(out: &mut Vec<u8>, mut entries: Vec<TiffEntry>) {
    entries.sort_by_key(|e| e.tag);
    let start = out.len();
    let mut value_at = start + 2 + 12 * entries.len() + 4;
    let mut values = Vec::new();
    out.extend_from_slice(&(entries.len() as u16).to_be_bytes());
    for entry in &entries {
        out.extend_from_slice(&entry.tag.to_be_bytes());
        out.extend_from_slice(&entry.typ.to_be_bytes());
        out.extend_from_slice(&entry.count.to_be_bytes());
        if entry.data.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..entry.data.len()].copy_from_slice(&entry.data);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(value_at as u32).to_be_bytes());
            values.extend_from_slice(&entry.data);
            if entry.data.len() % 2 == 1 {
                values.push(0);
            }
            value_at += entry.out_of_line_len();
        }
    }
    out.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    out.extend_from_slice(&values);
}

/// SOI, one APPn segment, a comment carrying the seed, then an 8x8 one-component baseline image whose only
/// block has DC 0 (grey 128) and no AC coefficients: one-code Huffman tables make the scan two bits.
#[allow(dead_code)]
fn build_jpeg(seed: u8, app_marker: u8, app_payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let app_payload = &app_payload[..app_payload.len().min(0xFFFF - 2)];
    segment(&mut out, app_marker, app_payload);
    let mut comment = b"asuh test photo ".to_vec();
    comment.push(seed);
    segment(&mut out, 0xFE, &comment);
    // DQT: table 0, 8-bit precision, all ones.
    let mut dqt = vec![0x00];
    dqt.extend_from_slice(&[1u8; 64]);
    segment(&mut out, 0xDB, &dqt);
    // SOF0: 8-bit, 8 lines, 8 samples per line, one component (id 1, 1x1 sampling, table 0).
    segment(&mut out, 0xC0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    // DHT: DC table 0 and AC table 0, each with one code of length 1 for symbol 0
    // (DC: difference category 0; AC: end of block).
    for class in [0x00u8, 0x10] {
        let mut dht = vec![class, 1];
        dht.extend_from_slice(&[0u8; 15]);
        dht.push(0);
        segment(&mut out, 0xC4, &dht);
    }
    // SOS: one component (id 1, DC table 0, AC table 0), spectral 0..63, no approximation.
    segment(&mut out, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
    // Scan: DC code "0", EOB code "0", padded with ones.
    out.push(0b0011_1111);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

#[allow(dead_code)]
fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
}

#[allow(dead_code)]
fn build_png(seed: u8, exif: Option<&[u8]>) -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    // IHDR: 1x1, bit depth 8, greyscale, deflate, adaptive filtering, no interlace.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    if let Some(tiff) = exif {
        chunk(&mut out, b"eXIf", tiff);
    }
    // IDAT: zlib header, one final stored block with the scanline (filter 0, pixel), Adler-32.
    let raw = [0u8, seed];
    let mut idat = vec![0x78, 0x01, 0x01];
    idat.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    idat.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    idat.extend_from_slice(&raw);
    idat.extend_from_slice(&adler32(&raw).to_be_bytes());
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[allow(dead_code)]
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[allow(dead_code)]
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[allow(dead_code)]
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}
