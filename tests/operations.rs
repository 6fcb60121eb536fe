//! End to end: running the binary as an operator does — subcommands, configuration errors, shutdown —
//! and surviving Telegram's bad days: 429, 5xx, blocked users, crashes.

mod support;

use std::time::Duration;
use support::{ADMIN_ID, Failure, TestApp, TestUser};

fn budi() -> TestUser {
    TestUser::new(700_001, "Budi", Some("id"))
}

#[tokio::test]
async fn help_lists_every_subcommand() {
    let app = TestApp::new().await;
    let out = app.cli(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for sub in ["run", "migrate", "admin", "import", "growth"] {
        assert!(text.contains(sub), "--help lacks {sub}: {text}");
    }
    for (command, subs) in [
        ("admin", &["grant", "revoke", "list"][..]),
        ("import", &["children", "regions", "measurements"][..]),
        ("growth", &["rescore"][..]),
    ] {
        let help = String::from_utf8_lossy(&app.cli(&[command, "--help"]).stdout).to_string();
        for sub in subs {
            assert!(help.contains(sub), "{command} --help lacks {sub}: {help}");
        }
    }
}

#[tokio::test]
async fn configuration_errors_are_one_line_and_exit_non_zero() {
    let mut app = TestApp::new().await;
    let db_url = app.db.url.clone();
    let cases: [(&str, &str, &[&str], &str); 4] = [
        ("TELOXIDE_TOKEN", "", &["run"], "TELOXIDE_TOKEN"),
        (
            "TELOXIDE_API_URL",
            "not a url",
            &["run"],
            "TELOXIDE_API_URL",
        ),
        (
            "DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/nowhere",
            &["migrate"],
            "cannot open the database",
        ),
        (
            "DATABASE_URL",
            "mysql://nope",
            &["migrate"],
            "unsupported DATABASE_URL",
        ),
    ];
    for (key, value, args, expected) in cases {
        app.set_env(key, value);
        let out = app.cli(args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{key}={value} should fail");
        assert!(
            err.contains(expected) && !err.contains("panicked"),
            "{key}={value}: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{key}={value}: {err}");
        let restored = match key {
            "DATABASE_URL" => db_url.clone(),
            "TELOXIDE_API_URL" => app.tg.api_url(),
            _ => support::FakeTelegram::TOKEN.to_owned(),
        };
        app.set_env(key, &restored);
    }
}

#[tokio::test]
async fn coordinators_are_managed_from_the_command_line() {
    let app = TestApp::new().await;
    let migrate = app.cli(&["migrate"]);
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let grant = app.cli(&["admin", "grant", "4242", "--scope", "74.71"]);
    assert!(
        grant.status.success(),
        "{}",
        String::from_utf8_lossy(&grant.stderr)
    );
    let list = String::from_utf8_lossy(&app.cli(&["admin", "list"]).stdout).to_string();
    assert!(list.contains("4242") && list.contains("74.71"), "{list}");
    let bad = app.cli(&["admin", "grant", "4243", "--scope", "kendari"]);
    assert!(!bad.status.success());
    let revoke = String::from_utf8_lossy(&app.cli(&["admin", "revoke", "4242"]).stdout).to_string();
    assert!(revoke.contains("no longer"), "{revoke}");
    let list = String::from_utf8_lossy(&app.cli(&["admin", "list"]).stdout).to_string();
    assert!(!list.contains("4242"), "{list}");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'coordinator.%'")
            .await,
        2
    );
}

#[tokio::test]
async fn sigterm_finishes_and_exits_cleanly() {
    let mut app = TestApp::spawn().await;
    app.say(&budi(), "/start").await;
    assert_eq!(app.terminate().await, Some(0), "log:\n{}", app.log_text());
    assert!(app.log_text().contains("stopped"), "{}", app.log_text());
}

#[tokio::test]
async fn updates_sent_while_the_bot_is_down_are_handled_once_after_restart() {
    let mut app = TestApp::spawn().await;
    app.say(&budi(), "/start").await;
    app.crash().await;
    app.tg.send_text(&budi(), "/saya");
    app.tg.send_text(&budi(), "/bantuan");
    app.start().await;
    let me = app.tg.next_message(budi().id).await;
    assert!(me.plain_text().contains("Budi"), "{}", me.plain_text());
    let help = app.tg.next_message(budi().id).await;
    assert!(
        help.plain_text().contains("Perintah"),
        "{}",
        help.plain_text()
    );
    app.restart().await;
    app.tg
        .expect_no_message(budi().id, Duration::from_millis(800))
        .await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_429_is_waited_out_and_a_5xx_retried() {
    let app = TestApp::spawn().await;
    app.tg.fail_next("sendMessage", 1, Failure::RetryAfter(1));
    let reply = app.say(&budi(), "/start").await;
    assert!(reply.plain_text().contains("Selamat datang"));
    // teloxide itself pauses 10 s after a 5xx before it reports it; then the outbox retries 2 s later.
    app.tg
        .fail_next("sendMessage", 1, Failure::ServerError(502));
    app.tg.send_text(&budi(), "/bantuan");
    let reply = app
        .tg
        .next_message_within(budi().id, Duration::from_secs(30))
        .await
        .expect("the retried reply");
    assert!(reply.plain_text().contains("Perintah"));
    let failed: Vec<u16> = app
        .tg
        .calls("sendMessage")
        .iter()
        .map(|c| c.status)
        .filter(|s| *s != 200)
        .collect();
    assert_eq!(failed, vec![429, 502]);
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND chat_id = 700001")
            .await,
        0
    );
}

#[tokio::test]
async fn a_user_who_blocked_the_bot_is_marked_unreachable_and_not_retried() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    // Budi registers, then blocks the bot before the coordinator decides.
    app.say(&budi(), "/daftar").await;
    app.say(&budi(), "Budi Santoso").await;
    app.tg
        .send_contact(&budi(), "6281234567890", Some(budi().id));
    app.tg.next_message(budi().id).await;
    let offices = app.tg.next_message(budi().id).await;
    let districts = app.press(&budi(), &offices, "DPPKB").await;
    let capacity = app.press(&budi(), &districts, "Mandonga").await;
    let summary = app.press(&budi(), &capacity, "3").await;
    app.press(&budi(), &summary, "Kirim").await;
    let request = app.tg.next_message(ADMIN_ID).await;
    app.tg.block_user(budi().id);
    app.press(&app.admin(), &request, "Setujui").await;
    for _ in 0..100 {
        if app
            .db
            .scalar("SELECT COUNT(*) FROM users WHERE id = 700001 AND unreachable_at IS NOT NULL")
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM users WHERE id = 700001 AND unreachable_at IS NOT NULL")
            .await,
        1
    );
    let failed = app
        .db
        .text("SELECT last_error FROM outbox WHERE status = 'failed' AND chat_id = 700001")
        .await;
    assert!(
        failed.unwrap_or_default().contains("blocked"),
        "the reason is kept"
    );
    let blocked_calls = app
        .tg
        .calls("sendMessage")
        .iter()
        .filter(|c| c.status == 403)
        .count();
    assert_eq!(blocked_calls, 1, "a 403 is not retried");
}

#[tokio::test]
async fn an_unreachable_telegram_is_retried_and_the_token_stays_out_of_the_log() {
    let mut app = TestApp::new().await;
    app.set_env("TELOXIDE_API_URL", "http://127.0.0.1:9");
    let mut child = app.launch();
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(
        child.try_wait().expect("status").is_none(),
        "the bot keeps retrying instead of exiting"
    );
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().expect("exit");
    assert!(status.success(), "{status:?}");
    let log = app.log_text();
    assert!(log.contains("cannot reach Telegram"), "{log}");
    assert!(
        !log.contains(support::FakeTelegram::TOKEN),
        "the token leaked into the log:\n{log}"
    );
}

#[tokio::test]
async fn files_are_imported_from_the_command_line_too() {
    let app = TestApp::new().await;
    let root = env!("CARGO_MANIFEST_DIR");
    let regions = app.cli(&[
        "import",
        "regions",
        &format!("{root}/samples/regions-kendari.csv"),
    ]);
    let out = String::from_utf8_lossy(&regions.stdout).to_string();
    assert!(
        regions.status.success() && out.contains("added: 77"),
        "{out}{}",
        String::from_utf8_lossy(&regions.stderr)
    );
    let children = format!("{root}/samples/children.csv");
    let first =
        String::from_utf8_lossy(&app.cli(&["import", "children", &children]).stdout).to_string();
    assert!(first.contains("Rows: 18 · added: 18"), "{first}");
    let second =
        String::from_utf8_lossy(&app.cli(&["import", "children", &children]).stdout).to_string();
    assert!(
        second.contains("added: 0 · updated: 0 · unchanged: 18"),
        "{second}"
    );
    let refused = app.cli(&["import", "children", &format!("{root}/Cargo.toml")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stdout).contains("refused"));
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM children").await, 18);
}
