//! The test's side, observing: what the bot sent, edited or deleted, each call it made, and waiting for
//! either.

use std::fmt::Write as _;
use std::pin::pin;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::FakeTelegram;
use super::commands::normalize_scope;
use super::format::{parse_html, parse_markdown_v1, parse_markdown_v2, strip_tags_lenient};
use super::server::value_as_i64;

const NEXT_MESSAGE_TIMEOUT: Duration = Duration::from_secs(10);

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
                    .or_else(|| b.get("web_app").and_then(|w| w.get("url")))
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
    /// When the fake answered it (for a hung request, when it arrived).
    pub at: Instant,
}

impl FakeTelegram {
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

    /// The menu button of a private chat as the bot last set it ({"type":"default"} when never set).
    pub fn menu_button(&self, chat_id: i64) -> Value {
        self.lock()
            .menu_buttons
            .get(&chat_id)
            .cloned()
            .unwrap_or_else(|| json!({"type": "default"}))
    }

    /// Calls that broke the spec: unknown method, missing required parameter, unknown parameter.
    pub fn spec_violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }

    /// Updates injected but not yet confirmed by the bot (getUpdates with a higher offset).
    pub fn pending_updates(&self) -> usize {
        self.lock().pending.len()
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
}
