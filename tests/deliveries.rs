//! End to end: delivery plans, reminders with a moved clock (`asuh tick --at`), the sponsor's reschedule
//! and skip, escalation, quiet hours, catching up after downtime, and the outbox under Telegram's errors,
//! a crash, and several processes on one database.

mod support;

use chrono::Duration as Days;
use std::time::Duration;
use support::programme::{
    ANI, KADER, Programme, expect, first_due, photo_in_full, plan_programme, programme,
    sponsor_child, status_on, wita,
};
use support::{ADMIN_ID, Failure, TestApp, TestUser};

fn reminders_to(app: &TestApp, chat: i64) -> Vec<String> {
    app.tg
        .messages_to(chat)
        .into_iter()
        .filter(|m| m.method == "sendMessage")
        .map(|m| m.plain_text())
        .filter(|t| t.contains("🧺") || t.contains("⚠️") || t.contains("🚨"))
        // The list a sponsor asks for with /pengiriman is not a reminder.
        .filter(|t| !t.contains("Pengiriman Anda berikutnya"))
        .collect()
}

#[tokio::test]
async fn reminders_come_at_each_offset_once_and_overdue_ones_escalate() {
    let Programme {
        app,
        ani,
        kader,
        due,
    } = programme(&[]).await;

    // Three days before, at 08:00 Kendari time — not a minute earlier, and only once.
    let out = app.tick(&wita(due - Days::days(3), "07:59")).await;
    assert!(out.contains("0 reminded"), "{out}");
    app.tg
        .expect_no_message(ANI, Duration::from_millis(300))
        .await;
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    let before = expect(&app, ANI, "3 hari lagi").await;
    assert!(
        before.plain_text().contains("Muhammad") && !before.plain_text().contains("Fathan"),
        "first name only: {}",
        before.plain_text()
    );
    let labels: Vec<String> = before.buttons().into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels, ["✅ Sudah diantar", "📅 Ganti tanggal", "⏭ Lewati"]);
    app.tick(&wita(due - Days::days(3), "08:05")).await;
    app.tick(&wita(due - Days::days(2), "12:00")).await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(300))
        .await;

    // The morning of the due day.
    app.tick(&wita(due, "07:00")).await;
    expect(&app, ANI, "Hari ini").await;

    // Two days late: the sponsor again, and the area's volunteer; the coordinator a day later.
    app.tick(&wita(due + Days::days(2), "08:00")).await;
    expect(&app, ANI, "terlambat 2 hari").await;
    let escalated = expect(&app, KADER, "terlambat 2 hari").await;
    assert!(
        escalated.plain_text().contains("Ani"),
        "{}",
        escalated.plain_text()
    );
    app.tg
        .expect_no_message(ADMIN_ID, Duration::from_millis(300))
        .await;
    app.tick(&wita(due + Days::days(3), "08:00")).await;
    let coordinator = expect(&app, ADMIN_ID, "Belum diantar").await;
    assert!(
        coordinator.plain_text().contains("Muhammad Fathan"),
        "{}",
        coordinator.plain_text()
    );
    assert_eq!(status_on(&app, due).await.as_deref(), Some("overdue"));

    // The volunteer hands it over: ✅, a photo, confirmed; the sponsor is thanked.
    let ask = app.press(&kader, &escalated, "Sudah diantar").await;
    assert!(
        ask.plain_text().contains("Kirim foto"),
        "{}",
        ask.plain_text()
    );
    photo_in_full(&app, &kader, "photo-1").await;
    expect(&app, ANI, "dikonfirmasi relawan").await;
    assert_eq!(status_on(&app, due).await.as_deref(), Some("confirmed"));
    // Pressing ✅ again says who confirmed it.
    let again = app.press(&ani, &before, "Sudah diantar").await;
    assert!(
        again.plain_text().contains("sudah dikonfirmasi oleh"),
        "{}",
        again.plain_text()
    );

    // Nothing more about that delivery, ever: each reminder went out once (next week's has its own).
    app.tick(&wita(due + Days::days(5), "09:00")).await;
    let day = due.format("%d-%m-%Y").to_string();
    let ani_reminders: Vec<String> = reminders_to(&app, ANI)
        .into_iter()
        .filter(|t| t.contains(&day))
        .collect();
    assert_eq!(ani_reminders.len(), 3, "{ani_reminders:#?}");
    assert_eq!(reminders_to(&app, KADER).len(), 1);
    app.assert_spec_clean();
}

#[tokio::test]
async fn quiet_hours_wait_for_the_morning_and_a_missed_day_comes_as_one_message() {
    let Programme { app, ani, due, .. } =
        programme(&[("ASUH_REMINDERS", "-3d@22:30,0d@07:00,+2d@08:00")]).await;
    sponsor_child(&app, &ani, "Siti Nur'aini").await;
    assert_eq!(
        first_due(&app).await,
        due,
        "both children on the same Monday"
    );

    // 22:30 is inside quiet hours: the reminder waits for 06:00.
    app.tick(&wita(due - Days::days(3), "22:30")).await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(500))
        .await;
    app.tick(&wita(due - Days::days(2), "05:59")).await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(300))
        .await;
    app.tick(&wita(due - Days::days(2), "06:00")).await;
    let morning = expect(&app, ANI, "pengiriman menunggu").await;
    assert!(
        morning.plain_text().contains("Muhammad") && morning.plain_text().contains("Siti"),
        "one message for both children: {}",
        morning.plain_text()
    );
    assert!(
        morning.plain_text().contains("2 hari lagi"),
        "counted from the morning it is read: {}",
        morning.plain_text()
    );

    // The bot was down from before the due day until two days after: one message per person, with the
    // latest state, not every reminder it missed.
    app.tick(&wita(due + Days::days(2), "09:00")).await;
    let late = expect(&app, ANI, "terlambat 2 hari").await;
    assert!(
        late.plain_text().contains("2 pengiriman"),
        "{}",
        late.plain_text()
    );
    app.tg
        .expect_no_message(ANI, Duration::from_millis(500))
        .await;
    // Only Muhammad lives in the volunteer's Mandonga; Siti's Kadia has no volunteer.
    let volunteer = expect(&app, KADER, "terlambat 2 hari").await;
    assert!(
        volunteer.plain_text().contains("Muhammad"),
        "{}",
        volunteer.plain_text()
    );
    app.tg
        .expect_no_message(KADER, Duration::from_millis(300))
        .await;
    assert_eq!(reminders_to(&app, ANI).len(), 2);
}

#[tokio::test]
async fn a_sponsor_reschedules_and_skips_and_the_coordinator_sees_both() {
    let Programme { app, ani, due, .. } = programme(&[]).await;
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    let reminder = expect(&app, ANI, "3 hari lagi").await;

    // Reschedule to the day after: date buttons, within the limits.
    let days = app.press(&ani, &reminder, "Ganti tanggal").await;
    let new_day = due + Days::days(1);
    let label = new_day.format("%d-%m-%Y").to_string();
    assert!(
        days.buttons()
            .iter()
            .all(|(l, _)| !l.contains(&due.format("%d-%m-%Y").to_string())),
        "not the same day: {:?}",
        days.buttons()
    );
    let done = app.press(&ani, &days, &label).await;
    assert!(
        done.plain_text().contains("Dicatat"),
        "{}",
        done.plain_text()
    );
    let told = expect(&app, ADMIN_ID, "memindahkan").await;
    assert!(told.plain_text().contains(&label), "{}", told.plain_text());
    // A forged date outside the limits is refused.
    let delivery = app
        .db
        .scalar(&format!("SELECT id FROM deliveries WHERE slot = '{due}'"))
        .await;
    let far = (due + Days::days(30)).format("%Y%m%d");
    let refusal = app
        .press_for_answer(&ani, &days, &format!("dt:{delivery}:{far}"))
        .await;
    assert!(refusal.contains("terlalu jauh"), "{refusal}");

    // Reminders follow the new date: three days before it, not on the old day.
    app.tick(&wita(due - Days::days(2), "08:00")).await;
    let moved = expect(&app, ANI, "3 hari lagi").await;
    assert!(
        moved.plain_text().contains(&label),
        "{}",
        moved.plain_text()
    );
    app.tick(&wita(due, "07:00")).await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(300))
        .await;
    app.tick(&wita(new_day, "07:00")).await;
    expect(&app, ANI, "Hari ini").await;

    // Skip next week's delivery from the list, with a reason.
    let next = due + Days::days(7);
    let next_id = app
        .db
        .scalar(&format!("SELECT id FROM deliveries WHERE slot = '{next}'"))
        .await;
    let list = app.say(&ani, "/pengiriman").await;
    assert!(
        list.plain_text().contains("Muhammad"),
        "{}",
        list.plain_text()
    );
    app.tg.press_button(&ani, &list, &format!("dk:{next_id}"));
    let ask = app.tg.next_message(ANI).await;
    assert!(ask.plain_text().contains("Mengapa"), "{}", ask.plain_text());
    let short = app.say(&ani, "x").await;
    assert!(
        short.plain_text().contains("beberapa kata"),
        "{}",
        short.plain_text()
    );
    let skipped = app.say(&ani, "Keluarga sedang ke luar kota").await;
    assert!(
        skipped.plain_text().contains("dilewati"),
        "{}",
        skipped.plain_text()
    );
    let told = expect(&app, ADMIN_ID, "melewati").await;
    assert!(
        told.plain_text().contains("Keluarga sedang ke luar kota"),
        "{}",
        told.plain_text()
    );
    app.tick(&wita(next, "07:00")).await;
    let next_label = next.format("%d-%m-%Y").to_string();
    let about_skipped: Vec<String> = reminders_to(&app, ANI)
        .into_iter()
        .filter(|t| t.contains(&next_label))
        .collect();
    assert!(about_skipped.is_empty(), "{about_skipped:#?}");
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT status FROM deliveries WHERE id = {next_id}"
            ))
            .await
            .as_deref(),
        Some("skipped")
    );
}

#[tokio::test]
async fn a_sponsor_who_blocked_the_bot_is_reported_once_and_not_retried() {
    let Programme { app, due, .. } = programme(&[]).await;
    app.tg.block_user(ANI);
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    let told = expect(&app, ADMIN_ID, "memblokir bot").await;
    assert!(told.plain_text().contains("Ani"), "{}", told.plain_text());
    app.tick(&wita(due, "07:00")).await;
    app.tick(&wita(due + Days::days(2), "08:00")).await;
    app.tg
        .expect_no_message(ADMIN_ID, Duration::from_millis(500))
        .await;
    let attempts = app
        .tg
        .calls("sendMessage")
        .into_iter()
        .filter(|c| c.params["chat_id"].as_i64() == Some(ANI) && c.status == 403)
        .count();
    assert_eq!(attempts, 1, "Telegram is asked once; the rest fail at once");
    let failed = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM outbox WHERE chat_id = {ANI} AND status = 'failed'"
        ))
        .await;
    assert_eq!(failed, 3);
    let pending = app
        .db
        .scalar("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
        .await;
    assert_eq!(pending, 0, "nothing is retried forever");
}

#[tokio::test]
async fn a_429_storm_and_a_5xx_delay_reminders_but_lose_and_repeat_none() {
    let Programme { app, due, .. } = programme(&[]).await;
    app.tg.set_rate_limits(true);
    app.tg.fail_next("sendMessage", 4, Failure::RetryAfter(1));
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    expect(&app, ANI, "3 hari lagi").await;
    let throttled = app
        .tg
        .calls("sendMessage")
        .into_iter()
        .filter(|c| c.status == 429)
        .count();
    assert_eq!(throttled, 4);

    app.tg
        .fail_next("sendMessage", 1, Failure::ServerError(502));
    app.tick(&wita(due, "07:00")).await;
    expect(&app, ANI, "Hari ini").await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(500))
        .await;
    assert_eq!(
        reminders_to(&app, ANI).len(),
        2,
        "{:#?}",
        reminders_to(&app, ANI)
    );
    let errors = app
        .db
        .text(
            "SELECT last_error FROM outbox WHERE attempts > 1 AND status = 'sent' ORDER BY id DESC",
        )
        .await
        .unwrap_or_default();
    assert!(!errors.is_empty(), "the retried row keeps what went wrong");
}

#[tokio::test]
async fn a_crash_between_claim_and_send_loses_nothing_and_sends_once() {
    let Programme { app, due, .. } = programme(&[("ASUH_OUTBOX_LEASE_SECS", "2")]).await;
    app.tg.fail_next("sendMessage", 1, Failure::Hang);
    let at = wita(due - Days::days(3), "08:00");
    let tick = Processes(vec![app.spawn_cli(&["tick", "--at", &at])]);
    // The reminder is claimed and its send hangs: kill the process right there.
    let mut claimed = false;
    for _ in 0..200 {
        if app
            .db
            .scalar(&format!(
                "SELECT COUNT(*) FROM outbox WHERE chat_id = {ANI} AND status = 'sending'"
            ))
            .await
            == 1
        {
            claimed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        claimed,
        "the reminder was never claimed; log:\n{}",
        app.log_text()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(tick);

    // Within the lease nobody takes it over; after it, the next pass sends it, once.
    app.tick(&at).await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(300))
        .await;
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    app.tick(&at).await;
    expect(&app, ANI, "3 hari lagi").await;
    app.tick(&at).await;
    app.tg
        .expect_no_message(ANI, Duration::from_millis(500))
        .await;
    assert_eq!(reminders_to(&app, ANI).len(), 1);
}

/// Creates `n` sponsors, children and active sponsorships by SQL, each with a delivery whose "morning of"
/// reminder is due now: the setup of a big programme without a thousand chat registrations.
async fn seed_due_deliveries(app: &TestApp, n: i64) {
    let now = chrono::Utc::now().timestamp_millis();
    let today = chrono::Utc::now().date_naive();
    let package = app.db.scalar("SELECT MIN(id) FROM packages").await;
    for i in 0..n {
        let user = 800_000 + i;
        app.tg
            .add_private_chat(&TestUser::new(user, &format!("S{i}"), Some("id")));
        app.db
            .exec(&format!(
                "INSERT INTO users (id, first_name, language, created_at, updated_at)
                 VALUES ({user}, 'S{i}', 'id', {now}, {now})"
            ))
            .await;
        app.db
            .exec(&format!(
                "INSERT INTO sponsors (user_id, full_name, phone, kecamatan_code, capacity, status, submitted_at)
                 VALUES ({user}, 'Sponsor {i}', '62812000{i:04}', '74.71.01', 1, 'approved', {now})"
            ))
            .await;
        app.db
            .exec(&format!(
                "INSERT INTO children (full_name, sex, birth_date, guardian_name, kecamatan_code, identity_key,
                     fingerprint, status, waiting_since, created_at, updated_at)
                 VALUES ('Anak {i}', 'm', '2024-01-01', 'Ibu {i}', '74.71.01', 'seed-{i}', 'seed-{i}', 'matched',
                     {now}, {now}, {now})"
            ))
            .await;
        let child = app
            .db
            .scalar(&format!(
                "SELECT id FROM children WHERE identity_key = 'seed-{i}'"
            ))
            .await;
        app.db
            .exec(&format!(
                "INSERT INTO sponsorships (child_id, sponsor_id, status, origin, proposed_at, started_at, months,
                     monthly_amount, package_id, cadence_id, deliverer, planned_until)
                 VALUES ({child}, {user}, 'active', 'manual', {now}, {now}, 6, 500000, {package},
                     (SELECT MIN(id) FROM cadences), 'sponsor', '2099-01-01')"
            ))
            .await;
        let sponsorship = app
            .db
            .scalar(&format!(
                "SELECT id FROM sponsorships WHERE child_id = {child}"
            ))
            .await;
        app.db
            .exec(&format!(
                "INSERT INTO deliveries (sponsorship_id, child_id, sponsor_id, slot, due_on, due_at, package_id,
                     deliverer, status, created_at, updated_at)
                 VALUES ({sponsorship}, {child}, {user}, '{today}', '{today}', {now}, {package}, 'sponsor', 'due',
                     {now}, {now})"
            ))
            .await;
        app.db
            .exec(&format!(
                "INSERT INTO delivery_reminders (delivery_id, step, next_at)
                 SELECT id, '0d', {now} FROM deliveries WHERE sponsorship_id = {sponsorship}"
            ))
            .await;
    }
}

#[tokio::test]
async fn a_bot_and_two_workers_on_one_postgres_send_each_reminder_once() {
    let mut app = TestApp::new().await;
    if !app.db.is_postgres() {
        eprintln!("skipped: several processes share one database on PostgreSQL only");
        return;
    }
    // Quiet hours off: the test runs at any hour.
    app.set_env("ASUH_QUIET_HOURS", "00:00-00:00");
    app.start().await;
    app.setup_programme().await;
    plan_programme(&app).await;
    app.tg.set_rate_limits(true);
    const N: i64 = 60;
    seed_due_deliveries(&app, N).await;
    // All three start together and find the same 60 reminders due.
    app.restart().await;
    let _workers = Processes(vec![app.spawn_cli(&["worker"]), app.spawn_cli(&["worker"])]);

    let mut sent = 0;
    for _ in 0..400 {
        sent = app
            .db
            .scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND chat_id >= 800000")
            .await;
        if sent >= N {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(sent, N, "log:\n{}", app.log_text());
    tokio::time::sleep(Duration::from_secs(2)).await;
    for i in 0..N {
        let got = reminders_to(&app, 800_000 + i);
        assert_eq!(got.len(), 1, "sponsor {i}: {got:#?}");
    }
    let throttled = app
        .tg
        .calls("sendMessage")
        .into_iter()
        .filter(|c| c.status == 429)
        .count();
    assert_eq!(throttled, 0, "the three senders share Telegram's limits");
}

/// Background processes that are killed when the test ends, passed or failed.
struct Processes(Vec<std::process::Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for p in &mut self.0 {
            let _ = p.kill();
            let _ = p.wait();
        }
    }
}

#[tokio::test]
async fn a_changed_cadence_replans_open_deliveries_and_keeps_confirmed_ones() {
    let Programme { app, ani, due, .. } = programme(&[]).await;
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    let reminder = expect(&app, ANI, "3 hari lagi").await;
    app.press(&ani, &reminder, "Sudah diantar").await;
    photo_in_full(&app, &ani, "photo-ani").await;

    let admin = app.admin();
    let same = app.say(&admin, "/jadwal Lain: mingguan senin").await;
    assert!(
        same.plain_text().contains("sudah ada dengan nama"),
        "{}",
        same.plain_text()
    );
    let changed = app.say(&admin, "/jadwal Mingguan: mingguan kamis").await;
    assert!(
        changed
            .plain_text()
            .contains("1 pengasuhan direncanakan ulang"),
        "{}",
        changed.plain_text()
    );
    assert_eq!(
        status_on(&app, due).await.as_deref(),
        Some("confirmed"),
        "a confirmed delivery is kept"
    );
    let thursdays = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM deliveries WHERE status = 'scheduled' AND due_on > '{}'",
            due
        ))
        .await;
    assert!(thursdays >= 6, "the new Thursdays are planned: {thursdays}");
    let mut monday = due + Days::days(7);
    while monday < due + Days::days(50) {
        let n = app
            .db
            .scalar(&format!(
                "SELECT COUNT(*) FROM deliveries WHERE status = 'scheduled' AND due_on = '{monday}'"
            ))
            .await;
        assert_eq!(n, 0, "no Monday left open on {monday}");
        monday += Days::days(7);
    }
    let duplicates = app
        .db
        .scalar(
            "SELECT COUNT(*) FROM (SELECT due_on FROM deliveries WHERE status <> 'cancelled'
             GROUP BY sponsorship_id, due_on HAVING COUNT(*) > 1) d",
        )
        .await;
    assert_eq!(duplicates, 0);
}
