//! Handles stored updates: for each, one transaction loads the user, their roles and dialogue, runs the
//! handler, saves the dialogue, writes the replies to the outbox and marks the update handled. Updates of
//! one chat are handled in order; different chats concurrently.

use super::context::{BotInfo, Ctx};
use super::handlers;
use super::incoming::{self, Input};
use crate::domain::UserId;
use crate::i18n::t;
use crate::outbound::{self, Keyboard, Outbound};
use crate::store::{Db, dialogues, inbox, users};
use chrono::Utc;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::types::{ChatMemberKind, Update, UpdateKind};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// After this many failed attempts an update is given up, and the user told something went wrong.
const MAX_ATTEMPTS: i64 = 5;

#[derive(Clone)]
pub struct Processor {
    pub db: Db,
    pub bot: Bot,
    pub info: Arc<BotInfo>,
    pub wake_sender: Arc<Notify>,
}

impl Processor {
    pub async fn run(self, wake: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
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
    /// finished (a shutdown waits for this call to return).
    pub async fn process_once(&self) -> crate::store::Result<usize> {
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
                }
            });
        }
        while chats.join_next().await.is_some() {}
        Ok(count)
    }

    async fn handle(&self, p: &inbox::Pending) -> Result<(), handlers::HandlerError> {
        let now = Utc::now();
        let update: Update = match serde_json::from_str(&p.payload) {
            Ok(u) => u,
            Err(e) => {
                tracing::error!(update = p.update_id, error = %e, "a stored update does not read back; skipped");
                inbox::mark_processed(
                    &mut *self.db.conn().await?,
                    p.update_id,
                    Some(&e.to_string()),
                    now,
                )
                .await?;
                return Ok(());
            }
        };
        let Some(incoming) = incoming::parse(&update, &self.info.username) else {
            self.membership(&update).await?;
            inbox::mark_processed(&mut *self.db.conn().await?, p.update_id, None, now).await?;
            return Ok(());
        };
        let callback_id = match &incoming.input {
            Input::Callback { id, .. } => Some(id.clone()),
            _ => None,
        };
        let mut tx = self.db.begin().await?;
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
        for user in menus {
            out.push(handlers::menu_for(&mut tx, user).await?);
        }
        if dialogue != before {
            dialogues::save(&mut tx, me.id, &dialogue, now).await?;
        }
        for o in &out {
            outbound::enqueue(&mut tx, o, now).await?;
        }
        inbox::mark_processed(&mut tx, p.update_id, None, now).await?;
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

    /// A user blocked or unblocked the bot: note whether they can be reached.
    async fn membership(&self, update: &Update) -> crate::store::Result<()> {
        let UpdateKind::MyChatMember(m) = &update.kind else {
            return Ok(());
        };
        if !m.chat.is_private() {
            return Ok(());
        }
        let user = UserId(m.from.id.0 as i64);
        let mut conn = self.db.conn().await?;
        match m.new_chat_member.kind {
            ChatMemberKind::Banned(_) | ChatMemberKind::Left => {
                users::mark_unreachable(&mut conn, user, Utc::now()).await?;
            }
            _ => {
                users::mark_reachable(&mut conn, user).await?;
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
