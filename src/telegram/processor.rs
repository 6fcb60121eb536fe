//! Handles stored updates: for each, one transaction takes the update, loads the user, their roles and
//! dialogue, runs the handler, saves the dialogue and writes the replies to the outbox. Any number of
//! processes do this beside each other on one database: each claims chats for a lease
//! ([`inbox::claim_chats`]) and handles a claimed chat's updates in order, one at a time; different chats
//! concurrently. A process that dies mid-update leaves the chat to another when its lease ends, and the
//! update, rolled back with it, is handled there.

use super::context::{BotInfo, Ctx};
use super::handlers;
use super::incoming::{self, Input};
use crate::domain::UserId;
use crate::i18n::t;
use crate::outbound::{self, Keyboard, Outbound};
use crate::store::{Backend, Db, dialogues, inbox, users};
use chrono::Utc;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use teloxide::prelude::*;
use teloxide::types::{ChatMemberKind, Update, UpdateKind};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// After this many failed attempts an update is given up, and the user told something went wrong.
const MAX_ATTEMPTS: i64 = 5;

/// Chats one process handles at once.
const CHATS_AT_ONCE: usize = 32;

/// A chat's updates read at a time.
const BATCH: i64 = 20;

#[derive(Clone)]
pub struct Processor {
    db: Db,
    bot: Bot,
    info: Arc<BotInfo>,
    wake_sender: Arc<Notify>,
    /// This process, as it signs its claims: `host/pid/random`.
    owner: Arc<str>,
    /// How long a claim on a chat lasts unless renewed (`ASUH_INBOX_LEASE_SECS`).
    lease: Duration,
    claims: Claims,
}

/// Whether chats are claimed in the database, shared by every process (PostgreSQL), or not at all (SQLite,
/// which one process serves: it handles the oldest updates as they come, each chat's in order).
#[derive(Clone, Copy)]
enum Claims {
    Shared,
    Local,
}

/// The name a process signs its claims with: the host, the process id and a random part (a restarted
/// process with a recycled pid is still someone else).
pub fn owner_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".to_owned());
    format!(
        "{host}/{}/{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

impl Processor {
    pub fn new(
        db: Db,
        bot: Bot,
        info: Arc<BotInfo>,
        wake_sender: Arc<Notify>,
        lease: Duration,
    ) -> Self {
        let claims = match db.backend() {
            Backend::Postgres => Claims::Shared,
            Backend::Sqlite => Claims::Local,
        };
        Self {
            db,
            bot,
            info,
            wake_sender,
            owner: owner_name().into(),
            lease,
            claims,
        }
    }

    /// One process alone (SQLite): reads the oldest unhandled updates, handles each chat's in order and
    /// different chats concurrently, and reads again; no claims are needed.
    async fn run_alone(self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            match self.process_once().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "cannot read the inbox"),
            }
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Handles the oldest stored updates; returns how many were looked at. The update in hand is always
    /// finished (a shutdown waits for this call to return). A chat whose update failed waits for the next
    /// call, so that its updates stay in order.
    async fn process_once(&self) -> crate::store::Result<usize> {
        let pending = inbox::pending(&mut *self.db.conn().await?, 200).await?;
        let count = pending.len();
        let mut by_chat: BTreeMap<i64, Vec<inbox::Pending>> = BTreeMap::new();
        for p in pending {
            by_chat.entry(p.chat_id.unwrap_or(0)).or_default().push(p);
        }
        let mut chats = JoinSet::new();
        for (_, updates) in by_chat {
            let this = self.clone();
            chats.spawn(async move {
                for p in updates {
                    let worker = this.clone();
                    let id = p.update_id;
                    // A task per update, so that a panic is caught and charged to that update alone.
                    let outcome = tokio::spawn(async move { worker.handle(&p).await }).await;
                    let error = match outcome {
                        Ok(Ok(())) => continue,
                        Ok(Err(e)) => e.to_string(),
                        Err(join) => format!("handler panicked: {join}"),
                    };
                    this.failed(id, &error).await;
                    break;
                }
            });
        }
        while chats.join_next().await.is_some() {}
        Ok(count)
    }

    /// Claims chats with updates waiting and handles them, until shut down; the updates in hand are
    /// finished first, and the chats given up so that another process takes them at once.
    pub async fn run(self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
        if matches!(self.claims, Claims::Local) {
            return self.run_alone(wake, shutdown).await;
        }
        let mut running: JoinSet<()> = JoinSet::new();
        while !*shutdown.borrow() {
            let free = CHATS_AT_ONCE.saturating_sub(running.len());
            if free > 0 {
                match self.claim(free).await {
                    Ok(chats) => {
                        let all = chats.len() == free;
                        for chat in chats {
                            running.spawn(self.clone().drain(chat, shutdown.clone()));
                        }
                        if all {
                            continue;
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "cannot claim chats in the inbox"),
                }
            }
            tokio::select! {
                Some(_) = running.join_next(), if !running.is_empty() => {
                    // Claim for every chat finished by now at once, rather than one claim per chat.
                    while running.try_join_next().is_some() {}
                }
                _ = wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = shutdown.changed() => {}
            }
        }
        while running.join_next().await.is_some() {}
    }

    fn until(&self) -> chrono::DateTime<Utc> {
        Utc::now() + chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(60))
    }

    async fn claim(&self, limit: usize) -> crate::store::Result<Vec<i64>> {
        let limit = i64::try_from(limit).unwrap_or(1);
        inbox::claim_chats(
            &mut *self.db.conn().await?,
            &self.owner,
            self.until(),
            Utc::now(),
            limit,
        )
        .await
    }

    async fn renew(&self, chat: i64) -> crate::store::Result<bool> {
        inbox::renew_claim(&mut *self.db.conn().await?, chat, &self.owner, self.until()).await
    }

    async fn release(&self, chat: i64) -> crate::store::Result<()> {
        inbox::release_claim(&mut *self.db.conn().await?, chat, &self.owner).await
    }

    /// Claims one chat again after giving it up; false when another process has it now.
    async fn reclaim(&self, chat: i64) -> crate::store::Result<bool> {
        inbox::claim_chat(
            &mut *self.db.conn().await?,
            chat,
            &self.owner,
            self.until(),
            Utc::now(),
        )
        .await
    }

    /// Handles a claimed chat's updates in order until none is left (or the claim is lost, or the process
    /// stops), then gives the chat up.
    async fn drain(self, chat: i64, shutdown: watch::Receiver<bool>) {
        if let Err(e) = self.drain_chat(chat, &shutdown).await {
            tracing::error!(chat, error = %e, "cannot handle a chat's updates now; giving the chat up");
            // Best effort: if the database is gone, the claim runs out by itself.
            let _ = self.release(chat).await;
        }
    }

    async fn drain_chat(
        &self,
        chat: i64,
        shutdown: &watch::Receiver<bool>,
    ) -> crate::store::Result<()> {
        let mut renewed = Instant::now();
        loop {
            if *shutdown.borrow() {
                self.release(chat).await?;
                return Ok(());
            }
            let batch = inbox::pending_of_chat(&mut *self.db.conn().await?, chat, BATCH).await?;
            if batch.is_empty() {
                self.release(chat).await?;
                // An update stored meanwhile may have found the chat still claimed: look once more.
                let more = inbox::pending_of_chat(&mut *self.db.conn().await?, chat, 1).await?;
                if more.is_empty() || !self.reclaim(chat).await? {
                    return Ok(());
                }
                renewed = Instant::now();
                continue;
            }
            for p in batch {
                if *shutdown.borrow() {
                    break;
                }
                if renewed.elapsed() > self.lease / 3 {
                    if !self.renew(chat).await? {
                        tracing::warn!(
                            chat,
                            "the chat's claim ran out and another process took it"
                        );
                        return Ok(());
                    }
                    renewed = Instant::now();
                }
                let worker = self.clone();
                let id = p.update_id;
                let attempts = p.attempts;
                // A task per update, so that a panic is caught and charged to that update alone.
                let outcome = tokio::spawn(async move { worker.handle(&p).await }).await;
                let error = match outcome {
                    Ok(Ok(())) => continue,
                    Ok(Err(e)) => e.to_string(),
                    Err(join) => format!("handler panicked: {join}"),
                };
                self.failed(id, &error).await;
                // The chat waits for its failed update: read the batch again after a pause.
                let pause = Duration::from_millis(200) * u32::try_from(attempts + 1).unwrap_or(1);
                tokio::time::sleep(pause).await;
                break;
            }
        }
    }

    async fn handle(&self, p: &inbox::Pending) -> Result<(), handlers::HandlerError> {
        let now = Utc::now();
        let mut tx = self.db.begin().await?;
        if !inbox::take(&mut tx, p.update_id, now).await? {
            // Another process handled it (its claim outlived ours).
            return Ok(());
        }
        let update: Update = match serde_json::from_str(&p.payload) {
            Ok(u) => u,
            Err(e) => {
                tracing::error!(update = p.update_id, error = %e, "a stored update does not read back; skipped");
                inbox::mark_processed(&mut tx, p.update_id, Some(&e.to_string()), now).await?;
                tx.commit().await.map_err(crate::store::StoreError::from)?;
                return Ok(());
            }
        };
        let Some(incoming) = incoming::parse(&update, &self.info.username) else {
            membership(&mut tx, &update).await?;
            tx.commit().await.map_err(crate::store::StoreError::from)?;
            return Ok(());
        };
        let callback_id = match &incoming.input {
            Input::Callback { id, .. } => Some(id.clone()),
            _ => None,
        };
        let s = &incoming.sender;
        let me = users::touch(
            &mut tx,
            UserId(s.id),
            &s.first_name,
            s.username.as_deref(),
            s.lang,
            now,
        )
        .await?;
        let roles = users::roles(&mut tx, me.id).await?;
        let dialogue = dialogues::load(&mut tx, me.id).await?;
        let before = dialogue.clone();
        let mut ctx = Ctx {
            conn: &mut tx,
            now,
            me,
            roles,
            dialogue,
            chat_id: incoming.chat_id,
            bot: &self.info,
            out: Vec::new(),
            answer: None,
            menus: Vec::new(),
        };
        tracing::debug!(
            update = p.update_id,
            user = s.id,
            kind = input_kind(&incoming.input),
            "handling"
        );
        handlers::handle(&mut ctx, incoming.input).await?;
        let Ctx {
            dialogue,
            mut out,
            answer,
            me,
            roles,
            mut menus,
            ..
        } = ctx;
        if me.first_contact && !roles.active().is_empty() && !menus.contains(&me.id) {
            // A role granted before they ever wrote (ASUH_ADMINS, `asuh admin grant`): Telegram refused that
            // menu then ("chat not found"), so it goes now.
            menus.push(me.id);
        }
        let app_url = self
            .info
            .dashboard
            .as_ref()
            .map(|d| d.settings.app_url.as_str());
        for user in menus {
            out.extend(handlers::menus_for(&mut tx, user, app_url).await?);
        }
        if dialogue != before {
            dialogues::save(&mut tx, me.id, &dialogue, now).await?;
        }
        for o in &out {
            // What answers this person goes first; what their action tells others is a notice to them.
            let lane = if o.chat_id() == me.id.0 {
                outbound::Lane::Reply
            } else {
                outbound::Lane::Notice
            };
            outbound::enqueue_in(&mut tx, lane, o, now).await?;
        }
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        if !out.is_empty() {
            self.wake_sender.notify_one();
        }
        if let Some(id) = callback_id {
            // Best effort: it only stops the button's spinner; the outcome itself is in the outbox.
            let mut req = self
                .bot
                .answer_callback_query(teloxide::types::CallbackQueryId(id));
            if let Some(text) = answer {
                req = req.text(text);
            }
            if let Err(e) = req.await {
                tracing::debug!(error = %super::describe(&e), "answerCallbackQuery failed");
            }
        }
        Ok(())
    }

    /// Charges a failed attempt to an update; after the last one, gives up on it and says so to the user.
    async fn failed(&self, update_id: i64, error: &str) {
        tracing::error!(update = update_id, error, "handling an update failed");
        let result: crate::store::Result<()> = async {
            let mut tx = self.db.begin().await?;
            let attempts = inbox::record_failure(&mut tx, update_id, error).await?;
            if attempts >= MAX_ATTEMPTS {
                let chat = inbox::chat_of(&mut tx, update_id).await?;
                inbox::mark_processed(&mut tx, update_id, Some(error), Utc::now()).await?;
                if let Some(chat) = chat {
                    let lang = users::language(&mut tx, UserId(chat)).await?;
                    let sorry = Outbound::Message {
                        chat_id: chat,
                        text: t(lang, "error-internal"),
                        keyboard: Keyboard::None,
                    };
                    outbound::enqueue(&mut tx, &sorry, Utc::now()).await?;
                }
            }
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::error!(update = update_id, error = %e, "cannot record the failure");
        }
        self.wake_sender.notify_one();
    }
}

/// A user blocked or unblocked the bot: note whether they can be reached.
async fn membership(conn: &mut crate::store::Conn, update: &Update) -> crate::store::Result<()> {
    let UpdateKind::MyChatMember(m) = &update.kind else {
        return Ok(());
    };
    if !m.chat.is_private() {
        return Ok(());
    }
    let user = UserId(m.from.id.0 as i64);
    match m.new_chat_member.kind {
        ChatMemberKind::Banned(_) | ChatMemberKind::Left => {
            users::mark_unreachable(conn, user, Utc::now()).await?;
        }
        _ => {
            users::mark_reachable(conn, user).await?;
        }
    }
    Ok(())
}

fn input_kind(input: &Input) -> &'static str {
    match input {
        Input::Command { .. } => "command",
        Input::Text(_) => "text",
        Input::Contact { .. } => "contact",
        Input::Callback { .. } => "callback",
        Input::Document { .. } => "document",
        Input::Photo { .. } => "photo",
        Input::Location { .. } => "location",
        Input::Other(kind) => kind,
    }
}
