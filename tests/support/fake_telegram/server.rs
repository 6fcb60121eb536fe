//! The HTTP side: the server, reading a call's parameters (query, JSON, form or multipart), routing a
//! method to its handler, and Telegram's answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

use super::files::FileKind;
use super::messages::EditKind;
use super::observe::Call;
use super::spec::canonical_method;
use super::{BOT_FIRST_NAME, BOT_ID, BOT_USERNAME, FakeTelegram, Inner, St};

/// What the HTTP layer accepts at all; bigger uploads get axum's own 413.
const MAX_BODY: usize = 64 << 20;

impl FakeTelegram {
    /// The only token the fake accepts; any other gets 401 "Unauthorized".
    pub const TOKEN: &str = "123456:TEST-TOKEN";

    /// Binds 127.0.0.1 on a free port and serves in a task of the current runtime.
    pub async fn start() -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake Telegram: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake Telegram: local address");
        let fake = FakeTelegram {
            inner: Arc::new(Inner {
                addr,
                state: Mutex::new(St::new()),
                updates_changed: Notify::new(),
                output_changed: Notify::new(),
            }),
        };
        let app = Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(MAX_BODY))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        tokio::spawn(fake.clone().deliver_webhooks());
        fake
    }

    /// "http://127.0.0.1:PORT": what TELOXIDE_API_URL gets.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// "asuh_test_bot" (the bot's id is 999000).
    pub fn bot_username(&self) -> &str {
        BOT_USERNAME
    }

    /// One Bot API call: the token, an injected failure and the spec are checked first, then the method's
    /// handler answers; every call but getUpdates is recorded here (getUpdates records its own).
    async fn dispatch(
        &self,
        token: &str,
        raw_method: &str,
        incoming: Result<Incoming, Reply>,
    ) -> Reply {
        let method = canonical_method(raw_method).unwrap_or_else(|| raw_method.to_owned());
        let (params, uploads, parse_error) = match incoming {
            Ok(inc) => (inc.params, inc.uploads, None),
            Err(r) => (Map::new(), HashMap::new(), Some(r)),
        };
        let early = if token != Self::TOKEN {
            Some(Reply::err(401, "Unauthorized"))
        } else if parse_error.is_some() {
            parse_error
        } else {
            let mut st = self.lock();
            let spec_reply = st.spec_check(&method, &params);
            st.take_failure(&method).or(spec_reply)
        };
        if early.as_ref().is_some_and(Reply::is_hang) {
            std::future::pending::<()>().await;
        }
        // A slow Telegram: held, then handled as usual (checks and rate limits as of the answer).
        let early = match early {
            Some(r) if r.slow_for().is_some() => {
                tokio::time::sleep(r.slow_for().unwrap_or_default()).await;
                let mut st = self.lock();
                st.spec_check(&method, &params)
            }
            other => other,
        };
        if early.is_none() && method == "getUpdates" {
            return self.get_updates(params).await;
        }
        let mut st = self.lock();
        let reply = match early {
            Some(r) => r,
            None => st.process(&method, &params, &uploads),
        };
        st.calls.push(Call {
            method,
            params: Value::Object(params),
            status: reply.status,
            response: reply.body.clone(),
            at: std::time::Instant::now(),
        });
        drop(st);
        self.inner.output_changed.notify_waiters();
        reply
    }
}

impl St {
    /// Routes a method to its handler; a method the fake does not model answers `true`.
    fn process(&mut self, method: &str, p: &Map<String, Value>, uploads: &Uploads) -> Reply {
        let result = match method {
            "getMe" => Ok(me_json()),
            "sendMessage" => self.send_message(p),
            "sendPhoto" => self.send_media(p, uploads, FileKind::Photo),
            "sendDocument" => self.send_media(p, uploads, FileKind::Document),
            "editMessageText" => self.edit_message(p, EditKind::Text),
            "editMessageCaption" => self.edit_message(p, EditKind::Caption),
            "editMessageReplyMarkup" => self.edit_message(p, EditKind::Markup),
            "deleteMessage" => self.delete_message(p),
            "answerCallbackQuery" => self.answer_callback_query(p),
            "setMyCommands" => self.set_my_commands(p),
            "setChatMenuButton" => self.set_chat_menu_button(p),
            "getChatMenuButton" => self.get_chat_menu_button(p),
            "getMyCommands" => self.get_my_commands(p),
            "deleteMyCommands" => self.delete_my_commands(p),
            "getFile" => self.get_file(p),
            "sendChatAction" => self.send_chat_action(p),
            "getWebhookInfo" => Ok(self.webhook_info()),
            "setWebhook" => self.set_webhook(p),
            "deleteWebhook" => self.delete_webhook(p),
            _ => Ok(json!(true)),
        };
        match result {
            Ok(v) => Reply::ok(v),
            Err(r) => r,
        }
    }
}

/// An answer as Telegram gives it: the HTTP status and the JSON body.
pub(super) struct Reply {
    pub(super) status: u16,
    pub(super) body: Value,
}

impl Reply {
    pub(super) fn ok(result: Value) -> Self {
        Reply {
            status: 200,
            body: json!({"ok": true, "result": result}),
        }
    }

    pub(super) fn err(status: u16, description: impl Into<String>) -> Self {
        Reply {
            status,
            body: json!({"ok": false, "error_code": status, "description": description.into()}),
        }
    }

    pub(super) fn bad(description: impl std::fmt::Display) -> Self {
        Reply::err(400, format!("Bad Request: {description}"))
    }

    /// The marker of [`Failure::Hang`]: never sent to a client.
    pub(super) fn hang() -> Self {
        let mut r = Reply::err(500, "hang");
        r.status = 0;
        r
    }

    fn is_hang(&self) -> bool {
        self.status == 0
    }

    /// The marker of [`Failure::Slow`]: held this long, then handled.
    pub(super) fn slow(d: std::time::Duration) -> Self {
        let mut r = Reply::err(500, "slow");
        r.status = 1;
        r.body["slow_ms"] = json!(d.as_millis() as u64);
        r
    }

    fn slow_for(&self) -> Option<std::time::Duration> {
        (self.status == 1)
            .then(|| std::time::Duration::from_millis(self.body["slow_ms"].as_u64().unwrap_or(0)))
    }

    pub(super) fn retry_after(secs: u32) -> Self {
        let mut r = Reply::err(429, format!("Too Many Requests: retry after {secs}"));
        r.body["parameters"] = json!({ "retry_after": secs });
        r
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.body)).into_response()
    }
}

pub(super) struct Upload {
    pub(super) file_name: String,
    pub(super) bytes: Bytes,
}

pub(super) type Uploads = HashMap<String, Upload>;

struct Incoming {
    params: Map<String, Value>,
    uploads: Uploads,
}

async fn handle(State(fake): State<FakeTelegram>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if let Some(rest) = path.strip_prefix("/file/bot") {
        return fake.download(rest);
    }
    let Some((token, method)) = path
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return Reply::err(404, "Not Found").into_response();
    };
    if method.is_empty() || method.contains('/') {
        return Reply::err(404, "Not Found").into_response();
    }
    let token = percent_decode(token);
    let incoming = read_params(req).await;
    fake.dispatch(&token, method, incoming)
        .await
        .into_response()
}

/// Parameters from the query string and the body (JSON, form-urlencoded or multipart).
async fn read_params(req: Request) -> Result<Incoming, Reply> {
    let mut params = Map::new();
    let mut uploads = Uploads::new();
    if let Some(q) = req.uri().query() {
        for (k, v) in parse_form(q) {
            params.insert(k, Value::String(v));
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| Reply::bad(format!("can't parse multipart: {e}")))?;
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => return Err(Reply::bad(format!("can't parse multipart: {e}"))),
            };
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| Reply::bad(format!("can't parse multipart: {e}")))?;
            match file_name {
                Some(file_name) => {
                    params.insert(
                        name.clone(),
                        json!({"file_name": file_name, "size": bytes.len()}),
                    );
                    uploads.insert(name, Upload { file_name, bytes });
                }
                None => {
                    params.insert(
                        name,
                        Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                    );
                }
            }
        }
        // teloxide sends `photo=attach://<id>` plus a part named <id>: resolve such references.
        let attached: Vec<(String, String)> = params
            .iter()
            .filter_map(|(k, v)| {
                Some((k.clone(), v.as_str()?.strip_prefix("attach://")?.to_owned()))
            })
            .filter(|(_, name)| uploads.contains_key(name))
            .collect();
        for (key, name) in attached {
            if let Some(up) = uploads.remove(&name) {
                params.remove(&name);
                params.insert(
                    key.clone(),
                    json!({"file_name": up.file_name, "size": up.bytes.len()}),
                );
                uploads.insert(key, up);
            }
        }
        return Ok(Incoming { params, uploads });
    }
    let body = axum::body::to_bytes(req.into_body(), MAX_BODY)
        .await
        .map_err(|_| Reply::err(413, "Request Entity Too Large"))?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Incoming { params, uploads });
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (k, v) in parse_form(&String::from_utf8_lossy(&body)) {
            params.insert(k, Value::String(v));
        }
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => params.extend(m),
            _ => return Err(Reply::bad("can't parse JSON object")),
        }
    }
    Ok(Incoming { params, uploads })
}

fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

pub(super) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn bot_user_json() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME})
}

fn me_json() -> Value {
    let mut me = bot_user_json();
    if let Value::Object(m) = &mut me {
        m.extend(
            json!({
                "can_join_groups": true,
                "can_read_all_group_messages": false,
                "supports_inline_queries": false,
                "can_connect_to_business": false,
                "has_main_web_app": false,
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
    }
    me
}

pub(super) fn value_as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn param_i64(p: &Map<String, Value>, name: &str) -> Option<i64> {
    p.get(name).and_then(value_as_i64)
}

pub(super) fn param_str(p: &Map<String, Value>, name: &str) -> Option<String> {
    match p.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

pub(super) fn param_bool(p: &Map<String, Value>, name: &str) -> bool {
    match p.get(name) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true" || s == "1",
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// A JSON parameter; multipart and form bodies carry it as a JSON string.
pub(super) fn param_json(p: &Map<String, Value>, name: &str) -> Option<Value> {
    match p.get(name)? {
        Value::Null => None,
        Value::String(s) => {
            Some(serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())))
        }
        other => Some(other.clone()),
    }
}
