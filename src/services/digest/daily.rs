//! The coordinators' daily digest: its contents for an area, read as of a moment, rendered in the
//! coordinator's language with long lists shortened behind "show all" buttons, and each whole list.

use super::{Settings, area_name, midnight, num, on_time_text, tally, z, zone};
use crate::callback::{Callback, DigestButton};
use crate::domain::Lang;
use crate::domain::digest::{
    self, MESSAGE_LIMIT, Overdue, OverdueGroup, Section, UNMEASURED_AFTER_DAYS, overdue_by_office,
    overdue_by_sponsor, percent,
};
use crate::domain::doctor::Finding;
use crate::domain::progress::{self, Trend, z_text};
use crate::domain::region::local_time;
use crate::domain::report::{Counts, Timeliness, standing};
use crate::domain::role::Scope;
use crate::i18n::{Arg, date_label, t, tf};
use crate::outbound::{Button, Keyboard};
use crate::services::confirmations::problem_label;
use crate::services::deliveries::Zones;
use crate::services::doctor;
use crate::store::digest::{
    self as queries, Confirmed, Coverage, Due, Flag, GrowthChange, OpenCase, Unmeasured,
    Unreachable, Waiting,
};
use crate::store::{self, Area, Conn};
use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// A digest's contents for one area at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub area: String,
    /// What the programme's self-check finds broken in the area (`services::doctor`).
    pub attention: Vec<Finding>,
    pub today: NaiveDate,
    /// Where "since the last digest" starts; a "show all" button reads its list from here too.
    pub since: DateTime<Utc>,
    pub due: Vec<Due>,
    pub overdue: Vec<Overdue>,
    pub confirmed: Vec<Confirmed>,
    /// The zone of each kecamatan the digest tells a time of (`services::deliveries::zone_of`): a time is
    /// read where the child lives, whatever the coordinator's zone.
    pub zones: HashMap<String, Tz>,
    pub flags: Vec<Flag>,
    pub cases: Vec<OpenCase>,
    /// Open cases opened since the last digest.
    pub new_cases: usize,
    pub waiting_total: u64,
    pub waiting: Vec<Waiting>,
    /// Children whose height-for-age fell by [`progress::CHANGE_THRESHOLD`] or more, the largest drop first.
    pub haz_worse: Vec<GrowthChange>,
    /// Children who left stunting, the largest gain first.
    pub left_stunting: Vec<GrowthChange>,
    /// Active children not measured for [`UNMEASURED_AFTER_DAYS`] (all counted, the first listed).
    pub unmeasured_total: u64,
    pub unmeasured: Vec<Unmeasured>,
    pub unreachable: Vec<Unreachable>,
    pub coverage: Coverage,
    /// How the area's deliveries of the last 30 days (today's included) stand: the on-time share is of
    /// those decided, so a delivery due today is not late before its day has ended.
    pub on_time: Counts,
}

impl Digest {
    /// Nothing on any list: the digest is one line.
    pub fn is_empty(&self) -> bool {
        !Section::ALL.into_iter().any(|section| self.has(section))
    }

    /// Whether a list has anything to show (the waiting and the unmeasured children by their count, which
    /// may be more than are listed). No wildcard: a new section must say when it shows.
    fn has(&self, section: Section) -> bool {
        match section {
            Section::Attention => !self.attention.is_empty(),
            Section::Due => !self.due.is_empty(),
            Section::OverdueBySponsor | Section::OverdueByOffice => !self.overdue.is_empty(),
            Section::Confirmed => !self.confirmed.is_empty(),
            Section::Flags => !self.flags.is_empty(),
            Section::Cases => !self.cases.is_empty(),
            Section::HazWorse => !self.haz_worse.is_empty(),
            Section::LeftStunting => !self.left_stunting.is_empty(),
            Section::Unsponsored => self.waiting_total > 0,
            Section::Unmeasured => self.unmeasured_total > 0,
            Section::Unreachable => !self.unreachable.is_empty(),
        }
    }
}

/// Reads the digest of `scope` as of `now`, counting confirmations, flags and measurements recorded since
/// `since`; at most `limit` children waiting for a sponsor, and as many not measured, are listed (all are
/// counted).
pub async fn build(
    conn: &mut Conn,
    scope: &Scope,
    lang: Lang,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    settings: &Settings,
    limit: usize,
) -> store::Result<Digest> {
    let tz = zone(conn, scope, settings.default_zone).await?;
    let area = Area::from(scope);
    let today = now.with_timezone(&tz).date_naive();
    let day_start = midnight(today, tz);
    let overdue_from = day_start - Duration::days(i64::from(settings.missed_after_days) + 2);
    let due = queries::due_today(conn, &area, today, day_start).await?;
    // Overdue is what the one function says: not missed yet, and its day has ended.
    let overdue = queries::open_since(conn, &area, overdue_from, now)
        .await?
        .into_iter()
        .filter(|o| {
            standing(o.status, o.due_at, None, now, settings.missed_after()) == Timeliness::Overdue
        })
        .map(|o| o.delivery)
        .collect();
    let confirmed = queries::confirmed(conn, &area, since, now).await?;
    let mut zones = Zones::new(settings.default_zone);
    let mut confirmed_zones = HashMap::new();
    for c in &confirmed {
        let zone = zones.of(conn, &c.kecamatan).await?;
        confirmed_zones.insert(c.kecamatan.clone(), zone);
    }
    let flags = queries::flags(conn, &area, since, now).await?;
    let cases = queries::open_cases(conn, &area).await?;
    let new_cases = cases.iter().filter(|c| c.opened_at >= since).count();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let (waiting_total, waiting) = queries::waiting(conn, &area, limit).await?;
    let changes = queries::growth_changes(conn, &area, since, now).await?;
    let (haz_worse, left_stunting) = growth_lists(changes);
    let measured_since = today - Days::new(u64::from(UNMEASURED_AFTER_DAYS));
    let (unmeasured_total, unmeasured) =
        queries::unmeasured(conn, &area, measured_since, limit).await?;
    let unreachable = queries::unreachable(conn, &area).await?;
    let coverage = queries::coverage(conn, &area).await?;
    let attention = doctor::findings(conn, scope, settings.case_days, now).await?;
    let window_from = today - Days::new(29);
    let facts = queries::due_facts_between(
        conn,
        &area,
        (window_from, today),
        (midnight(window_from, tz), day_start + Duration::days(1)),
    )
    .await?;
    let on_time = tally(&facts, now, settings);
    Ok(Digest {
        area: area_name(conn, scope, lang).await?,
        attention,
        today,
        since,
        due,
        overdue,
        confirmed,
        zones: confirmed_zones,
        flags,
        cases,
        new_cases,
        waiting_total,
        waiting,
        haz_worse,
        left_stunting,
        unmeasured_total,
        unmeasured,
        unreachable,
        coverage,
        on_time,
    })
}

fn change(c: &GrowthChange) -> i64 {
    c.haz_milli - c.previous_haz_milli
}

/// The changes that are news, by `domain::progress`: worse (the largest drop first) and out of stunting
/// (the largest gain first). A child out of stunting is good news even when the step was small.
fn growth_lists(changes: Vec<GrowthChange>) -> (Vec<GrowthChange>, Vec<GrowthChange>) {
    let mut worse = Vec::new();
    let mut left = Vec::new();
    for c in changes {
        let (before, after) = (z(c.previous_haz_milli), z(c.haz_milli));
        if progress::left_stunting(before, after) {
            left.push(c);
        } else if progress::trend(before, after) == Trend::Worsened {
            worse.push(c);
        }
    }
    worse.sort_by(|a, b| {
        change(a)
            .cmp(&change(b))
            .then(a.name.cmp(&b.name))
            .then(a.child.cmp(&b.child))
    });
    left.sort_by(|a, b| {
        change(b)
            .cmp(&change(a))
            .then(a.name.cmp(&b.name))
            .then(a.child.cmp(&b.child))
    });
    (worse, left)
}

/// "Bende, Kadia", or the kecamatan alone for a child without a village.
fn place(village: Option<&str>, kecamatan: &str) -> String {
    match village {
        Some(v) => format!("{v}, {kecamatan}"),
        None => kecamatan.to_owned(),
    }
}

/// A date as the digest writes it: "24-11-2026".
fn day(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// A time as the coordinator reads it, in the zone of the region concerned and named: "24-11 14:05 WITA".
fn short_time(at: DateTime<Utc>, tz: Tz) -> String {
    local_time(at, tz, "%d-%m %H:%M")
}

fn days_since(at: DateTime<Utc>, today: NaiveDate, tz: Tz) -> i64 {
    (today - at.with_timezone(&tz).date_naive())
        .num_days()
        .max(0)
}

/// The lines of one list of the digest, all of them.
fn lines(lang: Lang, d: &Digest, section: Section, tz: Tz) -> Vec<String> {
    let office_suffix = |office: &Option<String>| {
        office
            .as_deref()
            .map(|o| tf(lang, "digest-office-suffix", &[("office", Arg::Text(o))]))
            .unwrap_or_default()
    };
    let group_name = |g: &OverdueGroup| {
        g.name
            .clone()
            .unwrap_or_else(|| t(lang, "digest-community"))
    };
    match section {
        Section::Attention => d.attention.iter().map(|f| doctor::line(lang, f)).collect(),
        Section::Due => d
            .due
            .iter()
            .map(|x| {
                let sponsor = x.sponsor.as_deref().unwrap_or("—");
                let key = match (x.confirmed, x.by_volunteer) {
                    (true, _) => "digest-due-line-done",
                    (false, true) => "digest-due-line-volunteer",
                    (false, false) => "digest-due-line",
                };
                let office = office_suffix(&x.office);
                tf(
                    lang,
                    key,
                    &[
                        ("child", Arg::Text(&x.child)),
                        ("sponsor", Arg::Text(sponsor)),
                        ("office", Arg::Html(&office)),
                    ],
                )
            })
            .collect(),
        Section::OverdueBySponsor => overdue_by_sponsor(&d.overdue, d.today)
            .iter()
            .map(|g| {
                let office = office_suffix(&g.office);
                tf(
                    lang,
                    "digest-overdue-sponsor",
                    &[
                        ("name", Arg::Text(&group_name(g))),
                        ("office", Arg::Html(&office)),
                        ("count", num(g.deliveries)),
                        ("days", Arg::Num(g.oldest_days)),
                    ],
                )
            })
            .collect(),
        Section::OverdueByOffice => overdue_by_office(&d.overdue, d.today)
            .iter()
            .map(|g| {
                tf(
                    lang,
                    "digest-overdue-office",
                    &[
                        ("office", Arg::Text(&group_name(g))),
                        ("count", num(g.deliveries)),
                        ("sponsors", num(g.sponsors)),
                        ("days", Arg::Num(g.oldest_days)),
                    ],
                )
            })
            .collect(),
        Section::Confirmed => d
            .confirmed
            .iter()
            .map(|c| {
                tf(
                    lang,
                    if c.partial {
                        "digest-confirmed-line-partial"
                    } else {
                        "digest-confirmed-line"
                    },
                    &[
                        ("child", Arg::Text(&c.child)),
                        ("by", Arg::Text(&c.by)),
                        (
                            "at",
                            Arg::Text(&short_time(
                                c.at,
                                d.zones.get(&c.kecamatan).copied().unwrap_or(tz),
                            )),
                        ),
                        ("delivery", Arg::Num(c.delivery)),
                    ],
                )
            })
            .collect(),
        Section::Flags => d
            .flags
            .iter()
            .map(|f| {
                let flag = tf(
                    lang,
                    &format!("flag-line-{}", f.kind),
                    &[
                        ("other", Arg::Num(f.other_delivery.unwrap_or(0))),
                        ("km", Arg::Num(f.km.unwrap_or(0))),
                        ("days", Arg::Num(f.days.unwrap_or(0))),
                    ],
                );
                tf(
                    lang,
                    "digest-flag-line",
                    &[
                        ("delivery", Arg::Num(f.delivery)),
                        ("child", Arg::Text(&f.child)),
                        ("flag", Arg::Html(&flag)),
                    ],
                )
            })
            .collect(),
        Section::Cases => d
            .cases
            .iter()
            .map(|c| {
                let problem = if c.partial {
                    t(lang, "digest-case-partial")
                } else {
                    let parsed = c
                        .problem
                        .as_deref()
                        .and_then(crate::domain::evidence::Problem::parse);
                    crate::i18n::escape(&problem_label(lang, parsed, c.detail.as_deref()))
                };
                tf(
                    lang,
                    "digest-case-line",
                    &[
                        ("case", Arg::Num(c.id)),
                        ("child", Arg::Text(&c.child)),
                        ("problem", Arg::Html(&problem)),
                        ("days", Arg::Num(days_since(c.opened_at, d.today, tz))),
                    ],
                )
            })
            .collect(),
        Section::Unsponsored => d
            .waiting
            .iter()
            .map(|w| {
                let haz = w
                    .haz_milli
                    .map(|m| z_text(lang, z(m)))
                    .unwrap_or_else(|| "—".into());
                tf(
                    lang,
                    "digest-waiting-line",
                    &[
                        ("child", Arg::Num(w.child)),
                        ("name", Arg::Text(&w.name)),
                        ("kecamatan", Arg::Text(&w.kecamatan)),
                        ("haz", Arg::Text(&haz)),
                        ("days", Arg::Num(days_since(w.since, d.today, tz))),
                    ],
                )
            })
            .collect(),
        Section::HazWorse => d
            .haz_worse
            .iter()
            .map(|c| {
                tf(
                    lang,
                    "digest-haz-worse-line",
                    &[
                        ("name", Arg::Text(&c.name)),
                        (
                            "place",
                            Arg::Text(&place(c.village.as_deref(), &c.kecamatan)),
                        ),
                        ("before", Arg::Text(&z_text(lang, z(c.previous_haz_milli)))),
                        ("after", Arg::Text(&z_text(lang, z(c.haz_milli)))),
                        ("date", Arg::Text(&day(c.measured_on))),
                    ],
                )
            })
            .collect(),
        Section::LeftStunting => d
            .left_stunting
            .iter()
            .map(|c| {
                tf(
                    lang,
                    "digest-left-stunting-line",
                    &[
                        ("name", Arg::Text(&c.name)),
                        ("before", Arg::Text(&z_text(lang, z(c.previous_haz_milli)))),
                        ("after", Arg::Text(&z_text(lang, z(c.haz_milli)))),
                        ("date", Arg::Text(&day(c.measured_on))),
                    ],
                )
            })
            .collect(),
        Section::Unmeasured => d
            .unmeasured
            .iter()
            .map(|u| {
                let place = place(u.village.as_deref(), &u.kecamatan);
                match u.last_measured {
                    Some(last) => tf(
                        lang,
                        "digest-unmeasured-line",
                        &[
                            ("name", Arg::Text(&u.name)),
                            ("place", Arg::Text(&place)),
                            ("date", Arg::Text(&day(last))),
                            ("days", Arg::Num((d.today - last).num_days().max(0))),
                        ],
                    ),
                    None => tf(
                        lang,
                        "digest-unmeasured-line-never",
                        &[
                            ("name", Arg::Text(&u.name)),
                            ("place", Arg::Text(&place)),
                            ("days", Arg::Num(days_since(u.registered, d.today, tz))),
                        ],
                    ),
                }
            })
            .collect(),
        Section::Unreachable => d
            .unreachable
            .iter()
            .map(|u| {
                let office = office_suffix(&u.office);
                tf(
                    lang,
                    "digest-unreachable-line",
                    &[
                        ("name", Arg::Text(&u.name)),
                        ("office", Arg::Html(&office)),
                        (
                            "since",
                            Arg::Text(&date_label(lang, u.since.with_timezone(&tz).date_naive())),
                        ),
                    ],
                )
            })
            .collect(),
    }
}

/// How many items a list has in all (the waiting and the unmeasured children are counted, not all listed);
/// 0 for a list that has all its items in [`lines`]. No wildcard: a new section must say which it is.
fn total(d: &Digest, section: Section) -> usize {
    let n = |v: u64| usize::try_from(v).unwrap_or(usize::MAX);
    match section {
        Section::Unsponsored => n(d.waiting_total),
        Section::Unmeasured => n(d.unmeasured_total),
        Section::Attention
        | Section::Due
        | Section::OverdueBySponsor
        | Section::OverdueByOffice
        | Section::Confirmed
        | Section::Flags
        | Section::Cases
        | Section::HazWorse
        | Section::LeftStunting
        | Section::Unreachable => 0,
    }
}

/// The heading of a list, or `None` when the list is empty and left out. No wildcard: a new section needs
/// its heading.
fn heading(lang: Lang, d: &Digest, section: Section) -> Option<String> {
    if !d.has(section) {
        return None;
    }
    let n = |v: usize| Arg::Num(i64::try_from(v).unwrap_or(i64::MAX));
    Some(match section {
        Section::Attention => tf(lang, "digest-attention", &[("count", n(d.attention.len()))]),
        Section::Due => tf(
            lang,
            "digest-due",
            &[
                ("count", n(d.due.len())),
                ("done", n(d.due.iter().filter(|x| x.confirmed).count())),
            ],
        ),
        Section::OverdueBySponsor => tf(
            lang,
            "digest-overdue-sponsors",
            &[
                ("count", n(d.overdue.len())),
                ("sponsors", n(overdue_by_sponsor(&d.overdue, d.today).len())),
            ],
        ),
        Section::OverdueByOffice => t(lang, "digest-overdue-offices"),
        Section::Confirmed => tf(lang, "digest-confirmed", &[("count", n(d.confirmed.len()))]),
        Section::Flags => tf(lang, "digest-flags", &[("count", n(d.flags.len()))]),
        Section::Cases => tf(
            lang,
            "digest-cases",
            &[("count", n(d.cases.len())), ("new", n(d.new_cases))],
        ),
        Section::Unsponsored => tf(lang, "digest-waiting", &[("count", num(d.waiting_total))]),
        Section::HazWorse => tf(lang, "digest-haz-worse", &[("count", n(d.haz_worse.len()))]),
        Section::LeftStunting => tf(
            lang,
            "digest-left-stunting",
            &[("count", n(d.left_stunting.len()))],
        ),
        Section::Unmeasured => tf(
            lang,
            "digest-unmeasured",
            &[
                ("count", num(d.unmeasured_total)),
                ("days", num(UNMEASURED_AFTER_DAYS)),
            ],
        ),
        Section::Unreachable => tf(
            lang,
            "digest-unreachable",
            &[("count", n(d.unreachable.len()))],
        ),
    })
}

/// The buttons that act on the first `shown` items of a list: the fix of each finding that needs
/// attention. No wildcard: a new section must say whether its items have buttons.
fn fixes(lang: Lang, d: &Digest, section: Section, shown: usize) -> Vec<Button> {
    match section {
        Section::Attention => doctor::buttons(lang, d.attention.iter().take(shown)),
        Section::Due
        | Section::OverdueBySponsor
        | Section::OverdueByOffice
        | Section::Confirmed
        | Section::Flags
        | Section::Cases
        | Section::HazWorse
        | Section::LeftStunting
        | Section::Unsponsored
        | Section::Unmeasured
        | Section::Unreachable => Vec::new(),
    }
}

/// "Show all" for a list of the digest `d`: it carries the digest's "since", so that pressed after the
/// next digest went out it still lists what this one counted.
fn section_button(lang: Lang, d: &Digest, section: Section) -> Button {
    let name = t(lang, &format!("digest-section-{}", section.code()));
    Button::new(
        tf(lang, "digest-show-all", &[("section", Arg::Text(&name))]),
        Callback::Digest(DigestButton::ShowAll(section, Some(d.since))).encode(),
    )
}

/// The digest as messages: the title, each list that has something (at most `settings.lines` items, then
/// "… and N more" with a "show all" button), the coverage line; split between lists, or between lines of a
/// list, to stay within Telegram's limit. The buttons go under the last message.
pub fn render(lang: Lang, d: &Digest, tz: Tz, settings: &Settings) -> Vec<(String, Keyboard)> {
    let date = date_label(lang, d.today);
    if d.is_empty() {
        let text = tf(
            lang,
            "digest-nothing",
            &[("area", Arg::Text(&d.area)), ("date", Arg::Text(&date))],
        );
        return vec![(text, settings_keyboard(lang, Vec::new()))];
    }
    let mut blocks = vec![vec![tf(
        lang,
        "digest-title",
        &[("area", Arg::Text(&d.area)), ("date", Arg::Text(&date))],
    )]];
    let mut shortened = Vec::new();
    let mut buttons = Vec::new();
    for section in Section::ALL {
        let Some(heading) = heading(lang, d, section) else {
            continue;
        };
        let all = lines(lang, d, section, tz);
        let count = all.len().max(total(d, section));
        let shown = all.len().min(settings.lines);
        buttons.extend(fixes(lang, d, section, shown));
        let mut block = vec![heading];
        block.extend(all.into_iter().take(shown));
        // A counted list may hold fewer items than it counts: "more" is what is not shown.
        if count > shown {
            block.push(tf(lang, "digest-more", &[("count", num(count - shown))]));
            shortened.push(section);
        }
        blocks.push(block);
    }
    blocks.push(vec![coverage_line(lang, &d.coverage, &d.on_time)]);
    buttons.extend(shortened.into_iter().map(|s| section_button(lang, d, s)));
    with_buttons(
        digest::pack(&blocks, MESSAGE_LIMIT),
        settings_keyboard(lang, buttons),
    )
}

fn settings_keyboard(lang: Lang, mut buttons: Vec<Button>) -> Keyboard {
    buttons.push(Button::new(
        t(lang, "digest-settings-button"),
        Callback::Digest(DigestButton::Settings).encode(),
    ));
    Keyboard::column(buttons)
}

fn coverage_line(lang: Lang, c: &Coverage, on_time: &Counts) -> String {
    tf(
        lang,
        "digest-coverage",
        &[
            ("sponsored", num(c.sponsored)),
            ("registered", num(c.registered)),
            ("children_pct", num(percent(c.sponsored, c.registered))),
            (
                "on_time",
                Arg::Html(&on_time_text(lang, on_time, "digest-on-time-share")),
            ),
        ],
    )
}

/// One whole list, as messages: its heading, then every item up to `settings.show_all_max` (past that, a
/// line pointing to `/laporan`).
pub fn render_section(
    lang: Lang,
    d: &Digest,
    section: Section,
    tz: Tz,
    settings: &Settings,
) -> Vec<(String, Keyboard)> {
    let Some(heading) = heading(lang, d, section) else {
        let text = tf(
            lang,
            "digest-section-empty",
            &[(
                "section",
                Arg::Text(&t(lang, &format!("digest-section-{}", section.code()))),
            )],
        );
        return vec![(text, Keyboard::None)];
    };
    let all = lines(lang, d, section, tz);
    let count = all.len().max(total(d, section));
    let shown = all.len().min(settings.show_all_max);
    let mut buttons = fixes(lang, d, section, shown);
    buttons.truncate(MOST_BUTTONS);
    let mut block = vec![heading];
    block.extend(all.into_iter().take(shown));
    if count > shown {
        block.push(tf(
            lang,
            "digest-more-in-report",
            &[("count", num(count - shown))],
        ));
    }
    let keyboard = if buttons.is_empty() {
        Keyboard::None
    } else {
        Keyboard::column(buttons)
    };
    with_buttons(digest::pack(&[block], MESSAGE_LIMIT), keyboard)
}

/// Messages with a keyboard under the last one.
fn with_buttons(messages: Vec<String>, keyboard: Keyboard) -> Vec<(String, Keyboard)> {
    let mut messages: Vec<(String, Keyboard)> =
        messages.into_iter().map(|m| (m, Keyboard::None)).collect();
    if let Some(last) = messages.last_mut() {
        last.1 = keyboard;
    }
    messages
}

/// The most buttons a whole list carries (Telegram allows 100 in a keyboard; a phone shows far fewer).
const MOST_BUTTONS: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UserId;
    use chrono::TimeZone;

    /// A whole list's messages, their text only.
    fn section_texts(
        lang: Lang,
        d: &Digest,
        section: Section,
        tz: Tz,
        settings: &Settings,
    ) -> Vec<String> {
        render_section(lang, d, section, tz, settings)
            .into_iter()
            .map(|(text, _)| text)
            .collect()
    }

    fn digest() -> Digest {
        Digest {
            area: "Kota Kendari".into(),
            attention: Vec::new(),
            today: NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
            due: Vec::new(),
            overdue: Vec::new(),
            confirmed: Vec::new(),
            zones: HashMap::new(),
            flags: Vec::new(),
            cases: Vec::new(),
            new_cases: 0,
            waiting_total: 0,
            waiting: Vec::new(),
            haz_worse: Vec::new(),
            left_stunting: Vec::new(),
            unmeasured_total: 0,
            unmeasured: Vec::new(),
            unreachable: Vec::new(),
            coverage: Coverage::default(),
            on_time: Counts::default(),
            since: Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap(),
        }
    }

    fn on(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn change(child: i64, name: &str, before: i64, after: i64) -> GrowthChange {
        GrowthChange {
            child,
            name: name.into(),
            village: Some("Bende".into()),
            kecamatan: "Kadia".into(),
            measured_on: on(11, 20),
            haz_milli: after,
            previous_on: on(8, 12),
            previous_haz_milli: before,
        }
    }

    fn plain_lines(messages: &[(String, Keyboard)]) -> Vec<String> {
        messages
            .iter()
            .flat_map(|(text, _)| text.lines().map(str::to_owned).collect::<Vec<_>>())
            .collect()
    }

    fn labels(keyboard: &Keyboard) -> Vec<String> {
        match keyboard {
            Keyboard::Inline { rows } => rows.iter().flatten().map(|b| b.text.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn nothing_to_report_is_one_line() {
        let messages = render(
            Lang::Id,
            &digest(),
            chrono_tz::Asia::Makassar,
            &Settings::default(),
        );
        assert_eq!(messages.len(), 1);
        let (text, keyboard) = &messages[0];
        assert_eq!(
            text,
            "📋 Ringkasan Kota Kendari, Selasa, 24-11-2026: tidak ada yang perlu dilaporkan."
        );
        assert_eq!(labels(keyboard), ["⚙️ Jadwal ringkasan"]);
    }

    #[test]
    fn a_confirmation_is_told_at_the_time_of_the_childs_region_named() {
        let mut d = digest();
        d.confirmed = vec![Confirmed {
            delivery: 7,
            child: "Muhammad Fathan".into(),
            kecamatan: "74.71.01".into(),
            by: "Wa Ode".into(),
            partial: false,
            at: Utc.with_ymd_and_hms(2026, 11, 24, 4, 33, 0).unwrap(),
        }];
        d.zones.insert("74.71.01".into(), chrono_tz::Asia::Makassar);
        // The coordinator of the whole programme reads WIB; the child lives in WITA.
        let messages = render(Lang::Id, &d, chrono_tz::Asia::Jakarta, &Settings::default());
        let lines = plain_lines(&messages);
        assert!(
            lines
                .iter()
                .any(|l| l == "• Muhammad Fathan — Wa Ode, 24-11 12:33 WITA (#7)"),
            "{lines:#?}"
        );
    }

    #[test]
    fn long_lists_are_shortened_with_a_show_all_button() {
        let mut d = digest();
        let today = d.today;
        d.overdue = (0..12)
            .map(|i| Overdue {
                sponsor_id: i,
                sponsor: format!("Sponsor {i:02}"),
                office: Some(format!("Dinas {}", i % 3)),
                due_on: today - Days::new(1 + u64::try_from(i).unwrap_or(0)),
            })
            .collect();
        let settings = Settings::default();
        let messages = render(Lang::Id, &d, chrono_tz::Asia::Makassar, &settings);
        assert_eq!(messages.len(), 1);
        let (text, keyboard) = &messages[0];
        assert!(
            text.contains("Terlambat: 12 pengiriman dari 12 orang tua asuh"),
            "{text}"
        );
        // The longest overdue first: sponsor 11 is 12 days late.
        let first = text.find("Sponsor 11").expect("listed");
        assert!(first < text.find("Sponsor 10").expect("listed"), "{text}");
        assert!(!text.contains("Sponsor 06"), "only five: {text}");
        assert!(text.contains("… dan 7 lainnya"), "{text}");
        assert!(
            text.contains("Dinas 2 — 4 pengiriman dari 4 orang tua asuh, terlama 12 hari"),
            "{text}"
        );
        assert_eq!(
            labels(keyboard),
            [
                "Lihat semua: terlambat per orang tua asuh",
                "⚙️ Jadwal ringkasan"
            ]
        );
        let all = section_texts(
            Lang::Id,
            &d,
            Section::OverdueBySponsor,
            chrono_tz::Asia::Makassar,
            &settings,
        );
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].matches("\n• ").count(), 12, "{}", all[0]);
        let none = section_texts(
            Lang::En,
            &d,
            Section::Flags,
            chrono_tz::Asia::Makassar,
            &settings,
        );
        assert_eq!(none, ["The list \"flagged evidence\" is empty now."]);
    }

    #[test]
    fn names_are_escaped() {
        let mut d = digest();
        d.unreachable.push(Unreachable {
            user: UserId(1),
            name: "<Budi & Co>".into(),
            office: None,
            since: DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap_or_default(),
        });
        let messages = render(
            Lang::En,
            &d,
            chrono_tz::Asia::Makassar,
            &Settings::default(),
        );
        assert!(
            messages[0].0.contains("&lt;Budi &amp; Co&gt;"),
            "{}",
            messages[0].0
        );
    }

    #[test]
    fn growth_news_is_a_tenth_or_more_down_or_out_of_stunting() {
        let (worse, left) = growth_lists(vec![
            change(1, "Tenth down", -2700, -2800),
            change(2, "Almost a tenth", -2700, -2799),
            change(3, "Big drop", -1500, -2300),
            change(4, "Just out", -2001, -2000),
            change(5, "Better but stunted", -3200, -2600),
            change(6, "Far out", -2600, -1500),
            change(7, "Back in", -1900, -2100),
        ]);
        let names = |v: &[GrowthChange]| v.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&worse), ["Big drop", "Back in", "Tenth down"]);
        assert_eq!(names(&left), ["Far out", "Just out"]);
    }

    #[test]
    fn growth_lists_read_with_real_minus_signs_and_their_show_all_carries_the_window() {
        let mut d = digest();
        d.haz_worse = (0..7)
            .map(|i| change(i, &format!("Anak {i}"), -2300, -2400 - 100 * i))
            .collect();
        d.haz_worse.reverse();
        d.left_stunting = vec![change(20, "Siti Nur'aini", -2400, -1800)];
        let settings = Settings::default();
        let tz = chrono_tz::Asia::Makassar;
        let messages = render(Lang::Id, &d, tz, &settings);
        let lines = plain_lines(&messages);
        let at = |needle: &str| {
            lines
                .iter()
                .position(|l| l.contains(needle))
                .unwrap_or_else(|| panic!("{needle:?} not in {lines:#?}"))
        };
        let heading = at("TB/U memburuk sejak ringkasan terakhir: 7");
        assert_eq!(
            lines[heading + 1],
            "• Anak 6 (Bende, Kadia): −2,3 → −3,0, diukur 20-11-2026"
        );
        assert_eq!(
            lines[heading + 5],
            "• Anak 2 (Bende, Kadia): −2,3 → −2,6, diukur 20-11-2026"
        );
        assert_eq!(lines[heading + 6], "… dan 2 lainnya");
        let left = at("Keluar dari stunting sejak ringkasan terakhir: 1");
        assert_eq!(
            lines[left + 1],
            "• Siti Nur'aini: TB/U −2,4 → −1,8, diukur 20-11-2026"
        );
        // Worse before out of stunting, both after the open problems and before the waiting children.
        assert!(heading < left);
        let (_, keyboard) = messages.last().expect("a message");
        let Keyboard::Inline { rows } = keyboard else {
            panic!("buttons");
        };
        let show_all: Vec<&Button> = rows.iter().flatten().collect();
        assert_eq!(show_all[0].text, "Lihat semua: TB/U memburuk");
        let since = d.since.timestamp();
        assert_eq!(show_all[0].data, format!("dg:all:hw:{since}"));
        assert_eq!(
            Callback::decode(&show_all[0].data),
            Some(Callback::Digest(DigestButton::ShowAll(
                Section::HazWorse,
                Some(d.since)
            )))
        );
        let all = section_texts(Lang::En, &d, Section::HazWorse, tz, &settings);
        assert_eq!(all.len(), 1);
        assert!(
            all[0].starts_with(
                "📉 <b>Height-for-age worse since the last digest: 7</b> (largest drop first)\n\
                 • Anak 6 (Bende, Kadia): −2.3 → −3.0, measured 20-11-2026"
            ),
            "{}",
            all[0]
        );
        assert_eq!(all[0].matches("\n• ").count(), 7, "{}", all[0]);
        let none = section_texts(Lang::Id, &digest(), Section::LeftStunting, tz, &settings);
        assert_eq!(none, ["Daftar keluar dari stunting sekarang kosong."]);
    }

    #[test]
    fn children_not_measured_are_counted_and_the_never_measured_come_first() {
        let mut d = digest();
        let registered = Utc.with_ymd_and_hms(2026, 10, 10, 2, 0, 0).unwrap();
        d.unmeasured_total = 12;
        d.unmeasured = vec![
            Unmeasured {
                child: 3,
                name: "La Ode Muhammad Rafa".into(),
                village: None,
                kecamatan: "Poasia".into(),
                last_measured: None,
                registered,
            },
            Unmeasured {
                child: 1,
                name: "Siti Nur'aini".into(),
                village: Some("Bende".into()),
                kecamatan: "Kadia".into(),
                last_measured: Some(on(8, 12)),
                registered,
            },
        ];
        let tz = chrono_tz::Asia::Makassar;
        let messages = render(Lang::Id, &d, tz, &Settings::default());
        let text = &messages[0].0;
        assert!(
            text.contains(
                "📏 <b>Belum diukur lebih dari 90 hari: 12 anak</b> (terlama dulu)\n\
                 • La Ode Muhammad Rafa (Poasia): belum pernah diukur, terdaftar 45 hari lalu\n\
                 • Siti Nur'aini (Bende, Kadia): terakhir diukur 12-08-2026, 104 hari lalu\n\
                 … dan 10 lainnya"
            ),
            "{text}"
        );
        assert_eq!(
            labels(&messages[0].1),
            ["Lihat semua: belum diukur", "⚙️ Jadwal ringkasan"]
        );
        let en = section_texts(Lang::En, &d, Section::Unmeasured, tz, &Settings::default());
        assert!(
            en[0].contains("Not measured for over 90 days: 12 children")
                && en[0].contains(
                    "• La Ode Muhammad Rafa (Poasia): never measured, registered 45 days ago"
                )
                && en[0].contains("last measured 12-08-2026, 104 days ago"),
            "{}",
            en[0]
        );
        d.unmeasured_total = 1;
        d.unmeasured.truncate(1);
        d.unmeasured[0].registered = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
        let en = section_texts(Lang::En, &d, Section::Unmeasured, tz, &Settings::default());
        assert!(
            en[0].contains("over 90 days: 1 child</b>") && en[0].contains("registered today"),
            "{}",
            en[0]
        );
    }
}
