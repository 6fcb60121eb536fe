//! End to end: the outbox's lanes and the sender under a Telegram hiccup. A batch (coordinators' digests, all
//! due when the bot starts) is queued; a person who writes meanwhile is answered before the batch is done,
//! chats of one lane take turns, and a storm of 502s, slow answers and 429s delays only the messages it
//! hits: nothing lost, nothing sent twice. Orders and counts come from the fake's log of calls, never from
//! the clock.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use asuh::jobs::scheduler;
use asuh::services::deliveries::Settings;
use asuh::store::Db;
use support::{Storm, TestApp, TestUser};

/// The first coordinator of the batch; the others follow.
const FIRST: i64 = 800_001;
/// Someone who writes to the bot while the batch goes out.
const SITI: i64 = 700_100;

/// An app, not yet running, whose `n` coordinators (whole programme) each have a daily digest queued in the
/// outbox by the scheduler's pass, and a chat the fake knows. `weekly_too` also queues the first one's weekly
/// summary (before everyone's daily digest): two messages to one chat in the batch lane. The pass runs here,
/// through the library, so that the whole batch waits in the outbox when the bot starts.
async fn batch_of_digests(n: i64, weekly_too: bool) -> TestApp {
    let app = TestApp::new().await;
    let out = app.cli(&["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let now = chrono::Utc::now().timestamp_millis();
    let ids: Vec<i64> = (FIRST..FIRST + n).collect();
    let values =
        |f: &dyn Fn(i64) -> String| ids.iter().map(|id| f(*id)).collect::<Vec<_>>().join(", ");
    app.db
        .exec(&format!(
            "INSERT INTO users (id, first_name, language, created_at, updated_at) VALUES {}",
            values(&|id| format!("({id}, 'Koordinator {id}', 'id', {now}, {now})"))
        ))
        .await;
    app.db
        .exec(&format!(
            "INSERT INTO coordinators (user_id, scope_code, granted_at) VALUES {}",
            values(&|id| format!("({id}, NULL, {now})"))
        ))
        .await;
    // Due in the order of the ids (the first one first).
    app.db
        .exec(&format!(
            "INSERT INTO digest_schedules (user_id, kind, cron, next_at, updated_at) VALUES {}",
            values(&|id| format!(
                "({id}, 'daily', '0 7 * * *', {}, {now})",
                now - 60_000 + (id - FIRST)
            ))
        ))
        .await;
    if weekly_too {
        app.db
            .exec(&format!(
                "INSERT INTO digest_schedules (user_id, kind, cron, next_at, updated_at)
                 VALUES ({FIRST}, 'weekly', '0 7 * * 1', {}, {now})",
                now - 120_000
            ))
            .await;
    }
    for id in &ids {
        app.tg
            .add_private_chat(&TestUser::new(*id, "Koordinator", Some("id")));
    }
    let db = Db::connect(&app.db.url).await.expect("database");
    let jobs = scheduler::Jobs::new(Settings::default());
    scheduler::tick(&db, &jobs, chrono::Utc::now())
        .await
        .expect("the scheduler's pass");
    db.close().await;
    let queued = app
        .db
        .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND chat_id >= 800001")
        .await;
    assert!(queued >= n + i64::from(weekly_too), "{queued} queued");
    app
}

/// The messages Telegram accepted, in the order it accepted them: (chat, text or caption).
fn delivered(app: &TestApp) -> Vec<(i64, String)> {
    app.tg
        .all_calls()
        .into_iter()
        .filter(|c| c.method.starts_with("send") && c.status == 200)
        .map(|c| {
            let chat = c.params["chat_id"]
                .as_i64()
                .or_else(|| c.params["chat_id"].as_str().and_then(|s| s.parse().ok()))
                .unwrap_or_default();
            let text = c.params["text"]
                .as_str()
                .or(c.params["caption"].as_str())
                .unwrap_or_default()
                .to_owned();
            (chat, text)
        })
        .collect()
}

fn is_batch(chat: i64) -> bool {
    chat >= FIRST
}

/// Waits until the fake has accepted at least `n` messages of the batch.
async fn until_batch_sent(app: &TestApp, n: usize) {
    for _ in 0..1200 {
        if delivered(app).iter().filter(|(c, _)| is_batch(*c)).count() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the batch did not reach {n} messages; log:\n{}",
        app.log_text()
    );
}

/// Every outbox row sent, and the fake holding exactly as many messages per chat as the outbox sent there.
async fn nothing_lost_or_twice(app: &TestApp) {
    app.wait_for(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        0,
    )
    .await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed'")
            .await,
        0,
        "{}",
        app.log_text()
    );
    let rows = app
        .db
        .rows("SELECT CAST(chat_id AS TEXT), CAST(COUNT(*) AS TEXT) FROM outbox WHERE chat_id >= 800001 GROUP BY chat_id")
        .await;
    let mut got: HashMap<i64, usize> = HashMap::new();
    for (chat, _) in delivered(app).into_iter().filter(|(c, _)| is_batch(*c)) {
        *got.entry(chat).or_default() += 1;
    }
    assert!(!rows.is_empty());
    for row in rows {
        let chat: i64 = row[0].parse().expect("chat");
        let want: usize = row[1].parse().expect("count");
        assert_eq!(
            got.get(&chat).copied().unwrap_or(0),
            want,
            "messages to {chat}"
        );
    }
}

#[tokio::test]
async fn a_reply_overtakes_a_queued_batch() {
    let mut app = batch_of_digests(200, false).await;
    app.start().await;
    until_batch_sent(&app, 5).await;
    let siti = TestUser::new(SITI, "Siti", Some("id"));
    app.tg.send_text(&siti, "/start");
    let reply = app.tg.next_message(SITI).await;
    assert!(!reply.plain_text().is_empty());
    nothing_lost_or_twice(&app).await;

    let order = delivered(&app);
    let batch = order.iter().filter(|(c, _)| is_batch(*c)).count();
    assert!(batch >= 200, "{batch}");
    let at = order
        .iter()
        .position(|(c, _)| *c == SITI)
        .expect("Siti's reply");
    let after = order[at..].iter().filter(|(c, _)| is_batch(*c)).count();
    // Queued behind the whole batch, the reply would come last; in its own lane it goes within a few turns
    // of arriving, while most of the batch is still to go.
    assert!(
        after * 2 > batch,
        "only {after} of {batch} batch messages went after the reply"
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn chats_of_one_lane_take_turns() {
    let mut app = batch_of_digests(100, true).await;
    app.start().await;
    nothing_lost_or_twice(&app).await;
    let order: Vec<i64> = delivered(&app)
        .into_iter()
        .map(|(c, _)| c)
        .filter(|c| is_batch(*c))
        .collect();
    let firsts: Vec<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == FIRST)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        firsts.len(),
        2,
        "the first coordinator's digest and summary: {order:?}"
    );
    // The first coordinator's second message waits for every other chat's first: one round each.
    let others_before_second = order[..firsts[1]]
        .iter()
        .filter(|c| **c != FIRST)
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert_eq!(others_before_second, 99, "{order:?}");
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_storm_delays_only_what_it_hits() {
    let mut app = batch_of_digests(150, false).await;
    app.tg.storm(Storm {
        server_errors: 30,
        hangs: 10,
        hang_for: Duration::from_secs(3),
        retry_afters: 10,
        retry_after: 5,
        every: 2,
    });
    app.start().await;
    until_batch_sent(&app, 5).await;
    let siti = TestUser::new(SITI, "Siti", Some("id"));
    app.tg.send_text(&siti, "/start");
    let reply = app.tg.next_message(SITI).await;
    assert!(!reply.plain_text().is_empty());
    nothing_lost_or_twice(&app).await;
    assert_eq!(app.tg.storm_left(), 0, "the whole storm was dealt");
    let statuses: Vec<u16> = app
        .tg
        .all_calls()
        .iter()
        .filter(|c| c.method == "sendMessage")
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 502).count(), 30);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 10);
    // Siti was answered while the storm's batch was still going.
    let order = delivered(&app);
    let at = order
        .iter()
        .position(|(c, _)| *c == SITI)
        .expect("Siti's reply");
    assert!(
        order[at..].iter().any(|(c, _)| is_batch(*c)),
        "the reply came only after the batch"
    );
    app.assert_spec_clean();
}

/// A queue of 20,000 batch messages (one per chat, as a morning's reminders) does not slow the sender's claim:
/// the batch starts at once and a person who writes is answered within a few turns. Claiming once scanned
/// every pending row of the lane for each candidate on SQLite (tens of seconds per claim at this size).
#[tokio::test]
async fn a_reply_overtakes_a_large_batch() {
    use asuh::outbound::{self, Keyboard, Lane, Outbound};
    const BIG: i64 = 20_000;
    let mut app = TestApp::new().await;
    let out = app.cli(&["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = Db::connect(&app.db.url).await.expect("database");
    let now = chrono::Utc::now();
    let messages: Vec<(Outbound, chrono::DateTime<chrono::Utc>)> = (0..BIG)
        .map(|i| {
            let text = format!("Pengingat #{i}");
            let chat_id = FIRST + i;
            (
                Outbound::Message {
                    chat_id,
                    text,
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
    db.close().await;
    for i in 0..BIG {
        app.tg
            .add_private_chat(&TestUser::new(FIRST + i, "Sponsor", Some("id")));
    }
    app.start().await;
    until_batch_sent(&app, 5).await;
    let siti = TestUser::new(SITI, "Siti", Some("id"));
    app.tg.send_text(&siti, "/start");
    let reply = app.tg.next_message(SITI).await;
    assert!(!reply.plain_text().is_empty());
    app.terminate().await;

    let order = delivered(&app);
    let at = order
        .iter()
        .position(|(c, _)| *c == SITI)
        .expect("Siti's reply");
    let before = order[..at].iter().filter(|(c, _)| is_batch(*c)).count();
    // The batch goes 30 a second: a reply queued behind it would wait 11 minutes.
    assert!(
        before < 1_000,
        "{before} batch messages went before the reply"
    );
    // Each message of the batch went at most once, in the order it was queued.
    let batch: Vec<i64> = order
        .iter()
        .filter(|(c, _)| is_batch(*c))
        .map(|(c, _)| *c)
        .collect();
    let mut sorted = batch.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), batch.len(), "a batch message went twice");
    app.assert_spec_clean();
}

/// A burst of edits (a thousand volunteers pressing "received" within seconds) that Telegram is slow to
/// answer does not stop the pace of new messages: edits take only some of the sender's requests in flight,
/// and while those are taken the sender claims new messages only. With every slot on edits, nothing else
/// went until the first edit was answered.
#[tokio::test]
async fn a_burst_of_slow_edits_does_not_stop_new_messages() {
    use asuh::outbound::{self, Keyboard, Lane, Outbound};
    use support::Failure;
    const EDITS: i64 = 40;
    const EDITED: i64 = 900_000;
    let mut app = batch_of_digests(60, false).await;
    let db = Db::connect(&app.db.url).await.expect("database");
    let mut tx = db.begin().await.expect("transaction");
    for i in 0..EDITS {
        let edit = Outbound::Edit {
            chat_id: EDITED + i,
            message_id: 1,
            text: format!("Ringkasan #{i}"),
            keyboard: Keyboard::None,
        };
        outbound::enqueue_in(&mut tx, Lane::Reply, &edit, chrono::Utc::now())
            .await
            .expect("queue an edit");
    }
    tx.commit().await.expect("commit");
    db.close().await;
    for i in 0..EDITS {
        app.tg
            .add_private_chat(&TestUser::new(EDITED + i, "Relawan", Some("id")));
    }
    // Every edit is held 3 s before Telegram answers it.
    app.tg.fail_next(
        "editMessageText",
        usize::try_from(EDITS).unwrap_or_default(),
        Failure::Slow(Duration::from_secs(3)),
    );
    app.start().await;
    app.wait_for(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        0,
    )
    .await;
    let calls = app.tg.all_calls();
    assert_eq!(
        calls
            .iter()
            .filter(|c| c.method == "editMessageText")
            .count(),
        usize::try_from(EDITS).unwrap_or_default(),
        "every edit was tried once"
    );
    // The calls are logged as Telegram answers them: what was answered before the first edit went while
    // the edits were held.
    let first_edit = calls
        .iter()
        .position(|c| c.method == "editMessageText")
        .expect("an edit");
    let meanwhile = calls[..first_edit]
        .iter()
        .filter(|c| c.method == "sendMessage" && c.status == 200)
        .count();
    // At 30 a second, 3 s hold about 90 messages; the whole batch is 60.
    assert!(
        meanwhile >= 30,
        "only {meanwhile} messages went while the edits were held; log:\n{}",
        app.log_text()
    );
    app.assert_spec_clean();
}
