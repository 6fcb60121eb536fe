//! Lists of measurements, as posyandu and puskesmas keep them (e-PPGBM exports, a kader's spreadsheet): a
//! CSV or XLSX file in, [`MeasurementRecord`]s and a row-by-row report out.
//!
//! Each row names a child already in asuh — by the asuh id (the "ID anak" of asuh's own reports), by NIK,
//! or by name and birth date (with the guardian when the list has one) — and one visit's measurement: the
//! date, the length/height, optionally how it was taken, the weight and the arm circumference. Columns are
//! found by the names they go by in both languages, like the children's list ([`super::children`]), whose
//! names for the shared columns (NIK, name, birth date, guardian) are reused as they are.
//!
//! This reader checks what a row says on its own: that every value is there and is what its column holds.
//! Whether the child exists, lies in the coordinator's area, and whether the measurement is plausible for
//! that child (WHO flags, shrinking, a weight that doubles) needs the database and is the caller's
//! (`services::imports::import_measurements`).

use super::children::{
    self as child_list, Nik, fold_name, identity_key, parse_date, parse_decimal,
};
use super::{FileKind, ReadError, Row, TooLarge, read_table};
use crate::domain::child::ChildId;
use crate::domain::growth::Position;
use crate::domain::measurement::{LengthMm, MuacMm, WeightG};
use crate::domain::sponsor::PersonName;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

/// The most rows one file may have: the same bound as a children's list (a year of monthly visits of a
/// regency's children fits).
pub const MAX_ROWS: usize = child_list::MAX_ROWS;

/// The columns of a measurements list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    ChildId,
    Nik,
    Name,
    BirthDate,
    Guardian,
    MeasuredOn,
    Length,
    Position,
    Weight,
    Muac,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Self::ChildId,
        Self::Nik,
        Self::Name,
        Self::BirthDate,
        Self::Guardian,
        Self::MeasuredOn,
        Self::Length,
        Self::Position,
        Self::Weight,
        Self::Muac,
    ];

    /// Without these a row is no measurement; the child must also be named (see [`Columns::locate`]).
    pub const REQUIRED: [Column; 2] = [Self::MeasuredOn, Self::Length];

    /// A stable name, for logs and as the key of a localized message (`height` like the children's list).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChildId => "child_id",
            Self::Nik => "nik",
            Self::Name => "name",
            Self::BirthDate => "birth_date",
            Self::Guardian => "guardian",
            Self::MeasuredOn => "measured_on",
            Self::Length => "height",
            Self::Position => "position",
            Self::Weight => "weight",
            Self::Muac => "muac",
        }
    }

    /// The header texts this column goes by, folded like every header (lowercase, no punctuation or unit in brackets).
    ///
    /// Matching is exact, as for the children's list: e-PPGBM exports also carry `BB Lahir`, `TB Lahir`
    /// (at birth), `TB/U`, `BB/TB` and `ZS TB/U` (statuses and z-scores), which are not today's values.
    pub fn aliases(self) -> &'static [&'static str] {
        use child_list::Column as C;
        match self {
            Self::ChildId => &["id anak", "id", "child id", "id asuh", "anak id"],
            Self::Nik => C::Nik.aliases(),
            Self::Name => C::Name.aliases(),
            Self::BirthDate => C::BirthDate.aliases(),
            Self::Guardian => C::Guardian.aliases(),
            // A measurements list has only one date of its own, so a bare "tanggal" is the visit's.
            Self::MeasuredOn => &[
                "tanggal ukur",
                "tgl ukur",
                "tanggal pengukuran",
                "tgl pengukuran",
                "tanggal penimbangan",
                "tgl penimbangan",
                "tanggal timbang",
                "tgl timbang",
                "tanggal",
                "tgl",
                "measurement date",
                "measured on",
                "date measured",
                "date",
            ],
            Self::Length => &[
                "tinggi",
                "tinggi badan",
                "tb",
                "panjang",
                "panjang badan",
                "pb",
                "tb/pb",
                "pb/tb",
                "tb pb",
                "pb tb",
                "tinggi/panjang badan",
                "panjang/tinggi badan",
                "tinggi/panjang",
                "panjang/tinggi",
                "height",
                "length",
                "length/height",
                "height/length",
            ],
            Self::Position => &[
                "cara ukur",
                "cara pengukuran",
                "posisi",
                "posisi ukur",
                "posisi pengukuran",
                "position",
                "measurement position",
                "measured",
            ],
            Self::Weight => &["berat", "berat badan", "bb", "weight"],
            Self::Muac => &[
                "lila",
                "lingkar lengan",
                "lingkar lengan atas",
                "lla",
                "muac",
                "arm circumference",
                "mid upper arm circumference",
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
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file has no rows")]
    Empty,
    /// Required columns are missing (all listed, so one correction is enough); `child` when no column
    /// names the child either (neither id, NIK, nor name with birth date).
    #[error("the file lacks the columns {columns:?} (child: {child})")]
    MissingColumns { columns: Vec<Column>, child: bool },
    #[error("the file has more than {max} rows")]
    TooManyRows { max: usize },
    /// An XLSX file that unpacks to more than an import may hold.
    #[error("{0}")]
    TooLarge(TooLarge),
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

/// A child named by name and birth date, and the guardian when the list has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: PersonName,
    pub birth_date: NaiveDate,
    pub guardian: Option<PersonName>,
}

impl Identity {
    /// The name and birth date folded like a child's identity key, so `Siti Nur'aini` and `siti nuraini`
    /// born the same day are one key.
    pub fn name_key(&self) -> (String, NaiveDate) {
        (fold_name(self.name.as_str()), self.birth_date)
    }

    /// The children import's identity key, when the guardian is given.
    pub fn identity_key(&self) -> Option<String> {
        self.guardian
            .as_ref()
            .map(|g| identity_key(&self.name, self.birth_date, g))
    }
}

/// How a row names its child. An id is taken as it is; a NIK falls back to the name and birth date when
/// asuh has no child with that NIK (the list may have it and asuh not yet), as in the children import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildRef {
    Id(ChildId),
    Nik {
        nik: Nik,
        identity: Option<Identity>,
    },
    Identity(Identity),
}

impl ChildRef {
    /// Equal for two rows that surely name the same child (the same id, NIK, or folded identity).
    pub fn key(&self) -> String {
        match self {
            Self::Id(id) => format!("id:{}", id.0),
            Self::Nik { nik, .. } => format!("nik:{nik}"),
            Self::Identity(who) => {
                let (name, born) = who.name_key();
                let guardian = who
                    .guardian
                    .as_ref()
                    .map(|g| fold_name(g.as_str()))
                    .unwrap_or_default();
                format!("who:{name}|{born}|{guardian}")
            }
        }
    }
}

/// One row: which child, and what was measured.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementRecord {
    pub line: usize,
    pub child: ChildRef,
    pub measured_on: NaiveDate,
    pub length: LengthMm,
    /// `None` when the list does not say: the caller takes WHO's convention for the age.
    pub position: Option<Position>,
    pub weight: Option<WeightG>,
    pub muac: Option<MuacMm>,
}

/// Why one row did not become a record. Values are the cell text as written, to quote back to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("{0} is empty")]
    Missing(Column),
    #[error("the row does not say which child")]
    NoChild,
    #[error("{0:?} is not a child id")]
    BadChildId(String),
    #[error("{0:?} is not a NIK (16 digits)")]
    BadNik(String),
    #[error("the child's name is not a name")]
    BadName,
    #[error("the guardian's name is not a name")]
    BadGuardian,
    #[error("{value:?} in {column} is not a date (DD/MM/YYYY)")]
    BadDate { column: Column, value: String },
    #[error("{value:?} in {column} is not a number")]
    BadNumber { column: Column, value: String },
    #[error("{value:?} in {column} is not a measurement of a child (cm, kg)")]
    OutOfRange { column: Column, value: String },
    #[error("{0:?} is not a position (lying/standing)")]
    BadPosition(String),
    #[error("the measurement date is after today")]
    MeasuredInFuture,
    #[error("the same child and date as on line {line}")]
    DuplicateOf { line: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// The outcome of a file: every non-blank row is in exactly one of `records` and `errors`, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub records: Vec<MeasurementRecord>,
    pub errors: Vec<RowError>,
    /// Non-blank rows after the header: `records.len() + errors.len()`.
    pub rows: usize,
}

/// Reads a measurements list. `today` is the latest date a measurement may have; the caller passes the
/// date of the programme's easternmost zone, since the exact check against the child's own zone follows.
pub fn parse(kind: FileKind, bytes: &[u8], today: NaiveDate) -> Result<Parsed, FileProblem> {
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
    // One measurement per child and day (the store keeps one): a second row for the same day would
    // silently replace the first within one import. Only records claim a day, as in the children list.
    let mut lines_by_day: HashMap<(String, NaiveDate), usize> = HashMap::new();
    for row in &table.rows {
        let line = row.line;
        let record = match read_row(&columns.cells(row), line, today) {
            Ok(record) => record,
            Err(problem) => {
                parsed.errors.push(RowError { line, problem });
                continue;
            }
        };
        match lines_by_day.entry((record.child.key(), record.measured_on)) {
            Entry::Occupied(first) => parsed.errors.push(RowError {
                line,
                problem: RowProblem::DuplicateOf { line: *first.get() },
            }),
            Entry::Vacant(slot) => {
                slot.insert(line);
                parsed.records.push(record);
            }
        }
    }
    Ok(parsed)
}

/// Where each column is in the file.
struct Columns(super::Columns<Column>);

impl Columns {
    fn locate(header: &Row) -> Result<Self, FileProblem> {
        let columns = super::Columns::locate(header, &Column::ALL, Column::aliases);
        let missing = columns.missing(&Column::REQUIRED);
        let has = |c| columns.has(c);
        let names_child = has(Column::ChildId)
            || has(Column::Nik)
            || (has(Column::Name) && has(Column::BirthDate));
        if missing.is_empty() && names_child {
            Ok(Self(columns))
        } else {
            Err(FileProblem::MissingColumns {
                columns: missing,
                child: !names_child,
            })
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

    /// A decimal in `unit` (`85,5`, `85.5 cm`) scaled to whole `per_unit`ths and made a quantity by `make`.
    ///
    /// Rounded to the nearest mm or g, unlike a value typed in the chat: a spreadsheet's computed cell
    /// arrives as `82.30000000000001`, and refusing it would refuse a correct measurement.
    fn quantity<T, E>(
        &self,
        column: Column,
        unit: &str,
        per_unit: f64,
        make: impl Fn(i64) -> Result<T, E>,
    ) -> Result<Option<T>, RowProblem> {
        let Some(value) = self.get(column) else {
            return Ok(None);
        };
        let number = parse_decimal(value, unit).ok_or_else(|| RowProblem::BadNumber {
            column,
            value: value.to_owned(),
        })?;
        // `as` saturates: an absurd value becomes an absurd integer, which `make` refuses as out of range.
        make((number * per_unit).round() as i64)
            .map(Some)
            .map_err(|_| RowProblem::OutOfRange {
                column,
                value: value.to_owned(),
            })
    }

    fn name(&self, column: Column, bad: RowProblem) -> Result<Option<PersonName>, RowProblem> {
        self.get(column)
            .map(|text| PersonName::parse(text).map_err(|_| bad))
            .transpose()
    }
}

/// One row into a record, or its first problem: first which child, then the measurement.
fn read_row(
    cells: &Cells<'_>,
    line: usize,
    today: NaiveDate,
) -> Result<MeasurementRecord, RowProblem> {
    let child = read_child(cells)?;
    let measured_on = cells
        .date(Column::MeasuredOn)?
        .ok_or(RowProblem::Missing(Column::MeasuredOn))?;
    if measured_on > today {
        return Err(RowProblem::MeasuredInFuture);
    }
    let length = cells
        .quantity(Column::Length, "cm", 10.0, LengthMm::from_mm)?
        .ok_or(RowProblem::Missing(Column::Length))?;
    let position = cells
        .get(Column::Position)
        .map(|text| parse_position(text).ok_or_else(|| RowProblem::BadPosition(text.to_owned())))
        .transpose()?;
    let weight = cells.quantity(Column::Weight, "kg", 1000.0, WeightG::from_g)?;
    let muac = cells.quantity(Column::Muac, "cm", 10.0, MuacMm::from_mm)?;
    Ok(MeasurementRecord {
        line,
        child,
        measured_on,
        length,
        position,
        weight,
        muac,
    })
}

/// Which child a row names. An id says it all, so the other cells are not read (an export that has the
/// id and a NIK mangled by Excel still imports). Otherwise every naming cell given is checked.
fn read_child(cells: &Cells<'_>) -> Result<ChildRef, RowProblem> {
    if let Some(text) = cells.get(Column::ChildId) {
        return parse_child_id(text)
            .map(ChildRef::Id)
            .ok_or_else(|| RowProblem::BadChildId(text.to_owned()));
    }
    let nik = cells
        .get(Column::Nik)
        .map(|text| Nik::parse(text).map_err(|_| RowProblem::BadNik(text.to_owned())))
        .transpose()?;
    let name = cells.name(Column::Name, RowProblem::BadName)?;
    let birth_date = cells.date(Column::BirthDate)?;
    let guardian = cells.name(Column::Guardian, RowProblem::BadGuardian)?;
    let identity = match (name, birth_date) {
        (Some(name), Some(birth_date)) => Some(Identity {
            name,
            birth_date,
            guardian,
        }),
        // Half an identity names no one; say which half is missing, unless a NIK names the child.
        (Some(_), None) if nik.is_none() => return Err(RowProblem::Missing(Column::BirthDate)),
        (None, Some(_)) if nik.is_none() => return Err(RowProblem::Missing(Column::Name)),
        _ => None,
    };
    match (nik, identity) {
        (Some(nik), identity) => Ok(ChildRef::Nik { nik, identity }),
        (None, Some(identity)) => Ok(ChildRef::Identity(identity)),
        (None, None) => Err(RowProblem::NoChild),
    }
}

/// asuh's child id as its lists show it: digits, perhaps after a `#`.
fn parse_child_id(text: &str) -> Option<ChildId> {
    let digits = text.trim().trim_start_matches('#').trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|id| *id > 0).map(ChildId)
}

/// How lists say a child was measured: e-PPGBM writes `Berdiri`/`Terlentang`, WHO Anthro `H`/`L`, and
/// forms the kind of board (`PB` panjang badan, `TB` tinggi badan).
pub(crate) fn parse_position(text: &str) -> Option<Position> {
    let key: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "berbaring" | "baring" | "terlentang" | "telentang" | "tidur" | "lying" | "recumbent"
        | "l" | "pb" | "panjang" | "panjangbadan" | "length" => Some(Position::Lying),
        "berdiri" | "diri" | "standing" | "stand" | "h" | "tb" | "tinggi" | "tinggibadan"
        | "height" => Some(Position::Standing),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::locate_columns;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn today() -> NaiveDate {
        d(2026, 11, 23)
    }

    fn csv(text: &str) -> Result<Parsed, FileProblem> {
        parse(FileKind::Csv, text.as_bytes(), today())
    }

    fn name(s: &str) -> PersonName {
        PersonName::parse(s).expect("name")
    }

    const HEADER: &str = "id anak,tgl ukur,tinggi";

    /// The problem of a one-row file with `header` (`HEADER` when empty).
    fn problem_of(header: &str, row: &str) -> Option<RowProblem> {
        let header = if header.is_empty() { HEADER } else { header };
        let parsed = csv(&format!("{header}\n{row}\n")).expect("parsed");
        assert_eq!(parsed.rows, 1);
        assert_eq!(parsed.records.len() + parsed.errors.len(), 1);
        parsed.errors.into_iter().next().map(|e| e.problem)
    }

    #[test]
    fn an_e_ppgbm_export_with_indonesian_headers() {
        let text = "No;NIK;Nama;JK;Tgl Lahir;BB Lahir;TB Lahir;Nama Ortu;Tanggal Pengukuran;Berat;Tinggi;Cara Ukur;LiLA;TB/U;ZS TB/U\n\
                    1;7471084503240001;Siti Nur'aini;P;05/03/2024;2,9;48;Wa Ode Sitti;12/08/2026;9,1;79,5;Berdiri;13,5;Pendek;-2,31\n\
                    2;;Budi Santoso;L;01/02/2025;3,1;49;Ani;13/08/2026;8;72;Terlentang;;Normal;-1,2\n";
        let parsed = csv(text).expect("parsed");
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.rows, 2);
        let siti = &parsed.records[0];
        assert_eq!(siti.line, 2);
        assert_eq!(
            siti.child,
            ChildRef::Nik {
                nik: Nik::parse("7471084503240001").expect("nik"),
                identity: Some(Identity {
                    name: name("Siti Nur'aini"),
                    birth_date: d(2024, 3, 5),
                    guardian: Some(name("Wa Ode Sitti")),
                }),
            }
        );
        assert_eq!(siti.measured_on, d(2026, 8, 12));
        assert_eq!(siti.length.mm(), 795);
        assert_eq!(siti.position, Some(Position::Standing));
        assert_eq!(siti.weight.map(WeightG::g), Some(9_100));
        assert_eq!(siti.muac.map(MuacMm::mm), Some(135));
        let budi = &parsed.records[1];
        assert!(matches!(&budi.child, ChildRef::Identity(who) if who.birth_date == d(2025, 2, 1)));
        assert_eq!(
            (
                budi.length.mm(),
                budi.position,
                budi.weight.map(WeightG::g),
                budi.muac
            ),
            (720, Some(Position::Lying), Some(8_000), None)
        );
    }

    #[test]
    fn english_headers_and_no_position_column() {
        let text = "Child ID,Measurement date,Height (cm),Weight (kg),MUAC (cm)\n\
                    #12,2026-11-01,85.5 cm,11.2 kg,14\n";
        let parsed = csv(text).expect("parsed");
        assert_eq!(parsed.errors, vec![]);
        let r = &parsed.records[0];
        assert_eq!(r.child, ChildRef::Id(ChildId(12)));
        assert_eq!(r.measured_on, d(2026, 11, 1));
        assert_eq!(
            (
                r.length.mm(),
                r.position,
                r.weight.map(WeightG::g),
                r.muac.map(MuacMm::mm)
            ),
            (855, None, Some(11_200), Some(140))
        );
    }

    #[test]
    fn header_names_each_column_goes_by() {
        let cases: [(&str, Column); 16] = [
            ("ID Anak", Column::ChildId),
            ("NIK Anak", Column::Nik),
            ("Nama Balita", Column::Name),
            ("Tanggal Lahir", Column::BirthDate),
            ("Nama Ibu", Column::Guardian),
            ("Tgl. Pengukuran", Column::MeasuredOn),
            ("Tanggal", Column::MeasuredOn),
            ("PB/TB (cm)", Column::Length),
            ("Panjang Badan", Column::Length),
            ("Length", Column::Length),
            ("Posisi", Column::Position),
            ("Position", Column::Position),
            ("BB (kg)", Column::Weight),
            ("Lingkar Lengan Atas (cm)", Column::Muac),
            ("LILA", Column::Muac),
            ("muac", Column::Muac),
        ];
        for (header, column) in cases {
            let row = Row {
                line: 1,
                cells: vec!["x".into(), header.into()],
            };
            let found = locate_columns(&row, &[column], Column::aliases);
            assert_eq!(found, vec![Some(1)], "{header}");
        }
        // At birth, and statuses: never taken for the visit's values.
        for header in [
            "BB Lahir",
            "TB Lahir",
            "TB/U",
            "BB/TB",
            "ZS TB/U",
            "Tgl Lahir",
        ] {
            let row = Row {
                line: 1,
                cells: vec![header.into()],
            };
            for column in [Column::Length, Column::Weight, Column::MeasuredOn] {
                let found = locate_columns(&row, &[column], Column::aliases);
                assert_eq!(found, vec![None], "{header} as {column}");
            }
        }
    }

    #[test]
    fn positions_as_lists_write_them() {
        for text in [
            "Berbaring",
            "terlentang",
            "Telentang",
            "L",
            "PB",
            "lying",
            "Recumbent",
        ] {
            assert_eq!(parse_position(text), Some(Position::Lying), "{text}");
        }
        for text in ["Berdiri", "BERDIRI", "H", "tb", "standing", "Tinggi Badan"] {
            assert_eq!(parse_position(text), Some(Position::Standing), "{text}");
        }
        for text in ["duduk", "P", "1", "lying?standing"] {
            assert_eq!(parse_position(text), None, "{text}");
        }
    }

    #[test]
    fn files_that_cannot_be_measurements() {
        assert_eq!(
            csv("id anak,tinggi\n1,80\n"),
            Err(FileProblem::MissingColumns {
                columns: vec![Column::MeasuredOn],
                child: false
            })
        );
        assert_eq!(
            csv("nama,tgl ukur,berat\nBudi,01/11/2026,9\n"),
            Err(FileProblem::MissingColumns {
                columns: vec![Column::Length],
                child: true
            })
        );
        assert_eq!(csv("id anak,tgl ukur,tinggi\n"), Err(FileProblem::Empty));
        assert_eq!(csv(""), Err(FileProblem::Empty));
        assert!(matches!(
            parse(FileKind::Csv, b"\x00\x01binary", today()),
            Err(FileProblem::Unreadable(_))
        ));
    }

    #[test]
    fn title_rows_above_the_header_are_skipped() {
        let parsed = csv("HASIL PENIMBANGAN AGUSTUS 2026\nPosyandu Mawar\nid anak,tgl ukur,tinggi\n3,01/08/2026,80\n")
            .expect("parsed");
        assert_eq!(parsed.records[0].line, 4);
    }

    #[test]
    fn every_row_problem() {
        use RowProblem::*;
        let who = "nama,tgl lahir,nama ibu,nik,tgl ukur,tinggi,berat,lila,cara ukur";
        let cases: Vec<(&str, &str, RowProblem)> = vec![
            ("", "A12,01/11/2026,80", BadChildId("A12".into())),
            ("", "0,01/11/2026,80", BadChildId("0".into())),
            (
                "",
                "3,31/11/2026,80",
                BadDate {
                    column: Column::MeasuredOn,
                    value: "31/11/2026".into(),
                },
            ),
            (
                "",
                "3,01/11/26,80",
                BadDate {
                    column: Column::MeasuredOn,
                    value: "01/11/26".into(),
                },
            ),
            ("", "3,,80", Missing(Column::MeasuredOn)),
            ("", "3,24/11/2026,80", MeasuredInFuture),
            ("", "3,01/11/2026,", Missing(Column::Length)),
            (
                "",
                "3,01/11/2026,delapan",
                BadNumber {
                    column: Column::Length,
                    value: "delapan".into(),
                },
            ),
            (
                "",
                "3,01/11/2026,800",
                OutOfRange {
                    column: Column::Length,
                    value: "800".into(),
                },
            ),
            (
                "",
                "3,01/11/2026,0.8",
                OutOfRange {
                    column: Column::Length,
                    value: "0.8".into(),
                },
            ),
            (who, ",,,,01/11/2026,80,,,", NoChild),
            (who, "Budi,,,,01/11/2026,80,,,", Missing(Column::BirthDate)),
            (who, ",01/02/2025,,,01/11/2026,80,,,", Missing(Column::Name)),
            (who, "B,01/02/2025,,,01/11/2026,80,,,", BadName),
            (who, "Budi,01/02/2025,/x,,01/11/2026,80,,,", BadGuardian),
            (
                who,
                "Budi,1-2-25,,,01/11/2026,80,,,",
                BadDate {
                    column: Column::BirthDate,
                    value: "1-2-25".into(),
                },
            ),
            (
                who,
                "Budi,01/02/2025,,7.47102E+15,01/11/2026,80,,,",
                BadNik("7.47102E+15".into()),
            ),
            (
                who,
                "Budi,01/02/2025,,,01/11/2026,80,9000,,",
                OutOfRange {
                    column: Column::Weight,
                    value: "9000".into(),
                },
            ),
            (
                who,
                "Budi,01/02/2025,,,01/11/2026,80,9 kilo,,",
                BadNumber {
                    column: Column::Weight,
                    value: "9 kilo".into(),
                },
            ),
            (
                who,
                "Budi,01/02/2025,,,01/11/2026,80,9,135,",
                OutOfRange {
                    column: Column::Muac,
                    value: "135".into(),
                },
            ),
            (
                who,
                "Budi,01/02/2025,,,01/11/2026,80,9,13,duduk",
                BadPosition("duduk".into()),
            ),
        ];
        for (header, row, expected) in cases {
            assert_eq!(problem_of(header, row), Some(expected), "{row}");
        }
        // A NIK alone names the child; so do a name and birth date alone.
        assert_eq!(
            problem_of(who, ",,,7471084503240001,01/11/2026,80,,,"),
            None
        );
        assert_eq!(problem_of(who, "Budi,01/02/2025,,,01/11/2026,80,,,"), None);
        assert_eq!(
            problem_of(who, "Budi,,,7471084503240001,01/11/2026,80,,,"),
            None
        );
    }

    #[test]
    fn an_id_is_enough_and_the_other_cells_are_not_read() {
        let header = "id anak,nik,nama,tgl ukur,tinggi";
        assert_eq!(problem_of(header, "7,7.47102E+15,B,01/11/2026,80"), None);
    }

    #[test]
    fn values_are_rounded_to_what_a_board_and_a_scale_read() {
        let parsed =
            csv("id,tgl,tb,bb\n1,01/11/2026,82.30000000000001,9.1000000001\n").expect("parsed");
        let r = &parsed.records[0];
        assert_eq!(
            (r.length.mm(), r.weight.map(WeightG::g)),
            (823, Some(9_100))
        );
    }

    #[test]
    fn the_same_child_and_day_twice_is_a_duplicate() {
        let text = "id anak,nik,nama,tgl lahir,tgl ukur,tinggi\n\
                    5,,,,01/11/2026,80\n\
                    5,,,,01/10/2026,79\n\
                    5,,,,01/11/2026,80,5\n\
                    ,7471084503240001,,,01/11/2026,80\n\
                    ,7471084503240001,,,1-11-2026,81\n\
                    ,,Siti Nur'aini,05/03/2024,01/11/2026,80\n\
                    ,,SITI NURAINI,05/03/2024,2026-11-01,80\n\
                    ,,Siti Nuraini,05/03/2024,02/11/2026,80\n\
                    6,,,,99/11/2026,80\n\
                    6,,,,01/11/2026,80\n";
        let parsed = csv(text).expect("parsed");
        let lines: Vec<usize> = parsed.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5, 7, 9, 11]);
        let problems: Vec<(usize, RowProblem)> = parsed
            .errors
            .into_iter()
            .map(|e| (e.line, e.problem))
            .collect();
        assert_eq!(
            problems,
            [
                (4, RowProblem::DuplicateOf { line: 2 }),
                (6, RowProblem::DuplicateOf { line: 5 }),
                (8, RowProblem::DuplicateOf { line: 7 }),
                (
                    10,
                    RowProblem::BadDate {
                        column: Column::MeasuredOn,
                        value: "99/11/2026".into()
                    }
                ),
            ]
        );
        assert_eq!(parsed.rows, 10);
    }

    #[test]
    fn child_keys_fold_names_like_the_identity_key() {
        let who = |n: &str, g: Option<&str>| {
            ChildRef::Identity(Identity {
                name: name(n),
                birth_date: d(2024, 3, 5),
                guardian: g.map(name),
            })
        };
        assert_eq!(
            who("Siti Nur'aini", None).key(),
            who("siti  nuraini", None).key()
        );
        assert_ne!(who("Siti", None).key(), who("Siti", Some("Ani")).key());
        let with_guardian = Identity {
            name: name("Siti Nur'aini"),
            birth_date: d(2024, 3, 5),
            guardian: Some(name("Wa Ode Sitti")),
        };
        assert_eq!(
            with_guardian.identity_key().as_deref(),
            Some("siti nuraini|2024-03-05|wa ode sitti")
        );
        assert_eq!(
            with_guardian.name_key(),
            ("siti nuraini".to_owned(), d(2024, 3, 5))
        );
    }

    #[test]
    fn xlsx_dates_and_numbers() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date_format = Format::new().set_num_format("dd/mm/yyyy");
        for (col, text) in (0u16..).zip([
            "ID Anak",
            "Tanggal Ukur",
            "Posisi",
            "Tinggi (cm)",
            "Berat (kg)",
        ]) {
            sheet.write_string(0, col, text).expect("write");
        }
        let measured = ExcelDateTime::from_ymd(2026, 11, 2).expect("date");
        sheet.write_number(1, 0, 41.0).expect("write");
        sheet
            .write_datetime_with_format(1, 1, &measured, &date_format)
            .expect("write");
        sheet.write_string(1, 2, "berdiri").expect("write");
        sheet.write_number(1, 3, 88.4).expect("write");
        sheet.write_number(1, 4, 11.25).expect("write");
        // Row 3 blank; row 4 with a date typed as text and no position.
        sheet.write_number(3, 0, 42.0).expect("write");
        sheet.write_string(3, 1, "03-11-2026").expect("write");
        sheet.write_number(3, 3, 70.0).expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let parsed = parse(FileKind::Xlsx, &bytes, today()).expect("parsed");
        assert_eq!(parsed.errors, vec![]);
        let first = &parsed.records[0];
        assert_eq!(
            (
                first.line,
                &first.child,
                first.measured_on,
                first.position,
                first.length.mm(),
                first.weight.map(WeightG::g)
            ),
            (
                2,
                &ChildRef::Id(ChildId(41)),
                d(2026, 11, 2),
                Some(Position::Standing),
                884,
                Some(11_250)
            )
        );
        let second = &parsed.records[1];
        assert_eq!(
            (
                second.line,
                second.measured_on,
                second.position,
                second.length.mm()
            ),
            (4, d(2026, 11, 3), None, 700)
        );
    }
}
