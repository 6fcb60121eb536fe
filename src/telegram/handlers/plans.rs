//! The coordinator's delivery plans: packages (`/paket`), cadences (`/jadwal`), the default per
//! regency/city (`/bawaan`, by buttons), and changing one sponsorship's plan from the child's card.

use super::Result;
use crate::callback::Callback;
use crate::domain::delivery::Deliverer;
use crate::domain::package::{self, PackageError};
use crate::domain::role::Scope;
use crate::domain::schedule::{Cadence, CadenceError};
use crate::domain::sponsorship::SponsorshipId;
use crate::domain::{RegionCode, RegionLevel};
use crate::i18n::Arg;
use crate::outbound::{Button, Keyboard};
use crate::services::deliveries as service;
use crate::services::labels;
use crate::services::programme::{self, CadenceSaved};
use crate::store::{plans, regions};
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

fn package_error_key(e: PackageError) -> &'static str {
    match e {
        PackageError::NoName => "package-error-name",
        PackageError::NameTooLong => "package-error-name-long",
        PackageError::NoItems | PackageError::NoQuantity => "package-error-items",
        PackageError::TooManyItems => "package-error-too-many",
    }
}

/// `/paket` lists the packages; `/paket Name: beras 5 kg, telur 30 butir` adds or updates one.
pub async fn packages(ctx: &mut Ctx<'_>, args: &str) -> Result {
    if !args.trim().is_empty() {
        let spec = match package::parse(args) {
            Ok(s) => s,
            Err(e) => {
                ctx.say(package_error_key(e));
                return Ok(());
            }
        };
        let actor = ctx.actor();
        if let Err(d) = programme::save_package(ctx.conn, &actor, &spec, ctx.now).await? {
            ctx.say(refusals::denied(d));
            return Ok(());
        }
        let text = ctx.trf(
            "package-saved",
            &[
                ("name", Arg::Text(&spec.name)),
                ("items", Arg::Text(&package::summary(&spec.items))),
            ],
        );
        ctx.reply(text, Keyboard::None);
        return Ok(());
    }
    let list = plans::packages(ctx.conn).await?;
    let lines: Vec<String> = list
        .iter()
        .map(|p| {
            ctx.trf(
                "package-line",
                &[
                    ("id", Arg::Num(p.id)),
                    ("name", Arg::Text(&p.name)),
                    ("items", Arg::Text(&package::summary(&p.items))),
                ],
            )
        })
        .collect();
    let text = if lines.is_empty() {
        ctx.tr("packages-none")
    } else {
        ctx.trf("packages-list", &[("lines", Arg::Html(&lines.join("\n")))])
    };
    ctx.reply(text, Keyboard::None);
    Ok(())
}

fn cadence_error_key(e: &CadenceError) -> &'static str {
    match e {
        CadenceError::UnknownKind => "cadence-error-kind",
        CadenceError::BadWeekday => "cadence-error-weekday",
        CadenceError::DayOutOfRange => "cadence-error-day",
        CadenceError::BadCron(_) => "cadence-error-cron",
        CadenceError::CronTooFrequent => "cadence-error-frequent",
        CadenceError::CronNeverFires => "cadence-error-never",
    }
}

/// A cadence as the user reads it: its name and its rule in words.
fn cadence_label(ctx: &Ctx<'_>, name: &str, c: &Cadence) -> String {
    labels::cadence_label(ctx.lang(), name, c)
}

/// `/jadwal` lists the cadences; `/jadwal Name: dua mingguan senin` adds one.
pub async fn cadences(ctx: &mut Ctx<'_>, args: &str) -> Result {
    if !args.trim().is_empty() {
        let Some((name, rule)) = args.split_once(':') else {
            ctx.say("cadence-help");
            return Ok(());
        };
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() || name.chars().count() > 60 {
            ctx.say("cadence-help");
            return Ok(());
        }
        let cadence = match Cadence::from_words(rule) {
            Ok(c) => c,
            Err(e) => {
                ctx.say(cadence_error_key(&e));
                return Ok(());
            }
        };
        let label = cadence_label(ctx, &name, &cadence);
        let actor = ctx.actor();
        let settings = ctx.bot.deliveries.clone();
        let saved =
            programme::save_cadence(ctx.conn, &actor, &name, &cadence, &settings, ctx.now).await?;
        let text = match saved {
            Err(d) => ctx.tr(refusals::denied(d)),
            Ok(CadenceSaved::Added | CadenceSaved::Unchanged) => {
                ctx.trf("cadence-saved", &[("cadence", Arg::Html(&label))])
            }
            Ok(CadenceSaved::Changed {
                sponsorships,
                added,
            }) => ctx.trf(
                "cadence-changed",
                &[
                    ("cadence", Arg::Html(&label)),
                    ("sponsorships", Arg::Num(sponsorships as i64)),
                    ("added", Arg::Num(added as i64)),
                ],
            ),
            Ok(CadenceSaved::SameRuleAs(other)) => {
                ctx.trf("cadence-same-rule", &[("other", Arg::Text(&other))])
            }
        };
        ctx.reply(text, Keyboard::None);
        return Ok(());
    }
    let list = plans::cadences(ctx.conn).await?;
    let lines: Vec<String> = list
        .iter()
        .map(|c| {
            format!(
                "• <code>{}</code> {}",
                c.id,
                cadence_label(ctx, &c.name, &c.cadence)
            )
        })
        .collect();
    let text = if lines.is_empty() {
        ctx.tr("cadences-none")
    } else {
        ctx.trf("cadences-list", &[("lines", Arg::Html(&lines.join("\n")))])
    };
    ctx.reply(text, Keyboard::None);
    Ok(())
}

async fn region_label(ctx: &mut Ctx<'_>, region: Option<&RegionCode>) -> Result<String> {
    Ok(match region {
        None => ctx.tr("plan-programme"),
        Some(code) => regions::name_or_code(ctx.conn, code).await?,
    })
}

/// `/bawaan`: the defaults now, and a button per region the coordinator may set one for.
pub async fn defaults(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let mut lines = Vec::new();
    for (code, plan) in plans::defaults(ctx.conn).await? {
        let region = RegionCode::parse(&code).ok();
        if let Some(r) = &region
            && !scope.covers(r)
            && !r.contains(scope.code().unwrap_or(r))
        {
            continue;
        }
        let label = region_label(ctx, region.as_ref()).await?;
        let cadence = cadence_label(ctx, &plan.cadence.name, &plan.cadence.cadence);
        let deliverer = ctx.tr(&format!("deliverer-{}", plan.deliverer.as_str()));
        lines.push(ctx.trf(
            "plan-default-line",
            &[
                ("region", Arg::Text(&label)),
                ("package", Arg::Text(&plan.package.name)),
                ("cadence", Arg::Html(&cadence)),
                ("deliverer", Arg::Text(&deliverer)),
            ],
        ));
    }
    if plans::packages(ctx.conn).await?.is_empty() || plans::cadences(ctx.conn).await?.is_empty() {
        let text = ctx.trf("plan-defaults", &[("lines", Arg::Html(&lines.join("\n")))])
            + "\n\n"
            + &ctx.tr("plan-needs-package-and-cadence");
        ctx.reply(text, Keyboard::None);
        return Ok(());
    }
    let mut buttons = Vec::new();
    if programme::may_set_default(&ctx.actor(), None).is_ok() {
        buttons.push(Button::new(
            ctx.tr("plan-programme"),
            Callback::PlanDefault {
                region: None,
                package: None,
                cadence: None,
                deliverer: None,
            }
            .encode(),
        ));
    }
    // A default per regency/city or per district (kecamatan), within the coordinator's scope.
    let mut rows: Vec<Vec<Button>> = buttons.into_iter().map(|b| vec![b]).collect();
    let mut choices = Vec::new();
    for level in [RegionLevel::Regency, RegionLevel::District] {
        let (list, _) = regions::of_level(ctx.conn, level, scope.code(), 0, 40).await?;
        choices.extend(list.into_iter().filter(|r| scope.covers(&r.code)));
    }
    for pair in choices.chunks(2) {
        rows.push(
            pair.iter()
                .map(|r| {
                    Button::new(
                        r.name.clone(),
                        Callback::PlanDefault {
                            region: Some(r.code.clone()),
                            package: None,
                            cadence: None,
                            deliverer: None,
                        }
                        .encode(),
                    )
                })
                .collect(),
        );
    }
    let text = ctx.trf("plan-defaults", &[("lines", Arg::Html(&lines.join("\n")))])
        + "\n\n"
        + &ctx.tr("plan-choose-region");
    ctx.reply(text, Keyboard::inline(rows));
    Ok(())
}

/// A button per package, pressing it sends `data(package id)`.
async fn package_buttons(ctx: &mut Ctx<'_>, data: impl Fn(i64) -> String) -> Result<Vec<Button>> {
    Ok(plans::packages(ctx.conn)
        .await?
        .into_iter()
        .map(|p| Button::new(p.name, data(p.id)))
        .collect())
}

/// A button per cadence, pressing it sends `data(cadence id)`.
async fn cadence_buttons(ctx: &mut Ctx<'_>, data: impl Fn(i64) -> String) -> Result<Vec<Button>> {
    Ok(plans::cadences(ctx.conn)
        .await?
        .into_iter()
        .map(|c| Button::new(c.name, data(c.id)))
        .collect())
}

/// One step of `/bawaan`'s buttons: package, then cadence, then who delivers, then saved.
pub async fn default_step(
    ctx: &mut Ctx<'_>,
    region: Option<RegionCode>,
    package: Option<i64>,
    cadence: Option<i64>,
    deliverer: Option<Deliverer>,
    message_id: Option<i64>,
) -> Result {
    if let Err(d) = programme::may_set_default(&ctx.actor(), region.as_ref()) {
        ctx.notice(refusals::denied(d));
        return Ok(());
    }
    let label = region_label(ctx, region.as_ref()).await?;
    let step = |package, cadence, deliverer| {
        Callback::PlanDefault {
            region: region.clone(),
            package,
            cadence,
            deliverer,
        }
        .encode()
    };
    let (Some(package), Some(cadence), Some(deliverer)) = (package, cadence, deliverer) else {
        let (key, buttons) = if package.is_none() {
            let b = package_buttons(ctx, |p| step(Some(p), None, None)).await?;
            ("plan-choose-package", b)
        } else if cadence.is_none() {
            let b = cadence_buttons(ctx, |c| step(package, Some(c), None)).await?;
            ("plan-choose-cadence", b)
        } else {
            let b = [Deliverer::Sponsor, Deliverer::Volunteer]
                .into_iter()
                .map(|d| {
                    Button::new(
                        ctx.tr(&format!("deliverer-{}", d.as_str())),
                        step(package, cadence, Some(d)),
                    )
                })
                .collect();
            ("plan-choose-deliverer", b)
        };
        let text = ctx.trf(key, &[("region", Arg::Text(&label))]);
        ctx.show(message_id, text, Keyboard::column(buttons));
        return Ok(());
    };
    let actor = ctx.actor();
    let plan = match programme::set_default_plan(
        ctx.conn,
        &actor,
        region.as_ref(),
        package,
        cadence,
        deliverer,
        ctx.now,
    )
    .await?
    {
        Ok(plan) => plan,
        Err(r) => {
            ctx.notice(refusals::default_plan(r));
            return Ok(());
        }
    };
    let cadence_text = cadence_label(ctx, &plan.cadence.name, &plan.cadence.cadence);
    let deliverer_text = ctx.tr(&format!("deliverer-{}", deliverer.as_str()));
    let text = ctx.trf(
        "plan-default-saved",
        &[
            ("region", Arg::Text(&label)),
            ("package", Arg::Text(&plan.package.name)),
            ("cadence", Arg::Html(&cadence_text)),
            ("deliverer", Arg::Text(&deliverer_text)),
        ],
    );
    // Sponsorships from before any default (an older programme) wait for a plan: offer to give them one.
    let waiting = programme::without_plan(ctx.conn, &actor, region.as_ref())
        .await?
        .unwrap_or(0);
    if waiting == 0 {
        ctx.show(message_id, text, Keyboard::None);
    } else {
        let count = Arg::Num(i64::try_from(waiting).unwrap_or(i64::MAX));
        let text = format!(
            "{text}\n\n{}",
            ctx.trf("plan-default-without", &[("count", count)])
        );
        let button = Button::new(
            ctx.trf("plan-default-apply", &[("count", count)]),
            Callback::ApplyDefault { region }.encode(),
        );
        ctx.show(message_id, text, Keyboard::inline(vec![vec![button]]));
    }
    ctx.notice("done");
    Ok(())
}

/// "Apply to the sponsorships without a plan": each gets its area's default, its deliveries planned.
pub async fn apply_default(
    ctx: &mut Ctx<'_>,
    region: Option<RegionCode>,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let settings = ctx.bot.deliveries.clone();
    match programme::apply_default(ctx.conn, &actor, region.as_ref(), &settings, ctx.now).await? {
        Ok(n) => {
            let text = ctx.trf(
                "plan-default-applied",
                &[("count", Arg::Num(i64::try_from(n).unwrap_or(i64::MAX)))],
            );
            ctx.show(message_id, text, Keyboard::None);
            ctx.notice("done");
        }
        Err(d) => ctx.notice(refusals::denied(d)),
    }
    Ok(())
}

/// One step of changing a sponsorship's plan (from the child's card): package, cadence, then applied:
/// deliveries that no longer fit are cancelled, the new ones planned, and the sponsor told.
pub async fn sponsorship_step(
    ctx: &mut Ctx<'_>,
    id: SponsorshipId,
    package: Option<i64>,
    cadence: Option<i64>,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let (Some(package), Some(cadence)) = (package, cadence) else {
        let child = match service::plan_subject(ctx.conn, &actor, id).await? {
            Ok(c) => c,
            Err(r) => {
                ctx.notice(refusals::plan(r));
                return Ok(());
            }
        };
        let step = |package, cadence| {
            Callback::SponsorshipPlan {
                sponsorship: id,
                package,
                cadence,
            }
            .encode()
        };
        let (key, buttons) = if package.is_none() {
            let b = package_buttons(ctx, |p| step(Some(p), None)).await?;
            ("plan-choose-package", b)
        } else {
            let b = cadence_buttons(ctx, |c| step(package, Some(c))).await?;
            ("plan-choose-cadence", b)
        };
        let text = ctx.trf(key, &[("region", Arg::Text(&child.full_name))]);
        ctx.show(message_id, text, Keyboard::column(buttons));
        return Ok(());
    };
    let settings = ctx.bot.deliveries.clone();
    let changed =
        match service::change_plan(ctx.conn, &actor, id, package, cadence, &settings, ctx.now)
            .await?
        {
            Ok(c) => c,
            Err(r) => {
                ctx.notice(refusals::plan(r));
                return Ok(());
            }
        };
    let cadence_text = cadence_label(
        ctx,
        &changed.plan.cadence.name,
        &changed.plan.cadence.cadence,
    );
    let text = ctx.trf(
        "plan-changed",
        &[
            ("child", Arg::Text(&changed.child.full_name)),
            ("package", Arg::Text(&changed.plan.package.name)),
            ("cadence", Arg::Html(&cadence_text)),
            ("added", Arg::Num(changed.added as i64)),
        ],
    );
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    Ok(())
}
