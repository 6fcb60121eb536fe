//! Report files, written from a [`Report`]: one XLSX workbook with four sheets (per office, per Puskesmas,
//! sponsorships, deliveries) and a CSV of each table (UTF-8 with a byte order mark, so that Excel reads the names right,
//! comma separated). Headers and labels are in the coordinator's language; the rows are the report's, in
//! its order. Pure: bytes in memory, no I/O.

use crate::domain::Lang;
use crate::domain::delivery::{Deliverer, DeliveryStatus};
use crate::domain::evidence::Outcome;
use crate::domain::report::{OfficeRow, PuskesmasRow, Report, Timeliness};
use crate::domain::role::Role;
use crate::domain::sponsorship::SponsorshipStatus;
use crate::i18n::t;
use crate::media::MediaStore;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;

/// The largest document a bot may upload to Telegram.
pub const TELEGRAM_MAX_BYTES: usize = 50_000_000;

/// Rows of one XLSX sheet, its header included; longer tables go on in another sheet.
const SHEET_ROWS: usize = 1_048_576;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, thiserror::Error)]
pub enum ReportFileError {
    #[error("cannot write the XLSX file: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("cannot write the CSV file: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the CSV file: {0}")]
    Io(#[from] std::io::Error),
}

/// The four tables of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Offices,
    Puskesmas,
    Sponsorships,
    Deliveries,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Offices,
        Table::Puskesmas,
        Table::Sponsorships,
        Table::Deliveries,
    ];

    fn key(self) -> &'static str {
        match self {
            Table::Offices => "offices",
            Table::Puskesmas => "puskesmas",
            Table::Sponsorships => "sponsorships",
            Table::Deliveries => "deliveries",
        }
    }

    /// The sheet's name in the workbook (also the CSV's caption).
    pub fn title(self, lang: Lang) -> String {
        t(lang, &format!("report-sheet-{}", self.key()))
    }
}

/// Which file of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Xlsx,
    Csv(Table),
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Xlsx,
        FileKind::Csv(Table::Offices),
        FileKind::Csv(Table::Puskesmas),
        FileKind::Csv(Table::Sponsorships),
        FileKind::Csv(Table::Deliveries),
    ];

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Xlsx => "xlsx",
            FileKind::Csv(_) => "csv",
        }
    }
}

/// One written file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub kind: FileKind,
    /// e.g. `laporan-74.71-2026-10-01_2026-10-31.xlsx`, `pengiriman-74.71-2026-10-01_2026-10-31.csv`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The file's name: what it is, the area's code (or "all"), and the period.
pub fn file_name(report: &Report, kind: FileKind, lang: Lang) -> String {
    let what = match kind {
        FileKind::Xlsx => "report-file-xlsx".to_owned(),
        FileKind::Csv(table) => format!("report-file-{}", table.key()),
    };
    let area = report
        .region
        .as_ref()
        .map_or_else(|| t(lang, "report-file-all"), |c| c.to_string());
    format!(
        "{}-{area}-{}_{}.{}",
        t(lang, &what),
        report.period.from(),
        report.period.to(),
        kind.extension()
    )
}

/// Every file of a report: the workbook, then a CSV per table. With `media`, the deliveries carry where
/// each photo is kept (a path or an s3:// URL).
pub fn write_all(
    report: &Report,
    lang: Lang,
    media: Option<&MediaStore>,
) -> Result<Vec<ReportFile>, ReportFileError> {
    FileKind::ALL
        .into_iter()
        .map(|kind| {
            let bytes = match kind {
                FileKind::Xlsx => xlsx(report, lang, media)?,
                FileKind::Csv(table) => csv(report, table, lang, media)?,
            };
            Ok(ReportFile {
                kind,
                name: file_name(report, kind, lang),
                bytes,
            })
        })
        .collect()
}

/// A value in a table.
#[derive(Debug, Clone, PartialEq)]
enum Cell<'a> {
    Int(i64),
    Text(&'a str),
    Owned(String),
    Date(NaiveDate),
    /// A percentage (75.0 is 75 %).
    Pct(f64),
    Blank,
}

fn count(n: u64) -> Cell<'static> {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The localized words of a report, looked up once rather than per row.
struct Labels {
    community: String,
    no_puskesmas: String,
    total: String,
    delivery: HashMap<DeliveryStatus, String>,
    sponsorship: HashMap<SponsorshipStatus, String>,
    timeliness: HashMap<Timeliness, String>,
    outcome: HashMap<Outcome, String>,
    deliverer: HashMap<Deliverer, String>,
    role: HashMap<Role, String>,
}

impl Labels {
    fn new(lang: Lang) -> Self {
        Labels {
            community: t(lang, "report-community"),
            no_puskesmas: t(lang, "report-no-puskesmas"),
            total: t(lang, "report-total"),
            delivery: DeliveryStatus::ALL
                .into_iter()
                .map(|s| (s, t(lang, &format!("report-delivery-{}", s.as_str()))))
                .collect(),
            sponsorship: SponsorshipStatus::ALL
                .into_iter()
                .map(|s| (s, t(lang, &format!("report-sponsorship-{}", s.as_str()))))
                .collect(),
            timeliness: Timeliness::ALL
                .into_iter()
                .map(|s| (s, t(lang, &format!("report-timeliness-{}", s.as_str()))))
                .collect(),
            outcome: Outcome::ALL
                .into_iter()
                .map(|o| (o, t(lang, &format!("report-outcome-{}", o.as_str()))))
                .collect(),
            deliverer: [Deliverer::Sponsor, Deliverer::Volunteer]
                .into_iter()
                .map(|d| (d, t(lang, &format!("report-deliverer-{}", d.as_str()))))
                .collect(),
            role: [Role::Sponsor, Role::Volunteer, Role::Coordinator]
                .into_iter()
                .map(|r| (r, t(lang, &format!("report-role-{}", r.as_str()))))
                .collect(),
        }
    }
}

fn label<'a, K: Eq + std::hash::Hash>(map: &'a HashMap<K, String>, key: &K) -> Cell<'a> {
    map.get(key).map_or(Cell::Blank, |s| Cell::Text(s))
}

/// The header keys of each table, in column order.
fn header_keys(table: Table, locations: bool) -> Vec<&'static str> {
    match table {
        Table::Offices => vec![
            "report-col-office",
            "report-col-sponsors",
            "report-col-children",
            "report-col-due",
            "report-col-on-time",
            "report-col-late",
            "report-col-overdue",
            "report-col-missed",
            "report-col-on-time-pct",
        ],
        Table::Puskesmas => vec![
            "report-col-puskesmas",
            "report-col-registered",
            "report-col-sponsored",
            "report-col-waiting",
            "report-col-due",
            "report-col-on-time",
            "report-col-late",
            "report-col-overdue",
            "report-col-missed",
            "report-col-on-time-pct",
        ],
        Table::Sponsorships => vec![
            "report-col-sponsorship",
            "report-col-child-id",
            "report-col-child",
            "report-col-kecamatan",
            "report-col-village",
            "report-col-sponsor",
            "report-col-office",
            "report-col-status",
            "report-col-started",
            "report-col-ended",
            "report-col-package",
            "report-col-cadence",
            "report-col-due",
            "report-col-on-time",
            "report-col-late",
            "report-col-overdue",
            "report-col-missed",
        ],
        Table::Deliveries => {
            let mut keys = vec![
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
            ];
            if locations {
                keys.push("report-col-photo-locations");
            }
            keys
        }
    }
}

/// The localized header of a table.
pub fn header(table: Table, lang: Lang, locations: bool) -> Vec<String> {
    header_keys(table, locations)
        .into_iter()
        .map(|k| t(lang, k))
        .collect()
}

/// Writes the rows of one table, one at a time, through `emit`.
struct Rows<'a> {
    report: &'a Report,
    labels: &'a Labels,
    media: Option<&'a MediaStore>,
}

impl<'a> Rows<'a> {
    fn len(&self, table: Table) -> usize {
        match table {
            Table::Offices => self.report.offices.len() + 2,
            Table::Puskesmas => self.report.puskesmas.rows.len() + 1,
            Table::Sponsorships => self.report.sponsorships.len(),
            Table::Deliveries => self.report.deliveries.len(),
        }
    }

    fn office(&self, row: &'a OfficeRow, name: &'a str, out: &mut Vec<Cell<'a>>) {
        out.extend([
            Cell::Text(name),
            count(row.sponsors),
            count(row.children),
            count(row.counts.due),
            count(row.counts.on_time),
            count(row.counts.late),
            count(row.counts.overdue),
            count(row.counts.missed),
            row.counts.on_time_pct().map_or(Cell::Blank, Cell::Pct),
        ]);
    }

    fn puskesmas(&self, row: &'a PuskesmasRow, name: &'a str, out: &mut Vec<Cell<'a>>) {
        out.extend([
            Cell::Text(name),
            count(row.registered),
            count(row.sponsored),
            count(row.waiting()),
            count(row.counts.due),
            count(row.counts.on_time),
            count(row.counts.late),
            count(row.counts.overdue),
            count(row.counts.missed),
            row.counts.on_time_pct().map_or(Cell::Blank, Cell::Pct),
        ]);
    }

    /// The cells of row `i` of `table` into `out` (cleared first).
    fn cells(&self, table: Table, i: usize, out: &mut Vec<Cell<'a>>) {
        out.clear();
        let report = self.report;
        let labels = self.labels;
        match table {
            Table::Offices => {
                let n = report.offices.len();
                if i < n {
                    let row = &report.offices[i];
                    let name = row.office.as_ref().map_or("", |o| o.name.as_str());
                    self.office(row, name, out);
                } else if i == n {
                    self.office(&report.community, &labels.community, out);
                } else {
                    self.office(&report.total, &labels.total, out);
                }
            }
            Table::Puskesmas => match report.puskesmas.rows.get(i) {
                Some(row) => {
                    let name = row.name.as_deref().unwrap_or(&labels.no_puskesmas);
                    self.puskesmas(row, name, out);
                }
                None => self.puskesmas(&report.puskesmas.total, &labels.total, out),
            },
            Table::Sponsorships => {
                let s = &report.sponsorships[i];
                out.extend([
                    Cell::Int(s.id),
                    Cell::Int(s.child.id),
                    Cell::Text(&s.child.name),
                    Cell::Text(&s.child.kecamatan_name),
                    s.child
                        .village_name
                        .as_deref()
                        .map_or(Cell::Blank, Cell::Text),
                    Cell::Text(&s.sponsor.name),
                    Cell::Text(
                        s.sponsor
                            .office
                            .as_ref()
                            .map_or(labels.community.as_str(), |o| o.name.as_str()),
                    ),
                    label(&labels.sponsorship, &s.status),
                    s.started.map_or(Cell::Blank, Cell::Date),
                    s.ended.map_or(Cell::Blank, Cell::Date),
                    s.package.as_deref().map_or(Cell::Blank, Cell::Text),
                    s.cadence.as_deref().map_or(Cell::Blank, Cell::Text),
                    count(s.counts.due),
                    count(s.counts.on_time),
                    count(s.counts.late),
                    count(s.counts.overdue),
                    count(s.counts.missed),
                ]);
            }
            Table::Deliveries => {
                let d = &report.deliveries[i];
                let c = d.confirmation.as_ref();
                out.extend([
                    Cell::Int(d.id),
                    Cell::Date(d.due_on),
                    label(&labels.delivery, &d.status),
                    if d.timeliness == Timeliness::NotDue {
                        Cell::Blank
                    } else {
                        label(&labels.timeliness, &d.timeliness)
                    },
                    Cell::Int(d.child.id),
                    Cell::Text(&d.child.name),
                    Cell::Text(&d.child.kecamatan_name),
                    d.child
                        .village_name
                        .as_deref()
                        .map_or(Cell::Blank, Cell::Text),
                    Cell::Int(d.sponsorship),
                    Cell::Text(&d.sponsor.name),
                    Cell::Text(
                        d.sponsor
                            .office
                            .as_ref()
                            .map_or(labels.community.as_str(), |o| o.name.as_str()),
                    ),
                    label(&labels.deliverer, &d.deliverer),
                    c.and_then(|c| c.at).map_or(Cell::Blank, |at| {
                        Cell::Owned(at.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
                    }),
                    c.and_then(|c| c.by_name.as_deref())
                        .map_or(Cell::Blank, Cell::Text),
                    c.and_then(|c| c.by_role)
                        .map_or(Cell::Blank, |r| label(&labels.role, &r)),
                    c.and_then(|c| c.outcome)
                        .map_or(Cell::Blank, |o| label(&labels.outcome, &o)),
                    c.map_or(Cell::Blank, |c| {
                        Cell::Int(i64::try_from(c.photos.len()).unwrap_or(0))
                    }),
                    c.map_or(Cell::Blank, |c| {
                        Cell::Owned(
                            c.photos
                                .iter()
                                .filter_map(|p| p.sha256.as_deref())
                                .collect::<Vec<_>>()
                                .join(";"),
                        )
                    }),
                ]);
                if let Some(media) = self.media {
                    out.push(c.map_or(Cell::Blank, |c| {
                        Cell::Owned(
                            c.photos
                                .iter()
                                .filter_map(|p| p.storage_key.as_deref())
                                .map(|k| media.locate(k))
                                .collect::<Vec<_>>()
                                .join(";"),
                        )
                    }));
                }
            }
        }
    }
}

/// Text for a CSV cell that came from people (a name, a note): one that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, so that a spreadsheet shows it as text instead of running it
/// as a formula (`=HYPERLINK(…)`, `=2+5`): OWASP's advice against CSV injection. Numbers asuh writes
/// itself (counts, ids, z-scores such as -2.1) are not text and must not go through it. Used by every CSV
/// asuh writes: the report's tables and the evidence export's manifest. XLSX cells are typed and need none.
pub fn csv_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// One table as CSV: a byte order mark, the header, the rows.
pub fn csv(
    report: &Report,
    table: Table,
    lang: Lang,
    media: Option<&MediaStore>,
) -> Result<Vec<u8>, ReportFileError> {
    let labels = Labels::new(lang);
    let rows = Rows {
        report,
        labels: &labels,
        media,
    };
    let mut out = Vec::with_capacity(64 + rows.len(table) * 160);
    out.extend_from_slice(BOM);
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(header(table, lang, media.is_some()))?;
    let mut cells = Vec::new();
    for i in 0..rows.len(table) {
        rows.cells(table, i, &mut cells);
        for cell in &cells {
            match cell {
                Cell::Int(n) => w.write_field(n.to_string())?,
                Cell::Text(s) => w.write_field(csv_text(s).as_bytes())?,
                Cell::Owned(s) => w.write_field(csv_text(s).as_bytes())?,
                Cell::Date(d) => w.write_field(d.format("%Y-%m-%d").to_string())?,
                Cell::Pct(p) => w.write_field(format!("{p:.1}"))?,
                Cell::Blank => w.write_field("")?,
            }
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    w.into_inner()
        .map_err(|e| ReportFileError::Io(e.into_error()))
}

/// The workbook: the per-office table, the per-Puskesmas table, the sponsorships and the deliveries, one
/// sheet each (a table too
/// long for one sheet goes on in the next), with a bold, frozen header and filters.
pub fn xlsx(
    report: &Report,
    lang: Lang,
    media: Option<&MediaStore>,
) -> Result<Vec<u8>, ReportFileError> {
    let labels = Labels::new(lang);
    let rows = Rows {
        report,
        labels: &labels,
        media,
    };
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let pct = Format::new().set_num_format("0.0%");
    let mut book = Workbook::new();
    // Fast over small: the sheets of a large report are hundreds of megabytes of XML.
    book.set_zip_compression_level(1);
    let mut cells = Vec::new();
    for table in Table::ALL {
        let header = header(table, lang, media.is_some());
        let total = rows.len(table);
        let per_sheet = SHEET_ROWS - 1;
        let sheets = total.div_ceil(per_sheet).max(1);
        for part in 0..sheets {
            // Rows go to a temporary file as they are written, so a province's report does not hold
            // gigabytes of cells in memory.
            let sheet = book.add_worksheet_with_constant_memory()?;
            let title = if part == 0 {
                table.title(lang)
            } else {
                format!("{} ({})", table.title(lang), part + 1)
            };
            sheet.set_name(title)?;
            for (col, h) in header.iter().enumerate() {
                sheet.write_string_with_format(0, col_num(col), h.as_str(), &bold)?;
                sheet.set_column_width(col_num(col), width(table, col))?;
            }
            let first = part * per_sheet;
            let last = (first + per_sheet).min(total);
            for (n, i) in (first..last).enumerate() {
                rows.cells(table, i, &mut cells);
                let row = u32::try_from(n + 1).unwrap_or(u32::MAX);
                write_row(sheet, row, &cells, &date, &pct)?;
            }
            sheet.set_freeze_panes(1, 0)?;
            let last_row = u32::try_from(last - first).unwrap_or(u32::MAX);
            sheet.autofilter(0, 0, last_row, col_num(header.len().saturating_sub(1)))?;
        }
    }
    Ok(book.save_to_buffer()?)
}

fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[Cell<'_>],
    date: &Format,
    pct: &Format,
) -> Result<(), XlsxError> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col_num(col);
        match cell {
            Cell::Int(n) => {
                sheet.write_number(row, col, *n as f64)?;
            }
            Cell::Text(s) => {
                sheet.write_string(row, col, *s)?;
            }
            Cell::Owned(s) if s.is_empty() => {}
            Cell::Owned(s) => {
                sheet.write_string(row, col, s.as_str())?;
            }
            Cell::Date(d) => {
                let month = u8::try_from(d.month()).unwrap_or(1);
                let day = u8::try_from(d.day()).unwrap_or(1);
                let year = u16::try_from(d.year()).unwrap_or(1900);
                sheet.write_datetime_with_format(
                    row,
                    col,
                    ExcelDateTime::from_ymd(year, month, day)?,
                    date,
                )?;
            }
            Cell::Pct(p) => {
                sheet.write_number_with_format(row, col, p / 100.0, pct)?;
            }
            Cell::Blank => {}
        }
    }
    Ok(())
}

/// A readable column width for a table's column.
fn width(table: Table, col: usize) -> f64 {
    match (table, col) {
        (Table::Offices | Table::Puskesmas, 0) => 32.0,
        (Table::Offices | Table::Puskesmas, _) => 13.0,
        (Table::Sponsorships, 2 | 5 | 6) => 24.0,
        (Table::Sponsorships, 3 | 4 | 10 | 11) => 16.0,
        (Table::Sponsorships, _) => 12.0,
        (Table::Deliveries, 5 | 9 | 10 | 13) => 24.0,
        (Table::Deliveries, 12) => 26.0,
        (Table::Deliveries, 17 | 18) => 66.0,
        (Table::Deliveries, _) => 14.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{
        ChildRef, ConfirmationRef, Counts, DeliveryRow, OfficeRef, Period, PhotoRef,
        PuskesmasChildren, SponsorRef, SponsorshipRow,
    };
    use crate::domain::{OfficeId, RegionCode};
    use calamine::{Data, Reader, Xlsx};
    use chrono::{FixedOffset, TimeZone};
    use std::sync::Arc;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn sample() -> Report {
        let office = Arc::new(OfficeRef {
            id: OfficeId(1),
            name: "Dinas Kesehatan, \"Bidang\" Gizi".into(),
        });
        let ani = Arc::new(SponsorRef {
            id: 730_001,
            name: "Ani Saputra".into(),
            office: Some(office),
        });
        let budi = Arc::new(SponsorRef {
            id: 730_002,
            name: "Budi".into(),
            office: None,
        });
        let child = Arc::new(ChildRef {
            id: 2,
            name: "Muhammad Fathan".into(),
            kecamatan_code: "74.71.01".into(),
            kecamatan_name: "Mandonga".into(),
            village_code: Some("74.71.01.1006".into()),
            village_name: Some("Korumba".into()),
            puskesmas: Some("Puskesmas Mandonga".into()),
        });
        let other = Arc::new(ChildRef {
            id: 13,
            name: "Nayla Khairunnisa".into(),
            kecamatan_code: "74.71.01".into(),
            kecamatan_name: "Mandonga".into(),
            village_code: None,
            village_name: None,
            puskesmas: None,
        });
        let sponsorship = |id, child: &Arc<ChildRef>, sponsor: &Arc<SponsorRef>| SponsorshipRow {
            id,
            child: child.clone(),
            sponsor: sponsor.clone(),
            status: SponsorshipStatus::Active,
            started: Some(date("2026-09-28")),
            ended: None,
            package: Some("Paket gizi".into()),
            cadence: Some("Mingguan".into()),
            counts: Counts::default(),
        };
        let wita = FixedOffset::east_opt(8 * 3600).expect("offset");
        let confirmed = ConfirmationRef {
            at: wita.with_ymd_and_hms(2026, 10, 5, 10, 30, 0).single(),
            by_id: Some(730_101),
            by_name: Some("Wa Ode".into()),
            by_role: Some(Role::Volunteer),
            outcome: Some(Outcome::Full),
            photos: vec![
                PhotoRef {
                    sha256: Some("ab".repeat(32)),
                    storage_key: Some(format!("ab/ab/{}.jpg", "ab".repeat(32))),
                },
                PhotoRef {
                    sha256: Some("cd".repeat(32)),
                    storage_key: Some(format!("cd/cd/{}.jpg", "cd".repeat(32))),
                },
            ],
        };
        let delivery =
            |id, child: &Arc<ChildRef>, s: &SponsorshipRow, day: &str, status, t, c| DeliveryRow {
                id,
                due_on: date(day),
                status,
                timeliness: t,
                child: child.clone(),
                sponsorship: s.id,
                sponsor: s.sponsor.clone(),
                deliverer: Deliverer::Sponsor,
                confirmation: c,
            };
        let s1 = sponsorship(1, &child, &ani);
        let s2 = sponsorship(2, &other, &budi);
        let deliveries = vec![
            delivery(
                10,
                &child,
                &s1,
                "2026-10-05",
                DeliveryStatus::Confirmed,
                Timeliness::OnTime,
                Some(confirmed),
            ),
            delivery(
                11,
                &child,
                &s1,
                "2026-10-12",
                DeliveryStatus::Overdue,
                Timeliness::Overdue,
                None,
            ),
            delivery(
                12,
                &other,
                &s2,
                "2026-10-05",
                DeliveryStatus::Scheduled,
                Timeliness::NotDue,
                None,
            ),
        ];
        Report::assemble(
            Some(RegionCode::parse("74.71").expect("code")),
            Some("Kota Kendari".into()),
            Period::new(date("2026-10-01"), date("2026-10-31")).expect("period"),
            vec![s1, s2],
            deliveries,
            &[
                PuskesmasChildren {
                    puskesmas: Some("Puskesmas Mandonga".into()),
                    registered: 3,
                    sponsored: 1,
                },
                PuskesmasChildren {
                    puskesmas: None,
                    registered: 1,
                    sponsored: 1,
                },
            ],
        )
    }

    fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM), "a byte order mark first");
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[BOM.len()..]);
        r.records()
            .map(|rec| rec.expect("record").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn every_header_and_label_is_in_both_languages() {
        for lang in Lang::ALL {
            for table in Table::ALL {
                for (key, text) in header_keys(table, true)
                    .into_iter()
                    .zip(header(table, lang, true))
                {
                    assert_ne!(key, text, "{key} missing in {lang:?}");
                }
                assert!(!table.title(lang).starts_with("report-"));
            }
            let labels = Labels::new(lang);
            let all = labels
                .delivery
                .values()
                .chain(labels.sponsorship.values())
                .chain(labels.timeliness.values())
                .chain(labels.outcome.values())
                .chain(labels.deliverer.values())
                .chain(labels.role.values())
                .chain([&labels.community, &labels.no_puskesmas, &labels.total]);
            for l in all {
                assert!(!l.starts_with("report-"), "{l} missing in {lang:?}");
            }
            for kind in FileKind::ALL {
                assert!(!file_name(&sample(), kind, lang).contains("report-file"));
            }
        }
    }

    #[test]
    fn csv_files_have_a_header_and_the_rows_in_order() {
        let report = sample();
        let media = MediaStore::local("/var/lib/asuh/media");
        let deliveries =
            parse_csv(&csv(&report, Table::Deliveries, Lang::Id, Some(&media)).expect("csv"));
        assert_eq!(deliveries[0], header(Table::Deliveries, Lang::Id, true));
        // Nayla (no village) sorts before Muhammad (Korumba) in Mandonga; each child's by date.
        let ids: Vec<&str> = deliveries[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids, ["12", "10", "11"]);
        let first = &deliveries[2];
        assert_eq!(first[1], "2026-10-05");
        assert_eq!(first[2], t(Lang::Id, "report-delivery-confirmed"));
        assert_eq!(first[3], t(Lang::Id, "report-timeliness-on_time"));
        assert_eq!(
            (first[4].as_str(), first[5].as_str()),
            ("2", "Muhammad Fathan")
        );
        assert_eq!(
            (first[6].as_str(), first[7].as_str()),
            ("Mandonga", "Korumba")
        );
        assert_eq!(first[10], "Dinas Kesehatan, \"Bidang\" Gizi");
        assert_eq!(first[12], "2026-10-05T10:30:00+08:00");
        assert_eq!(first[13], "Wa Ode");
        assert_eq!(first[14], t(Lang::Id, "report-role-volunteer"));
        assert_eq!(first[15], t(Lang::Id, "report-outcome-full"));
        assert_eq!(first[16], "2");
        assert_eq!(
            first[17],
            format!("{};{}", "ab".repeat(32), "cd".repeat(32))
        );
        assert!(
            first[18].starts_with("/var/lib/asuh/media/ab/ab/"),
            "{}",
            first[18]
        );
        assert!(
            first[18].contains(";/var/lib/asuh/media/cd/cd/"),
            "{}",
            first[18]
        );
        assert_eq!(deliveries[3][3], t(Lang::Id, "report-timeliness-overdue"));
        assert_eq!(deliveries[3][12], "");
        assert_eq!(deliveries[1][3], "", "a scheduled delivery is not counted");
        assert_eq!(deliveries[1][7], "");
        assert_eq!(deliveries[1][10], t(Lang::Id, "report-community"));

        let offices = parse_csv(&csv(&report, Table::Offices, Lang::En, None).expect("csv"));
        assert_eq!(offices[0], header(Table::Offices, Lang::En, false));
        assert_eq!(
            offices[1],
            [
                "Dinas Kesehatan, \"Bidang\" Gizi",
                "1",
                "1",
                "2",
                "1",
                "0",
                "1",
                "0",
                "50.0"
            ]
        );
        assert_eq!(offices[2][0], "Community members");
        assert_eq!(offices[2][8], "", "nothing due, no percentage");
        assert_eq!(offices[3][..4], ["Total", "2", "2", "2"]);

        let puskesmas = parse_csv(&csv(&report, Table::Puskesmas, Lang::Id, None).expect("csv"));
        assert_eq!(puskesmas[0], header(Table::Puskesmas, Lang::Id, false));
        assert_eq!(
            puskesmas[1],
            [
                "Puskesmas Mandonga",
                "3",
                "1",
                "2",
                "2",
                "1",
                "0",
                "1",
                "0",
                "50.0"
            ]
        );
        assert_eq!(
            puskesmas[2],
            [
                "(tanpa Puskesmas)",
                "1",
                "1",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                ""
            ]
        );
        assert_eq!(puskesmas[3][..5], ["Total", "4", "2", "2", "2"]);
        assert_eq!(puskesmas.len(), 4);

        let sponsorships =
            parse_csv(&csv(&report, Table::Sponsorships, Lang::Id, None).expect("csv"));
        assert_eq!(sponsorships.len(), 3);
        assert_eq!(sponsorships[2][..3], ["1", "2", "Muhammad Fathan"]);
        assert_eq!(sponsorships[2][8], "2026-09-28");
        assert_eq!(sponsorships[2][9], "");
        assert_eq!(sponsorships[2][12..], ["2", "1", "0", "1", "0"]);
        assert_eq!(sponsorships[1][..3], ["2", "13", "Nayla Khairunnisa"]);
    }

    #[test]
    fn the_workbook_reads_back_like_the_csv_files() {
        let report = sample();
        let bytes = xlsx(&report, Lang::Id, None).expect("xlsx");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
        let names = book.sheet_names();
        assert_eq!(
            names,
            Table::ALL.map(|t| t.title(Lang::Id)).to_vec(),
            "one sheet per table, in order"
        );
        for table in Table::ALL {
            let range = book.worksheet_range(&table.title(Lang::Id)).expect("sheet");
            let from_csv = parse_csv(&csv(&report, table, Lang::Id, None).expect("csv"));
            let rows: Vec<Vec<String>> = range
                .rows()
                .map(|r| {
                    let mut cells: Vec<String> = r.iter().map(cell_text).collect();
                    cells.resize(from_csv[0].len(), String::new());
                    cells
                })
                .collect();
            assert_eq!(rows, from_csv, "{table:?}");
        }
    }

    #[test]
    fn text_that_would_start_a_formula_is_quoted() {
        for (typed, written) in [
            ("=2+5", "'=2+5"),
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tTab", "'\tTab"),
            ("\rCR", "'\rCR"),
            ("Mandonga", "Mandonga"),
            ("Budi =2+5", "Budi =2+5"),
            ("'quoted", "'quoted"),
            ("", ""),
            ("2026-10-05", "2026-10-05"),
        ] {
            assert_eq!(csv_text(typed), written, "{typed:?}");
        }
    }

    /// The sample with every name people type starting like a formula.
    fn hostile() -> Report {
        let office = Arc::new(OfficeRef {
            id: OfficeId(1),
            name: "=2+5".into(),
        });
        let sponsor = Arc::new(SponsorRef {
            id: 730_001,
            name: "+62 Saputra".into(),
            office: Some(office),
        });
        let child = Arc::new(ChildRef {
            id: 2,
            name: "-1+2".into(),
            kecamatan_code: "74.71.01".into(),
            kecamatan_name: "@SUM(1)".into(),
            village_code: Some("74.71.01.1006".into()),
            village_name: Some("\tKorumba".into()),
            puskesmas: Some("=1+1".into()),
        });
        let sponsorship = SponsorshipRow {
            id: 1,
            child: child.clone(),
            sponsor: sponsor.clone(),
            status: SponsorshipStatus::Active,
            started: Some(date("2026-09-28")),
            ended: None,
            package: Some("=HYPERLINK(\"http://x\",\"y\")".into()),
            cadence: Some("\rMingguan".into()),
            counts: Counts::default(),
        };
        let wita = FixedOffset::east_opt(8 * 3600).expect("offset");
        let delivery = DeliveryRow {
            id: 10,
            due_on: date("2026-10-05"),
            status: DeliveryStatus::Confirmed,
            timeliness: Timeliness::OnTime,
            child,
            sponsorship: 1,
            sponsor,
            deliverer: Deliverer::Sponsor,
            confirmation: Some(ConfirmationRef {
                at: wita.with_ymd_and_hms(2026, 10, 5, 10, 30, 0).single(),
                by_id: Some(730_101),
                by_name: Some("@Wa Ode".into()),
                by_role: Some(Role::Volunteer),
                outcome: Some(Outcome::Full),
                photos: Vec::new(),
            }),
        };
        Report::assemble(
            None,
            None,
            Period::new(date("2026-10-01"), date("2026-10-31")).expect("period"),
            vec![sponsorship],
            vec![delivery],
            &[PuskesmasChildren {
                puskesmas: Some("=1+1".into()),
                registered: 1,
                sponsored: 1,
            }],
        )
    }

    #[test]
    fn csv_cells_people_typed_never_start_a_formula_and_numbers_stay_numbers() {
        let report = hostile();
        let deliveries = parse_csv(&csv(&report, Table::Deliveries, Lang::Id, None).expect("csv"));
        let d = &deliveries[1];
        assert_eq!(d[..2], ["10", "2026-10-05"]);
        assert_eq!(d[4], "2");
        assert_eq!(d[5..8], ["'-1+2", "'@SUM(1)", "'\tKorumba"]);
        assert_eq!(d[8], "1");
        assert_eq!(d[9..11], ["'+62 Saputra", "'=2+5"]);
        assert_eq!(d[13], "'@Wa Ode");
        assert_eq!(d[16], "0");
        let sponsorships =
            parse_csv(&csv(&report, Table::Sponsorships, Lang::Id, None).expect("csv"));
        let s = &sponsorships[1];
        assert_eq!(s[..2], ["1", "2"]);
        assert_eq!(
            s[10..12],
            ["'=HYPERLINK(\"http://x\",\"y\")", "'\rMingguan"]
        );
        let offices = parse_csv(&csv(&report, Table::Offices, Lang::Id, None).expect("csv"));
        assert_eq!(offices[1][..4], ["'=2+5", "1", "1", "1"]);
        assert_eq!(offices[1][8], "100.0");
        let puskesmas = parse_csv(&csv(&report, Table::Puskesmas, Lang::Id, None).expect("csv"));
        assert_eq!(puskesmas[1][..3], ["'=1+1", "1", "1"]);
        for row in deliveries
            .iter()
            .chain(&sponsorships)
            .chain(&offices)
            .chain(&puskesmas)
        {
            for cell in row {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?} in {row:?}"
                );
            }
        }
        // The workbook keeps the names as typed: its cells are typed text, never formulas.
        let bytes = xlsx(&report, Lang::Id, None).expect("xlsx");
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
        let range = book
            .worksheet_range(&Table::Deliveries.title(Lang::Id))
            .expect("sheet");
        let row: Vec<String> = range
            .rows()
            .nth(1)
            .expect("a row")
            .iter()
            .map(cell_text)
            .collect();
        assert_eq!(row[5..7], ["-1+2", "@SUM(1)"]);
    }

    /// A cell as the CSV writes it: whole numbers without a decimal point, dates as YYYY-MM-DD, percentages
    /// as 0–100 with one decimal.
    fn cell_text(d: &Data) -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
            Data::Float(f) => format!("{:.1}", f * 100.0),
            Data::Int(i) => i.to_string(),
            Data::DateTime(dt) => {
                let base = date("1899-12-30");
                let days = dt.as_f64().floor() as u64;
                (base + chrono::Days::new(days))
                    .format("%Y-%m-%d")
                    .to_string()
            }
            other => panic!("unexpected cell {other:?}"),
        }
    }
}
