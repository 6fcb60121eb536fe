//! Failure injection: the next calls of a method failing as a test says, users who blocked the bot,
//! and Telegram's flood limits.

use std::time::{Duration, Instant};

use super::server::Reply;
use super::spec::canonical_method;
use super::{FakeTelegram, Res, St};

/// How [`FakeTelegram::fail_next`] makes a call fail.
#[derive(Clone, Debug)]
pub enum Failure {
    /// 429 "Too Many Requests: retry after N" with parameters.retry_after = N.
    RetryAfter(u32),
    /// That HTTP status with "Internal Server Error", "Bad Gateway", ... (teloxide waits 10 s
    /// before reading a 5xx answer).
    ServerError(u16),
    /// 403; "Forbidden: " is prepended unless the text already starts with "Forbidden".
    Forbidden(String),
    /// 400; "Bad Request: " is prepended unless the text already starts with "Bad Request".
    BadRequest(String),
    /// No answer at all: the request is held open and never recorded, like a Telegram that stalls while
    /// the client process dies (a crash between claiming a message and sending it).
    Hang,
    /// A slow Telegram: the call is held this long, then handled and answered as usual (the message is
    /// delivered, however long the client waited).
    Slow(Duration),
}

/// A Telegram hiccup spread over the next sending calls (`sendMessage`, `sendPhoto`, `sendDocument`):
/// `server_errors` answers 502 "Bad Gateway", `hangs` calls held `hang_for` before they are handled,
/// `retry_afters` answers 429 with retry_after = `retry_after`. One fault every `every` sending calls,
/// the kinds taking turns (502, hang, 429, 502, …), until all are spent.
#[derive(Clone, Debug)]
pub struct Storm {
    pub server_errors: usize,
    pub hangs: usize,
    pub hang_for: Duration,
    pub retry_afters: usize,
    pub retry_after: u32,
    pub every: usize,
}

/// The sending calls a storm hits.
const STORM_METHODS: [&str; 3] = ["sendMessage", "sendPhoto", "sendDocument"];

impl FakeTelegram {
    /// From now on everything the bot does in that user's chat gets 403 "Forbidden: bot was
    /// blocked by the user" (injected messages do not unblock; see `unblock_user`).
    pub fn block_user(&self, user_id: i64) {
        self.lock().blocked.insert(user_id);
    }

    pub fn unblock_user(&self, user_id: i64) {
        self.lock().blocked.remove(&user_id);
    }

    /// The next `n` calls of `method` answer `failure`, before any other check.
    pub fn fail_next(&self, method: &str, n: usize, failure: Failure) {
        let method = canonical_method(method).unwrap_or_else(|| method.to_owned());
        let mut st = self.lock();
        let q = st.failures.entry(method).or_default();
        q.extend(std::iter::repeat_n(failure, n));
    }

    /// Starts a storm over the next sending calls (see [`Storm`]); it replaces one not yet spent.
    pub fn storm(&self, storm: Storm) {
        let mut kinds = [
            (storm.server_errors, Failure::ServerError(502)),
            (storm.hangs, Failure::Slow(storm.hang_for)),
            (storm.retry_afters, Failure::RetryAfter(storm.retry_after)),
        ];
        let mut plan = std::collections::VecDeque::new();
        while kinds.iter().any(|(n, _)| *n > 0) {
            for (n, failure) in &mut kinds {
                if *n > 0 {
                    *n -= 1;
                    plan.extend(std::iter::repeat_n(None, storm.every.max(1) - 1));
                    plan.push_back(Some(failure.clone()));
                }
            }
        }
        self.lock().storm = plan;
    }

    /// Faults of the storm not yet dealt.
    pub fn storm_left(&self) -> usize {
        self.lock().storm.iter().filter(|f| f.is_some()).count()
    }

    /// Enforce Telegram's flood limits on sendX calls: 1 per second to a private chat, 20 per
    /// minute to a group (chat id < 0), 30 per second overall; else 429 with retry_after.
    pub fn set_rate_limits(&self, on: bool) {
        self.lock().rate_limits = on;
    }
}

impl St {
    pub(super) fn take_failure(&mut self, method: &str) -> Option<Reply> {
        let failure = match self.failures.get_mut(method).and_then(|q| q.pop_front()) {
            Some(f) => f,
            None if STORM_METHODS.contains(&method) => self.storm.pop_front()??,
            None => return None,
        };
        Some(match failure {
            Failure::RetryAfter(secs) => Reply::retry_after(secs),
            Failure::ServerError(code) => {
                let desc = match code {
                    502 => "Bad Gateway",
                    503 => "Service Unavailable",
                    504 => "Gateway Timeout",
                    _ => "Internal Server Error",
                };
                Reply::err(code, desc)
            }
            Failure::Forbidden(d) if d.starts_with("Forbidden") => Reply::err(403, d),
            Failure::Forbidden(d) => Reply::err(403, format!("Forbidden: {d}")),
            Failure::BadRequest(d) if d.starts_with("Bad Request") => Reply::err(400, d),
            Failure::BadRequest(d) => Reply::bad(d),
            Failure::Hang => Reply::hang(),
            Failure::Slow(d) => Reply::slow(d),
        })
    }

    pub(super) fn rate_check(&mut self, chat_id: i64) -> Res<()> {
        let now = Instant::now();
        while self
            .all_sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            self.all_sends.pop_front();
        }
        let q = self.chat_sends.entry(chat_id).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            q.pop_front();
        }
        if !self.rate_limits {
            return Ok(());
        }
        if self.all_sends.len() >= 30 {
            return Err(Reply::retry_after(1));
        }
        if chat_id > 0 {
            if q.back()
                .is_some_and(|t| now.duration_since(*t) < Duration::from_secs(1))
            {
                return Err(Reply::retry_after(1));
            }
        } else if q.len() >= 20 {
            let oldest = q
                .front()
                .map(|t| now.duration_since(*t))
                .unwrap_or_default();
            let wait = Duration::from_secs(60).saturating_sub(oldest);
            return Err(Reply::retry_after(wait.as_secs_f64().ceil().max(1.0) as u32));
        }
        Ok(())
    }

    pub(super) fn note_send(&mut self, chat_id: i64) {
        let now = Instant::now();
        self.all_sends.push_back(now);
        self.chat_sends.entry(chat_id).or_default().push_back(now);
    }
}
