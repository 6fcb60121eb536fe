//! Commands everyone has: /start (with invite links), /help, /me, /language, /cancel, and the role question.

use super::Result;
use crate::callback::{Callback, RoleChoice};
use crate::domain::Lang;
use crate::domain::dialogue::Dialogue;
use crate::domain::invite::{InviteCode, InviteProblem};
use crate::domain::role::{Role, Scope, SponsorStatus};
use crate::i18n::{Arg, t};
use crate::outbound::{Button, Keyboard};
use crate::services::labels::area_label;
use crate::services::people;
use crate::store::{regions, sponsors, users};
use crate::telegram::commands::{self, Command};
use crate::telegram::context::Ctx;

pub async fn start(ctx: &mut Ctx<'_>, payload: &str) -> Result {
    if !payload.is_empty() {
        return join_as_volunteer(ctx, payload).await;
    }
    let name = ctx.me.first_name.clone();
    if ctx.roles.is_newcomer() {
        ctx.dialogue = Dialogue::ChoosingRole;
        let text = ctx.trf("welcome", &[("name", Arg::Text(&name))]);
        let keyboard = role_keyboard(ctx.lang());
        ctx.reply(text, keyboard);
    } else if let (true, Some(scope)) = (ctx.me.first_contact, ctx.roles.coordinator.clone()) {
        // A coordinator named before they ever wrote (ASUH_ADMINS, `asuh admin grant`): a first welcome.
        ctx.dialogue = Dialogue::Idle;
        let area = match &scope {
            Scope::All => ctx.tr("scope-all"),
            Scope::Region(code) => regions::name_or_code(ctx.conn, code).await?,
        };
        let help = Command::Help.slash(ctx.lang());
        let text = ctx.trf(
            "welcome-coordinator",
            &[
                ("name", Arg::Text(&name)),
                ("area", Arg::Text(&area)),
                ("help", Arg::Text(&help)),
            ],
        );
        ctx.reply(text, Keyboard::Remove);
    } else {
        ctx.dialogue = Dialogue::Idle;
        let help = Command::Help.slash(ctx.lang());
        let text = ctx.trf(
            "welcome-back",
            &[("name", Arg::Text(&name)), ("help", Arg::Text(&help))],
        );
        ctx.reply(text, Keyboard::Remove);
    }
    Ok(())
}

fn role_keyboard(lang: Lang) -> Keyboard {
    Keyboard::column(vec![
        Button::new(
            t(lang, "role-sponsor"),
            Callback::Role(RoleChoice::Sponsor).encode(),
        ),
        Button::new(
            t(lang, "role-volunteer"),
            Callback::Role(RoleChoice::Volunteer).encode(),
        ),
        Button::new(
            t(lang, "role-neither"),
            Callback::Role(RoleChoice::Neither).encode(),
        ),
    ])
}

pub fn choose_role(ctx: &mut Ctx<'_>, choice: RoleChoice, message_id: Option<i64>) -> Result {
    if ctx.dialogue != Dialogue::ChoosingRole {
        ctx.notice("error-stale-button");
        return Ok(());
    }
    match choice {
        RoleChoice::Sponsor => super::registration::begin_at(ctx, message_id),
        RoleChoice::Volunteer => {
            ctx.dialogue = Dialogue::Idle;
            let text = ctx.tr("volunteer-needs-invite");
            ctx.show(message_id, text, Keyboard::None);
            Ok(())
        }
        RoleChoice::Neither => {
            ctx.dialogue = Dialogue::Idle;
            let help = Command::Help.slash(ctx.lang());
            let text = ctx.trf("role-neither-ok", &[("help", Arg::Text(&help))]);
            ctx.show(message_id, text, Keyboard::None);
            Ok(())
        }
    }
}

async fn join_as_volunteer(ctx: &mut Ctx<'_>, payload: &str) -> Result {
    let joined = match InviteCode::parse(payload) {
        Some(code) => {
            let name = ctx.me.first_name.clone();
            people::join_as_volunteer(ctx.conn, ctx.user_id(), &name, &code, ctx.now).await?
        }
        None => Err(InviteProblem::Unknown),
    };
    let area = match joined {
        Ok(area) => area,
        Err(problem) => {
            ctx.say(match problem {
                InviteProblem::Unknown => "invite-unknown",
                InviteProblem::Expired => "invite-expired",
                InviteProblem::UsedUp => "invite-used-up",
                InviteProblem::Revoked => "invite-revoked",
            });
            return Ok(());
        }
    };
    ctx.dialogue = Dialogue::Idle;
    let help = Command::Help.slash(ctx.lang());
    let text = ctx.trf(
        "volunteer-welcome",
        &[("area", Arg::Text(&area)), ("help", Arg::Text(&help))],
    );
    ctx.reply(text, Keyboard::Remove);
    ctx.refresh_menu(ctx.user_id());
    Ok(())
}

pub fn help(ctx: &mut Ctx<'_>) -> Result {
    let lang = ctx.lang();
    let roles = ctx.roles.active();
    let mut sections = vec![ctx.tr("help-intro")];
    for role in [
        None,
        Some(Role::Sponsor),
        Some(Role::Volunteer),
        Some(Role::Coordinator),
    ] {
        if role.is_some_and(|r| !roles.contains(&r)) {
            continue;
        }
        let lines: Vec<String> = commands::available(&roles)
            .into_iter()
            .filter(|c| c.section(&roles) == role)
            .map(|c| {
                format!(
                    "{} — {}",
                    c.slash(lang),
                    crate::i18n::escape(&c.description(lang))
                )
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let title = ctx.tr(match role {
            None => "help-section-everyone",
            Some(Role::Sponsor) => "help-section-sponsor",
            Some(Role::Volunteer) => "help-section-volunteer",
            Some(Role::Coordinator) => "help-section-coordinator",
        });
        sections.push(format!("<b>{title}</b>\n{}", lines.join("\n")));
    }
    if roles.contains(&Role::Coordinator) {
        sections.push(ctx.tr(if ctx.bot.dashboard.is_some() {
            "dash-help-on"
        } else {
            "dash-help-off"
        }));
    }
    ctx.reply(sections.join("\n\n"), Keyboard::None);
    Ok(())
}

pub async fn me(ctx: &mut Ctx<'_>) -> Result {
    let me = ctx.user_id();
    let mut lines = vec![ctx.trf(
        "me-header",
        &[
            ("name", Arg::Text(&ctx.me.first_name.clone())),
            ("id", Arg::Num(me.0)),
            ("language", Arg::Text(&ctx.tr("language-name"))),
        ],
    )];
    if let Some(scope) = ctx.roles.coordinator.clone() {
        let area = match &scope {
            Scope::All => ctx.tr("scope-all"),
            Scope::Region(code) => regions::name_or_code(ctx.conn, code).await?,
        };
        lines.push(ctx.trf("me-coordinator", &[("area", Arg::Text(&area))]));
    }
    if let Some(sponsor) = sponsors::get(ctx.conn, me).await? {
        let r = &sponsor.registration;
        let office = sponsor
            .office_name
            .clone()
            .unwrap_or_else(|| ctx.tr("community-member"));
        let area = area_label(
            &sponsor.kecamatan_name,
            &sponsor.village_name,
            &r.area.kecamatan,
        );
        let status = ctx.tr(sponsor_status_key(sponsor.status));
        lines.push(ctx.trf(
            "me-sponsor",
            &[
                ("name", Arg::Text(r.name.as_str())),
                ("phone", Arg::Text(r.phone.as_str())),
                ("office", Arg::Text(&office)),
                ("area", Arg::Text(&area)),
                ("capacity", Arg::Num(i64::from(r.capacity.get()))),
                ("status", Arg::Text(&status)),
            ],
        ));
    }
    if let Some(region) = ctx.roles.volunteer.clone() {
        let area = regions::name_or_code(ctx.conn, &region).await?;
        lines.push(ctx.trf("me-volunteer", &[("area", Arg::Text(&area))]));
    }
    if lines.len() == 1 {
        let register = Command::Register.slash(ctx.lang());
        lines.push(ctx.trf("me-no-role", &[("register", Arg::Text(&register))]));
    }
    ctx.reply(lines.join("\n\n"), Keyboard::None);
    Ok(())
}

/// The locale key of a registration's status.
pub(super) fn sponsor_status_key(status: SponsorStatus) -> &'static str {
    match status {
        SponsorStatus::Pending => "status-pending",
        SponsorStatus::Approved => "status-approved",
        SponsorStatus::Rejected => "status-rejected",
        SponsorStatus::Revoked => "status-revoked",
    }
}

/// "…and 12 more" under a list that shows `shown` of `total`.
pub(super) fn more_line(ctx: &Ctx<'_>, shown: usize, total: i64) -> Option<String> {
    let rest = total - shown as i64;
    (rest > 0).then(|| ctx.trf("list-more", &[("count", Arg::Num(rest))]))
}

pub fn language(ctx: &mut Ctx<'_>) -> Result {
    let text = ctx.tr("language-choose");
    let keyboard = Keyboard::inline(vec![vec![
        Button::new("🇮🇩 Bahasa Indonesia", Callback::Lang(Lang::Id).encode()),
        Button::new("🇬🇧 English", Callback::Lang(Lang::En).encode()),
    ]]);
    ctx.reply(text, keyboard);
    Ok(())
}

pub async fn set_language(ctx: &mut Ctx<'_>, lang: Lang, message_id: Option<i64>) -> Result {
    users::set_language(ctx.conn, ctx.user_id(), lang, ctx.now).await?;
    ctx.me.lang = lang;
    let text = ctx.tr("language-set");
    ctx.show(message_id, text, Keyboard::None);
    ctx.refresh_menu(ctx.user_id());
    Ok(())
}

pub fn cancel(ctx: &mut Ctx<'_>) -> Result {
    if ctx.dialogue.is_idle() {
        ctx.say("cancel-nothing");
    } else {
        ctx.dialogue = Dialogue::Idle;
        let text = ctx.tr("cancel-done");
        ctx.reply(text, Keyboard::Remove);
    }
    Ok(())
}
