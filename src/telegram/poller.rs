//! Long polling: getUpdates → the inbox table. The offset moves past an update only after it is stored,
//! so a crash never loses one; handling happens elsewhere ([`super::processor`]).

use super::incoming::chat_of;
use crate::store::{Db, inbox};
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::AllowedUpdate;
use teloxide::{ApiError, RequestError};
use tokio::sync::{Notify, watch};

/// Seconds Telegram holds a getUpdates call open; below teloxide's 17 s client timeout.
const POLL_TIMEOUT_SECS: u32 = 10;

/// The kinds of update asuh handles, asked for by polling and by the webhook alike.
pub const ALLOWED_UPDATES: [AllowedUpdate; 3] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

pub async fn run(
    db: Db,
    bot: Bot,
    wake_processor: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut failures: u32 = 0;
    while !*shutdown.borrow() {
        let offset = match db.conn().await {
            Ok(mut conn) => inbox::next_offset(&mut conn).await,
            Err(e) => Err(e),
        };
        let offset = match offset {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the polling offset");
                pause(&mut failures, &mut shutdown).await;
                continue;
            }
        };
        let mut request = bot
            .get_updates()
            .timeout(POLL_TIMEOUT_SECS)
            .allowed_updates(ALLOWED_UPDATES.to_vec());
        if let Some(offset) = offset.and_then(|o| i32::try_from(o).ok()) {
            request = request.offset(offset);
        }
        let result = tokio::select! {
            r = request.send() => r,
            _ = shutdown.changed() => break,
        };
        match result {
            Ok(updates) if updates.is_empty() => failures = 0,
            Ok(updates) => match store(&db, &updates).await {
                Ok(()) => {
                    failures = 0;
                    wake_processor.notify_one();
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot store updates; asking again");
                    pause(&mut failures, &mut shutdown).await;
                }
            },
            Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates)) => {
                tracing::error!(
                    "another process polls this bot's updates (409); only one `asuh run` may poll"
                );
                pause(&mut failures, &mut shutdown).await;
            }
            Err(RequestError::Api(ApiError::CantGetUpdates)) => {
                webhook_is_set(&mut failures, &mut shutdown).await
            }
            Err(RequestError::Api(ApiError::Unknown(text)))
                if text.contains("webhook is active") =>
            {
                webhook_is_set(&mut failures, &mut shutdown).await;
            }
            Err(RequestError::RetryAfter(s)) => {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(u64::from(s.seconds()))) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %super::describe(&e), "getUpdates failed");
                pause(&mut failures, &mut shutdown).await;
            }
        }
    }
}

async fn store(db: &Db, updates: &[teloxide::types::Update]) -> crate::store::Result<()> {
    let mut tx = db.begin().await?;
    let now = Utc::now();
    for update in updates {
        let payload =
            payload(update).map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?;
        inbox::store(
            &mut tx,
            i64::from(update.id.0),
            chat_of(update),
            &payload,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The update as JSON that reads back as the same update. teloxide writes a button's message that the bot
/// can no longer see (too old, deleted) without the `date: 0` that marks it inaccessible, and could then not
/// read it back: a press on an old reminder's ✅ would be dropped. The date is put back.
pub(super) fn payload(update: &teloxide::types::Update) -> serde_json::Result<String> {
    let mut value = serde_json::to_value(update)?;
    if let Some(message) = value.pointer_mut("/callback_query/message")
        && let Some(fields) = message.as_object_mut()
    {
        fields.entry("date").or_insert(serde_json::Value::from(0));
    }
    serde_json::to_string(&value)
}

async fn webhook_is_set(failures: &mut u32, shutdown: &mut watch::Receiver<bool>) {
    tracing::error!(
        "a webhook is set for this bot, so it cannot poll: `asuh webhook delete` returns to long polling, or set ASUH_WEBHOOK_URL and ASUH_WEBHOOK_SECRET to receive by webhook"
    );
    pause(failures, shutdown).await;
}

/// Backs off 1 s, 2 s, 4 s … up to 30 s while Telegram or the database is unreachable.
async fn pause(failures: &mut u32, shutdown: &mut watch::Receiver<bool>) {
    *failures = failures.saturating_add(1);
    let secs = 2u64
        .saturating_pow(failures.saturating_sub(1).min(5))
        .min(30);
    tokio::select! {
        _ = tokio::time::sleep(Duration::from_secs(secs)) => {}
        _ = shutdown.changed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use teloxide::types::{MaybeInaccessibleMessage, Update, UpdateKind};

    #[test]
    fn a_press_on_a_message_the_bot_cannot_see_reads_back() {
        let raw = r#"{"update_id": 7, "callback_query": {"id": "1", "from": {"id": 5, "is_bot": false,
            "first_name": "Wa Ode"}, "chat_instance": "5", "data": "dv:3",
            "message": {"message_id": 9, "chat": {"id": 5, "type": "private", "first_name": "Wa Ode"},
            "date": 0}}}"#;
        let update: Update = serde_json::from_str(raw).expect("telegram's update");
        let stored = payload(&update).expect("payload");
        let back: Update = serde_json::from_str(&stored).expect("reads back");
        let UpdateKind::CallbackQuery(q) = back.kind else {
            panic!("a callback query");
        };
        assert!(matches!(
            q.message,
            Some(MaybeInaccessibleMessage::Inaccessible(_))
        ));
        assert_eq!(q.data.as_deref(), Some("dv:3"));
    }
}
