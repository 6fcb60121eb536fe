//! The coordinators' dashboard (a Telegram Mini App, and the same screen behind a meeting link): who may
//! see it, and what it shows.
//!
//! Access is decided at every request: a session (begun from `initData` checked by
//! `domain::webapp::verify_init_data`) or a meeting link names a person, whose roles are read anew from
//! the database and put to `domain::policy::check`, so a coordinator revoked or re-scoped after the page
//! was opened sees only what they may see now. The figures are the report's: the period's deliveries and
//! sponsorships are read and tallied by `services::reports::build_with` (each delivery's standing by
//! `domain::report::standing`), the per-office and per-Puskesmas tables are the report's own, and the
//! coverage per kecamatan is the weekly summary's.

use crate::domain::digest::{Overdue, overdue_by_office, overdue_by_sponsor};
use crate::domain::policy::{Action, Actor, Denied, check};
use crate::domain::progress;
use crate::domain::report::{Counts, OfficeRow, Period, ReportPeriod, Timeliness};
use crate::domain::role::Scope;
use crate::domain::webapp::{self, InitDataError, LinkError};
use crate::domain::{Lang, RegionCode, RegionLevel, UserId};
use crate::i18n::t;
use crate::services::deliveries::zone_of;
use crate::services::reports::{self, Detail, ReportError};
use crate::store::{self, Area, Db, StoreError, audit, users};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The dashboard's settings (`ASUH_PUBLIC_URL` and the times below, see the README).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the Mini App is served: `ASUH_PUBLIC_URL` + `/app`.
    pub app_url: String,
    /// How old an `initData` may be (`ASUH_DASHBOARD_AUTH_SECS`, default an hour).
    pub init_max_age: Duration,
    /// How long a session lasts (`ASUH_DASHBOARD_SESSION_MINUTES`, default 30).
    pub session_ttl: Duration,
    /// How long a meeting link lasts (`ASUH_MEETING_LINK_HOURS`, default 4).
    pub link_ttl: Duration,
    pub default_zone: Tz,
    pub missed_after: Duration,
}

/// Why a request was refused; the page says it in the person's language.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("initData refused: {0}")]
    InitData(InitDataError),
    #[error("meeting link refused: {0}")]
    Link(LinkError),
    #[error("the meeting link was revoked")]
    Revoked,
    #[error("the session has expired or is unknown")]
    Session,
    #[error("not allowed: {0:?}")]
    Denied(Denied),
    #[error("a meeting link is read only")]
    ReadOnly,
    #[error("bad request: {0}")]
    Bad(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ReportError> for Refused {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Store(s) => Refused::Store(s),
        }
    }
}

impl Refused {
    /// The locale key of what the page says.
    pub fn key(&self) -> &'static str {
        match self {
            Refused::InitData(InitDataError::Expired) => "dash-error-expired",
            Refused::InitData(_) => "dash-error-init-data",
            Refused::Link(LinkError::Expired) => "dash-error-link-expired",
            Refused::Link(_) => "dash-error-link",
            Refused::Revoked => "dash-error-link-revoked",
            Refused::Session => "dash-error-session",
            Refused::Denied(_) => "dash-error-denied",
            Refused::ReadOnly => "dash-error-read-only",
            Refused::Bad(_) => "dash-error-bad",
            Refused::Store(_) => "dash-error-server",
        }
    }
}

/// Who is looking: a coordinator in Telegram, or a meeting link's screen (read-only, within the link's
/// region, as its creator may see it now).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    pub lang: Lang,
    /// `Some`: through a meeting link, limited to this region (`None` inside: the creator's whole area).
    pub link: Option<Option<RegionCode>>,
}

impl Viewer {
    pub fn read_only(&self) -> bool {
        self.link.is_some()
    }

    /// The largest region this viewer may see now: a link's region, else the coordinator's scope as it is
    /// now (`None`: the whole programme). A link made for the whole programme by a coordinator who has
    /// since been given a region shows that region only.
    fn ceiling(&self) -> Option<RegionCode> {
        let scope = self
            .actor
            .roles
            .coordinator
            .as_ref()
            .and_then(|s| s.code().cloned());
        match &self.link {
            Some(Some(region)) => Some(region.clone()),
            _ => scope,
        }
    }
}

fn token_hash(token: &str) -> String {
    webapp::hex(&Sha256::digest(token.as_bytes()))
}

/// Checks `initData` and, for a coordinator, starts a session: returns its bearer token and the language.
pub async fn sign_in(
    db: &Db,
    settings: &Settings,
    bot_token: &str,
    init_data: &str,
    now: DateTime<Utc>,
) -> Result<(String, Lang), Refused> {
    let user = webapp::verify_init_data(init_data, bot_token, now, settings.init_max_age)
        .map_err(Refused::InitData)?;
    let id = UserId(user.id);
    let mut tx = db.begin().await?;
    let roles = users::roles(&mut tx, id).await?;
    let actor = Actor { user: id, roles };
    check(&actor, Action::Coordinate).map_err(Refused::Denied)?;
    let lang = Lang::from_telegram(user.language_code.as_deref());
    let token = webapp::hex(&rand::random::<[u8; 32]>());
    store::dashboard::create_session(
        &mut tx,
        &token_hash(&token),
        id,
        lang,
        now,
        now + settings.session_ttl,
    )
    .await?;
    audit::record(&mut tx, now, Some(id), "dashboard.open", "dashboard", None).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok((token, lang))
}

/// The viewer behind a session token, with the roles they hold now.
pub async fn by_session(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Viewer, Refused> {
    let mut conn = db.conn().await?;
    let session = store::dashboard::session(&mut conn, &token_hash(token), now)
        .await?
        .ok_or(Refused::Session)?;
    let roles = users::roles(&mut conn, session.user).await?;
    let actor = Actor {
        user: session.user,
        roles,
    };
    check(&actor, Action::Coordinate).map_err(Refused::Denied)?;
    Ok(Viewer {
        actor,
        lang: session.lang,
        link: None,
    })
}

/// The viewer behind a meeting link: its signature and expiry checked, not revoked, and its creator
/// still a coordinator who may see its region.
pub async fn by_link(
    db: &Db,
    bot_token: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Viewer, Refused> {
    let (id, _) =
        webapp::verify_link(&webapp::link_key(bot_token), token, now).map_err(Refused::Link)?;
    let mut conn = db.conn().await?;
    let link = store::dashboard::link_by_id(&mut conn, id)
        .await?
        .ok_or(Refused::Link(LinkError::BadSignature))?;
    if link.revoked_at.is_some() {
        return Err(Refused::Revoked);
    }
    let roles = users::roles(&mut conn, link.created_by).await?;
    let actor = Actor {
        user: link.created_by,
        roles,
    };
    reports::may_report(&actor, link.region.as_ref()).map_err(Refused::Denied)?;
    Ok(Viewer {
        actor,
        lang: link.lang,
        link: Some(link.region),
    })
}

/// What the page asks for: a period (a preset, or `from`..`to`) and a region inside the viewer's area.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Query {
    /// `tm` (this month), `lm`, `l3`, `ty`, or `custom` with `from` and `to`.
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub region: Option<String>,
}

/// The region and period a query resolves to for this viewer, checked against the policy now.
struct Resolved {
    scope: Scope,
    period: Period,
    preset: String,
    zone: Tz,
    today: NaiveDate,
}

async fn resolve(
    db: &Db,
    settings: &Settings,
    viewer: &Viewer,
    q: &Query,
    now: DateTime<Utc>,
) -> Result<Resolved, Refused> {
    let asked = match q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => {
            Some(RegionCode::parse(code).map_err(|_| Refused::Bad(format!("region {code:?}")))?)
        }
        None => None,
    };
    let ceiling = viewer.ceiling();
    let region = match (asked, &ceiling) {
        (Some(r), Some(c)) if !c.contains(&r) => {
            return Err(Refused::Denied(Denied::OutOfScope));
        }
        (Some(r), _) => Some(r),
        (None, c) => c.clone(),
    };
    reports::may_report(&viewer.actor, region.as_ref()).map_err(Refused::Denied)?;
    let mut conn = db.conn().await?;
    let zone = match &region {
        Some(code) => zone_of(&mut conn, code, settings.default_zone).await?,
        None => settings.default_zone,
    };
    let today = now.with_timezone(&zone).date_naive();
    let preset = q.period.clone().unwrap_or_else(|| "tm".to_owned());
    let period = if preset == "custom" {
        let date = |s: &Option<String>| {
            s.as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .ok_or_else(|| Refused::Bad("dates".into()))
        };
        Period::new(date(&q.from)?, date(&q.to)?).map_err(|e| Refused::Bad(e.to_string()))?
    } else {
        ReportPeriod::parse(&preset)
            .ok_or_else(|| Refused::Bad(format!("period {preset:?}")))?
            .period(today)
    };
    Ok(Resolved {
        scope: Scope::from_code(region),
        period,
        preset,
        zone,
        today,
    })
}

/// A line of the per-office table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OfficeLine {
    pub name: Option<String>,
    pub sponsors: u64,
    pub children: u64,
    pub due: u64,
    pub on_time: u64,
    pub late: u64,
    pub overdue: u64,
    pub missed: u64,
}

impl From<&OfficeRow> for OfficeLine {
    fn from(r: &OfficeRow) -> Self {
        OfficeLine {
            name: r.office.as_ref().map(|o| o.name.clone()),
            sponsors: r.sponsors,
            children: r.children,
            due: r.counts.due,
            on_time: r.counts.on_time,
            late: r.counts.late,
            overdue: r.counts.overdue,
            missed: r.counts.missed,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeliveryFigures {
    pub due: u64,
    pub on_time: u64,
    pub late: u64,
    pub overdue: u64,
    pub missed: u64,
    pub due_today: u64,
    /// Of the decided deliveries; `None` when none is decided.
    pub on_time_pct: Option<f64>,
}

impl From<&Counts> for DeliveryFigures {
    fn from(c: &Counts) -> Self {
        DeliveryFigures {
            due: c.due,
            on_time: c.on_time,
            late: c.late,
            overdue: c.overdue,
            missed: c.missed,
            due_today: c.due - c.decided(),
            on_time_pct: c.on_time_pct(),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChildFigures {
    pub registered: u64,
    pub sponsored: u64,
    pub waiting: u64,
    pub left_stunting: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CoverageLine {
    pub code: Option<String>,
    pub name: Option<String>,
    pub registered: u64,
    pub sponsored: u64,
    pub waiting: u64,
    pub due: u64,
    pub on_time: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MonthLine {
    pub month: String,
    pub measured: u64,
    pub stunted: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OverdueLine {
    pub name: Option<String>,
    pub office: Option<String>,
    pub deliveries: u32,
    pub oldest_days: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WaitingLine {
    pub name: String,
    pub kecamatan: String,
    pub since: NaiveDate,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CaseLine {
    pub child: String,
    pub partial: bool,
    pub problem: Option<String>,
    pub opened: NaiveDate,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RegionChoice {
    pub code: String,
    pub name: String,
}

/// Everything the dashboard shows for one region and period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Dashboard {
    pub region: Option<String>,
    pub area: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub preset: String,
    pub lang: &'static str,
    pub read_only: bool,
    pub children: ChildFigures,
    pub deliveries: DeliveryFigures,
    pub offices: Vec<OfficeLine>,
    pub community: OfficeLine,
    pub total: OfficeLine,
    pub kecamatan: Vec<CoverageLine>,
    pub puskesmas: Vec<CoverageLine>,
    pub puskesmas_total: CoverageLine,
    pub stunted: Vec<MonthLine>,
    pub overdue_by_sponsor: Vec<OverdueLine>,
    pub overdue_by_office: Vec<OverdueLine>,
    pub waiting: Vec<WaitingLine>,
    pub cases: Vec<CaseLine>,
    pub regions: Vec<RegionChoice>,
}

/// How many lines the short lists show (each opens the whole list).
const SHORT: usize = 10;

/// The dashboard of the query's region and period, as the viewer may see it now.
pub async fn build(
    db: &Db,
    settings: &Settings,
    viewer: &Viewer,
    q: &Query,
    now: DateTime<Utc>,
) -> Result<Dashboard, Refused> {
    let r = resolve(db, settings, viewer, q, now).await?;
    let area = Area::from(&r.scope);
    // The report's build and the other reads at once, each on a connection of its own.
    let (report, others) = tokio::join!(
        reports::build_with(
            db,
            &r.scope,
            r.period,
            settings.default_zone,
            now,
            settings.missed_after,
            Detail::Figures,
        ),
        others(db, viewer, &area, &r, now),
    );
    let report = report?;
    let Others {
        kecamatan,
        stunted,
        left,
        waiting,
        cases,
        regions,
    } = others?;
    let puskesmas_line = |p: &crate::domain::report::PuskesmasRow| CoverageLine {
        code: None,
        name: p.name.clone(),
        registered: p.registered,
        sponsored: p.sponsored,
        waiting: p.waiting(),
        due: p.counts.due,
        on_time: p.counts.on_time,
        overdue: p.counts.overdue,
    };
    let overdue = overdue_rows(&report);
    let group = |g: crate::domain::digest::OverdueGroup| OverdueLine {
        name: g.name,
        office: g.office,
        deliveries: g.deliveries,
        oldest_days: g.oldest_days,
    };
    let by_sponsor: Vec<OverdueLine> = overdue_by_sponsor(&overdue, r.today)
        .into_iter()
        .take(SHORT)
        .map(group)
        .collect();
    let by_office: Vec<OverdueLine> = overdue_by_office(&overdue, r.today)
        .into_iter()
        .map(group)
        .collect();
    let area_name = reports::area_label(viewer.lang, &report);
    let total = &report.puskesmas.total;
    Ok(Dashboard {
        region: r.scope.code().map(|c| c.to_string()),
        area: area_name,
        from: r.period.from(),
        to: r.period.to(),
        preset: r.preset,
        lang: viewer.lang.code(),
        read_only: viewer.read_only(),
        children: ChildFigures {
            registered: total.registered,
            sponsored: total.sponsored,
            waiting: total.waiting(),
            left_stunting: left,
        },
        deliveries: DeliveryFigures::from(&report.total.counts),
        offices: report.offices.iter().map(OfficeLine::from).collect(),
        community: OfficeLine::from(&report.community),
        total: OfficeLine::from(&report.total),
        kecamatan,
        puskesmas: report.puskesmas.rows.iter().map(puskesmas_line).collect(),
        puskesmas_total: puskesmas_line(total),
        stunted,
        overdue_by_sponsor: by_sponsor,
        overdue_by_office: by_office,
        waiting,
        cases,
        regions,
    })
}

/// What the dashboard reads beside the report.
struct Others {
    kecamatan: Vec<CoverageLine>,
    stunted: Vec<MonthLine>,
    left: u64,
    waiting: Vec<WaitingLine>,
    cases: Vec<CaseLine>,
    regions: Vec<RegionChoice>,
}

async fn others(
    db: &Db,
    viewer: &Viewer,
    area: &Area,
    r: &Resolved,
    now: DateTime<Utc>,
) -> Result<Others, Refused> {
    let mut conn = db.conn().await?;
    let kecamatan = store::digest::coverage_by_kecamatan(&mut conn, area)
        .await?
        .into_iter()
        .map(|k| CoverageLine {
            code: Some(k.code),
            name: Some(k.name),
            registered: k.registered,
            sponsored: k.sponsored,
            waiting: k.registered.saturating_sub(k.sponsored),
            due: 0,
            on_time: 0,
            overdue: 0,
        })
        .collect();
    // Months of measurements: the period's, or the twelve months before its end when it is shorter.
    let months_from = r.period.from().min(r.period.to() - Duration::days(365));
    let stunted = store::dashboard::stunted_by_month(&mut conn, area, months_from, r.period.to())
        .await?
        .into_iter()
        .map(|m| MonthLine {
            month: m.month,
            measured: m.measured,
            stunted: m.stunted,
        })
        .collect();
    Ok(Others {
        kecamatan,
        stunted,
        left: left_stunting(&mut conn, area, r).await?.len() as u64,
        waiting: waiting(&mut conn, area, r.zone, now, SHORT as i64).await?,
        cases: cases(&mut conn, area, r.zone, SHORT).await?,
        regions: region_choices(&mut conn, viewer, &r.scope).await?,
    })
}

/// The report's overdue deliveries as the digest groups them.
fn overdue_rows(report: &crate::domain::report::Report) -> Vec<Overdue> {
    report
        .deliveries
        .iter()
        .filter(|d| d.timeliness == Timeliness::Overdue)
        .map(|d| Overdue {
            sponsor_id: d.sponsor.id,
            sponsor: d.sponsor.name.clone(),
            office: d.sponsor.office.as_ref().map(|o| o.name.clone()),
            due_on: d.due_on,
        })
        .collect()
}

/// The children who left stunting by measurements recorded in the period (the digest's rule).
async fn left_stunting(
    conn: &mut store::Conn,
    area: &Area,
    r: &Resolved,
) -> Result<Vec<store::digest::GrowthChange>, Refused> {
    let start = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(r.zone).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    let (Some(since), Some(until)) = (
        start(r.period.from()),
        start(r.period.to() + Duration::days(1)),
    ) else {
        return Ok(Vec::new());
    };
    Ok(store::digest::growth_changes(conn, area, since, until)
        .await?
        .into_iter()
        .filter(|c| {
            progress::left_stunting(
                c.previous_haz_milli as f64 / 1000.0,
                c.haz_milli as f64 / 1000.0,
            )
        })
        .collect())
}

async fn waiting(
    conn: &mut store::Conn,
    area: &Area,
    zone: Tz,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<WaitingLine>, Refused> {
    let today = now.with_timezone(&zone).date_naive();
    Ok(store::dashboard::waiting_longest(conn, area, limit)
        .await?
        .into_iter()
        .map(|w| {
            let since = w.since.with_timezone(&zone).date_naive();
            WaitingLine {
                name: w.name,
                kecamatan: w.kecamatan,
                since,
                days: (today - since).num_days(),
            }
        })
        .collect())
}

async fn cases(
    conn: &mut store::Conn,
    area: &Area,
    zone: Tz,
    limit: usize,
) -> Result<Vec<CaseLine>, Refused> {
    Ok(store::digest::open_cases(conn, area)
        .await?
        .into_iter()
        .take(limit)
        .map(|c| CaseLine {
            child: c.child,
            partial: c.partial,
            problem: c.problem,
            opened: c.opened_at.with_timezone(&zone).date_naive(),
        })
        .collect())
}

/// The regions the viewer may pick: the area itself, and the regencies and kecamatan inside it.
async fn region_choices(
    conn: &mut store::Conn,
    viewer: &Viewer,
    scope: &Scope,
) -> Result<Vec<RegionChoice>, Refused> {
    let root = viewer.ceiling();
    let mut out = Vec::new();
    match &root {
        Some(code) => out.push(RegionChoice {
            code: code.to_string(),
            name: store::regions::name_or_code(conn, code).await?,
        }),
        None => out.push(RegionChoice {
            code: String::new(),
            name: t(viewer.lang, "report-whole-programme"),
        }),
    }
    for level in [RegionLevel::Regency, RegionLevel::District] {
        if root.as_ref().is_some_and(|c| c.level() >= level) {
            continue;
        }
        let (found, _) = store::regions::of_level(conn, level, root.as_ref(), 0, 500).await?;
        out.extend(found.into_iter().map(|r| RegionChoice {
            code: r.code.to_string(),
            name: r.name,
        }));
    }
    if let Some(code) = scope.code()
        && !out.iter().any(|c| c.code == code.as_str())
    {
        out.push(RegionChoice {
            code: code.to_string(),
            name: store::regions::name_or_code(conn, code).await?,
        });
    }
    Ok(out)
}

/// The lists behind the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Deliveries(Timeliness),
    Due,
    Waiting,
    Cases,
    LeftStunting,
}

impl ListKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "due" => ListKind::Due,
            "waiting" => ListKind::Waiting,
            "cases" => ListKind::Cases,
            "left_stunting" => ListKind::LeftStunting,
            other => ListKind::Deliveries(
                Timeliness::ALL
                    .into_iter()
                    .find(|t| t.as_str() == other && *t != Timeliness::NotDue)?,
            ),
        })
    }
}

/// A list behind a figure: rows of cells, the header's locale keys, and how many rows there are in all.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct List {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub total: usize,
}

/// The most rows a list sends (the report's files have them all).
const LIST_MAX: usize = 500;

/// The list behind one figure of the dashboard, for the same region and period.
pub async fn list(
    db: &Db,
    settings: &Settings,
    viewer: &Viewer,
    q: &Query,
    kind: ListKind,
    now: DateTime<Utc>,
) -> Result<List, Refused> {
    let r = resolve(db, settings, viewer, q, now).await?;
    let area = Area::from(&r.scope);
    let mut conn = db.conn().await?;
    let (columns, rows): (Vec<&'static str>, Vec<Vec<String>>) = match kind {
        ListKind::Deliveries(_) | ListKind::Due => {
            let report = reports::build_with(
                db,
                &r.scope,
                r.period,
                settings.default_zone,
                now,
                settings.missed_after,
                Detail::Figures,
            )
            .await?;
            let community = t(viewer.lang, "report-community");
            let rows = report
                .deliveries
                .iter()
                .filter(|d| match kind {
                    ListKind::Deliveries(want) => d.timeliness == want,
                    _ => d.timeliness.counts_as_due(),
                })
                .map(|d| {
                    vec![
                        d.due_on.format("%d-%m-%Y").to_string(),
                        d.child.name.clone(),
                        d.child.kecamatan_name.clone(),
                        d.sponsor.name.clone(),
                        d.sponsor
                            .office
                            .as_ref()
                            .map_or_else(|| community.clone(), |o| o.name.clone()),
                        t(
                            viewer.lang,
                            &format!("dash-standing-{}", d.timeliness.as_str()),
                        ),
                    ]
                })
                .collect();
            (
                vec![
                    "dash-col-date",
                    "dash-col-child",
                    "dash-col-kecamatan",
                    "dash-col-sponsor",
                    "dash-col-office",
                    "dash-col-standing",
                ],
                rows,
            )
        }
        ListKind::Waiting => {
            let rows = waiting(&mut conn, &area, r.zone, now, LIST_MAX as i64 + 1)
                .await?
                .into_iter()
                .map(|w| {
                    vec![
                        w.name,
                        w.kecamatan,
                        w.since.format("%d-%m-%Y").to_string(),
                        w.days.to_string(),
                    ]
                })
                .collect();
            (
                vec![
                    "dash-col-child",
                    "dash-col-kecamatan",
                    "dash-col-since",
                    "dash-col-days",
                ],
                rows,
            )
        }
        ListKind::Cases => {
            let rows = cases(&mut conn, &area, r.zone, LIST_MAX + 1)
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        c.opened.format("%d-%m-%Y").to_string(),
                        c.child,
                        t(
                            viewer.lang,
                            if c.partial {
                                "dash-case-partial"
                            } else {
                                "dash-case-not-received"
                            },
                        ),
                        c.problem.unwrap_or_default(),
                    ]
                })
                .collect();
            (
                vec![
                    "dash-col-date",
                    "dash-col-child",
                    "dash-col-case",
                    "dash-col-problem",
                ],
                rows,
            )
        }
        ListKind::LeftStunting => {
            let rows = left_stunting(&mut conn, &area, &r)
                .await?
                .into_iter()
                .map(|c| {
                    vec![
                        c.measured_on.format("%d-%m-%Y").to_string(),
                        c.name,
                        c.kecamatan,
                        progress::z_text(viewer.lang, c.previous_haz_milli as f64 / 1000.0),
                        progress::z_text(viewer.lang, c.haz_milli as f64 / 1000.0),
                    ]
                })
                .collect();
            (
                vec![
                    "dash-col-date",
                    "dash-col-child",
                    "dash-col-kecamatan",
                    "dash-col-before",
                    "dash-col-after",
                ],
                rows,
            )
        }
    };
    let total = rows.len();
    Ok(List {
        columns,
        rows: rows.into_iter().take(LIST_MAX).collect(),
        total,
    })
}

/// Sends the report of the query's region and period to the coordinator's chat, like `/laporan` (a
/// job for the report worker, audited). Not from a meeting link.
pub async fn send_report(
    db: &Db,
    settings: &Settings,
    viewer: &Viewer,
    q: &Query,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    if viewer.read_only() {
        return Err(Refused::ReadOnly);
    }
    let r = resolve(db, settings, viewer, q, now).await?;
    let mut tx = db.begin().await?;
    reports::request(
        &mut tx,
        &viewer.actor,
        r.scope.code().cloned(),
        r.period,
        viewer.actor.user.0,
        now,
    )
    .await?
    .map_err(Refused::Denied)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

// --- meeting links ----------------------------------------------------------------------------------------

/// A live meeting link and its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingLink {
    pub id: i64,
    pub region: Option<RegionCode>,
    pub expires_at: DateTime<Utc>,
    pub url: String,
}

fn link_url(settings: &Settings, bot_token: &str, id: i64, expires: DateTime<Utc>) -> String {
    format!(
        "{}#meeting={}",
        settings.app_url,
        webapp::sign_link(&webapp::link_key(bot_token), id, expires)
    )
}

/// A coordinator creates a meeting link to their area (or `region` inside it), valid for the settings'
/// time; audited.
pub async fn create_link(
    conn: &mut store::Conn,
    settings: &Settings,
    bot_token: &str,
    actor: &Actor,
    region: Option<RegionCode>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Result<MeetingLink, Denied>, StoreError> {
    if let Err(d) = reports::may_report(actor, region.as_ref()) {
        return Ok(Err(d));
    }
    let region = region.or_else(|| {
        actor
            .roles
            .coordinator
            .as_ref()
            .and_then(|s| s.code().cloned())
    });
    let expires = now + settings.link_ttl;
    // Whole seconds: the token carries the expiry in seconds.
    let expires = DateTime::from_timestamp(expires.timestamp(), 0).unwrap_or(expires);
    let id = store::dashboard::create_link(conn, actor.user, region.as_ref(), lang, now, expires)
        .await?;
    audit::record(
        conn,
        now,
        Some(actor.user),
        "meeting_link.create",
        &format!("meeting_link:{id}"),
        region.as_ref().map(RegionCode::as_str),
    )
    .await?;
    Ok(Ok(MeetingLink {
        id,
        url: link_url(settings, bot_token, id, expires),
        region,
        expires_at: expires,
    }))
}

/// The coordinator's live meeting links, newest first.
pub async fn links(
    conn: &mut store::Conn,
    settings: &Settings,
    bot_token: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Result<Vec<MeetingLink>, Denied>, StoreError> {
    if let Err(d) = check(actor, Action::Coordinate) {
        return Ok(Err(d));
    }
    Ok(Ok(store::dashboard::live_links(conn, actor.user, now)
        .await?
        .into_iter()
        .map(|l| MeetingLink {
            url: link_url(settings, bot_token, l.id, l.expires_at),
            id: l.id,
            region: l.region,
            expires_at: l.expires_at,
        })
        .collect()))
}

/// Revokes one of the coordinator's links; false when it was not theirs or not live. Audited.
pub async fn revoke_link(
    conn: &mut store::Conn,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Result<bool, Denied>, StoreError> {
    if let Err(d) = check(actor, Action::Coordinate) {
        return Ok(Err(d));
    }
    let done = store::dashboard::revoke_link(conn, actor.user, id, now).await?;
    if done {
        audit::record(
            conn,
            now,
            Some(actor.user),
            "meeting_link.revoke",
            &format!("meeting_link:{id}"),
            None,
        )
        .await?;
    }
    Ok(Ok(done))
}

/// Every text the page shows, in one language: `dash-*` keys without their prefix.
pub fn labels(lang: Lang) -> BTreeMap<&'static str, String> {
    LABELS
        .iter()
        .map(|k| (k.trim_start_matches("dash-"), t(lang, k)))
        .collect()
}

/// The keys of [`labels`].
const LABELS: &[&str] = &[
    "dash-title",
    "dash-loading",
    "dash-period",
    "dash-region",
    "dash-this-month",
    "dash-last-month",
    "dash-last-3-months",
    "dash-this-year",
    "dash-custom",
    "dash-from",
    "dash-to",
    "dash-apply",
    "dash-children",
    "dash-registered",
    "dash-sponsored",
    "dash-waiting",
    "dash-left-stunting",
    "dash-deliveries",
    "dash-due",
    "dash-on-time",
    "dash-late",
    "dash-overdue",
    "dash-missed",
    "dash-due-today",
    "dash-on-time-share",
    "dash-offices",
    "dash-office",
    "dash-sponsors",
    "dash-community",
    "dash-total",
    "dash-coverage-kecamatan",
    "dash-coverage-puskesmas",
    "dash-no-puskesmas",
    "dash-stunted-by-month",
    "dash-stunted",
    "dash-measured",
    "dash-overdue-by-sponsor",
    "dash-overdue-by-office",
    "dash-waiting-longest",
    "dash-open-cases",
    "dash-days",
    "dash-none",
    "dash-send-report",
    "dash-report-sent",
    "dash-read-only",
    "dash-back",
    "dash-more",
    "dash-case-partial",
    "dash-case-not-received",
    "dash-col-date",
    "dash-col-child",
    "dash-col-kecamatan",
    "dash-col-sponsor",
    "dash-col-office",
    "dash-col-standing",
    "dash-col-since",
    "dash-col-days",
    "dash-col-case",
    "dash-col-problem",
    "dash-col-before",
    "dash-col-after",
    "dash-error-expired",
    "dash-error-init-data",
    "dash-error-link-expired",
    "dash-error-link",
    "dash-error-link-revoked",
    "dash-error-session",
    "dash-error-denied",
    "dash-error-read-only",
    "dash-error-bad",
    "dash-error-server",
    "dash-error-open-in-telegram",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_exists_in_both_languages() {
        for lang in Lang::ALL {
            for (key, text) in labels(lang) {
                assert!(
                    !text.is_empty() && !text.starts_with("dash-"),
                    "{key} in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn lists_are_named_by_standing() {
        assert_eq!(
            ListKind::parse("overdue"),
            Some(ListKind::Deliveries(Timeliness::Overdue))
        );
        assert_eq!(ListKind::parse("waiting"), Some(ListKind::Waiting));
        assert_eq!(ListKind::parse("not_due"), None);
        assert_eq!(ListKind::parse("phones"), None);
    }
}
