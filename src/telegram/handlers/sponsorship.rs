//! The sponsor's side of a sponsorship: offers to accept or decline, asking for a child, their children,
//! ending. Before accepting, a sponsor sees initials, age, village and status only — never the name,
//! address or NIK.

use super::Result;
use super::common::child_place;
use crate::callback::Callback;
use crate::domain::Lang;
use crate::domain::child::{age_months, first_name, initials};
use crate::domain::dialogue::Dialogue;
use crate::domain::growth::{Stunting, stunting};
use crate::domain::sponsorship::{Origin, SponsorshipId, SponsorshipStatus, rupiah};
use crate::i18n::{Arg, t, tf};
use crate::outbound::{Button, Keyboard};
use crate::services::sponsorships::{self as lifecycle, Refusal};
use crate::store::children::Child;
use crate::store::sponsorships::Sponsorship;
use crate::store::{
    Conn, children, coordinators, deliveries, plans, sponsors, sponsorships, users, volunteers,
};
use crate::telegram::context::Ctx;
use chrono::{DateTime, Utc};

fn status_key(c: &Child) -> &'static str {
    match c.haz.map(stunting) {
        Some(Stunting::Severe) => "child-status-severe",
        Some(Stunting::Stunted) => "child-status-stunted",
        Some(Stunting::Normal) => "child-status-normal",
        None => "child-status-unmeasured",
    }
}

/// The offer a sponsor receives: what they may know before accepting, the terms, and two buttons.
pub async fn offer_message(
    conn: &mut Conn,
    lang: Lang,
    s: &Sponsorship,
    now: DateTime<Utc>,
) -> Result<Option<(String, Keyboard)>> {
    let Some(child) = children::get(conn, s.child).await? else {
        return Ok(None);
    };
    let months = age_months(child.birth_date, now.date_naive()).unwrap_or(0);
    let haz = child
        .haz
        .map(|z| format!("{z:.1}"))
        .unwrap_or_else(|| "—".into());
    let status = t(lang, status_key(&child));
    // Rounded up: the stored deadline lost its sub-millisecond part, so 15 minutes would read as 14.
    let minutes = s.expires_at.map_or(0, |at| {
        ((at - now).num_seconds() + 59).div_euclid(60).max(1)
    });
    let key = if s.status == SponsorshipStatus::Held {
        "offer-held"
    } else {
        "offer-new"
    };
    let text = tf(
        lang,
        key,
        &[
            ("initials", Arg::Text(&initials(&child.full_name))),
            ("months", Arg::Num(i64::from(months))),
            ("place", Arg::Text(&child_place(&child))),
            ("status", Arg::Text(&status)),
            ("haz", Arg::Text(&haz)),
            ("duration", Arg::Num(i64::from(s.commitment.months))),
            ("amount", Arg::Text(&rupiah(s.commitment.monthly_amount))),
            ("minutes", Arg::Num(minutes)),
        ],
    );
    let text = text + &plan_line(conn, lang, s.id).await?;
    let keyboard = Keyboard::inline(vec![vec![
        Button::new(t(lang, "offer-accept"), Callback::Accept(s.id).encode()),
        Button::new(t(lang, "offer-decline"), Callback::Decline(s.id).encode()),
    ]]);
    Ok(Some((text, keyboard)))
}

/// "\n\n📦 Package … every …": what the sponsor commits to deliver, when the sponsorship has a plan.
async fn plan_line(conn: &mut Conn, lang: Lang, id: SponsorshipId) -> Result<String> {
    let Some((package, cadence, deliverer)) = deliveries::plan_ids(conn, id).await? else {
        return Ok(String::new());
    };
    let Some(plan) = plans::plan(conn, package, cadence, &deliverer).await? else {
        return Ok(String::new());
    };
    let deliverer = t(lang, &format!("deliverer-{}", plan.deliverer.as_str()));
    Ok(format!(
        "\n\n{}",
        tf(
            lang,
            "offer-plan",
            &[
                ("package", Arg::Text(&plan.package.name)),
                (
                    "items",
                    Arg::Text(&crate::domain::package::summary(&plan.package.items))
                ),
                ("cadence", Arg::Text(&plan.cadence.name)),
                ("deliverer", Arg::Text(&deliverer)),
            ],
        )
    ))
}

/// Sends an offer to its sponsor, in their language.
pub async fn send_offer(ctx: &mut Ctx<'_>, id: SponsorshipId) -> Result {
    let Some(s) = sponsorships::get(ctx.conn, id).await? else {
        return Ok(());
    };
    let lang = users::language(ctx.conn, s.sponsor).await?;
    if let Some((text, keyboard)) = offer_message(ctx.conn, lang, &s, ctx.now).await? {
        ctx.send_to(s.sponsor, text, keyboard);
    }
    Ok(())
}

pub fn refusal_key(r: Refusal) -> &'static str {
    match r {
        Refusal::NotFound | Refusal::NotYours => "sponsorship-not-yours",
        Refusal::AlreadyDecided(_) => "sponsorship-already-decided",
        Refusal::ChildClosed => "child-closed",
        Refusal::ChildTaken => "child-taken",
        Refusal::NotASponsor => "not-an-approved-sponsor",
        Refusal::SponsorFull => "sponsor-full",
        Refusal::NoChildWaiting => "no-child-waiting",
    }
}

pub async fn accept(ctx: &mut Ctx<'_>, id: SponsorshipId, message_id: Option<i64>) -> Result {
    let s = match lifecycle::accept(ctx.conn, id, ctx.user_id(), ctx.now).await? {
        Ok(s) => s,
        Err(r) => {
            ctx.notice(refusal_key(r));
            return Ok(());
        }
    };
    let Some(child) = children::get(ctx.conn, s.child).await? else {
        return Ok(());
    };
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
    let settings = ctx.bot.deliveries.clone();
    let first = crate::services::deliveries::plan_new(ctx.conn, s.id, &settings, ctx.now).await?;
    let next = match first {
        Some(d) => ctx.trf(
            "offer-first-delivery",
            &[
                (
                    "date",
                    Arg::Text(&crate::i18n::date_label(ctx.lang(), d.due_on)),
                ),
                (
                    "deliveries",
                    Arg::Text(&crate::telegram::commands::Command::Deliveries.slash(ctx.lang())),
                ),
            ],
        ),
        None => ctx.tr("offer-no-plan-yet"),
    };
    let text = format!(
        "{text}\n\n{next}{}",
        plan_line(ctx.conn, ctx.lang(), s.id).await?
    );
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    let sponsor_name = sponsors::name(ctx.conn, s.sponsor).await?;
    for volunteer in volunteers::serving(ctx.conn, &child.kecamatan, child.village.as_ref()).await?
    {
        let lang = users::language(ctx.conn, volunteer).await?;
        let text = tf(
            lang,
            "volunteer-new-sponsorship",
            &[
                ("child", Arg::Text(first_name(&child.full_name))),
                ("place", Arg::Text(&child_place(&child))),
                ("sponsor", Arg::Text(&sponsor_name)),
            ],
        );
        ctx.send_to(volunteer, text, Keyboard::None);
    }
    notify_coordinators(ctx, &child, "coordinator-offer-accepted", &sponsor_name).await
}

/// Tells the coordinators of the child's area what happened, with the area's counts.
async fn notify_coordinators(
    ctx: &mut Ctx<'_>,
    child: &Child,
    key: &str,
    sponsor_name: &str,
) -> Result {
    let scope = crate::domain::role::Scope::Region(child.kecamatan.clone());
    let counts = children::counts(ctx.conn, &scope).await?;
    let count = |s: crate::domain::child::ChildStatus| {
        counts.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n)
    };
    let matched = count(crate::domain::child::ChildStatus::Matched);
    let waiting = count(crate::domain::child::ChildStatus::Unmatched);
    let area = child
        .kecamatan_name
        .clone()
        .unwrap_or_else(|| child.kecamatan.to_string());
    for coordinator in coordinators::covering(ctx.conn, &child.kecamatan).await? {
        let lang = users::language(ctx.conn, coordinator).await?;
        let text = tf(
            lang,
            key,
            &[
                ("sponsor", Arg::Text(sponsor_name)),
                ("child", Arg::Text(&child.full_name)),
                ("id", Arg::Num(child.id.0)),
                ("area", Arg::Text(&area)),
                ("matched", Arg::Num(matched)),
                ("waiting", Arg::Num(waiting)),
            ],
        );
        ctx.send_to(coordinator, text, Keyboard::None);
    }
    Ok(())
}

pub async fn decline(ctx: &mut Ctx<'_>, id: SponsorshipId, message_id: Option<i64>) -> Result {
    let s = match lifecycle::decline(ctx.conn, id, ctx.user_id(), ctx.now).await? {
        Ok(s) => s,
        Err(r) => {
            ctx.notice(refusal_key(r));
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
    if let Some(child) = children::get(ctx.conn, s.child).await? {
        let name = ctx.me.first_name.clone();
        notify_coordinators(ctx, &child, "coordinator-offer-declined", &name).await?;
    }
    Ok(())
}

/// `/anak`: the sponsor's children and open offers; `/anak ID` one of them, refused when not theirs.
pub async fn my_children(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let me = ctx.user_id();
    let mine = sponsorships::of_sponsor(ctx.conn, me, &[SponsorshipStatus::Active]).await?;
    if !args.trim().is_empty() {
        let wanted = args.trim().parse::<i64>().ok();
        let Some(s) = mine.iter().find(|s| Some(s.child.0) == wanted) else {
            ctx.say("sponsorship-not-yours");
            return Ok(());
        };
        return show_child(ctx, s).await;
    }
    let open = sponsorships::of_sponsor(
        ctx.conn,
        me,
        &[SponsorshipStatus::Proposed, SponsorshipStatus::Held],
    )
    .await?;
    if mine.is_empty() && open.is_empty() {
        ctx.say("my-children-none");
        return Ok(());
    }
    let mut lines = vec![ctx.trf(
        "my-children-header",
        &[("count", Arg::Num(mine.len() as i64))],
    )];
    let mut rows = Vec::new();
    for s in &mine {
        let Some(child) = children::get(ctx.conn, s.child).await? else {
            continue;
        };
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
                ("place", Arg::Text(&child_place(&child))),
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
        if let Some((text, keyboard)) = offer_message(ctx.conn, lang, &s, ctx.now).await? {
            ctx.reply(text, keyboard);
        }
    }
    Ok(())
}

async fn show_child(ctx: &mut Ctx<'_>, s: &Sponsorship) -> Result {
    let Some(child) = children::get(ctx.conn, s.child).await? else {
        return Ok(());
    };
    let months = age_months(child.birth_date, ctx.now.date_naive()).unwrap_or(0);
    let status = ctx.tr(status_key(&child));
    let text = ctx.trf(
        "my-child-card",
        &[
            ("name", Arg::Text(first_name(&child.full_name))),
            ("months", Arg::Num(i64::from(months))),
            ("place", Arg::Text(&child_place(&child))),
            ("status", Arg::Text(&status)),
            ("duration", Arg::Num(i64::from(s.commitment.months))),
            ("amount", Arg::Text(&rupiah(s.commitment.monthly_amount))),
        ],
    );
    // The sponsor follows the child's growth too: the latest z-scores and the chart, never the family's details.
    let history = crate::store::measurements::history(ctx.conn, child.id).await?;
    let lang = ctx.lang();
    let mut lines = vec![text];
    lines.extend(crate::services::growth::card_lines(lang, &child, &history));
    let keyboard =
        crate::services::growth::card_keyboard(lang, child.id, !history.is_empty(), false);
    ctx.reply(lines.join("\n"), keyboard);
    Ok(())
}

/// A sponsor pressed "End": asks why; the sponsorship ends with the answer (or a skip).
pub async fn ask_end(ctx: &mut Ctx<'_>, id: SponsorshipId, message_id: Option<i64>) -> Result {
    match sponsorships::get(ctx.conn, id).await? {
        Some(s) if s.sponsor == ctx.user_id() && s.status == SponsorshipStatus::Active => {
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
        Some(s) if s.sponsor == ctx.user_id() => ctx.notice("sponsorship-already-decided"),
        _ => ctx.notice("sponsorship-not-yours"),
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
    let me = ctx.user_id();
    if !ending {
        if let Some(r) = reason {
            lifecycle::add_reason(ctx.conn, sponsorship, me, r).await?;
        }
        let text = ctx.tr("offer-declined");
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    match lifecycle::end(ctx.conn, sponsorship, me, reason, ctx.now).await? {
        Ok(s) => {
            let text = ctx.tr("sponsorship-end-done");
            ctx.show(message_id, text, Keyboard::None);
            if let Some(child) = children::get(ctx.conn, s.child).await? {
                let name = ctx.me.first_name.clone();
                notify_coordinators(ctx, &child, "coordinator-sponsorship-ended", &name).await?;
            }
        }
        Err(r) => ctx.say(refusal_key(r)),
    }
    Ok(())
}

/// `/minta_anak`: holds the child of the sponsor's kecamatan who has waited longest, for a short while.
pub async fn request_child(ctx: &mut Ctx<'_>) -> Result {
    let me = ctx.user_id();
    let Some(sponsor) = sponsors::get(ctx.conn, me).await? else {
        return Ok(());
    };
    let Some(child) =
        children::longest_waiting(ctx.conn, &sponsor.registration.area.kecamatan).await?
    else {
        ctx.say("no-child-waiting");
        return Ok(());
    };
    match lifecycle::offer(
        ctx.conn,
        child.id,
        me,
        Origin::Request,
        ctx.bot.hold,
        Some(me),
        ctx.now,
    )
    .await?
    {
        Ok(id) => {
            let Some(s) = sponsorships::get(ctx.conn, id).await? else {
                return Ok(());
            };
            let lang = ctx.lang();
            if let Some((text, keyboard)) = offer_message(ctx.conn, lang, &s, ctx.now).await? {
                ctx.reply(text, keyboard);
            }
        }
        Err(r) => ctx.say(refusal_key(r)),
    }
    Ok(())
}
