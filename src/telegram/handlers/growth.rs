//! Growth in the chat: finding a child to measure, the child's growth card, entering a measurement step by
//! step (date, length, lying or standing, weight, arm), the growth chart, and the coordinators' answer to
//! a graduation question.
//!
//! Volunteers measure the children of the area they serve, coordinators those of their scope. Each value is
//! checked as soon as it is given, so a refusal sends the volunteer back to that value, not to the start.

use super::Result;
use crate::callback::{Callback, MeasureButton};
use crate::domain::child::{ChildId, age_months, first_name};
use crate::domain::dialogue::Dialogue;
use crate::domain::growth::Position;
use crate::domain::measurement::{
    self, Answer, Draft, Implausible, LengthMm, MuacMm, Step, WeightG, check_date,
};
use crate::i18n::{Arg, t, tf};
use crate::outbound::{Button, Keyboard};
use crate::services::growth::{
    self as service, GraduationAnswer, Refusal as GrowthRefusal, date_text, values_text,
};
use crate::services::labels::area_label;
use crate::store::children::Child;
use crate::store::measurements::{self, Saved};
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

/// How many children `/ukur` lists as buttons.
const LIST_LIMIT: i64 = 10;

/// After a delivery is confirmed: the optional last step, measuring the child while there, as a text and
/// its button for whoever may measure them (the confirmation folds it into its outcome).
pub fn offer_after_confirmation(ctx: &Ctx<'_>, child: &Child) -> Option<(String, Keyboard)> {
    if !service::may_measure(&ctx.actor(), child) {
        return None;
    }
    let text = ctx.trf(
        "measure-after-confirm",
        &[("name", Arg::Text(first_name(&child.full_name)))],
    );
    let button = Button::new(
        ctx.tr("measure-after-confirm-button"),
        Callback::Measure(child.id).encode(),
    );
    Some((text, Keyboard::inline(vec![vec![button]])))
}

/// The child, if the user may measure them; otherwise says why and gives `None`.
async fn measurable(ctx: &mut Ctx<'_>, id: ChildId) -> Result<Option<Child>> {
    let actor = ctx.actor();
    match service::measurable(ctx.conn, &actor, id).await? {
        Ok(c) => Ok(Some(c)),
        Err(r) => {
            ctx.say(refusal_key(r));
            Ok(None)
        }
    }
}

/// Why someone may not measure a child or see their growth, in words.
fn refusal_key(r: GrowthRefusal) -> &'static str {
    refusals::growth(r)
}

/// `/ukur [ID | name]`: a child's growth card, or the children of the area to choose from (the longest
/// unmeasured first).
pub async fn command(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let args = args.trim();
    if let Some(id) = args.parse::<i64>().ok().filter(|n| *n > 0) {
        return card(ctx, ChildId(id), None).await;
    }
    let Some(area) = ctx.actor().measuring_area() else {
        ctx.say("measure-not-allowed");
        return Ok(());
    };
    let text = (!args.is_empty()).then_some(args);
    let (list, total) = measurements::to_measure(ctx.conn, area.as_ref(), text, LIST_LIMIT).await?;
    if list.is_empty() {
        ctx.say("measure-none");
        return Ok(());
    }
    let lang = ctx.lang();
    let today = ctx.now.date_naive();
    let buttons = list
        .iter()
        .map(|c| {
            let months = age_months(c.birth_date, today).unwrap_or(0);
            let last = c
                .last_measured
                .map_or_else(|| t(lang, "measure-never-short"), date_text);
            let label = tf(
                lang,
                "measure-child-button",
                &[
                    ("name", Arg::Text(&c.name)),
                    ("months", Arg::Num(i64::from(months))),
                    ("last", Arg::Text(&last)),
                ],
            );
            Button::new(label, Callback::Growth(c.id).encode())
        })
        .collect();
    let text = ctx.trf(
        "measure-list",
        &[
            ("count", Arg::Num(total)),
            ("shown", Arg::Num(list.len() as i64)),
        ],
    );
    ctx.reply(text, Keyboard::column(buttons));
    Ok(())
}

/// The growth card: who the child is (only what a volunteer needs), the latest measurement and z-scores.
pub async fn card(ctx: &mut Ctx<'_>, id: ChildId, message_id: Option<i64>) -> Result {
    let Some(child) = measurable(ctx, id).await? else {
        return Ok(());
    };
    let history = measurements::history(ctx.conn, child.id).await?;
    let lang = ctx.lang();
    let mut lines = vec![ctx.trf(
        "growth-card-title",
        &[
            ("name", Arg::Text(&child.full_name)),
            ("id", Arg::Num(child.id.0)),
            (
                "months",
                Arg::Num(i64::from(
                    age_months(child.birth_date, ctx.now.date_naive()).unwrap_or(0),
                )),
            ),
            (
                "place",
                Arg::Text(&area_label(
                    &child.kecamatan_name,
                    &child.village_name,
                    &child.kecamatan,
                )),
            ),
        ],
    )];
    // Those who may measure the child may know where the family is seen to: its Puskesmas too.
    if let Some(puskesmas) = &child.puskesmas {
        lines.push(ctx.trf(
            "growth-card-puskesmas",
            &[("puskesmas", Arg::Text(puskesmas))],
        ));
    }
    lines.extend(service::card_lines(lang, &child, &history));
    let keyboard = service::card_keyboard(lang, child.id, !history.is_empty(), true);
    ctx.show(message_id, lines.join("\n"), keyboard);
    Ok(())
}

/// "📏 Measure": starts entering a measurement.
pub async fn start(ctx: &mut Ctx<'_>, id: ChildId) -> Result {
    let Some(child) = measurable(ctx, id).await? else {
        return Ok(());
    };
    let draft = Draft::default();
    ctx.dialogue = Dialogue::Measure {
        child: child.id,
        draft: draft.clone(),
    };
    ask(ctx, &child, &draft, None).await
}

/// Asks for the draft's next value, or shows it whole with its z-scores to save.
async fn ask(ctx: &mut Ctx<'_>, child: &Child, draft: &Draft, message_id: Option<i64>) -> Result {
    let lang = ctx.lang();
    let button =
        |key: &str, b: MeasureButton| Button::new(t(lang, key), Callback::MeasureStep(b).encode());
    let cancel = || button("measure-button-cancel", MeasureButton::Cancel);
    let name = first_name(&child.full_name).to_owned();
    let (text, rows) = match draft.step() {
        Step::Date => {
            let today =
                service::local_today(ctx.conn, child, ctx.bot.deliveries.default_zone, ctx.now)
                    .await?;
            let [today, yesterday] = measurement::recent_dates(today);
            let months = age_months(child.birth_date, today).unwrap_or(0);
            let text = ctx.trf(
                "measure-ask-date",
                &[
                    ("name", Arg::Text(&child.full_name)),
                    ("months", Arg::Num(i64::from(months))),
                ],
            );
            let day = |key: &str, d: chrono::NaiveDate| {
                Button::new(
                    tf(
                        lang,
                        key,
                        &[("date", Arg::Text(&d.format("%d-%m").to_string()))],
                    ),
                    Callback::MeasureStep(MeasureButton::Date(d)).encode(),
                )
            };
            (
                text,
                vec![
                    vec![
                        day("measure-button-today", today),
                        day("measure-button-yesterday", yesterday),
                    ],
                    vec![cancel()],
                ],
            )
        }
        Step::Length => (
            ctx.trf("measure-ask-length", &[("name", Arg::Text(&name))]),
            vec![vec![cancel()]],
        ),
        Step::Position => {
            let usual = draft
                .measured_on
                .map(|on| measurement::usual_position(child.birth_date, on))
                .unwrap_or(Position::Lying);
            let lying = button(
                "measure-button-lying",
                MeasureButton::Position(Position::Lying),
            );
            let standing = button(
                "measure-button-standing",
                MeasureButton::Position(Position::Standing),
            );
            let pair = match usual {
                Position::Lying => vec![lying, standing],
                Position::Standing => vec![standing, lying],
            };
            let hint = match usual {
                Position::Lying => "measure-usual-lying",
                Position::Standing => "measure-usual-standing",
            };
            let text = ctx.trf(
                "measure-ask-position",
                &[("hint", Arg::Text(&t(lang, hint)))],
            );
            (text, vec![pair, vec![cancel()]])
        }
        Step::Weight => (
            ctx.tr("measure-ask-weight"),
            vec![vec![
                button("measure-button-skip", MeasureButton::SkipWeight),
                cancel(),
            ]],
        ),
        Step::Muac => (
            ctx.tr("measure-ask-muac"),
            vec![vec![
                button("measure-button-skip", MeasureButton::SkipMuac),
                cancel(),
            ]],
        ),
        // Boxed: a review that finds the reading refused asks again.
        Step::Review => return Box::pin(review(ctx, child, draft, message_id)).await,
    };
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

/// The whole measurement with its z-scores, and what it replaces, to save or redo.
async fn review(
    ctx: &mut Ctx<'_>,
    child: &Child,
    draft: &Draft,
    message_id: Option<i64>,
) -> Result {
    let Some(reading) = draft.reading() else {
        return Ok(());
    };
    let today =
        service::local_today(ctx.conn, child, ctx.bot.deliveries.default_zone, ctx.now).await?;
    let z = match service::check(ctx.conn, child, &reading, today).await? {
        Ok(z) => z,
        Err(refusal) => return refuse(ctx, child, draft.clone(), &refusal).await,
    };
    let lang = ctx.lang();
    let new = measurements::New { reading, z };
    let row = new.as_measurement();
    let (before, _) = measurements::neighbours(ctx.conn, child.id, reading.measured_on).await?;
    let mut lines = vec![ctx.trf(
        "measure-review",
        &[
            ("name", Arg::Text(&child.full_name)),
            ("date", Arg::Text(&date_text(reading.measured_on))),
            ("values", Arg::Text(&values_text(lang, &row))),
        ],
    )];
    lines.extend(service::z_lines(lang, &row, before.as_ref()));
    if measurement::standing_under_nine_months(child.birth_date, &reading) {
        lines.push(ctx.tr("measure-standing-under-nine-months"));
    }
    if let Some(old) = measurements::on_day(ctx.conn, child.id, reading.measured_on).await?
        && old != row
    {
        lines.push(ctx.trf(
            "measure-replaces",
            &[("values", Arg::Text(&values_text(lang, &old)))],
        ));
    }
    let button =
        |key: &str, b: MeasureButton| Button::new(t(lang, key), Callback::MeasureStep(b).encode());
    let keyboard = Keyboard::inline(vec![
        vec![button("measure-button-save", MeasureButton::Save)],
        vec![
            button("measure-button-redo", MeasureButton::Redo),
            button("measure-button-cancel", MeasureButton::Cancel),
        ],
    ]);
    ctx.show(message_id, lines.join("\n"), keyboard);
    Ok(())
}

/// Says why the value is refused and asks for it again; the rest of the draft stays.
async fn refuse(
    ctx: &mut Ctx<'_>,
    child: &Child,
    mut draft: Draft,
    refusal: &Implausible,
) -> Result {
    let text = service::refusal_text(ctx.lang(), refusal);
    ctx.reply(format!("⚠️ {text}"), Keyboard::None);
    draft.clear_for(refusal);
    ctx.dialogue = Dialogue::Measure {
        child: child.id,
        draft: draft.clone(),
    };
    ask(ctx, child, &draft, None).await
}

/// The draft with one more value: checked with what is known so far, then the next question.
async fn advance(
    ctx: &mut Ctx<'_>,
    child: &Child,
    draft: Draft,
    message_id: Option<i64>,
) -> Result {
    let today =
        service::local_today(ctx.conn, child, ctx.bot.deliveries.default_zone, ctx.now).await?;
    let checked = match (draft.partial(), draft.measured_on) {
        (Some(reading), _) => service::check(ctx.conn, child, &reading, today)
            .await?
            .map(|_| ()),
        (None, Some(on)) => check_date(child.birth_date, today, on),
        (None, None) => Ok(()),
    };
    if let Err(refusal) = checked {
        return refuse(ctx, child, draft, &refusal).await;
    }
    ctx.dialogue = Dialogue::Measure {
        child: child.id,
        draft: draft.clone(),
    };
    ask(ctx, child, &draft, message_id).await
}

/// The child of the measurement under way, if it may still be measured by this user.
async fn current(ctx: &mut Ctx<'_>, id: ChildId) -> Result<Option<Child>> {
    let child = measurable(ctx, id).await?;
    if child.is_none() {
        ctx.dialogue = Dialogue::Idle;
    }
    Ok(child)
}

/// A typed value for the step the draft is at.
pub async fn text(ctx: &mut Ctx<'_>, id: ChildId, mut draft: Draft, input: &str) -> Result {
    let Some(child) = current(ctx, id).await? else {
        return Ok(());
    };
    let bad = match draft.step() {
        Step::Date => match measurement::parse_date(input) {
            Some(d) => {
                draft.measured_on = Some(d);
                None
            }
            None => Some("measure-bad-date"),
        },
        Step::Length => match LengthMm::parse(input) {
            Ok(l) => {
                draft.length = Some(l);
                None
            }
            Err(_) => Some("measure-bad-length"),
        },
        Step::Position => match parse_position(input) {
            Some(p) => {
                draft.position = Some(p);
                None
            }
            None => Some("measure-bad-position"),
        },
        Step::Weight => match WeightG::parse(input) {
            Ok(w) => {
                draft.weight = Some(Answer::Given(w));
                None
            }
            Err(_) => Some("measure-bad-weight"),
        },
        Step::Muac => match MuacMm::parse(input) {
            Ok(m) => {
                draft.muac = Some(Answer::Given(m));
                None
            }
            Err(_) => Some("measure-bad-muac"),
        },
        Step::Review => Some("measure-press-a-button"),
    };
    if let Some(key) = bad {
        ctx.say(key);
        return Ok(());
    }
    advance(ctx, &child, draft, None).await
}

/// `berbaring`/`lying`, `berdiri`/`standing`, typed instead of pressed.
fn parse_position(input: &str) -> Option<Position> {
    match input.trim().to_lowercase().as_str() {
        "berbaring" | "baring" | "terlentang" | "lying" | "lying down" | "panjang" => {
            Some(Position::Lying)
        }
        "berdiri" | "diri" | "standing" | "tinggi" => Some(Position::Standing),
        _ => None,
    }
}

/// A button of the measurement under way.
pub async fn step(ctx: &mut Ctx<'_>, b: MeasureButton, message_id: Option<i64>) -> Result {
    let Dialogue::Measure { child, mut draft } = ctx.dialogue.clone() else {
        ctx.notice("error-stale-button");
        return Ok(());
    };
    if b == MeasureButton::Cancel {
        ctx.dialogue = Dialogue::Idle;
        let text = ctx.tr("measure-cancelled");
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    let Some(child) = current(ctx, child).await? else {
        return Ok(());
    };
    let step = draft.step();
    match b {
        MeasureButton::Date(d) if step == Step::Date => draft.measured_on = Some(d),
        MeasureButton::Position(p) if step == Step::Position => draft.position = Some(p),
        MeasureButton::SkipWeight if step == Step::Weight => draft.weight = Some(Answer::Skipped),
        MeasureButton::SkipMuac if step == Step::Muac => draft.muac = Some(Answer::Skipped),
        MeasureButton::Redo => draft = Draft::default(),
        MeasureButton::Save if step == Step::Review => {
            return save(ctx, &child, &draft, message_id).await;
        }
        // A button of an earlier question, pressed again after the answer moved on.
        _ => {
            ctx.notice("error-stale-button");
            return Ok(());
        }
    }
    advance(ctx, &child, draft, message_id).await
}

/// "Save": records the measurement and shows the updated card.
async fn save(ctx: &mut Ctx<'_>, child: &Child, draft: &Draft, message_id: Option<i64>) -> Result {
    let Some(reading) = draft.reading() else {
        return Ok(());
    };
    let actor = ctx.actor();
    let zone = ctx.bot.deliveries.default_zone;
    let recorded =
        match service::measure(ctx.conn, &actor, child.id, &reading, zone, ctx.now).await? {
            Ok(Ok((_, r))) => r,
            Ok(Err(refusal)) => return refuse(ctx, child, draft.clone(), &refusal).await,
            Err(r) => {
                ctx.dialogue = Dialogue::Idle;
                ctx.say(refusal_key(r));
                return Ok(());
            }
        };
    ctx.dialogue = Dialogue::Idle;
    let lang = ctx.lang();
    let key = match recorded.saved {
        Saved::Added => "measure-saved",
        Saved::Replaced(_) => "measure-replaced",
        Saved::Unchanged => "measure-unchanged",
    };
    let history = measurements::history(ctx.conn, child.id).await?;
    let mut lines = vec![ctx.trf(
        key,
        &[
            ("name", Arg::Text(&child.full_name)),
            ("date", Arg::Text(&date_text(reading.measured_on))),
        ],
    )];
    lines.extend(service::card_lines(lang, child, &history));
    if recorded.graduation_asked {
        lines.push(ctx.tr("measure-graduation-asked"));
    }
    let keyboard = service::card_keyboard(lang, child.id, true, false);
    ctx.show(message_id, lines.join("\n"), keyboard);
    ctx.notice("done");
    Ok(())
}

/// "📈 Chart": the child's growth chart, for whoever may measure the child or sponsors them.
pub async fn chart(ctx: &mut Ctx<'_>, id: ChildId) -> Result {
    let actor = ctx.actor();
    let lang = ctx.lang();
    let media = ctx.bot.media.clone();
    match service::chart(ctx.conn, &actor, id, &media, lang, ctx.chat_id).await? {
        Ok(Some(photo)) => ctx.out.push(photo),
        Ok(None) => ctx.say("growth-chart-failed"),
        Err(r) => ctx.notice(refusal_key(r)),
    }
    Ok(())
}

/// A coordinator's answer to "the child left stunting twice: end the sponsorship or keep it?".
pub async fn graduate(ctx: &mut Ctx<'_>, id: i64, end: bool, message_id: Option<i64>) -> Result {
    let actor = ctx.actor();
    let ttl = ctx.bot.offer_ttl;
    let answer = match service::answer_graduation(ctx.conn, &actor, id, end, ttl, ctx.now).await? {
        Ok(a) => a,
        Err(GrowthRefusal::Unknown) => {
            ctx.notice("error-stale-button");
            return Ok(());
        }
        Err(r) => {
            ctx.notice(refusal_key(r));
            return Ok(());
        }
    };
    let text = match &answer {
        GraduationAnswer::AlreadyDecided {
            child,
            decision,
            by,
        } => ctx.trf(
            &format!("graduation-already-{}", decision.as_str()),
            &[("name", Arg::Text(child)), ("by", Arg::Text(by))],
        ),
        GraduationAnswer::Stale { child } => {
            ctx.trf("graduation-stale", &[("name", Arg::Text(child))])
        }
        GraduationAnswer::Kept { child } => {
            ctx.trf("graduation-kept", &[("name", Arg::Text(child))])
        }
        GraduationAnswer::Ended { child, offered } => ctx.trf(
            if *offered {
                "graduation-ended-offered"
            } else {
                "graduation-ended"
            },
            &[("name", Arg::Text(child))],
        ),
    };
    ctx.show(message_id, text, Keyboard::None);
    if matches!(
        answer,
        GraduationAnswer::Kept { .. } | GraduationAnswer::Ended { .. }
    ) {
        ctx.notice("done");
    }
    Ok(())
}
