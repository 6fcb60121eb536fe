//! The scheduler: one pass of every timed job, and the loop that runs passes inside `asuh run` and
//! `asuh worker`. Any number of processes may run it against one database: every step of a pass is
//! conditional on the state it read, so running it twice or concurrently does nothing twice.

use crate::clock::Clock;
use crate::media::MediaStore;
use crate::services::deliveries::{self, Settings};
use crate::store::{self, Db, pace};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tokio::sync::{Notify, watch};

/// What one pass did, for logs and `asuh tick`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub expired: usize,
    pub planned: usize,
    /// Open deliveries the calendar moved on: overdue or missed ("due" is read off the calendar, never
    /// written).
    pub calendar: u64,
    pub reminded: usize,
    pub digests: usize,
    pub notes: usize,
    /// Coordinators asked about a sponsor who cannot be reached.
    pub asked: usize,
    /// Handled updates forgotten (deleted or blanked) for being older than the retention.
    pub forgotten: u64,
}

impl Pass {
    pub fn queued_messages(&self) -> bool {
        self.expired > 0
            || self.reminded > 0
            || self.digests > 0
            || self.notes > 0
            || self.asked > 0
    }
}

/// What the timed jobs need: the delivery and digest settings, the media store the weekly charts are
/// kept in (none: the summary goes without its chart), and how long handled updates are kept.
#[derive(Clone)]
pub struct Jobs {
    pub deliveries: Settings,
    pub digests: crate::services::digest::Settings,
    pub media: Option<MediaStore>,
    /// How long a handled update's raw content stays in the inbox (`ASUH_INBOX_DAYS`).
    pub inbox_retention: Duration,
    /// After how long unreachable a sponsor's coordinators are asked to release their children
    /// (`ASUH_UNREACHABLE_DAYS`).
    pub unreachable_after: Duration,
    /// The dashboard's URL when it is on (`ASUH_PUBLIC_URL`): a daily digest carries a button to it.
    pub dashboard: Option<String>,
}

/// `ASUH_INBOX_DAYS`' default.
pub const INBOX_DAYS: u32 = 3;
/// `ASUH_UNREACHABLE_DAYS`' default.
pub const UNREACHABLE_DAYS: u32 = 7;

impl Jobs {
    /// Delivery jobs with the given settings and digests with their defaults in the same zone.
    pub fn new(deliveries: Settings) -> Self {
        let digests = crate::services::digest::Settings {
            default_zone: deliveries.default_zone,
            missed_after_days: deliveries.missed_after_days,
            ..Default::default()
        };
        Self {
            deliveries,
            digests,
            media: None,
            inbox_retention: Duration::days(i64::from(INBOX_DAYS)),
            unreachable_after: Duration::days(i64::from(UNREACHABLE_DAYS)),
            dashboard: None,
        }
    }
}

/// Runs every job once as of `now`, then forgets handled updates older than the inbox retention.
pub async fn tick(db: &Db, jobs: &Jobs, now: DateTime<Utc>) -> store::Result<Pass> {
    let settings = &jobs.deliveries;
    let expired = super::expiry::run_once(db, now).await?;
    let planned = deliveries::extend_plans(db, settings, now).await?;
    let calendar = {
        let mut tx = db.begin().await?;
        let n = store::deliveries::advance_calendar(&mut tx, now, settings.missed_after()).await?;
        tx.commit().await?;
        n
    };
    let reminded = super::reminders::run(db, settings, now).await?;
    if reminded >= MANY_REMINDED {
        store::outbox::refresh_statistics(db).await?;
    }
    let digests = super::digests::run(
        db,
        &jobs.digests,
        jobs.media.as_ref(),
        jobs.dashboard.as_deref(),
        now,
    )
    .await?;
    let notes = super::digests::notes(db, &jobs.digests, now).await?;
    let asked = {
        let mut tx = db.begin().await?;
        let n =
            crate::services::people::ask_about_unreachable(&mut tx, jobs.unreachable_after, now)
                .await?;
        tx.commit().await?;
        n
    };
    // Raw updates hold what people sent (phone numbers, places, words): kept only while they serve.
    let forgotten = {
        let mut conn = db.conn().await?;
        let pruned = store::inbox::prune(&mut conn, now - jobs.inbox_retention).await?;
        pruned.deleted + pruned.blanked
    };
    Ok(Pass {
        expired,
        planned,
        calendar,
        reminded,
        digests,
        notes,
        asked,
        forgotten,
    })
}

/// A pass that reminded this many deliveries has queued enough messages to change the outbox's statistics
/// (see `store::outbox::refresh_statistics`).
const MANY_REMINDED: usize = 5_000;

/// The longest the loop sleeps: plans extend and deliveries turn due at local midnight, which a minute's
/// sleep catches closely enough.
const MAX_SLEEP: Duration = Duration::seconds(60);

/// Runs passes until shutdown: after each, sleeps until the next reminder or offer expiry is due (at most a
/// minute), waking the sender when a pass queued messages.
pub async fn run(
    db: Db,
    jobs: Jobs,
    clock: Clock,
    wake_sender: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut last_prune = None;
    while !*shutdown.borrow() {
        let now = clock.now();
        match tick(&db, &jobs, now).await {
            Ok(pass) => {
                if pass.queued_messages() {
                    wake_sender.notify_one();
                }
                if pass != Pass::default() {
                    tracing::info!(?pass, "scheduler pass");
                }
            }
            Err(e) => tracing::error!(error = %e, "scheduler pass failed; retrying"),
        }
        if last_prune.is_none_or(|at: DateTime<Utc>| now - at > Duration::hours(1)) {
            last_prune = Some(now);
            if let Err(e) = prune(&db, now).await {
                tracing::warn!(error = %e, "pruning send turns failed");
            }
        }
        let sleep = next_wake(&db, now)
            .await
            .unwrap_or(MAX_SLEEP)
            .clamp(Duration::milliseconds(200), MAX_SLEEP);
        tokio::select! {
            _ = tokio::time::sleep(sleep.to_std().unwrap_or_default()) => {}
            _ = shutdown.changed() => {}
        }
    }
}

async fn prune(db: &Db, now: DateTime<Utc>) -> store::Result<()> {
    let mut conn = db.conn().await?;
    pace::prune(&mut conn, now - Duration::minutes(10)).await?;
    Ok(())
}

/// How long until something is due: the earliest reminder, offer expiry or digest.
async fn next_wake(db: &Db, now: DateTime<Utc>) -> Option<Duration> {
    let mut conn = db.conn().await.ok()?;
    let reminder = store::deliveries::next_reminder_at(&mut conn).await.ok()?;
    let expiry = store::sponsorships::next_expiry(&mut conn).await.ok()?;
    let digest = store::digest::next_due(&mut conn).await.ok()?;
    [reminder, expiry, digest]
        .into_iter()
        .flatten()
        .min()
        .map(|at| at - now)
}
