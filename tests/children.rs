//! End to end: the children registry (imports by file), matching, offers and the life of a sponsorship.

mod support;

use std::time::Duration;
use support::{ADMIN_ID, SentMessage, TestApp, TestUser};

const SAMPLE_CHILDREN: &[u8] = include_bytes!("../samples/children.csv");

async fn import(app: &TestApp, file_id: &str, name: &str, bytes: &[u8]) -> String {
    app.import_file(file_id, name, bytes).await
}

async fn setup(app: &TestApp) {
    app.setup_programme().await;
}

async fn sponsor(app: &TestApp, id: i64, name: &str, capacity: &str) -> TestUser {
    app.approved_sponsor(id, name, capacity).await
}

fn sponsorship_of(msg: &SentMessage) -> String {
    msg.button_data("Terima").expect("an Accept button")
}

#[tokio::test]
async fn imports_report_bad_rows_and_change_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    let again = import(&app, "children-2", "anak.csv", SAMPLE_CHILDREN).await;
    assert!(
        again.contains("ditambah: 0 · diperbarui: 0 · sama: 18 · ditolak: 0"),
        "{again}"
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM children").await, 18);
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'child.import.add'")
            .await,
        18
    );
    assert!(app.db.scalar("SELECT COUNT(*) FROM measurements").await >= 1);

    let bad = "nama,jk,tanggal lahir,nama ibu,kecamatan,no hp\n\
               Ani Lestari,P,01/02/2025,Sri Wahyuni,Mandonga,081234567890\n\
               Budi Kecil,L,31/02/2025,Sri Wahyuni,Mandonga,\n\
               Cici Tua,P,01/01/2019,Rina,Mandonga,\n\
               Dodi Jauh,L,01/01/2025,Rina,Atlantis,\n\
               Euis Telepon,P,01/01/2025,Rina,Kadia,12ab\n\
               Ani Lestari,P,01/02/2025,Sri Wahyuni,Mandonga,081234567890\n";
    let report = import(&app, "bad-1", "anak-baru.csv", bad.as_bytes()).await;
    assert!(
        report.contains("Baris: 6 · ditambah: 1 · diperbarui: 0 · sama: 0 · ditolak: 5"),
        "{report}"
    );
    for expected in [
        "Baris 3: «31/02/2025» pada tanggal lahir bukan tanggal",
        "Baris 4: anak sudah berusia 5 tahun",
        "Baris 5: kecamatan «Atlantis» tidak dikenal",
        "Baris 6: «12ab» bukan nomor telepon",
        "Baris 7: anak yang sama dengan baris 2",
    ] {
        assert!(
            report.contains(expected),
            "report lacks {expected:?}: {report}"
        );
    }
    let missing = import(
        &app,
        "bad-2",
        "tanpa-kolom.csv",
        b"nama,kecamatan\nAni,Mandonga\n",
    )
    .await;
    assert!(
        missing.contains("ditolak") && missing.contains("kolom wajib tidak ada"),
        "{missing}"
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM children").await, 19);

    // XLSX, built like a spreadsheet program would.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in [
        "Nama Anak",
        "Jenis Kelamin",
        "Tanggal Lahir",
        "Nama Orang Tua",
        "Kecamatan",
        "Kelurahan",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *h).expect("header");
    }
    for (col, v) in [
        "Fajar Ramadhan",
        "L",
        "15/03/2025",
        "Hasnah",
        "Mandonga",
        "Korumba",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(1, col as u16, *v).expect("cell");
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    let xlsx = import(&app, "xlsx-1", "anak.xlsx", &bytes).await;
    assert!(xlsx.contains("ditambah: 1"), "{xlsx}");
    assert_eq!(
        app.db
            .text("SELECT village_code FROM children WHERE full_name = 'Fajar Ramadhan'")
            .await
            .as_deref(),
        Some("74.71.01.1006")
    );

    let search = app.say(&app.admin(), "/anak_cari fajar").await;
    assert!(
        search.plain_text().contains("Fajar Ramadhan"),
        "{}",
        search.plain_text()
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn matching_offers_accept_decline_rematch_and_expiry() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    let ani = sponsor(&app, 710_001, "Ani", "1").await;
    let eko = sponsor(&app, 710_002, "Eko", "1").await;

    let preview = app.say(&app.admin(), "/cocokkan").await;
    assert!(
        preview
            .plain_text()
            .contains("Pasangan: 2 · Tetap menunggu: 16"),
        "{}",
        preview.plain_text()
    );
    let done = app.press(&app.admin(), &preview, "Kirim tawaran").await;
    assert!(
        done.plain_text().contains("2 tawaran dikirim"),
        "{}",
        done.plain_text()
    );
    let offer_ani = app.tg.next_message(ani.id).await;
    let offer_eko = app.tg.next_message(eko.id).await;
    for offer in [&offer_ani, &offer_eko] {
        let text = offer.plain_text();
        assert!(text.contains("Inisial") && text.contains("bulan"), "{text}");
        let child: i64 = app
            .db
            .scalar(&format!(
                "SELECT child_id FROM sponsorships WHERE id = {}",
                sponsorship_of(offer).trim_start_matches("pa:")
            ))
            .await;
        let full_name = app
            .db
            .text(&format!(
                "SELECT full_name FROM children WHERE id = {child}"
            ))
            .await
            .expect("name");
        assert!(
            !text.contains(&full_name),
            "an offer must not show the full name: {text}"
        );
    }

    let accepted = app.press(&ani, &offer_ani, "Terima").await;
    assert!(
        accepted.plain_text().contains("Anak asuh Anda"),
        "{}",
        accepted.plain_text()
    );
    let told = app.tg.next_message(ADMIN_ID).await;
    assert!(
        told.plain_text().contains("menerima") && told.plain_text().contains("1 diasuh"),
        "{}",
        told.plain_text()
    );
    // A second press of Accept finds it decided.
    let again = app
        .press_for_answer(&ani, &offer_ani, &sponsorship_of(&offer_ani))
        .await;
    assert!(again.contains("sudah diputuskan"), "{again}");

    let ask = app.press(&eko, &offer_eko, "Tolak").await;
    assert!(
        ask.plain_text().contains("alasannya"),
        "{}",
        ask.plain_text()
    );
    app.tg.next_message(ADMIN_ID).await; // "Eko menolak …"
    let declined = app.say(&eko, "Sedang ke luar kota").await;
    assert!(
        declined.plain_text().contains("ditolak"),
        "{}",
        declined.plain_text()
    );
    // The reason reaches the coordinators.
    let reason = app.tg.next_message(ADMIN_ID).await.plain_text();
    assert!(reason.contains("Sedang ke luar kota"), "{reason}");
    assert_eq!(
        app.db
            .text("SELECT end_reason FROM sponsorships WHERE status = 'declined'")
            .await
            .as_deref(),
        Some("Sedang ke luar kota")
    );

    // The next run offers Eko another child, never the one he declined.
    let declined_child = app
        .db
        .scalar("SELECT child_id FROM sponsorships WHERE status = 'declined'")
        .await;
    let preview = app.say(&app.admin(), "/cocokkan").await;
    assert!(
        preview.plain_text().contains("Pasangan: 1"),
        "{}",
        preview.plain_text()
    );
    app.press(&app.admin(), &preview, "Kirim tawaran").await;
    let second = app.tg.next_message(eko.id).await;
    let live_child = app
        .db
        .scalar(
            "SELECT child_id FROM sponsorships WHERE sponsor_id = 710002 AND status = 'proposed'",
        )
        .await;
    assert_ne!(live_child, declined_child);

    // Nobody answers for two days: a pass as of then expires the offer; Eko and the coordinator are
    // told, the child waits again.
    let later = chrono::Utc::now() + chrono::Duration::hours(49);
    app.tick(&later.to_rfc3339()).await;
    let expired = app.tg.next_message(eko.id).await;
    assert!(
        expired.plain_text().contains("kedaluwarsa"),
        "{}",
        expired.plain_text()
    );
    let told = app.tg.next_message(ADMIN_ID).await;
    assert!(
        told.plain_text().contains("kedaluwarsa"),
        "{}",
        told.plain_text()
    );
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT status FROM children WHERE id = {live_child}"
            ))
            .await
            .as_deref(),
        Some("unmatched")
    );
    let late = app
        .press_for_answer(&eko, &second, &sponsorship_of(&second))
        .await;
    assert!(late.contains("sudah diputuskan"), "{late}");
    app.assert_spec_clean();
}

#[tokio::test]
async fn sponsors_see_only_their_children_and_can_end_a_sponsorship() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    let ani = sponsor(&app, 710_001, "Ani", "2").await;
    let eko = sponsor(&app, 710_002, "Eko", "1").await;
    let preview = app.say(&app.admin(), "/cocokkan").await;
    app.press(&app.admin(), &preview, "Kirim tawaran").await;
    let offer1 = app.tg.next_message(ani.id).await;
    let offer2 = app.tg.next_message(ani.id).await;
    let offer_eko = app.tg.next_message(eko.id).await;
    app.press(&ani, &offer1, "Terima").await;
    app.press(&ani, &offer2, "Terima").await;
    app.press(&eko, &offer_eko, "Terima").await;

    let mine = app.say(&ani, "/anak").await;
    assert!(
        mine.plain_text().contains("Anak asuh Anda: 2"),
        "{}",
        mine.plain_text()
    );
    let eko_child = app
        .db
        .scalar("SELECT child_id FROM sponsorships WHERE sponsor_id = 710002 AND status = 'active'")
        .await;
    let refused = app.say(&ani, &format!("/anak {eko_child}")).await;
    assert!(
        refused.plain_text().contains("bukan anak asuh Anda"),
        "{}",
        refused.plain_text()
    );
    let forged = app
        .press_for_answer(
            &ani,
            &offer_eko,
            &sponsorship_of(&offer_eko).replace("pa:", "se:"),
        )
        .await;
    assert!(forged.contains("bukan anak asuh Anda"), "{forged}");
    let own_child = app.db.scalar("SELECT MIN(child_id) FROM sponsorships WHERE sponsor_id = 710001 AND status = 'active'").await;
    let card = app.say(&ani, &format!("/anak {own_child}")).await;
    assert!(
        card.plain_text().contains("Komitmen: 6 bulan × Rp 500.000"),
        "{}",
        card.plain_text()
    );

    let end_button = mine
        .buttons()
        .into_iter()
        .find(|(t, _)| t.contains("Akhiri"))
        .expect("an End button")
        .1;
    app.tg.press_button(&ani, &mine, &end_button);
    let ask = app.tg.next_message(ani.id).await;
    assert!(ask.plain_text().contains("Mengapa"), "{}", ask.plain_text());
    let ended = app.press(&ani, &ask, "Lewati").await;
    assert!(
        ended.plain_text().contains("Pengasuhan diakhiri"),
        "{}",
        ended.plain_text()
    );
    assert_eq!(
        app.db
            .scalar(
                "SELECT COUNT(*) FROM sponsorships WHERE sponsor_id = 710001 AND status = 'active'"
            )
            .await,
        1
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM children WHERE status = 'matched'")
            .await,
        2
    );
}

#[tokio::test]
async fn coordinators_pair_transfer_edit_and_close_cases() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    let ani = sponsor(&app, 710_001, "Ani", "1").await;
    let eko = sponsor(&app, 710_002, "Eko", "1").await;
    let admin = app.admin();
    let commitment = app.say(&admin, "/komitmen 1 12 750000").await;
    assert!(
        commitment.plain_text().contains("12 bulan × Rp 750.000"),
        "{}",
        commitment.plain_text()
    );

    // A volunteer of Kadia, where Siti lives, hears when she gets a sponsor.
    let invite = app.say(&admin, "/undang 74.71.08").await.plain_text();
    let start = invite.find("?start=").expect("an invite link") + "?start=".len();
    let code: String = invite[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let kader = TestUser::new(720_001, "Wa Ode", Some("id"));
    app.say(&kader, &format!("/start {code}")).await;
    app.tg.next_message(ADMIN_ID).await; // "Relawan baru …"
    let child = app
        .db
        .scalar("SELECT id FROM children WHERE full_name = 'Siti Nur''aini'")
        .await;
    let paired = app.say(&admin, &format!("/pasangkan {child} 710001")).await;
    assert!(
        paired.plain_text().contains("dikirim"),
        "{}",
        paired.plain_text()
    );
    let offer = app.tg.next_message(ani.id).await;
    assert!(
        offer.plain_text().contains("S. N.")
            && offer.plain_text().contains("12 bulan × Rp 750.000"),
        "{}",
        offer.plain_text()
    );
    app.press(&ani, &offer, "Terima").await;
    app.tg.next_message(ADMIN_ID).await; // "Ani menerima …"
    let heard = app.tg.next_message(kader.id).await;
    assert!(
        heard
            .plain_text()
            .contains("Siti (Bende) kini diasuh oleh Ani Saputra"),
        "{}",
        heard.plain_text()
    );
    let full = app.say(&admin, &format!("/pasangkan {child} 710002")).await;
    assert!(
        full.plain_text().contains("sudah punya orang tua asuh"),
        "{}",
        full.plain_text()
    );

    let moved = app.say(&admin, &format!("/alihkan {child} 710002")).await;
    assert!(
        moved.plain_text().contains("dialihkan"),
        "{}",
        moved.plain_text()
    );
    let told = app.tg.next_message(ani.id).await;
    assert!(
        told.plain_text().contains("dialihkan"),
        "{}",
        told.plain_text()
    );
    let offer = app.tg.next_message(eko.id).await;
    app.press(&eko, &offer, "Terima").await;
    app.tg.next_message(ADMIN_ID).await; // "Eko menerima …"
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT sponsor_id FROM sponsorships WHERE child_id = {child} AND status = 'active'"
            ))
            .await,
        710_002
    );

    let edited = app
        .say(&admin, &format!("/anak_ubah {child} alamat Jl. Baru No. 1"))
        .await;
    assert!(
        edited.plain_text().contains("diperbarui"),
        "{}",
        edited.plain_text()
    );
    let bad = app
        .say(&admin, &format!("/anak_ubah {child} telepon abc"))
        .await;
    assert!(
        bad.plain_text().contains("tidak bisa dipakai"),
        "{}",
        bad.plain_text()
    );
    let card = app.say(&admin, &format!("/anak_lihat {child}")).await;
    assert!(
        card.plain_text().contains("Jl. Baru No. 1") && card.plain_text().contains("Eko Saputra"),
        "{}",
        card.plain_text()
    );
    let reasons = app.press(&admin, &card, "Tutup kasus").await;
    let closed = app.press(&admin, &reasons, "lulus").await;
    assert!(
        closed.plain_text().contains("ditutup"),
        "{}",
        closed.plain_text()
    );
    let told = app.tg.next_message(eko.id).await;
    assert!(
        told.plain_text().contains("ditutup"),
        "{}",
        told.plain_text()
    );
    assert_eq!(
        app.db
            .text(&format!("SELECT status FROM children WHERE id = {child}"))
            .await
            .as_deref(),
        Some("graduated")
    );
    assert!(app.db.scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('child.edit.address', 'child.close')").await == 2);
    let unknown = app.say(&admin, "/anak_lihat 99999").await;
    assert!(
        unknown.plain_text().contains("tidak ada"),
        "{}",
        unknown.plain_text()
    );
}

#[tokio::test]
async fn a_sponsor_who_asks_for_a_child_gets_one_held_until_the_hold_runs_out() {
    let app = TestApp::spawn().await;
    setup(&app).await;
    let ani = sponsor(&app, 710_001, "Ani", "1").await;
    let held = app.say(&ani, "/minta_anak").await;
    assert!(
        held.plain_text()
            .contains("tahan untuk Anda selama 15 menit"),
        "{}",
        held.plain_text()
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM sponsorships WHERE status = 'held'")
            .await,
        1
    );
    let later = chrono::Utc::now() + chrono::Duration::minutes(16);
    app.tick(&later.to_rfc3339()).await;
    let released = app.tg.next_message(ani.id).await;
    assert!(
        released.plain_text().contains("kedaluwarsa"),
        "{}",
        released.plain_text()
    );
    app.tg
        .next_message_within(ADMIN_ID, Duration::from_secs(5))
        .await
        .expect("the coordinator is told");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM children WHERE status = 'matched'")
            .await,
        0
    );
}

/// The case seen in real use: sponsor A in Kadia with two places, B in Poasia with one, all in Kota Kendari; a
/// severely stunted child in Wua-Wua and two in Kadia. Child by child, A (at an equal load, the same office and the
/// lower id) would take the Wua-Wua child and send a Kadia child to B in Poasia; the plan keeps both Kadia children
/// with A, B takes the Wua-Wua child, and the preview says who gets whom.
#[tokio::test]
async fn matching_keeps_children_near_their_sponsors_and_the_preview_names_the_pairs() {
    let app = TestApp::spawn().await;
    app.say(&app.admin(), "/start").await;
    let regions = import(
        &app,
        "regions-1",
        "wilayah-kendari.csv",
        include_bytes!("../samples/regions-kendari.csv"),
    )
    .await;
    assert!(regions.contains("ditambah: 77"), "{regions}");
    let header = std::str::from_utf8(SAMPLE_CHILDREN)
        .expect("UTF-8")
        .lines()
        .next()
        .expect("a header");
    let rows = [
        // Measured at 29 months, 77.8 cm: severely stunted (about −3.7 SD).
        "1;7471072003240004;Fadil Akbar;L;20/03/2024;Irmawati;0811-4032-5576;Jl. MT Haryono No. 102;Wua-Wua;Bonggoeya;Posyandu Teratai;77,8;9,4;12/08/2026;",
        "2;7471084503240001;Siti Nur'aini;P;05/03/2024;Wa Ode Sitti Hasnah;0812-4471-0231;Jl. Sao-Sao No. 12;Kadia;Bende;Posyandu Mawar;;;;",
        "3;7471081812230003;Andi Muh. Arkan;L;18/12/2023;Andi Marlina;0813-9400-2218;Jl. Z.A. Sugianto No. 31;Kadia;Pondambea;Posyandu Mawar;;;;",
    ];
    let csv = format!("{header}\n{}\n", rows.join("\n"));
    let report = import(&app, "children-1", "anak.csv", csv.as_bytes()).await;
    assert!(report.contains("Baris: 3 · ditambah: 3"), "{report}");
    app.say(&app.admin(), "/opd_tambah Dinas Kesehatan").await;
    let ani = app.approved_sponsor_in(710_001, "Ani", "2", "Kadia").await;
    let budi = app
        .approved_sponsor_in(710_002, "Budi", "1", "Poasia")
        .await;

    let preview = app.say(&app.admin(), "/cocokkan").await;
    let text = preview.plain_text();
    let expected = "• Wua-Wua: 1 pasangan, 0 menunggu\n\
                    ◦ F. A. (Bonggoeya) → Budi Saputra\n\
                    • Kadia: 2 pasangan, 0 menunggu\n\
                    ◦ S. N. (Bende) → Ani Saputra\n\
                    ◦ A. M. A. (Pondambea) → Ani Saputra";
    assert!(text.contains("Pasangan: 3 · Tetap menunggu: 0"), "{text}");
    assert!(text.contains(expected), "{text}");

    let done = app.press(&app.admin(), &preview, "Kirim tawaran").await;
    assert!(
        done.plain_text().contains("3 tawaran dikirim"),
        "{}",
        done.plain_text()
    );
    for (sponsor, offers) in [(&ani, 2), (&budi, 1)] {
        for _ in 0..offers {
            let offer = app.tg.next_message(sponsor.id).await;
            assert!(
                offer.plain_text().contains("Inisial"),
                "{}",
                offer.plain_text()
            );
        }
    }
    let kecamatan_of = |sponsor: i64| {
        format!(
            "SELECT COUNT(*) FROM sponsorships s JOIN children c ON c.id = s.child_id \
             WHERE s.sponsor_id = {sponsor} AND s.status = 'proposed' AND c.kecamatan_code = "
        )
    };
    assert_eq!(
        app.db
            .scalar(&format!("{}'74.71.08'", kecamatan_of(710_001)))
            .await,
        2
    );
    assert_eq!(
        app.db
            .scalar(&format!("{}'74.71.07'", kecamatan_of(710_002)))
            .await,
        1
    );
    app.assert_spec_clean();
}
