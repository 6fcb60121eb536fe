//! People and their roles: a sponsor's registration and the coordinators' decision on it, volunteers
//! joining by invite, coordinators granted, and any role revoked — with everything that follows, in the
//! caller's transaction. Each use case asks [`policy::check`] first.

use super::labels::area_label;
use super::notices;
use super::sponsorships;
use crate::callback::Callback;
use crate::domain::invite::{InviteCode, InviteProblem, InviteTerms};
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::role::{Role, Scope, SponsorStatus};
use crate::domain::sponsor::{Affiliation, Registration};
use crate::domain::{Lang, RegionCode, RegionLevel, UserId};
use crate::i18n::{Arg, t, tf};
use crate::outbound::{self, Button, Keyboard, Outbound};
use crate::store::{
    self, Conn, audit, coordinators, digest as schedules, invites, offices, regions, sponsors,
    users, volunteers,
};
use chrono::{DateTime, Utc};

/// A registration, as the person and the coordinators read it.
pub async fn registration_details(
    conn: &mut Conn,
    lang: Lang,
    r: &Registration,
) -> store::Result<String> {
    let office = match r.affiliation {
        Affiliation::Office(id) => offices::name(conn, id)
            .await?
            .unwrap_or_else(|| format!("#{}", id.0)),
        Affiliation::Community => t(lang, "community-member"),
    };
    let kecamatan = regions::get(conn, &r.area.kecamatan).await?.map(|x| x.name);
    let village = match &r.area.village {
        Some(v) => regions::get(conn, v).await?.map(|x| x.name),
        None => None,
    };
    let area = area_label(&kecamatan, &village, &r.area.kecamatan);
    Ok(tf(
        lang,
        "registration-details",
        &[
            ("name", Arg::Text(r.name.as_str())),
            ("phone", Arg::Text(r.phone.as_str())),
            ("office", Arg::Text(&office)),
            ("area", Arg::Text(&area)),
            ("capacity", Arg::Num(i64::from(r.capacity.get()))),
        ],
    ))
}

/// What became of a submitted registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// The coordinators of the area were asked (how many).
    Sent(usize),
    /// No coordinator covers the area yet: it waits for one.
    NoCoordinator,
    /// The user is pending or approved already (a stale summary).
    AlreadyRegistered,
}

/// A sponsor submits their registration: it waits for a decision, and the coordinators of the area get it
/// with Approve/Reject buttons.
pub async fn submit_registration(
    conn: &mut Conn,
    user: UserId,
    registration: &Registration,
    now: DateTime<Utc>,
) -> store::Result<Submitted> {
    if !sponsors::submit(conn, user, registration, now).await? {
        return Ok(Submitted::AlreadyRegistered);
    }
    audit::record(
        conn,
        now,
        Some(user),
        "sponsor.submit",
        &format!("user:{user}"),
        None,
    )
    .await?;
    let deciders = coordinators::covering(conn, &registration.area.kecamatan).await?;
    if deciders.is_empty() {
        tracing::warn!(
            user = user.0,
            "sponsor registered in an area no coordinator covers"
        );
        return Ok(Submitted::NoCoordinator);
    }
    for coordinator in &deciders {
        let lang = users::language(conn, *coordinator).await?;
        let details = registration_details(conn, lang, registration).await?;
        let keyboard = Keyboard::inline(vec![vec![
            Button::new(
                t(lang, "approve"),
                Callback::Decide {
                    sponsor: user,
                    approve: true,
                    listed: false,
                }
                .encode(),
            ),
            Button::new(
                t(lang, "reject"),
                Callback::Decide {
                    sponsor: user,
                    approve: false,
                    listed: false,
                }
                .encode(),
            ),
        ]]);
        notices::person(
            conn,
            *coordinator,
            "coordinator-new-registration",
            &[("details", Arg::Html(&details)), ("id", Arg::Num(user.0))],
            keyboard,
            now,
        )
        .await?;
    }
    Ok(Submitted::Sent(deciders.len()))
}

/// Why a decision on a registration was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideRefusal {
    Denied(Denied),
    Unknown,
    /// Decided already (by a second press or another coordinator): as what, and by whom.
    AlreadyDecided {
        status: SponsorStatus,
        by: String,
    },
}

/// A coordinator approves or rejects a pending registration of their area; the sponsor is told. Exactly
/// one decision counts.
pub async fn decide(
    conn: &mut Conn,
    actor: &Actor,
    sponsor_id: UserId,
    approve: bool,
    now: DateTime<Utc>,
) -> store::Result<Result<sponsors::Sponsor, DecideRefusal>> {
    let Some(sponsor) = sponsors::get(conn, sponsor_id).await? else {
        return Ok(Err(DecideRefusal::Unknown));
    };
    if let Err(denied) = policy::check(
        actor,
        Action::ManageSponsor(&sponsor.registration.area.kecamatan),
    ) {
        return Ok(Err(DecideRefusal::Denied(denied)));
    }
    let transition = if approve {
        sponsor.status.approve()
    } else {
        sponsor.status.reject()
    };
    let done = match transition {
        Ok(to) => {
            sponsors::transition(conn, sponsor_id, sponsor.status, to, Some(actor.user), now)
                .await?
        }
        Err(_) => false,
    };
    if !done {
        let current = sponsors::get(conn, sponsor_id).await?.unwrap_or(sponsor);
        let by = match current.decided_by {
            Some(by) => users::first_name(conn, by)
                .await?
                .unwrap_or_else(|| by.to_string()),
            None => "?".into(),
        };
        return Ok(Err(DecideRefusal::AlreadyDecided {
            status: current.status,
            by,
        }));
    }
    let action = if approve {
        "sponsor.approve"
    } else {
        "sponsor.reject"
    };
    audit::record(
        conn,
        now,
        Some(actor.user),
        action,
        &format!("user:{sponsor_id}"),
        None,
    )
    .await?;
    let key = if approve {
        "sponsor-approved"
    } else {
        "sponsor-rejected"
    };
    notices::person(conn, sponsor_id, key, &[], Keyboard::None, now).await?;
    Ok(Ok(sponsor))
}

/// Someone joins as a volunteer with an invite code; the coordinators of the area hear of it. Returns the
/// area's name.
pub async fn join_as_volunteer(
    conn: &mut Conn,
    user: UserId,
    name: &str,
    code: &InviteCode,
    now: DateTime<Utc>,
) -> store::Result<Result<String, InviteProblem>> {
    let region = match invites::redeem(conn, code, now).await? {
        Ok(region) => region,
        Err(problem) => return Ok(Err(problem)),
    };
    volunteers::join(conn, user, &region, code.as_str(), now).await?;
    audit::record(
        conn,
        now,
        Some(user),
        "volunteer.join",
        &format!("user:{user}"),
        Some(region.as_str()),
    )
    .await?;
    let area = regions::name_or_code(conn, &region).await?;
    for coordinator in coordinators::covering(conn, &region).await? {
        notices::person(
            conn,
            coordinator,
            "coordinator-volunteer-joined",
            &[
                ("name", Arg::Text(name)),
                ("id", Arg::Num(user.0)),
                ("area", Arg::Text(&area)),
            ],
            Keyboard::None,
            now,
        )
        .await?;
    }
    Ok(Ok(area))
}

/// Why no invite was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteRefusal {
    Denied(Denied),
    UnknownRegion,
    /// Volunteers serve a kecamatan or a village, not a whole regency.
    NeedsDistrict,
}

/// A coordinator makes an invite link for volunteers of a kecamatan or village of their area. Returns the
/// code and the area's name.
pub async fn invite(
    conn: &mut Conn,
    actor: &Actor,
    code: &RegionCode,
    terms: InviteTerms,
    now: DateTime<Utc>,
) -> store::Result<Result<(InviteCode, String), InviteRefusal>> {
    if let Err(denied) = policy::check(actor, Action::ManageRegion(code)) {
        return Ok(Err(InviteRefusal::Denied(denied)));
    }
    let Some(region) = regions::get(conn, code).await? else {
        return Ok(Err(InviteRefusal::UnknownRegion));
    };
    if !matches!(region.level, RegionLevel::District | RegionLevel::Village) {
        return Ok(Err(InviteRefusal::NeedsDistrict));
    }
    let invite = InviteCode::generate();
    invites::create(
        conn,
        &invite,
        code,
        actor.user,
        terms.expires_at(now),
        terms.max_uses,
        now,
    )
    .await?;
    audit::record(
        conn,
        now,
        Some(actor.user),
        "invite.create",
        &format!("region:{code}"),
        None,
    )
    .await?;
    Ok(Ok((invite, region.name)))
}

/// Makes someone a coordinator (of everything, or of one region), and records it.
pub async fn grant_coordinator(
    conn: &mut Conn,
    user: UserId,
    scope: &Scope,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<()> {
    coordinators::grant(conn, user, scope, by, now).await?;
    let detail = scope.code().map(|c| c.to_string());
    audit::record(
        conn,
        now,
        by,
        "coordinator.grant",
        &format!("user:{user}"),
        detail.as_deref(),
    )
    .await
}

/// The roles of `target` that `actor` may revoke, with their name. Someone whose roles all lie outside
/// the actor's area is refused without a name.
pub async fn revocable(
    conn: &mut Conn,
    actor: &Actor,
    target: UserId,
) -> store::Result<Result<(String, Vec<Role>), Denied>> {
    if let Err(denied) = policy::check(actor, Action::Coordinate) {
        return Ok(Err(denied));
    }
    let roles = users::roles(conn, target).await?;
    let mut held = Vec::new();
    let mut allowed = Vec::new();
    if roles.sponsor == Some(SponsorStatus::Approved)
        && let Some(s) = sponsors::get(conn, target).await?
    {
        held.push(Role::Sponsor);
        if policy::check(actor, Action::ManageSponsor(&s.registration.area.kecamatan)).is_ok() {
            allowed.push(Role::Sponsor);
        }
    }
    if let Some(area) = &roles.volunteer {
        held.push(Role::Volunteer);
        if policy::check(actor, Action::ManageVolunteer(area)).is_ok() {
            allowed.push(Role::Volunteer);
        }
    }
    if let Some(scope) = &roles.coordinator
        && target != actor.user
    {
        held.push(Role::Coordinator);
        if policy::check(
            actor,
            Action::ManageCoordinator {
                user: target,
                scope,
            },
        )
        .is_ok()
        {
            allowed.push(Role::Coordinator);
        }
    }
    if allowed.is_empty() && !held.is_empty() {
        return Ok(Err(Denied::OutOfScope));
    }
    let name = match sponsors::get(conn, target).await? {
        Some(s) if allowed.contains(&Role::Sponsor) => s.registration.name.as_str().to_owned(),
        _ => users::first_name(conn, target)
            .await?
            .unwrap_or_else(|| "—".into()),
    };
    Ok(Ok((name, allowed)))
}

/// Why a role was not revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeRefusal {
    Denied(Denied),
    /// They do not hold that role (any more).
    NotHeld,
}

/// A coordinator revokes one role of someone in their area, with everything that follows from it
/// ([`apply_revocation`]).
pub async fn revoke(
    conn: &mut Conn,
    actor: &Actor,
    target: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> store::Result<Result<(), RevokeRefusal>> {
    let roles = users::roles(conn, target).await?;
    let decision = match role {
        Role::Sponsor => match sponsors::get(conn, target).await? {
            Some(s) if s.status == SponsorStatus::Approved => {
                policy::check(actor, Action::ManageSponsor(&s.registration.area.kecamatan))
            }
            _ => return Ok(Err(RevokeRefusal::NotHeld)),
        },
        Role::Volunteer => match &roles.volunteer {
            Some(area) => policy::check(actor, Action::ManageVolunteer(area)),
            None => return Ok(Err(RevokeRefusal::NotHeld)),
        },
        Role::Coordinator => match &roles.coordinator {
            Some(scope) => policy::check(
                actor,
                Action::ManageCoordinator {
                    user: target,
                    scope,
                },
            ),
            None => return Ok(Err(RevokeRefusal::NotHeld)),
        },
    };
    if let Err(denied) = decision {
        return Ok(Err(RevokeRefusal::Denied(denied)));
    }
    if !apply_revocation(conn, target, role, Some(actor.user), now).await? {
        return Ok(Err(RevokeRefusal::NotHeld));
    }
    Ok(Ok(()))
}

/// Takes a role away, with what follows, whoever decided it (a coordinator, or the operator on the
/// command line): a sponsor's offers are withdrawn and their sponsorships end (the children wait again, and
/// the coordinators and volunteers of each child's area hear of it); a coordinator's digests stop. The
/// person is told. Returns whether they held the role.
pub async fn apply_revocation(
    conn: &mut Conn,
    target: UserId,
    role: Role,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> store::Result<bool> {
    let done = match role {
        Role::Sponsor => {
            let revoked = sponsors::transition(
                conn,
                target,
                SponsorStatus::Approved,
                SponsorStatus::Revoked,
                by,
                now,
            )
            .await?;
            if revoked {
                sponsorships::withdraw_all(conn, target, "revoked", by, now).await?;
            }
            revoked
        }
        Role::Volunteer => volunteers::revoke(conn, target).await?,
        Role::Coordinator => {
            let revoked = coordinators::revoke(conn, target).await?;
            if revoked {
                schedules::remove_schedules(conn, target).await?;
            }
            revoked
        }
    };
    if !done {
        return Ok(false);
    }
    audit::record(
        conn,
        now,
        by,
        &format!("{}.revoke", role.as_str()),
        &format!("user:{target}"),
        None,
    )
    .await?;
    let lang = users::language(conn, target).await?;
    let name = t(lang, role_key(role));
    notices::person(
        conn,
        target,
        "your-role-revoked",
        &[("role", Arg::Text(&name))],
        Keyboard::None,
        now,
    )
    .await?;
    Ok(true)
}

/// The locale key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Sponsor => "role-name-sponsor",
        Role::Volunteer => "role-name-volunteer",
        Role::Coordinator => "role-name-coordinator",
    }
}

/// Asks the coordinators of each sponsor Telegram could not reach for `after` (who still holds children)
/// whether to release those children to other sponsors: once per coordinator and spell of unreachability.
/// Returns how many questions were queued.
pub async fn ask_about_unreachable(
    conn: &mut Conn,
    after: chrono::Duration,
    now: DateTime<Utc>,
) -> store::Result<usize> {
    let mut asked = 0;
    for (sponsor, since, children) in sponsors::unreachable_holding(conn, now - after).await? {
        let Some(s) = sponsors::get(conn, sponsor).await? else {
            continue;
        };
        let days = (now - since).num_days();
        for coordinator in coordinators::covering(conn, &s.registration.area.kecamatan).await? {
            let lang = users::language(conn, coordinator).await?;
            let text = tf(
                lang,
                "coordinator-unreachable-ask",
                &[
                    ("name", Arg::Text(s.registration.name.as_str())),
                    ("id", Arg::Num(sponsor.0)),
                    ("days", Arg::Num(days)),
                    ("children", Arg::Num(children)),
                ],
            );
            let answer = |release| Callback::Release { sponsor, release }.encode();
            let keyboard = Keyboard::inline(vec![
                vec![Button::new(t(lang, "unreachable-release"), answer(true))],
                vec![Button::new(t(lang, "unreachable-wait"), answer(false))],
            ]);
            let message = Outbound::Message {
                chat_id: coordinator.0,
                text,
                keyboard,
            };
            let key = format!(
                "unreachable:{sponsor}:{}:{coordinator}",
                since.timestamp_millis()
            );
            if outbound::enqueue_once(conn, outbound::Lane::Notice, &message, &key, now).await? {
                asked += 1;
            }
        }
    }
    Ok(asked)
}

/// What a coordinator's answer about an unreachable sponsor did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Released {
    /// Their children were released to other sponsors (how many sponsorships were withdrawn).
    Released { name: String, count: usize },
    /// The coordinator waits (they will contact the sponsor another way).
    Kept { name: String },
    /// Telegram reaches them again: nothing to do.
    Reachable { name: String },
}

/// A coordinator answers about a sponsor Telegram cannot reach: release their children (every live
/// sponsorship withdrawn, as for a revoked sponsor, with the reason `unreachable`; the sponsor keeps their
/// role) or wait.
pub async fn release_unreachable(
    conn: &mut Conn,
    actor: &Actor,
    sponsor: UserId,
    release: bool,
    now: DateTime<Utc>,
) -> store::Result<Result<Released, DecideRefusal>> {
    let Some(s) = sponsors::get(conn, sponsor).await? else {
        return Ok(Err(DecideRefusal::Unknown));
    };
    if let Err(denied) = policy::check(actor, Action::ManageSponsor(&s.registration.area.kecamatan))
    {
        return Ok(Err(DecideRefusal::Denied(denied)));
    }
    let name = s.registration.name.as_str().to_owned();
    if !release {
        return Ok(Ok(Released::Kept { name }));
    }
    if !users::is_unreachable(conn, sponsor).await? {
        return Ok(Ok(Released::Reachable { name }));
    }
    let count =
        sponsorships::withdraw_all(conn, sponsor, "unreachable", Some(actor.user), now).await?;
    audit::record(
        conn,
        now,
        Some(actor.user),
        "sponsor.release",
        &format!("user:{sponsor}"),
        Some(&count.to_string()),
    )
    .await?;
    Ok(Ok(Released::Released { name, count }))
}
