//! What the bot sends, as data: handlers and jobs produce `Outbound` values, the outbox stores them as
//! JSON, and the sender turns them into Bot API calls. Text is Telegram HTML, already localized and escaped.

use crate::store::{self, Conn, outbox};

pub use crate::store::outbox::Lane;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub text: String,
    pub data: String,
    /// A button that opens this HTTPS URL as a Mini App (the dashboard) instead of sending `data`;
    /// Telegram allows it in private chats only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_app: Option<String>,
}

impl Button {
    pub fn new(text: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            data: data.into(),
            web_app: None,
        }
    }

    /// A button that opens `url` as a Mini App.
    pub fn web_app(text: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            data: String::new(),
            web_app: Some(url.into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Keyboard {
    #[default]
    None,
    /// Buttons under the message, rows of buttons.
    Inline { rows: Vec<Vec<Button>> },
    /// A reply keyboard with one button that shares the user's own phone number.
    ShareContact { label: String },
    /// A reply keyboard whose first button shares the user's location, with rows of plain text buttons
    /// under it (their label comes back as a text message).
    ShareLocation {
        label: String,
        rows: Vec<Vec<String>>,
    },
    /// Takes a reply keyboard away.
    Remove,
}

impl Keyboard {
    pub fn inline(rows: Vec<Vec<Button>>) -> Self {
        Keyboard::Inline { rows }
    }

    /// One button per row.
    pub fn column(buttons: Vec<Button>) -> Self {
        Keyboard::Inline {
            rows: buttons.into_iter().map(|b| vec![b]).collect(),
        }
    }
}

/// The file of a photo or document message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Attachment {
    /// A file Telegram already has (one a user sent): sent again by its id, nothing uploaded.
    Telegram { file_id: String },
    /// A file in the media store (kept evidence), uploaded from there under `file_name`.
    Stored { key: String, file_name: String },
    /// A small text file made on the spot (a CSV export), carried in the outbox row itself.
    Text { file_name: String, content: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outbound {
    Message {
        chat_id: i64,
        text: String,
        #[serde(default)]
        keyboard: Keyboard,
    },
    /// Replaces the text and inline buttons of a message the bot sent earlier.
    Edit {
        chat_id: i64,
        message_id: i64,
        text: String,
        #[serde(default)]
        keyboard: Keyboard,
    },
    /// A picture with a caption (a thank-you with the delivery's photo, the evidence sent back).
    Photo {
        chat_id: i64,
        photo: Attachment,
        caption: String,
        #[serde(default)]
        keyboard: Keyboard,
    },
    /// A file with a caption (an evidence export, a picture sent as a file).
    Document {
        chat_id: i64,
        document: Attachment,
        caption: String,
    },
    /// A command menu: for everyone in one language (`chat_id` None), or for one chat.
    Commands {
        chat_id: Option<i64>,
        language: Option<String>,
        commands: Vec<(String, String)>,
    },
    /// The menu button of one private chat (setChatMenuButton): a Mini App's button (`web_app`: its
    /// label and HTTPS URL), or Telegram's default (the command list) when `None`.
    MenuButton {
        chat_id: i64,
        web_app: Option<(String, String)>,
    },
}

impl Outbound {
    /// The chat this goes to; `0` for menus meant for everyone.
    pub fn chat_id(&self) -> i64 {
        match self {
            Outbound::Message { chat_id, .. }
            | Outbound::Edit { chat_id, .. }
            | Outbound::Photo { chat_id, .. }
            | Outbound::Document { chat_id, .. } => *chat_id,
            Outbound::Commands { chat_id, .. } => chat_id.unwrap_or(0),
            Outbound::MenuButton { chat_id, .. } => *chat_id,
        }
    }

    /// Whether Telegram's per-chat send limit applies (edits and menus do not count as new messages).
    pub fn is_new_message(&self) -> bool {
        matches!(
            self,
            Outbound::Message { .. } | Outbound::Photo { .. } | Outbound::Document { .. }
        )
    }

    /// The outbox row of this message, to go no earlier than `not_before`.
    pub fn queued(&self, not_before: DateTime<Utc>) -> store::Result<outbox::Queued> {
        Ok(outbox::Queued {
            chat_id: self.chat_id(),
            payload: serde_json::to_string(self)
                .map_err(|e| store::StoreError::Corrupt(e.to_string()))?,
            paced: self.is_new_message(),
            not_before,
        })
    }
}

/// Writes a reply to what a person just did ([`Lane::Reply`]): what the processor queues for an update.
/// Everything else names its lane with [`enqueue_in`].
pub async fn enqueue(conn: &mut Conn, o: &Outbound, now: DateTime<Utc>) -> store::Result<()> {
    enqueue_in(conn, Lane::Reply, o, now).await
}

/// Writes a message to the outbox in `lane`, to be sent as soon as the limits allow. Call it inside the
/// transaction of the change that causes the message, so that both happen or neither.
pub async fn enqueue_in(
    conn: &mut Conn,
    lane: Lane,
    o: &Outbound,
    now: DateTime<Utc>,
) -> store::Result<()> {
    write(conn, lane, o, None, now, now).await.map(|_| ())
}

/// Like [`enqueue_in`], to be sent no earlier than `at` (a reminder that waits for the end of quiet hours).
pub async fn enqueue_at(
    conn: &mut Conn,
    lane: Lane,
    o: &Outbound,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> store::Result<()> {
    write(conn, lane, o, None, at.max(now), now)
        .await
        .map(|_| ())
}

/// [`enqueue_at`] of many messages of one lane in a few statements (a reminder pass queues thousands).
pub async fn enqueue_many_at(
    conn: &mut Conn,
    lane: Lane,
    messages: &[(Outbound, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> store::Result<()> {
    let rows = messages
        .iter()
        .map(|(o, at)| o.queued((*at).max(now)))
        .collect::<store::Result<Vec<_>>>()?;
    outbox::enqueue_many(conn, lane, &rows, now).await
}

/// Like [`enqueue_in`], but only the first message under `key` ever counts (a job that runs again does not
/// send twice). Returns whether this call queued it.
pub async fn enqueue_once(
    conn: &mut Conn,
    lane: Lane,
    o: &Outbound,
    key: &str,
    now: DateTime<Utc>,
) -> store::Result<bool> {
    write(conn, lane, o, Some(key), now, now)
        .await
        .map(|id| id.is_some())
}

async fn write(
    conn: &mut Conn,
    lane: Lane,
    o: &Outbound,
    key: Option<&str>,
    not_before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> store::Result<Option<i64>> {
    outbox::enqueue(conn, lane, &o.queued(not_before)?, key, now).await
}
