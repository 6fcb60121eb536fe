//! End to end: confirming deliveries with photos, kept as evidence. From a reminder's button, from
//! `/konfirmasi`, from a bare photo with two candidates; albums, missing items, the place, problems and cases;
//! refusals (another area, another sponsor's child, not a picture, too big, twice); reused and old photos
//! flagged; a failed download retried; a restart in the middle; the coordinator's view and export.

mod support;

use asuh::domain::evidence::sha256_hex;
use chrono::Duration as Days;
use support::programme::{
    ANI, KADER, Programme, confirm_in_full, expect, photo_in_full, programme, sponsor_child,
    status_on, volunteer_of, wita,
};
use support::{ADMIN_ID, Failure, SentMessage, TestApp, TestUser, images};

/// Deliveries a week ahead may be confirmed, so that the first one (at most a week away) already can.
const ENV: [(&str, &str); 2] = [
    ("ASUH_FIRST_DELIVERY_DAYS", "1"),
    ("ASUH_CONFIRM_AHEAD_DAYS", "8"),
];

async fn delivery_of(app: &TestApp, child: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT MIN(d.id) FROM deliveries d JOIN children c ON c.id = d.child_id
             WHERE c.full_name = '{}' AND d.status <> 'cancelled'",
            child.replace('\'', "''")
        ))
        .await
}

/// Presses a button by its data on any message the user has from the bot (a forged or stale button).
async fn press_data(app: &TestApp, user: &TestUser, data: &str) -> SentMessage {
    let any = app
        .tg
        .messages_to(user.id)
        .pop()
        .expect("a message to press on");
    app.tg.press_button(user, &any, data);
    app.tg.next_message(user.id).await
}

fn assert_has(m: &SentMessage, needle: &str) {
    assert!(
        m.plain_text().contains(needle),
        "{needle:?} not in {}",
        m.plain_text()
    );
}

/// New messages (not edits) Telegram accepted for `chat`.
fn new_messages_to(app: &TestApp, chat: i64) -> usize {
    app.tg
        .all_calls()
        .iter()
        .filter(|c| c.method.starts_with("send") && c.status == 200)
        .filter(|c| {
            c.params["chat_id"].as_i64() == Some(chat)
                || c.params["chat_id"].as_str() == Some(chat.to_string().as_str())
        })
        .count()
}

#[tokio::test]
async fn a_confirmation_from_a_photo_is_one_new_message_the_rest_edited_in_place() {
    let Programme {
        app, kader, due, ..
    } = programme(&ENV).await;
    let before = new_messages_to(&app, KADER);
    app.tg.add_file("few-1", "uq-few-1", images::jpeg(51));
    let done = photo_in_full(&app, &kader, "few-1").await;
    // The summary turned into the outcome, with the offer to measure folded in and its button.
    assert_eq!(done.method, "editMessageText");
    assert_has(&done, "Sekalian mengukur Muhammad");
    assert!(
        done.button_data("Catat pengukuran").is_some(),
        "{:?}",
        done.buttons()
    );
    app.tg
        .expect_no_message(KADER, std::time::Duration::from_millis(1500))
        .await;
    // Only the question after the photo was a new message (it was three: the question, the outcome and
    // the offer to measure).
    assert_eq!(new_messages_to(&app, KADER) - before, 1);
    assert_eq!(status_on(&app, due).await.as_deref(), Some("confirmed"));
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_volunteer_confirms_an_album_with_the_place_and_the_coordinator_sees_and_exports_it() {
    let Programme {
        app,
        ani,
        kader,
        due,
    } = programme(&ENV).await;
    let delivery = delivery_of(&app, "Muhammad Fathan").await;
    // Two days late the volunteers of the area are asked to step in.
    app.tick(&wita(due + Days::days(2), "08:00")).await;
    let reminder = expect(&app, ANI, "Muhammad").await;
    let escalated = expect(&app, KADER, "Muhammad").await;
    let ask = app.press(&kader, &escalated, "Sudah diantar").await;
    assert_has(&ask, "Kirim foto");
    let keys = ask.keyboard_buttons();
    assert_eq!(keys[0]["request_location"], true, "{keys:?}");

    // An album of three: one answer, three pictures.
    for n in 1..=3u8 {
        app.tg.add_file(
            &format!("album-{n}"),
            &format!("uq-album-{n}"),
            images::jpeg(n),
        );
        app.tg
            .send_photo_in_album(&kader, &format!("album-{n}"), "album-1");
    }
    let question = app.tg.next_message(KADER).await;
    assert_has(&question, "Bagaimana paketnya diterima");
    app.tg.send_location(&kader, -3.9662, 122.5111);
    assert_has(&app.tg.next_message(KADER).await, "Lokasi dicatat");
    let summary = app.press(&kader, &question, "Diterima lengkap").await;
    assert_has(&summary, "Foto: 3");
    assert_has(&summary, "-3.966200, 122.511100");
    let done = app.press(&kader, &summary, "Kirim").await;
    assert_has(&done, "tercatat: diterima lengkap");
    assert_eq!(
        done.reply_markup
            .as_ref()
            .map(|m| m["remove_keyboard"].clone()),
        Some(serde_json::json!(true))
    );
    assert_eq!(status_on(&app, due).await.as_deref(), Some("confirmed"));

    // The sponsor is thanked with the volunteer's photo.
    let thanks = expect(&app, ANI, "dikonfirmasi relawan").await;
    assert_eq!(thanks.method, "sendPhoto");
    assert_eq!(app.tg.sent_file(&thanks), Some(images::jpeg(1)));

    // Each picture is downloaded and kept under its SHA-256, with who sent it, when and where.
    app.wait_for("SELECT COUNT(*) FROM evidence WHERE state = 'stored'", 3)
        .await;
    for n in 1..=3u8 {
        let sha = sha256_hex(&images::jpeg(n));
        let key = app
            .db
            .text(&format!(
                "SELECT storage_key FROM evidence WHERE sha256 = '{sha}' AND sent_by = {KADER}
                 AND file_unique_id = 'uq-album-{n}' AND lat_e6 = -3966200 AND lon_e6 = 122511100"
            ))
            .await
            .expect("a stored picture");
        assert_eq!(key, format!("{}/{}/{sha}.jpg", &sha[..2], &sha[2..4]));
        let kept = std::fs::read(app.media_dir().join(&key)).expect("the kept file");
        assert_eq!(sha256_hex(&kept), sha);
    }
    // Near the family's kelurahan: nothing flagged.
    assert_eq!(
        app.db.scalar("SELECT COUNT(*) FROM evidence_flags").await,
        0
    );

    // Pressing ✅ again says who confirmed it and when.
    let again = app.press(&ani, &reminder, "Sudah diantar").await;
    assert_has(&again, "sudah dikonfirmasi oleh Wa Ode");

    // The coordinator sees the record and gets the kept photos back, then exports the originals and a CSV.
    let admin = app.admin();
    let view = app.say(&admin, &format!("/bukti {delivery}")).await;
    assert_has(&view, &format!("Bukti pengiriman #{delivery}"));
    assert_has(&view, "Wa Ode (relawan)");
    assert_has(&view, "3 tersimpan");
    for _ in 0..3 {
        let photo = app.tg.next_message(ADMIN_ID).await;
        assert_eq!(photo.method, "sendPhoto");
        let bytes = app.tg.sent_file(&photo).expect("an uploaded photo");
        assert!(
            photo.plain_text().contains(&sha256_hex(&bytes)),
            "{}",
            photo.plain_text()
        );
    }
    let first = app.press(&admin, &view, "Ekspor").await;
    assert_eq!(first.method, "sendDocument");
    let mut originals = vec![app.tg.sent_file(&first).expect("a file")];
    let manifest = loop {
        let doc = app.tg.next_message(ADMIN_ID).await;
        assert_eq!(doc.method, "sendDocument");
        let bytes = app.tg.sent_file(&doc).expect("a file");
        if doc.plain_text().contains("Manifes") {
            break String::from_utf8(bytes).expect("utf-8");
        }
        originals.push(bytes);
    };
    originals.sort();
    let mut expected: Vec<Vec<u8>> = (1..=3).map(images::jpeg).collect();
    expected.sort();
    assert_eq!(originals, expected, "the export is the original files");
    let mut rows = csv::Reader::from_reader(manifest.as_bytes());
    let shas: Vec<String> = rows
        .records()
        .map(|r| r.expect("a row")[14].to_owned())
        .collect();
    assert_eq!(shas.len(), 3);
    for n in 1..=3u8 {
        assert!(shas.contains(&sha256_hex(&images::jpeg(n))), "{shas:?}");
    }
}

#[tokio::test]
async fn a_sponsor_confirms_by_a_bare_photo_and_by_command_with_items_missing_and_a_case_follows() {
    let Programme { app, ani, due, .. } = programme(&ENV).await;
    sponsor_child(&app, &ani, "Siti Nur'aini").await;

    // A photo out of the blue: two deliveries are due, so the bot asks which.
    app.tg.send_photo(&ani, "bare-1", None);
    let which = app.tg.next_message(ANI).await;
    assert_has(&which, "Untuk pengiriman yang mana");
    assert_eq!(which.buttons().len(), 2, "{:?}", which.buttons());
    let question = app.press(&ani, &which, "Muhammad").await;
    confirm_in_full(&app, &ani, &question).await;
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM evidence e JOIN deliveries d ON d.id = e.delivery_id
                 JOIN children c ON c.id = d.child_id
                 WHERE c.full_name = 'Muhammad Fathan' AND d.status = 'confirmed' AND e.sent_by = {ANI}"
            ))
            .await,
        1
    );

    // /konfirmasi lists what is left: Siti's. Eggs were missing.
    let list = app.say(&ani, "/konfirmasi").await;
    assert_eq!(list.buttons().len(), 1, "{:?}", list.buttons());
    let ask = app.press(&ani, &list, "Siti").await;
    assert_has(&ask, "Kirim foto");
    app.tg.send_photo(&ani, "siti-1", Some("diterima neneknya"));
    let question = app.tg.next_message(ANI).await;
    assert_has(&question, "Bagaimana paketnya diterima");
    assert_has(&app.tg.next_message(ANI).await, "Catatan disimpan");
    let items = app.press(&ani, &question, "ada yang kurang").await;
    assert_has(&items, "tidak");
    let not_yet = app
        .press_for_answer(&ani, &items, &items.button_data("Selesai").expect("done"))
        .await;
    assert!(not_yet.contains("Tandai dulu"), "{not_yet}");
    let items = app.press(&ani, &items, "telur").await;
    assert!(
        items.buttons().iter().any(|(t, _)| t == "❌ telur"),
        "{:?}",
        items.buttons()
    );
    let summary = app.press(&ani, &items, "Selesai").await;
    assert_has(&summary, "Kurang: telur");
    assert_has(&summary, "Catatan: diterima neneknya");
    let done = app.press(&ani, &summary, "Kirim").await;
    assert_has(&done, "kasus #1");
    let case = expect(&app, ADMIN_ID, "Kasus #1").await;
    assert_has(&case, "telur");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'confirmed'")
            .await,
        2,
        "received with issues still counts as delivered"
    );

    // The coordinator resolves it, saying what was done; the reporter (here the sponsor) hears it; it
    // stays resolved. Case and delivery numbers are told apart.
    let admin = app.admin();
    let cases = app.say(&admin, "/kasus").await;
    assert_has(&cases, "Kasus 1 — Siti");
    assert_has(&cases, "pengiriman");
    let ask = app.press(&admin, &cases, "Selesaikan kasus 1").await;
    assert_has(&ask, "apa yang sudah dilakukan");
    let resolved = app.say(&admin, "Telur sudah diantar kader").await;
    assert_has(&resolved, "Kasus 1");
    let told = expect(&app, ANI, "sudah ditangani").await;
    assert_has(&told, "Telur sudah diantar kader");
    app.tg
        .expect_no_message(ANI, std::time::Duration::from_millis(300))
        .await;
    let again = app
        .press_for_answer(
            &admin,
            &cases,
            &cases.button_data("Selesaikan kasus 1").expect("button"),
        )
        .await;
    assert!(again.contains("sudah diselesaikan"), "{again}");
    assert_has(&app.say(&admin, "/kasus").await, "Tidak ada kasus terbuka");
    let _ = due;
}

#[tokio::test]
async fn refusals_problems_and_double_confirmations_are_answered_with_the_reason() {
    let Programme {
        app,
        ani,
        kader,
        due,
    } = programme(&ENV).await;
    let delivery = delivery_of(&app, "Muhammad Fathan").await;
    let outsider = volunteer_of(&app, 730_201, "La Ode", "74.71.02").await;
    let budi = app.approved_sponsor(730_301, "Budi", "1").await;

    // Pressed on a message too old for Telegram to show the bot (an inaccessible message, date 0).
    let gone = SentMessage {
        chat_id: outsider.id,
        message_id: 999_999,
        method: "sendMessage".into(),
        text: None,
        parse_mode: None,
        reply_markup: None,
        params: serde_json::Value::Null,
    };
    app.tg
        .press_button(&outsider, &gone, &format!("dv:{delivery}"));
    let refused = app.tg.next_message(outsider.id).await;
    assert_has(&refused, "di luar wilayah Anda (Kendari)");
    let refused = press_data(&app, &budi, &format!("dv:{delivery}")).await;
    assert_has(&refused, "anak asuh Anda sendiri");

    // Not a picture, and a picture too big for Telegram's download limit.
    let ask = press_data(&app, &kader, &format!("dv:{delivery}")).await;
    assert_has(&ask, "Kirim foto");
    app.tg
        .send_document(&kader, "doc-pdf", "laporan.pdf", "application/pdf");
    assert_has(&app.tg.next_message(KADER).await, "bukan gambar");
    app.tg
        .add_file("doc-big", "uq-big", vec![0xFF; 21 * 1024 * 1024]);
    app.tg
        .send_document(&kader, "doc-big", "paket.jpg", "image/jpeg");
    assert_has(&app.tg.next_message(KADER).await, "lebih dari 20 MB");

    // Nobody home: a problem report instead, with no photo needed; a case, the sponsor told, still open.
    app.tg
        .send_text(&kader, "⚠️ Tidak diterima / lapor masalah");
    let problems = app.tg.next_message(KADER).await;
    assert_has(&problems, "Mengapa paket");
    let summary = app.press(&kader, &problems, "Tidak ada orang").await;
    assert_has(&summary, "Alasan: 🚪 Tidak ada orang di rumah");
    let done = app.press(&kader, &summary, "Kirim").await;
    assert_has(&done, "tidak diterima");
    expect(&app, ANI, "belum diterima keluarga").await;
    expect(&app, ADMIN_ID, "tidak diterima").await;
    assert_ne!(status_on(&app, due).await.as_deref(), Some("confirmed"));
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM cases WHERE status = 'open' AND kind = 'not_received'")
            .await,
        1
    );

    // The next day the family is home: confirmed. Then a second confirmation is refused, saying by whom.
    // Telegram no longer knows that photo's file: the volunteer and the coordinators hear of it.
    press_data(&app, &kader, &format!("dv:{delivery}")).await;
    app.tg.fail_next(
        "getFile",
        1,
        Failure::BadRequest("wrong file identifier/HTTP URL specified".into()),
    );
    photo_in_full(&app, &kader, "later-1").await;
    expect(&app, KADER, "tidak dapat diambil dari Telegram").await;
    expect(&app, ADMIN_ID, "tidak dapat diambil dari Telegram").await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM evidence WHERE state = 'failed'")
            .await,
        1
    );
    assert_eq!(status_on(&app, due).await.as_deref(), Some("confirmed"));
    expect(&app, ANI, "dikonfirmasi relawan").await;
    let twice = press_data(&app, &ani, &format!("dv:{delivery}")).await;
    assert_has(&twice, "sudah dikonfirmasi oleh Wa Ode");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM confirmations WHERE outcome <> 'not_received'")
            .await,
        1
    );
}

#[tokio::test]
async fn reused_and_old_photos_are_flagged_and_a_failed_download_is_retried() {
    let Programme {
        app,
        ani,
        kader: city,
        ..
    } = programme(&ENV).await;
    sponsor_child(&app, &ani, "Siti Nur'aini").await;
    let muhammad = delivery_of(&app, "Muhammad Fathan").await;
    // Siti lives in Kadia, where another volunteer works.
    let kadia = volunteer_of(&app, 730_401, "La Ode", "74.71.08").await;

    // A picture sent as a file, taken sixty days ago in Makassar (EXIF), while getFile fails once; the
    // place shared is far from Mandonga too.
    let taken = (chrono::Utc::now() - Days::days(60))
        .format("%Y:%m:%d 10:00:00")
        .to_string();
    let old = images::jpeg_with_exif(7, Some(&taken), Some((-5.1477, 119.4327)));
    app.tg.add_file("old-1", "uq-old-1", old.clone());
    app.tg.fail_next("getFile", 1, Failure::ServerError(502));
    let list = app.say(&city, "/konfirmasi").await;
    assert_eq!(list.buttons().len(), 1, "{:?}", list.buttons());
    app.press(&city, &list, "Muhammad").await;
    app.tg.send_location(&city, -4.5, 122.0);
    assert_has(&app.tg.next_message(city.id).await, "Lokasi dicatat");
    app.tg
        .send_document(&city, "old-1", "IMG_0001.JPG", "image/jpeg");
    let question = app.tg.next_message(city.id).await;
    confirm_in_full(&app, &city, &question).await;
    let far = expect(&app, ADMIN_ID, "lokasi konfirmasi").await;
    assert_has(&far, "km dari kelurahannya");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM evidence_flags WHERE kind = 'far_from_family'")
            .await,
        1
    );
    // Recorded at once, though the picture is not in yet.
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM deliveries WHERE id = {muhammad} AND status = 'confirmed'"
            ))
            .await,
        1
    );
    app.wait_for("SELECT COUNT(*) FROM evidence WHERE state = 'stored' AND attempts = 2 AND taken_at IS NOT NULL",
        1,
    )
    .await;
    app.wait_for("SELECT COUNT(*) FROM evidence_flags WHERE kind IN ('taken_long_before', 'taken_far_from_family')",
        2,
    )
    .await;
    let flags: Vec<String> = [
        expect(&app, ADMIN_ID, "🚩").await,
        expect(&app, ADMIN_ID, "🚩").await,
    ]
    .iter()
    .map(SentMessage::plain_text)
    .collect();
    assert!(
        flags.iter().any(|f| f.contains("60 hari sebelum dikirim") || f.contains("59 hari sebelum dikirim")),
        "{flags:?}"
    );
    assert!(
        flags
            .iter()
            .any(|f| f.contains("diambil") && f.contains("km dari kelurahannya")),
        "{flags:?}"
    );

    // The same bytes again for Siti (another file id, sent as a photo): flagged once they are in.
    app.tg.add_file("copy-1", "uq-copy-1", old.clone());
    let list = app.say(&kadia, "/konfirmasi").await;
    app.press(&kadia, &list, "Siti").await;
    app.tg.send_photo(&kadia, "copy-1", None);
    let question = app.tg.next_message(kadia.id).await;
    confirm_in_full(&app, &kadia, &question).await;
    let reused = expect(&app, ADMIN_ID, "sama dengan foto pengiriman").await;
    assert_has(&reused, &format!("#{muhammad}"));
    app.wait_for(
        "SELECT COUNT(*) FROM evidence_flags WHERE kind = 'reused_photo'",
        1,
    )
    .await;

    // The coordinator's list shows both confirmations, the flagged ones marked.
    app.tg.send_text(&app.admin(), "/bukti");
    let recent = expect(&app, ADMIN_ID, "Konfirmasi terbaru").await;
    assert_has(&recent, "Siti");
    assert_has(&recent, "⚠️");
}

#[tokio::test]
async fn a_confirmation_in_the_middle_survives_a_restart() {
    let Programme { mut app, ani, .. } = programme(&ENV).await;
    let list = app.say(&ani, "/konfirmasi").await;
    app.press(&ani, &list, "Muhammad").await;
    app.tg.add_file("before-1", "uq-before-1", images::jpeg(9));
    app.tg.send_photo(&ani, "before-1", None);
    let question = app.tg.next_message(ANI).await;
    assert_has(&question, "1 foto");

    app.restart().await;
    let done = confirm_in_full(&app, &ani, &question).await;
    assert_has(&done, "Muhammad");
    app.wait_for(
        &format!(
            "SELECT COUNT(*) FROM evidence WHERE state = 'stored' AND sha256 = '{}'",
            sha256_hex(&images::jpeg(9))
        ),
        1,
    )
    .await;
}

#[tokio::test]
async fn evidence_is_kept_in_an_s3_bucket_when_the_media_dir_names_one() {
    let s3 = support::fake_s3::FakeS3::start().await;
    let endpoint = s3.endpoint();
    let mut env = ENV.to_vec();
    env.extend([
        ("ASUH_MEDIA_DIR", "s3://evidence/asuh"),
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "asuh"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
    ]);
    let Programme { app, ani, .. } = programme(&env).await;
    let delivery = delivery_of(&app, "Muhammad Fathan").await;
    let list = app.say(&ani, "/konfirmasi").await;
    app.press(&ani, &list, "Muhammad").await;
    app.tg.add_file("s3-1", "uq-s3-1", images::jpeg(11));
    photo_in_full(&app, &ani, "s3-1").await;
    app.wait_for("SELECT COUNT(*) FROM evidence WHERE state = 'stored'", 1)
        .await;

    let sha = sha256_hex(&images::jpeg(11));
    let key = format!("evidence/asuh/{}/{}/{sha}.jpg", &sha[..2], &sha[2..4]);
    assert_eq!(
        s3.object(&key),
        Some(images::jpeg(11)),
        "{:?}",
        s3.objects()
    );
    assert!(s3.requests().iter().all(|(_, _, signed)| *signed));
    assert!(!app.media_dir().exists(), "nothing on the local disk");

    // The coordinator gets the photo back from the bucket.
    let admin = app.admin();
    app.say(&admin, &format!("/bukti {delivery}")).await;
    let photo = app.tg.next_message(ADMIN_ID).await;
    assert_eq!(photo.method, "sendPhoto");
    assert_eq!(app.tg.sent_file(&photo), Some(images::jpeg(11)));
}
