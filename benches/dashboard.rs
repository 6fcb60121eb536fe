//! Benchmark of the coordinators' dashboard (issue 18) on the province of the digest benchmark: 100,000
//! children and 5,000,000 deliveries by default, seeded by `benches/digest.rs`'s own `seed` (same sizes,
//! same environment variables). It times the server's work for one dashboard — the figures, tables and
//! lists of `services::dashboard::build`, written as the JSON the page receives — for a regency (74.01)
//! and a kecamatan (74.01.01), this month and the last three months, 20 runs each after a warm-up, and
//! prints min / median / p95 / max. The targets: a regency's p95 under 300 ms, a kecamatan's under
//! 100 ms, on SQLite and PostgreSQL.
//!
//! Run: `cargo bench --bench dashboard` (SQLite), or with
//! `ASUH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL.

#[path = "digest.rs"]
#[allow(dead_code)]
mod province;

use asuh::domain::Lang;
use asuh::domain::policy::Actor;
use asuh::domain::report::ReportPeriod;
use asuh::domain::role::{Roles, Scope};
use asuh::domain::{RegionCode, UserId};
use asuh::services::dashboard::{self, Query, Settings, Viewer};
use asuh::services::reports::{self, Detail};
use asuh::store::{self as store, Area, Db};
use province::support::{TestDb, env_or};
use std::time::{Duration, Instant};

const RUNS: usize = 20;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// min, median, p95, max.
fn stats(times: &[Duration]) -> [Duration; 4] {
    let mut t = times.to_vec();
    t.sort();
    let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    [t[0], at(0.5), at(0.95), t[t.len() - 1]]
}

struct Timed {
    label: String,
    p95: Duration,
    limit: Duration,
}

async fn time(
    db: &Db,
    settings: &Settings,
    viewer: &Viewer,
    region: &str,
    period: &str,
    now: chrono::DateTime<chrono::Utc>,
    limit: Duration,
) -> Timed {
    let q = Query {
        period: Some(period.to_owned()),
        region: Some(region.to_owned()),
        ..Query::default()
    };
    let mut bytes = 0;
    let mut figures = String::new();
    let mut times = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let started = Instant::now();
        let d = dashboard::build(db, settings, viewer, &q, now)
            .await
            .expect("dashboard");
        let json = serde_json::to_vec(&d).expect("json");
        let took = started.elapsed();
        if run == 0 {
            bytes = json.len();
            figures = format!(
                "{} children registered, {} deliveries due ({} on time), {} offices, {} kecamatan",
                d.children.registered,
                d.deliveries.due,
                d.deliveries.on_time,
                d.offices.len(),
                d.kecamatan.len()
            );
        } else {
            times.push(took);
        }
    }
    let [min, median, p95, max] = stats(&times);
    let label = format!("{region} {period}");
    // Of which the report's own build (the deliveries and sponsorships read and tallied).
    let scope = Scope::Region(RegionCode::parse(region).expect("code"));
    let today = now.with_timezone(&settings.default_zone).date_naive();
    let p = ReportPeriod::parse(period).expect("preset").period(today);
    let mut report_times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        reports::build_with(
            db,
            &scope,
            p,
            settings.default_zone,
            now,
            settings.missed_after,
            Detail::Figures,
        )
        .await
        .expect("report");
        report_times.push(started.elapsed());
    }
    let [_, report_median, _, _] = stats(&report_times);
    println!(
        "dashboard {label}: min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} runs; the report's build alone: median {:.1} ms of 5; JSON {:.1} KB; {figures})",
        ms(min),
        ms(median),
        ms(p95),
        ms(max),
        RUNS,
        ms(report_median),
        bytes as f64 / 1024.0
    );
    Timed { label, p95, limit }
}

#[tokio::main]
async fn main() {
    let sizes = province::Sizes {
        children: env_or("ASUH_BENCH_CHILDREN", 100_000).max(100),
        deliveries: env_or("ASUH_BENCH_DELIVERIES", 5_000_000).max(1000),
        sponsors: 0,
        confirmation_days: env_or("ASUH_BENCH_CONFIRMATION_DAYS", 120).max(1),
    };
    let sizes = province::Sizes {
        sponsors: env_or("ASUH_BENCH_SPONSORS", sizes.children * 3 / 5).max(10),
        ..sizes
    };
    let test_db = TestDb::new().await;
    let pg = test_db.is_postgres();
    let backend = if pg { "PostgreSQL" } else { "SQLite" };
    // ASUH_BENCH_SEEDED: the URL of a province seeded (and kept, ASUH_BENCH_KEEP_DB) by an earlier run, to
    // time again without seeding for minutes.
    let (url, now) = match std::env::var("ASUH_BENCH_SEEDED") {
        Ok(url) => {
            println!("== dashboard bench ({backend}): the province seeded in {url}");
            (url, province::Calendar::new(1).now)
        }
        Err(_) => {
            println!(
                "== dashboard bench ({backend}): seeding {} children, {} deliveries",
                sizes.children, sizes.deliveries
            );
            let started = Instant::now();
            let seed_db = Db::connect(&test_db.url).await.expect("database");
            seed_db.migrate().await.expect("migrate");
            let seeded = province::seed(&seed_db, pg, &sizes).await;
            seed_db.close().await;
            println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
            if let Ok(into) = std::env::var("ASUH_BENCH_KEEP_DB") {
                province::keep(&test_db, pg, &into).await;
            }
            (test_db.url.clone(), seeded.cal.now)
        }
    };
    let db = Db::connect(&url).await.expect("database");

    let settings = Settings {
        app_url: "https://asuh.example/app".to_owned(),
        init_max_age: chrono::Duration::hours(1),
        session_ttl: chrono::Duration::minutes(30),
        link_ttl: chrono::Duration::hours(4),
        default_zone: chrono_tz::Asia::Makassar,
        missed_after: chrono::Duration::days(14),
    };
    // The province's coordinator (seeded with scope 74), as a session would name them.
    let viewer = Viewer {
        actor: Actor {
            user: UserId(500_001),
            roles: Roles {
                coordinator: Some(Scope::Region(RegionCode::parse("74").expect("code"))),
                ..Roles::default()
            },
        },
        lang: Lang::Id,
        link: None,
    };
    let mut results = Vec::new();
    // As a live SQLite database is (nothing in asuh runs ANALYZE), then with statistics.
    if !pg {
        println!("\n-- without ANALYZE");
        for (region, limit) in [("74.01.01", 100), ("74.01", 300)] {
            time(
                &db,
                &settings,
                &viewer,
                region,
                "tm",
                now,
                Duration::from_millis(limit),
            )
            .await;
        }
    }
    let analyzed = province::analyze(&db, pg).await;
    println!("\n-- after ANALYZE ({:.1} s)", analyzed.as_secs_f64());
    for (region, period, limit) in [
        ("74.01.01", "tm", 100),
        ("74.01.01", "l3", 100),
        ("74.01", "tm", 300),
        ("74.01", "l3", 300),
    ] {
        results.push(
            time(
                &db,
                &settings,
                &viewer,
                region,
                period,
                now,
                Duration::from_millis(limit),
            )
            .await,
        );
    }
    // Where a regency's month goes, read by read (median of 3 each).
    let area = Area::from(&Scope::Region(RegionCode::parse("74.01").expect("code")));
    let today = now.with_timezone(&settings.default_zone).date_naive();
    let month = ReportPeriod::ThisMonth.period(today);
    let mut conn = db.conn().await.expect("connection");
    let mut parts = Vec::new();
    macro_rules! part {
        ($label:expr, $e:expr) => {{
            let mut t = Vec::new();
            for _ in 0..3 {
                let started = Instant::now();
                let _ = $e.await.expect($label);
                t.push(started.elapsed());
            }
            parts.push(format!("{} {:.1} ms", $label, ms(stats(&t)[1])));
        }};
    }
    part!(
        "coverage per kecamatan",
        store::digest::coverage_by_kecamatan(&mut conn, &area)
    );
    part!(
        "stunted per month",
        store::dashboard::stunted_by_month(
            &mut conn,
            &area,
            month.to() - chrono::Duration::days(365),
            month.to()
        )
    );
    part!(
        "growth changes",
        store::digest::growth_changes(&mut conn, &area, now - chrono::Duration::days(30), now)
    );
    part!(
        "waiting longest",
        store::dashboard::waiting_longest(&mut conn, &area, 10)
    );
    part!("open cases", store::digest::open_cases(&mut conn, &area));
    let quarter = ReportPeriod::parse("l3").expect("preset").period(today);
    part!(
        "the report's sponsorships (quarter)",
        store::reports::sponsorships(&mut conn, &area, i64::MAX, 0)
    );
    part!(
        "the report's deliveries (quarter)",
        store::reports::delivery_facts(&db, &area, quarter)
    );
    part!(
        "children per Puskesmas",
        store::digest::coverage_by_puskesmas(&mut conn, &area)
    );
    drop(conn);
    println!(
        "\n74.01 this month, the reads beside the report: {}",
        parts.join(", ")
    );

    println!();
    for r in &results {
        let met = r.p95 < r.limit;
        println!(
            "{backend} {}: p95 {:.1} ms (target < {} ms): {}",
            r.label,
            ms(r.p95),
            r.limit.as_millis(),
            if met { "met" } else { "NOT met" }
        );
    }
    db.close().await;
}
