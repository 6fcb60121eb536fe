//! Benchmark of receiving by webhook: `asuh run` replicas on one database absorb updates that the fake
//! Telegram posts to its webhook (as Telegram does: each chat's next update only after the previous one
//! was acknowledged, up to 40 requests in flight, through a round-robin proxy to the replicas). Measures
//! how fast updates are acknowledged (stored) and handled, and checks that each chat's updates were
//! handled in order, each once.
//!
//! Run: `ASUH_TEST_DATABASE_URL=postgres://… cargo bench --bench webhook` (three replicas; on SQLite, one).
//! `ASUH_BENCH_CHATS` (default 1000) people each send `ASUH_BENCH_EACH` (default 5) messages;
//! `ASUH_BENCH_REPLICAS` overrides the number of replicas.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};
use support::{TestApp, TestUser, env_or};

#[tokio::main]
async fn main() {
    let chats = env_or("ASUH_BENCH_CHATS", 1000);
    let each = env_or("ASUH_BENCH_EACH", 5);
    let mut app = TestApp::new().await;
    let postgres = app.db.is_postgres();
    let replicas = env_or("ASUH_BENCH_REPLICAS", if postgres { 3 } else { 1 });
    app.set_env("RUST_LOG", "warn");
    app.use_webhook(30);
    for _ in 0..replicas {
        app.start_replica().await;
    }
    let backend = if postgres { "PostgreSQL" } else { "SQLite" };
    let total = chats * each;

    let started = Instant::now();
    for k in 0..each {
        for c in 0..chats {
            let user = TestUser::new(2_000_000 + c, &format!("B{c}-{k:03}"), Some("id"));
            app.tg.send_text(&user, "/saya");
        }
    }
    let injected = started.elapsed();
    let mut acknowledged_at = None;
    let handled_at = loop {
        if acknowledged_at.is_none() && app.tg.pending_updates() == 0 {
            acknowledged_at = Some(started.elapsed());
        }
        let handled = app
            .db
            .scalar("SELECT COUNT(*) FROM inbox WHERE processed_at IS NOT NULL")
            .await;
        if handled >= total {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(900),
            "only {handled} of {total} handled"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let acknowledged_at = acknowledged_at.unwrap_or(handled_at);

    // Each chat's replies, in the order they were queued, name its updates 0, 1, 2 … once each.
    let mut seen: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in app
        .db
        .rows("SELECT CAST(chat_id AS TEXT), payload FROM outbox WHERE chat_id >= 2000000 ORDER BY id")
        .await
    {
        let chat: i64 = row[0].parse().expect("chat");
        let marker = format!("B{}-", chat - 2_000_000);
        if let Some(at) = row[1].find(&marker) {
            let k: i64 = row[1][at + marker.len()..at + marker.len() + 3]
                .parse()
                .expect("number");
            seen.entry(chat).or_default().push(k);
        }
    }
    let in_order = (0..chats)
        .filter(|c| seen.get(&(2_000_000 + c)) == Some(&(0..each).collect::<Vec<_>>()))
        .count();
    let failed_deliveries = app
        .tg
        .webhook_deliveries()
        .iter()
        .filter(|d| !d.acknowledged())
        .count();
    let peak: Vec<String> = (0..replicas as usize)
        .filter_map(|i| app.replica_pid(i))
        .map(|pid| format!("{:.0}", support::status_kib(pid, "VmHWM:") as f64 / 1024.0))
        .collect();
    for i in 0..replicas as usize {
        app.terminate_replica(i).await;
    }

    println!(
        "backend: {backend}, replicas: {replicas}, chats: {chats}, updates: {total} ({each} per chat; injected in {:.2} s)",
        injected.as_secs_f64()
    );
    println!(
        "acknowledged: {total} updates in {:.2} s = {:.0} updates/s",
        acknowledged_at.as_secs_f64(),
        total as f64 / acknowledged_at.as_secs_f64()
    );
    println!(
        "handled: {total} updates in {:.2} s = {:.0} updates/s",
        handled_at.as_secs_f64(),
        total as f64 / handled_at.as_secs_f64()
    );
    println!(
        "chats whose replies came in order, once each: {in_order} of {chats}; failed deliveries: {failed_deliveries}"
    );
    println!("peak memory per replica (MiB): {}", peak.join(", "));
    assert_eq!(
        in_order, chats as usize,
        "per-chat order or exactly-once broken"
    );
}
