//! End to end: /start, languages, the sponsor registration and its decision, bad input, restarts.

mod support;

use support::{ADMIN_ID, TestApp, TestUser};

fn budi() -> TestUser {
    TestUser::new(700_001, "Budi", Some("id"))
}

fn jane() -> TestUser {
    TestUser::new(700_002, "Jane", Some("en-US"))
}

#[tokio::test]
async fn newcomer_is_greeted_in_indonesian_and_asked_for_a_role() {
    let app = TestApp::spawn().await;
    let msg = app.say(&budi(), "/start").await;
    assert!(
        msg.plain_text().contains("Selamat datang, Budi"),
        "{}",
        msg.plain_text()
    );
    let labels: Vec<String> = msg.buttons().into_iter().map(|(t, _)| t).collect();
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert!(
        labels[0].contains("Bapak/Bunda Asuh") && labels[1].contains("Relawan"),
        "{labels:?}"
    );
    let volunteer = app.press(&budi(), &msg, "Relawan").await;
    assert!(
        volunteer.plain_text().contains("tautan undangan"),
        "{}",
        volunteer.plain_text()
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn english_speaker_is_greeted_in_english() {
    let app = TestApp::spawn().await;
    let msg = app.say(&jane(), "/start").await;
    assert!(
        msg.plain_text().contains("Welcome, Jane"),
        "{}",
        msg.plain_text()
    );
    let neither = app.press(&jane(), &msg, "Just looking").await;
    assert!(
        neither.plain_text().contains("/help"),
        "{}",
        neither.plain_text()
    );
}

#[tokio::test]
async fn language_choice_is_remembered_across_a_restart() {
    let mut app = TestApp::spawn().await;
    let msg = app.say(&budi(), "/bahasa").await;
    let done = app.press(&budi(), &msg, "English").await;
    assert_eq!(done.method, "editMessageText");
    assert!(
        done.plain_text().contains("Language set to English"),
        "{}",
        done.plain_text()
    );
    // The personal menu is now in English.
    let scope = serde_json::json!({"type": "chat", "chat_id": budi().id});
    let menu = wait_for_menu(&app, &scope, "help").await;
    assert!(
        menu.iter()
            .any(|(c, d)| c == "help" && d == "List of commands"),
        "{menu:?}"
    );

    app.restart().await;
    let help = app.say(&budi(), "/help").await;
    assert!(
        help.plain_text().contains("Commands you can use"),
        "{}",
        help.plain_text()
    );
    assert!(
        help.plain_text().contains("/language"),
        "{}",
        help.plain_text()
    );
}

async fn wait_for_menu(
    app: &TestApp,
    scope: &serde_json::Value,
    command: &str,
) -> Vec<(String, String)> {
    for _ in 0..100 {
        if let Some(menu) = app.tg.my_commands(scope, None)
            && menu.iter().any(|(c, _)| c == command)
        {
            return menu;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "no menu with /{command} for {scope}; calls: {:#?}",
        app.tg.calls("setMyCommands")
    );
}

/// Walks the whole registration; returns the coordinator's approval request.
async fn register(app: &TestApp, user: &TestUser) -> support::SentMessage {
    let start = app.say(user, "/start").await;
    let ask_name = app.press(user, &start, "Bapak/Bunda Asuh").await;
    assert!(
        ask_name.plain_text().contains("nama lengkap"),
        "{}",
        ask_name.plain_text()
    );
    let ask_phone = app.say(user, "Budi Santoso").await;
    assert!(
        ask_phone
            .keyboard_buttons()
            .iter()
            .any(|b| b["request_contact"] == true),
        "{:?}",
        ask_phone.params
    );
    app.tg.send_contact(user, "6281234567890", Some(user.id));
    let saved = app.tg.next_message(user.id).await;
    assert!(
        saved.plain_text().contains("Nomor tersimpan"),
        "{}",
        saved.plain_text()
    );
    let offices = app.tg.next_message(user.id).await;
    assert!(
        offices.plain_text().contains("instansi"),
        "{}",
        offices.plain_text()
    );
    let districts = app.press(user, &offices, "Dinas Kesehatan").await;
    assert_eq!(districts.method, "editMessageText");
    assert!(
        districts.plain_text().contains("kecamatan"),
        "{}",
        districts.plain_text()
    );
    let villages = app.press(user, &districts, "Kendari Barat").await;
    assert!(
        villages.plain_text().contains("Kendari Barat"),
        "{}",
        villages.plain_text()
    );
    let capacity = app.press(user, &villages, "Benu-Benua").await;
    assert!(
        capacity.plain_text().contains("Berapa anak"),
        "{}",
        capacity.plain_text()
    );
    let summary = app.press(user, &capacity, "2").await;
    let text = summary.plain_text();
    for part in [
        "Budi Santoso",
        "+6281234567890",
        "Dinas Kesehatan",
        "Kendari Barat › Benu-Benua",
        "Jumlah anak: 2",
    ] {
        assert!(text.contains(part), "summary lacks {part}: {text}");
    }
    let sent = app.press(user, &summary, "Kirim").await;
    assert!(
        sent.plain_text().contains("Pendaftaran terkirim"),
        "{}",
        sent.plain_text()
    );
    let request = app.tg.next_message(ADMIN_ID).await;
    assert!(
        request
            .plain_text()
            .contains("Pendaftaran Bapak/Bunda Asuh baru"),
        "{}",
        request.plain_text()
    );
    assert!(
        request.plain_text().contains("Budi Santoso"),
        "{}",
        request.plain_text()
    );
    request
}

#[tokio::test]
async fn sponsor_registers_and_a_coordinator_approves() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let request = register(&app, &budi()).await;
    assert_eq!(
        app.db
            .text("SELECT status FROM sponsors WHERE user_id = 700001")
            .await
            .as_deref(),
        Some("pending")
    );

    let decided = app.press(&app.admin(), &request, "Setujui").await;
    assert!(
        decided.plain_text().contains("disetujui oleh Kepala DPPKB"),
        "{}",
        decided.plain_text()
    );
    assert!(
        decided.buttons().is_empty(),
        "the decision removes the buttons"
    );
    let told = app.tg.next_message(budi().id).await;
    assert!(
        told.plain_text().contains("disetujui"),
        "{}",
        told.plain_text()
    );
    assert_eq!(
        app.db
            .text("SELECT status FROM sponsors WHERE user_id = 700001")
            .await
            .as_deref(),
        Some("approved")
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sponsor.approve'")
            .await,
        1
    );

    // A second press of the same button changes nothing and says who decided.
    let answer = app
        .press_for_answer(
            &app.admin(),
            &request,
            &request.button_data("Setujui").expect("button"),
        )
        .await;
    assert!(
        answer.contains("Sudah diputuskan") && answer.contains("Kepala DPPKB"),
        "{answer}"
    );

    // An approved sponsor has the sponsor's commands, and still not the coordinator's.
    let help = app.say(&budi(), "/bantuan").await;
    assert!(
        help.plain_text().contains("/anak") && !help.plain_text().contains("/menunggu"),
        "{}",
        help.plain_text()
    );
    let refused = app.say(&budi(), "/menunggu").await;
    assert!(
        refused.plain_text().contains("bukan untuk peran Anda"),
        "{}",
        refused.plain_text()
    );
    let me = app.say(&budi(), "/saya").await;
    assert!(
        me.plain_text().contains("disetujui") && me.plain_text().contains("Benu-Benua"),
        "{}",
        me.plain_text()
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn english_registration_with_typed_capacity_is_rejected_by_the_coordinator() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let jane = jane();
    let ask_name = app.say(&jane, "/register").await;
    assert!(
        ask_name.plain_text().contains("full name"),
        "{}",
        ask_name.plain_text()
    );
    app.say(&jane, "Jane Doe").await;
    app.tg
        .send_contact(&jane, "+62 812 0000 1111", Some(jane.id));
    app.tg.next_message(jane.id).await;
    let offices = app.tg.next_message(jane.id).await;
    let districts = app.press(&jane, &offices, "Community member").await;
    // Mandonga has no villages set up: straight to the number of children.
    let capacity = app.press(&jane, &districts, "Mandonga").await;
    assert!(
        capacity.plain_text().contains("How many"),
        "{}",
        capacity.plain_text()
    );
    let summary = app.say(&jane, "12").await;
    assert!(
        summary.plain_text().contains("Children: 12"),
        "{}",
        summary.plain_text()
    );
    assert!(
        summary.plain_text().contains("Community member"),
        "{}",
        summary.plain_text()
    );
    app.press(&jane, &summary, "Submit").await;
    let request = app.tg.next_message(ADMIN_ID).await;
    // The coordinator reads it in their own language (Indonesian).
    assert!(
        request.plain_text().contains("Masyarakat umum"),
        "{}",
        request.plain_text()
    );
    app.press(&app.admin(), &request, "Tolak").await;
    let told = app.tg.next_message(jane.id).await;
    assert!(
        told.plain_text().contains("not approved"),
        "{}",
        told.plain_text()
    );
    assert_eq!(
        app.db
            .text("SELECT status FROM sponsors WHERE user_id = 700002")
            .await
            .as_deref(),
        Some("rejected")
    );
    // Rejected sponsors may try again.
    let again = app.say(&jane, "/register").await;
    assert!(
        again.plain_text().contains("full name"),
        "{}",
        again.plain_text()
    );
}

#[tokio::test]
async fn a_contact_that_is_not_ones_own_is_refused() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    app.say(&budi(), "/daftar").await;
    app.say(&budi(), "Budi Santoso").await;
    app.tg.send_contact(&budi(), "6281299999999", Some(123));
    let refused = app.tg.next_message(budi().id).await;
    assert!(
        refused.plain_text().contains("bukan nomor Anda sendiri"),
        "{}",
        refused.plain_text()
    );
    let typed = app.say(&budi(), "081234567890").await;
    assert!(
        typed.plain_text().contains("Bagikan nomor saya"),
        "{}",
        typed.plain_text()
    );
    assert!(
        app.db
            .text("SELECT state FROM dialogues WHERE user_id = 700001")
            .await
            .unwrap_or_default()
            .contains("sponsor_phone")
    );
}

#[tokio::test]
async fn bad_input_gets_a_localized_answer_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let budi = budi();

    let unknown = app.say(&budi, "/terbang").await;
    assert!(
        unknown.plain_text().contains("Perintah tidak dikenal"),
        "{}",
        unknown.plain_text()
    );
    let forbidden = app.say(&budi, "/menunggu").await;
    assert!(
        forbidden.plain_text().contains("bukan untuk peran Anda"),
        "{}",
        forbidden.plain_text()
    );
    app.tg.send_sticker(&budi);
    let sticker = app.tg.next_message(budi.id).await;
    assert!(
        sticker.plain_text().contains("tidak bisa memakai"),
        "{}",
        sticker.plain_text()
    );
    let long = app.say(&budi, &"a".repeat(4097)).await;
    assert!(
        long.plain_text().contains("terlalu panjang"),
        "{}",
        long.plain_text()
    );

    app.say(&budi, "/daftar").await;
    app.tg.send_photo(&budi, "photo-1", None);
    let photo = app.tg.next_message(budi.id).await;
    assert!(
        photo.plain_text().contains("ketik nama lengkap"),
        "{}",
        photo.plain_text()
    );
    let digits = app.say(&budi, "12345").await;
    assert!(
        digits.plain_text().contains("Nama harus"),
        "{}",
        digits.plain_text()
    );
    let state = app
        .db
        .text("SELECT state FROM dialogues WHERE user_id = 700001")
        .await
        .unwrap_or_default();
    assert!(state.contains("sponsor_name"), "{state}");

    app.say(&budi, "Budi Santoso").await;
    app.tg.send_contact(&budi, "6281234567890", Some(budi.id));
    app.tg.next_message(budi.id).await;
    let offices = app.tg.next_message(budi.id).await;
    let typed_office = app.say(&budi, "Dinas Kesehatan").await;
    assert!(
        typed_office.plain_text().contains("pilih dengan tombol"),
        "{}",
        typed_office.plain_text()
    );
    app.tg.next_message(budi.id).await; // the office buttons again
    let districts = app.press(&budi, &offices, "DPPKB").await;
    let capacity = app.press(&budi, &districts, "Mandonga").await;
    assert!(
        capacity.plain_text().contains("Berapa anak"),
        "{}",
        capacity.plain_text()
    );
    for bad in ["0", "500", "dua", "-1"] {
        let answer = app.say(&budi, bad).await;
        assert!(
            answer.plain_text().contains("1 sampai 20"),
            "{bad}: {}",
            answer.plain_text()
        );
    }
    let state = app
        .db
        .text("SELECT state FROM dialogues WHERE user_id = 700001")
        .await
        .unwrap_or_default();
    assert!(state.contains("sponsor_capacity"), "{state}");

    // A button from an earlier step is stale now.
    let answer = app
        .press_for_answer(
            &budi,
            &offices,
            &offices.button_data("DPPKB").expect("button"),
        )
        .await;
    assert!(answer.contains("tidak berlaku"), "{answer}");
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM sponsors").await, 0);
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_dialogue_survives_a_crash_and_restart() {
    let mut app = TestApp::spawn().await;
    app.seed_regions().await;
    app.say(&budi(), "/daftar").await;
    let ask_phone = app.say(&budi(), "Budi Santoso").await;
    assert!(ask_phone.plain_text().contains("nomor telepon"));
    app.crash().await;
    // Written while the bot is down: Telegram keeps it, asuh picks it up after the restart.
    app.tg
        .send_contact(&budi(), "6281234567890", Some(budi().id));
    app.start().await;
    let saved = app.tg.next_message(budi().id).await;
    assert!(
        saved.plain_text().contains("Nomor tersimpan"),
        "{}",
        saved.plain_text()
    );
    let state = app
        .db
        .text("SELECT state FROM dialogues WHERE user_id = 700001")
        .await
        .unwrap_or_default();
    assert!(
        state.contains("sponsor_office") && state.contains("Budi Santoso"),
        "{state}"
    );
}

#[tokio::test]
async fn cancel_leaves_the_dialogue() {
    let app = TestApp::spawn().await;
    let nothing = app.say(&budi(), "/batal").await;
    assert!(
        nothing.plain_text().contains("Tidak ada"),
        "{}",
        nothing.plain_text()
    );
    app.say(&budi(), "/daftar").await;
    let cancelled = app.say(&budi(), "/cancel").await;
    assert!(
        cancelled.plain_text().contains("Dibatalkan"),
        "{}",
        cancelled.plain_text()
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM dialogues").await, 0);
    let idle = app.say(&budi(), "Budi Santoso").await;
    assert!(
        idle.plain_text().contains("belum mengerti"),
        "{}",
        idle.plain_text()
    );
}
