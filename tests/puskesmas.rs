//! End to end: the Puskesmas a child is registered with, from the health office's list — on the child's
//! card and the growth card (never to a sponsor), as a filter of `/anak_cari` inside the coordinator's
//! scope as it is when they ask, as a table of the report (in the chat, the files and on the command line)
//! and as lines of the weekly summary.

mod support;

use chrono::Days;
use std::time::Duration;
use support::programme::{Programme, expect, photo_in_full, programme, wita};
use support::{ADMIN_ID, SentMessage, TestApp, TestUser, images};

/// A coordinator of Kota Kendari.
const KOTA: i64 = 640_001;
/// A coordinator of the kecamatan Kadia (74.71.08), later of Mandonga (74.71.01).
const CAMAT: i64 = 640_002;

const BOM: &[u8] = b"\xEF\xBB\xBF";

const ENV: [(&str, &str); 4] = [
    ("ASUH_DIGESTS", "on"),
    ("ASUH_SPONSOR_NOTES", "off"),
    // The first package is within a week, and the volunteer confirms it before its day.
    ("ASUH_FIRST_DELIVERY_DAYS", "1"),
    ("ASUH_CONFIRM_AHEAD_DAYS", "8"),
];

/// Four of the sample's children again, as the health office lists them, with their Puskesmas: one
/// written two ways ("PKM Mandonga", "pkm  mandonga"), one with a LIKE wildcard in its name.
fn with_puskesmas() -> String {
    let sample = include_str!("../samples/children.csv");
    let mut lines = sample.lines();
    let header = lines.next().expect("a header");
    let mut csv = format!("{header};Puskesmas\n");
    for line in lines {
        let puskesmas = match line.split(';').nth(2) {
            Some("Muhammad Fathan") => "PKM Mandonga",
            Some("Nayla Khairunnisa") => "pkm  mandonga",
            Some("Siti Nur'aini") => "Puskesmas Perumnas",
            Some("Keyla Putri Ananda") => "PKM_Lepo",
            _ => continue,
        };
        csv.push_str(&format!("{line};{puskesmas}\n"));
    }
    csv
}

async fn drain(app: &TestApp, chat: i64) {
    while app
        .tg
        .next_message_within(chat, Duration::from_millis(300))
        .await
        .is_some()
    {}
}

async fn child_id(app: &TestApp, name: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{}'",
            name.replace('\'', "''")
        ))
        .await
}

/// The children `/anak_cari ARGS` lists for `user`: the count in its header and the names, or `None` when
/// it says none matches.
async fn search(app: &TestApp, user: &TestUser, args: &str) -> Option<(i64, Vec<String>)> {
    let reply = app
        .say(user, &format!("/anak_cari {args}"))
        .await
        .plain_text();
    if reply.contains("Tidak ada anak yang cocok") {
        assert!(
            reply.contains("pkm:"),
            "the reply says how to search: {reply}"
        );
        return None;
    }
    let mut lines = reply.lines();
    let header = lines.next().expect("a header");
    let count = header
        .trim_start_matches("Anak: ")
        .parse()
        .unwrap_or_else(|_| panic!("a count in {reply}"));
    let names = lines
        .filter_map(|l| l.split(" — ").next())
        .filter_map(|l| l.split_once(' ').map(|(_, rest)| rest))
        .filter_map(|l| l.split_once(' ').map(|(_, name)| name.to_owned()))
        .collect();
    Some((count, names))
}

fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(BOM), "UTF-8 with a byte order mark");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[BOM.len()..])
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// The rows of a `<pre>` table that follows `title` in a message, each split into its name and numbers.
fn table_after(text: &str, title: &str) -> Vec<(String, Vec<u64>)> {
    let after = &text[text
        .find(title)
        .unwrap_or_else(|| panic!("{title} in {text}"))..];
    after
        .lines()
        .skip(1)
        .take_while(|l| !l.contains("Anak: terdaftar") && !l.contains("Kids: registered"))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let split = words
                .iter()
                .position(|w| w.parse::<u64>().is_ok())
                .unwrap_or(words.len());
            (
                words[..split].join(" "),
                words[split..]
                    .iter()
                    .map(|w| w.parse().expect("a number"))
                    .collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_puskesmas_from_the_list_is_on_the_card_in_the_search_the_report_and_the_weekly_summary()
 {
    let Programme {
        app,
        ani,
        kader,
        due,
        ..
    } = programme(&ENV).await;
    let admin = app.admin();
    drain(&app, ADMIN_ID).await;
    let report = app
        .import_file("pkm-1", "anak-puskesmas.csv", with_puskesmas().as_bytes())
        .await;
    assert!(report.contains("diperbarui: 4"), "{report}");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM children WHERE puskesmas IS NOT NULL")
            .await,
        4
    );
    // The same file again changes nothing.
    let again = app
        .import_file("pkm-2", "anak-puskesmas.csv", with_puskesmas().as_bytes())
        .await;
    assert!(again.contains("sama: 4"), "{again}");

    // The card: the coordinator's and the volunteer's; the sponsor sees first name and village only.
    let fathan = child_id(&app, "Muhammad Fathan").await;
    let zaskia = child_id(&app, "Zaskia Amelia").await;
    let card = app
        .say(&admin, &format!("/anak_lihat {fathan}"))
        .await
        .plain_text();
    assert!(card.contains("Puskesmas: PKM Mandonga"), "{card}");
    let card = app
        .say(&admin, &format!("/anak_lihat {zaskia}"))
        .await
        .plain_text();
    assert!(card.contains("Puskesmas: —"), "{card}");
    let growth = app
        .say(&kader, &format!("/ukur {fathan}"))
        .await
        .plain_text();
    assert!(growth.contains("Puskesmas PKM Mandonga"), "{growth}");
    let mine = app.say(&ani, "/anak").await.plain_text();
    assert!(mine.contains("Muhammad"), "{mine}");
    assert!(
        !mine.contains("Puskesmas") && !mine.contains("PKM"),
        "{mine}"
    );

    // The search: by a part of the Puskesmas' name however it was written, with a status, in quotes,
    // without one; a wildcard is only itself.
    let found = search(&app, &admin, "pkm:mandonga").await;
    assert_eq!(
        found,
        Some((
            2,
            vec!["Muhammad Fathan".into(), "Nayla Khairunnisa".into()]
        ))
    );
    let found = search(&app, &admin, "pkm:\"PKM Mandonga\" diasuh").await;
    assert_eq!(found, Some((1, vec!["Muhammad Fathan".into()])));
    let found = search(&app, &admin, "pkm:_").await;
    assert_eq!(found, Some((1, vec!["Keyla Putri Ananda".into()])));
    assert_eq!(search(&app, &admin, "pkm:%").await, None);
    let found = search(&app, &admin, "pkm:- 74.71.08").await;
    assert_eq!(found, Some((1, vec!["Andi Muh. Arkan".into()])));
    assert_eq!(search(&app, &admin, "pkm:-").await.map(|f| f.0), Some(14));

    // A coordinator of Kadia finds Kadia's Puskesmas only; moved to Mandonga, Mandonga's only, at once.
    let camat = app.coordinator_of(CAMAT, "Camat", "74.71.08").await;
    assert_eq!(search(&app, &camat, "pkm:mandonga").await, None);
    let found = search(&app, &camat, "pkm:puskesmas").await;
    assert_eq!(found, Some((1, vec!["Siti Nur'aini".into()])));
    let out = app.cli(&["admin", "grant", &CAMAT.to_string(), "--scope", "74.71.01"]);
    assert!(out.status.success());
    assert_eq!(search(&app, &camat, "pkm:perumnas").await, None);
    assert_eq!(
        search(&app, &camat, "pkm:mandonga").await.map(|f| f.0),
        Some(2)
    );

    // The volunteer confirms Fathan's first package (on time); the next one, a week later, is not.
    let kota = app.coordinator_of(KOTA, "Kabid Kota", "74.71").await;
    app.tg.send_text(&kader, "/konfirmasi");
    let list = expect(&app, kader.id, "Pengiriman mana").await;
    let ask_photo = app.press(&kader, &list, "Muhammad").await;
    assert!(
        ask_photo.plain_text().contains("Kirim foto"),
        "{}",
        ask_photo.plain_text()
    );
    app.tg
        .add_file("pkm-photo", "uq-pkm-photo", images::jpeg(7));
    photo_in_full(&app, &kader, "pkm-photo").await;

    // The weekly summary on Monday: a line per Puskesmas after the chart.
    app.tick(&wita(due - Days::new(2), "12:00")).await;
    drain(&app, KOTA).await;
    let monday = due + Days::new(7);
    let before = app.tg.messages_to(KOTA).len();
    app.tick(&wita(monday, "07:00")).await;
    let sent: Vec<SentMessage> = app.tg.messages_to(KOTA)[before..].to_vec();
    let chart = sent
        .iter()
        .position(|m| m.method == "sendPhoto")
        .unwrap_or_else(|| panic!("no chart in {sent:#?}"));
    let lines = sent[chart + 1].plain_text();
    assert!(
        lines.starts_with("🏥 Per Puskesmas — Kota Kendari"),
        "{lines}"
    );
    for line in [
        "• PKM Mandonga: 1/2 anak punya orang tua asuh (50 %), 1 menunggu · 100 % tepat waktu (1/1)",
        "• PKM_Lepo: 0/1 anak punya orang tua asuh (0 %), 1 menunggu · tidak ada pengiriman yang jatuh tempo",
        "• Puskesmas Perumnas: 0/1 anak punya orang tua asuh (0 %), 1 menunggu",
        "• (tanpa Puskesmas): 0/14 anak punya orang tua asuh (0 %), 14 menunggu",
    ] {
        assert!(lines.contains(line), "{line:?} in {lines}");
    }
    let order: Vec<usize> = ["PKM Mandonga", "PKM_Lepo", "Puskesmas Perumnas", "(tanpa"]
        .iter()
        .map(|n| lines.find(n).expect("a line"))
        .collect();
    assert!(order.is_sorted(), "{lines}");

    // A day after the second Monday: the report of the two weeks.
    app.tick(&wita(monday + Days::new(1), "08:00")).await;
    drain(&app, KOTA).await;
    let period = format!("{}..{}", due, monday);
    app.tg.send_text(&kota, &format!("/laporan {period}"));
    expect(&app, KOTA, "sedang disiapkan").await;
    let summary = expect(&app, KOTA, "Per Puskesmas").await.plain_text();
    let table = table_after(&summary, "Per Puskesmas");
    let want: Vec<(String, Vec<u64>)> = [
        ("Puskesmas", vec![]),
        ("PKM Mandonga", vec![2, 1, 1, 2, 1, 1]),
        ("PKM_Lepo", vec![1, 0, 1, 0, 0, 0]),
        ("Puskesmas Perumnas", vec![1, 0, 1, 0, 0, 0]),
        ("(tanpa Puskesmas)", vec![14, 0, 14, 0, 0, 0]),
        ("Total", vec![18, 1, 17, 2, 1, 1]),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect();
    assert_eq!(table[0].0, "Puskesmas Anak Diasuh Tunggu Wajib Tepat Telat");
    assert_eq!(table[1..], want[1..], "{summary}");
    let mut files = Vec::new();
    for _ in 0..5 {
        let doc = loop {
            let m = app.tg.next_message(KOTA).await;
            if m.method == "sendDocument" {
                break m;
            }
        };
        let name = doc.params["document"]["file_name"]
            .as_str()
            .expect("a file name")
            .to_owned();
        files.push((name, app.tg.sent_file(&doc).expect("the file's bytes")));
    }
    let (name, bytes) = files
        .iter()
        .find(|(n, _)| n.starts_with("ringkasan-puskesmas-"))
        .unwrap_or_else(|| panic!("no Puskesmas CSV in {:?}", files.iter().map(|f| &f.0)));
    assert_eq!(
        name,
        &format!("ringkasan-puskesmas-74.71-{due}_{monday}.csv")
    );
    let rows = parse_csv(bytes);
    assert_eq!(
        rows[0],
        [
            "Puskesmas",
            "Anak terdaftar",
            "Diasuh",
            "Menunggu",
            "Jatuh tempo",
            "Tepat waktu",
            "Dikonfirmasi terlambat",
            "Terlambat",
            "Terlewat",
            "% tepat waktu"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "PKM Mandonga",
            "2",
            "1",
            "1",
            "2",
            "1",
            "0",
            "1",
            "0",
            "50.0"
        ]
    );
    assert_eq!(rows[4][..4], ["(tanpa Puskesmas)", "14", "0", "14"]);
    assert_eq!(rows[5][..6], ["Total", "18", "1", "17", "2", "1"]);
    assert_eq!(rows.len(), 6);
    // The workbook has the same table on its own sheet.
    let (_, book) = files
        .iter()
        .find(|(n, _)| n.ends_with(".xlsx"))
        .expect("the workbook");
    use calamine::Reader;
    let mut xlsx: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(book.clone())).expect("a workbook");
    let sheet = xlsx.worksheet_range("Per Puskesmas").expect("the sheet");
    let first: Vec<String> = sheet
        .rows()
        .nth(1)
        .expect("a row")
        .iter()
        .take(3)
        .map(|c| c.to_string())
        .collect();
    assert_eq!(first, ["PKM Mandonga", "2", "1"]);

    // On the server, for Kadia only, in English: Kadia's children alone.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = app.cli(&[
        "report",
        "--period",
        &period,
        "--region",
        "74.71.08",
        "--lang",
        "en",
        "--out",
        &dir.path().display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = table_after(&stdout, "Per Puskesmas");
    assert_eq!(
        table[1..],
        [
            ("Puskesmas Perumnas".to_owned(), vec![1, 0, 1, 0, 0, 0]),
            ("(no Puskesmas)".to_owned(), vec![1, 0, 1, 0, 0, 0]),
            ("Total".to_owned(), vec![2, 0, 2, 0, 0, 0]),
        ],
        "{stdout}"
    );
    let csv = dir
        .path()
        .join(format!("puskesmas-74.71.08-{due}_{monday}.csv"));
    let rows = parse_csv(&std::fs::read(&csv).expect("the English CSV"));
    assert_eq!(
        rows[0][..4],
        ["Puskesmas", "Children registered", "Sponsored", "Waiting"]
    );
    assert_eq!(rows[2][0], "(no Puskesmas)");
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_district_without_puskesmas_gets_no_puskesmas_lines() {
    let Programme { app, due, .. } = programme(&ENV).await;
    let kota = app.coordinator_of(KOTA, "Kabid Kota", "74.71").await;
    app.tick(&wita(due - Days::new(2), "12:00")).await;
    drain(&app, KOTA).await;
    let before = app.tg.messages_to(KOTA).len();
    app.tick(&wita(due + Days::new(7), "07:00")).await;
    let sent = app.tg.messages_to(KOTA)[before..].to_vec();
    assert!(sent.iter().any(|m| m.method == "sendPhoto"), "{sent:#?}");
    let named: Vec<String> = sent
        .iter()
        .map(|m| m.plain_text())
        .filter(|t| t.contains("Puskesmas"))
        .collect();
    assert_eq!(named, Vec::<String>::new());
    drain(&app, KOTA).await;
    app.tg.send_text(&kota, "/laporan 2026-10");
    expect(&app, KOTA, "sedang disiapkan").await;
    let summary = expect(&app, KOTA, "Laporan Kota Kendari")
        .await
        .plain_text();
    assert!(!summary.contains("Puskesmas"), "{summary}");
    drain(&app, ADMIN_ID).await;
    let card = app
        .say(
            &app.admin(),
            &format!("/anak_lihat {}", child_id(&app, "Muhammad Fathan").await),
        )
        .await
        .plain_text();
    assert!(card.contains("Puskesmas: —"), "{card}");
}
