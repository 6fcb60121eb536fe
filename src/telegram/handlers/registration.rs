//! The sponsor registration dialogue: name → own phone (share-contact button) → office → district →
//! village → capacity → summary → submit, after which the coordinators of the area decide.

use super::Result;
use crate::callback::{Callback, ConfirmChoice};
use crate::domain::dialogue::{Dialogue, StepError};
use crate::domain::role::SponsorStatus;
use crate::domain::sponsor::{Affiliation, Capacity, Phone, Registration};
use crate::domain::{RegionCode, RegionLevel};
use crate::i18n::Arg;
use crate::outbound::{Button, Keyboard};
use crate::services::people::{self, Submitted};
use crate::store::{offices, regions};
use crate::telegram::commands::Command;
use crate::telegram::context::Ctx;
use crate::telegram::incoming::Input;

/// Buttons per page in the office and region pickers: short enough for a phone screen.
const PAGE: i64 = 8;

/// `/daftar`: starts the registration, unless the user is registered or waiting already.
pub fn begin(ctx: &mut Ctx<'_>) -> Result {
    begin_at(ctx, None)
}

pub fn begin_at(ctx: &mut Ctx<'_>, message_id: Option<i64>) -> Result {
    if !SponsorStatus::may_register(ctx.roles.sponsor) {
        ctx.dialogue = Dialogue::Idle;
        let key = if ctx.roles.sponsor == Some(SponsorStatus::Pending) {
            "register-pending-already"
        } else {
            "register-approved-already"
        };
        let text = ctx.tr(key);
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    ctx.dialogue = Dialogue::SponsorName;
    let cancel = Command::Cancel.slash(ctx.lang());
    let text = ctx.trf("ask-name", &[("cancel", Arg::Text(&cancel))]);
    ctx.show(message_id, text, Keyboard::None);
    Ok(())
}

/// A typed message, a contact or anything else, while a dialogue (or none) is under way.
pub async fn on_input(ctx: &mut Ctx<'_>, input: Input) -> Result {
    match (ctx.dialogue.clone(), input) {
        (Dialogue::SponsorName, Input::Text(text)) => match ctx.dialogue.clone().with_name(&text) {
            Ok(next) => {
                ctx.dialogue = next;
                ask_phone(ctx);
            }
            Err(_) => ctx.say("name-invalid"),
        },
        (Dialogue::SponsorName, _) => ctx.say("expect-name"),
        (Dialogue::SponsorPhone { .. }, Input::Contact { phone, user_id }) => {
            if user_id != Some(ctx.user_id().0) {
                let text = ctx.tr("contact-not-own");
                let keyboard = share_contact(ctx);
                ctx.reply(text, keyboard);
            } else {
                match Phone::parse(&phone) {
                    Ok(phone) => {
                        ctx.dialogue = ctx.dialogue.clone().with_phone(phone).map_err(step_bug)?;
                        let text = ctx.tr("phone-saved");
                        ctx.reply(text, Keyboard::Remove);
                        show_offices(ctx, None, 0).await?;
                    }
                    Err(_) => ctx.say("phone-invalid"),
                }
            }
        }
        (Dialogue::SponsorPhone { .. }, _) => {
            let text = ctx.tr("phone-use-button");
            let keyboard = share_contact(ctx);
            ctx.reply(text, keyboard);
        }
        (Dialogue::SponsorCapacity { .. }, Input::Text(text)) => match Capacity::parse(&text) {
            Ok(capacity) => {
                ctx.dialogue = ctx
                    .dialogue
                    .clone()
                    .with_capacity(capacity)
                    .map_err(step_bug)?;
                show_summary(ctx, None).await?;
            }
            Err(_) => ctx.say("capacity-invalid"),
        },
        (Dialogue::SponsorCapacity { .. }, _) => ctx.say("capacity-invalid"),
        (Dialogue::ChoosingRole, _) => {
            ctx.say("use-buttons");
        }
        (Dialogue::SponsorOffice { .. }, _) => {
            ctx.say("use-buttons");
            show_offices(ctx, None, 0).await?;
        }
        (Dialogue::SponsorDistrict { .. }, _) => {
            ctx.say("use-buttons");
            ask_district(ctx, None).await?;
        }
        (Dialogue::SponsorVillage { kecamatan, .. }, _) => {
            ctx.say("use-buttons");
            show_villages(ctx, None, &kecamatan, 0).await?;
        }
        (Dialogue::SponsorConfirm { .. }, _) => {
            ctx.say("use-buttons");
            show_summary(ctx, None).await?;
        }
        (Dialogue::Idle, Input::Text(_) | Input::Contact { .. }) => {
            let help = Command::Help.slash(ctx.lang());
            let text = ctx.trf("idle-text", &[("help", Arg::Text(&help))]);
            ctx.reply(text, Keyboard::None);
        }
        (
            Dialogue::Reason { .. } | Dialogue::SkipReason { .. } | Dialogue::CaseResolution { .. },
            _,
        ) => ctx.say("reason-expected"),
        (Dialogue::Evidence { .. }, _) => ctx.say("evidence-expected"),
        (Dialogue::EvidencePick { .. }, _) => ctx.say("use-buttons"),
        (Dialogue::Measure { .. }, _) => ctx.say("measure-expected"),
        (Dialogue::Idle, _) => ctx.say("idle-unsupported"),
    }
    Ok(())
}

/// A step that the dialogue's own state just allowed refused the input: a bug, reported as such.
fn step_bug(e: StepError) -> super::HandlerError {
    super::HandlerError::Store(crate::store::StoreError::Corrupt(format!(
        "dialogue step refused its own input: {e:?}"
    )))
}

/// A pressed button of the registration. Buttons from an earlier step or an abandoned dialogue say so.
pub async fn on_button(ctx: &mut Ctx<'_>, cb: Callback, message_id: Option<i64>) -> Result {
    match (ctx.dialogue.clone(), cb) {
        (d @ Dialogue::SponsorOffice { .. }, Callback::Office(office)) => {
            let affiliation = match office {
                Some(id) if offices::name(ctx.conn, id).await?.is_none() => return stale(ctx),
                Some(id) => Affiliation::Office(id),
                None => Affiliation::Community,
            };
            ctx.dialogue = d.with_affiliation(affiliation).map_err(step_bug)?;
            ask_district(ctx, message_id).await?;
        }
        (Dialogue::SponsorOffice { .. }, Callback::OfficePage(page)) => {
            show_offices(ctx, message_id, page).await?
        }
        (Dialogue::SponsorDistrict { .. }, Callback::Regencies { page }) => {
            show_regencies(ctx, message_id, page).await?
        }
        (Dialogue::SponsorDistrict { .. }, Callback::Districts { within, page }) => {
            show_districts(ctx, message_id, within.as_ref(), page).await?
        }
        (d @ Dialogue::SponsorDistrict { .. }, Callback::District(code)) => {
            let Some(region) = regions::get(ctx.conn, &code).await? else {
                return stale(ctx);
            };
            if region.level != RegionLevel::District {
                return stale(ctx);
            }
            let (_, villages) =
                regions::of_level(ctx.conn, RegionLevel::Village, Some(&code), 0, 1).await?;
            ctx.dialogue = d
                .with_district(code.clone(), villages > 0)
                .map_err(step_bug)?;
            if villages > 0 {
                show_villages(ctx, message_id, &code, 0).await?;
            } else {
                ask_capacity(ctx, message_id);
            }
        }
        (Dialogue::SponsorVillage { kecamatan, .. }, Callback::Villages { kecamatan: k, page })
            if k == kecamatan =>
        {
            show_villages(ctx, message_id, &kecamatan, page).await?
        }
        (d @ Dialogue::SponsorVillage { .. }, Callback::Village(village)) => {
            if let Some(v) = &village
                && regions::get(ctx.conn, v).await?.is_none()
            {
                return stale(ctx);
            }
            match d.with_village(village) {
                Ok(next) => {
                    ctx.dialogue = next;
                    ask_capacity(ctx, message_id);
                }
                Err(_) => stale(ctx)?,
            }
        }
        (d @ Dialogue::SponsorCapacity { .. }, Callback::Capacity(n)) => {
            match Capacity::new(i64::from(n)) {
                Ok(capacity) => {
                    ctx.dialogue = d.with_capacity(capacity).map_err(step_bug)?;
                    show_summary(ctx, message_id).await?;
                }
                Err(_) => stale(ctx)?,
            }
        }
        (Dialogue::SponsorConfirm { registration }, Callback::Confirm(choice)) => match choice {
            ConfirmChoice::Submit => submit(ctx, registration, message_id).await?,
            ConfirmChoice::Restart => {
                ctx.dialogue = Dialogue::SponsorName;
                let cancel = Command::Cancel.slash(ctx.lang());
                let text = ctx.trf("ask-name", &[("cancel", Arg::Text(&cancel))]);
                ctx.show(message_id, text, Keyboard::None);
            }
            ConfirmChoice::Cancel => {
                ctx.dialogue = Dialogue::Idle;
                let text = ctx.tr("cancel-done");
                ctx.show(message_id, text, Keyboard::None);
            }
        },
        _ => stale(ctx)?,
    }
    Ok(())
}

fn stale(ctx: &mut Ctx<'_>) -> Result {
    ctx.notice("error-stale-button");
    Ok(())
}

fn share_contact(ctx: &Ctx<'_>) -> Keyboard {
    Keyboard::ShareContact {
        label: ctx.tr("share-contact-button"),
    }
}

fn ask_phone(ctx: &mut Ctx<'_>) {
    let text = ctx.tr("ask-phone");
    let keyboard = share_contact(ctx);
    ctx.reply(text, keyboard);
}

/// Previous / next buttons for a picker page, when there is more than one page.
fn pager(
    ctx: &Ctx<'_>,
    page: u32,
    total: i64,
    make: impl Fn(u32) -> Callback,
) -> Option<Vec<Button>> {
    let pages = u32::try_from((total + PAGE - 1) / PAGE).unwrap_or(u32::MAX);
    let mut row = Vec::new();
    if page > 0 {
        row.push(Button::new(
            ctx.tr("page-previous"),
            make(page - 1).encode(),
        ));
    }
    if page + 1 < pages {
        row.push(Button::new(ctx.tr("page-next"), make(page + 1).encode()));
    }
    (!row.is_empty()).then_some(row)
}

async fn show_offices(ctx: &mut Ctx<'_>, message_id: Option<i64>, page: u32) -> Result {
    let all = offices::list(ctx.conn).await?;
    let total = all.len() as i64;
    let mut rows = vec![vec![Button::new(
        ctx.tr("community-member"),
        Callback::Office(None).encode(),
    )]];
    rows.extend(
        all.into_iter()
            .skip(page as usize * PAGE as usize)
            .take(PAGE as usize)
            .map(|o| vec![Button::new(o.name, Callback::Office(Some(o.id)).encode())]),
    );
    rows.extend(pager(ctx, page, total, Callback::OfficePage));
    let text = ctx.tr("ask-office");
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

/// Districts straight away, or first the regency when the deployment spans several.
async fn ask_district(ctx: &mut Ctx<'_>, message_id: Option<i64>) -> Result {
    let (_, regencies) = regions::of_level(ctx.conn, RegionLevel::Regency, None, 0, 1).await?;
    if regencies > 1 {
        show_regencies(ctx, message_id, 0).await
    } else {
        show_districts(ctx, message_id, None, 0).await
    }
}

async fn show_regencies(ctx: &mut Ctx<'_>, message_id: Option<i64>, page: u32) -> Result {
    let (list, total) = regions::of_level(
        ctx.conn,
        RegionLevel::Regency,
        None,
        i64::from(page) * PAGE,
        PAGE,
    )
    .await?;
    let mut rows: Vec<Vec<Button>> = list
        .into_iter()
        .map(|r| {
            vec![Button::new(
                r.name,
                Callback::Districts {
                    within: Some(r.code),
                    page: 0,
                }
                .encode(),
            )]
        })
        .collect();
    rows.extend(pager(ctx, page, total, |page| Callback::Regencies { page }));
    let text = ctx.tr("ask-regency");
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

async fn show_districts(
    ctx: &mut Ctx<'_>,
    message_id: Option<i64>,
    within: Option<&RegionCode>,
    page: u32,
) -> Result {
    let (list, total) = regions::of_level(
        ctx.conn,
        RegionLevel::District,
        within,
        i64::from(page) * PAGE,
        PAGE,
    )
    .await?;
    if total == 0 {
        let text = ctx.tr("no-regions-yet");
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    let mut rows: Vec<Vec<Button>> = list
        .into_iter()
        .map(|r| vec![Button::new(r.name, Callback::District(r.code).encode())])
        .collect();
    let within_owned = within.cloned();
    rows.extend(pager(ctx, page, total, |page| Callback::Districts {
        within: within_owned.clone(),
        page,
    }));
    if within.is_some() {
        rows.push(vec![Button::new(
            ctx.tr("back-to-regencies"),
            Callback::Regencies { page: 0 }.encode(),
        )]);
    }
    let text = ctx.tr("ask-district");
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

async fn show_villages(
    ctx: &mut Ctx<'_>,
    message_id: Option<i64>,
    kecamatan: &RegionCode,
    page: u32,
) -> Result {
    let (list, total) = regions::of_level(
        ctx.conn,
        RegionLevel::Village,
        Some(kecamatan),
        i64::from(page) * PAGE,
        PAGE,
    )
    .await?;
    let mut rows = vec![vec![Button::new(
        ctx.tr("whole-district"),
        Callback::Village(None).encode(),
    )]];
    rows.extend(list.into_iter().map(|r| {
        vec![Button::new(
            r.name,
            Callback::Village(Some(r.code)).encode(),
        )]
    }));
    rows.extend(pager(ctx, page, total, |page| Callback::Villages {
        kecamatan: kecamatan.clone(),
        page,
    }));
    let district = regions::name_or_code(ctx.conn, kecamatan).await?;
    let text = ctx.trf("ask-village", &[("district", Arg::Text(&district))]);
    ctx.show(message_id, text, Keyboard::inline(rows));
    Ok(())
}

fn ask_capacity(ctx: &mut Ctx<'_>, message_id: Option<i64>) {
    let row = [1u8, 2, 3, 4, 5]
        .into_iter()
        .map(|n| Button::new(n.to_string(), Callback::Capacity(n).encode()))
        .collect();
    let text = ctx.trf(
        "ask-capacity",
        &[("max", Arg::Num(i64::from(Capacity::MAX)))],
    );
    ctx.show(message_id, text, Keyboard::inline(vec![row]));
}

/// Renders a registration for people: the sponsor's summary and the coordinator's request.
async fn describe(ctx: &mut Ctx<'_>, r: &Registration) -> Result<String> {
    Ok(people::registration_details(ctx.conn, ctx.lang(), r).await?)
}

async fn show_summary(ctx: &mut Ctx<'_>, message_id: Option<i64>) -> Result {
    let Dialogue::SponsorConfirm { registration } = ctx.dialogue.clone() else {
        return Ok(());
    };
    let details = describe(ctx, &registration).await?;
    let text = ctx.trf("confirm-registration", &[("details", Arg::Html(&details))]);
    let keyboard = Keyboard::inline(vec![
        vec![Button::new(
            ctx.tr("confirm-submit"),
            Callback::Confirm(ConfirmChoice::Submit).encode(),
        )],
        vec![
            Button::new(
                ctx.tr("confirm-restart"),
                Callback::Confirm(ConfirmChoice::Restart).encode(),
            ),
            Button::new(
                ctx.tr("confirm-cancel"),
                Callback::Confirm(ConfirmChoice::Cancel).encode(),
            ),
        ],
    ]);
    ctx.show(message_id, text, keyboard);
    Ok(())
}

async fn submit(ctx: &mut Ctx<'_>, registration: Registration, message_id: Option<i64>) -> Result {
    ctx.dialogue = Dialogue::Idle;
    let key =
        match people::submit_registration(ctx.conn, ctx.user_id(), &registration, ctx.now).await? {
            Submitted::Sent(_) => "registration-submitted",
            Submitted::NoCoordinator => "registration-submitted-no-coordinator",
            Submitted::AlreadyRegistered => "register-pending-already",
        };
    let text = ctx.tr(key);
    ctx.show(message_id, text, Keyboard::None);
    Ok(())
}
