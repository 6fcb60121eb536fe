//! The coordinator digest: what it says (read per area through `store::digest`), how it reads in each
//! language, the weekly summary with its chart, and the sponsors' monthly note. Rendering here turns data
//! into localized lines; `domain::digest` decides grouping and how lines become messages.

use crate::charts::{self, AreaCoverage, WeekCounts, WeeklyChart, WeeklyLabels};
use crate::domain::digest::{
    self, MESSAGE_LIMIT, Overdue, OverdueGroup, Section, overdue_by_office, overdue_by_sponsor,
    percent,
};
use crate::domain::growth::{Stunting, stunting};
use crate::domain::role::Scope;
use crate::domain::{Lang, UserId, region::parse_zone};
use crate::i18n::{Arg, date_label, t, tf};
use crate::outbound::{Button, Keyboard};
use crate::services::confirmations::problem_label;
use crate::store::digest::{
    self as queries, Confirmed, Coverage, Due, Flag, KecamatanCoverage, OpenCase, Unreachable,
    Waiting, WeekTally,
};
use crate::store::{self, Area, Conn, regions};
use crate::telegram::callback::{Callback, DigestButton};
use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// How digests read and when they look back.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Items shown per list before "… and N more" with a "show all" button (`ASUH_DIGEST_LINES`).
    pub lines: usize,
    /// The most items "show all" sends; past it, the report has the rest.
    pub show_all_max: usize,
    /// The zone of a coordinator whose area has none.
    pub default_zone: Tz,
    /// Deliveries overdue longer than this are missed and no longer listed as overdue.
    pub missed_after_days: u32,
    /// Whether a new coordinator starts with the daily digest and the weekly summary on (`ASUH_DIGESTS`);
    /// off, they turn them on with `/ringkasan`.
    pub on_by_default: bool,
    /// Whether sponsors get their monthly note (`ASUH_SPONSOR_NOTES`).
    pub sponsor_notes: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lines: 5,
            show_all_max: 300,
            default_zone: chrono_tz::Asia::Jakarta,
            missed_after_days: 14,
            on_by_default: true,
            sponsor_notes: true,
        }
    }
}

/// A digest's contents for one area at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub area: String,
    pub today: NaiveDate,
    pub due: Vec<Due>,
    pub overdue: Vec<Overdue>,
    pub confirmed: Vec<Confirmed>,
    pub flags: Vec<Flag>,
    pub cases: Vec<OpenCase>,
    /// Open cases opened since the last digest.
    pub new_cases: usize,
    pub waiting_total: u64,
    pub waiting: Vec<Waiting>,
    pub unreachable: Vec<Unreachable>,
    pub coverage: Coverage,
}

impl Digest {
    /// Nothing on any list: the digest is one line.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
            && self.overdue.is_empty()
            && self.confirmed.is_empty()
            && self.flags.is_empty()
            && self.cases.is_empty()
            && self.waiting_total == 0
            && self.unreachable.is_empty()
    }
}

/// The zone a coordinator of `scope` lives by: their area's, else the programme's.
pub async fn zone(conn: &mut Conn, scope: &Scope, default: Tz) -> store::Result<Tz> {
    Ok(match scope.code() {
        Some(code) => regions::timezone(conn, code)
            .await?
            .as_deref()
            .and_then(parse_zone)
            .unwrap_or(default),
        None => default,
    })
}

/// The area's name as the digest's title says it.
pub async fn area_name(conn: &mut Conn, scope: &Scope, lang: Lang) -> store::Result<String> {
    Ok(match scope.code() {
        Some(code) => regions::name_or_code(conn, code).await?,
        None => t(lang, "digest-whole-programme"),
    })
}

/// Local midnight of `date` in `tz`, in UTC.
fn midnight(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    crate::domain::schedule::local_to_utc(date, NaiveTime::MIN, tz)
}

/// Reads the digest of `scope` as of `now`, counting confirmations and flags since `since`; at most `limit`
/// children waiting for a sponsor are listed (all are counted).
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
    let overdue = queries::overdue(conn, &area, overdue_from).await?;
    let confirmed = queries::confirmed(conn, &area, since, now).await?;
    let flags = queries::flags(conn, &area, since, now).await?;
    let cases = queries::open_cases(conn, &area).await?;
    let new_cases = cases.iter().filter(|c| c.opened_at >= since).count();
    let (waiting_total, waiting) =
        queries::waiting(conn, &area, i64::try_from(limit).unwrap_or(i64::MAX)).await?;
    let unreachable = queries::unreachable(conn, &area).await?;
    let coverage =
        queries::coverage(conn, &area, day_start - Duration::days(30), day_start).await?;
    Ok(Digest {
        area: area_name(conn, scope, lang).await?,
        today,
        due,
        overdue,
        confirmed,
        flags,
        cases,
        new_cases,
        waiting_total,
        waiting,
        unreachable,
        coverage,
    })
}

/// The time as the coordinator reads it: "24-11 14:05".
fn short_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%d-%m %H:%M").to_string()
}

fn days_since(at: DateTime<Utc>, today: NaiveDate, tz: Tz) -> i64 {
    (today - at.with_timezone(&tz).date_naive())
        .num_days()
        .max(0)
}

fn num(n: impl TryInto<i64>) -> Arg<'static> {
    Arg::Num(n.try_into().unwrap_or(i64::MAX))
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
                        ("at", Arg::Text(&short_time(c.at, tz))),
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
                    .map(|z| format!("{:.1}", z as f64 / 1000.0))
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

/// How many items a list has in all (the waiting children are counted, not all listed).
fn total(d: &Digest, section: Section) -> usize {
    match section {
        Section::Unsponsored => usize::try_from(d.waiting_total).unwrap_or(usize::MAX),
        _ => 0,
    }
}

/// The heading of a list, or `None` when the list is empty and left out.
fn heading(lang: Lang, d: &Digest, section: Section) -> Option<String> {
    let n = |v: usize| Arg::Num(i64::try_from(v).unwrap_or(i64::MAX));
    match section {
        Section::Due if !d.due.is_empty() => Some(tf(
            lang,
            "digest-due",
            &[
                ("count", n(d.due.len())),
                ("done", n(d.due.iter().filter(|x| x.confirmed).count())),
            ],
        )),
        Section::OverdueBySponsor if !d.overdue.is_empty() => Some(tf(
            lang,
            "digest-overdue-sponsors",
            &[
                ("count", n(d.overdue.len())),
                ("sponsors", n(overdue_by_sponsor(&d.overdue, d.today).len())),
            ],
        )),
        Section::OverdueByOffice if !d.overdue.is_empty() => {
            Some(t(lang, "digest-overdue-offices"))
        }
        Section::Confirmed if !d.confirmed.is_empty() => Some(tf(
            lang,
            "digest-confirmed",
            &[("count", n(d.confirmed.len()))],
        )),
        Section::Flags if !d.flags.is_empty() => {
            Some(tf(lang, "digest-flags", &[("count", n(d.flags.len()))]))
        }
        Section::Cases if !d.cases.is_empty() => Some(tf(
            lang,
            "digest-cases",
            &[("count", n(d.cases.len())), ("new", n(d.new_cases))],
        )),
        Section::Unsponsored if d.waiting_total > 0 => Some(tf(
            lang,
            "digest-waiting",
            &[("count", num(d.waiting_total))],
        )),
        Section::Unreachable if !d.unreachable.is_empty() => Some(tf(
            lang,
            "digest-unreachable",
            &[("count", n(d.unreachable.len()))],
        )),
        _ => None,
    }
}

fn section_button(lang: Lang, section: Section) -> Button {
    let name = t(lang, &format!("digest-section-{}", section.code()));
    Button::new(
        tf(lang, "digest-show-all", &[("section", Arg::Text(&name))]),
        Callback::Digest(DigestButton::ShowAll(section)).encode(),
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
    for section in Section::ALL {
        let Some(heading) = heading(lang, d, section) else {
            continue;
        };
        let all = lines(lang, d, section, tz);
        let count = all.len().max(total(d, section));
        let mut block = vec![heading];
        block.extend(all.into_iter().take(settings.lines));
        if count > settings.lines {
            block.push(tf(
                lang,
                "digest-more",
                &[("count", num(count - settings.lines))],
            ));
            shortened.push(section);
        }
        blocks.push(block);
    }
    blocks.push(vec![coverage_line(lang, &d.coverage)]);
    let messages = digest::pack(&blocks, MESSAGE_LIMIT);
    let last = messages.len().saturating_sub(1);
    let buttons: Vec<Button> = shortened
        .into_iter()
        .map(|s| section_button(lang, s))
        .collect();
    let mut buttons = Some(buttons);
    messages
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let keyboard = if i == last {
                settings_keyboard(lang, buttons.take().unwrap_or_default())
            } else {
                Keyboard::None
            };
            (text, keyboard)
        })
        .collect()
}

fn settings_keyboard(lang: Lang, mut buttons: Vec<Button>) -> Keyboard {
    buttons.push(Button::new(
        t(lang, "digest-settings-button"),
        Callback::Digest(DigestButton::Settings).encode(),
    ));
    Keyboard::column(buttons)
}

fn coverage_line(lang: Lang, c: &Coverage) -> String {
    tf(
        lang,
        "digest-coverage",
        &[
            ("sponsored", num(c.sponsored)),
            ("registered", num(c.registered)),
            ("children_pct", num(percent(c.sponsored, c.registered))),
            ("on_time", num(c.on_time)),
            ("due", num(c.due)),
            ("on_time_pct", num(percent(c.on_time, c.due))),
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
) -> Vec<String> {
    let Some(heading) = heading(lang, d, section) else {
        return vec![tf(
            lang,
            "digest-section-empty",
            &[(
                "section",
                Arg::Text(&t(lang, &format!("digest-section-{}", section.code()))),
            )],
        )];
    };
    let all = lines(lang, d, section, tz);
    let count = all.len().max(total(d, section));
    let mut block = vec![heading];
    block.extend(all.into_iter().take(settings.show_all_max));
    if count > settings.show_all_max {
        block.push(tf(
            lang,
            "digest-more-in-report",
            &[("count", num(count - settings.show_all_max))],
        ));
    }
    digest::pack(&[block], MESSAGE_LIMIT)
}

/// The weekly summary's contents: the last 12 complete weeks and coverage per kecamatan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    pub area: String,
    /// Monday of each week, oldest first, with its tally.
    pub weeks: Vec<(NaiveDate, WeekTally)>,
    pub kecamatan: Vec<KecamatanCoverage>,
    pub coverage: Coverage,
}

pub const WEEKS: usize = 12;

/// Reads the weekly summary of `scope` as of `now`: the 12 weeks (Monday to Sunday, in the coordinator's
/// zone) before the current one.
pub async fn build_weekly(
    conn: &mut Conn,
    scope: &Scope,
    lang: Lang,
    now: DateTime<Utc>,
    settings: &Settings,
) -> store::Result<Weekly> {
    let tz = zone(conn, scope, settings.default_zone).await?;
    let area = Area::from(scope);
    let today = now.with_timezone(&tz).date_naive();
    let this_monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let first = this_monday - Days::new(7 * WEEKS as u64);
    let tallies = queries::weeks(conn, &area, midnight(first, tz), WEEKS).await?;
    let weeks = tallies
        .into_iter()
        .enumerate()
        .map(|(i, tally)| (first + Days::new(7 * i as u64), tally))
        .collect();
    let kecamatan = queries::coverage_by_kecamatan(conn, &area).await?;
    let day_start = midnight(today, tz);
    let coverage =
        queries::coverage(conn, &area, day_start - Duration::days(30), day_start).await?;
    Ok(Weekly {
        area: area_name(conn, scope, lang).await?,
        weeks,
        kecamatan,
        coverage,
    })
}

/// The weekly chart: deliveries per week, and coverage per kecamatan, the lowest first (at most
/// [`charts::MAX_COVERAGE_BARS`], with a footnote saying how many there are).
pub fn weekly_chart(lang: Lang, w: &Weekly) -> Result<Vec<u8>, charts::ChartError> {
    let mut kecamatan = w.kecamatan.clone();
    kecamatan.sort_by(|a, b| {
        percent(a.sponsored, a.registered)
            .cmp(&percent(b.sponsored, b.registered))
            .then(a.name.cmp(&b.name))
    });
    let footnote = (kecamatan.len() > charts::MAX_COVERAGE_BARS).then(|| {
        tf(
            lang,
            "chart-footnote",
            &[
                ("shown", num(charts::MAX_COVERAGE_BARS)),
                ("count", num(kecamatan.len())),
            ],
        )
    });
    let u32_of = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let chart = WeeklyChart {
        labels: WeeklyLabels {
            title: plain(&weekly_title(lang, w)),
            weeks_title: plain(&t(lang, "chart-weeks-title")),
            on_time: plain(&t(lang, "chart-on-time")),
            late: plain(&t(lang, "chart-late")),
            missed: plain(&t(lang, "chart-missed")),
            coverage_title: plain(&t(lang, "chart-coverage-title")),
            footnote: footnote.map(|f| plain(&f)),
            empty: plain(&t(lang, "chart-empty")),
        },
        weeks: w
            .weeks
            .iter()
            .map(|(monday, tally)| WeekCounts {
                label: monday.format("%d/%m").to_string(),
                on_time: u32_of(tally.on_time),
                late: u32_of(tally.late),
                missed: u32_of(tally.missed),
            })
            .collect(),
        coverage: kecamatan
            .into_iter()
            .take(charts::MAX_COVERAGE_BARS)
            .map(|k| AreaCoverage {
                name: k.name,
                sponsored: u32_of(k.sponsored),
                registered: u32_of(k.registered),
            })
            .collect(),
    };
    charts::weekly_png(&chart)
}

/// Locale texts are written for Telegram's HTML; a chart draws them as they read.
fn plain(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn weekly_title(lang: Lang, w: &Weekly) -> String {
    let (from, to) = match (w.weeks.first(), w.weeks.last()) {
        (Some((first, _)), Some((last, _))) => (*first, *last + Days::new(6)),
        _ => return w.area.clone(),
    };
    tf(
        lang,
        "chart-title",
        &[
            ("area", Arg::Text(&w.area)),
            ("from", Arg::Text(&from.format("%d-%m-%Y").to_string())),
            ("to", Arg::Text(&to.format("%d-%m-%Y").to_string())),
        ],
    )
}

/// The weekly summary's caption (under Telegram's 1,024 for a photo): last week, the 12 weeks, coverage.
pub fn weekly_caption(lang: Lang, w: &Weekly) -> String {
    let last = w.weeks.last().map(|(_, t)| *t).unwrap_or_default();
    let sum = w
        .weeks
        .iter()
        .fold(WeekTally::default(), |acc, (_, t)| WeekTally {
            on_time: acc.on_time + t.on_time,
            late: acc.late + t.late,
            missed: acc.missed + t.missed,
        });
    let due = |t: &WeekTally| t.on_time + t.late + t.missed;
    tf(
        lang,
        "digest-weekly",
        &[
            ("area", Arg::Text(&w.area)),
            ("due", num(due(&last))),
            ("on_time", num(last.on_time)),
            ("late", num(last.late)),
            ("missed", num(last.missed)),
            ("weeks", num(WEEKS)),
            ("weeks_pct", num(percent(sum.on_time, due(&sum)))),
            ("sponsored", num(w.coverage.sponsored)),
            ("registered", num(w.coverage.registered)),
            (
                "children_pct",
                num(percent(w.coverage.sponsored, w.coverage.registered)),
            ),
        ],
    )
}

/// A sponsor's note about the month `[from, to]`: their deliveries by how they went, and each child they
/// sponsor now with the latest height-for-age and last delivery.
pub async fn monthly_note(
    conn: &mut Conn,
    sponsor: UserId,
    lang: Lang,
    from: NaiveDate,
    to: NaiveDate,
) -> store::Result<String> {
    let (record, skipped) = queries::sponsor_record(conn, sponsor, from, to).await?;
    let children = queries::sponsored_children(conn, sponsor).await?;
    let month = format!(
        "{} {}",
        t(lang, &format!("month-{}", from.month())),
        from.year()
    );
    let mut lines = vec![tf(lang, "note-title", &[("month", Arg::Text(&month))])];
    let due = record.on_time + record.late + record.missed;
    lines.push(if due == 0 {
        t(lang, "note-no-deliveries")
    } else {
        tf(
            lang,
            "note-deliveries",
            &[
                ("due", num(due)),
                ("on_time", num(record.on_time)),
                ("late", num(record.late)),
                ("missed", num(record.missed)),
                ("skipped", num(skipped)),
            ],
        )
    });
    if !children.is_empty() {
        lines.push(t(lang, "note-children"));
    }
    for child in &children {
        let status = match child.haz_milli.map(|z| stunting(z as f64 / 1000.0)) {
            Some(Stunting::Severe) => "child-status-severe",
            Some(Stunting::Stunted) => "child-status-stunted",
            Some(Stunting::Normal) => "child-status-normal",
            None => "child-status-unmeasured",
        };
        let haz = child
            .haz_milli
            .map(|z| format!("{:.1}", z as f64 / 1000.0))
            .unwrap_or_else(|| "—".into());
        let measured = child
            .measured_on
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_else(|| "—".into());
        let delivered = child
            .last_delivery
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_else(|| "—".into());
        lines.push(tf(
            lang,
            "note-child",
            &[
                ("name", Arg::Text(&child.name)),
                ("status", Arg::Text(&t(lang, status))),
                ("haz", Arg::Text(&haz)),
                ("measured", Arg::Text(&measured)),
                ("delivered", Arg::Text(&delivered)),
            ],
        ));
    }
    lines.push(t(lang, "note-thanks"));
    // A sponsor has at most 20 children: a few lines each, far within one message.
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest() -> Digest {
        Digest {
            area: "Kota Kendari".into(),
            today: NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
            due: Vec::new(),
            overdue: Vec::new(),
            confirmed: Vec::new(),
            flags: Vec::new(),
            cases: Vec::new(),
            new_cases: 0,
            waiting_total: 0,
            waiting: Vec::new(),
            unreachable: Vec::new(),
            coverage: Coverage::default(),
        }
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
        let all = render_section(
            Lang::Id,
            &d,
            Section::OverdueBySponsor,
            chrono_tz::Asia::Makassar,
            &settings,
        );
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].matches("\n• ").count(), 12, "{}", all[0]);
        let none = render_section(
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
}
