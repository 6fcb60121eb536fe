//! Updates: the queue of pending updates and getUpdates (long polling, offsets, allowed updates, a
//! newer poll ending the held one with 409).

use std::collections::HashMap;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::messages::{Content, StoredMsg};
use super::observe::Call;
use super::server::{Reply, param_i64, param_json};
use super::{FakeTelegram, Inner, St};

// Descriptions as teloxide-core 0.13 matches them (see its `ApiError`).
const CONFLICT_GET_UPDATES: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

impl FakeTelegram {
    /// Long polling like telegram-bot-api: updates (or timeout 0) answer at once; otherwise the
    /// request is held until an update arrives or `timeout` passes. A newer request that has to
    /// wait terminates the held one with 409 Conflict and takes its place. The call is recorded
    /// when it arrives, with status 0 until it is answered.
    pub(super) async fn get_updates(&self, params: Map<String, Value>) -> Reply {
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
                at: Instant::now(),
            });
            let now = if st.webhook.is_some() {
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

impl St {
    pub(super) fn push_update(&mut self, mut update: Value) -> i64 {
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
    pub(super) fn note_user_message(&mut self, msg: &Value) {
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
    pub(super) fn drop_disallowed(&mut self) {
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
