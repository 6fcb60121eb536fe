//! End to end: a coordinator imports a list of measurements (CSV with a caption, XLSX by its name) for
//! children already in asuh. Plausible rows are recorded with their z-scores; implausible ones are refused
//! with the reason the chat gives; the same file twice changes nothing.

mod support;

use asuh::domain::Lang;
use asuh::domain::child::{Sex, age_days};
use asuh::domain::growth::{self, Indicator, Position};
use asuh::domain::measurement::{self, Implausible, LengthMm, Reading, Recorded, WeightG};
use asuh::services::growth::refusal_text;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use support::TestApp;

const RINA_NIK: &str = "7471014101250001";

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn days_ago(n: i64) -> NaiveDate {
    today() - Duration::days(n)
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The three children of the test, born so that their ages suit the measurements below.
struct Born {
    rina: NaiveDate,
    bayu: NaiveDate,
    citra: NaiveDate,
}

fn born() -> Born {
    Born {
        rina: days_ago(400),
        bayu: days_ago(900),
        citra: days_ago(45),
    }
}

/// Kendari's regions and three children without measurements.
async fn setup(app: &TestApp, b: &Born) {
    app.say(&app.admin(), "/start").await;
    let regions = app
        .import_file(
            "regions-1",
            "wilayah-kendari.csv",
            include_bytes!("../samples/regions-kendari.csv"),
        )
        .await;
    assert!(regions.contains("ditambah: 77"), "{regions}");
    let children = format!(
        "nama,jk,tanggal lahir,nama ibu,kecamatan,nik\n\
         Rina Amalia,P,{},Sri Wahyuni,Mandonga,{RINA_NIK}\n\
         Bayu Pratama,L,{},Hasnah,Mandonga,\n\
         Citra Dewi,P,{},Nurhayati,Kadia,\n",
        dmy(b.rina),
        dmy(b.bayu),
        dmy(b.citra)
    );
    let report = app
        .import_file("children-1", "anak.csv", children.as_bytes())
        .await;
    assert!(
        report.contains("Baris: 3 · ditambah: 3 · diperbarui: 0 · sama: 0 · ditolak: 0"),
        "{report}"
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM measurements").await, 0);
}

fn reading(on: NaiveDate, cm: &str, position: Position, kg: &str) -> Reading {
    Reading {
        measured_on: on,
        length: LengthMm::parse(cm).expect("length"),
        position,
        weight: Some(WeightG::parse(kg).expect("weight")),
        muac: None,
    }
}

fn recorded(r: &Reading) -> Recorded {
    Recorded {
        measured_on: r.measured_on,
        length_mm: r.length.mm(),
        position: r.position,
        weight_g: r.weight.map(WeightG::g),
    }
}

/// What the domain's checks say about `r` after `before`: the refusal the import must report.
fn refusal(sex: Sex, birth: NaiveDate, r: &Reading, before: &Reading) -> Implausible {
    measurement::check(sex, birth, today(), r, Some(&recorded(before)), None)
        .expect_err("the test's implausible row must be refused by the domain")
}

/// `children.haz_milli`, or a measurement's, for a child by name.
async fn haz_milli(app: &TestApp, name: &str, on: Option<NaiveDate>) -> i64 {
    let sql = match on {
        None => format!("SELECT haz_milli FROM children WHERE full_name = '{name}'"),
        Some(on) => format!(
            "SELECT m.haz_milli FROM measurements m JOIN children c ON c.id = m.child_id
             WHERE c.full_name = '{name}' AND m.measured_on = '{on}'"
        ),
    };
    app.db.scalar(&sql).await
}

fn expected_haz(sex: Sex, birth: NaiveDate, on: NaiveDate, cm: f64, position: Position) -> i64 {
    let days = age_days(birth, on).expect("age");
    let z = growth::haz(sex, days, cm, position).expect("haz");
    (z * 1000.0).round() as i64
}

async fn assert_haz(
    app: &TestApp,
    name: &str,
    on: Option<NaiveDate>,
    (sex, birth, measured, cm, position): (Sex, NaiveDate, NaiveDate, f64, Position),
) {
    let stored = haz_milli(app, name, on).await;
    let expected = expected_haz(sex, birth, measured, cm, position);
    assert!(
        (stored - expected).abs() <= 1,
        "{name} {on:?}: stored {stored}, expected {expected}"
    );
}

async fn id_of(app: &TestApp, name: &str) -> i64 {
    app.db
        .scalar(&format!(
            "SELECT id FROM children WHERE full_name = '{name}'"
        ))
        .await
}

/// Everything the measurements table holds, summed: equal before and after an import that changes nothing.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM measurements",
        "SELECT CAST(COALESCE(SUM(length_mm), 0) AS BIGINT) FROM measurements",
        "SELECT CAST(COALESCE(SUM(weight_g), 0) AS BIGINT) FROM measurements",
        "SELECT CAST(COALESCE(SUM(muac_mm), 0) AS BIGINT) FROM measurements",
        "SELECT CAST(COALESCE(SUM(haz_milli), 0) AS BIGINT) FROM measurements",
        "SELECT COALESCE(MAX(updated_at), 0) FROM measurements",
        "SELECT CAST(COALESCE(SUM(haz_milli), 0) AS BIGINT) FROM children",
        "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'measurement.import.%'",
    ] {
        v.push(app.db.scalar(sql).await);
    }
    v
}

#[tokio::test]
async fn a_measurements_file_records_plausible_rows_and_refuses_the_rest_with_reasons() {
    let app = TestApp::spawn().await;
    let b = born();
    setup(&app, &b).await;

    let (d90, d60, d40, d30, d15, d10, d5) = (
        days_ago(90),
        days_ago(60),
        days_ago(40),
        days_ago(30),
        days_ago(15),
        days_ago(10),
        days_ago(5),
    );
    // Line by line: Rina by NIK (position left to the age: lying), Bayu by name and birth date only,
    // Citra by name, birth date and mother.
    let rows = [
        format!(";{RINA_NIK};;;;{};;70,0;7,6;", dmy(d90)),
        format!(";{RINA_NIK};;;;{};Terlentang;71,5;7,9;13,5", dmy(d60)),
        format!(";{RINA_NIK};;;;{};;68,5;8,0;", dmy(d30)), // 3 cm shorter than on line 3
        format!(";{RINA_NIK};;;;{};;72,5;8,2;", dmy(d10)),
        format!(
            ";;Bayu Pratama;{};;{};Berdiri;84,0;10,5;",
            dmy(b.bayu),
            dmy(d40)
        ),
        format!(
            ";;Bayu Pratama;{};;{};Berdiri;84,5;25,0;",
            dmy(b.bayu),
            dmy(d5)
        ), // beyond WHO flags
        format!(
            ";;Citra Dewi;{};Nurhayati;{};;49,0;2,6;",
            dmy(b.citra),
            dmy(d40)
        ),
        format!(
            ";;Citra Dewi;{};Nurhayati;{};;55,0;5,3;",
            dmy(b.citra),
            dmy(d15)
        ), // doubled in 25 days
        format!("99999;;;;;{};;80,0;;", dmy(d10)), // no such child
        format!(";{RINA_NIK};;;;31/02/2026;;72,0;;"), // no such date
    ];
    let file = format!(
        "ID Anak;NIK;Nama Anak;Tgl Lahir;Nama Ortu;Tanggal Pengukuran;Cara Ukur;Tinggi (cm);Berat (kg);LiLA (cm)\n{}\n",
        rows.join("\n")
    );

    // The reasons the growth checks give for lines 4, 7 and 9, in the coordinator's language.
    let shorter = refusal(
        Sex::Female,
        b.rina,
        &reading(d30, "68,5", Position::Lying, "8,0"),
        &reading(d60, "71,5", Position::Lying, "7,9"),
    );
    assert!(
        matches!(
            shorter,
            Implausible::Shorter {
                shorter_by_mm: 30,
                ..
            }
        ),
        "{shorter:?}"
    );
    let flagged = refusal(
        Sex::Male,
        b.bayu,
        &reading(d5, "84,5", Position::Standing, "25,0"),
        &reading(d40, "84,0", Position::Standing, "10,5"),
    );
    assert!(
        matches!(
            flagged,
            Implausible::Flagged { indicator, .. } if indicator != Indicator::LengthHeightForAge
        ),
        "{flagged:?}"
    );
    let doubled = refusal(
        Sex::Female,
        b.citra,
        &reading(d15, "55,0", Position::Lying, "5,3"),
        &reading(d40, "49,0", Position::Lying, "2,6"),
    );
    assert!(
        matches!(doubled, Implausible::WeightJump { days: 25, .. }),
        "{doubled:?}"
    );
    let expected_errors = [
        format!(
            "Baris 4: pengukuran tidak dicatat: {}",
            refusal_text(Lang::Id, &shorter)
        ),
        format!(
            "Baris 7: pengukuran tidak dicatat: {}",
            refusal_text(Lang::Id, &flagged)
        ),
        format!(
            "Baris 9: pengukuran tidak dicatat: {}",
            refusal_text(Lang::Id, &doubled)
        ),
        "Baris 10: anak ID 99999 tidak ditemukan".to_owned(),
        "Baris 11: «31/02/2026» pada tanggal ukur bukan tanggal".to_owned(),
    ];

    let report = app
        .import_file_with_caption(
            "meas-1",
            "hasil-posyandu.csv",
            Some("pengukuran"),
            file.as_bytes(),
        )
        .await;
    assert!(
        report.contains("Baris: 10 · ditambah: 5 · diperbarui: 0 · sama: 0 · ditolak: 5"),
        "{report}"
    );
    for expected in &expected_errors {
        assert!(
            report.contains(expected.as_str()),
            "report lacks {expected:?}: {report}"
        );
    }
    // Shown in the Indonesian the chat uses: "3,0 cm lebih pendek".
    assert!(report.contains("3,0 cm"), "{report}");

    // Exactly the accepted rows, each with its z-score, and each child's latest height-for-age.
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM measurements").await, 5);
    assert_eq!(
        app.db
            .scalar(
                "SELECT COUNT(*) FROM measurements WHERE source = 'import' AND recorded_by = 500001"
            )
            .await,
        5
    );
    let rina = |on, cm| (Sex::Female, b.rina, on, cm, Position::Lying);
    for (on, cm) in [(d90, 70.0), (d60, 71.5), (d10, 72.5)] {
        assert_haz(&app, "Rina Amalia", Some(on), rina(on, cm)).await;
    }
    assert_haz(&app, "Rina Amalia", None, rina(d10, 72.5)).await;
    let bayu = (Sex::Male, b.bayu, d40, 84.0, Position::Standing);
    assert_haz(&app, "Bayu Pratama", Some(d40), bayu).await;
    assert_haz(&app, "Bayu Pratama", None, bayu).await;
    let citra = (Sex::Female, b.citra, d40, 49.0, Position::Lying);
    assert_haz(&app, "Citra Dewi", Some(d40), citra).await;
    assert_haz(&app, "Citra Dewi", None, citra).await;
    assert_eq!(
        app.db
            .text("SELECT position FROM measurements m JOIN children c ON c.id = m.child_id WHERE c.full_name = 'Bayu Pratama'")
            .await
            .as_deref(),
        Some("standing")
    );
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT muac_mm FROM measurements m JOIN children c ON c.id = m.child_id
                 WHERE c.full_name = 'Rina Amalia' AND m.measured_on = '{d60}'"
            ))
            .await,
        135
    );
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM measurements m JOIN children c ON c.id = m.child_id WHERE c.full_name = 'Rina Amalia' AND m.position = 'lying'")
            .await,
        3
    );

    // The same file again: every recorded day unchanged, the same refusals, nothing written.
    let before = fingerprint(&app).await;
    let again = app
        .import_file_with_caption(
            "meas-2",
            "hasil-posyandu.csv",
            Some("pengukuran"),
            file.as_bytes(),
        )
        .await;
    assert!(
        again.contains("Baris: 10 · ditambah: 0 · diperbarui: 0 · sama: 5 · ditolak: 5"),
        "{again}"
    );
    for expected in &expected_errors {
        assert!(
            again.contains(expected.as_str()),
            "report lacks {expected:?}: {again}"
        );
    }
    assert_eq!(fingerprint(&app).await, before);

    // An XLSX list with English headers, named as measurements: children by asuh id, real dates.
    let (rina_id, bayu_id, citra_id) = (
        id_of(&app, "Rina Amalia").await,
        id_of(&app, "Bayu Pratama").await,
        id_of(&app, "Citra Dewi").await,
    );
    let (d2, d1) = (days_ago(2), days_ago(1));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (col, h) in (0u16..).zip([
        "Child ID",
        "Measurement date",
        "Position",
        "Height (cm)",
        "Weight (kg)",
    ]) {
        sheet.write_string(0, col, h).expect("header");
    }
    let xlsx_rows: [(i64, NaiveDate, &str, f64, f64); 3] = [
        (bayu_id, d2, "standing", 85.0, 11.0),
        (rina_id, d10, "", 72.5, 8.3), // corrects the weight of a recorded day
        (citra_id, d1, "", 55.5, 4.6),
    ];
    for (row, (id, on, position, cm, kg)) in (1u32..).zip(xlsx_rows) {
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(
            u16::try_from(on.year()).expect("year"),
            u8::try_from(on.month()).expect("month"),
            u8::try_from(on.day()).expect("day"),
        )
        .expect("date");
        sheet.write_number(row, 0, id as f64).expect("id");
        sheet
            .write_datetime_with_format(row, 1, &date, &date_format)
            .expect("date");
        if !position.is_empty() {
            sheet.write_string(row, 2, position).expect("position");
        }
        sheet.write_number(row, 3, cm).expect("height");
        sheet.write_number(row, 4, kg).expect("weight");
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    let xlsx = app
        .import_file("meas-3", "measurements-posyandu.xlsx", &bytes)
        .await;
    assert!(
        xlsx.contains("Baris: 3 · ditambah: 2 · diperbarui: 1 · sama: 0 · ditolak: 0"),
        "{xlsx}"
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM measurements").await, 7);
    assert_eq!(
        app.db
            .scalar(&format!(
                "SELECT weight_g FROM measurements WHERE child_id = {rina_id} AND measured_on = '{d10}'"
            ))
            .await,
        8_300
    );
    let bayu = (Sex::Male, b.bayu, d2, 85.0, Position::Standing);
    assert_haz(&app, "Bayu Pratama", Some(d2), bayu).await;
    assert_haz(&app, "Bayu Pratama", None, bayu).await;
    let citra = (Sex::Female, b.citra, d1, 55.5, Position::Lying);
    assert_haz(&app, "Citra Dewi", None, citra).await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'measurement.import.replace'")
            .await,
        1
    );
    app.assert_spec_clean();
}

#[tokio::test]
async fn a_measurements_file_without_a_way_to_name_the_child_is_refused_whole() {
    let app = TestApp::spawn().await;
    let b = born();
    setup(&app, &b).await;
    let report = app
        .import_file_with_caption(
            "meas-bad",
            "posyandu.csv",
            Some("data pengukuran"),
            format!(
                "Nama Anak;Tanggal Ukur;Tinggi\nRina Amalia;{};72\n",
                dmy(days_ago(3))
            )
            .as_bytes(),
        )
        .await;
    assert!(
        report.contains("ditolak")
            && report.contains("kolom wajib tidak ada: ID anak, NIK, atau nama + tanggal lahir"),
        "{report}"
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM measurements").await, 0);
    app.assert_spec_clean();
}

/// `asuh ARGS`, which must succeed; its standard output.
fn cli_ok(app: &TestApp, args: &[&str]) -> String {
    let out = app.cli(args);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "asuh {args:?} failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Kendari's regions and the three children of [`born`], imported as an operator does: from the
/// command line, without the bot running; and [`three_children_file`] written in `dir`, whose path it
/// returns.
fn setup_by_cli(app: &TestApp, b: &Born, dir: &std::path::Path) -> String {
    let regions = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/regions-kendari.csv");
    let out = cli_ok(app, &["import", "regions", regions]);
    assert!(out.contains("added: 77"), "{out}");
    let children = dir.join("anak.csv");
    std::fs::write(
        &children,
        format!(
            "nama,jk,tanggal lahir,nama ibu,kecamatan,nik\n\
             Rina Amalia,P,{},Sri Wahyuni,Mandonga,{RINA_NIK}\n\
             Bayu Pratama,L,{},Hasnah,Mandonga,\n\
             Citra Dewi,P,{},Nurhayati,Kadia,\n",
            dmy(b.rina),
            dmy(b.bayu),
            dmy(b.citra)
        ),
    )
    .expect("write the children's file");
    let out = cli_ok(app, &["import", "children", &children.to_string_lossy()]);
    assert!(
        out.contains("Rows: 3 · added: 3 · updated: 0 · unchanged: 0 · rejected: 0"),
        "{out}"
    );
    let measurements = dir.join("posyandu.csv");
    std::fs::write(&measurements, three_children_file(b)).expect("write the measurements file");
    measurements.to_string_lossy().to_string()
}

/// A measurements file of one row per child, each in the position that tests a conversion: Rina (about
/// 380 days old) standing, +0.7 cm; Bayu (about 860 days) lying, −0.7 cm; Citra (15 days) "standing",
/// which WHO does not believe under nine months: no conversion. Then a row for a child that does not
/// exist and one WHO would flag.
fn three_children_file(b: &Born) -> String {
    format!(
        "ID Anak;NIK;Nama Anak;Tgl Lahir;Nama Ortu;Tanggal Pengukuran;Cara Ukur;Tinggi (cm);Berat (kg);LiLA (cm)\n\
         ;{RINA_NIK};;;;{};Berdiri;72,0;8,5;\n\
         ;;Bayu Pratama;{};;{};Berbaring;85,0;11,0;\n\
         ;;Citra Dewi;{};Nurhayati;{};Berdiri;52,0;3,6;\n\
         99999;;;;;{};;80,0;;\n\
         ;{RINA_NIK};;;;{};Berdiri;72,5;30,0;\n",
        dmy(days_ago(20)),
        dmy(b.bayu),
        dmy(days_ago(40)),
        dmy(b.citra),
        dmy(days_ago(30)),
        dmy(days_ago(10)),
        dmy(days_ago(5)),
    )
}

#[tokio::test]
async fn a_measurements_file_is_imported_from_the_command_line() {
    let app = TestApp::new().await;
    let b = born();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = setup_by_cli(&app, &b, dir.path());

    let out = cli_ok(&app, &["import", "measurements", &path]);
    assert!(
        out.contains("Rows: 5 · added: 3 · updated: 0 · unchanged: 0 · rejected: 2"),
        "{out}"
    );
    assert!(out.contains("Line 5: child ID 99999 not found"), "{out}");
    assert!(out.contains("Line 6: measurement not recorded"), "{out}");
    assert!(!out.contains('<'), "terminal text, not HTML: {out}");

    // Each row with the z-score WHO gives it, in the position it was measured; the operator is nobody
    // in the chat.
    assert_eq!(
        app.db
            .scalar(
                "SELECT COUNT(*) FROM measurements WHERE source = 'import' AND recorded_by IS NULL"
            )
            .await,
        3
    );
    let rina = (Sex::Female, b.rina, days_ago(20), 72.0, Position::Standing);
    let bayu = (Sex::Male, b.bayu, days_ago(40), 85.0, Position::Lying);
    let citra = (Sex::Female, b.citra, days_ago(30), 52.0, Position::Standing);
    for (name, m) in [
        ("Rina Amalia", rina),
        ("Bayu Pratama", bayu),
        ("Citra Dewi", citra),
    ] {
        assert_haz(&app, name, Some(m.2), m).await;
        assert_haz(&app, name, None, m).await;
    }
    // Citra's "standing" at 15 days is scored as the length it must be: as if lying, no 0.7 cm.
    assert_eq!(
        expected_haz(Sex::Female, b.citra, days_ago(30), 52.0, Position::Standing),
        expected_haz(Sex::Female, b.citra, days_ago(30), 52.0, Position::Lying)
    );
    assert_eq!(
        app.db
            .scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'measurement.import.add' AND actor_id IS NULL"
            )
            .await,
        3
    );

    // The same file again changes nothing.
    let before = fingerprint(&app).await;
    let again = cli_ok(&app, &["import", "measurements", &path]);
    assert!(
        again.contains("Rows: 5 · added: 0 · updated: 0 · unchanged: 3 · rejected: 2"),
        "{again}"
    );
    assert_eq!(fingerprint(&app).await, before);

    // A file that is not there: one line, a non-zero exit.
    let missing = app.cli(&["import", "measurements", "/nonexistent/pengukuran.csv"]);
    let err = String::from_utf8_lossy(&missing.stderr).to_string();
    assert!(!missing.status.success());
    assert!(
        err.contains("cannot read") && err.trim().lines().count() == 1,
        "{err}"
    );
}

#[tokio::test]
async fn growth_rescore_puts_right_the_z_scores_an_old_rule_stored() {
    let app = TestApp::new().await;
    let b = born();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = setup_by_cli(&app, &b, dir.path());
    cli_ok(&app, &["import", "measurements", &path]);
    let (rina, bayu, citra) = (
        id_of(&app, "Rina Amalia").await,
        id_of(&app, "Bayu Pratama").await,
        id_of(&app, "Citra Dewi").await,
    );
    let milli = |z: f64| (z * 1000.0).round() as i64;
    let citra_days = age_days(b.citra, days_ago(30)).expect("age");
    let bayu_days = age_days(b.bayu, days_ago(40)).expect("age");

    // What a rule WHO does not follow stored: Citra's "standing" at 15 days taken as standing, with
    // 0.7 cm added, for length-for-age and BMI; Bayu's weight-for-height 0.39 SD off; Rina's latest
    // height-for-age on her record out of step with her measurement.
    let old_haz = milli(growth::haz(Sex::Female, citra_days, 52.7, Position::Lying).expect("haz"));
    let old_baz =
        milli(growth::baz(Sex::Female, citra_days, 52.7, Position::Lying, 3.6).expect("baz"));
    app.db
        .exec(&format!(
            "UPDATE measurements SET haz_milli = {old_haz}, baz_milli = {old_baz} WHERE child_id = {citra}"
        ))
        .await;
    app.db
        .exec(&format!(
            "UPDATE children SET haz_milli = {old_haz} WHERE id = {citra}"
        ))
        .await;
    app.db
        .exec(&format!(
            "UPDATE measurements SET whz_milli = whz_milli + 390 WHERE child_id = {bayu}"
        ))
        .await;
    app.db
        .exec(&format!(
            "UPDATE children SET haz_milli = -4321 WHERE id = {rina}"
        ))
        .await;
    let stored = |sql: String| {
        let app = &app;
        async move { app.db.scalar(&sql).await }
    };
    let citra_haz = format!("SELECT haz_milli FROM measurements WHERE child_id = {citra}");
    assert_eq!(stored(citra_haz.clone()).await, old_haz);

    // A dry run counts and writes nothing.
    let before = fingerprint(&app).await;
    let dry = cli_ok(&app, &["growth", "rescore", "--dry-run"]);
    assert!(
        dry.contains("3 measurements rescored with WHO's current rules (dry run, nothing written): 2 would change (Height-for-age 1, Weight-for-age 0, Weight-for-height 1, BMI-for-age 1); 2 children's latest height-for-age would change"),
        "{dry}"
    );
    assert_eq!(fingerprint(&app).await, before);

    // In batches of two (so one child's measurements and the children's refresh span batches).
    let out = cli_ok(&app, &["growth", "rescore", "--batch", "2"]);
    assert!(
        out.contains("3 measurements rescored with WHO's current rules: 2 changed (Height-for-age 1, Weight-for-age 0, Weight-for-height 1, BMI-for-age 1); 2 children's latest height-for-age changed"),
        "{out}"
    );
    let haz = milli(growth::haz(Sex::Female, citra_days, 52.0, Position::Standing).expect("haz"));
    let bmi_z =
        milli(growth::baz(Sex::Female, citra_days, 52.0, Position::Standing, 3.6).expect("baz"));
    let whz = milli(growth::whz(Sex::Male, bayu_days, 85.0, Position::Lying, 11.0).expect("whz"));
    assert_ne!(haz, old_haz);
    assert_eq!(stored(citra_haz).await, haz);
    assert_eq!(
        stored(format!(
            "SELECT baz_milli FROM measurements WHERE child_id = {citra}"
        ))
        .await,
        bmi_z
    );
    assert_eq!(
        stored(format!("SELECT haz_milli FROM children WHERE id = {citra}")).await,
        haz
    );
    assert_eq!(
        stored(format!(
            "SELECT whz_milli FROM measurements WHERE child_id = {bayu}"
        ))
        .await,
        whz
    );
    let rina_m = (Sex::Female, b.rina, days_ago(20), 72.0, Position::Standing);
    assert_haz(&app, "Rina Amalia", None, rina_m).await;
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'growth.rescore'")
            .await,
        1
    );

    // Nothing is left to put right.
    let again = cli_ok(&app, &["growth", "rescore"]);
    assert!(
        again.contains("3 measurements rescored with WHO's current rules: 0 changed (Height-for-age 0, Weight-for-age 0, Weight-for-height 0, BMI-for-age 0); 0 children's latest height-for-age changed"),
        "{again}"
    );
    assert!(!again.contains("flagged"), "{again}");
}
