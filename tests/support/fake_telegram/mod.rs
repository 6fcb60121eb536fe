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
//!
//! This file holds the state every part shares; the parts:
//! - `server`: the HTTP server, reading a call's parameters, routing a method, Telegram's answers;
//! - `updates`: getUpdates (long polling, offsets, allowed updates) and the queue of pending updates;
//! - `webhook`: setWebhook, deleteWebhook, getWebhookInfo, and delivering updates by POST as Telegram does;
//! - `messages`: what the bot sends, edits and deletes (texts, photos, documents, keyboards, callbacks);
//! - `commands`: setMyCommands, getMyCommands, deleteMyCommands;
//! - `files`: uploads, file ids, getFile and downloads;
//! - `failures`: failure injection (`fail_next`, blocked users, flood limits);
//! - `spec`: the checks of every call against the Bot API spec;
//! - `format`: parse modes (HTML, MarkdownV2, Markdown) into plain text and entities;
//! - `inject` and `observe`: the test's side (`send_text`, `press_button`, ...; `next_message`,
//!   `calls`, ...).

mod commands;
mod failures;
mod files;
mod format;
mod inject;
mod messages;
mod observe;
mod server;
mod spec;
mod updates;
mod webhook;

pub use failures::{Failure, Storm};
pub use inject::TestUser;
pub use observe::{Call, SentMessage};
#[allow(unused_imports)]
pub use webhook::Delivery;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::sync::Notify;

use files::FileEntry;
use messages::StoredMsg;
use server::Reply;

const BOT_ID: i64 = 999_000;
const BOT_USERNAME: &str = "asuh_test_bot";
const BOT_FIRST_NAME: &str = "Asuh";

/// A running fake Bot API server. Cheap to clone; all clones share one state.
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

impl FakeTelegram {
    fn lock(&self) -> MutexGuard<'_, St> {
        self.inner.lock()
    }
}

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

struct St {
    next_update_id: i64,
    pending: VecDeque<Value>,
    allowed_updates: Option<Vec<String>>,
    /// The generation of the getUpdates request being held, if any.
    held_poll: Option<u64>,
    poll_generation: u64,
    webhook: Option<webhook::Hook>,
    deliveries: webhook::Deliveries,
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
    /// A storm's plan over the next sending calls: a fault, or `None` for a call that goes through.
    storm: VecDeque<Option<Failure>>,
    rate_limits: bool,
    chat_sends: HashMap<i64, VecDeque<Instant>>,
    all_sends: VecDeque<Instant>,
    /// (scope, language code or "", commands)
    commands: Vec<CommandSet>,
    /// Each private chat's menu button (setChatMenuButton), as sent; absent: the default.
    menu_buttons: HashMap<i64, Value>,
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
            webhook: None,
            deliveries: webhook::Deliveries::default(),
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
            storm: VecDeque::new(),
            rate_limits: false,
            chat_sends: HashMap::new(),
            all_sends: VecDeque::new(),
            commands: Vec::new(),
            menu_buttons: HashMap::new(),
        }
    }

    fn next_message_id(&mut self, chat_id: i64) -> i64 {
        let next = self.next_message_ids.entry(chat_id).or_insert(1);
        let id = *next;
        *next += 1;
        id
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
