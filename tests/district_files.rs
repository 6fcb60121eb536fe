//! End to end: a district's own files work on day one — the official region list built in (a regency set
//! up in one command, on the server or in the chat), and the imports that read what offices really export.

mod support;

use std::collections::HashMap;
use support::{ADMIN_ID, EPPGBM, TestApp};

#[tokio::test]
async fn a_regency_is_set_up_in_one_command_from_the_built_in_list() {
    let mut app = TestApp::new().await;
    let out = app.cli(&["migrate"]);
    assert!(out.status.success());
    let out = app.cli(&["regions", "add", "74.05"]);
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("Konawe Selatan"), "{printed}");
    let count = |level: &str| {
        format!(
            "SELECT COUNT(*) FROM regions WHERE level = '{level}' AND (code = '74.05' OR code LIKE '74.05.%')"
        )
    };
    assert_eq!(app.db.scalar(&count("regency")).await, 1);
    assert_eq!(app.db.scalar(&count("district")).await, 25);
    assert_eq!(app.db.scalar(&count("village")).await, 351);
    assert_eq!(
        app.db
            .text("SELECT timezone FROM regions WHERE code = '74'")
            .await
            .as_deref(),
        Some("Asia/Makassar")
    );
    // Again: nothing new.
    let out = app.cli(&["regions", "add", "74.05"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(": 0 regions added"));
    let bad = app.cli(&["regions", "add", "74.99"]);
    assert!(!bad.status.success());

    // In the chat, a coordinator sets up Kota Kendari by its code alone; a scoped one only inside their scope.
    app.start().await;
    let admin = app.admin();
    app.say(&admin, "/start").await;
    let added = app.say(&admin, "/wilayah_tambah 74.71").await.plain_text();
    assert!(
        added.contains("Kota Kendari") && added.contains("kecamatan"),
        "{added}"
    );
    assert!(
        app.db
            .scalar("SELECT COUNT(*) FROM regions WHERE level = 'district' AND code LIKE '74.71.%'")
            .await
            >= 10
    );
    let konsel = app.coordinator_of(610_001, "Camat", "74.05.01").await;
    let refused = app.say(&konsel, "/wilayah_tambah 74.72").await.plain_text();
    assert!(refused.contains("di luar wilayah"), "{refused}");
}

// ---------------------------------------------------------------------------------------------------------
// A health office's own export: the e-PPGBM (SIGIZI) layout, as a semicolon CSV sent in the chat and as an
// XLSX imported on the server, with the variants real lists carry.

fn col(name: &str) -> usize {
    EPPGBM
        .iter()
        .position(|h| *h == name)
        .expect("an e-PPGBM column")
}

#[derive(Debug, Clone)]
struct Village {
    code: String,
    name: String,
    kecamatan: String,
}

/// How a test compares region names: what any office would take for the same name.
fn key(name: &str) -> String {
    name.to_lowercase()
        .replace(['-', '.'], " ")
        .replace('\'', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `name` with one letter doubled inside it — a slip — when that still points at it alone among `others`.
fn slip(name: &str, others: &[&str]) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 6 {
        return None;
    }
    let at = chars.len() / 2;
    let typed: String = chars[..at]
        .iter()
        .chain(std::iter::once(&chars[at]))
        .chain(chars[at..].iter())
        .collect();
    let k = key(&typed);
    let alone = others
        .iter()
        .filter(|o| key(o) != key(name))
        .all(|o| levenshtein(&k, &key(o)) > 2);
    alone.then_some(typed)
}

/// What the import must do with a line.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Added, in this village; `warned`: with a z-score note.
    Added { village: String, warned: bool },
    /// Rejected, the reason containing this (in Indonesian, in English).
    Rejected(String, String),
}

struct Line {
    name: String,
    cells: Vec<String>,
    outcome: Outcome,
}

/// A median-ish weight for a length, so that the generated children are plausible.
fn weight_for(cm: f64) -> f64 {
    let points = [
        (45.0, 2.4),
        (55.0, 4.5),
        (65.0, 7.0),
        (75.0, 9.5),
        (85.0, 11.8),
        (95.0, 14.0),
        (105.0, 17.0),
        (120.0, 22.0),
    ];
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if cm <= x1 {
            return y0 + (y1 - y0) * ((cm - x0) / (x1 - x0)).max(0.0);
        }
    }
    22.0
}

/// A regency's export of `valid` children plus the defective lines an office really sends, its names drawn
/// from `first`/`last` so that two batches are different children.
fn eppgbm_rows(
    villages: &[Village],
    kecamatan: &[String],
    today: chrono::NaiveDate,
    surnames: &[&str],
    batch: usize,
) -> Vec<Line> {
    // The XLSX batch has numbers, the CSV Indonesian decimal commas.
    let decimal_comma = batch > 0;
    use asuh::domain::child::Sex;
    use asuh::domain::growth::{self, Position};
    const FIRST: [&str; 20] = [
        "Andi", "Siti", "Muhammad", "Nur", "Aisyah", "Rizky", "Putri", "Fajar", "Dewi", "Ahmad",
        "Wa Ode", "La Ode", "Sitti", "Nabila", "Rahmat", "Indah", "Arif", "Zahra", "Bima", "Citra",
    ];
    let num = |x: f64, places: usize| {
        let s = format!("{x:.places$}");
        if decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    };
    let by_key = |v: &Village| key(&v.name);
    let mut count: HashMap<String, usize> = HashMap::new();
    for v in villages {
        *count.entry(by_key(v)).or_default() += 1;
    }
    let unique: Vec<&Village> = villages.iter().filter(|v| count[&by_key(v)] == 1).collect();
    let hyphenated: Vec<&Village> = unique
        .iter()
        .copied()
        .filter(|v| v.name.contains('-'))
        .collect();
    let shared: Vec<&Village> = villages.iter().filter(|v| count[&by_key(v)] > 1).collect();
    let measured_on = today - chrono::Days::new(20);
    let mut lines = Vec::new();
    let person = |n: usize| {
        format!(
            "{} {}",
            FIRST[n % FIRST.len()],
            surnames[(n / FIRST.len()) % surnames.len()]
        )
    };
    for i in 0..240usize {
        // The hyphenated names are few: every twelfth child lives in one.
        let village = if i % 12 == 1 {
            hyphenated[(i / 12) % hyphenated.len()]
        } else {
            unique[(i * 7) % unique.len()]
        };
        let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
        let age = 40 + (i * 37) % 1700;
        let born = measured_on - chrono::Days::new(age as u64);
        let z = -3.0 + (i % 7) as f64 * 0.5;
        let position = if age < 731 {
            Position::Lying
        } else {
            Position::Standing
        };
        let cm = (growth::length_at_z(sex, age as u32, z).expect("a length") * 10.0).round() / 10.0;
        let kg = (weight_for(cm) * 10.0).round() / 10.0;
        let haz = growth::haz(sex, age as u32, cm, position).expect("a z-score");
        let mut name = person(i);
        let mut guardian = format!(
            "{} binti {}",
            FIRST[(i + 3) % 20],
            surnames[i % surnames.len()]
        );
        let mut kec = village.kecamatan.clone();
        let mut desa = village.name.clone();
        let mut file_haz = haz;
        let mut warned = false;
        let mut nik = String::new();
        match i % 12 {
            0 => {
                let prefix = if village
                    .code
                    .split('.')
                    .nth(3)
                    .is_some_and(|c| c.starts_with('1'))
                {
                    "KEL. "
                } else {
                    "DESA "
                };
                desa = format!("{prefix}{}", village.name.to_uppercase());
                kec = kec.to_uppercase();
            }
            1 => desa = village.name.replace('-', " ").to_uppercase(),
            2 => kec = String::new(),
            3 => {
                kec = format!("KEC.  {}", kec.replace(' ', "  "));
                desa = format!("  {}  ", desa.to_lowercase());
            }
            4 => {
                let others: Vec<&str> = villages
                    .iter()
                    .filter(|v| v.kecamatan == village.kecamatan)
                    .map(|v| v.name.as_str())
                    .collect();
                if let Some(typed) = slip(&village.name, &others) {
                    desa = typed;
                }
            }
            5 => {
                let others: Vec<&str> = kecamatan.iter().map(String::as_str).collect();
                if let Some(typed) = slip(&village.kecamatan, &others) {
                    kec = typed;
                }
            }
            6 => {
                name = format!("{name} Nur'aini");
                guardian = "Wa Ode \"Ima\" Sitti".to_owned();
            }
            7 => {
                name = format!("{name}; Putra");
                guardian = "La Ode M. Ali'".to_owned();
            }
            10 => nik = format!("'7405{:012}", 100_000 + i + batch * 1000),
            11 => {
                file_haz = haz + 2.0;
                warned = true;
            }
            _ => {}
        }
        let mut cells = vec![String::new(); EPPGBM.len()];
        let mut set = |c: &str, v: String| cells[col(c)] = v;
        set("NIK", nik);
        set("Nama", name.clone());
        set("JK", if sex == Sex::Male { "L" } else { "P" }.into());
        set(
            "Tgl Lahir",
            if i % 3 == 0 {
                born.format("%Y-%m-%d").to_string()
            } else {
                born.format("%d/%m/%Y").to_string()
            },
        );
        set("BB Lahir", num(3.1, 1));
        set("TB Lahir", "49".into());
        set("Nama Ortu", guardian);
        set("Prov", "SULAWESI TENGGARA".into());
        set("Kab/Kota", "KONAWE SELATAN".into());
        set("Kec", kec);
        set("Pukesmas", village.kecamatan.to_uppercase());
        set("Desa/Kel", desa);
        set("Posyandu", format!("Melati {}", i % 5 + 1));
        set("RT", "002".into());
        set("RW", "001".into());
        set("Alamat", "Dusun II; dekat masjid".into());
        set(
            "Usia Saat Ukur",
            format!(
                "{} Tahun - {} Bulan - {} Hari",
                age / 365,
                (age % 365) / 30,
                age % 30
            ),
        );
        set(
            "Tanggal Pengukuran",
            measured_on.format("%Y-%m-%d").to_string(),
        );
        set("Bulan Pengukuran", "November".into());
        set("Berat", num(kg, 1));
        set("Tinggi", num(cm, 1));
        set(
            "Cara Ukur",
            if position == Position::Lying {
                "Terlentang"
            } else {
                "Berdiri"
            }
            .into(),
        );
        set("TB/U", if haz < -2.0 { "Pendek" } else { "Normal" }.into());
        set("ZS TB/U", num(file_haz, 2));
        lines.push(Line {
            name,
            cells,
            outcome: Outcome::Added {
                village: village.code.clone(),
                warned,
            },
        });
    }
    // The lines no one can place or read, each with what the office must hear.
    type Change = Box<dyn Fn(&mut Vec<String>)>;
    let defective: Vec<(&str, &str, Change)> = vec![
        (
            "kelurahan/desa «Kampung Atlantis» tidak ada di kecamatan itu; yang terdekat:",
            "no village «Kampung Atlantis» in that kecamatan; the nearest:",
            Box::new(|c: &mut Vec<String>| c[col("Desa/Kel")] = "Kampung Atlantis".into()),
        ),
        (
            "kecamatan «Atlantis» tidak dikenal",
            "no kecamatan «Atlantis» is known",
            Box::new(|c: &mut Vec<String>| c[col("Kec")] = "Atlantis".into()),
        ),
        (
            "«31/02/2025» pada tanggal lahir bukan tanggal",
            "«31/02/2025» in date of birth is not a date",
            Box::new(|c: &mut Vec<String>| c[col("Tgl Lahir")] = "31/02/2025".into()),
        ),
        (
            "anak sudah berusia 5 tahun",
            "five years or older",
            Box::new(|c: &mut Vec<String>| c[col("Tgl Lahir")] = "01/01/2019".into()),
        ),
    ];
    let base = lines[0].cells.clone();
    let base_village = unique[0];
    for (k, (id, en, change)) in defective.into_iter().enumerate() {
        let mut cells = base.clone();
        cells[col("Kec")] = base_village.kecamatan.clone();
        cells[col("Desa/Kel")] = base_village.name.clone();
        let name = format!("{} Gunawan", FIRST[k]);
        cells[col("Nama")] = name.clone();
        change(&mut cells);
        lines.push(Line {
            name,
            cells,
            outcome: Outcome::Rejected(id.to_owned(), en.to_owned()),
        });
    }
    // A village filed under the wrong kecamatan: named with its own.
    let moved = unique[3];
    let wrong = kecamatan
        .iter()
        .find(|k| **k != moved.kecamatan)
        .expect("another kecamatan");
    let mut cells = base.clone();
    let name = "Harjono Gunawan".to_owned();
    cells[col("Nama")] = name.clone();
    cells[col("Kec")] = wrong.clone();
    cells[col("Desa/Kel")] = moved.name.clone();
    lines.push(Line {
        name,
        cells,
        outcome: Outcome::Rejected(
            format!("ada di Kecamatan {}, bukan", moved.kecamatan),
            format!("is in Kecamatan {}, not", moved.kecamatan),
        ),
    });
    // No kecamatan, and a village name several kecamatan share: both named.
    let twin = shared[0];
    let mut cells = base.clone();
    let name = "Ekawati Gunawan".to_owned();
    cells[col("Nama")] = name.clone();
    cells[col("Kec")] = String::new();
    cells[col("Desa/Kel")] = twin.name.clone();
    lines.push(Line {
        name,
        cells,
        outcome: Outcome::Rejected(
            format!("«{}» ada di beberapa kecamatan", twin.name),
            format!("«{}» is in several kecamatan", twin.name),
        ),
    });
    // Interleave the defective lines with the good ones, as they come in a real file.
    let tail = lines.split_off(240);
    for (k, line) in tail.into_iter().enumerate() {
        lines.insert(17 + k * 31, line);
    }
    lines
}

fn csv_of(lines: &[Line]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(EPPGBM).expect("header");
    for line in lines {
        w.write_record(&line.cells).expect("row");
    }
    w.into_inner().expect("csv")
}

fn xlsx_of(lines: &[Line]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    // e-PPGBM puts a title above the table.
    sheet
        .write_string(0, 0, "Data Balita Pengukuran Bulan November")
        .expect("title");
    for (c, h) in EPPGBM.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).expect("header");
    }
    let numeric = [col("Berat"), col("Tinggi"), col("ZS TB/U"), col("BB Lahir")];
    for (r, line) in lines.iter().enumerate() {
        for (c, v) in line.cells.iter().enumerate() {
            let (row, c16) = (r as u32 + 3, c as u16);
            match v.replace(',', ".").parse::<f64>() {
                Ok(x) if numeric.contains(&c) => sheet.write_number(row, c16, x),
                _ => sheet.write_string(row, c16, v),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// The villages and kecamatan of Konawe Selatan as set up from the built-in list.
async fn konawe_selatan(app: &TestApp) -> (Vec<Village>, Vec<String>) {
    let villages = app
        .db
        .rows(
            "SELECT v.code, v.name, k.name FROM regions v JOIN regions k ON k.code = v.parent_code
             WHERE v.level = 'village' AND v.code LIKE '74.05.%' ORDER BY v.code",
        )
        .await
        .into_iter()
        .map(|r| Village {
            code: r[0].clone(),
            name: r[1].clone(),
            kecamatan: r[2].clone(),
        })
        .collect();
    let kecamatan = app
        .db
        .rows("SELECT name FROM regions WHERE level = 'district' AND code LIKE '74.05.%' ORDER BY code")
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    (villages, kecamatan)
}

/// Every line's outcome, checked against the report text (Indonesian, or English) and the database.
async fn check(app: &TestApp, lines: &[Line], report: &str, english: bool) {
    let line_word = if english { "Line" } else { "Baris" };
    for (i, line) in lines.iter().enumerate() {
        let number = i + 2;
        let stored = app
            .db
            .text(&format!(
                "SELECT village_code FROM children WHERE full_name = '{}'",
                line.name.replace('\'', "''")
            ))
            .await;
        match &line.outcome {
            Outcome::Added { village, warned } => {
                assert_eq!(
                    stored.as_deref(),
                    Some(village.as_str()),
                    "line {number} {:?}",
                    line.cells
                );
                if *warned && !report.contains(&format!("{line_word} {number}:")) {
                    eprintln!("DEBUG {:?} {:?}", line.cells[col("ZS TB/U")], app.db.rows(&format!("SELECT CAST(m.haz_milli AS TEXT), CAST(m.length_mm AS TEXT), m.position, CAST(m.measured_on AS TEXT) FROM measurements m JOIN children c ON c.id = m.child_id WHERE c.full_name = '{}'", line.name.replace('\'', "''"))).await);
                }
                if *warned {
                    assert!(
                        report.contains(&format!("{line_word} {number}: ZS TB/U"))
                            || report
                                .contains(&format!("{line_word} {number}: the file's ZS TB/U")),
                        "line {number} is not warned about: {report}"
                    );
                }
            }
            Outcome::Rejected(id, en) => {
                let reason = if english { en } else { id };
                assert_eq!(stored, None, "line {number} was added: {:?}", line.cells);
                let said = report
                    .lines()
                    .find(|l| l.contains(&format!("{line_word} {number}:")))
                    .unwrap_or_else(|| panic!("line {number} is not named: {report}"));
                assert!(said.contains(reason.as_str()), "line {number}: {said}");
            }
        }
    }
}

#[tokio::test]
async fn a_health_office_export_imports_every_valid_row_and_names_every_defective_one() {
    let mut app = TestApp::new().await;
    assert!(app.cli(&["migrate"]).status.success());
    assert!(app.cli(&["regions", "add", "74.05"]).status.success());
    let (villages, kecamatan) = konawe_selatan(&app).await;
    let today = chrono::Utc::now().date_naive();

    // On the server: the XLSX, every line named on the command line, the rejected rows beside the file.
    let xlsx_lines = eppgbm_rows(
        &villages,
        &kecamatan,
        today,
        &[
            "Saputra",
            "Lestari",
            "Ramadhan",
            "Amalia",
            "Pratama",
            "Hasanah",
            "Kurniawan",
            "Wulandari",
            "Hidayat",
            "Safitri",
            "Anwar",
            "Maharani",
            "Syahputra",
        ],
        0,
    );
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("eppgbm-konsel.xlsx");
    std::fs::write(&path, xlsx_of(&xlsx_lines)).expect("write");
    let out = app.cli(&["import", "children", path.to_str().expect("path")]);
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rejected = xlsx_lines
        .iter()
        .filter(|l| matches!(l.outcome, Outcome::Rejected(..)))
        .count();
    assert!(
        printed.contains(&format!(
            "added: {} · updated: 0 · unchanged: 0 · rejected: {rejected}",
            xlsx_lines.len() - rejected
        )),
        "{printed}"
    );
    // XLSX lines count from the sheet's row: the title and an empty row come before the header.
    let shifted: String = printed
        .lines()
        .map(
            |l| match l.strip_prefix("Line ").and_then(|r| r.split_once(':')) {
                Some((n, rest)) => {
                    format!("Line {}:{rest}", n.parse::<usize>().expect("line") - 2)
                }
                None => l.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    check(&app, &xlsx_lines, &shifted, true).await;
    let beside = dir.path().join("eppgbm-konsel-rejected.csv");
    assert!(beside.exists(), "{printed}");

    // In the chat: the same export as a semicolon CSV of other children.
    app.start().await;
    let admin = app.admin();
    app.say(&admin, "/start").await;
    let csv_lines = eppgbm_rows(
        &villages,
        &kecamatan,
        today,
        &[
            "Rahman",
            "Sari",
            "Utami",
            "Nugroho",
            "Yusuf",
            "Fitriani",
            "Hakim",
            "Permata",
            "Salim",
            "Anggraini",
            "Basri",
            "Kartika",
            "Munir",
        ],
        1,
    );
    let bytes = csv_of(&csv_lines);
    let report = app
        .import_file("eppgbm-1", "SIGIZI_KONSEL_NOV.csv", &bytes)
        .await;
    let rejected = csv_lines
        .iter()
        .filter(|l| matches!(l.outcome, Outcome::Rejected(..)))
        .count();
    assert!(
        report.contains(&format!(
            "ditambah: {} · diperbarui: 0 · sama: 0 · ditolak: {rejected}",
            csv_lines.len() - rejected
        )),
        "{report}"
    );
    check(&app, &csv_lines, &report, false).await;
    // The rejected rows come back as a file with the reason, in the file's own layout.
    // (`import_file` read the report up to that file.)
    let file = app
        .tg
        .messages_to(ADMIN_ID)
        .into_iter()
        .rfind(|m| m.method == "sendDocument")
        .expect("the rejected rows' file");
    let returned = String::from_utf8(app.tg.sent_file(&file).expect("the file")).expect("utf-8");
    let mut reader =
        csv::ReaderBuilder::new().from_reader(returned.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[..EPPGBM.len()], EPPGBM, "{header:?}");
    assert_eq!(header.last().map(String::as_str), Some("Alasan penolakan"));
    let mut back: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(back.len(), rejected);

    // The same file again changes nothing.
    let again = app
        .import_file("eppgbm-2", "SIGIZI_KONSEL_NOV.csv", &bytes)
        .await;
    assert!(
        again.contains(&format!(
            "ditambah: 0 · diperbarui: 0 · sama: {}",
            csv_lines.len() - rejected
        )),
        "{again}"
    );

    // Corrected and sent back as it is, the rejected rows are added.
    let fix = &villages[0];
    let born = csv_lines[0].cells[col("Tgl Lahir")].clone();
    for row in &mut back {
        row[col("Kec")] = fix.kecamatan.clone();
        row[col("Desa/Kel")] = fix.name.clone();
        row[col("Tgl Lahir")] = born.clone();
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("header");
    for row in &back {
        w.write_record(row).expect("row");
    }
    let corrected = w.into_inner().expect("csv");
    let report = app
        .import_file("eppgbm-3", "SIGIZI_KONSEL_NOV-ditolak.csv", &corrected)
        .await;
    assert!(
        report.contains(&format!(
            "ditambah: {rejected} · diperbarui: 0 · sama: 0 · ditolak: 0"
        )),
        "{report}"
    );
}

#[tokio::test]
async fn a_long_report_goes_on_over_several_messages_and_names_every_line() {
    let mut app = TestApp::new().await;
    assert!(app.cli(&["migrate"]).status.success());
    assert!(app.cli(&["regions", "add", "74.05"]).status.success());
    app.start().await;
    let admin = app.admin();
    app.say(&admin, "/start").await;
    // 150 children of a village no list has: each line rejected with the nearest names.
    let mut file = String::from("Nama;JK;Tgl Lahir;Nama Ortu;Kec;Desa/Kel\n");
    let first = [
        "Andi", "Siti", "Rizky", "Putri", "Fajar", "Dewi", "Ahmad", "Indah", "Arif", "Zahra",
    ];
    let last = [
        "Saputra",
        "Lestari",
        "Amalia",
        "Pratama",
        "Hasanah",
        "Hidayat",
        "Safitri",
        "Anwar",
        "Maharani",
        "Kurniawan",
        "Wulandari",
        "Syahputra",
        "Ramadhan",
        "Basri",
        "Munir",
    ];
    for i in 0..150 {
        file.push_str(&format!(
            "{} {};L;01/02/2025;Sitti Aminah;Tinanggea;Kampung Atlantis Raya\n",
            first[i % first.len()],
            last[i / first.len()]
        ));
    }
    let report = app
        .import_file("long-1", "posyandu.csv", file.as_bytes())
        .await;
    assert!(report.contains("ditolak: 150"), "{report}");
    // The report goes on over several messages (the helper gathers them up to the rejected rows' file).
    let all = report;
    assert!(
        app.tg
            .messages_to(ADMIN_ID)
            .iter()
            .filter(|m| m.method == "sendMessage")
            .count()
            > 2,
        "one message only: {all}"
    );
    for line in 2..=151 {
        assert!(
            all.contains(&format!(
                "Baris {line}: kelurahan/desa «Kampung Atlantis Raya»"
            )),
            "line {line} is not named: {all}"
        );
    }
    app.assert_spec_clean();
}
