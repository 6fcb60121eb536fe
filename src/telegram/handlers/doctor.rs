//! `/periksa` (`/check`): what needs attention in the coordinator's area — the programme's self-check —
//! each finding with the button that fixes it.

use super::Result;
use crate::callback::DoctorFix;
use crate::domain::role::Scope;
use crate::i18n::Arg;
use crate::outbound::Keyboard;
use crate::services::doctor::{self as service, Fixed};
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

/// How many findings one message lists with their buttons.
const SHOWN: usize = 15;

pub async fn command(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let findings = service::findings(ctx.conn, scope, ctx.bot.digest.case_days, ctx.now).await?;
    if findings.is_empty() {
        ctx.say("doctor-all-well");
        return Ok(());
    }
    let lang = ctx.lang();
    let mut lines = vec![ctx.trf(
        "doctor-header",
        &[(
            "count",
            Arg::Num(i64::try_from(findings.len()).unwrap_or(i64::MAX)),
        )],
    )];
    lines.extend(findings.iter().take(SHOWN).map(|f| service::line(lang, f)));
    let rows = service::buttons(lang, findings.iter().take(SHOWN))
        .into_iter()
        .map(|b| vec![b])
        .collect();
    lines.extend(super::common::more_line(
        ctx,
        SHOWN.min(findings.len()),
        findings.len() as i64,
    ));
    ctx.reply(lines.join("\n"), Keyboard::inline(rows));
    Ok(())
}

pub async fn fix(ctx: &mut Ctx<'_>, what: DoctorFix) -> Result {
    let actor = ctx.actor();
    let settings = ctx.bot.deliveries.clone();
    let text = match service::fix(ctx.conn, &actor, what, &settings, ctx.now).await? {
        Ok(Fixed::Synced) => ctx.tr("doctor-fixed-sync"),
        Ok(Fixed::Planned(n)) => ctx.trf(
            "doctor-fixed-plan",
            &[("added", Arg::Num(i64::try_from(n).unwrap_or(i64::MAX)))],
        ),
        Ok(Fixed::Expired(n)) => ctx.trf(
            "doctor-fixed-expire",
            &[("count", Arg::Num(i64::try_from(n).unwrap_or(i64::MAX)))],
        ),
        Err(d) => {
            ctx.notice(refusals::denied(d));
            return Ok(());
        }
    };
    ctx.reply(text, Keyboard::None);
    ctx.notice("done");
    Ok(())
}
