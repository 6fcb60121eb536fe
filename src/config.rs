//! Settings from the environment (12-factor). Each variable is documented in the README.

use crate::domain::UserId;
use crate::domain::evidence::Checks;
use crate::domain::region::parse_zone;
use crate::domain::schedule::{QuietHours, ReminderPolicy};
use crate::services::deliveries::Settings;
use chrono_tz::Tz;
use std::fmt;
use std::time::Duration;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("TELOXIDE_TOKEN is not set: give the bot token from @BotFather")]
    MissingToken,
    #[error("TELOXIDE_API_URL is not a valid http(s) URL: {0}")]
    BadApiUrl(String),
    #[error("ASUH_ADMINS must be Telegram user ids separated by commas, not {0:?}")]
    BadAdmins(String),
    #[error(
        "ASUH_TIMEZONE is not a time zone (use WIB, WITA, WIT or an IANA name like Asia/Makassar): {0}"
    )]
    BadTimezone(String),
    #[error("ASUH_CHAT_INTERVAL_MS must be a number of milliseconds: {0}")]
    BadInterval(String),
    #[error("{0} must be a whole number above zero, not {1:?}")]
    BadDuration(&'static str, String),
    #[error("ASUH_REMINDERS must be offsets like -3d@08:00,0d@07:00,+2d@08:00: {0}")]
    BadReminders(String),
    #[error("ASUH_QUIET_HOURS must be a local time range like 21:00-06:00, not {0:?}")]
    BadQuietHours(String),
    #[error("{0} must be on or off, not {1:?}")]
    BadSwitch(&'static str, String),
    #[error(
        "ASUH_WEBHOOK_URL and ASUH_WEBHOOK_SECRET go together: set both to receive updates by webhook, or neither to poll"
    )]
    HalfWebhook,
    #[error("ASUH_WEBHOOK_URL must be a public https:// URL, not {0:?}")]
    BadWebhookUrl(String),
    #[error("ASUH_WEBHOOK_SECRET must be 1 to 256 of the characters A-Z, a-z, 0-9, _ and -")]
    BadWebhookSecret,
    #[error("ASUH_LISTEN must be an address and port like 0.0.0.0:8443, not {0:?}")]
    BadListen(String),
    #[error("ASUH_WEBHOOK_CONNECTIONS must be a whole number from 1 to 100, not {0:?}")]
    BadWebhookConnections(String),
    #[error(
        "ASUH_PUBLIC_URL must be the bot's public https:// address (no query or fragment), not {0:?}"
    )]
    BadPublicUrl(String),
}

/// The bot token, kept out of logs and debug output.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub admins: Vec<UserId>,
    pub timezone: Tz,
    /// Where evidence photos are kept (`ASUH_MEDIA_DIR`): a directory, or `s3://bucket/prefix`.
    pub media: String,
    /// When a photo is flagged (`ASUH_EVIDENCE_RADIUS_KM`, `ASUH_EVIDENCE_DAYS`).
    pub evidence: Checks,
    /// How long a sponsor has to answer an offer (`ASUH_OFFER_HOURS`, default 48).
    pub offer_ttl: chrono::Duration,
    /// How long a child stays held for a sponsor who asked for one (`ASUH_HOLD_MINUTES`, default 15).
    pub hold: chrono::Duration,
    /// Delivery planning and reminders (`ASUH_REMINDERS`, `ASUH_QUIET_HOURS`, `ASUH_PLAN_DAYS`,
    /// `ASUH_FIRST_DELIVERY_DAYS`, `ASUH_MISSED_AFTER_DAYS`, `ASUH_RESCHEDULE_DAYS`).
    pub deliveries: Settings,
    /// Coordinator digests (`ASUH_DIGEST_LINES`: items per list before "show all", default 5).
    pub digest: crate::services::digest::Settings,
    /// How long a handled update's raw content is kept (`ASUH_INBOX_DAYS`, default 3, 1–366).
    pub inbox_retention: chrono::Duration,
    /// After how long unreachable a sponsor's coordinators are asked to release their children
    /// (`ASUH_UNREACHABLE_DAYS`, default 7).
    pub unreachable_after: chrono::Duration,
}

/// The webhook's secret token, kept out of logs and debug output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// A secret as Telegram accepts one: 1–256 of `A-Z a-z 0-9 _ -`.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = (1..=256).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        ok.then(|| Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Receiving updates by webhook (`ASUH_WEBHOOK_URL`, `ASUH_WEBHOOK_SECRET`, `ASUH_LISTEN`).
#[derive(Debug, Clone)]
pub struct Webhook {
    /// The public HTTPS URL Telegram posts updates to; its path is the route's.
    pub url: url::Url,
    /// Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret: Secret,
    /// Where this process listens (behind the operator's TLS proxy or load balancer).
    pub listen: std::net::SocketAddr,
    /// How many requests Telegram may have in flight at once (`ASUH_WEBHOOK_CONNECTIONS`, 1–100, default
    /// 100). The route only stores each update, so more requests at once mean more updates per commit;
    /// Telegram's own default of 40 made three replicas acknowledge ~950 updates a second, 100 ~1,200.
    pub max_connections: u8,
}

/// Telegram's upper bound of `max_connections`, and asuh's default.
pub const WEBHOOK_CONNECTIONS: u8 = 100;

/// The coordinators' dashboard, a Telegram Mini App served on `ASUH_LISTEN` (`ASUH_PUBLIC_URL` and the
/// times below); off without `ASUH_PUBLIC_URL`.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The public HTTPS address the listener is reached at (the operator's TLS proxy); the Mini App is
    /// its `/app`.
    pub public_url: url::Url,
    /// Where this process listens (shared with the webhook's route).
    pub listen: std::net::SocketAddr,
    /// How old a Mini App's `initData` may be (`ASUH_DASHBOARD_AUTH_SECS`, default 3600).
    pub init_max_age: chrono::Duration,
    /// How long a dashboard session lasts (`ASUH_DASHBOARD_SESSION_MINUTES`, default 30).
    pub session_ttl: chrono::Duration,
    /// How long a meeting link lasts (`ASUH_MEETING_LINK_HOURS`, default 4).
    pub link_ttl: chrono::Duration,
}

impl Dashboard {
    /// The Mini App's URL: `ASUH_PUBLIC_URL` + `/app`.
    pub fn app_url(&self) -> String {
        format!("{}/app", self.public_url.as_str().trim_end_matches('/'))
    }
}

fn dashboard(get: &impl Fn(&str) -> Option<String>) -> Result<Option<Dashboard>, ConfigError> {
    let Some(raw) = get("ASUH_PUBLIC_URL") else {
        return Ok(None);
    };
    let public_url = match url::Url::parse(&raw) {
        Ok(u)
            if u.scheme() == "https"
                && u.host().is_some()
                && u.query().is_none()
                && u.fragment().is_none() =>
        {
            u
        }
        _ => return Err(ConfigError::BadPublicUrl(raw)),
    };
    Ok(Some(Dashboard {
        public_url,
        listen: listen(get)?,
        init_max_age: chrono::Duration::seconds(positive(get, "ASUH_DASHBOARD_AUTH_SECS", 3600)?),
        session_ttl: chrono::Duration::minutes(positive(
            get,
            "ASUH_DASHBOARD_SESSION_MINUTES",
            30,
        )?),
        link_ttl: chrono::Duration::hours(positive(get, "ASUH_MEETING_LINK_HOURS", 4)?),
    }))
}

fn listen(get: &impl Fn(&str) -> Option<String>) -> Result<std::net::SocketAddr, ConfigError> {
    let listen_text = get("ASUH_LISTEN").unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
    listen_text
        .parse()
        .map_err(|_| ConfigError::BadListen(listen_text))
}

/// Where `asuh run` listens when nothing says otherwise.
pub const DEFAULT_LISTEN: &str = "0.0.0.0:8443";

#[derive(Debug, Clone)]
pub struct BotConfig {
    pub token: Token,
    pub api_url: Option<url::Url>,
    /// Spacing between two messages to one private chat (Telegram: about one a second).
    pub chat_interval: Duration,
    /// How long a sender owns a claimed outbox row before another may send it (`ASUH_OUTBOX_LEASE_SECS`).
    pub lease: Duration,
    /// How long a process owns a claimed chat's updates before another may handle them, unless it renews
    /// the claim (`ASUH_INBOX_LEASE_SECS`).
    pub inbox_lease: Duration,
    /// `Some` to receive updates by webhook; `None` to poll (the default).
    pub webhook: Option<Webhook>,
    /// `Some` when the dashboard is on (`ASUH_PUBLIC_URL`).
    pub dashboard: Option<Dashboard>,
}

impl BotConfig {
    /// Where the HTTP listener binds: `ASUH_LISTEN` when the webhook or the dashboard needs it.
    pub fn listen(&self) -> Option<std::net::SocketAddr> {
        self.webhook
            .as_ref()
            .map(|w| w.listen)
            .or(self.dashboard.as_ref().map(|d| d.listen))
    }
}

fn webhook(get: &impl Fn(&str) -> Option<String>) -> Result<Option<Webhook>, ConfigError> {
    let (url, secret) = match (get("ASUH_WEBHOOK_URL"), get("ASUH_WEBHOOK_SECRET")) {
        (None, None) => return Ok(None),
        (Some(url), Some(secret)) => (url, secret),
        _ => return Err(ConfigError::HalfWebhook),
    };
    let parsed = match url::Url::parse(&url) {
        Ok(u) if u.scheme() == "https" && u.host().is_some() => u,
        _ => return Err(ConfigError::BadWebhookUrl(url)),
    };
    let secret = Secret::parse(&secret).ok_or(ConfigError::BadWebhookSecret)?;
    let max_connections = match get("ASUH_WEBHOOK_CONNECTIONS") {
        None => WEBHOOK_CONNECTIONS,
        Some(n) => n
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=WEBHOOK_CONNECTIONS).contains(n))
            .ok_or(ConfigError::BadWebhookConnections(n))?,
    };
    Ok(Some(Webhook {
        url: parsed,
        secret,
        listen: listen(get)?,
        max_connections,
    }))
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `on`/`off` (also `1`/`0`, `true`/`false`, `ya`/`tidak`) from the environment, or `default` when unset.
fn switch(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => match v.to_lowercase().as_str() {
            "on" | "1" | "true" | "ya" => Ok(true),
            "off" | "0" | "false" | "tidak" => Ok(false),
            _ => Err(ConfigError::BadSwitch(name, v)),
        },
    }
}

/// A whole number above zero from the environment, or `default` when unset.
fn positive(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: i64,
) -> Result<i64, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(ConfigError::BadDuration(name, v)),
    }
}

fn days(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: i64,
) -> Result<u32, ConfigError> {
    let n = positive(get, name, default)?;
    u32::try_from(n)
        .ok()
        .filter(|d| *d <= 366)
        .ok_or(ConfigError::BadDuration(name, n.to_string()))
}

fn deliveries(get: &impl Fn(&str) -> Option<String>, zone: Tz) -> Result<Settings, ConfigError> {
    let reminders = match get("ASUH_REMINDERS") {
        None => ReminderPolicy::default(),
        Some(v) => ReminderPolicy::parse(&v).map_err(ConfigError::BadReminders)?,
    };
    let quiet = match get("ASUH_QUIET_HOURS") {
        None => QuietHours::default(),
        Some(v) => QuietHours::parse(&v).ok_or(ConfigError::BadQuietHours(v))?,
    };
    Ok(Settings {
        reminders,
        quiet,
        horizon_days: days(get, "ASUH_PLAN_DAYS", 60)?,
        lead_days: days(get, "ASUH_FIRST_DELIVERY_DAYS", 3)?,
        missed_after_days: days(get, "ASUH_MISSED_AFTER_DAYS", 14)?,
        max_shift_days: days(get, "ASUH_RESCHEDULE_DAYS", 7)?,
        confirm_ahead_days: days(get, "ASUH_CONFIRM_AHEAD_DAYS", 3)?,
        default_zone: zone,
    })
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(var)
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let admins = match get("ASUH_ADMINS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| UserId::parse(s).ok_or_else(|| ConfigError::BadAdmins(s.to_owned())))
                .collect::<Result<_, _>>()?,
        };
        let timezone = match get("ASUH_TIMEZONE") {
            None => chrono_tz::Asia::Jakarta,
            Some(z) => parse_zone(&z).ok_or(ConfigError::BadTimezone(z))?,
        };
        Ok(Self {
            database_url: get("DATABASE_URL").unwrap_or_else(|| "sqlite://asuh.db".to_owned()),
            admins,
            timezone,
            media: get("ASUH_MEDIA_DIR").unwrap_or_else(|| "media".to_owned()),
            evidence: Checks {
                max_km: f64::from(
                    u32::try_from(positive(&get, "ASUH_EVIDENCE_RADIUS_KM", 5)?)
                        .unwrap_or(u32::MAX),
                ),
                max_days: positive(&get, "ASUH_EVIDENCE_DAYS", 3)?,
            },
            offer_ttl: chrono::Duration::hours(positive(&get, "ASUH_OFFER_HOURS", 48)?),
            hold: chrono::Duration::minutes(positive(&get, "ASUH_HOLD_MINUTES", 15)?),
            deliveries: deliveries(&get, timezone)?,
            digest: crate::services::digest::Settings {
                lines: usize::try_from(positive(&get, "ASUH_DIGEST_LINES", 5)?)
                    .unwrap_or(usize::MAX),
                default_zone: timezone,
                missed_after_days: days(&get, "ASUH_MISSED_AFTER_DAYS", 14)?,
                on_by_default: switch(&get, "ASUH_DIGESTS", true)?,
                sponsor_notes: switch(&get, "ASUH_SPONSOR_NOTES", true)?,
                case_days: i64::from(days(&get, "ASUH_CASE_DAYS", 14)?),
                ..Default::default()
            },
            inbox_retention: chrono::Duration::days(i64::from(days(
                &get,
                "ASUH_INBOX_DAYS",
                i64::from(crate::jobs::scheduler::INBOX_DAYS),
            )?)),
            unreachable_after: chrono::Duration::days(i64::from(days(
                &get,
                "ASUH_UNREACHABLE_DAYS",
                i64::from(crate::jobs::scheduler::UNREACHABLE_DAYS),
            )?)),
        })
    }
}

impl BotConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(var)
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let token = get("TELOXIDE_TOKEN").ok_or(ConfigError::MissingToken)?;
        let api_url = match get("TELOXIDE_API_URL") {
            None => None,
            Some(raw) => {
                let trimmed = raw.trim_end_matches('/');
                match url::Url::parse(trimmed) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                        Some(u)
                    }
                    _ => return Err(ConfigError::BadApiUrl(raw)),
                }
            }
        };
        let chat_interval = match get("ASUH_CHAT_INTERVAL_MS") {
            None => Duration::from_secs(1),
            Some(ms) => {
                Duration::from_millis(ms.parse().map_err(|_| ConfigError::BadInterval(ms))?)
            }
        };
        Ok(Self {
            token: Token(token),
            api_url,
            chat_interval,
            lease: Duration::from_secs(
                positive(&get, "ASUH_OUTBOX_LEASE_SECS", 60)?.unsigned_abs(),
            ),
            inbox_lease: Duration::from_secs(
                positive(&get, "ASUH_INBOX_LEASE_SECS", 60)?.unsigned_abs(),
            ),
            webhook: webhook(&get)?,
            dashboard: dashboard(&get)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_run_on_sqlite_in_jakarta_time() {
        let c = Config::from_lookup(env(&[])).expect("config");
        assert_eq!(c.database_url, "sqlite://asuh.db");
        assert_eq!(c.timezone, chrono_tz::Asia::Jakarta);
        assert!(c.admins.is_empty());
        assert_eq!((c.offer_ttl.num_hours(), c.hold.num_minutes()), (48, 15));
    }

    #[test]
    fn offer_and_hold_times_are_whole_positive_numbers() {
        let c = Config::from_lookup(env(&[
            ("ASUH_OFFER_HOURS", "2"),
            ("ASUH_HOLD_MINUTES", "5"),
        ]))
        .expect("config");
        assert_eq!((c.offer_ttl.num_hours(), c.hold.num_minutes()), (2, 5));
        assert!(Config::from_lookup(env(&[("ASUH_OFFER_HOURS", "0")])).is_err());
        assert!(Config::from_lookup(env(&[("ASUH_HOLD_MINUTES", "soon")])).is_err());
    }

    #[test]
    fn raw_updates_are_kept_three_days_unless_told_otherwise() {
        let c = Config::from_lookup(env(&[])).expect("config");
        assert_eq!(c.inbox_retention.num_days(), 3);
        let c = Config::from_lookup(env(&[("ASUH_INBOX_DAYS", "1")])).expect("config");
        assert_eq!(c.inbox_retention.num_days(), 1);
        for bad in ["0", "-3", "3.5", "a week", "367"] {
            assert!(
                matches!(
                    Config::from_lookup(env(&[("ASUH_INBOX_DAYS", bad)])),
                    Err(ConfigError::BadDuration("ASUH_INBOX_DAYS", _))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn admins_and_zone_are_parsed() {
        let c = Config::from_lookup(env(&[
            ("ASUH_ADMINS", "111, 222"),
            ("ASUH_TIMEZONE", "WITA"),
        ]))
        .expect("config");
        assert_eq!(c.admins, vec![UserId(111), UserId(222)]);
        assert_eq!(c.timezone, chrono_tz::Asia::Makassar);
        assert_eq!(
            Config::from_lookup(env(&[("ASUH_ADMINS", "111,bob")])).err(),
            Some(ConfigError::BadAdmins("bob".into()))
        );
        assert!(Config::from_lookup(env(&[("ASUH_TIMEZONE", "Mars/Base")])).is_err());
    }

    #[test]
    fn token_is_required_and_never_printed() {
        assert_eq!(
            BotConfig::from_lookup(env(&[])).err(),
            Some(ConfigError::MissingToken)
        );
        let b =
            BotConfig::from_lookup(env(&[("TELOXIDE_TOKEN", "123:secret")])).expect("bot config");
        assert!(!format!("{b:?}").contains("secret"));
    }

    #[test]
    fn polling_unless_both_webhook_settings_are_given() {
        let polling = BotConfig::from_lookup(env(&[("TELOXIDE_TOKEN", "t")])).expect("config");
        assert!(polling.webhook.is_none());
        let hook = BotConfig::from_lookup(env(&[
            ("TELOXIDE_TOKEN", "t"),
            ("ASUH_WEBHOOK_URL", "https://bot.example.org/telegram"),
            ("ASUH_WEBHOOK_SECRET", "s3cret_-X"),
        ]))
        .expect("config")
        .webhook
        .expect("webhook");
        assert_eq!(hook.url.path(), "/telegram");
        assert_eq!(hook.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(hook.max_connections, 100);
        assert!(!format!("{hook:?}").contains("s3cret"));
        let with = |pairs: &[(&str, &str)]| {
            let mut all = vec![("TELOXIDE_TOKEN", "t")];
            all.extend_from_slice(pairs);
            BotConfig::from_lookup(env(&all)).err()
        };
        assert_eq!(
            with(&[("ASUH_WEBHOOK_URL", "https://bot.example.org/")]),
            Some(ConfigError::HalfWebhook)
        );
        assert_eq!(
            with(&[("ASUH_WEBHOOK_SECRET", "abc")]),
            Some(ConfigError::HalfWebhook)
        );
        assert!(matches!(
            with(&[
                ("ASUH_WEBHOOK_URL", "http://bot.example.org/"),
                ("ASUH_WEBHOOK_SECRET", "abc")
            ]),
            Some(ConfigError::BadWebhookUrl(_))
        ));
        let long = "a".repeat(257);
        for bad in ["with space", "ümlaut", long.as_str()] {
            assert_eq!(
                with(&[
                    ("ASUH_WEBHOOK_URL", "https://bot.example.org/"),
                    ("ASUH_WEBHOOK_SECRET", bad)
                ]),
                Some(ConfigError::BadWebhookSecret),
                "{bad}"
            );
        }
        assert!(matches!(
            with(&[
                ("ASUH_WEBHOOK_URL", "https://bot.example.org/"),
                ("ASUH_WEBHOOK_SECRET", "abc"),
                ("ASUH_LISTEN", "everywhere")
            ]),
            Some(ConfigError::BadListen(_))
        ));
        for bad in ["0", "101", "many"] {
            assert_eq!(
                with(&[
                    ("ASUH_WEBHOOK_URL", "https://bot.example.org/"),
                    ("ASUH_WEBHOOK_SECRET", "abc"),
                    ("ASUH_WEBHOOK_CONNECTIONS", bad)
                ]),
                Some(ConfigError::BadWebhookConnections(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_dashboard_is_on_with_a_public_https_address() {
        let off = BotConfig::from_lookup(env(&[("TELOXIDE_TOKEN", "t")])).expect("config");
        assert!(off.dashboard.is_none() && off.listen().is_none());
        let on = BotConfig::from_lookup(env(&[
            ("TELOXIDE_TOKEN", "t"),
            ("ASUH_PUBLIC_URL", "https://asuh.example.go.id/"),
            ("ASUH_LISTEN", "127.0.0.1:9000"),
        ]))
        .expect("config");
        let d = on.dashboard.clone().expect("dashboard");
        assert_eq!(d.app_url(), "https://asuh.example.go.id/app");
        assert_eq!(d.init_max_age.num_seconds(), 3600);
        assert_eq!(d.link_ttl.num_hours(), 4);
        assert_eq!(
            on.listen().map(|a| a.to_string()).as_deref(),
            Some("127.0.0.1:9000")
        );
        for bad in [
            "http://asuh.example.go.id",
            "https://",
            "https://x.org/?a=1",
            "asuh",
        ] {
            assert!(
                matches!(
                    BotConfig::from_lookup(env(&[
                        ("TELOXIDE_TOKEN", "t"),
                        ("ASUH_PUBLIC_URL", bad)
                    ])),
                    Err(ConfigError::BadPublicUrl(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            BotConfig::from_lookup(env(&[
                ("TELOXIDE_TOKEN", "t"),
                ("ASUH_PUBLIC_URL", "https://asuh.example.go.id"),
                ("ASUH_DASHBOARD_AUTH_SECS", "0"),
            ])),
            Err(ConfigError::BadDuration("ASUH_DASHBOARD_AUTH_SECS", _))
        ));
    }

    #[test]
    fn api_url_is_validated() {
        let ok = BotConfig::from_lookup(env(&[
            ("TELOXIDE_TOKEN", "t"),
            ("TELOXIDE_API_URL", "http://127.0.0.1:8081/"),
        ]))
        .expect("config");
        assert_eq!(
            ok.api_url.map(|u| u.to_string()),
            Some("http://127.0.0.1:8081/".into())
        );
        for bad in ["not a url", "ftp://x", "http://"] {
            assert!(
                BotConfig::from_lookup(env(&[("TELOXIDE_TOKEN", "t"), ("TELOXIDE_API_URL", bad)]))
                    .is_err(),
                "{bad}"
            );
        }
    }
}
