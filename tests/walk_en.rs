//! End to end, in English: a coordinator and a sponsor who read English walk from registration to a late
//! delivery and the self-check. Every message they get is in English (no Indonesian words slip through), the
//! sponsorship has its plan from the first day, and the screens agree with one another.

mod support;

use chrono::Duration as Days;
use std::time::Duration;
use support::programme::{expect, first_due, wita};
use support::{ADMIN_ID, TestApp, TestUser};

const GRACE: i64 = 750_001;

/// Indonesian words that would give away an untranslated text.
const INDONESIAN: &[&str] = &[
    "Anda",
    "pengiriman",
    "Kirim",
    "Setujui",
    "anak asuh",
    "Terima",
];

fn english(texts: &[String]) {
    for t in texts {
        for w in INDONESIAN {
            assert!(
                !t.contains(w),
                "Indonesian {w:?} in an English message: {t}"
            );
        }
    }
}

#[tokio::test]
async fn an_english_walk_from_registration_to_a_late_delivery() {
    let app = TestApp::spawn().await;
    app.setup_programme().await;
    let admin = app.admin();
    let choose = app.say(&admin, "/language").await;
    app.press(&admin, &choose, "English").await;
    let seen_admin = app.tg.messages_to(ADMIN_ID).len();

    // Grace registers in English and the coordinator approves in English.
    let grace = TestUser::new(GRACE, "Grace", Some("en"));
    let ask = app.say(&grace, "/register").await;
    assert!(
        ask.plain_text().contains("full name"),
        "{}",
        ask.plain_text()
    );
    app.say(&grace, "Grace Tan").await;
    app.tg.send_contact(&grace, "6281234567891", Some(GRACE));
    app.tg.next_message(GRACE).await;
    let offices = app.tg.next_message(GRACE).await;
    let districts = app.press(&grace, &offices, "Dinas Kesehatan").await;
    let villages = app.press(&grace, &districts, "Mandonga").await;
    let capacity = app.press(&grace, &villages, "The whole district").await;
    let summary = app.press(&grace, &capacity, "1").await;
    app.press(&grace, &summary, "Submit").await;
    let request = expect(&app, ADMIN_ID, "Grace Tan").await;
    app.press(&admin, &request, "Approve").await;
    expect(&app, GRACE, "approved").await;

    // A child, offered and accepted: the first delivery is planned from the programme's default.
    let fathan = app
        .db
        .scalar("SELECT id FROM children WHERE full_name = 'Muhammad Fathan'")
        .await;
    app.tg.send_text(&admin, &format!("/pair {fathan} {GRACE}"));
    let offer = expect(&app, GRACE, "Initials").await;
    let accepted = app.press(&grace, &offer, "Accept").await.plain_text();
    assert!(accepted.contains("First delivery"), "{accepted}");

    // The reminder, and a late delivery's escalation with what the coordinator can do.
    let due = first_due(&app).await;
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    let reminder = expect(&app, GRACE, "Muhammad").await;
    let labels: Vec<String> = reminder.buttons().into_iter().map(|(l, _)| l).collect();
    assert!(
        labels.iter().any(|l| l.contains("Delivered")),
        "{labels:?} {}",
        reminder.plain_text()
    );
    app.tick(&wita(due + Days::days(3), "08:00")).await;
    let escalation = expect(&app, ADMIN_ID, "Not delivered").await;
    let labels: Vec<String> = escalation.buttons().into_iter().map(|(l, _)| l).collect();
    assert!(
        labels.iter().any(|l| l.contains("Remind"))
            && labels.iter().any(|l| l.contains("Reassign")),
        "{labels:?}"
    );
    // The self-check agrees: Fathan has his sponsor, his plan and a deliverer.
    let check = app.say(&admin, "/check").await.plain_text();
    assert!(!check.contains("Muhammad Fathan"), "{check}");

    while app
        .tg
        .next_message_within(GRACE, Duration::from_millis(300))
        .await
        .is_some()
    {}
    let to_grace: Vec<String> = app
        .tg
        .messages_to(GRACE)
        .iter()
        .map(|m| m.plain_text())
        .collect();
    let to_admin: Vec<String> = app.tg.messages_to(ADMIN_ID)[seen_admin..]
        .iter()
        .map(|m| m.plain_text())
        .collect();
    english(&to_grace);
    english(&to_admin);
}
