//! Imports of lists that offices hand over as files: children with stunting from e-PPGBM or posyandu
//! records ([`children`]), their later measurements ([`measurements`]) and region lists ([`regions`]).
//!
//! This module holds what both share: recognising the kind of file and turning its bytes into rows of text
//! cells, each with the line number a person sees when they open the file (the header row is line 1 when
//! it is the first row). The parsers only ever see text, so a CSV cell and an XLSX cell go through the same
//! rules; the few things only a spreadsheet can say (a real date, a number) are written here in the form
//! the parsers accept (`YYYY-MM-DD`, digits without exponent or `.0`).
//!
//! Everything is pure: bytes in, rows out, no file system and no clock.

pub mod children;
pub mod measurements;
pub mod names;
pub mod regions;

use calamine::{DataRef, Reader, Xlsx, XlsxError};
use std::borrow::Cow;
use std::io::{Cursor, Read};

/// The two kinds of file an office can hand over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Csv,
    Xlsx,
}

/// Every XLSX file is a zip archive, and a zip archive begins with these bytes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Cells further right than this are ignored: no list has that many columns, and a stray cell at `XFD1`
/// must not make every row sixteen thousand cells wide.
const MAX_COLUMNS: usize = 256;

/// Recognises a file by its name, else by its content.
///
/// A zip archive is taken as XLSX whatever its name, because it can never be a CSV file and people do
/// rename files. Without a known extension, text content is taken as CSV; anything else (a PDF, a legacy
/// `.xls`, a photo of the list) is `None`, so the caller can say which kinds are accepted.
pub fn detect(file_name: &str, bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(ZIP_MAGIC) {
        return Some(FileKind::Xlsx);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.trim().to_ascii_lowercase());
    match extension.as_deref() {
        Some("xlsx" | "xlsm") => Some(FileKind::Xlsx),
        Some("csv" | "tsv" | "txt") => Some(FileKind::Csv),
        _ => decode_text(bytes).is_some().then_some(FileKind::Csv),
    }
}

/// One non-blank row of a file: its cells as text, and where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based: the text line of a CSV record (where it starts), the row number of a spreadsheet row.
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The trimmed text of a cell; `None` when the cell is absent or blank.
    pub fn cell(&self, index: usize) -> Option<&str> {
        self.cells
            .get(index)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A file read into rows: the first non-blank row as the header, then the other non-blank rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Row,
    pub rows: Vec<Row>,
}

/// How many rows above the header may be titles (`DAFTAR BALITA STUNTING KOTA KENDARI`, a period, an
/// office name), as lists printed from a spreadsheet often have.
const MAX_TITLE_ROWS: usize = 5;

impl Table {
    /// The same table with title rows above the header dropped: the header becomes the first of the top
    /// rows that `is_header` accepts. When none does, the first row stays the header, so that the parser
    /// reports what it lacks.
    pub fn skip_titles(mut self, is_header: impl Fn(&Row) -> bool) -> Self {
        if is_header(&self.header) {
            return self;
        }
        let found = self.rows.iter().take(MAX_TITLE_ROWS).position(is_header);
        if let Some(header) = found.and_then(|i| self.rows.drain(..=i).next_back()) {
            self.header = header;
        }
        self
    }
}

/// Why a file could not be read into rows at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the file has more than {max} rows")]
    TooManyRows { max: usize },
    #[error("{0}")]
    TooLarge(TooLarge),
}

/// An XLSX file that would unpack to more than an import may hold: refused before calamine opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TooLarge {
    /// Its parts together unpack to more than `max_mb` MB.
    #[error("the file unpacks to more than {max_mb} MB")]
    Unpacked { max_mb: u64 },
    /// One part unpacks to more than `max` times its packed size, which only a made-up file does.
    #[error("a part of the file unpacks to more than {max} times its packed size")]
    Ratio { max: u64 },
}

/// What an XLSX file may unpack to before it is read (a zip "bomb": an 817 KB file whose strings unpack to
/// 800 MB once took the bot to 3.2 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnpackLimits {
    /// All parts together, in bytes. A list of 10,000 children unpacks to about 3 MB.
    pub total: u64,
    /// How many times its packed size one part may unpack to. Spreadsheets unpack 8–16 times (rows of
    /// XML that differ in their numbers); deflate cannot go past about 1,030, where bombs are.
    pub ratio: u64,
    /// Parts that unpack to less than this are not held to `ratio` (a tiny, very regular styles part).
    pub ratio_from: u64,
}

impl UnpackLimits {
    pub const IMPORT: UnpackLimits = UnpackLimits {
        total: 100 * 1024 * 1024,
        ratio: 100,
        ratio_from: 1024 * 1024,
    };

    fn too_large(&self, unpacked: u64) -> bool {
        unpacked > self.total
    }

    fn too_dense(&self, unpacked: u64, packed: u64) -> bool {
        unpacked > self.ratio_from && unpacked > packed.saturating_mul(self.ratio)
    }

    fn unpacked(&self) -> ReadError {
        ReadError::TooLarge(TooLarge::Unpacked {
            max_mb: self.total / (1024 * 1024),
        })
    }

    fn dense(&self) -> ReadError {
        ReadError::TooLarge(TooLarge::Ratio { max: self.ratio })
    }
}

/// Checks what a zip archive (an XLSX file) unpacks to without keeping any of it: first the sizes its
/// directory declares, then each part inflated as a stream into a counter, stopping at the first byte
/// past a limit. So a bomb costs at most a limit's worth of inflating and a buffer of memory, never its
/// unpacked size.
pub fn check_unpacked(bytes: &[u8], limits: UnpackLimits) -> Result<(), ReadError> {
    let unreadable = |e: &dyn std::fmt::Display| ReadError::Unreadable(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    // What the archive says of itself, which refuses an honest bomb without inflating a byte.
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_data(i).map_err(|e| unreadable(&e))?;
        declared = declared.saturating_add(part.size());
        if limits.too_large(declared) {
            return Err(limits.unpacked());
        }
        if limits.too_dense(part.size(), part.compressed_size()) {
            return Err(limits.dense());
        }
    }
    count_unpacked(&mut archive, limits)
}

/// Inflates every part of `archive` into a counter (a 64 KiB buffer, reused), stopping at the first
/// chunk past a limit: what a part really unpacks to, whatever its header says.
fn count_unpacked(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: UnpackLimits,
) -> Result<(), ReadError> {
    let unreadable = |e: &dyn std::fmt::Display| ReadError::Unreadable(e.to_string());
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(|e| unreadable(&e))?;
        let packed = part.compressed_size();
        let mut unpacked: u64 = 0;
        loop {
            let n = match part.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n as u64,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(unreadable(&e)),
            };
            unpacked = unpacked.saturating_add(n);
            total = total.saturating_add(n);
            if limits.too_large(total) {
                return Err(limits.unpacked());
            }
            if limits.too_dense(unpacked, packed) {
                return Err(limits.dense());
            }
        }
    }
    Ok(())
}

/// Reads a file into its header and rows, skipping blank rows; `None` when it has no non-blank row.
///
/// `max_rows` bounds the rows after the header; reading stops as soon as it is passed, so an oversized
/// file costs no more than the allowed part of it.
pub fn read_table(
    kind: FileKind,
    bytes: &[u8],
    max_rows: usize,
) -> Result<Option<Table>, ReadError> {
    match kind {
        FileKind::Csv => read_csv(bytes, max_rows),
        FileKind::Xlsx => read_xlsx(bytes, max_rows),
    }
}

/// Gathers non-blank rows up to the limit.
struct Collector {
    max_rows: usize,
    header: Option<Row>,
    rows: Vec<Row>,
}

impl Collector {
    fn new(max_rows: usize) -> Self {
        Self {
            max_rows,
            header: None,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Row) -> Result<(), ReadError> {
        if row.is_blank() {
            return Ok(());
        }
        if self.header.is_none() {
            self.header = Some(row);
        } else if self.rows.len() == self.max_rows {
            return Err(ReadError::TooManyRows { max: self.max_rows });
        } else {
            self.rows.push(row);
        }
        Ok(())
    }

    fn finish(self) -> Option<Table> {
        let rows = self.rows;
        self.header.map(|header| Table { header, rows })
    }
}

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Option<Table>, ReadError> {
    let text = decode_text(bytes)
        .ok_or_else(|| ReadError::Unreadable("not a CSV text file".to_owned()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(&text))
        .from_reader(text.as_bytes());
    let mut collector = Collector::new(max_rows);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ReadError::Unreadable(e.to_string())),
        }
        let line = record.position().map_or(0, |p| record_line(&text, p));
        let cells = record.iter().take(MAX_COLUMNS).map(str::to_owned).collect();
        collector.push(Row { line, cells })?;
    }
    Ok(collector.finish())
}

/// The line a CSV record starts on. The csv crate reports where it began reading the record, which is
/// before the empty lines it skips on the way, so those are counted here.
fn record_line(text: &str, position: &csv::Position) -> usize {
    let start = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let skipped = text
        .as_bytes()
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .filter(|b| **b == b'\n')
        .count();
    usize::try_from(position.line())
        .unwrap_or(usize::MAX)
        .saturating_add(skipped)
}

/// The text of a CSV file, or `None` when the bytes are not text.
///
/// Offices save CSV from whatever they have: UTF-8 with or without a BOM (Excel's "CSV UTF-8", LibreOffice,
/// exports), UTF-16 with a BOM (Excel's "Unicode Text"), or Windows-1252 (Excel's plain "CSV" on Windows,
/// where `’` in `Nur’aini` is byte 0x92). Control characters other than tab and line breaks never occur in
/// such text, so their presence means binary content.
fn decode_text(bytes: &[u8]) -> Option<Cow<'_, str>> {
    let text: Cow<'_, str> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Cow::Borrowed(std::str::from_utf8(rest).ok()?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Cow::Owned(decode_utf16(rest, u16::from_le_bytes)?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Cow::Owned(decode_utf16(rest, u16::from_be_bytes)?)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
        }
    };
    let binary = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    (!binary).then_some(text)
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// Windows-1252: Latin-1 except for 0x80–0x9F, where it has typographic punctuation. The five bytes it
/// leaves undefined stay C1 control characters, which marks the content as binary.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The separator used on the first non-blank line: Excel in an Indonesian locale writes `;` because `,` is
/// the decimal separator there; "Unicode Text" uses tabs; everyone else uses `,`.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in first.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == b) {
            slot.1 += 1;
        }
    }
    // On a tie the earlier (more common) separator wins, hence `rev` before `max_by_key`.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |(d, _)| *d)
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Option<Table>, ReadError> {
    check_unpacked(bytes, UnpackLimits::IMPORT)?;
    let unreadable = |e: XlsxError| ReadError::Unreadable(e.to_string());
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    // The list is on the first sheet that has anything on it: some workbooks open with an empty sheet or
    // keep the default "Sheet1" ahead of the data.
    for name in book.sheet_names() {
        let mut cells = match book.worksheet_cells_reader(&name) {
            Ok(cells) => cells,
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(unreadable(e)),
        };
        let mut collector = Collector::new(max_rows);
        let mut current: Option<(u32, Vec<String>)> = None;
        // Cells arrive row by row, left to right, blank cells mostly left out; a row is complete when the
        // next one starts.
        while let Some(cell) = cells.next_cell().map_err(unreadable)? {
            let (row, column) = cell.get_position();
            let Ok(column) = usize::try_from(column) else {
                continue;
            };
            let text = cell_text(cell.get_value());
            if column >= MAX_COLUMNS || text.is_empty() {
                continue;
            }
            if current.as_ref().is_none_or(|(r, _)| *r != row)
                && let Some((r, cells)) = current.replace((row, Vec::new()))
            {
                collector.push(spreadsheet_row(r, cells))?;
            }
            if let Some((_, cells)) = current.as_mut() {
                if cells.len() <= column {
                    cells.resize(column + 1, String::new());
                }
                cells[column] = text;
            }
        }
        if let Some((r, cells)) = current {
            collector.push(spreadsheet_row(r, cells))?;
        }
        if let Some(table) = collector.finish() {
            return Ok(Some(table));
        }
    }
    Ok(None)
}

fn spreadsheet_row(index: u32, cells: Vec<String>) -> Row {
    let line = usize::try_from(index).map_or(usize::MAX, |i| i.saturating_add(1));
    Row { line, cells }
}

/// A spreadsheet cell as the text the parsers read.
///
/// Real dates become `YYYY-MM-DD` (calamine gives a serial number with the date format, or an ISO string
/// for cells stored as dates). Numbers are written in full: a NIK typed as a number comes as a float, and
/// `7471020101010001` must not turn into `7.471020101010001e15` or `7471020101010001.0`.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::DateTimeIso(s) => s.split('T').next().unwrap_or_default().to_owned(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::DateTime(dt) => dt.as_f64().to_string(),
        // `Display` for f64 never uses an exponent and drops a zero fraction: 7471020101010001 and 85.5.
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A header cell folded for matching against the names a column goes by: lowercase, without a BOM, a unit
/// or hint in brackets (`Tinggi (cm)`, `Tgl Lahir (dd/mm/yyyy)`), required-marks or punctuation
/// (`Tgl. Lahir*`, `no_hp`), and with single spaces (`Kelurahan / Desa` → `kelurahan/desa`).
fn header_key(cell: &str) -> String {
    let mut folded = String::with_capacity(cell.len());
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '\u{feff}' | '*' | '\'' | '’' => {}
            '.' | '_' | '-' | ':' => folded.push(' '),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" / ", "/")
}

/// Where each column of one kind of file (`C`, its own enum) is, found once from the header row.
pub(crate) struct Columns<C: 'static> {
    all: &'static [C],
    at: Vec<Option<usize>>,
}

impl<C: Copy + PartialEq> Columns<C> {
    pub(crate) fn locate(
        header: &Row,
        all: &'static [C],
        aliases: impl Fn(C) -> &'static [&'static str],
    ) -> Self {
        Self {
            all,
            at: locate_columns(header, all, aliases),
        }
    }

    pub(crate) fn has(&self, column: C) -> bool {
        self.position(column).is_some()
    }

    /// Those of `required` the header does not name.
    pub(crate) fn missing(&self, required: &[C]) -> Vec<C> {
        required.iter().copied().filter(|c| !self.has(*c)).collect()
    }

    /// The trimmed text of `row`'s cell in `column`; `None` when the column is absent or the cell blank.
    pub(crate) fn get<'a>(&self, row: &'a Row, column: C) -> Option<&'a str> {
        self.position(column).and_then(|i| row.cell(i))
    }

    fn position(&self, column: C) -> Option<usize> {
        let i = self.all.iter().position(|c| *c == column)?;
        self.at.get(i).copied().flatten()
    }
}

/// For each column, the position of the first header cell that names it (by one of `aliases(column)`,
/// already folded like [`header_key`]).
fn locate_columns<C: Copy>(
    header: &Row,
    columns: &[C],
    aliases: impl Fn(C) -> &'static [&'static str],
) -> Vec<Option<usize>> {
    let keys: Vec<String> = header.cells.iter().map(|c| header_key(c)).collect();
    columns
        .iter()
        .map(|&column| {
            let names = aliases(column);
            keys.iter().position(|k| names.contains(&k.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(kind: FileKind, bytes: &[u8]) -> Table {
        read_table(kind, bytes, 100)
            .expect("readable")
            .expect("not empty")
    }

    fn lines_and_cells(t: &Table) -> Vec<(usize, Vec<&str>)> {
        std::iter::once(&t.header)
            .chain(&t.rows)
            .map(|r| (r.line, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn detects_by_extension_then_content() {
        assert_eq!(
            detect("Data Stunting.XLSX", b"whatever"),
            Some(FileKind::Xlsx)
        );
        assert_eq!(detect("anak.csv", b"nama;jk"), Some(FileKind::Csv));
        assert_eq!(
            detect("renamed.csv", b"PK\x03\x04rest"),
            Some(FileKind::Xlsx)
        );
        assert_eq!(detect("document", b"PK\x03\x04rest"), Some(FileKind::Xlsx));
        assert_eq!(detect("upload", b"nama,jk\nBudi,L\n"), Some(FileKind::Csv));
        assert_eq!(
            detect("old.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            None
        );
        assert_eq!(detect("scan.pdf", b"%PDF-1.7\n\0\x01\x02binary"), None);
    }

    #[test]
    fn csv_lines_count_blank_lines_and_skip_blank_rows() {
        let t = table(
            FileKind::Csv,
            b"a,b\n\nx,y\n , \n\"multi\nline\",z\nlast,row\n",
        );
        assert_eq!(
            lines_and_cells(&t),
            vec![
                (1, vec!["a", "b"]),
                (3, vec!["x", "y"]),
                (5, vec!["multi\nline", "z"]),
                (7, vec!["last", "row"]),
            ]
        );
        let crlf = table(FileKind::Csv, b"a,b\r\n\r\n\r\nx,y\r\n");
        assert_eq!(crlf.rows[0].line, 4);
    }

    #[test]
    fn csv_separator_is_sniffed_from_the_header() {
        let t = table(FileKind::Csv, b"nama;tinggi;\"a;b,c,d\"\nBudi;85,5;x\n");
        assert_eq!(t.rows[0].cells, ["Budi", "85,5", "x"]);
        let t = table(FileKind::Csv, b"nama\ttinggi\nBudi\t85,5\n");
        assert_eq!(t.rows[0].cells, ["Budi", "85,5"]);
        let t = table(FileKind::Csv, b"nama,tinggi\nBudi,\"85,5\"\n");
        assert_eq!(t.rows[0].cells, ["Budi", "85,5"]);
    }

    #[test]
    fn csv_text_encodings_offices_use() {
        let expected = vec![(1, vec!["nama"]), (2, vec!["Siti Nur’aini"])];
        let utf8_bom = "\u{feff}nama\nSiti Nur’aini\n".as_bytes();
        assert_eq!(lines_and_cells(&table(FileKind::Csv, utf8_bom)), expected);
        let cp1252 = b"nama\nSiti Nur\x92aini\n";
        assert_eq!(lines_and_cells(&table(FileKind::Csv, cp1252)), expected);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(
            "nama\nSiti Nur’aini\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(lines_and_cells(&table(FileKind::Csv, &utf16)), expected);
    }

    #[test]
    fn binary_content_is_not_csv() {
        let err = read_table(FileKind::Csv, b"\x00\x01\x02\xFF garbage", 10);
        assert!(matches!(err, Err(ReadError::Unreadable(_))), "{err:?}");
    }

    #[test]
    fn row_limit_counts_rows_after_the_header() {
        let two = b"h\n1\n2\n";
        assert!(read_table(FileKind::Csv, two, 2).is_ok());
        assert_eq!(
            read_table(FileKind::Csv, two, 1),
            Err(ReadError::TooManyRows { max: 1 })
        );
    }

    #[test]
    fn blank_files_have_no_table() {
        assert_eq!(read_table(FileKind::Csv, b"", 10), Ok(None));
        assert_eq!(read_table(FileKind::Csv, b"\n , ,\n\n", 10), Ok(None));
    }

    #[test]
    fn title_rows_above_the_header_are_skipped() {
        let text = b"DAFTAR BALITA STUNTING\nKota Kendari,2026\n\nnama,jk\nBudi,L\n";
        let is_header = |r: &Row| r.cells.first().is_some_and(|c| c == "nama");
        let t = table(FileKind::Csv, text).skip_titles(is_header);
        assert_eq!(
            lines_and_cells(&t),
            vec![(4, vec!["nama", "jk"]), (5, vec!["Budi", "L"])]
        );
        let no_header = table(FileKind::Csv, b"a\nb\n").skip_titles(is_header);
        assert_eq!(no_header.header.cells, ["a"]);
        assert_eq!(no_header.rows.len(), 1);
    }

    #[test]
    fn headers_fold_to_their_plain_name() {
        assert_eq!(
            header_key("\u{feff} Tgl. Lahir (dd/mm/yyyy)* "),
            "tgl lahir"
        );
        assert_eq!(header_key("Kelurahan / Desa"), "kelurahan/desa");
        assert_eq!(header_key("NO_HP"), "no hp");
        assert_eq!(header_key("Tinggi Badan [cm]"), "tinggi badan");
    }

    #[test]
    fn spreadsheet_cells_as_text() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date = ExcelDateTime::new(45356.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&DataRef::DateTime(date)), "2024-03-05");
        let date_1904 = ExcelDateTime::new(43894.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(cell_text(&DataRef::DateTime(date_1904)), "2024-03-05");
        assert_eq!(
            cell_text(&DataRef::DateTimeIso("2024-03-05T00:00:00".into())),
            "2024-03-05"
        );
        assert_eq!(
            cell_text(&DataRef::Float(7_471_020_101_010_001.0)),
            "7471020101010001"
        );
        assert_eq!(cell_text(&DataRef::Float(85.5)), "85.5");
        assert_eq!(cell_text(&DataRef::Float(2.0)), "2");
    }

    #[test]
    fn xlsx_rows_keep_sheet_row_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "nama").expect("write");
        sheet.write_string(0, 2, "tinggi").expect("write");
        sheet.write_string(3, 0, "Budi").expect("write");
        sheet.write_number(3, 2, 85.5).expect("write");
        sheet.write_string(4, 1, " ").expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let t = table(FileKind::Xlsx, &bytes);
        assert_eq!(
            lines_and_cells(&t),
            vec![
                (1, vec!["nama", "", "tinggi"]),
                (4, vec!["Budi", "", "85.5"])
            ]
        );
    }

    #[test]
    fn xlsx_data_may_sit_on_a_later_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet();
        book.add_worksheet()
            .write_string(1, 1, "kode")
            .expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        assert_eq!(table(FileKind::Xlsx, &bytes).header.line, 2);
    }

    /// A zip archive with one part of `size` bytes of `byte`, deflated.
    fn zip_of(name: &str, byte: u8, size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file(name, options).expect("start");
        w.write_all(&vec![byte; size]).expect("write");
        w.finish().expect("finish").into_inner()
    }

    const MIB: u64 = 1024 * 1024;

    #[test]
    fn a_workbook_unpacks_within_the_limits() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..2_000 {
            sheet
                .write_string(row, 0, format!("Anak {row}"))
                .expect("write");
            sheet.write_number(row, 1, 85.5).expect("write");
        }
        let bytes = book.save_to_buffer().expect("xlsx");
        assert_eq!(check_unpacked(&bytes, UnpackLimits::IMPORT), Ok(()));
        let t = read_table(FileKind::Xlsx, &bytes, 5_000).expect("readable");
        assert_eq!(t.map(|t| t.rows.len()), Some(1_999));
    }

    #[test]
    fn a_file_that_unpacks_to_too_much_is_refused_by_its_declared_size() {
        let bytes = zip_of("xl/sharedStrings.xml", b'A', 3 * MIB as usize);
        let limits = UnpackLimits {
            total: 2 * MIB,
            ratio: 10_000,
            ratio_from: MIB,
        };
        assert_eq!(
            check_unpacked(&bytes, limits),
            Err(ReadError::TooLarge(TooLarge::Unpacked { max_mb: 2 }))
        );
        // A real spreadsheet reader never sees it.
        assert_eq!(
            read_table(FileKind::Xlsx, &bytes, 10),
            Err(ReadError::TooLarge(TooLarge::Ratio { max: 100 })),
            "3 MiB of one letter packs a thousandfold"
        );
    }

    #[test]
    fn what_a_part_really_unpacks_to_is_counted_as_it_streams() {
        let bytes = zip_of("xl/worksheets/sheet1.xml", b' ', 3 * MIB as usize);
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).expect("zip");
        let limits = UnpackLimits {
            total: 2 * MIB,
            ratio: 10_000,
            ratio_from: MIB,
        };
        assert_eq!(
            count_unpacked(&mut archive, limits),
            Err(ReadError::TooLarge(TooLarge::Unpacked { max_mb: 2 }))
        );
        let dense = UnpackLimits {
            total: 100 * MIB,
            ratio: 100,
            ratio_from: MIB,
        };
        assert_eq!(
            count_unpacked(&mut archive, dense),
            Err(ReadError::TooLarge(TooLarge::Ratio { max: 100 }))
        );
        let roomy = UnpackLimits {
            total: 4 * MIB,
            ratio: 10_000,
            ratio_from: MIB,
        };
        assert_eq!(count_unpacked(&mut archive, roomy), Ok(()));
    }

    #[test]
    fn a_part_that_lies_about_its_size_is_refused() {
        let mut bytes = zip_of("xl/sharedStrings.xml", b'A', 3 * MIB as usize);
        // Both headers say 1,000 bytes: the local one at offset 22, the central one 24 bytes after its
        // signature.
        bytes[22..26].copy_from_slice(&1_000u32.to_le_bytes());
        let central = bytes
            .windows(4)
            .position(|w| w == b"PK\x01\x02")
            .expect("central directory");
        bytes[central + 24..central + 28].copy_from_slice(&1_000u32.to_le_bytes());
        let result = check_unpacked(&bytes, UnpackLimits::IMPORT);
        assert!(result.is_err(), "{result:?}");
        assert!(read_table(FileKind::Xlsx, &bytes, 10).is_err());
    }

    #[test]
    fn small_regular_parts_are_not_held_to_the_ratio() {
        let bytes = zip_of("xl/styles.xml", b'x', 512 * 1024);
        assert_eq!(check_unpacked(&bytes, UnpackLimits::IMPORT), Ok(()));
        assert!(matches!(
            check_unpacked(b"PK\x03\x04 not a zip", UnpackLimits::IMPORT),
            Err(ReadError::Unreadable(_))
        ));
    }

    #[test]
    fn broken_xlsx_is_unreadable_not_a_panic() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet()
            .write_string(0, 0, "nama")
            .expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        for cut in [4, 30, bytes.len() / 2, bytes.len() - 10] {
            let result = read_table(FileKind::Xlsx, &bytes[..cut], 10);
            assert!(
                matches!(result, Err(ReadError::Unreadable(_))),
                "cut at {cut}: {result:?}"
            );
        }
        let mut flipped = bytes.clone();
        for i in (100..flipped.len()).step_by(97) {
            flipped[i] ^= 0x5A;
        }
        assert!(read_table(FileKind::Xlsx, &flipped, 10).is_err());
        assert!(read_table(FileKind::Xlsx, b"PK\x03\x04 not really", 10).is_err());
    }
}
