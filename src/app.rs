//! Wiring: connect, migrate, bootstrap coordinators, and run the receiving side (the poller, or the
//! webhook's HTTP listener), the processor and the sender until SIGINT or SIGTERM; then finish the update
//! in hand and stop.

use crate::clock::Clock;
use crate::config::{BotConfig, Config};
use crate::domain::UserId;
use crate::domain::role::Scope;
use crate::jobs;
use crate::jobs::reports::ReportWorker;
use crate::media::MediaStore;
use crate::outbound::{self, Outbound};
use crate::store::{Db, users};
use crate::telegram::commands;
use crate::telegram::context::BotInfo;
use crate::telegram::downloads::DownloadWorker;
use crate::telegram::imports::ImportWorker;
use crate::telegram::processor::Processor;
use crate::telegram::sender::{Limits, Sender};
use crate::telegram::{self, handlers, poller, webhook};
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::{Notify, watch};

/// Connects to the configured database and brings its schema up to date.
pub async fn open_db(config: &Config) -> anyhow::Result<Db> {
    let url = crate::store::redact(&config.database_url);
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    db.migrate().await.context("cannot migrate the database")?;
    Ok(db)
}

/// Makes the users named in `ASUH_ADMINS` coordinators of everything, unless they are coordinators already
/// (a scope set later by hand is kept).
pub async fn bootstrap_admins(db: &Db, admins: &[UserId]) -> anyhow::Result<()> {
    for admin in admins {
        let mut tx = db.begin().await?;
        if users::roles(&mut tx, *admin).await?.coordinator.is_none() {
            grant_coordinator(&mut tx, *admin, &Scope::All, None).await?;
            tracing::info!(user = admin.0, "coordinator granted from ASUH_ADMINS");
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Grants the coordinator role, records it, and queues the new command menu for that user — if they ever
/// wrote to the bot: Telegram refuses a menu for a chat that does not exist yet ("chat not found"), so
/// someone who never did gets theirs with their first message.
pub async fn grant_coordinator(
    conn: &mut crate::store::Conn,
    user: UserId,
    scope: &Scope,
    by: Option<UserId>,
) -> anyhow::Result<()> {
    crate::services::people::grant_coordinator(conn, user, scope, by, Utc::now()).await?;
    if users::known(conn, user).await? {
        queue_menu(conn, user).await?;
    }
    Ok(())
}

pub async fn queue_menu(conn: &mut crate::store::Conn, user: UserId) -> anyhow::Result<()> {
    let menu = handlers::menu_for(conn, user).await?;
    outbound::enqueue_in(conn, outbound::Lane::Notice, &menu, Utc::now()).await?;
    Ok(())
}

fn limits(bot_config: &BotConfig) -> Limits {
    Limits {
        chat_interval: bot_config.chat_interval,
        lease: bot_config.lease,
        ..Limits::default()
    }
}

/// A watch channel that turns true on SIGINT or SIGTERM.
fn shutdown_on_signal() -> watch::Receiver<bool> {
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing the work in hand");
        let _ = stop.send(true);
    });
    shutdown
}

/// What runs beside the poller in `asuh run`, and alone in `asuh worker`: the scheduler, the sender and the
/// import worker.
fn background(
    db: &Db,
    bot: &telegram::Api,
    config: &Config,
    bot_config: &BotConfig,
    media: &MediaStore,
    wake_sender: &Arc<Notify>,
    shutdown: &watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let sender = Sender::new(
        db.clone(),
        bot.clone(),
        wake_sender.clone(),
        limits(bot_config),
        Clock::System,
    )
    .with_media(media.clone());
    wake_sender.notify_one();
    let imports = ImportWorker {
        db: db.clone(),
        bot: bot.clone(),
        wake_sender: wake_sender.clone(),
    };
    let reports = ReportWorker {
        db: db.clone(),
        media: media.clone(),
        default_zone: config.deliveries.default_zone,
        missed_after_days: config.deliveries.missed_after_days,
        wake_sender: wake_sender.clone(),
    };
    let downloads = DownloadWorker {
        db: db.clone(),
        bot: bot.clone(),
        media: media.clone(),
        checks: config.evidence,
        wake_sender: wake_sender.clone(),
    };
    vec![
        tokio::spawn(sender.run(shutdown.clone())),
        tokio::spawn(imports.run(shutdown.clone())),
        tokio::spawn(reports.run(shutdown.clone())),
        tokio::spawn(downloads.run(shutdown.clone())),
        tokio::spawn(jobs::scheduler::run(
            db.clone(),
            jobs::scheduler::Jobs {
                deliveries: config.deliveries.clone(),
                digests: config.digest,
                media: Some(media.clone()),
                inbox_retention: config.inbox_retention,
                unreachable_after: config.unreachable_after,
                dashboard: bot_config.dashboard.as_ref().map(|d| d.app_url()),
            },
            Clock::System,
            wake_sender.clone(),
            shutdown.clone(),
        )),
    ]
}

async fn join(tasks: Vec<tokio::task::JoinHandle<()>>) {
    for task in tasks {
        if let Err(e) = task.await {
            tracing::error!(error = %e, "a task ended abnormally");
        }
    }
}

/// Runs the bot until SIGINT/SIGTERM: receives updates, handles them, and does the background work.
pub async fn run(config: Config, bot_config: BotConfig) -> anyhow::Result<()> {
    let db = open_db(&config).await?;
    bootstrap_admins(&db, &config.admins).await?;
    let bot = telegram::api(&bot_config);
    let shutdown = shutdown_on_signal();
    // Bind first: a port in use stops the start before anything else happens.
    let listener = match bot_config.listen() {
        Some(addr) => Some(crate::http::bind(addr).await?),
        None => None,
    };
    let Some(username) = telegram::identify(&bot, shutdown.clone()).await? else {
        return Ok(());
    };
    if let Some(hook) = &bot_config.webhook
        && webhook::ensure(&bot, hook)
            .await
            .context("cannot register the webhook")?
    {
        tracing::info!(url = %hook.url, "webhook registered with Telegram");
    }
    tracing::info!(
        bot = %username,
        backend = ?db.backend(),
        receiving = if bot_config.webhook.is_some() { "webhook" } else { "long polling" },
        "asuh is running"
    );
    queue_default_menus(&db).await?;
    if let Some(dash) = &bot_config.dashboard {
        queue_dashboard_buttons(&db, &dash.app_url()).await?;
    }

    let wake_processor = Arc::new(Notify::new());
    let wake_sender = Arc::new(Notify::new());
    let media = MediaStore::from_setting(&config.media)?;
    let processor = Processor::new(
        db.clone(),
        bot.clone(),
        Arc::new(BotInfo {
            username,
            offer_ttl: config.offer_ttl,
            hold: config.hold,
            deliveries: config.deliveries.clone(),
            evidence: config.evidence,
            digest: config.digest,
            media: media.clone(),
            dashboard: bot_config.dashboard.as_ref().map(|d| {
                crate::telegram::context::DashboardInfo {
                    settings: dashboard_settings(&config, d),
                    token: bot_config.token.clone(),
                }
            }),
        }),
        wake_sender.clone(),
        bot_config.inbox_lease,
    );
    let mut tasks = background(
        &db,
        &bot,
        &config,
        &bot_config,
        &media,
        &wake_sender,
        &shutdown,
    );
    if let Some(listener) = listener {
        let mut router = crate::http::Router::new();
        if let Some(hook) = &bot_config.webhook {
            // Never deleted on stop: the other replicas go on receiving.
            router = router.merge(webhook::routes(hook, db.clone(), wake_processor.clone()));
        }
        if let Some(dash) = &bot_config.dashboard {
            router = router.merge(crate::web::routes(
                db.clone(),
                dashboard_settings(&config, dash),
                bot_config.token.expose().to_owned(),
            ));
            tracing::info!(url = %dash.app_url(), "dashboard on");
        }
        tasks.push(tokio::spawn(crate::http::serve(
            listener,
            router,
            shutdown.clone(),
        )));
    }
    if bot_config.webhook.is_none() {
        tasks.push(tokio::spawn(poller::run(
            db.clone(),
            bot.clone(),
            wake_processor.clone(),
            shutdown.clone(),
        )));
    }
    tasks.push(tokio::spawn(
        processor.run(wake_processor, shutdown.clone()),
    ));
    join(tasks).await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The dashboard's settings from the configuration.
pub fn dashboard_settings(
    config: &Config,
    dash: &crate::config::Dashboard,
) -> crate::services::dashboard::Settings {
    crate::services::dashboard::Settings {
        app_url: dash.app_url(),
        init_max_age: dash.init_max_age,
        session_ttl: dash.session_ttl,
        link_ttl: dash.link_ttl,
        default_zone: config.deliveries.default_zone,
        missed_after: chrono::Duration::days(i64::from(config.deliveries.missed_after_days)),
    }
}

/// Runs the scheduler, the sender and imports without receiving updates (beside one polling `asuh run`, or
/// any number of webhook replicas), until SIGINT/SIGTERM.
pub async fn worker(config: Config, bot_config: BotConfig) -> anyhow::Result<()> {
    let db = open_db(&config).await?;
    let bot = telegram::api(&bot_config);
    let shutdown = shutdown_on_signal();
    tracing::info!(backend = ?db.backend(), "asuh worker is running");
    let wake_sender = Arc::new(Notify::new());
    let media = MediaStore::from_setting(&config.media)?;
    join(background(
        &db,
        &bot,
        &config,
        &bot_config,
        &media,
        &wake_sender,
        &shutdown,
    ))
    .await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// One pass as of `at`: the scheduler's jobs, then sending what is due by then. What must wait (quiet
/// hours, a backoff) stays queued for the next pass or the running bot.
pub async fn tick(
    config: Config,
    bot_config: BotConfig,
    at: DateTime<Utc>,
) -> anyhow::Result<(jobs::scheduler::Pass, usize)> {
    let db = open_db(&config).await?;
    let bot = telegram::api(&bot_config);
    let shutdown = shutdown_on_signal();
    let clock = Clock::starting_at(at);
    let media = MediaStore::from_setting(&config.media)?;
    let jobs = jobs::scheduler::Jobs {
        deliveries: config.deliveries.clone(),
        digests: config.digest,
        media: Some(media.clone()),
        inbox_retention: config.inbox_retention,
        unreachable_after: config.unreachable_after,
        dashboard: bot_config.dashboard.as_ref().map(|d| d.app_url()),
    };
    let pass = jobs::scheduler::tick(&db, &jobs, clock.now()).await?;
    let sender = Sender::new(
        db.clone(),
        bot,
        Arc::new(Notify::new()),
        limits(&bot_config),
        clock,
    )
    .with_media(media);
    let sent = sender.drain_due(&shutdown).await?;
    db.close().await;
    Ok((pass, sent))
}

/// The menus everyone sees before they have a role, in both languages (Indonesian also as the default for
/// other languages). Queued once per content: a restart does not resend an unchanged menu.
async fn queue_default_menus(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for (language, lang) in [
        (None, crate::domain::Lang::Id),
        (Some("id"), crate::domain::Lang::Id),
        (Some("en"), crate::domain::Lang::En),
    ] {
        let menu = Outbound::Commands {
            chat_id: None,
            language: language.map(str::to_owned),
            commands: commands::menu(&[], lang),
        };
        let payload = serde_json::to_string(&menu)?;
        let key = format!(
            "menu:default:{}:{:016x}",
            language.unwrap_or("-"),
            fnv1a(&payload)
        );
        outbound::enqueue_once(&mut tx, outbound::Lane::Batch, &menu, &key, Utc::now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The chat menu button "📊 Dasbor" for every coordinator who has written to the bot, once per URL: the
/// ones who were coordinators before the dashboard was turned on (later ones get it with their menu).
async fn queue_dashboard_buttons(db: &Db, url: &str) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for c in crate::store::coordinators::list(&mut tx).await? {
        if !users::known(&mut tx, c.user).await? {
            continue;
        }
        let lang = users::language(&mut tx, c.user).await?;
        let button = Outbound::MenuButton {
            chat_id: c.user.0,
            web_app: Some((crate::i18n::t(lang, "dash-button"), url.to_owned())),
        };
        let key = format!("menubutton:{}:{:016x}", c.user.0, fnv1a(url));
        outbound::enqueue_once(&mut tx, outbound::Lane::Notice, &button, &key, Utc::now()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A stable hash (unlike std's, which is seeded per process).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
