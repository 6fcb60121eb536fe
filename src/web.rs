//! The dashboard's routes on the HTTP listener (`ASUH_LISTEN`, behind the operator's TLS proxy at
//! `ASUH_PUBLIC_URL`): the Mini App's page, script and style (compiled in, no external asset), and its
//! JSON API. Every API request names its viewer — `Authorization: Session <token>` (begun from a checked
//! `initData`) or `Authorization: Meeting <link token>` — and `services::dashboard` decides, at that
//! request, what they may see. No teloxide here: the page speaks HTTP only.

use crate::domain::Lang;
use crate::services::dashboard::{self as service, ListKind, Query, Refused, Settings, Viewer};
use crate::store::Db;
use axum::Json;
use axum::extract::{Query as Params, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde_json::json;
use std::sync::Arc;

const PAGE: &str = include_str!("../assets/dashboard/index.html");
const SCRIPT: &str = include_str!("../assets/dashboard/app.js");
const STYLE: &str = include_str!("../assets/dashboard/app.css");

/// What the routes share.
struct Web {
    db: Db,
    settings: Settings,
    bot_token: String,
    /// The page with both languages' labels in it, made once.
    page: String,
}

/// The dashboard's routes, to merge into the listener's router.
pub fn routes(db: Db, settings: Settings, bot_token: String) -> axum::Router {
    let labels = json!({
        "id": service::labels(Lang::Id),
        "en": service::labels(Lang::En),
    })
    .to_string()
    // Inside a <script> element: no "</" may close it early.
    .replace("</", "<\\/");
    let page = PAGE.replace("{{LABELS}}", &labels);
    let web = Arc::new(Web {
        db,
        settings,
        bot_token,
        page,
    });
    axum::Router::new()
        .route("/app", get(page_route))
        .route("/app/", get(page_route))
        .route("/app/app.js", get(script))
        .route("/app/app.css", get(style))
        .route("/app/api/session", post(session))
        .route("/app/api/dashboard", get(dashboard))
        .route("/app/api/list", get(list))
        .route("/app/api/report", post(report))
        .with_state(web)
}

/// Headers every answer carries: nothing is cached (the figures are live, the data personal), no
/// sniffing, no referrer (a meeting link's token is in the fragment, never sent, but still), and a
/// policy that lets the page load only itself.
fn secured(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
        ),
    );
    r
}

fn asset(kind: &'static str, body: String) -> Response {
    secured(([(header::CONTENT_TYPE, kind)], body).into_response())
}

async fn page_route(State(web): State<Arc<Web>>) -> Response {
    asset("text/html; charset=utf-8", web.page.clone())
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT.to_owned())
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE.to_owned())
}

/// A refusal as JSON: its locale key for the page, with the status that fits.
fn refused(e: Refused) -> Response {
    let status = match &e {
        Refused::InitData(_) | Refused::Link(_) | Refused::Revoked | Refused::Session => {
            StatusCode::UNAUTHORIZED
        }
        Refused::Denied(_) | Refused::ReadOnly => StatusCode::FORBIDDEN,
        Refused::Bad(_) => StatusCode::BAD_REQUEST,
        Refused::Store(err) => {
            tracing::error!(error = %err, "dashboard request failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    if status != StatusCode::INTERNAL_SERVER_ERROR {
        tracing::info!(reason = %e, "dashboard request refused");
    }
    secured((status, Json(json!({ "error": e.key() }))).into_response())
}

fn ok<T: serde::Serialize>(value: &T) -> Response {
    secured(Json(value).into_response())
}

#[derive(serde::Deserialize)]
struct SignIn {
    init_data: String,
}

async fn session(State(web): State<Arc<Web>>, Json(body): Json<SignIn>) -> Response {
    match service::sign_in(
        &web.db,
        &web.settings,
        &web.bot_token,
        &body.init_data,
        Utc::now(),
    )
    .await
    {
        Ok((token, lang)) => ok(&json!({ "token": token, "lang": lang.code() })),
        Err(e) => refused(e),
    }
}

/// The viewer an `Authorization` header names.
async fn viewer(web: &Web, headers: &HeaderMap) -> Result<Viewer, Refused> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let now = Utc::now();
    match value.split_once(' ') {
        Some(("Session", token)) => service::by_session(&web.db, token.trim(), now).await,
        Some(("Meeting", token)) => {
            service::by_link(&web.db, &web.bot_token, token.trim(), now).await
        }
        _ => Err(Refused::Session),
    }
}

async fn dashboard(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Params(q): Params<Query>,
) -> Response {
    let started = std::time::Instant::now();
    let result = match viewer(&web, &headers).await {
        Ok(v) => service::build(&web.db, &web.settings, &v, &q, Utc::now()).await,
        Err(e) => Err(e),
    };
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "dashboard built");
    match result {
        Ok(d) => ok(&d),
        Err(e) => refused(e),
    }
}

#[derive(serde::Deserialize)]
struct ListParams {
    kind: String,
    #[serde(flatten)]
    query: Query,
}

async fn list(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Params(p): Params<ListParams>,
) -> Response {
    let Some(kind) = ListKind::parse(&p.kind) else {
        return refused(Refused::Bad(format!("list {:?}", p.kind)));
    };
    let result = match viewer(&web, &headers).await {
        Ok(v) => service::list(&web.db, &web.settings, &v, &p.query, kind, Utc::now()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(l) => ok(&l),
        Err(e) => refused(e),
    }
}

async fn report(
    State(web): State<Arc<Web>>,
    headers: HeaderMap,
    Params(q): Params<Query>,
) -> Response {
    let result = match viewer(&web, &headers).await {
        Ok(v) => service::send_report(&web.db, &web.settings, &v, &q, Utc::now()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => secured((StatusCode::ACCEPTED, Json(json!({ "queued": true }))).into_response()),
        Err(e) => refused(e),
    }
}
