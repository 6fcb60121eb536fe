#![allow(dead_code)]
//! A fake Telegram Bot API server for end-to-end tests.
//!
//! Start it with [`FakeTelegram::start`], point the bot at [`FakeTelegram::api_url`] (what
//! `TELOXIDE_API_URL` gets) with the token [`FakeTelegram::TOKEN`], inject updates
//! (`send_text`, `press_button`, ...) and observe what the bot sent (`next_message`, `calls`, ...).
//!
//! It answers like Telegram: JSON `{"ok":true,"result":...}` or
//! `{"ok":false,"error_code":N,"description":"..."}`, with Telegram's error descriptions (spelled
//! the way teloxide 0.17 matches them, so that the bot sees the right `ApiError` variant), and
//! checks every call against the Bot API spec in `tests/data/botapi-methods.json`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

const BOT_ID: i64 = 999_000;
const BOT_USERNAME: &str = "asuh_test_bot";
const BOT_FIRST_NAME: &str = "Asuh";
/// What the HTTP layer accepts at all; bigger uploads get axum's own 413.
const MAX_BODY: usize = 64 << 20;
/// Telegram's upload limit for files (a bigger one gets 413 "Request Entity Too Large").
const UPLOAD_LIMIT: usize = 50 << 20;
/// Telegram's upload limit for photos.
const PHOTO_UPLOAD_LIMIT: usize = 10 << 20;
/// getFile refuses bigger files.
const DOWNLOAD_LIMIT: usize = 20 << 20;
const NEXT_MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);
const METHODS_JSON: &str = include_str!("../data/botapi-methods.json");

// Descriptions as teloxide-core 0.13 matches them (see its `ApiError`).
const CONFLICT_GET_UPDATES: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const BOT_BLOCKED: &str = "Forbidden: bot was blocked by the user";
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are \
     exactly the same as a current content and reply markup of the message";
const INVALID_QUERY_ID: &str =
    "query is too old and response timeout expired or query id is invalid";
const TEXT_BUTTONS_UNALLOWED: &str =
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
const WRONG_FILE_ID_OR_URL: &str = "wrong file identifier/HTTP URL specified";

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// A running fake Bot API server. Cheap to clone; all clones share one state.
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

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

/// Something the bot sent, edited or deleted successfully.
#[derive(Clone, Debug)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i64,
    /// "sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageCaption",
    /// "editMessageReplyMarkup" or "deleteMessage".
    pub method: String,
    /// Text or caption as the bot sent it (still with its markup). For editMessageReplyMarkup:
    /// the message's current text or caption; for deleteMessage: None.
    pub text: Option<String>,
    pub parse_mode: Option<String>,
    /// The reply markup as sent (parsed to JSON also when it came as a multipart string).
    pub reply_markup: Option<Value>,
    /// All parameters as received (multipart fields as strings; files as {"file_name":..,"size":..}).
    pub params: Value,
}

impl SentMessage {
    /// Inline keyboard buttons, row by row, as (text, callback_data); for a button without
    /// callback_data the second element is its url (or "").
    pub fn buttons(&self) -> Vec<(String, String)> {
        let Some(rows) = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|b| {
                let text = b
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let data = b
                    .get("callback_data")
                    .or_else(|| b.get("url"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                (text, data)
            })
            .collect()
    }

    /// callback_data of the first inline button whose text contains `text_contains`.
    pub fn button_data(&self, text_contains: &str) -> Option<String> {
        let rows = self
            .reply_markup
            .as_ref()?
            .get("inline_keyboard")?
            .as_array()?;
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .find_map(|b| {
                let text = b.get("text").and_then(Value::as_str)?;
                if text.contains(text_contains) {
                    b.get("callback_data")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                } else {
                    None
                }
            })
    }

    /// Reply keyboard buttons (KeyboardButton objects; plain strings become {"text": ..}), flattened.
    pub fn keyboard_buttons(&self) -> Vec<Value> {
        let Some(rows) = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("keyboard"))
            .and_then(Value::as_array)
        else {
            return Vec::new();
        };
        rows.iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|b| match b {
                Value::String(s) => json!({ "text": s }),
                other => other.clone(),
            })
            .collect()
    }

    /// The text as the user sees it: markup removed and HTML entities unescaped.
    pub fn plain_text(&self) -> String {
        let Some(text) = &self.text else {
            return String::new();
        };
        match self
            .parse_mode
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("html") => parse_html(text)
                .map(|(t, _)| t)
                .unwrap_or_else(|_| strip_tags_lenient(text)),
            Some("markdownv2") => parse_markdown_v2(text)
                .map(|(t, _)| t)
                .unwrap_or_else(|_| text.clone()),
            Some("markdown") => parse_markdown_v1(text)
                .map(|(t, _)| t)
                .unwrap_or_else(|_| text.clone()),
            _ => text.clone(),
        }
    }
}

/// One Bot API call as the fake received and answered it.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    pub params: Value,
    pub status: u16,
    pub response: Value,
}

/// How [`FakeTelegram::fail_next`] makes a call fail.
#[derive(Clone, Debug)]
pub enum Failure {
    /// 429 "Too Many Requests: retry after N" with parameters.retry_after = N.
    RetryAfter(u32),
    /// That HTTP status with "Internal Server Error", "Bad Gateway", ... (teloxide waits 10 s
    /// before reading a 5xx answer).
    ServerError(u16),
    /// 403; "Forbidden: " is prepended unless the text already starts with "Forbidden".
    Forbidden(String),
    /// 400; "Bad Request: " is prepended unless the text already starts with "Bad Request".
    BadRequest(String),
    /// No answer at all: the request is held open and never recorded, like a Telegram that stalls while
    /// the client process dies (a crash between claiming a message and sending it).
    Hang,
}

impl FakeTelegram {
    /// The only token the fake accepts; any other gets 401 "Unauthorized".
    pub const TOKEN: &str = "123456:TEST-TOKEN";

    /// Binds 127.0.0.1 on a free port and serves in a task of the current runtime.
    pub async fn start() -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake Telegram: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake Telegram: local address");
        let fake = FakeTelegram {
            inner: Arc::new(Inner {
                addr,
                state: Mutex::new(St::new()),
                updates_changed: Notify::new(),
                output_changed: Notify::new(),
            }),
        };
        let app = Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    /// "http://127.0.0.1:PORT": what TELOXIDE_API_URL gets.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// "asuh_test_bot" (the bot's id is 999000).
    pub fn bot_username(&self) -> &str {
        BOT_USERNAME
    }

    // --- injecting updates ---------------------------------------------------------------

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

    // --- observing -------------------------------------------------------------------------

    /// The bytes of the file a sendPhoto/sendDocument message carried (for a photo, the largest size), as
    /// the bot uploaded it or re-sent it by file_id.
    pub fn sent_file(&self, msg: &SentMessage) -> Option<Vec<u8>> {
        let st = self.lock();
        let json = &st.stored.get(&(msg.chat_id, msg.message_id))?.json;
        let file_id = match json.get("photo").and_then(Value::as_array) {
            Some(sizes) => sizes.last()?.get("file_id")?.as_str()?.to_owned(),
            None => json.get("document")?.get("file_id")?.as_str()?.to_owned(),
        };
        st.files.get(&file_id).map(|f| f.bytes.to_vec())
    }

    /// The next not-yet-taken message/edit/delete to that chat, in order; waits up to 10 s,
    /// then panics listing what the chat did get and which calls to it failed.
    pub async fn next_message(&self, chat_id: i64) -> SentMessage {
        match self
            .next_message_within(chat_id, NEXT_MESSAGE_TIMEOUT)
            .await
        {
            Some(m) => m,
            None => panic!(
                "fake Telegram: no new message to chat {chat_id} within {NEXT_MESSAGE_TIMEOUT:?}\n{}",
                self.describe_chat(chat_id)
            ),
        }
    }

    pub async fn next_message_within(
        &self,
        chat_id: i64,
        timeout: Duration,
    ) -> Option<SentMessage> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut notified = pin!(self.inner.output_changed.notified());
            notified.as_mut().enable();
            {
                let mut st = self.lock();
                let idx = st.taken.get(&chat_id).copied().unwrap_or(0);
                if let Some(m) = st.sent.get(&chat_id).and_then(|v| v.get(idx)).cloned() {
                    st.taken.insert(chat_id, idx + 1);
                    return Some(m);
                }
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return None;
            }
            let _ = tokio::time::timeout(remaining, notified).await;
        }
    }

    /// Panics if a message/edit/delete to that chat that was not taken yet exists or arrives
    /// within `wait`.
    pub async fn expect_no_message(&self, chat_id: i64, wait: Duration) {
        if let Some(m) = self.next_message_within(chat_id, wait).await {
            panic!(
                "fake Telegram: expected no message to chat {chat_id}, got {} {:?}\n{}",
                m.method,
                m.text,
                self.describe_chat(chat_id)
            );
        }
    }

    /// All messages/edits/deletes to that chat, taken or not.
    pub fn messages_to(&self, chat_id: i64) -> Vec<SentMessage> {
        self.lock().sent.get(&chat_id).cloned().unwrap_or_default()
    }

    /// Every recorded call of that method (name matched case-insensitively), failed ones too.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .cloned()
            .collect()
    }

    pub fn all_calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// The first recorded call of `method` (earlier ones included) that satisfies `pred`,
    /// waiting up to `timeout` for one.
    pub async fn wait_for_call(
        &self,
        method: &str,
        pred: impl Fn(&Call) -> bool,
        timeout: Duration,
    ) -> Option<Call> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut notified = pin!(self.inner.output_changed.notified());
            notified.as_mut().enable();
            if let Some(c) = self.calls(method).into_iter().find(|c| pred(c)) {
                return Some(c);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return None;
            }
            let _ = tokio::time::timeout(remaining, notified).await;
        }
    }

    /// Params of the successful answerCallbackQuery calls, in order.
    pub fn callback_answers(&self) -> Vec<Value> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.method == "answerCallbackQuery" && c.status == 200)
            .map(|c| c.params.clone())
            .collect()
    }

    /// The commands of the last setMyCommands for exactly that scope ({"type":"default"} when
    /// the bot sent none) and language (None = no language_code); None if never set or deleted.
    pub fn my_commands(
        &self,
        scope: &Value,
        language_code: Option<&str>,
    ) -> Option<Vec<(String, String)>> {
        let scope = normalize_scope(scope);
        let lang = language_code.unwrap_or_default();
        self.lock()
            .commands
            .iter()
            .find(|(s, l, _)| *s == scope && l == lang)
            .map(|(_, _, c)| c.clone())
    }

    /// Calls that broke the spec: unknown method, missing required parameter, unknown parameter.
    pub fn spec_violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }

    /// Updates injected but not yet confirmed by the bot (getUpdates with a higher offset).
    pub fn pending_updates(&self) -> usize {
        self.lock().pending.len()
    }

    // --- behaviour switches ----------------------------------------------------------------

    /// From now on everything the bot does in that user's chat gets 403 "Forbidden: bot was
    /// blocked by the user" (injected messages do not unblock; see `unblock_user`).
    pub fn block_user(&self, user_id: i64) {
        self.lock().blocked.insert(user_id);
    }

    pub fn unblock_user(&self, user_id: i64) {
        self.lock().blocked.remove(&user_id);
    }

    /// The next `n` calls of `method` answer `failure`, before any other check.
    pub fn fail_next(&self, method: &str, n: usize, failure: Failure) {
        let method = canonical_method(method).unwrap_or_else(|| method.to_owned());
        let mut st = self.lock();
        let q = st.failures.entry(method).or_default();
        q.extend(std::iter::repeat_n(failure, n));
    }

    /// Enforce Telegram's flood limits on sendX calls: 1 per second to a private chat, 20 per
    /// minute to a group (chat id < 0), 30 per second overall; else 429 with retry_after.
    pub fn set_rate_limits(&self, on: bool) {
        self.lock().rate_limits = on;
    }

    /// A user who started the bot some time ago: their private chat exists, no update is pending.
    pub fn add_private_chat(&self, user: &TestUser) {
        self.lock().chats.insert(user.id, user.chat_json());
    }

    // --- internals -----------------------------------------------------------------------

    fn lock(&self) -> MutexGuard<'_, St> {
        self.inner.lock()
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

    fn describe_chat(&self, chat_id: i64) -> String {
        let st = self.lock();
        let mut s = String::new();
        let taken = st.taken.get(&chat_id).copied().unwrap_or(0);
        let sent = st.sent.get(&chat_id).map(Vec::as_slice).unwrap_or_default();
        let _ = writeln!(
            s,
            "messages to chat {chat_id} ({} taken):",
            taken.min(sent.len())
        );
        if sent.is_empty() {
            let _ = writeln!(s, "  (none)");
        }
        for (i, m) in sent.iter().enumerate() {
            let mark = if i < taken { "taken" } else { "NEW" };
            let _ = writeln!(
                s,
                "  [{mark}] #{} {} text={:?} buttons={:?}",
                m.message_id,
                m.method,
                m.text,
                m.buttons()
            );
        }
        let failed: Vec<&Call> = st
            .calls
            .iter()
            .filter(|c| {
                c.status != 200 && c.params.get("chat_id").and_then(value_as_i64) == Some(chat_id)
            })
            .collect();
        if !failed.is_empty() {
            let _ = writeln!(s, "failed calls to chat {chat_id}:");
            for c in failed {
                let _ = writeln!(s, "  {} -> {} {}", c.method, c.status, c.response);
            }
        }
        if !st.violations.is_empty() {
            let _ = writeln!(s, "spec violations: {:?}", st.violations);
        }
        let _ = writeln!(s, "pending (unconfirmed) updates: {}", st.pending.len());
        s
    }

    async fn dispatch(
        &self,
        token: &str,
        raw_method: &str,
        incoming: Result<Incoming, Reply>,
    ) -> Reply {
        let method = canonical_method(raw_method).unwrap_or_else(|| raw_method.to_owned());
        let (params, uploads, parse_error) = match incoming {
            Ok(inc) => (inc.params, inc.uploads, None),
            Err(r) => (Map::new(), HashMap::new(), Some(r)),
        };
        let early = if token != Self::TOKEN {
            Some(Reply::err(401, "Unauthorized"))
        } else if parse_error.is_some() {
            parse_error
        } else {
            let mut st = self.lock();
            let spec_reply = st.spec_check(&method, &params);
            st.take_failure(&method).or(spec_reply)
        };
        if early.as_ref().is_some_and(Reply::is_hang) {
            std::future::pending::<()>().await;
        }
        if early.is_none() && method == "getUpdates" {
            return self.get_updates(params).await;
        }
        let mut st = self.lock();
        let reply = match early {
            Some(r) => r,
            None => st.process(&method, &params, &uploads),
        };
        st.calls.push(Call {
            method,
            params: Value::Object(params),
            status: reply.status,
            response: reply.body.clone(),
        });
        drop(st);
        self.inner.output_changed.notify_waiters();
        reply
    }

    /// Long polling like telegram-bot-api: updates (or timeout 0) answer at once; otherwise the
    /// request is held until an update arrives or `timeout` passes. A newer request that has to
    /// wait terminates the held one with 409 Conflict and takes its place. The call is recorded
    /// when it arrives, with status 0 until it is answered.
    async fn get_updates(&self, params: Map<String, Value>) -> Reply {
        let offset = param_i64(&params, "offset");
        let limit = param_i64(&params, "limit").unwrap_or(100).clamp(1, 100) as usize;
        let timeout = param_i64(&params, "timeout").unwrap_or(0).clamp(0, 50) as u64;
        let deadline = Instant::now() + Duration::from_secs(timeout);
        let (index, generation) = {
            let mut st = self.lock();
            let index = st.calls.len();
            let allowed = param_json(&params, "allowed_updates");
            st.calls.push(Call {
                method: "getUpdates".into(),
                params: Value::Object(params),
                status: 0,
                response: Value::Null,
            });
            let now = if !st.webhook_url.is_empty() {
                Some(Reply::err(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                ))
            } else {
                if let Some(Value::Array(a)) = allowed {
                    st.allowed_updates = Some(
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                    );
                }
                if let Some(offset) = offset {
                    st.confirm(offset);
                }
                st.drop_disallowed();
                (timeout == 0 || !st.pending.is_empty()).then(|| st.updates_batch(limit))
            };
            if let Some(reply) = now {
                st.complete_call(index, &reply);
                drop(st);
                self.inner.output_changed.notify_waiters();
                return reply;
            }
            st.poll_generation += 1;
            let generation = st.poll_generation;
            st.held_poll = Some(generation);
            (index, generation)
        };
        // Wake a poll this one supersedes, and whoever waits for this call to show up.
        self.inner.updates_changed.notify_waiters();
        self.inner.output_changed.notify_waiters();
        let _guard = PollGuard {
            inner: self.inner.clone(),
            generation,
        };
        loop {
            let mut notified = pin!(self.inner.updates_changed.notified());
            notified.as_mut().enable();
            {
                let mut st = self.lock();
                let reply = if st.held_poll != Some(generation) {
                    Some(Reply::err(409, CONFLICT_GET_UPDATES))
                } else {
                    st.drop_disallowed();
                    (!st.pending.is_empty() || Instant::now() >= deadline)
                        .then(|| st.updates_batch(limit))
                };
                if let Some(reply) = reply {
                    st.complete_call(index, &reply);
                    drop(st);
                    self.inner.output_changed.notify_waiters();
                    return reply;
                }
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            let _ = tokio::time::timeout(remaining, notified).await;
        }
    }

    fn download(&self, rest: &str) -> Response {
        let Some((token, path)) = rest.split_once('/') else {
            return Reply::err(404, "Not Found").into_response();
        };
        if token != Self::TOKEN {
            return Reply::err(401, "Unauthorized").into_response();
        }
        let path = percent_decode(path);
        let st = self.lock();
        match st.file_paths.get(&path).and_then(|id| st.files.get(id)) {
            Some(f) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/octet-stream")],
                f.bytes.clone(),
            )
                .into_response(),
            None => Reply::err(404, "Not Found").into_response(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

struct Inner {
    addr: SocketAddr,
    state: Mutex<St>,
    updates_changed: Notify,
    output_changed: Notify,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, St> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Marks the getUpdates request being held; cleared when that request ends or is dropped
/// (the client went away).
struct PollGuard {
    inner: Arc<Inner>,
    generation: u64,
}

impl Drop for PollGuard {
    fn drop(&mut self) {
        let mut st = self.inner.lock();
        if st.held_poll == Some(self.generation) {
            st.held_poll = None;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FileKind {
    Photo,
    Document,
    Sticker,
}

impl FileKind {
    fn name(self) -> &'static str {
        match self {
            FileKind::Photo => "Photo",
            FileKind::Document => "Document",
            FileKind::Sticker => "Sticker",
        }
    }
}

struct FileEntry {
    unique_id: String,
    bytes: Bytes,
    kind: Option<FileKind>,
    file_name: Option<String>,
    mime: Option<String>,
    path: Option<String>,
}

impl FileEntry {
    fn new(unique_id: String, bytes: Bytes) -> Self {
        FileEntry {
            unique_id,
            bytes,
            kind: None,
            file_name: None,
            mime: None,
            path: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Text,
    Media,
    Other,
}

/// A message that exists in a chat (sent by the bot or injected from a user).
struct StoredMsg {
    from_bot: bool,
    json: Value,
    content: Content,
    /// Parsed text or caption with its entities.
    parsed: (String, Vec<Value>),
    raw: Option<String>,
    parse_mode: Option<String>,
    /// Inline keyboard, if any.
    markup: Option<Value>,
}

struct St {
    next_update_id: i64,
    pending: VecDeque<Value>,
    allowed_updates: Option<Vec<String>>,
    /// The generation of the getUpdates request being held, if any.
    held_poll: Option<u64>,
    poll_generation: u64,
    webhook_url: String,
    chats: HashMap<i64, Value>,
    next_message_ids: HashMap<i64, i64>,
    stored: HashMap<(i64, i64), StoredMsg>,
    sent: HashMap<i64, Vec<SentMessage>>,
    taken: HashMap<i64, usize>,
    calls: Vec<Call>,
    violations: Vec<String>,
    callbacks: HashMap<String, bool>,
    next_callback: u64,
    files: HashMap<String, FileEntry>,
    file_paths: HashMap<String, String>,
    next_file: u64,
    blocked: HashSet<i64>,
    failures: HashMap<String, VecDeque<Failure>>,
    rate_limits: bool,
    chat_sends: HashMap<i64, VecDeque<Instant>>,
    all_sends: VecDeque<Instant>,
    /// (scope, language code or "", commands)
    commands: Vec<CommandSet>,
}

type Res<T> = Result<T, Reply>;
type CommandSet = (Value, String, Vec<(String, String)>);

impl St {
    fn new() -> Self {
        St {
            next_update_id: 1,
            pending: VecDeque::new(),
            allowed_updates: None,
            held_poll: None,
            poll_generation: 0,
            webhook_url: String::new(),
            chats: HashMap::new(),
            next_message_ids: HashMap::new(),
            stored: HashMap::new(),
            sent: HashMap::new(),
            taken: HashMap::new(),
            calls: Vec::new(),
            violations: Vec::new(),
            callbacks: HashMap::new(),
            next_callback: 0,
            files: HashMap::new(),
            file_paths: HashMap::new(),
            next_file: 0,
            blocked: HashSet::new(),
            failures: HashMap::new(),
            rate_limits: false,
            chat_sends: HashMap::new(),
            all_sends: VecDeque::new(),
            commands: Vec::new(),
        }
    }

    fn next_message_id(&mut self, chat_id: i64) -> i64 {
        let next = self.next_message_ids.entry(chat_id).or_insert(1);
        let id = *next;
        *next += 1;
        id
    }

    fn push_update(&mut self, mut update: Value) -> i64 {
        let id = self.next_update_id;
        self.next_update_id += 1;
        register_chats(&update, &mut self.chats);
        if let Some(cb_id) = update
            .get("callback_query")
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
        {
            self.callbacks.entry(cb_id.to_owned()).or_insert(false);
        }
        if let Value::Object(m) = &mut update {
            m.insert("update_id".into(), json!(id));
        }
        self.pending.push_back(update);
        id
    }

    /// Remembers a user's message so that replies to it, edits and deletes find it.
    fn note_user_message(&mut self, msg: &Value) {
        let (Some(chat_id), Some(mid)) = (
            msg.get("chat")
                .and_then(|c| c.get("id"))
                .and_then(Value::as_i64),
            msg.get("message_id").and_then(Value::as_i64),
        ) else {
            return;
        };
        let next = self.next_message_ids.entry(chat_id).or_insert(1);
        if *next <= mid {
            *next = mid.saturating_add(1);
        }
        let text = msg
            .get("text")
            .or_else(|| msg.get("caption"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        self.stored.insert(
            (chat_id, mid),
            StoredMsg {
                from_bot: false,
                json: msg.clone(),
                content: if msg.get("text").is_some() {
                    Content::Text
                } else {
                    Content::Other
                },
                parsed: (text.to_owned(), Vec::new()),
                raw: Some(text.to_owned()),
                parse_mode: None,
                markup: None,
            },
        );
    }

    fn confirm(&mut self, offset: i64) {
        if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            while self.pending.len() > keep {
                self.pending.pop_front();
            }
        } else {
            while self
                .pending
                .front()
                .and_then(|u| u.get("update_id"))
                .and_then(Value::as_i64)
                .is_some_and(|id| id < offset)
            {
                self.pending.pop_front();
            }
        }
    }

    /// Drops pending updates of kinds the bot did not ask for (Telegram never delivers them).
    fn drop_disallowed(&mut self) {
        let allowed = self.allowed_updates.clone().unwrap_or_default();
        self.pending.retain(|u| {
            let Some(kind) = u
                .as_object()
                .and_then(|m| m.keys().find(|k| *k != "update_id"))
            else {
                return true;
            };
            if allowed.is_empty() {
                !matches!(
                    kind.as_str(),
                    "chat_member" | "message_reaction" | "message_reaction_count"
                )
            } else {
                allowed.iter().any(|a| a == kind)
            }
        });
    }

    fn complete_call(&mut self, index: usize, reply: &Reply) {
        if let Some(call) = self.calls.get_mut(index) {
            call.status = reply.status;
            call.response = reply.body.clone();
        }
    }

    fn updates_batch(&self, limit: usize) -> Reply {
        Reply::ok(Value::Array(
            self.pending.iter().take(limit).cloned().collect(),
        ))
    }

    fn take_failure(&mut self, method: &str) -> Option<Reply> {
        let failure = self.failures.get_mut(method)?.pop_front()?;
        Some(match failure {
            Failure::RetryAfter(secs) => Reply::retry_after(secs),
            Failure::ServerError(code) => {
                let desc = match code {
                    502 => "Bad Gateway",
                    503 => "Service Unavailable",
                    504 => "Gateway Timeout",
                    _ => "Internal Server Error",
                };
                Reply::err(code, desc)
            }
            Failure::Forbidden(d) if d.starts_with("Forbidden") => Reply::err(403, d),
            Failure::Forbidden(d) => Reply::err(403, format!("Forbidden: {d}")),
            Failure::BadRequest(d) if d.starts_with("Bad Request") => Reply::err(400, d),
            Failure::BadRequest(d) => Reply::bad(d),
            Failure::Hang => Reply::hang(),
        })
    }

    /// Records spec violations; answers 404 for an unknown method and 400 for a missing
    /// required parameter.
    fn spec_check(&mut self, method: &str, params: &Map<String, Value>) -> Option<Reply> {
        let Some(fields) = spec().get(&method.to_ascii_lowercase()).map(|(_, f)| f) else {
            self.violations
                .push(format!("{method}: no such Bot API method"));
            return Some(Reply::err(404, "Not Found"));
        };
        for key in params.keys() {
            if !fields.iter().any(|(name, _)| name == key) {
                self.violations
                    .push(format!("{method}: unknown parameter `{key}`"));
            }
        }
        let missing: Vec<&str> = fields
            .iter()
            .filter(|(name, required)| *required && params.get(name).is_none_or(Value::is_null))
            .map(|(name, _)| name.as_str())
            .collect();
        if missing.is_empty() {
            return None;
        }
        for name in &missing {
            self.violations
                .push(format!("{method}: missing required parameter `{name}`"));
        }
        Some(match missing[0] {
            "text" => Reply::bad("message text is empty"),
            name => Reply::bad(format!("{name} is empty")),
        })
    }

    fn process(&mut self, method: &str, p: &Map<String, Value>, uploads: &Uploads) -> Reply {
        let result = match method {
            "getMe" => Ok(me_json()),
            "sendMessage" => self.send_message(p),
            "sendPhoto" => self.send_media(p, uploads, FileKind::Photo),
            "sendDocument" => self.send_media(p, uploads, FileKind::Document),
            "editMessageText" => self.edit_message(p, EditKind::Text),
            "editMessageCaption" => self.edit_message(p, EditKind::Caption),
            "editMessageReplyMarkup" => self.edit_message(p, EditKind::Markup),
            "deleteMessage" => self.delete_message(p),
            "answerCallbackQuery" => self.answer_callback_query(p),
            "setMyCommands" => self.set_my_commands(p),
            "getMyCommands" => self.get_my_commands(p),
            "deleteMyCommands" => self.delete_my_commands(p),
            "getFile" => self.get_file(p),
            "sendChatAction" => self.send_chat_action(p),
            "getWebhookInfo" => Ok(json!({
                "url": self.webhook_url, "has_custom_certificate": false, "pending_update_count": self.pending.len()
            })),
            "setWebhook" => {
                self.webhook_url = param_str(p, "url").unwrap_or_default();
                if param_bool(p, "drop_pending_updates") {
                    self.pending.clear();
                }
                Ok(json!(true))
            }
            "deleteWebhook" => {
                self.webhook_url.clear();
                if param_bool(p, "drop_pending_updates") {
                    self.pending.clear();
                }
                Ok(json!(true))
            }
            _ => Ok(json!(true)),
        };
        match result {
            Ok(v) => Reply::ok(v),
            Err(r) => r,
        }
    }

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

    fn rate_check(&mut self, chat_id: i64) -> Res<()> {
        let now = Instant::now();
        while self
            .all_sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.all_sends.pop_front();
        }
        let q = self.chat_sends.entry(chat_id).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            q.pop_front();
        }
        if !self.rate_limits {
            return Ok(());
        }
        if self.all_sends.len() >= 30 {
            return Err(Reply::retry_after(1));
        }
        if chat_id > 0 {
            if q.back()
                .is_some_and(|t| now.duration_since(*t) < Duration::from_secs(1))
            {
                return Err(Reply::retry_after(1));
            }
        } else if q.len() >= 20 {
            let oldest = q
                .front()
                .map(|t| now.duration_since(*t))
                .unwrap_or_default();
            let wait = Duration::from_secs(60).saturating_sub(oldest);
            return Err(Reply::retry_after(wait.as_secs_f64().ceil().max(1.0) as u32));
        }
        Ok(())
    }

    fn note_send(&mut self, chat_id: i64) {
        let now = Instant::now();
        self.all_sends.push_back(now);
        self.chat_sends.entry(chat_id).or_default().push_back(now);
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

    fn send_message(&mut self, p: &Map<String, Value>) -> Res<Value> {
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

    /// Resolves the photo/document parameter: an upload, a known file_id or an URL.
    fn input_file(
        &mut self,
        p: &Map<String, Value>,
        uploads: &Uploads,
        field: &str,
        kind: FileKind,
    ) -> Res<String> {
        if let Some(up) = uploads.get(field) {
            if up.bytes.is_empty() {
                return Err(Reply::bad("file must be non-empty"));
            }
            if up.bytes.len() > UPLOAD_LIMIT {
                return Err(Reply::err(413, "Request Entity Too Large"));
            }
            if kind == FileKind::Photo && up.bytes.len() > PHOTO_UPLOAD_LIMIT {
                return Err(Reply::bad("PHOTO_SAVE_FILE_INVALID"));
            }
            self.next_file += 1;
            let prefix = if kind == FileKind::Photo {
                "photo"
            } else {
                "doc"
            };
            let file_id = format!("fake-{prefix}-{}", self.next_file);
            let mut entry = FileEntry::new(unique_id_for(&file_id), up.bytes.clone());
            entry.kind = Some(kind);
            entry.file_name = Some(up.file_name.clone()).filter(|n| !n.is_empty());
            entry.mime = entry.file_name.as_deref().map(guess_mime);
            self.files.insert(file_id.clone(), entry);
            return Ok(file_id);
        }
        let value = param_str(p, field).unwrap_or_default();
        if value.starts_with("http://") || value.starts_with("https://") {
            self.next_file += 1;
            let file_id = format!("fake-url-{}", self.next_file);
            let mut entry = FileEntry::new(unique_id_for(&file_id), placeholder_png(&value).into());
            entry.kind = Some(kind);
            entry.file_name = value
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(str::to_owned);
            entry.mime = entry.file_name.as_deref().map(guess_mime);
            self.files.insert(file_id.clone(), entry);
            return Ok(file_id);
        }
        let entry = self
            .files
            .get(&value)
            .ok_or_else(|| Reply::bad(WRONG_FILE_ID_OR_URL))?;
        match entry.kind {
            Some(k) if k != kind => Err(Reply::bad(format!(
                "can't use file of type {} as {}",
                k.name(),
                kind.name()
            ))),
            _ => Ok(value),
        }
    }

    /// Registers three sizes of a photo whose largest size is `file_id`; returns the PhotoSize array.
    fn register_photo(&mut self, file_id: &str, bytes: Bytes) -> Value {
        let mut sizes = Vec::new();
        for (suffix, w, h, div) in [("-s", 90, 67, 16), ("-m", 320, 240, 4), ("", 1280, 960, 1)] {
            let id = format!("{file_id}{suffix}");
            let entry = self
                .files
                .entry(id.clone())
                .or_insert_with(|| FileEntry::new(unique_id_for(&id), bytes.clone()));
            entry.kind = Some(FileKind::Photo);
            let size = (entry.bytes.len() / div).max(1);
            sizes.push(json!({"file_id": id, "file_unique_id": entry.unique_id, "width": w, "height": h, "file_size": size}));
        }
        Value::Array(sizes)
    }

    fn send_media(
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

    fn edit_message(&mut self, p: &Map<String, Value>, what: EditKind) -> Res<Value> {
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

    fn delete_message(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (chat_id, _) = self.target_chat(p)?;
        let message_id = param_i64(p, "message_id")
            .ok_or_else(|| Reply::bad("message identifier is not specified"))?;
        if self.stored.remove(&(chat_id, message_id)).is_none() {
            return Err(Reply::bad("message to delete not found"));
        }
        self.record_sent("deleteMessage", chat_id, message_id, None, None, None, p);
        Ok(json!(true))
    }

    fn answer_callback_query(&mut self, p: &Map<String, Value>) -> Res<Value> {
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

    fn commands_key(&self, p: &Map<String, Value>) -> Res<(Value, String)> {
        let scope = normalize_scope(&param_json(p, "scope").unwrap_or(Value::Null));
        let kind = scope
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match kind {
            "default" | "all_private_chats" | "all_group_chats" | "all_chat_administrators" => {}
            "chat" | "chat_administrators" | "chat_member" => {
                let chat_id = scope.get("chat_id").and_then(Value::as_i64);
                if !chat_id.is_some_and(|id| self.chats.contains_key(&id)) {
                    return Err(Reply::bad("chat not found"));
                }
                if kind == "chat_member" && scope.get("user_id").and_then(value_as_i64).is_none() {
                    return Err(Reply::bad("user not found"));
                }
            }
            _ => return Err(Reply::bad("can't parse BotCommandScope JSON object")),
        }
        let lang = param_str(p, "language_code").unwrap_or_default();
        let lang_ok =
            lang.is_empty() || (lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase()));
        if !lang_ok {
            return Err(Reply::bad("LANG_CODE_INVALID"));
        }
        Ok((scope, lang))
    }

    fn set_my_commands(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (scope, lang) = self.commands_key(p)?;
        let Some(Value::Array(list)) = param_json(p, "commands") else {
            return Err(Reply::bad("can't parse commands JSON object"));
        };
        if list.len() > 100 {
            return Err(Reply::bad("BOT_COMMANDS_TOO_MUCH"));
        }
        let mut commands = Vec::new();
        for c in &list {
            let command = c.get("command").and_then(Value::as_str).unwrap_or_default();
            let description = c
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let valid_command = (1..=32).contains(&command.len())
                && command
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid_command {
                return Err(Reply::bad("BOT_COMMAND_INVALID"));
            }
            if description.trim().is_empty() || description.chars().count() > 256 {
                return Err(Reply::bad("BOT_COMMAND_DESCRIPTION_INVALID"));
            }
            commands.push((command.to_owned(), description.to_owned()));
        }
        self.commands
            .retain(|(s, l, _)| !(*s == scope && *l == lang));
        self.commands.push((scope, lang, commands));
        Ok(json!(true))
    }

    fn get_my_commands(&self, p: &Map<String, Value>) -> Res<Value> {
        let (scope, lang) = self.commands_key(p)?;
        let list = self
            .commands
            .iter()
            .find(|(s, l, _)| *s == scope && *l == lang)
            .map(|(_, _, c)| {
                c.iter()
                    .map(|(c, d)| json!({"command": c, "description": d}))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        Ok(Value::Array(list))
    }

    fn delete_my_commands(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (scope, lang) = self.commands_key(p)?;
        self.commands
            .retain(|(s, l, _)| !(*s == scope && *l == lang));
        Ok(json!(true))
    }

    fn get_file(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let file_id = param_str(p, "file_id").unwrap_or_default();
        let next = self.next_file + 1;
        let entry = self
            .files
            .get_mut(&file_id)
            .ok_or_else(|| Reply::bad("invalid file id"))?;
        if entry.bytes.len() > DOWNLOAD_LIMIT {
            return Err(Reply::bad("file is too big"));
        }
        let mut new_path = None;
        if entry.path.is_none() {
            let (dir, default_ext) = match entry.kind {
                Some(FileKind::Photo) => ("photos", "jpg"),
                Some(FileKind::Sticker) => ("stickers", "webp"),
                Some(FileKind::Document) => ("documents", "bin"),
                None => ("documents", "bin"),
            };
            let ext = entry
                .file_name
                .as_deref()
                .and_then(|n| n.rsplit_once('.'))
                .map(|(_, e)| e.to_ascii_lowercase())
                .filter(|e| {
                    !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric())
                })
                .unwrap_or_else(|| default_ext.to_owned());
            let path = format!("{dir}/file_{next}.{ext}");
            entry.path = Some(path.clone());
            new_path = Some(path);
        }
        let result = json!({
            "file_id": file_id,
            "file_unique_id": entry.unique_id,
            "file_size": entry.bytes.len(),
            "file_path": entry.path,
        });
        if let Some(path) = new_path {
            self.next_file = next;
            self.file_paths.insert(path, file_id);
        }
        Ok(result)
    }

    fn send_chat_action(&mut self, p: &Map<String, Value>) -> Res<Value> {
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
enum EditKind {
    Text,
    Caption,
    Markup,
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn ok(result: Value) -> Self {
        Reply {
            status: 200,
            body: json!({"ok": true, "result": result}),
        }
    }

    fn err(status: u16, description: impl Into<String>) -> Self {
        Reply {
            status,
            body: json!({"ok": false, "error_code": status, "description": description.into()}),
        }
    }

    fn bad(description: impl std::fmt::Display) -> Self {
        Reply::err(400, format!("Bad Request: {description}"))
    }

    /// The marker of [`Failure::Hang`]: never sent to a client.
    fn hang() -> Self {
        let mut r = Reply::err(500, "hang");
        r.status = 0;
        r
    }

    fn is_hang(&self) -> bool {
        self.status == 0
    }

    fn retry_after(secs: u32) -> Self {
        let mut r = Reply::err(429, format!("Too Many Requests: retry after {secs}"));
        r.body["parameters"] = json!({ "retry_after": secs });
        r
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.body)).into_response()
    }
}

struct Upload {
    file_name: String,
    bytes: Bytes,
}

type Uploads = HashMap<String, Upload>;

struct Incoming {
    params: Map<String, Value>,
    uploads: Uploads,
}

async fn handle(State(fake): State<FakeTelegram>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return fake.download(rest);
    }
    let Some((token, method)) = path
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return Reply::err(404, "Not Found").into_response();
    };
    if method.is_empty() || method.contains('/') {
        return Reply::err(404, "Not Found").into_response();
    }
    let token = percent_decode(token);
    let incoming = read_params(req).await;
    fake.dispatch(&token, method, incoming)
        .await
        .into_response()
}

/// Parameters from the query string and the body (JSON, form-urlencoded or multipart).
async fn read_params(req: Request) -> Result<Incoming, Reply> {
    let mut params = Map::new();
    let mut uploads = Uploads::new();
    if let Some(q) = req.uri().query() {
        for (k, v) in parse_form(q) {
            params.insert(k, Value::String(v));
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| Reply::bad(format!("can't parse multipart: {e}")))?;
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => return Err(Reply::bad(format!("can't parse multipart: {e}"))),
            };
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| Reply::bad(format!("can't parse multipart: {e}")))?;
            match file_name {
                Some(file_name) => {
                    params.insert(
                        name.clone(),
                        json!({"file_name": file_name, "size": bytes.len()}),
                    );
                    uploads.insert(name, Upload { file_name, bytes });
                }
                None => {
                    params.insert(
                        name,
                        Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                    );
                }
            }
        }
        // teloxide sends `photo=attach://<id>` plus a part named <id>: resolve such references.
        let attached: Vec<(String, String)> = params
            .iter()
            .filter_map(|(k, v)| {
                Some((k.clone(), v.as_str()?.strip_prefix("attach://")?.to_owned()))
            })
            .filter(|(_, name)| uploads.contains_key(name))
            .collect();
        for (key, name) in attached {
            if let Some(up) = uploads.remove(&name) {
                params.remove(&name);
                params.insert(
                    key.clone(),
                    json!({"file_name": up.file_name, "size": up.bytes.len()}),
                );
                uploads.insert(key, up);
            }
        }
        return Ok(Incoming { params, uploads });
    }
    let body = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| Reply::err(413, "Request Entity Too Large"))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Incoming { params, uploads });
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (k, v) in parse_form(&String::from_utf8_lossy(&body)) {
            params.insert(k, Value::String(v));
        }
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => params.extend(m),
            _ => return Err(Reply::bad("can't parse JSON object")),
        }
    }
    Ok(Incoming { params, uploads })
}

fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Spec
// ---------------------------------------------------------------------------------------------

/// lowercase method name -> (canonical name, [(parameter, required)])
type Spec = HashMap<String, (String, Vec<(String, bool)>)>;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let v: Value = serde_json::from_str(METHODS_JSON)
            .expect("tests/data/botapi-methods.json is valid JSON");
        let methods = v
            .get("methods")
            .and_then(Value::as_object)
            .expect("botapi-methods.json has \"methods\"");
        methods
            .iter()
            .map(|(name, fields)| {
                let fields = fields
                    .as_object()
                    .map(|f| {
                        f.iter()
                            .map(|(p, d)| {
                                (
                                    p.clone(),
                                    d.get("required").and_then(Value::as_bool).unwrap_or(false),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (name.to_ascii_lowercase(), (name.clone(), fields))
            })
            .collect()
    })
}

fn canonical_method(name: &str) -> Option<String> {
    spec()
        .get(&name.to_ascii_lowercase())
        .map(|(n, _)| n.clone())
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn bot_user_json() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME})
}

fn me_json() -> Value {
    let mut me = bot_user_json();
    if let Value::Object(m) = &mut me {
        m.extend(
            json!({
                "can_join_groups": true,
                "can_read_all_group_messages": false,
                "supports_inline_queries": false,
                "can_connect_to_business": false,
                "has_main_web_app": false,
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
    }
    me
}

fn document_json(file_id: &str, f: &FileEntry) -> Value {
    let mut d =
        json!({"file_id": file_id, "file_unique_id": f.unique_id, "file_size": f.bytes.len()});
    if let Some(n) = &f.file_name {
        d["file_name"] = json!(n);
    }
    if let Some(m) = &f.mime {
        d["mime_type"] = json!(m);
    }
    d
}

fn unique_id_for(file_id: &str) -> String {
    format!("U{:016x}", fnv1a(file_id.as_bytes()))
}

fn guess_mime(file_name: &str) -> String {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "csv" => "text/csv",
        "txt" => "text/plain",
        "json" => "application/json",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
    .to_owned()
}

/// Only an inline keyboard comes back in the Message Telegram returns.
fn inline_only(markup: Option<&Value>) -> Option<Value> {
    markup
        .filter(|m| m.get("inline_keyboard").is_some())
        .cloned()
}

fn value_as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn param_i64(p: &Map<String, Value>, name: &str) -> Option<i64> {
    p.get(name).and_then(value_as_i64)
}

fn param_str(p: &Map<String, Value>, name: &str) -> Option<String> {
    match p.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

fn param_bool(p: &Map<String, Value>, name: &str) -> bool {
    match p.get(name) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true" || s == "1",
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// A JSON parameter; multipart and form bodies carry it as a JSON string.
fn param_json(p: &Map<String, Value>, name: &str) -> Option<Value> {
    match p.get(name)? {
        Value::Null => None,
        Value::String(s) => {
            Some(serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())))
        }
        other => Some(other.clone()),
    }
}

fn normalize_scope(scope: &Value) -> Value {
    let mut scope = match scope {
        Value::Object(_) => scope.clone(),
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| json!({"type": "default"})),
        _ => json!({"type": "default"}),
    };
    for key in ["chat_id", "user_id"] {
        if let Some(id) = scope.get(key).and_then(value_as_i64) {
            scope[key] = json!(id);
        }
    }
    scope
}

/// Every {"chat": {"id": ..}} in an update becomes a known chat.
fn register_chats(v: &Value, chats: &mut HashMap<i64, Value>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if k == "chat"
                    && let Some(id) = child.get("id").and_then(Value::as_i64)
                {
                    chats.insert(id, child.clone());
                }
                register_chats(child, chats);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| register_chats(c, chats)),
        _ => {}
    }
}

/// UTF-16 length of a leading "/command" or "/command@bot".
fn leading_command_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('/')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '@'))
        .unwrap_or(rest.len());
    let command = &rest[..end];
    let name = command.split('@').next().unwrap_or_default();
    if name.is_empty() || name.len() > 32 {
        return None;
    }
    Some(1 + command.len())
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid 8x8 grayscale PNG whose pixels depend on `seed`.
fn placeholder_png(seed: &str) -> Vec<u8> {
    let h = fnv1a(seed.as_bytes());
    let mut raw = Vec::with_capacity(8 * 9);
    for y in 0..8 {
        raw.push(0u8);
        for x in 0..8 {
            raw.push(if (h >> (y * 8 + x)) & 1 == 1 {
                0xe0
            } else {
                0x20
            });
        }
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    let len = raw.len() as u16;
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&len.to_le_bytes());
    zlib.extend_from_slice(&(!len).to_le_bytes());
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    };
    chunk(b"IHDR", &[0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0, 0, 0]);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

// ---------------------------------------------------------------------------------------------
// Text formatting (parse_mode)
// ---------------------------------------------------------------------------------------------

type Parsed = (String, Vec<Value>);

fn parse_text(text: &str, parse_mode: Option<&str>, entities: Option<Value>) -> Res<Parsed> {
    let parsed = match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None => {
            let entities = match entities {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            };
            return Ok((text.to_owned(), entities));
        }
        Some("html") => parse_html(text),
        Some("markdownv2") => parse_markdown_v2(text),
        Some("markdown") => parse_markdown_v1(text),
        Some(_) => return Err(Reply::bad("unsupported parse_mode")),
    };
    parsed.map_err(|e| Reply::bad(format!("can't parse entities: {e}")))
}

fn entity(kind: &str, offset: usize, length: usize) -> Value {
    json!({"type": kind, "offset": offset, "length": length})
}

fn sort_entities(entities: &mut [Value]) {
    let key = |e: &Value| {
        let o = e.get("offset").and_then(Value::as_u64).unwrap_or(0);
        let l = e.get("length").and_then(Value::as_u64).unwrap_or(0);
        (o, std::cmp::Reverse(l))
    };
    entities.sort_by_key(key);
}

fn normalize_url(url: &str) -> String {
    if url.contains("://") || url.starts_with("tg:") || url.starts_with("mailto:") {
        url.to_owned()
    } else {
        format!("http://{url}")
    }
}

/// `&lt;` `&gt;` `&amp;` `&quot;` `&#NN;` `&#xHH;` at the start of `s`: (char, byte length).
fn decode_html_entity(s: &str) -> Option<(char, usize)> {
    let semi = s.find(';').filter(|&i| i <= 10)?;
    let name = &s[1..semi];
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some((c, semi + 1))
}

fn decode_html_text(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '&' {
            let (d, len) = decode_html_entity(&s[i..]).ok_or_else(|| {
                format!("Character '&' at byte offset {i} must be escaped as &amp;")
            })?;
            out.push(d);
            i += len;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    Ok(out)
}

fn parse_html_attrs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut attrs = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('/') {
            rest = r.trim_start();
            continue;
        }
        let n = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if n == 0 {
            return Err("Expected equal sign in declaration of an attribute".into());
        }
        let key = rest[..n].to_ascii_lowercase();
        rest = rest[n..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &r[1..];
                    let close = body.find(q).ok_or("Unclosed end of attribute value")?;
                    value = decode_html_text(&body[..close])?;
                    rest = body[close + 1..].trim_start();
                }
                _ => {
                    let end = r.find(char::is_whitespace).unwrap_or(r.len());
                    value = decode_html_text(&r[..end])?;
                    rest = r[end..].trim_start();
                }
            }
        }
        attrs.push((key, value));
    }
    Ok(attrs)
}

/// Telegram's HTML style: returns the plain text and its entities (offsets in UTF-16 units).
fn parse_html(src: &str) -> Result<Parsed, String> {
    struct Open {
        tag: String,
        start: usize,
        entity: Option<Value>,
        code_language: Option<String>,
    }
    let mut out = String::with_capacity(src.len());
    let mut pos = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let mut i = 0;
    while let Some(c) = src[i..].chars().next() {
        if c == '&' {
            let (d, len) = decode_html_entity(&src[i..]).ok_or_else(|| {
                format!("Character '&' at byte offset {i} must be escaped as &amp;")
            })?;
            out.push(d);
            pos += d.len_utf16();
            i += len;
            continue;
        }
        if c != '<' {
            out.push(c);
            pos += c.len_utf16();
            i += c.len_utf8();
            continue;
        }
        let rest = &src[i..];
        let end = rest
            .find('>')
            .ok_or_else(|| format!("Unclosed start tag at byte offset {i}"))?;
        let inner = &rest[1..end];
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            let open = stack
                .pop()
                .ok_or_else(|| format!("Unexpected end tag at byte offset {i}"))?;
            if name != open.tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {i}, expected \"</{}>\", found \"</{name}>\"",
                    open.tag
                ));
            }
            if let Some(mut e) = open.entity
                && pos > open.start
            {
                e["offset"] = json!(open.start);
                e["length"] = json!(pos - open.start);
                entities.push(e);
            }
            if let Some(lang) = open.code_language
                && let Some(pre) = stack.last_mut().and_then(|o| o.entity.as_mut())
            {
                pre["language"] = json!(lang);
            }
            i += end + 1;
            continue;
        }
        let name_len = inner
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-'))
            .unwrap_or(inner.len());
        let name = inner[..name_len].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!(
                "Character '<' at byte offset {i} must be escaped as &lt;"
            ));
        }
        let attrs = parse_html_attrs(&inner[name_len..])?;
        let attr = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
        let parent_is_pre = stack.last().is_some_and(|o| o.tag == "pre");
        let mut code_language = None;
        let entity_value = match name.as_str() {
            "b" | "strong" => Some(entity("bold", 0, 0)),
            "i" | "em" => Some(entity("italic", 0, 0)),
            "u" | "ins" => Some(entity("underline", 0, 0)),
            "s" | "strike" | "del" => Some(entity("strikethrough", 0, 0)),
            "tg-spoiler" => Some(entity("spoiler", 0, 0)),
            "span" => {
                if attr("class").as_deref() != Some("tg-spoiler") {
                    return Err("Tag \"span\" must have class \"tg-spoiler\"".into());
                }
                Some(entity("spoiler", 0, 0))
            }
            "a" => attr("href").filter(|h| !h.is_empty()).map(|href| {
                let mut e = entity("text_link", 0, 0);
                e["url"] = json!(normalize_url(&href));
                e
            }),
            "code" => {
                if parent_is_pre {
                    code_language =
                        attr("class").and_then(|c| c.strip_prefix("language-").map(str::to_owned));
                    None
                } else {
                    Some(entity("code", 0, 0))
                }
            }
            "pre" => Some(entity("pre", 0, 0)),
            "blockquote" => Some(entity(
                if attr("expandable").is_some() {
                    "expandable_blockquote"
                } else {
                    "blockquote"
                },
                0,
                0,
            )),
            "tg-emoji" => {
                let id = attr("emoji-id")
                    .filter(|v| !v.is_empty())
                    .ok_or("Custom emoji identifier must be non-empty")?;
                let mut e = entity("custom_emoji", 0, 0);
                e["custom_emoji_id"] = json!(id);
                Some(e)
            }
            _ => {
                return Err(format!(
                    "Unsupported start tag \"{name}\" at byte offset {i}"
                ));
            }
        };
        stack.push(Open {
            tag: name,
            start: pos,
            entity: entity_value,
            code_language,
        });
        i += end + 1;
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            open.tag
        ));
    }
    sort_entities(&mut entities);
    Ok((out, entities))
}

/// Tags removed and entities decoded without validation (for [`SentMessage::plain_text`]).
fn strip_tags_lenient(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

const MARKDOWN_V2_RESERVED: &str = "_*[]()~`>#+-=|{}.!";

/// Telegram's MarkdownV2 style (simplified like tdlib: any reserved character outside a
/// well-formed entity must be escaped with '\').
fn parse_markdown_v2(src: &str) -> Result<Parsed, String> {
    #[derive(Clone, Copy, PartialEq)]
    enum K {
        Bold,
        Italic,
        Underline,
        Strike,
        Spoiler,
        Code,
        Pre,
        Link,
        Emoji,
    }
    impl K {
        fn name(self) -> &'static str {
            match self {
                K::Bold => "Bold",
                K::Italic => "Italic",
                K::Underline => "Underline",
                K::Strike => "Strikethrough",
                K::Spoiler => "Spoiler",
                K::Code => "Code",
                K::Pre => "Pre",
                K::Link => "TextUrl",
                K::Emoji => "CustomEmoji",
            }
        }
        fn entity_type(self) -> &'static str {
            match self {
                K::Bold => "bold",
                K::Italic => "italic",
                K::Underline => "underline",
                K::Strike => "strikethrough",
                K::Spoiler => "spoiler",
                K::Code => "code",
                K::Pre => "pre",
                K::Link => "text_link",
                K::Emoji => "custom_emoji",
            }
        }
    }
    struct Open {
        k: K,
        start: usize,
        byte: usize,
        language: Option<String>,
    }
    let cs: Vec<(usize, char)> = src.char_indices().collect();
    let at = |j: usize| cs.get(j).map(|x| x.1);
    let mut out = String::with_capacity(src.len());
    let mut pos = 0usize;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let mut quote: Option<(usize, bool)> = None;
    let mut i = 0;
    let reserved = |c: char| {
        format!("Character '{c}' is reserved and must be escaped with the preceding '\\'")
    };
    while i < cs.len() {
        let (byte, c) = cs[i];
        if c == '\\'
            && let Some(n) = at(i + 1)
            && (1..127).contains(&(n as u32))
        {
            out.push(n);
            pos += 1;
            i += 2;
            continue;
        }
        let top = stack.last().map(|o| o.k);
        if matches!(top, Some(K::Code | K::Pre)) {
            if c == '`' {
                let closes_pre = at(i + 1) == Some('`') && at(i + 2) == Some('`');
                if top == Some(K::Pre) && !closes_pre {
                    return Err(reserved(c));
                }
                let open = stack.pop().ok_or_else(|| reserved(c))?;
                if pos > open.start {
                    let mut e = entity(open.k.entity_type(), open.start, pos - open.start);
                    if let Some(lang) = open.language {
                        e["language"] = json!(lang);
                    }
                    entities.push(e);
                }
                i += if top == Some(K::Pre) { 3 } else { 1 };
            } else {
                out.push(c);
                pos += c.len_utf16();
                i += 1;
            }
            continue;
        }
        let line_start = i == 0 || cs[i - 1].1 == '\n';
        if line_start && stack.is_empty() {
            if c == '>' {
                quote.get_or_insert((pos, false));
                i += 1;
                continue;
            }
            if c == '*' && at(i + 1) == Some('*') && at(i + 2) == Some('>') {
                quote.get_or_insert((pos, true));
                i += 3;
                continue;
            }
        }
        if c == '\n' {
            let next_quoted = at(i + 1) == Some('>')
                || (at(i + 1) == Some('*') && at(i + 2) == Some('*') && at(i + 3) == Some('>'));
            if let Some((start, expandable)) = quote
                && !next_quoted
            {
                if pos > start {
                    entities.push(entity(
                        if expandable {
                            "expandable_blockquote"
                        } else {
                            "blockquote"
                        },
                        start,
                        pos - start,
                    ));
                }
                quote = None;
            }
            out.push(c);
            pos += 1;
            i += 1;
            continue;
        }
        if !MARKDOWN_V2_RESERVED.contains(c) {
            out.push(c);
            pos += c.len_utf16();
            i += 1;
            continue;
        }
        // Does it close the innermost entity?
        let closing = match (top, c) {
            (Some(K::Bold), '*') => Some(1),
            (Some(K::Underline), '_') if at(i + 1) == Some('_') => Some(2),
            (Some(K::Italic), '_') => Some(1),
            (Some(K::Strike), '~') => Some(1),
            (Some(K::Spoiler), '|') if at(i + 1) == Some('|') => Some(2),
            (Some(K::Link | K::Emoji), ']') => Some(1),
            _ => None,
        };
        if let Some(len) = closing {
            let open = stack.pop().ok_or_else(|| reserved(c))?;
            i += len;
            let mut e = entity(open.k.entity_type(), open.start, pos - open.start);
            if matches!(open.k, K::Link | K::Emoji) {
                // "(url)" follows; inside it only ')' and '\' need escaping.
                let mut url = String::new();
                if at(i) == Some('(') {
                    let url_start = cs.get(i).map(|x| x.0).unwrap_or(src.len());
                    i += 1;
                    loop {
                        match at(i) {
                            None => {
                                return Err(format!(
                                    "Can't find end of a URL at byte offset {url_start}"
                                ));
                            }
                            Some(')') => {
                                i += 1;
                                break;
                            }
                            Some('\\') if at(i + 1).is_some() => {
                                url.extend(at(i + 1));
                                i += 2;
                            }
                            Some(ch) => {
                                url.push(ch);
                                i += 1;
                            }
                        }
                    }
                }
                if open.k == K::Emoji {
                    let id = url
                        .strip_prefix("tg://emoji?id=")
                        .filter(|id| !id.is_empty())
                        .ok_or("Custom emoji entity must contain a tg://emoji URL")?;
                    e["custom_emoji_id"] = json!(id);
                } else if url.is_empty() {
                    continue;
                } else {
                    e["url"] = json!(normalize_url(&url));
                }
            }
            if pos > open.start {
                entities.push(e);
            }
            continue;
        }
        let (k, len) = match c {
            '*' => (K::Bold, 1),
            '_' if at(i + 1) == Some('_') => (K::Underline, 2),
            '_' => (K::Italic, 1),
            '~' => (K::Strike, 1),
            '|' if at(i + 1) == Some('|') => (K::Spoiler, 2),
            '`' if at(i + 1) == Some('`') && at(i + 2) == Some('`') => (K::Pre, 3),
            '`' => (K::Code, 1),
            '[' => (K::Link, 1),
            '!' if at(i + 1) == Some('[') => (K::Emoji, 2),
            _ => return Err(reserved(c)),
        };
        i += len;
        let mut language = None;
        if k == K::Pre {
            // ```language\n
            let mut j = i;
            while let Some(ch) = at(j) {
                if ch == '\n' || ch == '`' || ch.is_whitespace() {
                    break;
                }
                j += 1;
            }
            if j > i && at(j) == Some('\n') {
                language = Some(cs[i..j].iter().map(|x| x.1).collect::<String>());
                i = j + 1;
            } else if at(i) == Some('\n') {
                i += 1;
            }
        }
        stack.push(Open {
            k,
            start: pos,
            byte,
            language,
        });
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "Can't find end of {} entity at byte offset {}",
            open.k.name(),
            open.byte
        ));
    }
    if let Some((start, expandable)) = quote
        && pos > start
    {
        entities.push(entity(
            if expandable {
                "expandable_blockquote"
            } else {
                "blockquote"
            },
            start,
            pos - start,
        ));
    }
    sort_entities(&mut entities);
    Ok((out, entities))
}

/// Telegram's legacy Markdown style: *bold* _italic_ `code` ```pre``` [text](url).
fn parse_markdown_v1(src: &str) -> Result<Parsed, String> {
    let cs: Vec<(usize, char)> = src.char_indices().collect();
    let at = |j: usize| cs.get(j).map(|x| x.1);
    let mut out = String::new();
    let mut pos = 0usize;
    let mut entities = Vec::new();
    let mut i = 0;
    let unclosed = |b: usize| format!("Can't find end of the entity starting at byte offset {b}");
    while i < cs.len() {
        let (byte, c) = cs[i];
        if c == '\\' && at(i + 1).is_some_and(|n| "_*`[".contains(n)) {
            if let Some(n) = at(i + 1) {
                out.push(n);
                pos += 1;
            }
            i += 2;
            continue;
        }
        let (kind, open_len, close): (&str, usize, &str) = match c {
            '*' => ("bold", 1, "*"),
            '_' => ("italic", 1, "_"),
            '`' if at(i + 1) == Some('`') && at(i + 2) == Some('`') => ("pre", 3, "```"),
            '`' => ("code", 1, "`"),
            '[' => ("text_link", 1, "]"),
            _ => {
                out.push(c);
                pos += c.len_utf16();
                i += 1;
                continue;
            }
        };
        let content_start = byte + open_len;
        let rel = src[content_start..]
            .find(close)
            .ok_or_else(|| unclosed(byte))?;
        let content = &src[content_start..content_start + rel];
        let mut after = content_start + rel + close.len();
        let mut e = entity(kind, pos, 0);
        let mut text = content.to_owned();
        if kind == "pre"
            && let Some((first, body)) = content.split_once('\n')
            && !first.is_empty()
            && !first.contains(char::is_whitespace)
        {
            e["language"] = json!(first);
            text = body.to_owned();
        }
        if kind == "text_link" {
            let rest = &src[after..];
            if let Some(r) = rest.strip_prefix('(') {
                let close_paren = r.find(')').ok_or_else(|| unclosed(byte))?;
                e["url"] = json!(normalize_url(&r[..close_paren]));
                after += 1 + close_paren + 1;
            } else {
                return Err(unclosed(byte));
            }
        }
        let len = utf16_len(&text);
        out.push_str(&text);
        if len > 0 {
            e["length"] = json!(len);
            entities.push(e);
        }
        pos += len;
        i = cs.iter().position(|x| x.0 >= after).unwrap_or(cs.len());
    }
    sort_entities(&mut entities);
    Ok((out, entities))
}
