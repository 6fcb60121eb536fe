//! Offers and holds that nobody answered in time expire: the child goes back to the waiting list, the
//! sponsor and the coordinators of the area are told.

use crate::domain::child::initials;
use crate::i18n::{Arg, tf};
use crate::outbound::{self, Keyboard, Outbound};
use crate::services::sponsorships as lifecycle;
use crate::store::{self, Db, children, coordinators, sponsors, users};
use chrono::{DateTime, Utc};

/// Expires what is due at `now`, with its notices, in one transaction; returns how many expired.
pub async fn run_once(db: &Db, now: DateTime<Utc>) -> store::Result<usize> {
    let mut tx = db.begin().await?;
    let expired = lifecycle::expire_due(&mut tx, now).await?;
    for s in &expired {
        let Some(child) = children::get(&mut tx, s.child).await? else {
            continue;
        };
        let marks = initials(&child.full_name);
        let lang = users::language(&mut tx, s.sponsor).await?;
        let text = tf(lang, "offer-expired", &[("initials", Arg::Text(&marks))]);
        outbound::enqueue_in(
            &mut tx,
            outbound::Lane::Notice,
            &Outbound::Message {
                chat_id: s.sponsor.0,
                text,
                keyboard: Keyboard::None,
            },
            now,
        )
        .await?;
        let sponsor = sponsors::name(&mut tx, s.sponsor).await?;
        for coordinator in coordinators::covering(&mut tx, &child.kecamatan).await? {
            let lang = users::language(&mut tx, coordinator).await?;
            let text = tf(
                lang,
                "coordinator-offer-expired",
                &[
                    ("sponsor", Arg::Text(&sponsor)),
                    ("child", Arg::Text(&child.full_name)),
                    ("id", Arg::Num(child.id.0)),
                ],
            );
            outbound::enqueue_in(
                &mut tx,
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
    tx.commit().await?;
    Ok(expired.len())
}
