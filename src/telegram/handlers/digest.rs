//! `/ringkasan` (`/digest`): the coordinator digest on demand, its "show all" lists, and its schedule.

use super::Result;
use crate::domain::role::Scope;
use crate::telegram::callback::DigestButton;
use crate::telegram::context::Ctx;

pub async fn command(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let _ = (ctx, scope, args);
    Ok(())
}

pub async fn button(ctx: &mut Ctx<'_>, button: DigestButton, message_id: Option<i64>) -> Result {
    let _ = (ctx, button, message_id);
    Ok(())
}
