//! Receiving by webhook: the fake Telegram posts each update to the URL the bot registered, with the secret
//! header, as Telegram does (a chat's next update only after the previous one was acknowledged; retries on
//! failure), through a round-robin "proxy" to one or more `asuh run` replicas on one database.

mod support;

use std::time::Duration;
use support::{TestApp, TestUser, WEBHOOK_SECRET, WEBHOOK_URL};

fn update_json(update_id: i64, user: i64, text: &str) -> String {
    serde_json::json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id, "date": 1_790_000_000,
            "chat": {"id": user, "type": "private", "first_name": "Wa Ode"},
            "from": {"id": user, "is_bot": false, "first_name": "Wa Ode", "language_code": "id"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": text.len()}]
        }
    })
    .to_string()
}

/// A number among a call's parameters (teloxide sends setWebhook as a form: numbers come as text).
fn number(v: &serde_json::Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str()?.parse().ok())
}

async fn post(app: &TestApp, replica: usize, secret: Option<&str>, body: String) -> u16 {
    let path = url::Url::parse(WEBHOOK_URL).expect("url").path().to_owned();
    let mut request = reqwest::Client::new()
        .post(format!("http://{}{path}", app.replica_addr(replica)))
        .header("content-type", "application/json")
        .body(body);
    if let Some(secret) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    request
        .send()
        .await
        .expect("the replica answers")
        .status()
        .as_u16()
}

/// The replies' payloads to a chat, in the order they were queued.
async fn replies(app: &TestApp, chat: i64, containing: &str) -> Vec<String> {
    app.db
        .rows(&format!(
            "SELECT payload FROM outbox WHERE chat_id = {chat} ORDER BY id"
        ))
        .await
        .into_iter()
        .map(|mut r| r.remove(0))
        .filter(|p| p.contains(containing))
        .collect()
}

#[tokio::test]
async fn a_request_without_the_right_secret_is_refused_and_nothing_is_stored() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    app.start_replica().await;
    app.tg
        .add_private_chat(&TestUser::new(600_001, "Wa Ode", Some("id")));

    assert_eq!(
        post(&app, 0, None, update_json(9001, 600_001, "/start")).await,
        401
    );
    assert_eq!(
        post(
            &app,
            0,
            Some("Rahasia_asuh-2025"),
            update_json(9002, 600_001, "/start")
        )
        .await,
        401
    );
    assert_eq!(
        post(
            &app,
            0,
            Some(&format!("{WEBHOOK_SECRET}x")),
            update_json(9003, 600_001, "/start")
        )
        .await,
        401
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM inbox").await, 0);
    assert!(app.tg.messages_to(600_001).is_empty());

    // The right secret: stored, answered.
    assert_eq!(
        post(
            &app,
            0,
            Some(WEBHOOK_SECRET),
            update_json(9004, 600_001, "/start")
        )
        .await,
        200
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM inbox").await, 1);
    let hello = app.tg.next_message(600_001).await;
    assert!(
        hello.plain_text().contains("Selamat datang"),
        "{}",
        hello.plain_text()
    );
}

#[tokio::test]
async fn an_acknowledged_update_is_answered_once_even_when_sent_again() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    app.start_replica().await;

    // The replica registered the webhook once, with the secret and the kinds of update asuh handles.
    let sets = app.tg.calls("setWebhook");
    assert_eq!(sets.len(), 1, "{sets:?}");
    assert_eq!(sets[0].params["url"], WEBHOOK_URL);
    assert_eq!(sets[0].params["secret_token"], WEBHOOK_SECRET);
    // As many requests at once as Telegram allows: each only stores an update.
    assert_eq!(number(&sets[0].params["max_connections"]), Some(100));
    let allowed = sets[0].params["allowed_updates"].to_string();
    assert!(
        allowed.contains("message")
            && allowed.contains("callback_query")
            && allowed.contains("my_chat_member"),
        "{allowed}"
    );
    assert_eq!(app.tg.webhook_url().as_deref(), Some(WEBHOOK_URL));
    // And never polls.
    assert!(app.tg.calls("getUpdates").is_empty());

    let user = TestUser::new(600_002, "Wa Ode", Some("id"));
    let id = app.tg.send_text(&user, "/start");
    let hello = app.tg.next_message(user.id).await;
    assert!(
        hello.plain_text().contains("Selamat datang"),
        "{}",
        hello.plain_text()
    );
    let acknowledged: Vec<_> = app
        .tg
        .webhook_deliveries()
        .into_iter()
        .filter(|d| d.update_id == id)
        .collect();
    assert_eq!(acknowledged.len(), 1, "{acknowledged:?}");
    assert_eq!(acknowledged[0].status, Some(200));
    assert_eq!(app.tg.pending_updates(), 0);

    // Telegram sends an update again when it did not see the answer: stored once, answered once.
    let again = serde_json::json!({
        "update_id": id,
        "message": {"message_id": 1, "date": 1_790_000_000,
            "chat": {"id": user.id, "type": "private", "first_name": "Wa Ode"},
            "from": {"id": user.id, "is_bot": false, "first_name": "Wa Ode", "language_code": "id"},
            "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}
    });
    assert_eq!(
        post(&app, 0, Some(WEBHOOK_SECRET), again.to_string()).await,
        200
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM inbox WHERE update_id = {id}"
            ))
            .await,
        1
    );
    assert!(
        app.tg
            .next_message_within(user.id, Duration::from_secs(2))
            .await
            .is_none(),
        "answered twice"
    );
}

#[tokio::test]
async fn a_failed_delivery_is_retried_and_then_answered() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    app.start_replica().await;
    // The proxy sends the next attempt to an address where nothing listens, then to the replica.
    let dead = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        probe.local_addr().expect("addr")
    };
    app.tg
        .route_webhook(support::WEBHOOK_ORIGIN, vec![dead, app.replica_addr(0)]);
    let user = TestUser::new(600_003, "Wa Ode", Some("id"));
    let mut answered = 0;
    for text in ["/start", "/saya"] {
        app.tg.send_text(&user, text);
        app.tg.next_message(user.id).await;
        answered += 1;
    }
    assert_eq!(answered, 2);
    let deliveries = app.tg.webhook_deliveries();
    assert!(
        deliveries.iter().any(|d| d.status.is_none()),
        "one attempt failed: {deliveries:?}"
    );
    assert_eq!(deliveries.iter().filter(|d| d.acknowledged()).count(), 2);
    let info = app.cli_async(&["webhook", "info"]).await;
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(info.status.success(), "{text}");
    assert!(text.contains(WEBHOOK_URL), "{text}");
    assert!(text.contains("last error: Connection refused"), "{text}");
}

#[tokio::test]
async fn updates_of_one_chat_are_handled_in_order_across_replicas() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    // SQLite serves one process; PostgreSQL any number.
    let replicas = if app.db.is_postgres() { 3 } else { 1 };
    for _ in 0..replicas {
        app.start_replica().await;
    }
    assert_eq!(app.tg.calls("setWebhook").len(), 1, "registered once");
    let (chats, each) = (12i64, 8usize);
    for k in 0..each {
        for c in 0..chats {
            // The name each /saya shows is the one its update carried: the replies tell the order.
            let user = TestUser::new(610_000 + c, &format!("U{c}-{k:02}"), Some("id"));
            app.tg.send_text(&user, "/saya");
        }
    }
    let total = chats * each as i64;
    app.wait_for(
        "SELECT COUNT(*) FROM inbox WHERE processed_at IS NOT NULL",
        total,
    )
    .await;
    let mut handlers = std::collections::BTreeSet::new();
    for c in 0..chats {
        let chat = 610_000 + c;
        let got = replies(&app, chat, &format!("U{c}-")).await;
        let order: Vec<usize> = got
            .iter()
            .filter_map(|p| {
                let at = p.find(&format!("U{c}-"))? + format!("U{c}-").len();
                p.get(at..at + 2)?.parse().ok()
            })
            .collect();
        assert_eq!(order, (0..each).collect::<Vec<_>>(), "chat {chat}");
        handlers.insert(chat);
    }
    assert_eq!(handlers.len(), chats as usize);
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM inbox WHERE error IS NOT NULL")
            .await,
        0
    );
    assert_eq!(app.tg.pending_updates(), 0);
}

#[tokio::test]
async fn a_replica_killed_mid_update_leaves_it_to_another() {
    let mut app = TestApp::new().await;
    if !app.db.is_postgres() {
        eprintln!(
            "skipped: replicas share PostgreSQL (set ASUH_TEST_DATABASE_URL); SQLite runs one process"
        );
        return;
    }
    app.use_webhook(2);
    app.start_replica().await;
    app.start_replica().await;
    let user = TestUser::new(620_001, "Wa Ode", Some("id"));
    app.tg.send_text(&user, "/start");
    app.tg.next_message(user.id).await;

    // Hold the user's row, so that whichever replica takes the next update stops inside its transaction.
    let db = asuh::store::Db::connect(&app.db.url)
        .await
        .expect("connect");
    let mut hold = db.begin().await.expect("begin");
    sqlx::query("SELECT id FROM users WHERE id = 620001 FOR UPDATE")
        .execute(&mut *hold)
        .await
        .expect("lock the user");
    let marked = TestUser::new(620_001, "Dikirim-Sekali", Some("id"));
    let id = app.tg.send_text(&marked, "/saya");
    // Acknowledged (stored), claimed, and mid-handling.
    let mut owner = None;
    for _ in 0..200 {
        let rows = app
            .db
            .rows("SELECT owner FROM inbox_claims WHERE chat_id = 620001")
            .await;
        if let Some(row) = rows.first() {
            owner = Some(row[0].clone());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let owner = owner.expect("a replica claimed the chat");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM inbox WHERE update_id = {id} AND processed_at IS NULL"
            ))
            .await,
        1,
        "the update is not handled while its user is held"
    );
    let pid: u32 = owner
        .split('/')
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("pid");
    let victim = (0..2)
        .find(|i| app.replica_pid(*i) == Some(pid))
        .expect("the claim is one of ours");
    app.kill_replica(victim);
    hold.commit().await.expect("release");
    db.close().await;

    let answer = app.tg.next_message(user.id).await;
    assert!(
        answer.plain_text().contains("Dikirim-Sekali"),
        "{}",
        answer.plain_text()
    );
    assert!(
        app.tg
            .next_message_within(user.id, Duration::from_secs(3))
            .await
            .is_none(),
        "answered twice"
    );
    assert_eq!(replies(&app, 620_001, "Dikirim-Sekali").await.len(), 1);
    assert!(app.replica_pid(1 - victim).is_some());
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM inbox WHERE update_id = {id} AND processed_at IS NOT NULL AND error IS NULL"
            ))
            .await,
        1
    );
}

#[tokio::test]
async fn a_replica_registers_the_webhook_again_when_the_number_of_connections_changes() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    app.set_env("ASUH_WEBHOOK_CONNECTIONS", "60");
    app.start_replica().await;
    // The first start registered it with 60; a restart with the same settings leaves it be.
    let sets = app.tg.calls("setWebhook");
    assert_eq!(sets.len(), 1, "{sets:?}");
    assert_eq!(number(&sets[0].params["max_connections"]), Some(60));
    assert_eq!(app.terminate_replica(0).await, Some(0));
    app.start_replica().await;
    assert_eq!(app.tg.calls("setWebhook").len(), 1);
    let info = app.cli_async(&["webhook", "info"]).await;
    let said = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(said.contains("max connections: 60"), "{said}");

    // Restarted with another number: registered again, and the fake keeps at most that many in flight.
    assert_eq!(app.terminate_replica(1).await, Some(0));
    app.set_env("ASUH_WEBHOOK_CONNECTIONS", "7");
    app.start_replica().await;
    let sets = app.tg.calls("setWebhook");
    assert_eq!(sets.len(), 2, "{sets:?}");
    assert_eq!(number(&sets[1].params["max_connections"]), Some(7));
    let user = TestUser::new(640_001, "Wa Ode", Some("id"));
    app.tg.send_text(&user, "/start");
    app.tg.next_message(user.id).await;

    // A number Telegram would refuse is refused before anything starts.
    app.set_env("ASUH_WEBHOOK_CONNECTIONS", "101");
    let out = app.cli_async(&["webhook", "set"]).await;
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(said.contains("ASUH_WEBHOOK_CONNECTIONS"), "{said}");
    assert_eq!(app.tg.calls("setWebhook").len(), 2);
    app.assert_spec_clean();
}

#[tokio::test]
async fn webhook_delete_returns_to_polling() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    app.start_replica().await;
    let user = TestUser::new(630_001, "Wa Ode", Some("id"));
    app.tg.send_text(&user, "/start");
    app.tg.next_message(user.id).await;

    // A replica that stops leaves the webhook to the others.
    assert_eq!(app.terminate_replica(0).await, Some(0));
    assert_eq!(app.tg.webhook_url().as_deref(), Some(WEBHOOK_URL));
    assert!(app.tg.calls("deleteWebhook").is_empty());

    // While it is set, polling is refused as Telegram refuses it.
    app.tg.send_text(&user, "/saya");
    let out = app.cli_async(&["webhook", "delete"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.tg.webhook_url(), None);
    let info = app.cli_async(&["webhook", "info"]).await;
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("long polling"),
        "{}",
        String::from_utf8_lossy(&info.stdout)
    );

    // Back to long polling: what Telegram kept comes by getUpdates.
    for key in ["ASUH_WEBHOOK_URL", "ASUH_WEBHOOK_SECRET"] {
        app.set_env(key, "");
    }
    app.start().await;
    let me = app.tg.next_message(user.id).await;
    assert!(me.plain_text().contains("Wa Ode"), "{}", me.plain_text());
    app.assert_spec_clean();
}

#[tokio::test]
async fn polling_while_a_webhook_is_set_says_how_to_go_back() {
    let mut app = TestApp::new().await;
    app.use_webhook(60);
    let out = app.cli_async(&["webhook", "set"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for key in ["ASUH_WEBHOOK_URL", "ASUH_WEBHOOK_SECRET"] {
        app.set_env(key, "");
    }
    app.start().await;
    let conflict = app.tg.calls("getUpdates");
    for _ in 0..100 {
        if app.log_text().contains("asuh webhook delete") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        conflict.iter().all(|c| c.status == 409 || c.status == 0),
        "{conflict:?}"
    );
    assert!(
        app.log_text().contains("asuh webhook delete"),
        "{}",
        app.log_text()
    );
    // A webhook without the secret is refused by asuh itself.
    app.set_env("ASUH_WEBHOOK_URL", "https://asuh.example/telegram");
    let half = app.cli_async(&["webhook", "set"]).await;
    assert!(!half.status.success());
    assert!(
        String::from_utf8_lossy(&half.stderr).contains("ASUH_WEBHOOK_SECRET"),
        "{}",
        String::from_utf8_lossy(&half.stderr)
    );
}
