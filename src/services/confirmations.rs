//! Confirming a delivery: who may, what a confirmation records, and what follows — the delivery confirmed,
//! the pictures queued for download, a reused picture or a far-away place flagged, a case opened when the
//! package did not fully arrive, and the people concerned told. All in the caller's transaction.

use super::sponsorships::child_place_of;
use crate::domain::child::first_name;
use crate::domain::confirmation::{Draft, DraftError};
use crate::domain::delivery::DeliveryStatus;
use crate::domain::evidence::{Checks, ExifFacts, Flag, FlagKind, GeoPoint, Outcome};
use crate::domain::policy::{self, Action, Actor, Capacity, Denied};
use crate::domain::{DeliveryId, RegionCode, UserId};
use crate::i18n::{Arg, date_label, tf};
use crate::outbound::{self, Attachment, Keyboard, Outbound};
use crate::services::notices;
use crate::store::children::{self, Child};
use crate::store::confirmations::{
    self as confirmed, ConfirmedAs, FlagRow, NewConfirmation, NewEvidence,
};
use crate::store::deliveries::{self, Delivery};
use crate::store::{Conn, audit, regions, sponsors, users};
use chrono::{DateTime, NaiveDate, Utc};

/// Why a user may not confirm a delivery (now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Denied(Denied),
    NotFound,
    /// A sponsor confirms only their own children's deliveries.
    NotYourChild,
    /// A volunteer confirms only deliveries in their area (named).
    OutsideArea(String),
    /// Confirmed already, by whom and when; `region` is the child's kecamatan, whose zone the time is read in.
    AlreadyConfirmed {
        by: String,
        at: DateTime<Utc>,
        region: RegionCode,
    },
    Closed(DeliveryStatus),
    Incomplete(DraftError),
}

/// A delivery the user may confirm, with its child and the capacity they confirm it in.
#[derive(Debug, Clone)]
pub struct Target {
    pub delivery: Delivery,
    pub child: Child,
    pub role: ConfirmedAs,
}

/// Whether `actor` may confirm delivery `id` now (its approved sponsor, a volunteer of the child's area, a
/// coordinator of it: the access policy decides), and why not.
pub async fn target(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
) -> crate::store::Result<Result<Target, Refusal>> {
    let Some(delivery) = deliveries::get(conn, id).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let Some(child) = children::get(conn, delivery.child).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    let decision = policy::check(
        actor,
        Action::Confirm {
            child: child_place_of(&child),
            sponsor: delivery.sponsor,
        },
    );
    let role = match decision {
        Ok(Capacity::Sponsor) => ConfirmedAs::Sponsor,
        Ok(Capacity::Volunteer) => ConfirmedAs::Volunteer,
        Ok(Capacity::Coordinator) => ConfirmedAs::Coordinator,
        Err(denied) => {
            return Ok(Err(match (&actor.roles.volunteer, denied) {
                (Some(area), Denied::OutOfScope) => {
                    Refusal::OutsideArea(regions::name_or_code(conn, area).await?)
                }
                (_, Denied::NotYours) => Refusal::NotYourChild,
                (_, denied) => Refusal::Denied(denied),
            }));
        }
    };
    if delivery.status == DeliveryStatus::Confirmed {
        return Ok(Err(already(conn, &delivery, &child).await?));
    }
    if !delivery.status.is_open() {
        return Ok(Err(Refusal::Closed(delivery.status)));
    }
    Ok(Ok(Target {
        delivery,
        child,
        role,
    }))
}

async fn already(conn: &mut Conn, d: &Delivery, child: &Child) -> crate::store::Result<Refusal> {
    let by = match d.confirmed_by {
        Some(u) => users::first_name(conn, u).await?.unwrap_or_default(),
        None => String::new(),
    };
    Ok(Refusal::AlreadyConfirmed {
        by,
        at: d.confirmed_at.unwrap_or_default(),
        region: child.kecamatan.clone(),
    })
}

/// What a submitted confirmation came to.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub target: Target,
    pub outcome: Outcome,
    pub confirmation: i64,
    pub case: Option<i64>,
}

/// Records the confirmation `draft` makes of delivery `id`, with everything that follows from it.
pub async fn submit(
    conn: &mut Conn,
    actor: &Actor,
    id: DeliveryId,
    draft: &Draft,
    checks: Checks,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> crate::store::Result<Result<Submitted, Refusal>> {
    let user = actor.user;
    let target = match target(conn, actor, id).await? {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let outcome = match draft.ready() {
        Ok(o) => o,
        Err(e) => return Ok(Err(Refusal::Incomplete(e))),
    };
    let d = &target.delivery;
    if outcome.delivered()
        && !deliveries::close(
            conn,
            d.id,
            d.status,
            DeliveryStatus::Confirmed,
            None,
            Some(user),
            now,
        )
        .await?
    {
        // Someone else confirmed (or closed) it between reading and writing: say what happened.
        let now_is = deliveries::get(conn, d.id).await?;
        return Ok(Err(match now_is {
            Some(d) if d.status == DeliveryStatus::Confirmed => {
                already(conn, &d, &target.child).await?
            }
            Some(d) => Refusal::Closed(d.status),
            None => Refusal::NotFound,
        }));
    }
    let new = NewConfirmation {
        delivery: d.id,
        child: target.child.id,
        by: user,
        by_role: target.role,
        outcome,
        missing: &draft.missing,
        problem: draft.problem,
        detail: draft.detail.as_deref(),
        note: draft.note.as_deref(),
        place: draft.place,
        photos: draft.photos.len(),
    };
    let Some(confirmation) = confirmed::insert(conn, &new, now).await? else {
        return Ok(Err(already(conn, d, &target.child).await?));
    };
    // The shared place is one for the whole confirmation: checked once, flagged on its first picture.
    let home = home_of(conn, &target.child).await?;
    let mut place_flags = crate::domain::evidence::check_photo(
        checks,
        home,
        draft.place,
        ExifFacts::default(),
        d.due_on,
        today,
    );
    for photo in &draft.photos {
        let received_at = DateTime::from_timestamp_millis(photo.received_ms).unwrap_or(now);
        let evidence = confirmed::add_evidence(
            conn,
            &NewEvidence {
                confirmation,
                delivery: d.id,
                sent_by: user,
                received_at,
                file_id: &photo.file_id,
                file_unique_id: &photo.file_unique_id,
                as_document: photo.as_document,
                place: draft.place,
            },
            now,
        )
        .await?;
        if let Some(other) = confirmed::first_use(conn, d.id, &photo.file_unique_id, None).await? {
            raise_reuse(conn, &target, evidence, other, now).await?;
        }
        for flag in std::mem::take(&mut place_flags) {
            raise(conn, &target, evidence, flag, None, now).await?;
        }
    }
    let case = if outcome.opens_case() {
        Some(
            confirmed::open_case(
                conn,
                d.id,
                target.child.id,
                confirmation,
                outcome,
                user,
                now,
            )
            .await?,
        )
    } else {
        None
    };
    audit::record(
        conn,
        now,
        Some(user),
        &format!("delivery.{}", outcome.as_str()),
        &format!("delivery:{}", d.id),
        Some(&format!(
            "confirmation:{confirmation} photos:{} as:{}",
            draft.photos.len(),
            target.role.as_str()
        )),
    )
    .await?;
    tell(conn, &target, outcome, draft, case, user, now).await?;
    Ok(Ok(Submitted {
        target,
        outcome,
        confirmation,
        case,
    }))
}

/// Where the family lives, as far as the programme knows: the point of the child's village, else of the
/// kecamatan.
pub async fn home_of(conn: &mut Conn, child: &Child) -> crate::store::Result<Option<GeoPoint>> {
    regions::point(conn, child.village.as_ref().unwrap_or(&child.kecamatan)).await
}

/// The sponsor hears how their package arrived (with the photo when someone else confirmed it), and the
/// coordinators hear of a case.
async fn tell(
    conn: &mut Conn,
    target: &Target,
    outcome: Outcome,
    draft: &Draft,
    case: Option<i64>,
    user: UserId,
    now: DateTime<Utc>,
) -> crate::store::Result<()> {
    let d = &target.delivery;
    let child = &target.child;
    let missing = draft.missing.join(", ");
    if d.sponsor != user {
        let lang = users::language(conn, d.sponsor).await?;
        let problem = problem_text(lang, draft);
        let args = [
            ("child", Arg::Text(first_name(&child.full_name))),
            ("date", Arg::Text(&date_label(lang, d.due_on))),
            ("missing", Arg::Text(&missing)),
            ("problem", Arg::Text(&problem)),
        ];
        let key = match outcome {
            Outcome::Full => "delivery-thanks",
            Outcome::Partial => "delivery-thanks-partial",
            Outcome::NotReceived => "delivery-not-received-sponsor",
        };
        let caption = tf(lang, key, &args);
        let message = match draft.photos.first() {
            Some(p) if outcome.delivered() && !p.as_document => Outbound::Photo {
                chat_id: d.sponsor.0,
                photo: Attachment::Telegram {
                    file_id: p.file_id.clone(),
                },
                caption,
                keyboard: Keyboard::None,
            },
            Some(p) if outcome.delivered() => Outbound::Document {
                chat_id: d.sponsor.0,
                document: Attachment::Telegram {
                    file_id: p.file_id.clone(),
                },
                caption,
            },
            _ => Outbound::Message {
                chat_id: d.sponsor.0,
                text: caption,
                keyboard: Keyboard::None,
            },
        };
        outbound::enqueue_in(conn, outbound::Lane::Notice, &message, now).await?;
    }
    if let Some(case) = case {
        let by = users::first_name(conn, user).await?.unwrap_or_default();
        let sponsor = sponsors::name(conn, d.sponsor).await?;
        let date = d.due_on.format("%d-%m-%Y").to_string();
        let to = coordinators_langs(conn, &child.kecamatan).await?;
        for (coordinator, lang) in to {
            let problem = problem_text(lang, draft);
            let key = match outcome {
                Outcome::Partial => "coordinator-case-partial",
                _ => "coordinator-case-not-received",
            };
            let text = tf(
                lang,
                key,
                &[
                    ("case", Arg::Num(case)),
                    ("child", Arg::Text(&child.full_name)),
                    ("id", Arg::Num(child.id.0)),
                    ("sponsor", Arg::Text(&sponsor)),
                    ("date", Arg::Text(&date)),
                    ("by", Arg::Text(&by)),
                    ("missing", Arg::Text(&missing)),
                    ("problem", Arg::Text(&problem)),
                    ("delivery", Arg::Num(d.id.0)),
                ],
            );
            outbound::enqueue_in(
                conn,
                outbound::Lane::Notice,
                &Outbound::Message {
                    chat_id: coordinator.0,
                    text,
                    keyboard: Keyboard::None,
                },
                now,
            )
            .await?;
        }
    }
    Ok(())
}

async fn coordinators_langs(
    conn: &mut Conn,
    area: &RegionCode,
) -> crate::store::Result<Vec<(UserId, crate::domain::Lang)>> {
    let mut out = Vec::new();
    for c in crate::store::coordinators::covering(conn, area).await? {
        out.push((c, users::language(conn, c).await?));
    }
    Ok(out)
}

/// The reason a package did not arrive, in `lang`, with the volunteer's own words when they gave some.
pub fn problem_text(lang: crate::domain::Lang, draft: &Draft) -> String {
    problem_label(lang, draft.problem, draft.detail.as_deref())
}

/// A problem's label in `lang`, followed by the words given for it ("✏️ Lainnya (rumah terkunci)").
pub fn problem_label(
    lang: crate::domain::Lang,
    problem: Option<crate::domain::evidence::Problem>,
    detail: Option<&str>,
) -> String {
    let Some(p) = problem else {
        return String::new();
    };
    let label = crate::i18n::t(lang, &format!("problem-{}", p.as_str()));
    match detail {
        Some(detail) => format!("{label} ({detail})"),
        None => label,
    }
}

/// Flags a picture of the target's delivery; `other` is the delivery a reused picture was first used for.
async fn raise(
    conn: &mut Conn,
    target: &Target,
    evidence: i64,
    flag: Flag,
    other: Option<DeliveryId>,
    now: DateTime<Utc>,
) -> crate::store::Result<()> {
    let row = FlagRow {
        evidence,
        delivery: target.delivery.id,
        kind: flag.kind,
        other_delivery: other,
        km: flag.km,
        days: flag.days,
        at: now,
    };
    announce(conn, target, &row).await
}

/// The flag of a picture used before, for delivery `other`.
async fn raise_reuse(
    conn: &mut Conn,
    target: &Target,
    evidence: i64,
    other: DeliveryId,
    now: DateTime<Utc>,
) -> crate::store::Result<()> {
    let flag = Flag {
        kind: FlagKind::ReusedPhoto,
        km: None,
        days: None,
    };
    raise(conn, target, evidence, flag, Some(other), now).await
}

/// Records a flag and, the first time it is raised for that picture, tells the area's coordinators.
async fn announce(conn: &mut Conn, target: &Target, row: &FlagRow) -> crate::store::Result<()> {
    if !confirmed::flag(conn, row).await? {
        return Ok(());
    }
    let date = target.delivery.due_on.format("%d-%m-%Y").to_string();
    notices::coordinators(
        conn,
        Some(&target.child.kecamatan),
        &format!("flag-{}", row.kind.as_str()),
        &[
            ("child", Arg::Text(&target.child.full_name)),
            ("date", Arg::Text(&date)),
            ("delivery", Arg::Num(target.delivery.id.0)),
            ("other", Arg::Num(row.other_delivery.map_or(0, |d| d.0))),
            ("km", Arg::Num(row.km.unwrap_or(0))),
            ("days", Arg::Num(row.days.unwrap_or(0))),
        ],
        row.at,
    )
    .await?;
    Ok(())
}

/// The checks once a picture's bytes are in: the same bytes used for another delivery, and what its EXIF
/// says about when and where it was taken. Flags are raised (and told) once each.
pub async fn check_stored(
    conn: &mut Conn,
    evidence: &confirmed::Evidence,
    sha256: &str,
    exif: ExifFacts,
    checks: Checks,
    now: DateTime<Utc>,
) -> crate::store::Result<()> {
    let Some(delivery) = deliveries::get(conn, evidence.delivery).await? else {
        return Ok(());
    };
    let Some(child) = children::get(conn, delivery.child).await? else {
        return Ok(());
    };
    let target = Target {
        delivery,
        child,
        role: ConfirmedAs::Volunteer,
    };
    if let Some(other) = confirmed::first_use(
        conn,
        evidence.delivery,
        &evidence.file_unique_id,
        Some(sha256),
    )
    .await?
    {
        raise_reuse(conn, &target, evidence.id, other, now).await?;
    }
    let home = home_of(conn, &target.child).await?;
    let received_on = evidence.received_at.date_naive();
    // Only what the EXIF adds: the shared place was checked when the confirmation came in.
    let flags = crate::domain::evidence::check_photo(
        checks,
        home,
        None,
        exif,
        target.delivery.due_on,
        received_on,
    );
    for flag in flags {
        raise(conn, &target, evidence.id, flag, None, now).await?;
    }
    Ok(())
}

/// A picture of delivery `d` could not be fetched from Telegram at all: the area's coordinators are told.
pub async fn lost(conn: &mut Conn, d: DeliveryId, now: DateTime<Utc>) -> crate::store::Result<()> {
    let Some(delivery) = deliveries::get(conn, d).await? else {
        return Ok(());
    };
    let Some(child) = children::get(conn, delivery.child).await? else {
        return Ok(());
    };
    let date = delivery.due_on.format("%d-%m-%Y").to_string();
    notices::coordinators(
        conn,
        Some(&child.kecamatan),
        "coordinator-evidence-lost",
        &[
            ("child", Arg::Text(&child.full_name)),
            ("date", Arg::Text(&date)),
            ("delivery", Arg::Num(d.0)),
        ],
        now,
    )
    .await?;
    Ok(())
}
