//! End to end, table-driven: every command and every kind of button, tried by people who may not use it
//! on the subject named — a coordinator of another kecamatan, a sponsor, a revoked sponsor, a volunteer
//! and a stranger — with forged button data where a button is the way in. Each attempt must be answered
//! with a short localized refusal, and nothing the programme keeps may change.

mod support;

use asuh::domain::Lang;
use asuh::i18n::{Arg, tf};
use std::time::Duration;
use support::programme::{ANI, KADER, Programme, expect, programme};
use support::{ADMIN_ID, TestApp, TestUser};

const KADIA: i64 = 620_001;
const BUDI: i64 = 620_002;
const RUDI: i64 = 620_003;
const SARI: i64 = 620_004;
const STRANGER: i64 = 620_005;

/// What a refusal may say: these texts, or one that starts as they do (up to their first argument).
const REFUSALS: &[&str] = &[
    "error-not-allowed",
    "error-not-in-scope",
    "error-programme-wide",
    "error-not-yours",
    "error-stale-button",
    "sponsorship-not-yours",
    "delivery-not-yours",
    "evidence-not-found",
    "evidence-not-your-child",
    "evidence-outside-area",
    "child-unknown",
    "measure-not-allowed",
    "report-region-outside",
];

fn refusal_prefixes() -> Vec<String> {
    const HOLE: &str = "\u{1}";
    REFUSALS
        .iter()
        .map(|key| {
            let text = tf(
                Lang::Id,
                key,
                &[
                    ("area", Arg::Text(HOLE)),
                    ("code", Arg::Text(HOLE)),
                    ("scope", Arg::Text(HOLE)),
                ],
            );
            let end = text.find([HOLE.chars().next().unwrap_or('\u{1}'), '<']);
            text[..end.unwrap_or(text.len())].to_owned()
        })
        .collect()
}

/// One attempt: a command typed, or button data pressed (on the actor's last message).
#[derive(Debug, Clone)]
enum Try {
    Say(String),
    Press(String),
}

async fn drain(app: &TestApp, chat: i64) {
    while app
        .tg
        .next_message_within(chat, Duration::from_millis(150))
        .await
        .is_some()
    {}
}

/// The bot's answer to an attempt.
async fn attempt(app: &TestApp, user: &TestUser, what: &Try) -> String {
    match what {
        Try::Say(text) => {
            let before = app.tg.callback_answers().len();
            app.tg.send_text(user, text);
            app.answer(user, before).await
        }
        Try::Press(data) => app.forge(user, data).await,
    }
}

fn lines_changed(before: &str, after: &str) -> String {
    let b: Vec<&str> = before.lines().collect();
    let a: Vec<&str> = after.lines().collect();
    let gone: Vec<&&str> = b.iter().filter(|l| !a.contains(l)).collect();
    let new: Vec<&&str> = a.iter().filter(|l| !b.contains(l)).collect();
    format!("gone: {gone:#?}\nnew: {new:#?}")
}

struct World {
    app: TestApp,
    fathan: i64,
    nayla: i64,
    siti: i64,
    offer: i64,
    active: i64,
    open_delivery: i64,
    case_delivery: i64,
    case: i64,
}

async fn world() -> World {
    // The volunteer may confirm the second weekly delivery days ahead (the first falls 5 to 11 days on).
    let Programme { app, kader, .. } = programme(&[("ASUH_CONFIRM_AHEAD_DAYS", "19")]).await;
    let id = |name: &'static str| {
        let app = &app;
        async move {
            app.db
                .scalar(&format!(
                    "SELECT id FROM children WHERE full_name = '{}'",
                    name.replace('\'', "''")
                ))
                .await
        }
    };
    let (fathan, nayla, siti) = (
        id("Muhammad Fathan").await,
        id("Nayla Khairunnisa").await,
        id("Siti Nur'aini").await,
    );
    app.coordinator_of(KADIA, "Camat Kadia", "74.71.08").await;
    app.approved_sponsor(BUDI, "Budi", "1").await;
    app.approved_sponsor(RUDI, "Rudi", "1").await;
    let roles = app.say(&app.admin(), &format!("/cabut {RUDI}")).await;
    let data = roles.button_data("Bapak/Bunda Asuh").expect("sponsor role");
    app.tg.press_button(&app.admin(), &roles, &data);
    expect(&app, RUDI, "dicabut").await;
    app.pending_sponsor(SARI, "Sari", "1", "Mandonga").await;
    // An open offer (to Budi) and the active sponsorship (Ani's, of Fathan).
    app.say(&app.admin(), &format!("/pasangkan {nayla} {BUDI}"))
        .await;
    expect(&app, BUDI, "Inisial").await;
    let offer = app
        .db
        .scalar(&format!(
            "SELECT id FROM sponsorships WHERE child_id = {nayla}"
        ))
        .await;
    let active = app
        .db
        .scalar(&format!(
            "SELECT id FROM sponsorships WHERE child_id = {fathan}"
        ))
        .await;
    let (open_delivery, case_delivery) = {
        let first = app
            .db
            .scalar("SELECT MIN(id) FROM deliveries WHERE status = 'scheduled'")
            .await;
        let second = app
            .db
            .scalar(&format!(
                "SELECT MIN(id) FROM deliveries WHERE status = 'scheduled' AND id > {first}"
            ))
            .await;
        (first, second)
    };
    // The volunteer reports the second delivery as not received: a case.
    app.tg.send_text(&kader, "/konfirmasi");
    let list = expect(&app, KADER, "").await;
    app.tg
        .press_button(&kader, &list, &format!("dv:{case_delivery}"));
    expect(&app, KADER, "Kirim foto").await;
    app.tg
        .send_text(&kader, "⚠️ Tidak diterima / lapor masalah");
    let problems = expect(&app, KADER, "Mengapa paket").await;
    let summary = app.press(&kader, &problems, "Tidak ada orang").await;
    app.press(&kader, &summary, "Kirim").await;
    app.wait_for("SELECT COUNT(*) FROM cases WHERE status = 'open'", 1)
        .await;
    let case = app.db.scalar("SELECT MAX(id) FROM cases").await;
    // A scheduler pass now, so what it sets up for new coordinators (their digest schedules) is in place
    // before the attempts, not in the middle of them.
    app.tick(&chrono::Utc::now().to_rfc3339()).await;
    // Strangers and the others need a message of the bot's to press forged buttons on.
    let stranger = TestUser::new(STRANGER, "Orang Asing", Some("id"));
    app.say(&stranger, "/start").await;
    for chat in [ADMIN_ID, ANI, KADER, KADIA, BUDI, RUDI, SARI, STRANGER] {
        drain(&app, chat).await;
    }
    World {
        app,
        fathan,
        nayla,
        siti,
        offer,
        active,
        open_delivery,
        case_delivery,
        case,
    }
}

/// What every coordinator command asks of someone who is no coordinator.
fn coordinator_commands(w: &World) -> Vec<Try> {
    [
        "/menunggu".to_owned(),
        "/sponsor".to_owned(),
        "/relawan".to_owned(),
        "/koordinator".to_owned(),
        "/wilayah".to_owned(),
        "/wilayah_tambah 74.71.01.1099 Baru".to_owned(),
        "/wilayah_hapus 74.71.01.1010".to_owned(),
        "/opd".to_owned(),
        "/opd_tambah Dinas Baru".to_owned(),
        "/undang 74.71.01".to_owned(),
        format!("/cabut {ANI}"),
        "/impor".to_owned(),
        "/anak_cari".to_owned(),
        format!("/anak_lihat {}", w.fathan),
        format!("/anak_ubah {} nama Diubah", w.fathan),
        "/cocokkan".to_owned(),
        format!("/pasangkan {} {BUDI}", w.siti),
        format!("/alihkan {} {BUDI}", w.fathan),
        "/komitmen 1 6 500000".to_owned(),
        "/paket Paket lain: air 1 gelas".to_owned(),
        "/jadwal Lain: bulanan 3".to_owned(),
        "/bawaan".to_owned(),
        format!("/bukti {}", w.case_delivery),
        "/kasus".to_owned(),
        "/laporan 2026-11".to_owned(),
        "/ringkasan".to_owned(),
    ]
    .into_iter()
    .map(Try::Say)
    .collect()
}

/// A coordinator's buttons, forged, about Mandonga's child, sponsors, volunteer and evidence.
fn coordinator_buttons(w: &World) -> Vec<Try> {
    [
        format!("sp:ok:{SARI}"),
        format!("sp:no:{SARI}"),
        format!("rv:s:{ANI}"),
        format!("rv:v:{KADER}"),
        format!("rv:c:{ADMIN_ID}"),
        format!("cm:{}", w.fathan),
        format!("cc:{}:graduated", w.fathan),
        format!("eb:{}:v", w.case_delivery),
        format!("eb:{}:x", w.case_delivery),
        format!("cs:{}", w.case),
        "rp:lm:74.71.01".to_owned(),
        format!("sx:{}:0:0", w.active),
        format!("sx:{}:1:1", w.active),
        "pl:74.71.01:0:0:-".to_owned(),
        "pl:74.71.01:1:1:s".to_owned(),
        "pl:-:1:1:s".to_owned(),
        "gd:999:e".to_owned(),
        format!("gr:{}", w.fathan),
        format!("ms:{}", w.fathan),
    ]
    .into_iter()
    .map(Try::Press)
    .collect()
}

/// A sponsor's buttons, forged, about Ani's sponsorship, Budi's offer and Fathan's deliveries.
fn sponsor_buttons(w: &World) -> Vec<Try> {
    let day = chrono::Utc::now().date_naive() + chrono::Days::new(8);
    [
        format!("pa:{}", w.offer),
        format!("pd:{}", w.offer),
        format!("pa:{}", w.active),
        format!("se:{}", w.active),
        format!("dr:{}", w.open_delivery),
        format!("dt:{}:{}", w.open_delivery, day.format("%Y%m%d")),
        format!("dk:{}", w.open_delivery),
        format!("dv:{}", w.open_delivery),
        format!("gc:{}", w.fathan),
    ]
    .into_iter()
    .map(Try::Press)
    .collect()
}

fn sponsor_commands() -> Vec<Try> {
    ["/anak", "/minta_anak", "/pengiriman"]
        .into_iter()
        .map(|c| Try::Say(c.to_owned()))
        .collect()
}

/// Runs every attempt as `user`: each answered by a refusal, and the programme unchanged after all.
async fn refused(w: &World, user: &TestUser, attempts: &[Try], prefixes: &[String]) {
    let app = &w.app;
    drain(app, user.id).await;
    let before = app.db.snapshot().await;
    let mut wrong = Vec::new();
    for what in attempts {
        let text = attempt(app, user, what).await;
        let short = text.chars().count() <= 300;
        if !short || !prefixes.iter().any(|p| text.starts_with(p.as_str())) {
            wrong.push(format!("{what:?} → {text:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} ({}) was not refused plainly:\n{}",
        user.first_name,
        user.id,
        wrong.join("\n")
    );
    let after = app.db.snapshot().await;
    assert!(
        before == after,
        "attempts by {} changed the programme:\n{}",
        user.id,
        lines_changed(&before, &after)
    );
}

#[tokio::test]
async fn nobody_does_what_they_may_not_and_every_refusal_changes_nothing() {
    let w = world().await;
    let prefixes = refusal_prefixes();
    let nobody_coordinator = {
        let mut all = coordinator_commands(&w);
        all.extend(coordinator_buttons(&w));
        all.push(Try::Press("mt:ok".into()));
        all
    };

    // A sponsor (approved, with an open offer of her own), a revoked sponsor, a volunteer, a stranger.
    let budi = TestUser::new(BUDI, "Budi", Some("id"));
    let mut as_budi = nobody_coordinator.clone();
    as_budi.extend(sponsor_buttons(&w).into_iter().filter(
        // Budi's own offer is his to answer.
        |t| !matches!(t, Try::Press(d) if d == &format!("pa:{}", w.offer) || d == &format!("pd:{}", w.offer)),
    ));
    as_budi.push(Try::Press(format!("gr:{}", w.fathan)));
    refused(&w, &budi, &as_budi, &prefixes).await;

    let rudi = TestUser::new(RUDI, "Rudi", Some("id"));
    let mut as_rudi = nobody_coordinator.clone();
    as_rudi.extend(sponsor_commands());
    as_rudi.extend(sponsor_buttons(&w));
    as_rudi.push(Try::Say("/konfirmasi".into()));
    as_rudi.push(Try::Say(format!("/ukur {}", w.fathan)));
    refused(&w, &rudi, &as_rudi, &prefixes).await;

    let kader = TestUser::new(KADER, "Wa Ode", Some("id"));
    // Measuring Fathan is a volunteer's work in Mandonga.
    let mut as_kader: Vec<Try> = nobody_coordinator
        .iter()
        .filter(|t| !matches!(t, Try::Press(d) if d.starts_with("gr:") || d.starts_with("ms:")))
        .cloned()
        .collect();
    as_kader.extend(sponsor_commands());
    as_kader.extend(
        sponsor_buttons(&w)
            .into_iter()
            // Confirming and charting Fathan's delivery is a volunteer's work in Mandonga.
            .filter(
                |t| !matches!(t, Try::Press(d) if d.starts_with("dv:") || d.starts_with("gc:")),
            ),
    );
    as_kader.push(Try::Say(format!("/ukur {}", w.siti)));
    as_kader.push(Try::Press(format!("ms:{}", w.siti)));
    as_kader.push(Try::Press(format!("gc:{}", w.siti)));
    refused(&w, &kader, &as_kader, &prefixes).await;

    let stranger = TestUser::new(STRANGER, "Orang Asing", Some("id"));
    let mut as_stranger = nobody_coordinator.clone();
    as_stranger.extend(sponsor_commands());
    as_stranger.extend(sponsor_buttons(&w));
    as_stranger.push(Try::Say("/konfirmasi".into()));
    as_stranger.push(Try::Say(format!("/ukur {}", w.fathan)));
    refused(&w, &stranger, &as_stranger, &prefixes).await;

    // A coordinator of Kadia, on Mandonga: every command and button that names it.
    let kadia = TestUser::new(KADIA, "Camat Kadia", Some("id"));
    let mut as_kadia: Vec<Try> = [
        "/wilayah_tambah 74.71.01.1099 Baru".to_owned(),
        "/wilayah_tambah 74.71 Kota Lain".to_owned(),
        "/wilayah_hapus 74.71.01.1010".to_owned(),
        "/opd_tambah Dinas Baru".to_owned(),
        "/undang 74.71.01".to_owned(),
        format!("/cabut {ANI}"),
        format!("/cabut {KADER}"),
        format!("/cabut {ADMIN_ID}"),
        format!("/anak_lihat {}", w.fathan),
        format!("/anak_ubah {} nama Diubah", w.fathan),
        format!("/pasangkan {} {BUDI}", w.nayla),
        format!("/pasangkan {} {BUDI}", w.siti),
        format!("/alihkan {} {BUDI}", w.fathan),
        "/komitmen 1 6 500000".to_owned(),
        "/paket Paket gizi: air 1 gelas".to_owned(),
        "/jadwal Mingguan: bulanan 28".to_owned(),
        format!("/bukti {}", w.case_delivery),
        "/laporan 2026-11 74.71.01".to_owned(),
        format!("/ukur {}", w.fathan),
    ]
    .into_iter()
    .map(Try::Say)
    .collect();
    as_kadia.extend(coordinator_buttons(&w).into_iter().filter(
        // The graduation question does not exist; a stale answer is right for anyone.
        |t| !matches!(t, Try::Press(d) if d == "gd:999:e"),
    ));
    as_kadia.extend(sponsor_commands());
    as_kadia.extend(sponsor_buttons(&w));
    as_kadia.push(Try::Press(format!("ev:{}:of", w.open_delivery)));
    refused(&w, &kadia, &as_kadia, &prefixes).await;
    w.app.assert_spec_clean();
}
