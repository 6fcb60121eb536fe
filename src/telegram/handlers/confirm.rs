//! Confirming a delivery in the chat: from the ✅ under a reminder, from `/konfirmasi`, or by just sending a
//! photo. Photos (an album is one answer), the place, the outcome, the missing items or the problem, a note,
//! then a summary to send. Every step is a [`Draft`] function; this module parses and replies.

use super::Result;
use super::registration;
use crate::callback::{Callback, EvidenceStep};
use crate::domain::child::first_name;
use crate::domain::confirmation::{Added, Draft, DraftError, PhotoRef, Step, Typed};
use crate::domain::dialogue::Dialogue;
use crate::domain::evidence::{self, GeoPoint, Outcome, Problem};
use crate::domain::{DeliveryId, Lang};
use crate::i18n::{Arg, date_label, t};
use crate::outbound::{Button, Keyboard};
use crate::services::confirmations::{self as service, Refusal, Target};
use crate::services::deliveries::{Zones, local_date, zone_of};
use crate::store::deliveries::{self, Delivery};
use crate::store::{children, plans};
use crate::telegram::context::Ctx;
use crate::telegram::incoming::Input;
use crate::telegram::refusals;
use chrono::Days;

/// How many candidates a list shows.
const LIST_LIMIT: i64 = 8;
/// Telegram's getFile limit: a bigger file cannot be downloaded, so it cannot be kept as evidence.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

fn draft_error_key(e: DraftError) -> &'static str {
    refusals::draft(e)
}

/// Says why the user may not confirm; as a reply, since the reason matters more than a passing notice.
async fn refuse(ctx: &mut Ctx<'_>, r: Refusal) -> Result {
    let default = ctx.bot.deliveries.default_zone;
    // "Confirmed already at …" is read in the zone of the child's region.
    let zone = match &r {
        Refusal::AlreadyConfirmed { region, .. } => zone_of(ctx.conn, region, default).await?,
        _ => default,
    };
    let text = refusals::confirmation(ctx.lang(), zone, r);
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// "… for <b>Muhammad</b> (Senin, 30-11-2026)" arguments.
fn about<'a>(lang: Lang, t: &'a Target, date: &'a mut String) -> [(&'static str, Arg<'a>); 2] {
    *date = date_label(lang, t.delivery.due_on);
    [
        ("child", Arg::Text(first_name(&t.child.full_name))),
        ("date", Arg::Text(date)),
    ]
}

fn button(lang: Lang, key: &str, delivery: DeliveryId, step: EvidenceStep) -> Button {
    Button::new(t(lang, key), Callback::Evidence { delivery, step }.encode())
}

/// The reply keyboard while photos are collected: share the place, report a problem instead, cancel.
fn collecting_keyboard(lang: Lang) -> Keyboard {
    Keyboard::ShareLocation {
        label: t(lang, "button-share-location"),
        rows: vec![vec![
            t(lang, "button-report-problem"),
            t(lang, "button-cancel-confirmation"),
        ]],
    }
}

/// Whether this user may confirm delivery `id` now.
async fn target_of(
    ctx: &mut Ctx<'_>,
    id: DeliveryId,
) -> Result<std::result::Result<Target, Refusal>> {
    let actor = ctx.actor();
    Ok(service::target(ctx.conn, &actor, id).await?)
}

/// ✅ under a reminder or in a list, or a candidate chosen for pictures sent before: the confirmation of
/// that delivery begins (with those pictures, asking how it was received, in the message `edit` when given).
pub async fn start(ctx: &mut Ctx<'_>, id: DeliveryId, edit: Option<i64>) -> Result {
    let target = match target_of(ctx, id).await? {
        Ok(t) => t,
        Err(r) => return refuse(ctx, r).await,
    };
    let mut draft = match ctx.dialogue.clone() {
        Dialogue::Evidence { delivery, draft } if delivery == id => draft,
        // Pictures sent before choosing: they are for the delivery chosen now.
        Dialogue::EvidencePick { photos, place } => Draft::with_photos(photos, place),
        _ => Draft::default(),
    };
    if !draft.photos.is_empty() {
        ctx.dialogue = Dialogue::Evidence {
            delivery: id,
            draft: draft.clone(),
        };
        return next(ctx, &target, &draft, edit).await;
    }
    draft.keyboard_shown = true;
    ctx.dialogue = Dialogue::Evidence {
        delivery: id,
        draft: draft.clone(),
    };
    let lang = ctx.lang();
    let mut date = String::new();
    let text = ctx.trf("delivery-send-photo", &about(lang, &target, &mut date));
    ctx.reply(text, collecting_keyboard(lang));
    Ok(())
}

/// Today in the programme's zone, and the last due date a confirmation may be for.
fn until(ctx: &Ctx<'_>) -> chrono::NaiveDate {
    let today = local_date(ctx.now, ctx.bot.deliveries.default_zone);
    today + Days::new(u64::from(ctx.bot.deliveries.confirm_ahead_days))
}

async fn candidates(ctx: &mut Ctx<'_>) -> Result<Vec<Delivery>> {
    let until = until(ctx);
    let area = ctx.roles.volunteer.clone();
    Ok(deliveries::confirmable(ctx.conn, ctx.user_id(), area.as_ref(), until, LIST_LIMIT).await?)
}

/// One button per delivery: "Muhammad · Sen 30/11".
async fn candidate_buttons(
    ctx: &mut Ctx<'_>,
    list: &[Delivery],
    step: Option<EvidenceStep>,
) -> Result<Keyboard> {
    let mut buttons = Vec::new();
    for d in list {
        let Some(child) = children::get(ctx.conn, d.child).await? else {
            continue;
        };
        let label = format!(
            "✅ {} · {}",
            first_name(&child.full_name),
            date_label(ctx.lang(), d.due_on)
        );
        let data = match step {
            Some(step) => Callback::Evidence {
                delivery: d.id,
                step,
            },
            None => Callback::Delivered(d.id),
        };
        buttons.push(Button::new(label, data.encode()));
    }
    Ok(Keyboard::column(buttons))
}

/// `/konfirmasi`: the deliveries this user may confirm now.
pub async fn list(ctx: &mut Ctx<'_>) -> Result {
    let list = candidates(ctx).await?;
    if list.is_empty() {
        ctx.say("evidence-nothing-to-confirm");
        return Ok(());
    }
    let keyboard = candidate_buttons(ctx, &list, None).await?;
    let text = ctx.tr("evidence-choose-delivery");
    ctx.reply(text, keyboard);
    Ok(())
}

/// A picture: added to the confirmation under way, or, without one, matched to the delivery it is for.
pub async fn picture(ctx: &mut Ctx<'_>, photo: PhotoRef) -> Result {
    match ctx.dialogue.clone() {
        Dialogue::Evidence {
            delivery,
            mut draft,
        } => {
            let added = match draft.add_photo(photo) {
                Ok(a) => a,
                Err(e) => {
                    ctx.say(draft_error_key(e));
                    return Ok(());
                }
            };
            ctx.dialogue = Dialogue::Evidence {
                delivery,
                draft: draft.clone(),
            };
            if added == Added::SameAlbum {
                return Ok(());
            }
            let target = match target_of(ctx, delivery).await? {
                Ok(t) => t,
                Err(r) => {
                    ctx.dialogue = Dialogue::Idle;
                    return refuse(ctx, r).await;
                }
            };
            next(ctx, &target, &draft, None).await
        }
        Dialogue::EvidencePick { mut photos, place } => {
            // More pictures of the same moment, while the user chooses: kept with the others.
            if !photos
                .iter()
                .any(|p| p.file_unique_id == photo.file_unique_id)
                && photos.len() < crate::domain::confirmation::MAX_PHOTOS
            {
                photos.push(photo);
            }
            ctx.dialogue = Dialogue::EvidencePick { photos, place };
            Ok(())
        }
        Dialogue::Idle => first_picture(ctx, photo).await,
        _ => registration::on_input(ctx, Input::Other("photo")).await,
    }
}

/// A picture out of the blue: one candidate is taken as meant, several are asked about, none is said.
async fn first_picture(ctx: &mut Ctx<'_>, photo: PhotoRef) -> Result {
    let list = candidates(ctx).await?;
    match list.as_slice() {
        [] => {
            ctx.say("evidence-no-delivery");
            Ok(())
        }
        [only] => {
            let target = match target_of(ctx, only.id).await? {
                Ok(t) => t,
                Err(r) => return refuse(ctx, r).await,
            };
            let draft = Draft::with_photos(vec![photo], None);
            ctx.dialogue = Dialogue::Evidence {
                delivery: only.id,
                draft: draft.clone(),
            };
            next(ctx, &target, &draft, None).await
        }
        several => {
            ctx.dialogue = Dialogue::EvidencePick {
                photos: vec![photo],
                place: None,
            };
            let keyboard = candidate_buttons(ctx, several, Some(EvidenceStep::Pick)).await?;
            let text = ctx.tr("evidence-which-delivery");
            ctx.reply(text, keyboard);
            Ok(())
        }
    }
}

/// A file: a picture sent as a file keeps its EXIF and is taken like a photo; anything else is refused with
/// the reason.
pub async fn document(
    ctx: &mut Ctx<'_>,
    file_id: String,
    file_unique_id: String,
    file_name: &str,
    size: u64,
    mime: Option<&str>,
    album: Option<String>,
) -> Result {
    if size > MAX_FILE_BYTES {
        ctx.say("evidence-file-too-big");
        return Ok(());
    }
    let image = mime.is_some_and(evidence::is_image_mime)
        || file_name.rsplit_once('.').is_some_and(|(_, ext)| {
            ["jpg", "jpeg", "png", "webp", "heic", "heif"]
                .contains(&ext.to_ascii_lowercase().as_str())
        });
    if !image {
        ctx.say("evidence-not-image");
        return Ok(());
    }
    let photo = PhotoRef {
        file_id,
        file_unique_id,
        as_document: true,
        album,
        received_ms: ctx.now.timestamp_millis(),
    };
    picture(ctx, photo).await
}

/// A shared location: the place of the confirmation under way.
pub async fn location(ctx: &mut Ctx<'_>, lat: f64, lon: f64) -> Result {
    let Some(place) = GeoPoint::new(lat, lon) else {
        ctx.say("evidence-bad-location");
        return Ok(());
    };
    match ctx.dialogue.clone() {
        Dialogue::Evidence {
            delivery,
            mut draft,
        } => {
            draft.set_place(place);
            ctx.dialogue = Dialogue::Evidence {
                delivery,
                draft: draft.clone(),
            };
            if draft.step == Step::Summary {
                let target = match target_of(ctx, delivery).await? {
                    Ok(t) => t,
                    Err(r) => return refuse(ctx, r).await,
                };
                return summary(ctx, &target, &draft, None).await;
            }
            ctx.say("evidence-location-saved");
            Ok(())
        }
        Dialogue::EvidencePick { photos, .. } => {
            ctx.dialogue = Dialogue::EvidencePick {
                photos,
                place: Some(place),
            };
            ctx.say("evidence-location-saved");
            Ok(())
        }
        _ => registration::on_input(ctx, Input::Other("location")).await,
    }
}

/// Whether `text` is the label of a reply-keyboard button, in either language.
fn is_label(text: &str, key: &str) -> bool {
    Lang::ALL.iter().any(|l| t(*l, key) == text.trim())
}

/// Text while a confirmation is under way: a reply-keyboard button, the problem in words, or the note.
pub async fn text(ctx: &mut Ctx<'_>, delivery: DeliveryId, mut draft: Draft, text: &str) -> Result {
    if is_label(text, "button-cancel-confirmation") {
        return cancel(ctx).await;
    }
    let target = match target_of(ctx, delivery).await? {
        Ok(t) => t,
        Err(r) => {
            ctx.dialogue = Dialogue::Idle;
            return refuse(ctx, r).await;
        }
    };
    if is_label(text, "button-report-problem") {
        draft
            .choose(Outcome::NotReceived)
            .map_err(|e| step_bug(e, "not received"))?;
        ctx.dialogue = Dialogue::Evidence {
            delivery,
            draft: draft.clone(),
        };
        return next(ctx, &target, &draft, None).await;
    }
    match draft.text(text) {
        Err(e) => {
            ctx.say(draft_error_key(e));
            Ok(())
        }
        Ok(typed) => {
            ctx.dialogue = Dialogue::Evidence {
                delivery,
                draft: draft.clone(),
            };
            if draft.step == Step::Summary {
                summary(ctx, &target, &draft, None).await
            } else if typed == Typed::Note {
                ctx.say("evidence-note-saved");
                Ok(())
            } else {
                next(ctx, &target, &draft, None).await
            }
        }
    }
}

/// A draft step that its own state allowed refused: a bug, reported as such (the update is retried).
fn step_bug(e: DraftError, what: &str) -> super::HandlerError {
    super::HandlerError::Store(crate::store::StoreError::Corrupt(format!(
        "confirmation step {what} refused: {e}"
    )))
}

async fn cancel(ctx: &mut Ctx<'_>) -> Result {
    ctx.dialogue = Dialogue::Idle;
    let text = ctx.tr("evidence-cancelled");
    ctx.reply(text, Keyboard::Remove);
    Ok(())
}

/// A button of the confirmation.
pub async fn step(
    ctx: &mut Ctx<'_>,
    delivery: DeliveryId,
    step: EvidenceStep,
    message_id: Option<i64>,
) -> Result {
    if step == EvidenceStep::Pick {
        return start(ctx, delivery, message_id).await;
    }
    let Dialogue::Evidence {
        delivery: current,
        mut draft,
    } = ctx.dialogue.clone()
    else {
        ctx.notice("error-stale-button");
        return Ok(());
    };
    if current != delivery {
        ctx.notice("error-stale-button");
        return Ok(());
    }
    if step == EvidenceStep::Cancel {
        return cancel(ctx).await;
    }
    let target = match target_of(ctx, delivery).await? {
        Ok(t) => t,
        Err(r) => {
            ctx.dialogue = Dialogue::Idle;
            return refuse(ctx, r).await;
        }
    };
    let changed = match step {
        EvidenceStep::Outcome(o) => draft.choose(o),
        EvidenceStep::Item(i) => {
            let items = package_items(ctx, &target).await?;
            match items.get(usize::from(i)) {
                Some(item) => draft.toggle_item(item),
                None => Err(DraftError::WrongStep),
            }
        }
        EvidenceStep::ItemsDone => draft.items_done(),
        EvidenceStep::Problem(p) => draft.choose_problem(p),
        EvidenceStep::Note => {
            draft.ask_note();
            Ok(())
        }
        EvidenceStep::Send => return send(ctx, &target, &draft, message_id).await,
        EvidenceStep::Pick | EvidenceStep::Cancel => Ok(()),
    };
    if let Err(e) = changed {
        ctx.notice(draft_error_key(e));
        return Ok(());
    }
    ctx.dialogue = Dialogue::Evidence {
        delivery,
        draft: draft.clone(),
    };
    next(ctx, &target, &draft, message_id).await
}

/// The item names of the delivery's package, in order (buttons refer to them by position).
async fn package_items(ctx: &mut Ctx<'_>, target: &Target) -> Result<Vec<String>> {
    Ok(plans::package(ctx.conn, target.delivery.package)
        .await?
        .map(|p| p.items.into_iter().map(|i| i.name).collect())
        .unwrap_or_default())
}

/// The question the draft's step asks, editing the message a button was pressed on.
async fn next(
    ctx: &mut Ctx<'_>,
    target: &Target,
    draft: &Draft,
    message_id: Option<i64>,
) -> Result {
    let lang = ctx.lang();
    let id = target.delivery.id;
    let mut date = String::new();
    let args = about(lang, target, &mut date);
    match draft.step {
        Step::Photos if draft.outcome.is_none() => {
            let photos = i64::try_from(draft.photos.len()).unwrap_or(i64::MAX);
            let mut args = args.to_vec();
            args.push(("photos", Arg::Num(photos)));
            let text = ctx.trf("evidence-ask-outcome", &args);
            let keyboard = Keyboard::column(vec![
                button(
                    lang,
                    "button-outcome-full",
                    id,
                    EvidenceStep::Outcome(Outcome::Full),
                ),
                button(
                    lang,
                    "button-outcome-partial",
                    id,
                    EvidenceStep::Outcome(Outcome::Partial),
                ),
                button(
                    lang,
                    "button-outcome-not-received",
                    id,
                    EvidenceStep::Outcome(Outcome::NotReceived),
                ),
            ]);
            ctx.show(message_id, text, keyboard);
        }
        Step::Items => {
            let items = package_items(ctx, target).await?;
            let mut rows: Vec<Button> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let mark = if draft.missing.contains(item) {
                        "❌"
                    } else {
                        "✅"
                    };
                    let i = u8::try_from(i).ok()?;
                    Some(Button::new(
                        format!("{mark} {item}"),
                        Callback::Evidence {
                            delivery: id,
                            step: EvidenceStep::Item(i),
                        }
                        .encode(),
                    ))
                })
                .collect();
            rows.push(button(
                lang,
                "button-items-done",
                id,
                EvidenceStep::ItemsDone,
            ));
            let text = ctx.trf("evidence-ask-items", &args);
            ctx.show(message_id, text, Keyboard::column(rows));
        }
        Step::Problem => {
            let mut rows: Vec<Button> = Problem::ALL
                .iter()
                .map(|p| {
                    button(
                        lang,
                        &format!("problem-{}", p.as_str()),
                        id,
                        EvidenceStep::Problem(*p),
                    )
                })
                .collect();
            rows.push(button(
                lang,
                "button-cancel-confirmation",
                id,
                EvidenceStep::Cancel,
            ));
            let text = ctx.trf("evidence-ask-problem", &args);
            ctx.show(message_id, text, Keyboard::column(rows));
        }
        Step::ProblemText => {
            let text = ctx.tr("evidence-ask-problem-text");
            ctx.show(message_id, text, Keyboard::None);
        }
        Step::Note => {
            let text = ctx.tr("evidence-ask-note");
            ctx.show(message_id, text, Keyboard::None);
        }
        Step::Summary | Step::Photos => summary(ctx, target, draft, message_id).await?,
    }
    Ok(())
}

/// Everything collected, to check before sending.
async fn summary(
    ctx: &mut Ctx<'_>,
    target: &Target,
    draft: &Draft,
    message_id: Option<i64>,
) -> Result {
    let lang = ctx.lang();
    let id = target.delivery.id;
    let outcome = draft
        .outcome
        .map(|o| t(lang, &format!("outcome-{}", o.as_str())))
        .unwrap_or_default();
    let details = match draft.outcome {
        Some(Outcome::Partial) => ctx.trf(
            "evidence-summary-missing",
            &[("items", Arg::Text(&draft.missing.join(", ")))],
        ),
        Some(Outcome::NotReceived) => ctx.trf(
            "evidence-summary-problem",
            &[("problem", Arg::Text(&service::problem_text(lang, draft)))],
        ),
        _ => String::new(),
    };
    let place = match draft.place {
        Some(p) => p.to_string(),
        None => t(lang, "evidence-summary-no-place"),
    };
    let note = draft.note.clone().unwrap_or_else(|| "—".to_owned());
    let mut date = String::new();
    let mut args = about(lang, target, &mut date).to_vec();
    args.extend([
        (
            "photos",
            Arg::Num(i64::try_from(draft.photos.len()).unwrap_or(0)),
        ),
        ("place", Arg::Text(&place)),
        ("outcome", Arg::Text(&outcome)),
        ("details", Arg::Html(&details)),
        ("note", Arg::Text(&note)),
    ]);
    let text = ctx.trf("evidence-summary", &args);
    let keyboard = Keyboard::inline(vec![
        vec![button(
            lang,
            "button-send-confirmation",
            id,
            EvidenceStep::Send,
        )],
        vec![
            button(lang, "button-add-note", id, EvidenceStep::Note),
            button(lang, "button-cancel-confirmation", id, EvidenceStep::Cancel),
        ],
    ]);
    ctx.show(message_id, text, keyboard);
    Ok(())
}

/// "Send": the confirmation is recorded with all that follows. The summary it was sent from turns in place
/// into the outcome, with the offer to measure the child folded in; only when the chat shows the collecting
/// step's reply keyboard does the outcome come as a message of its own, which takes the keyboard away (a
/// message that removes a reply keyboard cannot carry buttons, so the summary then keeps the offer).
async fn send(
    ctx: &mut Ctx<'_>,
    target: &Target,
    draft: &Draft,
    message_id: Option<i64>,
) -> Result {
    let checks = ctx.bot.evidence;
    let mut zones = Zones::new(ctx.bot.deliveries.default_zone);
    let tz = zones.of(ctx.conn, target.child.kecamatan.as_str()).await?;
    let today = local_date(ctx.now, tz);
    let actor = ctx.actor();
    let submitted = service::submit(
        ctx.conn,
        &actor,
        target.delivery.id,
        draft,
        checks,
        today,
        ctx.now,
    )
    .await?;
    let done = match submitted {
        Ok(done) => done,
        Err(Refusal::Incomplete(e)) => {
            ctx.notice(draft_error_key(e));
            return Ok(());
        }
        Err(r) => {
            ctx.dialogue = Dialogue::Idle;
            return refuse(ctx, r).await;
        }
    };
    ctx.dialogue = Dialogue::Idle;
    let lang = ctx.lang();
    let mut date = String::new();
    let mut args = about(lang, &done.target, &mut date).to_vec();
    let case = done.case.unwrap_or(0);
    args.push(("case", Arg::Num(case)));
    let key = format!("evidence-done-{}", done.outcome.as_str());
    let text = ctx.trf(&key, &args);
    let offer = if done.outcome == Outcome::NotReceived {
        None
    } else {
        super::growth::offer_after_confirmation(ctx, &done.target.child)
    };
    match (draft.keyboard_shown || message_id.is_none(), offer) {
        (true, offer) => {
            ctx.reply(text, Keyboard::Remove);
            if let Some((offer, keyboard)) = offer {
                ctx.show(message_id, offer, keyboard);
            }
        }
        (false, Some((offer, keyboard))) => {
            ctx.show(message_id, format!("{text}\n\n{offer}"), keyboard)
        }
        (false, None) => ctx.show(message_id, text, Keyboard::None),
    }
    Ok(())
}
