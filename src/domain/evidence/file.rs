//! What a file's bytes say it is, whatever its name or declared MIME type.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::images;

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
}
