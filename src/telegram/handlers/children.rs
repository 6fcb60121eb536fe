//! Coordinator work on children: search, view, edit and close a case; run the matcher; pair or transfer
//! by hand; set an office's commitment; send a file to import.

use super::Result;
use super::common::{child_place, more_line};
use super::sponsorship::{refusal_key, send_offer};
use crate::callback::Callback;
use crate::domain::child::{ChildId, ChildStatus, age_months};
use crate::domain::role::Scope;
use crate::domain::sponsor::Phone;
use crate::domain::sponsorship::{Commitment, Origin, SponsorshipStatus, rupiah};
use crate::domain::{OfficeId, RegionCode, UserId};
use crate::i18n::{Arg, t, tf};
use crate::outbound::{Button, Keyboard};
use crate::services::growth;
use crate::services::matching;
use crate::services::sponsorships as lifecycle;
use crate::store::children::{self, EditableField, Filter};
use crate::store::{
    audit, import_jobs, measurements, offices, regions, sponsors, sponsorships, users,
};
use crate::telegram::context::Ctx;

const LIST_LIMIT: i64 = 30;

fn status_label(lang: crate::domain::Lang, s: ChildStatus) -> String {
    t(lang, &format!("child-{}", s.as_str()))
}

/// `/anak_cari [text] [status] [region code]`
pub async fn search(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let mut filter = Filter::default();
    let mut text = Vec::new();
    for word in args.split_whitespace() {
        if let Ok(code) = RegionCode::parse(word) {
            filter.region = Some(code);
        } else if let Some(status) = parse_status(word) {
            filter.status = Some(status);
        } else {
            text.push(word);
        }
    }
    if !text.is_empty() {
        filter.text = Some(text.join(" "));
    }
    let (list, total) = children::search(ctx.conn, scope, &filter, LIST_LIMIT).await?;
    if list.is_empty() {
        ctx.say("children-none");
        return Ok(());
    }
    let lang = ctx.lang();
    let mut lines = vec![ctx.trf("children-header", &[("count", Arg::Num(total))])];
    for c in &list {
        let months = age_months(c.birth_date, ctx.now.date_naive()).unwrap_or(0);
        lines.push(ctx.trf(
            "child-line",
            &[
                ("id", Arg::Num(c.id.0)),
                ("name", Arg::Text(&c.full_name)),
                ("months", Arg::Num(i64::from(months))),
                ("place", Arg::Text(&child_place(c))),
                ("status", Arg::Text(&status_label(lang, c.status))),
            ],
        ));
    }
    lines.extend(more_line(ctx, list.len(), total));
    ctx.reply(lines.join("\n"), Keyboard::None);
    Ok(())
}

fn parse_status(word: &str) -> Option<ChildStatus> {
    Some(match word.to_lowercase().as_str() {
        "unmatched" | "menunggu" | "belum" => ChildStatus::Unmatched,
        "matched" | "diasuh" => ChildStatus::Matched,
        "graduated" | "lulus" => ChildStatus::Graduated,
        "moved" | "pindah" => ChildStatus::Moved,
        "deceased" | "meninggal" => ChildStatus::Deceased,
        _ => return None,
    })
}

async fn child_in_scope(
    ctx: &mut Ctx<'_>,
    scope: &Scope,
    id: Option<ChildId>,
) -> Result<Option<children::Child>> {
    let child = match id {
        Some(id) => children::get(ctx.conn, id).await?,
        None => None,
    };
    match child {
        Some(c) if scope.covers(&c.kecamatan) => Ok(Some(c)),
        Some(_) => {
            ctx.say("error-not-in-scope");
            Ok(None)
        }
        None => {
            ctx.say("child-unknown");
            Ok(None)
        }
    }
}

fn child_id(s: &str) -> Option<ChildId> {
    s.trim().parse::<i64>().ok().filter(|n| *n > 0).map(ChildId)
}

/// `/anak_lihat ID`: the child's card for the coordinator, with the case actions.
pub async fn view(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let Some(c) = child_in_scope(ctx, scope, child_id(args)).await? else {
        return Ok(());
    };
    let lang = ctx.lang();
    let months = age_months(c.birth_date, ctx.now.date_naive()).unwrap_or(0);
    let live = sponsorships::live_for_child(ctx.conn, c.id).await?;
    let sponsor = match &live {
        Some(s) => {
            let name = sponsors::name(ctx.conn, s.sponsor).await?;
            let state = t(lang, &format!("sponsorship-{}", s.status.as_str()));
            format!("{name} ({state})")
        }
        None => "—".into(),
    };
    let area = super::common::area_label(&c.kecamatan_name, &c.village_name, &c.kecamatan);
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    let text = ctx.trf(
        "child-card",
        &[
            ("id", Arg::Num(c.id.0)),
            ("name", Arg::Text(&c.full_name)),
            (
                "sex",
                Arg::Text(&t(
                    lang,
                    if c.sex == crate::domain::child::Sex::Male {
                        "sex-male"
                    } else {
                        "sex-female"
                    },
                )),
            ),
            (
                "birth",
                Arg::Text(&c.birth_date.format("%d-%m-%Y").to_string()),
            ),
            ("months", Arg::Num(i64::from(months))),
            ("guardian", Arg::Text(&c.guardian_name)),
            ("phone", Arg::Text(&dash(&c.guardian_phone))),
            ("address", Arg::Text(&dash(&c.address))),
            ("area", Arg::Text(&area)),
            ("posyandu", Arg::Text(&dash(&c.posyandu))),
            ("status", Arg::Text(&status_label(lang, c.status))),
            ("sponsor", Arg::Text(&sponsor)),
            ("notes", Arg::Text(&dash(&c.notes))),
        ],
    );
    let history = measurements::history(ctx.conn, c.id).await?;
    let mut text = text;
    for line in growth::card_lines(lang, &c, &history) {
        text.push('\n');
        text.push_str(&line);
    }
    let growth_buttons =
        match growth::card_keyboard(lang, c.id, !history.is_empty(), !c.status.is_closed()) {
            Keyboard::Inline { rows } => rows,
            _ => Vec::new(),
        };
    let keyboard = if c.status.is_closed() {
        Keyboard::inline(growth_buttons)
    } else {
        let mut row = vec![Button::new(
            ctx.tr("close-case"),
            Callback::CloseMenu(c.id).encode(),
        )];
        if let Some(s) = live.filter(|s| s.status == SponsorshipStatus::Active) {
            row.push(Button::new(
                ctx.tr("plan-change"),
                Callback::SponsorshipPlan {
                    sponsorship: s.id,
                    package: None,
                    cadence: None,
                }
                .encode(),
            ));
        }
        Keyboard::inline(std::iter::once(row).chain(growth_buttons).collect())
    };
    ctx.reply(text, keyboard);
    Ok(())
}

pub async fn close_menu(ctx: &mut Ctx<'_>, child: ChildId, message_id: Option<i64>) -> Result {
    let Some(scope) = ctx.roles.coordinator.clone() else {
        ctx.notice("error-not-allowed");
        return Ok(());
    };
    let Some(c) = children::get(ctx.conn, child)
        .await?
        .filter(|c| scope.covers(&c.kecamatan))
    else {
        ctx.notice("error-not-in-scope");
        return Ok(());
    };
    let lang = ctx.lang();
    let rows = [
        ChildStatus::Graduated,
        ChildStatus::Moved,
        ChildStatus::Deceased,
    ]
    .into_iter()
    .map(|s| {
        vec![Button::new(
            status_label(lang, s),
            Callback::Close { child, status: s }.encode(),
        )]
    })
    .collect();
    let text = ctx.trf("close-case-ask", &[("name", Arg::Text(&c.full_name))]);
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

/// Closes a child's case: the live sponsorship ends and the sponsor is told.
pub async fn close(
    ctx: &mut Ctx<'_>,
    child: ChildId,
    status: ChildStatus,
    message_id: Option<i64>,
) -> Result {
    let Some(scope) = ctx.roles.coordinator.clone() else {
        ctx.notice("error-not-allowed");
        return Ok(());
    };
    let Some(c) = children::get(ctx.conn, child)
        .await?
        .filter(|c| scope.covers(&c.kecamatan))
    else {
        ctx.notice("error-not-in-scope");
        return Ok(());
    };
    if c.status.is_closed() {
        ctx.notice("child-closed");
        return Ok(());
    }
    if let Some(s) = lifecycle::close_case(ctx.conn, child, status, ctx.user_id(), ctx.now).await? {
        let lang = users::language(ctx.conn, s.sponsor).await?;
        let reason = status_label(lang, status);
        let first = crate::domain::child::first_name(&c.full_name).to_owned();
        let text = tf(
            lang,
            "sponsor-child-closed",
            &[("name", Arg::Text(&first)), ("reason", Arg::Text(&reason))],
        );
        ctx.send_to(s.sponsor, text, Keyboard::None);
    }
    let label = status_label(ctx.lang(), status);
    let text = ctx.trf(
        "case-closed",
        &[
            ("name", Arg::Text(&c.full_name)),
            ("status", Arg::Text(&label)),
        ],
    );
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    Ok(())
}

/// `/anak_ubah ID field value…`
pub async fn edit(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let mut words = args.splitn(3, char::is_whitespace);
    let id = words.next().and_then(child_id);
    let field = words.next().and_then(EditableField::parse);
    let value = words.next().map(str::trim).filter(|v| !v.is_empty());
    let (Some(_), Some(field), Some(value)) = (id, field, value) else {
        ctx.say("child-edit-usage");
        return Ok(());
    };
    let Some(c) = child_in_scope(ctx, scope, id).await? else {
        return Ok(());
    };
    let stored = match field {
        EditableField::Name | EditableField::Guardian => {
            crate::domain::sponsor::PersonName::parse(value)
                .ok()
                .map(String::from)
        }
        EditableField::Phone => Phone::parse(value).ok().map(String::from),
        EditableField::Village => match RegionCode::parse(value) {
            // A village of the child's own kecamatan that is set up.
            Ok(v)
                if c.kecamatan.contains(&v) && v.level() == crate::domain::RegionLevel::Village =>
            {
                regions::get(ctx.conn, &v).await?.map(|_| String::from(v))
            }
            _ => None,
        },
        EditableField::Address | EditableField::Posyandu | EditableField::Notes => {
            (value.chars().count() <= 300).then(|| value.to_owned())
        }
    };
    let Some(stored) = stored else {
        ctx.say("child-edit-invalid");
        return Ok(());
    };
    children::set_field(ctx.conn, c.id, field, Some(&stored), ctx.now).await?;
    audit::record(
        ctx.conn,
        ctx.now,
        Some(ctx.user_id()),
        &format!("child.edit.{}", field.as_str()),
        &format!("child:{}", c.id),
        None,
    )
    .await?;
    let text = ctx.trf("child-edited", &[("id", Arg::Num(c.id.0))]);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// `/cocokkan`: what a matching run would do, with a button to make the offers.
pub async fn match_preview(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let preview = matching::preview(ctx.conn, scope, ctx.now).await?;
    if preview.plan.pairs.is_empty() && preview.plan.unmatched.is_empty() {
        ctx.say("match-nothing");
        return Ok(());
    }
    let (no_sponsor, full) = preview.reasons();
    let mut lines = vec![ctx.trf(
        "match-preview",
        &[
            ("pairs", Arg::Num(preview.plan.pairs.len() as i64)),
            ("unmatched", Arg::Num(preview.plan.unmatched.len() as i64)),
            ("nosponsor", Arg::Num(no_sponsor as i64)),
            ("full", Arg::Num(full as i64)),
        ],
    )];
    for (code, (pairs, unmatched)) in &preview.by_kecamatan {
        let name = regions::name_or_code(ctx.conn, code).await?;
        lines.push(ctx.trf(
            "match-preview-line",
            &[
                ("area", Arg::Text(&name)),
                ("pairs", Arg::Num(*pairs as i64)),
                ("unmatched", Arg::Num(*unmatched as i64)),
            ],
        ));
    }
    let keyboard = if preview.plan.pairs.is_empty() {
        Keyboard::None
    } else {
        Keyboard::inline(vec![vec![
            Button::new(
                ctx.tr("match-confirm"),
                Callback::MatchConfirm(true).encode(),
            ),
            Button::new(
                ctx.tr("confirm-cancel"),
                Callback::MatchConfirm(false).encode(),
            ),
        ]])
    };
    ctx.reply(lines.join("\n"), keyboard);
    Ok(())
}

pub async fn match_confirm(ctx: &mut Ctx<'_>, confirmed: bool, message_id: Option<i64>) -> Result {
    let Some(scope) = ctx.roles.coordinator.clone() else {
        ctx.notice("error-not-allowed");
        return Ok(());
    };
    if !confirmed {
        let text = ctx.tr("cancel-done");
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    let (_, offers) =
        matching::confirm(ctx.conn, &scope, ctx.user_id(), ctx.bot.offer_ttl, ctx.now).await?;
    for offer in &offers {
        send_offer(ctx, offer.sponsorship).await?;
    }
    audit::record(
        ctx.conn,
        ctx.now,
        Some(ctx.user_id()),
        "match.run",
        "children",
        Some(&offers.len().to_string()),
    )
    .await?;
    let text = ctx.trf("match-done", &[("count", Arg::Num(offers.len() as i64))]);
    ctx.show(message_id, text, Keyboard::None);
    ctx.notice("done");
    Ok(())
}

fn two_ids(args: &str) -> Option<(ChildId, UserId)> {
    let mut words = args.split_whitespace();
    let child = words.next().and_then(child_id)?;
    let sponsor = words.next().and_then(UserId::parse)?;
    words.next().is_none().then_some((child, sponsor))
}

/// `/pasangkan CHILD SPONSOR`: an offer made by hand.
pub async fn pair(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let Some((child, sponsor)) = two_ids(args) else {
        ctx.say("pair-usage");
        return Ok(());
    };
    if child_in_scope(ctx, scope, Some(child)).await?.is_none() {
        return Ok(());
    }
    match lifecycle::offer(
        ctx.conn,
        child,
        sponsor,
        Origin::Manual,
        ctx.bot.offer_ttl,
        Some(ctx.user_id()),
        ctx.now,
    )
    .await?
    {
        Ok(id) => {
            send_offer(ctx, id).await?;
            let text = ctx.trf(
                "pair-done",
                &[
                    ("child", Arg::Num(child.0)),
                    ("sponsor", Arg::Num(sponsor.0)),
                ],
            );
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusal_key(r)),
    }
    Ok(())
}

/// `/alihkan CHILD SPONSOR`: the child moves to another sponsor, who gets an offer.
pub async fn transfer(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let Some((child, sponsor)) = two_ids(args) else {
        ctx.say("transfer-usage");
        return Ok(());
    };
    let Some(c) = child_in_scope(ctx, scope, Some(child)).await? else {
        return Ok(());
    };
    match lifecycle::transfer(
        ctx.conn,
        child,
        sponsor,
        ctx.bot.offer_ttl,
        ctx.user_id(),
        ctx.now,
    )
    .await?
    {
        Ok((old, id)) => {
            if let Some(old) = old {
                let lang = users::language(ctx.conn, old.sponsor).await?;
                let first = crate::domain::child::first_name(&c.full_name).to_owned();
                ctx.send_to(
                    old.sponsor,
                    tf(
                        lang,
                        "sponsor-child-transferred",
                        &[("name", Arg::Text(&first))],
                    ),
                    Keyboard::None,
                );
            }
            send_offer(ctx, id).await?;
            let text = ctx.trf(
                "transfer-done",
                &[
                    ("child", Arg::Num(child.0)),
                    ("sponsor", Arg::Num(sponsor.0)),
                ],
            );
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusal_key(r)),
    }
    Ok(())
}

/// `/komitmen OFFICE_ID MONTHS AMOUNT`
pub async fn commitment(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let words: Vec<&str> = args.split_whitespace().collect();
    let parsed = match words.as_slice() {
        [office, months, amount] => office.parse::<i64>().ok().map(OfficeId).zip(
            months
                .parse::<i64>()
                .ok()
                .zip(amount.replace('.', "").parse::<i64>().ok())
                .and_then(|(m, a)| Commitment::new(m, a)),
        ),
        _ => None,
    };
    let Some((office, terms)) = parsed else {
        let d = Commitment::default();
        let text = ctx.trf(
            "commitment-usage",
            &[
                ("months", Arg::Num(i64::from(d.months))),
                ("amount", Arg::Text(&rupiah(d.monthly_amount))),
            ],
        );
        ctx.reply(text, Keyboard::None);
        return Ok(());
    };
    let Some(name) = offices::name(ctx.conn, office).await? else {
        ctx.say("office-unknown");
        return Ok(());
    };
    offices::set_commitment(ctx.conn, office, terms).await?;
    audit::record(
        ctx.conn,
        ctx.now,
        Some(ctx.user_id()),
        "office.commitment",
        &format!("office:{}", office.0),
        Some(&format!("{} {}", terms.months, terms.monthly_amount)),
    )
    .await?;
    let text = ctx.trf(
        "commitment-set",
        &[
            ("office", Arg::Text(&name)),
            ("months", Arg::Num(i64::from(terms.months))),
            ("amount", Arg::Text(&rupiah(terms.monthly_amount))),
        ],
    );
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// A document from a coordinator: a file to import (children, or regions when the caption says so).
pub async fn document(
    ctx: &mut Ctx<'_>,
    file_id: &str,
    file_name: &str,
    size: u64,
    caption: &str,
) -> Result {
    const MAX: u64 = 20 * 1024 * 1024;
    if size > MAX {
        ctx.say("import-too-big");
        return Ok(());
    }
    let lower = file_name.to_lowercase();
    if !(lower.ends_with(".csv") || lower.ends_with(".xlsx")) {
        ctx.say("import-wrong-type");
        return Ok(());
    }
    // A list of measurements or of regions says so in its caption or its name; anything else is a list
    // of children. Measurements are asked first: "pengukuran posyandu wilayah Kadia" is a measurements
    // list, while a regions list has no reason to speak of measuring ("ukur" is in "pengukuran").
    let caption = caption.to_lowercase();
    let says = |words: &[&str]| {
        words
            .iter()
            .any(|w| caption.contains(w) || lower.contains(w))
    };
    let kind = if says(&["ukur", "measure"]) {
        "measurements"
    } else if says(&["wilayah", "region"]) {
        "regions"
    } else {
        "children"
    };
    import_jobs::create(
        ctx.conn,
        kind,
        ctx.chat_id,
        ctx.user_id().0,
        file_id,
        file_name,
        ctx.now,
    )
    .await?;
    let text = ctx.trf("import-received", &[("file", Arg::Text(file_name))]);
    ctx.reply(text, Keyboard::None);
    Ok(())
}
