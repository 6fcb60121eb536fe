//! Routing: one input in, replies out. Commands work from anywhere (and are checked against the user's
//! roles here, once); buttons are decoded into typed callbacks; everything else belongs to the dialogue.

mod children;
mod common;
mod confirm;
mod coordinator;
mod deliveries;
mod digest;
mod doctor;
mod evidence;
mod growth;
mod meeting;
mod menus;
mod plans;
mod registration;
mod reports;
mod sponsorship;

use super::commands::Command;
use super::context::Ctx;
use super::incoming::Input;
use crate::callback::Callback;
use crate::domain::confirmation::PhotoRef;
use crate::domain::dialogue::Dialogue;
use crate::domain::evidence::is_image_mime;
use crate::i18n::Arg;
use crate::outbound::Keyboard;
use crate::store::StoreError;

pub use menus::{menu_for, menus_for};

/// Telegram's limit for a text message; a longer one cannot come from a real client, but is refused politely.
const MAX_TEXT_CHARS: usize = 4096;

/// A failure that is not the user's: the update is kept and tried again.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T = ()> = std::result::Result<T, HandlerError>;

pub async fn handle(ctx: &mut Ctx<'_>, input: Input) -> Result {
    match input {
        Input::Text(text) if text.chars().count() > MAX_TEXT_CHARS => {
            ctx.say("error-too-long");
            Ok(())
        }
        Input::Command { name, args } => command(ctx, &name, &args).await,
        Input::Callback {
            data, message_id, ..
        } => callback(ctx, &data, message_id).await,
        Input::Document {
            file_id,
            file_unique_id,
            file_name,
            size,
            mime,
            caption,
            album,
        } => {
            // A coordinator's file in no confirmation is an import, unless it is a picture; any other
            // file is taken as a confirmation's picture (and refused with the reason if it is not one).
            let picture = mime.as_deref().is_some_and(is_image_mime);
            let confirming = matches!(
                ctx.dialogue,
                Dialogue::Evidence { .. } | Dialogue::EvidencePick { .. }
            );
            if ctx.roles.coordinator.is_some() && !confirming && !picture {
                children::document(ctx, &file_id, &file_name, size, &caption).await
            } else if confirming || matches!(ctx.dialogue, Dialogue::Idle) {
                confirm::document(
                    ctx,
                    file_id,
                    file_unique_id,
                    &file_name,
                    size,
                    mime.as_deref(),
                    album,
                )
                .await
            } else {
                registration::on_input(ctx, Input::Other("document")).await
            }
        }
        Input::Photo {
            file_id,
            file_unique_id,
            album,
            caption,
        } => {
            let photo = PhotoRef {
                file_id,
                file_unique_id,
                as_document: false,
                album,
                received_ms: ctx.now.timestamp_millis(),
            };
            confirm::picture(ctx, photo).await?;
            // A caption is the note of the confirmation it joined.
            if let (false, Dialogue::Evidence { delivery, draft }) =
                (caption.trim().is_empty(), ctx.dialogue.clone())
            {
                confirm::text(ctx, delivery, draft, &caption).await?;
            }
            Ok(())
        }
        Input::Location { lat, lon } => confirm::location(ctx, lat, lon).await,
        Input::Text(text) if matches!(ctx.dialogue, Dialogue::Evidence { .. }) => {
            let Dialogue::Evidence { delivery, draft } = ctx.dialogue.clone() else {
                return Ok(());
            };
            confirm::text(ctx, delivery, draft, &text).await
        }
        Input::Text(text) if matches!(ctx.dialogue, Dialogue::SkipReason { .. }) => {
            let Dialogue::SkipReason { delivery } = ctx.dialogue.clone() else {
                return Ok(());
            };
            deliveries::skip_reason(ctx, delivery, &text).await
        }
        Input::Text(text) if matches!(ctx.dialogue, Dialogue::CaseResolution { .. }) => {
            let Dialogue::CaseResolution { case } = ctx.dialogue.clone() else {
                return Ok(());
            };
            evidence::resolution(ctx, case, &text).await
        }
        Input::Text(text) if matches!(ctx.dialogue, Dialogue::Measure { .. }) => {
            let Dialogue::Measure { child, draft } = ctx.dialogue.clone() else {
                return Ok(());
            };
            growth::text(ctx, child, draft, &text).await
        }
        Input::Text(text) if matches!(ctx.dialogue, Dialogue::Reason { .. }) => {
            let Dialogue::Reason {
                sponsorship,
                ending,
            } = ctx.dialogue.clone()
            else {
                return Ok(());
            };
            let reason: String = text.chars().take(300).collect();
            sponsorship::reason(ctx, sponsorship, ending, Some(&reason), None).await
        }
        other => registration::on_input(ctx, other).await,
    }
}

async fn command(ctx: &mut Ctx<'_>, name: &str, args: &str) -> Result {
    let Some(command) = Command::parse(name) else {
        let help = Command::Help.slash(ctx.lang());
        let text = ctx.trf("error-unknown-command", &[("help", Arg::Text(&help))]);
        ctx.reply(text, Keyboard::None);
        return Ok(());
    };
    if !command.allowed(&ctx.roles.active()) {
        ctx.say("error-not-allowed");
        return Ok(());
    }
    match command {
        Command::Start => common::start(ctx, args).await,
        Command::Help => common::help(ctx),
        Command::Me => common::me(ctx).await,
        Command::Language => common::language(ctx),
        Command::Cancel => common::cancel(ctx),
        Command::Register => registration::begin(ctx),
        Command::Offices => coordinator::offices(ctx).await,
        Command::OfficeAdd => coordinator::office_add(ctx, args).await,
        Command::Revoke => coordinator::revoke(ctx, args).await,
        Command::RegionAdd => coordinator::region_add(ctx, args).await,
        Command::RegionRemove => coordinator::region_remove(ctx, args).await,
        Command::Invite => coordinator::invite(ctx, args).await,
        Command::MyChildren => sponsorship::my_children(ctx, args).await,
        Command::RequestChild => sponsorship::request_child(ctx).await,
        Command::Commitment => children::commitment(ctx, args).await,
        Command::Report => reports::command(ctx, args).await,
        Command::Meeting => meeting::command(ctx).await,
        Command::Child => children::view(ctx, args).await,
        Command::ChildEdit => children::edit(ctx, args).await,
        Command::Match => children::match_preview(ctx).await,
        Command::Pair => children::pair(ctx, args).await,
        Command::Transfer => children::transfer(ctx, args).await,
        Command::Deliveries => deliveries::list(ctx).await,
        Command::Confirm => confirm::list(ctx).await,
        Command::Packages => plans::packages(ctx, args).await,
        Command::Cadences => plans::cadences(ctx, args).await,
        Command::Measure => growth::command(ctx, args).await,
        Command::Import => {
            ctx.say("import-help");
            Ok(())
        }
        scoped => {
            let Some(scope) = ctx.roles.coordinator.clone() else {
                ctx.say("error-not-allowed");
                return Ok(());
            };
            let scope = &scope;
            match scoped {
                Command::Pending => coordinator::pending(ctx, scope).await,
                Command::Sponsors => coordinator::sponsors(ctx, scope).await,
                Command::Volunteers => coordinator::volunteers(ctx, scope).await,
                Command::Coordinators => coordinator::coordinators(ctx, scope).await,
                Command::Regions => coordinator::regions(ctx, scope).await,
                Command::Children => children::search(ctx, scope, args).await,
                Command::PlanDefaults => plans::defaults(ctx, scope).await,
                Command::Evidence => evidence::command(ctx, scope, args).await,
                Command::Cases => evidence::cases(ctx, scope).await,
                Command::Check => doctor::command(ctx, scope).await,
                Command::Digest => digest::command(ctx, scope, args).await,
                _ => Ok(()),
            }
        }
    }
}

async fn callback(ctx: &mut Ctx<'_>, data: &str, message_id: Option<i64>) -> Result {
    let Some(cb) = Callback::decode(data) else {
        ctx.notice("error-stale-button");
        return Ok(());
    };
    match cb {
        Callback::Lang(lang) => common::set_language(ctx, lang, message_id).await,
        Callback::Role(choice) => common::choose_role(ctx, choice, message_id),
        Callback::Decide {
            sponsor,
            approve,
            listed,
        } => coordinator::decide(ctx, sponsor, approve, listed, message_id).await,
        Callback::ApplyDefault { region } => plans::apply_default(ctx, region, message_id).await,
        Callback::RemindNow(id) => deliveries::remind_now(ctx, id).await,
        Callback::ChildCard(child) => children::card(ctx, child).await,
        Callback::Reassign(child) => children::reassign(ctx, child).await,
        Callback::TransferTo { child, sponsor } => {
            children::transfer_to(ctx, child, sponsor, message_id).await
        }
        Callback::Doctor(fix) => doctor::fix(ctx, fix).await,
        Callback::Release { sponsor, release } => {
            coordinator::release(ctx, sponsor, release, message_id).await
        }
        Callback::Revoke { user, role } => {
            coordinator::revoke_role(ctx, user, role, message_id).await
        }
        Callback::MatchConfirm(yes) => children::match_confirm(ctx, yes, message_id).await,
        Callback::Accept(id) => sponsorship::accept(ctx, id, message_id).await,
        Callback::Decline(id) => sponsorship::decline(ctx, id, message_id).await,
        Callback::End(id) => sponsorship::ask_end(ctx, id, message_id).await,
        Callback::SkipReason => match ctx.dialogue.clone() {
            Dialogue::Reason {
                sponsorship,
                ending,
            } => sponsorship::reason(ctx, sponsorship, ending, None, message_id).await,
            _ => {
                ctx.notice("error-stale-button");
                Ok(())
            }
        },
        Callback::CloseMenu(child) => children::close_menu(ctx, child, message_id).await,
        Callback::Close { child, status } => children::close(ctx, child, status, message_id).await,
        Callback::Delivered(id) => confirm::start(ctx, id, None).await,
        Callback::Evidence { delivery, step } => {
            confirm::step(ctx, delivery, step, message_id).await
        }
        Callback::ShowEvidence { delivery, export } => evidence::show(ctx, delivery, export).await,
        Callback::ResolveCase(id) => evidence::resolve(ctx, id).await,
        Callback::Digest(button) => digest::button(ctx, button, message_id).await,
        Callback::Meeting(button) => meeting::button(ctx, button, message_id).await,
        Callback::Report { period, region } => {
            reports::choose(ctx, period, region, message_id).await
        }
        Callback::Reschedule(id) => deliveries::reschedule(ctx, id).await,
        Callback::RescheduleTo { delivery, date } => {
            deliveries::reschedule_to(ctx, delivery, date, message_id).await
        }
        Callback::Skip(id) => deliveries::skip(ctx, id).await,
        Callback::PlanDefault {
            region,
            package,
            cadence,
            deliverer,
        } => plans::default_step(ctx, region, package, cadence, deliverer, message_id).await,
        Callback::SponsorshipPlan {
            sponsorship,
            package,
            cadence,
        } => plans::sponsorship_step(ctx, sponsorship, package, cadence, message_id).await,
        Callback::Growth(child) => growth::card(ctx, child, message_id).await,
        Callback::Measure(child) => growth::start(ctx, child).await,
        Callback::MeasureStep(button) => growth::step(ctx, button, message_id).await,
        Callback::GrowthChart(child) => growth::chart(ctx, child).await,
        Callback::Graduate { id, end } => growth::graduate(ctx, id, end, message_id).await,
        step => registration::on_button(ctx, step, message_id).await,
    }
}
