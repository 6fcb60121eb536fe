//! Benchmark of growth monitoring (issue 7):
//! - the WHO z-scores of 1,000,000 measurements (all four indicators), and the plausibility checks of as many;
//! - drawing a growth chart with 20 points (median of 20 runs);
//! - recording measurements through `services::growth::record` (checks against the neighbouring measurements,
//!   the upsert, the child's latest z-score, the graduation check) for 2,000 children × 6 visits, in
//!   transactions of 200 like an import, on SQLite or PostgreSQL; then reading one child's card.
//!
//! Run: `cargo bench --bench growth` (SQLite), or with `ASUH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`
//! for PostgreSQL. `ASUH_BENCH_MEASUREMENTS` (default 1000000) and `ASUH_BENCH_CHILDREN` (default 2000) change
//! the sizes.

#[path = "../tests/support/mod.rs"]
mod support;

use asuh::domain::Lang;
use asuh::domain::child::Sex;
use asuh::domain::growth::{self, Position};
use asuh::domain::measurement::{self, LengthMm, Reading, WeightG};
use asuh::services::growth as service;
use asuh::store::measurements::{self, Source};
use asuh::store::{Db, children};
use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use std::hint::black_box;
use std::time::{Duration, Instant};
use support::{TestDb, env_or, status_kib};

/// A deterministic stream of numbers in [0, 1): the same measurements every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A plausible child: age, a length around the median −2 SD, a weight to go with it.
fn sample(rng: &mut Lcg) -> growth::Measurement {
    let sex = if rng.next() < 0.5 {
        Sex::Male
    } else {
        Sex::Female
    };
    let age_days = (rng.next() * 1826.0) as u32;
    let z = -3.5 + rng.next() * 4.0;
    let length_cm = growth::length_at_z(sex, age_days, z).unwrap_or(80.0);
    let position = if age_days < growth::HEIGHT_FROM_DAYS {
        Position::Lying
    } else {
        Position::Standing
    };
    // About 14–18 kg/m², the usual BMI of a small child.
    let bmi = 14.0 + rng.next() * 4.0;
    let metres = length_cm / 100.0;
    growth::Measurement {
        sex,
        age_days,
        length_cm: (length_cm * 10.0).round() / 10.0,
        position,
        weight_kg: Some(((bmi * metres * metres) * 100.0).round() / 100.0),
    }
}

fn z_scores(n: u64) {
    let mut rng = Lcg(7);
    let input: Vec<_> = (0..n).map(|_| sample(&mut rng)).collect();
    let started = Instant::now();
    let mut ok = 0u64;
    for m in &input {
        if black_box(growth::z_scores(black_box(m))).is_ok() {
            ok += 1;
        }
    }
    let took = started.elapsed();
    println!(
        "z-scores: {n} measurements × 4 indicators in {:.3} s = {:.0} measurements/s ({ok} plausible)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );

    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let readings: Vec<_> = input
        .iter()
        .map(|m| {
            let measured_on = today;
            let birth = today - Days::days(i64::from(m.age_days));
            let reading = Reading {
                measured_on,
                length: LengthMm::from_mm((m.length_cm * 10.0).round() as i64)
                    .unwrap_or(LengthMm::from_mm(800).expect("80 cm")),
                position: m.position,
                weight: m
                    .weight_kg
                    .and_then(|kg| WeightG::from_g((kg * 1000.0).round() as i64).ok()),
                muac: None,
            };
            let before = measurement::Recorded {
                measured_on: today - Days::days(30),
                length_mm: reading.length.mm() - 10,
                position: m.position,
                weight_g: reading.weight.map(|w| w.g() - 200),
            };
            (m.sex, birth, reading, before)
        })
        .collect();
    let started = Instant::now();
    let mut ok = 0u64;
    for (sex, birth, reading, before) in &readings {
        if black_box(measurement::check(
            *sex,
            *birth,
            today,
            reading,
            Some(before),
            None,
        ))
        .is_ok()
        {
            ok += 1;
        }
    }
    let took = started.elapsed();
    println!(
        "checks: {n} readings against a previous measurement in {:.3} s = {:.0}/s ({ok} accepted)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn chart() {
    use asuh::charts::{GrowthChart, GrowthLabels, GrowthPoint, growth_png};
    let points = (0..20)
        .map(|i| {
            let age_days = 30 + i * 80;
            GrowthPoint {
                age_days,
                length_cm: growth::length_at_z(Sex::Female, age_days, -2.4).unwrap_or(80.0),
                position: if age_days < growth::HEIGHT_FROM_DAYS {
                    Position::Lying
                } else {
                    Position::Standing
                },
            }
        })
        .collect();
    let text = |s: &str| s.to_owned();
    let chart = GrowthChart {
        sex: Sex::Female,
        points,
        labels: GrowthLabels {
            title: text("Nadia Putri — panjang/tinggi badan menurut umur"),
            subtitle: text("Perempuan · Standar Pertumbuhan Anak WHO 2006"),
            x_axis: text("Umur (bulan)"),
            y_axis: text("Panjang/tinggi badan (cm)"),
            curves: [text("−3 SD"), text("−2 SD"), text("Median"), text("+2 SD")],
            child: text("Nadia"),
            empty: text("Belum ada pengukuran"),
        },
    };
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let started = Instant::now();
        size = black_box(growth_png(&chart))
            .map(|png| png.len())
            .unwrap_or(0);
        times.push(started.elapsed());
    }
    println!(
        "growth chart: 20 points, median {:.1} ms of 20 runs, {size} bytes",
        median(times).as_secs_f64() * 1000.0
    );
}

async fn recording(children_n: i64) {
    let test_db = TestDb::new().await;
    let db = Db::connect(&test_db.url).await.expect("database");
    db.migrate().await.expect("migrate");
    let backend = if test_db.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let now = Utc
        .with_ymd_and_hms(2026, 11, 24, 0, 0, 0)
        .single()
        .expect("now");
    let today = now.date_naive();
    {
        let mut conn = db.conn().await.expect("connection");
        for sql in support::bench_area_and_package(now.timestamp_millis()) {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await
                .expect("seed area");
        }
    }
    let kecamatan = asuh::domain::RegionCode::parse("74.71.01").expect("code");
    let mut rng = Lcg(11);
    let mut ids = Vec::new();
    let mut tx = db.begin().await.expect("tx");
    for i in 0..children_n {
        let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
        let age = 400 + (rng.next() * 1000.0) as i64;
        let child = children::NewChild {
            full_name: format!("Anak {i}"),
            sex,
            birth_date: today - Days::days(age),
            guardian_name: format!("Wali {i}"),
            guardian_phone: None,
            address: None,
            kecamatan: kecamatan.clone(),
            village: None,
            posyandu: None,
            nik: None,
            identity_key: format!("bench-{i}"),
            notes: None,
            puskesmas: None,
        };
        ids.push(children::insert(&mut tx, &child, now).await.expect("child"));
    }
    tx.commit().await.expect("commit");

    // Six monthly visits per child, the oldest first, each a little taller than the last.
    const VISITS: i64 = 6;
    let mut visits = Vec::new();
    for visit in 0..VISITS {
        for id in &ids {
            visits.push((*id, visit));
        }
    }
    let started = Instant::now();
    let (mut added, mut refused) = (0u64, 0u64);
    for batch in visits.chunks(200) {
        let mut tx = db.begin().await.expect("tx");
        for (id, visit) in batch {
            let child = children::get(&mut tx, *id)
                .await
                .expect("get")
                .expect("child");
            let on = today - Days::days(30 * (VISITS - 1 - visit));
            let days = u32::try_from((on - child.birth_date).num_days()).unwrap_or(0);
            let cm =
                growth::length_at_z(child.sex, days, -2.5 + 0.1 * *visit as f64).unwrap_or(80.0);
            let reading = Reading {
                measured_on: on,
                length: LengthMm::from_mm((cm * 10.0).round() as i64).expect("length"),
                position: measurement::usual_position(child.birth_date, on),
                weight: WeightG::from_g((cm * cm * 0.0016 * 1000.0) as i64).ok(),
                muac: None,
            };
            match service::record(&mut tx, &child, &reading, today, Source::Import, None, now)
                .await
                .expect("record")
            {
                Ok(_) => added += 1,
                Err(_) => refused += 1,
            }
        }
        tx.commit().await.expect("commit");
    }
    let took = started.elapsed();
    let n = visits.len() as f64;
    println!(
        "recording ({backend}): {} measurements of {children_n} children in {:.2} s = {:.0}/s, {:.2} ms each ({added} recorded, {refused} refused)",
        visits.len(),
        took.as_secs_f64(),
        n / took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / n
    );

    let mut conn = db.conn().await.expect("connection");
    let mut times = Vec::new();
    for id in ids.iter().take(50) {
        let started = Instant::now();
        let child = children::get(&mut conn, *id)
            .await
            .expect("get")
            .expect("child");
        let history = measurements::history(&mut conn, *id)
            .await
            .expect("history");
        black_box(service::card_lines(Lang::Id, &child, &history));
        times.push(started.elapsed());
    }
    println!(
        "growth card ({backend}): median {:.2} ms over 50 children with {VISITS} measurements",
        median(times).as_secs_f64() * 1000.0
    );
    // A pool closes only once every connection is back.
    drop(conn);
    db.close().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n = u64::try_from(env_or("ASUH_BENCH_MEASUREMENTS", 1_000_000)).unwrap_or(1_000_000);
    z_scores(n);
    chart();
    recording(env_or("ASUH_BENCH_CHILDREN", 2_000)).await;
    println!(
        "peak memory: {} KiB",
        status_kib(std::process::id(), "VmHWM:")
    );
}
