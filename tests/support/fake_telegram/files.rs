//! Files: uploads and file ids the bot sends, getFile and the download route, and placeholder bytes
//! for files a test did not give.

use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::server::{Reply, Uploads, param_str, percent_decode};
use super::{FakeTelegram, Res, St};

/// Telegram's upload limit for files (a bigger one gets 413 "Request Entity Too Large").
const UPLOAD_LIMIT: usize = 50 << 20;
/// Telegram's upload limit for photos.
const PHOTO_UPLOAD_LIMIT: usize = 10 << 20;
/// getFile refuses bigger files.
const DOWNLOAD_LIMIT: usize = 20 << 20;
// As teloxide-core 0.13 matches it (see its `ApiError`).
const WRONG_FILE_ID_OR_URL: &str = "wrong file identifier/HTTP URL specified";

impl FakeTelegram {
    pub(super) fn download(&self, rest: &str) -> Response {
        let Some((token, path)) = rest.split_once('/') else {
            return Reply::err(404, "Not Found").into_response();
        };
        if token != Self::TOKEN {
            return Reply::err(401, "Unauthorized").into_response();
        }
        let path = percent_decode(path);
        let st = self.lock();
        match st.file_paths.get(&path).and_then(|id| st.files.get(id)) {
            Some(f) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/octet-stream")],
                f.bytes.clone(),
            )
                .into_response(),
            None => Reply::err(404, "Not Found").into_response(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FileKind {
    Photo,
    Document,
    Sticker,
}

impl FileKind {
    fn name(self) -> &'static str {
        match self {
            FileKind::Photo => "Photo",
            FileKind::Document => "Document",
            FileKind::Sticker => "Sticker",
        }
    }
}

pub(super) struct FileEntry {
    pub(super) unique_id: String,
    pub(super) bytes: Bytes,
    pub(super) kind: Option<FileKind>,
    pub(super) file_name: Option<String>,
    pub(super) mime: Option<String>,
    pub(super) path: Option<String>,
}

impl FileEntry {
    pub(super) fn new(unique_id: String, bytes: Bytes) -> Self {
        FileEntry {
            unique_id,
            bytes,
            kind: None,
            file_name: None,
            mime: None,
            path: None,
        }
    }
}

impl St {
    /// Resolves the photo/document parameter: an upload, a known file_id or an URL.
    pub(super) fn input_file(
        &mut self,
        p: &Map<String, Value>,
        uploads: &Uploads,
        field: &str,
        kind: FileKind,
    ) -> Res<String> {
        if let Some(up) = uploads.get(field) {
            if up.bytes.is_empty() {
                return Err(Reply::bad("file must be non-empty"));
            }
            if up.bytes.len() > UPLOAD_LIMIT {
                return Err(Reply::err(413, "Request Entity Too Large"));
            }
            if kind == FileKind::Photo && up.bytes.len() > PHOTO_UPLOAD_LIMIT {
                return Err(Reply::bad("PHOTO_SAVE_FILE_INVALID"));
            }
            self.next_file += 1;
            let prefix = if kind == FileKind::Photo {
                "photo"
            } else {
                "doc"
            };
            let file_id = format!("fake-{prefix}-{}", self.next_file);
            let mut entry = FileEntry::new(unique_id_for(&file_id), up.bytes.clone());
            entry.kind = Some(kind);
            entry.file_name = Some(up.file_name.clone()).filter(|n| !n.is_empty());
            entry.mime = entry.file_name.as_deref().map(guess_mime);
            self.files.insert(file_id.clone(), entry);
            return Ok(file_id);
        }
        let value = param_str(p, field).unwrap_or_default();
        if value.starts_with("http://") || value.starts_with("https://") {
            self.next_file += 1;
            let file_id = format!("fake-url-{}", self.next_file);
            let mut entry = FileEntry::new(unique_id_for(&file_id), placeholder_png(&value).into());
            entry.kind = Some(kind);
            entry.file_name = value
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .map(str::to_owned);
            entry.mime = entry.file_name.as_deref().map(guess_mime);
            self.files.insert(file_id.clone(), entry);
            return Ok(file_id);
        }
        let entry = self
            .files
            .get(&value)
            .ok_or_else(|| Reply::bad(WRONG_FILE_ID_OR_URL))?;
        match entry.kind {
            Some(k) if k != kind => Err(Reply::bad(format!(
                "can't use file of type {} as {}",
                k.name(),
                kind.name()
            ))),
            _ => Ok(value),
        }
    }

    /// Registers three sizes of a photo whose largest size is `file_id`; returns the PhotoSize array.
    pub(super) fn register_photo(&mut self, file_id: &str, bytes: Bytes) -> Value {
        let mut sizes = Vec::new();
        for (suffix, w, h, div) in [("-s", 90, 67, 16), ("-m", 320, 240, 4), ("", 1280, 960, 1)] {
            let id = format!("{file_id}{suffix}");
            let entry = self
                .files
                .entry(id.clone())
                .or_insert_with(|| FileEntry::new(unique_id_for(&id), bytes.clone()));
            entry.kind = Some(FileKind::Photo);
            let size = (entry.bytes.len() / div).max(1);
            sizes.push(json!({"file_id": id, "file_unique_id": entry.unique_id, "width": w, "height": h, "file_size": size}));
        }
        Value::Array(sizes)
    }

    pub(super) fn get_file(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let file_id = param_str(p, "file_id").unwrap_or_default();
        let next = self.next_file + 1;
        let entry = self
            .files
            .get_mut(&file_id)
            .ok_or_else(|| Reply::bad("invalid file id"))?;
        if entry.bytes.len() > DOWNLOAD_LIMIT {
            return Err(Reply::bad("file is too big"));
        }
        let mut new_path = None;
        if entry.path.is_none() {
            let (dir, default_ext) = match entry.kind {
                Some(FileKind::Photo) => ("photos", "jpg"),
                Some(FileKind::Sticker) => ("stickers", "webp"),
                Some(FileKind::Document) => ("documents", "bin"),
                None => ("documents", "bin"),
            };
            let ext = entry
                .file_name
                .as_deref()
                .and_then(|n| n.rsplit_once('.'))
                .map(|(_, e)| e.to_ascii_lowercase())
                .filter(|e| {
                    !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric())
                })
                .unwrap_or_else(|| default_ext.to_owned());
            let path = format!("{dir}/file_{next}.{ext}");
            entry.path = Some(path.clone());
            new_path = Some(path);
        }
        let result = json!({
            "file_id": file_id,
            "file_unique_id": entry.unique_id,
            "file_size": entry.bytes.len(),
            "file_path": entry.path,
        });
        if let Some(path) = new_path {
            self.next_file = next;
            self.file_paths.insert(path, file_id);
        }
        Ok(result)
    }
}

pub(super) fn document_json(file_id: &str, f: &FileEntry) -> Value {
    let mut d =
        json!({"file_id": file_id, "file_unique_id": f.unique_id, "file_size": f.bytes.len()});
    if let Some(n) = &f.file_name {
        d["file_name"] = json!(n);
    }
    if let Some(m) = &f.mime {
        d["mime_type"] = json!(m);
    }
    d
}

pub(super) fn unique_id_for(file_id: &str) -> String {
    format!("U{:016x}", fnv1a(file_id.as_bytes()))
}

fn guess_mime(file_name: &str) -> String {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "csv" => "text/csv",
        "txt" => "text/plain",
        "json" => "application/json",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
    .to_owned()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid 8x8 grayscale PNG whose pixels depend on `seed`.
pub(super) fn placeholder_png(seed: &str) -> Vec<u8> {
    let h = fnv1a(seed.as_bytes());
    let mut raw = Vec::with_capacity(8 * 9);
    for y in 0..8 {
        raw.push(0u8);
        for x in 0..8 {
            raw.push(if (h >> (y * 8 + x)) & 1 == 1 {
                0xe0
            } else {
                0x20
            });
        }
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    let len = raw.len() as u16;
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&len.to_le_bytes());
    zlib.extend_from_slice(&(!len).to_le_bytes());
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    };
    chunk(b"IHDR", &[0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0, 0, 0]);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}
