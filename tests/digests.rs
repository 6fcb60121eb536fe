//! End to end: coordinator digests with a moved clock (`asuh tick --at`) — the daily digest at its time in
//! the region's zone, what it lists and "show all", the weekly summary with its chart, a long digest split
//! into messages, `/ringkasan` on demand and its schedule, a coordinator of one kecamatan seeing only it,
//! growth since the last digest (worse, out of stunting) and the children not measured for 90 days, and the
//! sponsors' monthly note with their child's progress.

mod support;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use std::time::Duration;
use support::programme::{ANI, Programme, expect, programme, wita};
use support::{ADMIN_ID, TestApp};

/// A coordinator of Kota Kendari (WITA); the programme's own zone stays WIB, so a digest at 07:00 WITA
/// comes at 06:00 WIB.
const KOTA: i64 = 600_001;
/// A coordinator of the kecamatan Kadia only.
const KADIA: i64 = 600_002;

fn on() -> [(&'static str, &'static str); 2] {
    [("ASUH_DIGESTS", "on"), ("ASUH_SPONSOR_NOTES", "off")]
}

/// A pass long after the grant: whatever the running bot scheduled from the real clock is sent now, once,
/// and every schedule moves on from `at`. What it sent is taken out of the chats' queues.
async fn flush(app: &TestApp, at: &str, chats: &[i64]) {
    app.tick(at).await;
    for chat in chats {
        drain(app, *chat).await;
    }
}

/// Takes every message already sent to `chat` out of its queue.
async fn drain(app: &TestApp, chat: i64) {
    while app
        .tg
        .next_message_within(chat, Duration::from_millis(300))
        .await
        .is_some()
    {}
}

/// A distinct name-like word for `i` ("Ba", "Bb", …): names hold letters only.
fn word(i: usize) -> String {
    let first = char::from(b'B' + u8::try_from(i / 26).expect("small"));
    let second = char::from(b'a' + u8::try_from(i % 26).expect("small"));
    format!("{first}{second}")
}

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Messages sent to `chat` by now (after a tick has drained the outbox), from index `from`.
fn texts_since(app: &TestApp, chat: i64, from: usize) -> Vec<String> {
    app.tg.messages_to(chat)[from..]
        .iter()
        .filter(|m| m.method == "sendMessage" || m.method == "sendPhoto")
        .filter_map(|m| m.text.clone())
        .collect()
}

#[tokio::test]
async fn the_daily_digest_comes_at_seven_in_the_regions_zone_once_and_lists_the_day() {
    let Programme { app, due, .. } = programme(&on()).await;
    let kota = app.coordinator_of(KOTA, "Kabid Kota", "74.71").await;

    flush(&app, &wita(due - Days::new(2), "12:00"), &[KOTA, ADMIN_ID]).await;
    // A bot that was down for days sends the digest it missed once, not once per missed day.
    let seen = app.tg.messages_to(KOTA).len();
    app.tick(&wita(due - Days::new(1), "10:00")).await;
    let late = texts_since(&app, KOTA, seen);
    assert_eq!(late.len(), 1, "{late:#?}");
    flush(&app, &wita(due - Days::new(1), "10:00"), &[KOTA, ADMIN_ID]).await;

    // 06:59 WITA: not yet. 07:00 WITA (06:00 in Jakarta, the programme's zone): the digest.
    let seen = app.tg.messages_to(KOTA).len();
    app.tick(&wita(due, "06:59")).await;
    assert_eq!(texts_since(&app, KOTA, seen), Vec::<String>::new());
    app.tick(&wita(due, "07:00")).await;
    let digest = expect(&app, KOTA, "Ringkasan Kota Kendari").await;
    let text = digest.plain_text();
    assert!(text.contains("Jatuh tempo hari ini: 1"), "{text}");
    assert!(
        text.contains("Muhammad Fathan — Ani Saputra (Dinas Kesehatan)"),
        "{text}"
    );
    // 18 children registered, Muhammad sponsored: 17 wait, 5 listed, the most stunted first.
    assert!(
        text.contains("Anak belum punya orang tua asuh: 17"),
        "{text}"
    );
    assert!(text.contains("… dan 12 lainnya"), "{text}");
    assert!(text.contains("Cakupan: 1/18 anak"), "{text}");
    // The admin (the whole programme, WIB) gets theirs at 07:00 WIB, an hour later.
    let admin_seen = app.tg.messages_to(ADMIN_ID).len();
    app.tick(&wita(due, "07:59")).await;
    assert!(
        !texts_since(&app, ADMIN_ID, admin_seen)
            .iter()
            .any(|t| t.contains("Ringkasan seluruh program"))
    );
    app.tick(&wita(due, "08:00")).await;
    expect(&app, ADMIN_ID, "Ringkasan seluruh program").await;

    // "Show all" sends the whole list: all 17 waiting children, each once.
    let all = app.press(&kota, &digest, "Lihat semua: anak tanpa").await;
    let mut lines: Vec<String> = all.plain_text().lines().map(str::to_owned).collect();
    while lines.iter().filter(|l| l.starts_with("• #")).count() < 17 {
        let more = app.tg.next_message(KOTA).await;
        lines.extend(more.plain_text().lines().map(str::to_owned));
    }
    let children: Vec<&String> = lines.iter().filter(|l| l.starts_with("• #")).collect();
    assert_eq!(children.len(), 17, "{lines:#?}");
    assert!(!children.iter().any(|l| l.contains("Muhammad Fathan")));
    let waiting = app
        .db
        .scalar("SELECT COUNT(*) FROM children WHERE status = 'unmatched'")
        .await;
    assert_eq!(waiting, 17);

    // Nobody confirmed: the next morning it is overdue, by sponsor and by office, and no longer due.
    let next_day = due + Days::new(1);
    app.tick(&wita(next_day, "07:00")).await;
    let digest = expect(&app, KOTA, "Ringkasan Kota Kendari").await;
    let text = digest.plain_text();
    assert!(!text.contains("Jatuh tempo hari ini"), "{text}");
    assert!(
        text.contains("Terlambat: 1 pengiriman dari 1 orang tua asuh"),
        "{text}"
    );
    assert!(
        text.contains("Ani Saputra (Dinas Kesehatan) — 1 pengiriman, terlama 1 hari"),
        "{text}"
    );
    assert!(
        text.contains("Dinas Kesehatan — 1 pengiriman dari 1 orang tua asuh, terlama 1 hari"),
        "{text}"
    );
    // Once: a later pass the same morning sends nothing more.
    let seen = app.tg.messages_to(KOTA).len();
    app.tick(&wita(next_day, "07:05")).await;
    assert_eq!(texts_since(&app, KOTA, seen), Vec::<String>::new());
    app.assert_spec_clean();
}

#[tokio::test]
async fn confirmed_deliveries_come_in_the_next_digest_and_a_kecamatan_sees_only_itself() {
    let mut env = on().to_vec();
    // The running bot keeps the real clock: let the volunteer confirm the first two weekly deliveries days
    // ahead (the first falls 5 to 11 days from today, the second a week later).
    env.push(("ASUH_CONFIRM_AHEAD_DAYS", "19"));
    let Programme {
        app, due, kader, ..
    } = programme(&env).await;
    let kadia = app.coordinator_of(KADIA, "Camat Kadia", "74.71.08").await;

    // The volunteer confirms the delivery with a photo; the coordinator's digest, asked for now, has it.
    app.tg.add_file("ph-1", "uq-ph-1", support::images::jpeg(1));
    app.tg.send_photo(&kader, "ph-1", None);
    let pick = expect(&app, kader.id, "Untuk pengiriman yang mana").await;
    let first = pick.buttons()[0].1.clone();
    app.tg.press_button(&kader, &pick, &first);
    let question = expect(&app, kader.id, "Bagaimana paketnya diterima").await;
    support::programme::confirm_in_full(&app, &kader, &question).await;
    // The next week's package did not arrive: nobody was home. A problem, open until resolved.
    let next = app
        .db
        .scalar(&format!(
            "SELECT id FROM deliveries WHERE due_on = '{}'",
            due + Days::new(7)
        ))
        .await;
    app.tg.press_button(&kader, &pick, &format!("dv:{next}"));
    expect(&app, kader.id, "Kirim foto").await;
    app.tg
        .send_text(&kader, "⚠️ Tidak diterima / lapor masalah");
    let problems = expect(&app, kader.id, "Mengapa paket").await;
    let summary = app.press(&kader, &problems, "Tidak ada orang").await;
    app.press(&kader, &summary, "Kirim").await;

    app.tg.send_text(&app.admin(), "/ringkasan");
    let admin = expect(&app, ADMIN_ID, "Ringkasan seluruh program")
        .await
        .plain_text();
    assert!(
        admin.contains("Terkonfirmasi sejak ringkasan terakhir: 1"),
        "{admin}"
    );
    assert!(admin.contains("Muhammad Fathan — Wa Ode"), "{admin}");
    assert!(admin.contains("Masalah terbuka: 1 (1 baru)"), "{admin}");
    assert!(
        admin.contains("Muhammad Fathan: 🚪 Tidak ada orang di rumah, 0 hari"),
        "{admin}"
    );

    // Kadia's coordinator sees Kadia's two children and nothing of Mandonga, on demand and at 07:00.
    let now = app.say(&kadia, "/ringkasan").await.plain_text();
    assert!(
        now.contains("Ringkasan Kadia") && now.contains("Siti Nur'aini"),
        "{now}"
    );
    assert!(
        !now.contains("Muhammad Fathan") && !now.contains("Terkonfirmasi"),
        "{now}"
    );
    flush(&app, &wita(due - Days::new(1), "12:00"), &[KADIA, ADMIN_ID]).await;
    app.tick(&wita(due, "07:00")).await;
    let mine = expect(&app, KADIA, "Ringkasan Kadia").await.plain_text();
    assert!(
        mine.contains("Anak belum punya orang tua asuh: 2"),
        "{mine}"
    );
    assert!(
        mine.contains("Siti Nur'aini") && mine.contains("Andi Muh. Arkan"),
        "{mine}"
    );
    assert!(
        !mine.contains("Muhammad Fathan") && !mine.contains("Jatuh tempo"),
        "{mine}"
    );
    assert!(mine.contains("Cakupan: 0/2 anak"), "{mine}");
    // Nothing was due in Kadia: said plainly, not "0/0 (0 %)".
    assert!(
        mine.contains("tepat waktu 30 hari terakhir: tidak ada pengiriman yang jatuh tempo"),
        "{mine}"
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn the_weekly_summary_brings_a_chart_on_monday() {
    let Programme { app, due, .. } = programme(&on()).await;
    let kota = app.coordinator_of(KOTA, "Kabid Kota", "74.71").await;
    flush(&app, &wita(due - Days::new(2), "12:00"), &[KOTA]).await;
    // The delivery due on Monday `due` goes unconfirmed; a week later, Monday 07:00, the summary.
    let monday = due + Days::new(7);
    assert_eq!(monday.weekday(), chrono::Weekday::Mon);
    let before = app.tg.messages_to(KOTA).len();
    app.tick(&wita(monday, "07:00")).await;
    let sent = app.tg.messages_to(KOTA);
    let photo = sent[before..]
        .iter()
        .find(|m| m.method == "sendPhoto")
        .unwrap_or_else(|| panic!("no chart; got {:#?}", &sent[before..]));
    let caption = photo.plain_text();
    assert!(
        caption.contains("Ringkasan mingguan Kota Kendari"),
        "{caption}"
    );
    assert!(
        // A week late is overdue ("terlambat"), not missed: the report's words and standing.
        caption.contains("Minggu lalu: 1 pengiriman jatuh tempo — 0 tepat waktu, 0 dikonfirmasi terlambat, 1 terlambat, 0 terlewat"),
        "{caption}"
    );
    let png = app.tg.sent_file(photo).expect("the chart's bytes");
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (1200, 1500));
    // The daily digest came too, and the weekly one only on Mondays.
    assert!(
        sent[before..]
            .iter()
            .any(|m| m.plain_text().contains("Ringkasan Kota Kendari"))
    );
    let before = app.tg.messages_to(KOTA).len();
    app.tick(&wita(monday + Days::new(1), "07:00")).await;
    assert!(
        !app.tg.messages_to(KOTA)[before..]
            .iter()
            .any(|m| m.method == "sendPhoto")
    );

    // Asked for in a meeting: /ringkasan minggu sends the summary and its chart now.
    drain(&app, KOTA).await;
    let now = app.say(&kota, "/ringkasan minggu").await;
    assert_eq!(now.method, "sendPhoto");
    assert!(
        now.plain_text().contains("Ringkasan mingguan Kota Kendari"),
        "{}",
        now.plain_text()
    );
    let png = app.tg.sent_file(&now).expect("the chart's bytes");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_long_digest_is_split_between_lines_within_telegrams_limit() {
    let mut app = TestApp::new().await;
    app.set_env("ASUH_DIGESTS", "on");
    app.set_env("ASUH_DIGEST_LINES", "1000");
    app.start().await;
    app.setup_programme().await;
    // 160 more children in Kadia, all waiting: the list alone is over 10,000 characters.
    let mut csv =
        String::from("Nama Anak;JK;Tanggal Lahir;Nama Orang Tua;Kecamatan;Kelurahan/Desa\n");
    for i in 0..160 {
        csv.push_str(&format!(
            "Anak Panjang Namanya Sekali {};L;01/01/2025;Ibu {};Kadia;Bende\n",
            word(i),
            word(i)
        ));
    }
    let report = app
        .import_file("children-many", "banyak.csv", csv.as_bytes())
        .await;
    assert!(report.contains("ditambah: 160"), "{report}");

    app.tg.send_text(&app.admin(), "/ringkasan");
    let mut messages = Vec::new();
    loop {
        let m = app
            .tg
            .next_message_within(ADMIN_ID, Duration::from_secs(20))
            .await
            .expect("the digest's messages");
        let done = m.plain_text().contains("📈 Cakupan");
        messages.push(m);
        if done {
            break;
        }
    }
    assert!(messages.len() >= 3, "{} messages", messages.len());
    assert!(
        messages[0]
            .plain_text()
            .starts_with("📋 Ringkasan seluruh program")
    );
    let mut names = Vec::new();
    for m in &messages {
        let text = m.text.clone().unwrap_or_default();
        assert!(utf16(&text) <= 4096, "{} units", utf16(&text));
        for line in m.plain_text().lines() {
            if line.starts_with("• #") {
                // Every item line is whole: it ends as the template ends.
                assert!(line.ends_with(" hari"), "cut line: {line:?}");
                names.push(line.to_owned());
            }
        }
    }
    assert_eq!(names.len(), 178, "every waiting child once");
    for i in 0..160 {
        let name = format!("Sekali {} (", word(i));
        assert_eq!(
            names.iter().filter(|l| l.contains(&name)).count(),
            1,
            "{name}"
        );
    }
    // The buttons are under the last message only.
    assert!(messages.last().is_some_and(|m| !m.buttons().is_empty()));
    assert!(
        messages[..messages.len() - 1]
            .iter()
            .all(|m| m.buttons().is_empty())
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_coordinator_changes_the_time_or_turns_the_digest_off() {
    let Programme { app, due, .. } = programme(&on()).await;
    let admin = app.admin();
    let saved = app.say(&admin, "/ringkasan 06:30").await.plain_text();
    assert!(
        saved.contains("Jadwal disimpan") && saved.contains("06:30"),
        "{saved}"
    );
    let cron = app
        .db
        .text(&format!(
            "SELECT cron FROM digest_schedules WHERE user_id = {ADMIN_ID} AND kind = 'weekly'"
        ))
        .await;
    assert_eq!(
        cron.as_deref(),
        Some("30 6 * * 1"),
        "the weekly summary moves along"
    );
    let bad = app.say(&admin, "/ringkasan pagi").await.plain_text();
    assert!(bad.contains("Jadwal tidak dapat dibaca"), "{bad}");
    let noisy = app.say(&admin, "/ringkasan * * * * *").await.plain_text();
    assert!(noisy.contains("lebih dari 4 kali sehari"), "{noisy}");

    // The schedule was saved from the real clock: a pass days later sends what is late, then 06:30 in
    // Jakarta (the programme's zone, WIB).
    flush(&app, &wita(due - Days::new(2), "12:00"), &[ADMIN_ID]).await;
    let day = due - Days::new(1);
    let seen = app.tg.messages_to(ADMIN_ID).len();
    app.tick(&format!("{day}T06:29:00+07:00")).await;
    assert_eq!(texts_since(&app, ADMIN_ID, seen), Vec::<String>::new());
    app.tick(&format!("{day}T06:30:00+07:00")).await;
    let digest = expect(&app, ADMIN_ID, "Ringkasan seluruh program").await;

    // The buttons: the schedule, then off.
    let settings = app.press(&admin, &digest, "Jadwal ringkasan").await;
    assert!(
        settings.plain_text().contains("setiap hari pukul 06:30"),
        "{}",
        settings.plain_text()
    );
    assert!(
        settings.plain_text().contains("setiap Senin pukul 06:30"),
        "{}",
        settings.plain_text()
    );
    let off = app.press(&admin, &settings, "Matikan harian").await;
    assert!(
        off.plain_text().contains("dimatikan"),
        "{}",
        off.plain_text()
    );
    app.tick(&format!("{due}T06:30:00+07:00")).await;
    // The weekly summary (Monday `due`) still comes; the daily digest does not.
    let daily: i64 = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'digest:{ADMIN_ID}:daily:%'"
        ))
        .await;
    let before_off = daily;
    app.tick(&format!("{}T06:30:00+07:00", due + Days::new(1)))
        .await;
    let after: i64 = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM outbox WHERE dedup_key LIKE 'digest:{ADMIN_ID}:daily:%'"
        ))
        .await;
    assert_eq!(after, before_off, "no daily digest once it is off");
    // Turned on again with a time button.
    drain(&app, ADMIN_ID).await;
    let settings = app.press(&admin, &off, "Jadwal ringkasan").await;
    let saved = app.press(&admin, &settings, "08:00").await;
    assert!(
        saved.plain_text().contains("08:00"),
        "{}",
        saved.plain_text()
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn sponsors_get_a_note_of_their_month_once() {
    let Programme { app, due, .. } = programme(&[("ASUH_SPONSOR_NOTES", "on")]).await;
    let month_end = NaiveDate::from_ymd_opt(due.year(), due.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .expect("next month");
    let before = app.tg.messages_to(ANI).len();
    // On the 1st, 08:59 in Jakarta: not yet; 09:00: the note about the month of the first delivery.
    let out = app.tick(&format!("{month_end}T08:59:00+07:00")).await;
    assert!(out.contains("0 monthly notes"), "{out}");
    let out = app.tick(&format!("{month_end}T09:00:00+07:00")).await;
    assert!(out.contains("1 monthly notes"), "{out}");
    let note = expect(&app, ANI, "Catatan bulan").await.plain_text();
    let month_name = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ][due.month0() as usize];
    assert!(
        note.contains(&format!("{month_name} {}", due.year())),
        "{note}"
    );
    let first = month_end - Days::new(1);
    let first = first.with_day(1).expect("first day");
    // Overdue (not yet 14 days late) and missed are told apart, as in the report.
    let count = |status: &'static str| {
        let app = &app;
        async move {
            app.db
                .scalar(&format!(
                    "SELECT COUNT(*) FROM deliveries WHERE sponsor_id = {ANI} AND due_on >= '{first}'
                     AND due_on < '{month_end}' AND status = '{status}'"
                ))
                .await
        }
    };
    let (overdue, missed) = (count("overdue").await, count("missed").await);
    assert!(overdue + missed >= 1);
    assert!(
        note.contains(&format!(
            "{} jatuh tempo — 0 tepat waktu, 0 dikonfirmasi terlambat, {overdue} terlambat, {missed} terlewat",
            overdue + missed
        )),
        "{note}"
    );
    assert!(note.contains("Muhammad Fathan: stunting"), "{note}");
    // Once.
    let out = app.tick(&format!("{month_end}T12:00:00+07:00")).await;
    assert!(out.contains("0 monthly notes"), "{out}");
    assert_eq!(
        app.tg.messages_to(ANI)[before..]
            .iter()
            .filter(|m| m.plain_text().contains("Catatan bulan"))
            .count(),
        1
    );
    app.assert_spec_clean();
}

// --- growth in the digest and the sponsor's note ----------------------------------------------------------

/// The sample file's header: re-imported rows keep every column, so that only the measurement is new.
const SAMPLE: &str = include_str!("../samples/children.csv");

fn sample_header() -> &'static str {
    SAMPLE.lines().next().expect("a header")
}

/// The sample row of `name` with another measurement: `height` (cm, with a decimal comma) on `on`.
fn sample_row(name: &str, height: &str, on: NaiveDate) -> String {
    let line = SAMPLE
        .lines()
        .find(|l| l.split(';').nth(2) == Some(name))
        .unwrap_or_else(|| panic!("{name} is not in the sample"));
    let mut cells: Vec<String> = line.split(';').map(str::to_owned).collect();
    cells[11] = height.to_owned();
    cells[12] = String::new();
    cells[13] = on.format("%d/%m/%Y").to_string();
    cells.join(";")
}

/// A child of Korumba (Mandonga) born `born`, measured `height` cm on `on`.
fn korumba_row(name: &str, sex: &str, born: NaiveDate, height: &str, on: NaiveDate) -> String {
    format!(
        ";;{name};{sex};{};Ibu {name};;;Mandonga;Korumba;Posyandu Melati;{height};;{};",
        born.format("%d/%m/%Y"),
        on.format("%d/%m/%Y")
    )
}

fn file(rows: &[String]) -> String {
    let mut csv = format!("{}\n", sample_header());
    for row in rows {
        csv.push_str(row);
        csv.push('\n');
    }
    csv
}

/// A z-score in thousandths as the bot writes it in Indonesian: one decimal, rounded half away from zero,
/// a real minus sign, never "−0,0".
fn z_id(milli: i64) -> String {
    let tenths = (milli.abs() + 50) / 100;
    let sign = if milli < 0 && tenths > 0 { "−" } else { "" };
    format!("{sign}{},{}", tenths / 10, tenths % 10)
}

/// The z-score stored for `name`'s measurement of `on`.
async fn haz(app: &TestApp, name: &str, on: NaiveDate) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT m.haz_milli FROM measurements m JOIN children c ON c.id = m.child_id
             WHERE c.full_name = '{}' AND m.measured_on = '{on}'",
            name.replace('\'', "''")
        ))
        .await
}

/// The item lines of the list whose heading contains `heading` (none when the digest leaves it out).
fn list(text: &str, heading: &str) -> Vec<String> {
    let mut lines = text.lines().skip_while(|l| !l.contains(heading));
    if lines.next().is_none() {
        return Vec::new();
    }
    lines
        .take_while(|l| l.starts_with("• "))
        .map(str::to_owned)
        .collect()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// A moment as `asuh tick --at` reads it.
fn rfc3339(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// Today and a moment in Kendari (WITA, UTC+8).
fn kendari(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    (at + chrono::Duration::hours(8)).naive_utc()
}

#[tokio::test]
async fn the_digest_tells_growth_since_the_last_one_and_who_has_not_been_measured_for_90_days() {
    let mut app = TestApp::new().await;
    app.set_env("ASUH_DIGESTS", "on");
    app.start().await;
    app.setup_programme().await;
    let kota = app.coordinator_of(KOTA, "Kabid Kota", "74.71").await;
    drain(&app, KOTA).await;

    // Five children of Korumba, born 900 days ago so that their z-scores do not depend on the day the test
    // runs. Each is measured once, three months ago (Fajar four months ago)… These are children files:
    // one named for measuring ("ukur") would be taken for a list of measurements.
    let today = Utc::now().date_naive();
    let born = today - Days::new(900);
    let first = today - Days::new(95);
    let second = today - Days::new(5);
    let fajar_on = today - Days::new(120);
    let report = app
        .import_file(
            "growth-1",
            "anak-korumba-1.csv",
            file(&[
                korumba_row("Citra Wulandari", "P", born, "80,4", first),
                korumba_row("Dimas Pratama", "L", born, "86,0", first),
                korumba_row("Bunga Lestari", "P", born, "80,6", first),
                korumba_row("Eko Prasetyo", "L", born, "81,2", first),
                korumba_row("Fajar Hidayat", "L", born, "81,2", fajar_on),
            ])
            .as_bytes(),
        )
        .await;
    assert!(report.contains("ditambah: 5"), "{report}");
    // …then again five days ago: Citra and Dimas grew too little, Bunga caught up, Eko kept his line.
    let report = app
        .import_file(
            "growth-2",
            "anak-korumba-2.csv",
            file(&[
                korumba_row("Citra Wulandari", "P", born, "81,1", second),
                korumba_row("Dimas Pratama", "L", born, "87,4", second),
                korumba_row("Bunga Lestari", "P", born, "83,6", second),
                korumba_row("Eko Prasetyo", "L", born, "83,2", second),
            ])
            .as_bytes(),
        )
        .await;
    assert!(report.contains("Baris: 4 · ditambah: 0"), "{report}");
    let z = |name: &'static str| {
        let app = &app;
        async move { (haz(app, name, first).await, haz(app, name, second).await) }
    };
    let citra = z("Citra Wulandari").await;
    let dimas = z("Dimas Pratama").await;
    let bunga = z("Bunga Lestari").await;
    let eko = z("Eko Prasetyo").await;
    // The scenario as designed: two drops of a tenth or more (Citra's the larger), one child out of
    // stunting, one change below a tenth.
    assert!(
        citra.1 - citra.0 <= dimas.1 - dimas.0 && dimas.1 - dimas.0 <= -100,
        "{citra:?} {dimas:?}"
    );
    assert!(bunga.0 < -2000 && bunga.1 >= -2000, "{bunga:?}");
    assert!((eko.1 - eko.0).abs() < 100 && eko.1 < -2000, "{eko:?}");

    // The coordinator's schedule exists before the morning (a pass now makes it), then 07:00 in Kendari.
    let now = Utc::now();
    app.tick(&rfc3339(now)).await;
    let local = kendari(now);
    let seven = NaiveTime::from_hms_opt(7, 0, 0).expect("time");
    let morning = if local.time() < seven {
        local.date()
    } else {
        local.date() + Days::new(1)
    };
    app.tick(&wita(morning, "07:00")).await;
    let digest = expect(&app, KOTA, "Ringkasan Kota Kendari").await;
    drain(&app, KOTA).await;
    let text = digest.plain_text();

    // (a) Height-for-age worse since the last digest, the larger drop first, with the stored z-scores.
    assert!(
        text.contains("TB/U memburuk sejak ringkasan terakhir: 2"),
        "{text}"
    );
    assert_eq!(
        list(&text, "TB/U memburuk"),
        [
            format!(
                "• Citra Wulandari (Korumba, Mandonga): {} → {}, diukur {}",
                z_id(citra.0),
                z_id(citra.1),
                dmy(second)
            ),
            format!(
                "• Dimas Pratama (Korumba, Mandonga): {} → {}, diukur {}",
                z_id(dimas.0),
                z_id(dimas.1),
                dmy(second)
            ),
        ],
        "{text}"
    );
    // (b) Out of stunting since the last digest.
    assert_eq!(
        list(&text, "Keluar dari stunting sejak ringkasan terakhir: 1"),
        [format!(
            "• Bunga Lestari: TB/U {} → {}, diukur {}",
            z_id(bunga.0),
            z_id(bunga.1),
            dmy(second)
        )],
        "{text}"
    );
    // (c) Not measured for over 90 days: every active child of the area without a measurement since
    // then, counted by the database; the never measured first.
    let cutoff = morning - Days::new(90);
    let unmeasured = app
        .db
        .scalar(&format!(
            "SELECT COUNT(*) FROM children c
             WHERE c.status IN ('unmatched', 'matched') AND c.kecamatan_code LIKE '74.71.%'
               AND NOT EXISTS (SELECT 1 FROM measurements m WHERE m.child_id = c.id AND m.measured_on >= '{cutoff}')"
        ))
        .await;
    // 13 sample children never measured, 5 measured in August 2026, and Fajar.
    assert_eq!(unmeasured, 19);
    assert!(
        text.contains(&format!(
            "Belum diukur lebih dari 90 hari: {unmeasured} anak"
        )),
        "{text}"
    );
    let shown = list(&text, "Belum diukur lebih dari 90 hari");
    assert_eq!(shown.len(), 5, "{text}");
    assert!(
        shown[0].starts_with(
            "• La Ode Muhammad Rafa (Andonohu, Poasia): belum pernah diukur, terdaftar"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("… dan {} lainnya", unmeasured - 5)),
        "{text}"
    );

    // "Show all": every one of them once, the never measured first, then the longest unmeasured; the
    // children measured five days ago are not among them.
    let all = app.press(&kota, &digest, "Lihat semua: belum diukur").await;
    let all = all.plain_text();
    let lines = list(&all, "Belum diukur lebih dari 90 hari");
    assert_eq!(lines.len() as i64, unmeasured, "{all}");
    let never = lines
        .iter()
        .take_while(|l| l.contains("belum pernah diukur"))
        .count();
    assert_eq!(never, 13, "{all}");
    let dates: Vec<NaiveDate> = lines[never..]
        .iter()
        .map(|l| {
            let at = l.find("terakhir diukur ").expect("a date") + "terakhir diukur ".len();
            NaiveDate::parse_from_str(&l[at..at + 10], "%d-%m-%Y").expect("a date")
        })
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{all}");
    let kendari_today = kendari(Utc::now()).date();
    assert!(
        lines.contains(&format!(
            "• Fajar Hidayat (Korumba, Mandonga): terakhir diukur {}, {} hari lalu",
            dmy(fajar_on),
            (kendari_today - fajar_on).num_days()
        )),
        "{all}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("• Siti Nur'aini (Bende, Kadia): terakhir diukur 12-08-2026")),
        "{all}"
    );
    for recent in ["Citra", "Dimas", "Bunga", "Eko"] {
        assert!(!all.contains(recent), "{recent} was measured: {all}");
    }

    // The next morning the growth news has been told; the children not measured are still listed.
    app.tick(&wita(morning + Days::new(1), "07:00")).await;
    let next = expect(&app, KOTA, "Ringkasan Kota Kendari")
        .await
        .plain_text();
    assert!(!next.contains("TB/U memburuk"), "{next}");
    assert!(!next.contains("Keluar dari stunting"), "{next}");
    assert!(
        next.contains(&format!(
            "Belum diukur lebih dari 90 hari: {unmeasured} anak"
        )),
        "{next}"
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_sponsors_note_tells_the_childs_height_for_age_since_the_sponsorship_began() {
    let Programme { app, due, .. } = programme(&[("ASUH_SPONSOR_NOTES", "on")]).await;
    // Ani took Muhammad Fathan on forty days ago, after his measurement of August 2026 (the baseline)…
    app.db
        .exec(&format!(
            "UPDATE sponsorships SET started_at = started_at - {} WHERE sponsor_id = {ANI} AND status = 'active'",
            40 * 86_400_000_i64
        ))
        .await;
    // …and he was measured again two days ago.
    let baseline_on = NaiveDate::from_ymd_opt(2026, 8, 13).expect("date");
    let latest_on = Utc::now().date_naive() - Days::new(2);
    drain(&app, ADMIN_ID).await;
    let report = app
        .import_file(
            "fathan-2",
            "anak-fathan.csv",
            file(&[sample_row("Muhammad Fathan", "87,0", latest_on)]).as_bytes(),
        )
        .await;
    assert!(report.contains("Baris: 1 · ditambah: 0"), "{report}");
    let before = haz(&app, "Muhammad Fathan", baseline_on).await;
    let after = haz(&app, "Muhammad Fathan", latest_on).await;

    let month_end = NaiveDate::from_ymd_opt(due.year(), due.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .expect("next month");
    let out = app.tick(&format!("{month_end}T09:00:00+07:00")).await;
    assert!(out.contains("1 monthly notes"), "{out}");
    let note = expect(&app, ANI, "Catatan bulan").await.plain_text();
    let since = if latest_on.year() == 2026 {
        "Agustus".to_owned()
    } else {
        "Agustus 2026".to_owned()
    };
    let sentence = match after - before {
        d if d >= 100 => format!(
            "Tinggi menurut umur membaik dari {} menjadi {} sejak {since}.",
            z_id(before),
            z_id(after)
        ),
        d if d <= -100 => format!(
            "Tinggi menurut umur menurun dari {} menjadi {} sejak {since}.",
            z_id(before),
            z_id(after)
        ),
        _ => format!(
            "Tinggi menurut umur tetap di {} sejak {since}.",
            z_id(after)
        ),
    };
    assert!(note.contains(&sentence), "{sentence:?} not in {note}");
    // The child's own line stays, with the latest z-score.
    assert!(
        note.contains(&format!(
            "(TB/U {}, diukur {})",
            z_id(after),
            dmy(latest_on)
        )),
        "{note}"
    );
    app.assert_spec_clean();
}
