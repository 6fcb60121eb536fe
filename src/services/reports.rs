//! Building a report of an area and period from the database (reads only: no write transaction, so it
//! never holds SQLite's one writer), and its per-office table as a chat message within Telegram's limit.

use crate::domain::policy::{self, Action, Actor, Denied};
use crate::domain::report::{
    ChildRef, ConfirmationRef, Counts, DeliveryRow, OfficeRef, OfficeRow, Period, PhotoRef,
    PuskesmasRow, Report, SponsorRef, SponsorshipRow, standing,
};
use crate::domain::role::{Role, Scope};
use crate::domain::{Lang, OfficeId, RegionCode};
use crate::i18n::{Arg, escape, t, tf};
use crate::services::deliveries::Zones;
use crate::store::confirmations::ConfirmedAs;
use crate::store::reports::{self as store, ChildData, DeliveryData};
use crate::store::{self as stores, Area, Conn, Db, StoreError, audit, from_millis, regions};
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Telegram's limit on a message's text, counted in UTF-16 units of the HTML source (never less than what
/// Telegram counts once the markup is parsed).
pub const MESSAGE_LIMIT: usize = 4096;

/// The longest office name in the chat table; the files have them whole.
const NAME_WIDTH: usize = 18;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The report of `scope` (the whole programme, or one region and what lies inside it) for `period`: the
/// deliveries whose local date falls in it (cancelled ones left out) with their confirmation, the
/// sponsorships active at some time in it, and the per-office table. Times are shown in each child's
/// region's zone (`default_zone` where no region up the tree has one); each delivery stands as
/// `domain::report::standing` says at `now` (`missed_after`: `ASUH_MISSED_AFTER_DAYS`).
pub async fn build(
    db: &Db,
    scope: &Scope,
    period: Period,
    default_zone: Tz,
    now: DateTime<Utc>,
    missed_after: Duration,
) -> Result<Report, ReportError> {
    build_with(
        db,
        scope,
        period,
        default_zone,
        now,
        missed_after,
        Detail::Full,
    )
    .await
}

/// How much of each delivery a report reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every confirmation with its photos (the report's files).
    Full,
    /// The facts each delivery's standing is decided by, and no confirmations: the same rows, tables and
    /// figures (the dashboard), read faster.
    Figures,
}

/// [`build`], reading as much of each delivery as `detail` says. The tallies are the same either way.
pub async fn build_with(
    db: &Db,
    scope: &Scope,
    period: Period,
    default_zone: Tz,
    now: DateTime<Utc>,
    missed_after: Duration,
    detail: Detail,
) -> Result<Report, ReportError> {
    let mut conn = db.conn().await?;
    let conn: &mut Conn = &mut conn;
    let area = Area::from(scope);
    let region_name = match scope.code() {
        Some(code) => regions::get(conn, code).await?.map(|r| r.name),
        None => None,
    };
    let region_names: HashMap<String, String> =
        store::regions(conn, &area).await?.into_iter().collect();
    let mut zones = Zones::new(default_zone);
    let mut refs = Refs::default();
    for (id, name) in store::offices(conn).await? {
        refs.offices.insert(
            id,
            Arc::new(OfficeRef {
                id: OfficeId(id),
                name,
            }),
        );
    }
    let (packages, cadences) = store::plan_names(conn).await?;
    let packages: HashMap<i64, String> = packages.into_iter().collect();
    let cadences: HashMap<i64, String> = cadences.into_iter().collect();

    // Sponsorships: bounds a day wider than the period in UTC, then each one's local dates decide.
    let start = day_start(period.from().checked_sub_days(Days::new(1)));
    let end = day_start(period.to().checked_add_days(Days::new(2)));
    // The deliveries' facts (for the figures) are read beside the sponsorships, on connections of their own.
    let (found, facts) = tokio::join!(store::sponsorships(conn, &area, end, start), async {
        match detail {
            Detail::Figures => Some(store::delivery_facts(db, &area, period).await),
            Detail::Full => None,
        }
    });
    let found = found?;
    let mut sponsorships = Vec::with_capacity(found.len());
    for s in found {
        let zone = zones.of(conn, &s.child.kecamatan).await?;
        let local = |ms: i64| from_millis(ms).with_timezone(&zone).date_naive();
        let started = s.started_at.map(local);
        let ended = s.ended_at.map(local);
        if started.is_some_and(|d| d > period.to()) || ended.is_some_and(|d| d < period.from()) {
            continue;
        }
        let child = refs.child(&s.child, &region_names);
        let sponsor = refs.sponsor(s.sponsor, s.sponsor_name.clone(), s.office);
        sponsorships.push(SponsorshipRow {
            id: s.id,
            child,
            sponsor,
            status: s.status,
            started,
            ended,
            package: s.package.and_then(|id| packages.get(&id).cloned()),
            cadence: s.cadence.and_then(|id| cadences.get(&id).cloned()),
            counts: Counts::default(),
        });
    }

    let found = match facts {
        Some(facts) => facts?,
        None => store::deliveries(conn, &area, period).await?,
    };
    // Whoever the sponsorships did not already name: children, sponsors and the people who confirmed.
    let mut missing_children = HashSet::new();
    let mut missing_sponsors = HashSet::new();
    let mut people = HashSet::new();
    for d in &found {
        if !refs.children.contains_key(&d.child) {
            missing_children.insert(d.child);
        }
        if !refs.sponsors.contains_key(&d.sponsor) {
            missing_sponsors.insert(d.sponsor);
        }
        people.extend(d.confirmation.as_ref().map(|c| c.by));
    }
    for c in store::children(conn, &sorted(missing_children)).await? {
        refs.child(&c, &region_names);
    }
    let mut known = HashSet::new();
    for (id, name, office) in store::sponsors(conn, &sorted(missing_sponsors.clone())).await? {
        known.insert(id);
        refs.sponsor(id, Some(name), office);
    }
    for id in missing_sponsors.difference(&known) {
        refs.sponsor(*id, None, None);
    }
    let names: HashMap<i64, Arc<str>> = store::people(conn, &sorted(people))
        .await?
        .into_iter()
        .map(|(id, name)| (id, Arc::from(name)))
        .collect();

    let mut deliveries: Vec<DeliveryRow> = Vec::with_capacity(found.len());
    let mut chosen: Vec<Option<(i64, bool)>> = Vec::with_capacity(found.len());
    let mut index: HashMap<i64, usize> = HashMap::new();
    for d in found {
        // A delivery with several confirmations comes as several rows (only when they are read).
        let seen = match detail {
            Detail::Full => index.get(&d.id).copied(),
            Detail::Figures => None,
        };
        let i = match seen {
            Some(i) => i,
            None => {
                let Some(child) = refs.children.get(&d.child).cloned() else {
                    continue;
                };
                let sponsor = refs.sponsor(d.sponsor, None, None);
                // Confirmed before confirmations were recorded: only the time is known.
                let legacy = match d.confirmed_at {
                    Some(at) => {
                        let zone = zones.of(conn, &child.kecamatan_code).await?;
                        Some(ConfirmationRef {
                            at: Some(from_millis(at).with_timezone(&zone).fixed_offset()),
                            by_id: None,
                            by_name: None,
                            by_role: None,
                            outcome: None,
                            photos: Vec::new(),
                        })
                    }
                    None => None,
                };
                deliveries.push(DeliveryRow {
                    id: d.id,
                    due_on: d.due_on,
                    status: d.status,
                    timeliness: standing(
                        d.status,
                        from_millis(d.due_at),
                        d.confirmed_at.map(from_millis),
                        now,
                        missed_after,
                    ),
                    child,
                    sponsorship: d.sponsorship,
                    sponsor,
                    deliverer: d.deliverer,
                    confirmation: legacy,
                });
                chosen.push(None);
                if detail == Detail::Full {
                    index.insert(d.id, deliveries.len() - 1);
                }
                deliveries.len() - 1
            }
        };
        merge(
            &mut deliveries[i],
            &mut chosen[i],
            d,
            &names,
            &mut zones,
            conn,
        )
        .await?;
    }
    let children = crate::store::digest::coverage_by_puskesmas(conn, &area).await?;
    Ok(Report::assemble(
        scope.code().cloned(),
        region_name,
        period,
        sponsorships,
        deliveries,
        &children,
    ))
}

/// Takes one of a delivery's confirmations into it: the confirmation that says it was received wins over
/// reports that it was not, a later report over an earlier one.
async fn merge(
    row: &mut DeliveryRow,
    chosen: &mut Option<(i64, bool)>,
    d: DeliveryData,
    names: &HashMap<i64, Arc<str>>,
    zones: &mut Zones,
    conn: &mut Conn,
) -> Result<(), ReportError> {
    let Some(c) = d.confirmation else {
        return Ok(());
    };
    let received = c.outcome.delivered();
    let better = match *chosen {
        None => true,
        Some((id, was_received)) => (received, c.id) > (was_received, id),
    };
    if better {
        let zone = zones.of(conn, &row.child.kecamatan_code).await?;
        // A received package's time is the delivery's own (they are written together).
        let at = match d.confirmed_at {
            Some(at) if received => at,
            _ => c.at,
        };
        row.confirmation = Some(ConfirmationRef {
            at: Some(from_millis(at).with_timezone(&zone).fixed_offset()),
            by_id: Some(c.by),
            by_name: names.get(&c.by).cloned(),
            by_role: Some(match c.role {
                ConfirmedAs::Sponsor => Role::Sponsor,
                ConfirmedAs::Volunteer => Role::Volunteer,
                ConfirmedAs::Coordinator => Role::Coordinator,
            }),
            outcome: Some(c.outcome),
            photos: c
                .photos
                .into_iter()
                .map(|p| PhotoRef {
                    sha256: p.sha256,
                    storage_key: p.storage_key,
                })
                .collect(),
        });
        *chosen = Some((c.id, received));
    }
    Ok(())
}

fn day_start(d: Option<NaiveDate>) -> i64 {
    d.map_or(0, |d| {
        d.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
    })
}

fn sorted(ids: HashSet<i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids
}

/// Each child, sponsor and office once, shared by every row that names them.
#[derive(Default)]
struct Refs {
    children: HashMap<i64, Arc<ChildRef>>,
    sponsors: HashMap<i64, Arc<SponsorRef>>,
    offices: HashMap<i64, Arc<OfficeRef>>,
}

impl Refs {
    fn child(&mut self, c: &ChildData, regions: &HashMap<String, String>) -> Arc<ChildRef> {
        self.children
            .entry(c.id)
            .or_insert_with(|| {
                Arc::new(ChildRef {
                    id: c.id,
                    name: c.name.clone(),
                    kecamatan_code: c.kecamatan.clone(),
                    kecamatan_name: regions
                        .get(&c.kecamatan)
                        .cloned()
                        .unwrap_or_else(|| c.kecamatan.clone()),
                    village_code: c.village.clone(),
                    village_name: c
                        .village
                        .as_ref()
                        .map(|v| regions.get(v).cloned().unwrap_or_else(|| v.clone())),
                    puskesmas: c.puskesmas.clone(),
                })
            })
            .clone()
    }

    /// The sponsor, made from `name` and `office` the first time (a sponsor without a row is named by id).
    fn sponsor(&mut self, id: i64, name: Option<String>, office: Option<i64>) -> Arc<SponsorRef> {
        let office = office.and_then(|o| self.offices.get(&o).cloned());
        self.sponsors
            .entry(id)
            .or_insert_with(|| {
                Arc::new(SponsorRef {
                    id,
                    name: name.unwrap_or_else(|| id.to_string()),
                    office,
                })
            })
            .clone()
    }
}

// --- the chat message ------------------------------------------------------------------------------------

/// A period for people: "01-10-2026 – 31-10-2026".
pub fn period_label(period: Period) -> String {
    format!(
        "{} – {}",
        period.from().format("%d-%m-%Y"),
        period.to().format("%d-%m-%Y")
    )
}

/// The name of a report's area: the region's, or "the whole programme".
pub fn area_label(lang: Lang, report: &Report) -> String {
    label_of(lang, report.region.as_ref(), report.region_name.as_deref())
}

fn label_of(lang: Lang, region: Option<&RegionCode>, name: Option<&str>) -> String {
    match (name, region) {
        (Some(name), Some(code)) => format!("{name} ({code})"),
        (None, Some(code)) => code.to_string(),
        _ => t(lang, "report-whole-programme"),
    }
}

/// Whether the actor may have a report of `region` (`None`: their whole area).
pub fn may_report(actor: &Actor, region: Option<&RegionCode>) -> Result<(), Denied> {
    match region {
        Some(code) => policy::check(actor, Action::ManageRegion(code)).map(|_| ()),
        None => policy::check(actor, Action::Coordinate).map(|_| ()),
    }
}

/// A coordinator asks for a report of `region` (their whole area when `None`) and `period`: a job is
/// queued for the report worker, and the request is in the audit log (reports name children). Returns the
/// region reported on.
pub async fn request(
    conn: &mut Conn,
    actor: &Actor,
    region: Option<RegionCode>,
    period: Period,
    chat_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> stores::Result<Result<Option<RegionCode>, Denied>> {
    if let Err(d) = may_report(actor, region.as_ref()) {
        return Ok(Err(d));
    }
    // A coordinator of a region reports on it unless they named a part of it.
    let region = region.or_else(|| {
        actor
            .roles
            .coordinator
            .as_ref()
            .and_then(|s| s.code().cloned())
    });
    let id = store::create_job(conn, chat_id, actor.user, region.as_ref(), period, now).await?;
    let detail = format!(
        "{} {}..{}",
        region.as_ref().map_or("-", |r| r.as_str()),
        period.from(),
        period.to()
    );
    audit::record(
        conn,
        now,
        Some(actor.user),
        "report.request",
        &format!("report:{id}"),
        Some(&detail),
    )
    .await?;
    Ok(Ok(region))
}

/// The name of an area before its report is built: "Kota Kendari (74.71)", or "the whole programme".
pub async fn area_name(
    conn: &mut Conn,
    lang: Lang,
    region: Option<&RegionCode>,
) -> Result<String, ReportError> {
    let name = match region {
        Some(code) => regions::get(conn, code).await?.map(|r| r.name),
        None => None,
    };
    Ok(label_of(lang, region, name.as_deref()))
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A table of names and numbers for a `<pre>` block, its columns lined up: the header, the body rows (the
/// ones a long message may leave out) and the rows always shown (a total).
struct PreTable {
    head: String,
    body: Vec<String>,
    tail: Vec<String>,
}

impl PreTable {
    fn new(header: &[String], body: &[(String, Vec<u64>)], tail: &[(String, Vec<u64>)]) -> Self {
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for (name, numbers) in body.iter().chain(tail) {
            widths[0] = widths[0].max(name.chars().count());
            for (i, n) in numbers.iter().enumerate() {
                if let Some(w) = widths.get_mut(i + 1) {
                    *w = (*w).max(n.to_string().len());
                }
            }
        }
        let line = |name: &str, values: &[String]| -> String {
            let mut s = escape(name);
            s.push_str(&" ".repeat(widths[0].saturating_sub(name.chars().count())));
            for (i, v) in values.iter().enumerate() {
                s.push(' ');
                let w = widths.get(i + 1).copied().unwrap_or(0);
                s.push_str(&" ".repeat(w.saturating_sub(v.chars().count())));
                s.push_str(&escape(v));
            }
            s
        };
        let row = |(name, numbers): &(String, Vec<u64>)| {
            let values: Vec<String> = numbers.iter().map(u64::to_string).collect();
            line(name, &values)
        };
        PreTable {
            head: line(&header[0], &header[1..]),
            body: body.iter().map(row).collect(),
            tail: tail.iter().map(row).collect(),
        }
    }

    /// The block with the first `shown` body rows.
    fn block(&self, shown: usize) -> String {
        let mut lines = vec![self.head.clone()];
        lines.extend(self.body[..shown.min(self.body.len())].iter().cloned());
        lines.extend(self.tail.iter().cloned());
        format!("<pre>{}</pre>", lines.join("\n"))
    }
}

/// The per-office table as a message: office, sponsors, children, deliveries due, confirmed on time and
/// overdue, the community row and the total; then, when children of the area have a Puskesmas, the
/// per-Puskesmas table: children registered, sponsored and waiting, deliveries due, on time and overdue.
/// When it would not fit Telegram's limit, the largest offices and the first Puskesmas, and how many more
/// the files have.
pub fn summary(lang: Lang, report: &Report) -> String {
    let heading = tf(
        lang,
        "report-summary-title",
        &[
            ("area", Arg::Text(&area_label(lang, report))),
            ("period", Arg::Text(&period_label(report.period))),
        ],
    );
    let total = &report.total.counts;
    let pct = total
        .on_time_pct()
        .map_or_else(|| "—".to_owned(), |p| format!("{p:.0}%"));
    // The share is of the deliveries whose standing is settled: one due today is not late yet.
    let footer = tf(
        lang,
        "report-summary-footer",
        &[
            ("on_time", Arg::Num(total.on_time as i64)),
            ("due", Arg::Num(total.decided() as i64)),
            ("pct", Arg::Text(&pct)),
        ],
    );
    let legend = t(lang, "report-summary-legend");
    let community = t(lang, "report-community");
    let total_label = t(lang, "report-total");
    let office_numbers = |row: &OfficeRow| {
        vec![
            row.sponsors,
            row.children,
            row.counts.due,
            row.counts.on_time,
            row.counts.overdue,
        ]
    };
    let offices = PreTable::new(
        &[
            t(lang, "report-short-office"),
            t(lang, "report-short-sponsors"),
            t(lang, "report-short-children"),
            t(lang, "report-short-due"),
            t(lang, "report-short-on-time"),
            t(lang, "report-short-overdue"),
        ],
        &report
            .offices
            .iter()
            .map(|row| {
                let name = row
                    .office
                    .as_ref()
                    .map_or(community.as_str(), |o| o.name.as_str());
                (shorten(name, NAME_WIDTH), office_numbers(row))
            })
            .collect::<Vec<_>>(),
        &[
            (
                shorten(&community, NAME_WIDTH),
                office_numbers(&report.community),
            ),
            (total_label.clone(), office_numbers(&report.total)),
        ],
    );
    let puskesmas = report.puskesmas.has_named().then(|| {
        let none = t(lang, "report-no-puskesmas");
        let numbers = |row: &PuskesmasRow| {
            vec![
                row.registered,
                row.sponsored,
                row.waiting(),
                row.counts.due,
                row.counts.on_time,
                row.counts.overdue,
            ]
        };
        PreTable::new(
            &[
                t(lang, "report-short-puskesmas"),
                t(lang, "report-short-registered"),
                t(lang, "report-short-sponsored"),
                t(lang, "report-short-waiting"),
                t(lang, "report-short-due"),
                t(lang, "report-short-on-time"),
                t(lang, "report-short-overdue"),
            ],
            &report
                .puskesmas
                .rows
                .iter()
                .map(|row| {
                    let name = row.name.as_deref().unwrap_or(&none);
                    (shorten(name, NAME_WIDTH), numbers(row))
                })
                .collect::<Vec<_>>(),
            &[(total_label.clone(), numbers(&report.puskesmas.total))],
        )
    });
    let more = |key: &str, count: usize| -> String {
        if count == 0 {
            return String::new();
        }
        format!("\n{}", tf(lang, key, &[("count", Arg::Num(count as i64))]))
    };
    let compose = |offices_shown: usize, puskesmas_shown: usize| -> String {
        let mut text = format!("{heading}\n{}\n{legend}", offices.block(offices_shown));
        if let Some(p) = &puskesmas {
            text.push_str(&format!(
                "\n{}\n{}\n{}{}",
                t(lang, "report-puskesmas-title"),
                p.block(puskesmas_shown),
                t(lang, "report-puskesmas-legend"),
                more(
                    "report-summary-more-puskesmas",
                    p.body.len() - puskesmas_shown.min(p.body.len())
                )
            ));
        }
        text.push_str(&format!("\n{footer}"));
        text.push_str(&more(
            "report-summary-more",
            offices.body.len() - offices_shown.min(offices.body.len()),
        ));
        text
    };
    let puskesmas_lines = puskesmas.as_ref().map_or(0, |p| p.body.len());
    let full = compose(offices.body.len(), puskesmas_lines);
    if utf16_len(&full) <= MESSAGE_LIMIT {
        return full;
    }
    // The largest offices and the first Puskesmas, a line of each in turn, as many as fit beside the notes
    // of the rest.
    let mut used = utf16_len(&compose(0, 0));
    let (mut shown, mut shown_puskesmas) = (0, 0);
    loop {
        let mut added = false;
        // A line and the newline before it.
        let cost = |l: &String| utf16_len(l) + 1;
        if let Some(l) = offices.body.get(shown)
            && used + cost(l) <= MESSAGE_LIMIT
        {
            used += cost(l);
            shown += 1;
            added = true;
        }
        if let Some(l) = puskesmas.as_ref().and_then(|p| p.body.get(shown_puskesmas))
            && used + cost(l) <= MESSAGE_LIMIT
        {
            used += cost(l);
            shown_puskesmas += 1;
            added = true;
        }
        if !added {
            break;
        }
    }
    compose(shown, shown_puskesmas)
}

/// At most `width` characters, an ellipsis marking a cut.
fn shorten(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_owned();
    }
    let mut s: String = name.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{PuskesmasChildren, PuskesmasTable, Timeliness};

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn office_row(id: i64, name: &str, n: u64) -> OfficeRow {
        OfficeRow {
            office: Some(Arc::new(OfficeRef {
                id: OfficeId(id),
                name: name.into(),
            })),
            sponsors: n,
            children: n * 2,
            counts: Counts {
                due: n * 8,
                on_time: n * 5,
                late: n,
                overdue: n,
                missed: n,
            },
        }
    }

    fn report(offices: Vec<OfficeRow>) -> Report {
        let mut total = Counts::default();
        for o in &offices {
            for _ in 0..o.counts.on_time {
                total.add(Timeliness::OnTime);
            }
            for _ in 0..o.counts.overdue {
                total.add(Timeliness::Overdue);
            }
        }
        Report {
            region: Some(RegionCode::parse("74.71").expect("code")),
            region_name: Some("Kota Kendari".into()),
            period: Period::new(date("2026-10-01"), date("2026-10-31")).expect("period"),
            community: OfficeRow {
                office: None,
                sponsors: 1,
                children: 1,
                counts: Counts::default(),
            },
            total: OfficeRow {
                office: None,
                sponsors: offices.iter().map(|o| o.sponsors).sum::<u64>() + 1,
                children: 3,
                counts: total,
            },
            offices,
            puskesmas: PuskesmasTable::default(),
            sponsorships: Vec::new(),
            deliveries: Vec::new(),
        }
    }

    #[test]
    fn the_table_lines_up_in_a_pre_block() {
        let text = summary(
            Lang::Id,
            &report(vec![
                office_row(1, "Dinas Kesehatan", 3),
                office_row(2, "Badan Perencanaan Pembangunan Daerah", 1),
                office_row(3, "Dinas P&K", 1),
            ]),
        );
        assert!(text.contains("Kota Kendari (74.71)"), "{text}");
        assert!(text.contains("01-10-2026 – 31-10-2026"), "{text}");
        let table = text
            .split("<pre>")
            .nth(1)
            .and_then(|t| t.split("</pre>").next())
            .expect("a pre block");
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 6, "{table}");
        assert_eq!(
            lines[1].split_whitespace().collect::<Vec<_>>(),
            ["Dinas", "Kesehatan", "3", "6", "24", "15", "3"],
            "{table}"
        );
        // A long name is cut; an ampersand is escaped.
        assert!(lines[2].starts_with("Badan Perencanaan… "), "{table}");
        assert!(lines[3].starts_with("Dinas P&amp;K "), "{table}");
        assert!(lines[4].starts_with("Masyarakat umum"), "{table}");
        assert!(lines[5].starts_with("Total"), "{table}");
        // Every line has the same width once the markup is read.
        let width = |l: &str| l.replace("&amp;", "&").chars().count();
        assert!(lines.iter().all(|l| width(l) == width(lines[0])), "{table}");
    }

    #[test]
    fn a_long_table_keeps_the_largest_offices_and_says_how_many_more() {
        let offices: Vec<OfficeRow> = (0..400)
            .map(|i| office_row(i, &format!("Dinas Nomor {i:03} Kabupaten"), 400 - i as u64))
            .collect();
        for lang in Lang::ALL {
            let text = summary(lang, &report(offices.clone()));
            assert!(utf16_len(&text) <= MESSAGE_LIMIT, "{}", utf16_len(&text));
            assert!(text.contains("Dinas Nomor 000"), "{text}");
            assert!(!text.contains("Dinas Nomor 399"), "{text}");
            let shown = (0..400)
                .filter(|i| text.contains(&format!("Dinas Nomor {i:03}")))
                .count();
            assert!(shown > 20, "{shown}");
            assert!(text.contains(&(400 - shown).to_string()), "{text}");
            assert!(text.contains("</pre>"), "{text}");
        }
    }

    fn puskesmas(n: usize) -> PuskesmasTable {
        let children: Vec<PuskesmasChildren> = (0..n)
            .map(|i| PuskesmasChildren {
                puskesmas: Some(format!("PKM Nomor {i:03}")),
                registered: 5,
                sponsored: 2,
            })
            .chain(std::iter::once(PuskesmasChildren {
                puskesmas: None,
                registered: 4,
                sponsored: 1,
            }))
            .collect();
        PuskesmasTable::tally(
            &children,
            [
                (Some("PKM Nomor 000"), Timeliness::OnTime, 3),
                (None, Timeliness::Overdue, 1),
            ],
        )
    }

    #[test]
    fn the_puskesmas_table_follows_the_offices_when_children_have_one() {
        let mut r = report(vec![office_row(1, "Dinas Kesehatan", 3)]);
        let text = summary(Lang::Id, &r);
        assert!(!text.contains("Puskesmas"), "{text}");
        r.puskesmas = puskesmas(2);
        let text = summary(Lang::Id, &r);
        let table = text
            .split("<pre>")
            .nth(2)
            .and_then(|t| t.split("</pre>").next())
            .expect("a second pre block");
        let lines: Vec<Vec<&str>> = table
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(lines.len(), 5, "{table}");
        assert_eq!(
            lines[1],
            ["PKM", "Nomor", "000", "5", "2", "3", "3", "3", "0"],
            "{table}"
        );
        assert_eq!(
            lines[3],
            ["(tanpa", "Puskesmas)", "4", "1", "3", "1", "0", "1"],
            "{table}"
        );
        assert_eq!(
            lines[4],
            ["Total", "14", "5", "9", "4", "3", "1"],
            "{table}"
        );
        let en = summary(Lang::En, &r);
        assert!(en.contains("(no Puskesmas)"), "{en}");
    }

    #[test]
    fn long_office_and_puskesmas_tables_share_the_message() {
        let offices: Vec<OfficeRow> = (0..400)
            .map(|i| office_row(i, &format!("Dinas Nomor {i:03} Kabupaten"), 400 - i as u64))
            .collect();
        let mut r = report(offices);
        r.puskesmas = puskesmas(300);
        for lang in Lang::ALL {
            let text = summary(lang, &r);
            assert!(utf16_len(&text) <= MESSAGE_LIMIT, "{}", utf16_len(&text));
            let offices = (0..400)
                .filter(|i| text.contains(&format!("Dinas Nomor {i:03}")))
                .count();
            let puskesmas = (0..300)
                .filter(|i| text.contains(&format!("PKM Nomor {i:03}")))
                .count();
            assert!(offices > 10 && puskesmas > 10, "{offices} {puskesmas}");
            assert!(text.contains(&(400 - offices).to_string()), "{text}");
            assert!(text.contains(&(301 - puskesmas).to_string()), "{text}");
            assert_eq!(text.matches("</pre>").count(), 2, "{text}");
        }
    }
}
