//! The reminder pass: every delivery whose next reminder is due gets it, exactly once. A batch of due
//! deliveries is read (locked on PostgreSQL, so another process's pass skips them), each one's reminder step
//! is advanced conditionally, and the messages are written to the outbox in the same transaction: either the
//! step moved on and its message is queued, or neither happened.
//!
//! Catching up after downtime does not flood anyone: of the steps that came due meanwhile only the latest
//! per audience is sent, and one person's reminders from one pass go out as one message.

use crate::callback::Callback;
use crate::domain::child::first_name;
use crate::domain::delivery::Deliverer;
use crate::domain::schedule::{Audience, Step};
use crate::domain::{Lang, RegionCode, UserId};
use crate::i18n::{Arg, date_label, t, tf};
use crate::outbound::{self, Button, Keyboard, Outbound};
use crate::services::deliveries::{Settings, Zones};
use crate::store::deliveries::{self, Advance, DeliveryId, DueReminder};
use crate::store::{self, Conn, Db, coordinators, plans, sponsors, users, volunteers};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap, HashSet};

const BATCH: i64 = 500;
/// A collapsed message lists this many deliveries with buttons; the rest are counted.
const LISTED: usize = 8;

/// One reminder for one person about one delivery.
#[derive(Debug, Clone)]
struct Notice {
    due: DueReminder,
    step: Step,
    tz: Tz,
    /// The pass's local date in `tz`: how late a delivery is counts from it, even for a step sent late.
    today: chrono::NaiveDate,
    /// The deliverer's buttons (sponsor: delivered, reschedule, skip; volunteer: delivered).
    as_sponsor: bool,
}

/// Sends every reminder due at `now`; returns how many deliveries were reminded.
///
/// Set-based: a batch of due deliveries costs a handful of statements whatever its size — one read, one
/// conditional update of every delivery's step, one read each of the recipients' languages and the
/// sponsors' names not yet known, and the batch's messages written a few hundred rows per statement.
///
/// On PostgreSQL two workers take batches side by side (each batch's rows are locked and skipped by the
/// other, as between processes); SQLite has one writer, so one.
pub async fn run(db: &Db, settings: &Settings, now: DateTime<Utc>) -> store::Result<usize> {
    let workers = match db.backend() {
        store::Backend::Postgres => 2,
        store::Backend::Sqlite => 1,
    };
    let mut running = tokio::task::JoinSet::new();
    for _ in 0..workers {
        running.spawn(batches(db.clone(), settings.clone(), now));
    }
    let mut total = 0;
    while let Some(done) = running.join_next().await {
        match done {
            Ok(reminded) => total += reminded?,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    Ok(total)
}

/// Takes batches of due reminders until none is left; returns how many deliveries it reminded.
async fn batches(db: Db, settings: Settings, now: DateTime<Utc>) -> store::Result<usize> {
    let (db, settings) = (&db, &settings);
    let mut zones = Zones::new(settings.default_zone);
    let mut people = People::default();
    let mut total = 0;
    let mut turns = db.turns();
    loop {
        turns.between().await;
        let mut tx = db.begin().await?;
        let due = deliveries::due_reminders(&mut tx, db.backend(), now, BATCH).await?;
        // Where each delivery's reminders stand: the steps that came due, and the one that comes next.
        let mut moves = Vec::with_capacity(due.len());
        let mut fired_of = Vec::with_capacity(due.len());
        for r in &due {
            let tz = zones.of(&mut tx, &r.kecamatan).await?;
            let steps = settings.reminders.steps(r.delivery.due_on, tz);
            let current = r.delivery.next_step.as_deref().unwrap_or_default();
            let start = steps
                .iter()
                .position(|s| s.key == current)
                // The policy changed since this step was planned: go on from where its time was.
                .or_else(|| {
                    let at = r.delivery.next_reminder_at?;
                    steps.iter().position(|s| s.fire_at >= at)
                })
                .unwrap_or(steps.len());
            let fired: Vec<Step> = steps[start..]
                .iter()
                .take_while(|s| s.fire_at <= now)
                .cloned()
                .collect();
            let next = steps[start..].iter().find(|s| s.fire_at > now);
            moves.push(Advance {
                id: r.delivery.id,
                step: current.to_owned(),
                next_step: next.map(|s| s.key.clone()),
                next_at: next.map(|s| s.fire_at),
            });
            fired_of.push((tz, fired));
        }
        // Only what this pass moved on is sent: another process's pass may have taken a delivery first.
        let advanced: HashSet<DeliveryId> = deliveries::advance_reminders(&mut tx, &moves)
            .await?
            .into_iter()
            .collect();
        total += advanced.len();
        let mut outgoing: BTreeMap<UserId, Vec<Notice>> = BTreeMap::new();
        for (r, (tz, fired)) in due.iter().zip(fired_of) {
            if !advanced.contains(&r.delivery.id) {
                continue;
            }
            // Counted from when it will be read: a reminder held by quiet hours goes out the next morning.
            let today = settings
                .quiet
                .defer(now, tz)
                .with_timezone(&tz)
                .date_naive();
            for audience in [
                Audience::Deliverer,
                Audience::Volunteer,
                Audience::Coordinator,
            ] {
                let Some(step) = fired.iter().rev().find(|s| s.audience == audience) else {
                    continue;
                };
                for (to, as_sponsor) in people.recipients(&mut tx, r, audience).await? {
                    outgoing.entry(to).or_default().push(Notice {
                        due: r.clone(),
                        step: step.clone(),
                        tz,
                        today,
                        as_sponsor,
                    });
                }
            }
        }
        let sponsors: Vec<UserId> = outgoing
            .values()
            .flatten()
            .map(|n| n.due.delivery.sponsor)
            .collect();
        let recipients: Vec<UserId> = outgoing.keys().copied().collect();
        people.learn(&mut tx, &recipients, &sponsors).await?;
        let mut messages = Vec::with_capacity(outgoing.len());
        for (to, notices) in outgoing {
            let lang = people.language(&mut tx, to).await?;
            let message = render(&mut tx, &mut people, lang, to, &notices).await?;
            // Quiet hours are the recipient's area's: the zone of the delivery they hear about.
            messages.push((message, settings.quiet.defer(now, notices[0].tz)));
        }
        outbound::enqueue_many_at(&mut tx, outbound::Lane::Batch, &messages, now).await?;
        tx.commit().await?;
        if (due.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}

/// Who hears of a delivery, cached for one pass.
#[derive(Default)]
struct People {
    languages: HashMap<UserId, Lang>,
    volunteers: HashMap<(String, Option<String>), Vec<UserId>>,
    coordinators: HashMap<String, Vec<UserId>>,
    sponsor_names: HashMap<UserId, String>,
    packages: HashMap<i64, (String, String)>,
}

impl People {
    /// Reads, in a few statements, the languages of `recipients` and the names of `sponsors` not known yet.
    async fn learn(
        &mut self,
        conn: &mut Conn,
        recipients: &[UserId],
        sponsors: &[UserId],
    ) -> store::Result<()> {
        let mut unknown: Vec<UserId> = recipients
            .iter()
            .filter(|u| !self.languages.contains_key(u))
            .copied()
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        self.languages
            .extend(users::languages(conn, &unknown).await?);
        let mut unknown: Vec<UserId> = sponsors
            .iter()
            .filter(|u| !self.sponsor_names.contains_key(u))
            .copied()
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        self.sponsor_names
            .extend(sponsors::names(conn, &unknown).await?);
        Ok(())
    }

    async fn language(&mut self, conn: &mut Conn, user: UserId) -> store::Result<Lang> {
        if let Some(l) = self.languages.get(&user) {
            return Ok(*l);
        }
        let l = users::language(conn, user).await?;
        self.languages.insert(user, l);
        Ok(l)
    }

    async fn volunteers(&mut self, conn: &mut Conn, r: &DueReminder) -> store::Result<Vec<UserId>> {
        let key = (r.kecamatan.clone(), r.village.clone());
        if let Some(v) = self.volunteers.get(&key) {
            return Ok(v.clone());
        }
        let v = match RegionCode::parse(&r.kecamatan) {
            Ok(k) => {
                let village = r.village.as_deref().and_then(|v| RegionCode::parse(v).ok());
                volunteers::serving(conn, &k, village.as_ref()).await?
            }
            Err(_) => Vec::new(),
        };
        self.volunteers.insert(key, v.clone());
        Ok(v)
    }

    async fn coordinators(&mut self, conn: &mut Conn, area: &str) -> store::Result<Vec<UserId>> {
        if let Some(c) = self.coordinators.get(area) {
            return Ok(c.clone());
        }
        let c = match RegionCode::parse(area) {
            Ok(code) => coordinators::covering(conn, &code).await?,
            Err(_) => Vec::new(),
        };
        self.coordinators.insert(area.to_owned(), c.clone());
        Ok(c)
    }

    async fn sponsor_name(&mut self, conn: &mut Conn, user: UserId) -> store::Result<String> {
        if let Some(n) = self.sponsor_names.get(&user) {
            return Ok(n.clone());
        }
        let n = sponsors::name(conn, user).await?;
        self.sponsor_names.insert(user, n.clone());
        Ok(n)
    }

    /// A package's name and its items on one line.
    async fn package(&mut self, conn: &mut Conn, id: i64) -> store::Result<(String, String)> {
        if let Some(p) = self.packages.get(&id) {
            return Ok(p.clone());
        }
        let p = plans::package(conn, id)
            .await?
            .map(|p| (p.name, crate::domain::package::summary(&p.items)))
            .unwrap_or_default();
        self.packages.insert(id, p.clone());
        Ok(p)
    }

    /// Who gets a step: the sponsor always hears the deliverer's steps (they pay for the package) and the
    /// area's volunteers too when they hand it over; the volunteer step escalates to them when the sponsor
    /// delivers; the coordinator step goes to the coordinators of the area. `true`: with the sponsor's buttons.
    async fn recipients(
        &mut self,
        conn: &mut Conn,
        r: &DueReminder,
        audience: Audience,
    ) -> store::Result<Vec<(UserId, bool)>> {
        let d = &r.delivery;
        Ok(match audience {
            Audience::Deliverer => {
                let mut to = vec![(d.sponsor, true)];
                if d.deliverer == Deliverer::Volunteer {
                    to.extend(
                        self.volunteers(conn, r)
                            .await?
                            .into_iter()
                            .map(|v| (v, false)),
                    );
                }
                to
            }
            Audience::Volunteer if d.deliverer == Deliverer::Sponsor => self
                .volunteers(conn, r)
                .await?
                .into_iter()
                .map(|v| (v, false))
                .collect(),
            Audience::Volunteer => Vec::new(),
            Audience::Coordinator => self
                .coordinators(conn, &r.kecamatan)
                .await?
                .into_iter()
                .map(|c| (c, false))
                .collect(),
        })
    }
}

fn buttons(lang: Lang, n: &Notice, labelled: bool) -> Vec<Button> {
    let id = n.due.delivery.id;
    let name = first_name(&n.due.child_name);
    let day = n.due.delivery.due_on.format("%d/%m");
    let mut row = vec![Button::new(
        if labelled {
            t(lang, "button-delivered")
        } else {
            format!("✅ {name} {day}")
        },
        Callback::Delivered(id).encode(),
    )];
    if n.as_sponsor {
        row.push(Button::new(
            t(
                lang,
                if labelled {
                    "button-reschedule"
                } else {
                    "button-reschedule-short"
                },
            ),
            Callback::Reschedule(id).encode(),
        ));
        row.push(Button::new(
            t(
                lang,
                if labelled {
                    "button-skip"
                } else {
                    "button-skip-short"
                },
            ),
            Callback::Skip(id).encode(),
        ));
    }
    row
}

/// A coordinator's buttons under a late delivery: open the child, remind the sponsor now, move the child
/// to another sponsor.
fn coordinator_buttons(lang: Lang, n: &Notice) -> Vec<Button> {
    let d = &n.due.delivery;
    vec![
        Button::new(
            format!(
                "🧒 {} {}",
                first_name(&n.due.child_name),
                d.due_on.format("%d/%m")
            ),
            Callback::ChildCard(d.child).encode(),
        ),
        Button::new(t(lang, "button-remind"), Callback::RemindNow(d.id).encode()),
        Button::new(
            t(lang, "button-reassign"),
            Callback::Reassign(d.child).encode(),
        ),
    ]
}

/// The buttons of one delivery in a message to `n`'s audience.
fn row_for(lang: Lang, n: &Notice, labelled: bool) -> Vec<Button> {
    if n.step.audience == Audience::Coordinator {
        coordinator_buttons(lang, n)
    } else {
        buttons(lang, n, labelled)
    }
}

/// One message for one person: the full reminder when there is one delivery, else a list.
async fn render(
    conn: &mut Conn,
    people: &mut People,
    lang: Lang,
    to: UserId,
    notices: &[Notice],
) -> store::Result<Outbound> {
    if let [n] = notices {
        let text = single(conn, people, lang, n).await?;
        let keyboard = Keyboard::inline(vec![row_for(lang, n, true)]);
        return Ok(Outbound::Message {
            chat_id: to.0,
            text,
            keyboard,
        });
    }
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for (i, n) in notices.iter().enumerate() {
        if i == LISTED {
            lines.push(tf(
                lang,
                "list-more",
                &[("count", Arg::Num((notices.len() - LISTED) as i64))],
            ));
            break;
        }
        lines.push(line(conn, people, lang, n).await?);
        rows.push(row_for(lang, n, false));
    }
    // A coordinator delivers nothing: their list says whose deliveries are late in their area.
    let coordinating = notices
        .iter()
        .all(|n| n.step.audience == Audience::Coordinator);
    let text = tf(
        lang,
        if coordinating {
            "reminders-collapsed-coordinator"
        } else {
            "reminders-collapsed"
        },
        &[
            ("count", Arg::Num(notices.len() as i64)),
            ("lines", Arg::Html(&lines.join("\n"))),
        ],
    );
    Ok(Outbound::Message {
        chat_id: to.0,
        text,
        keyboard: if rows.is_empty() {
            Keyboard::None
        } else {
            Keyboard::inline(rows)
        },
    })
}

fn days_late(n: &Notice) -> i64 {
    (n.today - n.due.delivery.due_on).num_days()
}

async fn single(
    conn: &mut Conn,
    people: &mut People,
    lang: Lang,
    n: &Notice,
) -> store::Result<String> {
    let d = &n.due.delivery;
    let (package, items) = people.package(conn, d.package).await?;
    let date = date_label(lang, d.due_on);
    let days = days_late(n);
    let child = first_name(&n.due.child_name).to_owned();
    Ok(match n.step.audience {
        Audience::Deliverer => {
            let key = if days < 0 {
                "reminder-before"
            } else if days == 0 {
                "reminder-today"
            } else {
                "reminder-overdue"
            };
            tf(
                lang,
                key,
                &[
                    ("child", Arg::Text(&child)),
                    ("date", Arg::Text(&date)),
                    ("days", Arg::Num(days.abs())),
                    ("package", Arg::Text(&package)),
                    ("items", Arg::Text(&items)),
                ],
            )
        }
        Audience::Volunteer => {
            let sponsor = people.sponsor_name(conn, d.sponsor).await?;
            tf(
                lang,
                "reminder-escalate-volunteer",
                &[
                    ("child", Arg::Text(&child)),
                    ("date", Arg::Text(&date)),
                    ("days", Arg::Num(days)),
                    ("sponsor", Arg::Text(&sponsor)),
                    ("package", Arg::Text(&package)),
                ],
            )
        }
        Audience::Coordinator => {
            let sponsor = people.sponsor_name(conn, d.sponsor).await?;
            tf(
                lang,
                "reminder-escalate-coordinator",
                &[
                    ("child", Arg::Text(&n.due.child_name)),
                    ("id", Arg::Num(d.child.0)),
                    ("date", Arg::Text(&date)),
                    ("days", Arg::Num(days)),
                    ("sponsor", Arg::Text(&sponsor)),
                    ("sponsor_id", Arg::Num(d.sponsor.0)),
                ],
            )
        }
    })
}

async fn line(
    conn: &mut Conn,
    people: &mut People,
    lang: Lang,
    n: &Notice,
) -> store::Result<String> {
    let d = &n.due.delivery;
    let date = date_label(lang, d.due_on);
    let days = days_late(n);
    let child = if n.step.audience == Audience::Coordinator {
        n.due.child_name.clone()
    } else {
        first_name(&n.due.child_name).to_owned()
    };
    let sponsor = if n.step.audience == Audience::Deliverer && n.as_sponsor {
        String::new()
    } else {
        format!(" · {}", people.sponsor_name(conn, d.sponsor).await?)
    };
    let state = if days < 0 {
        tf(lang, "reminder-state-before", &[("days", Arg::Num(-days))])
    } else if days == 0 {
        t(lang, "reminder-state-today")
    } else {
        tf(lang, "reminder-state-late", &[("days", Arg::Num(days))])
    };
    Ok(tf(
        lang,
        "reminders-line",
        &[
            ("child", Arg::Text(&child)),
            ("date", Arg::Text(&date)),
            ("state", Arg::Text(&state)),
            ("sponsor", Arg::Text(&sponsor)),
        ],
    ))
}
