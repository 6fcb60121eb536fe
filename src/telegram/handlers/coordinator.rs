//! Coordinator commands: decide registrations, list people, manage regions and offices, invite
//! volunteers, revoke roles. A coordinator scoped to a region sees and acts on that region only.

use super::Result;
use super::common::{more_line, sponsor_status_key};
use crate::callback::Callback;
use crate::domain::catalog::Catalog;
use crate::domain::invite::InviteTerms;
use crate::domain::region::{RegionName, has_hidden_chars, parse_zone};
use crate::domain::role::{Role, Scope, SponsorStatus};
use crate::domain::{RegionCode, RegionLevel, UserId};
use crate::i18n::{Arg, escape};
use crate::outbound::{Button, Keyboard};
use crate::services::labels::area_label;
use crate::services::people::{self, DecideRefusal};
use crate::services::programme;
use crate::store::{coordinators, offices, regions, sponsors, volunteers};
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

/// How many entries a list message shows; the rest is counted ("and 12 more"), keeping one message well
/// under Telegram's 4096 characters.
const LIST_LIMIT: i64 = 40;
const PENDING_LIMIT: i64 = 10;

pub async fn pending(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let (text, keyboard) = pending_list(ctx, scope).await?;
    ctx.reply(text, keyboard);
    Ok(())
}

/// The registrations waiting in `scope`, with Approve/Reject buttons that keep the list.
async fn pending_list(ctx: &mut Ctx<'_>, scope: &Scope) -> Result<(String, Keyboard)> {
    let (list, total) =
        sponsors::list(ctx.conn, scope, SponsorStatus::Pending, PENDING_LIMIT).await?;
    if list.is_empty() {
        return Ok((ctx.tr("pending-none"), Keyboard::None));
    }
    let mut lines = vec![ctx.trf("pending-header", &[("count", Arg::Num(total))])];
    let mut rows = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let office = s
            .office_name
            .clone()
            .unwrap_or_else(|| ctx.tr("community-member"));
        let area = area_label(
            &s.kecamatan_name,
            &s.village_name,
            &s.registration.area.kecamatan,
        );
        lines.push(ctx.trf(
            "pending-line",
            &[
                ("n", Arg::Num(i as i64 + 1)),
                ("name", Arg::Text(s.registration.name.as_str())),
                ("office", Arg::Text(&office)),
                ("area", Arg::Text(&area)),
                (
                    "capacity",
                    Arg::Num(i64::from(s.registration.capacity.get())),
                ),
            ],
        ));
        let label = format!("{}. {}", i + 1, s.registration.name.as_str());
        let decide = |approve| {
            Callback::Decide {
                sponsor: s.user,
                approve,
                listed: true,
            }
            .encode()
        };
        rows.push(vec![
            Button::new(format!("✅ {label}"), decide(true)),
            Button::new(format!("✖ {label}"), decide(false)),
        ]);
    }
    lines.extend(more_line(ctx, list.len(), total));
    Ok((lines.join("\n"), Keyboard::inline(rows)))
}

/// Approve or Reject pressed on a registration. Exactly one decision counts; later presses are told who
/// decided.
pub async fn decide(
    ctx: &mut Ctx<'_>,
    sponsor_id: UserId,
    approve: bool,
    listed: bool,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let sponsor = match people::decide(ctx.conn, &actor, sponsor_id, approve, ctx.now).await? {
        Ok(s) => s,
        Err(DecideRefusal::Denied(d)) => {
            ctx.notice(refusals::denied(d));
            return Ok(());
        }
        Err(DecideRefusal::Unknown) => {
            ctx.notice("error-stale-button");
            return Ok(());
        }
        Err(DecideRefusal::AlreadyDecided { status, by }) => {
            let status = ctx.tr(sponsor_status_key(status));
            ctx.answer = Some(ctx.trf(
                "decision-already",
                &[("status", Arg::Text(&status)), ("by", Arg::Text(&by))],
            ));
            return Ok(());
        }
    };
    let key = if approve {
        "decision-approved"
    } else {
        "decision-rejected"
    };
    let by = ctx.me.first_name.clone();
    let text = ctx.trf(
        key,
        &[
            ("name", Arg::Text(sponsor.registration.name.as_str())),
            ("by", Arg::Text(&by)),
        ],
    );
    // Pressed in the list: the decision on top, the registrations still waiting below with their buttons.
    let (text, keyboard) = match (listed, actor.roles.coordinator.as_ref()) {
        (true, Some(scope)) => {
            let (rest, keyboard) = pending_list(ctx, scope).await?;
            (format!("{text}\n\n{rest}"), keyboard)
        }
        _ => (text, Keyboard::None),
    };
    ctx.show(message_id, text, keyboard);
    ctx.notice("done");
    if approve {
        ctx.refresh_menu(sponsor_id);
    }
    Ok(())
}

pub async fn sponsors(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let (list, total) =
        sponsors::list(ctx.conn, scope, SponsorStatus::Approved, LIST_LIMIT).await?;
    if list.is_empty() {
        ctx.say("sponsors-none");
        return Ok(());
    }
    let mut lines = vec![ctx.trf("sponsors-header", &[("count", Arg::Num(total))])];
    for s in &list {
        let office = s
            .office_name
            .clone()
            .unwrap_or_else(|| ctx.tr("community-member"));
        let area = area_label(
            &s.kecamatan_name,
            &s.village_name,
            &s.registration.area.kecamatan,
        );
        lines.push(ctx.trf(
            "sponsor-line",
            &[
                ("id", Arg::Num(s.user.0)),
                ("name", Arg::Text(s.registration.name.as_str())),
                ("office", Arg::Text(&office)),
                ("area", Arg::Text(&area)),
                (
                    "capacity",
                    Arg::Num(i64::from(s.registration.capacity.get())),
                ),
            ],
        ));
    }
    lines.extend(more_line(ctx, list.len(), total));
    ctx.reply(lines.join("\n"), Keyboard::None);
    Ok(())
}

pub async fn volunteers(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let (list, total) = volunteers::list(ctx.conn, scope, LIST_LIMIT).await?;
    if list.is_empty() {
        ctx.say("volunteers-none");
        return Ok(());
    }
    let mut lines = vec![ctx.trf("volunteers-header", &[("count", Arg::Num(total))])];
    for v in &list {
        let area = v
            .region_name
            .clone()
            .unwrap_or_else(|| v.region.to_string());
        lines.push(ctx.trf(
            "volunteer-line",
            &[
                ("id", Arg::Num(v.user.0)),
                ("name", Arg::Text(&v.first_name)),
                ("area", Arg::Text(&area)),
            ],
        ));
    }
    lines.extend(more_line(ctx, list.len(), total));
    ctx.reply(lines.join("\n"), Keyboard::None);
    Ok(())
}

pub async fn coordinators(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let list: Vec<_> = coordinators::list(ctx.conn)
        .await?
        .into_iter()
        .filter(|c| scope.encloses(&c.scope))
        .collect();
    let mut lines = vec![ctx.trf(
        "coordinators-header",
        &[("count", Arg::Num(list.len() as i64))],
    )];
    for c in &list {
        let area = match &c.scope {
            Scope::All => ctx.tr("scope-all"),
            Scope::Region(code) => regions::name_or_code(ctx.conn, code).await?,
        };
        let name = c.first_name.clone().unwrap_or_else(|| "—".into());
        lines.push(ctx.trf(
            "coordinator-line",
            &[
                ("id", Arg::Num(c.user.0)),
                ("name", Arg::Text(&name)),
                ("area", Arg::Text(&area)),
            ],
        ));
    }
    ctx.reply(lines.join("\n"), Keyboard::None);
    Ok(())
}

pub async fn regions(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let (list, total) = regions::in_scope(ctx.conn, scope, LIST_LIMIT * 2).await?;
    if list.is_empty() {
        ctx.say("regions-none");
        return Ok(());
    }
    let mut lines = vec![ctx.trf("regions-header", &[("count", Arg::Num(total))])];
    for r in &list {
        let indent = match r.level {
            RegionLevel::Province => "",
            RegionLevel::Regency => "  ",
            RegionLevel::District => "    ",
            RegionLevel::Village => "      ",
        };
        let zone = r
            .timezone
            .as_deref()
            .and_then(parse_zone)
            .map(crate::domain::region::zone_label);
        let zone = zone.map(|z| format!(" ({z})")).unwrap_or_default();
        lines.push(format!(
            "{indent}<code>{}</code> {}{zone}",
            r.code,
            escape(&r.name)
        ));
    }
    lines.extend(more_line(ctx, list.len(), total));
    ctx.reply(lines.join("\n"), Keyboard::None);
    Ok(())
}

/// `/wilayah_tambah 74.71.01 Kendari Barat [WITA]`
pub async fn region_add(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let mut words: Vec<&str> = args.split_whitespace().collect();
    let zone = words
        .last()
        .filter(|_| words.len() > 2)
        .and_then(|w| parse_zone(w));
    if zone.is_some() {
        words.pop();
    }
    let code = words.first().and_then(|c| RegionCode::parse(c).ok());
    if let (Some(code), 1) = (&code, words.len()) {
        return region_from_catalog(ctx, code).await;
    }
    let typed = words.iter().skip(1).copied().collect::<Vec<_>>().join(" ");
    if has_hidden_chars(&typed) {
        ctx.say("name-hidden-chars");
        return Ok(());
    }
    let name = RegionName::parse(&typed);
    let (Some(code), Some(name)) = (code, name) else {
        ctx.say("region-add-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    let created =
        match programme::save_region(ctx.conn, &actor, &code, &name, zone, ctx.now).await? {
            Ok(created) => created,
            Err(d) => {
                ctx.say(refusals::denied(d));
                return Ok(());
            }
        };
    let key = if created {
        "region-added"
    } else {
        "region-updated"
    };
    let text = ctx.trf(
        key,
        &[
            ("code", Arg::Text(code.as_str())),
            ("name", Arg::Text(name.as_str())),
        ],
    );
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// `/wilayah_tambah 74.05`: an official region with everything above and inside it, from the built-in list.
async fn region_from_catalog(ctx: &mut Ctx<'_>, code: &RegionCode) -> Result {
    let catalog = match Catalog::load() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "the built-in region list");
            ctx.say("error-internal");
            return Ok(());
        }
    };
    let actor = ctx.actor();
    let text = match programme::add_from_catalog(ctx.conn, &actor, &catalog, code, ctx.now).await? {
        Ok(s) => ctx.trf(
            "region-catalog-added",
            &[
                ("code", Arg::Text(code.as_str())),
                ("name", Arg::Text(&s.name)),
                (
                    "added",
                    Arg::Num(i64::try_from(s.added).unwrap_or(i64::MAX)),
                ),
                (
                    "districts",
                    Arg::Num(i64::try_from(s.districts).unwrap_or(i64::MAX)),
                ),
                (
                    "villages",
                    Arg::Num(i64::try_from(s.villages).unwrap_or(i64::MAX)),
                ),
            ],
        ),
        Err(programme::CatalogRefusal::Denied(d)) => ctx.tr(refusals::denied(d)),
        Err(programme::CatalogRefusal::Unknown) => ctx.trf(
            "region-catalog-unknown",
            &[("code", Arg::Text(code.as_str()))],
        ),
    };
    ctx.reply(text, Keyboard::None);
    Ok(())
}

pub async fn region_remove(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let Ok(code) = RegionCode::parse(args) else {
        ctx.say("region-remove-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    let key = match programme::remove_region(ctx.conn, &actor, &code, ctx.now).await? {
        Ok(()) => "region-removed",
        Err(r) => refusals::remove_region(r),
    };
    let text = ctx.trf(key, &[("code", Arg::Text(code.as_str()))]);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

pub async fn offices(ctx: &mut Ctx<'_>) -> Result {
    let list = offices::list(ctx.conn).await?;
    if list.is_empty() {
        ctx.say("offices-none");
        return Ok(());
    }
    let mut lines = vec![ctx.trf("offices-header", &[("count", Arg::Num(list.len() as i64))])];
    lines.extend(list.iter().map(|o| format!("• {}", escape(&o.name))));
    ctx.reply(lines.join("\n"), Keyboard::None);
    Ok(())
}

pub async fn office_add(ctx: &mut Ctx<'_>, args: &str) -> Result {
    if has_hidden_chars(args) {
        ctx.say("name-hidden-chars");
        return Ok(());
    }
    let Some(name) = RegionName::parse(args).filter(|n| n.as_str().chars().count() <= 60) else {
        ctx.say("office-add-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    let key = match programme::add_office(ctx.conn, &actor, &name, ctx.now).await? {
        Ok(true) => "office-added",
        Ok(false) => "office-exists",
        Err(d) => refusals::denied(d),
    };
    let text = ctx.trf(key, &[("name", Arg::Text(name.as_str()))]);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// `/undang 74.71.01 [days] [uses]`: a link for volunteers of a district or village.
pub async fn invite(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let words: Vec<&str> = args.split_whitespace().collect();
    let code = words.first().and_then(|c| RegionCode::parse(c).ok());
    let terms = InviteTerms::parse(words.get(1).copied(), words.get(2).copied());
    let (Some(code), Some(terms)) = (code, terms) else {
        ctx.say("invite-usage");
        return Ok(());
    };
    if words.len() > 3 {
        ctx.say("invite-usage");
        return Ok(());
    }
    let actor = ctx.actor();
    let (invite, area) = match people::invite(ctx.conn, &actor, &code, terms, ctx.now).await? {
        Ok(x) => x,
        Err(r) => {
            let text = ctx.trf(refusals::invite(&r), &[("code", Arg::Text(code.as_str()))]);
            ctx.reply(text, Keyboard::None);
            return Ok(());
        }
    };
    let link = invite.link(&ctx.bot.username);
    let text = ctx.trf(
        "invite-created",
        &[
            ("area", Arg::Text(&area)),
            ("link", Arg::Text(&link)),
            ("days", Arg::Num(i64::from(terms.days))),
            ("uses", Arg::Num(i64::from(terms.max_uses))),
        ],
    );
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// `/cabut <user id>`: the roles of that person the coordinator may revoke, as buttons.
pub async fn revoke(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let Some(target) = UserId::parse(args) else {
        ctx.say("revoke-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    let (name, roles) = match people::revocable(ctx.conn, &actor, target).await? {
        Ok(x) => x,
        Err(d) => {
            ctx.say(refusals::denied(d));
            return Ok(());
        }
    };
    if roles.is_empty() {
        let text = ctx.trf("revoke-no-roles", &[("id", Arg::Num(target.0))]);
        ctx.reply(text, Keyboard::None);
        return Ok(());
    }
    let buttons = roles
        .into_iter()
        .map(|role| {
            Button::new(
                ctx.tr(people::role_key(role)),
                Callback::Revoke { user: target, role }.encode(),
            )
        })
        .collect();
    let text = ctx.trf(
        "revoke-choose",
        &[("id", Arg::Num(target.0)), ("name", Arg::Text(&name))],
    );
    ctx.reply(text, Keyboard::column(buttons));
    Ok(())
}

pub async fn revoke_role(
    ctx: &mut Ctx<'_>,
    target: UserId,
    role: Role,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    if let Err(r) = people::revoke(ctx.conn, &actor, target, role, ctx.now).await? {
        ctx.notice(refusals::revoke(r));
        return Ok(());
    }
    let role_name = ctx.tr(people::role_key(role));
    let text = ctx.trf(
        "revoke-done",
        &[("role", Arg::Text(&role_name)), ("id", Arg::Num(target.0))],
    );
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    ctx.refresh_menu(target);
    Ok(())
}

/// A coordinator's answer about a sponsor Telegram cannot reach: release their children, or wait.
pub async fn release(
    ctx: &mut Ctx<'_>,
    sponsor: UserId,
    release: bool,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let text =
        match people::release_unreachable(ctx.conn, &actor, sponsor, release, ctx.now).await? {
            Ok(people::Released::Released { name, count }) => ctx.trf(
                "unreachable-released",
                &[
                    ("name", Arg::Text(&name)),
                    ("count", Arg::Num(i64::try_from(count).unwrap_or(i64::MAX))),
                ],
            ),
            Ok(people::Released::Kept { name }) => {
                ctx.trf("unreachable-kept", &[("name", Arg::Text(&name))])
            }
            Ok(people::Released::Reachable { name }) => {
                ctx.trf("unreachable-reachable", &[("name", Arg::Text(&name))])
            }
            Err(DecideRefusal::Denied(d)) => {
                ctx.notice(refusals::denied(d));
                return Ok(());
            }
            Err(_) => {
                ctx.notice("error-stale-button");
                return Ok(());
            }
        };
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    Ok(())
}
