//! Turns a Telegram update into the few kinds of input asuh acts on.

use crate::domain::Lang;
use teloxide::types::{MaybeInaccessibleMessage, Update, UpdateKind};

/// Who sent an update.
#[derive(Debug, Clone)]
pub struct Sender {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// `/name args`, with `@bot` removed.
    Command {
        name: String,
        args: String,
    },
    Text(String),
    Contact {
        phone: String,
        user_id: Option<i64>,
    },
    Callback {
        id: String,
        data: String,
        message_id: Option<i64>,
    },
    /// A file sent as a document (an import, or a picture sent as a file to keep its EXIF).
    Document {
        file_id: String,
        file_unique_id: String,
        file_name: String,
        size: u64,
        mime: Option<String>,
        caption: String,
        album: Option<String>,
    },
    /// A photo (compressed by Telegram): the largest size's ids.
    Photo {
        file_id: String,
        file_unique_id: String,
        /// The album (media group) it came in.
        album: Option<String>,
        caption: String,
    },
    /// A location shared with Telegram's button or attachment menu.
    Location {
        lat: f64,
        lon: f64,
    },
    /// Anything else a user can send (photo, sticker, voice, document, location…): named for the log.
    Other(&'static str),
}

#[derive(Debug, Clone)]
pub struct Incoming {
    pub sender: Sender,
    pub chat_id: i64,
    pub input: Input,
}

/// The sender's chat of an update, when it has one: updates of one chat are handled in order.
pub fn chat_of(update: &Update) -> Option<i64> {
    update.chat().map(|c| c.id.0)
}

/// What asuh does with an update, or `None` for updates it ignores (group chats, edits, other kinds).
/// `bot_username` tells `/help@asuh_bot` (ours) from `/help@other_bot`.
pub fn parse(update: &Update, bot_username: &str) -> Option<Incoming> {
    let (from, chat_id, input) = match &update.kind {
        UpdateKind::Message(msg) => {
            if !msg.chat.is_private() {
                return None;
            }
            let from = msg.from.as_ref()?;
            let input = if let Some(text) = msg.text() {
                parse_text(text, bot_username)?
            } else if let Some(doc) = msg.document() {
                Input::Document {
                    file_id: doc.file.id.0.clone(),
                    file_unique_id: doc.file.unique_id.0.clone(),
                    file_name: doc.file_name.clone().unwrap_or_default(),
                    size: u64::from(doc.file.size),
                    mime: doc.mime_type.as_ref().map(ToString::to_string),
                    caption: msg.caption().unwrap_or_default().to_owned(),
                    album: msg.media_group_id().map(|g| g.0.clone()),
                }
            } else if let Some(size) = msg
                .photo()
                .and_then(|sizes| sizes.iter().max_by_key(|p| p.width * p.height))
            {
                Input::Photo {
                    file_id: size.file.id.0.clone(),
                    file_unique_id: size.file.unique_id.0.clone(),
                    album: msg.media_group_id().map(|g| g.0.clone()),
                    caption: msg.caption().unwrap_or_default().to_owned(),
                }
            } else if let Some(place) = msg.location() {
                Input::Location {
                    lat: place.latitude,
                    lon: place.longitude,
                }
            } else if let Some(contact) = msg.contact() {
                Input::Contact {
                    phone: contact.phone_number.clone(),
                    user_id: contact.user_id.map(|u| u.0 as i64),
                }
            } else {
                Input::Other(kind_name(msg))
            };
            (from, msg.chat.id.0, input)
        }
        UpdateKind::CallbackQuery(q) => {
            let message = q.message.as_ref();
            let chat_id = message.map_or(q.from.id.0 as i64, |m| m.chat().id.0);
            let message_id = message.map(|m: &MaybeInaccessibleMessage| i64::from(m.id().0));
            let input = Input::Callback {
                id: q.id.0.clone(),
                data: q.data.clone().unwrap_or_default(),
                message_id,
            };
            (&q.from, chat_id, input)
        }
        _ => return None,
    };
    if from.is_bot {
        return None;
    }
    Some(Incoming {
        sender: Sender {
            id: from.id.0 as i64,
            first_name: from.first_name.clone(),
            username: from.username.clone(),
            lang: Lang::from_telegram(from.language_code.as_deref()),
        },
        chat_id,
        input,
    })
}

fn parse_text(text: &str, bot_username: &str) -> Option<Input> {
    let Some(rest) = text.strip_prefix('/') else {
        return Some(Input::Text(text.to_owned()));
    };
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (name, target) = head.split_once('@').unwrap_or((head, ""));
    if !target.is_empty() && !target.eq_ignore_ascii_case(bot_username) {
        return None;
    }
    Some(Input::Command {
        name: name.to_ascii_lowercase(),
        args: args.trim().to_owned(),
    })
}

fn kind_name(msg: &teloxide::types::Message) -> &'static str {
    if msg.photo().is_some() {
        "photo"
    } else if msg.document().is_some() {
        "document"
    } else if msg.sticker().is_some() {
        "sticker"
    } else if msg.location().is_some() {
        "location"
    } else if msg.voice().is_some() || msg.audio().is_some() {
        "audio"
    } else if msg.video().is_some() || msg.video_note().is_some() || msg.animation().is_some() {
        "video"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_split_from_their_arguments() {
        assert_eq!(
            parse_text("/undang 74.71.01 7 20", "asuh_bot"),
            Some(Input::Command {
                name: "undang".into(),
                args: "74.71.01 7 20".into()
            })
        );
        assert_eq!(
            parse_text("/Help@Asuh_Bot", "asuh_bot"),
            Some(Input::Command {
                name: "help".into(),
                args: String::new()
            })
        );
        assert_eq!(parse_text("/help@other_bot", "asuh_bot"), None);
        assert_eq!(
            parse_text("Budi", "asuh_bot"),
            Some(Input::Text("Budi".into()))
        );
    }
}
