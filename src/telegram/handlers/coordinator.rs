//! Coordinator commands: decide registrations, list people, manage regions and offices, invite
//! volunteers, revoke roles. A coordinator scoped to a region sees and acts on that region only.

use super::Result;
use super::common::{area_label, more_line, sponsor_status_key};
use super::menus::menu_for;
use crate::callback::{Callback, RevokeRole};
use crate::domain::invite::{InviteCode, InviteTerms};
use crate::domain::region::{RegionName, has_hidden_chars, parse_zone};
use crate::domain::role::{Scope, SponsorStatus};
use crate::domain::{RegionCode, RegionLevel, UserId};
use crate::i18n::{Arg, escape, t, tf};
use crate::outbound::{Button, Keyboard};
use crate::store::regions::InUse;
use crate::store::{audit, coordinators, invites, offices, regions, sponsors, users, volunteers};
use crate::telegram::context::Ctx;

/// How many entries a list message shows; the rest is counted ("and 12 more"), keeping one message well
/// under Telegram's 4096 characters.
const LIST_LIMIT: i64 = 40;
const PENDING_LIMIT: i64 = 10;

pub async fn pending(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let (list, total) =
        sponsors::list(ctx.conn, scope, SponsorStatus::Pending, PENDING_LIMIT).await?;
    if list.is_empty() {
        ctx.say("pending-none");
        return Ok(());
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
        rows.push(vec![
            Button::new(
                format!("✅ {label}"),
                Callback::Decide {
                    sponsor: s.user,
                    approve: true,
                }
                .encode(),
            ),
            Button::new(
                format!("✖ {label}"),
                Callback::Decide {
                    sponsor: s.user,
                    approve: false,
                }
                .encode(),
            ),
        ]);
    }
    lines.extend(more_line(ctx, list.len(), total));
    ctx.reply(lines.join("\n"), Keyboard::inline(rows));
    Ok(())
}

/// Approve or Reject pressed on a registration. Exactly one decision counts; later presses are told who
/// decided.
pub async fn decide(
    ctx: &mut Ctx<'_>,
    sponsor_id: UserId,
    approve: bool,
    message_id: Option<i64>,
) -> Result {
    let Some(scope) = ctx.roles.coordinator.clone() else {
        ctx.notice("error-not-allowed");
        return Ok(());
    };
    let Some(sponsor) = sponsors::get(ctx.conn, sponsor_id).await? else {
        ctx.notice("error-stale-button");
        return Ok(());
    };
    if !scope.covers(&sponsor.registration.area.kecamatan) {
        ctx.notice("error-not-in-scope");
        return Ok(());
    }
    let transition = if approve {
        sponsor.status.approve()
    } else {
        sponsor.status.reject()
    };
    let me = ctx.user_id();
    let done = match transition {
        Ok(to) => {
            sponsors::transition(ctx.conn, sponsor_id, sponsor.status, to, Some(me), ctx.now)
                .await?
        }
        Err(_) => false,
    };
    if !done {
        let current = sponsors::get(ctx.conn, sponsor_id)
            .await?
            .unwrap_or(sponsor);
        let by = match current.decided_by {
            Some(by) => users::first_name(ctx.conn, by)
                .await?
                .unwrap_or_else(|| by.to_string()),
            None => "?".into(),
        };
        let status = ctx.tr(sponsor_status_key(current.status));
        ctx.answer = Some(ctx.trf(
            "decision-already",
            &[("status", Arg::Text(&status)), ("by", Arg::Text(&by))],
        ));
        return Ok(());
    }
    let action = if approve {
        "sponsor.approve"
    } else {
        "sponsor.reject"
    };
    audit::record(
        ctx.conn,
        ctx.now,
        Some(me),
        action,
        &format!("user:{sponsor_id}"),
        None,
    )
    .await?;
    let name = sponsor.registration.name.as_str().to_owned();
    let key = if approve {
        "decision-approved"
    } else {
        "decision-rejected"
    };
    let by = ctx.me.first_name.clone();
    let text = ctx.trf(key, &[("name", Arg::Text(&name)), ("by", Arg::Text(&by))]);
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    let lang = users::language(ctx.conn, sponsor_id).await?;
    let key = if approve {
        "sponsor-approved"
    } else {
        "sponsor-rejected"
    };
    ctx.send_to(sponsor_id, t(lang, key), Keyboard::None);
    if approve {
        let menu = menu_for(ctx.conn, sponsor_id).await?;
        ctx.out.push(menu);
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
pub async fn region_add(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let mut words: Vec<&str> = args.split_whitespace().collect();
    let zone = words
        .last()
        .filter(|_| words.len() > 2)
        .and_then(|w| parse_zone(w));
    if zone.is_some() {
        words.pop();
    }
    let code = words.first().and_then(|c| RegionCode::parse(c).ok());
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
    if !scope.covers(&code) {
        ctx.say("error-not-in-scope");
        return Ok(());
    }
    let created = regions::upsert(
        ctx.conn,
        &code,
        name.as_str(),
        zone.map(|z| z.name()),
        ctx.now,
    )
    .await?;
    audit::record(
        ctx.conn,
        ctx.now,
        Some(ctx.user_id()),
        "region.upsert",
        &format!("region:{code}"),
        Some(name.as_str()),
    )
    .await?;
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

pub async fn region_remove(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let Ok(code) = RegionCode::parse(args) else {
        ctx.say("region-remove-usage");
        return Ok(());
    };
    if !scope.covers(&code) {
        ctx.say("error-not-in-scope");
        return Ok(());
    }
    let key = match regions::usage(ctx.conn, &code).await? {
        InUse::HasChildren => "region-remove-has-children",
        InUse::UsedByPeople => "region-remove-in-use",
        InUse::Free if regions::delete(ctx.conn, &code).await? => {
            audit::record(
                ctx.conn,
                ctx.now,
                Some(ctx.user_id()),
                "region.remove",
                &format!("region:{code}"),
                None,
            )
            .await?;
            "region-removed"
        }
        InUse::Free => "region-unknown",
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
    let key = match offices::add(ctx.conn, name.as_str(), ctx.now).await? {
        Some(id) => {
            audit::record(
                ctx.conn,
                ctx.now,
                Some(ctx.user_id()),
                "office.add",
                &format!("office:{}", id.0),
                Some(name.as_str()),
            )
            .await?;
            "office-added"
        }
        None => "office-exists",
    };
    let text = ctx.trf(key, &[("name", Arg::Text(name.as_str()))]);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// `/undang 74.71.01 [days] [uses]`: a link for volunteers of a district or village.
pub async fn invite(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
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
    if !scope.covers(&code) {
        ctx.say("error-not-in-scope");
        return Ok(());
    }
    let Some(region) = regions::get(ctx.conn, &code).await? else {
        let text = ctx.trf("region-unknown", &[("code", Arg::Text(code.as_str()))]);
        ctx.reply(text, Keyboard::None);
        return Ok(());
    };
    if !matches!(region.level, RegionLevel::District | RegionLevel::Village) {
        ctx.say("invite-needs-district");
        return Ok(());
    }
    let invite = InviteCode::generate();
    let expires = terms.expires_at(ctx.now);
    invites::create(
        ctx.conn,
        &invite,
        &code,
        ctx.user_id(),
        expires,
        terms.max_uses,
        ctx.now,
    )
    .await?;
    audit::record(
        ctx.conn,
        ctx.now,
        Some(ctx.user_id()),
        "invite.create",
        &format!("region:{code}"),
        None,
    )
    .await?;
    let link = invite.link(&ctx.bot.username);
    let text = ctx.trf(
        "invite-created",
        &[
            ("area", Arg::Text(&region.name)),
            ("link", Arg::Text(&link)),
            ("days", Arg::Num(i64::from(terms.days))),
            ("uses", Arg::Num(i64::from(terms.max_uses))),
        ],
    );
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// `/cabut <user id>`: shows the roles that person holds, as buttons.
pub async fn revoke(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let Some(target) = UserId::parse(args) else {
        ctx.say("revoke-usage");
        return Ok(());
    };
    let roles = users::roles(ctx.conn, target).await?;
    let lang = ctx.lang();
    let mut buttons = Vec::new();
    if roles.sponsor == Some(SponsorStatus::Approved) {
        buttons.push(Button::new(
            t(lang, "role-name-sponsor"),
            Callback::Revoke {
                user: target,
                role: RevokeRole::Sponsor,
            }
            .encode(),
        ));
    }
    if roles.volunteer.is_some() {
        buttons.push(Button::new(
            t(lang, "role-name-volunteer"),
            Callback::Revoke {
                user: target,
                role: RevokeRole::Volunteer,
            }
            .encode(),
        ));
    }
    if roles.coordinator.is_some() && target != ctx.user_id() {
        buttons.push(Button::new(
            t(lang, "role-name-coordinator"),
            Callback::Revoke {
                user: target,
                role: RevokeRole::Coordinator,
            }
            .encode(),
        ));
    }
    if buttons.is_empty() {
        let text = ctx.trf("revoke-no-roles", &[("id", Arg::Num(target.0))]);
        ctx.reply(text, Keyboard::None);
        return Ok(());
    }
    let name = users::first_name(ctx.conn, target)
        .await?
        .unwrap_or_else(|| "—".into());
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
    role: RevokeRole,
    message_id: Option<i64>,
) -> Result {
    let Some(own) = ctx.roles.coordinator.clone() else {
        ctx.notice("error-not-allowed");
        return Ok(());
    };
    let roles = users::roles(ctx.conn, target).await?;
    let (in_scope, done, key) = match role {
        RevokeRole::Sponsor => {
            let sponsor = sponsors::get(ctx.conn, target).await?;
            let in_scope = sponsor
                .as_ref()
                .is_some_and(|s| own.covers(&s.registration.area.kecamatan));
            let done = in_scope
                && roles.sponsor.is_some_and(|s| s.revoke().is_ok())
                && sponsors::transition(
                    ctx.conn,
                    target,
                    SponsorStatus::Approved,
                    SponsorStatus::Revoked,
                    Some(ctx.user_id()),
                    ctx.now,
                )
                .await?;
            (in_scope, done, "role-name-sponsor")
        }
        RevokeRole::Volunteer => {
            let in_scope = roles.volunteer.as_ref().is_some_and(|r| own.covers(r));
            (
                in_scope,
                in_scope && volunteers::revoke(ctx.conn, target).await?,
                "role-name-volunteer",
            )
        }
        RevokeRole::Coordinator => {
            let in_scope = roles.coordinator.as_ref().is_some_and(|s| own.encloses(s))
                && target != ctx.user_id();
            (
                in_scope,
                in_scope && coordinators::revoke(ctx.conn, target).await?,
                "role-name-coordinator",
            )
        }
    };
    if !in_scope && roles.active().is_empty() {
        ctx.notice("error-stale-button");
        return Ok(());
    }
    if !in_scope {
        ctx.notice("error-not-in-scope");
        return Ok(());
    }
    if !done {
        ctx.notice("error-stale-button");
        return Ok(());
    }
    audit::record(
        ctx.conn,
        ctx.now,
        Some(ctx.user_id()),
        "role.revoke",
        &format!("user:{target}"),
        Some(key),
    )
    .await?;
    let role_name = ctx.tr(key);
    let text = ctx.trf(
        "revoke-done",
        &[("role", Arg::Text(&role_name)), ("id", Arg::Num(target.0))],
    );
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    let lang = users::language(ctx.conn, target).await?;
    let their_role = t(lang, key);
    ctx.send_to(
        target,
        tf(
            lang,
            "your-role-revoked",
            &[("role", Arg::Text(&their_role))],
        ),
        Keyboard::None,
    );
    let menu = menu_for(ctx.conn, target).await?;
    ctx.out.push(menu);
    Ok(())
}
