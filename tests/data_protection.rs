//! End to end: children's data is specific personal data (UU PDP 27/2022), and four defects found in real
//! use let it leak or let a file take the bot down. An .xlsx that unpacks to hundreds of megabytes is
//! refused without being unpacked; text people typed cannot become a formula in a CSV file; raw updates
//! (phone numbers, places, free text) are forgotten after `ASUH_INBOX_DAYS`; names with invisible control
//! characters are refused, and a search for `%` finds only names that contain it.

mod support;

use chrono::{Duration as Days, Utc};
use std::io::{Cursor, Read};
use std::time::Duration;
use support::programme::{ANI, confirm_in_full, expect, programme};
use support::{ADMIN_ID, SentMessage, TestApp, TestUser};

// --- 1. an .xlsx decompression bomb -------------------------------------------------------------

/// One entry of a zip written by hand: its name, the bytes as stored, and what they unpack to.
struct Entry {
    name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u64,
}

impl Entry {
    fn stored(name: &str, bytes: Vec<u8>) -> Entry {
        let mut crc = flate2::Crc::new();
        crc.update(&bytes);
        Entry {
            name: name.to_owned(),
            method: 0,
            crc: crc.sum(),
            size: bytes.len() as u64,
            data: bytes,
        }
    }
}

/// A zip archive (local headers, data, central directory, end record), as any zip writer makes it.
fn zip_by_hand(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = u32::try_from(out.len()).expect("small archive");
        let name = e.name.as_bytes();
        let csize = u32::try_from(e.data.len()).expect("small entry");
        let usize_ = u32::try_from(e.size).expect("under 4 GiB");
        let fields = |buf: &mut Vec<u8>| {
            buf.extend(20u16.to_le_bytes()); // version needed
            buf.extend(0u16.to_le_bytes()); // flags
            buf.extend(e.method.to_le_bytes());
            buf.extend(0u16.to_le_bytes()); // time
            buf.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            buf.extend(e.crc.to_le_bytes());
            buf.extend(csize.to_le_bytes());
            buf.extend(usize_.to_le_bytes());
            buf.extend((name.len() as u16).to_le_bytes());
            buf.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        fields(&mut out);
        out.extend(name);
        out.extend(&e.data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        fields(&mut central);
        central.extend(0u16.to_le_bytes()); // comment
        central.extend(0u16.to_le_bytes()); // disk
        central.extend(0u16.to_le_bytes()); // internal attributes
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let at = u32::try_from(out.len()).expect("small archive");
    let count = u16::try_from(entries.len()).expect("few entries");
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend(u32::try_from(central.len()).expect("small").to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// `data` deflated by a fresh compressor and ended with a full flush (or, `last`, the end of the stream):
/// such a piece refers to nothing before it, so pieces can follow each other, and one piece repeated
/// unpacks to its text repeated — which is how a bomb is made in milliseconds.
fn deflate_piece(data: &[u8], last: bool) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() + 4096);
    let flush = if last {
        flate2::FlushCompress::Finish
    } else {
        flate2::FlushCompress::Full
    };
    c.compress_vec(data, &mut out, flush).expect("deflate");
    assert_eq!(c.total_in(), data.len() as u64, "one call deflates it all");
    out
}

/// A children's list as Excel would save it (a header and one child of Mandonga) whose shared strings
/// are padded with `mib` MiB of further strings: the sharedStrings.xml part unpacks to that size, while
/// the file stays well under a megabyte.
fn xlsx_bomb(mib: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["nama", "jk", "tanggal lahir", "nama ibu", "kecamatan"],
        ["Bom Waktu", "L", "01/02/2025", "Sri Wahyuni", "Mandonga"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).expect("cell");
        }
    }
    let normal = book.save_to_buffer().expect("xlsx");
    let mut archive = zip::ZipArchive::new(Cursor::new(normal)).expect("zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("a name").into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).expect("read");
        if name != "xl/sharedStrings.xml" {
            entries.push(Entry::stored(&name, bytes));
            continue;
        }
        let text = String::from_utf8(bytes).expect("xml");
        let end = text.find("</sst>").expect("the end of the strings");
        let (prefix, suffix) = (&text.as_bytes()[..end], &text.as_bytes()[end..]);
        let item = format!("<si><t>{}</t></si>", "A".repeat(1000));
        let chunk = item.repeat((1 << 20) / item.len() + 1);
        let mut data = deflate_piece(prefix, false);
        let piece = deflate_piece(chunk.as_bytes(), false);
        let mut crc = flate2::Crc::new();
        crc.update(prefix);
        for _ in 0..mib {
            data.extend(&piece);
            crc.update(chunk.as_bytes());
        }
        data.extend(deflate_piece(suffix, true));
        crc.update(suffix);
        entries.push(Entry {
            name,
            method: 8,
            data,
            crc: crc.sum(),
            size: (prefix.len() + mib * chunk.len() + suffix.len()) as u64,
        });
    }
    zip_by_hand(&entries)
}

#[tokio::test]
async fn an_xlsx_that_unpacks_to_hundreds_of_megabytes_is_refused_without_unpacking_it() {
    // The bomb itself is a valid workbook: every reader would open it and read 400 MiB of strings.
    let bomb = xlsx_bomb(400);
    assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
    {
        let mut archive = zip::ZipArchive::new(Cursor::new(&bomb[..])).expect("a zip");
        let strings = archive.by_name("xl/sharedStrings.xml").expect("strings");
        assert!(strings.size() > 400 << 20, "{}", strings.size());
    }

    let app = TestApp::spawn().await;
    app.say(&app.admin(), "/start").await;
    app.seed_regions().await;
    let report = app.import_file("bomb-1", "anak.xlsx", &bomb).await;
    let peak_mib = app.peak_memory_kib() / 1024;
    eprintln!("the bot's peak memory after the bomb: {peak_mib} MiB");
    assert!(
        report.contains("ditolak") && report.contains("lebih dari 100 MB"),
        "{report}\n(peak memory {peak_mib} MiB)"
    );
    assert!(report.contains("CSV"), "{report}");
    assert!(
        peak_mib < 300,
        "the bot's peak memory was {peak_mib} MiB\nlog:\n{}",
        app.log_text()
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM children").await, 0);
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM import_jobs WHERE status = 'done'")
            .await,
        0
    );

    // The same list without the padding imports as before.
    let normal = xlsx_bomb(0);
    let report = app.import_file("normal-1", "anak.xlsx", &normal).await;
    assert!(report.contains("ditambah: 1"), "{report}");
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM children").await, 1);
    app.assert_spec_clean();
}

// --- 2. formulas in CSV files -------------------------------------------------------------------

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.strip_prefix(BOM).unwrap_or(bytes))
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

fn is_plain_number(cell: &str) -> bool {
    cell.parse::<f64>().is_ok()
}

async fn next_to_admin(app: &TestApp, what: impl Fn(&SentMessage) -> bool) -> SentMessage {
    for _ in 0..20 {
        let m = app.tg.next_message(ADMIN_ID).await;
        if what(&m) {
            return m;
        }
    }
    panic!("not among the coordinator's next 20 messages");
}

#[tokio::test]
async fn text_people_typed_is_never_a_formula_in_a_csv_file() {
    let programme = programme(&[
        ("ASUH_FIRST_DELIVERY_DAYS", "1"),
        ("ASUH_CONFIRM_AHEAD_DAYS", "8"),
    ])
    .await;
    let (app, ani, due) = (&programme.app, &programme.ani, programme.due);
    let admin = app.admin();

    // A kecamatan renamed to a formula, by the command; an office with one (however it got there).
    app.tg.send_text(&admin, "/wilayah_tambah 74.71.01 =2+5");
    expect(app, ADMIN_ID, "diperbarui: =2+5").await;
    app.db
        .exec("UPDATE offices SET name = '@SUM(1)' WHERE name = 'Dinas Kesehatan'")
        .await;

    // The sponsor confirms with a note that is a formula.
    let note = "=HYPERLINK(\"http://x\",\"y\")";
    let list = app.say(ani, "/konfirmasi").await;
    let ask = app.press(ani, &list, "Muhammad").await;
    assert!(
        ask.plain_text().contains("Kirim foto"),
        "{}",
        ask.plain_text()
    );
    app.tg.send_photo(ani, "formula-1", Some(note));
    let question = app.tg.next_message(ANI).await;
    let noted = app.tg.next_message(ANI).await;
    assert!(
        noted.plain_text().contains("Catatan disimpan"),
        "{}",
        noted.plain_text()
    );
    confirm_in_full(app, ani, &question).await;
    let delivery = app
        .db
        .scalar("SELECT id FROM deliveries WHERE status = 'confirmed'")
        .await;
    app.wait_for("SELECT COUNT(*) FROM evidence WHERE state = 'stored'", 1)
        .await;

    // The evidence export's manifest.
    app.tg.send_text(&admin, &format!("/bukti {delivery}"));
    let view = expect(app, ADMIN_ID, &format!("Bukti pengiriman #{delivery}")).await;
    next_to_admin(app, |m| m.method == "sendPhoto").await;
    let export = view.button_data("Ekspor").expect("an export button");
    app.tg.press_button(&admin, &view, &export);
    let manifest = next_to_admin(app, |m| {
        m.method == "sendDocument" && m.plain_text().contains("Manifes")
    })
    .await;
    let rows = parse_csv(&app.tg.sent_file(&manifest).expect("the manifest"));
    // Headers in the coordinator's language, like the report's files.
    assert_eq!(rows[0][9], "Catatan", "{:?}", rows[0]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][9], format!("'{note}"), "{:?}", rows[1]);
    assert_eq!(rows[1][0], delivery.to_string());
    assert!(is_plain_number(&rows[1][15]), "size: {:?}", rows[1]);

    // The report's CSV files, written by `asuh report`.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = app.cli(&[
        "report",
        "--from",
        &(due - Days::days(7)).to_string(),
        "--to",
        &(due + Days::days(7)).to_string(),
        "--out",
        &dir.path().display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let file = |prefix: &str| -> Vec<Vec<String>> {
        let entry = std::fs::read_dir(dir.path())
            .expect("the report directory")
            .map(|e| e.expect("an entry").path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                    && p.extension().is_some_and(|e| e == "csv")
            })
            .unwrap_or_else(|| panic!("no {prefix} file"));
        parse_csv(&std::fs::read(entry).expect("the CSV"))
    };
    let deliveries = file("pengiriman-");
    let row = deliveries
        .iter()
        .find(|r| r[0] == delivery.to_string())
        .expect("the confirmed delivery");
    assert_eq!(row[6], "'=2+5", "kecamatan: {row:?}");
    assert_eq!(row[10], "'@SUM(1)", "office: {row:?}");
    assert!(
        is_plain_number(&row[4]) && is_plain_number(&row[16]),
        "{row:?}"
    );
    let sponsorships = file("kepengasuhan-");
    assert_eq!(sponsorships[1][3], "'=2+5", "{:?}", sponsorships[1]);
    assert_eq!(sponsorships[1][6], "'@SUM(1)", "{:?}", sponsorships[1]);
    let offices = file("ringkasan-opd-");
    let office = offices
        .iter()
        .find(|r| r[0] == "'@SUM(1)")
        .unwrap_or_else(|| panic!("the office row in {offices:?}"));
    assert!(
        office[1..8].iter().all(|c| is_plain_number(c)),
        "{office:?}"
    );
    assert!(
        deliveries
            .iter()
            .chain(&sponsorships)
            .chain(&offices)
            .flatten()
            .all(|c| !c.starts_with(['=', '+', '@', '\t', '\r'])
                && (!c.starts_with('-') || is_plain_number(c))),
        "no cell may start a formula"
    );
    app.assert_spec_clean();
}

// --- 3. raw updates kept forever ------------------------------------------------------------------

const PHONE: &str = "6281299990001";

async fn payloads_with_phone(app: &TestApp) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT COUNT(*) FROM inbox WHERE payload LIKE '%{PHONE}%'"
        ))
        .await
}

#[tokio::test]
async fn raw_updates_are_forgotten_after_the_retention_and_the_bot_goes_on() {
    let mut app = TestApp::spawn().await;
    let rina = TestUser::new(760_001, "Rina", Some("id"));
    app.say(&rina, "/daftar").await;
    app.say(&rina, "Rina Wulandari").await;
    app.tg.send_contact(&rina, PHONE, Some(rina.id));
    let saved = app.tg.next_message(rina.id).await;
    assert!(
        saved.plain_text().contains("Nomor tersimpan"),
        "{}",
        saved.plain_text()
    );
    app.tg.next_message(rina.id).await;
    app.wait_for("SELECT COUNT(*) FROM inbox WHERE processed_at IS NULL", 0)
        .await;
    assert_eq!(payloads_with_phone(&app).await, 1);
    let stored = app.db.scalar("SELECT COUNT(*) FROM inbox").await;
    assert!(stored >= 3, "{stored}");

    // Within the retention (3 days by default) nothing is forgotten.
    let out = app.tick(&(Utc::now() + Days::days(2)).to_rfc3339()).await;
    assert!(out.contains(" 0 handled updates forgotten"), "{out}");
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM inbox").await, stored);
    assert_eq!(payloads_with_phone(&app).await, 1);

    // Past it, handled updates are deleted; the newest stays as the polling offset, without its content.
    let out = app.tick(&(Utc::now() + Days::days(4)).to_rfc3339()).await;
    assert!(
        out.contains(&format!("{stored} handled updates forgotten")),
        "{out}"
    );
    assert_eq!(payloads_with_phone(&app).await, 0);
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM inbox").await, 1);
    assert_eq!(
        app.db.text("SELECT payload FROM inbox").await.as_deref(),
        Some("{}")
    );

    // The bot carries on: nothing is handled again after a restart, a new message is answered once.
    let before = app.tg.messages_to(rina.id).len();
    app.restart().await;
    app.tg
        .expect_no_message(rina.id, Duration::from_secs(3))
        .await;
    app.say(&rina, "/saya").await;
    app.restart().await;
    app.tg
        .expect_no_message(rina.id, Duration::from_secs(3))
        .await;
    assert_eq!(app.tg.messages_to(rina.id).len(), before + 1);
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM inbox WHERE processed_at IS NOT NULL")
            .await,
        2
    );
    app.assert_spec_clean();

    // The retention is a whole number of days.
    app.set_env("ASUH_INBOX_DAYS", "0");
    let out = app.cli(&["migrate"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("ASUH_INBOX_DAYS"),
        "{err}"
    );
}

/// The store's rule itself, on the test's backend: handled updates older than the cut are deleted but the
/// newest, which is blanked; an update not yet handled keeps everything, however old.
#[tokio::test]
async fn unhandled_updates_are_never_forgotten() {
    use asuh::store::inbox;
    let test_db = support::TestDb::new().await;
    let db = asuh::store::Db::connect(&test_db.url).await.expect("db");
    db.migrate().await.expect("migrations");
    let mut conn = db.conn().await.expect("conn");
    let long_ago = Utc::now() - Days::days(10);
    let payload = |id: i64| format!("{{\"update_id\":{id},\"phone\":\"{PHONE}\"}}");
    for id in 1..=5 {
        inbox::store(&mut conn, id, Some(7), &payload(id), long_ago)
            .await
            .expect("store");
    }
    for id in [1, 2, 5] {
        inbox::mark_processed(&mut conn, id, Some("an error quoting 0812"), long_ago)
            .await
            .expect("mark");
    }
    inbox::mark_processed(&mut conn, 4, None, Utc::now())
        .await
        .expect("mark");
    let cut = Utc::now() - Days::days(3);
    let pruned = inbox::prune(&mut conn, cut).await.expect("prune");
    assert_eq!((pruned.deleted, pruned.blanked), (2, 1));
    drop(conn);
    // 3: not handled, kept whole; 4: handled within the retention, kept whole; 5: the newest, blanked.
    assert_eq!(test_db.scalar("SELECT COUNT(*) FROM inbox").await, 3);
    assert_eq!(
        test_db
            .scalar(&format!(
                "SELECT COUNT(*) FROM inbox WHERE update_id IN (3, 4) AND payload LIKE '%{PHONE}%'"
            ))
            .await,
        2
    );
    assert_eq!(
        test_db
            .text("SELECT payload FROM inbox WHERE update_id = 5 AND error IS NULL")
            .await
            .as_deref(),
        Some("{}")
    );
    let mut conn = db.conn().await.expect("conn");
    let again = inbox::prune(&mut conn, cut).await.expect("prune");
    assert_eq!((again.deleted, again.blanked), (0, 0));
    assert_eq!(
        inbox::next_offset(&mut conn).await.expect("offset"),
        Some(6)
    );
    assert_eq!(
        inbox::pending(&mut conn, 10).await.expect("pending").len(),
        1
    );
    drop(conn);
    db.close().await;
}

// --- 4. hidden characters in names, wildcards in searches -----------------------------------------

#[tokio::test]
async fn names_with_hidden_characters_are_refused_and_a_search_for_a_wildcard_finds_nothing() {
    let app = TestApp::spawn().await;
    app.setup_programme().await;
    let admin = app.admin();
    for name in [
        "Bad\u{202E}Name",
        "Bad\u{0}Name",
        "Bell\u{7}Name",
        "Isolate\u{2066}d",
    ] {
        let reply = app
            .say(&admin, &format!("/wilayah_tambah 74.71.98 {name}"))
            .await;
        let text = reply.plain_text();
        assert!(!text.contains('✅'), "{name:?}: {text}");
        assert!(text.contains("karakter tersembunyi"), "{name:?}: {text}");
        let office = app.say(&admin, &format!("/opd_tambah {name}")).await;
        assert!(
            office.plain_text().contains("karakter tersembunyi"),
            "{name:?}: {}",
            office.plain_text()
        );
    }
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM regions WHERE code = '74.71.98'")
            .await,
        0
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM offices").await, 1);

    // A region list with such a name: that row is refused, the others go in.
    let list = "kode,nama\n74.71.98,Wua\u{202E}-Wua\n74.71.99,Kota Lama Baru\n";
    let report = app
        .import_file("regions-hidden", "wilayah-baru.csv", list.as_bytes())
        .await;
    assert!(report.contains("ditambah: 1"), "{report}");
    assert!(
        report.contains("Baris 2") && report.contains("karakter tersembunyi"),
        "{report}"
    );
    assert!(!report.contains('\u{202E}'), "{report:?}");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM regions WHERE code IN ('74.71.98', '74.71.99')")
            .await,
        1
    );

    // A search for a wildcard looks for the character itself.
    for pattern in ["%", "_", "\\", "%a%"] {
        let reply = app.say(&admin, &format!("/anak_cari {pattern}")).await;
        assert!(
            reply.plain_text().contains("Tidak ada anak yang cocok"),
            "/anak_cari {pattern}: {}",
            reply.plain_text()
        );
        let reply = app.say(&admin, &format!("/ukur {pattern}")).await;
        assert!(
            reply.plain_text().contains("Tidak ada anak yang cocok"),
            "/ukur {pattern}: {}",
            reply.plain_text()
        );
    }
    let found = app.say(&admin, "/anak_cari Fathan").await;
    assert!(
        found.plain_text().contains("Muhammad Fathan"),
        "{}",
        found.plain_text()
    );
    let found = app.say(&admin, "/anak_cari fath").await;
    assert!(found.plain_text().contains("Muhammad Fathan"));
    app.assert_spec_clean();
}
