//! Load generator and benchmark for the update path: many users write at once through the fake Telegram;
//! measures how fast the real binary stores and handles updates (inbox → handlers → outbox), how fast the
//! replies drain within Telegram's 30 messages/second ceiling, and the bot's peak memory.
//!
//! Run: `cargo bench --bench updates` (SQLite), or with `ASUH_TEST_DATABASE_URL=postgres://…` for PostgreSQL.
//! `ASUH_BENCH_USERS` sets how many users write (default 2000), each sending /start then /saya.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::{TestApp, TestUser};

#[tokio::main]
async fn main() {
    let users: i64 = std::env::var("ASUH_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut app = TestApp::new().await;
    app.set_env("RUST_LOG", "warn");
    app.start().await;
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    let started = Instant::now();
    for i in 0..users {
        let user = TestUser::new(
            1_000_000 + i,
            "Pengguna",
            Some(if i % 3 == 0 { "en" } else { "id" }),
        );
        app.tg.send_text(&user, "/start");
        app.tg.send_text(&user, "/saya");
    }
    let updates = users * 2;
    let handled_at = loop {
        let handled = app
            .db
            .scalar("SELECT COUNT(*) FROM inbox WHERE processed_at IS NOT NULL")
            .await;
        if handled >= updates {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "only {handled} of {updates} handled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let retried = app
        .db
        .scalar("SELECT COUNT(*) FROM inbox WHERE attempts > 0")
        .await;
    let sent_at = loop {
        let sent = app
            .db
            .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND chat_id > 0")
            .await;
        if sent >= updates {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(900),
            "only {sent} of {updates} sent"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let peak_kib = app.peak_memory_kib();
    let too_many = app
        .tg
        .calls("sendMessage")
        .iter()
        .filter(|c| c.status == 429)
        .count();
    app.terminate().await;

    println!("backend: {backend}, users: {users}, updates: {updates}");
    println!(
        "handled: {updates} updates in {:.2} s = {:.0} updates/s",
        handled_at.as_secs_f64(),
        updates as f64 / handled_at.as_secs_f64()
    );
    println!(
        "sent: {updates} replies in {:.2} s = {:.1} messages/s (ceiling 30/s), 429s: {too_many}",
        sent_at.as_secs_f64(),
        updates as f64 / sent_at.as_secs_f64()
    );
    println!("updates that needed another attempt: {retried}");
    println!(
        "peak memory of the bot: {:.1} MiB",
        peak_kib as f64 / 1024.0
    );
}
