//! Webhooks as Telegram runs them: setWebhook, deleteWebhook and getWebhookInfo, and the delivery of
//! pending updates by HTTPS POST to the registered URL with the `X-Telegram-Bot-Api-Secret-Token` header.
//! Like Telegram, a chat's next update (a user's, for button presses) is sent only after the previous one
//! was acknowledged with a 2xx; a failed delivery (refused connection, timeout, any other status) is tried
//! again after a pause, and noted as the webhook's last error. At most `max_connections` requests are in
//! flight. getUpdates answers 409 Conflict while a webhook is set (see `updates`).
//!
//! The public URL is the operator's: the test says where its traffic goes ([`FakeTelegram::route_webhook`],
//! the TLS proxy or load balancer in front of the replicas), and deliveries take the addresses in turn,
//! each attempt the next one, as a round-robin balancer does.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::pin::pin;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::server::{Reply, param_bool, param_i64, param_json, param_str};
use super::{FakeTelegram, St, unix_now};

/// The webhook as set with setWebhook.
#[derive(Clone, Debug)]
pub(super) struct Hook {
    pub(super) url: url::Url,
    pub(super) secret: Option<String>,
    pub(super) max_connections: i64,
}

/// One delivery attempt, for tests to look at.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub update_id: i64,
    /// Where the attempt went (None: no route for the URL).
    pub target: Option<SocketAddr>,
    /// The HTTP status answered, or None when the connection failed or timed out.
    pub status: Option<u16>,
    pub at: Instant,
}

impl Delivery {
    pub fn acknowledged(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// What the delivery side keeps.
#[derive(Default)]
pub(super) struct Deliveries {
    pub(super) routes: HashMap<String, Vec<SocketAddr>>,
    turn: usize,
    in_flight: HashSet<String>,
    retry_at: HashMap<String, Instant>,
    attempts: HashMap<i64, u32>,
    pub(super) log: Vec<Delivery>,
    pub(super) last_error: Option<(i64, String)>,
}

/// A request to make.
struct Job {
    key: String,
    update_id: i64,
    update: Value,
    target: Option<SocketAddr>,
    path: String,
    secret: Option<String>,
}

const PORTS: [u16; 4] = [80, 88, 443, 8443];

impl St {
    pub(super) fn set_webhook(&mut self, p: &Map<String, Value>) -> Result<Value, Reply> {
        let raw = param_str(p, "url").unwrap_or_default();
        if raw.is_empty() {
            return self.delete_webhook(p);
        }
        let url = url::Url::parse(&raw).map_err(|_| Reply::bad("can't parse URL"))?;
        if url.scheme() != "https" {
            return Err(Reply::bad(
                "bad webhook: HTTPS url must be provided for webhook",
            ));
        }
        if !url
            .port_or_known_default()
            .is_some_and(|p| PORTS.contains(&p))
        {
            return Err(Reply::bad(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            ));
        }
        let secret = param_str(p, "secret_token").filter(|s| !s.is_empty());
        if let Some(s) = &secret
            && (s.len() > 256
                || !s
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        {
            return Err(Reply::bad("secret token contains unallowed characters"));
        }
        if let Some(Value::Array(a)) = param_json(p, "allowed_updates") {
            self.allowed_updates = Some(
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            );
        }
        if param_bool(p, "drop_pending_updates") {
            self.pending.clear();
        }
        self.webhook = Some(Hook {
            url,
            secret,
            max_connections: param_i64(p, "max_connections").unwrap_or(40).clamp(1, 100),
        });
        Ok(json!(true))
    }

    pub(super) fn delete_webhook(&mut self, p: &Map<String, Value>) -> Result<Value, Reply> {
        self.webhook = None;
        self.deliveries.last_error = None;
        if param_bool(p, "drop_pending_updates") {
            self.pending.clear();
        }
        Ok(json!(true))
    }

    pub(super) fn webhook_info(&self) -> Value {
        let mut info = json!({
            "url": self.webhook.as_ref().map(|h| h.url.to_string()).unwrap_or_default(),
            "has_custom_certificate": false,
            "pending_update_count": self.pending.len(),
        });
        if let Some(hook) = &self.webhook {
            info["max_connections"] = json!(hook.max_connections);
            info["ip_address"] = json!("127.0.0.1");
            if let Some(allowed) = &self.allowed_updates {
                info["allowed_updates"] = json!(allowed);
            }
            if let Some((at, message)) = &self.deliveries.last_error {
                info["last_error_date"] = json!(at);
                info["last_error_message"] = json!(message);
            }
        }
        info
    }

    /// The next requests to make: the first pending update of each chat that has none in flight and is
    /// not waiting to be retried, up to `max_connections` in flight.
    fn webhook_jobs(&mut self, now: Instant) -> Vec<Job> {
        let Some(hook) = self.webhook.clone() else {
            return Vec::new();
        };
        self.drop_disallowed();
        let origin = origin(&hook.url);
        let mut free = usize::try_from(hook.max_connections)
            .unwrap_or(1)
            .saturating_sub(self.deliveries.in_flight.len());
        let mut seen = HashSet::new();
        let mut jobs = Vec::new();
        let mut path = hook.url.path().to_owned();
        if let Some(q) = hook.url.query() {
            path = format!("{path}?{q}");
        }
        for update in &self.pending {
            if free == 0 {
                break;
            }
            let key = key_of(update);
            if !seen.insert(key.clone())
                || self.deliveries.in_flight.contains(&key)
                || self
                    .deliveries
                    .retry_at
                    .get(&key)
                    .is_some_and(|at| *at > now)
            {
                continue;
            }
            let target = self.deliveries.routes.get(&origin).and_then(|addrs| {
                (!addrs.is_empty()).then(|| addrs[self.deliveries.turn % addrs.len()])
            });
            self.deliveries.turn = self.deliveries.turn.wrapping_add(1);
            jobs.push(Job {
                key,
                update_id: update.get("update_id").and_then(Value::as_i64).unwrap_or(0),
                update: update.clone(),
                target,
                path: path.clone(),
                secret: hook.secret.clone(),
            });
            free -= 1;
        }
        for job in &jobs {
            self.deliveries.in_flight.insert(job.key.clone());
        }
        jobs
    }

    /// The earliest moment a waiting retry is due.
    fn next_retry(&self) -> Option<Instant> {
        self.deliveries.retry_at.values().min().copied()
    }

    fn delivered(&mut self, job: &Job, status: Option<u16>, error: Option<String>) {
        self.deliveries.in_flight.remove(&job.key);
        self.deliveries.log.push(Delivery {
            update_id: job.update_id,
            target: job.target,
            status,
            at: Instant::now(),
        });
        if status.is_some_and(|s| (200..300).contains(&s)) {
            self.deliveries.retry_at.remove(&job.key);
            self.deliveries.attempts.remove(&job.update_id);
            if let Some(i) = self
                .pending
                .iter()
                .position(|u| u.get("update_id").and_then(Value::as_i64) == Some(job.update_id))
            {
                self.pending.remove(i);
            }
            return;
        }
        let attempts = self.deliveries.attempts.entry(job.update_id).or_insert(0);
        *attempts += 1;
        let pause = Duration::from_millis(100 * 2u64.pow((*attempts - 1).min(4)))
            .min(Duration::from_secs(2));
        self.deliveries
            .retry_at
            .insert(job.key.clone(), Instant::now() + pause);
        let message = match (status, error) {
            (Some(s), _) => format!(
                "Wrong response from the webhook: {s} {}",
                axum::http::StatusCode::from_u16(s)
                    .ok()
                    .and_then(|c| c.canonical_reason())
                    .unwrap_or("")
            ),
            (None, Some(e)) => e,
            (None, None) => "Connection refused".to_owned(),
        };
        self.deliveries.last_error = Some((unix_now(), message.trim().to_owned()));
    }
}

impl FakeTelegram {
    /// Sends the webhook's traffic for `origin` ("https://host[:port]", as in the URL the bot sets) to
    /// these local addresses, in turn: the operator's TLS proxy or load balancer.
    pub fn route_webhook(&self, origin: &str, targets: Vec<SocketAddr>) {
        let key = url::Url::parse(origin)
            .map(|u| self::origin(&u))
            .unwrap_or_else(|_| origin.to_owned());
        self.lock().deliveries.routes.insert(key, targets);
        self.inner.updates_changed.notify_waiters();
    }

    /// The URL set with setWebhook, if any.
    pub fn webhook_url(&self) -> Option<String> {
        self.lock().webhook.as_ref().map(|h| h.url.to_string())
    }

    /// Every delivery attempt so far, in the order they ended.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.lock().deliveries.log.clone()
    }

    /// Delivers pending updates while a webhook is set; runs as long as the fake does.
    pub(super) async fn deliver_webhooks(self) {
        let client = match reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(100)
            .build()
        {
            Ok(c) => c,
            Err(_) => return,
        };
        loop {
            let mut changed = pin!(self.inner.updates_changed.notified());
            changed.as_mut().enable();
            let (jobs, retry) = {
                let mut st = self.lock();
                let jobs = st.webhook_jobs(Instant::now());
                (jobs, st.next_retry())
            };
            for job in jobs {
                let fake = self.clone();
                let client = client.clone();
                tokio::spawn(async move { fake.deliver(&client, job).await });
            }
            let wait = retry
                .map(|at| at.saturating_duration_since(Instant::now()))
                .unwrap_or(Duration::from_secs(1))
                .max(Duration::from_millis(5));
            let _ = tokio::time::timeout(wait, changed).await;
        }
    }

    async fn deliver(&self, client: &reqwest::Client, job: Job) {
        let (status, error) = match job.target {
            None => (None, Some("Connection refused".to_owned())),
            Some(addr) => {
                let mut request = client
                    .post(format!("http://{addr}{}", job.path))
                    .header("content-type", "application/json")
                    .body(job.update.to_string());
                if let Some(secret) = &job.secret {
                    request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
                }
                match request.send().await {
                    Ok(r) => (Some(r.status().as_u16()), None),
                    Err(e) if e.is_timeout() => (None, Some("Read timeout expired".to_owned())),
                    Err(_) => (None, Some("Connection refused".to_owned())),
                }
            }
        };
        self.lock().delivered(&job, status, error);
        self.inner.updates_changed.notify_waiters();
        self.inner.output_changed.notify_waiters();
    }
}

/// "https://host:port" of a URL, the port always written.
fn origin(url: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Which queue an update waits in: its chat's, or for a button press its user's.
fn key_of(update: &Value) -> String {
    let chat = [
        "message",
        "edited_message",
        "my_chat_member",
        "chat_member",
        "channel_post",
    ]
    .iter()
    .find_map(|k| update.get(*k)?.get("chat")?.get("id")?.as_i64());
    if let Some(id) = chat {
        return format!("chat:{id}");
    }
    if let Some(id) = update
        .get("callback_query")
        .and_then(|c| c.get("from"))
        .and_then(|f| f.get("id"))
        .and_then(Value::as_i64)
    {
        return format!("user:{id}");
    }
    "other".to_owned()
}
