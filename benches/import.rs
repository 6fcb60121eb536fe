//! Benchmark for the children's import: builds a 10,000-row list as CSV and as XLSX in memory (every tenth
//! row with a problem, a third with a measurement, real dates and numeric NIKs in the XLSX) and measures how
//! many rows per second `parse` reads and validates, best of three runs each.
//!
//! Then it imports the CSV for real — checks, lookups and writes in one transaction through
//! `services::imports`, as a file sent to the bot is — into a fresh SQLite file (or the PostgreSQL server named by
//! `ASUH_TEST_DATABASE_URL`), once into an empty registry and once more (every row unchanged).
//!
//! Run: `cargo bench --bench import`. `ASUH_BENCH_ROWS` changes the number of rows.

use asuh::domain::region::RegionCode;
use asuh::import::FileKind;
use asuh::import::children::*;
use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use std::hint::black_box;
use std::time::{Duration, Instant};

const KECAMATAN: [(&str, &str, &str); 4] = [
    ("74.71.01", "Mandonga", "Korumba"),
    ("74.71.03", "Baruga", "Lepo Lepo"),
    ("74.71.05", "Kendari Barat", "Tipulu"),
    ("74.71.08", "Kadia", "Bende"),
];

const HEADER: [&str; 15] = [
    "No",
    "NIK",
    "Nama Anak",
    "JK",
    "Tanggal Lahir",
    "Nama Orang Tua",
    "No HP",
    "Alamat",
    "Kecamatan",
    "Kelurahan/Desa",
    "Posyandu",
    "Tinggi (cm)",
    "Berat (kg)",
    "Tanggal Ukur",
    "Keterangan",
];

/// Finds the few regions above by name; villages by `kecamatan code + .1001`.
struct Kendari;

impl RegionLookup for Kendari {
    fn kecamatan(&self, text: &str) -> Option<RegionCode> {
        KECAMATAN
            .iter()
            .find(|(_, name, _)| name.eq_ignore_ascii_case(text))
            .and_then(|(code, ..)| RegionCode::parse(code).ok())
    }

    fn village(&self, kecamatan: &RegionCode, text: &str) -> Option<RegionCode> {
        KECAMATAN
            .iter()
            .find(|(code, _, village)| {
                *code == kecamatan.as_str() && village.eq_ignore_ascii_case(text)
            })
            .and_then(|(code, ..)| RegionCode::parse(&format!("{code}.1001")).ok())
    }
}

/// One generated row, in the form each writer needs.
struct Child {
    nik: Option<u64>,
    name: String,
    sex: &'static str,
    born: NaiveDate,
    guardian: String,
    phone: String,
    kecamatan: usize,
    measurement: Option<(f64, f64, NaiveDate)>,
}

fn children(rows: usize) -> Vec<Child> {
    let first = [
        "Siti", "Muhammad", "Nur", "Aqila", "Rizky", "Naura", "Fadil", "Keyla",
    ];
    let last = [
        "Aisyah", "Fathan", "Ramadhan", "Zahra", "Akbar", "Putri", "Saputra", "Amelia",
    ];
    let base = NaiveDate::from_ymd_opt(2022, 6, 1).unwrap_or_default();
    (0..rows)
        .map(|i| {
            let born = base + chrono::Days::new(200 + (i as u64 * 37) % 1200);
            Child {
                nik: (i % 3 != 0).then_some(7_471_010_000_000_000 + i as u64),
                // Every tenth row has a one-letter name, which the import refuses.
                name: if i % 10 == 9 {
                    "X".to_owned()
                } else {
                    format!("{} {} {}", first[i % 8], last[(i / 8) % 8], to_letters(i))
                },
                sex: if i % 2 == 0 { "L" } else { "P" },
                born,
                guardian: format!("Ibu {}", to_letters(i)),
                phone: format!("0812{:08}", i),
                kecamatan: i % KECAMATAN.len(),
                measurement: (i % 3 == 1).then(|| {
                    (
                        70.0 + (i % 30) as f64 + 0.5,
                        8.0 + (i % 10) as f64 / 2.0,
                        NaiveDate::from_ymd_opt(2026, 8, 12).unwrap_or_default(),
                    )
                }),
            }
        })
        .collect()
}

/// A distinct letters-only suffix, so that names (and so identities) do not repeat.
fn to_letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break s;
        }
    }
}

fn csv(children: &[Child]) -> Vec<u8> {
    let mut out = HEADER.join(";");
    out.push('\n');
    for (i, c) in children.iter().enumerate() {
        let (kec, village) = (KECAMATAN[c.kecamatan].1, KECAMATAN[c.kecamatan].2);
        let (height, weight, measured) = c.measurement.map_or_else(
            || (String::new(), String::new(), String::new()),
            |(h, w, d)| {
                (
                    h.to_string().replace('.', ","),
                    w.to_string().replace('.', ","),
                    d.format("%d/%m/%Y").to_string(),
                )
            },
        );
        out.push_str(&format!(
            "{};{};{};{};{};{};{};Jl. Sao-Sao No. {};{};{};Posyandu Mawar;{};{};{};\n",
            i + 1,
            c.nik.map(|n| n.to_string()).unwrap_or_default(),
            c.name,
            c.sex,
            c.born.format("%d/%m/%Y"),
            c.guardian,
            c.phone,
            i % 200,
            kec,
            village,
            height,
            weight,
            measured,
        ));
    }
    out.into_bytes()
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn xlsx(children: &[Child]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (col, text) in (0u16..).zip(HEADER) {
        sheet.write_string(0, col, text)?;
    }
    for (row, c) in (1u32..).zip(children) {
        sheet.write_number(row, 0, f64::from(row))?;
        if let Some(nik) = c.nik {
            sheet.write_number(row, 1, nik as f64)?;
        }
        sheet.write_string(row, 2, &c.name)?;
        sheet.write_string(row, 3, c.sex)?;
        sheet.write_datetime_with_format(row, 4, &excel_date(c.born)?, &date)?;
        sheet.write_string(row, 5, &c.guardian)?;
        sheet.write_string(row, 6, &c.phone)?;
        sheet.write_string(row, 7, format!("Jl. Sao-Sao No. {}", row % 200))?;
        sheet.write_string(row, 8, KECAMATAN[c.kecamatan].1)?;
        sheet.write_string(row, 9, KECAMATAN[c.kecamatan].2)?;
        sheet.write_string(row, 10, "Posyandu Mawar")?;
        if let Some((h, w, d)) = c.measurement {
            sheet.write_number(row, 11, h)?;
            sheet.write_number(row, 12, w)?;
            sheet.write_datetime_with_format(row, 13, &excel_date(d)?, &date)?;
        }
    }
    book.save_to_buffer()
}

/// The best of three runs of a full parse, and what it found.
fn measure(
    kind: FileKind,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<(Duration, Parsed), FileProblem> {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let parsed = parse(kind, black_box(bytes), today, &Kendari)?;
        best = best.min(started.elapsed());
        last = Some(parsed);
    }
    last.map(|p| (best, p)).ok_or(FileProblem::Empty)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: usize = std::env::var("ASUH_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).ok_or("date")?;
    let list = children(rows);
    let files = [(FileKind::Csv, csv(&list)), (FileKind::Xlsx, xlsx(&list)?)];
    println!("children import, {rows} rows, best of 3");
    for (kind, bytes) in &files {
        let (elapsed, parsed) = measure(*kind, bytes, today)?;
        let per_second = rows as f64 / elapsed.as_secs_f64();
        println!(
            "{:<5} {:>8} KiB  {:>8.1} ms  {:>10.0} rows/s  ({} records, {} errors)",
            format!("{kind:?}"),
            bytes.len() / 1024,
            elapsed.as_secs_f64() * 1000.0,
            per_second,
            parsed.records.len(),
            parsed.errors.len(),
        );
        if parsed.rows != rows || parsed.errors.len() != rows / 10 {
            return Err(format!("{kind:?}: unexpected outcome {:?}", parsed.errors.first()).into());
        }
    }
    tokio::runtime::Runtime::new()?.block_on(apply(&files[0].1, rows))
}

/// The whole import of the CSV into a database, twice.
async fn apply(csv: &[u8], rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    use asuh::domain::Lang;
    use asuh::domain::policy::Actor;
    use asuh::services::imports;
    use chrono::TimeZone;
    let dir = tempfile::tempdir()?;
    let url = match std::env::var("ASUH_TEST_DATABASE_URL") {
        Ok(pg) if pg.starts_with("postgres") => {
            let admin = asuh::store::Db::connect(&pg).await?;
            let name = format!("asuh_bench_{}", std::process::id());
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(admin.pool())
                .await?;
            let mut url = url::Url::parse(&pg)?;
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
        _ => format!("sqlite://{}", dir.path().join("bench.db").display()),
    };
    let db = asuh::store::Db::connect(&url).await?;
    db.migrate().await?;
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 3, 0, 0)
        .single()
        .ok_or("time")?;
    let regions = include_bytes!("../samples/regions-kendari.csv");
    imports::import_regions(
        &db,
        regions,
        "regions.csv",
        &Actor::operator(),
        Lang::En,
        now,
    )
    .await?;
    for round in ["into an empty registry", "again (all unchanged)"] {
        let started = Instant::now();
        let report =
            imports::import_children(&db, csv, "children.csv", &Actor::operator(), Lang::En, now)
                .await?;
        let elapsed = started.elapsed();
        println!(
            "full import {round} ({}): {rows} rows in {:.0} ms = {:.0} rows/s (added {}, unchanged {}, rejected {})",
            if url.starts_with("postgres") {
                "PostgreSQL"
            } else {
                "SQLite"
            },
            elapsed.as_secs_f64() * 1000.0,
            rows as f64 / elapsed.as_secs_f64(),
            report.added,
            report.unchanged,
            report.errors.len(),
        );
    }
    db.close().await;
    if let Ok(pg) = std::env::var("ASUH_TEST_DATABASE_URL")
        && pg.starts_with("postgres")
    {
        let admin = asuh::store::Db::connect(&pg).await?;
        let name = format!("asuh_bench_{}", std::process::id());
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(admin.pool())
        .await?;
    }
    Ok(())
}
