//! Media storage: photo evidence of deliveries, stored by content hash.
//!
//! Files live either in a local directory (the default, `ASUH_MEDIA_DIR=media`) or in an
//! S3-compatible bucket (`ASUH_MEDIA_DIR=s3://bucket/optional/prefix`), so that several bot
//! processes sharing one database also share their evidence. For S3 the connection settings
//! come from the standard AWS environment variables (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ENDPOINT`/`AWS_ENDPOINT_URL`
//! for MinIO, Garage and the like, `AWS_ALLOW_HTTP=true` for a plain-http endpoint); with an
//! endpoint set, requests are path-style (`ENDPOINT/bucket/key`).
//!
//! A file's key is `ab/cd/<sha256>.<ext>` (see [`MediaStore::key_for`]): the same key always
//! means the same bytes, so storing is idempotent and an existing file is never replaced by
//! something else.

use std::fmt;
use std::io::Write as _;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::{Path as StorePath, PathPart};
use object_store::{ObjectStore, PutMode, PutOptions, PutPayload};

/// What can go wrong storing or reading media.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("media storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("media storage: {0}")]
    Remote(String),
    #[error("ASUH_MEDIA_DIR: {0}")]
    Config(String),
    /// A key that [`MediaStore::key_for`] would never make (`..`, an absolute path, a backslash,
    /// an empty part, ...).
    #[error("media storage: invalid key {0:?}")]
    Key(String),
}

/// Where evidence files live. Cheap to clone (Arc inside).
#[derive(Clone, Debug)]
pub struct MediaStore {
    inner: Arc<Backend>,
}

enum Backend {
    Local {
        root: PathBuf,
    },
    S3 {
        store: Arc<dyn ObjectStore>,
        prefix: StorePath,
        /// "s3://bucket/prefix", for [`MediaStore::locate`] (which adds a slash unless the URL
        /// ends with one).
        url: String,
    },
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Backend::Local { root } => f.debug_struct("Local").field("root", root).finish(),
            Backend::S3 { store, prefix, url } => f
                .debug_struct("S3")
                .field("store", &store.to_string())
                .field("prefix", &prefix.as_ref())
                .field("url", url)
                .finish(),
        }
    }
}

pub use crate::domain::evidence::sha256_hex;

impl MediaStore {
    /// From the value of ASUH_MEDIA_DIR ("s3://bucket/prefix" or a path). Does no I/O besides
    /// building the client; the S3 settings come from the `AWS_*` environment variables.
    pub fn from_setting(setting: &str) -> Result<MediaStore, MediaError> {
        if setting.trim_start().starts_with("s3://") {
            Self::from_setting_with_s3(setting, AmazonS3Builder::from_env())
        } else {
            Self::from_setting_with_s3(setting, AmazonS3Builder::new())
        }
    }

    /// Like [`MediaStore::from_setting`], with the S3 settings taken from `s3` instead of the
    /// environment (the bucket comes from the setting). For tests and embedding.
    pub fn from_setting_with_s3(
        setting: &str,
        s3: AmazonS3Builder,
    ) -> Result<MediaStore, MediaError> {
        let trimmed = setting.trim();
        if trimmed.is_empty() {
            return Err(MediaError::Config(
                "empty; give a directory or s3://bucket/prefix".into(),
            ));
        }
        if let Some(rest) = trimmed.strip_prefix("s3://") {
            let (bucket, prefix) = parse_s3(rest)?;
            let mut builder = s3.with_bucket_name(bucket);
            // With a custom endpoint (MinIO, Garage, ...) requests are path-style:
            // ENDPOINT/bucket/key, which works without wildcard DNS.
            if builder
                .get_config_value(&AmazonS3ConfigKey::Endpoint)
                .is_some_and(|e| !e.is_empty())
            {
                builder = builder.with_virtual_hosted_style_request(false);
            }
            let store = builder
                .build()
                .map_err(|e| MediaError::Config(format!("{setting}: {e}")))?;
            let url = if prefix.is_empty() {
                format!("s3://{bucket}")
            } else {
                format!("s3://{bucket}/{prefix}")
            };
            return Ok(Self::object_store(Arc::new(store), &prefix, &url));
        }
        if let Some((scheme, _)) = trimmed.split_once("://") {
            return Err(MediaError::Config(format!(
                "{setting}: unsupported scheme {scheme}://; give a directory or s3://bucket/prefix"
            )));
        }
        Ok(Self::local(trimmed))
    }

    /// A store in a local directory (created on the first write).
    pub fn local(root: impl Into<PathBuf>) -> MediaStore {
        MediaStore {
            inner: Arc::new(Backend::Local { root: root.into() }),
        }
    }

    /// For tests and embedding: any object_store (e.g. `object_store::memory::InMemory`) under a
    /// prefix; `url` is what [`MediaStore::locate`] puts before the key.
    pub fn object_store(store: Arc<dyn ObjectStore>, prefix: &str, url: &str) -> MediaStore {
        MediaStore {
            inner: Arc::new(Backend::S3 {
                store,
                prefix: StorePath::from(prefix),
                url: url.to_owned(),
            }),
        }
    }

    /// The key of a file: "ab/cd/<sha256>.<ext>" (the first two bytes of the hash as two
    /// directory levels, so that no directory grows huge). The hash is lowercased; the extension
    /// is lowercased, loses leading dots and anything but ASCII letters and digits, and is left
    /// out (no dot) when nothing remains.
    pub fn key_for(sha256_hex: &str, ext: &str) -> String {
        let hash = sha256_hex.trim().to_ascii_lowercase();
        let ext: String = ext
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let mut key = String::with_capacity(hash.len() + ext.len() + 8);
        for level in [hash.get(0..2), hash.get(2..4)].into_iter().flatten() {
            key.push_str(level);
            key.push('/');
        }
        key.push_str(&hash);
        if !ext.is_empty() {
            key.push('.');
            key.push_str(&ext);
        }
        key
    }

    /// Stores the bytes under the key unless already there (content-addressed: same key = same
    /// bytes, so an existing file is kept and storing is idempotent).
    ///
    /// Local: writes a temporary file in the same directory, fsyncs it, then renames it (a crash
    /// never leaves a half file under the final name); creates directories. S3: a single PUT.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), MediaError> {
        validate_key(key)?;
        match &*self.inner {
            Backend::Local { root } => {
                let path = root.join(key);
                run_blocking(move || put_local(&path, &bytes)).await
            }
            Backend::S3 { store, prefix, .. } => {
                let location = object_path(prefix, key);
                // Overwriting is harmless (same key, same bytes) and needs no conditional-put
                // support from the S3-compatible server.
                let opts = PutOptions {
                    mode: PutMode::Overwrite,
                    ..PutOptions::default()
                };
                store
                    .put_opts(&location, PutPayload::from(bytes), opts)
                    .await
                    .map_err(|e| remote(&location, e))?;
                Ok(())
            }
        }
    }

    /// Keeps a chart the bot drew under `charts/`, named by its content, and gives its key (to send it from).
    pub async fn put_chart(&self, png: Vec<u8>) -> Result<String, MediaError> {
        let key = format!(
            "charts/{}",
            Self::key_for(&crate::domain::evidence::sha256_hex(&png), "png")
        );
        self.put(&key, png).await?;
        Ok(key)
    }

    /// The bytes of a stored file; `Ok(None)` when it is not there.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, MediaError> {
        validate_key(key)?;
        match &*self.inner {
            Backend::Local { root } => {
                let path = root.join(key);
                match tokio::fs::read(&path).await {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(MediaError::Io(with_path(e, &path))),
                }
            }
            Backend::S3 { store, prefix, .. } => {
                let location = object_path(prefix, key);
                let result = match store.get(&location).await {
                    Ok(result) => result,
                    Err(object_store::Error::NotFound { .. }) => return Ok(None),
                    Err(e) => return Err(remote(&location, e)),
                };
                let bytes = result.bytes().await.map_err(|e| remote(&location, e))?;
                Ok(Some(Vec::from(bytes)))
            }
        }
    }

    /// Whether a file is there.
    pub async fn exists(&self, key: &str) -> Result<bool, MediaError> {
        validate_key(key)?;
        match &*self.inner {
            Backend::Local { root } => {
                let path = root.join(key);
                match tokio::fs::metadata(&path).await {
                    Ok(meta) => Ok(meta.is_file()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                    Err(e) => Err(MediaError::Io(with_path(e, &path))),
                }
            }
            Backend::S3 { store, prefix, .. } => {
                let location = object_path(prefix, key);
                match store.head(&location).await {
                    Ok(_) => Ok(true),
                    Err(object_store::Error::NotFound { .. }) => Ok(false),
                    Err(e) => Err(remote(&location, e)),
                }
            }
        }
    }

    /// A human-readable location of a key, for exports and audit: the local path (absolute or
    /// relative, as the root was given), or "s3://bucket/prefix/key".
    pub fn locate(&self, key: &str) -> String {
        match &*self.inner {
            Backend::Local { root } => root.join(key).display().to_string(),
            Backend::S3 { url, .. } if url.ends_with('/') => format!("{url}{key}"),
            Backend::S3 { url, .. } => format!("{url}/{key}"),
        }
    }

    /// The local path of a key when the store is local (the sender uploads it from disk), else
    /// `None` (also for a key that is not valid).
    pub fn local_path(&self, key: &str) -> Option<PathBuf> {
        match &*self.inner {
            Backend::Local { root } if validate_key(key).is_ok() => Some(root.join(key)),
            _ => None,
        }
    }
}

/// Splits "bucket/optional/prefix" (what follows "s3://") into the bucket and the normalised
/// prefix (no leading or trailing slash).
fn parse_s3(rest: &str) -> Result<(&str, String), MediaError> {
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(MediaError::Config(format!(
            "s3://{rest}: no bucket; use s3://bucket/optional/prefix"
        )));
    }
    if bucket
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(MediaError::Config(format!(
            "s3://{rest}: invalid bucket name {bucket:?}"
        )));
    }
    let prefix = prefix.trim_matches('/');
    if !prefix.is_empty() {
        for part in prefix.split('/') {
            if part.is_empty()
                || part == "."
                || part == ".."
                || part
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '?' | '#'))
            {
                return Err(MediaError::Config(format!(
                    "s3://{rest}: invalid prefix {prefix:?}"
                )));
            }
        }
    }
    Ok((bucket, prefix.to_owned()))
}

/// Rejects keys that [`MediaStore::key_for`] would never make: empty, absolute, with a
/// backslash, an empty part, a part starting with a dot (`.`, `..`, hidden and temporary
/// files) or characters other than ASCII letters, digits, `.`, `_` and `-`.
fn validate_key(key: &str) -> Result<(), MediaError> {
    let bad = key.is_empty()
        || key.split('/').any(|part| {
            part.is_empty()
                || part.starts_with('.')
                || part
                    .chars()
                    .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        });
    if bad {
        Err(MediaError::Key(key.to_owned()))
    } else {
        Ok(())
    }
}

/// The object path of a (valid) key under the prefix.
fn object_path(prefix: &StorePath, key: &str) -> StorePath {
    prefix
        .parts()
        .chain(key.split('/').map(PathPart::from))
        .collect()
}

fn remote(location: &StorePath, e: object_store::Error) -> MediaError {
    MediaError::Remote(format!("{location}: {e}"))
}

fn with_path(e: std::io::Error, path: &FsPath) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, MediaError> + Send + 'static,
) -> Result<T, MediaError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| MediaError::Io(std::io::Error::other(format!("media task failed: {e}"))))?
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically unless a file is already there.
fn put_local(path: &FsPath, bytes: &[u8]) -> Result<(), MediaError> {
    if path.is_file() {
        return Ok(());
    }
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(MediaError::Key(path.display().to_string()));
    };
    std::fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
    // Hidden (a leading dot, which no key has) and unique per process and call.
    let temp = dir.join(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        // Content-addressed: if another writer got there first, its file has the same bytes,
        // and replacing it atomically is harmless.
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(MediaError::Io(with_path(e, path)));
    }
    // Make the rename itself durable; best effort (not every file system allows it).
    #[cfg(unix)]
    if let Err(e) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), error = %e, "media: fsync of directory failed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn sha256_hex_of_abc() {
        assert_eq!(sha256_hex(b"abc"), HASH);
    }

    #[test]
    fn key_for_uses_two_directory_levels() {
        assert_eq!(
            MediaStore::key_for(HASH, "jpg"),
            format!("ba/78/{HASH}.jpg")
        );
        assert_eq!(
            MediaStore::key_for(&HASH.to_uppercase(), ".JPG"),
            format!("ba/78/{HASH}.jpg")
        );
        assert_eq!(MediaStore::key_for(HASH, ""), format!("ba/78/{HASH}"));
        assert_eq!(MediaStore::key_for(HASH, "../x"), format!("ba/78/{HASH}.x"));
        assert!(validate_key(&MediaStore::key_for(HASH, "jpeg")).is_ok());
    }

    #[test]
    fn keys_are_validated() {
        for bad in [
            "",
            "/etc/passwd",
            "../x.jpg",
            "ab/../x.jpg",
            "ab/./x.jpg",
            "ab//x.jpg",
            "ab/cd/",
            "ab\\cd\\x.jpg",
            "ab/.hidden",
            "ab/c d.jpg",
            "C:x",
        ] {
            assert!(
                matches!(validate_key(bad), Err(MediaError::Key(_))),
                "{bad:?} should be rejected"
            );
        }
        assert!(validate_key("ab/cd/abcd.jpg").is_ok());
    }

    #[test]
    fn setting_parsing() {
        let local = MediaStore::from_setting("media").expect("path");
        assert_eq!(
            local.local_path("ab/cd/x.jpg"),
            Some(PathBuf::from("media/ab/cd/x.jpg"))
        );
        assert_eq!(local.locate("ab/cd/x.jpg"), "media/ab/cd/x.jpg");

        let abs = MediaStore::from_setting("/var/lib/asuh/media/").expect("path");
        assert_eq!(abs.locate("ab/cd/x.jpg"), "/var/lib/asuh/media/ab/cd/x.jpg");

        let s3 = || AmazonS3Builder::new().with_region("us-east-1");
        let store = MediaStore::from_setting_with_s3("s3://evidence/asuh/photos/", s3())
            .expect("s3 with prefix");
        assert_eq!(store.local_path("ab/cd/x.jpg"), None);
        assert_eq!(
            store.locate("ab/cd/x.jpg"),
            "s3://evidence/asuh/photos/ab/cd/x.jpg"
        );
        match &*store.inner {
            Backend::S3 { prefix, .. } => assert_eq!(prefix.as_ref(), "asuh/photos"),
            Backend::Local { .. } => panic!("not s3"),
        }

        let bare = MediaStore::from_setting_with_s3("s3://evidence", s3()).expect("bucket only");
        assert_eq!(bare.locate("ab/cd/x.jpg"), "s3://evidence/ab/cd/x.jpg");
        let slash = MediaStore::from_setting_with_s3("s3://evidence/", s3()).expect("bucket/");
        assert_eq!(slash.locate("ab/cd/x.jpg"), "s3://evidence/ab/cd/x.jpg");

        for bad in [
            "s3://",
            "s3:///prefix",
            "s3://a b/x",
            "s3://b/a//c",
            "s3://b/../c",
            "",
            "  ",
            "gs://bucket",
        ] {
            assert!(
                matches!(
                    MediaStore::from_setting_with_s3(bad, s3()),
                    Err(MediaError::Config(_))
                ),
                "{bad:?} should be rejected"
            );
        }
        // The environment-reading variant parses the same way.
        assert!(matches!(
            MediaStore::from_setting("s3://"),
            Err(MediaError::Config(_))
        ));
    }

    fn temp_files(dir: &FsPath) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                {
                    found.push(path);
                }
            }
        }
        found
    }

    #[tokio::test]
    async fn local_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("media");
        let store = MediaStore::local(&root);
        let bytes = b"\xff\xd8\xff\xe0 not really a jpeg".to_vec();
        let key = MediaStore::key_for(&sha256_hex(&bytes), "jpg");

        assert!(!store.exists(&key).await.expect("exists"));
        assert_eq!(store.get(&key).await.expect("get"), None);

        store.put(&key, bytes.clone()).await.expect("put");
        assert!(store.exists(&key).await.expect("exists"));
        assert_eq!(store.get(&key).await.expect("get"), Some(bytes.clone()));
        let path = store.local_path(&key).expect("local");
        assert_eq!(path, root.join(&key));
        assert_eq!(std::fs::read(&path).expect("read"), bytes);
        assert_eq!(store.locate(&key), path.display().to_string());

        // Idempotent: the existing file is kept (content addressing: same key, same bytes).
        store.put(&key, bytes.clone()).await.expect("put again");
        store
            .put(&key, b"something else".to_vec())
            .await
            .expect("put under an existing key");
        assert_eq!(std::fs::read(&path).expect("read"), bytes);

        // Atomic writes leave no temporary files behind.
        assert_eq!(temp_files(&root), Vec::<PathBuf>::new());
        let names: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
            .expect("read dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[tokio::test]
    async fn local_concurrent_puts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = MediaStore::local(dir.path());
        let bytes = vec![7u8; 100_000];
        let key = MediaStore::key_for(&sha256_hex(&bytes), "png");
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                let key = key.clone();
                let bytes = bytes.clone();
                tokio::spawn(async move { store.put(&key, bytes).await })
            })
            .collect();
        for t in tasks {
            t.await.expect("join").expect("put");
        }
        assert_eq!(store.get(&key).await.expect("get"), Some(bytes));
        assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
    }

    #[tokio::test]
    async fn invalid_keys_are_refused_before_io() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = MediaStore::local(dir.path().join("media"));
        for bad in ["../escape.jpg", "/abs.jpg", "a\\b.jpg", "a//b.jpg"] {
            assert!(matches!(
                store.put(bad, vec![1]).await,
                Err(MediaError::Key(_))
            ));
            assert!(matches!(store.get(bad).await, Err(MediaError::Key(_))));
            assert!(matches!(store.exists(bad).await, Err(MediaError::Key(_))));
            assert_eq!(store.local_path(bad), None);
        }
        assert!(!dir.path().join("escape.jpg").exists());
        assert!(!dir.path().join("media").exists());
    }

    #[tokio::test]
    async fn object_store_round_trip_in_memory() {
        let memory = Arc::new(object_store::memory::InMemory::new());
        let store = MediaStore::object_store(memory.clone(), "pre/fix", "mem://x/pre/fix");
        let key = MediaStore::key_for(HASH, "jpg");
        assert!(!store.exists(&key).await.expect("exists"));
        assert_eq!(store.get(&key).await.expect("get"), None);
        store.put(&key, b"abc".to_vec()).await.expect("put");
        store.put(&key, b"abc".to_vec()).await.expect("put again");
        assert!(store.exists(&key).await.expect("exists"));
        assert_eq!(store.get(&key).await.expect("get"), Some(b"abc".to_vec()));
        let direct = memory
            .get(&StorePath::from(format!("pre/fix/{key}")))
            .await
            .expect("object under the prefix");
        assert_eq!(direct.bytes().await.expect("bytes").as_ref(), b"abc");
        assert_eq!(store.locate(&key), format!("mem://x/pre/fix/{key}"));
        assert_eq!(store.local_path(&key), None);
    }
}
