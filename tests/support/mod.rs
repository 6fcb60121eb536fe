//! End-to-end test harness: a fake Telegram Bot API on loopback, a fresh database per test (SQLite in a
//! temporary file, or a new PostgreSQL database when `ASUH_TEST_DATABASE_URL` names a server), and the real
//! `asuh` binary started against both, exactly as an operator would start it.
#![allow(dead_code, unused_imports)]

pub mod fake_s3;
pub mod fake_telegram;
pub mod images;
pub mod programme;

pub use fake_telegram::{Failure, FakeTelegram, SentMessage, Storm, TestUser};

use asuh::store::Db;
use sqlx::Row;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The database of one test.
pub struct TestDb {
    pub url: String,
    /// For PostgreSQL: the server URL and the database to drop at the end.
    postgres: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("ASUH_TEST_DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))
        {
            Some(server) => {
                let name = format!(
                    "asuh_t_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    rand::random::<u32>()
                );
                let admin = Db::connect(&server)
                    .await
                    .expect("connect to ASUH_TEST_DATABASE_URL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.close().await;
                let mut url = url::Url::parse(&server).expect("postgres url");
                url.set_path(&format!("/{name}"));
                TestDb {
                    url: url.to_string(),
                    postgres: Some((server, name)),
                    _dir: dir,
                }
            }
            None => {
                let path = dir.path().join("asuh.db");
                TestDb {
                    url: format!("sqlite://{}", path.display()),
                    postgres: None,
                    _dir: dir,
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Runs a query that returns one integer, for assertions about stored state.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let db = Db::connect(&self.url).await.expect("connect");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(db.pool())
            .await
            .expect(sql);
        let v: i64 = row.try_get(0).expect("integer");
        db.close().await;
        v
    }

    /// Runs a statement, for moving the world along (an offer's deadline to the past).
    pub async fn exec(&self, sql: &str) {
        let db = Db::connect(&self.url).await.expect("connect");
        sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(db.pool())
            .await
            .expect(sql);
        db.close().await;
    }

    /// Every row of the tables that hold the programme (not the inbox, the outbox, users' last sight or
    /// dialogues), as text in a stable order: equal snapshots mean nothing the programme keeps changed.
    pub async fn snapshot(&self) -> String {
        const SKIP: &[&str] = &[
            "_sqlx_migrations",
            "inbox",
            "outbox",
            "users",
            "dialogues",
            "send_pace",
        ];
        let db = Db::connect(&self.url).await.expect("connect");
        let tables_sql = if self.is_postgres() {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        };
        let tables: Vec<String> = sqlx::query(tables_sql)
            .fetch_all(db.pool())
            .await
            .expect("tables")
            .iter()
            .map(|r| r.try_get::<String, _>(0).expect("name"))
            .filter(|t| !SKIP.contains(&t.as_str()))
            .collect();
        let mut out = String::new();
        for table in tables {
            let columns_sql = if self.is_postgres() {
                format!(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = 'public'
                     AND table_name = '{table}' ORDER BY ordinal_position"
                )
            } else {
                format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
            };
            let columns: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(columns_sql))
                .fetch_all(db.pool())
                .await
                .expect("columns")
                .iter()
                .map(|r| r.try_get::<String, _>(0).expect("column"))
                .collect();
            let row = columns
                .iter()
                .map(|c| format!("COALESCE(CAST({c} AS TEXT), '∅')"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let rows: Vec<String> = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {row} FROM {table} ORDER BY 1"
            )))
            .fetch_all(db.pool())
            .await
            .expect(&table)
            .iter()
            .map(|r| r.try_get::<String, _>(0).expect("row"))
            .collect();
            out.push_str(&format!("== {table}\n{}\n", rows.join("\n")));
        }
        db.close().await;
        out
    }

    /// Every row of a query whose columns are all text.
    pub async fn rows(&self, sql: &str) -> Vec<Vec<String>> {
        let db = Db::connect(&self.url).await.expect("connect");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(db.pool())
            .await
            .expect(sql);
        let out = rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<String, _>(i).expect("text"))
                    .collect()
            })
            .collect();
        db.close().await;
        out
    }

    pub async fn text(&self, sql: &str) -> Option<String> {
        let db = Db::connect(&self.url).await.expect("connect");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_optional(db.pool())
            .await
            .expect(sql);
        let v = row.and_then(|r| r.try_get::<Option<String>, _>(0).expect("text"));
        db.close().await;
        v
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.postgres.take() {
            // Drop runs outside async: a short-lived runtime on its own thread removes the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Db::connect(&server).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(admin.pool())
                        .await;
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// The bot under test, with its fake Telegram and its database.
pub struct TestApp {
    pub tg: FakeTelegram,
    pub db: TestDb,
    child: Option<Child>,
    /// `asuh run` replicas receiving by webhook (see [`TestApp::start_replica`]); None once stopped.
    replicas: Vec<Option<Replica>>,
    log: PathBuf,
    extra_env: Vec<(String, String)>,
}

/// One `asuh run` receiving by webhook, and where it listens.
pub struct Replica {
    pub child: Child,
    pub addr: std::net::SocketAddr,
}

/// The public side of the webhook in tests: what the operator's proxy answers for, and the URL and secret
/// the replicas are given.
pub const WEBHOOK_ORIGIN: &str = "https://asuh.example:8443";
pub const WEBHOOK_URL: &str = "https://asuh.example:8443/telegram/updates";
pub const WEBHOOK_SECRET: &str = "Rahasia_asuh-2026";

/// A whole number from the environment (a benchmark's size), or `default`.
pub fn env_or(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One field of /proc/<pid>/status (`VmHWM:` is the peak memory), in KiB; 0 when it cannot be read.
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// What a benchmark's seeded programme starts with, as SQL: the migrations' default plan cleared (the
/// benchmarks seed their own packages and cadences by id), Kota Kendari and Mandonga, and one package (id 1).
pub fn bench_area_and_package(now: i64) -> Vec<String> {
    vec![
        "DELETE FROM plan_defaults".to_owned(),
        "DELETE FROM packages".to_owned(),
        "DELETE FROM cadences".to_owned(),
        format!(
            "INSERT INTO regions (code, parent_code, level, name, timezone, created_at) VALUES
             ('74.71', NULL, 'regency', 'Kota Kendari', 'Asia/Makassar', {now}),
             ('74.71.01', '74.71', 'district', 'Mandonga', NULL, {now})"
        ),
        format!(
            "INSERT INTO packages (id, name, items, created_at) VALUES
             (1, 'Paket gizi', '[{{\"name\":\"beras\",\"quantity\":\"5\",\"unit\":\"kg\"}}]', {now})
"
        ),
    ]
}

/// The header row of an e-PPGBM export, column for column.
pub const EPPGBM: [&str; 37] = [
    "NIK",
    "Nama",
    "JK",
    "Tgl Lahir",
    "BB Lahir",
    "TB Lahir",
    "Nama Ortu",
    "Prov",
    "Kab/Kota",
    "Kec",
    "Pukesmas",
    "Desa/Kel",
    "Posyandu",
    "RT",
    "RW",
    "Alamat",
    "Usia Saat Ukur",
    "Tanggal Pengukuran",
    "Bulan Pengukuran",
    "Status Bulan",
    "status tahun",
    "Berat",
    "Tinggi",
    "Cara Ukur",
    "LiLA",
    "BB/U",
    "ZS BB/U",
    "TB/U",
    "ZS TB/U",
    "BB/TB",
    "ZS BB/TB",
    "Naik Berat Badan",
    "PMT Diterima (kg)",
    "Jml Vit A",
    "KPSP",
    "KIA",
    "Detail Status",
];

/// The Telegram user id of the coordinator every test starts with (`ASUH_ADMINS`).
pub const ADMIN_ID: i64 = 500_001;

impl TestApp {
    /// A fresh app with one coordinator (ADMIN_ID), not yet running.
    pub async fn new() -> TestApp {
        let tg = FakeTelegram::start().await;
        let db = TestDb::new().await;
        let log = db._dir.path().join("asuh.log");
        TestApp {
            tg,
            db,
            child: None,
            replicas: Vec::new(),
            log,
            // Digests and monthly notes would come into every test that moves the clock past 07:00 or
            // into a new month; the tests of digests turn them on.
            extra_env: vec![
                ("ASUH_ADMINS".into(), ADMIN_ID.to_string()),
                ("ASUH_DIGESTS".into(), "off".into()),
                ("ASUH_SPONSOR_NOTES".into(), "off".into()),
            ],
        }
    }

    /// A fresh app, started.
    pub async fn spawn() -> TestApp {
        let mut app = TestApp::new().await;
        app.start().await;
        app
    }

    /// Where this app keeps evidence (unless a test sets `ASUH_MEDIA_DIR` itself).
    pub fn media_dir(&self) -> PathBuf {
        self.db._dir.path().join("media")
    }

    pub fn set_env(&mut self, key: &str, value: &str) {
        self.extra_env.retain(|(k, _)| k != key);
        self.extra_env.push((key.into(), value.into()));
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_asuh"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TELOXIDE_TOKEN", FakeTelegram::TOKEN)
            .env("TELOXIDE_API_URL", self.tg.api_url())
            .env("DATABASE_URL", &self.db.url)
            .env("ASUH_CHAT_INTERVAL_MS", "150")
            .env("ASUH_MEDIA_DIR", self.media_dir())
            .env("RUST_LOG", "asuh=debug,info");
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Starts `asuh run` with its output going to the app's log, without waiting for anything; the caller
    /// owns the process.
    pub fn launch(&self) -> Child {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        self.command()
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start asuh")
    }

    /// Starts the binary and waits until it polls for updates.
    pub async fn start(&mut self) {
        assert!(self.child.is_none(), "bot already running");
        let polls_before = self.tg.calls("getUpdates").len();
        self.child = Some(self.launch());
        let mut started = false;
        for _ in 0..600 {
            if self.tg.calls("getUpdates").len() > polls_before {
                started = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            started,
            "asuh did not start polling; log:\n{}",
            self.log_text()
        );
    }

    /// Kills the bot at once (SIGKILL), like a crash or a power cut.
    pub async fn crash(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Asks the bot to stop (SIGTERM) and waits for it; returns its exit code.
    pub async fn terminate(&mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        for _ in 0..200 {
            if let Ok(Some(status)) = child.try_wait() {
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        panic!(
            "asuh did not stop within 10 s of SIGTERM; log:\n{}",
            self.log_text()
        );
    }

    /// From now on `asuh run` receives by webhook (`ASUH_WEBHOOK_URL`, `ASUH_WEBHOOK_SECRET`), with claims
    /// on chats lasting `lease_secs`.
    pub fn use_webhook(&mut self, lease_secs: u32) {
        self.set_env("ASUH_WEBHOOK_URL", WEBHOOK_URL);
        self.set_env("ASUH_WEBHOOK_SECRET", WEBHOOK_SECRET);
        self.set_env("ASUH_INBOX_LEASE_SECS", &lease_secs.to_string());
    }

    /// Starts one more `asuh run` listening on a free port of loopback, puts it behind the fake's route
    /// for the webhook's URL, and waits until it answers HTTP; returns its index.
    pub async fn start_replica(&mut self) -> usize {
        let addr = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            probe.local_addr().expect("address")
        };
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let child = self
            .command()
            .env("ASUH_LISTEN", addr.to_string())
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start asuh");
        self.replicas.push(Some(Replica { child, addr }));
        let index = self.replicas.len() - 1;
        let client = reqwest::Client::new();
        let path = url::Url::parse(WEBHOOK_URL).expect("url").path().to_owned();
        let mut ready = false;
        for _ in 0..600 {
            // Without the secret: refused once the route is up (and nothing is stored).
            if let Ok(r) = client
                .post(format!("http://{addr}{path}"))
                .body("{}")
                .send()
                .await
                && r.status().as_u16() == 401
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(
            ready,
            "replica {index} did not listen; log:\n{}",
            self.log_text()
        );
        let targets = self.replicas.iter().flatten().map(|r| r.addr).collect();
        self.tg.route_webhook(WEBHOOK_ORIGIN, targets);
        index
    }

    /// A replica's process id (None once stopped).
    pub fn replica_pid(&self, index: usize) -> Option<u32> {
        self.replicas.get(index)?.as_ref().map(|r| r.child.id())
    }

    /// Where a replica listens.
    pub fn replica_addr(&self, index: usize) -> std::net::SocketAddr {
        self.replicas[index]
            .as_ref()
            .expect("a running replica")
            .addr
    }

    /// Kills a replica at once (SIGKILL). The proxy still sends it its turn, which fails and is retried.
    pub fn kill_replica(&mut self, index: usize) {
        if let Some(mut r) = self.replicas.get_mut(index).and_then(Option::take) {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }

    /// Asks a replica to stop (SIGTERM) and waits for it; returns its exit code.
    pub async fn terminate_replica(&mut self, index: usize) -> Option<i32> {
        let mut r = self.replicas.get_mut(index).and_then(Option::take)?;
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(r.child.id().to_string())
            .status();
        for _ in 0..200 {
            if let Ok(Some(status)) = r.child.try_wait() {
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = r.child.kill();
        panic!(
            "a replica did not stop within 10 s of SIGTERM; log:\n{}",
            self.log_text()
        );
    }

    pub async fn restart(&mut self) {
        self.crash().await;
        self.start().await;
    }

    /// Runs `asuh ARGS` with the app's environment and waits for it.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run asuh")
    }

    /// Runs `asuh ARGS` while the fake Telegram keeps answering (for commands that call Telegram).
    pub async fn cli_async(&self, args: &[&str]) -> Output {
        let mut cmd = self.command();
        cmd.args(args);
        tokio::task::spawn_blocking(move || cmd.output().expect("run asuh"))
            .await
            .expect("cli thread")
    }

    /// Starts `asuh ARGS` (a worker, a tick) in the background, its output going to the app's log.
    pub fn spawn_cli(&self, args: &[&str]) -> Child {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        self.command()
            .args(args)
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start asuh")
    }

    /// Runs `asuh tick --at AT` (one scheduler pass as of that moment, then sending what is due) while
    /// the fake Telegram keeps answering; returns its output, panicking if it failed.
    pub async fn tick(&self, at: &str) -> String {
        let mut cmd = self.command();
        cmd.args(["tick", "--at", at]);
        let out = tokio::task::spawn_blocking(move || cmd.output().expect("run asuh tick"))
            .await
            .expect("tick thread");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "asuh tick --at {at} failed:\n{text}");
        text
    }

    /// Waits until `sql` (one integer) gives `want`, for at most a minute.
    pub async fn wait_for(&self, sql: &str, want: i64) {
        let started = std::time::Instant::now();
        loop {
            let got = self.db.scalar(sql).await;
            if got == want {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{sql}: {got}, not {want}\nlog:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The running bot's process id (0 when not running).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, |c| c.id())
    }

    /// The bot's peak resident memory (VmHWM), in KiB; 0 when not running or not on Linux.
    pub fn peak_memory_kib(&self) -> u64 {
        let Some(child) = &self.child else { return 0 };
        std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
            })
            .unwrap_or(0)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The coordinator every test starts with.
    pub fn admin(&self) -> TestUser {
        TestUser::new(ADMIN_ID, "Kepala DPPKB", Some("id"))
    }

    /// Sends a text and returns the next message (or edit) the bot sends to that chat.
    pub async fn say(&self, user: &TestUser, text: &str) -> SentMessage {
        self.tg.send_text(user, text);
        self.tg.next_message(user.id).await
    }

    /// Presses the button whose label contains `label` and returns the bot's next message or edit.
    pub async fn press(&self, user: &TestUser, msg: &SentMessage, label: &str) -> SentMessage {
        let data = msg
            .button_data(label)
            .unwrap_or_else(|| panic!("no button {label:?} in {:?}", msg.buttons()));
        self.tg.press_button(user, msg, &data);
        self.tg.next_message(user.id).await
    }

    /// Presses a button (by its data) and returns the notice Telegram shows for it (the answerCallbackQuery
    /// text, empty when there is none).
    pub async fn press_for_answer(&self, user: &TestUser, msg: &SentMessage, data: &str) -> String {
        let before = self.tg.callback_answers().len();
        self.tg.press_button(user, msg, data);
        for _ in 0..200 {
            let answers = self.tg.callback_answers();
            if answers.len() > before {
                return answers[before]
                    .get("text")
                    .and_then(|t| t.as_str())
                    .unwrap_or_default()
                    .to_owned();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the button {data} was never answered; log:\n{}",
            self.log_text()
        );
    }

    /// The text of the bot's answer to what `user` just did: the next message to their chat, or the notice
    /// over a pressed button (answers after `answers_before`), whichever comes. A notice that comes with a
    /// message (an edit) takes that message too.
    pub async fn answer(&self, user: &TestUser, answers_before: usize) -> String {
        for _ in 0..200 {
            if let Some(m) = self
                .tg
                .next_message_within(user.id, Duration::from_millis(50))
                .await
            {
                return m.plain_text();
            }
            let answers = self.tg.callback_answers();
            if let Some(text) = answers[answers_before.min(answers.len())..]
                .iter()
                .filter_map(|a| a.get("text").and_then(|t| t.as_str()))
                .find(|t| !t.is_empty())
            {
                while self
                    .tg
                    .next_message_within(user.id, Duration::from_millis(150))
                    .await
                    .is_some()
                {}
                return text.to_owned();
            }
        }
        panic!("no answer to {}; log:\n{}", user.id, self.log_text());
    }

    /// Presses button data (forged, or stale) on the user's last message and returns the answer.
    pub async fn forge(&self, user: &TestUser, data: &str) -> String {
        let on = self
            .tg
            .messages_to(user.id)
            .last()
            .cloned()
            .expect("a message to press on");
        let before = self.tg.callback_answers().len();
        self.tg.press_button(user, &on, data);
        self.answer(user, before).await
    }

    /// Sets up a small district: Kota Kendari with two kecamatan, one of them with two kelurahan, and two
    /// offices — through the coordinator's own commands.
    pub async fn seed_regions(&self) {
        let admin = self.admin();
        for cmd in [
            "/wilayah_tambah 74.71 Kota Kendari WITA",
            "/wilayah_tambah 74.71.01 Mandonga",
            "/wilayah_tambah 74.71.02 Kendari Barat",
            "/wilayah_tambah 74.71.02.1001 Benu-Benua",
            "/wilayah_tambah 74.71.02.1002 Sodohoa",
            "/opd_tambah Dinas Kesehatan",
            "/opd_tambah DPPKB",
        ] {
            let reply = self.say(&admin, cmd).await;
            assert!(
                reply.plain_text().contains('✅'),
                "{cmd}: {}",
                reply.plain_text()
            );
        }
    }

    /// Sends a file as a coordinator and returns the final report (the progress message, edited).
    pub async fn import_file(&self, file_id: &str, name: &str, bytes: &[u8]) -> String {
        self.import_file_with_caption(file_id, name, None, bytes)
            .await
    }

    /// [`Self::import_file`] with a caption under the file (which may say what kind of list it is).
    pub async fn import_file_with_caption(
        &self,
        file_id: &str,
        name: &str,
        caption: Option<&str>,
        bytes: &[u8],
    ) -> String {
        self.import_file_as(&self.admin(), file_id, name, caption, bytes)
            .await
    }

    /// [`Self::import_file_with_caption`], sent by another coordinator.
    pub async fn import_file_as(
        &self,
        admin: &TestUser,
        file_id: &str,
        name: &str,
        caption: Option<&str>,
        bytes: &[u8],
    ) -> String {
        let app = self;
        app.tg
            .add_file(file_id, &format!("u-{file_id}"), bytes.to_vec());
        app.tg
            .send_document_with_caption(admin, file_id, name, "text/csv", caption);
        let received = app.tg.next_message(admin.id).await;
        assert!(
            received.plain_text().contains("diterima"),
            "{}",
            received.plain_text()
        );
        let progress = app.tg.next_message(admin.id).await;
        assert!(
            progress.plain_text().contains("Mengunduh"),
            "{}",
            progress.plain_text()
        );
        for _ in 0..10 {
            let msg = app.tg.next_message(admin.id).await;
            let text = msg.plain_text();
            if text.contains("selesai") || text.contains("ditolak:") || text.contains("✖") {
                // The progress message itself becomes the report.
                assert_eq!(
                    (msg.method.as_str(), msg.message_id),
                    ("editMessageText", progress.message_id)
                );
                // Only a children's list comes back with a file of its rejected rows.
                let said = format!("{name} {}", caption.unwrap_or_default()).to_lowercase();
                let children = !["ukur", "measure", "wilayah", "region"]
                    .iter()
                    .any(|w| said.contains(w));
                return if children {
                    self.rest_of_report(admin, text).await
                } else {
                    text
                };
            }
        }
        panic!("no import report for {name}");
    }

    /// The report of a children's import after its first message: the messages that go on naming lines, up
    /// to the file of rejected rows that closes a report with any (read, and left out of the text).
    async fn rest_of_report(&self, admin: &TestUser, mut report: String) -> String {
        let rejected = report
            .lines()
            .any(|l| (l.starts_with("Baris:") || l.starts_with("Rows:")) && !l.ends_with(": 0"));
        if !rejected {
            return report;
        }
        loop {
            let next = self.tg.next_message(admin.id).await;
            if next.method == "sendDocument" {
                break;
            }
            assert_eq!(next.method, "sendMessage", "{}", next.plain_text());
            report.push('\n');
            report.push_str(&next.plain_text());
        }
        report
    }

    /// The sample programme: Kendari's regions and 18 children imported by file, and one office.
    pub async fn setup_programme(&self) {
        let app = self;
        app.say(&app.admin(), "/start").await;
        let regions = app
            .import_file(
                "regions-1",
                "wilayah-kendari.csv",
                include_bytes!("../../samples/regions-kendari.csv"),
            )
            .await;
        assert!(regions.contains("ditambah: 77"), "{regions}");
        let report = app
            .import_file(
                "children-1",
                "anak.csv",
                include_bytes!("../../samples/children.csv"),
            )
            .await;
        assert!(report.contains("Baris: 18 · ditambah: 18"), "{report}");
        app.say(&app.admin(), "/opd_tambah Dinas Kesehatan").await;
    }

    /// A coordinator of one region (`asuh admin grant ID --scope CODE`), who has opened the chat.
    pub async fn coordinator_of(&self, id: i64, name: &str, scope: &str) -> TestUser {
        let user = TestUser::new(id, name, Some("id"));
        self.say(&user, "/start").await;
        let out = self.cli(&["admin", "grant", &id.to_string(), "--scope", scope]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        user
    }

    /// Registers a sponsor for Mandonga (the whole kecamatan) and has the coordinator approve them.
    pub async fn approved_sponsor(&self, id: i64, name: &str, capacity: &str) -> TestUser {
        self.approved_sponsor_in(id, name, capacity, "Mandonga")
            .await
    }

    /// Registers a sponsor for a whole kecamatan (its button label, on whichever page) and has the coordinator
    /// approve them.
    pub async fn approved_sponsor_in(
        &self,
        id: i64,
        name: &str,
        capacity: &str,
        kecamatan: &str,
    ) -> TestUser {
        let app = self;
        let user = app.pending_sponsor(id, name, capacity, kecamatan).await;
        // The request to decide, whatever else the coordinator was told before it.
        let request = loop {
            let m = app.tg.next_message(ADMIN_ID).await;
            if m.plain_text().contains(&id.to_string()) && m.button_data("Setujui").is_some() {
                break m;
            }
        };
        app.press(&app.admin(), &request, "Setujui").await;
        let approved = app.tg.next_message(id).await;
        assert!(
            approved.plain_text().contains("disetujui"),
            "{}",
            approved.plain_text()
        );
        user
    }

    /// A sponsor who registered for a whole kecamatan and waits for the coordinators' decision (the
    /// request to the coordinators is left in their chats).
    pub async fn pending_sponsor(
        &self,
        id: i64,
        name: &str,
        capacity: &str,
        kecamatan: &str,
    ) -> TestUser {
        let app = self;
        let user = TestUser::new(id, name, Some("id"));
        app.say(&user, "/daftar").await;
        app.say(&user, &format!("{name} Saputra")).await;
        app.tg.send_contact(&user, "6281234567890", Some(id));
        app.tg.next_message(id).await;
        let offices = app.tg.next_message(id).await;
        let mut districts = app.press(&user, &offices, "Dinas Kesehatan").await;
        // The kecamatan come a page at a time.
        while districts.button_data(kecamatan).is_none() && districts.button_data("▶").is_some() {
            districts = app.press(&user, &districts, "▶").await;
        }
        let villages = app.press(&user, &districts, kecamatan).await;
        let cap = app.press(&user, &villages, "Seluruh kecamatan").await;
        let summary = app.press(&user, &cap, capacity).await;
        app.press(&user, &summary, "Kirim").await;
        user
    }

    pub fn assert_spec_clean(&self) {
        let violations = self.tg.spec_violations();
        assert!(
            violations.is_empty(),
            "calls that break the Bot API spec: {violations:#?}"
        );
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        for mut r in self.replicas.drain(..).flatten() {
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }
}
