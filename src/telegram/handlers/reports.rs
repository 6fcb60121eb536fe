//! `/laporan` (`/report`): a coordinator asks for a report of a period and region — by a preset button or by
//! typing the dates — and the request becomes a `report_jobs` row in the update's transaction; the report
//! worker builds it and sends the per-office table and the files.

use super::Result;
use crate::callback::Callback;
use crate::domain::RegionCode;
use crate::domain::policy::Denied;
use crate::domain::report::{Period, PeriodError, ReportPeriod};
use crate::i18n::Arg;
use crate::outbound::{Button, Keyboard};
use crate::services::deliveries::{Zones, local_date};
use crate::services::reports::{self as service, ReportError, area_name, period_label};
use crate::store::regions;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;
use chrono::{Datelike, NaiveDate};

impl From<ReportError> for super::HandlerError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Store(e) => super::HandlerError::Store(e),
        }
    }
}

/// What `/laporan ARGS` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    /// Only a region (or nothing): the preset buttons.
    Menu(Option<RegionCode>),
    Report(Period, Option<RegionCode>),
}

/// Why `/laporan ARGS` cannot be done.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    Period(PeriodError),
    Region(String),
}

/// `2026-10`, `2026-10-01..2026-10-31` or `2026-10-01 2026-10-31`, optionally followed by a region code;
/// a region code alone asks for the buttons.
fn parse(args: &str) -> std::result::Result<Request, Refusal> {
    let mut words: Vec<&str> = args.split_whitespace().collect();
    let region = match words.last() {
        Some(last) if looks_like_region(last) => {
            let code = RegionCode::parse(last).map_err(|_| Refusal::Region((*last).to_owned()))?;
            words.pop();
            Some(code)
        }
        _ => None,
    };
    if words.is_empty() {
        return Ok(Request::Menu(region));
    }
    let period = Period::parse(&words.join(" ")).map_err(Refusal::Period)?;
    Ok(Request::Report(period, region))
}

/// Digits and single dots, like `74`, `74.71` or `74.71.01.1001` (a date has dashes).
fn looks_like_region(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !word.contains("..")
        && (word.contains('.') || word.len() == 2)
}

pub async fn command(ctx: &mut Ctx<'_>, args: &str) -> Result {
    let request = match parse(args) {
        Ok(r) => r,
        Err(refusal) => {
            refuse(ctx, &refusal, args.trim());
            return Ok(());
        }
    };
    let (period, region) = match request {
        Request::Menu(region) => (None, region),
        Request::Report(period, region) => (Some(period), region),
    };
    if let Some(code) = &region {
        if let Err(d) = service::may_report(&ctx.actor(), Some(code)) {
            let text = outside(ctx, code, d).await?;
            ctx.reply(text, Keyboard::None);
            return Ok(());
        }
        if regions::get(ctx.conn, code).await?.is_none() {
            let text = ctx.trf(
                "report-region-unknown",
                &[("code", Arg::Text(code.as_str()))],
            );
            ctx.reply(text, Keyboard::None);
            return Ok(());
        }
    }
    match period {
        Some(period) => queue(ctx, region, period, None).await,
        None => {
            let region = region.or_else(|| own_scope(ctx));
            menu(ctx, region).await
        }
    }
}

/// The coordinator's own region (`None`: the whole programme, or no coordinator at all).
fn own_scope(ctx: &Ctx<'_>) -> Option<RegionCode> {
    ctx.roles
        .coordinator
        .as_ref()
        .and_then(|s| s.code().cloned())
}

fn refuse(ctx: &mut Ctx<'_>, refusal: &Refusal, input: &str) {
    let text = match refusal {
        Refusal::Period(PeriodError::Unreadable(_)) => {
            ctx.trf("report-bad-period", &[("input", Arg::Text(input))])
        }
        Refusal::Period(PeriodError::Reversed) => ctx.tr("report-period-reversed"),
        Refusal::Period(PeriodError::TooLong { days }) => {
            ctx.trf("report-period-too-long", &[("days", Arg::Num(*days))])
        }
        Refusal::Region(word) => ctx.trf("report-bad-region", &[("input", Arg::Text(word))]),
    };
    ctx.reply(text, Keyboard::None);
}

/// Why a region cannot be reported on: outside the coordinator's own area (named), or no role at all.
async fn outside(ctx: &mut Ctx<'_>, code: &RegionCode, denied: Denied) -> Result<String> {
    if denied != Denied::OutOfScope {
        return Ok(ctx.tr(refusals::denied(denied)));
    }
    let scope = own_scope(ctx);
    let own = area_name(ctx.conn, ctx.lang(), scope.as_ref()).await?;
    Ok(ctx.trf(
        "report-region-outside",
        &[
            ("code", Arg::Text(code.as_str())),
            ("scope", Arg::Text(&own)),
        ],
    ))
}

/// The coordinator's today, in the zone of the area reported on.
async fn today(ctx: &mut Ctx<'_>, region: Option<&RegionCode>) -> Result<NaiveDate> {
    let mut zones = Zones::new(ctx.bot.deliveries.default_zone);
    let zone = zones
        .of(ctx.conn, region.map_or("", |r| r.as_str()))
        .await?;
    Ok(local_date(ctx.now, zone))
}

/// "Nov 2026", "Sep–Nov 2026", "Nov 2026–Jan 2027", "2026".
fn span(ctx: &Ctx<'_>, period: Period) -> String {
    let (from, to) = (period.from(), period.to());
    let month = |d: NaiveDate| ctx.tr(&format!("report-month-{}", d.month()));
    let whole_year = from.month() == 1 && from.day() == 1 && to.month() == 12 && to.day() == 31;
    if from.year() != to.year() {
        format!(
            "{} {}–{} {}",
            month(from),
            from.year(),
            month(to),
            to.year()
        )
    } else if whole_year {
        from.year().to_string()
    } else if from.month() == to.month() {
        format!("{} {}", month(from), from.year())
    } else {
        format!("{}–{} {}", month(from), month(to), from.year())
    }
}

/// The preset periods as buttons.
async fn menu(ctx: &mut Ctx<'_>, region: Option<RegionCode>) -> Result {
    let today = today(ctx, region.as_ref()).await?;
    let buttons = ReportPeriod::ALL
        .into_iter()
        .map(|p| {
            let label = ctx.trf(
                &format!("report-button-{}", p.code()),
                &[("span", Arg::Text(&span(ctx, p.period(today))))],
            );
            let data = Callback::Report {
                period: p,
                region: region.clone(),
            }
            .encode();
            Button::new(label, data)
        })
        .collect();
    let area = area_name(ctx.conn, ctx.lang(), region.as_ref()).await?;
    let text = ctx.trf("report-choose", &[("area", Arg::Text(&area))]);
    ctx.reply(text, Keyboard::column(buttons));
    Ok(())
}

/// A preset pressed: the region is checked again against the presser's scope as it is now.
pub async fn choose(
    ctx: &mut Ctx<'_>,
    period: ReportPeriod,
    region: Option<RegionCode>,
    message_id: Option<i64>,
) -> Result {
    if let Some(code) = &region
        && let Err(d) = service::may_report(&ctx.actor(), Some(code))
    {
        ctx.notice(refusals::denied(d));
        let text = outside(ctx, code, d).await?;
        ctx.show(message_id, text, Keyboard::None);
        return Ok(());
    }
    let region = region.or_else(|| own_scope(ctx));
    let today = today(ctx, region.as_ref()).await?;
    queue(ctx, region, period.period(today), message_id).await
}

/// Queues the report (with an audit row: reports name children) and says it is coming.
async fn queue(
    ctx: &mut Ctx<'_>,
    region: Option<RegionCode>,
    period: Period,
    message_id: Option<i64>,
) -> Result {
    let actor = ctx.actor();
    let region =
        match service::request(ctx.conn, &actor, region, period, ctx.chat_id, ctx.now).await? {
            Ok(region) => region,
            Err(d) => {
                ctx.refuse(ctx.tr(refusals::denied(d)), message_id.is_some());
                return Ok(());
            }
        };
    let area = area_name(ctx.conn, ctx.lang(), region.as_ref()).await?;
    let text = ctx.trf(
        "report-queued",
        &[
            ("area", Arg::Text(&area)),
            ("period", Arg::Text(&period_label(period))),
        ],
    );
    ctx.show(message_id, text, Keyboard::None);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    #[test]
    fn arguments_are_a_period_and_a_region() {
        let october = Period::new(date("2026-10-01"), date("2026-10-31")).expect("period");
        assert_eq!(parse(""), Ok(Request::Menu(None)));
        assert_eq!(
            parse(" 74.71.01 "),
            Ok(Request::Menu(Some(code("74.71.01"))))
        );
        assert_eq!(parse("2026-10"), Ok(Request::Report(october, None)));
        assert_eq!(
            parse("2026-10-01..2026-10-31 74.71"),
            Ok(Request::Report(october, Some(code("74.71"))))
        );
        assert_eq!(
            parse("2026-10-01 2026-10-31 74"),
            Ok(Request::Report(october, Some(code("74"))))
        );
        assert_eq!(parse("2026-10 74.7"), Err(Refusal::Region("74.7".into())));
        assert!(matches!(
            parse("2026-13"),
            Err(Refusal::Period(PeriodError::Unreadable(_)))
        ));
        assert!(matches!(
            parse("2026"),
            Err(Refusal::Period(PeriodError::Unreadable(_)))
        ));
        assert_eq!(
            parse("2026-01-01..2027-06-30"),
            Err(Refusal::Period(PeriodError::TooLong { days: 546 }))
        );
    }
}
