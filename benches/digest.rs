//! Benchmark of the coordinator digest and the report on a province-sized database (issue 6): by default
//! 100,000 children and 5,000,000 deliveries in Sulawesi Tenggara (17 regencies × 13 kecamatan × 10 villages,
//! 40 offices, 60,000 sponsors), seeded with set-based SQL. It times one kecamatan's daily digest (and, for
//! context, a regency's and the province's, and the regency's weekly summary with its chart), then the
//! province's report for one month and for three months (building, then writing the CSV and XLSX files),
//! and checks the plans of the digest's and the report's queries: a full scan of `deliveries`,
//! `children`, `confirmations`, `evidence`, `sponsorships` or `measurements` is flagged, and one of
//! `deliveries` by a digest query makes the bench exit non-zero.
//!
//! Run: `cargo bench --bench digest` (SQLite), or with
//! `ASUH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test` for PostgreSQL. Sizes:
//! `ASUH_BENCH_CHILDREN` (default 100000), `ASUH_BENCH_DELIVERIES` (default 5000000), `ASUH_BENCH_SPONSORS`
//! (default 60 % of the children) and `ASUH_BENCH_CONFIRMATION_DAYS` (how far back confirmed deliveries have
//! a confirmation with photos, default 120: both reports' periods).
//!
//! "Now" is fixed at 2026-11-24 08:00 WITA; every date is relative to it. Each sponsored child has one
//! weekly delivery (on the weekday of its cadence), the latest four weeks ahead, going back as many weeks as
//! the number of deliveries asks for.
//!
//! `benches/dashboard.rs` seeds the same province through [`seed`].

#[path = "../tests/support/mod.rs"]
pub(crate) mod support;

use asuh::domain::digest::UNMEASURED_AFTER_DAYS;
use asuh::domain::report::{Period, Report};
use asuh::domain::role::Scope;
use asuh::domain::{Lang, RegionCode};
use asuh::media::MediaStore;
use asuh::report_files::{self, Table};
use asuh::services::{digest, reports};
use asuh::store::{Area, Db};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use support::{TestDb, env_or, status_kib};

const ZONE: Tz = chrono_tz::Asia::Makassar;
const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
const KEC_PER_REGENCY: i64 = 13;
const VILLAGES_PER_KEC: i64 = 10;
const OFFICES: i64 = 40;
const SPONSOR_BASE: i64 = 3_000_000;
const VOLUNTEER_BASE: i64 = 4_000_000;
const COORDINATOR: i64 = 500_001;
/// Weeks of deliveries ahead of today's week (the planner's horizon).
const WEEKS_AHEAD: i64 = 4;
/// Digest runs timed after one warm-up; report runs.
const DIGEST_RUNS: usize = 20;
const REPORT_RUNS: usize = 3;
/// Tables a query must never read whole.
const BIG_TABLES: [&str; 6] = [
    "deliveries",
    "children",
    "confirmations",
    "evidence",
    "sponsorships",
    "measurements",
];

/// The regencies and cities of Sulawesi Tenggara, numbered 74.01..74.17 here.
const REGENCIES: [&str; 17] = [
    "Buton",
    "Muna",
    "Konawe",
    "Kolaka",
    "Konawe Selatan",
    "Bombana",
    "Wakatobi",
    "Kolaka Utara",
    "Buton Utara",
    "Konawe Utara",
    "Kolaka Timur",
    "Konawe Kepulauan",
    "Muna Barat",
    "Buton Tengah",
    "Buton Selatan",
    "Kota Kendari",
    "Kota Baubau",
];

const OFFICE_NAMES: [&str; 8] = [
    "Dinas Kesehatan",
    "DPPKB",
    "Bappeda",
    "Dinas Pendidikan",
    "Dinas Sosial",
    "BKPSDM",
    "Dinas Pertanian",
    "Inspektorat",
];

fn kecamatan_count() -> i64 {
    REGENCIES.len() as i64 * KEC_PER_REGENCY
}

fn peak_mib() -> f64 {
    status_kib(std::process::id(), "VmHWM:") as f64 / 1024.0
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe extern "C" {
    fn malloc_trim(pad: usize) -> i32;
}

/// Starts measuring the peak memory afresh from what the process holds now (after giving freed memory back
/// to the system, so that an earlier report's pages do not count).
fn reset_peak() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it is safe to call at any time.
    unsafe {
        malloc_trim(0);
    }
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn local_ms(date: NaiveDate, h: u32, m: u32) -> i64 {
    let t = date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
    ZONE.from_local_datetime(&t)
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn size_label(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.2} GiB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MiB", mib(bytes))
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// min / median / p95 / max of some timings.
struct Stats {
    min: Duration,
    median: Duration,
    p95: Duration,
    max: Duration,
}

impl Stats {
    fn of(times: &[Duration]) -> Stats {
        let mut t = times.to_vec();
        t.sort();
        let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
        Stats {
            min: t[0],
            median: at(0.5),
            p95: at(0.95),
            max: t[t.len() - 1],
        }
    }

    fn line(&self) -> String {
        format!(
            "min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            ms(self.min),
            ms(self.median),
            ms(self.p95),
            ms(self.max)
        )
    }
}

/// ASUH_BENCH_KEEP_DB: a file to copy the SQLite database to, or (PostgreSQL) the name of a database to
/// copy it into on the same server, for looking at plans afterwards or timing again without seeding.
pub(crate) async fn keep(test_db: &TestDb, pg: bool, keep: &str) {
    if pg {
        let server = std::env::var("ASUH_TEST_DATABASE_URL").expect("server");
        let name = test_db
            .url
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let admin = Db::connect(&server).await.expect("server");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE {keep} TEMPLATE {name}"
        )))
        .execute(admin.pool())
        .await
        .expect("keep the database");
        admin.close().await;
    } else {
        let path = test_db.url.trim_start_matches("sqlite://");
        std::fs::copy(path, keep).expect("keep the database");
    }
    println!("database kept in {keep}");
}

fn median(times: &[Duration]) -> Duration {
    Stats::of(times).median
}

/// The seeded calendar: "now", and the days deliveries fall on (day 0 is the Monday of the oldest week).
pub(crate) struct Calendar {
    pub(crate) now: DateTime<Utc>,
    today: NaiveDate,
    day0: NaiveDate,
    weeks: i64,
    /// Today's day number.
    n_today: i64,
}

impl Calendar {
    pub(crate) fn new(weeks: i64) -> Calendar {
        let now = ZONE
            .with_ymd_and_hms(2026, 11, 24, 8, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let today = now.with_timezone(&ZONE).date_naive();
        let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
        let latest = monday + Days::new(7 * WEEKS_AHEAD as u64);
        let day0 = latest - Days::new(7 * (weeks as u64 - 1));
        Calendar {
            now,
            today,
            day0,
            weeks,
            n_today: (today - day0).num_days(),
        }
    }

    fn now_ms(&self) -> i64 {
        self.now.timestamp_millis()
    }

    fn day(&self, n: i64) -> NaiveDate {
        self.day0 + Days::new(n as u64)
    }
}

/// Runs the seeding statements on one connection of its own, SQLite or PostgreSQL.
struct Seeder<'a> {
    conn: &'a mut AnyConnection,
    pg: bool,
}

impl Seeder<'_> {
    async fn exec(&mut self, what: &str, sql: &str) -> u64 {
        let started = Instant::now();
        let done = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut *self.conn)
            .await
            .unwrap_or_else(|e| panic!("seeding {what}: {e}\n{sql}"));
        let rows = done.rows_affected();
        if started.elapsed() > Duration::from_secs(1) {
            println!(
                "  seed: {what}: {} rows in {:.1} s",
                thousands(rows),
                started.elapsed().as_secs_f64()
            );
        }
        rows
    }

    async fn scalar(&mut self, sql: &str) -> i64 {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut *self.conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .try_get::<i64, _>(0)
            .expect(sql)
    }

    /// The `WITH` clause and the `FROM` item giving `seq(i)` = 0..n-1.
    fn seq(&self, n: i64) -> (String, String) {
        if self.pg {
            (
                String::new(),
                format!("generate_series(0::bigint, {}::bigint) AS seq(i)", n - 1),
            )
        } else {
            (
                format!(
                    "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {})",
                    n - 1
                ),
                "seq".to_owned(),
            )
        }
    }

    /// 64 hex digits made from the integer expression `x`, as a SHA-256 would look.
    fn sha(&self, x: &str) -> String {
        const M: [u64; 8] = [
            2654435761, 2246822519, 3266489917, 668265263, 374761393, 2870177450, 1181783497,
            3144134277,
        ];
        M.iter()
            .enumerate()
            .map(|(k, m)| {
                let e = format!("((({x}) * {m} + {k}) % 4294967296)");
                if self.pg {
                    format!("lpad(to_hex({e}), 8, '0')")
                } else {
                    format!("printf('%08x', {e})")
                }
            })
            .collect::<Vec<_>>()
            .join(" || ")
    }

    /// Drops the indexes of `table` that are not constraints; returns the statements that make them again.
    async fn drop_indexes(&mut self, table: &str) -> Vec<String> {
        let list = if self.pg {
            format!(
                "SELECT indexname::text, indexdef::text FROM pg_indexes WHERE schemaname = 'public'
                 AND tablename = '{table}'
                 AND indexname NOT IN (SELECT conname::text FROM pg_constraint)"
            )
        } else {
            format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'
                 AND sql IS NOT NULL"
            )
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(list))
            .fetch_all(&mut *self.conn)
            .await
            .expect("list indexes");
        let mut again = Vec::new();
        for r in rows {
            let name: String = r.try_get(0).expect("index name");
            let sql: String = r.try_get(1).expect("index sql");
            self.exec("drop index", &format!("DROP INDEX {name}")).await;
            again.push(sql);
        }
        again
    }
}

pub(crate) struct Sizes {
    pub(crate) children: i64,
    pub(crate) deliveries: i64,
    pub(crate) sponsors: i64,
    pub(crate) confirmation_days: i64,
}

/// What the seeding made.
pub(crate) struct Seeded {
    pub(crate) cal: Calendar,
    pub(crate) sponsorships: i64,
    pub(crate) counts: Vec<(&'static str, i64)>,
}

pub(crate) async fn seed(db: &Db, pg: bool, sizes: &Sizes) -> Seeded {
    let mut conn = db.conn().await.expect("connection");
    let mut s = Seeder {
        conn: &mut conn,
        pg,
    };
    if pg {
        for set in [
            "SET session_replication_role = replica",
            "SET synchronous_commit = off",
            "SET maintenance_work_mem = '1GB'",
            "SET work_mem = '256MB'",
        ] {
            s.exec("session", set).await;
        }
    } else {
        for pragma in [
            "PRAGMA foreign_keys = OFF",
            "PRAGMA synchronous = OFF",
            "PRAGMA cache_size = -1048576",
        ] {
            s.exec("pragma", pragma).await;
        }
    }
    let k_count = kecamatan_count();
    let sponsors = sizes.sponsors.max(1);
    // The calendar needs the number of sponsorships, which the children's statuses decide.
    let matched = (0..sizes.children)
        .filter(|i| (i * 7919) % 100 < 70)
        .count() as i64;
    let weeks = ((sizes.deliveries + matched - 1) / matched.max(1)).max(WEEKS_AHEAD + 2);
    let cal = Calendar::new(weeks);
    let now = cal.now_ms();
    let created = local_ms(cal.day0 - Days::new(30), 9, 0);

    // Regions, lookup tables, offices, packages, cadences.
    let mut regions = vec![format!(
        "('74', NULL, 'province', 'Sulawesi Tenggara', 'Asia/Makassar', {created})"
    )];
    let mut kec = Vec::new();
    for (r, name) in REGENCIES.iter().enumerate() {
        let regency = format!("74.{:02}", r + 1);
        regions.push(format!(
            "('{regency}', '74', 'regency', '{name}', 'Asia/Makassar', {created})"
        ));
        for d in 1..=KEC_PER_REGENCY {
            let code = format!("{regency}.{d:02}");
            regions.push(format!(
                "('{code}', '{regency}', 'district', 'Kecamatan {name} {d:02}', NULL, {created})"
            ));
            kec.push(format!("({}, '{code}')", kec.len()));
            for v in 0..VILLAGES_PER_KEC {
                regions.push(format!(
                    "('{code}.{:04}', '{code}', 'village', 'Desa {d:02}-{v:02} {name}', NULL, {created})",
                    2001 + v
                ));
            }
        }
    }
    for chunk in regions.chunks(400) {
        s.exec(
            "regions",
            &format!(
                "INSERT INTO regions (code, parent_code, level, name, timezone, created_at) VALUES {}",
                chunk.join(", ")
            ),
        )
        .await;
    }
    s.exec(
        "bench_kec",
        "CREATE TABLE bench_kec (k INTEGER PRIMARY KEY, code TEXT NOT NULL)",
    )
    .await;
    s.exec(
        "bench_kec",
        &format!("INSERT INTO bench_kec (k, code) VALUES {}", kec.join(", ")),
    )
    .await;
    s.exec(
        "bench_days",
        "CREATE TABLE bench_days (n INTEGER PRIMARY KEY, due_on TEXT NOT NULL, due_at BIGINT NOT NULL)",
    )
    .await;
    let days: Vec<String> = (0..7 * weeks)
        .map(|n| {
            let d = cal.day(n);
            format!("({n}, '{d}', {})", local_ms(d, 0, 0))
        })
        .collect();
    for chunk in days.chunks(500) {
        s.exec(
            "bench_days",
            &format!(
                "INSERT INTO bench_days (n, due_on, due_at) VALUES {}",
                chunk.join(", ")
            ),
        )
        .await;
    }
    let offices: Vec<String> = (1..=OFFICES)
        .map(|i| {
            let base = OFFICE_NAMES[(i as usize - 1) % OFFICE_NAMES.len()];
            let regency = REGENCIES[(i as usize - 1) % REGENCIES.len()];
            let name = format!("{base} {regency}");
            format!("({i}, '{name}', '{}', {created})", name.to_lowercase())
        })
        .collect();
    s.exec(
        "offices",
        &format!(
            "INSERT INTO offices (id, name, name_key, created_at) VALUES {}",
            offices.join(", ")
        ),
    )
    .await;
    // The benchmark seeds its own plan by id: the migrations' default one goes first.
    for table in ["plan_defaults", "packages", "cadences"] {
        s.exec("defaults", &format!("DELETE FROM {table}")).await;
    }
    s.exec(
        "package",
        &format!(
            "INSERT INTO packages (id, name, items, created_at) VALUES
             (1, 'Paket gizi', '[{{\"name\":\"beras\",\"quantity\":\"5\",\"unit\":\"kg\"}},{{\"name\":\"telur\",\"quantity\":\"10\",\"unit\":\"butir\"}}]', {created})"
        ),
    )
    .await;
    s.exec(
        "cadences",
        &format!(
            "INSERT INTO cadences (id, name, spec, created_at) VALUES
             (1, 'Senin', 'weekly:mon', {created}), (2, 'Selasa', 'weekly:tue', {created}),
             (3, 'Rabu', 'weekly:wed', {created}), (4, 'Kamis', 'weekly:thu', {created}),
             (5, 'Jumat', 'weekly:fri', {created}), (6, 'Sabtu', 'weekly:sat', {created}),
             (7, 'Minggu', 'weekly:sun', {created})"
        ),
    )
    .await;
    s.exec(
        "coordinator",
        &format!(
            "INSERT INTO users (id, first_name, language, created_at, updated_at)
             VALUES ({COORDINATOR}, 'Kepala DPPKB', 'id', {created}, {created})"
        ),
    )
    .await;
    s.exec(
        "coordinator",
        &format!(
            "INSERT INTO coordinators (user_id, scope_code, granted_at) VALUES ({COORDINATOR}, '74', {created})"
        ),
    )
    .await;

    // People: sponsors (1 % unreachable, 80 % with an office), one volunteer per kecamatan.
    let (with, from) = s.seq(sponsors);
    s.exec(
        "users (sponsors)",
        &format!(
            "INSERT INTO users (id, first_name, language, unreachable_at, created_at, updated_at)
             {with} SELECT {SPONSOR_BASE} + i, 'Sponsor', CASE WHEN i % 20 = 0 THEN 'en' ELSE 'id' END,
                 CASE WHEN i % 100 = 37 THEN {now} - (1 + i % 60) * {DAY_MS} ELSE NULL END, {created}, {created}
             FROM {from}"
        ),
    )
    .await;
    s.exec(
        "sponsors",
        &format!(
            "INSERT INTO sponsors (user_id, full_name, phone, office_id, kecamatan_code, capacity, status,
                 submitted_at, decided_by, decided_at)
             {with} SELECT {SPONSOR_BASE} + i, 'Bapak/Ibu Sponsor ' || i, '0812' || (10000000 + i),
                 CASE WHEN i % 5 = 0 THEN NULL ELSE 1 + (i * 7 + i / 5) % {OFFICES} END, k.code, 1 + i % 5, 'approved',
                 {created}, {COORDINATOR}, {created}
             FROM {from} CROSS JOIN bench_kec k WHERE k.k = i % {k_count}"
        ),
    )
    .await;
    s.exec(
        "users (volunteers)",
        &format!(
            "INSERT INTO users (id, first_name, language, created_at, updated_at)
             SELECT {VOLUNTEER_BASE} + k, 'Relawan ' || code, 'id', {created}, {created} FROM bench_kec"
        ),
    )
    .await;
    s.exec(
        "volunteers",
        &format!(
            "INSERT INTO volunteers (user_id, region_code, status, joined_at)
             SELECT {VOLUNTEER_BASE} + k, code, 'active', {created} FROM bench_kec"
        ),
    )
    .await;

    // Children: 70 % matched, 25 % waiting, 5 % graduated; 90 % measured.
    let (with, from) = s.seq(sizes.children);
    s.exec(
        "children",
        &format!(
            "INSERT INTO children (id, full_name, sex, birth_date, guardian_name, kecamatan_code, village_code,
                 posyandu, identity_key, fingerprint, status, close_reason, haz_milli, waiting_since,
                 created_at, updated_at)
             {with} SELECT 1 + i, 'Anak ' || ((i * 7919) % 1000003), CASE WHEN i % 2 = 0 THEN 'f' ELSE 'm' END,
                 '2024-0' || (1 + i % 9) || '-15', 'Ibu ' || i, k.code,
                 k.code || '.' || (2001 + (i / {k_count}) % {VILLAGES_PER_KEC}), 'Posyandu ' || (1 + i % 7),
                 'bench-' || i, 'bench-' || i,
                 CASE WHEN (i * 7919) % 100 < 70 THEN 'matched' WHEN (i * 7919) % 100 < 95 THEN 'unmatched'
                      ELSE 'graduated' END,
                 CASE WHEN (i * 7919) % 100 >= 95 THEN 'graduated' ELSE NULL END,
                 CASE WHEN i % 10 = 9 THEN NULL ELSE -(1000 + (i * 37) % 2600) END,
                 {now} - (1 + (i * 13) % 400) * {DAY_MS}, {created}, {created}
             FROM {from} CROSS JOIN bench_kec k WHERE k.k = i % {k_count}"
        ),
    )
    .await;

    // Measurements of the measured children: 1 to 6 each, 30 days apart, the newest 1 to 200 days ago, each
    // recorded the evening of its day (so the newest of one child in 50 was recorded since yesterday's
    // digest); z-scores around the child's, up and down, so that some fall and some leave stunting.
    s.exec(
        "bench_mdays",
        "CREATE TABLE bench_mdays (n INTEGER PRIMARY KEY, measured_on TEXT NOT NULL, created_at BIGINT NOT NULL)",
    )
    .await;
    let mdays: Vec<String> = (1..=400)
        .map(|n| {
            let d = cal.today - Days::new(n as u64);
            format!("({n}, '{d}', {})", local_ms(d, 18, 0))
        })
        .collect();
    s.exec(
        "bench_mdays",
        &format!(
            "INSERT INTO bench_mdays (n, measured_on, created_at) VALUES {}",
            mdays.join(", ")
        ),
    )
    .await;
    let (with, from) = s.seq(6);
    s.exec(
        "measurements",
        &format!(
            "INSERT INTO measurements (child_id, measured_on, length_mm, position, weight_g, haz_milli, source,
                 recorded_by, created_at)
             {with} SELECT c.id, md.measured_on, 800 + seq.i * 10, 'standing', NULL,
                 c.haz_milli + (c.id * 7 + seq.i * 131) % 401 - 200, 'import', NULL, md.created_at
             FROM children c CROSS JOIN {from} CROSS JOIN bench_mdays md
             WHERE c.haz_milli IS NOT NULL AND seq.i < 1 + c.id % 6
               AND md.n = CASE WHEN c.id % 50 = 3 THEN 1 ELSE 2 + (c.id * 13) % 199 END + 30 * seq.i
             ORDER BY c.id, md.measured_on"
        ),
    )
    .await;
    s.exec("drop bench_mdays", "DROP TABLE bench_mdays").await;

    // Sponsorships: an active one per matched child (started a week before its first delivery), an ended
    // one per graduated child (before any report period).
    let started = local_ms(cal.day0 - Days::new(7), 10, 0);
    let last_day = cal.day(7 * weeks - 1);
    let active = s
        .exec(
            "sponsorships (active)",
            &format!(
                "INSERT INTO sponsorships (id, child_id, sponsor_id, status, origin, proposed_at, decided_at,
                     started_at, months, monthly_amount, package_id, cadence_id, deliverer, planned_until)
                 SELECT m.rn, m.id, {SPONSOR_BASE} + ((m.rn - 1) * 7919) % {sponsors}, 'active', 'match',
                     {started} - {DAY_MS} * 2, {started} - {DAY_MS}, {started}, 12, 500000, 1, 1 + (m.rn - 1) % 7,
                     CASE WHEN (m.rn - 1) % 3 = 0 THEN 'volunteer' ELSE 'sponsor' END, '{last_day}'
                 FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM children WHERE status = 'matched') m"
            ),
        )
        .await as i64;
    assert_eq!(active, matched, "matched children");
    let old_start = now - 420 * DAY_MS;
    let old_end = now - 240 * DAY_MS;
    s.exec(
        "sponsorships (ended)",
        &format!(
            "INSERT INTO sponsorships (id, child_id, sponsor_id, status, origin, proposed_at, decided_at,
                 started_at, ended_at, end_reason, months, monthly_amount, package_id, cadence_id, deliverer)
             SELECT {active} + m.rn, m.id, {SPONSOR_BASE} + ((m.rn - 1) * 104729) % {sponsors}, 'ended', 'match',
                 {old_start} - {DAY_MS}, {old_start}, {old_start}, {old_end}, 'graduated', 6, 500000, 1,
                 1 + (m.rn - 1) % 7, 'sponsor'
             FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM children WHERE status = 'graduated') m"
        ),
    )
    .await;

    // Deliveries, week by week as the planner writes them: delivery i is sponsorship 1 + i % S's, `i / S`
    // weeks before the latest. Past ones mostly confirmed (on the day, or a few days late), some missed or
    // skipped; the last 14 days partly overdue; today's due (a fifth confirmed this morning); later ones
    // scheduled.
    let mut again = Vec::new();
    for table in [
        "deliveries",
        "confirmations",
        "evidence",
        "evidence_flags",
        "cases",
    ] {
        again.extend(s.drop_indexes(table).await);
    }
    let nt = cal.n_today;
    let cap = now - 10 * MINUTE_MS;
    let status = format!(
        "CASE WHEN bd.n > {nt} THEN 'scheduled'
              WHEN bd.n = {nt} THEN CASE WHEN (seq.i * 7919) % 100 < 20 THEN 'confirmed' ELSE 'due' END
              WHEN bd.n >= {nt} - 14 THEN
                  CASE WHEN (seq.i * 7919) % 100 < 58 + 2 * ({nt} - bd.n) THEN 'confirmed' ELSE 'overdue' END
              WHEN (seq.i * 7919) % 100 < 86 THEN 'confirmed'
              WHEN (seq.i * 7919) % 100 < 97 THEN 'missed'
              ELSE 'skipped' END"
    );
    let raw = format!(
        "(CASE WHEN x.n = {nt} THEN x.due_at + 6 * {HOUR_MS} + x.h2 * {MINUTE_MS}
               WHEN x.h2 < 75 THEN x.due_at + (9 + x.h2 % 10) * {HOUR_MS}
               WHEN x.h2 < 92 THEN x.due_at + (1 + x.h2 % 3) * {DAY_MS} + 10 * {HOUR_MS}
               ELSE x.due_at + (4 + x.h2 % 3) * {DAY_MS} + 10 * {HOUR_MS} END)"
    );
    let confirmed_at = format!(
        "CASE WHEN x.st = 'confirmed' THEN
             CASE WHEN {raw} > {cap} THEN {cap} - x.h2 * {MINUTE_MS} ELSE {raw} END END"
    );
    let (with, from) = s.seq(sizes.deliveries);
    let last_week = 7 * (weeks - 1);
    // Written by the planner 60 days ahead (a constant: PostgreSQL multiplies literals as 32-bit integers).
    let planned_ahead = 60 * DAY_MS;
    let k = k_count;
    s.exec(
        "deliveries",
        &format!(
            "INSERT INTO deliveries (id, sponsorship_id, child_id, sponsor_id, slot, due_on, due_at, package_id,
                 deliverer, status, reason, confirmed_at, confirmed_by, created_at, updated_at)
             {with} SELECT x.i + 1, x.sid, x.child_id, x.sponsor_id, x.due_on, x.due_on, x.due_at, 1, x.deliverer,
                 x.st, CASE WHEN x.st = 'skipped' THEN 'libur' END, {confirmed_at},
                 CASE WHEN x.st = 'confirmed' THEN
                     CASE WHEN x.deliverer = 'volunteer' THEN {VOLUNTEER_BASE} + (x.child_id - 1) % {k}
                          ELSE x.sponsor_id END END,
                 x.due_at - {planned_ahead},
                 CASE WHEN x.st = 'confirmed' THEN {confirmed_at} ELSE x.due_at - {planned_ahead} END
             FROM (SELECT seq.i AS i, sp.id AS sid, sp.child_id AS child_id, sp.sponsor_id AS sponsor_id,
                       sp.deliverer AS deliverer, bd.due_on AS due_on, bd.due_at AS due_at, bd.n AS n,
                       ((seq.i * 2654435761) / 1000) % 100 AS h2, {status} AS st
                   FROM {from} CROSS JOIN sponsorships sp CROSS JOIN bench_days bd
                   WHERE sp.id = 1 + seq.i % {active}
                     AND bd.n = {last_week} - 7 * (seq.i / {active}) + (seq.i % {active}) % 7) x"
        ),
    )
    .await;

    // Confirmations of the recent confirmed deliveries (1 in 40 partial), with their photos (1 in 4 has
    // two); volunteers' "not received" reports on 1 in 20 overdue ones; cases for both; flags on 1 in 61
    // photos.
    let conf_from = local_ms(cal.today - Days::new(sizes.confirmation_days as u64), 0, 0);
    s.exec(
        "confirmations (received)",
        &format!(
            "INSERT INTO confirmations (delivery_id, child_id, by_user, by_role, outcome, missing, lat_e6, lon_e6,
                 photos, created_at)
             SELECT d.id, d.child_id, d.confirmed_by, d.deliverer,
                 CASE WHEN d.id % 40 = 0 THEN 'partial' ELSE 'full' END,
                 CASE WHEN d.id % 40 = 0 THEN 'telur' END, -3970000 + d.id % 1000, 122510000 + d.id % 1000,
                 CASE WHEN d.id % 4 = 0 THEN 2 ELSE 1 END, d.confirmed_at
             FROM deliveries d WHERE d.status = 'confirmed' AND d.due_at >= {conf_from}
             ORDER BY d.confirmed_at, d.id"
        ),
    )
    .await;
    s.exec(
        "confirmations (not received)",
        &format!(
            "INSERT INTO confirmations (delivery_id, child_id, by_user, by_role, outcome, problem, detail, photos,
                 created_at)
             SELECT d.id, d.child_id, {VOLUNTEER_BASE} + (d.child_id - 1) % {k}, 'volunteer', 'not_received',
                 CASE d.id % 5 WHEN 0 THEN 'nobody_home' WHEN 1 THEN 'family_moved' WHEN 2 THEN 'child_in_hospital'
                      WHEN 3 THEN 'refused' ELSE 'other' END,
                 CASE WHEN d.id % 5 = 4 THEN 'paket tertahan di kantor desa' END, 0,
                 d.due_at + 12 * {HOUR_MS} + (d.id % 60) * {MINUTE_MS}
             FROM deliveries d WHERE d.status = 'overdue' AND d.id % 20 = 0
             ORDER BY d.due_at, d.id"
        ),
    )
    .await;
    let open_after = now - 10 * DAY_MS;
    s.exec(
        "cases",
        &format!(
            "INSERT INTO cases (delivery_id, child_id, confirmation_id, kind, status, opened_by, opened_at,
                 resolved_by, resolved_at, resolution)
             SELECT x.delivery_id, x.child_id, x.id, x.outcome, x.st, x.by_user, x.created_at,
                 CASE WHEN x.st = 'resolved' THEN {COORDINATOR} END,
                 CASE WHEN x.st = 'resolved' THEN x.created_at + 2 * {DAY_MS} END,
                 CASE WHEN x.st = 'resolved' THEN 'telur diganti' END
             FROM (SELECT cf.*, CASE WHEN cf.outcome = 'not_received' OR cf.created_at >= {open_after}
                                     THEN 'open' ELSE 'resolved' END AS st
                   FROM confirmations cf WHERE cf.outcome IN ('partial', 'not_received')) x
             ORDER BY x.created_at, x.id"
        ),
    )
    .await;
    let photo = |second: bool| {
        let (x, filter) = if second {
            ("cf.id + 100000000", "AND cf.photos = 2")
        } else {
            ("cf.id", "")
        };
        format!(
            "SELECT x.cid, x.delivery_id, x.by_user, x.created_at - {MINUTE_MS}, 'AgACAgUAAxkBAAI' || x.fid,
                 'AQAD' || x.fid, 0, x.lat_e6, x.lon_e6, 'stored', x.h, 150000 + x.fid % 90000, 'jpeg',
                 substr(x.h, 1, 2) || '/' || substr(x.h, 3, 2) || '/' || x.h || '.jpg', 1, x.created_at, x.created_at
             FROM (SELECT cf.id AS cid, {x} AS fid, cf.delivery_id, cf.by_user, cf.created_at, cf.lat_e6, cf.lon_e6,
                       {} AS h
                   FROM confirmations cf WHERE cf.outcome <> 'not_received' {filter}) x",
            s.sha(x)
        )
    };
    let (first, second) = (photo(false), photo(true));
    s.exec(
        "evidence",
        &format!(
            "INSERT INTO evidence (confirmation_id, delivery_id, sent_by, received_at, file_id, file_unique_id,
                 as_document, lat_e6, lon_e6, state, sha256, size, kind, storage_key, attempts, created_at,
                 updated_at)
             SELECT * FROM ({first} UNION ALL {second}) p ORDER BY 1"
        ),
    )
    .await;
    s.exec(
        "evidence_flags",
        &format!(
            "INSERT INTO evidence_flags (evidence_id, delivery_id, kind, other_delivery, km, days, created_at)
             SELECT e.id, e.delivery_id,
                 CASE e.id % 4 WHEN 0 THEN 'reused_photo' WHEN 1 THEN 'far_from_family'
                      WHEN 2 THEN 'taken_long_before' ELSE 'taken_far_from_family' END,
                 CASE WHEN e.id % 4 = 0 THEN e.delivery_id - 1 END,
                 CASE WHEN e.id % 2 = 1 THEN 3 + e.id % 40 END,
                 CASE WHEN e.id % 4 = 2 THEN 3 + e.id % 30 END,
                 e.received_at + 2 * {MINUTE_MS}
             FROM evidence e WHERE e.id % 61 = 0"
        ),
    )
    .await;
    let indexing = Instant::now();
    for sql in &again {
        s.exec("index", sql).await;
    }
    println!(
        "  seed: {} indexes made again in {:.1} s",
        again.len(),
        indexing.elapsed().as_secs_f64()
    );
    s.exec("drop bench_kec", "DROP TABLE bench_kec").await;
    s.exec("drop bench_days", "DROP TABLE bench_days").await;
    if pg {
        for table in [
            "children",
            "sponsorships",
            "deliveries",
            "offices",
            "packages",
            "cadences",
            "confirmations",
            "evidence",
            "evidence_flags",
            "cases",
        ] {
            s.scalar(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            ))
            .await;
        }
        s.exec("session", "RESET session_replication_role").await;
    } else {
        s.exec("checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)")
            .await;
    }
    let mut counts = Vec::new();
    for (label, sql) in [
        ("regions", "SELECT COUNT(*) FROM regions"),
        ("children", "SELECT COUNT(*) FROM children"),
        ("measurements", "SELECT COUNT(*) FROM measurements"),
        ("sponsors", "SELECT COUNT(*) FROM sponsors"),
        ("sponsorships", "SELECT COUNT(*) FROM sponsorships"),
        ("deliveries", "SELECT COUNT(*) FROM deliveries"),
        ("confirmations", "SELECT COUNT(*) FROM confirmations"),
        ("evidence", "SELECT COUNT(*) FROM evidence"),
        ("evidence_flags", "SELECT COUNT(*) FROM evidence_flags"),
        (
            "open cases",
            "SELECT COUNT(*) FROM cases WHERE status = 'open'",
        ),
    ] {
        counts.push((label, s.scalar(sql).await));
    }
    drop(conn);
    Seeded {
        cal,
        sponsorships: active,
        counts,
    }
}

/// ANALYZE (PostgreSQL: VACUUM ANALYZE, as autovacuum would have by then).
pub(crate) async fn analyze(db: &Db, pg: bool) -> Duration {
    let started = Instant::now();
    let mut conn = db.conn().await.expect("connection");
    let sql = if pg { "VACUUM ANALYZE" } else { "ANALYZE" };
    sqlx::query(sql).execute(&mut *conn).await.expect(sql);
    started.elapsed()
}

async fn database_bytes(db: &Db, pg: bool, url: &str) -> u64 {
    if pg {
        let mut conn = db.conn().await.expect("connection");
        let n: i64 = sqlx::query("SELECT pg_database_size(current_database())")
            .fetch_one(&mut *conn)
            .await
            .expect("size")
            .try_get(0)
            .expect("size");
        n as u64
    } else {
        let path = url.trim_start_matches("sqlite://");
        ["", "-wal"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(format!("{path}{suffix}")).ok())
            .map(|m| m.len())
            .sum()
    }
}

// --- the digest ---------------------------------------------------------------------------------------------

fn scope(code: &str) -> Scope {
    Scope::Region(RegionCode::parse(code).expect("region code"))
}

fn settings() -> digest::Settings {
    digest::Settings {
        default_zone: ZONE,
        ..digest::Settings::default()
    }
}

struct DigestResult {
    stats: Stats,
    build: Duration,
    render: Duration,
    lines: String,
    digest: digest::Digest,
}

async fn time_digest(db: &Db, code: &str, now: DateTime<Utc>, runs: usize) -> DigestResult {
    let scope = scope(code);
    let settings = settings();
    let since = now - chrono::Duration::hours(24);
    let mut totals = Vec::new();
    let mut builds = Vec::new();
    let mut renders = Vec::new();
    let mut last = None;
    for run in 0..=runs {
        let started = Instant::now();
        let mut conn = db.conn().await.expect("connection");
        let tz = digest::zone(&mut conn, &scope, settings.default_zone)
            .await
            .expect("zone");
        let d = digest::build(
            &mut conn,
            &scope,
            Lang::Id,
            since,
            now,
            &settings,
            settings.lines,
        )
        .await
        .expect("digest");
        drop(conn);
        let built = started.elapsed();
        let messages = digest::render(Lang::Id, &d, tz, &settings);
        let total = started.elapsed();
        if run > 0 {
            totals.push(total);
            builds.push(built);
            renders.push(total - built);
        }
        last = Some((d, messages));
    }
    let (d, messages) = last.expect("a run");
    let chars: usize = messages.iter().map(|(t, _)| t.chars().count()).sum();
    let lines = format!(
        "due {}, overdue {}, confirmed {}, flags {}, cases {} ({} new), waiting {}, haz worse {}, \
         left stunting {}, unmeasured {}, unreachable {}, coverage {}/{} children, {}/{} on time; \
         {} message(s), {} chars",
        d.due.len(),
        d.overdue.len(),
        d.confirmed.len(),
        d.flags.len(),
        d.cases.len(),
        d.new_cases,
        d.waiting_total,
        d.haz_worse.len(),
        d.left_stunting.len(),
        d.unmeasured_total,
        d.unreachable.len(),
        d.coverage.sponsored,
        d.coverage.registered,
        d.on_time.on_time,
        d.on_time.decided(),
        messages.len(),
        chars
    );
    DigestResult {
        stats: Stats::of(&totals),
        build: median(&builds),
        render: median(&renders),
        lines,
        digest: d,
    }
}

struct WeeklyResult {
    build: Stats,
    chart: Stats,
    png_bytes: usize,
    caption: String,
}

async fn time_weekly(db: &Db, code: &str, now: DateTime<Utc>, runs: usize) -> WeeklyResult {
    let scope = scope(code);
    let settings = settings();
    let mut builds = Vec::new();
    let mut charts = Vec::new();
    let mut png_bytes = 0;
    let mut caption = String::new();
    for run in 0..=runs {
        let started = Instant::now();
        let mut conn = db.conn().await.expect("connection");
        let w = digest::build_weekly(&mut conn, &scope, Lang::Id, now, &settings)
            .await
            .expect("weekly");
        drop(conn);
        let built = started.elapsed();
        let png = digest::weekly_chart(Lang::Id, &w).expect("chart");
        let charted = started.elapsed() - built;
        if run > 0 {
            builds.push(built);
            charts.push(charted);
        }
        png_bytes = png.len();
        let last = w.weeks.last().map(|(_, t)| *t).unwrap_or_default();
        caption = format!(
            "{} kecamatan, last week on time {} / late {} / missed {}",
            w.kecamatan.len(),
            last.on_time,
            last.late,
            last.missed
        );
    }
    WeeklyResult {
        build: Stats::of(&builds),
        chart: Stats::of(&charts),
        png_bytes,
        caption,
    }
}

// --- the report ---------------------------------------------------------------------------------------------

struct ReportResult {
    label: String,
    build: Duration,
    csv: Duration,
    xlsx: Duration,
    deliveries: usize,
    sponsorships: usize,
    offices: usize,
    photos: usize,
    /// Each file's name and size.
    files: Vec<(String, u64)>,
    /// The highest peak memory (MiB) while building, writing the CSVs, writing the XLSX.
    peaks: (f64, f64, f64),
}

async fn time_report(
    db: &Db,
    code: &str,
    period: Period,
    now: DateTime<Utc>,
    label: &str,
    out: &std::path::Path,
    media: &MediaStore,
) -> ReportResult {
    let scope = scope(code);
    let mut runs = Vec::new();
    let mut peaks = (0.0f64, 0.0f64, 0.0f64);
    let mut kept: Option<(Report, Vec<(String, u64)>)> = None;
    for _ in 0..REPORT_RUNS {
        // The previous run's report goes first, as it would between two jobs.
        drop(kept.take());
        reset_peak();
        let started = Instant::now();
        let report = reports::build(db, &scope, period, ZONE, now, chrono::Duration::days(14))
            .await
            .expect("report");
        let build = started.elapsed();
        let build_peak = peak_mib();
        reset_peak();
        let started = Instant::now();
        let mut files = Vec::new();
        for table in Table::ALL {
            let bytes = report_files::csv(&report, table, Lang::Id, Some(media)).expect("csv");
            let name =
                report_files::file_name(&report, report_files::FileKind::Csv(table), Lang::Id);
            std::fs::write(out.join(&name), &bytes).expect("write csv");
            files.push((name, bytes.len() as u64));
        }
        let csv = started.elapsed();
        let csv_peak = peak_mib();
        reset_peak();
        let started = Instant::now();
        let bytes = report_files::xlsx(&report, Lang::Id, Some(media)).expect("xlsx");
        let name = report_files::file_name(&report, report_files::FileKind::Xlsx, Lang::Id);
        std::fs::write(out.join(&name), &bytes).expect("write xlsx");
        files.push((name, bytes.len() as u64));
        drop(bytes);
        let xlsx = started.elapsed();
        let xlsx_peak = peak_mib();
        println!(
            "  report {code} {label}: build {:.2} s, csv {:.2} s, xlsx {:.2} s; peak memory: build {build_peak:.0} MiB, \
             csv {csv_peak:.0} MiB, xlsx {xlsx_peak:.0} MiB",
            build.as_secs_f64(),
            csv.as_secs_f64(),
            xlsx.as_secs_f64(),
        );
        peaks = (
            peaks.0.max(build_peak),
            peaks.1.max(csv_peak),
            peaks.2.max(xlsx_peak),
        );
        runs.push((build, csv, xlsx));
        kept = Some((report, files));
    }
    let (report, files) = kept.expect("a run");
    let photos = report
        .deliveries
        .iter()
        .filter_map(|d| d.confirmation.as_ref())
        .map(|c| c.photos.len())
        .sum();
    let pick = |f: fn(&(Duration, Duration, Duration)) -> Duration| {
        median(&runs.iter().map(f).collect::<Vec<_>>())
    };
    ReportResult {
        label: label.to_owned(),
        build: pick(|r| r.0),
        csv: pick(|r| r.1),
        xlsx: pick(|r| r.2),
        deliveries: report.deliveries.len(),
        sponsorships: report.sponsorships.len(),
        offices: report.offices.len(),
        photos,
        files,
        peaks,
    }
}

// --- query plans ------------------------------------------------------------------------------------------

#[derive(Clone)]
enum P {
    T(String),
    I(i64),
}

impl P {
    fn literal(&self) -> String {
        match self {
            P::T(s) => format!("'{}'", s.replace('\'', "''")),
            P::I(n) => n.to_string(),
        }
    }
}

/// One statement as the code runs it, with its parameters.
struct Stmt {
    group: &'static str,
    name: &'static str,
    sql: String,
    params: Vec<P>,
}

fn area_params(code: &str) -> Vec<P> {
    let area = Area::from(&scope(code));
    vec![
        P::T(area.kecamatan_from),
        P::T(area.kecamatan_to),
        P::T(area.village),
    ]
}

fn with(mut base: Vec<P>, more: &[P]) -> Vec<P> {
    base.extend_from_slice(more);
    base
}

fn day_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The digest's statements, copied from `src/store/digest.rs` (the area condition is the store's own).
fn digest_statements(code: &str, cal: &Calendar) -> Vec<Stmt> {
    let c = Area::condition("c", 1);
    let sp = Area::condition("s", 1);
    let a = area_params(code);
    let now = cal.now_ms();
    let since = now - 24 * HOUR_MS;
    let day_start = local_ms(cal.today, 0, 0);
    let overdue_from = day_start - (14 + 2) * DAY_MS;
    let monday = cal.today - Days::new(u64::from(cal.today.weekday().num_days_from_monday()));
    let first_monday = monday - Days::new(7 * digest::WEEKS as u64);
    let first = local_ms(first_monday, 0, 0);
    let week_ms = 7 * DAY_MS;
    let window_from = cal.today - Days::new(29);
    // What `store::digest::due_facts_between` reads: the facts each delivery's standing is decided by.
    let due_facts = format!(
        "SELECT d.due_on, d.status, d.due_at, d.confirmed_at, COUNT(*)
         FROM children c JOIN deliveries d ON d.child_id = c.id
         WHERE {c} AND d.due_at >= $4 AND d.due_at < $5
           AND d.due_on >= $6 AND d.due_on <= $7
           AND d.status IN ('scheduled', 'due', 'overdue', 'confirmed', 'missed')
         GROUP BY d.due_on, d.status, d.due_at, d.confirmed_at"
    );
    let measured_since = cal.today - Days::new(u64::from(UNMEASURED_AFTER_DAYS));
    let not_measured =
        "NOT EXISTS (SELECT 1 FROM measurements n WHERE n.child_id = c.id AND n.measured_on >= $4)";
    vec![
        Stmt {
            group: "digest",
            name: "due_today",
            sql: format!(
                "SELECT d.id, c.full_name, s.full_name, o.name, d.deliverer, d.status
                 FROM children c JOIN deliveries d ON d.child_id = c.id
                 LEFT JOIN sponsors s ON s.user_id = d.sponsor_id LEFT JOIN offices o ON o.id = s.office_id
                 WHERE {c} AND d.due_at >= $4 AND d.due_at < $5 AND d.due_on = $6
                   AND d.status IN ('scheduled', 'due', 'confirmed')
                 ORDER BY d.status = 'confirmed', c.full_name, d.id"
            ),
            params: with(
                a.clone(),
                &[
                    P::I(day_start - DAY_MS),
                    P::I(day_start + 2 * DAY_MS),
                    P::T(day_text(cal.today)),
                ],
            ),
        },
        Stmt {
            group: "digest",
            name: "overdue",
            sql: format!(
                "SELECT d.sponsor_id, COALESCE(s.full_name, u.first_name, ''), o.name, d.due_on, d.status, d.due_at
                 FROM children c JOIN deliveries d ON d.child_id = c.id
                 LEFT JOIN sponsors s ON s.user_id = d.sponsor_id LEFT JOIN offices o ON o.id = s.office_id
                 LEFT JOIN users u ON u.id = d.sponsor_id
                 WHERE {c} AND d.due_at >= $4 AND d.due_at < $5
                   AND d.status IN ('scheduled', 'due', 'overdue')"
            ),
            params: with(a.clone(), &[P::I(overdue_from), P::I(now)]),
        },
        Stmt {
            group: "digest",
            name: "confirmed",
            sql: format!(
                "SELECT cf.delivery_id, c.full_name, COALESCE(sp.full_name, u.first_name, ''), cf.outcome,
                        cf.created_at, c.kecamatan_code
                 FROM confirmations cf JOIN children c ON c.id = cf.child_id
                 LEFT JOIN sponsors sp ON sp.user_id = cf.by_user LEFT JOIN users u ON u.id = cf.by_user
                 WHERE cf.created_at >= $4 AND cf.created_at < $5 AND cf.outcome <> 'not_received' AND {c}
                 ORDER BY cf.created_at, cf.id"
            ),
            params: with(a.clone(), &[P::I(since), P::I(now)]),
        },
        Stmt {
            group: "digest",
            name: "flags",
            sql: format!(
                "SELECT f.delivery_id, c.full_name, f.kind, f.other_delivery, f.km, f.days
                 FROM evidence_flags f JOIN deliveries d ON d.id = f.delivery_id
                 JOIN children c ON c.id = d.child_id
                 WHERE f.created_at >= $4 AND f.created_at < $5 AND {c}
                 ORDER BY f.created_at, f.id"
            ),
            params: with(a.clone(), &[P::I(since), P::I(now)]),
        },
        Stmt {
            group: "digest",
            name: "open_cases",
            sql: format!(
                "SELECT k.id, k.delivery_id, c.full_name, k.kind, cf.problem, cf.detail, k.opened_at
                 FROM cases k JOIN children c ON c.id = k.child_id
                 JOIN confirmations cf ON cf.id = k.confirmation_id
                 WHERE k.status = 'open' AND {c}
                 ORDER BY k.opened_at, k.id"
            ),
            params: a.clone(),
        },
        Stmt {
            group: "digest",
            name: "waiting",
            sql: format!(
                "SELECT c.id, c.full_name, COALESCE(r.name, c.kecamatan_code), c.haz_milli, c.waiting_since
                 FROM children c LEFT JOIN regions r ON r.code = c.kecamatan_code
                 WHERE c.status = 'unmatched' AND {c}
                 ORDER BY c.haz_milli IS NULL, c.haz_milli, c.waiting_since, c.id
                 LIMIT $4"
            ),
            params: with(a.clone(), &[P::I(5)]),
        },
        Stmt {
            group: "digest",
            name: "waiting_total",
            sql: format!("SELECT COUNT(*) FROM children c WHERE c.status = 'unmatched' AND {c}"),
            params: a.clone(),
        },
        Stmt {
            group: "digest",
            name: "growth_changes",
            sql: format!(
                "SELECT c.id, c.full_name, v.name, COALESCE(k.name, c.kecamatan_code),
                        m.measured_on, m.haz_milli, p.measured_on, p.haz_milli
                 FROM children c CROSS JOIN measurements m CROSS JOIN measurements p
                 LEFT JOIN regions v ON v.code = c.village_code LEFT JOIN regions k ON k.code = c.kecamatan_code
                 WHERE {c} AND c.status NOT IN ('moved', 'deceased')
                   AND m.child_id = c.id
                   AND m.measured_on = (SELECT MAX(n.measured_on) FROM measurements n WHERE n.child_id = c.id)
                   AND m.created_at >= $4 AND m.created_at < $5 AND m.haz_milli IS NOT NULL
                   AND p.child_id = c.id
                   AND p.measured_on = (SELECT MAX(q.measured_on) FROM measurements q
                                        WHERE q.child_id = c.id AND q.measured_on < m.measured_on
                                          AND q.haz_milli IS NOT NULL)"
            ),
            params: with(a.clone(), &[P::I(since), P::I(now)]),
        },
        Stmt {
            group: "digest",
            name: "unmeasured",
            sql: format!(
                "SELECT x.id, x.full_name, v.name, COALESCE(k.name, x.kecamatan_code), x.last_on, x.created_at
                 FROM (SELECT c.id, c.full_name, c.village_code, c.kecamatan_code, c.created_at,
                              (SELECT MAX(m.measured_on) FROM measurements m WHERE m.child_id = c.id) AS last_on
                       FROM children c
                       WHERE c.status IN ('unmatched', 'matched') AND {c} AND {not_measured}
                       ORDER BY last_on NULLS FIRST, c.created_at, c.id
                       LIMIT $5) x
                 LEFT JOIN regions v ON v.code = x.village_code LEFT JOIN regions k ON k.code = x.kecamatan_code
                 ORDER BY x.last_on NULLS FIRST, x.created_at, x.id"
            ),
            params: with(a.clone(), &[P::T(day_text(measured_since)), P::I(5)]),
        },
        Stmt {
            group: "digest",
            name: "unmeasured_total",
            sql: format!(
                "SELECT COUNT(*) FROM children c
                 WHERE c.status IN ('unmatched', 'matched') AND {c} AND {not_measured}"
            ),
            params: with(a.clone(), &[P::T(day_text(measured_since))]),
        },
        Stmt {
            group: "digest",
            name: "unreachable",
            sql: format!(
                "SELECT s.user_id, s.full_name, o.name, u.unreachable_at
                 FROM sponsors s JOIN users u ON u.id = s.user_id LEFT JOIN offices o ON o.id = s.office_id
                 WHERE s.status = 'approved' AND u.unreachable_at IS NOT NULL AND {sp}
                 ORDER BY u.unreachable_at, s.user_id"
            ),
            params: a.clone(),
        },
        Stmt {
            group: "digest",
            name: "coverage_children",
            sql: format!(
                "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN c.status = 'matched' THEN 1 ELSE 0 END), 0) AS BIGINT)
                 FROM children c WHERE {c} AND c.status IN ('unmatched', 'matched')"
            ),
            params: a.clone(),
        },
        Stmt {
            group: "digest",
            name: "coverage_deliveries",
            sql: due_facts.clone(),
            params: with(
                a.clone(),
                &[
                    P::I(local_ms(window_from, 0, 0) - DAY_MS),
                    P::I(day_start + 2 * DAY_MS),
                    P::T(day_text(window_from)),
                    P::T(day_text(cal.today)),
                ],
            ),
        },
        Stmt {
            group: "weekly",
            name: "weeks",
            sql: due_facts,
            params: with(
                a.clone(),
                &[
                    P::I(first - DAY_MS),
                    P::I(first + week_ms * digest::WEEKS as i64 + DAY_MS),
                    P::T(day_text(first_monday)),
                    P::T(day_text(monday - Days::new(1))),
                ],
            ),
        },
        Stmt {
            group: "weekly",
            name: "coverage_by_kecamatan",
            sql: format!(
                "SELECT c.kecamatan_code, COALESCE(r.name, c.kecamatan_code), COUNT(*),
                        CAST(SUM(CASE WHEN c.status = 'matched' THEN 1 ELSE 0 END) AS BIGINT)
                 FROM children c LEFT JOIN regions r ON r.code = c.kecamatan_code
                 WHERE {c} AND c.status IN ('unmatched', 'matched')
                 GROUP BY c.kecamatan_code, r.name
                 ORDER BY c.kecamatan_code"
            ),
            params: a,
        },
    ]
}

/// The report's statements, copied from `src/store/reports.rs`.
fn report_statements(code: &str, period: Period, ids: &Ids) -> Vec<Stmt> {
    let c = Area::condition("c", 1);
    let a = area_params(code);
    let utc_midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
    let start = utc_midnight(period.from() - Days::new(1));
    let end = utc_midnight(period.to() + Days::new(2));
    let in_list = |n: usize| {
        (1..=n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let area = Area::from(&scope(code));
    vec![
        Stmt {
            group: "report",
            name: "sponsorships",
            sql: format!(
                "SELECT sp.id, sp.child_id, sp.sponsor_id, sp.status, sp.started_at, sp.ended_at, sp.package_id,
                     sp.cadence_id, c.full_name, c.kecamatan_code, c.village_code,
                     s.full_name AS sponsor_name, s.office_id
                 FROM children c
                 JOIN sponsorships sp ON sp.child_id = c.id
                 LEFT JOIN sponsors s ON s.user_id = sp.sponsor_id
                 WHERE {c} AND sp.started_at < $4 AND (sp.ended_at IS NULL OR sp.ended_at >= $5)"
            ),
            params: with(a.clone(), &[P::I(end), P::I(start)]),
        },
        Stmt {
            group: "report",
            name: "deliveries",
            sql: format!(
                "SELECT d.id, d.child_id, d.sponsorship_id, d.sponsor_id, d.due_on, d.due_at, d.status, d.deliverer,
                     d.confirmed_at, cf.id AS cf_id, cf.by_user, cf.by_role, cf.outcome, cf.created_at AS cf_at,
                     (SELECT string_agg(COALESCE(e.sha256, '') || ' ' || COALESCE(e.storage_key, ''), ';' ORDER BY e.id)
                      FROM evidence e WHERE e.delivery_id = d.id AND e.confirmation_id = cf.id) AS photos
                 FROM children c
                 JOIN deliveries d ON d.child_id = c.id
                 LEFT JOIN confirmations cf ON cf.delivery_id = d.id
                 WHERE {c} AND d.due_at >= $4 AND d.due_at < $5 AND d.due_on >= $6 AND d.due_on <= $7
                     AND d.status <> 'cancelled'"
            ),
            params: with(
                a,
                &[
                    P::I(utc_midnight(period.from()) - DAY_MS),
                    P::I(utc_midnight(period.to()) + 2 * DAY_MS),
                    P::T(day_text(period.from())),
                    P::T(day_text(period.to())),
                ],
            ),
        },
        Stmt {
            group: "report",
            name: "sponsors (batch of 500)",
            sql: format!(
                "SELECT user_id, full_name, office_id FROM sponsors WHERE user_id IN ({})",
                in_list(ids.sponsors.len())
            ),
            params: ids.sponsors.iter().map(|i| P::I(*i)).collect(),
        },
        Stmt {
            group: "report",
            name: "children (batch of 500)",
            sql: format!(
                "SELECT id, full_name, kecamatan_code, village_code FROM children WHERE id IN ({})",
                in_list(ids.children.len())
            ),
            params: ids.children.iter().map(|i| P::I(*i)).collect(),
        },
        Stmt {
            group: "report",
            name: "people (batch of 500)",
            sql: format!(
                "SELECT u.id, COALESCE(s.full_name, u.first_name) FROM users u
                 LEFT JOIN sponsors s ON s.user_id = u.id WHERE u.id IN ({})",
                in_list(ids.people.len())
            ),
            params: ids.people.iter().map(|i| P::I(*i)).collect(),
        },
        Stmt {
            group: "report",
            name: "regions",
            sql: "SELECT code, name FROM regions WHERE code >= $1 AND code < $2".to_owned(),
            params: vec![P::T(area.kecamatan_from), P::T(area.kecamatan_to)],
        },
    ]
}

/// Ids for the batch statements: 500 each, spread over the province.
struct Ids {
    sponsors: Vec<i64>,
    children: Vec<i64>,
    people: Vec<i64>,
}

impl Ids {
    fn new(sponsors: i64, children: i64) -> Ids {
        let spread = |base: i64, n: i64| -> Vec<i64> {
            let step = (n / 500).max(1);
            (0..500.min(n)).map(|i| base + i * step).collect()
        };
        let mut people = spread(SPONSOR_BASE, sponsors);
        people.truncate(480);
        people.extend((0..20).map(|k| VOLUNTEER_BASE + k));
        Ids {
            sponsors: spread(SPONSOR_BASE, sponsors),
            children: spread(1, children),
            people,
        }
    }
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    params: &'q [P],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for p in params {
        q = match p {
            P::T(s) => q.bind(s.as_str()),
            P::I(n) => q.bind(*n),
        };
    }
    q
}

/// alias → table, from the statement's FROM and JOIN items.
fn aliases(sql: &str) -> HashMap<String, String> {
    let words: Vec<&str> = sql.split_whitespace().collect();
    let mut map = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        if (w.eq_ignore_ascii_case("FROM") || w.eq_ignore_ascii_case("JOIN"))
            && let Some(table) = words.get(i + 1)
        {
            let table = table.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
            map.insert(table.to_owned(), table.to_owned());
            if let Some(alias) = words.get(i + 2) {
                let keyword = [
                    "ON", "WHERE", "JOIN", "LEFT", "INNER", "ORDER", "GROUP", "LIMIT",
                ]
                .iter()
                .any(|k| alias.eq_ignore_ascii_case(k));
                if !keyword {
                    map.insert(alias.to_string(), table.to_owned());
                }
            }
        }
    }
    map
}

/// Full scans in a plan: (table, plan line).
fn full_scans(
    pg: bool,
    plan: &[String],
    aliases: &HashMap<String, String>,
) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for line in plan {
        let l = line.trim();
        if pg {
            if let Some(rest) = l.split("Seq Scan on ").nth(1) {
                let table = rest.split_whitespace().next().unwrap_or("").to_owned();
                found.push((table, l.to_owned()));
            }
        } else if let Some(rest) = l.strip_prefix("SCAN ") {
            let name = rest.split_whitespace().next().unwrap_or("");
            let table = aliases
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_owned());
            found.push((table, l.to_owned()));
        }
    }
    found
}

async fn explain(conn: &mut AnyConnection, pg: bool, stmt: &Stmt) -> Vec<String> {
    if pg {
        let sql = format!("EXPLAIN {}", stmt.sql);
        let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &stmt.params)
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("EXPLAIN {}: {e}", stmt.name));
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).expect("plan line"))
            .collect()
    } else {
        let sql = format!("EXPLAIN QUERY PLAN {}", stmt.sql);
        let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &stmt.params)
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("EXPLAIN QUERY PLAN {}: {e}", stmt.name));
        let mut depth: HashMap<i64, usize> = HashMap::new();
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get(0).expect("id");
                let parent: i64 = r.try_get(1).expect("parent");
                let detail: String = r.try_get(3).expect("detail");
                let d = depth.get(&parent).map_or(0, |d| d + 1);
                depth.insert(id, d);
                format!("{}{detail}", "  ".repeat(d))
            })
            .collect()
    }
}

/// PostgreSQL's generic plan (what a prepared statement settles on after five runs), through PREPARE.
async fn explain_generic(conn: &mut AnyConnection, stmt: &Stmt) -> Vec<String> {
    let run = |sql: String| sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
    run(format!("PREPARE bench_plan AS {}", stmt.sql))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("PREPARE {}: {e}", stmt.name));
    run("SET plan_cache_mode = force_generic_plan".into())
        .execute(&mut *conn)
        .await
        .expect("plan_cache_mode");
    let args = stmt
        .params
        .iter()
        .map(P::literal)
        .collect::<Vec<_>>()
        .join(", ");
    let rows = run(format!("EXPLAIN EXECUTE bench_plan({args})"))
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("EXPLAIN EXECUTE {}: {e}", stmt.name));
    run("RESET plan_cache_mode".into())
        .execute(&mut *conn)
        .await
        .expect("reset");
    run("DEALLOCATE bench_plan".into())
        .execute(&mut *conn)
        .await
        .expect("deallocate");
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).expect("plan line"))
        .collect()
}

/// Rows and median time of a statement run as the code runs it.
async fn run_stmt(conn: &mut AnyConnection, stmt: &Stmt, runs: usize) -> (usize, Duration) {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let started = Instant::now();
        rows = bind_all(
            sqlx::query(sqlx::AssertSqlSafe(stmt.sql.clone())),
            &stmt.params,
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", stmt.name))
        .len();
        times.push(started.elapsed());
    }
    (rows, median(&times))
}

/// One problem found in a plan.
struct Finding {
    scope: String,
    group: &'static str,
    name: &'static str,
    table: String,
    line: String,
    generic: bool,
    /// A scan of children, sponsorships or measurements for an area that holds every child (the province is
    /// the whole database here): reading the table whole is the right plan.
    expected: bool,
}

impl Finding {
    /// Whether the statement ran for the whole province (a two-digit code: every child of the database).
    fn expected_scope(&self) -> bool {
        self.scope
            .split_whitespace()
            .next()
            .is_some_and(|code| code.len() == 2)
    }
}

/// Prints each statement's plan (and its rows and time), and returns the full scans found. `whole`: the
/// area holds every child of the database.
async fn check_plans(
    db: &Db,
    pg: bool,
    label: &str,
    stmts: &[Stmt],
    whole: bool,
    print: bool,
    runs: usize,
) -> Vec<Finding> {
    let mut conn = db.conn().await.expect("connection");
    let mut findings = Vec::new();
    for stmt in stmts {
        let names = aliases(&stmt.sql);
        let plan = explain(&mut conn, pg, stmt).await;
        let mut scans: Vec<(String, String, bool)> = full_scans(pg, &plan, &names)
            .into_iter()
            .map(|(t, l)| (t, l, false))
            .collect();
        let generic = if pg {
            let g = explain_generic(&mut conn, stmt).await;
            scans.extend(
                full_scans(pg, &g, &names)
                    .into_iter()
                    .map(|(t, l)| (t, l, true)),
            );
            Some(g)
        } else {
            None
        };
        let (rows, time) = if runs > 0 {
            run_stmt(&mut conn, stmt, runs).await
        } else {
            (0, Duration::ZERO)
        };
        let big: Vec<&(String, String, bool)> = scans
            .iter()
            .filter(|(t, _, _)| BIG_TABLES.contains(&t.as_str()))
            .collect();
        let verdict = if big.is_empty() {
            "indexed".to_owned()
        } else {
            let tables: Vec<String> = big
                .iter()
                .map(|(t, _, g)| format!("{t}{}", if *g { " (generic plan)" } else { "" }))
                .collect();
            format!("FULL SCAN of {}", tables.join(", "))
        };
        if print || !big.is_empty() {
            let timing = if runs > 0 {
                format!(", {rows} rows, {:.1} ms", ms(time))
            } else {
                String::new()
            };
            println!(
                "-- [{label}] {} {}: {verdict}{timing}",
                stmt.group, stmt.name
            );
            for line in &plan {
                println!("     {line}");
            }
            if let Some(g) = &generic {
                let gscans: Vec<&(String, String, bool)> =
                    big.iter().copied().filter(|s| s.2).collect();
                if gscans.is_empty() {
                    println!("     (generic plan: no full scan of a large table)");
                } else {
                    println!("     generic plan:");
                    for line in g {
                        println!("     {line}");
                    }
                }
            }
            let others: Vec<&str> = scans
                .iter()
                .filter(|(t, _, _)| !BIG_TABLES.contains(&t.as_str()))
                .map(|(t, _, _)| t.as_str())
                .collect();
            if !others.is_empty() {
                println!("     (scans of smaller tables: {})", others.join(", "));
            }
        }
        for (table, line, generic) in big {
            findings.push(Finding {
                scope: label.to_owned(),
                group: stmt.group,
                name: stmt.name,
                table: table.clone(),
                line: line.clone(),
                generic: *generic,
                expected: whole
                    && (table == "children" || table == "sponsorships" || table == "measurements"),
            });
        }
    }
    findings
}

/// Compares the copied statements' row counts with what the digest itself found, so that a copy that
/// drifted from `src/store/digest.rs` shows.
async fn check_copies(db: &Db, stmts: &[Stmt], d: &digest::Digest) -> Vec<String> {
    let mut conn = db.conn().await.expect("connection");
    let mut drift = Vec::new();
    for stmt in stmts {
        let expected = match stmt.name {
            "due_today" => d.due.len(),
            // "overdue" reads the open deliveries; the digest keeps those that stand overdue.
            "confirmed" => d.confirmed.len(),
            "flags" => d.flags.len(),
            "open_cases" => d.cases.len(),
            "waiting" => d.waiting.len(),
            "unmeasured" => d.unmeasured.len(),
            "unreachable" => d.unreachable.len(),
            _ => continue,
        };
        let (rows, _) = run_stmt(&mut conn, stmt, 1).await;
        if rows != expected {
            drift.push(format!(
                "{}: the copy returns {rows} rows, the digest has {expected}",
                stmt.name
            ));
        }
    }
    drift
}

// --- main ------------------------------------------------------------------------------------------------

#[tokio::main]
async fn main() {
    let ok = run().await;
    if !ok {
        std::process::exit(1);
    }
}

async fn run() -> bool {
    let sizes = Sizes {
        children: env_or("ASUH_BENCH_CHILDREN", 100_000).max(100),
        deliveries: env_or("ASUH_BENCH_DELIVERIES", 5_000_000).max(1000),
        sponsors: 0,
        confirmation_days: env_or("ASUH_BENCH_CONFIRMATION_DAYS", 120).max(1),
    };
    let sizes = Sizes {
        sponsors: env_or("ASUH_BENCH_SPONSORS", sizes.children * 3 / 5).max(10),
        ..sizes
    };
    let test_db = TestDb::new().await;
    let pg = test_db.is_postgres();
    let backend = if pg { "PostgreSQL" } else { "SQLite" };
    println!(
        "== digest bench ({backend}): seeding {} children, {} deliveries, {} sponsors",
        thousands(sizes.children as u64),
        thousands(sizes.deliveries as u64),
        thousands(sizes.sponsors as u64)
    );

    // Seeding on a pool of its own (its connection has seeding settings), then a fresh one for the bench.
    let seeding = Instant::now();
    let seed_db = Db::connect(&test_db.url).await.expect("database");
    seed_db.migrate().await.expect("migrate");
    let seeded = seed(&seed_db, pg, &sizes).await;
    seed_db.close().await;
    let seed_time = seeding.elapsed();
    reset_peak();
    let cal = &seeded.cal;
    let db = Db::connect(&test_db.url).await.expect("database");
    let counts = seeded
        .counts
        .iter()
        .map(|(l, n)| format!("{l} {}", thousands(*n as u64)))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "seeded in {:.1} s: {counts}; {} sponsorships active, deliveries weekly over {} weeks ({} .. {}), now {}",
        seed_time.as_secs_f64(),
        thousands(seeded.sponsorships as u64),
        cal.weeks,
        cal.day0,
        cal.day(7 * cal.weeks - 1),
        cal.now.with_timezone(&ZONE).to_rfc3339()
    );

    let kecamatan = "74.01.01";
    let regency = "74.01";
    let province = "74";
    let month = Period::month(2026, 10).expect("period");
    let quarter = Period::new(
        NaiveDate::from_ymd_opt(2026, 8, 1).expect("date"),
        NaiveDate::from_ymd_opt(2026, 10, 31).expect("date"),
    )
    .expect("period");
    let ids = Ids::new(sizes.sponsors, sizes.children);

    // SQLite as asuh runs it never has statistics (nothing runs ANALYZE): the plans and the kecamatan's
    // digest without them first.
    let mut unanalyzed = None;
    if !pg {
        println!("\n== without ANALYZE (as a live asuh database is: nothing in asuh runs ANALYZE)");
        let mut findings: Vec<Finding> = check_plans(
            &db,
            pg,
            "74.01.01, no stats",
            &digest_statements(kecamatan, cal),
            false,
            true,
            1,
        )
        .await;
        findings.extend(
            check_plans(
                &db,
                pg,
                "74 report 2026-10, no stats",
                &report_statements(province, month, &ids),
                true,
                true,
                0,
            )
            .await
            .into_iter()
            .filter(|f| !f.expected),
        );
        let d = time_digest(&db, kecamatan, cal.now, 5).await;
        println!(
            "digest {kecamatan} without statistics: {}; plans: {}",
            d.stats.line(),
            if findings.is_empty() {
                "all indexed".to_owned()
            } else {
                format!("{} full scan(s), above", findings.len())
            }
        );
        unanalyzed = Some((d.stats, findings.len()));
    }
    let analyze_time = analyze(&db, pg).await;
    let db_bytes = database_bytes(&db, pg, &test_db.url).await;
    println!(
        "{} in {:.1} s; database {}",
        if pg { "VACUUM ANALYZE" } else { "ANALYZE" },
        analyze_time.as_secs_f64(),
        size_label(db_bytes)
    );

    // The digests.
    println!("\n== digests (build + render, {DIGEST_RUNS} runs after a warm-up)");
    let mut digest_lines = Vec::new();
    let mut kecamatan_digest = None;
    for (code, what) in [
        (kecamatan, "kecamatan"),
        (regency, "regency"),
        (province, "province"),
    ] {
        let r = time_digest(&db, code, cal.now, DIGEST_RUNS).await;
        let line = format!(
            "digest {code} ({what}): {} (build {:.1} ms + render {:.1} ms; {})",
            r.stats.line(),
            ms(r.build),
            ms(r.render),
            r.lines
        );
        println!("{line}");
        digest_lines.push(line);
        if code == kecamatan {
            kecamatan_digest = Some(r.digest);
        }
    }
    let w = time_weekly(&db, regency, cal.now, 5).await;
    let weekly_line = format!(
        "weekly {regency} (regency): build {}; chart {} ({} bytes PNG; {})",
        w.build.line(),
        w.chart.line(),
        w.png_bytes,
        w.caption
    );
    println!("{weekly_line}");
    let digest_peak = peak_mib();

    // The plans, with each statement's rows and time.
    println!(
        "\n== query plans (bound parameters, as the code runs them; rows and median of 3 runs)"
    );
    let mut findings = Vec::new();
    let kec_stmts = digest_statements(kecamatan, cal);
    findings.extend(check_plans(&db, pg, kecamatan, &kec_stmts, false, true, 3).await);
    findings.extend(
        check_plans(
            &db,
            pg,
            regency,
            &digest_statements(regency, cal),
            false,
            false,
            3,
        )
        .await,
    );
    findings.extend(
        check_plans(
            &db,
            pg,
            province,
            &digest_statements(province, cal),
            true,
            true,
            3,
        )
        .await,
    );
    findings.extend(
        check_plans(
            &db,
            pg,
            "74 report 2026-10",
            &report_statements(province, month, &ids),
            true,
            true,
            1,
        )
        .await,
    );
    let drift = match &kecamatan_digest {
        Some(d) => check_copies(&db, &kec_stmts, d).await,
        None => Vec::new(),
    };
    for d in &drift {
        println!("WARNING: copied SQL drifted from src/store/digest.rs: {d}");
    }

    // The reports.
    println!("\n== reports of province {province} ({REPORT_RUNS} runs each; median)");
    let out = tempfile::tempdir().expect("temp dir");
    let media = MediaStore::local(out.path().join("media"));
    let mut report_lines = Vec::new();
    for (period, label) in [(month, "2026-10"), (quarter, "2026-08..2026-10")] {
        let r = time_report(&db, province, period, cal.now, label, out.path(), &media).await;
        let files = r
            .files
            .iter()
            .map(|(name, bytes)| {
                let too_big = *bytes as usize > report_files::TELEGRAM_MAX_BYTES;
                format!(
                    "{name} {:.1} MB{}",
                    *bytes as f64 / 1e6,
                    if too_big {
                        " (over Telegram's 50 MB)"
                    } else {
                        ""
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let line = format!(
            "report {province} (province), {}: build {:.2} s, csv {:.2} s, xlsx {:.2} s; {} deliveries ({} photos), \
             {} sponsorships, {} offices; peak memory: build {:.0} MiB, csv {:.0} MiB, xlsx {:.0} MiB; files: {files}",
            r.label,
            r.build.as_secs_f64(),
            r.csv.as_secs_f64(),
            r.xlsx.as_secs_f64(),
            thousands(r.deliveries as u64),
            thousands(r.photos as u64),
            thousands(r.sponsorships as u64),
            r.offices,
            r.peaks.0,
            r.peaks.1,
            r.peaks.2,
        );
        report_lines.push(line);
    }
    db.close().await;
    if let Ok(into) = std::env::var("ASUH_BENCH_KEEP_DB") {
        keep(&test_db, pg, &into).await;
    }

    // The summary.
    let digest_scans: Vec<&Finding> = findings
        .iter()
        // A district's or a regency's digest must reach deliveries through the area's children; for the
        // whole province a sequential scan can be the better plan (PostgreSQL picks one for 12 weeks).
        .filter(|f| {
            f.table == "deliveries"
                && (f.group == "digest" || f.group == "weekly")
                && !f.expected_scope()
        })
        .collect();
    let (expected, flagged): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| f.expected);
    println!(
        "\n== digest bench ({backend}): {} children, {} deliveries",
        thousands(sizes.children as u64),
        thousands(sizes.deliveries as u64)
    );
    println!(
        "seed: {:.1} s ({} {:.1} s), database {}",
        seed_time.as_secs_f64(),
        if pg { "VACUUM ANALYZE" } else { "ANALYZE" },
        analyze_time.as_secs_f64(),
        size_label(db_bytes)
    );
    println!("rows: {counts}");
    for line in digest_lines.iter().chain([&weekly_line]) {
        println!("{line}");
    }
    if let Some((stats, scans)) = &unanalyzed {
        println!(
            "digest {kecamatan} before ANALYZE: {}; {scans} full scan(s) in the plans without statistics",
            stats.line()
        );
    }
    for line in &report_lines {
        println!("{line}");
    }
    if flagged.is_empty() {
        println!("plans: all indexed");
    } else {
        println!("plans: {} full scan(s) of large tables:", flagged.len());
        for f in &flagged {
            println!(
                "  [{}] {} {}: {}{} — {}",
                f.scope,
                f.group,
                f.name,
                f.table,
                if f.generic { " (generic plan)" } else { "" },
                f.line
            );
        }
    }
    if !expected.is_empty() {
        let mut names: Vec<String> = expected
            .iter()
            .map(|f| {
                format!(
                    "{} {}{}",
                    f.name,
                    f.table,
                    if f.generic { " (generic)" } else { "" }
                )
            })
            .collect();
        names.dedup();
        println!(
            "plans, province-wide (the province holds every child, so reading children/sponsorships/measurements whole is right): {}",
            names.join(", ")
        );
    }
    if !drift.is_empty() {
        println!("copied SQL drifted: {}", drift.join("; "));
    }
    println!(
        "peak memory: {:.0} MiB over the digests (after seeding), {:.0} MiB over the last report run",
        digest_peak,
        peak_mib()
    );
    drop(test_db);
    if !digest_scans.is_empty() {
        println!(
            "FAILED: the digest's queries read the whole deliveries table: {}",
            digest_scans
                .iter()
                .map(|f| format!("{} ({})", f.name, f.scope))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return false;
    }
    true
}
