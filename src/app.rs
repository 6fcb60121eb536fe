//! Wiring: connect, migrate, bootstrap coordinators, and run the poller, the processor and the sender
//! until SIGINT or SIGTERM; then finish the update in hand and stop.

use crate::config::{BotConfig, Config};
use crate::domain::UserId;
use crate::domain::role::Scope;
use crate::outbound::{self, Outbound};
use crate::store::{Db, audit, coordinators, users};
use crate::telegram::commands;
use crate::telegram::context::BotInfo;
use crate::telegram::imports::ImportWorker;
use crate::telegram::processor::Processor;
use crate::telegram::sender::{Limits, Sender};
use crate::telegram::{handlers, poller};
use anyhow::{Context, bail};
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};
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

/// Grants the coordinator role, records it, and queues the new command menu for that user.
pub async fn grant_coordinator(
    conn: &mut crate::store::Conn,
    user: UserId,
    scope: &Scope,
    by: Option<UserId>,
) -> anyhow::Result<()> {
    let now = Utc::now();
    coordinators::grant(conn, user, scope, by, now).await?;
    let detail = scope.code().map(|c| c.to_string());
    audit::record(
        conn,
        now,
        by,
        "coordinator.grant",
        &format!("user:{user}"),
        detail.as_deref(),
    )
    .await?;
    queue_menu(conn, user).await
}

pub async fn queue_menu(conn: &mut crate::store::Conn, user: UserId) -> anyhow::Result<()> {
    let menu = handlers::menu_for(conn, user).await?;
    outbound::enqueue(conn, &menu, Utc::now()).await?;
    Ok(())
}

/// Runs the bot until SIGINT/SIGTERM.
pub async fn run(config: Config, bot_config: BotConfig) -> anyhow::Result<()> {
    let db = open_db(&config).await?;
    bootstrap_admins(&db, &config.admins).await?;
    let mut bot = Bot::new(bot_config.token.expose());
    if let Some(url) = bot_config.api_url.clone() {
        bot = bot.set_api_url(url);
    }
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing the update in hand");
        let _ = stop.send(true);
    });
    let Some(username) = identify(&bot, shutdown.clone()).await? else {
        return Ok(());
    };
    tracing::info!(bot = %username, backend = ?db.backend(), "asuh is running");
    queue_default_menus(&db).await?;

    let wake_processor = Arc::new(Notify::new());
    let wake_sender = Arc::new(Notify::new());
    let processor = Processor {
        db: db.clone(),
        bot: bot.clone(),
        info: Arc::new(BotInfo {
            username,
            offer_ttl: config.offer_ttl,
            hold: config.hold,
        }),
        wake_sender: wake_sender.clone(),
    };
    let limits = Limits {
        chat_interval: bot_config.chat_interval,
        ..Limits::default()
    };
    let sender = Sender::new(db.clone(), bot.clone(), wake_sender.clone(), limits);
    wake_sender.notify_one();
    let imports = ImportWorker {
        db: db.clone(),
        bot: bot.clone(),
        wake_sender: wake_sender.clone(),
    };
    let tasks = [
        tokio::spawn(poller::run(
            db.clone(),
            bot.clone(),
            wake_processor.clone(),
            shutdown.clone(),
        )),
        tokio::spawn(processor.run(wake_processor, shutdown.clone())),
        tokio::spawn(sender.run(shutdown.clone())),
        tokio::spawn(imports.run(shutdown.clone())),
        tokio::spawn(crate::jobs::expiry::run(
            db.clone(),
            wake_sender.clone(),
            shutdown.clone(),
        )),
    ];
    for task in tasks {
        if let Err(e) = task.await {
            tracing::error!(error = %e, "a task ended abnormally");
        }
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Asks Telegram who the bot is (its @username makes the invite links), retrying while Telegram is
/// unreachable. A rejected token is fatal. `None` when shut down meanwhile.
async fn identify(
    bot: &Bot,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Option<String>> {
    let mut delay = Duration::from_secs(1);
    loop {
        match bot.get_me().await {
            Ok(me) => return Ok(Some(me.username.clone().unwrap_or_default())),
            Err(RequestError::Api(ApiError::InvalidToken)) => {
                bail!("Telegram rejected TELOXIDE_TOKEN (check the token from @BotFather)")
            }
            Err(e) => {
                tracing::warn!(error = %crate::telegram::describe(&e), "cannot reach Telegram yet; retrying in {}s", delay.as_secs())
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = shutdown.changed() => return Ok(None),
        }
        delay = (delay * 2).min(Duration::from_secs(30));
    }
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
        crate::store::outbox::enqueue(&mut tx, 0, &payload, Some(&key), Utc::now(), Utc::now())
            .await?;
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
