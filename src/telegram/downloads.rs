//! The evidence worker: downloads each confirmed picture through getFile, checks that it is a picture,
//! keeps it in the media store under its SHA-256, reads its EXIF, and raises the flags the bytes show (the
//! same picture used before, taken long ago or far away). A failed download is tried again with backoff; the
//! confirmation itself was recorded when it was sent, so nothing the volunteer sent waits on Telegram.

use crate::domain::UserId;
use crate::domain::evidence::{self, Checks, ImageKind};
use crate::i18n::{Arg, tf};
use crate::media::MediaStore;
use crate::outbound::{self, Keyboard, Outbound};
use crate::services::confirmations;
use crate::store::confirmations::{self as store, Evidence, EvidenceState, Stored};
use crate::store::{Db, users};
use chrono::{Duration, Utc};
use std::sync::Arc;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
use tokio::sync::{Notify, watch};

/// Telegram's getFile limit.
const MAX_BYTES: u32 = 20 * 1024 * 1024;
/// Tries before a download is given up (the last ones hours apart).
const MAX_ATTEMPTS: i64 = 12;
/// How long a claimed download is ours before another process may take it.
const LEASE: Duration = Duration::minutes(2);
const BATCH: i64 = 8;

pub struct DownloadWorker {
    pub db: Db,
    pub bot: Bot,
    pub media: MediaStore,
    pub checks: Checks,
    pub wake_sender: Arc<Notify>,
}

/// Why one try did not store the picture.
enum Failure {
    /// Try again later (Telegram or the store out of reach).
    Transient(String),
    /// The file is not a picture, or too big to download: it never will be.
    Refused(&'static str, String),
    /// Telegram says the file cannot be had (a bad file id).
    Permanent(String),
}

/// Whether Telegram's answer is a 4xx (its descriptions say so); 5xx answers carry none that is known.
fn is_client_error(err: &RequestError) -> bool {
    let text = err.to_string();
    ["Bad Request", "Forbidden", "Unauthorized", "Not Found"]
        .iter()
        .any(|p| text.contains(p))
}

/// 5 s, 20 s, 80 s … capped at an hour.
fn backoff(attempts: i64) -> Duration {
    let secs = 5i64
        .saturating_mul(
            4i64.saturating_pow(u32::try_from(attempts.max(1) - 1).unwrap_or(10).min(10)),
        )
        .min(3600);
    Duration::seconds(secs)
}

impl DownloadWorker {
    /// Downloads until shutdown, looking again every second when there is nothing to do.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            match self.run_once().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "evidence worker failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Handles the downloads that are due; returns how many it tried.
    pub async fn run_once(&self) -> crate::store::Result<usize> {
        let claimed = store::claim_downloads(&self.db, Utc::now(), LEASE, BATCH).await?;
        for e in &claimed {
            let result = self.fetch(e).await;
            self.settle(e, result).await?;
        }
        Ok(claimed.len())
    }

    async fn fetch(&self, e: &Evidence) -> Result<(Vec<u8>, ImageKind), Failure> {
        let file = match self
            .bot
            .get_file(teloxide::types::FileId(e.file_id.clone()))
            .await
        {
            Ok(f) => f,
            Err(RequestError::Api(ApiError::Unknown(d))) if d.contains("file is too big") => {
                return Err(Failure::Refused("evidence-refused-too-big", d));
            }
            // Telegram's 5xx answers carry no known description: worth another try.
            Err(err @ RequestError::Api(ApiError::Unknown(_))) if !is_client_error(&err) => {
                return Err(Failure::Transient(super::describe(&err)));
            }
            // Any other answer of the API says what is wrong with this file (an unknown file id…).
            Err(err @ RequestError::Api(_)) => {
                return Err(Failure::Permanent(super::describe(&err)));
            }
            Err(err) => return Err(Failure::Transient(super::describe(&err))),
        };
        if file.size > MAX_BYTES {
            return Err(Failure::Refused(
                "evidence-refused-too-big",
                format!("{} bytes", file.size),
            ));
        }
        let mut bytes = Vec::with_capacity(file.size as usize);
        self.bot
            .download_file(&file.path, &mut bytes)
            .await
            .map_err(|err| Failure::Transient(super::scrub_download(&err.to_string())))?;
        let Some(kind) = ImageKind::sniff(&bytes) else {
            return Err(Failure::Refused(
                "evidence-refused-not-image",
                "not a picture".into(),
            ));
        };
        Ok((bytes, kind))
    }

    /// Keeps the picture and raises its flags, or records why not (and when to try again).
    async fn settle(
        &self,
        e: &Evidence,
        result: Result<(Vec<u8>, ImageKind), Failure>,
    ) -> crate::store::Result<()> {
        let now = Utc::now();
        let failure = match result {
            Ok((bytes, kind)) => {
                let sha = evidence::sha256_hex(&bytes);
                let key = MediaStore::key_for(&sha, kind.extension());
                let exif = evidence::read_exif(&bytes);
                let size = bytes.len();
                match self.media.put(&key, bytes).await {
                    Ok(()) => {
                        let mut tx = self.db.begin().await?;
                        let stored = Stored {
                            sha256: &sha,
                            size,
                            kind,
                            key: &key,
                            exif,
                        };
                        store::mark_stored(&mut tx, e.id, &stored, now).await?;
                        confirmations::check_stored(&mut tx, e, &sha, exif, self.checks, now)
                            .await?;
                        tx.commit().await?;
                        self.wake_sender.notify_one();
                        tracing::info!(
                            evidence = e.id,
                            kind = kind.as_str(),
                            size,
                            "evidence kept"
                        );
                        return Ok(());
                    }
                    Err(err) => Failure::Transient(err.to_string()),
                }
            }
            Err(f) => f,
        };
        let mut conn = self.db.conn().await?;
        match failure {
            Failure::Transient(why) if e.attempts < MAX_ATTEMPTS => {
                tracing::warn!(evidence = e.id, attempt = e.attempts, error = %why, "evidence download failed; will retry");
                store::retry_download(&mut conn, e.id, now + backoff(e.attempts), &why, now)
                    .await?;
            }
            Failure::Transient(why) | Failure::Permanent(why) => {
                tracing::error!(evidence = e.id, error = %why, "evidence could not be downloaded");
                store::settle(&mut conn, e.id, EvidenceState::Failed, &why, now).await?;
                self.tell(&mut conn, e.sent_by, "evidence-download-failed", e)
                    .await?;
                // The coordinators lose a piece of evidence: they hear of it, to ask for the photo again.
                confirmations::lost(&mut conn, e.delivery, now).await?;
            }
            Failure::Refused(key, why) => {
                store::settle(&mut conn, e.id, EvidenceState::Refused, &why, now).await?;
                self.tell(&mut conn, e.sent_by, key, e).await?;
            }
        }
        Ok(())
    }

    /// Tells the sender what became of their picture (a file that is not a picture, one that was lost).
    async fn tell(
        &self,
        conn: &mut crate::store::Conn,
        to: UserId,
        key: &str,
        e: &Evidence,
    ) -> crate::store::Result<()> {
        let lang = users::language(conn, to).await?;
        let text = tf(lang, key, &[("delivery", Arg::Num(e.delivery.0))]);
        outbound::enqueue_in(
            conn,
            outbound::Lane::Notice,
            &Outbound::Message {
                chat_id: to.0,
                text,
                keyboard: Keyboard::None,
            },
            Utc::now(),
        )
        .await?;
        self.wake_sender.notify_one();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1).num_seconds(), 5);
        assert_eq!(backoff(2).num_seconds(), 20);
        assert_eq!(backoff(3).num_seconds(), 80);
        assert_eq!(backoff(12).num_seconds(), 3600);
    }
}
