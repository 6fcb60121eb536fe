//! End to end: what a new WITA district read when it walked through the bot, while the programme's own zone
//! (`ASUH_TIMEZONE`) stays WIB. Every time a person reads is in the zone of the region concerned, with the
//! zone named, and every file reads in the reader's language (/bukti, its export, /kasus, the "already
//! confirmed" refusal, the digest); weeks are the region's local weeks (the weekly chart); a delivery stands
//! the same on every screen (overdue is not missed: the chart, the sponsors' monthly note, the report); the
//! monthly note counts a measurement of the sponsorship's first day, and the morning digest neither counts
//! the day's deliveries as late nor says "0/0 (0 %)" when nothing was due.

mod support;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc};
use std::time::Duration;
use support::programme::{ANI, Programme, expect, programme, wita};
use support::{ADMIN_ID, SentMessage, TestApp, TestUser, images};

/// A coordinator of Kota Kendari (WITA).
const KOTA: i64 = 610_001;
/// A coordinator of the kecamatan Kadia, where nobody is sponsored.
const KADIA: i64 = 610_002;

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn digests_on() -> [(&'static str, &'static str); 2] {
    [("ASUH_DIGESTS", "on"), ("ASUH_SPONSOR_NOTES", "off")]
}

/// Kendari's offset (WITA, UTC+8).
fn wita_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("offset")
}

/// Jakarta's offset (WIB, UTC+7), the programme's default zone.
fn wib_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("offset")
}

fn at_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("a moment")
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

fn assert_has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
}

fn assert_lacks(text: &str, needle: &str) {
    assert!(
        !text.contains(needle),
        "{needle:?} should not be in:\n{text}"
    );
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

/// The photos (a chart) sent to `chat` from index `from` on.
fn photos_since(app: &TestApp, chat: i64, from: usize) -> Vec<SentMessage> {
    app.tg.messages_to(chat)[from..]
        .iter()
        .filter(|m| m.method == "sendPhoto")
        .cloned()
        .collect()
}

fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.strip_prefix(BOM).unwrap_or(bytes))
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// The cell of `row` under the header `name`.
fn cell<'a>(rows: &'a [Vec<String>], row: usize, name: &str) -> &'a str {
    let col = rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {:?}", rows[0]));
    &rows[row][col]
}

/// The first of the month after `day`.
fn first_of_next_month(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .expect("next month")
}

/// How many pixels of `rgb` the chart has between rows `top` and `bottom`.
fn pixels(png_bytes: &[u8], rgb: (u8, u8, u8), top: u32, bottom: u32) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("unexpected colour type {other:?}"),
    };
    let width = info.width as usize;
    let mut n = 0;
    for y in top as usize..(bottom as usize).min(info.height as usize) {
        for x in 0..width {
            let i = (y * width + x) * channels;
            if (buf[i], buf[i + 1], buf[i + 2]) == rgb {
                n += 1;
            }
        }
    }
    n
}

// --- 5. times in the zone of the child's region, files in the reader's language ----------------------------

/// The volunteer confirms the first delivery with a picture sent as a file (its EXIF says it was taken at
/// 12:33 by the camera's clock), with the eggs missing: a case opens.
async fn confirm_partly_with_a_file(app: &TestApp, kader: &TestUser) -> i64 {
    let today = (Utc::now() + chrono::Duration::hours(8)).date_naive();
    let taken = today.format("%Y:%m:%d 12:33:00").to_string();
    app.tg.add_file(
        "exif-1",
        "uq-exif-1",
        images::jpeg_with_exif(5, Some(&taken), None),
    );
    let list = app.say(kader, "/konfirmasi").await;
    let first = list.buttons()[0].1.clone();
    app.tg.press_button(kader, &list, &first);
    let ask = expect(app, kader.id, "Kirim foto").await;
    let _ = ask;
    app.tg
        .send_document(kader, "exif-1", "IMG_0001.JPG", "image/jpeg");
    let question = expect(app, kader.id, "Bagaimana paketnya diterima").await;
    let items = app.press(kader, &question, "ada yang kurang").await;
    let items = app.press(kader, &items, "telur").await;
    let summary = app.press(kader, &items, "Selesai").await;
    assert_has(&summary.plain_text(), "Kurang: telur");
    let done = app.press(kader, &summary, "Kirim").await;
    assert_has(&done.plain_text(), "kasus #1");
    app.wait_for(
        "SELECT COUNT(*) FROM evidence WHERE state = 'stored' AND taken_at IS NOT NULL",
        1,
    )
    .await;
    app.db
        .scalar("SELECT delivery_id FROM confirmations ORDER BY id LIMIT 1")
        .await
}

#[tokio::test]
async fn times_are_read_in_the_childs_zone_with_its_name_and_the_manifest_in_the_readers_language()
{
    let Programme {
        app, ani, kader, ..
    } = programme(&[
        ("ASUH_FIRST_DELIVERY_DAYS", "1"),
        ("ASUH_CONFIRM_AHEAD_DAYS", "8"),
    ])
    .await;
    let delivery = confirm_partly_with_a_file(&app, &kader).await;
    let confirmed_at = at_millis(
        app.db
            .scalar(&format!(
                "SELECT created_at FROM confirmations WHERE delivery_id = {delivery}"
            ))
            .await,
    );
    let in_wita = confirmed_at.with_timezone(&wita_offset());
    let in_wib = confirmed_at.with_timezone(&wib_offset());
    let when = format!("{} WITA", in_wita.format("%d-%m-%Y %H:%M"));
    let wib_when = in_wib.format("%d-%m-%Y %H:%M").to_string();
    drain(&app, ADMIN_ID).await;

    // /bukti: the confirmation at 12:33 WITA, not 11:33 in Jakarta; the picture's EXIF time is the camera's.
    let admin = app.admin();
    app.tg.send_text(&admin, &format!("/bukti {delivery}"));
    let view = expect(&app, ADMIN_ID, &format!("Bukti pengiriman #{delivery}")).await;
    let text = view.plain_text();
    assert_has(&text, &format!("Wa Ode (relawan), {when}"));
    assert_lacks(&text, &wib_when);
    let picture = app.tg.next_message(ADMIN_ID).await;
    assert_eq!(picture.method, "sendDocument");
    assert_has(&picture.plain_text(), "12:33 (jam kamera)");

    // The export's manifest: headers and values in the coordinator's language (Indonesian), times in the
    // child's zone, the camera's time as the camera wrote it.
    let export = view.button_data("Ekspor").expect("an export button");
    app.tg.press_button(&admin, &view, &export);
    let manifest = loop {
        let m = app.tg.next_message(ADMIN_ID).await;
        if m.method == "sendDocument" && m.plain_text().contains("Manifes") {
            break m;
        }
    };
    let bytes = app.tg.sent_file(&manifest).expect("the manifest");
    assert!(
        bytes.starts_with(BOM),
        "a byte order mark, like the reports"
    );
    let rows = parse_csv(&bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][0], "ID pengiriman", "{:?}", rows[0]);
    assert!(
        !rows[0].iter().any(|h| h.contains('_')),
        "headers for people, not column names: {:?}",
        rows[0]
    );
    assert_eq!(cell(&rows, 1, "Hasil"), "diterima, ada yang kurang");
    assert_eq!(cell(&rows, 1, "Sebagai"), "relawan");
    assert_eq!(cell(&rows, 1, "Barang kurang"), "telur");
    assert_eq!(cell(&rows, 1, "Zona waktu"), "WITA");
    assert_eq!(
        cell(&rows, 1, "Dikonfirmasi pada"),
        in_wita.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
    );
    assert!(
        cell(&rows, 1, "Diterima pada").ends_with("+08:00"),
        "{:?}",
        rows[1]
    );
    assert!(
        cell(&rows, 1, "Diambil (jam kamera)").ends_with("12:33:00"),
        "{:?}",
        rows[1]
    );
    assert_eq!(cell(&rows, 1, "Status foto"), "tersimpan");
    for raw in ["partial", "volunteer", "stored", "full"] {
        assert!(
            !rows[1].iter().any(|c| c == raw),
            "{raw:?} in {:?}",
            rows[1]
        );
    }

    // /kasus: a case opened at 00:30 in Kendari (23:30 the evening before in Jakarta) is of that Kendari day.
    let day = in_wita.date_naive();
    let opened = chrono::NaiveDateTime::new(day, chrono::NaiveTime::MIN)
        .and_local_timezone(wita_offset())
        .single()
        .expect("a moment")
        + chrono::Duration::minutes(30);
    app.db
        .exec(&format!(
            "UPDATE cases SET opened_at = {}",
            opened.timestamp_millis()
        ))
        .await;
    let cases = app.say(&admin, "/kasus").await.plain_text();
    assert_has(
        &cases,
        &format!("(oleh Wa Ode, {}; pengiriman {delivery})", dmy(day)),
    );

    // The "already confirmed" refusal names the time in Kendari.
    drain(&app, ANI).await;
    let refusal = app.forge(&ani, &format!("dv:{delivery}")).await;
    assert_has(
        &refusal,
        &format!("sudah dikonfirmasi oleh Wa Ode pada {when}"),
    );

    // The programme-wide digest (its coordinator reads WIB) tells the confirmation at Kendari's time.
    drain(&app, ADMIN_ID).await;
    let digest = app.say(&admin, "/ringkasan").await.plain_text();
    assert_has(
        &digest,
        &format!(
            "Muhammad Fathan — Wa Ode, {} WITA (#{delivery})",
            in_wita.format("%d-%m %H:%M")
        ),
    );
    app.assert_spec_clean();
}

// --- 6. the weekly chart's weeks are the region's local weeks ----------------------------------------------

#[tokio::test]
async fn a_monday_delivery_of_a_wita_region_is_in_its_own_week_for_a_wib_coordinator() {
    let Programme { app, due, .. } = programme(&digests_on()).await;
    flush(&app, &wita(due - Days::new(2), "12:00"), &[ADMIN_ID]).await;
    // The programme's coordinator reads WIB: Monday 07:00 in Jakarta, a week after the first delivery.
    let monday = due + Days::new(7);
    let before = app.tg.messages_to(ADMIN_ID).len();
    app.tick(&format!("{monday}T07:00:00+07:00")).await;
    let charts = photos_since(&app, ADMIN_ID, before);
    assert_eq!(charts.len(), 1, "one weekly summary");
    let caption = charts[0].plain_text();
    assert_has(&caption, "Ringkasan mingguan seluruh program");
    // Monday 00:00 in Kendari is Sunday 23:00 in Jakarta: still the delivery of Kendari's Monday.
    assert_has(&caption, "Minggu lalu: 1 pengiriman jatuh tempo");

    // A week later, the delivery of the second Monday is last week's, and the first one is not.
    let monday = monday + Days::new(7);
    let before = app.tg.messages_to(ADMIN_ID).len();
    app.tick(&format!("{monday}T07:00:00+07:00")).await;
    let charts = photos_since(&app, ADMIN_ID, before);
    assert_eq!(charts.len(), 1, "one weekly summary");
    assert_has(
        &charts[0].plain_text(),
        "Minggu lalu: 1 pengiriman jatuh tempo",
    );
    app.assert_spec_clean();
}

// --- 7. a delivery stands the same on every screen -----------------------------------------------------------

/// The chart's colours (Okabe–Ito): missed (vermillion) and overdue (reddish purple).
const MISSED_RGB: (u8, u8, u8) = (213, 94, 0);
const OVERDUE_RGB: (u8, u8, u8) = (204, 121, 167);
/// The rows of the chart's bars (below the legend, above the week labels).
const PLOT: (u32, u32) = (230, 720);

#[tokio::test]
async fn an_overdue_delivery_is_overdue_in_the_weekly_chart_not_missed() {
    let Programme { app, due, .. } = programme(&digests_on()).await;
    app.coordinator_of(KOTA, "Kabid Kota", "74.71").await;
    flush(&app, &wita(due - Days::new(2), "12:00"), &[KOTA]).await;
    // A week after the first delivery, nobody confirmed it: 7 days overdue, missed only after 14.
    let monday = due + Days::new(7);
    let before = app.tg.messages_to(KOTA).len();
    app.tick(&wita(monday, "07:00")).await;
    assert_eq!(
        support::programme::status_on(&app, due).await.as_deref(),
        Some("overdue")
    );
    let charts = photos_since(&app, KOTA, before);
    assert_eq!(charts.len(), 1, "one weekly summary");
    let caption = charts[0].plain_text();
    assert_has(
        &caption,
        "Minggu lalu: 1 pengiriman jatuh tempo — 0 tepat waktu, 0 dikonfirmasi terlambat, 1 terlambat, 0 terlewat",
    );
    let png = app.tg.sent_file(&charts[0]).expect("the chart");
    assert_eq!(
        pixels(&png, MISSED_RGB, PLOT.0, PLOT.1),
        0,
        "nothing is painted as missed"
    );
    assert!(
        pixels(&png, OVERDUE_RGB, PLOT.0, PLOT.1) > 100,
        "the overdue delivery is painted as overdue"
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn the_monthly_note_and_the_report_tell_overdue_and_missed_alike() {
    let Programme { app, due, .. } = programme(&[("ASUH_SPONSOR_NOTES", "on")]).await;
    let month_end = first_of_next_month(due);
    let out = app.tick(&format!("{month_end}T09:00:00+07:00")).await;
    assert!(out.contains("1 monthly notes"), "{out}");
    let note = expect(&app, ANI, "Catatan bulan").await.plain_text();
    let first = NaiveDate::from_ymd_opt(due.year(), due.month(), 1).expect("first day");
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
    // Weekly Mondays: the month's last one is at most a week before the 1st, so overdue, not missed.
    assert!(overdue >= 1, "{overdue} overdue");
    assert_has(
        &note,
        &format!(
            "Pengiriman: {} jatuh tempo — 0 tepat waktu, 0 dikonfirmasi terlambat, {overdue} terlambat, {missed} terlewat",
            overdue + missed
        ),
    );

    // The report of that month, written now, counts them the same way.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = app.cli(&[
        "report",
        "--period",
        &first.format("%Y-%m").to_string(),
        "--out",
        &dir.path().display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let path = std::fs::read_dir(dir.path())
        .expect("the report directory")
        .map(|e| e.expect("an entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("pengiriman-"))
                && p.extension().is_some_and(|e| e == "csv")
        })
        .expect("the deliveries file");
    let rows = parse_csv(&std::fs::read(path).expect("the CSV"));
    let col = rows[0]
        .iter()
        .position(|h| h == "Ketepatan")
        .expect("a timeliness column");
    let standing = |word: &str| rows[1..].iter().filter(|r| r[col] == word).count() as i64;
    assert_eq!(standing("terlambat"), overdue, "{rows:?}");
    assert_eq!(standing("terlewat"), missed, "{rows:?}");
    app.assert_spec_clean();
}

// --- 8. the monthly note's first day, and the morning digest's figures ------------------------------------

/// The sample file's header: re-imported rows keep every column, so that only the measurement is new.
const SAMPLE: &str = include_str!("../samples/children.csv");

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

#[tokio::test]
async fn the_monthly_note_counts_a_measurement_taken_on_the_sponsorships_first_day() {
    let Programme { app, due, .. } = programme(&[("ASUH_SPONSOR_NOTES", "on")]).await;
    // Ani took Muhammad Fathan on yesterday at 10:00 in Kendari (09:00 in Jakarta: the same day in both),
    // after his measurement of August 2026; the volunteer measured him that same day.
    let day = (Utc::now() + chrono::Duration::hours(8)).date_naive() - Days::new(1);
    let started = chrono::NaiveDateTime::new(
        day,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
    )
    .and_local_timezone(wita_offset())
    .single()
    .expect("a moment");
    app.db
        .exec(&format!(
            "UPDATE sponsorships SET started_at = {} WHERE sponsor_id = {ANI} AND status = 'active'",
            started.timestamp_millis()
        ))
        .await;
    drain(&app, ADMIN_ID).await;
    let csv = format!(
        "{}\n{}\n",
        SAMPLE.lines().next().expect("a header"),
        sample_row("Muhammad Fathan", "87,0", day)
    );
    let report = app
        .import_file("fathan-first-day", "anak-fathan.csv", csv.as_bytes())
        .await;
    assert_has(&report, "Baris: 1 · ditambah: 0");

    let month_end = first_of_next_month(due);
    let out = app.tick(&format!("{month_end}T09:00:00+07:00")).await;
    assert!(out.contains("1 monthly notes"), "{out}");
    let note = expect(&app, ANI, "Catatan bulan").await.plain_text();
    assert_lacks(&note, "Belum ada pengukuran baru sejak masa asuh dimulai");
    assert_has(&note, "sejak Agustus");
    app.assert_spec_clean();
}

#[tokio::test]
async fn the_digest_says_plainly_when_nothing_was_due() {
    let Programme { app, .. } = programme(&[]).await;
    let kadia = app.coordinator_of(KADIA, "Camat Kadia", "74.71.08").await;
    let digest = app.say(&kadia, "/ringkasan").await.plain_text();
    assert_has(&digest, "Ringkasan Kadia");
    assert_lacks(&digest, "0/0");
    assert_has(
        &digest,
        "tepat waktu 30 hari terakhir: tidak ada pengiriman yang jatuh tempo",
    );
    drain(&app, KADIA).await;
    let weekly = app.say(&kadia, "/ringkasan minggu").await.plain_text();
    assert_has(&weekly, "Ringkasan mingguan Kadia");
    assert_lacks(&weekly, "0 % tepat waktu");
    assert_has(
        &weekly,
        "12 minggu terakhir: tidak ada pengiriman yang jatuh tempo",
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn the_morning_digest_does_not_count_the_days_deliveries_as_late() {
    let mut env = digests_on().to_vec();
    // The running bot keeps the real clock: let the volunteer confirm the first delivery days ahead.
    env.push(("ASUH_CONFIRM_AHEAD_DAYS", "12"));
    let Programme {
        app, due, kader, ..
    } = programme(&env).await;
    app.tg.add_file("ph-1", "uq-ph-1", images::jpeg(1));
    app.tg.send_photo(&kader, "ph-1", None);
    let first = app.tg.next_message(kader.id).await;
    let question = if first.plain_text().contains("Untuk pengiriman yang mana") {
        let data = first.buttons()[0].1.clone();
        app.tg.press_button(&kader, &first, &data);
        expect(&app, kader.id, "Bagaimana paketnya diterima").await
    } else {
        first
    };
    support::programme::confirm_in_full(&app, &kader, &question).await;
    assert_eq!(
        support::programme::status_on(&app, due).await.as_deref(),
        Some("confirmed")
    );

    // A week on, 07:00 in Jakarta (08:00 in Kendari): the first delivery was on time; the second is due
    // today and not late before the day ends.
    flush(&app, &wita(due - Days::new(2), "12:00"), &[ADMIN_ID]).await;
    let monday = due + Days::new(7);
    let before = app.tg.messages_to(ADMIN_ID).len();
    app.tick(&format!("{monday}T07:00:00+07:00")).await;
    let digest = app.tg.messages_to(ADMIN_ID)[before..]
        .iter()
        .map(SentMessage::plain_text)
        .find(|t| t.contains("Ringkasan seluruh program"))
        .expect("the digest");
    assert_has(&digest, "Jatuh tempo hari ini: 1");
    assert_has(&digest, "tepat waktu 30 hari terakhir: 1/1 (100 %)");
    app.assert_spec_clean();
}
