//! Benchmark of a district's first day, through the real binary:
//!
//! 1. `asuh regions add 74` (a province from the built-in official list) and `asuh regions add all` (the whole
//!    country), each into a fresh database, timed as a person at the terminal waits for them;
//! 2. a 10,000-row e-PPGBM export of Konawe Selatan as XLSX (the 37-column layout with a title row above the
//!    header, one line in twenty defective, ZS TB/U filled in), imported by `asuh import children FILE` —
//!    check and apply — twice (the second time every row is unchanged): rows per second;
//! 3. the same file sent to the running bot by a coordinator while another person writes `/start` once a
//!    second: how long that person waits for each answer during the import, and the bot's peak memory;
//! 4. the binary's size and the running bot's idle memory (the region list is compressed in the binary and
//!    only unpacked while a region is being set up).
//!
//! Run: `cargo bench --bench import` (SQLite), or with `ASUH_TEST_DATABASE_URL=postgres://…` for PostgreSQL.
//! `ASUH_BENCH_ROWS` changes the number of rows (default 10000).

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};
use support::{ADMIN_ID, EPPGBM, TestApp, TestUser, env_or, status_kib};

const FIRST: [&str; 20] = [
    "Andi", "Siti", "Muhammad", "Nur", "Aisyah", "Rizky", "Putri", "Fajar", "Dewi", "Ahmad",
    "Wa Ode", "La Ode", "Sitti", "Nabila", "Rahmat", "Indah", "Arif", "Zahra", "Bima", "Citra",
];

/// A distinct letters-only suffix, so that names (and so identities) do not repeat.
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break s;
        }
    }
}

/// The e-PPGBM export: `rows` children spread over the villages (`(kecamatan, desa)` names as set up),
/// every twentieth line with a village no list has.
fn eppgbm_xlsx(rows: usize, villages: &[(String, String)]) -> Vec<u8> {
    use asuh::domain::child::Sex;
    use asuh::domain::growth::{self, Position};
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let measured_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 10).expect("date");
    sheet
        .write_string(0, 0, "Data Balita Pengukuran Bulan November 2026")
        .expect("title");
    for (c, h) in EPPGBM.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).expect("header");
    }
    let col = |name: &str| EPPGBM.iter().position(|h| *h == name).expect("column") as u16;
    for i in 0..rows {
        let row = i as u32 + 3;
        let (kecamatan, desa) = &villages[i % villages.len()];
        let born = measured_on - chrono::Days::new(200 + (i as u64 * 37) % 1500);
        let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
        let age_days = (measured_on - born).num_days() as u32;
        let height = 60.0 + (age_days as f64 / 1700.0) * 40.0 - (i % 7) as f64;
        let weight = 5.0 + (age_days as f64 / 1700.0) * 9.0;
        let position = if age_days < 731 {
            Position::Lying
        } else {
            Position::Standing
        };
        let haz = growth::haz(sex, age_days, height, position).ok();
        let cells: [(&str, String); 16] = [
            ("NIK", format!("74050{:011}", 10_000_000 + i)),
            (
                "Nama",
                format!("{} {}", FIRST[i % FIRST.len()], letters(i).to_uppercase()),
            ),
            ("JK", if i % 2 == 0 { "L" } else { "P" }.to_owned()),
            ("Tgl Lahir", born.format("%d/%m/%Y").to_string()),
            ("BB Lahir", "3.1".to_owned()),
            (
                "Nama Ortu",
                format!("Ibu {}", letters(i + 7).to_uppercase()),
            ),
            ("Prov", "SULAWESI TENGGARA".to_owned()),
            ("Kab/Kota", "KONAWE SELATAN".to_owned()),
            ("Kec", kecamatan.to_uppercase()),
            (
                "Pukesmas",
                format!("PUSKESMAS {}", kecamatan.to_uppercase()),
            ),
            (
                "Desa/Kel",
                if i % 20 == 19 {
                    "KAMPUNG ATLANTIS".to_owned()
                } else {
                    format!("DESA {}", desa.to_uppercase())
                },
            ),
            (
                "Tanggal Pengukuran",
                measured_on.format("%d/%m/%Y").to_string(),
            ),
            ("Berat", format!("{weight:.1}")),
            ("Tinggi", format!("{height:.1}")),
            (
                "Cara Ukur",
                if position == Position::Lying {
                    "Terlentang"
                } else {
                    "Berdiri"
                }
                .to_owned(),
            ),
            (
                "ZS TB/U",
                haz.map(|z| format!("{z:.2}")).unwrap_or_default(),
            ),
        ];
        for (name, value) in cells {
            match value.parse::<f64>() {
                Ok(x) if ["Berat", "Tinggi", "ZS TB/U", "BB Lahir"].contains(&name) => {
                    sheet.write_number(row, col(name), x)
                }
                _ => sheet.write_string(row, col(name), &value),
            }
            .expect("cell");
        }
        sheet
            .write_string(row, col("Posyandu"), format!("Posyandu Melati {}", i % 9))
            .expect("cell");
        sheet
            .write_string(row, col("Alamat"), format!("Jl. Poros No. {}", i % 150))
            .expect("cell");
    }
    book.save_to_buffer().expect("xlsx")
}

/// Runs `asuh ARGS` and returns its stdout and how long it took; exits on failure.
fn timed(app: &TestApp, args: &[&str]) -> (String, Duration) {
    let started = Instant::now();
    let out = app.cli(args);
    let took = started.elapsed();
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "asuh {args:?}: {printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (printed, took)
}

#[tokio::main]
async fn main() {
    let rows = env_or("ASUH_BENCH_ROWS", 10_000) as usize;
    let binary = std::fs::metadata(env!("CARGO_BIN_EXE_asuh"))
        .map(|m| m.len())
        .unwrap_or(0);

    // 1. Regions from the built-in list.
    let province = TestApp::new().await;
    let backend = if province.db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "backend: {backend}; binary: {:.1} MiB",
        binary as f64 / 1048576.0
    );
    timed(&province, &["migrate"]);
    let (printed, took) = timed(&province, &["regions", "add", "74"]);
    println!(
        "asuh regions add 74: {:.2} s ({})",
        took.as_secs_f64(),
        printed.trim()
    );
    drop(province);
    let country = TestApp::new().await;
    timed(&country, &["migrate"]);
    let (printed, took) = timed(&country, &["regions", "add", "all"]);
    let regions = country.db.scalar("SELECT COUNT(*) FROM regions").await;
    println!(
        "asuh regions add all: {:.2} s, {regions} regions ({} provinces)",
        took.as_secs_f64(),
        printed.lines().count()
    );
    drop(country);

    // 2. The e-PPGBM file on the command line.
    let mut app = TestApp::new().await;
    app.set_env("RUST_LOG", "warn");
    timed(&app, &["migrate"]);
    timed(&app, &["regions", "add", "74.05"]);
    let villages: Vec<(String, String)> = app
        .db
        .rows(
            "SELECT k.name, v.name FROM regions v JOIN regions k ON k.code = v.parent_code
             WHERE v.level = 'village' AND v.code LIKE '74.05.%' ORDER BY v.code",
        )
        .await
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let file = eppgbm_xlsx(rows, &villages);
    let path = std::env::temp_dir().join(format!("asuh-bench-eppgbm-{}.xlsx", std::process::id()));
    std::fs::write(&path, &file).expect("write the file");
    let path_text = path.display().to_string();
    println!("e-PPGBM XLSX: {rows} rows, {} KiB", file.len() / 1024);
    for round in ["into an empty registry", "again (every row unchanged)"] {
        let (printed, took) = timed(&app, &["import", "children", &path_text]);
        let summary = printed.lines().next().unwrap_or_default().to_owned();
        println!(
            "asuh import children {round}: {:.2} s = {:.0} rows/s — {summary}",
            took.as_secs_f64(),
            rows as f64 / took.as_secs_f64()
        );
    }
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(path.with_file_name(format!(
        "asuh-bench-eppgbm-{}-rejected.csv",
        std::process::id()
    )));
    let imported = app.db.scalar("SELECT COUNT(*) FROM children").await;
    println!("children in the database: {imported}");
    drop(app);

    // 3. The same file sent in the chat while someone else writes to the bot.
    let mut app = TestApp::new().await;
    app.set_env("RUST_LOG", "warn");
    timed(&app, &["migrate"]);
    timed(&app, &["regions", "add", "74.05"]);
    app.start().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let pid = app.pid();
    let idle_kib = status_kib(pid, "VmRSS:");
    let admin = app.admin();
    app.say(&admin, "/start").await;
    let someone = TestUser::new(880_001, "Warga", Some("id"));
    app.say(&someone, "/start").await;
    app.tg.add_file("eppgbm", "u-eppgbm", file.clone());
    let started = Instant::now();
    app.tg.send_document_with_caption(
        &admin,
        "eppgbm",
        "eppgbm-konsel.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        None,
    );
    let mut waits: Vec<Duration> = Vec::new();
    let finished = loop {
        let asked = Instant::now();
        app.tg.send_text(&someone, "/start");
        let answered = app
            .tg
            .next_message_within(someone.id, Duration::from_secs(60))
            .await;
        assert!(
            answered.is_some(),
            "no answer within 60 s during the import"
        );
        waits.push(asked.elapsed());
        let report = app
            .tg
            .messages_to(ADMIN_ID)
            .into_iter()
            .any(|m| m.method == "editMessageText" && m.plain_text().contains("selesai"));
        if report {
            break started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(1200), "no report");
        tokio::time::sleep(Duration::from_secs(1).saturating_sub(asked.elapsed())).await;
    };
    let peak_kib = app.peak_memory_kib();
    app.terminate().await;
    println!(
        "answers to /start during the import, in order: {:?} ms",
        waits.iter().map(|w| w.as_millis()).collect::<Vec<_>>()
    );
    waits.sort();
    let p = |q: f64| waits[((waits.len() - 1) as f64 * q).round() as usize];
    println!(
        "in the chat: {rows} rows imported and reported in {:.1} s ({:.0} rows/s); meanwhile {} answers to /start: median {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        finished.as_secs_f64(),
        rows as f64 / finished.as_secs_f64(),
        waits.len(),
        p(0.5).as_secs_f64() * 1000.0,
        p(0.95).as_secs_f64() * 1000.0,
        p(1.0).as_secs_f64() * 1000.0,
    );
    println!(
        "bot memory: idle {:.1} MiB (VmRSS 3 s after start), peak during the import {:.1} MiB",
        idle_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0
    );
}
