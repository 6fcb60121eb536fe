//! Deliveries: planning a sponsorship's dated deliveries from its cadence, and the sponsor's own changes
//! (reschedule, skip). Everything runs in the caller's transaction and is safe to run twice or from two
//! processes at once: inserts are keyed by slot, updates are conditional.

use super::labels::cadence_label;
use super::notices;
use super::sponsorships::child_place_of as child_place;
use crate::callback::Callback;
use crate::domain::child::first_name;
use crate::domain::delivery::{self, Deliverer, DeliveryStatus, Planned, RescheduleError};
use crate::domain::package;
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::schedule::{QuietHours, ReminderPolicy, Step, local_to_utc};
use crate::domain::sponsorship::SponsorshipId;
use crate::domain::{RegionCode, UserId, region::parse_zone};
use crate::i18n::{Arg, date_label, t, tf};
use crate::outbound::Keyboard;
use crate::outbound::{self, Button, Outbound};
use crate::store::children::{self, Child};
use crate::store::deliveries::{self, Delivery, DeliveryId, NewDelivery, ToPlan};
use crate::store::{self, Conn, audit, plans, regions, sponsors, sponsorships, users, volunteers};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// How deliveries are planned and reminded (from the environment, see `Config`).
#[derive(Debug, Clone)]
pub struct Settings {
    pub reminders: ReminderPolicy,
    pub quiet: QuietHours,
    /// Days ahead that deliveries exist as rows.
    pub horizon_days: u32,
    /// Days between accepting and the first delivery, so the sponsor has time to prepare.
    pub lead_days: u32,
    /// An open delivery this many days past its date counts as missed.
    pub missed_after_days: u32,
    /// How many days past its original date a sponsor may move a delivery.
    pub max_shift_days: u32,
    /// How many days before its date a delivery may be confirmed (a package handed over early counts).
    pub confirm_ahead_days: u32,
    /// The zone of an area with none of its own.
    pub default_zone: Tz,
}

impl Settings {
    fn horizon(&self) -> Days {
        Days::new(u64::from(self.horizon_days))
    }

    fn lead(&self) -> Days {
        Days::new(u64::from(self.lead_days))
    }

    fn max_shift(&self) -> Days {
        Days::new(u64::from(self.max_shift_days))
    }

    pub fn missed_after(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.missed_after_days))
    }

    /// How many days before its date the first reminder of a delivery comes.
    fn reminder_lead_days(&self) -> u64 {
        self.reminders
            .offsets
            .iter()
            .map(|o| (-i64::from(o.days)).max(0).unsigned_abs())
            .max()
            .unwrap_or(0)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            reminders: ReminderPolicy::default(),
            quiet: QuietHours::default(),
            horizon_days: 60,
            lead_days: 3,
            missed_after_days: 14,
            max_shift_days: 7,
            confirm_ahead_days: 3,
            default_zone: chrono_tz::Asia::Jakarta,
        }
    }
}

/// The zone of a region: its own, else that of the nearest region up the tree that has one, else the
/// programme's (`default`, `ASUH_TIMEZONE`). The one function that decides a region's zone: every time a
/// person reads, every local date and week, is in the zone it gives for the region concerned (the child's
/// kecamatan, a coordinator's area). [`Zones`] asks it once per region and pass.
pub async fn zone_of(conn: &mut Conn, region: &RegionCode, default: Tz) -> store::Result<Tz> {
    Ok(regions::timezone(conn, region)
        .await?
        .as_deref()
        .and_then(parse_zone)
        .unwrap_or(default))
}

/// Time zones of regions, each decided by [`zone_of`] once per pass (or per answer).
pub struct Zones {
    default: Tz,
    cache: HashMap<String, Tz>,
}

impl Zones {
    pub fn new(default: Tz) -> Self {
        Self {
            default,
            cache: HashMap::new(),
        }
    }

    /// The zone of the region with code `area` ([`zone_of`]); the programme's for a code that is not one.
    pub async fn of(&mut self, conn: &mut Conn, area: &str) -> store::Result<Tz> {
        if let Some(tz) = self.cache.get(area) {
            return Ok(*tz);
        }
        let tz = match RegionCode::parse(area) {
            Ok(code) => zone_of(conn, &code, self.default).await?,
            Err(_) => self.default,
        };
        self.cache.insert(area.to_owned(), tz);
        Ok(tz)
    }
}

pub fn local_date(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

fn midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_to_utc(date, NaiveTime::MIN, tz)
}

/// The first reminder step of a delivery that is still ahead of `now`.
fn first_step(
    policy: &ReminderPolicy,
    due_on: NaiveDate,
    tz: Tz,
    now: DateTime<Utc>,
) -> Option<Step> {
    policy
        .steps(due_on, tz)
        .into_iter()
        .find(|s| s.fire_at > now)
}

/// Creates the deliveries of one sponsorship up to `until` (default: its local today + horizon). Returns how
/// many were added.
pub async fn plan(
    conn: &mut Conn,
    p: &ToPlan,
    settings: &Settings,
    zones: &mut Zones,
    now: DateTime<Utc>,
    until: Option<NaiveDate>,
) -> store::Result<usize> {
    let tz = zones.of(conn, &p.kecamatan).await?;
    let Some(cadence) = plans::cadence(conn, p.cadence).await? else {
        return Ok(0);
    };
    let (new, planned_until) = to_add(p, &cadence.cadence, tz, settings, now, until);
    let added = deliveries::insert_many(conn, &new, now).await?;
    deliveries::set_planned_until(conn, p.sponsorship, planned_until).await?;
    Ok(added)
}

/// The deliveries planning one sponsorship up to `until` (default: its local today + horizon) would add,
/// and how far it is planned then.
fn to_add(
    p: &ToPlan,
    cadence: &crate::domain::schedule::Cadence,
    tz: Tz,
    settings: &Settings,
    now: DateTime<Utc>,
    until: Option<NaiveDate>,
) -> (Vec<NewDelivery>, NaiveDate) {
    let today = local_date(now, tz);
    let start = local_date(p.started_at.unwrap_or(now), tz);
    let anchor = start + settings.lead();
    let resume = p.planned_until.and_then(|d| d.succ_opt()).unwrap_or(anchor);
    let from = resume.max(anchor).max(today);
    let to = until.unwrap_or(today + settings.horizon());
    let new = if from <= to {
        new_deliveries(p, &cadence.dates(anchor, from, to, tz), tz, settings, now)
    } else {
        Vec::new()
    };
    (new, to.max(p.planned_until.unwrap_or(to)))
}

/// A scheduled delivery on each date, each with its first reminder still to come.
fn new_deliveries(
    p: &ToPlan,
    dates: &[NaiveDate],
    tz: Tz,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Vec<NewDelivery> {
    dates
        .iter()
        .map(|date| {
            let step = first_step(&settings.reminders, *date, tz, now);
            NewDelivery {
                sponsorship: p.sponsorship,
                child: p.child,
                sponsor: p.sponsor,
                slot: *date,
                due_at: midnight(*date, tz),
                package: p.package,
                deliverer: p.deliverer,
                next_reminder_at: step.as_ref().map(|s| s.fire_at),
                next_step: step.map(|s| s.key),
            }
        })
        .collect()
}

/// Plans a sponsorship that just became active, if it has a plan. Returns its first delivery.
pub async fn plan_new(
    conn: &mut Conn,
    s: SponsorshipId,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Option<Delivery>> {
    let Some(p) = deliveries::plan_of(conn, s).await? else {
        return Ok(None);
    };
    plan(
        conn,
        &p,
        settings,
        &mut Zones::new(settings.default_zone),
        now,
        None,
    )
    .await?;
    Ok(deliveries::of_sponsorship(conn, s)
        .await?
        .into_iter()
        .find(|d| d.status.is_open()))
}

/// Extends every active sponsorship's plan to the horizon, a batch at a time: a batch's deliveries are
/// written in a statement or a few, so a pass costs a handful of round trips per batch, not one per
/// delivery. While one batch is written the next is read and worked out; on PostgreSQL two batches are
/// written at once (the database spends its time checking keys and filling indexes, one core per
/// connection). Batches are disjoint, and planning is idempotent (one live delivery per slot), so another
/// process planning at the same time adds nothing twice. Returns deliveries added.
pub async fn extend_plans(
    db: &store::Db,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<usize> {
    // Sponsorships in the zone furthest east reach a new day first; planning every one to that horizon
    // (a day more in the west) is what makes a batch leave the "to plan" query for good.
    let until = local_date(now, chrono_tz::Asia::Jayapura) + settings.horizon();
    let writers = match db.backend() {
        store::Backend::Postgres => 2,
        store::Backend::Sqlite => 1,
    };
    let mut zones = Zones::new(settings.default_zone);
    let mut cadences = HashMap::new();
    let mut added = 0;
    let mut turns = db.turns();
    let mut writing = tokio::task::JoinSet::new();
    let mut after = SponsorshipId(0);
    loop {
        let mut conn = db.conn().await?;
        let batch = deliveries::to_plan(&mut conn, until, after, PLAN_BATCH).await?;
        if let Some(last) = batch.last() {
            after = last.sponsorship;
        }
        let mut new = Vec::new();
        let mut planned = Vec::with_capacity(batch.len());
        for p in &batch {
            let tz = zones.of(&mut conn, &p.kecamatan).await?;
            if let std::collections::hash_map::Entry::Vacant(e) = cadences.entry(p.cadence) {
                e.insert(
                    plans::cadence(&mut conn, p.cadence)
                        .await?
                        .map(|c| c.cadence),
                );
            }
            let Some(Some(cadence)) = cadences.get(&p.cadence) else {
                continue;
            };
            new.extend(to_add(p, cadence, tz, settings, now, Some(until)).0);
            planned.push(p.sponsorship);
        }
        drop(conn);
        while writing.len() >= writers {
            added += joined(writing.join_next().await)?;
        }
        turns.between().await;
        writing.spawn(write_plans(db.clone(), new, planned, until, now));
        if (batch.len() as i64) < PLAN_BATCH {
            break;
        }
    }
    while !writing.is_empty() {
        added += joined(writing.join_next().await)?;
    }
    Ok(added)
}

/// One batch of [`extend_plans`] in its own transaction: the deliveries, then how far each sponsorship
/// is planned now (every one of them was planned less far than `until`: that is how it was chosen).
async fn write_plans(
    db: store::Db,
    new: Vec<NewDelivery>,
    planned: Vec<SponsorshipId>,
    until: NaiveDate,
    now: DateTime<Utc>,
) -> store::Result<usize> {
    let mut tx = db.begin().await?;
    let added = deliveries::insert_many(&mut tx, &new, now).await?;
    deliveries::set_planned_until_all(&mut tx, &planned, until).await?;
    tx.commit().await?;
    Ok(added)
}

/// A finished writer's outcome; a writer that panicked panics here, as it would have done in line.
fn joined(r: Option<Result<store::Result<usize>, tokio::task::JoinError>>) -> store::Result<usize> {
    match r {
        None => Ok(0),
        Some(Ok(outcome)) => outcome,
        Some(Err(e)) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// How many sponsorships one transaction of [`extend_plans`] plans.
const PLAN_BATCH: i64 = 500;

/// Gives a sponsorship its package, cadence and deliverer: when it is live already, open deliveries that no
/// longer fit are cancelled and the new dates planned, keeping what is confirmed, moved by the sponsor, or
/// due within the reminder lead.
#[allow(clippy::too_many_arguments)]
pub async fn set_plan(
    conn: &mut Conn,
    s: SponsorshipId,
    package: i64,
    cadence: i64,
    deliverer: Deliverer,
    settings: &Settings,
    by: UserId,
    now: DateTime<Utc>,
) -> store::Result<usize> {
    deliveries::set_plan(conn, s, package, cadence, deliverer).await?;
    audit::record(
        conn,
        now,
        Some(by),
        "sponsorship.plan",
        &format!("sponsorship:{}", s.0),
        Some(&format!(
            "package:{package} cadence:{cadence} {}",
            deliverer.as_str()
        )),
    )
    .await?;
    let Some(p) = deliveries::plan_of(conn, s).await? else {
        return Ok(0);
    };
    let mut zones = Zones::new(settings.default_zone);
    let tz = zones.of(conn, &p.kecamatan).await?;
    let Some(c) = plans::cadence(conn, cadence).await? else {
        return Ok(0);
    };
    let today = local_date(now, tz);
    let anchor = local_date(p.started_at.unwrap_or(now), tz) + settings.lead();
    let to = today + settings.horizon();
    let wanted = c.cadence.dates(anchor, today, to, tz);
    let existing = deliveries::of_sponsorship(conn, s).await?;
    let planned: Vec<Planned> = existing
        .iter()
        .map(|d| Planned {
            id: d.id.0,
            slot: d.slot,
            due_on: d.due_on,
            status: d.status,
            touched: d.rescheduled,
        })
        .collect();
    // Deliveries due within the first reminder's lead are under way: the sponsor was told already.
    let keep_before = today + Days::new(settings.reminder_lead_days() + 1);
    let replan = delivery::replan(&planned, &wanted, keep_before);
    for id in &replan.cancel {
        if let Some(d) = existing.iter().find(|d| d.id.0 == *id) {
            deliveries::close(
                conn,
                d.id,
                d.status,
                DeliveryStatus::Cancelled,
                Some("plan changed"),
                Some(by),
                now,
            )
            .await?;
        }
    }
    let added = deliveries::insert_many(
        conn,
        &new_deliveries(&p, &replan.create, tz, settings, now),
        now,
    )
    .await?;
    deliveries::set_planned_until(conn, s, to).await?;
    Ok(added)
}

/// A cadence's rule changed: every active sponsorship on it is re-planned (see [`set_plan`]). Returns the
/// sponsorships re-planned and the deliveries added.
pub async fn replan_cadence(
    conn: &mut Conn,
    cadence: i64,
    settings: &Settings,
    by: UserId,
    now: DateTime<Utc>,
) -> store::Result<(Vec<SponsorshipId>, usize)> {
    let on = deliveries::active_on_cadence(conn, cadence).await?;
    let mut added = 0;
    for (s, package, deliverer) in &on {
        added += set_plan(conn, *s, *package, cadence, *deliverer, settings, by, now).await?;
    }
    Ok((on.into_iter().map(|(s, _, _)| s).collect(), added))
}

/// Tells a sponsorship's sponsor its plan as it is now: the package and its items, the cadence in words
/// and the next delivery.
pub async fn tell_sponsor_of_plan(
    conn: &mut Conn,
    s: SponsorshipId,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let Some(sponsorship) = sponsorships::get(conn, s).await? else {
        return Ok(());
    };
    let Some((package, cadence, deliverer)) = deliveries::plan_ids(conn, s).await? else {
        return Ok(());
    };
    let Some(plan) = plans::plan(conn, package, cadence, &deliverer).await? else {
        return Ok(());
    };
    let Some(child) = children::get(conn, sponsorship.child).await? else {
        return Ok(());
    };
    let lang = users::language(conn, sponsorship.sponsor).await?;
    let next = deliveries::next_open(conn, s)
        .await?
        .map_or_else(|| "—".to_owned(), |d| date_label(lang, d.due_on));
    let cadence = cadence_label(lang, &plan.cadence.name, &plan.cadence.cadence);
    notices::person(
        conn,
        sponsorship.sponsor,
        "sponsor-plan-changed",
        &[
            ("child", Arg::Text(first_name(&child.full_name))),
            ("package", Arg::Text(&plan.package.name)),
            ("items", Arg::Text(&package::summary(&plan.package.items))),
            ("cadence", Arg::Html(&cadence)),
            ("next", Arg::Text(&next)),
        ],
        Keyboard::None,
        now,
    )
    .await
}

/// Who hands a child's packages over: `wanted`, unless that is the area's volunteers and none serves the
/// child's kecamatan or village — then the sponsor (`true`: the volunteer was missing).
pub async fn deliverer_for(
    conn: &mut Conn,
    child: &Child,
    wanted: Deliverer,
) -> store::Result<(Deliverer, bool)> {
    if wanted == Deliverer::Volunteer
        && volunteers::serving(conn, &child.kecamatan, child.village.as_ref())
            .await?
            .is_empty()
    {
        return Ok((Deliverer::Sponsor, true));
    }
    Ok((wanted, false))
}

/// Why a coordinator's change of a sponsorship's plan was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanRefusal {
    Denied(Denied),
    /// The sponsorship, the package or the cadence is gone (a stale button).
    Unknown,
}

/// The child of a sponsorship whose plan the actor may change.
pub async fn plan_subject(
    conn: &mut Conn,
    actor: &Actor,
    s: SponsorshipId,
) -> store::Result<Result<Child, PlanRefusal>> {
    let Some(sponsorship) = sponsorships::get(conn, s).await? else {
        return Ok(Err(PlanRefusal::Unknown));
    };
    let Some(child) = children::get(conn, sponsorship.child).await? else {
        return Ok(Err(PlanRefusal::Unknown));
    };
    Ok(
        match policy::check(actor, Action::ManageChild(child_place(&child))) {
            Ok(_) => Ok(child),
            Err(d) => Err(PlanRefusal::Denied(d)),
        },
    )
}

/// What changing a sponsorship's plan did.
#[derive(Debug, Clone)]
pub struct PlanChanged {
    pub child: Child,
    pub plan: plans::Plan,
    /// Deliveries newly planned.
    pub added: usize,
}

/// A coordinator gives a sponsorship of their area another package and cadence (the deliverer stays):
/// deliveries that no longer fit are cancelled, the new ones planned, and the sponsor told.
pub async fn change_plan(
    conn: &mut Conn,
    actor: &Actor,
    s: SponsorshipId,
    package: i64,
    cadence: i64,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<PlanChanged, PlanRefusal>> {
    let child = match plan_subject(conn, actor, s).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    let deliverer = deliveries::plan_ids(conn, s)
        .await?
        .and_then(|(_, _, d)| Deliverer::parse(&d))
        .unwrap_or(Deliverer::Sponsor);
    let Some(plan) = plans::plan(conn, package, cadence, deliverer.as_str()).await? else {
        return Ok(Err(PlanRefusal::Unknown));
    };
    let added = set_plan(
        conn, s, package, cadence, deliverer, settings, actor.user, now,
    )
    .await?;
    tell_sponsor_of_plan(conn, s, now).await?;
    Ok(Ok(PlanChanged { child, plan, added }))
}

/// Why a sponsor's change to a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    NotFound,
    NotYours,
    Closed(DeliveryStatus),
    Reschedule(RescheduleError),
}

/// An open delivery the actor answers for as its sponsor, with its child and the zone of the child's
/// region.
pub async fn own(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
    default_zone: Tz,
) -> store::Result<Result<(Delivery, Child, Tz), Refusal>> {
    let Some(d) = deliveries::get(conn, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    match policy::check(actor, Action::Sponsorship { sponsor: d.sponsor }) {
        Ok(_) => {}
        Err(Denied::NotYours) => return Ok(Err(Refusal::NotYours)),
        Err(denied) => return Ok(Err(Refusal::Denied(denied))),
    }
    if !d.status.is_open() {
        return Ok(Err(Refusal::Closed(d.status)));
    }
    let Some(child) = children::get(conn, d.child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let tz = Zones::new(default_zone)
        .of(conn, child.kecamatan.as_str())
        .await?;
    Ok(Ok((d, child, tz)))
}

/// The days a sponsor may move a delivery to, for the date buttons.
pub async fn reschedule_choices(
    conn: &mut Conn,
    d: &Delivery,
    settings: &Settings,
    tz: Tz,
    now: DateTime<Utc>,
) -> store::Result<Vec<NaiveDate>> {
    let today = local_date(now, tz);
    let next = deliveries::next_after(conn, d.sponsorship, d.id, d.slot).await?;
    // The days around the delivery's own date (a sponsor who asks a week ahead moves it a day or two, not
    // to this week), never before today.
    let first = d
        .due_on
        .checked_sub_days(Days::new(3))
        .map_or(today, |d| d.max(today));
    Ok((0..=u64::from(settings.max_shift_days) + 7)
        .filter_map(|n| first.checked_add_days(Days::new(n)))
        .filter(|day| {
            delivery::check_reschedule(
                d.status,
                d.slot,
                d.due_on,
                *day,
                today,
                next,
                settings.max_shift(),
            )
            .is_ok()
        })
        .take(7)
        .collect())
}

/// A coordinator reminds the sponsor of a late delivery of their area now, with the sponsor's buttons;
/// once a day per delivery (`false`: reminded already today).
pub async fn remind_now(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
    default_zone: Tz,
    now: DateTime<Utc>,
) -> store::Result<Result<bool, Refusal>> {
    let Some(d) = deliveries::get(conn, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let Some(child) = children::get(conn, d.child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(denied) = policy::check(actor, Action::ManageChild(child_place(&child))) {
        return Ok(Err(Refusal::Denied(denied)));
    }
    if !d.status.is_open() {
        return Ok(Err(Refusal::Closed(d.status)));
    }
    let tz = Zones::new(default_zone)
        .of(conn, child.kecamatan.as_str())
        .await?;
    let today = local_date(now, tz);
    let lang = users::language(conn, d.sponsor).await?;
    let package = plans::package(conn, d.package).await?.map(|p| p.name);
    let text = tf(
        lang,
        "reminder-nudge",
        &[
            ("child", Arg::Text(first_name(&child.full_name))),
            ("date", Arg::Text(&date_label(lang, d.due_on))),
            ("days", Arg::Num((today - d.due_on).num_days().max(0))),
            ("package", Arg::Text(package.as_deref().unwrap_or("—"))),
        ],
    );
    let keyboard = Keyboard::inline(vec![vec![
        Button::new(
            t(lang, "button-delivered"),
            Callback::Delivered(d.id).encode(),
        ),
        Button::new(
            t(lang, "button-reschedule"),
            Callback::Reschedule(d.id).encode(),
        ),
        Button::new(t(lang, "button-skip"), Callback::Skip(d.id).encode()),
    ]]);
    let message = Outbound::Message {
        chat_id: d.sponsor.0,
        text,
        keyboard,
    };
    let sent = outbound::enqueue_once(
        conn,
        outbound::Lane::Batch,
        &message,
        &format!("nudge:{}:{today}", d.id),
        now,
    )
    .await?;
    if sent {
        audit::record(
            conn,
            now,
            Some(actor.user),
            "delivery.nudge",
            &format!("delivery:{}", d.id),
            None,
        )
        .await?;
    }
    Ok(Ok(sent))
}

/// Tells the coordinators of the child's area what the sponsor did to a delivery.
async fn tell_coordinators(
    conn: &mut Conn,
    d: &Delivery,
    child: &Child,
    key: &str,
    extra: &[(&str, Arg<'_>)],
    now: DateTime<Utc>,
) -> store::Result<()> {
    let sponsor = sponsors::name(conn, d.sponsor).await?;
    let mut args = vec![
        ("sponsor", Arg::Text(&sponsor)),
        ("child", Arg::Text(&child.full_name)),
        ("id", Arg::Num(child.id.0)),
    ];
    args.extend_from_slice(extra);
    notices::coordinators(conn, Some(&child.kecamatan), key, &args, now).await?;
    Ok(())
}

/// The sponsor moves a delivery to `to`; its reminders start over for the new date and the coordinators
/// hear of it. Returns the delivery as it was and its child.
pub async fn reschedule(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
    to: NaiveDate,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<(Delivery, Child), Refusal>> {
    let (d, child, tz) = match own(conn, actor, id, settings.default_zone).await? {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    let today = local_date(now, tz);
    let next = deliveries::next_after(conn, d.sponsorship, d.id, d.slot).await?;
    if let Err(e) = delivery::check_reschedule(
        d.status,
        d.slot,
        d.due_on,
        to,
        today,
        next,
        settings.max_shift(),
    ) {
        return Ok(Err(Refusal::Reschedule(e)));
    }
    let step = first_step(&settings.reminders, to, tz, now);
    if !deliveries::reschedule(
        conn,
        d.id,
        d.status,
        to,
        midnight(to, tz),
        step.as_ref().map(|s| s.key.as_str()),
        step.as_ref().map(|s| s.fire_at),
        now,
    )
    .await?
    {
        return Ok(Err(Refusal::Closed(d.status)));
    }
    audit::record(
        conn,
        now,
        Some(actor.user),
        "delivery.reschedule",
        &format!("delivery:{}", d.id),
        Some(&format!("{} -> {}", d.due_on, to)),
    )
    .await?;
    let from = d.due_on.format("%d-%m-%Y").to_string();
    let to_text = to.format("%d-%m-%Y").to_string();
    tell_coordinators(
        conn,
        &d,
        &child,
        "coordinator-delivery-rescheduled",
        &[("from", Arg::Text(&from)), ("to", Arg::Text(&to_text))],
        now,
    )
    .await?;
    Ok(Ok((d, child)))
}

/// The sponsor skips a delivery, saying why; the coordinators hear of it.
pub async fn skip(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
    reason: &str,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Result<(Delivery, Child), Refusal>> {
    let (d, child, _) = match own(conn, actor, id, settings.default_zone).await? {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    if d.status.skip().is_err()
        || !deliveries::close(
            conn,
            d.id,
            d.status,
            DeliveryStatus::Skipped,
            Some(reason),
            Some(actor.user),
            now,
        )
        .await?
    {
        return Ok(Err(Refusal::Closed(d.status)));
    }
    audit::record(
        conn,
        now,
        Some(actor.user),
        "delivery.skip",
        &format!("delivery:{}", d.id),
        Some(reason),
    )
    .await?;
    let date = d.due_on.format("%d-%m-%Y").to_string();
    tell_coordinators(
        conn,
        &d,
        &child,
        "coordinator-delivery-skipped",
        &[("date", Arg::Text(&date)), ("reason", Arg::Text(reason))],
        now,
    )
    .await?;
    Ok(Ok((d, child)))
}

/// A sponsorship ended (or moved to someone else): its open deliveries are cancelled.
pub async fn cancel_for(
    conn: &mut Conn,
    s: SponsorshipId,
    reason: &str,
    now: DateTime<Utc>,
) -> store::Result<u64> {
    deliveries::cancel_open(conn, s, reason, now).await
}
