//! Coordinator work on children: search, view, edit and close a case; run the matcher; pair or transfer
//! by hand; set an office's commitment; send a file to import.

use super::Result;
use super::common::more_line;
use crate::callback::Callback;
use crate::domain::child::{ChildId, ChildStatus, age_months, initials};
use crate::domain::digest;
use crate::domain::matching::Pair;
use crate::domain::role::Scope;
use crate::domain::sponsorship::{Commitment, SponsorshipStatus, rupiah};
use crate::domain::{OfficeId, RegionCode, UserId};
use crate::i18n::{Arg, t};
use crate::outbound::{Button, Keyboard};
use crate::services::children::{self as service, ChildView};
use crate::services::growth;
use crate::services::imports;
use crate::services::labels::{area_label, child_place};
use crate::services::matching;
use crate::services::programme;
use crate::services::sponsorships as lifecycle;
use crate::store::children::{self, EditableField, Filter, PuskesmasFilter};
use crate::store::regions;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

const LIST_LIMIT: i64 = 30;

fn status_label(lang: crate::domain::Lang, s: ChildStatus) -> String {
    t(lang, &format!("child-{}", s.as_str()))
}

/// `/anak_cari [text] [status] [region code] [pkm:PUSKESMAS]`
pub async fn search(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let filter = parse_search(args);
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

/// What `/anak_cari` was asked: a region code, a status word, `pkm:NAME` (or `puskesmas:NAME`; a name of
/// several words in quotes, `pkm:"Lepo Lepo"`; `pkm:-` for children without a Puskesmas), and the rest a
/// part of a name.
fn parse_search(args: &str) -> Filter {
    let mut filter = Filter::default();
    let mut text = Vec::new();
    for word in words(args) {
        let lower = word.to_lowercase();
        let puskesmas = ["pkm:", "puskesmas:"]
            .into_iter()
            .find_map(|p| lower.starts_with(p).then(|| word[p.len()..].trim()));
        if let Some(name) = puskesmas {
            filter.puskesmas = match name {
                "" => None,
                "-" => Some(PuskesmasFilter::Without),
                name => Some(PuskesmasFilter::Named(name.to_owned())),
            };
        } else if let Ok(code) = RegionCode::parse(&word) {
            filter.region = Some(code);
        } else if let Some(status) = parse_status(&word) {
            filter.status = Some(status);
        } else {
            text.push(word);
        }
    }
    if !text.is_empty() {
        filter.text = Some(text.join(" "));
    }
    filter
}

/// The words of a command's arguments; a part in quotes (straight or curly, as phones type them) is one
/// word, spaces and all.
fn words(args: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in args.chars() {
        match c {
            '"' | '“' | '”' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
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

fn child_id(s: &str) -> Option<ChildId> {
    s.trim().parse::<i64>().ok().filter(|n| *n > 0).map(ChildId)
}

/// `/anak_lihat ID`: the child's card for the coordinator, with the case actions.
pub async fn view(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let Some(id) = child_id(args) else {
        ctx.say("child-unknown");
        return Ok(());
    };
    let actor = ctx.actor();
    let ChildView {
        child: c,
        live,
        history,
    } = match service::view(ctx.conn, &actor, id).await? {
        Ok(v) => v,
        Err(r) => {
            ctx.say(refusals::child(r));
            return Ok(());
        }
    };
    let lang = ctx.lang();
    let months = age_months(c.birth_date, ctx.now.date_naive()).unwrap_or(0);
    let sponsor = match &live {
        Some((s, name)) => {
            let state = t(lang, &format!("sponsorship-{}", s.status.as_str()));
            format!("{name} ({state})")
        }
        None => "—".into(),
    };
    let area = area_label(&c.kecamatan_name, &c.village_name, &c.kecamatan);
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".into());
    let mut text = ctx.trf(
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
            ("puskesmas", Arg::Text(&dash(&c.puskesmas))),
            ("posyandu", Arg::Text(&dash(&c.posyandu))),
            ("status", Arg::Text(&status_label(lang, c.status))),
            ("sponsor", Arg::Text(&sponsor)),
            ("notes", Arg::Text(&dash(&c.notes))),
        ],
    );
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
        if let Some((s, _)) = live.filter(|(s, _)| s.status == SponsorshipStatus::Active) {
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
    let actor = ctx.actor();
    let c = match service::managed(ctx.conn, &actor, child).await? {
        Ok(c) => c,
        Err(r) => {
            ctx.notice(refusals::child(r));
            return Ok(());
        }
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
    let actor = ctx.actor();
    let c = match service::close(ctx.conn, &actor, child, status, ctx.now).await? {
        Ok(c) => c,
        Err(r) => {
            ctx.notice(refusals::child(r));
            return Ok(());
        }
    };
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
pub async fn edit(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let mut words = args.splitn(3, char::is_whitespace);
    let id = words.next().and_then(child_id);
    let field = words.next().and_then(EditableField::parse);
    let value = words.next().map(str::trim).filter(|v| !v.is_empty());
    let (Some(id), Some(field), Some(value)) = (id, field, value) else {
        ctx.say("child-edit-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    match service::edit(ctx.conn, &actor, id, field, value, ctx.now).await? {
        Ok(()) => {
            let text = ctx.trf("child-edited", &[("id", Arg::Num(id.0))]);
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::child(r)),
    }
    Ok(())
}

/// `/cocokkan`: what a matching run would do, with a button to make the offers.
pub async fn match_preview(ctx: &mut Ctx<'_>) -> Result {
    let actor = ctx.actor();
    let preview = match matching::preview(ctx.conn, &actor, ctx.now).await? {
        Ok(p) => p,
        Err(d) => {
            ctx.say(refusals::denied(d));
            return Ok(());
        }
    };
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
    let pairs_by_kecamatan = preview.pairs_by_kecamatan();
    let mut areas = Vec::with_capacity(preview.by_kecamatan.len());
    let mut shown = 0;
    for (code, (pairs, unmatched)) in &preview.by_kecamatan {
        let name = regions::name_or_code(ctx.conn, code).await?;
        let head = ctx.trf(
            "match-preview-line",
            &[
                ("area", Arg::Text(&name)),
                ("pairs", Arg::Num(*pairs as i64)),
                ("unmatched", Arg::Num(*unmatched as i64)),
            ],
        );
        // Who gets whom, in priority order, while the message's share of pair lines lasts.
        let listed = pairs_by_kecamatan.get(code).map_or(&[][..], Vec::as_slice);
        let take = listed.len().min(PREVIEW_PAIR_LINES - shown);
        shown += take;
        let mut body: Vec<String> = listed[..take]
            .iter()
            .map(|pair| pair_line(ctx, &preview, pair))
            .collect();
        if listed.len() > take {
            body.push(ctx.trf(
                "match-preview-more",
                &[("count", Arg::Num((listed.len() - take) as i64))],
            ));
        }
        areas.push((head, body));
    }
    let header = digest::length(&lines[0]);
    let more_areas =
        |n: usize| ctx.trf("match-preview-more-areas", &[("count", Arg::Num(n as i64))]);
    lines.extend(fit_preview(header, areas, more_areas));
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

/// How many pairs the preview names, in all: the rest are counted per kecamatan ("…and 12 more pairs").
const PREVIEW_PAIR_LINES: usize = 30;

/// "M. F. (Korumba) → Ani Saputra": the child's initials and village (else kecamatan), and the sponsor's name.
fn pair_line(ctx: &Ctx<'_>, preview: &matching::Preview, pair: &Pair) -> String {
    let (initials, place) = preview
        .children
        .get(&pair.child)
        .map(|c| (initials(&c.full_name), child_place(c)))
        .unwrap_or_else(|| (pair.child.0.to_string(), String::new()));
    let sponsor = preview
        .sponsor_names
        .get(&pair.sponsor)
        .cloned()
        .unwrap_or_else(|| pair.sponsor.0.to_string());
    ctx.trf(
        "match-preview-pair",
        &[
            ("child", Arg::Text(&initials)),
            ("place", Arg::Text(&place)),
            ("sponsor", Arg::Text(&sponsor)),
        ],
    )
}

/// The preview's lines after a header `header` long, per kecamatan its line and then its pairs, cut so that the
/// message stays within Telegram's limit: the first kecamatan that no longer fits whole, and all after it, are
/// counted by `more_areas` instead (measured on the HTML, which is never shorter than what Telegram counts).
fn fit_preview(
    header: usize,
    areas: Vec<(String, Vec<String>)>,
    more_areas: impl Fn(usize) -> String,
) -> Vec<String> {
    let total = areas.len();
    // Room kept for the closing line, which counts at most them all.
    let reserve = digest::length(&more_areas(total)) + 1;
    let mut used = header;
    let mut lines = Vec::new();
    for (i, (head, body)) in areas.into_iter().enumerate() {
        let cost: usize = std::iter::once(&head)
            .chain(&body)
            .map(|line| digest::length(line) + 1)
            .sum();
        let last = i + 1 == total;
        if used + cost + if last { 0 } else { reserve } > digest::MESSAGE_LIMIT {
            lines.push(more_areas(total - i));
            break;
        }
        used += cost;
        lines.push(head);
        lines.extend(body);
    }
    lines
}

pub async fn match_confirm(ctx: &mut Ctx<'_>, confirmed: bool, message_id: Option<i64>) -> Result {
    if !confirmed {
        let text = ctx.tr("cancel-done");
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    let actor = ctx.actor();
    let offers = match matching::confirm(ctx.conn, &actor, ctx.bot.offer_ttl, ctx.now).await? {
        Ok(o) => o,
        Err(d) => {
            ctx.notice(refusals::denied(d));
            return Ok(());
        }
    };
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
pub async fn pair(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let Some((child, sponsor)) = two_ids(args) else {
        ctx.say("pair-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    match lifecycle::pair(ctx.conn, &actor, child, sponsor, ctx.bot.offer_ttl, ctx.now).await? {
        Ok(_) => {
            let text = ctx.trf(
                "pair-done",
                &[
                    ("child", Arg::Num(child.0)),
                    ("sponsor", Arg::Num(sponsor.0)),
                ],
            );
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::sponsorship(r)),
    }
    Ok(())
}

/// `/alihkan CHILD SPONSOR`: the child moves to another sponsor, who gets an offer.
pub async fn transfer(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let Some((child, sponsor)) = two_ids(args) else {
        ctx.say("transfer-usage");
        return Ok(());
    };
    let actor = ctx.actor();
    match lifecycle::transfer(ctx.conn, &actor, child, sponsor, ctx.bot.offer_ttl, ctx.now).await? {
        Ok(_) => {
            let text = ctx.trf(
                "transfer-done",
                &[
                    ("child", Arg::Num(child.0)),
                    ("sponsor", Arg::Num(sponsor.0)),
                ],
            );
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::sponsorship(r)),
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
    let actor = ctx.actor();
    match programme::set_commitment(ctx.conn, &actor, office, terms, ctx.now).await? {
        Ok(name) => {
            let text = ctx.trf(
                "commitment-set",
                &[
                    ("office", Arg::Text(&name)),
                    ("months", Arg::Num(i64::from(terms.months))),
                    ("amount", Arg::Text(&rupiah(terms.monthly_amount))),
                ],
            );
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::commitment(r)),
    }
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
    let actor = ctx.actor();
    let received = imports::receive(
        ctx.conn,
        &actor,
        kind,
        ctx.chat_id,
        file_id,
        file_name,
        ctx.now,
    )
    .await?;
    if let Err(d) = received {
        ctx.say(refusals::denied(d));
        return Ok(());
    }
    let text = ctx.trf("import-received", &[("file", Arg::Text(file_name))]);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// "🧒 Child" under a late delivery: the child's card, as `/anak_lihat` shows it.
pub async fn card(ctx: &mut Ctx<'_>, child: ChildId) -> Result {
    view(ctx, &child.0.to_string()).await
}

/// "🔁 Reassign" under a late delivery: the sponsors of the area with a free place, as buttons.
pub async fn reassign(ctx: &mut Ctx<'_>, child: ChildId) -> Result {
    let actor = ctx.actor();
    let (c, choices) = match lifecycle::reassign_choices(ctx.conn, &actor, child).await? {
        Ok(x) => x,
        Err(r) => {
            ctx.notice(refusals::sponsorship(r));
            return Ok(());
        }
    };
    if choices.is_empty() {
        let text = ctx.trf("reassign-none", &[("name", Arg::Text(&c.full_name))]);
        ctx.reply(text, Keyboard::None);
        return Ok(());
    }
    let buttons = choices
        .into_iter()
        .map(|(sponsor, name)| Button::new(name, Callback::TransferTo { child, sponsor }.encode()))
        .collect();
    let text = ctx.trf("reassign-choose", &[("name", Arg::Text(&c.full_name))]);
    ctx.reply(text, Keyboard::column(buttons));
    Ok(())
}

/// A sponsor chosen for a child: the child moves to them (they get an offer).
pub async fn transfer_to(
    ctx: &mut Ctx<'_>,
    child: ChildId,
    sponsor: UserId,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    match lifecycle::transfer(ctx.conn, &actor, child, sponsor, ctx.bot.offer_ttl, ctx.now).await? {
        Ok(_) => {
            let text = ctx.trf(
                "transfer-done",
                &[
                    ("child", Arg::Num(child.0)),
                    ("sponsor", Arg::Num(sponsor.0)),
                ],
            );
            ctx.show(message_id, text, Keyboard::None);
            ctx.notice("done");
        }
        Err(r) => ctx.notice(refusals::sponsorship(r)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_reads_a_puskesmas_beside_names_statuses_and_codes() {
        let named = |s: &str| Some(PuskesmasFilter::Named(s.to_owned()));
        let f = parse_search("pkm:Lainea menunggu");
        assert_eq!(f.puskesmas, named("Lainea"));
        assert_eq!(f.status, Some(ChildStatus::Unmatched));
        assert_eq!(f.text, None);
        let f = parse_search("siti  Puskesmas:\"Lepo  Lepo\" 74.71.01");
        assert_eq!(f.puskesmas, named("Lepo  Lepo"));
        assert_eq!(f.text.as_deref(), Some("siti"));
        assert_eq!(f.region, RegionCode::parse("74.71.01").ok());
        assert_eq!(
            parse_search("PKM:“Lepo Lepo”").puskesmas,
            named("Lepo Lepo")
        );
        assert_eq!(
            parse_search("pkm:-").puskesmas,
            Some(PuskesmasFilter::Without)
        );
        assert_eq!(parse_search("pkm:").puskesmas, None);
        assert_eq!(parse_search("pkm:%").puskesmas, named("%"));
        assert_eq!(parse_search("Nur'aini").text.as_deref(), Some("Nur'aini"));
        assert_eq!(parse_search("   "), Filter::default());
    }

    fn areas(n: usize, pairs: usize) -> Vec<(String, Vec<String>)> {
        (0..n)
            .map(|i| {
                let body = (0..pairs)
                    .map(|j| format!("◦ A. B. C. (Kelurahan {j}) → Sponsor Bernama Panjang {i}"))
                    .collect();
                (
                    format!("• Kecamatan {i}: {pairs} pasangan, 0 menunggu"),
                    body,
                )
            })
            .collect()
    }

    fn more(n: usize) -> String {
        format!("…dan {n} kecamatan lainnya")
    }

    #[test]
    fn a_preview_that_fits_is_shown_whole() {
        let lines = fit_preview(60, areas(3, 2), more);
        assert_eq!(lines.len(), 9);
        assert!(lines.iter().all(|l| !l.starts_with("…")));
    }

    #[test]
    fn a_long_preview_stays_within_one_message_and_counts_the_rest() {
        let header = "x".repeat(200);
        for (n, pairs) in [(500, 0), (40, 30), (7_000, 1), (1, 200)] {
            let lines = fit_preview(digest::length(&header), areas(n, pairs), more);
            let text = std::iter::once(header.clone())
                .chain(lines.iter().cloned())
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                digest::length(&text) <= digest::MESSAGE_LIMIT,
                "{n} × {pairs}"
            );
            let shown = lines.iter().filter(|l| l.starts_with('•')).count();
            let last = lines.last().cloned().unwrap_or_default();
            assert_eq!(last, more(n - shown), "{n} × {pairs}");
        }
    }
}
