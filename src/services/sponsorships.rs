//! The life of a sponsorship: offered (by the matcher, a coordinator, a transfer) or held (a sponsor asked),
//! accepted or declined or expired, ended, transferred or withdrawn. Each use case asks the access policy,
//! keeps the child's status in step, and tells the people concerned, in the caller's transaction.

use super::deliveries::{self as planning, Settings};
use super::labels::{child_place, kecamatan_name};
use super::notices;
use crate::callback::Callback;
use crate::domain::Lang;
use crate::domain::child::{ChildId, ChildStatus, age_months, first_name, initials};
use crate::domain::delivery::Deliverer;
use crate::domain::growth::{Stunting, stunting};
use crate::domain::policy::{self, Action, Actor, Denied, Place};
use crate::domain::role::{Scope, SponsorStatus};
use crate::domain::sponsorship::{
    Commitment, Origin, SponsorshipId, SponsorshipStatus, TransitionError, rupiah,
};
use crate::domain::{OfficeId, UserId};
use crate::i18n::{Arg, t, tf};
use crate::outbound::{self, Button, Keyboard, Outbound};
use crate::store::children::Child;
use crate::store::deliveries::Delivery;
use crate::store::measurements::Measurement;
use crate::store::sponsorships::Sponsorship;
use crate::store::{
    self, Conn, audit, children, deliveries, measurements, offices, plans, sponsors, sponsorships,
    users, volunteers,
};
use chrono::{DateTime, Duration, Utc};

/// Why a step was not taken; each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    NotFound,
    NotYours,
    AlreadyDecided(SponsorshipStatus),
    ChildClosed,
    ChildTaken,
    NotASponsor,
    SponsorFull,
    NoChildWaiting,
}

impl From<Denied> for Refusal {
    fn from(d: Denied) -> Self {
        Refusal::Denied(d)
    }
}

pub type Outcome<T> = Result<T, Refusal>;

/// The terms a sponsor commits to: their office's, else the programme's default.
pub async fn commitment_of(conn: &mut Conn, office: Option<OfficeId>) -> store::Result<Commitment> {
    Ok(match office {
        Some(o) => offices::commitment(conn, o).await?.unwrap_or_default(),
        None => Commitment::default(),
    })
}

/// Puts the child's status in step with its sponsorships (closed cases stay closed).
pub async fn sync_child(conn: &mut Conn, child: ChildId, now: DateTime<Utc>) -> store::Result<()> {
    let Some(c) = children::get(conn, child).await? else {
        return Ok(());
    };
    if c.status.is_closed() {
        return Ok(());
    }
    let live = sponsorships::live_for_child(conn, child).await?.is_some();
    let status = if live {
        ChildStatus::Matched
    } else {
        ChildStatus::Unmatched
    };
    if status != c.status {
        children::set_status(conn, child, status, None, now).await?;
    }
    Ok(())
}

/// Free places of an approved sponsor: capacity minus live sponsorships.
pub async fn free_places(conn: &mut Conn, sponsor: UserId) -> store::Result<Option<i64>> {
    let Some(s) = sponsors::get(conn, sponsor).await? else {
        return Ok(None);
    };
    if s.status != SponsorStatus::Approved {
        return Ok(None);
    }
    let live = sponsorships::live_count(conn, sponsor).await?;
    Ok(Some(i64::from(s.registration.capacity.get()) - live))
}

/// Offers (or, for a sponsor's own request, holds) a child for a sponsor. The caller has asked the policy
/// (a coordinator's offer, the matcher inside a scope, a sponsor's request).
pub async fn offer(
    conn: &mut Conn,
    child: ChildId,
    sponsor: UserId,
    origin: Origin,
    ttl: Duration,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<SponsorshipId>> {
    let Some(c) = children::get(conn, child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if c.status.is_closed() {
        return Ok(Err(Refusal::ChildClosed));
    }
    let Some(free) = free_places(conn, sponsor).await? else {
        return Ok(Err(Refusal::NotASponsor));
    };
    if free <= 0 {
        return Ok(Err(Refusal::SponsorFull));
    }
    let office = sponsors::get(conn, sponsor)
        .await?
        .and_then(|s| s.registration.affiliation.office());
    let commitment = commitment_of(conn, office).await?;
    let status = if origin == Origin::Request {
        SponsorshipStatus::Held
    } else {
        SponsorshipStatus::Proposed
    };
    let Some(id) = sponsorships::create(
        conn,
        child,
        sponsor,
        status,
        origin,
        now + ttl,
        commitment,
        by,
        now,
    )
    .await?
    else {
        return Ok(Err(Refusal::ChildTaken));
    };
    // The sponsor sees what they commit to before accepting: the area's package and cadence.
    let area = c.village.as_ref().unwrap_or(&c.kecamatan);
    if let Some(plan) = plans::default_for(conn, area).await? {
        deliveries::set_plan(conn, id, plan.package.id, plan.cadence.id, plan.deliverer).await?;
    }
    sync_child(conn, child, now).await?;
    audit::record(
        conn,
        now,
        by,
        "sponsorship.offer",
        &format!("child:{child}"),
        Some(&format!("sponsor:{sponsor} {}", origin.as_str())),
    )
    .await?;
    Ok(Ok(id))
}

/// The locale key of how stunted a child is (from their latest height-for-age).
pub fn stunting_key(c: &Child) -> &'static str {
    match c.haz.map(stunting) {
        Some(Stunting::Severe) => "child-status-severe",
        Some(Stunting::Stunted) => "child-status-stunted",
        Some(Stunting::Normal) => "child-status-normal",
        None => "child-status-unmeasured",
    }
}

/// The offer a sponsor receives: what they may know before accepting (initials, age, village, status),
/// the terms and the plan, and two buttons.
pub async fn offer_message(
    conn: &mut Conn,
    lang: Lang,
    s: &Sponsorship,
    now: DateTime<Utc>,
) -> store::Result<Option<(String, Keyboard)>> {
    let Some(child) = children::get(conn, s.child).await? else {
        return Ok(None);
    };
    let months = age_months(child.birth_date, now.date_naive()).unwrap_or(0);
    let haz = child
        .haz
        .map(|z| format!("{z:.1}"))
        .unwrap_or_else(|| "—".into());
    let status = t(lang, stunting_key(&child));
    // Rounded up: the stored deadline lost its sub-millisecond part, so 15 minutes would read as 14.
    let minutes = s.expires_at.map_or(0, |at| {
        ((at - now).num_seconds() + 59).div_euclid(60).max(1)
    });
    let key = if s.status == SponsorshipStatus::Held {
        "offer-held"
    } else {
        "offer-new"
    };
    let text = tf(
        lang,
        key,
        &[
            ("initials", Arg::Text(&initials(&child.full_name))),
            ("months", Arg::Num(i64::from(months))),
            ("place", Arg::Text(&child_place(&child))),
            ("status", Arg::Text(&status)),
            ("haz", Arg::Text(&haz)),
            ("duration", Arg::Num(i64::from(s.commitment.months))),
            ("amount", Arg::Text(&rupiah(s.commitment.monthly_amount))),
            ("minutes", Arg::Num(minutes)),
        ],
    );
    let text = text + &plan_line(conn, lang, s.id).await?;
    let keyboard = Keyboard::inline(vec![vec![
        Button::new(t(lang, "offer-accept"), Callback::Accept(s.id).encode()),
        Button::new(t(lang, "offer-decline"), Callback::Decline(s.id).encode()),
    ]]);
    Ok(Some((text, keyboard)))
}

/// "\n\n📦 Package … every …": what the sponsor commits to deliver, when the sponsorship has a plan.
pub async fn plan_line(conn: &mut Conn, lang: Lang, id: SponsorshipId) -> store::Result<String> {
    let Some((package, cadence, deliverer)) = deliveries::plan_ids(conn, id).await? else {
        return Ok(String::new());
    };
    let Some(plan) = plans::plan(conn, package, cadence, &deliverer).await? else {
        return Ok(String::new());
    };
    let deliverer = t(lang, &format!("deliverer-{}", plan.deliverer.as_str()));
    Ok(format!(
        "\n\n{}",
        tf(
            lang,
            "offer-plan",
            &[
                ("package", Arg::Text(&plan.package.name)),
                (
                    "items",
                    Arg::Text(&crate::domain::package::summary(&plan.package.items))
                ),
                ("cadence", Arg::Text(&plan.cadence.name)),
                ("deliverer", Arg::Text(&deliverer)),
            ],
        )
    ))
}

/// Sends an offer to its sponsor, in their language, through the outbox.
pub async fn send_offer(
    conn: &mut Conn,
    id: SponsorshipId,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let Some(s) = sponsorships::get(conn, id).await? else {
        return Ok(());
    };
    let lang = users::language(conn, s.sponsor).await?;
    if let Some((text, keyboard)) = offer_message(conn, lang, &s, now).await? {
        outbound::enqueue_in(
            conn,
            outbound::Lane::Notice,
            &Outbound::Message {
                chat_id: s.sponsor.0,
                text,
                keyboard,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// The child and the sponsor of a coordinator's offer, when the policy lets the actor make it.
async fn offer_parties(
    conn: &mut Conn,
    actor: &Actor,
    child: ChildId,
    sponsor: UserId,
) -> store::Result<Outcome<Child>> {
    let Some(c) = children::get(conn, child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    // The child's region first: a coordinator learns nothing of a sponsor for a child not theirs.
    if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&c))) {
        return Ok(Err(d.into()));
    }
    let area = match sponsors::get(conn, sponsor).await? {
        Some(s) if s.status == SponsorStatus::Approved => s.registration.area.kecamatan,
        _ => return Ok(Err(Refusal::NotASponsor)),
    };
    if let Err(d) = policy::check(
        actor,
        Action::Offer {
            child: child_place_of(&c),
            sponsor: &area,
        },
    ) {
        return Ok(Err(d.into()));
    }
    Ok(Ok(c))
}

/// Where a stored child lives, for the policy.
pub fn child_place_of(c: &Child) -> Place<'_> {
    Place::new(&c.kecamatan, c.village.as_ref())
}

/// A coordinator offers a child of their area to a sponsor of their area, who gets the offer.
pub async fn pair(
    conn: &mut Conn,
    actor: &Actor,
    child: ChildId,
    sponsor: UserId,
    ttl: Duration,
    now: DateTime<Utc>,
) -> store::Result<Outcome<SponsorshipId>> {
    if let Err(r) = offer_parties(conn, actor, child, sponsor).await? {
        return Ok(Err(r));
    }
    let id = match offer(
        conn,
        child,
        sponsor,
        Origin::Manual,
        ttl,
        Some(actor.user),
        now,
    )
    .await?
    {
        Ok(id) => id,
        Err(r) => return Ok(Err(r)),
    };
    send_offer(conn, id, now).await?;
    Ok(Ok(id))
}

/// Loads a sponsorship that the actor answers for as its sponsor; anyone else's is refused the same way as
/// a missing one, so a forged button learns nothing.
async fn own(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
) -> store::Result<Outcome<Sponsorship>> {
    let Some(s) = sponsorships::get(conn, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    Ok(
        match policy::check(actor, Action::Sponsorship { sponsor: s.sponsor }) {
            Ok(_) => Ok(s),
            Err(Denied::NotYours) => Err(Refusal::NotYours),
            Err(d) => Err(d.into()),
        },
    )
}

async fn step(
    conn: &mut Conn,
    s: &Sponsorship,
    to: Result<SponsorshipStatus, TransitionError>,
    reason: Option<&str>,
    actor: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<SponsorshipStatus>> {
    let Ok(to) = to else {
        return Ok(Err(Refusal::AlreadyDecided(s.status)));
    };
    if !sponsorships::transition(conn, s.id, s.status, to, reason, now).await? {
        let current = sponsorships::get(conn, s.id)
            .await?
            .map_or(s.status, |x| x.status);
        return Ok(Err(Refusal::AlreadyDecided(current)));
    }
    if s.status == SponsorshipStatus::Active {
        // Ended or handed over: nobody is to deliver or be reminded any more.
        deliveries::cancel_open(conn, s.id, to.as_str(), now).await?;
    }
    sync_child(conn, s.child, now).await?;
    audit::record(
        conn,
        now,
        actor,
        &format!("sponsorship.{}", to.as_str()),
        &format!("child:{}", s.child),
        reason,
    )
    .await?;
    Ok(Ok(to))
}

/// A step the sponsor takes on their own sponsorship.
async fn sponsor_step(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
    to: fn(SponsorshipStatus) -> Result<SponsorshipStatus, TransitionError>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<(Sponsorship, Child)>> {
    let s = match own(conn, actor, id).await? {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    let Some(child) = children::get(conn, s.child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    Ok(step(conn, &s, to(s.status), reason, Some(actor.user), now)
        .await?
        .map(|_| (s, child)))
}

/// Tells the coordinators of the child's area what a sponsor did, with the area's counts.
async fn tell_coordinators(
    conn: &mut Conn,
    child: &Child,
    key: &str,
    sponsor: UserId,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let sponsor_name = sponsors::name(conn, sponsor).await?;
    let counts = children::counts(conn, &Scope::Region(child.kecamatan.clone())).await?;
    let count = |s: ChildStatus| counts.iter().find(|(x, _)| *x == s).map_or(0, |(_, n)| *n);
    let area = kecamatan_name(child);
    notices::coordinators(
        conn,
        Some(&child.kecamatan),
        key,
        &[
            ("sponsor", Arg::Text(&sponsor_name)),
            ("child", Arg::Text(&child.full_name)),
            ("id", Arg::Num(child.id.0)),
            ("area", Arg::Text(&area)),
            ("matched", Arg::Num(count(ChildStatus::Matched))),
            ("waiting", Arg::Num(count(ChildStatus::Unmatched))),
        ],
        now,
    )
    .await?;
    Ok(())
}

/// What accepting an offer came to.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub sponsorship: Sponsorship,
    pub child: Child,
    /// The first planned delivery, when the sponsorship has a plan.
    pub first: Option<Delivery>,
    /// The plan wanted a volunteer to deliver, but none serves the child's area: the sponsor delivers.
    pub volunteer_missing: bool,
}

/// The sponsor accepts an offer: the deliveries are planned, the volunteers of the child's area and its
/// coordinators are told.
pub async fn accept(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
    settings: &Settings,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Accepted>> {
    let (s, child) =
        match sponsor_step(conn, actor, id, SponsorshipStatus::accept, None, now).await? {
            Ok(ok) => ok,
            Err(r) => return Ok(Err(r)),
        };
    // A delivery always has a deliverer who exists: where no volunteer serves the child's area, the
    // sponsor hands the packages over, is told so, and the coordinators are warned.
    let mut volunteer_missing = false;
    if let Some((package, cadence, deliverer)) = deliveries::plan_ids(conn, s.id).await?
        && let Some(wanted) = Deliverer::parse(&deliverer)
    {
        let (deliverer, missing) = planning::deliverer_for(conn, &child, wanted).await?;
        if missing {
            deliveries::set_plan(conn, s.id, package, cadence, deliverer).await?;
            volunteer_missing = true;
        }
    }
    let first = planning::plan_new(conn, s.id, settings, now).await?;
    let sponsor_name = sponsors::name(conn, s.sponsor).await?;
    if volunteer_missing {
        let area = kecamatan_name(&child);
        notices::coordinators(
            conn,
            Some(&child.kecamatan),
            "coordinator-no-volunteer",
            &[
                ("area", Arg::Text(&area)),
                ("sponsor", Arg::Text(&sponsor_name)),
                ("child", Arg::Text(&child.full_name)),
                ("id", Arg::Num(child.id.0)),
            ],
            now,
        )
        .await?;
    }
    for volunteer in volunteers::serving(conn, &child.kecamatan, child.village.as_ref()).await? {
        notices::person(
            conn,
            volunteer,
            "volunteer-new-sponsorship",
            &[
                ("child", Arg::Text(first_name(&child.full_name))),
                ("place", Arg::Text(&child_place(&child))),
                ("sponsor", Arg::Text(&sponsor_name)),
            ],
            Keyboard::None,
            now,
        )
        .await?;
    }
    tell_coordinators(conn, &child, "coordinator-offer-accepted", s.sponsor, now).await?;
    Ok(Ok(Accepted {
        sponsorship: s,
        child,
        first,
        volunteer_missing,
    }))
}

/// The sponsor declines an offer; the coordinators are told.
pub async fn decline(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    let (s, child) =
        match sponsor_step(conn, actor, id, SponsorshipStatus::decline, None, now).await? {
            Ok(ok) => ok,
            Err(r) => return Ok(Err(r)),
        };
    tell_coordinators(conn, &child, "coordinator-offer-declined", s.sponsor, now).await?;
    Ok(Ok(s))
}

/// The sponsor stops sponsoring: the child goes back to the waiting list and the coordinators are told.
pub async fn end(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    let (s, child) =
        match sponsor_step(conn, actor, id, SponsorshipStatus::end, reason, now).await? {
            Ok(ok) => ok,
            Err(r) => return Ok(Err(r)),
        };
    tell_coordinators(
        conn,
        &child,
        "coordinator-sponsorship-ended",
        s.sponsor,
        now,
    )
    .await?;
    if let Some(reason) = reason {
        tell_reason(conn, &s, reason, now).await?;
    }
    Ok(Ok(s))
}

/// Whether the sponsor may end this sponsorship now (asked before the reason is).
pub async fn may_end(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
) -> store::Result<Outcome<Sponsorship>> {
    let s = match own(conn, actor, id).await? {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    if s.status.end().is_err() {
        return Ok(Err(Refusal::AlreadyDecided(s.status)));
    }
    Ok(Ok(s))
}

/// Records why a sponsor declined, after the fact (the reason is optional and asked afterwards), and passes
/// it on to the coordinators of the child's area.
pub async fn add_reason(
    conn: &mut Conn,
    actor: &Actor,
    id: SponsorshipId,
    reason: &str,
    now: DateTime<Utc>,
) -> store::Result<bool> {
    if !sponsorships::set_end_reason(conn, id, actor.user, reason).await? {
        return Ok(false);
    }
    if let Some(s) = sponsorships::get(conn, id).await? {
        tell_reason(conn, &s, reason, now).await?;
    }
    Ok(true)
}

/// Tells the coordinators of a sponsorship's child why its sponsor declined or ended it.
async fn tell_reason(
    conn: &mut Conn,
    s: &Sponsorship,
    reason: &str,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let Some(child) = children::get(conn, s.child).await? else {
        return Ok(());
    };
    let sponsor = sponsors::name(conn, s.sponsor).await?;
    notices::coordinators(
        conn,
        Some(&child.kecamatan),
        "coordinator-reason",
        &[
            ("sponsor", Arg::Text(&sponsor)),
            ("child", Arg::Text(&child.full_name)),
            ("id", Arg::Num(child.id.0)),
            ("reason", Arg::Text(reason)),
        ],
        now,
    )
    .await?;
    Ok(())
}

/// The sponsor's active sponsorships with their children, and their open offers.
pub async fn mine(
    conn: &mut Conn,
    actor: &Actor,
) -> store::Result<Outcome<(Vec<(Sponsorship, Child)>, Vec<Sponsorship>)>> {
    if let Err(d) = policy::check(
        actor,
        Action::Sponsorship {
            sponsor: actor.user,
        },
    ) {
        return Ok(Err(d.into()));
    }
    let mut active = Vec::new();
    for s in sponsorships::of_sponsor(conn, actor.user, &[SponsorshipStatus::Active]).await? {
        if let Some(child) = children::get(conn, s.child).await? {
            active.push((s, child));
        }
    }
    let open = sponsorships::of_sponsor(
        conn,
        actor.user,
        &[SponsorshipStatus::Proposed, SponsorshipStatus::Held],
    )
    .await?;
    Ok(Ok((active, open)))
}

/// One of the sponsor's own children, with their measurements (never the family's details).
pub async fn my_child(
    conn: &mut Conn,
    actor: &Actor,
    child: ChildId,
) -> store::Result<Outcome<(Sponsorship, Child, Vec<Measurement>)>> {
    let (active, _) = match mine(conn, actor).await? {
        Ok(x) => x,
        Err(r) => return Ok(Err(r)),
    };
    let Some((s, c)) = active.into_iter().find(|(_, c)| c.id == child) else {
        return Ok(Err(Refusal::NotYours));
    };
    let history = measurements::history(conn, c.id).await?;
    Ok(Ok((s, c, history)))
}

/// Offers the sponsor the child of their kecamatan who has waited longest (a hold when they asked).
pub async fn offer_longest_waiting(
    conn: &mut Conn,
    sponsor: UserId,
    origin: Origin,
    ttl: Duration,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    let Some(s) = sponsors::get(conn, sponsor).await? else {
        return Ok(Err(Refusal::NotASponsor));
    };
    let Some(child) = children::longest_waiting(conn, &s.registration.area.kecamatan).await? else {
        return Ok(Err(Refusal::NoChildWaiting));
    };
    let id = match offer(conn, child.id, sponsor, origin, ttl, by, now).await? {
        Ok(id) => id,
        Err(r) => return Ok(Err(r)),
    };
    Ok(sponsorships::get(conn, id).await?.ok_or(Refusal::NotFound))
}

/// A sponsor asks for a child: the one of their kecamatan who has waited longest is held for them.
pub async fn request_child(
    conn: &mut Conn,
    actor: &Actor,
    hold: Duration,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    if let Err(d) = policy::check(actor, Action::RequestChild) {
        return Ok(Err(d.into()));
    }
    offer_longest_waiting(
        conn,
        actor.user,
        Origin::Request,
        hold,
        Some(actor.user),
        now,
    )
    .await
}

/// A coordinator moves a child of their area to another sponsor of their area: the current sponsorship
/// gives way (its sponsor is told) and the new sponsor gets an offer (their consent still counts).
pub async fn transfer(
    conn: &mut Conn,
    actor: &Actor,
    child: ChildId,
    to: UserId,
    ttl: Duration,
    now: DateTime<Utc>,
) -> store::Result<Outcome<SponsorshipId>> {
    let c = match offer_parties(conn, actor, child, to).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    if free_places(conn, to).await?.is_none() {
        return Ok(Err(Refusal::NotASponsor));
    }
    let old = sponsorships::live_for_child(conn, child).await?;
    if let Some(old) = &old {
        if old.sponsor == to {
            return Ok(Err(Refusal::ChildTaken));
        }
        if let Err(r) = step(
            conn,
            old,
            old.status.transfer(),
            Some("transfer"),
            Some(actor.user),
            now,
        )
        .await?
        {
            return Ok(Err(r));
        }
    }
    let id = match offer(
        conn,
        child,
        to,
        Origin::Transfer,
        ttl,
        Some(actor.user),
        now,
    )
    .await?
    {
        Ok(id) => id,
        Err(r) => return Ok(Err(r)),
    };
    if let Some(old) = old {
        notices::person(
            conn,
            old.sponsor,
            "sponsor-child-transferred",
            &[("name", Arg::Text(first_name(&c.full_name)))],
            Keyboard::None,
            now,
        )
        .await?;
    }
    send_offer(conn, id, now).await?;
    Ok(Ok(id))
}

/// How many sponsors a reassignment offers at most.
const REASSIGN_CHOICES: usize = 8;

/// The sponsors a coordinator may move a child of their area to: approved, with a free place, in the
/// actor's scope, those of the child's kecamatan first, then the rest of its regency.
pub async fn reassign_choices(
    conn: &mut Conn,
    actor: &Actor,
    child: ChildId,
) -> store::Result<Outcome<(Child, Vec<(UserId, String)>)>> {
    let Some(c) = children::get(conn, child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&c))) {
        return Ok(Err(d.into()));
    }
    let current = sponsorships::live_for_child(conn, child)
        .await?
        .map(|s| s.sponsor);
    let mut choices = Vec::new();
    let regency = c.kecamatan.parent().unwrap_or_else(|| c.kecamatan.clone());
    for area in [c.kecamatan.clone(), regency] {
        let (list, _) =
            sponsors::list(conn, &Scope::Region(area), SponsorStatus::Approved, 200).await?;
        for s in list {
            if choices.len() >= REASSIGN_CHOICES {
                break;
            }
            let sponsor = &s.registration.area.kecamatan;
            let allowed = policy::check(
                actor,
                Action::Offer {
                    child: child_place_of(&c),
                    sponsor,
                },
            )
            .is_ok();
            if !allowed
                || Some(s.user) == current
                || choices.iter().any(|(u, _)| *u == s.user)
                || free_places(conn, s.user).await?.unwrap_or(0) <= 0
            {
                continue;
            }
            choices.push((s.user, s.registration.name.as_str().to_owned()));
        }
    }
    Ok(Ok((c, choices)))
}

/// A coordinator closes a child's case (graduated, moved, deceased): a live sponsorship is withdrawn and
/// the child leaves the programme's lists. Returns the child as it was and the sponsorship withdrawn, for
/// the caller's notice (a graduation thanks the sponsor; another closing tells them why).
pub async fn close_case(
    conn: &mut Conn,
    actor: &Actor,
    child: ChildId,
    status: ChildStatus,
    now: DateTime<Utc>,
) -> store::Result<Outcome<(Child, Option<Sponsorship>)>> {
    let Some(c) = children::get(conn, child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if let Err(d) = policy::check(actor, Action::ManageChild(child_place_of(&c))) {
        return Ok(Err(d.into()));
    }
    if c.status.is_closed() {
        return Ok(Err(Refusal::ChildClosed));
    }
    let live = sponsorships::live_for_child(conn, child).await?;
    if let Some(s) = &live {
        // A refusal here means it moved on meanwhile; the case closes either way.
        let _ = step(
            conn,
            s,
            s.status.withdraw(),
            Some(status.as_str()),
            Some(actor.user),
            now,
        )
        .await?;
    }
    children::set_status(conn, child, status, Some(status.as_str()), now).await?;
    audit::record(
        conn,
        now,
        Some(actor.user),
        "child.close",
        &format!("child:{child}"),
        Some(status.as_str()),
    )
    .await?;
    Ok(Ok((c, live)))
}

/// A sponsor's role was revoked: every live sponsorship of theirs is withdrawn with `reason` (offers
/// expire, active sponsorships end and their deliveries are cancelled), each child waits again, and the
/// coordinators of each child's area (and its volunteers, for an active one) hear of it.
pub async fn withdraw_all(
    conn: &mut Conn,
    sponsor: UserId,
    reason: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<usize> {
    let live = sponsorships::of_sponsor(
        conn,
        sponsor,
        &[
            SponsorshipStatus::Proposed,
            SponsorshipStatus::Held,
            SponsorshipStatus::Active,
        ],
    )
    .await?;
    let sponsor_name = sponsors::name(conn, sponsor).await?;
    let mut withdrawn = 0;
    for s in &live {
        if step(conn, s, s.status.withdraw(), Some(reason), by, now)
            .await?
            .is_err()
        {
            continue;
        }
        withdrawn += 1;
        let Some(child) = children::get(conn, s.child).await? else {
            continue;
        };
        let area = kecamatan_name(&child);
        notices::coordinators(
            conn,
            Some(&child.kecamatan),
            "coordinator-child-waiting-again",
            &[
                ("child", Arg::Text(&child.full_name)),
                ("id", Arg::Num(child.id.0)),
                ("area", Arg::Text(&area)),
                ("sponsor", Arg::Text(&sponsor_name)),
                ("reason", Arg::Text(reason)),
            ],
            now,
        )
        .await?;
        if s.status == SponsorshipStatus::Active {
            for volunteer in
                volunteers::serving(conn, &child.kecamatan, child.village.as_ref()).await?
            {
                notices::person(
                    conn,
                    volunteer,
                    "volunteer-sponsorship-withdrawn",
                    &[
                        ("child", Arg::Text(first_name(&child.full_name))),
                        ("place", Arg::Text(&child_place(&child))),
                    ],
                    Keyboard::None,
                    now,
                )
                .await?;
            }
        }
    }
    Ok(withdrawn)
}

/// Offers and holds whose time ran out become expired; returns them for the notices.
pub async fn expire_due(conn: &mut Conn, now: DateTime<Utc>) -> store::Result<Vec<Sponsorship>> {
    let mut expired = Vec::new();
    for s in sponsorships::expired(conn, now, 500).await? {
        if step(conn, &s, s.status.expire(), None, None, now)
            .await?
            .is_ok()
        {
            expired.push(s);
        }
    }
    Ok(expired)
}
