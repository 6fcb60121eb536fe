//! Everything that speaks the Bot API (teloxide), and nothing else does.
//!
//! An update travels: [`poller`] (getUpdates → inbox table) → [`processor`] (one transaction: user, roles,
//! dialogue, [`handlers`], outbox rows) → [`sender`] (outbox → Bot API within Telegram's limits).

pub mod callback;
pub mod commands;
pub mod context;
pub mod downloads;
pub mod handlers;
pub mod imports;
pub mod incoming;
pub mod poller;
pub mod processor;
pub mod reports;
pub mod sender;

/// A Bot API error as text for logs and the outbox, with the token cut out: network errors quote the
/// request URL, and the URL carries the token (`…/bot123:ABC/sendMessage`).
pub fn describe(e: &teloxide::RequestError) -> String {
    scrub_token(&e.to_string())
}

/// A download error as text, without the token (file URLs carry it as `/file/bot<token>/…`).
pub fn scrub_download(text: &str) -> String {
    scrub_token(text)
}

fn scrub_token(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/bot") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let end = rest.find(['/', ' ', ')', '"']).unwrap_or(rest.len());
        if rest[..end].contains(':') {
            out.push_str("***");
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::scrub_token;

    #[test]
    fn tokens_never_reach_logs() {
        let e = "error sending request for url (http://127.0.0.1:1/bot123456:TEST-TOKEN/getMe)";
        assert_eq!(
            scrub_token(e),
            "error sending request for url (http://127.0.0.1:1/bot***/getMe)"
        );
        assert_eq!(scrub_token("the bot was blocked"), "the bot was blocked");
        assert_eq!(scrub_token("/bot"), "/bot");
    }
}
