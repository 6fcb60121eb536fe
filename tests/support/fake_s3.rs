//! A minimal fake S3 server for tests: path-style requests (`/bucket/key`), an in-memory map of
//! objects, PUT / GET / HEAD / DELETE object, answered the way `object_store`'s `AmazonS3`
//! client expects (ETag on PUT; Content-Length, ETag and Last-Modified on GET and HEAD; a
//! `NoSuchKey` XML error with 404 when an object is missing).
//!
//! Signatures are not checked, but every request is recorded with whether it carried an
//! `authorization` header, so tests can assert that the client signed its requests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The largest object the fake accepts.
const MAX_OBJECT: usize = 64 << 20;

/// A running fake S3 server on 127.0.0.1. Cheap to clone; all clones share one state.
#[derive(Clone)]
pub struct FakeS3 {
    inner: Arc<Inner>,
}

struct Inner {
    addr: SocketAddr,
    state: Mutex<St>,
}

#[derive(Default)]
struct St {
    /// "bucket/key" -> object.
    objects: BTreeMap<String, Object>,
    /// (method, path, signed).
    requests: Vec<(String, String, bool)>,
}

#[derive(Clone)]
struct Object {
    bytes: Vec<u8>,
    etag: String,
    last_modified: String,
}

impl FakeS3 {
    /// Starts the server on 127.0.0.1 with a free port, in the current tokio runtime.
    pub async fn start() -> FakeS3 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake S3: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake S3: local address");
        let fake = FakeS3 {
            inner: Arc::new(Inner {
                addr,
                state: Mutex::new(St::default()),
            }),
        };
        let app = Router::new().fallback(handle).with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    /// "http://127.0.0.1:PORT": what `AWS_ENDPOINT` gets.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// The stored objects as ("bucket/key", size), sorted by key.
    pub fn objects(&self) -> Vec<(String, usize)> {
        self.state()
            .objects
            .iter()
            .map(|(k, o)| (k.clone(), o.bytes.len()))
            .collect()
    }

    /// The bytes of one object ("bucket/key").
    pub fn object(&self, key: &str) -> Option<Vec<u8>> {
        self.state().objects.get(key).map(|o| o.bytes.clone())
    }

    /// Every request so far as (method, path, whether it had an `authorization` header); the
    /// path is as sent (percent-encoded, without the query).
    pub fn requests(&self) -> Vec<(String, String, bool)> {
        self.state().requests.clone()
    }

    fn state(&self) -> MutexGuard<'_, St> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

async fn handle(State(fake): State<FakeS3>, request: Request) -> Response {
    let method = request.method().clone();
    let raw_path = request.uri().path().to_owned();
    let signed = request.headers().contains_key(header::AUTHORIZATION);
    fake.state()
        .requests
        .push((method.to_string(), raw_path.clone(), signed));

    let key = percent_decode(raw_path.trim_start_matches('/'));
    // Path-style: the first segment is the bucket, and an object needs a key after it.
    let is_object = key
        .split_once('/')
        .is_some_and(|(bucket, object)| !bucket.is_empty() && !object.is_empty());
    if !is_object {
        return error(
            // Not a 5xx: clients retry those.
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            "the fake S3 serves objects only (path-style /bucket/key)",
            &raw_path,
        );
    }

    match method {
        Method::PUT => {
            let bytes = match to_bytes(request.into_body(), MAX_OBJECT).await {
                Ok(b) => b.to_vec(),
                Err(_) => {
                    return error(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "EntityTooLarge",
                        "object too large",
                        &raw_path,
                    );
                }
            };
            let object = Object {
                etag: etag(&bytes),
                last_modified: http_date_now(),
                bytes,
            };
            let etag = object.etag.clone();
            fake.state().objects.insert(key, object);
            (StatusCode::OK, [(header::ETAG, etag)]).into_response()
        }
        Method::GET | Method::HEAD => {
            let Some(object) = fake.state().objects.get(&key).cloned() else {
                if method == Method::HEAD {
                    // HEAD answers carry no body, just the status.
                    return StatusCode::NOT_FOUND.into_response();
                }
                return error(
                    StatusCode::NOT_FOUND,
                    "NoSuchKey",
                    "The specified key does not exist.",
                    &raw_path,
                );
            };
            let len = object.bytes.len();
            let body = if method == Method::HEAD {
                Body::empty()
            } else {
                Body::from(object.bytes)
            };
            let mut response = Response::new(body);
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            if let Ok(v) = HeaderValue::from_str(&object.etag) {
                headers.insert(header::ETAG, v);
            }
            if let Ok(v) = HeaderValue::from_str(&object.last_modified) {
                headers.insert(header::LAST_MODIFIED, v);
            }
            response
        }
        Method::DELETE => {
            fake.state().objects.remove(&key);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
            &raw_path,
        ),
    }
}

/// An S3 XML error answer.
fn error(status: StatusCode, code: &str, message: &str, resource: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
         <Message>{message}</Message><Resource>{resource}</Resource>\
         <RequestId>fake-s3</RequestId></Error>"
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

/// A quoted ETag that changes with the content (not an MD5 like real S3; clients treat it as
/// opaque).
fn etag(bytes: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}{:08x}\"", h.finish(), bytes.len())
}

/// Now as an HTTP-date ("Tue, 15 Nov 1994 08:12:31 GMT"), which RFC 2822 parsers accept.
fn http_date_now() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// Decodes %XX escapes (object_store percent-encodes unusual characters in keys).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}
