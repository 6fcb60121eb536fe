//! All SQL lives here, one file per aggregate. The same statements serve SQLite and PostgreSQL through
//! sqlx's `Any` driver: times are Unix milliseconds, flags are integers, placeholders are `$1`. Where the two
//! dialects must differ (claiming outbox rows) the function asks [`Backend`].
//!
//! Functions take `&mut AnyConnection` so that they serve a pool connection and a transaction alike.

pub mod audit;
pub mod children;
pub mod confirmations;
pub mod coordinators;
pub mod dashboard;
pub mod deliveries;
pub mod dialogues;
pub mod digest;
pub mod doctor;
pub mod import_jobs;
pub mod inbox;
pub mod invites;
pub mod measurements;
pub mod offices;
pub mod outbox;
pub mod pace;
pub mod plans;
pub mod regions;
pub mod reports;
pub(crate) mod rows;
pub mod sponsors;
pub mod sponsorships;
pub mod users;
pub mod volunteers;

use chrono::{DateTime, TimeZone, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

pub type Conn = AnyConnection;
pub type Tx = sqlx::Transaction<'static, Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported DATABASE_URL (use sqlite://FILE or postgres://…): {0}")]
    UnsupportedUrl(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How many rows one set-based statement writes or reads by id: far below SQLite's 32,766 and PostgreSQL's
/// 65,535 parameters for the widest row here, and few round trips for a pass over 100,000 rows.
pub(crate) const SET_ROWS: usize = 500;

/// `$first, …`: the `n` parameters of an `IN (…)` list, numbered from `first`.
pub(crate) fn in_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A PostgreSQL URL as asuh connects with it: a server on this host (loopback, or a Unix socket) is
/// reached without TLS unless the URL names an `sslmode`, since nothing crosses a network there and
/// encrypting every row costs the dashboard's reads some 15 % (sqlx would otherwise try TLS first,
/// `sslmode=prefer`). Any other host keeps sqlx's default, or what the URL says.
fn postgres_url(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    let named = parsed.query_pairs().any(|(k, _)| k == "sslmode");
    let socket = parsed
        .query_pairs()
        .any(|(k, v)| k == "host" && v.starts_with('/'));
    // `postgres:` is not a scheme the URL standard knows, so its host comes as text, an address too.
    let local = match parsed.host_str() {
        None | Some("") => true,
        Some(host) => {
            host.eq_ignore_ascii_case("localhost")
                || host
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }
    };
    if named || !(local || socket) {
        return url.to_owned();
    }
    let joint = if parsed.query().is_some() { '&' } else { '?' };
    format!("{url}{joint}sslmode=disable")
}

/// The database: a pool and which dialect it speaks.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Connects, failing within a few seconds when the database cannot be reached.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            // Create the file on first start: the embedded default needs no set-up.
            let url = if url.contains("mode=") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Backend::Postgres, postgres_url(url))
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // Two more than before the webhook: its two storers hold one each.
                Backend::Sqlite => 6,
                Backend::Postgres => 12,
            })
            .acquire_timeout(Duration::from_secs(8))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; the busy timeout makes a second
                        // writer wait instead of failing.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        // Reports read hundreds of thousands of rows: map the file rather than copy pages
                        // through SQLite's cache (256 MiB of address space, not of memory).
                        conn.execute("PRAGMA mmap_size = 268435456").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { pool, backend })
    }

    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads and single statements.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Turns taken by a long run of write transactions (an import, the reminder pass, planning), so that on
    /// SQLite the other writers get in between: see [`WriterTurns`].
    pub fn turns(&self) -> WriterTurns {
        WriterTurns {
            sqlite: self.backend == Backend::Sqlite,
            since: std::time::Instant::now(),
        }
    }

    /// A write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so two writers
    /// queue on the busy timeout instead of one failing when it upgrades a read lock.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// SQLite has one writer, and a writer that finds it busy sleeps in its busy handler (up to 100 ms at a
/// time) before trying again: a job that commits and begins again at once keeps the lock nearly all the
/// time, and a person's update (stored, handled, its answer queued) can wait for seconds behind it. A long
/// job calls [`WriterTurns::between`] after each commit: once it has held the writer for
/// [`WriterTurns::HOLD`], it steps aside for longer than the busy handler's longest sleep, so every waiting
/// writer gets its turn. PostgreSQL locks rows, not the database: nothing to wait for there.
#[derive(Debug)]
pub struct WriterTurns {
    sqlite: bool,
    since: std::time::Instant,
}

impl WriterTurns {
    /// How long a job writes before stepping aside.
    pub const HOLD: Duration = Duration::from_millis(300);
    /// How long it steps aside: more than SQLite's longest busy-handler sleep (100 ms).
    pub const ASIDE: Duration = Duration::from_millis(120);

    /// Call after each commit of a long job.
    pub async fn between(&mut self) {
        if self.sqlite && self.since.elapsed() >= Self::HOLD {
            tokio::time::sleep(Self::ASIDE).await;
            self.since = std::time::Instant::now();
        }
    }
}

/// A URL with its password removed, for error messages and logs.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

pub fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// A `LIKE` pattern matching every code inside `code` (`74.71` → `74.71.%`). Codes hold only digits and dots,
/// so nothing needs escaping.
pub(crate) fn inside(code: &str) -> String {
    format!("{code}.%")
}

/// A `LIKE` pattern matching text that contains `text` as typed, lowercased: `%`, `_` and the escape
/// character `\` in it stand for themselves. Use it with `LIKE $n ESCAPE '\'` (the same on SQLite and
/// PostgreSQL), or `/anak_cari %` would list every child.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The children of an area as bounds an index on `(kecamatan_code, village_code)` can serve: kecamatan codes in
/// `[kecamatan_from, kecamatan_to)` and, for a village, that village. Codes hold digits and dots, and `/` sorts
/// right after `.` and before the digits, so `[74.71, 74.71/)` is 74.71 and everything inside it, and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub kecamatan_from: String,
    pub kecamatan_to: String,
    /// `""` = every village.
    pub village: String,
}

impl Area {
    /// The SQL condition on a children table aliased `alias`, with its three parameters numbered from `first`
    /// (bind them with [`Area::bind`] in that order).
    pub fn condition(alias: &str, first: usize) -> String {
        let (a, b, c) = (first, first + 1, first + 2);
        format!(
            "{alias}.kecamatan_code >= ${a} AND {alias}.kecamatan_code < ${b} \
             AND (${c} = '' OR {alias}.village_code = ${c})"
        )
    }

    pub fn bind<'q>(
        &'q self,
        query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments> {
        query
            .bind(self.kecamatan_from.as_str())
            .bind(self.kecamatan_to.as_str())
            .bind(self.village.as_str())
    }
}

impl From<&crate::domain::role::Scope> for Area {
    fn from(scope: &crate::domain::role::Scope) -> Self {
        use crate::domain::RegionLevel;
        let Some(code) = scope.code() else {
            return Area {
                kecamatan_from: String::new(),
                kecamatan_to: "~".into(),
                village: String::new(),
            };
        };
        match (code.level(), code.parent()) {
            (RegionLevel::Village, Some(kecamatan)) => Area {
                kecamatan_from: kecamatan.as_str().to_owned(),
                kecamatan_to: format!("{}/", kecamatan.as_str()),
                village: code.as_str().to_owned(),
            },
            _ => Area {
                kecamatan_from: code.as_str().to_owned(),
                kecamatan_to: format!("{}/", code.as_str()),
                village: String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_this_host_is_reached_without_tls_unless_the_url_says() {
        for (url, want) in [
            (
                "postgres://postgres@127.0.0.1:5432/test",
                "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
            ),
            (
                "postgresql://u:p@localhost/asuh?application_name=asuh",
                "postgresql://u:p@localhost/asuh?application_name=asuh&sslmode=disable",
            ),
            ("postgres://[::1]/a", "postgres://[::1]/a?sslmode=disable"),
            (
                "postgres:///asuh?host=/var/run/postgresql",
                "postgres:///asuh?host=/var/run/postgresql&sslmode=disable",
            ),
            // What the operator chose stands; another host keeps sqlx's default.
            (
                "postgres://127.0.0.1/a?sslmode=require",
                "postgres://127.0.0.1/a?sslmode=require",
            ),
            (
                "postgres://db.example.id/asuh",
                "postgres://db.example.id/asuh",
            ),
            (
                "postgres://10.0.0.5:5432/asuh",
                "postgres://10.0.0.5:5432/asuh",
            ),
        ] {
            assert_eq!(postgres_url(url), want, "{url}");
        }
    }

    #[test]
    fn an_area_covers_its_codes_and_nothing_else() {
        use crate::domain::RegionCode;
        use crate::domain::role::Scope;
        let code = |s: &str| RegionCode::parse(s).expect("code");
        let area = Area::from(&Scope::Region(code("74.71")));
        let inside = |k: &str| area.kecamatan_from.as_str() <= k && k < area.kecamatan_to.as_str();
        assert!(inside("74.71.01"));
        assert!(inside("74.71.10"));
        assert!(!inside("74.72.01"));
        assert!(!inside("74.7"));
        assert!(!inside("74.710.01"));
        let village = Area::from(&Scope::Region(code("74.71.01.1001")));
        assert_eq!(village.kecamatan_from, "74.71.01");
        assert_eq!(village.village, "74.71.01.1001");
        let all = Area::from(&Scope::All);
        assert!(
            all.kecamatan_from.as_str() <= "11.01.01" && "99.99.99" < all.kecamatan_to.as_str()
        );
    }

    #[test]
    fn a_contains_pattern_escapes_the_wildcards() {
        assert_eq!(contains_pattern("Fathan"), "%fathan%");
        assert_eq!(contains_pattern("%"), "%\\%%");
        assert_eq!(contains_pattern("a_b\\c"), "%a\\_b\\\\c%");
    }

    #[tokio::test]
    async fn wildcards_match_only_themselves_in_sqlite() {
        let db = Db::connect("sqlite::memory:").await.expect("sqlite");
        let mut conn = db.conn().await.expect("conn");
        for (name, typed, matches) in [
            ("muhammad fathan", "fath", true),
            ("muhammad fathan", "%", false),
            ("muhammad fathan", "_", false),
            ("muhammad fathan", "m_h", false),
            ("100% anak", "0%", true),
            ("a_b", "_", true),
            ("back\\slash", "\\", true),
            ("backslash", "\\", false),
        ] {
            let hit: i64 =
                sqlx::query_scalar("SELECT CASE WHEN $1 LIKE $2 ESCAPE '\\' THEN 1 ELSE 0 END")
                    .bind(name)
                    .bind(contains_pattern(typed))
                    .fetch_one(&mut *conn)
                    .await
                    .expect("query");
            assert_eq!(hit == 1, matches, "{name:?} LIKE {typed:?}");
        }
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://asuh.db"), "sqlite://asuh.db");
    }

    #[test]
    fn millis_round_trip() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 23, 1, 2, 3)
            .single()
            .expect("date");
        assert_eq!(from_millis(millis(t)), t);
    }
}
