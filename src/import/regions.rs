//! Region lists (CSV or XLSX): Kemendagri code, name and optionally the time zone, one region a row, as an
//! office or an administrator hands them over to set up asuh for their area.
//!
//! Like the children's import, every non-blank row ends up either in `regions` or in `errors` (its first
//! problem), so the list can be fixed and sent again.

use super::{FileKind, ReadError, Row, TooLarge, locate_columns, read_table};
use crate::domain::evidence::GeoPoint;
use crate::domain::region::{RegionCode, RegionName, has_hidden_chars, parse_zone, zone_label};
use std::collections::HashMap;
use std::fmt;

/// Enough for the whole country (about 84,000 villages with their districts, regencies and provinces).
pub const MAX_ROWS: usize = 100_000;

/// The columns of a region list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Code,
    Name,
    Zone,
    Point,
}

impl Column {
    pub const ALL: [Column; 4] = [Self::Code, Self::Name, Self::Zone, Self::Point];
    pub const REQUIRED: [Column; 2] = [Self::Code, Self::Name];

    /// A stable name, for logs and as the key of a localized message.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::Zone => "zone",
            Self::Point => "point",
        }
    }

    /// The header texts this column goes by, folded like the children's columns.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Code => &[
                "kode",
                "kode wilayah",
                "kode kemendagri",
                "code",
                "region code",
            ],
            Self::Name => &["nama", "nama wilayah", "name", "region name"],
            Self::Zone => &["zona", "zona waktu", "timezone", "time zone", "zone"],
            Self::Point => &[
                "koordinat",
                "titik",
                "lokasi",
                "coordinates",
                "point",
                "location",
                "lat lon",
                "lat,lon",
            ],
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a whole region list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file has no rows")]
    Empty,
    #[error("the file lacks the columns {}", .0.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))]
    MissingColumns(Vec<Column>),
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

/// Why one row did not become a region. Values are the cell text as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("{0} is empty")]
    Missing(Column),
    #[error("{0:?} is not a Kemendagri code (74.71.01)")]
    BadCode(String),
    #[error("{0:?} is not a region name (2 to 80 characters)")]
    BadName(String),
    /// Control characters or bidi overrides (see [`crate::domain::region::is_hidden_char`]).
    #[error("{0:?} holds hidden characters")]
    HiddenCharacters(String),
    #[error("{0:?} is not a time zone (WIB, WITA, WIT)")]
    BadZone(String),
    #[error("{0:?} is not a point (latitude, longitude)")]
    BadPoint(String),
    #[error("the same code as on line {line}")]
    DuplicateOf { line: usize },
}

/// A row that did not become a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// One region of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRow {
    pub code: RegionCode,
    /// Spaces folded.
    pub name: String,
    /// `WIB`, `WITA`, `WIT`, or an IANA name outside Indonesia.
    pub zone: Option<String>,
    /// Where it lies ("-3.9721, 122.5149"): a confirmation's place is checked against its village's.
    pub point: Option<GeoPoint>,
}

/// The outcome of a region list, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub regions: Vec<RegionRow>,
    pub errors: Vec<RowError>,
    /// Non-blank rows after the header: `regions.len() + errors.len()`.
    pub rows: usize,
}

/// Reads a region list.
pub fn parse(kind: FileKind, bytes: &[u8]) -> Result<Parsed, FileProblem> {
    let names_required = |row: &Row| {
        locate_columns(row, &Column::REQUIRED, Column::aliases)
            .iter()
            .all(Option::is_some)
    };
    let table = read_table(kind, bytes, MAX_ROWS)?
        .ok_or(FileProblem::Empty)?
        .skip_titles(names_required);
    let positions = locate_columns(&table.header, &Column::ALL, Column::aliases);
    let position = |column: Column| {
        Column::ALL
            .iter()
            .position(|c| *c == column)
            .and_then(|i| positions[i])
    };
    let missing: Vec<Column> = Column::REQUIRED
        .into_iter()
        .filter(|c| position(*c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(FileProblem::MissingColumns(missing));
    }
    if table.rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    let cell = |row: &'_ Row, column| {
        position(column)
            .and_then(|i| row.cell(i))
            .map(str::to_owned)
    };

    let mut parsed = Parsed {
        regions: Vec::with_capacity(table.rows.len()),
        errors: Vec::new(),
        rows: table.rows.len(),
    };
    let mut lines_by_code: HashMap<RegionCode, usize> = HashMap::new();
    for row in &table.rows {
        let region = read_region(
            cell(row, Column::Code),
            cell(row, Column::Name),
            cell(row, Column::Zone),
            cell(row, Column::Point),
        )
        .and_then(|region| match lines_by_code.get(&region.code) {
            Some(&line) => Err(RowProblem::DuplicateOf { line }),
            None => Ok(region),
        });
        match region {
            Ok(region) => {
                lines_by_code.insert(region.code.clone(), row.line);
                parsed.regions.push(region);
            }
            Err(problem) => parsed.errors.push(RowError {
                line: row.line,
                problem,
            }),
        }
    }
    Ok(parsed)
}

fn read_region(
    code: Option<String>,
    name: Option<String>,
    zone: Option<String>,
    point: Option<String>,
) -> Result<RegionRow, RowProblem> {
    let code = code.ok_or(RowProblem::Missing(Column::Code))?;
    let code = RegionCode::parse(&code).map_err(|_| RowProblem::BadCode(code))?;
    let name = name.ok_or(RowProblem::Missing(Column::Name))?;
    if has_hidden_chars(&name) {
        return Err(RowProblem::HiddenCharacters(name));
    }
    let name = RegionName::parse(&name).ok_or(RowProblem::BadName(name))?;
    // Stored as the label people use (`wita` → `WITA`), which `parse_zone` reads back.
    let zone = zone
        .map(|text| {
            parse_zone(&text)
                .map(|tz| zone_label(tz).to_owned())
                .ok_or(RowProblem::BadZone(text))
        })
        .transpose()?;
    let point = point
        .map(|text| read_point(&text).ok_or(RowProblem::BadPoint(text)))
        .transpose()?;
    Ok(RegionRow {
        code,
        name: name.as_str().to_owned(),
        zone,
        point,
    })
}

/// "-3.9721, 122.5149" or "-3.9721 122.5149": latitude first, as maps show it.
fn read_point(text: &str) -> Option<GeoPoint> {
    let mut parts = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let lat = parts.next()?.parse().ok()?;
    let lon = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    GeoPoint::new(lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    fn row(c: &str, name: &str, zone: Option<&str>) -> RegionRow {
        RegionRow {
            code: code(c),
            name: name.into(),
            zone: zone.map(str::to_owned),
            point: None,
        }
    }

    #[test]
    fn points_are_latitude_then_longitude() {
        let parsed = csv(
            "kode,nama,koordinat\n74.71.01,Mandonga,\"-3.9721, 122.5149\"\n74.71.02,Baruga,91 0\n",
        )
        .expect("parsed");
        assert_eq!(parsed.regions[0].point, GeoPoint::new(-3.9721, 122.5149));
        assert_eq!(
            parsed.errors[0].problem,
            RowProblem::BadPoint("91 0".into())
        );
        assert_eq!(
            read_point("-3.9721 122.5149"),
            GeoPoint::new(-3.9721, 122.5149)
        );
        assert_eq!(read_point("-3.9721"), None);
        assert_eq!(read_point("1, 2, 3"), None);
    }

    fn csv(text: &str) -> Result<Parsed, FileProblem> {
        parse(FileKind::Csv, text.as_bytes())
    }

    #[test]
    fn indonesian_headers_with_zones() {
        let parsed =
            csv("Kode;Nama;Zona\n74.71;KOTA  KENDARI;wita\n74.71.01;Mandonga;\n").expect("parsed");
        assert_eq!(
            parsed.regions,
            vec![
                row("74.71", "KOTA KENDARI", Some("WITA")),
                row("74.71.01", "Mandonga", None),
            ]
        );
        assert_eq!((parsed.rows, parsed.errors.len()), (2, 0));
    }

    #[test]
    fn english_headers_in_any_order_without_zone_column() {
        let parsed = csv("\u{feff}Name , CODE\nKendari Barat,74.71.05\n").expect("parsed");
        assert_eq!(parsed.regions, vec![row("74.71.05", "Kendari Barat", None)]);
    }

    #[test]
    fn row_problems() {
        let parsed = csv("kode,nama,timezone\n\
             74.71.01,Mandonga,WITA\n\
             7471,Kota Kendari,\n\
             74.71.02,K,\n\
             74.71.03,Baruga,WITB\n\
             ,Poasia,\n\
             74.71.06,,\n\
             74.71.01,Mandonga Lagi,\n\
             74.71.09,Puuwatu,Asia/Makassar\n\
             74.71.10,Kam\u{202E}bu,\n")
        .expect("parsed");
        let problems: Vec<(usize, RowProblem)> = parsed
            .errors
            .into_iter()
            .map(|e| (e.line, e.problem))
            .collect();
        assert_eq!(
            problems,
            vec![
                (3, RowProblem::BadCode("7471".into())),
                (4, RowProblem::BadName("K".into())),
                (5, RowProblem::BadZone("WITB".into())),
                (6, RowProblem::Missing(Column::Code)),
                (7, RowProblem::Missing(Column::Name)),
                (8, RowProblem::DuplicateOf { line: 2 }),
                (10, RowProblem::HiddenCharacters("Kam\u{202E}bu".into())),
            ]
        );
        assert_eq!(parsed.regions.len(), 2);
        assert_eq!(parsed.regions[1].zone.as_deref(), Some("WITA"));
        assert_eq!(parsed.rows, 9);
    }

    #[test]
    fn missing_columns_and_empty_files() {
        assert_eq!(
            csv("wilayah,zona\nMandonga,WITA\n"),
            Err(FileProblem::MissingColumns(vec![
                Column::Code,
                Column::Name
            ]))
        );
        assert_eq!(csv(""), Err(FileProblem::Empty));
        assert_eq!(csv("kode,nama\n"), Err(FileProblem::Empty));
        assert!(matches!(
            parse(FileKind::Xlsx, b"not a workbook"),
            Err(FileProblem::Unreadable(_))
        ));
    }

    #[test]
    fn xlsx_region_list() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, text) in (0u16..).zip(["Kode Wilayah", "Nama Wilayah", "Zona Waktu"]) {
            sheet.write_string(0, col, text).expect("write");
        }
        sheet.write_string(1, 0, "74.71.08").expect("write");
        sheet.write_string(1, 1, "Kadia").expect("write");
        sheet.write_string(1, 2, "WITA").expect("write");
        // A province code typed as a number.
        sheet.write_number(2, 0, 74.0).expect("write");
        sheet
            .write_string(2, 1, "Sulawesi Tenggara")
            .expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let parsed = parse(FileKind::Xlsx, &bytes).expect("parsed");
        assert_eq!(
            parsed.regions,
            vec![
                row("74.71.08", "Kadia", Some("WITA")),
                row("74", "Sulawesi Tenggara", None),
            ]
        );
    }

    #[test]
    fn the_kendari_sample_is_clean_and_consistent() {
        let parsed = parse(
            FileKind::Csv,
            include_bytes!("../../samples/regions-kendari.csv"),
        )
        .expect("parsed");
        assert_eq!(parsed.errors, vec![]);
        let codes: Vec<&RegionCode> = parsed.regions.iter().map(|r| &r.code).collect();
        let kota = code("74.71");
        assert!(codes.iter().all(|c| kota.contains(c)));
        for c in &codes {
            if let Some(parent) = c.parent().filter(|p| kota.contains(p)) {
                assert!(codes.contains(&&parent), "{c} has no parent in the list");
            }
        }
        let kecamatan = codes
            .iter()
            .filter(|c| c.level() == crate::domain::region::RegionLevel::District)
            .count();
        assert_eq!(kecamatan, 11);
    }
}
