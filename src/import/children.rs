//! Lists of children with stunting, as health offices hand them over (e-PPGBM exports, posyandu records):
//! a CSV or XLSX file in, validated [`ChildRecord`]s and a row-by-row report out.
//!
//! Offices name their columns in Indonesian or English, in any order, so columns are found by the names they
//! go by (see [`Column`]). Each row either becomes a record or gets exactly one [`RowError`], the first
//! problem found, so a coordinator can fix the file row by row and send it again. Rows are checked against
//! the programme's rules (a child under five, born by `today`, plausible measurements) and against the
//! regions asuh knows, through [`RegionLookup`], which the caller backs with its region list.

use super::measurements::parse_position;
use super::{FileKind, ReadError, Row, TooLarge, read_table};
use crate::domain::child::{Sex, age_days};
use crate::domain::growth::Position;
use crate::domain::region::{RegionCode, RegionLevel};
use crate::domain::sponsor::{PersonName, Phone};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

/// The most rows one file may have: a whole regency's list fits many times over, and a file beyond it is a
/// mistake (a national export, a runaway sheet) better refused whole than half-imported.
pub const MAX_ROWS: usize = 50_000;

/// A child must be younger than this on the day of the import: 5 years (with one leap day), the age up to
/// which stunting is measured and the programme helps.
pub const MAX_AGE_DAYS: u32 = 1826;

/// Plausible length/height of a child under five, in cm; a value outside is a typo or a unit mix-up (mm, m).
const HEIGHT_CM: std::ops::RangeInclusive<f64> = 40.0..=130.0;
/// Plausible weight of a child under five, in kg; outside is a typo or grams.
const WEIGHT_KG: std::ops::RangeInclusive<f64> = 1.0..=30.0;

/// The columns of a children's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Sex,
    BirthDate,
    Guardian,
    Kecamatan,
    Phone,
    Address,
    Village,
    Posyandu,
    Nik,
    Height,
    Weight,
    MeasuredOn,
    Notes,
    Puskesmas,
    /// How the child was measured (e-PPGBM's `Cara Ukur`: berdiri / terlentang).
    Position,
    /// The file's own height-for-age z-score (`ZS TB/U`), checked against asuh's.
    FileHaz,
    /// The file's own weight-for-age z-score (`ZS BB/U`).
    FileWaz,
    /// The file's own weight-for-length/height z-score (`ZS BB/TB`).
    FileWhz,
    /// The regency/city (e-PPGBM's `Kab/Kota`): tells apart kecamatan of the same name.
    Regency,
}

impl Column {
    pub const ALL: [Column; 20] = [
        Self::Name,
        Self::Sex,
        Self::BirthDate,
        Self::Guardian,
        Self::Kecamatan,
        Self::Phone,
        Self::Address,
        Self::Village,
        Self::Posyandu,
        Self::Nik,
        Self::Height,
        Self::Weight,
        Self::MeasuredOn,
        Self::Notes,
        Self::Puskesmas,
        Self::Position,
        Self::FileHaz,
        Self::FileWaz,
        Self::FileWhz,
        Self::Regency,
    ];

    /// Without these a row cannot become a child in the programme (and a kecamatan or a village column:
    /// a village unique in the scope tells its kecamatan).
    pub const REQUIRED: [Column; 4] = [Self::Name, Self::Sex, Self::BirthDate, Self::Guardian];

    /// A stable name, for logs and as the key of a localized message.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Sex => "sex",
            Self::BirthDate => "birth_date",
            Self::Guardian => "guardian",
            Self::Kecamatan => "kecamatan",
            Self::Phone => "phone",
            Self::Address => "address",
            Self::Village => "village",
            Self::Posyandu => "posyandu",
            Self::Nik => "nik",
            Self::Height => "height",
            Self::Weight => "weight",
            Self::MeasuredOn => "measured_on",
            Self::Notes => "notes",
            Self::Puskesmas => "puskesmas",
            Self::Position => "position",
            Self::FileHaz => "file_haz",
            Self::FileWaz => "file_waz",
            Self::FileWhz => "file_whz",
            Self::Regency => "regency",
        }
    }

    /// The header texts this column goes by, folded (lowercase, no punctuation or unit in brackets).
    ///
    /// Matching is exact, never by substring: e-PPGBM exports also carry `BB Lahir`/`TB Lahir` (weight and
    /// length at birth) and `TB/U` (a z-score status), which must not be taken for today's measurements.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Name => &[
                "nama",
                "nama anak",
                "nama balita",
                "name",
                "child name",
                "childs name",
            ],
            Self::Sex => &["jenis kelamin", "jk", "l/p", "sex", "gender"],
            Self::BirthDate => &[
                "tanggal lahir",
                "tgl lahir",
                "tgllahir",
                "date of birth",
                "dob",
                "birth date",
                "birthdate",
            ],
            Self::Guardian => &[
                "nama orang tua",
                "nama ortu",
                "nama ibu/wali",
                "ibu/wali",
                "nama orang tua/wali",
                "nama ortu/wali",
                "orang tua/wali",
                "nama ibu/ayah",
                "nama ayah/ibu",
                "orang tua",
                "nama ibu",
                "ibu",
                "nama wali",
                "wali",
                "guardian",
                "guardian name",
                "parent",
                "parent name",
                "mother",
                "mother name",
                "mothers name",
            ],
            Self::Kecamatan => &[
                "kecamatan",
                "kec",
                "district",
                "subdistrict",
                "sub district",
            ],
            Self::Phone => &[
                "no hp",
                "nomor hp",
                "no telp",
                "no telepon",
                "nomor telepon",
                "telepon",
                "telp",
                "hp",
                "phone",
                "phone number",
            ],
            Self::Address => &["alamat", "address"],
            Self::Village => &[
                "kelurahan",
                "desa",
                "kelurahan/desa",
                "desa/kelurahan",
                "desa/kel",
                "kel/desa",
                "village",
            ],
            Self::Posyandu => &["posyandu", "nama posyandu"],
            Self::Nik => &["nik", "nik anak"],
            Self::Height => &[
                "tinggi",
                "tinggi badan",
                "tb",
                "panjang",
                "panjang badan",
                "pb",
                "tb/pb",
                "pb/tb",
                "height",
                "length",
            ],
            Self::Weight => &["berat", "berat badan", "bb", "weight"],
            Self::MeasuredOn => &[
                "tanggal ukur",
                "tgl ukur",
                "tanggal pengukuran",
                "tgl pengukuran",
                "measurement date",
                "measured on",
                "date measured",
            ],
            Self::Notes => &["catatan", "keterangan", "ket", "notes", "note"],
            Self::Puskesmas => &["puskesmas", "pukesmas", "nama puskesmas", "health centre"],
            Self::Position => &["cara ukur", "posisi ukur", "posisi", "position"],
            Self::FileHaz => &[
                "zs tb/u",
                "zs pb/u",
                "zs tb/pb/u",
                "z score tb/u",
                "zscore tb/u",
            ],
            Self::FileWaz => &["zs bb/u", "z score bb/u", "zscore bb/u"],
            Self::FileWhz => &["zs bb/tb", "zs bb/pb", "z score bb/tb", "zscore bb/tb"],
            Self::Regency => &[
                "kab/kota",
                "kabupaten/kota",
                "kota/kabupaten",
                "kabupaten",
                "kota",
                "kab",
                "regency",
                "city",
                "regency/city",
            ],
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a whole file was refused; nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// Not a CSV/XLSX file after all, or a damaged one; the text says what the reader found.
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    /// No header, or a header and no child.
    #[error("the file has no rows")]
    Empty,
    /// The header lacks required columns (all of them listed, so one correction is enough).
    #[error("the file lacks the columns {}", list(.0))]
    MissingColumns(Vec<Column>),
    #[error("the file has more than {max} rows")]
    TooManyRows { max: usize },
    /// An XLSX file that unpacks to more than an import may hold.
    #[error("{0}")]
    TooLarge(TooLarge),
}

fn list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<ReadError> for FileProblem {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Unreadable(why) => Self::Unreadable(why),
            ReadError::TooManyRows { max } => Self::TooManyRows { max },
            ReadError::TooLarge(why) => Self::TooLarge(why),
        }
    }
}

/// What a place cell names among the regions asuh knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One region is it.
    One(RegionCode),
    /// Several regions have exactly this name: the names of the regions they lie in, to tell them apart.
    Several(Vec<String>),
    /// None: the nearest names, best first (none when nothing is near).
    Unknown(Vec<String>),
}

/// How the import turns the place cells of a row into regions asuh knows.
///
/// The cell text is passed as written (trimmed), so an implementation can accept a Kemendagri code
/// (`74.71.05`) or a name as people write it (`KEC. KENDARI BARAT`, `Desa Bomba Bomba`, a close spelling).
pub trait RegionLookup {
    /// The regency/city that `text` names (e-PPGBM's `Kab/Kota`).
    fn regency(&self, text: &str) -> Found;
    /// The kecamatan (district) that `text` names, inside `regency` when the row says it.
    fn kecamatan(&self, regency: Option<&RegionCode>, text: &str) -> Found;
    /// The kelurahan/desa inside `kecamatan` that `text` names.
    fn village(&self, kecamatan: &RegionCode, text: &str) -> Found;
    /// Every kelurahan/desa of exactly this name (inside `regency` when the row says it): its kecamatan,
    /// itself, and the kecamatan's name. For a village filed under the wrong kecamatan, or with none.
    fn villages_named(
        &self,
        regency: Option<&RegionCode>,
        text: &str,
    ) -> Vec<(RegionCode, RegionCode, String)>;
}

/// A child's NIK (Nomor Induk Kependudukan): 16 digits, the first two a province code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nik(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a NIK is 16 digits and does not start with 0")]
pub struct InvalidNik;

impl Nik {
    /// Accepts the forms a NIK takes in office files: with spaces between digit groups, or with the leading
    /// `'` Excel users type to keep it as text. A NIK starting with 0 is refused: no province code does,
    /// and `0000000000000000` is the placeholder some lists use for "unknown", which must not make every such
    /// child a duplicate of the first.
    pub fn parse(s: &str) -> Result<Self, InvalidNik> {
        let s = s.trim();
        let s = s.strip_prefix('\'').unwrap_or(s);
        let digits: String = s.chars().filter(|c| *c != ' ').collect();
        let valid = digits.len() == 16
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if valid {
            Ok(Self(digits))
        } else {
            Err(InvalidNik)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A length/height measurement (with the weight when the file has it), the basis of the stunting status.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub height_cm: f64,
    pub weight_kg: Option<f64>,
    pub measured_on: NaiveDate,
    /// As the file says the child was measured; `None`: WHO's usual position for the age.
    pub position: Option<Position>,
    /// The file's own z-scores (height-for-age, weight-for-age, weight-for-length/height), to compare with
    /// asuh's.
    pub file_z: FileZ,
}

/// The z-scores a file states for a measurement (e-PPGBM's `ZS TB/U`, `ZS BB/U`, `ZS BB/TB`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FileZ {
    pub haz: Option<f64>,
    pub waz: Option<f64>,
    pub whz: Option<f64>,
}

/// A child from the file, every value checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRecord {
    pub name: PersonName,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub guardian: PersonName,
    pub guardian_phone: Option<Phone>,
    pub address: Option<String>,
    /// Always a district (kecamatan) code.
    pub kecamatan: RegionCode,
    /// Always inside `kecamatan`.
    pub village: Option<RegionCode>,
    pub posyandu: Option<String>,
    pub nik: Option<Nik>,
    pub measurement: Option<Measurement>,
    pub notes: Option<String>,
    /// The Puskesmas the child is registered with, as the file names it.
    pub puskesmas: Option<String>,
}

impl ChildRecord {
    /// How this child is recognised in another file when there is no NIK; see [`identity_key`].
    pub fn identity_key(&self) -> String {
        identity_key(&self.name, self.birth_date, &self.guardian)
    }
}

/// Why one row did not become a record. Values are the cell text as written, to quote back to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("{0} is empty")]
    Missing(Column),
    #[error("the child's name is not a name")]
    BadName,
    #[error("the guardian's name is not a name")]
    BadGuardian,
    #[error("{0:?} is not a sex (L/P)")]
    BadSex(String),
    #[error("{value:?} in {column} is not a date (DD/MM/YYYY)")]
    BadDate { column: Column, value: String },
    #[error("the birth date is after today")]
    BornInFuture,
    #[error("the child is five years or older")]
    OverFiveYears,
    #[error("no kecamatan {0:?} is known")]
    UnknownKecamatan(String),
    #[error("no kelurahan/desa {0:?} is known in the kecamatan")]
    UnknownVillage(String),
    #[error("no kecamatan {value:?} is known; the nearest: {}", nearest.join(", "))]
    NearKecamatan { value: String, nearest: Vec<String> },
    #[error("no kelurahan/desa {value:?} is known in the kecamatan; the nearest: {}", nearest.join(", "))]
    NearVillage { value: String, nearest: Vec<String> },
    #[error("the kelurahan/desa {value:?} is in kecamatan {kecamatan}")]
    VillageElsewhere { value: String, kecamatan: String },
    #[error("a kelurahan/desa {value:?} is in several kecamatan: {}", kecamatan.join(", "))]
    VillageInSeveral {
        value: String,
        kecamatan: Vec<String>,
    },
    #[error("a kecamatan {value:?} is in several regencies: {}", regencies.join(", "))]
    KecamatanInSeveral {
        value: String,
        regencies: Vec<String>,
    },
    #[error("{0:?} is not a phone number")]
    BadPhone(String),
    #[error("{0:?} is not a NIK (16 digits)")]
    BadNik(String),
    #[error("{value:?} in {column} is not a number")]
    BadNumber { column: Column, value: String },
    #[error("the height or weight is implausible for a child under five")]
    ImplausibleMeasurement,
    #[error("the measurement date is before the birth date")]
    MeasurementBeforeBirth,
    #[error("the measurement date is after today")]
    MeasuredInFuture,
    #[error("the same child as on line {line}")]
    DuplicateOf { line: usize },
}

/// A row that did not become a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// The outcome of a file: every non-blank row is in exactly one of `records` and `errors`, both in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub records: Vec<(usize, ChildRecord)>,
    pub errors: Vec<RowError>,
    /// Non-blank rows after the header: `records.len() + errors.len()`.
    pub rows: usize,
}

/// Reads a children's list; `today` is the import day, against which ages and dates are checked.
pub fn parse(
    kind: FileKind,
    bytes: &[u8],
    today: NaiveDate,
    regions: &impl RegionLookup,
) -> Result<Parsed, FileProblem> {
    let table = read_table(kind, bytes, MAX_ROWS)?
        .ok_or(FileProblem::Empty)?
        .skip_titles(|row| Columns::locate(row).is_ok());
    let columns = Columns::locate(&table.header)?;
    if table.rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    let mut parsed = Parsed {
        records: Vec::with_capacity(table.rows.len()),
        errors: Vec::new(),
        rows: table.rows.len(),
    };
    // Only records claim a NIK or an identity: a row refused for a typo must not make its corrected twin
    // further down a duplicate.
    let mut lines_by_nik: HashMap<String, usize> = HashMap::new();
    let mut lines_by_identity: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let line = row.line;
        let record = match read_child(&columns.cells(row), today, regions) {
            Ok(record) => record,
            Err(problem) => {
                parsed.errors.push(RowError { line, problem });
                continue;
            }
        };
        let earlier_nik = record
            .nik
            .as_ref()
            .and_then(|nik| lines_by_nik.get(nik.as_str()).copied());
        let identity = record.identity_key();
        let earlier = earlier_nik.or_else(|| lines_by_identity.get(&identity).copied());
        if let Some(first) = earlier {
            parsed.errors.push(RowError {
                line,
                problem: RowProblem::DuplicateOf { line: first },
            });
            continue;
        }
        if let Some(nik) = &record.nik {
            lines_by_nik.insert(nik.as_str().to_owned(), line);
        }
        if let Entry::Vacant(slot) = lines_by_identity.entry(identity) {
            slot.insert(line);
        }
        parsed.records.push((line, record));
    }
    Ok(parsed)
}

/// Whether a row is a children's list header (for finding it under title rows).
pub fn is_header(row: &Row) -> bool {
    Columns::locate(row).is_ok()
}

/// Where each column is in the file.
struct Columns(super::Columns<Column>);

impl Columns {
    fn locate(header: &Row) -> Result<Self, FileProblem> {
        let columns = super::Columns::locate(header, &Column::ALL, Column::aliases);
        let mut missing = columns.missing(&Column::REQUIRED);
        if !columns.has(Column::Kecamatan) && !columns.has(Column::Village) {
            missing.push(Column::Kecamatan);
        }
        if missing.is_empty() {
            Ok(Self(columns))
        } else {
            Err(FileProblem::MissingColumns(missing))
        }
    }

    fn cells<'a>(&'a self, row: &'a Row) -> Cells<'a> {
        Cells {
            columns: &self.0,
            row,
        }
    }
}

/// One row's cells, by column.
struct Cells<'a> {
    columns: &'a super::Columns<Column>,
    row: &'a Row,
}

impl<'a> Cells<'a> {
    fn get(&self, column: Column) -> Option<&'a str> {
        self.columns.get(self.row, column)
    }

    fn required(&self, column: Column) -> Result<&'a str, RowProblem> {
        self.get(column).ok_or(RowProblem::Missing(column))
    }

    fn date(&self, column: Column) -> Result<Option<NaiveDate>, RowProblem> {
        self.get(column)
            .map(|value| {
                parse_date(value).ok_or_else(|| RowProblem::BadDate {
                    column,
                    value: value.to_owned(),
                })
            })
            .transpose()
    }

    fn number(&self, column: Column, unit: &str) -> Result<Option<f64>, RowProblem> {
        self.get(column)
            .map(|value| {
                parse_decimal(value, unit).ok_or_else(|| RowProblem::BadNumber {
                    column,
                    value: value.to_owned(),
                })
            })
            .transpose()
    }

    /// Free text on one line, inner runs of spaces folded.
    fn line_text(&self, column: Column) -> Option<String> {
        self.get(column).map(collapse_spaces)
    }
}

/// One row into a record, or its first problem, checking columns in the order people read them.
fn read_child(
    cells: &Cells<'_>,
    today: NaiveDate,
    regions: &impl RegionLookup,
) -> Result<ChildRecord, RowProblem> {
    let name = PersonName::parse(cells.required(Column::Name)?).map_err(|_| RowProblem::BadName)?;
    let sex_text = cells.required(Column::Sex)?;
    let sex = parse_sex(sex_text).ok_or_else(|| RowProblem::BadSex(sex_text.to_owned()))?;
    let birth_date = cells
        .date(Column::BirthDate)?
        .ok_or(RowProblem::Missing(Column::BirthDate))?;
    match age_days(birth_date, today) {
        None => return Err(RowProblem::BornInFuture),
        Some(days) if days >= MAX_AGE_DAYS => return Err(RowProblem::OverFiveYears),
        Some(_) => {}
    }
    let guardian = PersonName::parse(cells.required(Column::Guardian)?)
        .map_err(|_| RowProblem::BadGuardian)?;

    let (kecamatan, village) = place(cells, regions)?;

    let guardian_phone = cells
        .get(Column::Phone)
        .map(|text| parse_phone(text).ok_or_else(|| RowProblem::BadPhone(text.to_owned())))
        .transpose()?;
    let nik = cells
        .get(Column::Nik)
        .map(|text| Nik::parse(text).map_err(|_| RowProblem::BadNik(text.to_owned())))
        .transpose()?;
    let measurement = read_measurement(cells, birth_date, today)?;

    Ok(ChildRecord {
        name,
        sex,
        birth_date,
        guardian,
        guardian_phone,
        address: cells.line_text(Column::Address),
        kecamatan,
        village,
        posyandu: cells.line_text(Column::Posyandu),
        nik,
        measurement,
        notes: cells.get(Column::Notes).map(str::to_owned),
        puskesmas: cells.line_text(Column::Puskesmas),
    })
}

/// Where the child lives, resolved as people write places: the kecamatan by name (or code), inside the
/// row's regency when it says one, and the village inside the kecamatan; a village filed under the wrong
/// kecamatan named with its own; an empty kecamatan told by a village unique in the scope; an unknown name
/// answered with the nearest ones; a name several regions share answered with where each lies.
fn place(
    cells: &Cells<'_>,
    regions: &impl RegionLookup,
) -> Result<(RegionCode, Option<RegionCode>), RowProblem> {
    // A regency the list does not know narrows nothing: the kecamatan is looked for in the whole scope.
    let regency = match cells.get(Column::Regency).map(|text| regions.regency(text)) {
        Some(Found::One(code)) => Some(code),
        _ => None,
    };
    let village_text = cells.get(Column::Village);
    let Some(kecamatan_text) = cells.get(Column::Kecamatan) else {
        let Some(text) = village_text else {
            return Err(RowProblem::Missing(Column::Kecamatan));
        };
        let named = regions.villages_named(regency.as_ref(), text);
        return match named.as_slice() {
            [] => Err(RowProblem::Missing(Column::Kecamatan)),
            [(kecamatan, village, _)] => Ok((kecamatan.clone(), Some(village.clone()))),
            several => Err(RowProblem::VillageInSeveral {
                value: text.to_owned(),
                kecamatan: several.iter().map(|(_, _, name)| name.clone()).collect(),
            }),
        };
    };
    let kecamatan = match regions.kecamatan(regency.as_ref(), kecamatan_text) {
        Found::One(k) if k.level() == RegionLevel::District => k,
        Found::Several(regencies) => {
            return Err(RowProblem::KecamatanInSeveral {
                value: kecamatan_text.to_owned(),
                regencies,
            });
        }
        Found::Unknown(nearest) if !nearest.is_empty() => {
            return Err(RowProblem::NearKecamatan {
                value: kecamatan_text.to_owned(),
                nearest,
            });
        }
        _ => return Err(RowProblem::UnknownKecamatan(kecamatan_text.to_owned())),
    };
    let Some(text) = village_text else {
        return Ok((kecamatan, None));
    };
    let nearest = match regions.village(&kecamatan, text) {
        Found::One(v) if v != kecamatan && kecamatan.contains(&v) => {
            return Ok((kecamatan, Some(v)));
        }
        Found::Several(_) | Found::One(_) => Vec::new(),
        Found::Unknown(nearest) => nearest,
    };
    let elsewhere: Vec<String> = regions
        .villages_named(regency.as_ref(), text)
        .into_iter()
        .filter(|(k, _, _)| k != &kecamatan)
        .map(|(_, _, name)| name)
        .collect();
    Err(match (elsewhere.as_slice(), nearest.is_empty()) {
        ([one], _) => RowProblem::VillageElsewhere {
            value: text.to_owned(),
            kecamatan: one.clone(),
        },
        (_, false) => RowProblem::NearVillage {
            value: text.to_owned(),
            nearest,
        },
        _ => RowProblem::UnknownVillage(text.to_owned()),
    })
}

/// The measurement of a row, if it has one. A height needs its date (a growth status depends on the age on
/// that day); a weight or a date alone is not a measurement asuh can use.
fn read_measurement(
    cells: &Cells<'_>,
    birth_date: NaiveDate,
    today: NaiveDate,
) -> Result<Option<Measurement>, RowProblem> {
    let height = cells.number(Column::Height, "cm")?;
    let weight = cells.number(Column::Weight, "kg")?;
    let measured_on = cells.date(Column::MeasuredOn)?;
    let (height_cm, measured_on) = match (height, weight, measured_on) {
        (None, None, None) => return Ok(None),
        (None, _, _) => return Err(RowProblem::Missing(Column::Height)),
        (Some(_), _, None) => return Err(RowProblem::Missing(Column::MeasuredOn)),
        (Some(h), _, Some(d)) => (h, d),
    };
    if !HEIGHT_CM.contains(&height_cm) || weight.is_some_and(|w| !WEIGHT_KG.contains(&w)) {
        return Err(RowProblem::ImplausibleMeasurement);
    }
    if measured_on > today {
        return Err(RowProblem::MeasuredInFuture);
    }
    if measured_on < birth_date {
        return Err(RowProblem::MeasurementBeforeBirth);
    }
    let position = cells.get(Column::Position).and_then(parse_position);
    Ok(Some(Measurement {
        height_cm,
        weight_kg: weight,
        measured_on,
        position,
        file_z: FileZ {
            haz: cells.get(Column::FileHaz).and_then(parse_z),
            waz: cells.get(Column::FileWaz).and_then(parse_z),
            whz: cells.get(Column::FileWhz).and_then(parse_z),
        },
    }))
}

/// How a child without NIK is recognised across files: name, birth date and guardian, folded so that the
/// ways one name gets typed agree (`Siti  Nur'aini` and `siti nuraini`, `Muh.Fadli` and `Muh. Fadli`,
/// `Zoé` and `Zoe`).
pub fn identity_key(name: &PersonName, birth_date: NaiveDate, guardian: &PersonName) -> String {
    format!(
        "{}|{}|{}",
        fold_name(name.as_str()),
        birth_date.format("%Y-%m-%d"),
        fold_name(guardian.as_str())
    )
}

/// Lowercase letters and single spaces: apostrophes vanish (`Nur'aini` is `Nuraini`), other punctuation
/// separates words, accents are dropped.
pub(crate) fn fold_name(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\'' | '`' | '’' | '‘' | 'ʼ' | '\u{0300}'..='\u{036f}' => {}
            c if c.is_alphanumeric() => folded.extend(without_accent(c).to_lowercase()),
            _ => folded.push(' '),
        }
    }
    collapse_spaces(&folded)
}

/// The base letter of the accented Latin letters that occur in Indonesian names (mostly borrowed ones).
fn without_accent(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' | 'ā' | 'Ā' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'Ē' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'Ī' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'Ō' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'Ū' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ways lists write a child's sex: L/P (laki-laki/perempuan), M/F (male/female), or the 1/2 of the WHO
/// tables and many exports.
fn parse_sex(s: &str) -> Option<Sex> {
    let key: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "l" | "lk" | "laki" | "lakilaki" | "pria" | "m" | "male" | "boy" | "1" => Some(Sex::Male),
        "p" | "pr" | "perempuan" | "wanita" | "f" | "female" | "girl" | "2" => Some(Sex::Female),
        _ => None,
    }
}

/// A date as offices write it: `DD/MM/YYYY`, `DD-MM-YYYY` or `YYYY-MM-DD` (the form real spreadsheet dates
/// arrive in), optionally followed by a time of day, which is ignored.
///
/// Day-first is the Indonesian order. A two-digit year is refused rather than guessed: `05/03/24` is a
/// guess about the century that a wrong birth date would carry into every age and growth status.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let (date, time) = s.trim().split_once([' ', 'T']).unwrap_or((s.trim(), ""));
    if !time
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
    {
        return None;
    }
    let separator = if date.contains('/') { '/' } else { '-' };
    let parts: Vec<&str> = date.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let number = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        (widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    // Year-first only with dashes (ISO); `2024/03/05` is no form anyone here writes.
    if a.len() == 4 && separator == '/' {
        return None;
    }
    let year = i32::try_from(number(year, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?)
}

/// A decimal number with a comma or a point (`85,5`, `85.5`), optionally followed by its unit (`85,5 cm`).
/// A z-score as files write it: `-2,31`, `−2.31` (a typographic minus), `+0.5`, `1`.
fn parse_z(s: &str) -> Option<f64> {
    let s = s.trim();
    let (sign, digits) = match s.chars().next()? {
        '-' | '−' | '–' => (-1.0, &s[s.chars().next()?.len_utf8()..]),
        '+' => (1.0, &s[1..]),
        _ => (1.0, s),
    };
    parse_decimal(digits, "").map(|z| sign * z)
}

pub(crate) fn parse_decimal(s: &str, unit: &str) -> Option<f64> {
    let s = s.trim();
    let s = match s.len().checked_sub(unit.len()) {
        Some(at) if s.is_char_boundary(at) && s[at..].eq_ignore_ascii_case(unit) => {
            s[..at].trim_end()
        }
        _ => s,
    };
    let separators = s.bytes().filter(|b| matches!(b, b',' | b'.')).count();
    let well_formed = separators <= 1
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'));
    if !well_formed {
        return None;
    }
    s.replace(',', ".").parse().ok()
}

/// A guardian's phone. A number that arrives as bare digits starting with 8 is an Indonesian mobile number
/// whose leading 0 a spreadsheet dropped (`0812…` stored as the number `812…`); taken as it is, it would
/// read as an international `+81…` number.
fn parse_phone(s: &str) -> Option<Phone> {
    let restored;
    let s = if s.starts_with('8') && s.bytes().all(|b| b.is_ascii_digit()) {
        restored = format!("0{s}");
        restored.as_str()
    } else {
        s
    };
    Phone::parse(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::locate_columns;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    fn name(s: &str) -> PersonName {
        PersonName::parse(s).expect("name")
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    /// Regions of Kota Kendari, found by code or by name in any case.
    struct Kendari(Vec<(RegionCode, String)>);

    impl Kendari {
        fn from_sample() -> Self {
            let bytes = include_bytes!("../../samples/regions-kendari.csv");
            let parsed = super::super::regions::parse(FileKind::Csv, bytes).expect("regions");
            assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
            Self(
                parsed
                    .regions
                    .into_iter()
                    .map(|r| (r.code, r.name))
                    .collect(),
            )
        }

        fn find(&self, text: &str, inside: &RegionCode) -> Option<RegionCode> {
            self.0
                .iter()
                .filter(|(c, _)| c.parent().as_ref() == Some(inside))
                .find(|(c, n)| c.as_str() == text || n.eq_ignore_ascii_case(text))
                .map(|(c, _)| c.clone())
        }
    }

    fn found(code: Option<RegionCode>) -> Found {
        code.map_or(Found::Unknown(Vec::new()), Found::One)
    }

    impl RegionLookup for Kendari {
        fn regency(&self, text: &str) -> Found {
            found(self.find(text, &code("74")))
        }
        fn kecamatan(&self, _: Option<&RegionCode>, text: &str) -> Found {
            found(self.find(text, &code("74.71")))
        }
        fn village(&self, kecamatan: &RegionCode, text: &str) -> Found {
            found(self.find(text, kecamatan))
        }
        fn villages_named(
            &self,
            _: Option<&RegionCode>,
            _: &str,
        ) -> Vec<(RegionCode, RegionCode, String)> {
            Vec::new()
        }
    }

    fn kendari() -> Kendari {
        Kendari::from_sample()
    }

    fn csv(text: &str) -> Result<Parsed, FileProblem> {
        parse(FileKind::Csv, text.as_bytes(), today(), &kendari())
    }

    const HEADER: &str = "nama,jk,tgl lahir,nama ibu,kecamatan";

    /// The problem of a one-row file whose row is `HEADER` plus `extra` columns.
    fn problem_of(extra_header: &str, row: &str) -> Option<RowProblem> {
        let header = if extra_header.is_empty() {
            HEADER.to_owned()
        } else {
            format!("{HEADER},{extra_header}")
        };
        let parsed = csv(&format!("{header}\n{row}\n")).expect("parsed");
        assert_eq!(parsed.rows, 1);
        assert_eq!(parsed.records.len() + parsed.errors.len(), 1);
        parsed.errors.first().map(|e| {
            assert_eq!(e.line, 2);
            e.problem.clone()
        })
    }

    fn one_record(text: &str) -> ChildRecord {
        let parsed = csv(text).expect("parsed");
        assert_eq!(parsed.errors, vec![], "{text}");
        let [(_, record)] = <[_; 1]>::try_from(parsed.records).expect("one record");
        record
    }

    #[test]
    fn a_full_indonesian_row_becomes_a_record() {
        let record = one_record(
            "Nama Anak;JK;Tanggal Lahir;Nama Orang Tua;No HP;Alamat;Kecamatan;Kelurahan/Desa;Posyandu;NIK;\
             TB (cm);BB (kg);Tanggal Ukur;Keterangan\n\
             Siti  Nur'aini;P;05/03/2024;Wa Ode Sitti;0812-3456-7890;Jl. Sao-Sao  No. 12;Kadia;Bende;\
             Posyandu  Mawar;7471024503240001;79,5;9,1;10-11-2026;gizi kurang\n",
        );
        assert_eq!(
            record,
            ChildRecord {
                name: name("Siti Nur'aini"),
                sex: Sex::Female,
                birth_date: d(2024, 3, 5),
                guardian: name("Wa Ode Sitti"),
                guardian_phone: Some(Phone::parse("+6281234567890").expect("phone")),
                address: Some("Jl. Sao-Sao No. 12".into()),
                kecamatan: code("74.71.08"),
                village: Some(code("74.71.08.1002")),
                posyandu: Some("Posyandu Mawar".into()),
                nik: Some(Nik::parse("7471024503240001").expect("nik")),
                measurement: Some(Measurement {
                    height_cm: 79.5,
                    weight_kg: Some(9.1),
                    measured_on: d(2026, 11, 10),
                    position: None,
                    file_z: FileZ::default(),
                }),
                notes: Some("gizi kurang".into()),
                puskesmas: None,
            }
        );
    }

    #[test]
    fn english_headers_in_any_order_with_bom_case_and_spaces() {
        let record = one_record(
            "\u{feff} MEASURED ON ,Weight,Height,Village, District ,Mother,Date of Birth,Gender,Child Name\n\
             2026-10-01,\"8,7\",75.2,74.71.08.1002,74.71.08,Wa Ode Sitti,2024-03-05,F,Siti Nuraini\n",
        );
        assert_eq!(record.name, name("Siti Nuraini"));
        assert_eq!(record.sex, Sex::Female);
        assert_eq!(record.village, Some(code("74.71.08.1002")));
        assert_eq!(
            record.measurement,
            Some(Measurement {
                height_cm: 75.2,
                weight_kg: Some(8.7),
                measured_on: d(2026, 10, 1),
                position: None,
                file_z: FileZ::default(),
            })
        );
    }

    #[test]
    fn every_header_alias_is_recognised() {
        for column in Column::ALL {
            for alias in column.aliases() {
                let header = Row {
                    line: 1,
                    cells: vec!["x".into(), alias.to_uppercase()],
                };
                let found = locate_columns(&header, &[column], Column::aliases);
                assert_eq!(found, vec![Some(1)], "{alias}");
                assert_eq!(super::super::header_key(alias), *alias, "{alias} is folded");
            }
        }
    }

    #[test]
    fn aliases_name_one_column_each() {
        let mut seen = HashMap::new();
        for column in Column::ALL {
            for alias in column.aliases() {
                assert_eq!(seen.insert(*alias, column), None, "{alias}");
            }
        }
    }

    #[test]
    fn birth_measures_of_eppgbm_are_not_todays_measurement() {
        let record = one_record(&format!(
            "{HEADER},BB Lahir,TB Lahir,TB/U\nBudi,L,01/02/2025,Ani,Mandonga,3.1,49,Pendek\n"
        ));
        assert_eq!(record.measurement, None);
    }

    #[test]
    fn a_title_above_the_header_is_not_a_child() {
        let parsed = csv(&format!(
            "DAFTAR BALITA STUNTING KOTA KENDARI,,,,\nPeriode Agustus 2026\n\n{HEADER}\nBudi,L,01/02/2025,Ani,Mandonga\n"
        ))
        .expect("parsed");
        assert_eq!(parsed.rows, 1);
        assert_eq!(parsed.records[0].0, 5);
    }

    #[test]
    fn missing_columns_are_all_listed() {
        assert_eq!(
            csv("nama anak,alamat,tb\nBudi,Jl. Mawar,80\n"),
            Err(FileProblem::MissingColumns(vec![
                Column::Sex,
                Column::BirthDate,
                Column::Guardian,
                Column::Kecamatan,
            ]))
        );
    }

    #[test]
    fn empty_files_and_header_only_files_are_empty() {
        assert_eq!(csv(""), Err(FileProblem::Empty));
        assert_eq!(csv("\u{feff}\n\n"), Err(FileProblem::Empty));
        assert_eq!(csv(&format!("{HEADER}\n,,,,\n")), Err(FileProblem::Empty));
    }

    #[test]
    fn garbage_is_unreadable() {
        let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for kind in [FileKind::Csv, FileKind::Xlsx] {
            let result = parse(kind, &garbage, today(), &kendari());
            assert!(
                matches!(result, Err(FileProblem::Unreadable(_))),
                "{kind:?}: {result:?}"
            );
        }
    }

    #[test]
    fn too_many_rows_are_refused_whole() {
        let mut text = String::from(HEADER);
        text.push('\n');
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("Anak {i},L,01/02/2025,Ani,Mandonga\n"));
        }
        assert_eq!(csv(&text), Err(FileProblem::TooManyRows { max: MAX_ROWS }));
    }

    #[test]
    fn blank_rows_are_skipped_and_lines_stay_true() {
        let parsed = csv(&format!(
            "{HEADER}\n\nBudi,L,01/02/2025,Ani,Mandonga\n,,,,\n  , ,\nX,L,01/02/2025,Ani,Mandonga\n"
        ))
        .expect("parsed");
        assert_eq!(parsed.rows, 2);
        assert_eq!(parsed.records[0].0, 3);
        assert_eq!(
            parsed.errors,
            vec![RowError {
                line: 6,
                problem: RowProblem::BadName
            }]
        );
    }

    #[test]
    fn required_cells_must_be_filled() {
        let cases = [
            (",L,01/02/2025,Ani,Mandonga", Column::Name),
            ("Budi,,01/02/2025,Ani,Mandonga", Column::Sex),
            ("Budi,L,,Ani,Mandonga", Column::BirthDate),
            ("Budi,L,01/02/2025,,Mandonga", Column::Guardian),
            ("Budi,L,01/02/2025,Ani,", Column::Kecamatan),
        ];
        for (row, column) in cases {
            assert_eq!(
                problem_of("", row),
                Some(RowProblem::Missing(column)),
                "{row}"
            );
        }
    }

    #[test]
    fn each_row_problem() {
        use RowProblem::*;
        let date = |column, value: &str| BadDate {
            column,
            value: value.to_owned(),
        };
        let number = |column, value: &str| BadNumber {
            column,
            value: value.to_owned(),
        };
        let m = "tb,bb,tgl ukur";
        let cases: Vec<(&str, &str, RowProblem)> = vec![
            ("", "B,L,01/02/2025,Ani,Mandonga", BadName),
            ("", "Budi 2,L,01/02/2025,Ani,Mandonga", BadName),
            ("", "Budi,L,01/02/2025,/start,Mandonga", BadGuardian),
            ("", "Budi,X,01/02/2025,Ani,Mandonga", BadSex("X".into())),
            (
                "",
                "Budi,L,31/02/2025,Ani,Mandonga",
                date(Column::BirthDate, "31/02/2025"),
            ),
            (
                "",
                "Budi,L,01/02/25,Ani,Mandonga",
                date(Column::BirthDate, "01/02/25"),
            ),
            ("", "Budi,L,24/11/2026,Ani,Mandonga", BornInFuture),
            ("", "Budi,L,23/11/2021,Ani,Mandonga", OverFiveYears),
            (
                "",
                "Budi,L,01/02/2025,Ani,Kendari Raya",
                UnknownKecamatan("Kendari Raya".into()),
            ),
            (
                "desa",
                "Budi,L,01/02/2025,Ani,Mandonga,Bende",
                UnknownVillage("Bende".into()),
            ),
            (
                "no hp",
                "Budi,L,01/02/2025,Ani,Mandonga,0812-ABC",
                BadPhone("0812-ABC".into()),
            ),
            (
                "nik",
                "Budi,L,01/02/2025,Ani,Mandonga,747101",
                BadNik("747101".into()),
            ),
            (
                "nik",
                "Budi,L,01/02/2025,Ani,Mandonga,7.47102E+15",
                BadNik("7.47102E+15".into()),
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80 cm,sembilan,01/11/2026",
                number(Column::Weight, "sembilan"),
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,\"1,2,3\",,01/11/2026",
                number(Column::Height, "1,2,3"),
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80,9,1/11/26",
                date(Column::MeasuredOn, "1/11/26"),
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,800,9,01/11/2026",
                ImplausibleMeasurement,
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80,90,01/11/2026",
                ImplausibleMeasurement,
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80,0.9,01/11/2026",
                ImplausibleMeasurement,
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80,9,01/01/2025",
                MeasurementBeforeBirth,
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80,9,24/11/2026",
                MeasuredInFuture,
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,,9,01/11/2026",
                Missing(Column::Height),
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,,,01/11/2026",
                Missing(Column::Height),
            ),
            (
                m,
                "Budi,L,01/02/2025,Ani,Mandonga,80,9,",
                Missing(Column::MeasuredOn),
            ),
        ];
        for (extra, row, expected) in cases {
            assert_eq!(problem_of(extra, row), Some(expected), "{row}");
        }
    }

    #[test]
    fn only_the_first_problem_of_a_row_is_reported() {
        assert_eq!(
            problem_of("nik", "B,X,99/99/9999,,Nowhere,123"),
            Some(RowProblem::BadName)
        );
    }

    #[test]
    fn the_last_day_under_five_is_accepted() {
        assert_eq!(problem_of("", "Budi,L,24/11/2021,Ani,Mandonga"), None);
        assert_eq!(problem_of("", "Budi,L,23/11/2026,Ani,Mandonga"), None);
    }

    #[test]
    fn sexes_as_lists_write_them() {
        for (text, sex) in [
            ("L", Sex::Male),
            ("laki-laki", Sex::Male),
            ("Laki Laki", Sex::Male),
            ("M", Sex::Male),
            ("male", Sex::Male),
            ("1", Sex::Male),
            ("p", Sex::Female),
            ("PEREMPUAN", Sex::Female),
            ("F", Sex::Female),
            ("Female", Sex::Female),
            ("2", Sex::Female),
        ] {
            assert_eq!(parse_sex(text), Some(sex), "{text}");
        }
        assert_eq!(parse_sex("3"), None);
        assert_eq!(parse_sex("LP"), None);
    }

    #[test]
    fn every_date_format() {
        for text in [
            "05/03/2024",
            "5/3/2024",
            "05-03-2024",
            "2024-03-05",
            "2024-3-5",
            "2024-03-05T00:00:00",
            "2024-03-05 00:00:00",
            "05/03/2024 00:00",
        ] {
            assert_eq!(parse_date(text), Some(d(2024, 3, 5)), "{text}");
        }
        for text in [
            "05/03/24",
            "5-3-24",
            "24-03-05",
            "2024/03/05",
            "05.03.2024",
            "05/03-2024",
            "5 Maret 2024",
            "45356",
            "2024-02-30",
            "05/13/2024",
            "2024-03-05 pagi",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn z_scores_carry_their_sign() {
        assert_eq!(parse_z("-2,31"), Some(-2.31));
        assert_eq!(parse_z(" −2.5 "), Some(-2.5));
        assert_eq!(parse_z("+0.5"), Some(0.5));
        assert_eq!(parse_z("1"), Some(1.0));
        assert_eq!(parse_z("-"), None);
        assert_eq!(parse_z("pendek"), None);
    }

    #[test]
    fn decimal_commas_and_units() {
        assert_eq!(parse_decimal("85,5", "cm"), Some(85.5));
        assert_eq!(parse_decimal("85.5", "cm"), Some(85.5));
        assert_eq!(parse_decimal(" 85,5 CM ", "cm"), Some(85.5));
        assert_eq!(parse_decimal("9", "kg"), Some(9.0));
        for bad in ["1.234,5", "85,5,1", "-5", "1e2", "NaN", "cm", ",", "85 kg"] {
            assert_eq!(parse_decimal(bad, "cm"), None, "{bad}");
        }
    }

    #[test]
    fn phones_that_lost_their_leading_zero() {
        let phone = |s| parse_phone(s).map(String::from);
        assert_eq!(phone("81234567890"), Some("+6281234567890".into()));
        assert_eq!(phone("6281234567890"), Some("+6281234567890".into()));
        assert_eq!(phone("+81 3 1234 5678"), Some("+81312345678".into()));
    }

    #[test]
    fn niks() {
        for ok in [
            "7471024503240001",
            " '7471024503240001",
            "7471 0245 0324 0001",
        ] {
            assert_eq!(
                Nik::parse(ok).map(|n| n.as_str().to_owned()),
                Ok("7471024503240001".into()),
                "{ok}"
            );
        }
        for bad in [
            "747102450324000",
            "74710245032400011",
            "0000000000000000",
            "747102450324000A",
            "",
        ] {
            assert_eq!(Nik::parse(bad), Err(InvalidNik), "{bad}");
        }
    }

    #[test]
    fn regions_must_have_the_right_level_and_place() {
        /// A careless lookup that finds villages anywhere.
        struct Anywhere;
        impl RegionLookup for Anywhere {
            fn regency(&self, text: &str) -> Found {
                found(RegionCode::parse(text).ok())
            }
            fn kecamatan(&self, _: Option<&RegionCode>, text: &str) -> Found {
                found(RegionCode::parse(text).ok())
            }
            fn village(&self, _: &RegionCode, text: &str) -> Found {
                found(RegionCode::parse(text).ok())
            }
            fn villages_named(
                &self,
                _: Option<&RegionCode>,
                _: &str,
            ) -> Vec<(RegionCode, RegionCode, String)> {
                Vec::new()
            }
        }
        let text = format!(
            "{HEADER},desa\n\
             Budi,L,01/02/2025,Ani,74.71.01,74.71.02.1001\n\
             Budi,L,01/02/2025,Ani,74.71,74.71.02.1001\n"
        );
        let parsed = parse(FileKind::Csv, text.as_bytes(), today(), &Anywhere).expect("parsed");
        let problems: Vec<RowProblem> = parsed.errors.into_iter().map(|e| e.problem).collect();
        assert_eq!(
            problems,
            [
                RowProblem::UnknownVillage("74.71.02.1001".into()),
                RowProblem::UnknownKecamatan("74.71".into()),
            ]
        );
    }

    #[test]
    fn identity_key_folds_how_names_get_typed() {
        let born = d(2024, 3, 5);
        let key = |child: &str, guardian: &str| identity_key(&name(child), born, &name(guardian));
        assert_eq!(
            key("Siti  Nur'aini", "Wa Ode Sitti"),
            key("siti nuraini", "WA ODE  SITTI")
        );
        assert_eq!(
            key("Siti Nur’aini", "Wa Ode Sitti"),
            key("SITI NURAINI", "wa ode sitti")
        );
        assert_eq!(key("Muh.Fadli", "Hj. Ani"), key("Muh. Fadli", "Hj Ani"));
        assert_eq!(key("Zoé", "Ani"), key("Zoe", "Ani"));
        assert_eq!(
            key("Siti Nuraini", "Wa Ode Sitti"),
            "siti nuraini|2024-03-05|wa ode sitti"
        );
        assert_ne!(key("Siti Nuraini", "Ani"), key("Siti Nuraini", "Ina"));
        assert_ne!(
            key("Siti Nuraini", "Ani"),
            identity_key(&name("Siti Nuraini"), d(2024, 3, 6), &name("Ani"))
        );
    }

    #[test]
    fn duplicates_point_at_the_first_record() {
        let parsed = csv(&format!(
            "{HEADER},nik\n\
             Siti Nur'aini,P,05/03/2024,Wa Ode Sitti,Kadia,\n\
             Budi,L,05/03/2024,Ani,Kadia,7471020503240001\n\
             siti  nuraini,P,05/03/2024,wa ode sitti,Kadia,\n\
             Budi Santoso,L,05/03/2024,Ani,Kadia,7471020503240001\n\
             X,L,05/03/2024,Ina,Kadia,7471020503240002\n\
             Rina,P,05/03/2024,Ina,Kadia,7471020503240002\n\
             Rina,P,05/03/2024,Ina,Kadia,\n"
        ))
        .expect("parsed");
        let lines: Vec<usize> = parsed.records.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 7]);
        let problems: Vec<(usize, RowProblem)> = parsed
            .errors
            .into_iter()
            .map(|e| (e.line, e.problem))
            .collect();
        assert_eq!(
            problems,
            [
                (4, RowProblem::DuplicateOf { line: 2 }),
                (5, RowProblem::DuplicateOf { line: 3 }),
                (6, RowProblem::BadName),
                (8, RowProblem::DuplicateOf { line: 7 }),
            ]
        );
        assert_eq!(parsed.rows, 7);
    }

    #[test]
    fn the_sample_file_imports_without_errors() {
        let bytes = include_bytes!("../../samples/children.csv");
        let parsed = parse(FileKind::Csv, bytes, today(), &kendari()).expect("parsed");
        assert_eq!(parsed.errors, vec![]);
        assert!((15..=20).contains(&parsed.rows), "{}", parsed.rows);
        assert!(parsed.records.iter().any(|(_, r)| r.measurement.is_some()));
        assert!(parsed.records.iter().any(|(_, r)| r.village.is_some()));
    }

    #[test]
    fn sample_ages_stay_valid_for_a_while() {
        let bytes = include_bytes!("../../samples/children.csv");
        let later = d(2027, 12, 31);
        let parsed = parse(FileKind::Csv, bytes, later, &kendari()).expect("parsed");
        assert_eq!(parsed.errors, vec![]);
    }

    /// An XLSX list as offices make it: real dates, numbers for NIK and measurements, text elsewhere.
    fn xlsx_fixture() -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        let header = [
            "No",
            "NIK",
            "Nama Anak",
            "JK",
            "Tgl Lahir",
            "Nama Ortu",
            "Kec",
            "Desa/Kel",
            "Tgl Pengukuran",
            "Berat",
            "Tinggi",
            "No HP",
        ];
        for (col, text) in (0u16..).zip(header) {
            sheet.write_string(0, col, text).expect("write");
        }
        let born = ExcelDateTime::from_ymd(2024, 3, 5).expect("date");
        let measured = ExcelDateTime::from_ymd(2026, 11, 2).expect("date");
        sheet.write_number(1, 0, 1.0).expect("write");
        sheet
            .write_number(1, 1, 7_471_024_503_240_001.0)
            .expect("write");
        sheet.write_string(1, 2, "Siti Nur'aini").expect("write");
        sheet.write_string(1, 3, "P").expect("write");
        sheet
            .write_datetime_with_format(1, 4, &born, &date_format)
            .expect("write");
        sheet.write_string(1, 5, "Wa Ode Sitti").expect("write");
        sheet.write_string(1, 6, "KADIA").expect("write");
        sheet.write_string(1, 7, "bende").expect("write");
        sheet
            .write_datetime_with_format(1, 8, &measured, &date_format)
            .expect("write");
        sheet.write_number(1, 9, 9.1).expect("write");
        sheet.write_number(1, 10, 79.5).expect("write");
        sheet.write_number(1, 11, 81_234_567_890.0).expect("write");
        // Row 3 left blank; row 4 with dates typed as text and sex as a number.
        sheet.write_number(3, 0, 2.0).expect("write");
        sheet.write_string(3, 2, "Budi Santoso").expect("write");
        sheet.write_number(3, 3, 1.0).expect("write");
        sheet.write_string(3, 4, "01-02-2025").expect("write");
        sheet.write_string(3, 5, "Ani").expect("write");
        sheet.write_string(3, 6, "74.71.01").expect("write");
        book.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn xlsx_real_dates_numbers_and_numeric_nik() {
        let parsed = parse(FileKind::Xlsx, &xlsx_fixture(), today(), &kendari()).expect("parsed");
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.rows, 2);
        let (line, siti) = &parsed.records[0];
        assert_eq!(*line, 2);
        assert_eq!(siti.nik.as_ref().map(Nik::as_str), Some("7471024503240001"));
        assert_eq!(siti.birth_date, d(2024, 3, 5));
        assert_eq!(siti.kecamatan, code("74.71.08"));
        assert_eq!(siti.village, Some(code("74.71.08.1002")));
        assert_eq!(
            siti.guardian_phone.as_ref().map(Phone::as_str),
            Some("+6281234567890")
        );
        assert_eq!(
            siti.measurement,
            Some(Measurement {
                height_cm: 79.5,
                weight_kg: Some(9.1),
                measured_on: d(2026, 11, 2),
                position: None,
                file_z: FileZ::default(),
            })
        );
        let (line, budi) = &parsed.records[1];
        assert_eq!(*line, 4);
        assert_eq!((budi.sex, budi.birth_date), (Sex::Male, d(2025, 2, 1)));
        assert_eq!(budi.kecamatan, code("74.71.01"));
    }

    #[test]
    fn xlsx_problems_quote_the_cell_as_text() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, text) in (0u16..).zip(["nama", "jk", "tgl lahir", "wali", "kecamatan", "nik"]) {
            sheet.write_string(0, col, text).expect("write");
        }
        for (col, text) in (0u16..).zip(["Budi", "L", "01/02/2025", "Ani", "Mandonga"]) {
            sheet.write_string(1, col, text).expect("write");
        }
        sheet.write_number(1, 5, 747_102.0).expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let parsed = parse(FileKind::Xlsx, &bytes, today(), &kendari()).expect("parsed");
        assert_eq!(
            parsed.errors[0].problem,
            RowProblem::BadNik("747102".into())
        );
    }
}
