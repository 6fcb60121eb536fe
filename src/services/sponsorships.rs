//! The life of a sponsorship: offered (by the matcher, a coordinator, a transfer) or held (a sponsor asked),
//! accepted or declined or expired, ended or transferred. Each step checks who asks and keeps the child's
//! status in step, in the caller's transaction.

use crate::domain::child::{ChildId, ChildStatus};
use crate::domain::role::SponsorStatus;
use crate::domain::sponsorship::{Commitment, Origin, SponsorshipId, SponsorshipStatus};
use crate::domain::{OfficeId, UserId};
use crate::store::sponsorships::Sponsorship;
use crate::store::{
    self, Conn, audit, children, deliveries, offices, plans, sponsors, sponsorships,
};
use chrono::{DateTime, Duration, Utc};

/// Why a step was not taken; each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    NotYours,
    AlreadyDecided(SponsorshipStatus),
    ChildClosed,
    ChildTaken,
    NotASponsor,
    SponsorFull,
    NoChildWaiting,
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

/// Offers (or, for a sponsor's own request, holds) a child for a sponsor.
#[allow(clippy::too_many_arguments)]
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

/// Loads a sponsorship that `user` answers for; anyone else's is refused the same way as a missing one,
/// so a forged button learns nothing.
async fn own(
    conn: &mut Conn,
    id: SponsorshipId,
    user: UserId,
) -> store::Result<Outcome<Sponsorship>> {
    Ok(match sponsorships::get(conn, id).await? {
        Some(s) if s.sponsor == user => Ok(s),
        Some(_) => Err(Refusal::NotYours),
        None => Err(Refusal::NotFound),
    })
}

async fn step(
    conn: &mut Conn,
    s: &Sponsorship,
    to: Result<SponsorshipStatus, crate::domain::sponsorship::TransitionError>,
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
    id: SponsorshipId,
    user: UserId,
    to: fn(
        SponsorshipStatus,
    ) -> Result<SponsorshipStatus, crate::domain::sponsorship::TransitionError>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    let s = match own(conn, id, user).await? {
        Ok(s) => s,
        Err(r) => return Ok(Err(r)),
    };
    Ok(step(conn, &s, to(s.status), reason, Some(user), now)
        .await?
        .map(|_| s))
}

pub async fn accept(
    conn: &mut Conn,
    id: SponsorshipId,
    user: UserId,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    sponsor_step(conn, id, user, SponsorshipStatus::accept, None, now).await
}

pub async fn decline(
    conn: &mut Conn,
    id: SponsorshipId,
    user: UserId,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    sponsor_step(conn, id, user, SponsorshipStatus::decline, None, now).await
}

/// The sponsor stops sponsoring: the child goes back to the waiting list.
pub async fn end(
    conn: &mut Conn,
    id: SponsorshipId,
    user: UserId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> store::Result<Outcome<Sponsorship>> {
    sponsor_step(conn, id, user, SponsorshipStatus::end, reason, now).await
}

/// Records why a sponsor declined or ended, after the fact (the reason is optional and asked afterwards).
pub async fn add_reason(
    conn: &mut Conn,
    id: SponsorshipId,
    user: UserId,
    reason: &str,
) -> store::Result<bool> {
    sponsorships::set_end_reason(conn, id, user, reason).await
}

/// A coordinator moves a child to another sponsor: the current sponsorship gives way and the new sponsor
/// gets an offer (their consent still counts). Returns the old sponsorship, if there was one, and the offer.
pub async fn transfer(
    conn: &mut Conn,
    child: ChildId,
    to: UserId,
    ttl: Duration,
    by: UserId,
    now: DateTime<Utc>,
) -> store::Result<Outcome<(Option<Sponsorship>, SponsorshipId)>> {
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
            Some(by),
            now,
        )
        .await?
        {
            return Ok(Err(r));
        }
    }
    Ok(offer(conn, child, to, Origin::Transfer, ttl, Some(by), now)
        .await?
        .map(|id| (old, id)))
}

/// A coordinator closes a child's case (graduated, moved, deceased): a live sponsorship ends (an open offer
/// expires) and the child leaves the programme's lists. Returns the sponsorship that ended, for the notice.
pub async fn close_case(
    conn: &mut Conn,
    child: ChildId,
    status: ChildStatus,
    by: UserId,
    now: DateTime<Utc>,
) -> store::Result<Option<Sponsorship>> {
    let live = sponsorships::live_for_child(conn, child).await?;
    if let Some(s) = &live {
        let to = if s.status == SponsorshipStatus::Active {
            s.status.end()
        } else {
            s.status.expire()
        };
        // A refusal here means it moved on meanwhile; the case closes either way.
        let _ = step(conn, s, to, Some(status.as_str()), Some(by), now).await?;
    }
    children::set_status(conn, child, status, Some(status.as_str()), now).await?;
    audit::record(
        conn,
        now,
        Some(by),
        "child.close",
        &format!("child:{child}"),
        Some(status.as_str()),
    )
    .await?;
    Ok(live)
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
