//! The import worker: takes files coordinators sent, downloads them through getFile, checks and applies
//! them, and reports in the chat — one message that is edited as the import goes. A failed download is
//! tried again; nothing the coordinator sent is lost.

use crate::domain::UserId;
use crate::domain::policy::Actor;
use crate::i18n::{Arg, tf};
use crate::outbound::{self, Keyboard, Outbound};
use crate::services::imports;
use crate::store::{Db, import_jobs, outbox, users};
use chrono::{Duration, Utc};
use std::sync::Arc;
use teloxide::net::Download;
use teloxide::prelude::*;
use tokio::sync::{Notify, watch};

/// Telegram's getFile limit.
const MAX_BYTES: u32 = 20 * 1024 * 1024;
const MAX_ATTEMPTS: i64 = 5;

pub struct ImportWorker {
    pub db: Db,
    pub bot: Bot,
    pub wake_sender: Arc<Notify>,
}

impl ImportWorker {
    /// Polls for jobs every 2 s (a file is rare; nothing needs waking sooner) until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            match self.run_once().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "import worker failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Handles one job, if any is waiting; returns whether there was one.
    pub async fn run_once(&self) -> crate::store::Result<bool> {
        let Some(job) = import_jobs::claim(&self.db, Utc::now(), Duration::minutes(10)).await?
        else {
            return Ok(false);
        };
        let requester = UserId(job.requested_by);
        // The requester's roles as they are now, when the file is applied: a coordinator revoked or
        // moved since sending it imports nothing outside what they may do now.
        let (lang, roles) = {
            let mut conn = self.db.conn().await?;
            (
                users::language(&mut conn, requester).await?,
                users::roles(&mut conn, requester).await?,
            )
        };
        let actor = Actor {
            user: requester,
            roles,
        };
        if actor.roles.coordinator.is_none() {
            let mut conn = self.db.conn().await?;
            import_jobs::finish(
                &mut conn,
                job.id,
                false,
                "requester is no longer a coordinator",
                Utc::now(),
            )
            .await?;
            return Ok(true);
        };
        let progress_key = format!("import:{}:progress", job.id);
        self.say(
            job.chat_id,
            &progress_key,
            tf(
                lang,
                "import-progress-downloading",
                &[("file", Arg::Text(&job.file_name))],
            ),
        )
        .await?;
        let bytes = match self.download(&job.file_id).await {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!(job = job.id, attempt = job.attempts, error = %e, "import download failed");
                let mut conn = self.db.conn().await?;
                if job.attempts < MAX_ATTEMPTS {
                    import_jobs::retry(
                        &mut conn,
                        job.id,
                        Utc::now() + Duration::seconds(5 * job.attempts),
                    )
                    .await?;
                } else {
                    let text = tf(
                        lang,
                        "import-download-failed",
                        &[("file", Arg::Text(&job.file_name))],
                    );
                    import_jobs::finish(&mut conn, job.id, false, &e, Utc::now()).await?;
                    drop(conn);
                    self.say(job.chat_id, &progress_key, text).await?;
                }
                return Ok(true);
            }
        };
        self.say(
            job.chat_id,
            &progress_key,
            tf(
                lang,
                "import-progress-checking",
                &[("file", Arg::Text(&job.file_name))],
            ),
        )
        .await?;
        let now = Utc::now();
        let report = match job.kind.as_str() {
            "regions" => {
                imports::import_regions(&self.db, &bytes, &job.file_name, &actor, lang, now).await?
            }
            "measurements" => {
                imports::import_measurements(&self.db, &bytes, &job.file_name, &actor, lang, now)
                    .await?
            }
            _ => {
                imports::import_children(&self.db, &bytes, &job.file_name, &actor, lang, now)
                    .await?
            }
        };
        let messages = imports::render(lang, &job.file_name, &report);
        let mut conn = self.db.conn().await?;
        import_jobs::finish(
            &mut conn,
            job.id,
            report.refused.is_none(),
            &messages.join("\n\n"),
            Utc::now(),
        )
        .await?;
        drop(conn);
        // The figures in the progress message; a long list of lines goes on in the messages after it.
        let mut messages = messages.into_iter();
        if let Some(first) = messages.next() {
            self.say(job.chat_id, &progress_key, first).await?;
        }
        for (k, text) in messages.enumerate() {
            let next = Outbound::Message {
                chat_id: job.chat_id,
                text,
                keyboard: Keyboard::None,
            };
            let key = format!("import:{}:report:{}", job.id, k + 1);
            outbound::enqueue_once(
                &mut *self.db.conn().await?,
                outbound::Lane::Reply,
                &next,
                &key,
                Utc::now(),
            )
            .await?;
        }
        if let Some(rejected) = &report.rejected_rows {
            // After the report that announces it: the rejected rows, with the reason, as a file to correct
            // and send back as it is.
            let stem = job
                .file_name
                .rsplit_once('.')
                .map_or(job.file_name.as_str(), |(stem, _)| stem);
            let file = Outbound::Document {
                chat_id: job.chat_id,
                document: crate::outbound::Attachment::Text {
                    file_name: format!(
                        "{stem}-{}.csv",
                        crate::i18n::t(lang, "import-rejected-file-suffix")
                    ),
                    content: rejected.clone(),
                },
                caption: crate::i18n::t(lang, "import-rejected-file-caption"),
            };
            outbound::enqueue_once(
                &mut *self.db.conn().await?,
                outbound::Lane::Reply,
                &file,
                &format!("import:{}:rejected", job.id),
                Utc::now(),
            )
            .await?;
        }
        Ok(true)
    }

    async fn download(&self, file_id: &str) -> Result<Vec<u8>, String> {
        let file = self
            .bot
            .get_file(teloxide::types::FileId(file_id.to_owned()))
            .await
            .map_err(|e| super::describe(&e))?;
        if file.size > MAX_BYTES {
            return Err("file too big".into());
        }
        let mut bytes = Vec::with_capacity(file.size as usize);
        self.bot
            .download_file(&file.path, &mut bytes)
            .await
            .map_err(|e| super::scrub_download(&e.to_string()))?;
        Ok(bytes)
    }

    /// Shows `text` in the import's progress message: the first call sends it (once, under `key`, so a job
    /// that runs again does not send it twice); later calls edit it once Telegram has it, waiting up to 2 s
    /// for the sender, and send a new message when it still has not.
    async fn say(&self, chat: i64, key: &str, text: String) -> crate::store::Result<()> {
        let now = Utc::now();
        let first = Outbound::Message {
            chat_id: chat,
            text: text.clone(),
            keyboard: Keyboard::None,
        };
        if !outbound::enqueue_once(
            &mut *self.db.conn().await?,
            outbound::Lane::Reply,
            &first,
            key,
            now,
        )
        .await?
        {
            let mut message_id = None;
            for _ in 0..20 {
                message_id = outbox::sent_message_id(&mut *self.db.conn().await?, key).await?;
                if message_id.is_some() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let next = match message_id {
                Some(message_id) => Outbound::Edit {
                    chat_id: chat,
                    message_id,
                    text,
                    keyboard: Keyboard::None,
                },
                None => Outbound::Message {
                    chat_id: chat,
                    text,
                    keyboard: Keyboard::None,
                },
            };
            outbound::enqueue_in(
                &mut *self.db.conn().await?,
                outbound::Lane::Reply,
                &next,
                now,
            )
            .await?;
        }
        self.wake_sender.notify_one();
        Ok(())
    }
}
