//! End to end: what coordinators do — regions, offices, invites for volunteers, scopes, revoking roles.

mod support;

use support::{ADMIN_ID, TestApp, TestUser};

fn siti() -> TestUser {
    TestUser::new(800_001, "Siti", Some("id"))
}

/// The invite code in the link of an invite message.
fn invite_code(text: &str) -> String {
    let start = text.find("?start=").expect("an invite link") + "?start=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

#[tokio::test]
async fn a_volunteer_joins_through_an_invite_link_until_it_is_used_up() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let admin = app.admin();
    let invite = app.say(&admin, "/undang 74.71.02 7 1").await;
    let text = invite.plain_text();
    assert!(text.contains("https://t.me/asuh_test_bot?start="), "{text}");
    let code = invite_code(&text);

    let joined = app.say(&siti(), &format!("/start {code}")).await;
    assert!(
        joined.plain_text().contains("relawan") && joined.plain_text().contains("Kendari Barat"),
        "{}",
        joined.plain_text()
    );
    let told = app.tg.next_message(ADMIN_ID).await;
    assert!(
        told.plain_text().contains("Relawan baru") && told.plain_text().contains("Siti"),
        "{}",
        told.plain_text()
    );
    let list = app.say(&admin, "/relawan").await;
    assert!(
        list.plain_text().contains("Siti") && list.plain_text().contains("800001"),
        "{}",
        list.plain_text()
    );

    let late = TestUser::new(800_002, "Andi", Some("en"));
    let used = app.say(&late, &format!("/start {code}")).await;
    assert!(
        used.plain_text().contains("used up"),
        "{}",
        used.plain_text()
    );
    let unknown = app.say(&late, "/start AAAAAAAAAAAA").await;
    assert!(
        unknown.plain_text().contains("don't know this invite"),
        "{}",
        unknown.plain_text()
    );

    let second = invite_code(&app.say(&admin, "/undang 74.71.01").await.plain_text());
    app.db
        .scalar(&format!(
            "SELECT COUNT(*) FROM invites WHERE code = '{second}'"
        ))
        .await;
    expire(&app, &second).await;
    let expired = app.say(&late, &format!("/start {second}")).await;
    assert!(
        expired.plain_text().contains("expired"),
        "{}",
        expired.plain_text()
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM volunteers WHERE status = 'active'")
            .await,
        1
    );
    app.assert_spec_clean();
}

async fn expire(app: &TestApp, code: &str) {
    let db = asuh::store::Db::connect(&app.db.url).await.expect("db");
    sqlx::query("UPDATE invites SET expires_at = 0 WHERE code = $1")
        .bind(code)
        .execute(db.pool())
        .await
        .expect("expire");
    db.close().await;
}

#[tokio::test]
async fn invites_and_regions_validate_their_arguments() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let admin = app.admin();
    for bad in [
        "/undang",
        "/undang 74.71.02 0",
        "/undang 74.71.02 7 9999",
        "/undang kendari",
    ] {
        let answer = app.say(&admin, bad).await;
        assert!(
            answer.plain_text().contains("Cara pakai"),
            "{bad}: {}",
            answer.plain_text()
        );
    }
    let regency = app.say(&admin, "/undang 74.71").await;
    assert!(
        regency.plain_text().contains("kecamatan atau kelurahan"),
        "{}",
        regency.plain_text()
    );
    let missing = app.say(&admin, "/undang 74.71.09").await;
    assert!(
        missing.plain_text().contains("tidak ada"),
        "{}",
        missing.plain_text()
    );
    let bad_code = app.say(&admin, "/wilayah_tambah 74.7 Kendari").await;
    assert!(
        bad_code.plain_text().contains("Cara pakai"),
        "{}",
        bad_code.plain_text()
    );
    let with_children = app.say(&admin, "/wilayah_hapus 74.71.02").await;
    assert!(
        with_children.plain_text().contains("masih punya wilayah"),
        "{}",
        with_children.plain_text()
    );
    let removed = app.say(&admin, "/wilayah_hapus 74.71.02.1002").await;
    assert!(
        removed.plain_text().contains("dihapus"),
        "{}",
        removed.plain_text()
    );
    let duplicate = app.say(&admin, "/opd_tambah dinas kesehatan").await;
    assert!(
        duplicate.plain_text().contains("sudah ada"),
        "{}",
        duplicate.plain_text()
    );
    let list = app.say(&admin, "/wilayah").await;
    let text = list.plain_text();
    assert!(
        text.contains("74.71.02.1001 Benu-Benua") && !text.contains("Sodohoa"),
        "{text}"
    );
    assert!(text.contains("Kota Kendari (WITA)"), "{text}");
    let renamed = app
        .say(&admin, "/wilayah_tambah 74.71.01 Mandonga Baru")
        .await;
    assert!(
        renamed.plain_text().contains("diperbarui"),
        "{}",
        renamed.plain_text()
    );
}

#[tokio::test]
async fn a_scoped_coordinator_sees_and_decides_only_their_district() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let out = app.cli(&["admin", "grant", "900001", "--scope", "74.71.01"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scoped = TestUser::new(900_001, "Camat Mandonga", Some("id"));
    let hello = app.say(&scoped, "/start").await;
    // Named before they ever wrote: a first welcome that says what they coordinate.
    assert!(
        hello.plain_text().contains("Anda koordinator") && hello.plain_text().contains("Mandonga"),
        "{}",
        hello.plain_text()
    );

    // Two sponsors register: one in Mandonga (74.71.01), one in Kendari Barat (74.71.02).
    for (user, district) in [
        (TestUser::new(700_011, "Ani", Some("id")), "Mandonga"),
        (TestUser::new(700_012, "Eko", Some("id")), "Kendari Barat"),
    ] {
        app.say(&user, "/daftar").await;
        app.say(&user, &format!("{} Wijaya", user.first_name)).await;
        app.tg.send_contact(&user, "6281234567000", Some(user.id));
        app.tg.next_message(user.id).await;
        let offices = app.tg.next_message(user.id).await;
        let districts = app.press(&user, &offices, "Masyarakat").await;
        let mut next = app.press(&user, &districts, district).await;
        if next.plain_text().contains("Kelurahan") {
            next = app.press(&user, &next, "Seluruh kecamatan").await;
        }
        let summary = app.press(&user, &next, "1").await;
        app.press(&user, &summary, "Kirim").await;
    }
    // The unscoped coordinator hears of both; the scoped one of Mandonga only.
    app.tg.next_message(ADMIN_ID).await;
    app.tg.next_message(ADMIN_ID).await;
    let request = app.tg.next_message(scoped.id).await;
    assert!(
        request.plain_text().contains("Ani Wijaya"),
        "{}",
        request.plain_text()
    );
    app.tg
        .expect_no_message(scoped.id, std::time::Duration::from_millis(500))
        .await;

    let pending = app.say(&scoped, "/menunggu").await;
    assert!(
        pending.plain_text().contains("Ani Wijaya") && !pending.plain_text().contains("Eko"),
        "{}",
        pending.plain_text()
    );
    let all = app.say(&app.admin(), "/menunggu").await;
    assert!(
        all.plain_text().contains("Ani Wijaya") && all.plain_text().contains("Eko Wijaya"),
        "{}",
        all.plain_text()
    );

    // A forged press on the other district's sponsor is refused.
    let eko_button = all.button_data("Eko").expect("Eko's approve button");
    let answer = app.press_for_answer(&scoped, &pending, &eko_button).await;
    assert!(answer.contains("di luar wilayah"), "{answer}");
    assert_eq!(
        app.db
            .text("SELECT status FROM sponsors WHERE user_id = 700012")
            .await
            .as_deref(),
        Some("pending")
    );

    let regions = app.say(&scoped, "/wilayah").await;
    assert!(
        regions.plain_text().contains("Mandonga")
            && !regions.plain_text().contains("Kendari Barat"),
        "{}",
        regions.plain_text()
    );
    let outside = app
        .say(&scoped, "/wilayah_tambah 74.71.02.1003 Dapu-Dapura")
        .await;
    assert!(
        outside.plain_text().contains("di luar wilayah"),
        "{}",
        outside.plain_text()
    );
}

#[tokio::test]
async fn roles_can_be_revoked_and_the_person_is_told() {
    let app = TestApp::spawn().await;
    app.seed_regions().await;
    let admin = app.admin();
    let code = invite_code(&app.say(&admin, "/undang 74.71.01").await.plain_text());
    app.say(&siti(), &format!("/start {code}")).await;
    app.tg.next_message(ADMIN_ID).await;

    let usage = app.say(&admin, "/cabut").await;
    assert!(
        usage.plain_text().contains("Cara pakai"),
        "{}",
        usage.plain_text()
    );
    let choose = app.say(&admin, "/cabut 800001").await;
    let done = app.press(&admin, &choose, "Relawan").await;
    assert!(
        done.plain_text().contains("dicabut"),
        "{}",
        done.plain_text()
    );
    let told = app.tg.next_message(siti().id).await;
    assert!(
        told.plain_text().contains("Relawan telah dicabut"),
        "{}",
        told.plain_text()
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM volunteers WHERE status = 'active'")
            .await,
        0
    );
    let nothing = app.say(&admin, "/cabut 800001").await;
    assert!(
        nothing.plain_text().contains("tidak punya peran"),
        "{}",
        nothing.plain_text()
    );
    // The revoked volunteer lost the coordinator-free menu entries too: a coordinator command stays refused.
    let refused = app.say(&siti(), "/relawan").await;
    assert!(
        refused.plain_text().contains("bukan untuk peran Anda"),
        "{}",
        refused.plain_text()
    );
}

#[tokio::test]
async fn help_and_menus_follow_role_and_language() {
    let app = TestApp::spawn().await;
    let guest_help = app.say(&siti(), "/bantuan").await;
    assert!(
        guest_help.plain_text().contains("/daftar") && !guest_help.plain_text().contains("/undang")
    );
    let admin_help = app.say(&app.admin(), "/bantuan").await;
    assert!(
        admin_help.plain_text().contains("/undang")
            && admin_help.plain_text().contains("Koordinator")
    );

    // Default menus in both languages, registered at start.
    let default = serde_json::json!({"type": "default"});
    for _ in 0..100 {
        if app.tg.my_commands(&default, Some("en")).is_some()
            && app.tg.my_commands(&default, Some("id")).is_some()
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let en = app
        .tg
        .my_commands(&default, Some("en"))
        .expect("English default menu");
    assert!(
        en.iter().any(|(c, _)| c == "register") && !en.iter().any(|(c, _)| c == "invite"),
        "{en:?}"
    );
    let id = app
        .tg
        .my_commands(&default, Some("id"))
        .expect("Indonesian default menu");
    assert!(id.iter().any(|(c, _)| c == "daftar"), "{id:?}");
    // The coordinator from ASUH_ADMINS has a personal menu with the coordinator commands.
    let scope = serde_json::json!({"type": "chat", "chat_id": ADMIN_ID});
    let mut admin_menu = None;
    for _ in 0..100 {
        admin_menu = app.tg.my_commands(&scope, None);
        if admin_menu.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let admin_menu = admin_menu.expect("coordinator menu");
    assert!(
        admin_menu.iter().any(|(c, _)| c == "undang"),
        "{admin_menu:?}"
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn an_english_speaking_coordinator_works_in_english() {
    let app = TestApp::spawn().await;
    let out = app.cli(&["admin", "grant", "900002"]);
    assert!(out.status.success());
    let en = TestUser::new(900_002, "Sarah", Some("en"));
    let help = app.say(&en, "/help").await;
    assert!(
        help.plain_text().contains("Coordinators") && help.plain_text().contains("/invite"),
        "{}",
        help.plain_text()
    );
    let none = app.say(&en, "/regions").await;
    assert!(
        none.plain_text().contains("No regions yet"),
        "{}",
        none.plain_text()
    );
    let added = app.say(&en, "/region_add 74.71.03 Poasia WITA").await;
    assert!(
        added.plain_text().contains("Region 74.71.03 Poasia added"),
        "{}",
        added.plain_text()
    );
    let office = app.say(&en, "/office_add Baznas").await;
    assert!(
        office.plain_text().contains("Office Baznas added"),
        "{}",
        office.plain_text()
    );
    let invite = app.say(&en, "/invite 74.71.03 3 5").await;
    assert!(
        invite
            .plain_text()
            .contains("Valid for 3 days, for 5 people"),
        "{}",
        invite.plain_text()
    );
    let pending = app.say(&en, "/pending").await;
    assert!(
        pending
            .plain_text()
            .contains("No registrations are waiting"),
        "{}",
        pending.plain_text()
    );
    let usage = app.say(&en, "/revoke someone").await;
    assert!(
        usage.plain_text().contains("Usage: /revoke USER_ID"),
        "{}",
        usage.plain_text()
    );
    let me = app.say(&en, "/me").await;
    assert!(
        me.plain_text().contains("Coordinator: all regions"),
        "{}",
        me.plain_text()
    );
}
