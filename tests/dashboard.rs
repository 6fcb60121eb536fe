//! End to end: the coordinators' dashboard (a Telegram Mini App) through the real binary. A programme in
//! two regencies is written into the database (offices, sponsors, children with Puskesmas, last month's
//! deliveries on time, late, overdue and missed, measurements); the bot runs with `ASUH_PUBLIC_URL`, and
//! the tests call its HTTP API as the page does, with `initData` signed as Telegram signs it.
//!
//! - the dashboard's figures are the report's (`services::reports::build`, what `/laporan` sends) for the
//!   same period and region;
//! - a coordinator of one kecamatan cannot reach another region by changing a parameter, and a coordinator
//!   re-scoped or revoked after the page was opened sees only what they may see now;
//! - a sponsor's initData, a changed one, another bot's and an old one are refused;
//! - meeting links: made and listed in the chat, read-only, no phone numbers, NIK or addresses, revoked;
//! - the chat's menu button, the button under a digest, `/bantuan` with the dashboard on and off.

mod support;

use asuh::domain::RegionCode;
use asuh::domain::report::{Period, ReportPeriod};
use asuh::domain::role::Scope;
use asuh::domain::webapp::sign_init_data;
use asuh::store::Db;
use chrono::{Datelike, Duration as Days, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{Value, json};
use std::time::Duration;
use support::programme::expect;
use support::{ADMIN_ID, FakeTelegram, TestApp, TestUser};

/// A coordinator of Mandonga (74.71.01) only.
const CAMAT: i64 = 500_101;
const SPONSOR_A: i64 = 730_001;
const SPONSOR_B: i64 = 730_002;
const SPONSOR_C: i64 = 730_003;
const PUBLIC: &str = "https://asuh.example.go.id";

/// What the seeded programme must never show on a meeting screen.
const SECRETS: [&str; 4] = [
    "081299990001",
    "7471010101010001",
    "Jl. Melati",
    "081299990002",
];

pub struct Dash {
    pub app: TestApp,
    pub addr: std::net::SocketAddr,
    pub http: reqwest::Client,
}

fn free_addr() -> std::net::SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    probe.local_addr().expect("address")
}

/// The zone of the seeded regions (WITA), and local midnight of a date in milliseconds.
fn midnight(d: NaiveDate) -> i64 {
    chrono_tz::Asia::Makassar
        .from_local_datetime(&d.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or_default()
}

/// The first day of last month in WITA.
pub fn last_month() -> Period {
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Makassar)
        .date_naive();
    ReportPeriod::LastMonth.period(today)
}

/// A seeded delivery: id, sponsorship, child, sponsor, day of last month, status, confirmed after its day
/// began (ms).
type Seeded = (i64, i64, i64, i64, u32, &'static str, Option<i64>);

/// The programme: two regencies, three kecamatan, two offices and the community, five children.
pub async fn seed(app: &TestApp) {
    let now = Utc::now().timestamp_millis();
    let day = 86_400_000_i64;
    let p = last_month();
    let on = |d: u32| p.from().with_day(d).expect("day");
    let mut sql = vec![
        format!(
            "INSERT INTO regions (code, parent_code, level, name, timezone, created_at) VALUES
             ('74', NULL, 'province', 'Sulawesi Tenggara', 'Asia/Makassar', {now}),
             ('74.71', '74', 'regency', 'Kota Kendari', NULL, {now}),
             ('74.71.01', '74.71', 'district', 'Mandonga', NULL, {now}),
             ('74.71.02', '74.71', 'district', 'Kadia', NULL, {now}),
             ('74.72', '74', 'regency', 'Kota Baubau', NULL, {now}),
             ('74.72.01', '74.72', 'district', 'Betoambari', NULL, {now})"
        ),
        format!(
            "INSERT INTO offices (id, name, name_key, created_at) VALUES
             (901, 'Dinas Kesehatan', 'dinas kesehatan', {now}), (902, 'DPPKB', 'dppkb', {now})"
        ),
        format!(
            "INSERT INTO users (id, first_name, language, created_at, updated_at) VALUES
             ({SPONSOR_A}, 'Ani', 'id', {now}, {now}), ({SPONSOR_B}, 'Budi', 'id', {now}, {now}),
             ({SPONSOR_C}, 'Citra', 'id', {now}, {now}), ({CAMAT}, 'Camat', 'id', {now}, {now})"
        ),
        format!(
            "INSERT INTO sponsors (user_id, full_name, phone, office_id, kecamatan_code, capacity, status,
                 submitted_at, decided_by, decided_at) VALUES
             ({SPONSOR_A}, 'Ani Saputra', '081299990001', 901, '74.71.01', 3, 'approved', {now}, {ADMIN_ID}, {now}),
             ({SPONSOR_B}, 'Budi Wijaya', '081299990002', 902, '74.71.02', 3, 'approved', {now}, {ADMIN_ID}, {now}),
             ({SPONSOR_C}, 'Citra Lestari', '081299990003', NULL, '74.72.01', 3, 'approved', {now}, {ADMIN_ID}, {now})"
        ),
        format!(
            "INSERT INTO coordinators (user_id, scope_code, granted_at) VALUES ({CAMAT}, '74.71.01', {now})"
        ),
    ];
    // Children: (id, name, kecamatan, puskesmas, status, NIK, address).
    let children = [
        (
            1,
            "Siti Aminah",
            "74.71.01",
            Some("Puskesmas Mandonga"),
            "matched",
        ),
        (
            2,
            "Rudi Hartono",
            "74.71.01",
            Some("PUSKESMAS  mandonga"),
            "matched",
        ),
        (
            3,
            "Dewi Lestari",
            "74.71.02",
            Some("Puskesmas Kadia"),
            "matched",
        ),
        (4, "Agus Salim", "74.71.02", None, "unmatched"),
        (
            5,
            "Wati Baubau",
            "74.72.01",
            Some("Puskesmas Betoambari"),
            "matched",
        ),
    ];
    for (id, name, kec, pkm, status) in children {
        let pkm = pkm.map_or("NULL".to_owned(), |p| format!("'{p}'"));
        sql.push(format!(
            "INSERT INTO children (id, full_name, sex, birth_date, guardian_name, kecamatan_code, puskesmas,
                 nik, address, guardian_phone, identity_key, fingerprint, status, haz_milli, waiting_since, created_at, updated_at)
             VALUES ({id}, '{name}', 'f', '2024-03-15', 'Ibu {id}', '{kec}', {pkm}, '747101010101000{id}',
                 'Jl. Melati {id}', '08129999000{id}', 'key-{id}', 'fp-{id}', '{status}', -2500,
                 {now} - {id} * {day}, {now}, {now})"
        ));
    }
    // Active sponsorships, started 90 days ago: children 1, 2 with A (Dinas Kesehatan), 3 with B (DPPKB),
    // 5 with C (community).
    let started = now - 90 * day;
    for (id, child, sponsor) in [
        (1, 1, SPONSOR_A),
        (2, 2, SPONSOR_A),
        (3, 3, SPONSOR_B),
        (4, 5, SPONSOR_C),
    ] {
        sql.push(format!(
            "INSERT INTO sponsorships (id, child_id, sponsor_id, status, origin, proposed_at, decided_at,
                 started_at, months, monthly_amount, deliverer)
             VALUES ({id}, {child}, {sponsor}, 'active', 'match', {started}, {started}, {started}, 6, 500000,
                 'sponsor')"
        ));
    }
    // Last month's deliveries: (id, sponsorship, child, sponsor, day, status, confirmed after its day starts).
    let hour = 3_600_000_i64;
    let rows: [Seeded; 11] = [
        (1, 1, 1, SPONSOR_A, 3, "confirmed", Some(10 * hour)),
        (2, 1, 1, SPONSOR_A, 10, "confirmed", Some(3 * day)),
        (3, 1, 1, SPONSOR_A, 17, "overdue", None),
        (4, 2, 2, SPONSOR_A, 3, "confirmed", Some(9 * hour)),
        (5, 2, 2, SPONSOR_A, 10, "missed", None),
        (6, 2, 2, SPONSOR_A, 17, "skipped", None),
        (7, 3, 3, SPONSOR_B, 3, "confirmed", Some(20 * hour)),
        (8, 3, 3, SPONSOR_B, 24, "overdue", None),
        (9, 3, 3, SPONSOR_B, 27, "cancelled", None),
        (10, 4, 5, SPONSOR_C, 3, "confirmed", Some(2 * hour)),
        (11, 4, 5, SPONSOR_C, 20, "overdue", None),
    ];
    for (id, sp, child, sponsor, d, status, confirmed) in rows {
        let due_on = on(d);
        let due_at = midnight(due_on);
        let confirmed = confirmed.map_or("NULL".to_owned(), |c| (due_at + c).to_string());
        sql.push(format!(
            "INSERT INTO deliveries (id, sponsorship_id, child_id, sponsor_id, slot, due_on, due_at, deliverer,
                 status, confirmed_at, created_at, updated_at, package_id)
             VALUES ({id}, {sp}, {child}, {sponsor}, '{due_on}', '{due_on}', {due_at}, 'sponsor', '{status}',
                 {confirmed}, {started}, {started}, (SELECT MIN(id) FROM packages))"
        ));
    }
    // Measurements: children 1 and 3 measured last month (1 stunted, 3 not).
    for (child, d, haz) in [(1, 5, -2600), (3, 6, -1500)] {
        sql.push(format!(
            "INSERT INTO measurements (child_id, measured_on, length_mm, position, haz_milli, source, created_at)
             VALUES ({child}, '{}', 800, 'lying', {haz}, 'import', {now})",
            on(d)
        ));
    }
    for s in sql {
        app.db.exec(&s).await;
    }
}

impl Dash {
    /// A new meeting link made in the chat by `user` (`/rapat` → "Tautan baru"), as the header that opens it.
    async fn new_link(&self, user: &TestUser) -> String {
        let list = self.app.say(user, "/rapat").await;
        let made = self.app.press(user, &list, "Tautan baru").await;
        let url = made
            .plain_text()
            .split_whitespace()
            .find(|w| w.starts_with(PUBLIC))
            .expect("url")
            .to_owned();
        format!("Meeting {}", url.split("#meeting=").nth(1).expect("token"))
    }

    /// The bot running with the dashboard on, the programme seeded.
    pub async fn start(extra: &[(&str, &str)]) -> Dash {
        let mut app = TestApp::new().await;
        let addr = free_addr();
        app.set_env("ASUH_PUBLIC_URL", PUBLIC);
        app.set_env("ASUH_LISTEN", &addr.to_string());
        for (k, v) in extra {
            app.set_env(k, v);
        }
        app.start().await;
        seed(&app).await;
        Dash {
            app,
            addr,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A request with `auth` (`Session …` or `Meeting …`): the status and the JSON answer.
    pub async fn get(&self, auth: &str, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .header("Authorization", auth)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        let text = r.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn post(&self, auth: &str, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .header("Authorization", auth)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        let text = r.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Signs in with `init_data` as the page does; the status and the answer.
    pub async fn sign_in(&self, init_data: &str) -> (u16, Value) {
        self.post("", "/app/api/session", &json!({ "init_data": init_data }))
            .await
    }

    /// A session of `user` (signed in with valid initData).
    pub async fn session(&self, user: i64) -> String {
        let (status, body) = self.sign_in(&init_data(user, FakeTelegram::TOKEN, 0)).await;
        assert_eq!(status, 200, "{body}\n{}", self.app.log_text());
        format!("Session {}", body["token"].as_str().expect("token"))
    }
}

/// initData for `user` as Telegram makes it for the bot with `token`, signed `age_secs` ago.
pub fn init_data(user: i64, token: &str, age_secs: i64) -> String {
    let auth_date = (Utc::now().timestamp() - age_secs).to_string();
    let user_json = format!(r#"{{"id":{user},"first_name":"Rina","language_code":"id"}}"#);
    let fields = [
        ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc"),
        ("user", user_json.as_str()),
        ("auth_date", auth_date.as_str()),
    ];
    let hash = sign_init_data(&fields, token);
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        out.append_pair(k, v);
    }
    out.append_pair("hash", &hash);
    out.finish()
}

fn period_query(p: Period) -> String {
    format!("period=custom&from={}&to={}", p.from(), p.to())
}

/// The report of a region and period, built the way `/laporan` builds it.
async fn report_of(dash: &Dash, region: Option<&str>, p: Period) -> asuh::domain::report::Report {
    let db = Db::connect(&dash.app.db.url).await.expect("db");
    let scope = Scope::from_code(region.map(|c| RegionCode::parse(c).expect("code")));
    let report = asuh::services::reports::build(
        &db,
        &scope,
        p,
        chrono_tz::Asia::Jakarta,
        Utc::now(),
        chrono::Duration::days(14),
    )
    .await
    .expect("report");
    db.close().await;
    report
}

fn office_json(row: &asuh::domain::report::OfficeRow) -> Value {
    json!({
        "name": row.office.as_ref().map(|o| o.name.clone()),
        "sponsors": row.sponsors, "children": row.children, "due": row.counts.due,
        "on_time": row.counts.on_time, "late": row.counts.late, "overdue": row.counts.overdue,
        "missed": row.counts.missed,
    })
}

#[tokio::test]
async fn the_dashboards_figures_are_the_reports() {
    let dash = Dash::start(&[]).await;
    let admin = dash.session(ADMIN_ID).await;
    let p = last_month();
    for region in [None, Some("74.71"), Some("74.71.01"), Some("74.72")] {
        let q = match region {
            Some(r) => format!("{}&region={r}", period_query(p)),
            None => period_query(p),
        };
        let (status, d) = dash.get(&admin, &format!("/app/api/dashboard?{q}")).await;
        assert_eq!(status, 200, "{d}");
        let report = report_of(&dash, region, p).await;
        let offices: Vec<Value> = report.offices.iter().map(office_json).collect();
        assert_eq!(d["offices"], json!(offices), "{region:?}");
        assert_eq!(d["community"], office_json(&report.community), "{region:?}");
        assert_eq!(d["total"], office_json(&report.total), "{region:?}");
        let c = &report.total.counts;
        assert_eq!(d["deliveries"]["due"], json!(c.due));
        assert_eq!(d["deliveries"]["on_time"], json!(c.on_time));
        assert_eq!(d["deliveries"]["late"], json!(c.late));
        assert_eq!(
            d["deliveries"]["overdue"].as_u64().unwrap_or(99)
                + d["deliveries"]["missed"].as_u64().unwrap_or(99),
            c.overdue + c.missed
        );
        assert_eq!(
            d["children"]["registered"],
            json!(report.puskesmas.total.registered)
        );
        assert_eq!(
            d["children"]["sponsored"],
            json!(report.puskesmas.total.sponsored)
        );
        let pkm: Vec<(Option<String>, u64, u64)> = report
            .puskesmas
            .rows
            .iter()
            .map(|r| (r.name.clone(), r.registered, r.counts.due))
            .collect();
        let got: Vec<(Option<String>, u64, u64)> = d["puskesmas"]
            .as_array()
            .expect("puskesmas")
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().map(str::to_owned),
                    r["registered"].as_u64().unwrap_or(0),
                    r["due"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(got, pkm, "{region:?}");
    }
    // The seeded figures themselves, for Kota Kendari: 8 deliveries due (skipped and cancelled are not),
    // 3 on time, 1 late; Dinas Kesehatan has 2 children, DPPKB 1; "Puskesmas Mandonga" written two ways
    // is one row.
    let (_, d) = dash
        .get(
            &admin,
            &format!("/app/api/dashboard?{}&region=74.71", period_query(p)),
        )
        .await;
    assert_eq!(d["deliveries"]["due"], json!(7), "{d}");
    assert_eq!(d["deliveries"]["on_time"], json!(3), "{d}");
    assert_eq!(d["deliveries"]["late"], json!(1), "{d}");
    assert_eq!(d["offices"][0]["name"], json!("Dinas Kesehatan"), "{d}");
    assert_eq!(d["offices"][0]["children"], json!(2), "{d}");
    assert_eq!(d["children"]["registered"], json!(4), "{d}");
    assert_eq!(d["children"]["waiting"], json!(1), "{d}");
    assert_eq!(d["puskesmas"][0]["registered"], json!(1), "{d}");
    assert_eq!(
        d["puskesmas"][1]["name"],
        json!("PUSKESMAS mandonga"),
        "{d}"
    );
    assert_eq!(d["puskesmas"][1]["registered"], json!(2), "{d}");
    assert_eq!(d["stunted"][0]["measured"], json!(2), "{d}");
    assert_eq!(d["stunted"][0]["stunted"], json!(1), "{d}");
    assert_eq!(d["waiting"][0]["name"], json!("Agus Salim"), "{d}");
    // Each figure opens its list: the overdue ones are the deliveries the report calls overdue.
    let (status, list) = dash
        .get(
            &admin,
            &format!(
                "/app/api/list?kind=on_time&{}&region=74.71",
                period_query(p)
            ),
        )
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], json!(3), "{list}");
    let children: Vec<&str> = list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r[1].as_str())
        .collect();
    // In the report's order: by kecamatan, then name.
    assert_eq!(children, ["Rudi Hartono", "Siti Aminah", "Dewi Lestari"]);
    // The report button queues the same report as /laporan, for the coordinator's chat.
    let (status, _) = dash
        .post(
            &admin,
            &format!("/app/api/report?{}&region=74.71", period_query(p)),
            &json!({}),
        )
        .await;
    assert_eq!(status, 202);
    assert_eq!(
        dash.app
            .db
            .scalar(&format!(
                "SELECT COUNT(*) FROM report_jobs WHERE requested_by = {ADMIN_ID} AND chat_id = {ADMIN_ID}
                 AND region_code = '74.71' AND from_date = '{}'",
                p.from()
            ))
            .await,
        1
    );
    dash.app.assert_spec_clean();
}

#[tokio::test]
async fn a_scoped_coordinator_cannot_reach_another_region() {
    let dash = Dash::start(&[]).await;
    let camat = dash.session(CAMAT).await;
    let p = last_month();
    // Without a region: their own kecamatan.
    let (status, d) = dash
        .get(&camat, &format!("/app/api/dashboard?{}", period_query(p)))
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["region"], json!("74.71.01"));
    assert_eq!(d["children"]["registered"], json!(2), "{d}");
    let names: Vec<&str> = d["regions"]
        .as_array()
        .expect("regions")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert_eq!(names, ["74.71.01"], "only their own region is offered");
    // Every other region, by every route: refused, and nothing of it in the answer.
    for region in [
        "74.71", "74.71.02", "74.72", "74.72.01", "74", "7", "74.71.0",
    ] {
        for path in [
            format!("/app/api/dashboard?{}&region={region}", period_query(p)),
            format!(
                "/app/api/list?kind=overdue&{}&region={region}",
                period_query(p)
            ),
            format!("/app/api/list?kind=waiting&period=tm&region={region}"),
        ] {
            let (status, body) = dash.get(&camat, &path).await;
            assert!(status == 403 || status == 400, "{path}: {status} {body}");
            let text = body.to_string();
            assert!(
                !text.contains("Dewi") && !text.contains("Wati") && !text.contains("Agus"),
                "{text}"
            );
        }
        let (status, _) = dash
            .post(
                &camat,
                &format!("/app/api/report?period=lm&region={region}"),
                &json!({}),
            )
            .await;
        assert!(
            status == 403 || status == 400,
            "report of {region}: {status}"
        );
    }
    assert_eq!(
        dash.app.db.scalar("SELECT COUNT(*) FROM report_jobs").await,
        0
    );
    // Re-scoped while the page is open: the same session now sees Kadia, and no longer Mandonga.
    dash.app
        .db
        .exec(&format!(
            "UPDATE coordinators SET scope_code = '74.71.02' WHERE user_id = {CAMAT}"
        ))
        .await;
    let (status, d) = dash
        .get(&camat, &format!("/app/api/dashboard?{}", period_query(p)))
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["region"], json!("74.71.02"));
    let (status, _) = dash
        .get(
            &camat,
            &format!("/app/api/dashboard?{}&region=74.71.01", period_query(p)),
        )
        .await;
    assert_eq!(status, 403);
    // Revoked: nothing at all.
    dash.app
        .db
        .exec(&format!("DELETE FROM coordinators WHERE user_id = {CAMAT}"))
        .await;
    let (status, body) = dash
        .get(&camat, &format!("/app/api/dashboard?{}", period_query(p)))
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], json!("dash-error-denied"));
}

#[tokio::test]
async fn sponsors_and_forged_init_data_are_refused() {
    let dash = Dash::start(&[("ASUH_DASHBOARD_AUTH_SECS", "600")]).await;
    // A sponsor, with initData Telegram really signed for them: no dashboard.
    let (status, body) = dash
        .sign_in(&init_data(SPONSOR_A, FakeTelegram::TOKEN, 0))
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], json!("dash-error-denied"));
    assert!(body.get("token").is_none());
    // The coordinator's own initData, changed to name someone else: the hash no longer matches.
    let mine = init_data(SPONSOR_A, FakeTelegram::TOKEN, 0);
    let forged = mine.replace(&SPONSOR_A.to_string(), &ADMIN_ID.to_string());
    let (status, body) = dash.sign_in(&forged).await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("dash-error-init-data"))
    );
    // Signed by another bot's token.
    let (status, body) = dash
        .sign_in(&init_data(ADMIN_ID, "654321:ANOTHER-BOT", 0))
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("dash-error-init-data"))
    );
    // Older than ASUH_DASHBOARD_AUTH_SECS.
    let (status, body) = dash
        .sign_in(&init_data(ADMIN_ID, FakeTelegram::TOKEN, 601))
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("dash-error-expired"))
    );
    // No session, or a made-up one.
    for auth in ["", "Session 0123", "Bearer x", "Meeting 1.2.3"] {
        let (status, _) = dash.get(auth, "/app/api/dashboard").await;
        assert_eq!(status, 401, "{auth}");
    }
    assert_eq!(
        dash.app
            .db
            .scalar("SELECT COUNT(*) FROM dashboard_sessions")
            .await,
        0
    );
    // The page itself loads without any external asset.
    let page = dash.http.get(dash.url("/app")).send().await.expect("page");
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let html = page.text().await.expect("html");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        !html.contains("telegram.org") && !html.contains("http://") && !html.contains("https://")
    );
    assert!(html.contains("Keroyokan per OPD") && html.contains("Offices (keroyokan)"));
}

#[tokio::test]
async fn meeting_links_are_read_only_listed_and_revocable() {
    let dash = Dash::start(&[]).await;
    let admin = dash.app.admin();
    let list = dash.app.say(&admin, "/rapat").await;
    assert!(
        list.plain_text().contains("Belum ada tautan rapat"),
        "{}",
        list.plain_text()
    );
    let made = dash.app.press(&admin, &list, "Tautan baru").await;
    let text = made.plain_text();
    assert!(text.contains("Tautan rapat #1"), "{text}");
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with(PUBLIC))
        .expect("the link's URL")
        .to_owned();
    assert!(
        url.starts_with(&format!("{PUBLIC}/app#meeting=1.")),
        "{url}"
    );
    assert!(
        made.button_data("Cabut #1").is_some(),
        "{:?}",
        made.buttons()
    );
    let token = url.split("#meeting=").nth(1).expect("token").to_owned();
    let meeting = format!("Meeting {token}");

    // The whole programme's screen, read-only, with no phone number, NIK or address anywhere.
    let p = last_month();
    let (status, d) = dash
        .get(&meeting, &format!("/app/api/dashboard?{}", period_query(p)))
        .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["read_only"], json!(true));
    assert_eq!(d["deliveries"]["due"], json!(9), "{d}");
    let mut seen = d.to_string();
    for kind in ["due", "overdue", "waiting", "cases", "on_time"] {
        let (status, l) = dash
            .get(
                &meeting,
                &format!("/app/api/list?kind={kind}&{}", period_query(p)),
            )
            .await;
        assert_eq!(status, 200, "{kind}: {l}");
        seen.push_str(&l.to_string());
    }
    for secret in SECRETS {
        assert!(
            !seen.contains(secret),
            "{secret} shown on the meeting screen"
        );
    }
    let (status, body) = dash
        .post(&meeting, "/app/api/report?period=lm", &json!({}))
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (403, json!("dash-error-read-only"))
    );

    // A changed token (another id, a later expiry) is refused.
    let parts: Vec<&str> = token.split('.').collect();
    let later = format!(
        "Meeting {}.{}.{}",
        parts[0],
        parts[1].parse::<i64>().expect("expiry") + 86_400,
        parts[2]
    );
    let (status, body) = dash.get(&later, "/app/api/dashboard").await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("dash-error-link"))
    );

    // Listed in the chat, then revoked there: refused from the next request on.
    let list = dash.app.say(&admin, "/rapat").await;
    assert!(list.plain_text().contains("#1"), "{}", list.plain_text());
    let revoked = dash.app.press(&admin, &list, "Cabut #1").await;
    assert!(
        revoked.plain_text().contains("dicabut"),
        "{}",
        revoked.plain_text()
    );
    assert!(
        revoked.plain_text().contains("Belum ada tautan rapat"),
        "{}",
        revoked.plain_text()
    );
    let (status, body) = dash.get(&meeting, "/app/api/dashboard").await;
    assert_eq!(
        (status, body["error"].clone()),
        (401, json!("dash-error-link-revoked"))
    );

    // A whole-programme link of a coordinator given a region later shows that region only.
    let whole = dash.new_link(&admin).await;
    dash.app
        .db
        .exec(&format!(
            "UPDATE coordinators SET scope_code = '74.72' WHERE user_id = {ADMIN_ID}"
        ))
        .await;
    let (status, d) = dash.get(&whole, "/app/api/dashboard?period=lm").await;
    assert_eq!((status, d["region"].clone()), (200, json!("74.72")), "{d}");
    let (status, _) = dash
        .get(&whole, "/app/api/dashboard?period=lm&region=74.71")
        .await;
    assert_eq!(status, 403);

    // A link of a kecamatan coordinator stays in their kecamatan, and dies with their role.
    let camat = TestUser::new(CAMAT, "Camat", Some("id"));
    let camat_link = dash.new_link(&camat).await;
    let (status, d) = dash.get(&camat_link, "/app/api/dashboard?period=lm").await;
    assert_eq!((status, d["region"].clone()), (200, json!("74.71.01")));
    let (status, _) = dash
        .get(&camat_link, "/app/api/dashboard?period=lm&region=74.71")
        .await;
    assert_eq!(status, 403);
    dash.app
        .db
        .exec(&format!("DELETE FROM coordinators WHERE user_id = {CAMAT}"))
        .await;
    let (status, _) = dash.get(&camat_link, "/app/api/dashboard?period=lm").await;
    assert_eq!(status, 403);
    assert_eq!(
        dash.app
            .db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'meeting_link.%'")
            .await,
        4
    );
    dash.app.assert_spec_clean();
}

#[tokio::test]
async fn coordinators_get_the_dashboard_button_and_help_says_so() {
    let dash = Dash::start(&[("ASUH_DIGESTS", "on")]).await;
    let admin = dash.app.admin();
    let help = dash.app.say(&admin, "/bantuan").await;
    assert!(
        help.plain_text().contains("📊 Dasbor"),
        "{}",
        help.plain_text()
    );
    // The menu button of the coordinator's chat opens the Mini App.
    let mut button = Value::Null;
    for _ in 0..100 {
        button = dash.app.tg.menu_button(ADMIN_ID);
        if button["type"] == json!("web_app") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(button["type"], json!("web_app"), "{button}");
    assert_eq!(button["web_app"]["url"], json!(format!("{PUBLIC}/app")));
    // A sponsor who writes gets no such button.
    let sponsor = TestUser::new(SPONSOR_B, "Budi", Some("id"));
    dash.app.say(&sponsor, "/saya").await;
    assert_eq!(dash.app.tg.menu_button(SPONSOR_B)["type"], json!("default"));
    // The daily digest in the private chat carries the dashboard's button.
    let tomorrow = Utc::now().date_naive() + Days::days(1);
    dash.app.tick(&format!("{tomorrow}T07:00:00+07:00")).await;
    let digest = expect(&dash.app, ADMIN_ID, "Ringkasan").await;
    assert!(
        digest
            .buttons()
            .iter()
            .any(|(text, url)| text.contains("Dasbor") && url == &format!("{PUBLIC}/app")),
        "{:?}",
        digest.buttons()
    );
    dash.app.assert_spec_clean();
}

#[tokio::test]
async fn without_a_public_url_the_dashboard_is_off_and_help_says_how() {
    let app = TestApp::spawn().await;
    let admin = app.admin();
    let help = app.say(&admin, "/bantuan").await;
    assert!(
        help.plain_text().contains("ASUH_PUBLIC_URL"),
        "{}",
        help.plain_text()
    );
    let meeting = app.say(&admin, "/rapat").await;
    assert!(
        meeting.plain_text().contains("ASUH_PUBLIC_URL"),
        "{}",
        meeting.plain_text()
    );
    assert_eq!(app.tg.menu_button(ADMIN_ID)["type"], json!("default"));
}

/// Headless Chromium (`chromium` from Debian, or `ASUH_CHROMIUM`), if installed.
fn chromium() -> Option<String> {
    let candidates = std::env::var("ASUH_CHROMIUM")
        .ok()
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(str::to_owned));
    candidates.into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Where the browser test keeps its screenshots: `target/dashboard-screenshots/`.
fn artifacts() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("dashboard-screenshots");
    std::fs::create_dir_all(&dir).expect("artifact directory");
    dir
}

/// Runs headless Chromium on `url` at a phone's size with `what` (`--dump-dom` or `--screenshot=…`):
/// what it printed, and the console lines of its log.
async fn browse(browser: &str, url: &str, what: &str) -> (String, Vec<String>) {
    browse_at(browser, url, what, "390,844").await
}

/// [`browse`] with another window size (`width,height`).
async fn browse_at(browser: &str, url: &str, what: &str, size: &str) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().expect("profile");
    let mut cmd = std::process::Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--virtual-time-budget=15000",
        "--timeout=60000",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--window-size={size}"))
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(what)
    .arg(url);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("chromium's thread")
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&out.stderr).into_owned();
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// A real browser opens the dashboard as Telegram opens a Mini App — initData and the theme in the URL's
/// fragment — on a phone-sized screen, in the light and the dark theme: the office table and the charts
/// are drawn, nothing is logged to the console, and a screenshot of each is kept in
/// `target/dashboard-screenshots/`.
#[tokio::test]
async fn a_browser_draws_the_dashboard_in_both_themes() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (.ci/run does)"
        );
        eprintln!(
            "\n!!!!!!!!\n!!! SKIPPED the browser test: no chromium here. Install it with \
             `apt-get install -y chromium chromium-driver` (CI does).\n!!!!!!!!\n"
        );
        return;
    };
    let dash = Dash::start(&[]).await;
    let themes = [
        (
            "light",
            json!({"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#999999",
                   "link_color": "#2481cc", "button_color": "#2481cc", "button_text_color": "#ffffff",
                   "secondary_bg_color": "#efeff3"}),
        ),
        (
            "dark",
            json!({"bg_color": "#212d3b", "text_color": "#ffffff", "hint_color": "#7d8b99",
                   "link_color": "#5eabe1", "button_color": "#5288c1", "button_text_color": "#ffffff",
                   "secondary_bg_color": "#1d2733"}),
        ),
    ];
    for (name, theme) in themes {
        // A fresh initData each time: Telegram gives the page one when it opens.
        let mut fragment = url::form_urlencoded::Serializer::new(String::new());
        fragment.append_pair("tgWebAppData", &init_data(ADMIN_ID, FakeTelegram::TOKEN, 0));
        fragment.append_pair("tgWebAppVersion", "8.0");
        fragment.append_pair("tgWebAppPlatform", "android");
        fragment.append_pair("tgWebAppThemeParams", &theme.to_string());
        let url = format!("{}#{}", dash.url("/app?period=lm"), fragment.finish());

        let (dom, console) = browse(&browser, &url, "--dump-dom").await;
        assert!(
            dom.contains("data-ready=\"1\""),
            "{name}: the page did not finish drawing\n{dom}\n{console:#?}\nlog:\n{}",
            dash.app.log_text()
        );
        assert!(
            !dom.contains("data-errors"),
            "{name}: a script error\n{console:#?}"
        );
        assert!(console.is_empty(), "{name}: console output {console:#?}");
        // The office table with its rows, and the charts.
        assert!(dom.contains("id=\"offices\""), "{name}");
        assert!(
            dom.contains("Dinas Kesehatan") && dom.contains("DPPKB"),
            "{name}"
        );
        assert!(
            dom.contains("Masyarakat umum") && dom.contains("Total"),
            "{name}"
        );
        for chart in ["chart-deliveries", "chart-kecamatan", "chart-stunted"] {
            let at = dom
                .find(&format!("id=\"{chart}\""))
                .unwrap_or_else(|| panic!("{name}: no {chart}"));
            assert!(dom[at..].contains("<rect"), "{name}: {chart} has no bars");
        }
        if name == "dark" {
            assert!(
                dom.contains("class=\"themed dark\""),
                "{name}: the dark theme was not applied"
            );
        }

        let shot = artifacts().join(format!("dashboard-{name}-390x844.png"));
        let _ = std::fs::remove_file(&shot);
        let (_, console) =
            browse(&browser, &url, &format!("--screenshot={}", shot.display())).await;
        assert!(console.is_empty(), "{name}: console output {console:#?}");
        let png = std::fs::read(&shot).expect("screenshot written");
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{name}: {} bytes",
            png.len()
        );
        eprintln!("screenshot: {}", shot.display());
        // The whole page at the phone's width, for reading (the README's picture is one of these).
        let whole = artifacts().join(format!("dashboard-{name}-390-whole.png"));
        let (_, console) = browse_at(
            &browser,
            &url,
            &format!("--screenshot={}", whole.display()),
            "390,2400",
        )
        .await;
        assert!(console.is_empty(), "{name}: console output {console:#?}");
        assert!(whole.exists(), "{name}: whole-page screenshot");
    }
    // The first view (page, script, style) stays under 200 KB.
    let mut bytes = 0;
    for path in ["/app", "/app/app.js", "/app/app.css"] {
        bytes += dash
            .http
            .get(dash.url(path))
            .send()
            .await
            .expect("asset")
            .bytes()
            .await
            .expect("bytes")
            .len();
    }
    assert!(bytes < 200_000, "first view {bytes} bytes");
}
