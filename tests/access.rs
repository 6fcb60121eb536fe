//! End to end: one access policy. A coordinator scoped to one kecamatan changes nothing outside it (not by
//! a file, not by a programme-wide setting, not by offering a child to another region's sponsor); a revoked
//! sponsor keeps nothing (offers withdrawn, sponsorships ended, the children waiting again and re-offered);
//! a sponsor sees a child's first name only, on the growth chart too.

mod support;

use std::time::Duration;
use support::programme::{ANI, KADER, Programme, expect, programme};
use support::{ADMIN_ID, TestApp};

/// A coordinator of Mandonga only.
const MANDONGA: i64 = 610_001;
/// A coordinator of Kadia only.
const KADIA: i64 = 610_002;
/// A sponsor registered in Kadia.
const WA_KADIA: i64 = 730_201;
/// A second sponsor of Mandonga.
const BUDI: i64 = 730_002;

async fn child_id(app: &TestApp, name: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{}'",
            name.replace('\'', "''")
        ))
        .await
}

#[tokio::test]
async fn a_scoped_coordinators_import_cannot_take_over_a_child_of_another_region() {
    let app = TestApp::spawn().await;
    app.setup_programme().await;
    let mandonga = app
        .coordinator_of(MANDONGA, "Camat Mandonga", "74.71.01")
        .await;
    app.coordinator_of(KADIA, "Camat Kadia", "74.71.08").await;
    // Siti lives in Kadia; her NIK, with a Mandonga place and another name.
    let csv = "NIK;Nama Anak;JK;Tanggal Lahir;Nama Orang Tua;Kecamatan;Kelurahan/Desa\n\
               7471084503240001;Siti Diambil;P;05/03/2024;Wa Ode Sitti Hasnah;Mandonga;Korumba\n";
    let before = app.db.snapshot().await;
    let report = app
        .import_file_as(&mandonga, "takeover-1", "anak.csv", None, csv.as_bytes())
        .await;
    assert!(
        report.contains("diperbarui: 0") && report.contains("ditolak: 1"),
        "{report}"
    );
    assert!(report.contains("di luar wilayah tugas Anda"), "{report}");
    assert!(!report.contains("Siti Nur"), "no name of hers: {report}");
    let siti = app
        .db
        .text("SELECT kecamatan_code || ' ' || full_name FROM children WHERE nik = '7471084503240001'")
        .await;
    assert_eq!(siti.as_deref(), Some("74.71.08 Siti Nur'aini"));
    // The import job itself is recorded; nothing of the programme changed.
    app.db
        .exec("DELETE FROM import_jobs WHERE file_id = 'takeover-1'")
        .await;
    assert_eq!(app.db.snapshot().await, before);

    // The same row with her own Kadia place, from Mandonga: refused the same way.
    let csv = "NIK;Nama Anak;JK;Tanggal Lahir;Nama Orang Tua;Kecamatan;Kelurahan/Desa\n\
               7471084503240001;Siti Diambil;P;05/03/2024;Wa Ode Sitti Hasnah;Kadia;Bende\n";
    let report = app
        .import_file_as(&mandonga, "takeover-2", "anak.csv", None, csv.as_bytes())
        .await;
    assert!(report.contains("ditolak: 1"), "{report}");
    // A child of Mandonga is still updated by Mandonga's coordinator.
    let csv = "NIK;Nama Anak;JK;Tanggal Lahir;Nama Orang Tua;Kecamatan;Kelurahan/Desa\n\
               7471011207230002;Muhammad Fathan;L;12/07/2023;Nurhayati Baru;Mandonga;Korumba\n";
    let report = app
        .import_file_as(&mandonga, "own-1", "anak.csv", None, csv.as_bytes())
        .await;
    assert!(report.contains("diperbarui: 1"), "{report}");
}

#[tokio::test]
async fn a_scoped_coordinator_cannot_change_programme_wide_settings() {
    let Programme { app, .. } = programme(&[]).await;
    let mandonga = app
        .coordinator_of(MANDONGA, "Camat Mandonga", "74.71.01")
        .await;
    let before = app.db.snapshot().await;
    for cmd in [
        "/paket Paket gizi: air 1 gelas",
        "/jadwal Mingguan: bulanan 28",
        "/komitmen 1 12 900000",
        "/opd_tambah Dinas Baru",
    ] {
        let reply = app.say(&mandonga, cmd).await.plain_text();
        assert!(
            reply.contains("seluruh program"),
            "{cmd} is for a coordinator of the whole programme: {reply}"
        );
    }
    // The programme's own default plan is not theirs either; their kecamatan's is.
    let menu = app.say(&mandonga, "/bawaan").await;
    assert!(
        menu.button_data("Seluruh program").is_none(),
        "{:?}",
        menu.buttons()
    );
    let refusal = app.forge(&mandonga, "pl:-:1:1:s").await;
    assert!(refusal.contains("seluruh program"), "{refusal}");
    assert_eq!(app.db.snapshot().await, before);

    // The whole programme's coordinator changes the cadence: the sponsor hears of it, and it is audited.
    let reply = app
        .say(&app.admin(), "/jadwal Mingguan: mingguan kamis")
        .await
        .plain_text();
    assert!(reply.contains("setiap Kamis"), "{reply}");
    let told = expect(&app, ANI, "Kamis").await.plain_text();
    assert!(told.contains("Muhammad"), "{told}");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'cadence.change'")
            .await,
        1
    );
    // A package's items change: the sponsors who deliver it hear of it, and it is audited.
    app.say(
        &app.admin(),
        "/paket Paket gizi: beras 10 kg, telur 30 butir",
    )
    .await;
    let told = expect(&app, ANI, "beras 10 kg").await.plain_text();
    assert!(told.contains("Paket gizi"), "{told}");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'package.change'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_revoked_sponsor_keeps_nothing_and_the_children_wait_again() {
    let Programme { app, ani, .. } = programme(&[]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let nayla = child_id(&app, "Nayla Khairunnisa").await;
    // A pending offer too.
    app.say(&app.admin(), &format!("/pasangkan {nayla} {ANI}"))
        .await;
    let offer = expect(&app, ANI, "Inisial").await;
    let delivery = app
        .db
        .scalar("SELECT MIN(id) FROM deliveries WHERE status = 'scheduled'")
        .await;

    let roles = app.say(&app.admin(), &format!("/cabut {ANI}")).await;
    let data = roles
        .button_data("Bapak/Bunda Asuh")
        .expect("a sponsor button");
    app.tg.press_button(&app.admin(), &roles, &data);
    // The answer to the press comes first (its lane goes before notices); then the coordinators and the
    // volunteer of the area hear that the child waits again.
    let done = expect(&app, ADMIN_ID, "dicabut dari").await.plain_text();
    assert!(done.contains(&ANI.to_string()), "{done}");
    let coordinator = expect(&app, ADMIN_ID, "Muhammad Fathan").await.plain_text();
    assert!(coordinator.contains("menunggu"), "{coordinator}");
    let told = expect(&app, ANI, "dicabut").await.plain_text();
    assert!(told.contains("Bapak/Bunda Asuh"), "{told}");
    expect(&app, KADER, "Muhammad").await;

    // Everything of hers ended with the reason, the children wait again, no delivery is open.
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT status || ' ' || COALESCE(end_reason, '') FROM sponsorships WHERE child_id = {fathan}"
            ))
            .await
            .as_deref(),
        Some("ended revoked")
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM sponsorships WHERE sponsor_id = {ANI}
                 AND status IN ('proposed', 'held', 'active')"
            ))
            .await,
        0
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM children WHERE id IN ({fathan}, {nayla}) AND status = 'unmatched'"
            ))
            .await,
        2
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM deliveries WHERE sponsor_id = {ANI}
                 AND status IN ('scheduled', 'due', 'overdue')"
            ))
            .await,
        0
    );

    // Nothing she still holds works: the offer, the growth chart, a confirmation.
    let before = app.db.snapshot().await;
    let accept = offer.button_data("Terima").expect("accept");
    let refused = app.forge(&ani, &accept).await;
    assert!(
        !refused.contains("Muhammad") && !refused.contains("Nayla"),
        "{refused}"
    );
    assert!(!refused.contains("diterima"), "{refused}");
    let refused = app.forge(&ani, &format!("gc:{fathan}")).await;
    assert!(!refused.is_empty(), "the chart is refused");
    let refused = app.forge(&ani, &format!("dv:{delivery}")).await;
    assert!(!refused.contains("Kirim foto"), "{refused}");
    app.tg.add_file("ph-r", "uq-ph-r", support::images::jpeg(3));
    app.tg.send_photo(&ani, "ph-r", None);
    let refused = app.answer(&ani, app.tg.callback_answers().len()).await;
    assert!(!refused.contains("foto untuk"), "{refused}");
    assert_eq!(app.db.snapshot().await, before);
    assert!(
        app.tg
            .calls("sendPhoto")
            .iter()
            .all(|c| c.params["chat_id"] != ANI)
    );

    // The child can be offered to another sponsor again.
    app.approved_sponsor(BUDI, "Budi", "2").await;
    app.say(&app.admin(), &format!("/pasangkan {fathan} {BUDI}"))
        .await;
    let again = expect(&app, BUDI, "Inisial").await.plain_text();
    assert!(again.contains("M. F."), "{again}");
}

#[tokio::test]
async fn a_scoped_coordinator_offers_only_to_sponsors_of_the_scope_and_sees_only_them() {
    let Programme { app, .. } = programme(&[]).await;
    let mandonga = app
        .coordinator_of(MANDONGA, "Camat Mandonga", "74.71.01")
        .await;
    app.approved_sponsor_in(WA_KADIA, "Wa Kadia", "2", "Kadia")
        .await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let nayla = child_id(&app, "Nayla Khairunnisa").await;
    let before = app.db.snapshot().await;
    for cmd in [
        format!("/pasangkan {nayla} {WA_KADIA}"),
        format!("/alihkan {fathan} {WA_KADIA}"),
        format!("/cabut {WA_KADIA}"),
    ] {
        let reply = app.say(&mandonga, &cmd).await;
        let text = reply.plain_text();
        assert!(text.contains("di luar wilayah"), "{cmd}: {text}");
        assert!(!text.contains("Wa Kadia"), "{cmd} names nobody: {text}");
        assert!(reply.buttons().is_empty(), "{cmd}: {:?}", reply.buttons());
    }
    app.tg
        .expect_no_message(WA_KADIA, Duration::from_millis(300))
        .await;
    assert_eq!(app.db.snapshot().await, before);
}

#[tokio::test]
async fn a_sponsor_sees_only_the_first_name_on_the_growth_chart() {
    let Programme { app, ani, .. } = programme(&[]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let card = app.say(&ani, &format!("/anak {fathan}")).await;
    let data = card.button_data("Grafik").expect("a chart button");
    app.tg.press_button(&ani, &card, &data);
    let photo = expect(&app, ANI, "Muhammad").await;
    assert_eq!(photo.method, "sendPhoto");
    assert!(
        !photo.plain_text().contains("Fathan"),
        "{}",
        photo.plain_text()
    );
    // The coordinator's chart names the child in full.
    let card = app
        .say(&app.admin(), &format!("/anak_lihat {fathan}"))
        .await;
    let data = card.button_data("Grafik").expect("a chart button");
    app.tg.press_button(&app.admin(), &card, &data);
    let photo = expect(&app, ADMIN_ID, "Muhammad Fathan").await;
    assert_eq!(photo.method, "sendPhoto");
}
