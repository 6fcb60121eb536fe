//! End to end: `/laporan` and `asuh report`. A programme with sponsors of two offices and the community,
//! children in three kecamatan, deliveries confirmed on time and late, overdue and missed (the clock moved
//! with `asuh tick --at`); the whole programme's coordinator and a coordinator of one kecamatan ask for
//! reports, and every row of the table message, the XLSX and the CSV files is checked against the database.
//! Refusals: a bad period, a period over 366 days, a region outside the scope, an unknown region, a forged
//! button.

mod support;

use asuh::domain::Lang;
use asuh::domain::evidence::sha256_hex;
use asuh::i18n::t;
use asuh::store::Db;
use calamine::{Data, Reader, Xlsx};
use chrono::{Days, NaiveDate, TimeZone, Utc};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use support::programme::{ANI, KADER, confirm_in_full, expect, programme, sponsor_child, wita};
use support::{ADMIN_ID, SentMessage, TestApp, TestUser, images};

/// Deliveries a week ahead may be confirmed, so that the first one (at most a week away) already can.
const ENV: [(&str, &str); 2] = [
    ("ASUH_FIRST_DELIVERY_DAYS", "1"),
    ("ASUH_CONFIRM_AHEAD_DAYS", "8"),
];

const BUDI: i64 = 730_002;
const CITRA: i64 = 730_003;
/// A coordinator of Mandonga only.
const CAMAT: i64 = 500_101;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Takes messages to `chat` until one satisfies `want` (skipping up to 80 others: reminders, digests).
async fn until(
    app: &TestApp,
    chat: i64,
    what: &str,
    want: impl Fn(&SentMessage) -> bool,
) -> SentMessage {
    let mut seen = Vec::new();
    for _ in 0..80 {
        match app
            .tg
            .next_message_within(chat, Duration::from_secs(30))
            .await
        {
            Some(m) if want(&m) => return m,
            Some(m) => seen.push(format!("{} {}", m.method, m.plain_text())),
            None => break,
        }
    }
    panic!(
        "no {what} to {chat}; got {seen:#?}\nlog:\n{}",
        app.log_text()
    );
}

/// Sends a text and returns the first answer that contains `needle`.
async fn ask(app: &TestApp, user: &TestUser, text: &str, needle: &str) -> SentMessage {
    app.tg.send_text(user, text);
    expect(app, user.id, needle).await
}

/// Registers a sponsor for Mandonga with the office whose button says `office`, approved by the coordinator.
async fn sponsor_of(app: &TestApp, id: i64, name: &str, office: &str) -> TestUser {
    let user = TestUser::new(id, name, Some("id"));
    app.say(&user, "/daftar").await;
    app.say(&user, &format!("{name} Wijaya")).await;
    app.tg.send_contact(&user, "6281234567891", Some(id));
    app.tg.next_message(id).await;
    let offices = app.tg.next_message(id).await;
    let districts = app.press(&user, &offices, office).await;
    let villages = app.press(&user, &districts, "Mandonga").await;
    let cap = app.press(&user, &villages, "Seluruh kecamatan").await;
    let summary = app.press(&user, &cap, "2").await;
    app.press(&user, &summary, "Kirim").await;
    let request = expect(app, ADMIN_ID, "Pendaftaran Bapak/Bunda Asuh baru").await;
    app.press(&app.admin(), &request, "Setujui").await;
    expect(app, id, "disetujui").await;
    user
}

/// Pairs a child with a sponsor, who accepts.
async fn pair(app: &TestApp, sponsor: &TestUser, child_name: &str) -> i64 {
    let child = app
        .db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{}'",
            child_name.replace('\'', "''")
        ))
        .await;
    app.tg
        .send_text(&app.admin(), &format!("/pasangkan {child} {}", sponsor.id));
    let offer = expect(app, sponsor.id, "Paket gizi").await;
    let accepted = app.press(sponsor, &offer, "Terima").await;
    assert!(
        accepted.plain_text().contains("Pengiriman pertama"),
        "{}",
        accepted.plain_text()
    );
    child
}

/// The first delivery of a child.
async fn first_delivery(app: &TestApp, child: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT MIN(d.id) FROM deliveries d JOIN children c ON c.id = d.child_id
             WHERE c.full_name = '{}' AND d.status <> 'cancelled'",
            child.replace('\'', "''")
        ))
        .await
}

/// `user` confirms the delivery of `child` from `/konfirmasi` with these photos (an album when several),
/// received in full.
async fn confirm(app: &TestApp, user: &TestUser, child: &str, photos: &[u8]) {
    let list = ask(app, user, "/konfirmasi", "Pengiriman mana").await;
    let ask_photo = app.press(user, &list, child).await;
    assert!(
        ask_photo.plain_text().contains("Kirim foto"),
        "{}",
        ask_photo.plain_text()
    );
    for photo in photos {
        let file = format!("report-photo-{photo}");
        app.tg
            .add_file(&file, &format!("uq-{file}"), images::jpeg(*photo));
        if photos.len() > 1 {
            app.tg
                .send_photo_in_album(user, &file, &format!("album-{child}"));
        } else {
            app.tg.send_photo(user, &file, None);
        }
    }
    let question = app.tg.next_message(user.id).await;
    confirm_in_full(app, user, &question).await;
}

/// A report as it arrived in a chat: the table message and the five files by name.
struct Received {
    summary: String,
    xlsx: (String, Vec<u8>),
    /// By the CSV's name prefix: `ringkasan-opd`, `ringkasan-puskesmas`, `kepengasuhan`, `pengiriman`.
    csv: BTreeMap<String, (String, Vec<u8>)>,
}

impl Received {
    fn csv(&self, prefix: &str) -> &[u8] {
        &self
            .csv
            .get(prefix)
            .unwrap_or_else(|| panic!("no {prefix} CSV in {:?}", self.csv.keys()))
            .1
    }

    /// The period in the file names: `laporan-<area>-<from>_<to>.xlsx`.
    fn period(&self) -> (NaiveDate, NaiveDate) {
        let stem = self.xlsx.0.trim_end_matches(".xlsx");
        let (from, to) = stem[stem.len() - 21..]
            .split_once('_')
            .expect("dates in the file name");
        (date(from), date(to))
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("a date: {s}"))
}

/// Waits for a report in `chat`: the table, then the workbook and the four CSV files.
async fn receive(app: &TestApp, chat: i64) -> Received {
    let summary = until(app, chat, "report table", |m| {
        m.method == "sendMessage"
            && m.text
                .as_deref()
                .is_some_and(|t| t.contains("<pre>") && t.contains("Laporan "))
    })
    .await;
    let mut xlsx = None;
    let mut csv = BTreeMap::new();
    for _ in 0..5 {
        let doc = until(app, chat, "report file", |m| m.method == "sendDocument").await;
        let name = doc.params["document"]["file_name"]
            .as_str()
            .expect("a file name")
            .to_owned();
        let bytes = app.tg.sent_file(&doc).expect("the file's bytes");
        if name.ends_with(".xlsx") {
            assert!(name.starts_with("laporan-"), "{name}");
            xlsx = Some((name, bytes));
        } else {
            assert!(name.ends_with(".csv"), "{name}");
            let prefix = [
                "ringkasan-opd",
                "ringkasan-puskesmas",
                "kepengasuhan",
                "pengiriman",
            ]
            .into_iter()
            .find(|p| name.starts_with(&format!("{p}-")))
            .unwrap_or_else(|| panic!("an unexpected file {name}"));
            csv.insert(prefix.to_owned(), (name, bytes));
        }
    }
    Received {
        summary: summary.plain_text(),
        xlsx: xlsx.expect("the workbook"),
        csv,
    }
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

/// A sheet of the workbook, each cell as the CSV writes it.
fn sheet(book: &[u8], name: &str, width: usize, pct_column: Option<usize>) -> Vec<Vec<String>> {
    let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(book.to_vec())).expect("a workbook");
    let range = xlsx.worksheet_range(name).expect("the sheet");
    range
        .rows()
        .enumerate()
        .map(|(n, row)| {
            let mut cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(col, cell)| match cell {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(f) if n > 0 && Some(col) == pct_column => {
                        format!("{:.1}", f * 100.0)
                    }
                    Data::Float(f) => format!("{f:.0}"),
                    Data::Int(i) => i.to_string(),
                    Data::DateTime(dt) => {
                        (date("1899-12-30") + Days::new(dt.as_f64().floor() as u64)).to_string()
                    }
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect();
            cells.resize(width, String::new());
            cells
        })
        .collect()
}

fn l(key: &str) -> String {
    t(Lang::Id, key)
}

/// One delivery as the database has it, and what the report must say of it.
#[derive(Debug, Clone)]
struct Expected {
    id: i64,
    sort: (String, String, String, i64, NaiveDate),
    row: Vec<String>,
    sponsorship: i64,
    office: String,
    timeliness: &'static str,
}

/// Checks a received report against the database: the deliveries of children inside `area` (a kecamatan
/// code prefix; `None` for all) due in the period, the sponsorships active in it, the per-office table,
/// the table message, and that the workbook holds what the CSV files hold.
async fn check(app: &TestApp, got: &Received, area: Option<&str>) -> BTreeMap<String, Vec<u64>> {
    let (from, to) = got.period();
    let db = Db::connect(&app.db.url).await.expect("connect");
    let inside = |kecamatan: &str| {
        area.is_none_or(|a| kecamatan == a || kecamatan.starts_with(&format!("{a}.")))
    };
    let wita = chrono::FixedOffset::east_opt(8 * 3600).expect("WITA");
    let media = app.media_dir();

    // --- deliveries ---
    let rows = sqlx::query(
        "SELECT d.id, d.due_on, d.status, d.due_at, d.confirmed_at, c.id AS child, c.full_name, c.kecamatan_code,
             COALESCE(c.village_code, '') AS village_code, k.name AS kecamatan, v.name AS village,
             d.sponsorship_id, COALESCE(s.full_name, '') AS sponsor, o.name AS office, d.deliverer
         FROM deliveries d JOIN children c ON c.id = d.child_id
         JOIN regions k ON k.code = c.kecamatan_code
         LEFT JOIN regions v ON v.code = c.village_code
         LEFT JOIN sponsors s ON s.user_id = d.sponsor_id
         LEFT JOIN offices o ON o.id = s.office_id
         WHERE d.due_on >= $1 AND d.due_on <= $2 AND d.status <> 'cancelled'",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(db.pool())
    .await
    .expect("deliveries");
    let mut expected = Vec::new();
    for r in rows {
        let kecamatan_code: String = r.get("kecamatan_code");
        if !inside(&kecamatan_code) {
            continue;
        }
        let id: i64 = r.get("id");
        let status: String = r.get("status");
        let due_at: i64 = r.get("due_at");
        let confirmed_at: Option<i64> = r.get("confirmed_at");
        // An open delivery stands where the calendar puts it now (due from its day, overdue the day after,
        // missed 14 days on), or where a pass already moved it: never back.
        let now = chrono::Utc::now().timestamp_millis();
        const DAY: i64 = 86_400_000;
        let timeliness = match status.as_str() {
            "confirmed" if confirmed_at.is_some_and(|c| c < due_at + DAY) => "on_time",
            "confirmed" => "late",
            "missed" => "missed",
            "scheduled" | "due" | "overdue" if now >= due_at + 14 * DAY => "missed",
            "overdue" => "overdue",
            "scheduled" | "due" if now >= due_at + DAY => "overdue",
            "scheduled" | "due" if now >= due_at => "due_today",
            _ => "",
        };
        let confirmations = sqlx::query(
            "SELECT cf.id, cf.by_role, cf.outcome, cf.created_at,
                 COALESCE(sp.full_name, u.first_name) AS who
             FROM confirmations cf JOIN users u ON u.id = cf.by_user
             LEFT JOIN sponsors sp ON sp.user_id = cf.by_user
             WHERE cf.delivery_id = $1 ORDER BY cf.id",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await
        .expect("confirmations");
        assert!(
            confirmations.len() <= 1,
            "one confirmation per delivery here"
        );
        let mut confirmed = vec![String::new(); 6];
        if let Some(c) = confirmations.first() {
            let cf: i64 = c.get("id");
            let at = confirmed_at.unwrap_or_else(|| c.get("created_at"));
            let photos = sqlx::query(
                "SELECT sha256, storage_key FROM evidence WHERE confirmation_id = $1 ORDER BY id",
            )
            .bind(cf)
            .fetch_all(db.pool())
            .await
            .expect("evidence");
            let hashes: Vec<String> = photos
                .iter()
                .map(|p| p.get::<String, _>("sha256"))
                .collect();
            let places: Vec<String> = photos
                .iter()
                .map(|p| {
                    media
                        .join(p.get::<String, _>("storage_key"))
                        .display()
                        .to_string()
                })
                .collect();
            confirmed = vec![
                Utc.timestamp_millis_opt(at)
                    .single()
                    .expect("a time")
                    .with_timezone(&wita)
                    .format("%Y-%m-%dT%H:%M:%S+08:00")
                    .to_string(),
                c.get("who"),
                l(&format!("report-role-{}", c.get::<String, _>("by_role"))),
                l(&format!("report-outcome-{}", c.get::<String, _>("outcome"))),
                photos.len().to_string(),
                hashes.join(";"),
            ];
            confirmed.push(places.join(";"));
        } else {
            confirmed.push(String::new());
        }
        let child: i64 = r.get("child");
        let name: String = r.get("full_name");
        let office: Option<String> = r.get("office");
        let office = office.unwrap_or_else(|| l("report-community"));
        let due_on = date(&r.get::<String, _>("due_on"));
        let mut row = vec![
            id.to_string(),
            due_on.to_string(),
            l(&format!("report-delivery-{status}")),
            if timeliness.is_empty() {
                String::new()
            } else {
                l(&format!("report-timeliness-{timeliness}"))
            },
            child.to_string(),
            name.clone(),
            r.get("kecamatan"),
            r.get::<Option<String>, _>("village").unwrap_or_default(),
            r.get::<i64, _>("sponsorship_id").to_string(),
            r.get("sponsor"),
            office.clone(),
            l(&format!(
                "report-deliverer-{}",
                r.get::<String, _>("deliverer")
            )),
        ];
        row.extend(confirmed);
        expected.push(Expected {
            id,
            sort: (kecamatan_code, r.get("village_code"), name, child, due_on),
            row,
            sponsorship: r.get("sponsorship_id"),
            office,
            timeliness,
        });
    }
    expected.sort_by(|a, b| (&a.sort, a.id).cmp(&(&b.sort, b.id)));
    let deliveries = parse_csv(got.csv("pengiriman"));
    let header: Vec<String> = [
        "report-col-delivery",
        "report-col-due-on",
        "report-col-status",
        "report-col-timeliness",
        "report-col-child-id",
        "report-col-child",
        "report-col-kecamatan",
        "report-col-village",
        "report-col-sponsorship",
        "report-col-sponsor",
        "report-col-office",
        "report-col-deliverer",
        "report-col-confirmed-at",
        "report-col-confirmed-by",
        "report-col-confirmed-as",
        "report-col-outcome",
        "report-col-photos",
        "report-col-sha256",
        "report-col-photo-locations",
    ]
    .iter()
    .map(|k| l(k))
    .collect();
    assert_eq!(deliveries[0], header);
    let want: Vec<Vec<String>> = expected.iter().map(|e| e.row.clone()).collect();
    assert_eq!(deliveries[1..].to_vec(), want, "the deliveries, in order");

    // --- sponsorships: those of children inside, started before the period ended and not ended before it ---
    let rows = sqlx::query(
        "SELECT sp.id, sp.status, sp.started_at, sp.ended_at, c.id AS child, c.full_name, c.kecamatan_code,
             COALESCE(c.village_code, '') AS village_code, k.name AS kecamatan, v.name AS village,
             s.user_id AS sponsor_id, s.full_name AS sponsor, o.name AS office, p.name AS package, cd.name AS cadence
         FROM sponsorships sp JOIN children c ON c.id = sp.child_id
         JOIN regions k ON k.code = c.kecamatan_code
         LEFT JOIN regions v ON v.code = c.village_code
         JOIN sponsors s ON s.user_id = sp.sponsor_id
         LEFT JOIN offices o ON o.id = s.office_id
         LEFT JOIN packages p ON p.id = sp.package_id
         LEFT JOIN cadences cd ON cd.id = sp.cadence_id
         WHERE sp.started_at IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await
    .expect("sponsorships");
    let local = |ms: i64| {
        Utc.timestamp_millis_opt(ms)
            .single()
            .expect("a time")
            .with_timezone(&wita)
            .date_naive()
    };
    let mut sponsorships = Vec::new();
    // Office name -> (sponsors, children).
    let mut people: BTreeMap<String, (BTreeSet<i64>, BTreeSet<i64>)> = BTreeMap::new();
    let mut everyone: (BTreeSet<i64>, BTreeSet<i64>) = Default::default();
    for r in rows {
        let kecamatan_code: String = r.get("kecamatan_code");
        let started = local(r.get("started_at"));
        let ended = r.get::<Option<i64>, _>("ended_at").map(local);
        if !inside(&kecamatan_code) || started > to || ended.is_some_and(|e| e < from) {
            continue;
        }
        let id: i64 = r.get("id");
        let mine: Vec<&Expected> = expected.iter().filter(|e| e.sponsorship == id).collect();
        let count = |t: &str| {
            mine.iter()
                .filter(|e| e.timeliness == t)
                .count()
                .to_string()
        };
        let office = r
            .get::<Option<String>, _>("office")
            .unwrap_or_else(|| l("report-community"));
        let (sponsor_id, child): (i64, i64) = (r.get("sponsor_id"), r.get("child"));
        let entry = people.entry(office.clone()).or_default();
        entry.0.insert(sponsor_id);
        entry.1.insert(child);
        everyone.0.insert(sponsor_id);
        everyone.1.insert(child);
        let name: String = r.get("full_name");
        sponsorships.push((
            (
                kecamatan_code,
                r.get::<String, _>("village_code"),
                name.clone(),
                child,
                started,
                id,
            ),
            vec![
                id.to_string(),
                child.to_string(),
                name,
                r.get("kecamatan"),
                r.get::<Option<String>, _>("village").unwrap_or_default(),
                r.get("sponsor"),
                office,
                l(&format!(
                    "report-sponsorship-{}",
                    r.get::<String, _>("status")
                )),
                started.to_string(),
                ended.map(|d| d.to_string()).unwrap_or_default(),
                r.get::<Option<String>, _>("package").unwrap_or_default(),
                r.get::<Option<String>, _>("cadence").unwrap_or_default(),
                mine.iter()
                    .filter(|e| !e.timeliness.is_empty())
                    .count()
                    .to_string(),
                count("on_time"),
                count("late"),
                count("overdue"),
                count("missed"),
            ],
        ));
    }
    sponsorships.sort_by(|a, b| a.0.cmp(&b.0));
    let got_sponsorships = parse_csv(got.csv("kepengasuhan"));
    assert_eq!(got_sponsorships[0][0], l("report-col-sponsorship"));
    let want: Vec<Vec<String>> = sponsorships.into_iter().map(|(_, row)| row).collect();
    assert_eq!(
        got_sponsorships[1..].to_vec(),
        want,
        "the sponsorships, in order"
    );

    // --- per office ---
    let mut table: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let tally = |filter: &dyn Fn(&Expected) -> bool, sponsors: usize, children: usize| {
        let mine: Vec<&Expected> = expected.iter().filter(|e| filter(e)).collect();
        let count = |t: &str| mine.iter().filter(|e| e.timeliness == t).count() as u64;
        vec![
            sponsors as u64,
            children as u64,
            mine.iter().filter(|e| !e.timeliness.is_empty()).count() as u64,
            count("on_time"),
            count("late"),
            count("overdue"),
            count("missed"),
        ]
    };
    let community = l("report-community");
    let mut offices: BTreeSet<String> = people.keys().cloned().collect();
    offices.extend(expected.iter().map(|e| e.office.clone()));
    for office in &offices {
        let (s, c) = people
            .get(office)
            .map_or((0, 0), |(s, c)| (s.len(), c.len()));
        table.insert(
            office.clone(),
            tally(&|e: &Expected| &e.office == office, s, c),
        );
    }
    table.entry(community.clone()).or_insert_with(|| vec![0; 7]);
    let total = tally(&|_| true, everyone.0.len(), everyone.1.len());
    let got_offices = parse_csv(got.csv("ringkasan-opd"));
    assert_eq!(got_offices[0][0], l("report-col-office"));
    let n = got_offices.len();
    assert_eq!(
        got_offices[n - 2][0],
        community,
        "the community row comes before the total"
    );
    assert_eq!(got_offices[n - 1][0], l("report-total"));
    let mut seen = BTreeMap::new();
    for row in &got_offices[1..n - 1] {
        let numbers: Vec<u64> = row[1..8]
            .iter()
            .map(|v| v.parse().expect("a count"))
            .collect();
        // On time of the deliveries whose standing is decided (one due today is not late yet).
        let decided: u64 = numbers[3..7].iter().sum();
        let pct = if decided == 0 {
            String::new()
        } else {
            format!("{:.1}", numbers[3] as f64 * 100.0 / decided as f64)
        };
        assert_eq!(row[8], pct, "{row:?}");
        seen.insert(row[0].clone(), numbers);
    }
    assert_eq!(seen, table, "the per-office table");
    let numbers: Vec<u64> = got_offices[n - 1][1..8]
        .iter()
        .map(|v| v.parse().expect("a count"))
        .collect();
    assert_eq!(numbers, total, "the total row");
    // Largest first: by children, then sponsors, then deliveries due.
    let order: Vec<(u64, u64, u64)> = got_offices[1..n - 2]
        .iter()
        .map(|r| {
            (
                r[2].parse().expect("n"),
                r[1].parse().expect("n"),
                r[3].parse().expect("n"),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted);

    // --- the message: one line per office with sponsors, children, due, on time and overdue ---
    let lines: Vec<&str> = got.summary.lines().collect();
    for (office, n) in table.iter().chain([(&l("report-total"), &total)]) {
        let short: String = if office.chars().count() > 18 {
            office.chars().take(17).collect::<String>() + "…"
        } else {
            office.clone()
        };
        let want = format!("{short} {} {} {} {} {}", n[0], n[1], n[2], n[3], n[5]);
        assert!(
            lines
                .iter()
                .any(|line| line.split_whitespace().collect::<Vec<_>>().join(" ") == want),
            "no line {want:?} in\n{}",
            got.summary
        );
    }

    // --- the workbook holds the same as the CSV files ---
    for (name, prefix, pct) in [
        ("Ringkasan OPD", "ringkasan-opd", Some(8)),
        ("Kepengasuhan", "kepengasuhan", None),
        ("Pengiriman", "pengiriman", None),
    ] {
        let csv = parse_csv(got.csv(prefix));
        assert_eq!(
            sheet(&got.xlsx.1, name, csv[0].len(), pct),
            csv,
            "sheet {name}"
        );
    }
    db.close().await;
    seen.insert(l("report-total"), total);
    seen
}

struct World {
    app: TestApp,
    due: NaiveDate,
}

/// Ani (Dinas Kesehatan) sponsors Muhammad (Mandonga) and Siti (Kadia), Budi (DPPKB) Nayla (Mandonga),
/// Citra (community) Rizky (Kendari Barat). The first deliveries: Muhammad's confirmed on time by the
/// volunteer with an album of two photos, Siti's by Ani two days late; then the clock moves 15 days on, so Nayla's and Rizky's first
/// ones are missed and every second and third one overdue.
async fn world() -> World {
    let support::programme::Programme {
        app,
        ani,
        kader,
        due,
    } = programme(&ENV).await;
    ask(&app, &app.admin(), "/opd_tambah DPPKB", "DPPKB").await;
    sponsor_child(&app, &ani, "Siti Nur'aini").await;
    let budi = sponsor_of(&app, BUDI, "Budi", "DPPKB").await;
    let citra = sponsor_of(&app, CITRA, "Citra", "Masyarakat umum").await;
    pair(&app, &budi, "Nayla Khairunnisa").await;
    pair(&app, &citra, "Rizky Ramadhan").await;
    for child in ["Siti Nur'aini", "Nayla Khairunnisa", "Rizky Ramadhan"] {
        let first = first_delivery(&app, child).await;
        let day = app
            .db
            .text(&format!("SELECT due_on FROM deliveries WHERE id = {first}"))
            .await
            .expect("a date");
        assert_eq!(
            date(&day),
            due,
            "{child}'s first delivery is the same Monday"
        );
    }
    confirm(&app, &kader, "Muhammad", &[3, 1]).await;
    confirm(&app, &ani, "Siti", &[2]).await;
    app.wait_for("SELECT COUNT(*) FROM evidence WHERE state = 'stored'", 3)
        .await;
    // Siti's package was confirmed two days after its day.
    let siti = first_delivery(&app, "Siti Nur'aini").await;
    app.db
        .exec(&format!(
            "UPDATE deliveries SET confirmed_at = due_at + 172800000 WHERE id = {siti}"
        ))
        .await;
    app.db
        .exec(&format!(
            "UPDATE confirmations SET created_at = (SELECT due_at FROM deliveries WHERE id = {siti}) + 172800000
             WHERE delivery_id = {siti}"
        ))
        .await;
    app.tick(&wita(due + Days::new(15), "08:00")).await;
    for (child, status) in [
        ("Muhammad Fathan", "confirmed"),
        ("Siti Nur'aini", "confirmed"),
        ("Nayla Khairunnisa", "missed"),
        ("Rizky Ramadhan", "missed"),
    ] {
        let first = first_delivery(&app, child).await;
        assert_eq!(
            app.db
                .text(&format!("SELECT status FROM deliveries WHERE id = {first}"))
                .await
                .as_deref(),
            Some(status),
            "{child}"
        );
    }
    let _ = (ANI, KADER);
    World { app, due }
}

#[tokio::test]
async fn reports_match_the_database_for_the_programme_a_kecamatan_and_the_command_line() {
    let World { app, due } = world().await;
    let admin = app.admin();
    let period = format!("{}..{}", due, due + Days::new(14));

    // The whole programme, for a typed period.
    let queued = ask(
        &app,
        &admin,
        &format!("/laporan {period}"),
        "sedang disiapkan",
    )
    .await;
    assert!(
        queued.plain_text().contains("seluruh program"),
        "{}",
        queued.plain_text()
    );
    let got = receive(&app, ADMIN_ID).await;
    assert_eq!(got.period(), (due, due + Days::new(14)));
    assert_eq!(
        got.xlsx.0,
        format!("laporan-semua-{}_{}.xlsx", due, due + Days::new(14))
    );
    let table = check(&app, &got, None).await;
    // The keroyokan view: [sponsors, children, due, on time, late, overdue, missed].
    assert_eq!(
        table["Dinas Kesehatan"],
        vec![1, 2, 6, 1, 1, 4, 0],
        "{table:?}"
    );
    assert_eq!(table["DPPKB"], vec![1, 1, 3, 0, 0, 2, 1], "{table:?}");
    assert_eq!(
        table["Masyarakat umum"],
        vec![1, 1, 3, 0, 0, 2, 1],
        "{table:?}"
    );
    assert_eq!(table["Total"], vec![3, 4, 12, 1, 1, 8, 2], "{table:?}");
    // The confirmations: who, when, the photo's hash.
    let deliveries = parse_csv(got.csv("pengiriman"));
    let muhammad = deliveries
        .iter()
        .find(|r| r[5] == "Muhammad Fathan" && r[1] == due.to_string())
        .expect("Muhammad's first delivery");
    assert_eq!(muhammad[3], "tepat waktu");
    assert_eq!(
        (muhammad[13].as_str(), muhammad[14].as_str()),
        ("Wa Ode", "relawan")
    );
    assert_eq!(muhammad[16], "2", "an album of two");
    assert_eq!(
        muhammad[17],
        format!(
            "{};{}",
            sha256_hex(&images::jpeg(3)),
            sha256_hex(&images::jpeg(1))
        )
    );
    let siti = deliveries
        .iter()
        .find(|r| r[5] == "Siti Nur'aini" && r[1] == due.to_string())
        .expect("Siti's first delivery");
    assert_eq!(siti[3], "dikonfirmasi terlambat");
    assert_eq!(siti[13], "Ani Saputra");
    assert!(
        siti[12].starts_with(&(due + Days::new(2)).to_string()),
        "{siti:?}"
    );
    assert_eq!(siti[17], sha256_hex(&images::jpeg(2)));
    assert!(std::path::Path::new(&siti[18]).is_file(), "{siti:?}");

    // A coordinator of Mandonga sees Mandonga only.
    let out = app.cli(&["admin", "grant", &CAMAT.to_string(), "--scope", "74.71.01"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let camat = TestUser::new(CAMAT, "Camat", Some("id"));
    let queued = ask(
        &app,
        &camat,
        &format!("/laporan {period}"),
        "sedang disiapkan",
    )
    .await;
    assert!(
        queued.plain_text().contains("Mandonga (74.71.01)"),
        "{}",
        queued.plain_text()
    );
    let mandonga = receive(&app, CAMAT).await;
    assert!(
        mandonga.xlsx.0.starts_with("laporan-74.71.01-"),
        "{}",
        mandonga.xlsx.0
    );
    let table = check(&app, &mandonga, Some("74.71.01")).await;
    assert_eq!(
        table["Dinas Kesehatan"],
        vec![1, 1, 3, 1, 0, 2, 0],
        "{table:?}"
    );
    assert_eq!(table["DPPKB"], vec![1, 1, 3, 0, 0, 2, 1], "{table:?}");
    assert_eq!(table["Total"], vec![2, 2, 6, 1, 0, 4, 1], "{table:?}");
    let names: BTreeSet<String> = parse_csv(mandonga.csv("pengiriman"))[1..]
        .iter()
        .map(|r| r[5].clone())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["Muhammad Fathan".to_owned(), "Nayla Khairunnisa".to_owned()])
    );

    // `asuh report` on the server writes the same files.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = app.cli(&[
        "report",
        "--from",
        &due.to_string(),
        "--to",
        &(due + Days::new(14)).to_string(),
        "--out",
        &dir.path().display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Dinas Kesehatan"), "{stdout}");
    let paths: Vec<&str> = stdout
        .lines()
        .filter(|l| l.ends_with(".csv") || l.ends_with(".xlsx"))
        .collect();
    assert_eq!(paths.len(), 5, "{stdout}");
    for (prefix, (name, bytes)) in &got.csv {
        let path = dir.path().join(name);
        assert!(
            paths.contains(&path.display().to_string().as_str()),
            "{stdout}"
        );
        assert_eq!(&std::fs::read(&path).expect("the CSV"), bytes, "{prefix}");
    }
    let book = std::fs::read(dir.path().join(&got.xlsx.0)).expect("the workbook");
    for name in ["Ringkasan OPD", "Kepengasuhan", "Pengiriman"] {
        assert_eq!(
            sheet(&book, name, 19, Some(8)),
            sheet(&got.xlsx.1, name, 19, Some(8))
        );
    }
    let scoped = app.cli(&[
        "report",
        "--period",
        &period,
        "--region",
        "74.71.01",
        "--lang",
        "en",
        "--out",
        &dir.path().display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&scoped.stdout).into_owned();
    assert!(scoped.status.success(), "{stdout}");
    let deliveries = dir.path().join(format!(
        "deliveries-74.71.01-{}_{}.csv",
        due,
        due + Days::new(14)
    ));
    let rows = parse_csv(&std::fs::read(&deliveries).expect("the English CSV"));
    assert_eq!(rows[0][0], "Delivery ID");
    assert_eq!(rows.len(), 7, "Mandonga's six deliveries");
    app.assert_spec_clean();
}

#[tokio::test]
async fn refusals_and_a_preset_button() {
    let mut app = TestApp::new().await;
    app.start().await;
    app.setup_programme().await;
    let out = app.cli(&["admin", "grant", &CAMAT.to_string(), "--scope", "74.71.01"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let camat = TestUser::new(CAMAT, "Camat", Some("id"));
    for (args, needle) in [
        ("2026-13", "Periode tidak dapat dibaca"),
        ("oktober", "Contoh: /laporan 2026-10"),
        ("2026-10-31..2026-10-01", "harus sebelum"),
        (
            "2026-01-01..2027-06-30",
            "paling lama 366 hari; yang diminta 546 hari",
        ),
        ("2026-10 74.7", "bukan kode wilayah"),
        (
            "2026-10 74.71.08",
            "di luar wilayah tugas Anda (Mandonga (74.71.01))",
        ),
        ("2026-10 74.71", "di luar wilayah tugas Anda"),
        ("2026-10 74.71.01.9999", "belum terdaftar"),
    ] {
        let reply = app.say(&camat, &format!("/laporan {args}")).await;
        assert!(
            reply.plain_text().contains(needle),
            "{args}: {}",
            reply.plain_text()
        );
    }
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM report_jobs").await, 0);

    // The buttons: four presets for the coordinator's own area; a forged one for another is refused.
    let menu = app.say(&camat, "/laporan").await;
    assert!(
        menu.plain_text()
            .contains("Laporan Mandonga (74.71.01): pilih periode"),
        "{}",
        menu.plain_text()
    );
    let labels: Vec<String> = menu.buttons().into_iter().map(|(text, _)| text).collect();
    assert_eq!(labels.len(), 4, "{labels:?}");
    for (label, start) in labels.iter().zip([
        "Bulan ini (",
        "Bulan lalu (",
        "3 bulan terakhir (",
        "Tahun ini (",
    ]) {
        assert!(label.starts_with(start), "{labels:?}");
    }
    let answer = app.press_for_answer(&camat, &menu, "rp:tm:74.71.08").await;
    assert!(answer.contains("di luar wilayah tugas Anda"), "{answer}");
    let refused = app.tg.next_message(CAMAT).await;
    assert!(
        refused.plain_text().contains("Wilayah 74.71.08 di luar"),
        "{}",
        refused.plain_text()
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM report_jobs").await, 0);

    let menu = app.say(&camat, "/laporan").await;
    let shown = app.press(&camat, &menu, "Tahun ini").await;
    assert_eq!(shown.method, "editMessageText");
    assert!(
        shown.plain_text().contains("sedang disiapkan"),
        "{}",
        shown.plain_text()
    );
    let got = receive(&app, CAMAT).await;
    let (from, to) = got.period();
    assert_eq!(
        (
            from.format("%m-%d").to_string(),
            to.format("%m-%d").to_string()
        ),
        ("01-01".into(), "12-31".into())
    );
    check(&app, &got, Some("74.71.01")).await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM report_jobs WHERE status = 'done' AND region_code = '74.71.01'")
            .await,
        1
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'report.request'")
            .await,
        1
    );
    // Someone who is not a coordinator cannot press one.
    let stranger = TestUser::new(700_999, "Orang", Some("id"));
    let greeting = app.say(&stranger, "/start").await;
    let answer = app.press_for_answer(&stranger, &greeting, "rp:tm:-").await;
    assert!(!answer.is_empty(), "refused with a notice");
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM report_jobs").await, 1);
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_report_that_cannot_be_kept_is_tried_again_and_then_the_coordinator_is_told() {
    let mut app = TestApp::new().await;
    // The media store cannot be written: its directory would have to be inside a file.
    let blocked = app.media_dir().with_file_name("not-a-directory");
    std::fs::write(&blocked, b"").expect("a file");
    app.set_env(
        "ASUH_MEDIA_DIR",
        &blocked.join("media").display().to_string(),
    );
    app.start().await;
    let admin = app.admin();
    app.say(&admin, "/start").await;
    ask(&app, &admin, "/laporan 2026-10", "sedang disiapkan").await;
    // The first try fails and is put back for later, with the reason.
    app.wait_for("SELECT COUNT(*) FROM report_jobs WHERE status = 'running' AND attempts = 1 AND error LIKE '%media%'",
        1,
    )
    .await;
    // Its later tries are due now, and they fail too; after the fourth the coordinator is told.
    app.db
        .exec("UPDATE report_jobs SET attempts = 3, lease_until = 0")
        .await;
    let told = expect(&app, ADMIN_ID, "gagal disiapkan").await;
    assert!(
        told.plain_text().contains("01-10-2026 – 31-10-2026"),
        "{}",
        told.plain_text()
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM report_jobs WHERE status = 'failed' AND attempts = 4")
            .await,
        1
    );
    assert!(
        app.tg.calls("sendDocument").is_empty(),
        "nothing half-made was sent"
    );
}
