//! The test's side, injecting: users and the updates they cause (texts, contacts, photos, documents,
//! stickers, locations, button presses, raw updates), and files the bot may fetch.

use axum::body::Bytes;
use serde_json::{Map, Value, json};

use super::files::{FileEntry, FileKind, document_json, placeholder_png, unique_id_for};
use super::format::leading_command_len;
use super::observe::SentMessage;
use super::{BOT_ID, FakeTelegram, unix_now};

/// A Telegram user who talks to the bot in a private chat (chat id = user id).
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: i64,
    pub first_name: String,
    pub language_code: Option<String>,
}

impl TestUser {
    pub fn new(id: i64, first_name: &str, language_code: Option<&str>) -> Self {
        TestUser {
            id,
            first_name: first_name.to_owned(),
            language_code: language_code.map(str::to_owned),
        }
    }

    fn user_json(&self) -> Value {
        let mut u = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(lang) = &self.language_code {
            u["language_code"] = json!(lang);
        }
        u
    }

    fn chat_json(&self) -> Value {
        json!({"id": self.id, "type": "private", "first_name": self.first_name})
    }
}

impl FakeTelegram {
    /// A text message from `from` in their private chat; a leading /command gets a
    /// bot_command entity.
    pub fn send_text(&self, from: &TestUser, text: &str) -> i64 {
        let mut content = Map::new();
        content.insert("text".into(), json!(text));
        if let Some(len) = leading_command_len(text) {
            content.insert(
                "entities".into(),
                json!([{"type": "bot_command", "offset": 0, "length": len}]),
            );
        }
        self.inject_user_message(from, content)
    }

    /// A shared contact; `contact_user_id` is Some when the user shared their own contact.
    pub fn send_contact(&self, from: &TestUser, phone: &str, contact_user_id: Option<i64>) -> i64 {
        let mut contact = json!({"phone_number": phone, "first_name": from.first_name});
        if let Some(id) = contact_user_id {
            contact["user_id"] = json!(id);
        }
        let mut content = Map::new();
        content.insert("contact".into(), contact);
        self.inject_user_message(from, content)
    }

    /// A photo in three sizes; the largest has `file_id` and is registered for getFile (with
    /// the bytes given to [`add_file`](Self::add_file) before, else a small placeholder PNG).
    pub fn send_photo(&self, from: &TestUser, file_id: &str, caption: Option<&str>) -> i64 {
        let mut content = self.photo_content(file_id);
        if let Some(c) = caption {
            content.insert("caption".into(), json!(c));
        }
        self.inject_user_message(from, content)
    }

    /// One photo of an album: Telegram sends each picture of an album as its own message with the same
    /// `media_group_id`.
    pub fn send_photo_in_album(&self, from: &TestUser, file_id: &str, album: &str) -> i64 {
        let mut content = self.photo_content(file_id);
        content.insert("media_group_id".into(), json!(album));
        self.inject_user_message(from, content)
    }

    fn photo_content(&self, file_id: &str) -> Map<String, Value> {
        let sizes = {
            let mut st = self.lock();
            let bytes = st
                .files
                .get(file_id)
                .map(|f| f.bytes.clone())
                .unwrap_or_else(|| placeholder_png(file_id).into());
            st.register_photo(file_id, bytes)
        };
        let mut content = Map::new();
        content.insert("photo".into(), sizes);
        content
    }

    /// A document; `file_id` is registered for getFile (bytes from add_file, else a placeholder).
    pub fn send_document(
        &self,
        from: &TestUser,
        file_id: &str,
        file_name: &str,
        mime: &str,
    ) -> i64 {
        self.send_document_with_caption(from, file_id, file_name, mime, None)
    }

    /// A document with a caption, as a client sends one typed under the file.
    pub fn send_document_with_caption(
        &self,
        from: &TestUser,
        file_id: &str,
        file_name: &str,
        mime: &str,
        caption: Option<&str>,
    ) -> i64 {
        let doc = {
            let mut st = self.lock();
            let entry = st.files.entry(file_id.to_owned()).or_insert_with(|| {
                FileEntry::new(
                    unique_id_for(file_id),
                    Bytes::from(format!("placeholder document {file_id}\n")),
                )
            });
            entry.kind = Some(FileKind::Document);
            entry.file_name = Some(file_name.to_owned());
            entry.mime = Some(mime.to_owned());
            document_json(file_id, entry)
        };
        let mut content = Map::new();
        content.insert("document".into(), doc);
        if let Some(caption) = caption {
            content.insert("caption".into(), Value::from(caption));
        }
        self.inject_user_message(from, content)
    }

    /// A regular (static) sticker.
    pub fn send_sticker(&self, from: &TestUser) -> i64 {
        let sticker = {
            let mut st = self.lock();
            st.next_file += 1;
            let file_id = format!("fake-sticker-{}", st.next_file);
            let mut entry =
                FileEntry::new(unique_id_for(&file_id), placeholder_png(&file_id).into());
            entry.kind = Some(FileKind::Sticker);
            let size = entry.bytes.len();
            st.files.insert(file_id.clone(), entry);
            json!({
                "file_id": file_id, "file_unique_id": unique_id_for(&file_id), "file_size": size,
                "width": 512, "height": 512, "type": "regular", "is_animated": false, "is_video": false,
                "emoji": "\u{1F44D}", "set_name": "FakeStickers"
            })
        };
        let mut content = Map::new();
        content.insert("sticker".into(), sticker);
        self.inject_user_message(from, content)
    }

    pub fn send_location(&self, from: &TestUser, lat: f64, lon: f64) -> i64 {
        let mut content = Map::new();
        content.insert(
            "location".into(),
            json!({"latitude": lat, "longitude": lon}),
        );
        self.inject_user_message(from, content)
    }

    /// A callback_query from `from` for a button of `msg` (the message as it is now, or an
    /// inaccessible message if it was deleted), with a fresh callback query id.
    pub fn press_button(&self, from: &TestUser, msg: &SentMessage, callback_data: &str) -> i64 {
        let id = {
            let mut st = self.lock();
            st.chats.entry(from.id).or_insert_with(|| from.chat_json());
            let chat = st.chats.get(&msg.chat_id).cloned().unwrap_or_else(
                || json!({"id": msg.chat_id, "type": "private", "first_name": "?"}),
            );
            let message = st
                .stored
                .get(&(msg.chat_id, msg.message_id))
                .map(|m| m.json.clone())
                .unwrap_or_else(|| json!({"message_id": msg.message_id, "chat": chat, "date": 0}));
            st.next_callback += 1;
            let cb_id = format!("{}{:08}", BOT_ID, st.next_callback);
            st.push_update(json!({"callback_query": {
                "id": cb_id,
                "from": from.user_json(),
                "message": message,
                "chat_instance": msg.chat_id.to_string(),
                "data": callback_data,
            }}))
        };
        self.inner.updates_changed.notify_waiters();
        id
    }

    /// Any update (without "update_id"); chats found in it become known, callback query ids
    /// become answerable, and message ids in it advance that chat's message id counter.
    pub fn inject_raw(&self, update_without_id: Value) -> i64 {
        let id = {
            let mut st = self.lock();
            for key in [
                "message",
                "edited_message",
                "channel_post",
                "business_message",
            ] {
                if let Some(msg) = update_without_id.get(key) {
                    st.note_user_message(msg);
                }
            }
            st.push_update(update_without_id)
        };
        self.inner.updates_changed.notify_waiters();
        id
    }

    /// Registers (or replaces) a file, served by getFile and GET /file/bot<token>/<path>.
    pub fn add_file(&self, file_id: &str, file_unique_id: &str, bytes: Vec<u8>) {
        let mut st = self.lock();
        match st.files.get_mut(file_id) {
            Some(f) => {
                f.unique_id = file_unique_id.to_owned();
                f.bytes = bytes.into();
            }
            None => {
                st.files.insert(
                    file_id.to_owned(),
                    FileEntry::new(file_unique_id.to_owned(), bytes.into()),
                );
            }
        }
    }

    /// A user who started the bot some time ago: their private chat exists, no update is pending.
    pub fn add_private_chat(&self, user: &TestUser) {
        self.lock().chats.insert(user.id, user.chat_json());
    }

    fn inject_user_message(&self, from: &TestUser, content: Map<String, Value>) -> i64 {
        let id = {
            let mut st = self.lock();
            let chat = from.chat_json();
            st.chats.insert(from.id, chat.clone());
            let message_id = st.next_message_id(from.id);
            let mut msg = json!({"message_id": message_id, "from": from.user_json(), "chat": chat, "date": unix_now()});
            if let Value::Object(m) = &mut msg {
                m.extend(content);
            }
            st.note_user_message(&msg);
            st.push_update(json!({ "message": msg }))
        };
        self.inner.updates_changed.notify_waiters();
        id
    }
}
