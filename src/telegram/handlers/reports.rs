//! `/laporan` (`/report`): a coordinator asks for a report of a period and region; the report worker builds it.

use super::Result;
use crate::domain::RegionCode;
use crate::domain::report::ReportPeriod;
use crate::domain::role::Scope;
use crate::telegram::context::Ctx;

pub async fn command(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let _ = (ctx, scope, args);
    Ok(())
}

pub async fn choose(
    ctx: &mut Ctx<'_>,
    period: ReportPeriod,
    region: Option<RegionCode>,
    message_id: Option<i64>,
) -> Result {
    let _ = (ctx, period, region, message_id);
    Ok(())
}
