//! End to end: no sponsored child falls through the cracks. A fresh programme has a working plan from the
//! first offer; a changed default is offered to the sponsorships without a plan; a delivery always has a
//! deliverer who exists; a sponsor who cannot be reached for days loses the children to others after a
//! coordinator says so; buttons and notices say whose delivery, which child and which day.

mod support;

use chrono::Duration as Days;
use std::time::Duration;
use support::programme::{ANI, Programme, expect, first_due, programme, wita};
use support::{ADMIN_ID, TestApp, TestUser};

async fn child_id(app: &TestApp, name: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{}'",
            name.replace('\'', "''")
        ))
        .await
}

/// Pairs a child with a sponsor by hand and has them accept; returns the accepting answer.
async fn pair_and_accept(app: &TestApp, sponsor: &TestUser, child: i64) -> String {
    app.tg
        .send_text(&app.admin(), &format!("/pasangkan {child} {}", sponsor.id));
    expect(app, ADMIN_ID, "dikirim").await;
    let offer = expect(app, sponsor.id, "Inisial").await;
    app.press(sponsor, &offer, "Terima").await.plain_text()
}

#[tokio::test]
async fn a_fresh_programme_plans_deliveries_from_the_first_acceptance() {
    let app = TestApp::spawn().await;
    app.setup_programme().await;
    let ani = app.approved_sponsor(ANI, "Ani", "2").await;
    // Nobody set a package, a cadence or a default: the programme's own default serves.
    let packages = app.say(&app.admin(), "/paket").await.plain_text();
    assert!(packages.contains("Paket bulanan"), "{packages}");
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let accepted = pair_and_accept(&app, &ani, fathan).await;
    assert!(accepted.contains("Pengiriman pertama"), "{accepted}");
    assert!(
        app.db
            .scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'scheduled'")
            .await
            >= 1
    );
}

#[tokio::test]
async fn a_new_default_is_offered_to_the_sponsorships_without_a_plan() {
    let Programme { app, .. } = programme(&[]).await;
    // A sponsorship from before there were defaults (an older programme): no package, no deliveries.
    app.db
        .exec("UPDATE sponsorships SET package_id = NULL, cadence_id = NULL, deliverer = NULL")
        .await;
    app.db.exec("DELETE FROM deliveries").await;
    let menu = app.say(&app.admin(), "/bawaan").await;
    let step = app.press(&app.admin(), &menu, "Seluruh program").await;
    let step = app.press(&app.admin(), &step, "Paket gizi").await;
    let step = app.press(&app.admin(), &step, "Mingguan").await;
    let saved = app.press(&app.admin(), &step, "orang tua asuh").await;
    let apply = saved
        .button_data("Terapkan")
        .unwrap_or_else(|| panic!("no offer to apply: {:?}", saved.buttons()));
    assert!(
        saved.plain_text().contains("1 pengasuhan"),
        "{}",
        saved.plain_text()
    );
    app.tg.press_button(&app.admin(), &saved, &apply);
    let done = expect(&app, ADMIN_ID, "diterapkan").await.plain_text();
    assert!(done.contains('1'), "{done}");
    let told = expect(&app, ANI, "Muhammad").await.plain_text();
    assert!(told.contains("Paket gizi"), "{told}");
    assert!(
        app.db
            .scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'scheduled'")
            .await
            >= 7
    );
    // Pressed again: nothing left without a plan.
    app.tg.press_button(&app.admin(), &saved, &apply);
    let again = app.answer(&app.admin(), 0).await;
    assert!(
        again.contains("diterapkan") && again.contains('0'),
        "{again}"
    );
}

#[tokio::test]
async fn where_no_volunteer_serves_the_sponsor_delivers_and_is_told_so() {
    let Programme { app, ani, .. } = programme(&[]).await;
    // Kota Kendari's default: volunteers hand the packages over. Mandonga has one; Wua-Wua has none.
    let menu = app.say(&app.admin(), "/bawaan").await;
    let step = app.press(&app.admin(), &menu, "Kota Kendari").await;
    let step = app.press(&app.admin(), &step, "Paket gizi").await;
    let step = app.press(&app.admin(), &step, "Mingguan").await;
    app.press(&app.admin(), &step, "relawan").await;
    let fadil = child_id(&app, "Fadil Akbar").await;
    let accepted = pair_and_accept(&app, &ani, fadil).await;
    assert!(
        accepted.contains("Belum ada relawan") && accepted.contains("Anda sendiri"),
        "{accepted}"
    );
    let warned = expect(&app, ADMIN_ID, "Belum ada relawan")
        .await
        .plain_text();
    assert!(warned.contains("Wua-Wua"), "{warned}");
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT deliverer FROM sponsorships WHERE child_id = {fadil}"
            ))
            .await
            .as_deref(),
        Some("sponsor")
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM deliveries WHERE child_id = {fadil} AND deliverer <> 'sponsor'"
            ))
            .await,
        0
    );
    // In Mandonga the volunteer delivers, as the default says.
    let budi = app.approved_sponsor(730_002, "Budi", "1").await;
    let nayla = child_id(&app, "Nayla Khairunnisa").await;
    let accepted = pair_and_accept(&app, &budi, nayla).await;
    assert!(accepted.contains("relawan"), "{accepted}");
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT deliverer FROM sponsorships WHERE child_id = {nayla}"
            ))
            .await
            .as_deref(),
        Some("volunteer")
    );
}

#[tokio::test]
async fn reminder_buttons_name_the_child_and_the_day() {
    let Programme { app, ani, due, .. } = programme(&[]).await;
    support::programme::sponsor_child(&app, &ani, "Siti Nur'aini").await;
    app.tick(&wita(due - Days::days(3), "08:00")).await;
    let reminder = expect(&app, ANI, "2 pengiriman").await;
    let day = due.format("%d/%m").to_string();
    let labels: Vec<String> = reminder.buttons().into_iter().map(|(l, _)| l).collect();
    assert!(
        labels
            .iter()
            .any(|l| l.contains("Muhammad") && l.contains(&day))
            && labels
                .iter()
                .any(|l| l.contains("Siti") && l.contains(&day)),
        "{labels:?}"
    );
}

#[tokio::test]
async fn a_late_delivery_tells_the_coordinator_whose_it_is_with_buttons_to_act() {
    let Programme { app, ani, due, .. } = programme(&[]).await;
    support::programme::sponsor_child(&app, &ani, "Nayla Khairunnisa").await;
    app.tick(&wita(due + Days::days(3), "08:00")).await;
    let escalation = expect(&app, ADMIN_ID, "terlambat").await;
    let text = escalation.plain_text();
    assert!(
        !text.contains("menunggu Anda") && text.contains("Ani Saputra"),
        "{text}"
    );
    let labels: Vec<String> = escalation.buttons().into_iter().map(|(l, _)| l).collect();
    assert!(
        labels.iter().any(|l| l.contains("Ingatkan"))
            && labels.iter().any(|l| l.contains("Alihkan"))
            && labels.iter().any(|l| l.contains("Muhammad")),
        "{labels:?}"
    );
    // Remind: the sponsor hears of it at once.
    let data = escalation.button_data("Ingatkan").expect("remind");
    app.tg.press_button(&app.admin(), &escalation, &data);
    expect(&app, ANI, "terlambat").await;
    // Reassign: the sponsors of the area with a free place, as buttons; one press offers the child.
    support::programme::volunteer(&app, 730_150).await;
    let budi = app.approved_sponsor(730_002, "Budi", "1").await;
    let data = escalation.button_data("Alihkan").expect("reassign");
    app.tg.press_button(&app.admin(), &escalation, &data);
    let choose = expect(&app, ADMIN_ID, "Pilih orang tua asuh baru").await;
    app.press(&app.admin(), &choose, "Budi").await;
    let offer = expect(&app, budi.id, "Inisial").await.plain_text();
    assert!(offer.contains("M. F."), "{offer}");
}

#[tokio::test]
async fn approving_one_registration_keeps_the_others_and_reasons_reach_the_coordinator() {
    let app = TestApp::spawn().await;
    app.setup_programme().await;
    app.pending_sponsor(740_001, "Rina", "1", "Mandonga").await;
    app.pending_sponsor(740_002, "Tono", "1", "Mandonga").await;
    for _ in 0..2 {
        expect(&app, ADMIN_ID, "Pendaftaran").await;
    }
    let list = app.say(&app.admin(), "/menunggu").await;
    assert_eq!(list.buttons().len(), 4, "{:?}", list.buttons());
    let after = app.press(&app.admin(), &list, "✅ 1.").await;
    let text = after.plain_text();
    assert!(
        text.contains("Rina Saputra") && text.contains("Tono Saputra"),
        "{text}"
    );
    let labels: Vec<String> = after.buttons().into_iter().map(|(l, _)| l).collect();
    assert!(
        labels.iter().any(|l| l.contains("Tono")) && !labels.iter().any(|l| l.contains("Rina")),
        "{labels:?}"
    );
    // A decline's reason reaches the coordinators, with the registered name.
    let rina = TestUser::new(740_001, "Rina", Some("id"));
    let fathan = child_id(&app, "Muhammad Fathan").await;
    app.say(&app.admin(), &format!("/pasangkan {fathan} 740001"))
        .await;
    let offer = expect(&app, 740_001, "Inisial").await;
    app.press(&rina, &offer, "Tolak").await;
    let declined = expect(&app, ADMIN_ID, "menolak").await.plain_text();
    assert!(declined.contains("Rina Saputra"), "{declined}");
    app.say(&rina, "Rumah saya terlalu jauh").await;
    let reason = expect(&app, ADMIN_ID, "terlalu jauh").await.plain_text();
    assert!(reason.contains("Rina Saputra"), "{reason}");
}

#[tokio::test]
async fn a_coordinator_from_asuh_admins_is_welcomed_and_gets_the_menu_at_the_first_message() {
    let app = TestApp::spawn().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        app.tg
            .calls("setMyCommands")
            .iter()
            .all(|c| c.status == 200),
        "a menu went to a chat that does not exist yet"
    );
    let hello = app.say(&app.admin(), "/start").await.plain_text();
    assert!(!hello.contains("kembali"), "{hello}");
    assert!(hello.contains("koordinator"), "{hello}");
    app.tg
        .wait_for_call(
            "setMyCommands",
            |c| c.params["scope"]["chat_id"] == ADMIN_ID && c.status == 200,
            Duration::from_secs(10),
        )
        .await
        .expect("the coordinator's menu after the first message");
    let again = app.say(&app.admin(), "/start").await.plain_text();
    assert!(again.contains("kembali"), "{again}");
}

#[tokio::test]
async fn a_sponsor_unreachable_for_days_loses_the_children_once_a_coordinator_says_so() {
    let Programme { app, .. } = programme(&[("ASUH_UNREACHABLE_DAYS", "7")]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    // Ani blocks the bot: her next message fails with 403 and she is marked unreachable.
    app.tg.block_user(ANI);
    app.say(&app.admin(), &format!("/anak_lihat {fathan}"))
        .await;
    let first = first_due(&app).await;
    app.tick(&wita(first - Days::days(3), "08:00")).await;
    app.wait_for(
        &format!("SELECT COUNT(*) FROM users WHERE id = {ANI} AND unreachable_at IS NOT NULL"),
        1,
    )
    .await;
    expect(&app, ADMIN_ID, "memblokir bot").await;
    // A week and a day after that reminder could not be delivered, the coordinators are asked, once.
    let later = wita(first + Days::days(5), "09:00");
    app.tick(&later).await;
    let ask = expect(&app, ADMIN_ID, "tidak dapat dihubungi lewat Telegram").await;
    app.tick(&wita(first + Days::days(5), "11:00")).await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'unreachable:%'")
            .await,
        1,
        "asked once"
    );
    let data = ask.button_data("Lepaskan").expect("the release button");
    app.tg.press_button(&app.admin(), &ask, &data);
    // The answer to the press (a reminder about the child may still be on its way before it).
    let done = expect(&app, ADMIN_ID, "dilepas").await.plain_text();
    assert!(done.contains("1 pengasuhan"), "{done}");
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT status || ' ' || COALESCE(end_reason, '') FROM sponsorships WHERE child_id = {fathan}"
            ))
            .await
            .as_deref(),
        Some("ended unreachable")
    );
    assert_eq!(
        app.db
            .text(&format!("SELECT status FROM children WHERE id = {fathan}"))
            .await
            .as_deref(),
        Some("unmatched")
    );
}

#[tokio::test]
async fn the_programme_checks_itself_and_each_finding_has_its_fix() {
    let Programme { app, .. } = programme(&[]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let siti = child_id(&app, "Siti Nur'aini").await;
    // Broken on purpose: Fathan's deliveries gone, Siti marked sponsored without a sponsor.
    app.db.exec("DELETE FROM deliveries").await;
    app.db
        .exec(&format!(
            "UPDATE children SET status = 'matched' WHERE id = {siti}"
        ))
        .await;
    let out = app.cli(&["doctor"]);
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(2), "{printed}");
    for code in [
        "sponsorship-without-deliveries",
        "sponsored-without-sponsor",
        "waiting-with-sponsor-free",
    ] {
        assert!(printed.contains(code), "{code}: {printed}");
    }

    let check = app.say(&app.admin(), "/periksa").await;
    let text = check.plain_text();
    assert!(
        text.contains("Muhammad Fathan") && text.contains("Siti"),
        "{text}"
    );
    // Each fix, pressed.
    let plan = check
        .button_data("Rencanakan Muhammad")
        .expect("plan button");
    app.tg.press_button(&app.admin(), &check, &plan);
    expect(&app, ADMIN_ID, "pengiriman baru").await;
    expect(&app, ANI, "Muhammad").await;
    assert!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM deliveries WHERE child_id = {fathan} AND status = 'scheduled'"
            ))
            .await
            >= 7
    );
    let sync = check
        .button_data("Perbaiki status Siti")
        .expect("sync button");
    app.tg.press_button(&app.admin(), &check, &sync);
    expect(&app, ADMIN_ID, "diperbaiki").await;
    assert_eq!(
        app.db
            .text(&format!("SELECT status FROM children WHERE id = {siti}"))
            .await
            .as_deref(),
        Some("unmatched")
    );
    // A Mandonga child waits while Ani has a free place: offer her one.
    let offer = check.button_data("Tawarkan").expect("offer button");
    app.tg.press_button(&app.admin(), &check, &offer);
    let choose = expect(&app, ADMIN_ID, "Pilih orang tua asuh baru").await;
    app.press(&app.admin(), &choose, "Ani").await;
    expect(&app, ANI, "Inisial").await;
    // What is left is only what was not broken on purpose.
    let out = app.cli(&["doctor", "--region", "74.71.01"]);
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        !printed.contains("sponsorship-without-deliveries")
            && !printed.contains("sponsored-without-sponsor"),
        "{printed}"
    );
}

#[tokio::test]
async fn the_coordinators_digest_says_what_needs_attention_with_the_fix() {
    let Programme { app, .. } = programme(&[]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    // Broken on purpose: Fathan's sponsorship has no deliveries left.
    app.db
        .exec(&format!("DELETE FROM deliveries WHERE child_id = {fathan}"))
        .await;
    app.tg.send_text(&app.admin(), "/ringkasan");
    let digest = expect(&app, ADMIN_ID, "Perlu perhatian").await;
    let text = digest.plain_text();
    assert!(
        text.contains("Muhammad Fathan") && text.contains("tanpa pengiriman yang akan datang"),
        "{text}"
    );
    let plan = digest
        .button_data("Rencanakan Muhammad")
        .expect("the fix under the digest");
    app.tg.press_button(&app.admin(), &digest, &plan);
    expect(&app, ADMIN_ID, "pengiriman baru").await;
    // Fixed: the next digest has nothing of it.
    app.tg.send_text(&app.admin(), "/ringkasan");
    let next = expect(&app, ADMIN_ID, "Ringkasan").await.plain_text();
    assert!(
        !next.contains("tanpa pengiriman yang akan datang"),
        "{next}"
    );
}
