//! The dashboard's credentials, pure: Telegram's Mini App `initData` checked the documented way
//! (core.telegram.org/bots/webapps, "Validating data received via the Mini App"), and the signed,
//! time-limited meeting links that open the same dashboard read-only in an ordinary browser.
//!
//! HMAC-SHA256 is written out here (RFC 2104 over `sha2`, checked against RFC 4231's vectors) rather than
//! taken from a second copy of the digest crates; every comparison of a MAC is constant-time.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// HMAC-SHA256 of `msg` under `key` (RFC 2104).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer.finalize());
    out
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two byte strings are equal, in time that depends only on their lengths.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The person Telegram vouches for in `initData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAppUser {
    pub id: i64,
    pub first_name: String,
    /// The language of the person's Telegram app (IETF tag), when Telegram gives it.
    pub language_code: Option<String>,
}

/// Why `initData` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InitDataError {
    #[error("initData is not a query string with a hash")]
    Malformed,
    #[error("initData's hash does not match: not signed with this bot's token, or changed")]
    BadHash,
    #[error("initData is older than allowed")]
    Expired,
    #[error("initData names no user")]
    NoUser,
}

/// The data-check-string of `initData`: every field but `hash`, `key=value` (values decoded), sorted by
/// key, joined by line feeds; and the hash Telegram sent.
fn check_string(init_data: &str) -> Result<(String, String), InitDataError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut hash = None;
    for (k, v) in url::form_urlencoded::parse(init_data.as_bytes()) {
        if k == "hash" {
            if hash.is_some() {
                return Err(InitDataError::Malformed);
            }
            hash = Some(v.into_owned());
        } else {
            fields.push((k.into_owned(), v.into_owned()));
        }
    }
    let hash = hash.ok_or(InitDataError::Malformed)?;
    fields.sort();
    let text = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok((text, hash))
}

/// The key Telegram signs `initData` with for a bot: HMAC-SHA256 of the token under "WebAppData".
fn secret_key(bot_token: &str) -> [u8; 32] {
    hmac_sha256(b"WebAppData", bot_token.as_bytes())
}

/// The `hash` Telegram would send with these fields (all but `hash`), for `bot_token`.
pub fn sign_init_data(fields: &[(&str, &str)], bot_token: &str) -> String {
    let mut sorted: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    sorted.sort();
    hex(&hmac_sha256(
        &secret_key(bot_token),
        sorted.join("\n").as_bytes(),
    ))
}

/// Checks `initData` as Telegram documents it: the hash over the data-check-string under the key derived
/// from `bot_token`, compared in constant time; then `auth_date` no older than `max_age` (nor more than
/// a minute ahead of `now`). Returns the user it names.
pub fn verify_init_data(
    init_data: &str,
    bot_token: &str,
    now: DateTime<Utc>,
    max_age: Duration,
) -> Result<WebAppUser, InitDataError> {
    let (text, hash) = check_string(init_data)?;
    let expected = hmac_sha256(&secret_key(bot_token), text.as_bytes());
    if !same(
        hex(&expected).as_bytes(),
        hash.to_ascii_lowercase().as_bytes(),
    ) {
        return Err(InitDataError::BadHash);
    }
    let field = |name: &str| {
        url::form_urlencoded::parse(init_data.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let auth_date = field("auth_date")
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .ok_or(InitDataError::Malformed)?;
    if now - auth_date > max_age || auth_date - now > Duration::minutes(1) {
        return Err(InitDataError::Expired);
    }
    let user: serde_json::Value = field("user")
        .and_then(|u| serde_json::from_str(&u).ok())
        .ok_or(InitDataError::NoUser)?;
    let id = user
        .get("id")
        .and_then(serde_json::Value::as_i64)
        .ok_or(InitDataError::NoUser)?;
    Ok(WebAppUser {
        id,
        first_name: user
            .get("first_name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        language_code: user
            .get("language_code")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
    })
}

/// Why a meeting link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not a meeting link")]
    Malformed,
    #[error("the meeting link's signature does not match")]
    BadSignature,
    #[error("the meeting link has expired")]
    Expired,
}

/// The key meeting links are signed with, derived from the bot token (a new token voids every link).
pub fn link_key(bot_token: &str) -> [u8; 32] {
    hmac_sha256(b"asuh meeting link", bot_token.as_bytes())
}

/// A meeting link's token: `id.expiry.signature`, the expiry in Unix seconds, the signature
/// HMAC-SHA256 of `id.expiry` under `key` (hex, 64 characters).
pub fn sign_link(key: &[u8; 32], id: i64, expires: DateTime<Utc>) -> String {
    let body = format!("{id}.{}", expires.timestamp());
    let mac = hex(&hmac_sha256(key, body.as_bytes()));
    format!("{body}.{mac}")
}

/// The link's id and expiry when the signature is this key's and the link has not expired at `now`.
/// Whether it was revoked is the database's to say.
pub fn verify_link(
    key: &[u8; 32],
    token: &str,
    now: DateTime<Utc>,
) -> Result<(i64, DateTime<Utc>), LinkError> {
    let mut parts = token.split('.');
    let (Some(id), Some(expiry), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(LinkError::Malformed);
    };
    let id: i64 = id.parse().map_err(|_| LinkError::Malformed)?;
    let secs: i64 = expiry.parse().map_err(|_| LinkError::Malformed)?;
    let expires = DateTime::from_timestamp(secs, 0).ok_or(LinkError::Malformed)?;
    let expected = hex(&hmac_sha256(key, format!("{id}.{secs}").as_bytes()));
    if !same(expected.as_bytes(), mac.as_bytes()) {
        return Err(LinkError::BadSignature);
    }
    if now >= expires {
        return Err(LinkError::Expired);
    }
    Ok((id, expires))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:AAFakeTokenForTests";

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_000_000, 0).expect("time")
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
            .collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test cases 1, 2 and 6 (a key longer than the block).
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// initData made the documented way, independently of the code under test: the data-check-string
    /// written out by hand, the secret key HMAC("WebAppData", token), the hash HMAC(secret, string).
    fn init_data(token: &str, auth_date: i64, user_id: i64) -> String {
        let user = format!(r#"{{"id":{user_id},"first_name":"Rina","language_code":"id"}}"#);
        let check = format!("auth_date={auth_date}\nquery_id=AAH1\nuser={user}");
        let secret = hmac_sha256(b"WebAppData", token.as_bytes());
        let hash = hex(&hmac_sha256(&secret, check.as_bytes()));
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        format!(
            "query_id=AAH1&user={}&auth_date={auth_date}&hash={hash}",
            enc(&user)
        )
    }

    #[test]
    fn valid_init_data_names_the_user() {
        let data = init_data(TOKEN, now().timestamp() - 60, 700_001);
        let user = verify_init_data(&data, TOKEN, now(), Duration::hours(1)).expect("valid");
        assert_eq!(user.id, 700_001);
        assert_eq!(user.first_name, "Rina");
        assert_eq!(user.language_code.as_deref(), Some("id"));
        // The helper the tests and the browser test use signs the same way.
        let user_json = r#"{"id":700001,"first_name":"Rina","language_code":"id"}"#;
        let auth = (now().timestamp() - 60).to_string();
        assert!(data.ends_with(&sign_init_data(
            &[
                ("query_id", "AAH1"),
                ("user", user_json),
                ("auth_date", &auth)
            ],
            TOKEN
        )));
    }

    #[test]
    fn a_tampered_field_is_refused() {
        let data = init_data(TOKEN, now().timestamp() - 60, 700_001);
        // Someone else's id in the same signed data.
        let forged = data.replace("700001", "500001");
        assert_ne!(forged, data);
        assert_eq!(
            verify_init_data(&forged, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::BadHash)
        );
        let added = format!("{data}&start_param=x");
        assert_eq!(
            verify_init_data(&added, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::BadHash)
        );
    }

    #[test]
    fn a_wrong_hash_is_refused() {
        let data = init_data(TOKEN, now().timestamp() - 60, 700_001);
        let (head, hash) = data.rsplit_once("hash=").expect("hash");
        let mut bytes = unhex(hash);
        bytes[0] ^= 1;
        let wrong = format!("{head}hash={}", hex(&bytes));
        assert_eq!(
            verify_init_data(&wrong, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::BadHash)
        );
        let none = head.trim_end_matches('&');
        assert_eq!(
            verify_init_data(none, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::Malformed)
        );
    }

    #[test]
    fn another_bots_init_data_is_refused() {
        let data = init_data("987654:AnotherBotsToken", now().timestamp() - 60, 700_001);
        assert_eq!(
            verify_init_data(&data, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::BadHash)
        );
    }

    #[test]
    fn old_init_data_is_refused() {
        let data = init_data(TOKEN, now().timestamp() - 3_601, 700_001);
        assert_eq!(
            verify_init_data(&data, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::Expired)
        );
        assert!(verify_init_data(&data, TOKEN, now(), Duration::hours(2)).is_ok());
        let future = init_data(TOKEN, now().timestamp() + 600, 700_001);
        assert_eq!(
            verify_init_data(&future, TOKEN, now(), Duration::hours(1)),
            Err(InitDataError::Expired)
        );
    }

    #[test]
    fn a_meeting_link_holds_until_it_expires() {
        let key = link_key(TOKEN);
        let expires = now() + Duration::hours(4);
        let token = sign_link(&key, 42, expires);
        assert_eq!(verify_link(&key, &token, now()), Ok((42, expires)));
        assert_eq!(
            verify_link(&key, &token, expires),
            Err(LinkError::Expired),
            "expired at its time"
        );
        assert_eq!(
            verify_link(&key, &token, expires + Duration::days(1)),
            Err(LinkError::Expired)
        );
    }

    #[test]
    fn a_changed_or_foreign_meeting_link_is_refused() {
        let key = link_key(TOKEN);
        let expires = now() + Duration::hours(4);
        let token = sign_link(&key, 42, expires);
        // Another id, or a later expiry, under the same signature.
        let other = token.replacen("42.", "43.", 1);
        assert_eq!(
            verify_link(&key, &other, now()),
            Err(LinkError::BadSignature)
        );
        let later = sign_link(&key, 42, expires + Duration::days(30));
        let spliced = format!(
            "{}.{}",
            later.rsplit_once('.').expect("dot").0,
            token.rsplit_once('.').expect("dot").1
        );
        assert_eq!(
            verify_link(&key, &spliced, now()),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            verify_link(&link_key("987654:Other"), &token, now()),
            Err(LinkError::BadSignature)
        );
        for bad in ["", "42", "42.x.y", "a.b.c.d"] {
            assert_eq!(
                verify_link(&key, bad, now()),
                Err(LinkError::Malformed),
                "{bad}"
            );
        }
    }
}
