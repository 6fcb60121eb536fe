//! A programme to test deliveries in: Kendari's regions and children, a sponsor (Ani) with one child, a
//! volunteer of Mandonga, a package, a weekly cadence, and the first delivery planned.

use super::{ADMIN_ID, SentMessage, TestApp, TestUser};
use chrono::{Datelike, NaiveDate};
use std::time::Duration;

pub const ANI: i64 = 730_001;
pub const KADER: i64 = 730_101;

/// Takes messages to `chat` until one contains `needle`.
pub async fn expect(app: &TestApp, chat: i64, needle: &str) -> SentMessage {
    let mut seen = Vec::new();
    for _ in 0..12 {
        match app
            .tg
            .next_message_within(chat, Duration::from_secs(20))
            .await
        {
            Some(m) if m.plain_text().contains(needle) => return m,
            Some(m) => seen.push(m.plain_text()),
            None => break,
        }
    }
    panic!(
        "no message to {chat} containing {needle:?}; got {seen:#?}\nlog:\n{}",
        app.log_text()
    );
}

/// A volunteer who joins Mandonga through an invite link.
pub async fn volunteer(app: &TestApp, id: i64) -> TestUser {
    volunteer_of(app, id, "Wa Ode", "74.71.01").await
}

/// A volunteer of `region` (a kecamatan or a village), invited by the coordinator.
pub async fn volunteer_of(app: &TestApp, id: i64, name: &str, region: &str) -> TestUser {
    app.tg.send_text(&app.admin(), &format!("/undang {region}"));
    let invite = expect(app, ADMIN_ID, "?start=").await.plain_text();
    let start = invite.find("?start=").expect("an invite link") + "?start=".len();
    let code: String = invite[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let user = TestUser::new(id, name, Some("id"));
    app.say(&user, &format!("/start {code}")).await;
    expect(app, ADMIN_ID, "Relawan baru").await;
    user
}

/// The coordinator sets up a package, a weekly Monday cadence and the programme's default, through the
/// commands and buttons a coordinator uses.
pub async fn plan_programme(app: &TestApp) {
    let admin = app.admin();
    let saved = app
        .say(
            &admin,
            "/paket Paket gizi: beras 5 kg, telur 30 butir, susu 2 kotak",
        )
        .await;
    assert!(
        saved
            .plain_text()
            .contains("beras 5 kg, telur 30 butir, susu 2 kotak"),
        "{}",
        saved.plain_text()
    );
    let bad = app.say(&admin, "/paket beras 5 kg").await;
    assert!(
        bad.plain_text().contains("Tulis paket"),
        "{}",
        bad.plain_text()
    );
    let cadence = app.say(&admin, "/jadwal Mingguan: mingguan senin").await;
    assert!(
        cadence.plain_text().contains("setiap Senin"),
        "{}",
        cadence.plain_text()
    );
    let bad = app.say(&admin, "/jadwal Sering: cron 0 8 * * *").await;
    assert!(
        bad.plain_text().contains("terlalu sering"),
        "{}",
        bad.plain_text()
    );
    let menu = app.say(&admin, "/bawaan").await;
    let step = app.press(&admin, &menu, "Seluruh program").await;
    let step = app.press(&admin, &step, "Paket gizi").await;
    let step = app.press(&admin, &step, "Mingguan").await;
    let saved = app.press(&admin, &step, "orang tua asuh").await;
    assert!(
        saved.plain_text().contains("Paket gizi"),
        "{}",
        saved.plain_text()
    );
}

/// Pairs a child with Ani and has her accept; the offer shows the plan, the answer the first delivery.
pub async fn sponsor_child(app: &TestApp, ani: &TestUser, child_name: &str) -> i64 {
    let child = app
        .db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{}'",
            child_name.replace('\'', "''")
        ))
        .await;
    app.say(&app.admin(), &format!("/pasangkan {child} {ANI}"))
        .await;
    let offer = expect(app, ani.id, "Paket gizi").await;
    let accepted = app.press(ani, &offer, "Terima").await;
    assert!(
        accepted.plain_text().contains("Pengiriman pertama"),
        "{}",
        accepted.plain_text()
    );
    child
}

pub struct Programme {
    pub app: TestApp,
    pub ani: TestUser,
    pub kader: TestUser,
    /// The first delivery's date (a Monday, Kendari time).
    pub due: NaiveDate,
}

pub async fn programme(env: &[(&str, &str)]) -> Programme {
    let mut app = TestApp::new().await;
    // Far enough ahead that the first "3 days before" reminder is still to come whatever the hour.
    app.set_env("ASUH_FIRST_DELIVERY_DAYS", "5");
    for (k, v) in env {
        app.set_env(k, v);
    }
    app.start().await;
    app.setup_programme().await;
    let ani = app.approved_sponsor(ANI, "Ani", "2").await;
    let kader = volunteer(&app, KADER).await;
    plan_programme(&app).await;
    sponsor_child(&app, &ani, "Muhammad Fathan").await;
    let due = first_due(&app).await;
    assert_eq!(due.weekday(), chrono::Weekday::Mon);
    let planned = app
        .db
        .scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'scheduled'")
        .await;
    assert!((7..=10).contains(&planned), "60 days of Mondays: {planned}");
    // What accepting sent to the volunteer and the coordinator is not what these tests look at.
    expect(&app, KADER, "Muhammad").await;
    expect(&app, ADMIN_ID, "Ani").await;
    Programme {
        app,
        ani,
        kader,
        due,
    }
}

pub async fn first_due(app: &TestApp) -> NaiveDate {
    let text = app
        .db
        .text("SELECT MIN(due_on) FROM deliveries WHERE status <> 'cancelled'")
        .await
        .expect("a planned delivery");
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").expect("a date")
}

/// The status of the delivery due on `day`.
pub async fn status_on(app: &TestApp, day: NaiveDate) -> Option<String> {
    app.db
        .text(&format!(
            "SELECT status FROM deliveries WHERE due_on = '{day}'"
        ))
        .await
}

/// "2026-12-07T08:00:00+08:00": a moment in Kendari (WITA).
pub fn wita(day: NaiveDate, time: &str) -> String {
    format!("{day}T{time}:00+08:00")
}

/// After the bot asked how the package was received (`question`): "received in full", then "send".
pub async fn confirm_in_full(
    app: &TestApp,
    user: &TestUser,
    question: &SentMessage,
) -> SentMessage {
    assert!(
        question
            .plain_text()
            .contains("Bagaimana paketnya diterima"),
        "{}",
        question.plain_text()
    );
    let summary = app.press(user, question, "Diterima lengkap").await;
    assert!(
        summary.plain_text().contains("Ringkasan konfirmasi"),
        "{}",
        summary.plain_text()
    );
    let done = app.press(user, &summary, "Kirim").await;
    assert!(
        done.plain_text().contains("tercatat: diterima lengkap"),
        "{}",
        done.plain_text()
    );
    done
}

/// Sends a photo and confirms the delivery it is for in full (the bot asked for the photo already).
pub async fn photo_in_full(app: &TestApp, user: &TestUser, file_id: &str) -> SentMessage {
    app.tg.send_photo(user, file_id, None);
    let question = app.tg.next_message(user.id).await;
    confirm_in_full(app, user, &question).await
}
