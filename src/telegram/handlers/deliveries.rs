//! The buttons under a reminder and the deliveries list: "Reschedule" (the days it may move to) and "Skip"
//! (asks why); "Delivered" starts a confirmation (`confirm`). The coordinators of the area hear of every
//! change.

use super::Result;
use crate::callback::Callback;
use crate::domain::child::first_name;
use crate::domain::dialogue::Dialogue;
use crate::domain::{DeliveryId, Lang};
use crate::i18n::{Arg, date_label, t};
use crate::outbound::{Button, Keyboard};
use crate::services::deliveries::{self as service, Zones, local_date};
use crate::store::children::{self, Child};
use crate::store::deliveries;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;
use chrono::NaiveDate;

/// A text about one child's delivery on one day: "… for <b>Muhammad</b> (Senin, 30-11-2026)".
fn about(ctx: &Ctx<'_>, key: &str, child: &Child, date: NaiveDate) -> String {
    ctx.trf(
        key,
        &[
            ("child", Arg::Text(first_name(&child.full_name))),
            ("date", Arg::Text(&date_label(ctx.lang(), date))),
        ],
    )
}

fn date_buttons(lang: Lang, id: DeliveryId, days: &[NaiveDate]) -> Keyboard {
    Keyboard::column(
        days.iter()
            .map(|day| {
                Button::new(
                    date_label(lang, *day),
                    Callback::RescheduleTo {
                        delivery: id,
                        date: *day,
                    }
                    .encode(),
                )
            })
            .collect(),
    )
}

/// "Reschedule": the days the sponsor may choose, as buttons.
/// The days come as a new message: the reminder keeps its buttons for the other choices.
pub async fn reschedule(ctx: &mut Ctx<'_>, id: DeliveryId) -> Result {
    let actor = ctx.actor();
    let settings = ctx.bot.deliveries.clone();
    let (d, child, tz) = match service::own(ctx.conn, &actor, id, settings.default_zone).await? {
        Ok(x) => x,
        Err(r) => {
            ctx.notice(refusals::delivery(&r));
            return Ok(());
        }
    };
    let days = service::reschedule_choices(ctx.conn, &d, &settings, tz, ctx.now).await?;
    if days.is_empty() {
        ctx.notice("reschedule-no-days");
        return Ok(());
    }
    let text = about(ctx, "reschedule-ask", &child, d.due_on);
    let keyboard = date_buttons(ctx.lang(), d.id, &days);
    ctx.reply(text, keyboard);
    Ok(())
}

pub async fn reschedule_to(
    ctx: &mut Ctx<'_>,
    id: DeliveryId,
    to: NaiveDate,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let settings = ctx.bot.deliveries.clone();
    match service::reschedule(ctx.conn, &actor, id, to, &settings, ctx.now).await? {
        Ok((_, child)) => {
            let text = about(ctx, "delivery-rescheduled", &child, to);
            ctx.show(message_id, text, Keyboard::None);
            ctx.notice("done");
        }
        Err(r) => ctx.notice(refusals::delivery(&r)),
    }
    Ok(())
}

/// "Skip": asks why.
pub async fn skip(ctx: &mut Ctx<'_>, id: DeliveryId) -> Result {
    let actor = ctx.actor();
    let zone = ctx.bot.deliveries.default_zone;
    let (d, child, _) = match service::own(ctx.conn, &actor, id, zone).await? {
        Ok(x) => x,
        Err(r) => {
            ctx.notice(refusals::delivery(&r));
            return Ok(());
        }
    };
    ctx.dialogue = Dialogue::SkipReason { delivery: d.id };
    let text = about(ctx, "skip-ask-reason", &child, d.due_on);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// The reason for a skip, typed: the delivery is skipped and the coordinators told.
pub async fn skip_reason(ctx: &mut Ctx<'_>, id: DeliveryId, text: &str) -> Result {
    let reason: String = text.trim().chars().take(300).collect();
    if reason.chars().count() < 3 {
        ctx.say("skip-reason-too-short");
        return Ok(());
    }
    ctx.dialogue = Dialogue::Idle;
    let actor = ctx.actor();
    let settings = ctx.bot.deliveries.clone();
    match service::skip(ctx.conn, &actor, id, &reason, &settings, ctx.now).await? {
        Ok((d, child)) => {
            let text = about(ctx, "delivery-skipped", &child, d.due_on);
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::delivery(&r)),
    }
    Ok(())
}

/// `/pengiriman`: a sponsor's coming deliveries, each with its buttons.
pub async fn list(ctx: &mut Ctx<'_>) -> Result {
    let open = deliveries::open_of_sponsor(ctx.conn, ctx.user_id(), 8).await?;
    if open.is_empty() {
        ctx.say("deliveries-none");
        return Ok(());
    }
    let lang = ctx.lang();
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    let mut zones = Zones::new(ctx.bot.deliveries.default_zone);
    for d in &open {
        let Some(child) = children::get(ctx.conn, d.child).await? else {
            continue;
        };
        let tz = zones.of(ctx.conn, child.kecamatan.as_str()).await?;
        let name = first_name(&child.full_name).to_owned();
        let late = (local_date(ctx.now, tz) - d.due_on).num_days();
        lines.push(ctx.trf(
            "deliveries-line",
            &[
                ("child", Arg::Text(first_name(&child.full_name))),
                ("date", Arg::Text(&date_label(lang, d.due_on))),
                (
                    "status",
                    Arg::Text(&t(
                        lang,
                        &format!(
                            "delivery-status-{}",
                            d.standing(ctx.now, ctx.bot.deliveries.missed_after()).as_str()
                        ),
                    )),
                ),
                ("days", Arg::Num(late)),
            ],
        ));
        rows.push(vec![
            Button::new(
                format!("✅ {name} {}", d.due_on.format("%d/%m")),
                Callback::Delivered(d.id).encode(),
            ),
            Button::new(
                t(lang, "button-reschedule-short"),
                Callback::Reschedule(d.id).encode(),
            ),
            Button::new(t(lang, "button-skip-short"), Callback::Skip(d.id).encode()),
        ]);
    }
    let text = ctx.trf(
        "deliveries-list",
        &[("lines", Arg::Html(&lines.join("\n")))],
    );
    ctx.reply(text, Keyboard::inline(rows));
    Ok(())
}

/// "🔔 Remind" under a late delivery: the sponsor is reminded now (once a day).
pub async fn remind_now(ctx: &mut Ctx<'_>, id: DeliveryId) -> Result {
    let actor = ctx.actor();
    let zone = ctx.bot.deliveries.default_zone;
    match service::remind_now(ctx.conn, &actor, id, zone, ctx.now).await? {
        Ok(true) => ctx.notice("nudge-sent"),
        Ok(false) => ctx.notice("nudge-already"),
        Err(r) => ctx.notice(refusals::delivery(&r)),
    }
    Ok(())
}
