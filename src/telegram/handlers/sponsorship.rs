//! The sponsor's side of a sponsorship: offers to accept or decline, asking for a child, their children,
//! ending. Before accepting, a sponsor sees initials, age, village and status only — never the name,
//! address or NIK.

use super::Result;
use crate::callback::Callback;
use crate::domain::child::{ChildId, age_months, first_name};
use crate::domain::dialogue::Dialogue;
use crate::domain::sponsorship::{SponsorshipId, rupiah};
use crate::i18n::{Arg, date_label};
use crate::outbound::{Button, Keyboard};
use crate::services::growth;
use crate::services::labels::child_place;
use crate::services::sponsorships::{self as lifecycle, Accepted};
use crate::store::children::Child;
use crate::store::measurements::Measurement;
use crate::store::sponsorships::Sponsorship;
use crate::telegram::commands::Command;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

pub async fn accept(ctx: &mut Ctx<'_>, id: SponsorshipId, message_id: Option<i64>) -> Result {
    let actor = ctx.actor();
    let settings = ctx.bot.deliveries.clone();
    let accepted = match lifecycle::accept(ctx.conn, &actor, id, &settings, ctx.now).await? {
        Ok(a) => a,
        Err(r) => {
            ctx.notice(refusals::sponsorship(r));
            return Ok(());
        }
    };
    let Accepted {
        sponsorship: s,
        child,
        first,
        volunteer_missing,
    } = accepted;
    let months = age_months(child.birth_date, ctx.now.date_naive()).unwrap_or(0);
    let text = ctx.trf(
        "offer-accepted",
        &[
            ("name", Arg::Text(first_name(&child.full_name))),
            ("months", Arg::Num(i64::from(months))),
            ("place", Arg::Text(&child_place(&child))),
            ("duration", Arg::Num(i64::from(s.commitment.months))),
            ("amount", Arg::Text(&rupiah(s.commitment.monthly_amount))),
        ],
    );
    let next = match first {
        Some(d) => ctx.trf(
            "offer-first-delivery",
            &[
                ("date", Arg::Text(&date_label(ctx.lang(), d.due_on))),
                (
                    "deliveries",
                    Arg::Text(&Command::Deliveries.slash(ctx.lang())),
                ),
            ],
        ),
        None => ctx.tr("offer-no-plan-yet"),
    };
    let plan = lifecycle::plan_line(ctx.conn, ctx.lang(), s.id).await?;
    let missing = if volunteer_missing {
        let place = child_place(&child);
        format!(
            "\n\n{}",
            ctx.trf("offer-no-volunteer", &[("place", Arg::Text(&place))])
        )
    } else {
        String::new()
    };
    ctx.show(
        message_id,
        format!("{text}\n\n{next}{plan}{missing}"),
        Keyboard::None,
    );
    ctx.notice("done");
    Ok(())
}

pub async fn decline(ctx: &mut Ctx<'_>, id: SponsorshipId, message_id: Option<i64>) -> Result {
    let actor = ctx.actor();
    let s = match lifecycle::decline(ctx.conn, &actor, id, ctx.now).await? {
        Ok(s) => s,
        Err(r) => {
            ctx.notice(refusals::sponsorship(r));
            return Ok(());
        }
    };
    ctx.dialogue = Dialogue::Reason {
        sponsorship: s.id,
        ending: false,
    };
    let text = ctx.tr("offer-declined-ask-reason");
    let keyboard = Keyboard::inline(vec![vec![Button::new(
        ctx.tr("skip"),
        Callback::SkipReason.encode(),
    )]]);
    ctx.show(message_id, text, keyboard);
    Ok(())
}

/// `/anak`: the sponsor's children and open offers; `/anak ID` one of them, refused when not theirs.
pub async fn my_children(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let actor = ctx.actor();
    if !args.trim().is_empty() {
        let Some(wanted) = args.trim().parse::<i64>().ok().filter(|n| *n > 0) else {
            ctx.say("sponsorship-not-yours");
            return Ok(());
        };
        return match lifecycle::my_child(ctx.conn, &actor, ChildId(wanted)).await? {
            Ok((s, child, history)) => show_child(ctx, &s, &child, &history),
            Err(r) => {
                ctx.say(refusals::sponsorship(r));
                Ok(())
            }
        };
    }
    let (mine, open) = match lifecycle::mine(ctx.conn, &actor).await? {
        Ok(x) => x,
        Err(r) => {
            ctx.say(refusals::sponsorship(r));
            return Ok(());
        }
    };
    if mine.is_empty() && open.is_empty() {
        ctx.say("my-children-none");
        return Ok(());
    }
    let mut lines = vec![ctx.trf(
        "my-children-header",
        &[("count", Arg::Num(mine.len() as i64))],
    )];
    let mut rows = Vec::new();
    for (s, child) in &mine {
        let months = age_months(child.birth_date, ctx.now.date_naive()).unwrap_or(0);
        let since = s
            .started_at
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_default();
        let name = first_name(&child.full_name).to_owned();
        lines.push(ctx.trf(
            "my-children-line",
            &[
                ("id", Arg::Num(child.id.0)),
                ("name", Arg::Text(&name)),
                ("months", Arg::Num(i64::from(months))),
                ("place", Arg::Text(&child_place(child))),
                ("since", Arg::Text(&since)),
            ],
        ));
        rows.push(vec![Button::new(
            ctx.trf("end-button", &[("name", Arg::Text(&name))]),
            Callback::End(s.id).encode(),
        )]);
    }
    if !open.is_empty() {
        lines.push(ctx.trf(
            "my-children-open-offers",
            &[("count", Arg::Num(open.len() as i64))],
        ));
    }
    ctx.reply(lines.join("\n"), Keyboard::inline(rows));
    for s in open {
        let lang = ctx.lang();
        if let Some((text, keyboard)) =
            lifecycle::offer_message(ctx.conn, lang, &s, ctx.now).await?
        {
            ctx.reply(text, keyboard);
        }
    }
    Ok(())
}

fn show_child(
    ctx: &mut Ctx<'_>,
    s: &Sponsorship,
    child: &Child,
    history: &[Measurement],
) -> Result {
    let months = age_months(child.birth_date, ctx.now.date_naive()).unwrap_or(0);
    let status = ctx.tr(lifecycle::stunting_key(child));
    let text = ctx.trf(
        "my-child-card",
        &[
            ("name", Arg::Text(first_name(&child.full_name))),
            ("months", Arg::Num(i64::from(months))),
            ("place", Arg::Text(&child_place(child))),
            ("status", Arg::Text(&status)),
            ("duration", Arg::Num(i64::from(s.commitment.months))),
            ("amount", Arg::Text(&rupiah(s.commitment.monthly_amount))),
        ],
    );
    // The sponsor follows the child's growth too: the latest z-scores and the chart, never the family's details.
    let lang = ctx.lang();
    let mut lines = vec![text];
    lines.extend(growth::card_lines(lang, child, history));
    let keyboard = growth::card_keyboard(lang, child.id, !history.is_empty(), false);
    ctx.reply(lines.join("\n"), keyboard);
    Ok(())
}

/// A sponsor pressed "End": asks why; the sponsorship ends with the answer (or a skip).
pub async fn ask_end(ctx: &mut Ctx<'_>, id: SponsorshipId, message_id: Option<i64>) -> Result {
    let actor = ctx.actor();
    match lifecycle::may_end(ctx.conn, &actor, id).await? {
        Ok(_) => {
            ctx.dialogue = Dialogue::Reason {
                sponsorship: id,
                ending: true,
            };
            let text = ctx.tr("end-ask-reason");
            let keyboard = Keyboard::inline(vec![vec![Button::new(
                ctx.tr("skip"),
                Callback::SkipReason.encode(),
            )]]);
            ctx.show(message_id, text, keyboard);
        }
        Err(r) => ctx.notice(refusals::sponsorship(r)),
    }
    Ok(())
}

/// The reason typed (or skipped) for a decline or an end.
pub async fn reason(
    ctx: &mut Ctx<'_>,
    sponsorship: SponsorshipId,
    ending: bool,
    reason: Option<&str>,
    message_id: Option<i64>,
) -> Result {
    ctx.dialogue = Dialogue::Idle;
    let actor = ctx.actor();
    if !ending {
        if let Some(r) = reason {
            lifecycle::add_reason(ctx.conn, &actor, sponsorship, r, ctx.now).await?;
        }
        let text = ctx.tr("offer-declined");
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    match lifecycle::end(ctx.conn, &actor, sponsorship, reason, ctx.now).await? {
        Ok(_) => {
            let text = ctx.tr("sponsorship-end-done");
            ctx.show(message_id, text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::sponsorship(r)),
    }
    Ok(())
}

/// `/minta_anak`: holds the child of the sponsor's kecamatan who has waited longest, for a short while.
pub async fn request_child(ctx: &mut Ctx<'_>) -> Result {
    let actor = ctx.actor();
    match lifecycle::request_child(ctx.conn, &actor, ctx.bot.hold, ctx.now).await? {
        Ok(s) => {
            let lang = ctx.lang();
            if let Some((text, keyboard)) =
                lifecycle::offer_message(ctx.conn, lang, &s, ctx.now).await?
            {
                ctx.reply(text, keyboard);
            }
        }
        Err(r) => ctx.say(refusals::sponsorship(r)),
    }
    Ok(())
}
