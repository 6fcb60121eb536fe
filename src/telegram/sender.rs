//! The one path out: claims outbox rows and turns them into Bot API calls within Telegram's limits
//! (about 30 messages a second overall, one a second per private chat, 20 a minute per group), honouring
//! 429 retry_after, retrying network and server errors with backoff, and giving up on permanent errors with
//! the reason stored. A 403 marks the user unreachable.

use crate::domain::UserId;
use crate::outbound::{Keyboard, Outbound};
use crate::store::{Db, outbox, users};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup,
    KeyboardButton, KeyboardMarkup, KeyboardRemove, MessageId, ParseMode, Recipient, ReplyMarkup,
};
use teloxide::{ApiError, RequestError};
use tokio::sync::{Notify, watch};
use tokio::time::Instant;

/// Telegram's sending limits, configurable for tests of the limiter itself.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: usize,
    pub chat_interval: Duration,
    pub group_per_minute: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_second: 30,
            chat_interval: Duration::from_secs(1),
            group_per_minute: 20,
        }
    }
}

/// How long a claimed row stays ours; a sender that dies leaves it to be claimed again after this.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
const BATCH: i64 = 100;
/// After this many failed attempts a transient error is treated as permanent.
const MAX_ATTEMPTS: i64 = 12;

pub struct Sender {
    db: Db,
    bot: Bot,
    wake: Arc<Notify>,
    limits: Limits,
    recent: VecDeque<Instant>,
    chat_ready: HashMap<i64, Instant>,
    group_recent: HashMap<i64, VecDeque<Instant>>,
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

impl Sender {
    pub fn new(db: Db, bot: Bot, wake: Arc<Notify>, limits: Limits) -> Self {
        Self {
            db,
            bot,
            wake,
            limits,
            recent: VecDeque::new(),
            chat_ready: HashMap::new(),
            group_recent: HashMap::new(),
        }
    }

    /// Sends until `shutdown` turns true, sleeping until the next row is due or a writer wakes it.
    pub async fn run(mut self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            let handled = match self.drain_once(&shutdown).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %e, "outbox sender failed; retrying");
                    0
                }
            };
            if handled > 0 {
                continue;
            }
            let sleep = self.idle_sleep().await;
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    async fn idle_sleep(&self) -> Duration {
        let next = match self.db.conn().await {
            Ok(mut conn) => outbox::next_due(&mut conn).await.ok().flatten(),
            Err(_) => None,
        };
        let until = next.map(|at| (at - Utc::now()).to_std().unwrap_or(Duration::ZERO));
        until
            .unwrap_or(Duration::from_secs(5))
            .clamp(Duration::from_millis(20), Duration::from_secs(5))
    }

    /// Claims one batch of due rows and sends what the limits allow; rows for a chat that must wait are
    /// put back with the time they may go, keeping their order. Returns how many rows were handled.
    pub async fn drain_once(
        &mut self,
        shutdown: &watch::Receiver<bool>,
    ) -> crate::store::Result<usize> {
        let batch = outbox::claim(&self.db, Utc::now(), LEASE, BATCH).await?;
        let count = batch.len();
        let mut held: HashSet<i64> = HashSet::new();
        for row in batch {
            let now = Utc::now();
            if *shutdown.borrow() || held.contains(&row.chat_id) {
                let at = self.ready_at(row.chat_id).unwrap_or(now);
                outbox::retry_at(&mut *self.db.conn().await?, row.id, at, false, None).await?;
                continue;
            }
            let Ok(outbound) = serde_json::from_str::<Outbound>(&row.payload) else {
                outbox::fail(
                    &mut *self.db.conn().await?,
                    row.id,
                    "payload does not parse",
                    now,
                )
                .await?;
                continue;
            };
            if outbound.is_new_message() {
                if let Some(at) = self.ready_at(row.chat_id) {
                    let wait = (at - now).to_std().unwrap_or(Duration::ZERO);
                    if wait > Duration::from_millis(250) {
                        // Another chat's message may go meanwhile; this one keeps its place in its chat.
                        held.insert(row.chat_id);
                        outbox::retry_at(&mut *self.db.conn().await?, row.id, at, false, None)
                            .await?;
                        continue;
                    }
                    tokio::time::sleep(wait).await;
                }
                self.wait_global_slot().await;
                if row.chat_id > 0
                    && users::is_unreachable(&mut *self.db.conn().await?, UserId(row.chat_id))
                        .await?
                {
                    outbox::fail(
                        &mut *self.db.conn().await?,
                        row.id,
                        "recipient unreachable",
                        now,
                    )
                    .await?;
                    continue;
                }
            }
            let outcome = self.call(&outbound).await;
            self.record(&outbound, &outcome);
            let mut conn = self.db.conn().await?;
            let now = Utc::now();
            match outcome {
                Outcome::Sent(message_id) => {
                    outbox::mark_sent(&mut conn, row.id, message_id, now).await?
                }
                Outcome::RetryAfter(wait) => {
                    tracing::warn!(
                        chat = row.chat_id,
                        secs = wait.as_secs(),
                        "Telegram asked to retry later"
                    );
                    held.insert(row.chat_id);
                    let at = now + chrono::Duration::from_std(wait).unwrap_or_default();
                    outbox::retry_at(&mut conn, row.id, at, true, Some("429 retry after")).await?;
                }
                Outcome::Transient(e) if row.attempts + 1 < MAX_ATTEMPTS => {
                    tracing::warn!(chat = row.chat_id, attempt = row.attempts + 1, error = %e, "send failed; will retry");
                    held.insert(row.chat_id);
                    let at = now + backoff(row.attempts);
                    outbox::retry_at(&mut conn, row.id, at, true, Some(&e)).await?;
                }
                Outcome::Transient(e) | Outcome::Permanent(e) => {
                    tracing::error!(chat = row.chat_id, error = %e, "giving up on a message");
                    outbox::fail(&mut conn, row.id, &e, now).await?;
                }
                Outcome::Unreachable(e) => {
                    tracing::info!(chat = row.chat_id, "recipient unreachable: {e}");
                    outbox::fail(&mut conn, row.id, &e, now).await?;
                    if row.chat_id > 0 {
                        users::mark_unreachable(&mut conn, UserId(row.chat_id), now).await?;
                    }
                }
            }
        }
        Ok(count)
    }

    /// When the next new message may go to `chat`, if not now.
    fn ready_at(&self, chat: i64) -> Option<DateTime<Utc>> {
        let now = Instant::now();
        let mut ready = self.chat_ready.get(&chat).copied().filter(|at| *at > now);
        if chat < 0
            && let Some(window) = self.group_recent.get(&chat)
            && window.len() >= self.limits.group_per_minute
            && let Some(first) = window.front()
        {
            let at = *first + Duration::from_secs(60);
            ready = Some(ready.map_or(at, |r| r.max(at)));
        }
        ready.map(|at| Utc::now() + chrono::Duration::from_std(at - now).unwrap_or_default())
    }

    async fn wait_global_slot(&mut self) {
        loop {
            let now = Instant::now();
            while self
                .recent
                .front()
                .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
            {
                self.recent.pop_front();
            }
            match self.recent.front() {
                Some(first) if self.recent.len() >= self.limits.per_second => {
                    tokio::time::sleep_until(*first + Duration::from_secs(1)).await;
                }
                _ => return,
            }
        }
    }

    fn record(&mut self, outbound: &Outbound, outcome: &Outcome) {
        let now = Instant::now();
        let chat = outbound.chat_id();
        if let Outcome::RetryAfter(wait) = outcome {
            self.chat_ready.insert(chat, now + *wait);
            return;
        }
        if !outbound.is_new_message() || !matches!(outcome, Outcome::Sent(_)) {
            return;
        }
        self.recent.push_back(now);
        self.chat_ready
            .insert(chat, now + self.limits.chat_interval);
        if chat < 0 {
            let window = self.group_recent.entry(chat).or_default();
            window.push_back(now);
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
            {
                window.pop_front();
            }
        }
        if self.chat_ready.len() > 10_000 {
            self.chat_ready.retain(|_, at| *at > now);
        }
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
