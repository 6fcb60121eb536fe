//! `/rapat` (`/meeting`): a coordinator's meeting links — signed, read-only, time-limited links that open
//! the dashboard in an ordinary browser for the projector — listed with a button to revoke each, and a
//! button for a new one.

use super::Result;
use crate::callback::{Callback, MeetingButton};
use crate::domain::region::local_time;
use crate::i18n::Arg;
use crate::outbound::{Button, Keyboard};
use crate::services::dashboard::{self as service, MeetingLink};
use crate::services::deliveries::zone_of;
use crate::services::reports::area_name;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

/// Lists the live links, with the buttons.
pub async fn command(ctx: &mut Ctx<'_>) -> Result {
    show(ctx, None, None).await
}

pub async fn button(ctx: &mut Ctx<'_>, button: MeetingButton, message_id: Option<i64>) -> Result {
    let Some(dash) = ctx.bot.dashboard.clone() else {
        ctx.refuse(ctx.tr("meeting-off"), true);
        return Ok(());
    };
    let actor = ctx.actor();
    let lang = ctx.lang();
    let note = match button {
        MeetingButton::New => {
            match service::create_link(
                ctx.conn,
                &dash.settings,
                dash.token.expose(),
                &actor,
                None,
                lang,
                ctx.now,
            )
            .await?
            {
                Ok(link) => Some(line(ctx, "meeting-created", &link).await?),
                Err(d) => {
                    ctx.refuse(ctx.tr(refusals::denied(d)), true);
                    return Ok(());
                }
            }
        }
        MeetingButton::Revoke(id) => {
            match service::revoke_link(ctx.conn, &actor, id, ctx.now).await? {
                Ok(true) => Some(ctx.trf("meeting-revoked", &[("id", Arg::Num(id))])),
                Ok(false) => Some(ctx.tr("meeting-not-found")),
                Err(d) => {
                    ctx.refuse(ctx.tr(refusals::denied(d)), true);
                    return Ok(());
                }
            }
        }
    };
    show(ctx, note, message_id).await
}

/// A link as a line: its number, area, end (in the area's zone, named) and URL.
async fn line(ctx: &mut Ctx<'_>, key: &str, link: &MeetingLink) -> Result<String> {
    let zone = match &link.region {
        Some(code) => zone_of(ctx.conn, code, ctx.bot.deliveries.default_zone).await?,
        None => ctx.bot.deliveries.default_zone,
    };
    let area = area_name(ctx.conn, ctx.lang(), link.region.as_ref()).await?;
    Ok(ctx.trf(
        key,
        &[
            ("id", Arg::Num(link.id)),
            ("area", Arg::Text(&area)),
            (
                "until",
                Arg::Text(&local_time(link.expires_at, zone, "%d-%m-%Y %H:%M")),
            ),
            ("url", Arg::Text(&link.url)),
        ],
    ))
}

/// The list of live links (after `note`, what a button just did), in place of the pressed message.
async fn show(ctx: &mut Ctx<'_>, note: Option<String>, message_id: Option<i64>) -> Result {
    let Some(dash) = ctx.bot.dashboard.clone() else {
        ctx.say("meeting-off");
        return Ok(());
    };
    let actor = ctx.actor();
    let links = match service::links(
        ctx.conn,
        &dash.settings,
        dash.token.expose(),
        &actor,
        ctx.now,
    )
    .await?
    {
        Ok(links) => links,
        Err(d) => {
            ctx.say(refusals::denied(d));
            return Ok(());
        }
    };
    let mut lines = Vec::new();
    if let Some(note) = note {
        lines.push(note);
    }
    lines.push(ctx.tr("meeting-list-title"));
    if links.is_empty() {
        lines.push(ctx.tr("meeting-list-empty"));
    }
    let mut buttons = vec![Button::new(
        ctx.trf(
            "meeting-new-button",
            &[("hours", Arg::Num(dash.settings.link_ttl.num_hours()))],
        ),
        Callback::Meeting(MeetingButton::New).encode(),
    )];
    for link in links.iter().take(20) {
        lines.push(line(ctx, "meeting-list-line", link).await?);
        buttons.push(Button::new(
            ctx.trf("meeting-revoke-button", &[("id", Arg::Num(link.id))]),
            Callback::Meeting(MeetingButton::Revoke(link.id)).encode(),
        ));
    }
    ctx.show(message_id, lines.join("\n\n"), Keyboard::column(buttons));
    Ok(())
}
