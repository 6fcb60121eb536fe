//! Everything that speaks the Bot API (teloxide), and nothing else does.
//!
//! An update travels: [`poller`] (getUpdates → inbox table) → [`processor`] (one transaction: user, roles,
//! dialogue, [`handlers`], outbox rows) → [`sender`] (outbox → Bot API within Telegram's limits).

pub mod commands;
pub mod context;
pub mod downloads;
pub mod handlers;
pub mod imports;
pub mod incoming;
pub mod poller;
pub mod processor;
pub mod refusals;
pub mod sender;
pub mod webhook;

/// The Bot API client everything else holds without naming teloxide.
pub type Api = teloxide::Bot;

/// A client for the configured Bot API server.
pub fn api(config: &crate::config::BotConfig) -> Api {
    let mut bot = Api::new(config.token.expose());
    if let Some(url) = config.api_url.clone() {
        bot = bot.set_api_url(url);
    }
    bot
}

/// Asks Telegram who the bot is (its @username makes the invite links), retrying while Telegram is
/// unreachable. A rejected token is fatal. `None` when shut down meanwhile.
pub async fn identify(
    bot: &Api,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Option<String>> {
    let mut delay = std::time::Duration::from_secs(1);
    loop {
        match teloxide::requests::Requester::get_me(bot).await {
            Ok(me) => return Ok(Some(me.username.clone().unwrap_or_default())),
            Err(teloxide::RequestError::Api(teloxide::ApiError::InvalidToken)) => {
                anyhow::bail!("Telegram rejected TELOXIDE_TOKEN (check the token from @BotFather)")
            }
            Err(e) => {
                tracing::warn!(error = %describe(&e), "cannot reach Telegram yet; retrying in {}s", delay.as_secs())
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return Ok(None),
        }
        delay = (delay * 2).min(std::time::Duration::from_secs(30));
    }
}

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
