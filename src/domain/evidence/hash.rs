//! Content hashes: an evidence file's name and how a reused photo is found.

use sha2::{Digest, Sha256};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evidence::images;

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
}
