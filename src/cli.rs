//! The command line: `asuh [run]`, `asuh worker`, `asuh tick [--at]`, `asuh migrate`, `asuh admin …`,
//! `asuh import …`, `asuh growth rescore`, `asuh report …`, `asuh doctor`.

use crate::app;
use crate::config::{BotConfig, Config};
use crate::domain::policy::Actor;
use crate::domain::report::Period;
use crate::domain::role::{Role, Scope};
use crate::domain::{RegionCode, UserId};
use crate::services::{growth, imports, people};
use crate::store::{audit, coordinators};
use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "asuh",
    version,
    about = "Telegram bot for the bapak/bunda asuh anak stunting programme"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run the bot: receive updates, handle them, send messages (the default).
    Run,
    /// Run the scheduler and the sender without receiving updates (beside a bot that runs `run`).
    Worker,
    /// Run one scheduler pass and send what is due, then exit (for cron jobs, tests, replaying a day).
    Tick {
        /// Run the pass as of this moment (RFC 3339, e.g. 2026-12-01T07:00:00+08:00) instead of now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Receiving by webhook: register it with Telegram, remove it (back to long polling), or show it.
    Webhook {
        #[command(subcommand)]
        action: WebhookCmd,
    },
    /// Manage coordinators by Telegram user id.
    Admin {
        #[command(subcommand)]
        action: AdminCmd,
    },
    /// Set up regions from the official list built into asuh (Kemendagri codes and names, ODbL).
    Regions {
        #[command(subcommand)]
        action: RegionsCmd,
    },
    /// Import a CSV or XLSX file on the server (the same checks as a file sent to the bot).
    Import {
        #[command(subcommand)]
        what: ImportCmd,
    },
    /// Growth monitoring's maintenance.
    Growth {
        #[command(subcommand)]
        action: GrowthCmd,
    },
    /// Write a report (an XLSX workbook and a CSV per table) of a period and region into a directory, and
    /// print the per-office table and the files' paths.
    Report {
        /// The first day, e.g. 2026-10-01 (with --to).
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// The last day, inclusive, e.g. 2026-10-31 (with --from).
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// A month (2026-10) or a range (2026-10-01..2026-10-31) instead of --from and --to.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        period: Option<String>,
        /// Kemendagri code of the region (default: the whole programme), e.g. 74.71 or 74.71.01.
        #[arg(long)]
        region: Option<String>,
        /// The language of headers and labels: id or en.
        #[arg(long, default_value = "id")]
        lang: String,
        /// The directory to write the files into (created if missing).
        #[arg(long, default_value = ".")]
        out: std::path::PathBuf,
    },
    /// Check the programme's invariants (children without a working sponsorship, deliveries without a
    /// deliverer, offers past their expiry, old cases …) and print what needs attention; exit code 2 when
    /// something does.
    Doctor {
        /// Kemendagri code of the region to check (default: the whole programme).
        #[arg(long)]
        region: Option<String>,
        /// The language of the lines: id or en.
        #[arg(long, default_value = "id")]
        lang: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCmd {
    /// Register ASUH_WEBHOOK_URL with ASUH_WEBHOOK_SECRET (again after changing the secret).
    Set,
    /// Remove the webhook; the updates Telegram holds come by long polling once `asuh run` polls again.
    Delete,
    /// What Telegram says about the webhook: its URL, pending updates, the last delivery error.
    Info,
}

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// A list of children (columns in README.md, sample in samples/children.csv).
    Children { file: std::path::PathBuf },
    /// Regions: Kemendagri code, name, optional zone (sample in samples/regions-kendari.csv).
    Regions { file: std::path::PathBuf },
    /// Measurements of children already in asuh (columns in README.md: child, date, length/height,
    /// position, weight, MUAC), through the same checks as the chat.
    Measurements { file: std::path::PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum GrowthCmd {
    /// Recompute every stored measurement's WHO z-scores with the current rules (in batches, safe while
    /// the bot runs), keep each child's latest height-for-age, and print how many changed.
    Rescore {
        /// Measurements per transaction.
        #[arg(long, default_value_t = 500)]
        batch: i64,
        /// Count what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RegionsCmd {
    /// A province, regency/city or kecamatan with everything above and inside it, e.g. 74.05 (Konawe
    /// Selatan with its 25 kecamatan and their desa). Several codes may be given; `all` sets up every
    /// province of Indonesia.
    Add {
        #[arg(required = true)]
        codes: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCmd {
    /// Make a user a coordinator (of everything, or of one region with --scope).
    Grant {
        user_id: i64,
        /// Kemendagri code of the regency/city or district this coordinator oversees, e.g. 74.71.
        #[arg(long)]
        scope: Option<String>,
    },
    /// Take the coordinator role away.
    Revoke { user_id: i64 },
    /// List coordinators.
    List,
}

async fn webhook(action: WebhookCmd) -> anyhow::Result<()> {
    use crate::telegram::{self, webhook};
    let bot_config = BotConfig::from_env()?;
    let bot = telegram::api(&bot_config);
    match action {
        WebhookCmd::Set => {
            let hook = bot_config.webhook.as_ref().ok_or_else(|| {
                anyhow::anyhow!(
                    "set ASUH_WEBHOOK_URL and ASUH_WEBHOOK_SECRET to register a webhook"
                )
            })?;
            webhook::register(&bot, hook).await?;
            println!("webhook set: {}", hook.url);
        }
        WebhookCmd::Delete => {
            webhook::delete(&bot).await?;
            println!(
                "webhook deleted: start `asuh run` without ASUH_WEBHOOK_URL to receive by long polling"
            );
        }
        WebhookCmd::Info => {
            for line in webhook::info(&bot).await? {
                println!("{line}");
            }
        }
    }
    Ok(())
}

pub async fn execute(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Cmd::Run) {
        Cmd::Run => {
            let bot = BotConfig::from_env()?;
            app::run(config, bot).await
        }
        Cmd::Worker => {
            let bot = BotConfig::from_env()?;
            app::worker(config, bot).await
        }
        Cmd::Tick { at } => {
            let at = match at {
                None => Utc::now(),
                Some(s) => chrono::DateTime::parse_from_rfc3339(&s)
                    .with_context(|| {
                        format!("--at {s}: not an RFC 3339 time like 2026-12-01T07:00:00+08:00")
                    })?
                    .with_timezone(&Utc),
            };
            let bot = BotConfig::from_env()?;
            let (pass, sent) = app::tick(config, bot, at).await?;
            println!(
                "tick at {}: {} offers expired, {} deliveries planned, {} moved along the calendar, {} reminded, {} digests, {} monthly notes, {} coordinators asked about unreachable sponsors, {} handled updates forgotten, {} messages sent",
                at.to_rfc3339(),
                pass.expired,
                pass.planned,
                pass.calendar,
                pass.reminded,
                pass.digests,
                pass.notes,
                pass.asked,
                pass.forgotten,
                sent
            );
            Ok(())
        }
        Cmd::Migrate => {
            let db = app::open_db(&config).await?;
            db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Cmd::Webhook { action } => webhook(action).await,
        Cmd::Admin { action } => admin(&config, action).await,
        Cmd::Regions {
            action: RegionsCmd::Add { codes },
        } => regions_add(&config, &codes).await,
        Cmd::Doctor { region, lang } => doctor(&config, region.as_deref(), &lang).await,
        Cmd::Import { what } => import(&config, what).await,
        Cmd::Growth {
            action: GrowthCmd::Rescore { batch, dry_run },
        } => rescore(&config, batch, dry_run).await,
        Cmd::Report {
            from,
            to,
            period,
            region,
            lang,
            out,
        } => {
            let period = match (period, from, to) {
                (Some(p), _, _) => p,
                (None, Some(from), Some(to)) => format!("{from}..{to}"),
                _ => anyhow::bail!(
                    "give --period 2026-10 (or 2026-10-01..2026-10-31), or --from 2026-10-01 --to 2026-10-31"
                ),
            };
            report(&config, &period, region.as_deref(), &lang, &out).await
        }
    }
}

async fn import(config: &Config, what: ImportCmd) -> anyhow::Result<()> {
    let path = match &what {
        ImportCmd::Children { file }
        | ImportCmd::Regions { file }
        | ImportCmd::Measurements { file } => file,
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let db = app::open_db(config).await?;
    let lang = crate::domain::Lang::En;
    let now = Utc::now();
    let operator = Actor::operator();
    let report = match what {
        ImportCmd::Regions { .. } => {
            imports::import_regions(&db, &bytes, &name, &operator, lang, now).await?
        }
        ImportCmd::Children { .. } => {
            imports::import_children(&db, &bytes, &name, &operator, lang, now).await?
        }
        ImportCmd::Measurements { .. } => {
            imports::import_measurements(&db, &bytes, &name, &operator, lang, now).await?
        }
    };
    db.close().await;
    println!("{}", plain(&imports::render_all(lang, &name, &report)));
    if report.refused.is_some() {
        anyhow::bail!("the file was refused");
    }
    if let Some(rejected) = &report.rejected_rows {
        let out = path.with_file_name(format!(
            "{}-rejected.csv",
            path.file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
        ));
        std::fs::write(&out, rejected)
            .with_context(|| format!("cannot write {}", out.display()))?;
        println!(
            "rejected rows, with the reason, to correct and import again: {}",
            out.display()
        );
    }
    Ok(())
}

/// `asuh growth rescore`: every stored measurement's z-scores with the current rules; what changed.
async fn rescore(config: &Config, batch: i64, dry_run: bool) -> anyhow::Result<()> {
    if batch < 1 {
        anyhow::bail!("--batch {batch}: give a number of measurements, 1 or more");
    }
    let db = app::open_db(config).await?;
    let done = growth::rescore(&db, batch, dry_run, Utc::now()).await?;
    db.close().await;
    let lang = crate::domain::Lang::En;
    let by_indicator = growth::INDICATORS
        .iter()
        .zip(done.changed_by_indicator)
        .map(|(&i, n)| format!("{} {n}", growth::indicator_name(lang, i)))
        .collect::<Vec<_>>()
        .join(", ");
    let verb = if dry_run { "would change" } else { "changed" };
    println!(
        "{} measurements rescored with WHO's current rules{}: {} {verb} ({by_indicator}); {} children's latest height-for-age {verb}",
        done.measurements,
        if dry_run {
            " (dry run, nothing written)"
        } else {
            ""
        },
        done.changed,
        done.children,
    );
    if done.skipped > 0 {
        println!(
            "{} measurements were corrected while this ran and keep the z-scores recorded with them",
            done.skipped
        );
    }
    for (child, on, indicators) in &done.flagged {
        let names = indicators
            .iter()
            .map(|&i| growth::indicator_name(lang, i))
            .collect::<Vec<_>>()
            .join(", ");
        println!("flagged by WHO\tchild {child}\t{on}\t{names}: measure again");
    }
    for (child, on, why) in &done.unscorable {
        println!("not scored\tchild {child}\t{on}\t{why}");
    }
    Ok(())
}

/// `asuh report`: the same build and files as `/laporan`, written into `out`.
async fn report(
    config: &Config,
    period: &str,
    region: Option<&str>,
    lang: &str,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let period = Period::parse(period).with_context(|| format!("period {period}"))?;
    let lang = crate::domain::Lang::parse(lang).context("--lang: id or en")?;
    let region = region
        .map(|r| RegionCode::parse(r).with_context(|| format!("--region {r}")))
        .transpose()?;
    let db = app::open_db(config).await?;
    if let Some(code) = &region {
        let mut conn = db.conn().await?;
        if crate::store::regions::get(&mut conn, code).await?.is_none() {
            anyhow::bail!("--region {code}: no such region (see /wilayah, or asuh import regions)");
        }
    }
    let media = crate::media::MediaStore::from_setting(&config.media)?;
    let scope = Scope::from_code(region);
    let report = crate::services::reports::build(
        &db,
        &scope,
        period,
        config.deliveries.default_zone,
        Utc::now(),
        config.deliveries.missed_after(),
    )
    .await?;
    {
        let mut conn = db.conn().await?;
        let detail = format!(
            "{} {}..{}",
            scope.code().map_or("-", |c| c.as_str()),
            period.from(),
            period.to()
        );
        audit::record(
            &mut conn,
            Utc::now(),
            None,
            "report.export",
            "report:cli",
            Some(&detail),
        )
        .await?;
    }
    db.close().await;
    let files = crate::report_files::write_all(&report, lang, Some(&media))?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    println!(
        "{}",
        plain(&crate::services::reports::summary(lang, &report))
    );
    for file in files {
        let path = out.join(&file.name);
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(())
}

/// Telegram HTML as terminal text.
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

async fn admin(config: &Config, action: AdminCmd) -> anyhow::Result<()> {
    let db = app::open_db(config).await?;
    let user =
        |id: i64| UserId::parse(&id.to_string()).context("a Telegram user id is a positive number");
    match action {
        AdminCmd::Grant { user_id, scope } => {
            let user = user(user_id)?;
            let scope = match scope {
                None => Scope::All,
                Some(s) => {
                    Scope::Region(RegionCode::parse(&s).with_context(|| format!("--scope {s}"))?)
                }
            };
            let mut tx = db.begin().await?;
            app::grant_coordinator(&mut tx, user, &scope, None).await?;
            tx.commit().await?;
            println!(
                "{user} is now a coordinator of {}",
                scope.code().map_or("everything".into(), |c| c.to_string())
            );
        }
        AdminCmd::Revoke { user_id } => {
            let user = user(user_id)?;
            let mut tx = db.begin().await?;
            let removed =
                people::apply_revocation(&mut tx, user, Role::Coordinator, None, Utc::now())
                    .await?;
            if removed {
                app::queue_menu(&mut tx, user).await?;
            }
            tx.commit().await?;
            println!(
                "{}",
                if removed {
                    format!("{user} is no longer a coordinator")
                } else {
                    format!("{user} was not a coordinator")
                }
            );
        }
        AdminCmd::List => {
            let mut conn = db.conn().await?;
            let list = coordinators::list(&mut conn).await?;
            if list.is_empty() {
                println!("no coordinators");
            }
            for c in list {
                let scope = c
                    .scope
                    .code()
                    .map_or("everything".into(), |c| c.to_string());
                println!(
                    "{}\t{}\t{}",
                    c.user,
                    c.first_name.unwrap_or_else(|| "-".into()),
                    scope
                );
            }
        }
    }
    db.close().await;
    Ok(())
}

/// `asuh doctor`: what needs attention, one line each; exit code 2 when anything does.
async fn doctor(config: &Config, region: Option<&str>, lang: &str) -> anyhow::Result<()> {
    let lang = crate::domain::Lang::parse(lang).context("--lang: id or en")?;
    let region = region
        .map(|r| RegionCode::parse(r).with_context(|| format!("--region {r}")))
        .transpose()?;
    let db = app::open_db(config).await?;
    let mut conn = db.conn().await?;
    let findings = crate::services::doctor::findings(
        &mut conn,
        &Scope::from_code(region),
        config.digest.case_days,
        Utc::now(),
    )
    .await?;
    drop(conn);
    db.close().await;
    if findings.is_empty() {
        println!("{}", plain(&crate::i18n::t(lang, "doctor-all-well")));
        return Ok(());
    }
    for f in &findings {
        println!(
            "{}\t{}",
            f.check.code(),
            plain(&crate::services::doctor::line(lang, f))
        );
    }
    println!("{} findings", findings.len());
    std::process::exit(2);
}

/// `asuh regions add CODE...`: official regions with everything above and inside them, in one transaction
/// (`all`: every province).
async fn regions_add(config: &Config, codes: &[String]) -> anyhow::Result<()> {
    let catalog = crate::domain::catalog::Catalog::load()?;
    let codes: Vec<RegionCode> = if codes.iter().any(|c| c.eq_ignore_ascii_case("all")) {
        catalog
            .level(crate::domain::RegionLevel::Province)
            .iter()
            .map(|e| e.code.clone())
            .collect()
    } else {
        codes
            .iter()
            .map(|c| RegionCode::parse(c).with_context(|| format!("{c}: not a Kemendagri code")))
            .collect::<anyhow::Result<_>>()?
    };
    let db = app::open_db(config).await?;
    let mut tx = db.begin().await?;
    let mut lines = Vec::with_capacity(codes.len());
    for code in &codes {
        let set_up = crate::services::programme::add_from_catalog(
            &mut tx,
            &Actor::operator(),
            &catalog,
            code,
            Utc::now(),
        )
        .await?;
        match set_up {
            Ok(s) => lines.push(format!(
                "{code} {}: {} regions added ({} kecamatan, {} desa/kelurahan in the official list)",
                s.name, s.added, s.districts, s.villages
            )),
            Err(_) => anyhow::bail!("{code}: no such region in the official list"),
        }
    }
    tx.commit().await?;
    for line in lines {
        println!("{line}");
    }
    db.close().await;
    Ok(())
}
