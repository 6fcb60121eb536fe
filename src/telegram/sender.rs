//! The one path out: claims outbox rows, lane by lane (see `store::outbox`), and turns them into Bot API
//! calls within Telegram's limits (about 30 messages a second overall, one a second per private chat, 20 a
//! minute per group), honouring 429 retry_after, retrying network and server errors with backoff, and giving
//! up on permanent errors with the reason stored. A 403 marks the user unreachable.
//!
//! Several requests are in flight at once (never two to one chat), each with its own deadline, so a Telegram
//! that answers one request with a 5xx or hangs on it delays only that message: the rest keep their pace.
//! The calls are made here with a plain HTTP client rather than teloxide's, which waits 10 s inside every
//! request that gets a 5xx answer.
//!
//! A request that passes its deadline without an answer is tried again later: Telegram may have delivered it
//! (a slow answer), so such a message can arrive twice — at least once, never lost. The deadline is far
//! longer than Telegram's normal answer, so this takes a Telegram that hangs for seconds.

use crate::clock::Clock;
use crate::domain::UserId;
use crate::media::MediaStore;
use crate::outbound::{Attachment, Keyboard, Outbound};
use crate::services::notices;
use crate::store::{Db, outbox, pace, users};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use teloxide::ApiError;
use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup,
    KeyboardRemove, ReplyMarkup,
};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Telegram's sending limits, configurable for tests of the limiter itself.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: u32,
    pub chat_interval: Duration,
    pub group_per_minute: u32,
    /// How long a claimed row stays ours; a sender that dies leaves it to be claimed again after this.
    pub lease: Duration,
    /// How many requests may be in flight at once (each to a different chat).
    pub in_flight: usize,
    /// How long one request may take before it counts as failed (a message).
    pub deadline: Duration,
    /// The same for a request that uploads a file.
    pub upload_deadline: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_second: 30,
            chat_interval: Duration::from_secs(1),
            group_per_minute: 20,
            lease: Duration::from_secs(60),
            in_flight: 24,
            deadline: Duration::from_secs(30),
            upload_deadline: Duration::from_secs(45),
        }
    }
}

impl Limits {
    /// The spacing between any two messages: the ceiling's, plus [`TURN_MARGIN_US`] (30 a second: a turn
    /// every 33.73 ms, 29.64 a second), so that 31 messages span a second and 12 ms.
    fn global_interval(&self) -> chrono::Duration {
        chrono::Duration::microseconds(
            1_000_000 / i64::from(self.per_second.max(1)) + TURN_MARGIN_US,
        )
    }

    /// How many requests in flight may be unpaced (edits, menus): two thirds of them. The rest are kept
    /// for new messages, so that a burst of edits (a thousand volunteers pressing "received" within
    /// seconds) cannot stop the pace: with every slot on edits, no message went for 4 s.
    fn unpaced_slots(&self) -> usize {
        (self.in_flight - self.in_flight / 3).max(1)
    }

    fn chat_interval(&self, chat: i64) -> chrono::Duration {
        if chat < 0 {
            chrono::Duration::milliseconds(60_000 / i64::from(self.group_per_minute.max(1)))
        } else {
            chrono::Duration::from_std(self.chat_interval).unwrap_or(chrono::Duration::seconds(1))
        }
    }
}

/// What each global turn adds to the ceiling's spacing, in microseconds: 31 messages then span 12 ms more
/// than a second. Jitter on the way to Telegram can eat that (with 5 ms, 5 of 3,000 messages were refused
/// with 429; with 12 ms, 45 of 40,000 on a busy machine): [`Window`] makes it safe for the messages of one
/// process, the margin keeps several processes apart — with 4.5 ms, a bot and two workers starting 60
/// reminders together put 31 messages into 996–997 ms (one 429 in every run on PostgreSQL, once its claims
/// stopped taking a second each).
const TURN_MARGIN_US: i64 = 400;
/// How far ahead an idle global pace puts its first turn: longer than taking the turn takes.
const IDLE_LEAD: chrono::Duration = chrono::Duration::milliseconds(10);
/// The most rows claimed at once: about a quarter second of sending, so a reply queued meanwhile waits for
/// little more than that.
const CLAIM: usize = 8;
/// How far ahead of time global turns may be taken: a reply claimed next gets a turn within this.
const AHEAD: Duration = Duration::from_millis(250);
/// After this many failed attempts a transient error is treated as permanent.
const MAX_ATTEMPTS: i64 = 12;
/// A chat whose next turn is further away than this is skipped for now, so others' messages go meanwhile.
const CHAT_WAIT: chrono::Duration = chrono::Duration::milliseconds(250);
/// The longest Telegram's "retry after" holds back every other chat too.
const GLOBAL_PAUSE: chrono::Duration = chrono::Duration::seconds(1);
/// How soon `drain_due` waits for what is not due yet (a 429's retry, a short backoff).
const SOON: chrono::Duration = chrono::Duration::seconds(20);

pub struct Sender {
    inner: Arc<Inner>,
    wake: Arc<Notify>,
}

/// What every request in flight shares.
struct Inner {
    db: Db,
    http: Http,
    limits: Limits,
    /// What is due is decided by this clock; turns and leases always use the machine's.
    clock: Clock,
    /// Where kept files are read from when a message carries one.
    media: Option<MediaStore>,
}

/// How often recording a request's outcome is tried before the row is left to its lease (about 20 s in all).
const SETTLE_TRIES: u32 = 8;

/// What became of one call.
#[derive(Debug, Clone)]
enum Outcome {
    Sent(Option<i64>),
    RetryAfter(Duration),
    Transient(String),
    Unreachable(String),
    Permanent(String),
}

/// What one claim came to.
#[derive(Debug, Default, Clone, Copy)]
struct Dispatched {
    claimed: usize,
    started: usize,
}

/// The requests in flight of one pump, and what they came to.
struct Flight {
    slots: Arc<Semaphore>,
    done: Arc<Notify>,
    settled: Arc<AtomicUsize>,
    tasks: JoinSet<()>,
    /// The latest start any request was given: turns are not taken further ahead than [`AHEAD`].
    ahead: Instant,
    /// The chats a request is in flight to: never two at once to one chat.
    busy: Arc<std::sync::Mutex<HashSet<i64>>>,
    /// How many of the requests in flight are unpaced (see [`Limits::unpaced_slots`]).
    unpaced: Arc<AtomicUsize>,
    /// When this process's latest new messages started.
    window: Arc<Window>,
}

impl Sender {
    pub fn new(db: Db, bot: super::Api, wake: Arc<Notify>, limits: Limits, clock: Clock) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                http: Http::new(&bot),
                limits,
                clock,
                media: None,
            }),
            wake,
        }
    }

    /// Lets messages carry files from the media store (the evidence sent back or exported).
    pub fn with_media(mut self, media: MediaStore) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.media = Some(media);
        }
        self
    }

    /// Sends until `shutdown` turns true, sleeping until the next row is due or a writer wakes it; then
    /// lets the requests in flight finish.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        if let Err(e) = self.pump(shutdown, false).await {
            tracing::error!(error = %e, "outbox sender stopped");
        }
    }

    /// Sends everything due as of the clock's time and returns. A message Telegram asked to retry soon
    /// (429, a 5xx backoff) is waited for; what must wait longer (quiet hours, a long backoff) stays in
    /// the outbox for the next pass or the running bot. For `asuh tick`.
    pub async fn drain_due(&self, shutdown: &watch::Receiver<bool>) -> crate::store::Result<usize> {
        self.pump(shutdown.clone(), true).await
    }

    /// The loop of both: claims what the free slots and the pace allow, starts each request at its turn,
    /// and settles it when it ends. Returns how many rows were settled (sent or given up).
    async fn pump(
        &self,
        mut shutdown: watch::Receiver<bool>,
        until_idle: bool,
    ) -> crate::store::Result<usize> {
        let mut flight = Flight {
            slots: Arc::new(Semaphore::new(self.inner.limits.in_flight.max(1))),
            done: Arc::new(Notify::new()),
            settled: Arc::new(AtomicUsize::new(0)),
            tasks: JoinSet::new(),
            ahead: Instant::now(),
            busy: Arc::default(),
            unpaced: Arc::default(),
            window: Arc::default(),
        };
        while !*shutdown.borrow() {
            while let Some(r) = flight.tasks.try_join_next() {
                if let Err(e) = r {
                    tracing::error!(error = %e, "a send task failed");
                }
            }
            if flight.ahead > Instant::now() + AHEAD {
                tokio::select! {
                    _ = tokio::time::sleep_until(flight.ahead - AHEAD) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let free = flight.slots.available_permits();
            if free == 0 {
                tokio::select! {
                    _ = flight.done.notified() => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let d = match self.dispatch(free.min(CLAIM), &mut flight).await {
                Ok(d) => d,
                Err(e) if until_idle => return Err(e),
                Err(e) => {
                    tracing::error!(error = %e, "outbox sender failed; retrying");
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                        _ = shutdown.changed() => {}
                    }
                    continue;
                }
            };
            if d.started > 0 {
                continue;
            }
            let sleep = if d.claimed > 0 {
                // Everything claimed was held back for its chat's turn: look again shortly.
                Duration::from_millis(100)
            } else if until_idle {
                let next = outbox::next_pending(&mut *self.inner.db.conn().await?).await?;
                let now = self.inner.clock.now();
                match next {
                    Some(at) if at - now <= SOON => (at - now)
                        .to_std()
                        .unwrap_or(Duration::ZERO)
                        .max(Duration::from_millis(20)),
                    // Nothing due soon: done once the requests in flight are.
                    _ if flight.tasks.is_empty() => break,
                    _ => Duration::from_secs(1),
                }
            } else {
                self.idle_sleep().await
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = flight.done.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
                _ = shutdown.changed() => {}
            }
        }
        while flight.tasks.join_next().await.is_some() {}
        Ok(flight.settled.load(Ordering::Relaxed))
    }

    async fn idle_sleep(&self) -> Duration {
        let next = match self.inner.db.conn().await {
            Ok(mut conn) => outbox::next_due(&mut conn).await.ok().flatten(),
            Err(_) => None,
        };
        let until = next.map(|at| {
            (at - self.inner.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
        });
        until
            .unwrap_or(Duration::from_secs(5))
            .clamp(Duration::from_millis(20), Duration::from_secs(5))
    }

    /// Claims up to `limit` due rows and starts a request for each whose turn comes soon; a row whose
    /// chat must wait longer is put back with the time it may go, keeping its place.
    async fn dispatch(
        &self,
        limit: usize,
        flight: &mut Flight,
    ) -> crate::store::Result<Dispatched> {
        let inner = &self.inner;
        let began = Instant::now();
        // How long the turns taken so far had run out before this claim: time the pace lost.
        let dry = began.saturating_duration_since(flight.ahead);
        let due_by = inner.clock.now();
        let lease =
            chrono::Duration::from_std(inner.limits.lease).unwrap_or(chrono::Duration::minutes(1));
        let unpaced_slots = inner.limits.unpaced_slots();
        let paced_only = flight.unpaced.load(Ordering::Relaxed) >= unpaced_slots;
        let batch = outbox::claim(
            &inner.db,
            due_by,
            Utc::now(),
            lease,
            limit as i64,
            paced_only,
        )
        .await?;
        let claimed_in = began.elapsed();
        let mut d = Dispatched {
            claimed: batch.len(),
            started: 0,
        };
        for row in batch {
            let mut conn = inner.db.conn().await?;
            let Ok(outbound) = serde_json::from_str::<Outbound>(&row.payload) else {
                outbox::fail(&mut conn, row.id, "payload does not parse", due_by).await?;
                flight.settled.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            if flight.is_busy(row.chat_id) {
                // The chat's previous message is still on its way: this one follows it.
                let at = due_by + chrono::Duration::milliseconds(200);
                outbox::retry_at(&mut conn, row.id, at, false, None).await?;
                continue;
            }
            let mut start = Instant::now();
            let paced = outbound.is_new_message();
            if !paced && flight.unpaced.load(Ordering::Relaxed) >= unpaced_slots {
                // The slots for unpaced requests filled up within this claim: it keeps its place.
                outbox::retry_at(&mut conn, row.id, due_by, false, None).await?;
                continue;
            }
            if paced {
                if row.chat_id > 0 && users::is_unreachable(&mut conn, UserId(row.chat_id)).await? {
                    outbox::fail(&mut conn, row.id, "recipient unreachable", due_by).await?;
                    flight.settled.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                match inner.take_turns(&mut conn, row.chat_id).await? {
                    Ok(at) => start = at,
                    Err(next) => {
                        // Another chat's message may go meanwhile; this one keeps its place in its lane.
                        let at = due_by.max(due_by + (next - Utc::now()));
                        outbox::retry_at(&mut conn, row.id, at, false, None).await?;
                        continue;
                    }
                }
            }
            drop(conn);
            flight.ahead = flight.ahead.max(start);
            let Ok(permit) = flight.slots.clone().acquire_owned().await else {
                break;
            };
            flight.set_busy(row.chat_id, true);
            let unpaced = (!paced).then(|| {
                flight.unpaced.fetch_add(1, Ordering::Relaxed);
                flight.unpaced.clone()
            });
            let busy = flight.busy.clone();
            let inner = inner.clone();
            let done = flight.done.clone();
            let settled = flight.settled.clone();
            let window = paced.then(|| flight.window.clone());
            let per_second = usize::try_from(inner.limits.per_second).unwrap_or(30);
            flight.tasks.spawn(async move {
                tokio::time::sleep_until(start).await;
                let ticket = match &window {
                    Some(window) => Some(window.enter(per_second).await),
                    None => None,
                };
                let outcome = inner.call(&outbound).await;
                if let (Some(window), Some(ticket)) = (&window, ticket) {
                    window.answered(ticket);
                }
                // What Telegram did is recorded whatever it takes within the lease: a row left `sending`
                // because the database was busy for a moment would be claimed and sent again.
                let mut wait = Duration::from_millis(100);
                let mut tries = 0;
                loop {
                    match inner.settle(&row, outcome.clone()).await {
                        Ok(true) => {
                            settled.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(false) => {}
                        Err(e) if tries < SETTLE_TRIES => {
                            tracing::warn!(error = %e, row = row.id, "cannot record a send yet");
                            tries += 1;
                            tokio::time::sleep(wait).await;
                            wait = (wait * 2).min(Duration::from_secs(5));
                            continue;
                        }
                        Err(e) => {
                            // The lease runs out and the row is claimed again.
                            tracing::error!(error = %e, row = row.id, "cannot record a send");
                        }
                    }
                    break;
                }
                busy.lock().map(|mut b| b.remove(&row.chat_id)).ok();
                if let Some(unpaced) = unpaced {
                    unpaced.fetch_sub(1, Ordering::Relaxed);
                }
                drop(permit);
                done.notify_one();
            });
            d.started += 1;
        }
        if d.claimed > 0 {
            tracing::debug!(
                claimed = d.claimed,
                started = d.started,
                dry_ms = dry.as_millis() as u64,
                claim_ms = claimed_in.as_millis() as u64,
                total_ms = began.elapsed().as_millis() as u64,
                "dispatched"
            );
        }
        Ok(d)
    }
}

/// This process's latest new messages, each with when its request started and when its answer came. A
/// request starts only once the answer to the 30th new message before it (at 30 a second) came more than a
/// second ago: Telegram counted that message before it answered, and counts this one after it starts, so the
/// two are more than a second apart on Telegram's clock whatever timers, the machine and the network did in
/// between. The shared turns space the messages of every process evenly; this catches what jitter bunches
/// up (with turns alone, 45 of 40,000 messages on a busy machine reached the fake Telegram too close together).
#[derive(Default)]
struct Window {
    sent: std::sync::Mutex<std::collections::VecDeque<Sent>>,
    tickets: AtomicUsize,
}

struct Sent {
    ticket: usize,
    started: Instant,
    answered: Option<Instant>,
}

impl Window {
    /// How long after the answer to the 30th message before it a message may start.
    const SPAN: Duration = Duration::from_millis(1002);
    /// A request unanswered this long is taken for one Telegram has not counted (it hangs): the next ones
    /// count from its start.
    const STRAY: Duration = Duration::from_millis(200);

    /// Waits until a new message may start, and counts it: the ticket to give [`Window::answered`].
    async fn enter(&self, per_second: usize) -> usize {
        let per_second = per_second.max(1);
        let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
        loop {
            let wait = match self.sent.lock() {
                Ok(mut sent) => {
                    let now = Instant::now();
                    let earliest = (sent.len() >= per_second).then(|| {
                        let before = &sent[sent.len() - per_second];
                        match before.answered {
                            Some(at) => at + Self::SPAN,
                            // Still on its way: look again in a moment.
                            None if now < before.started + Self::STRAY => {
                                now + Duration::from_millis(1)
                            }
                            None => before.started + Self::SPAN,
                        }
                    });
                    match earliest {
                        Some(at) if at > now => Some(at),
                        _ => {
                            sent.push_back(Sent {
                                ticket,
                                started: now,
                                answered: None,
                            });
                            while sent.len() > per_second {
                                sent.pop_front();
                            }
                            None
                        }
                    }
                }
                // A poisoned lock: the shared turns alone pace the message.
                Err(_) => None,
            };
            match wait {
                Some(at) => tokio::time::sleep_until(at).await,
                None => return ticket,
            }
        }
    }

    /// Telegram answered the message of `ticket`.
    fn answered(&self, ticket: usize) {
        if let Ok(mut sent) = self.sent.lock()
            && let Some(s) = sent.iter_mut().find(|s| s.ticket == ticket)
        {
            s.answered = Some(Instant::now());
        }
    }
}

impl Flight {
    fn is_busy(&self, chat: i64) -> bool {
        self.busy.lock().is_ok_and(|b| b.contains(&chat))
    }

    fn set_busy(&self, chat: i64, busy: bool) {
        if let Ok(mut b) = self.busy.lock() {
            if busy {
                b.insert(chat);
            } else {
                b.remove(&chat);
            }
        }
    }
}

impl Inner {
    /// Records what became of a request; `true` when the row is settled for good (sent or failed).
    async fn settle(&self, row: &outbox::Claimed, outcome: Outcome) -> crate::store::Result<bool> {
        let mut tx = self.db.begin().await?;
        let now = self.clock.now();
        let settled = match outcome {
            Outcome::Sent(message_id) => {
                outbox::mark_sent(&mut tx, row.id, message_id, now).await?;
                true
            }
            Outcome::RetryAfter(wait) => {
                tracing::warn!(
                    chat = row.chat_id,
                    secs = wait.as_secs(),
                    "Telegram asked to retry later"
                );
                let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(1));
                let real = Utc::now();
                pace::hold(&mut tx, &pace::chat_key(row.chat_id), real + wait).await?;
                pace::hold(&mut tx, pace::GLOBAL, real + wait.min(GLOBAL_PAUSE)).await?;
                outbox::retry_at(&mut tx, row.id, now + wait, true, Some("429 retry after"))
                    .await?;
                false
            }
            Outcome::Transient(e) if row.attempts + 1 < MAX_ATTEMPTS => {
                tracing::warn!(chat = row.chat_id, attempt = row.attempts + 1, error = %e, "send failed; will retry");
                outbox::retry_at(&mut tx, row.id, now + backoff(row.attempts), true, Some(&e))
                    .await?;
                false
            }
            Outcome::Transient(e) | Outcome::Permanent(e) => {
                tracing::error!(chat = row.chat_id, error = %e, "giving up on a message");
                outbox::fail(&mut tx, row.id, &e, now).await?;
                true
            }
            Outcome::Unreachable(e) => {
                tracing::info!(chat = row.chat_id, "recipient unreachable: {e}");
                outbox::fail(&mut tx, row.id, &e, now).await?;
                if row.chat_id > 0 {
                    notices::unreachable(&mut tx, UserId(row.chat_id), now).await?;
                }
                true
            }
        };
        tx.commit().await?;
        Ok(settled)
    }

    /// Takes this chat's turn and then a global one, shared with every other sender on the database:
    /// `Ok(when)` the request may start (the later of the two), `Err(when)` if the chat's turn is further
    /// off than [`CHAT_WAIT`].
    async fn take_turns(
        &self,
        conn: &mut crate::store::Conn,
        chat: i64,
    ) -> crate::store::Result<Result<Instant, DateTime<Utc>>> {
        let now = Utc::now();
        let chat_turn = match pace::take(
            conn,
            &pace::chat_key(chat),
            now,
            self.limits.chat_interval(chat),
            CHAT_WAIT,
        )
        .await?
        {
            Ok(at) => at,
            Err(next) => return Ok(Err(next)),
        };
        // Counted from a moment a little ahead: when the pace is idle the turn is that moment, and a turn
        // that has already passed when the statement returns (it waited for the chat's statement, for the
        // database) would send this message late while the turns after it keep their times — squeezing 31
        // messages into less than a second (996 ms, when a bot and two workers start a batch together).
        let global_turn = match pace::take(
            conn,
            pace::GLOBAL,
            Utc::now() + IDLE_LEAD,
            self.limits.global_interval(),
            chrono::Duration::minutes(10),
        )
        .await?
        {
            Ok(at) | Err(at) => at,
        };
        if global_turn > chat_turn {
            // The message goes at the global turn: the chat's next one counts from then, not from the
            // chat's own turn, or two messages could reach one chat less than its interval apart.
            let next = global_turn + self.limits.chat_interval(chat);
            pace::hold(conn, &pace::chat_key(chat), next).await?;
        }
        let wait = (chat_turn.max(global_turn) - Utc::now())
            .to_std()
            .unwrap_or(Duration::ZERO);
        Ok(Ok(Instant::now() + wait))
    }

    /// The file to upload or re-send for an attachment: a Telegram file id (JSON), or bytes with a name.
    async fn input_file(&self, a: &Attachment) -> Result<FileArg, Outcome> {
        match a {
            Attachment::Telegram { file_id } => Ok(FileArg::Id(file_id.clone())),
            Attachment::Text { file_name, content } => Ok(FileArg::Bytes(
                content.clone().into_bytes(),
                file_name.clone(),
            )),
            Attachment::Stored { key, file_name } => {
                let Some(media) = &self.media else {
                    return Err(Outcome::Permanent("no media store here".into()));
                };
                match media.get(key).await {
                    Ok(Some(bytes)) => Ok(FileArg::Bytes(bytes, file_name.clone())),
                    Ok(None) => Err(Outcome::Permanent(format!(
                        "{key} is not in the media store"
                    ))),
                    // The store may be out of reach for a moment (a bucket over the network).
                    Err(e) => Err(Outcome::Transient(e.to_string())),
                }
            }
        }
    }

    async fn call(&self, outbound: &Outbound) -> Outcome {
        let html = || json!("HTML");
        match outbound {
            Outbound::Message {
                chat_id,
                text,
                keyboard,
            } => {
                let mut body = json!({"chat_id": chat_id, "text": text, "parse_mode": html()});
                put_markup(&mut body, reply_markup(keyboard));
                self.http
                    .json("sendMessage", &body, self.limits.deadline)
                    .await
            }
            Outbound::Edit {
                chat_id,
                message_id,
                text,
                keyboard,
            } => {
                let mut body = json!({
                    "chat_id": chat_id, "message_id": message_id, "text": text, "parse_mode": html()
                });
                if let Keyboard::Inline { rows } = keyboard {
                    put_markup(&mut body, Some(ReplyMarkup::InlineKeyboard(inline(rows))));
                }
                match self
                    .http
                    .json("editMessageText", &body, self.limits.deadline)
                    .await
                {
                    Outcome::Permanent(e) if e.contains("message is not modified") => {
                        Outcome::Sent(Some(*message_id))
                    }
                    Outcome::Sent(_) => Outcome::Sent(Some(*message_id)),
                    other => other,
                }
            }
            Outbound::Photo {
                chat_id,
                photo,
                caption,
                keyboard,
            } => {
                let file = match self.input_file(photo).await {
                    Ok(f) => f,
                    Err(outcome) => return outcome,
                };
                let mut body =
                    json!({"chat_id": chat_id, "caption": caption, "parse_mode": html()});
                put_markup(&mut body, reply_markup(keyboard));
                self.send_file("sendPhoto", "photo", body, file).await
            }
            Outbound::Document {
                chat_id,
                document,
                caption,
            } => {
                let file = match self.input_file(document).await {
                    Ok(f) => f,
                    Err(outcome) => return outcome,
                };
                let body = json!({"chat_id": chat_id, "caption": caption, "parse_mode": html()});
                self.send_file("sendDocument", "document", body, file).await
            }
            Outbound::Commands {
                chat_id,
                language,
                commands,
            } => {
                let commands: Vec<Value> = commands
                    .iter()
                    .map(|(c, d)| json!({"command": c, "description": d}))
                    .collect();
                let mut body = json!({ "commands": commands });
                if let Some(chat) = chat_id {
                    body["scope"] = json!({"type": "chat", "chat_id": chat});
                }
                if let Some(lang) = language {
                    body["language_code"] = json!(lang);
                }
                match self
                    .http
                    .json("setMyCommands", &body, self.limits.deadline)
                    .await
                {
                    Outcome::Sent(_) => Outcome::Sent(None),
                    other => other,
                }
            }
            Outbound::MenuButton { chat_id, web_app } => {
                let button = match web_app {
                    Some((text, url)) => {
                        json!({"type": "web_app", "text": text, "web_app": {"url": url}})
                    }
                    None => json!({"type": "default"}),
                };
                let body = json!({"chat_id": chat_id, "menu_button": button});
                match self
                    .http
                    .json("setChatMenuButton", &body, self.limits.deadline)
                    .await
                {
                    Outcome::Sent(_) => Outcome::Sent(None),
                    other => other,
                }
            }
        }
    }

    /// A photo or document: by file id as JSON, or uploaded as multipart.
    async fn send_file(
        &self,
        method: &str,
        field: &str,
        mut body: Value,
        file: FileArg,
    ) -> Outcome {
        match file {
            FileArg::Id(id) => {
                body[field] = json!(id);
                self.http.json(method, &body, self.limits.deadline).await
            }
            FileArg::Bytes(bytes, name) => {
                self.http
                    .multipart(
                        method,
                        &body,
                        field,
                        bytes,
                        name,
                        self.limits.upload_deadline,
                    )
                    .await
            }
        }
    }
}

/// A file to send: one Telegram has, or bytes to upload under a name.
enum FileArg {
    Id(String),
    Bytes(Vec<u8>, String),
}

fn put_markup(body: &mut Value, markup: Option<ReplyMarkup>) {
    if let Some(m) = markup
        && let Ok(v) = serde_json::to_value(m)
    {
        body["reply_markup"] = v;
    }
}

/// The Bot API over plain HTTP: `{api}/bot{token}/{method}`, each call with its own deadline.
struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    fn new(bot: &super::Api) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        let api = bot.api_url();
        Self {
            client,
            base: format!("{}/bot{}", api.as_str().trim_end_matches('/'), bot.token()),
        }
    }

    async fn json(&self, method: &str, body: &Value, deadline: Duration) -> Outcome {
        let req = self
            .client
            .post(format!("{}/{method}", self.base))
            .timeout(deadline)
            .json(body);
        answer(req.send().await).await
    }

    async fn multipart(
        &self,
        method: &str,
        body: &Value,
        field: &str,
        bytes: Vec<u8>,
        file_name: String,
        deadline: Duration,
    ) -> Outcome {
        let mut form = reqwest::multipart::Form::new();
        if let Value::Object(fields) = body {
            for (k, v) in fields {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                form = form.text(k.clone(), text);
            }
        }
        form = form.part(
            field.to_owned(),
            reqwest::multipart::Part::bytes(bytes).file_name(file_name),
        );
        let req = self
            .client
            .post(format!("{}/{method}", self.base))
            .timeout(deadline)
            .multipart(form);
        answer(req.send().await).await
    }
}

/// What an answer (or its absence) means for the message.
async fn answer(sent: Result<reqwest::Response, reqwest::Error>) -> Outcome {
    let response = match sent {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return Outcome::Transient(
                "no answer before the deadline (may have been delivered)".into(),
            );
        }
        Err(e) => return Outcome::Transient(super::scrub_download(&e.to_string())),
    };
    let status = response.status().as_u16();
    let text = match response.text().await {
        Ok(t) => t,
        Err(e) if e.is_timeout() => {
            return Outcome::Transient(
                "no answer before the deadline (may have been delivered)".into(),
            );
        }
        Err(e) => return Outcome::Transient(super::scrub_download(&e.to_string())),
    };
    classify(status, &text)
}

/// Sorts an answer by what to do about it.
fn classify(status: u16, text: &str) -> Outcome {
    let body: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    if body["ok"].as_bool() == Some(true) {
        return Outcome::Sent(body["result"]["message_id"].as_i64());
    }
    let code = body["error_code"]
        .as_u64()
        .and_then(|c| u16::try_from(c).ok())
        .unwrap_or(status);
    let description = body["description"]
        .as_str()
        .map_or_else(|| format!("HTTP {status}"), str::to_owned);
    if let Some(secs) = body["parameters"]["retry_after"].as_u64() {
        return Outcome::RetryAfter(Duration::from_secs(secs.max(1)));
    }
    if code == 429 {
        return Outcome::RetryAfter(Duration::from_secs(1));
    }
    if code >= 500 || status >= 500 || body.is_null() {
        return Outcome::Transient(format!("{code} {description}"));
    }
    let kind = serde_json::from_value::<ApiError>(Value::String(description.clone()));
    match kind {
        Ok(
            ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::CantInitiateConversation
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantTalkWithBots,
        ) => Outcome::Unreachable(description),
        _ => Outcome::Permanent(format!("{code} {description}")),
    }
}

/// 2 s, 4 s, 8 s … capped at 10 minutes.
fn backoff(attempts: i64) -> chrono::Duration {
    let secs = 2i64
        .saturating_pow(u32::try_from(attempts + 1).unwrap_or(u32::MAX).min(20))
        .min(600);
    chrono::Duration::seconds(secs)
}

fn inline(rows: &[Vec<crate::outbound::Button>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter().map(
            |b| match b.web_app.as_deref().and_then(|u| url::Url::parse(u).ok()) {
                Some(url) => InlineKeyboardButton::web_app(
                    b.text.clone(),
                    teloxide::types::WebAppInfo { url },
                ),
                None => InlineKeyboardButton::callback(b.text.clone(), b.data.clone()),
            },
        )
    }))
}

fn reply_markup(keyboard: &Keyboard) -> Option<ReplyMarkup> {
    match keyboard {
        Keyboard::None => None,
        Keyboard::Inline { rows } => Some(ReplyMarkup::InlineKeyboard(inline(rows))),
        Keyboard::ShareContact { label } => Some(ReplyMarkup::Keyboard(
            KeyboardMarkup::new(vec![vec![
                KeyboardButton::new(label.clone()).request(ButtonRequest::Contact),
            ]])
            .resize_keyboard()
            .one_time_keyboard(),
        )),
        Keyboard::ShareLocation { label, rows } => {
            let mut keys = vec![vec![
                KeyboardButton::new(label.clone()).request(ButtonRequest::Location),
            ]];
            keys.extend(
                rows.iter()
                    .map(|row| row.iter().map(|t| KeyboardButton::new(t.clone())).collect()),
            );
            Some(ReplyMarkup::Keyboard(
                KeyboardMarkup::new(keys).resize_keyboard(),
            ))
        }
        Keyboard::Remove => Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(0).num_seconds(), 2);
        assert_eq!(backoff(1).num_seconds(), 4);
        assert_eq!(backoff(8).num_seconds(), 512);
        assert_eq!(backoff(9).num_seconds(), 600);
        assert_eq!(backoff(1000).num_seconds(), 600);
    }

    fn err(code: u16, description: &str) -> String {
        json!({"ok": false, "error_code": code, "description": description}).to_string()
    }

    #[test]
    fn errors_are_sorted_by_what_to_do() {
        assert!(matches!(
            classify(403, &err(403, "Forbidden: bot was blocked by the user")),
            Outcome::Unreachable(_)
        ));
        assert!(matches!(
            classify(400, &err(400, "Bad Request: chat not found")),
            Outcome::Permanent(_)
        ));
        assert!(matches!(
            classify(502, &err(502, "Bad Gateway")),
            Outcome::Transient(_)
        ));
        // A proxy's own 502 page is no JSON at all.
        assert!(matches!(
            classify(502, "<html>Bad Gateway</html>"),
            Outcome::Transient(_)
        ));
        assert!(matches!(
            classify(400, &err(400, "Bad Request: can't parse entities")),
            Outcome::Permanent(_)
        ));
        let flood = json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 5",
            "parameters": {"retry_after": 5}});
        assert!(matches!(
            classify(429, &flood.to_string()),
            Outcome::RetryAfter(d) if d == Duration::from_secs(5)
        ));
        assert!(matches!(
            classify(200, r#"{"ok":true,"result":{"message_id":7}}"#),
            Outcome::Sent(Some(7))
        ));
    }
}
