//! Applying an import: a checked file of children (or regions) goes into the database in one transaction,
//! valid rows applied and invalid ones reported by line. A child is recognised by NIK, else by name, birth
//! date and guardian, so importing the same file twice changes nothing.

use crate::domain::child::age_days;
use crate::domain::growth::{self, Position};
use crate::domain::region::parse_zone;
use crate::domain::role::Scope;
use crate::domain::{Lang, RegionCode, RegionLevel, UserId};
use crate::i18n::{Arg, t, tf};
use crate::import::children::{
    self, ChildRecord, Column, FileProblem, RegionLookup, RowError, RowProblem,
};
use crate::import::{self as reader, regions as region_file};
use crate::store::children::{MeasurementRow, NewChild};
use crate::store::{self, Db, audit, children as store_children, regions};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What became of a children's file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<(usize, String)>,
    /// The file as a whole was refused (nothing applied).
    pub refused: Option<String>,
}

/// The regions set up, for turning a cell (a code or a name) into a code; limited to a coordinator's scope.
struct Regions {
    kecamatan_by_name: HashMap<String, RegionCode>,
    kecamatan_codes: HashMap<String, RegionCode>,
    village_by_name: HashMap<(RegionCode, String), RegionCode>,
    village_codes: HashMap<String, RegionCode>,
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Regions {
    async fn load(db: &Db, scope: &Scope) -> store::Result<Self> {
        let mut conn = db.conn().await?;
        let (all, _) = regions::in_scope(&mut conn, scope, i64::MAX).await?;
        let mut me = Regions {
            kecamatan_by_name: HashMap::new(),
            kecamatan_codes: HashMap::new(),
            village_by_name: HashMap::new(),
            village_codes: HashMap::new(),
        };
        for r in all {
            match r.level {
                RegionLevel::District => {
                    me.kecamatan_by_name.insert(fold(&r.name), r.code.clone());
                    me.kecamatan_codes.insert(r.code.to_string(), r.code);
                }
                RegionLevel::Village => {
                    if let Some(parent) = r.code.parent() {
                        me.village_by_name
                            .insert((parent, fold(&r.name)), r.code.clone());
                    }
                    me.village_codes.insert(r.code.to_string(), r.code);
                }
                _ => {}
            }
        }
        Ok(me)
    }
}

impl RegionLookup for Regions {
    fn kecamatan(&self, text: &str) -> Option<RegionCode> {
        self.kecamatan_codes
            .get(text.trim())
            .or_else(|| self.kecamatan_by_name.get(&fold(text)))
            .cloned()
    }

    fn village(&self, kecamatan: &RegionCode, text: &str) -> Option<RegionCode> {
        self.village_codes
            .get(text.trim())
            .filter(|v| kecamatan.contains(v))
            .or_else(|| self.village_by_name.get(&(kecamatan.clone(), fold(text))))
            .cloned()
    }
}

fn new_child(r: &ChildRecord) -> NewChild {
    NewChild {
        full_name: r.name.as_str().to_owned(),
        sex: r.sex,
        birth_date: r.birth_date,
        guardian_name: r.guardian.as_str().to_owned(),
        guardian_phone: r.guardian_phone.as_ref().map(|p| p.as_str().to_owned()),
        address: r.address.clone(),
        kecamatan: r.kecamatan.clone(),
        village: r.village.clone(),
        posyandu: r.posyandu.clone(),
        nik: r.nik.as_ref().map(|n| n.as_str().to_owned()),
        identity_key: r.identity_key(),
        notes: r.notes.clone(),
    }
}

/// The measurement of an import row with its height-for-age z-score. Lists do not say how a child was
/// measured, so WHO's convention is assumed: lying under two years, standing from two.
fn measurement(r: &ChildRecord) -> Option<MeasurementRow> {
    let m = r.measurement.as_ref()?;
    let days = age_days(r.birth_date, m.measured_on)?;
    let position = if days < growth::HEIGHT_FROM_DAYS {
        Position::Lying
    } else {
        Position::Standing
    };
    let haz = growth::haz(r.sex, days, m.height_cm, position).ok();
    Some(MeasurementRow {
        measured_on: m.measured_on,
        length_mm: (m.height_cm * 10.0).round() as i64,
        position: if position == Position::Lying {
            "lying"
        } else {
            "standing"
        },
        weight_g: m.weight_kg.map(|w| (w * 1000.0).round() as i64),
        haz_milli: haz.map(|z| (z * 1000.0).round() as i64),
    })
}

/// Checks and applies a children's file. `lang` is the language of the row messages in the report.
pub async fn import_children(
    db: &Db,
    bytes: &[u8],
    file_name: &str,
    scope: &Scope,
    actor: Option<UserId>,
    lang: Lang,
    now: DateTime<Utc>,
) -> store::Result<Report> {
    let Some(kind) = reader::detect(file_name, bytes) else {
        return Ok(refused(t(lang, "import-wrong-type")));
    };
    let lookup = Regions::load(db, scope).await?;
    let parsed = match children::parse(kind, bytes, now.date_naive(), &lookup) {
        Ok(p) => p,
        Err(problem) => {
            return Ok(refused(file_problem(lang, &problem)));
        }
    };
    let mut report = Report {
        rows: parsed.rows,
        ..Report::default()
    };
    report.errors = parsed
        .errors
        .iter()
        .map(|e| (e.line, row_problem(lang, e)))
        .collect();
    let mut tx = db.begin().await?;
    for (_, record) in &parsed.records {
        let child = new_child(record);
        let id =
            match store_children::find(&mut tx, child.nik.as_deref(), &child.identity_key).await? {
                Some((id, fingerprint)) if fingerprint == child.fingerprint() => {
                    report.unchanged += 1;
                    id
                }
                Some((id, _)) => {
                    store_children::update(&mut tx, id, &child, now).await?;
                    audit::record(
                        &mut tx,
                        now,
                        actor,
                        "child.import.update",
                        &format!("child:{id}"),
                        None,
                    )
                    .await?;
                    report.updated += 1;
                    id
                }
                None => {
                    let id = store_children::insert(&mut tx, &child, now).await?;
                    audit::record(
                        &mut tx,
                        now,
                        actor,
                        "child.import.add",
                        &format!("child:{id}"),
                        None,
                    )
                    .await?;
                    report.added += 1;
                    id
                }
            };
        if let Some(m) = measurement(record) {
            store_children::add_measurement(&mut tx, id, &m, "import", actor.map(|a| a.0), now)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// Checks and applies a regions file (Kemendagri code, name, optional zone) inside the coordinator's scope.
pub async fn import_regions(
    db: &Db,
    bytes: &[u8],
    file_name: &str,
    scope: &Scope,
    actor: Option<UserId>,
    lang: Lang,
    now: DateTime<Utc>,
) -> store::Result<Report> {
    let Some(kind) = reader::detect(file_name, bytes) else {
        return Ok(refused(t(lang, "import-wrong-type")));
    };
    let parsed = match region_file::parse(kind, bytes) {
        Ok(p) => p,
        Err(problem) => return Ok(refused(region_file_problem(lang, &problem))),
    };
    let mut report = Report {
        rows: parsed.rows,
        ..Report::default()
    };
    report.errors = parsed
        .errors
        .iter()
        .map(|e| (e.line, region_problem(lang, &e.problem)))
        .collect();
    let mut tx = db.begin().await?;
    for region_file::RegionRow {
        code,
        name,
        zone,
        point,
    } in &parsed.regions
    {
        if !scope.covers(code) {
            report.errors.push((
                0,
                tf(
                    lang,
                    "row-outside-scope",
                    &[("value", Arg::Text(code.as_str()))],
                ),
            ));
            continue;
        }
        let zone = zone.as_deref().and_then(parse_zone).map(|z| z.name());
        let before = regions::get(&mut tx, code).await?;
        let same_point = match point {
            None => true,
            Some(p) => regions::point_of(&mut tx, code).await? == Some(*p),
        };
        if same_point
            && before.as_ref().is_some_and(|b| {
                b.name == *name && (zone.is_none() || b.timezone.as_deref() == zone)
            })
        {
            report.unchanged += 1;
            continue;
        }
        if regions::upsert(&mut tx, code, name, zone, now).await? {
            report.added += 1;
        } else {
            report.updated += 1;
        }
        if point.is_some() {
            regions::set_point(&mut tx, code, *point).await?;
        }
        audit::record(
            &mut tx,
            now,
            actor,
            "region.import",
            &format!("region:{code}"),
            Some(name),
        )
        .await?;
    }
    tx.commit().await?;
    report.errors.sort_by_key(|(line, _)| *line);
    Ok(report)
}

fn refused(reason: String) -> Report {
    Report {
        refused: Some(reason),
        ..Report::default()
    }
}

fn column(lang: Lang, c: Column) -> String {
    t(lang, &format!("column-{}", c.as_str().replace('_', "-")))
}

/// Why a whole file was refused, whichever reader (children or regions) refused it.
enum Refusal<'a> {
    Unreadable(&'a str),
    Empty,
    MissingColumns(Vec<String>),
    TooManyRows(usize),
}

impl Refusal<'_> {
    fn render(&self, lang: Lang) -> String {
        match self {
            Self::Unreadable(detail) => {
                tf(lang, "file-unreadable", &[("detail", Arg::Text(detail))])
            }
            Self::Empty => t(lang, "file-empty"),
            Self::MissingColumns(names) => tf(
                lang,
                "file-missing-columns",
                &[("columns", Arg::Text(&names.join(", ")))],
            ),
            Self::TooManyRows(max) => tf(
                lang,
                "file-too-many-rows",
                &[("max", Arg::Num(*max as i64))],
            ),
        }
    }
}

fn file_problem(lang: Lang, p: &FileProblem) -> String {
    match p {
        FileProblem::Unreadable(detail) => Refusal::Unreadable(detail),
        FileProblem::Empty => Refusal::Empty,
        FileProblem::MissingColumns(cols) => {
            Refusal::MissingColumns(cols.iter().map(|c| column(lang, *c)).collect())
        }
        FileProblem::TooManyRows { max } => Refusal::TooManyRows(*max),
    }
    .render(lang)
}

fn region_file_problem(lang: Lang, p: &region_file::FileProblem) -> String {
    use region_file::FileProblem as P;
    match p {
        P::Unreadable(detail) => Refusal::Unreadable(detail),
        P::Empty => Refusal::Empty,
        P::MissingColumns(cols) => {
            Refusal::MissingColumns(cols.iter().map(|c| c.as_str().to_owned()).collect())
        }
        P::TooManyRows { max } => Refusal::TooManyRows(*max),
    }
    .render(lang)
}

fn row_problem(lang: Lang, e: &RowError) -> String {
    let v = |s: &str| s.chars().take(40).collect::<String>();
    match &e.problem {
        RowProblem::Missing(c) => tf(
            lang,
            "row-missing",
            &[("column", Arg::Text(&column(lang, *c)))],
        ),
        RowProblem::BadName => t(lang, "row-bad-name"),
        RowProblem::BadGuardian => t(lang, "row-bad-guardian"),
        RowProblem::BadSex(x) => tf(lang, "row-bad-sex", &[("value", Arg::Text(&v(x)))]),
        RowProblem::BadDate { column: c, value } => tf(
            lang,
            "row-bad-date",
            &[
                ("column", Arg::Text(&column(lang, *c))),
                ("value", Arg::Text(&v(value))),
            ],
        ),
        RowProblem::BornInFuture => t(lang, "row-born-in-future"),
        RowProblem::OverFiveYears => t(lang, "row-over-five"),
        RowProblem::UnknownKecamatan(x) => tf(
            lang,
            "row-unknown-kecamatan",
            &[("value", Arg::Text(&v(x)))],
        ),
        RowProblem::UnknownVillage(x) => {
            tf(lang, "row-unknown-village", &[("value", Arg::Text(&v(x)))])
        }
        RowProblem::BadPhone(x) => tf(lang, "row-bad-phone", &[("value", Arg::Text(&v(x)))]),
        RowProblem::BadNik(x) => tf(lang, "row-bad-nik", &[("value", Arg::Text(&v(x)))]),
        RowProblem::BadNumber { column: c, value } => tf(
            lang,
            "row-bad-number",
            &[
                ("column", Arg::Text(&column(lang, *c))),
                ("value", Arg::Text(&v(value))),
            ],
        ),
        RowProblem::ImplausibleMeasurement => t(lang, "row-implausible"),
        RowProblem::MeasurementBeforeBirth => t(lang, "row-measured-before-birth"),
        RowProblem::MeasuredInFuture => t(lang, "row-measured-in-future"),
        RowProblem::DuplicateOf { line } => {
            tf(lang, "row-duplicate", &[("line", Arg::Num(*line as i64))])
        }
    }
}

fn region_problem(lang: Lang, p: &region_file::RowProblem) -> String {
    match p {
        region_file::RowProblem::Missing(c) => tf(
            lang,
            "row-missing",
            &[("column", Arg::Text(&c.to_string()))],
        ),
        region_file::RowProblem::BadCode(x) => tf(lang, "row-bad-code", &[("value", Arg::Text(x))]),
        region_file::RowProblem::BadName(x) => {
            tf(lang, "row-bad-region-name", &[("value", Arg::Text(x))])
        }
        region_file::RowProblem::BadZone(x) => tf(lang, "row-bad-zone", &[("value", Arg::Text(x))]),
        region_file::RowProblem::BadPoint(x) => {
            tf(lang, "row-bad-point", &[("value", Arg::Text(x))])
        }
        region_file::RowProblem::DuplicateOf { line } => {
            tf(lang, "row-duplicate", &[("line", Arg::Num(*line as i64))])
        }
    }
}

/// How many rejected rows a report lists before it only counts them (the chat message stays readable).
const LISTED_ERRORS: usize = 30;

/// The report as a message (HTML).
pub fn render(lang: Lang, file_name: &str, report: &Report) -> String {
    if let Some(reason) = &report.refused {
        return tf(
            lang,
            "import-refused",
            &[
                ("file", Arg::Text(file_name)),
                ("reason", Arg::Text(reason)),
            ],
        );
    }
    let mut lines = vec![tf(
        lang,
        "import-report",
        &[
            ("file", Arg::Text(file_name)),
            ("rows", Arg::Num(report.rows as i64)),
            ("added", Arg::Num(report.added as i64)),
            ("updated", Arg::Num(report.updated as i64)),
            ("unchanged", Arg::Num(report.unchanged as i64)),
            ("rejected", Arg::Num(report.errors.len() as i64)),
        ],
    )];
    for (line, problem) in report.errors.iter().take(LISTED_ERRORS) {
        lines.push(tf(
            lang,
            "import-row-error",
            &[
                ("line", Arg::Num(*line as i64)),
                ("problem", Arg::Html(problem)),
            ],
        ));
    }
    if report.errors.len() > LISTED_ERRORS {
        lines.push(tf(
            lang,
            "list-more",
            &[(
                "count",
                Arg::Num((report.errors.len() - LISTED_ERRORS) as i64),
            )],
        ));
    }
    lines.join("\n")
}
