//! What the bot sends, edits and deletes: texts, photos and documents, reply markup and replies checked
//! like Telegram checks them, callback query answers and chat actions.

use serde_json::{Map, Value, json};

use super::files::{FileKind, document_json};
use super::format::{parse_text, utf16_len};
use super::observe::SentMessage;
use super::server::{
    Reply, Uploads, bot_user_json, param_i64, param_json, param_str, value_as_i64,
};
use super::{Res, St, unix_now};

// Descriptions as teloxide-core 0.13 matches them (see its `ApiError`).
const BOT_BLOCKED: &str = "Forbidden: bot was blocked by the user";
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are \
     exactly the same as a current content and reply markup of the message";
const INVALID_QUERY_ID: &str =
    "query is too old and response timeout expired or query id is invalid";
const TEXT_BUTTONS_UNALLOWED: &str =
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Content {
    Text,
    Media,
    Other,
}

/// A message that exists in a chat (sent by the bot or injected from a user).
pub(super) struct StoredMsg {
    pub(super) from_bot: bool,
    pub(super) json: Value,
    pub(super) content: Content,
    /// Parsed text or caption with its entities.
    pub(super) parsed: (String, Vec<Value>),
    pub(super) raw: Option<String>,
    pub(super) parse_mode: Option<String>,
    /// Inline keyboard, if any.
    pub(super) markup: Option<Value>,
}

impl St {
    /// The chat of `chat_id`: known (a message from it was injected) and not blocking the bot.
    fn target_chat(&self, p: &Map<String, Value>) -> Res<(i64, Value)> {
        let chat_id = param_i64(p, "chat_id").ok_or_else(|| Reply::bad("chat not found"))?;
        let chat = self
            .chats
            .get(&chat_id)
            .cloned()
            .ok_or_else(|| Reply::bad("chat not found"))?;
        if self.blocked.contains(&chat_id) {
            return Err(Reply::err(403, BOT_BLOCKED));
        }
        Ok((chat_id, chat))
    }

    fn check_reply_to(&self, p: &Map<String, Value>, chat_id: i64) -> Res<()> {
        let Some(Value::Object(rp)) = param_json(p, "reply_parameters") else {
            return Ok(());
        };
        let mid = rp.get("message_id").and_then(value_as_i64).unwrap_or(0);
        let target = rp.get("chat_id").and_then(value_as_i64).unwrap_or(chat_id);
        let allow = rp
            .get("allow_sending_without_reply")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !allow && !self.stored.contains_key(&(target, mid)) {
            return Err(Reply::bad("message to be replied not found"));
        }
        Ok(())
    }

    /// Validates reply_markup; returns it parsed.
    fn check_markup(&self, p: &Map<String, Value>, chat: &Value) -> Res<Option<Value>> {
        let Some(markup) = param_json(p, "reply_markup") else {
            return Ok(None);
        };
        let invalid = || Reply::bad("can't parse reply keyboard markup JSON object");
        let obj = markup.as_object().ok_or_else(invalid)?;
        let private = chat.get("type").and_then(Value::as_str) == Some("private");
        if let Some(rows) = obj.get("inline_keyboard") {
            let rows = rows.as_array().ok_or_else(invalid)?;
            for row in rows {
                for button in row.as_array().ok_or_else(invalid)? {
                    let text = button
                        .get("text")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let has_action = [
                        "callback_data",
                        "url",
                        "web_app",
                        "login_url",
                        "switch_inline_query",
                        "switch_inline_query_current_chat",
                        "switch_inline_query_chosen_chat",
                        "copy_text",
                        "callback_game",
                        "pay",
                    ]
                    .iter()
                    .any(|k| button.get(*k).is_some_and(|v| !v.is_null()));
                    if text.is_empty() || !has_action {
                        return Err(Reply::bad(TEXT_BUTTONS_UNALLOWED));
                    }
                    if let Some(data) = button.get("callback_data") {
                        let data = data.as_str().unwrap_or_default();
                        if data.is_empty() || data.len() > 64 {
                            return Err(Reply::bad("BUTTON_DATA_INVALID"));
                        }
                    }
                    if let Some(web_app) = button.get("web_app") {
                        if !private {
                            return Err(Reply::bad("BUTTON_TYPE_INVALID"));
                        }
                        let url = web_app
                            .get("url")
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        if !url.starts_with("https://") || url.len() <= "https://".len() {
                            return Err(Reply::bad("BUTTON_URL_INVALID"));
                        }
                    }
                    if let Some(url) = button.get("url") {
                        let url = url.as_str().unwrap_or_default();
                        if url.is_empty() || !url.contains(':') {
                            return Err(Reply::bad("BUTTON_URL_INVALID"));
                        }
                    }
                }
            }
        } else if let Some(rows) = obj.get("keyboard") {
            let rows = rows.as_array().ok_or_else(invalid)?;
            for row in rows {
                for button in row.as_array().ok_or_else(invalid)? {
                    let text = match button {
                        Value::String(s) => s.as_str(),
                        b => b.get("text").and_then(Value::as_str).unwrap_or_default(),
                    };
                    if text.is_empty() {
                        return Err(Reply::bad(
                            "can't parse keyboard button: text must be non-empty",
                        ));
                    }
                    let flag = |k: &str| button.get(k).and_then(Value::as_bool).unwrap_or(false);
                    if !private && flag("request_contact") {
                        return Err(Reply::bad(
                            "phone number can be requested in private chats only",
                        ));
                    }
                    if !private && flag("request_location") {
                        return Err(Reply::bad(
                            "location can be requested in private chats only",
                        ));
                    }
                }
            }
        } else if !obj.contains_key("remove_keyboard") && !obj.contains_key("force_reply") {
            return Err(invalid());
        }
        Ok(Some(markup))
    }

    fn new_message(&mut self, chat_id: i64, chat: &Value) -> (i64, Map<String, Value>) {
        let message_id = self.next_message_id(chat_id);
        let mut m = Map::new();
        m.insert("message_id".into(), json!(message_id));
        m.insert("from".into(), bot_user_json());
        m.insert("chat".into(), chat.clone());
        m.insert("date".into(), json!(unix_now()));
        (message_id, m)
    }

    #[allow(clippy::too_many_arguments)]
    fn record_sent(
        &mut self,
        method: &str,
        chat_id: i64,
        message_id: i64,
        text: Option<String>,
        parse_mode: Option<String>,
        reply_markup: Option<Value>,
        params: &Map<String, Value>,
    ) {
        self.sent.entry(chat_id).or_default().push(SentMessage {
            chat_id,
            message_id,
            method: method.to_owned(),
            text,
            parse_mode,
            reply_markup,
            params: Value::Object(params.clone()),
        });
    }

    pub(super) fn send_message(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (chat_id, chat) = self.target_chat(p)?;
        let text = param_str(p, "text").unwrap_or_default();
        let parse_mode = param_str(p, "parse_mode").filter(|m| !m.is_empty());
        let (plain, entities) =
            parse_text(&text, parse_mode.as_deref(), param_json(p, "entities"))?;
        if plain.trim().is_empty() {
            return Err(Reply::bad("message text is empty"));
        }
        if utf16_len(&plain) > 4096 {
            return Err(Reply::bad("message is too long"));
        }
        let markup = self.check_markup(p, &chat)?;
        self.check_reply_to(p, chat_id)?;
        self.rate_check(chat_id)?;
        self.note_send(chat_id);
        let (message_id, mut msg) = self.new_message(chat_id, &chat);
        msg.insert("text".into(), json!(plain));
        if !entities.is_empty() {
            msg.insert("entities".into(), json!(entities));
        }
        let inline = inline_only(markup.as_ref());
        if let Some(m) = &inline {
            msg.insert("reply_markup".into(), m.clone());
        }
        let msg = Value::Object(msg);
        self.stored.insert(
            (chat_id, message_id),
            StoredMsg {
                from_bot: true,
                json: msg.clone(),
                content: Content::Text,
                parsed: (plain, entities),
                raw: Some(text.clone()),
                parse_mode: parse_mode.clone(),
                markup: inline,
            },
        );
        self.record_sent(
            "sendMessage",
            chat_id,
            message_id,
            Some(text),
            parse_mode,
            markup,
            p,
        );
        Ok(msg)
    }

    pub(super) fn send_media(
        &mut self,
        p: &Map<String, Value>,
        uploads: &Uploads,
        kind: FileKind,
    ) -> Res<Value> {
        let (chat_id, chat) = self.target_chat(p)?;
        let field = if kind == FileKind::Photo {
            "photo"
        } else {
            "document"
        };
        let caption = param_str(p, "caption");
        let parse_mode = param_str(p, "parse_mode").filter(|m| !m.is_empty());
        let (plain, entities) = parse_text(
            caption.as_deref().unwrap_or_default(),
            parse_mode.as_deref(),
            param_json(p, "caption_entities"),
        )?;
        if utf16_len(&plain) > 1024 {
            return Err(Reply::bad("message caption is too long"));
        }
        let markup = self.check_markup(p, &chat)?;
        self.check_reply_to(p, chat_id)?;
        self.rate_check(chat_id)?;
        let file_id = self.input_file(p, uploads, field, kind)?;
        self.note_send(chat_id);
        let media = if kind == FileKind::Photo {
            let bytes = self
                .files
                .get(&file_id)
                .map(|f| f.bytes.clone())
                .unwrap_or_default();
            self.register_photo(&file_id, bytes)
        } else {
            self.files
                .get(&file_id)
                .map(|f| document_json(&file_id, f))
                .unwrap_or(Value::Null)
        };
        let (message_id, mut msg) = self.new_message(chat_id, &chat);
        msg.insert(field.into(), media);
        if !plain.is_empty() {
            msg.insert("caption".into(), json!(plain));
        }
        if !entities.is_empty() {
            msg.insert("caption_entities".into(), json!(entities));
        }
        let inline = inline_only(markup.as_ref());
        if let Some(m) = &inline {
            msg.insert("reply_markup".into(), m.clone());
        }
        let msg = Value::Object(msg);
        self.stored.insert(
            (chat_id, message_id),
            StoredMsg {
                from_bot: true,
                json: msg.clone(),
                content: Content::Media,
                parsed: (plain, entities),
                raw: caption.clone(),
                parse_mode: parse_mode.clone(),
                markup: inline,
            },
        );
        let method = if kind == FileKind::Photo {
            "sendPhoto"
        } else {
            "sendDocument"
        };
        self.record_sent(method, chat_id, message_id, caption, parse_mode, markup, p);
        Ok(msg)
    }

    pub(super) fn edit_message(&mut self, p: &Map<String, Value>, what: EditKind) -> Res<Value> {
        if p.get("inline_message_id").is_some() {
            return Ok(json!(true));
        }
        let (chat_id, chat) = self.target_chat(p)?;
        let message_id = param_i64(p, "message_id")
            .ok_or_else(|| Reply::bad("message identifier is not specified"))?;
        let markup = self.check_markup(p, &chat)?;
        if markup
            .as_ref()
            .is_some_and(|m| m.get("inline_keyboard").is_none())
        {
            return Err(Reply::bad("inline keyboard expected"));
        }
        let stored = self
            .stored
            .get(&(chat_id, message_id))
            .ok_or_else(|| Reply::bad("message to edit not found"))?;
        if !stored.from_bot {
            return Err(Reply::bad("message can't be edited"));
        }
        let parse_mode = param_str(p, "parse_mode").filter(|m| !m.is_empty());
        let (raw, parsed, parse_mode, method) = match what {
            EditKind::Text => {
                if stored.content != Content::Text {
                    return Err(Reply::bad("there is no text in the message to edit"));
                }
                let text = param_str(p, "text").unwrap_or_default();
                let parsed = parse_text(&text, parse_mode.as_deref(), param_json(p, "entities"))?;
                if parsed.0.trim().is_empty() {
                    return Err(Reply::bad("message text is empty"));
                }
                if utf16_len(&parsed.0) > 4096 {
                    return Err(Reply::bad("MESSAGE_TOO_LONG"));
                }
                (Some(text), parsed, parse_mode, "editMessageText")
            }
            EditKind::Caption => {
                if stored.content != Content::Media {
                    return Err(Reply::bad("there is no caption in the message to edit"));
                }
                let caption = param_str(p, "caption");
                let parsed = parse_text(
                    caption.as_deref().unwrap_or_default(),
                    parse_mode.as_deref(),
                    param_json(p, "caption_entities"),
                )?;
                if utf16_len(&parsed.0) > 1024 {
                    return Err(Reply::bad("message caption is too long"));
                }
                (caption, parsed, parse_mode, "editMessageCaption")
            }
            EditKind::Markup => (
                stored.raw.clone(),
                stored.parsed.clone(),
                stored.parse_mode.clone(),
                "editMessageReplyMarkup",
            ),
        };
        if parsed == stored.parsed && markup == stored.markup {
            return Err(Reply::bad(NOT_MODIFIED));
        }
        let stored = self
            .stored
            .get_mut(&(chat_id, message_id))
            .ok_or_else(|| Reply::bad("message to edit not found"))?;
        if let Value::Object(m) = &mut stored.json {
            let (text_key, entities_key) = match stored.content {
                Content::Text => ("text", "entities"),
                _ => ("caption", "caption_entities"),
            };
            if what != EditKind::Markup {
                if parsed.0.is_empty() {
                    m.remove(text_key);
                } else {
                    m.insert(text_key.into(), json!(parsed.0));
                }
                if parsed.1.is_empty() {
                    m.remove(entities_key);
                } else {
                    m.insert(entities_key.into(), json!(parsed.1));
                }
            }
            match &markup {
                Some(mk) => m.insert("reply_markup".into(), mk.clone()),
                None => m.remove("reply_markup"),
            };
            m.insert("edit_date".into(), json!(unix_now()));
        }
        stored.parsed = parsed;
        stored.raw = raw.clone();
        stored.parse_mode = parse_mode.clone();
        stored.markup = markup.clone();
        let msg = stored.json.clone();
        self.record_sent(method, chat_id, message_id, raw, parse_mode, markup, p);
        Ok(msg)
    }

    pub(super) fn delete_message(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (chat_id, _) = self.target_chat(p)?;
        let message_id = param_i64(p, "message_id")
            .ok_or_else(|| Reply::bad("message identifier is not specified"))?;
        if self.stored.remove(&(chat_id, message_id)).is_none() {
            return Err(Reply::bad("message to delete not found"));
        }
        self.record_sent("deleteMessage", chat_id, message_id, None, None, None, p);
        Ok(json!(true))
    }

    pub(super) fn answer_callback_query(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let id = param_str(p, "callback_query_id").unwrap_or_default();
        match self.callbacks.get(&id) {
            Some(false) => {}
            _ => return Err(Reply::bad(INVALID_QUERY_ID)),
        }
        if param_str(p, "text").is_some_and(|t| utf16_len(&t) > 200) {
            return Err(Reply::bad("MESSAGE_TOO_LONG"));
        }
        self.callbacks.insert(id, true);
        Ok(json!(true))
    }

    pub(super) fn send_chat_action(&mut self, p: &Map<String, Value>) -> Res<Value> {
        self.target_chat(p)?;
        let action = param_str(p, "action").unwrap_or_default();
        const ACTIONS: [&str; 11] = [
            "typing",
            "upload_photo",
            "record_video",
            "upload_video",
            "record_voice",
            "upload_voice",
            "upload_document",
            "choose_sticker",
            "find_location",
            "record_video_note",
            "upload_video_note",
        ];
        if !ACTIONS.contains(&action.as_str()) {
            return Err(Reply::bad("wrong parameter action in request"));
        }
        Ok(json!(true))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum EditKind {
    Text,
    Caption,
    Markup,
}

/// Only an inline keyboard comes back in the Message Telegram returns.
fn inline_only(markup: Option<&Value>) -> Option<Value> {
    markup
        .filter(|m| m.get("inline_keyboard").is_some())
        .cloned()
}
