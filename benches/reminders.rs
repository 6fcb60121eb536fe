//! Benchmark of the reminder path with 100,000 active sponsorships (weekly deliveries, spread over the
//! seven weekdays): planning 60 days of deliveries, generating one day's reminders, then draining the first
//! 3,000 messages through the fake Telegram with its rate limits on, with the real binary (`asuh tick`).
//!
//! Run: `cargo bench --bench reminders` (SQLite), or with `ASUH_TEST_DATABASE_URL=postgres://…` for
//! PostgreSQL. `ASUH_BENCH_SPONSORSHIPS` (default 100000) and `ASUH_BENCH_DRAIN` (default 3000) change the
//! sizes.

#[path = "../tests/support/mod.rs"]
mod support;

use asuh::jobs::scheduler;
use asuh::services::deliveries::{self, Settings};
use asuh::store::Db;
use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use std::time::{Duration, Instant};
use support::{TestApp, TestUser, env_or, status_kib};

/// Peak resident memory (VmHWM) of a process, in MiB.
fn peak_mib(pid: u32) -> f64 {
    status_kib(pid, "VmHWM:") as f64 / 1024.0
}

fn wita(date: chrono::NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
    chrono_tz::Asia::Makassar
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

async fn seed(db: &Db, n: i64, started: i64) {
    let now = Utc::now().timestamp_millis();
    let seq = format!(
        "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {})",
        n - 1
    );
    let mut statements = support::bench_area_and_package(now);
    statements.extend([
        format!(
            "INSERT INTO cadences (id, name, spec, created_at) VALUES
             (1, 'Senin', 'weekly:mon', {now}), (2, 'Selasa', 'weekly:tue', {now}),
             (3, 'Rabu', 'weekly:wed', {now}), (4, 'Kamis', 'weekly:thu', {now}),
             (5, 'Jumat', 'weekly:fri', {now}), (6, 'Sabtu', 'weekly:sat', {now}),
             (7, 'Minggu', 'weekly:sun', {now})"
        ),
        format!(
            "INSERT INTO users (id, first_name, language, created_at, updated_at)
             {seq} SELECT 2000000 + i, 'Sponsor', 'id', {now}, {now} FROM seq"
        ),
        format!(
            "INSERT INTO children (id, full_name, sex, birth_date, guardian_name, kecamatan_code, identity_key,
                 fingerprint, status, waiting_since, created_at, updated_at)
             {seq} SELECT 1 + i, 'Anak Bench', 'f', '2024-01-01', 'Ibu', '74.71.01', 'bench-' || i,
                 'bench-' || i, 'matched', {now}, {now}, {now} FROM seq"
        ),
        format!(
            "INSERT INTO sponsorships (id, child_id, sponsor_id, status, origin, proposed_at, started_at, months,
                 monthly_amount, package_id, cadence_id, deliverer)
             {seq} SELECT 1 + i, 1 + i, 2000000 + i, 'active', 'manual', {started}, {started}, 6, 500000, 1,
                 1 + (i % 7), 'sponsor' FROM seq"
        ),
    ]);
    let mut conn = db.conn().await.expect("connection");
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .expect("seed");
    }
}

/// PostgreSQL's statistics, as autovacuum gathers them on a live database within a minute of a large change
/// (seeding writes 100,000 rows in seconds, before it looks): without them the planner guesses.
async fn analyze(db: &Db) {
    if db.backend() == asuh::store::Backend::Postgres {
        let mut conn = db.conn().await.expect("connection");
        sqlx::query("ANALYZE")
            .execute(&mut *conn)
            .await
            .expect("analyze");
    }
}

#[tokio::main]
async fn main() {
    let n = env_or("ASUH_BENCH_SPONSORSHIPS", 100_000);
    let drain = env_or("ASUH_BENCH_DRAIN", 3_000);
    let mut app = TestApp::new().await;
    app.set_env("RUST_LOG", "warn");
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let migrated = app.cli(&["migrate"]);
    assert!(migrated.status.success(), "{migrated:?}");
    let db = Db::connect(&app.db.url).await.expect("database");

    // A day ten days from now, so that every time involved is ahead of the real clock.
    let day = Utc::now().date_naive() + Days::new(10);
    let plan_at = wita(day - Days::new(5), 9, 0);
    let seeding = Instant::now();
    seed(
        &db,
        n,
        (plan_at - chrono::Duration::days(30)).timestamp_millis(),
    )
    .await;
    println!(
        "backend: {backend}, sponsorships: {n} (seeded in {:.1} s)",
        seeding.elapsed().as_secs_f64()
    );
    let settings = Settings {
        default_zone: chrono_tz::Asia::Makassar,
        ..Settings::default()
    };

    analyze(&db).await;
    let planning = Instant::now();
    let planned = deliveries::extend_plans(&db, &settings, plan_at)
        .await
        .expect("plan");
    println!(
        "planning 60 days: {planned} deliveries in {:.1} s = {:.0} deliveries/s",
        planning.elapsed().as_secs_f64(),
        planned as f64 / planning.elapsed().as_secs_f64()
    );
    analyze(&db).await;
    // Up to the evening before: what earlier days would have sent.
    scheduler::tick(
        &db,
        &scheduler::Jobs::new(settings.clone()),
        wita(day - Days::new(1), 23, 0),
    )
    .await
    .expect("catch up");
    let mut conn = db.conn().await.expect("connection");
    sqlx::query("UPDATE outbox SET status = 'sent' WHERE status = 'pending'")
        .execute(&mut *conn)
        .await
        .expect("clear");
    drop(conn);

    // The day: at 08:00 the "3 days before", "morning of" and "2 days late" reminders all come due.
    let morning = wita(day, 8, 0);
    let generating = Instant::now();
    let pass = scheduler::tick(&db, &scheduler::Jobs::new(settings.clone()), morning)
        .await
        .expect("the day's pass");
    let generate_s = generating.elapsed().as_secs_f64();
    let queued = app
        .db
        .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        .await;
    println!(
        "one day's reminders: {} deliveries reminded, {queued} messages queued in {generate_s:.2} s (calendar moved {} rows)",
        pass.reminded, pass.calendar
    );
    println!(
        "bench process peak memory (seeding, planning, the day's pass, fake Telegram): {:.1} MiB",
        peak_mib(std::process::id())
    );

    // Drain through the real binary with Telegram's limits on.
    for i in 0..n {
        app.tg
            .add_private_chat(&TestUser::new(2_000_000 + i, "Sponsor", Some("id")));
    }
    app.tg.set_rate_limits(true);
    let at = morning.to_rfc3339();
    let started = Instant::now();
    let mut child = app.spawn_cli(&["tick", "--at", &at]);
    let mut first_at = None;
    let mut peak = 0.0f64;
    let finished = loop {
        let sent = app
            .db
            .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND sent_at IS NOT NULL AND chat_id > 0")
            .await;
        peak = peak.max(peak_mib(child.id()));
        if first_at.is_none() && sent >= 100 {
            first_at = Some((started.elapsed(), sent));
        }
        if sent >= drain {
            break (started.elapsed(), sent);
        }
        assert!(
            started.elapsed() < Duration::from_secs(900),
            "only {sent} sent; log:\n{}",
            app.log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = child.kill();
    let _ = child.wait();
    let (t0, s0) = first_at.unwrap_or((Duration::ZERO, 0));
    let (t1, s1) = finished;
    let too_many = app
        .tg
        .calls("sendMessage")
        .iter()
        .filter(|c| c.status == 429)
        .count();
    println!(
        "drained: {s1} messages in {:.1} s = {:.1} messages/s overall; sustained (after the first {s0}): {:.1} messages/s (ceiling 30/s); 429s: {too_many}",
        t1.as_secs_f64(),
        s1 as f64 / t1.as_secs_f64(),
        (s1 - s0) as f64 / (t1 - t0).as_secs_f64()
    );
    println!("peak memory of asuh tick while draining: {peak:.1} MiB");
    db.close().await;
}
