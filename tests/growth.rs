//! End to end: growth monitoring. A volunteer measures a child from the child's card and after confirming a
//! delivery, sees the z-scores with their change and the growth chart (a real PNG); implausible values are
//! refused with the reason and the rest of the measurement is kept; the coordinator's card shows the same;
//! a child who leaves stunting on two measurements in a row makes the coordinator decide, and ending the
//! sponsorship thanks the sponsor and offers the next child.

mod support;

use asuh::domain::child::Sex;
use asuh::domain::growth::{self, Position};
use chrono::{Duration as Days, NaiveDate, Utc};
use support::programme::{
    ANI, KADER, Programme, confirm_in_full, expect, programme, sponsor_child, volunteer_of, wita,
};
use support::{ADMIN_ID, SentMessage, TestApp, TestUser, images};

/// Today where the children live (Kendari, WITA): what "today" means to the bot.
fn today() -> NaiveDate {
    (Utc::now() + Days::hours(8)).date_naive()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A z-score as the bot writes it in Indonesian: one decimal, comma, real minus sign.
fn z_id(z: f64) -> String {
    let text = format!("{:.1}", z).replace('.', ",");
    match text.strip_prefix('-') {
        Some("0,0") => "0,0".into(),
        Some(rest) => format!("−{rest}"),
        None => text,
    }
}

fn assert_has(m: &SentMessage, needle: &str) {
    assert!(
        m.plain_text().contains(needle),
        "{needle:?} not in {}",
        m.plain_text()
    );
}

async fn child_id(app: &TestApp, name: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{name}'"
        ))
        .await
}

/// The length/height on the WHO curve `z` for a boy or girl born on `birth`, measured standing on `on`,
/// rounded up to the 0.1 cm a board reads.
fn standing_at(sex: Sex, birth: NaiveDate, on: NaiveDate, z: f64) -> f64 {
    let days = u32::try_from((on - birth).num_days()).expect("born before");
    let cm = growth::length_at_z(sex, days, z).expect("inside the standards");
    (cm * 10.0).ceil() / 10.0
}

fn cm_id(cm: f64) -> String {
    format!("{cm:.1}").replace('.', ",")
}

/// Measures through the chat from `/ukur ID`: date typed, length typed, standing, weight typed or skipped,
/// arm skipped, then saved. Returns the bot's answer to "Save".
async fn measure(
    app: &TestApp,
    user: &TestUser,
    child: i64,
    on: NaiveDate,
    cm: &str,
    kg: Option<&str>,
) -> SentMessage {
    let card = app.say(user, &format!("/ukur {child}")).await;
    let ask_date = app.press(user, &card, "Ukur").await;
    assert_has(&ask_date, "Tanggal pengukuran");
    let ask_length = app.say(user, &dmy(on)).await;
    assert_has(&ask_length, "Panjang/tinggi badan");
    let ask_position = app.say(user, cm).await;
    let ask_weight = app.press(user, &ask_position, "Berdiri").await;
    assert_has(&ask_weight, "Berat badan");
    let ask_muac = match kg {
        Some(kg) => app.say(user, kg).await,
        None => app.press(user, &ask_weight, "Lewati").await,
    };
    assert_has(&ask_muac, "Lingkar lengan");
    let review = app.press(user, &ask_muac, "Lewati").await;
    app.press(user, &review, "Simpan").await
}

/// The stored height-for-age z-scores of a child, the oldest first.
async fn hazs(app: &TestApp, child: i64) -> Vec<i64> {
    let n = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM measurements WHERE child_id = {child}"
        ))
        .await;
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            app.db
                .scalar(&format!(
                    "SELECT haz_milli FROM measurements WHERE child_id = {child}
                     ORDER BY measured_on LIMIT 1 OFFSET {i}"
                ))
                .await,
        );
    }
    out
}

#[tokio::test]
async fn a_volunteer_measures_a_child_and_sees_the_z_scores_the_change_and_the_chart() {
    let Programme { app, kader, .. } = programme(&[]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let birth = NaiveDate::from_ymd_opt(2023, 7, 12).expect("date");

    // /ukur lists the children of the volunteer's area; Fathan is Mandonga's only one.
    let list = app.say(&kader, "/ukur").await;
    let in_area = app
        .db
        .scalar(
            "SELECT COUNT(*) FROM children WHERE status IN ('unmatched', 'matched')
             AND (kecamatan_code = '74.71.01' OR village_code LIKE '74.71.01.%')",
        )
        .await;
    assert_has(&list, &format!("Anak di wilayah Anda: {in_area}"));
    let card = app.press(&kader, &list, "Muhammad Fathan").await;
    // The card: the import's measurement of 13 August (84.0 cm standing, 10.2 kg) and its z-scores.
    assert_has(&card, "Pengukuran terakhir 13-08-2026");
    assert_has(&card, "84,0 cm berdiri · 10,20 kg");
    let days_then =
        u32::try_from((NaiveDate::from_ymd_opt(2026, 8, 13).expect("date") - birth).num_days())
            .expect("days");
    let haz_then = growth::haz(Sex::Male, days_then, 84.0, Position::Standing).expect("haz");
    assert_has(&card, &format!("TB/U {}", z_id(haz_then)));
    assert_has(&card, "sangat pendek");
    // Not the family's details: a volunteer sees no phone or NIK.
    assert!(!card.plain_text().contains("0853"), "{}", card.plain_text());

    // Measure today: bad values are explained, the step is asked again.
    let ask_date = app.press(&kader, &card, "Ukur").await;
    let ask_length = app.press(&kader, &ask_date, "Hari ini").await;
    assert_has(&ask_length, "Panjang/tinggi badan");
    let bad = app.say(&kader, "delapan puluh").await;
    assert_has(&bad, "dalam cm");
    let bad = app.say(&kader, "855").await;
    assert_has(&bad, "30 sampai 140 cm");
    let ask_position = app.say(&kader, "87,0").await;
    assert_has(&ask_position, "biasanya diukur berdiri");
    let ask_weight = app.press(&kader, &ask_position, "Berdiri").await;
    assert_has(&ask_weight, "Berat badan");
    let bad = app.say(&kader, "10900").await;
    assert_has(&bad, "dalam kg");
    let ask_muac = app.say(&kader, "10,9").await;
    assert_has(&ask_muac, "LiLA");
    let review = app.say(&kader, "13,2").await;
    let days_now = u32::try_from((today() - birth).num_days()).expect("days");
    let haz_now = growth::haz(Sex::Male, days_now, 87.0, Position::Standing).expect("haz");
    let waz_now = growth::waz(Sex::Male, days_now, 10.9).expect("waz");
    let whz_now = growth::whz(Sex::Male, days_now, 87.0, Position::Standing, 10.9).expect("whz");
    assert_has(&review, "87,0 cm berdiri · 10,90 kg · LiLA 13,2 cm");
    assert_has(&review, &format!("TB/U {}", z_id(haz_now)));
    let saved = app.press(&kader, &review, "Simpan").await;
    assert_has(
        &saved,
        &format!(
            "Pengukuran Muhammad Fathan tanggal {} tersimpan",
            dmy(today())
        ),
    );
    assert_has(&saved, "2 pengukuran");
    assert_has(&saved, &format!("BB/U {}", z_id(waz_now)));
    assert_has(&saved, &format!("BB/TB {}", z_id(whz_now)));
    // The change since August, with its arrow: 3 cm more than a normal three months' growth.
    let change = haz_now - haz_then;
    assert!(change >= 0.1, "{change}");
    assert_has(&saved, &format!("▲ +{} sejak 13-08-2026", z_id(change)));

    // The database holds it with every z-score, and the child's severity for the matcher is the latest.
    let row = format!(
        "FROM measurements WHERE child_id = {fathan} AND measured_on = '{}'",
        today()
    );
    let milli = |z: f64| (z * 1000.0).round() as i64;
    assert_eq!(app.db.scalar(&format!("SELECT length_mm {row}")).await, 870);
    assert_eq!(
        app.db.scalar(&format!("SELECT weight_g {row}")).await,
        10_900
    );
    assert_eq!(app.db.scalar(&format!("SELECT muac_mm {row}")).await, 132);
    assert_eq!(
        app.db.scalar(&format!("SELECT haz_milli {row}")).await,
        milli(haz_now)
    );
    assert_eq!(
        app.db.scalar(&format!("SELECT waz_milli {row}")).await,
        milli(waz_now)
    );
    assert_eq!(
        app.db.scalar(&format!("SELECT whz_milli {row}")).await,
        milli(whz_now)
    );
    let baz_now = growth::baz(Sex::Male, days_now, 87.0, Position::Standing, 10.9).expect("baz");
    assert_eq!(
        app.db.scalar(&format!("SELECT baz_milli {row}")).await,
        milli(baz_now)
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT haz_milli FROM children WHERE id = {fathan}"
            ))
            .await,
        milli(haz_now)
    );
    assert_eq!(
        app.db
            .text(&format!("SELECT source {row}"))
            .await
            .as_deref(),
        Some("chat")
    );

    // The chart: a real PNG of the expected size.
    app.tg.press_button(
        &kader,
        &saved,
        &saved.button_data("Grafik").expect("chart button"),
    );
    let photo = app.tg.next_message(KADER).await;
    assert_eq!(photo.method, "sendPhoto");
    assert_has(&photo, "2 pengukuran");
    let png = app.tg.sent_file(&photo).expect("the chart's bytes");
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("a PNG");
    assert_eq!((reader.info().width, reader.info().height), (1200, 900));

    // The same day again with other values corrects it, saying what it replaces.
    let card = app.say(&kader, &format!("/ukur {fathan}")).await;
    let ask_date = app.press(&kader, &card, "Ukur").await;
    app.press(&kader, &ask_date, "Hari ini").await;
    let ask_position = app.say(&kader, "87,2").await;
    let ask_weight = app.press(&kader, &ask_position, "Berdiri").await;
    let ask_muac = app.press(&kader, &ask_weight, "Lewati").await;
    let review = app.press(&kader, &ask_muac, "Lewati").await;
    assert_has(
        &review,
        "Menggantikan pengukuran hari itu: 87,0 cm berdiri · 10,90 kg · LiLA 13,2 cm",
    );
    let saved = app.press(&kader, &review, "Simpan").await;
    assert_has(&saved, "diperbaiki");
    assert_eq!(app.db.scalar(&format!("SELECT length_mm {row}")).await, 872);
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM measurements WHERE child_id = {fathan}"
            ))
            .await,
        2
    );

    // The coordinator's card shows the growth lines and the same buttons.
    let admin_card = app
        .say(&app.admin(), &format!("/anak_lihat {fathan}"))
        .await;
    assert_has(
        &admin_card,
        &format!("Pengukuran terakhir {}", dmy(today())),
    );
    assert!(
        admin_card.button_data("Ukur").is_some(),
        "{:?}",
        admin_card.buttons()
    );
    assert!(
        admin_card.button_data("Grafik").is_some(),
        "{:?}",
        admin_card.buttons()
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn implausible_measurements_are_refused_with_the_reason_and_the_rest_is_kept() {
    let Programme {
        app, kader, ani, ..
    } = programme(&[]).await;
    let fathan = child_id(&app, "Muhammad Fathan").await;

    let card = app.say(&kader, &format!("/ukur {fathan}")).await;
    let ask_date = app.press(&kader, &card, "Ukur").await;
    assert!(ask_date.button_data("Hari ini").is_some());
    // A date not yet come, or before the birth.
    let refused = app.say(&kader, &dmy(today() + Days::days(2))).await;
    assert_has(&refused, "belum lewat");
    let ask_date = app.tg.next_message(KADER).await;
    assert_has(&ask_date, "Tanggal pengukuran");
    let refused = app.say(&kader, "01-01-2023").await;
    assert_has(&refused, "sebelum anak lahir");
    app.tg.next_message(KADER).await;
    // 80.0 cm is 4 cm shorter than August's 84.0: refused, and only the length is asked again.
    let ask_length = app.say(&kader, &dmy(today())).await;
    assert_has(&ask_length, "Panjang/tinggi badan");
    let ask_position = app.say(&kader, "80,0").await;
    let refused = app.press(&kader, &ask_position, "Berdiri").await;
    assert_has(
        &refused,
        "4,0 cm lebih pendek daripada pengukuran 13-08-2026 (84,0 cm berdiri)",
    );
    let again = app.tg.next_message(KADER).await;
    assert_has(&again, "Panjang/tinggi badan");
    // 35 kg at three years is beyond WHO's weight-for-age flag.
    let ask_position = app.say(&kader, "84,6").await;
    let ask_weight = app.press(&kader, &ask_position, "Berdiri").await;
    assert_has(&ask_weight, "Berat badan");
    let refused = app.say(&kader, "35").await;
    assert_has(&refused, "BB/U");
    assert_has(&refused, "di luar batas wajar WHO (−6,0 sampai 5,0)");
    let again = app.tg.next_message(KADER).await;
    assert_has(&again, "Berat badan");
    let ask_muac = app.say(&kader, "11,0").await;
    let review = app.press(&kader, &ask_muac, "Lewati").await;
    let saved = app.press(&kader, &review, "Simpan").await;
    assert_has(&saved, "tersimpan");

    // Yesterday with twice today's weight: refused, and nothing is written.
    let card = app.say(&kader, &format!("/ukur {fathan}")).await;
    let ask_date = app.press(&kader, &card, "Ukur").await;
    app.press(&kader, &ask_date, "Kemarin").await;
    let ask_position = app.say(&kader, "84,5").await;
    app.press(&kader, &ask_position, "Berdiri").await;
    let refused = app.say(&kader, "22,5").await;
    assert_has(&refused, "dua kali lipat atau separuh dari 11,00 kg");
    let again = app.tg.next_message(KADER).await;
    let cancelled = app.press(&kader, &again, "Batal").await;
    assert_has(&cancelled, "tidak ada yang disimpan");
    let rows = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM measurements WHERE child_id = {fathan}"
        ))
        .await;
    assert_eq!(rows, 2, "August's and today's");
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM measurements WHERE child_id = {fathan} AND length_mm = 800"
            ))
            .await,
        0
    );

    // A restart in the middle of a measurement loses nothing typed so far.
    let card = app.say(&kader, &format!("/ukur {fathan}")).await;
    let ask_date = app.press(&kader, &card, "Ukur").await;
    app.press(&kader, &ask_date, "Kemarin").await;
    let ask_position = app.say(&kader, "84,5").await;
    let mut app = app;
    app.restart().await;
    let ask_weight = app.press(&kader, &ask_position, "Berdiri").await;
    assert_has(&ask_weight, "Berat badan");

    // A sponsor may not measure; a volunteer of another kecamatan may not measure Mandonga's child.
    let not_allowed = app.say(&ani, "/ukur").await;
    assert_has(&not_allowed, "bukan untuk peran Anda");
    let other = volunteer_of(&app, 730_102, "La Ode", "74.71.02").await;
    let outside = app.say(&other, &format!("/ukur {fathan}")).await;
    assert_has(&outside, "di luar wilayah");
    app.assert_spec_clean();
}

#[tokio::test]
async fn after_confirming_a_delivery_the_volunteer_may_measure_the_child() {
    let Programme {
        app, kader, due, ..
    } = programme(&[
        ("ASUH_FIRST_DELIVERY_DAYS", "1"),
        ("ASUH_CONFIRM_AHEAD_DAYS", "8"),
    ])
    .await;
    app.tick(&wita(due + Days::days(2), "08:00")).await;
    let escalated = expect(&app, KADER, "Muhammad").await;
    let ask = app.press(&kader, &escalated, "Sudah diantar").await;
    assert_has(&ask, "Kirim foto");
    app.tg.add_file("after-1", "uq-after-1", images::jpeg(41));
    app.tg.send_photo(&kader, "after-1", None);
    let question = app.tg.next_message(KADER).await;
    confirm_in_full(&app, &kader, &question).await;
    let offer = expect(&app, KADER, "Sekalian mengukur Muhammad").await;
    let ask_date = app.press(&kader, &offer, "Catat pengukuran").await;
    assert_has(&ask_date, "Pengukuran Muhammad Fathan");
    let ask_length = app.press(&kader, &ask_date, "Hari ini").await;
    assert_has(&ask_length, "Panjang/tinggi badan");
}

/// Two more children of Mandonga: Nadia (stunted in August) to graduate, Rizky waiting.
const MORE_CHILDREN: &str = "Nama Anak;JK;Tanggal Lahir;Nama Orang Tua;Kecamatan;Kelurahan/Desa;Tinggi (cm);Berat (kg);Tanggal Ukur
Nadia Putri;P;10/01/2024;Hasnawati;Mandonga;Korumba;80,0;9,5;01/08/2026
Rizky Ramadhan;L;05/05/2023;Sitti Aminah;Mandonga;Korumba;;;
";

#[tokio::test]
async fn leaving_stunting_twice_asks_the_coordinator_who_keeps_or_ends_the_sponsorship() {
    let Programme {
        app, ani, kader, ..
    } = programme(&[]).await;
    let report = app
        .import_file(
            "more-children",
            "anak-tambahan.csv",
            MORE_CHILDREN.as_bytes(),
        )
        .await;
    assert!(report.contains("ditambah: 2"), "{report}");
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let nadia = child_id(&app, "Nadia Putri").await;
    let nadia_august = hazs(&app, nadia).await;
    assert!(
        nadia_august[0] < -2000,
        "stunted in August: {nadia_august:?}"
    );
    sponsor_child(&app, &ani, "Nadia Putri").await;
    expect(&app, KADER, "Nadia").await;
    expect(&app, ADMIN_ID, "Ani").await;

    // Fathan measures above −2 SD twice: the coordinator is asked, once, and keeps the sponsorship.
    let fathan_birth = NaiveDate::from_ymd_opt(2023, 7, 12).expect("date");
    let (first, second) = (today() - Days::days(20), today());
    let cm = standing_at(Sex::Male, fathan_birth, first, -1.5);
    let saved = measure(&app, &kader, fathan, first, &cm_id(cm), None).await;
    assert!(
        !saved.plain_text().contains("koordinator diminta"),
        "{}",
        saved.plain_text()
    );
    let cm = standing_at(Sex::Male, fathan_birth, second, -1.4);
    let saved = measure(&app, &kader, fathan, second, &cm_id(cm), None).await;
    assert_has(&saved, "koordinator diminta memutuskan");
    let question = expect(&app, ADMIN_ID, "keluar dari stunting").await;
    assert_has(&question, "Muhammad Fathan");
    let stored = hazs(&app, fathan).await;
    let [.., before, latest] = stored[..] else {
        panic!("{stored:?}")
    };
    assert_has(
        &question,
        &format!(
            "TB/U {} ({}) dan {} ({})",
            z_id(before as f64 / 1000.0),
            dmy(first),
            z_id(latest as f64 / 1000.0),
            dmy(second)
        ),
    );
    let kept = app.press(&app.admin(), &question, "Lanjutkan").await;
    assert_has(&kept, "dilanjutkan");
    // A third measurement above −2 SD does not ask again; the sponsorship stays active.
    let cm = standing_at(Sex::Male, fathan_birth, today() - Days::days(10), -1.45);
    measure(
        &app,
        &kader,
        fathan,
        today() - Days::days(10),
        &cm_id(cm),
        None,
    )
    .await;
    app.tg
        .expect_no_message(ADMIN_ID, std::time::Duration::from_secs(2))
        .await;
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM sponsorships WHERE child_id = {fathan} AND status = 'active'"
            ))
            .await,
        1
    );

    // Nadia too, and this time the coordinator ends it: she graduates, Ani is thanked and offered the
    // child of her district waiting longest.
    let nadia_birth = NaiveDate::from_ymd_opt(2024, 1, 10).expect("date");
    for (on, z) in [
        (today() - Days::days(30), -1.8),
        (today() - Days::days(1), -1.7),
    ] {
        let cm = standing_at(Sex::Female, nadia_birth, on, z);
        measure(&app, &kader, nadia, on, &cm_id(cm), Some("10,4")).await;
    }
    let question = expect(&app, ADMIN_ID, "Nadia Putri").await;
    assert_has(&question, "keluar dari stunting");
    let ended = app.press(&app.admin(), &question, "Akhiri").await;
    assert_has(&ended, "Nadia Putri lulus");
    assert_has(&ended, "ditawari anak berikutnya");
    let thanks = expect(&app, ANI, "Kabar baik").await;
    assert_has(&thanks, "Nadia tidak lagi stunting");
    let offer = expect(&app, ANI, "Anak untuk Anda asuh").await;
    assert!(
        offer.button_data("Terima").is_some(),
        "{:?}",
        offer.buttons()
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM sponsorships WHERE sponsor_id = {ANI} AND status = 'proposed'"
            ))
            .await,
        1
    );
    assert_eq!(
        app.db
            .text(&format!("SELECT status FROM children WHERE id = {nadia}"))
            .await
            .as_deref(),
        Some("graduated")
    );
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT decision FROM graduations WHERE child_id = {nadia}"
            ))
            .await
            .as_deref(),
        Some("end")
    );
    assert_eq!(
        app.db
            .text(&format!(
                "SELECT decision FROM graduations WHERE child_id = {fathan}"
            ))
            .await
            .as_deref(),
        Some("keep")
    );
    // Pressing the answer again changes nothing and says who decided.
    let data = question.button_data("Lanjutkan").expect("keep button");
    app.tg.press_button(&app.admin(), &question, &data);
    let again = app.tg.next_message(ADMIN_ID).await;
    assert_has(&again, "sudah diluluskan");
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT COUNT(*) FROM sponsorships WHERE child_id = {nadia} AND status = 'active'"
            ))
            .await,
        0
    );
    app.assert_spec_clean();
}
