//! Receiving by webhook: Telegram posts each update to `ASUH_WEBHOOK_URL`. The route checks the
//! `X-Telegram-Bot-Api-Secret-Token` header in constant time, stores the update in the inbox, and only then
//! answers 200, so an acknowledged update is never lost; Telegram resends what was not acknowledged, and
//! an update stored twice is kept once. Handling is the processor's, in whichever replica claims the chat.
//!
//! The webhook is registered once ([`register`]: `asuh webhook set`, or at start when Telegram has
//! another URL, [`ensure`]) and never deleted by a replica that stops: only `asuh webhook delete`
//! ([`delete`]) goes back to long polling.

use super::incoming::chat_of;
use super::poller::{ALLOWED_UPDATES, payload};
use crate::config::{Secret, Webhook};
use crate::http::Router;
use crate::store::{Db, inbox};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::Utc;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::Update;
use tokio::sync::{Notify, mpsc, oneshot};

/// The header Telegram sends the secret in.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

#[derive(Clone)]
struct Receiver {
    secret: Arc<Secret>,
    store: mpsc::Sender<Arriving>,
}

/// An update waiting to be stored, and the request waiting to hear that it is.
struct Arriving {
    id: i64,
    chat: Option<i64>,
    payload: String,
    stored: oneshot::Sender<bool>,
}

/// The most updates one statement stores.
const STORE_AT_ONCE: usize = 200;
/// How many statements may store updates at the same time.
const STORERS: usize = 2;

/// The webhook's route: POST on the path of `ASUH_WEBHOOK_URL`.
pub fn routes(hook: &Webhook, db: Db, wake_processor: Arc<Notify>) -> Router {
    let path = match hook.url.path() {
        "" => "/",
        p => p,
    };
    Router::new().route(
        path,
        post(receive).with_state(Receiver {
            secret: Arc::new(hook.secret.clone()),
            store: storers(db, wake_processor),
        }),
    )
}

/// Stores the updates of the requests in hand together: what arrives while a statement runs goes in the
/// next one, so under load each commit acknowledges many requests (one commit per request made the
/// database's commits the limit). Each request is answered only after the statement with its update has
/// committed. The tasks end when the route is gone.
fn storers(db: Db, wake_processor: Arc<Notify>) -> mpsc::Sender<Arriving> {
    let (tx, rx) = mpsc::channel::<Arriving>(4 * STORE_AT_ONCE);
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    for _ in 0..STORERS {
        let (rx, db, wake) = (rx.clone(), db.clone(), wake_processor.clone());
        tokio::spawn(async move {
            // A connection of its own, kept between statements: acknowledging never waits in the pool
            // behind the handlers (32 chats at once share it), which made the acknowledgements as slow as
            // the handling.
            let mut held = None;
            loop {
                let mut batch = Vec::new();
                {
                    let mut rx = rx.lock().await;
                    match rx.recv().await {
                        Some(a) => batch.push(a),
                        None => return,
                    }
                    while batch.len() < STORE_AT_ONCE {
                        match rx.try_recv() {
                            Ok(a) => batch.push(a),
                            Err(_) => break,
                        }
                    }
                }
                let mut seen = std::collections::HashSet::new();
                let rows: Vec<(i64, Option<i64>, &str)> = batch
                    .iter()
                    .filter(|a| seen.insert(a.id))
                    .map(|a| (a.id, a.chat, a.payload.as_str()))
                    .collect();
                let stored = async {
                    let conn = match &mut held {
                        Some(conn) => conn,
                        None => held.insert(db.conn().await?),
                    };
                    inbox::store_many(conn, &rows, Utc::now()).await
                }
                .await;
                if stored.is_err() {
                    // The next statement on a fresh connection.
                    held = None;
                }
                let ok = match stored {
                    Ok(()) => {
                        wake.notify_one();
                        true
                    }
                    Err(e) => {
                        // Not acknowledged: Telegram sends them again.
                        tracing::error!(updates = rows.len(), error = %e, "cannot store webhook updates");
                        false
                    }
                };
                drop(rows);
                for a in batch {
                    let _ = a.stored.send(ok);
                }
            }
        });
    }
    tx
}

/// One update from Telegram: refused without the right secret; stored, then acknowledged.
async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !same_secret(given, r.secret.expose().as_bytes()) {
        tracing::warn!("a webhook request without the right secret token was refused");
        return StatusCode::UNAUTHORIZED;
    }
    let (update_id, chat, payload) = match read(&body) {
        Some(read) => read,
        None => return StatusCode::BAD_REQUEST,
    };
    let (stored, outcome) = oneshot::channel();
    let arriving = Arriving {
        id: update_id,
        chat,
        payload,
        stored,
    };
    if r.store.send(arriving).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    match outcome.await {
        Ok(true) => StatusCode::OK,
        // Not stored: Telegram sends it again.
        _ => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The update's id, chat and the JSON to keep. An update teloxide cannot read is kept as it came (the
/// processor records why it skips it), so that Telegram does not send it again and again.
fn read(body: &[u8]) -> Option<(i64, Option<i64>, String)> {
    if let Ok(update) = serde_json::from_slice::<Update>(body)
        && let Ok(json) = payload(&update)
    {
        return Some((i64::from(update.id.0), chat_of(&update), json));
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let id = value.get("update_id")?.as_i64()?;
    Some((id, None, value.to_string()))
}

/// Compares the secrets in time that does not depend on where they differ (nor on their lengths: the
/// digests are compared).
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let a = Sha256::digest(given);
    let b = Sha256::digest(expected);
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// Registers the webhook with Telegram: the URL, the secret and the kinds of update asuh handles.
pub async fn register(bot: &Bot, hook: &Webhook) -> anyhow::Result<()> {
    bot.set_webhook(hook.url.clone())
        .secret_token(hook.secret.expose())
        .allowed_updates(ALLOWED_UPDATES.to_vec())
        .max_connections(hook.max_connections)
        .await
        .map_err(refused)?;
    Ok(())
}

fn refused(e: teloxide::RequestError) -> anyhow::Error {
    anyhow::anyhow!("Telegram: {}", super::describe(&e))
}

/// At start: registers the webhook when Telegram has another URL (or none) or another number of
/// connections. Telegram does not tell the secret back; after changing it, run `asuh webhook set`.
pub async fn ensure(bot: &Bot, hook: &Webhook) -> anyhow::Result<bool> {
    let info = bot.get_webhook_info().await.map_err(refused)?;
    if info.url.as_ref() == Some(&hook.url)
        && info
            .max_connections
            .is_none_or(|n| n == u32::from(hook.max_connections))
    {
        return Ok(false);
    }
    register(bot, hook).await?;
    Ok(true)
}

/// Removes the webhook, keeping the updates Telegram holds: they come by long polling next.
pub async fn delete(bot: &Bot) -> anyhow::Result<()> {
    bot.delete_webhook().await.map_err(refused)?;
    Ok(())
}

/// What Telegram says about the webhook, as lines for the operator.
pub async fn info(bot: &Bot) -> anyhow::Result<Vec<String>> {
    let info = bot.get_webhook_info().await.map_err(refused)?;
    let mut lines = vec![match &info.url {
        Some(url) => format!("webhook: {url}"),
        None => "webhook: none (updates are received by long polling)".to_owned(),
    }];
    lines.push(format!("pending updates: {}", info.pending_update_count));
    if let Some(n) = info.max_connections {
        lines.push(format!("max connections: {n}"));
    }
    if let Some(kinds) = &info.allowed_updates {
        let names: Vec<String> = kinds
            .iter()
            .map(|k| {
                serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| format!("{k:?}"))
            })
            .collect();
        lines.push(format!("allowed updates: {}", names.join(", ")));
    }
    if let (Some(at), Some(message)) = (info.last_error_date, &info.last_error_message) {
        lines.push(format!("last error: {} at {}", message, at.to_rfc3339()));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_secret_passes() {
        assert!(same_secret(b"abc-DEF_123", b"abc-DEF_123"));
        assert!(!same_secret(b"abc-DEF_124", b"abc-DEF_123"));
        assert!(!same_secret(b"", b"abc"));
        assert!(!same_secret(b"abc-DEF_1234", b"abc-DEF_123"));
    }

    #[test]
    fn an_update_is_kept_with_its_chat_and_an_unreadable_one_as_it_came() {
        let text = br#"{"update_id": 41, "message": {"message_id": 3, "date": 1700000000,
            "chat": {"id": 77, "type": "private", "first_name": "Wa Ode"},
            "from": {"id": 77, "is_bot": false, "first_name": "Wa Ode"}, "text": "/start"}}"#;
        let (id, chat, json) = read(text).expect("an update");
        assert_eq!((id, chat), (41, Some(77)));
        assert!(json.contains("/start"));
        let odd = br#"{"update_id": 42, "message": "not a message"}"#;
        let (id, chat, _) = read(odd).expect("kept");
        assert_eq!((id, chat), (42, None));
        assert!(read(b"not json").is_none());
        assert!(read(br#"{"no": "id"}"#).is_none());
    }
}
