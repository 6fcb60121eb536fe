//! A coordinator's work on one child: the card, a correction of a field, closing the case. Each asks the
//! access policy with the child's place as it is stored now.

use super::notices;
use super::sponsorships::{self as lifecycle, child_place_of};
use crate::domain::child::{ChildId, ChildStatus, first_name};
use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::sponsor::{PersonName, Phone};
use crate::domain::sponsorship::SponsorshipStatus;
use crate::domain::{RegionCode, RegionLevel};
use crate::i18n::{Arg, t};
use crate::outbound::Keyboard;
use crate::store::children::{self, Child, EditableField};
use crate::store::measurements::{self, Measurement};
use crate::store::sponsorships::{self, Sponsorship};
use crate::store::{self, Conn, audit, regions, sponsors, users};
use chrono::{DateTime, Utc};

/// Why a coordinator's action on a child was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    Unknown,
    /// The case is closed already.
    Closed,
    /// The new value is not one the field can hold.
    Invalid,
}

/// The child, when the actor may manage them.
pub async fn managed(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
) -> store::Result<Result<Child, Refusal>> {
    let Some(c) = children::get(conn, id).await? else {
        return Ok(Err(Refusal::Unknown));
    };
    Ok(
        match policy::check(actor, Action::ManageChild(child_place_of(&c))) {
            Ok(_) => Ok(c),
            Err(d) => Err(Refusal::Denied(d)),
        },
    )
}

/// What a coordinator's card of a child shows.
#[derive(Debug, Clone)]
pub struct ChildView {
    pub child: Child,
    /// The live sponsorship and its sponsor's name.
    pub live: Option<(Sponsorship, String)>,
    pub history: Vec<Measurement>,
}

pub async fn view(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
) -> store::Result<Result<ChildView, Refusal>> {
    let child = match managed(conn, actor, id).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    let live = match sponsorships::live_for_child(conn, child.id).await? {
        Some(s) => {
            let name = sponsors::name(conn, s.sponsor).await?;
            Some((s, name))
        }
        None => None,
    };
    let history = measurements::history(conn, child.id).await?;
    Ok(Ok(ChildView {
        child,
        live,
        history,
    }))
}

/// A coordinator closes a child's case; an active sponsor is told why.
pub async fn close(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
    status: ChildStatus,
    now: DateTime<Utc>,
) -> store::Result<Result<Child, Refusal>> {
    let (child, live) = match lifecycle::close_case(conn, actor, id, status, now).await? {
        Ok(x) => x,
        Err(lifecycle::Refusal::Denied(d)) => return Ok(Err(Refusal::Denied(d))),
        Err(lifecycle::Refusal::ChildClosed) => return Ok(Err(Refusal::Closed)),
        Err(_) => return Ok(Err(Refusal::Unknown)),
    };
    if let Some(s) = live.filter(|s| s.status == SponsorshipStatus::Active) {
        let lang = users::language(conn, s.sponsor).await?;
        let reason = t(lang, &format!("child-{}", status.as_str()));
        notices::person(
            conn,
            s.sponsor,
            "sponsor-child-closed",
            &[
                ("name", Arg::Text(first_name(&child.full_name))),
                ("reason", Arg::Text(&reason)),
            ],
            Keyboard::None,
            now,
        )
        .await?;
    }
    Ok(Ok(child))
}

/// A coordinator corrects one field of a child's record; a village must be one of the child's kecamatan
/// that is set up.
pub async fn edit(
    conn: &mut Conn,
    actor: &Actor,
    id: ChildId,
    field: EditableField,
    value: &str,
    now: DateTime<Utc>,
) -> store::Result<Result<(), Refusal>> {
    let c = match managed(conn, actor, id).await? {
        Ok(c) => c,
        Err(r) => return Ok(Err(r)),
    };
    let stored = match field {
        EditableField::Name | EditableField::Guardian => {
            PersonName::parse(value).ok().map(String::from)
        }
        EditableField::Phone => Phone::parse(value).ok().map(String::from),
        EditableField::Village => match RegionCode::parse(value) {
            Ok(v) if c.kecamatan.contains(&v) && v.level() == RegionLevel::Village => {
                regions::get(conn, &v).await?.map(|_| String::from(v))
            }
            _ => None,
        },
        EditableField::Address | EditableField::Posyandu | EditableField::Notes => {
            (value.chars().count() <= 300).then(|| value.to_owned())
        }
    };
    let Some(stored) = stored else {
        return Ok(Err(Refusal::Invalid));
    };
    children::set_field(conn, c.id, field, Some(&stored), now).await?;
    audit::record(
        conn,
        now,
        Some(actor.user),
        &format!("child.edit.{}", field.as_str()),
        &format!("child:{}", c.id),
        None,
    )
    .await?;
    Ok(Ok(()))
}
