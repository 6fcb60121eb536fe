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
}

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

    /// Enforce Telegram's flood limits on sendX calls: 1 per second to a private chat, 20 per
    /// minute to a group (chat id < 0), 30 per second overall; else 429 with retry_after.
    pub fn set_rate_limits(&self, on: bool) {
        self.lock().rate_limits = on;
    }
}

impl St {
    pub(super) fn take_failure(&mut self, method: &str) -> Option<Reply> {
        let failure = self.failures.get_mut(method)?.pop_front()?;
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
