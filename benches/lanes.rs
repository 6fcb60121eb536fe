//! Benchmark of the outbox's lanes: a batch of `ASUH_BENCH_BATCH` messages (default 40,000, one per chat) is
//! queued in the batch lane before the real `asuh` binary starts, and sent through the fake Telegram with its
//! rate limits on; while it goes, a person writes `/start` every second and waits for the answer. Prints the
//! reply latency (update injected → answer accepted by the fake) p50/p99/max, the batch's rate and the 429s.
//! `ASUH_BENCH_STORM=1` adds the storm of issue 17 while the batch goes: 30 × 502, 10 answers held 3 s and
//! 10 × 429 (retry after 5), one fault every 10 sends.
//!
//! Run: `cargo bench --bench lanes` (SQLite), or with `ASUH_TEST_DATABASE_URL=postgres://…` for PostgreSQL;
//! e.g. `ASUH_BENCH_BATCH=3000 ASUH_BENCH_STORM=1 cargo bench --bench lanes`.

#[path = "../tests/support/mod.rs"]
mod support;

use asuh::outbound::{self, Keyboard, Lane, Outbound};
use asuh::store::Db;
use std::time::{Duration, Instant};
use support::{Storm, TestApp, TestUser, env_or};

const FIRST: i64 = 3_000_000;
const PEOPLE: i64 = 700_000;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let n = env_or("ASUH_BENCH_BATCH", 40_000);
    let storm = env_or("ASUH_BENCH_STORM", 0) == 1;
    let mut app = TestApp::new().await;
    let log = std::env::var("ASUH_BENCH_LOG").ok();
    app.set_env("RUST_LOG", log.as_deref().unwrap_or("warn"));
    let backend = if app.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let migrated = app.cli(&["migrate"]);
    assert!(migrated.status.success(), "{migrated:?}");
    let db = Db::connect(&app.db.url).await.expect("database");
    let now = chrono::Utc::now();
    let messages: Vec<(Outbound, chrono::DateTime<chrono::Utc>)> = (0..n)
        .map(|i| {
            (
                Outbound::Message {
                    chat_id: FIRST + i,
                    text: format!(
                        "Pengingat #{i}: paket gizi untuk anak asuh Anda dijadwalkan hari ini."
                    ),
                    keyboard: Keyboard::None,
                },
                now,
            )
        })
        .collect();
    let mut tx = db.begin().await.expect("transaction");
    outbound::enqueue_many_at(&mut tx, Lane::Batch, &messages, now)
        .await
        .expect("queue the batch");
    tx.commit().await.expect("commit");
    for i in 0..n {
        app.tg
            .add_private_chat(&TestUser::new(FIRST + i, "Sponsor", Some("id")));
    }
    app.tg.set_rate_limits(true);
    if storm {
        app.tg.storm(Storm {
            server_errors: 30,
            hangs: 10,
            hang_for: Duration::from_secs(3),
            retry_afters: 10,
            retry_after: 5,
            every: 10,
        });
    }
    println!("backend: {backend}, batch: {n} messages queued, storm: {storm}");

    let sent_sql =
        format!("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND chat_id >= {FIRST}");
    let started = Instant::now();
    app.start().await;
    let mut latencies = Vec::new();
    let mut person = 0;
    let (first_at, first_sent) = loop {
        let sent = app.db.scalar(&sent_sql).await;
        if sent >= 100.min(n) {
            break (started.elapsed(), sent);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let finished = loop {
        let sent = app.db.scalar(&sent_sql).await;
        if sent >= n {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(3600),
            "only {sent} sent; log:\n{}",
            app.log_text()
        );
        // A person writes and waits for the answer, once a second while the batch goes.
        let user = TestUser::new(PEOPLE + person, "Warga", Some("id"));
        person += 1;
        let asked = Instant::now();
        app.tg.send_text(&user, "/start");
        let answered = app
            .tg
            .next_message_within(user.id, Duration::from_secs(120))
            .await;
        assert!(answered.is_some(), "no answer to /start within 120 s");
        latencies.push(asked.elapsed().as_secs_f64());
        tokio::time::sleep(Duration::from_secs(1).saturating_sub(asked.elapsed())).await;
    };
    let too_many = app
        .tg
        .all_calls()
        .iter()
        .filter(|c| c.status == 429)
        .count();
    latencies.sort_by(f64::total_cmp);
    let rate = (n - first_sent) as f64 / (finished - first_at).as_secs_f64();
    println!(
        "batch: {n} messages in {:.1} s; sustained {rate:.1} messages/s (after the first {first_sent}; ceiling 30/s); answers 429: {too_many}{}",
        finished.as_secs_f64(),
        if storm {
            " (10 of them the storm's)"
        } else {
            ""
        }
    );
    println!(
        "replies during the batch: {} people; latency p50 {:.2} s, p99 {:.2} s, max {:.2} s",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN)
    );
    let failed = app
        .db
        .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
        .await;
    let delivered = app
        .tg
        .all_calls()
        .iter()
        .filter(|c| c.method == "sendMessage" && c.status == 200)
        .filter(|c| c.params["chat_id"].as_i64().is_some_and(|c| c >= FIRST))
        .count();
    println!("failed rows: {failed}; batch messages accepted by the fake: {delivered} (of {n})");
    // Where the pace went: every message the fake accepted while the batch went (after its first hundred),
    // the batch's and everyone else's, and the gaps between two accepted messages beyond one turn.
    let (from, to) = (started + first_at, started + finished);
    let accepted: Vec<(Instant, bool)> = app
        .tg
        .all_calls()
        .iter()
        .filter(|c| c.method.starts_with("send") && c.status == 200)
        .filter(|c| c.at > from && c.at <= to)
        .map(|c| {
            (
                c.at,
                c.params["chat_id"].as_i64().is_some_and(|c| c >= FIRST),
            )
        })
        .collect();
    let span = (to - from).as_secs_f64();
    let others = accepted.iter().filter(|(_, b)| !b).count();
    let turn = Duration::from_millis(34);
    let (mut lost, mut longest, mut long_gaps) = (Duration::ZERO, Duration::ZERO, 0);
    for w in accepted.windows(2) {
        let gap = w[1].0.saturating_duration_since(w[0].0);
        if gap > turn {
            lost += gap - turn;
            long_gaps += usize::from(gap > Duration::from_millis(100));
        }
        longest = longest.max(gap);
    }
    // Telegram's ceiling is 30 in any second: the 31st message after any one must come a second later.
    let tightest = accepted
        .windows(31)
        .map(|w| w[30].0.saturating_duration_since(w[0].0))
        .min()
        .unwrap_or_default();
    println!(
        "pace: the tightest 31 consecutive messages spanned {} ms (at least 1,000 ms for no 429)",
        tightest.as_millis()
    );
    println!(
        "pace: {:.2} messages/s accepted in all ({} of them not the batch's: {:.2}/s); time beyond one turn \
         between two messages {:.1} s of {span:.1} s, {long_gaps} gaps over 100 ms, longest {} ms",
        accepted.len() as f64 / span,
        others,
        others as f64 / span,
        lost.as_secs_f64(),
        longest.as_millis()
    );
    if log.is_some() {
        let path = std::env::temp_dir().join("asuh-lanes-bench.log");
        std::fs::write(&path, app.log_text()).expect("write the log");
        println!("the bot's log: {}", path.display());
    }
    db.close().await;
}
