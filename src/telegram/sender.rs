//! The one path out: claims outbox rows and turns them into Bot API calls within Telegram's limits
//! (about 30 messages a second overall, one a second per private chat, 20 a minute per group), honouring
//! 429 retry_after, retrying network and server errors with backoff, and giving up on permanent errors with
//! the reason stored. A 403 marks the user unreachable.

use crate::clock::Clock;
use crate::domain::UserId;
use crate::media::MediaStore;
use crate::outbound::{Attachment, Keyboard, Outbound};
use crate::services::notices;
use crate::store::{Db, outbox, pace, users};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, ButtonRequest, FileId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, KeyboardButton, KeyboardMarkup, KeyboardRemove, MessageId, ParseMode, Recipient,
    ReplyMarkup,
};
use teloxide::{ApiError, RequestError};
use tokio::sync::{Notify, watch};

/// Telegram's sending limits, configurable for tests of the limiter itself.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: u32,
    pub chat_interval: Duration,
    pub group_per_minute: u32,
    /// How long a claimed row stays ours; a sender that dies leaves it to be claimed again after this.
    pub lease: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_second: 30,
            chat_interval: Duration::from_secs(1),
            group_per_minute: 20,
            lease: Duration::from_secs(60),
        }
    }
}

impl Limits {
    /// The spacing between any two messages. Evenly spaced turns, a millisecond longer than the ceiling
    /// allows, keep every sliding second under it even with some jitter on the way to Telegram.
    fn global_interval(&self) -> chrono::Duration {
        chrono::Duration::milliseconds(1000 / i64::from(self.per_second.max(1)) + 1)
    }

    fn chat_interval(&self, chat: i64) -> chrono::Duration {
        if chat < 0 {
            chrono::Duration::milliseconds(60_000 / i64::from(self.group_per_minute.max(1)))
        } else {
            chrono::Duration::from_std(self.chat_interval).unwrap_or(chrono::Duration::seconds(1))
        }
    }
}

const BATCH: i64 = 100;
/// After this many failed attempts a transient error is treated as permanent.
const MAX_ATTEMPTS: i64 = 12;
/// A chat whose next turn is further away than this is skipped for now, so others' messages go meanwhile.
const CHAT_WAIT: chrono::Duration = chrono::Duration::milliseconds(250);
/// The longest Telegram's "retry after" holds back every other chat too.
const GLOBAL_PAUSE: chrono::Duration = chrono::Duration::seconds(1);

pub struct Sender {
    db: Db,
    bot: Bot,
    wake: Arc<Notify>,
    limits: Limits,
    /// What is due is decided by this clock; turns and leases always use the machine's.
    clock: Clock,
    /// Where kept files are read from when a message carries one.
    media: Option<MediaStore>,
}

/// What became of one call.
#[derive(Debug)]
enum Outcome {
    Sent(Option<i64>),
    RetryAfter(Duration),
    Transient(String),
    Unreachable(String),
    Permanent(String),
}

/// What one claimed batch came to.
#[derive(Debug, Default, Clone, Copy)]
pub struct Drained {
    pub claimed: usize,
    /// Sent, or settled for good (failed).
    pub settled: usize,
}

impl Sender {
    pub fn new(db: Db, bot: Bot, wake: Arc<Notify>, limits: Limits, clock: Clock) -> Self {
        Self {
            db,
            bot,
            wake,
            limits,
            clock,
            media: None,
        }
    }

    /// Lets messages carry files from the media store (the evidence sent back or exported).
    pub fn with_media(mut self, media: MediaStore) -> Self {
        self.media = Some(media);
        self
    }

    /// The file to upload or re-send for an attachment; `Err` says why it cannot be had now.
    async fn input_file(&self, a: &Attachment) -> Result<InputFile, Outcome> {
        match a {
            Attachment::Telegram { file_id } => Ok(InputFile::file_id(FileId(file_id.clone()))),
            Attachment::Text { file_name, content } => {
                Ok(InputFile::memory(content.clone().into_bytes()).file_name(file_name.clone()))
            }
            Attachment::Stored { key, file_name } => {
                let Some(media) = &self.media else {
                    return Err(Outcome::Permanent("no media store here".into()));
                };
                match media.get(key).await {
                    Ok(Some(bytes)) => Ok(InputFile::memory(bytes).file_name(file_name.clone())),
                    Ok(None) => Err(Outcome::Permanent(format!(
                        "{key} is not in the media store"
                    ))),
                    // The store may be out of reach for a moment (a bucket over the network).
                    Err(e) => Err(Outcome::Transient(e.to_string())),
                }
            }
        }
    }

    /// Sends until `shutdown` turns true, sleeping until the next row is due or a writer wakes it.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let drained = match self.drain_once(&shutdown).await {
                Ok(d) => d,
                Err(e) => {
                    tracing::error!(error = %e, "outbox sender failed; retrying");
                    Drained::default()
                }
            };
            if drained.settled > 0 {
                continue;
            }
            let sleep = if drained.claimed > 0 {
                // Everything claimed was held back for its chat's turn: look again shortly.
                Duration::from_millis(100)
            } else {
                self.idle_sleep().await
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Sends everything due as of the clock's time and returns. A message Telegram asked to retry soon
    /// (429, a 5xx backoff) is waited for; what must wait longer (quiet hours, a long backoff) stays in
    /// the outbox for the next pass or the running bot. For `asuh tick`.
    pub async fn drain_due(&self, shutdown: &watch::Receiver<bool>) -> crate::store::Result<usize> {
        const SOON: chrono::Duration = chrono::Duration::seconds(20);
        let mut settled = 0;
        while !*shutdown.borrow() {
            let d = self.drain_once(shutdown).await?;
            settled += d.settled;
            if d.claimed > 0 {
                if d.settled == 0 {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
            let next = outbox::next_pending(&mut *self.db.conn().await?).await?;
            match next {
                Some(at) if at - self.clock.now() <= SOON => {
                    let wait = (at - self.clock.now()).to_std().unwrap_or(Duration::ZERO);
                    tokio::time::sleep(wait.max(Duration::from_millis(20))).await;
                }
                _ => break,
            }
        }
        Ok(settled)
    }

    async fn idle_sleep(&self) -> Duration {
        let next = match self.db.conn().await {
            Ok(mut conn) => outbox::next_due(&mut conn).await.ok().flatten(),
            Err(_) => None,
        };
        let until = next.map(|at| (at - self.clock.now()).to_std().unwrap_or(Duration::ZERO));
        until
            .unwrap_or(Duration::from_secs(5))
            .clamp(Duration::from_millis(20), Duration::from_secs(5))
    }

    /// Claims one batch of due rows and sends what the limits allow; rows for a chat that must wait are
    /// put back with the time they may go, keeping their order.
    pub async fn drain_once(
        &self,
        shutdown: &watch::Receiver<bool>,
    ) -> crate::store::Result<Drained> {
        let due_by = self.clock.now();
        let lease =
            chrono::Duration::from_std(self.limits.lease).unwrap_or(chrono::Duration::minutes(1));
        let batch = outbox::claim(&self.db, due_by, Utc::now(), lease, BATCH).await?;
        let mut drained = Drained {
            claimed: batch.len(),
            settled: 0,
        };
        let mut held: HashSet<i64> = HashSet::new();
        for row in batch {
            let mut conn = self.db.conn().await?;
            if *shutdown.borrow() || held.contains(&row.chat_id) {
                outbox::retry_at(&mut conn, row.id, due_by, false, None).await?;
                continue;
            }
            let Ok(outbound) = serde_json::from_str::<Outbound>(&row.payload) else {
                outbox::fail(&mut conn, row.id, "payload does not parse", due_by).await?;
                drained.settled += 1;
                continue;
            };
            if outbound.is_new_message() {
                if row.chat_id > 0 && users::is_unreachable(&mut conn, UserId(row.chat_id)).await? {
                    outbox::fail(&mut conn, row.id, "recipient unreachable", due_by).await?;
                    drained.settled += 1;
                    continue;
                }
                if let Err(next) = self.take_turns(&mut conn, row.chat_id).await? {
                    // Another chat's message may go meanwhile; this one keeps its place in its chat.
                    held.insert(row.chat_id);
                    let at = due_by.max(due_by + (next - Utc::now()));
                    outbox::retry_at(&mut conn, row.id, at, false, None).await?;
                    continue;
                }
            }
            drop(conn);
            let outcome = self.call(&outbound).await;
            let mut tx = self.db.begin().await?;
            let now = self.clock.now();
            match outcome {
                Outcome::Sent(message_id) => {
                    outbox::mark_sent(&mut tx, row.id, message_id, now).await?;
                    drained.settled += 1;
                }
                Outcome::RetryAfter(wait) => {
                    tracing::warn!(
                        chat = row.chat_id,
                        secs = wait.as_secs(),
                        "Telegram asked to retry later"
                    );
                    held.insert(row.chat_id);
                    let wait =
                        chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(1));
                    let real = Utc::now();
                    pace::hold(&mut tx, &pace::chat_key(row.chat_id), real + wait).await?;
                    pace::hold(&mut tx, pace::GLOBAL, real + wait.min(GLOBAL_PAUSE)).await?;
                    outbox::retry_at(&mut tx, row.id, now + wait, true, Some("429 retry after"))
                        .await?;
                }
                Outcome::Transient(e) if row.attempts + 1 < MAX_ATTEMPTS => {
                    tracing::warn!(chat = row.chat_id, attempt = row.attempts + 1, error = %e, "send failed; will retry");
                    held.insert(row.chat_id);
                    outbox::retry_at(&mut tx, row.id, now + backoff(row.attempts), true, Some(&e))
                        .await?;
                }
                Outcome::Transient(e) | Outcome::Permanent(e) => {
                    tracing::error!(chat = row.chat_id, error = %e, "giving up on a message");
                    outbox::fail(&mut tx, row.id, &e, now).await?;
                    drained.settled += 1;
                }
                Outcome::Unreachable(e) => {
                    tracing::info!(chat = row.chat_id, "recipient unreachable: {e}");
                    outbox::fail(&mut tx, row.id, &e, now).await?;
                    if row.chat_id > 0 {
                        notices::unreachable(&mut tx, UserId(row.chat_id), now).await?;
                    }
                    drained.settled += 1;
                }
            }
            tx.commit().await?;
        }
        Ok(drained)
    }

    /// Takes this chat's turn and then a global one, shared with every other sender on the database, and
    /// waits for the later of the two. `Err(when)` if the chat's turn is further off than [`CHAT_WAIT`].
    async fn take_turns(
        &self,
        conn: &mut crate::store::Conn,
        chat: i64,
    ) -> crate::store::Result<Result<(), DateTime<Utc>>> {
        let now = Utc::now();
        let chat_turn = match pace::take(
            conn,
            &pace::chat_key(chat),
            now,
            self.limits.chat_interval(chat),
            CHAT_WAIT,
        )
        .await?
        {
            Ok(at) => at,
            Err(next) => return Ok(Err(next)),
        };
        let global_turn = match pace::take(
            conn,
            pace::GLOBAL,
            now,
            self.limits.global_interval(),
            chrono::Duration::minutes(10),
        )
        .await?
        {
            Ok(at) | Err(at) => at,
        };
        let wait = (chat_turn.max(global_turn) - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO);
        tokio::time::sleep(wait).await;
        Ok(Ok(()))
    }

    async fn call(&self, outbound: &Outbound) -> Outcome {
        let result = match outbound {
            Outbound::Message {
                chat_id,
                text,
                keyboard,
            } => {
                let mut req = self
                    .bot
                    .send_message(ChatId(*chat_id), text.clone())
                    .parse_mode(ParseMode::Html);
                if let Some(markup) = reply_markup(keyboard) {
                    req = req.reply_markup(markup);
                }
                req.await.map(|m| Some(i64::from(m.id.0)))
            }
            Outbound::Edit {
                chat_id,
                message_id,
                text,
                keyboard,
            } => {
                let Ok(id) = i32::try_from(*message_id) else {
                    return Outcome::Permanent("message id out of range".into());
                };
                let mut req = self
                    .bot
                    .edit_message_text(ChatId(*chat_id), MessageId(id), text.clone())
                    .parse_mode(ParseMode::Html);
                if let Keyboard::Inline { rows } = keyboard {
                    req = req.reply_markup(inline(rows));
                }
                match req.await {
                    Err(RequestError::Api(ApiError::MessageNotModified)) => Ok(Some(*message_id)),
                    other => other.map(|m| Some(i64::from(m.id.0))),
                }
            }
            Outbound::Photo {
                chat_id,
                photo,
                caption,
                keyboard,
            } => {
                let file = match self.input_file(photo).await {
                    Ok(f) => f,
                    Err(outcome) => return outcome,
                };
                let mut req = self
                    .bot
                    .send_photo(ChatId(*chat_id), file)
                    .caption(caption.clone())
                    .parse_mode(ParseMode::Html);
                if let Some(markup) = reply_markup(keyboard) {
                    req = req.reply_markup(markup);
                }
                req.await.map(|m| Some(i64::from(m.id.0)))
            }
            Outbound::Document {
                chat_id,
                document,
                caption,
            } => {
                let file = match self.input_file(document).await {
                    Ok(f) => f,
                    Err(outcome) => return outcome,
                };
                self.bot
                    .send_document(ChatId(*chat_id), file)
                    .caption(caption.clone())
                    .parse_mode(ParseMode::Html)
                    .await
                    .map(|m| Some(i64::from(m.id.0)))
            }
            Outbound::Commands {
                chat_id,
                language,
                commands,
            } => {
                let commands = commands
                    .iter()
                    .map(|(c, d)| BotCommand::new(c.clone(), d.clone()));
                let mut req = self.bot.set_my_commands(commands);
                if let Some(chat) = chat_id {
                    req = req.scope(BotCommandScope::Chat {
                        chat_id: Recipient::Id(ChatId(*chat)),
                    });
                }
                if let Some(lang) = language {
                    req = req.language_code(lang.clone());
                }
                req.await.map(|_| None)
            }
        };
        match result {
            Ok(id) => Outcome::Sent(id),
            Err(e) => classify(e),
        }
    }
}

fn classify(e: RequestError) -> Outcome {
    match e {
        RequestError::RetryAfter(s) => {
            Outcome::RetryAfter(Duration::from_secs(u64::from(s.seconds()).max(1)))
        }
        RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. } => {
            Outcome::Transient(super::describe(&e))
        }
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantTalkWithBots,
        ) => Outcome::Unreachable(super::describe(&e)),
        // Telegram's 5xx answers carry no known description; client errors all say what they are.
        RequestError::Api(ApiError::Unknown(ref d))
            if !["Bad Request", "Forbidden", "Unauthorized", "Not Found"]
                .iter()
                .any(|p| d.starts_with(p)) =>
        {
            Outcome::Transient(super::describe(&e))
        }
        other => Outcome::Permanent(super::describe(&other)),
    }
}

/// 2 s, 4 s, 8 s … capped at 10 minutes.
fn backoff(attempts: i64) -> chrono::Duration {
    let secs = 2i64
        .saturating_pow(u32::try_from(attempts + 1).unwrap_or(u32::MAX).min(20))
        .min(600);
    chrono::Duration::seconds(secs)
}

fn inline(rows: &[Vec<crate::outbound::Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter()
            .map(|b| InlineKeyboardButton::callback(b.text.clone(), b.data.clone()))
    }))
}

fn reply_markup(keyboard: &Keyboard) -> Option<ReplyMarkup> {
    match keyboard {
        Keyboard::None => None,
        Keyboard::Inline { rows } => Some(ReplyMarkup::InlineKeyboard(inline(rows))),
        Keyboard::ShareContact { label } => Some(ReplyMarkup::Keyboard(
            KeyboardMarkup::new(vec![vec![
                KeyboardButton::new(label.clone()).request(ButtonRequest::Contact),
            ]])
            .resize_keyboard()
            .one_time_keyboard(),
        )),
        Keyboard::ShareLocation { label, rows } => {
            let mut keys = vec![vec![
                KeyboardButton::new(label.clone()).request(ButtonRequest::Location),
            ]];
            keys.extend(
                rows.iter()
                    .map(|row| row.iter().map(|t| KeyboardButton::new(t.clone())).collect()),
            );
            Some(ReplyMarkup::Keyboard(
                KeyboardMarkup::new(keys).resize_keyboard(),
            ))
        }
        Keyboard::Remove => Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0).num_seconds(), 2);
        assert_eq!(backoff(1).num_seconds(), 4);
        assert_eq!(backoff(8).num_seconds(), 512);
        assert_eq!(backoff(9).num_seconds(), 600);
        assert_eq!(backoff(1000).num_seconds(), 600);
    }

    #[test]
    fn errors_are_sorted_by_what_to_do() {
        assert!(matches!(
            classify(RequestError::Api(ApiError::BotBlocked)),
            Outcome::Unreachable(_)
        ));
        assert!(matches!(
            classify(RequestError::Api(ApiError::ChatNotFound)),
            Outcome::Permanent(_)
        ));
        assert!(matches!(
            classify(RequestError::Api(ApiError::Unknown("Bad Gateway".into()))),
            Outcome::Transient(_)
        ));
        assert!(matches!(
            classify(RequestError::Api(ApiError::Unknown(
                "Bad Request: can't parse entities".into()
            ))),
            Outcome::Permanent(_)
        ));
    }
}
