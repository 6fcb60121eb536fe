//! The report worker: takes the reports coordinators asked for, builds each (reads only), writes the files,
//! keeps them in the media store, and in one transaction marks the job done and queues the per-office table
//! and the documents. A failure is tried again a few times, with a growing pause; then the coordinator is
//! told. Runs in every `run` and `worker` process; a claimed job is leased, so two never build the same one.

use crate::domain::Lang;
use crate::domain::evidence::sha256_hex;
use crate::domain::role::Scope;
use crate::i18n::{Arg, tf};
use crate::media::{MediaError, MediaStore};
use crate::outbound::{self, Attachment, Keyboard, Outbound};
use crate::report_files::{self, FileKind, ReportFileError, TELEGRAM_MAX_BYTES};
use crate::services::reports::{self as service, ReportError, period_label};
use crate::store::reports::{self as store, Job};
use crate::store::{Db, users};
use chrono::{Duration, Utc};
use chrono_tz::Tz;
use std::sync::Arc;
use tokio::sync::{Notify, watch};

/// Claims of one job before it is given up.
const MAX_ATTEMPTS: i64 = 4;

/// How long a claim lasts: far longer than building any report takes.
const LEASE_MINUTES: i64 = 15;

#[derive(Debug, thiserror::Error)]
enum MakeError {
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Files(#[from] ReportFileError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error("writing the files stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A report made and kept, ready to be sent.
struct Made {
    summary: String,
    files: Vec<Kept>,
}

struct Kept {
    kind: FileKind,
    name: String,
    key: String,
}

pub struct ReportWorker {
    pub db: Db,
    pub media: MediaStore,
    /// The zone of regions without one of their own.
    pub default_zone: Tz,
    /// An open delivery this many days past its date is missed (`ASUH_MISSED_AFTER_DAYS`).
    pub missed_after_days: u32,
    pub wake_sender: Arc<Notify>,
}

impl ReportWorker {
    /// Polls for jobs every 2 s (reports are rare; nothing needs waking sooner) until shutdown.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        while !*shutdown.borrow() {
            match self.run_once().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "report worker failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// Handles one job, if one is waiting; returns whether there was one.
    pub async fn run_once(&self) -> crate::store::Result<bool> {
        let lease = Duration::minutes(LEASE_MINUTES);
        let Some(job) = store::claim(&self.db, Utc::now(), lease).await? else {
            return Ok(false);
        };
        let (lang, scope) = {
            let mut conn = self.db.conn().await?;
            (
                users::language(&mut conn, job.requested_by).await?,
                users::roles(&mut conn, job.requested_by).await?.coordinator,
            )
        };
        let wanted = Scope::from_code(job.region.clone());
        let Some(scope) = scope else {
            let mut conn = self.db.conn().await?;
            store::finish(
                &mut conn,
                &job,
                Some("requester is no longer a coordinator"),
                Utc::now(),
            )
            .await?;
            return Ok(true);
        };
        if !scope.encloses(&wanted) {
            self.give_up(
                &job,
                lang,
                "report-no-longer-allowed",
                "region outside the requester's scope",
            )
            .await?;
            return Ok(true);
        }
        if job.attempts > MAX_ATTEMPTS {
            self.give_up(&job, lang, "report-failed", "gave up").await?;
            return Ok(true);
        }
        match self.make(&job, &wanted, lang).await {
            Ok(made) => self.deliver(&job, lang, made).await?,
            Err(e) => {
                let error = e.to_string();
                tracing::warn!(job = job.id, attempt = job.attempts, error = %error, "report failed");
                if job.attempts < MAX_ATTEMPTS {
                    // 30 s, 1 min, 2 min …
                    let pause = Duration::seconds(30 << (job.attempts - 1).clamp(0, 6));
                    let mut conn = self.db.conn().await?;
                    store::retry(&mut conn, &job, &error, Utc::now() + pause).await?;
                } else {
                    self.give_up(&job, lang, "report-failed", &error).await?;
                }
            }
        }
        Ok(true)
    }

    /// Builds the report, writes its files (off the async threads: a large one takes seconds) and keeps
    /// them in the media store, each under a key of the job and its content.
    async fn make(&self, job: &Job, scope: &Scope, lang: Lang) -> Result<Made, MakeError> {
        let report = service::build(
            &self.db,
            scope,
            job.period,
            self.default_zone,
            Utc::now(),
            chrono::Duration::days(i64::from(self.missed_after_days)),
        )
        .await?;
        let media = self.media.clone();
        let (mut summary, files) = tokio::task::spawn_blocking(move || {
            let files = report_files::write_all(&report, lang, Some(&media))?;
            Ok::<_, ReportFileError>((service::summary(lang, &report), files))
        })
        .await??;
        let mut kept = Vec::new();
        for file in files {
            if file.bytes.len() > TELEGRAM_MAX_BYTES {
                let mb = i64::try_from(file.bytes.len().div_ceil(1024 * 1024)).unwrap_or(i64::MAX);
                summary.push_str("\n\n");
                summary.push_str(&tf(
                    lang,
                    "report-file-too-big",
                    &[("file", Arg::Text(&file.name)), ("mb", Arg::Num(mb))],
                ));
                continue;
            }
            let hash = sha256_hex(&file.bytes);
            let key = format!(
                "reports/{}-{}.{}",
                job.id,
                &hash[..16],
                file.kind.extension()
            );
            self.media.put(&key, file.bytes).await?;
            kept.push(Kept {
                kind: file.kind,
                name: file.name,
                key,
            });
        }
        Ok(Made {
            summary,
            files: kept,
        })
    }

    /// Marks the job done and queues the table and the files, together: either the coordinator gets them
    /// or the job runs again.
    async fn deliver(&self, job: &Job, lang: Lang, made: Made) -> crate::store::Result<()> {
        let (area, period) = (self.area(job, lang).await?, period_label(job.period));
        let now = Utc::now();
        let mut tx = self.db.begin().await?;
        if !store::finish(&mut tx, job, None, now).await? {
            // Another worker took it over after this one's lease ran out; it reports.
            tx.rollback().await?;
            return Ok(());
        }
        let summary = Outbound::Message {
            chat_id: job.chat_id,
            text: made.summary,
            keyboard: Keyboard::None,
        };
        outbound::enqueue_once(
            &mut tx,
            outbound::Lane::Batch,
            &summary,
            &format!("report:{}:summary", job.id),
            now,
        )
        .await?;
        for file in made.files {
            let caption = match file.kind {
                FileKind::Xlsx => tf(
                    lang,
                    "report-caption-xlsx",
                    &[("area", Arg::Text(&area)), ("period", Arg::Text(&period))],
                ),
                FileKind::Csv(table) => tf(
                    lang,
                    "report-caption-csv",
                    &[
                        ("table", Arg::Text(&table.title(lang))),
                        ("area", Arg::Text(&area)),
                        ("period", Arg::Text(&period)),
                    ],
                ),
            };
            let document = Outbound::Document {
                chat_id: job.chat_id,
                document: Attachment::Stored {
                    key: file.key.clone(),
                    file_name: file.name,
                },
                caption,
            };
            outbound::enqueue_once(
                &mut tx,
                outbound::Lane::Batch,
                &document,
                &format!("report:{}:{}", job.id, file.key),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.wake_sender.notify_one();
        Ok(())
    }

    /// Ends the job as failed and tells the coordinator why (`key`, with the area and period).
    async fn give_up(
        &self,
        job: &Job,
        lang: Lang,
        key: &str,
        error: &str,
    ) -> crate::store::Result<()> {
        let area = self.area(job, lang).await?;
        let now = Utc::now();
        let mut tx = self.db.begin().await?;
        if store::finish(&mut tx, job, Some(error), now).await? {
            let text = tf(
                lang,
                key,
                &[
                    ("area", Arg::Text(&area)),
                    ("period", Arg::Text(&period_label(job.period))),
                ],
            );
            let message = Outbound::Message {
                chat_id: job.chat_id,
                text,
                keyboard: Keyboard::None,
            };
            outbound::enqueue_once(
                &mut tx,
                outbound::Lane::Batch,
                &message,
                &format!("report:{}:failed", job.id),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.wake_sender.notify_one();
        Ok(())
    }

    async fn area(&self, job: &Job, lang: Lang) -> crate::store::Result<String> {
        let mut conn = self.db.conn().await?;
        service::area_name(&mut conn, lang, job.region.as_ref())
            .await
            .map_err(|ReportError::Store(e)| e)
    }
}
