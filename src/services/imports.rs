//! Applying an import: a checked file of children, measurements or regions goes into the database in one
//! transaction, valid rows applied and invalid ones reported by line. A child is recognised by NIK, else by
//! name, birth date and guardian, and a measurement by its child and day, so importing the same file twice
//! changes nothing.

use crate::domain::child::ChildId;
use crate::domain::digest::MESSAGE_LIMIT;
use crate::domain::measurement::{self, LengthMm, Reading, WeightG};
use crate::domain::policy::{self, Action, Actor};
use crate::domain::region::{is_hidden_char, parse_zone};
use crate::domain::role::Scope;
use crate::domain::{Lang, RegionCode, RegionLevel};
use crate::i18n::{Arg, t, tf};
use crate::import::children::{
    self, ChildRecord, Column, FileProblem, Found as Place, RegionLookup, RowError, RowProblem,
};
use crate::import::measurements::{
    self as measurement_file, ChildRef, Column as MeasurementColumn, Identity, MeasurementRecord,
};
use crate::import::names::{self, Match};
use crate::import::{self as reader, regions as region_file};
use crate::services::growth;
use crate::services::sponsorships::child_place_of;
use crate::store::children::{Child, NewChild};
use crate::store::measurements::{Saved, Source};
use crate::store::{self, Conn, Db, audit, children as store_children, import_jobs, regions};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::{Jakarta, Jayapura};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What became of an imported file (children, measurements or regions).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<(usize, String)>,
    /// Lines imported with a remark to check (the file's own z-score far from WHO's).
    pub warnings: Vec<(usize, String)>,
    /// The file as a whole was refused (nothing applied).
    pub refused: Option<String>,
    /// The rejected rows as a CSV file (the file's header and cells, and a reason column) that can be
    /// corrected and sent back as it is; `None` when nothing was rejected.
    pub rejected_rows: Option<String>,
}

/// The regions set up, for turning a cell (a code or a name as people write it) into a code; limited to a
/// coordinator's scope. Names are compared by [`names::region_key`], and a close spelling resolves when one
/// name is clearly nearest ([`names::resolve`]).
struct Regions {
    /// (key, official name, code) of every regency/city and every kecamatan.
    regencies: Vec<(String, String, RegionCode)>,
    kecamatan: Vec<(String, String, RegionCode)>,
    /// Per kecamatan: (key, official name, code) of its villages.
    villages: HashMap<RegionCode, Vec<(String, String, RegionCode)>>,
    /// Village key → the (kecamatan, village) pairs that have it, across the scope.
    village_anywhere: HashMap<String, Vec<(RegionCode, RegionCode)>>,
    /// Every region by its code, with its official name.
    names: HashMap<RegionCode, String>,
}

type Named = (String, String, RegionCode);

impl Regions {
    async fn load(db: &Db, scope: &Scope) -> store::Result<Self> {
        let mut conn = db.conn().await?;
        let (all, _) = regions::in_scope(&mut conn, scope, i64::MAX).await?;
        let mut me = Regions {
            regencies: Vec::new(),
            kecamatan: Vec::new(),
            villages: HashMap::new(),
            village_anywhere: HashMap::new(),
            names: HashMap::new(),
        };
        for r in all {
            me.names.insert(r.code.clone(), r.name.clone());
            let key = names::region_key(&r.name);
            match r.level {
                RegionLevel::Regency => me.regencies.push((key, r.name, r.code)),
                RegionLevel::District => me.kecamatan.push((key, r.name, r.code)),
                RegionLevel::Village => {
                    if let Some(parent) = r.code.parent() {
                        me.village_anywhere
                            .entry(key.clone())
                            .or_default()
                            .push((parent.clone(), r.code.clone()));
                        me.villages
                            .entry(parent)
                            .or_default()
                            .push((key, r.name, r.code));
                    }
                }
                RegionLevel::Province => {}
            }
        }
        Ok(me)
    }

    /// A Kemendagri code of `level` set up in the scope.
    fn by_code(&self, text: &str, level: RegionLevel) -> Option<RegionCode> {
        let code = RegionCode::parse(text.trim()).ok()?;
        (code.level() == level && self.names.contains_key(&code)).then_some(code)
    }

    /// The name of a region, or its code when it is not set up.
    fn name_of(&self, code: &RegionCode) -> String {
        self.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// `text` among `list`; several regions of the same name are told apart by where they lie.
    fn find<'a>(&self, text: &str, list: impl IntoIterator<Item = &'a Named>) -> Place {
        let list = list
            .into_iter()
            .map(|(k, n, c)| (k.as_str(), n.as_str(), c));
        match names::resolve(text, list) {
            Match::One(code) => Place::One(code),
            Match::Several(codes) => Place::Several(
                codes
                    .iter()
                    .map(|c| {
                        c.parent()
                            .map_or_else(|| c.to_string(), |p| self.name_of(&p))
                    })
                    .collect(),
            ),
            Match::None(nearest) => Place::Unknown(nearest),
        }
    }
}

impl RegionLookup for Regions {
    fn regency(&self, text: &str) -> Place {
        match self.by_code(text, RegionLevel::Regency) {
            Some(code) => Place::One(code),
            None => self.find(text, &self.regencies),
        }
    }

    fn kecamatan(&self, regency: Option<&RegionCode>, text: &str) -> Place {
        if let Some(code) = self.by_code(text, RegionLevel::District) {
            return Place::One(code);
        }
        let inside = |k: &&Named| regency.is_none_or(|r| r.contains(&k.2));
        self.find(text, self.kecamatan.iter().filter(inside))
    }

    fn village(&self, kecamatan: &RegionCode, text: &str) -> Place {
        if let Some(code) = self.by_code(text, RegionLevel::Village) {
            return match kecamatan.contains(&code) {
                true => Place::One(code),
                false => Place::Unknown(Vec::new()),
            };
        }
        self.find(text, self.villages.get(kecamatan).into_iter().flatten())
    }

    fn villages_named(
        &self,
        regency: Option<&RegionCode>,
        text: &str,
    ) -> Vec<(RegionCode, RegionCode, String)> {
        let pairs = match self.by_code(text, RegionLevel::Village) {
            Some(code) => code.parent().map(|k| (k, code)).into_iter().collect(),
            None => self
                .village_anywhere
                .get(&names::region_key(text))
                .cloned()
                .unwrap_or_default(),
        };
        pairs
            .into_iter()
            .filter(|(k, _)| regency.is_none_or(|r| r.contains(k)))
            .map(|(k, v)| {
                let name = self.name_of(&k);
                (k, v, name)
            })
            .collect()
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
        puskesmas: r.puskesmas.clone(),
    }
}

/// The measurement of an import row. Lists do not say how a child was measured, so WHO's convention is
/// assumed: lying under two years, standing from two. `None` when a value cannot be a measurement at all
/// (the row's own checks refuse those first).
fn reading(r: &ChildRecord) -> Option<Reading> {
    let m = r.measurement.as_ref()?;
    Some(Reading {
        measured_on: m.measured_on,
        length: LengthMm::from_mm((m.height_cm * 10.0).round() as i64).ok()?,
        position: m
            .position
            .unwrap_or_else(|| measurement::usual_position(r.birth_date, m.measured_on)),
        weight: match m.weight_kg {
            Some(kg) => Some(WeightG::from_g((kg * 1000.0).round() as i64).ok()?),
            None => None,
        },
        muac: None,
    })
}

/// A coordinator sent a file to import: it waits, durably, for the import worker, which applies it with
/// the coordinator's roles as they are then.
pub async fn receive(
    conn: &mut Conn,
    who: &Actor,
    kind: &str,
    chat_id: i64,
    file_id: &str,
    file_name: &str,
    now: DateTime<Utc>,
) -> store::Result<Result<(), policy::Denied>> {
    if let Err(d) = policy::check(who, Action::Coordinate) {
        return Ok(Err(d));
    }
    import_jobs::create(conn, kind, chat_id, who.user.0, file_id, file_name, now).await?;
    Ok(Ok(()))
}

/// Checks and applies a children's file. `lang` is the language of the row messages in the report.
pub async fn import_children(
    db: &Db,
    bytes: &[u8],
    file_name: &str,
    who: &Actor,
    lang: Lang,
    now: DateTime<Utc>,
) -> store::Result<Report> {
    let Some(scope) = who.roles.coordinator.as_ref() else {
        return Ok(refused(t(lang, "error-not-allowed")));
    };
    let actor = who.recorded();
    let Some(kind) = reader::detect(file_name, bytes) else {
        return Ok(refused(t(lang, "import-wrong-type")));
    };
    let lookup = Regions::load(db, scope).await?;
    // Reading a file is CPU work (a 10,000-row XLSX takes a few hundred milliseconds): it runs on a
    // blocking thread, so the updates of everyone else keep being handled meanwhile.
    let owned = bytes.to_vec();
    let today = now.date_naive();
    let read = tokio::task::spawn_blocking(move || children::parse(kind, &owned, today, &lookup))
        .await
        .map_err(|e| store::StoreError::Corrupt(format!("reading the file stopped: {e}")))?;
    let parsed = match read {
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
    // Applied in short transactions, taking turns with other writers, so a large file never holds SQLite's
    // one writer for long: people writing to the bot meanwhile are answered between two batches. Each row is applied once whatever
    // happens (a child is found again by NIK or identity), so a file sent again changes nothing.
    let mut turns = db.turns();
    for batch in parsed.records.chunks(APPLY_BATCH) {
        let mut tx = db.begin().await?;
        for (line, record) in batch {
            apply_child(&mut tx, who, actor, lang, *line, record, &mut report, now).await?;
        }
        tx.commit().await?;
        turns.between().await;
    }
    report.errors.sort_by_key(|(line, _)| *line);
    report.warnings.sort_by_key(|(line, _)| *line);
    let (owned, errors) = (bytes.to_vec(), report.errors.clone());
    report.rejected_rows =
        tokio::task::spawn_blocking(move || rejected_rows(kind, &owned, lang, &errors))
            .await
            .map_err(|e| {
                store::StoreError::Corrupt(format!("writing the rejected rows stopped: {e}"))
            })?;
    Ok(report)
}

/// How many rows of a children's file one transaction applies.
const APPLY_BATCH: usize = 250;

/// How far a file's own z-score may be from WHO's before the line is named for checking.
const FILE_Z_TOLERANCE: f64 = 1.0;

/// One checked row into the registry: a new child, an update of one of the actor's area, or unchanged;
/// then its measurement through the growth checks, and its file z-scores compared with WHO's.
#[allow(clippy::too_many_arguments)]
async fn apply_child(
    tx: &mut Conn,
    who: &Actor,
    actor: Option<crate::domain::UserId>,
    lang: Lang,
    line: usize,
    record: &ChildRecord,
    report: &mut Report,
    now: DateTime<Utc>,
) -> store::Result<()> {
    let child = new_child(record);
    let found = store_children::find(tx, child.nik.as_deref(), &child.identity_key).await?;
    // The row names a child already registered: only a coordinator of where that child lives now may
    // change them (a row cannot move a child of another region into one's own).
    if let Some((id, _)) = found
        && !may_manage(tx, who, id).await?
    {
        report.errors.push((
            line,
            tf(
                lang,
                "row-child-outside-scope",
                &[("child", Arg::Text(record.name.as_str()))],
            ),
        ));
        return Ok(());
    }
    let id = match found {
        Some((id, fingerprint)) if fingerprint == child.fingerprint() => {
            report.unchanged += 1;
            id
        }
        Some((id, _)) => {
            store_children::update(tx, id, &child, now).await?;
            audit::record(
                tx,
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
            let id = store_children::insert(tx, &child, now).await?;
            audit::record(
                tx,
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
    // The child is in; a measurement that does not pass the growth checks is left out and reported.
    let (Some(reading), Some(child)) = (reading(record), store_children::get(tx, id).await?) else {
        return Ok(());
    };
    // The region list gives each kecamatan its zone; WIB only stands in for one without.
    let today = growth::local_today(tx, &child, Jakarta, now).await?;
    match growth::record(tx, &child, &reading, today, Source::Import, actor, now).await? {
        Err(refusal) => {
            let why = growth::refusal_text(lang, &refusal);
            report.errors.push((
                line,
                tf(
                    lang,
                    "row-measurement-refused",
                    &[("reason", Arg::Text(&why))],
                ),
            ));
        }
        Ok(recorded) => {
            if let Some(m) = &record.measurement {
                let ours = [Some(recorded.z.haz), recorded.z.waz, recorded.z.whz];
                let theirs = [m.file_z.haz, m.file_z.waz, m.file_z.whz];
                for ((indicator, ours), theirs) in
                    ["TB/U", "BB/U", "BB/TB"].iter().zip(ours).zip(theirs)
                {
                    if let (Some(ours), Some(theirs)) = (ours, theirs)
                        && (ours - theirs).abs() > FILE_Z_TOLERANCE
                    {
                        report.warnings.push((
                            line,
                            tf(
                                lang,
                                "row-z-differs",
                                &[
                                    ("indicator", Arg::Text(indicator)),
                                    ("file", Arg::Text(&growth::decimal(lang, theirs, 2))),
                                    ("ours", Arg::Text(&growth::decimal(lang, ours, 2))),
                                ],
                            ),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The rejected rows of a file as a CSV the coordinator can correct and send back: the file's own header
/// with a reason column, and each rejected line's cells as they were.
fn rejected_rows(
    kind: reader::FileKind,
    bytes: &[u8],
    lang: Lang,
    errors: &[(usize, String)],
) -> Option<String> {
    if errors.is_empty() {
        return None;
    }
    let table = reader::read_table(kind, bytes, children::MAX_ROWS).ok()??;
    let table = table.skip_titles(children::is_header);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = table.header.cells.clone();
    header.push(t(lang, "import-rejected-reason-column"));
    w.write_record(&header).ok()?;
    for row in &table.rows {
        let reasons: Vec<&str> = errors
            .iter()
            .filter(|(line, _)| *line == row.line)
            .map(|(_, why)| why.as_str())
            .collect();
        if reasons.is_empty() {
            continue;
        }
        let mut cells = row.cells.clone();
        cells.resize(table.header.cells.len(), String::new());
        cells.push(crate::report_files::csv_text(&plain(&reasons.join("; "))).into_owned());
        w.write_record(&cells).ok()?;
    }
    let bytes = w.into_inner().ok()?;
    Some(format!("\u{feff}{}", String::from_utf8(bytes).ok()?))
}

/// Text of a report line without its HTML (`<b>`, entities), for a file.
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether the actor may manage the stored child `id` (where the child lives now).
async fn may_manage(conn: &mut Conn, who: &Actor, id: ChildId) -> store::Result<bool> {
    Ok(match store_children::get(conn, id).await? {
        Some(c) => policy::check(who, Action::ManageChild(child_place_of(&c))).is_ok(),
        None => false,
    })
}

/// Checks and applies a measurements file: each row's child is found (by asuh id, NIK, or name and birth
/// date) inside the coordinator's scope, and its measurement goes through [`growth::record`], the checks of
/// a measurement typed in the chat. All in one transaction; the same file again finds every day recorded
/// with the same values and changes nothing.
pub async fn import_measurements(
    db: &Db,
    bytes: &[u8],
    file_name: &str,
    who: &Actor,
    lang: Lang,
    now: DateTime<Utc>,
) -> store::Result<Report> {
    let Some(scope) = who.roles.coordinator.as_ref() else {
        return Ok(refused(t(lang, "error-not-allowed")));
    };
    let actor = who.recorded();
    let Some(kind) = reader::detect(file_name, bytes) else {
        return Ok(refused(t(lang, "import-wrong-type")));
    };
    // The date in WIT, Indonesia's easternmost zone: a measurement of today in Papua is not refused as
    // future here; `growth::record` then checks against the date in the child's own zone.
    let latest = now.with_timezone(&Jayapura).date_naive();
    let parsed = match measurement_file::parse(kind, bytes, latest) {
        Ok(p) => p,
        Err(problem) => return Ok(refused(measurement_file_problem(lang, &problem))),
    };
    let mut report = Report {
        rows: parsed.rows,
        ..Report::default()
    };
    report.errors = parsed
        .errors
        .iter()
        .map(|e| (e.line, measurement_row_problem(lang, &e.problem)))
        .collect();
    let mut tx = db.begin().await?;
    let mut finder = ChildFinder::default();
    let mut found: Vec<(ChildId, &MeasurementRecord)> = Vec::with_capacity(parsed.records.len());
    for record in &parsed.records {
        let refusal = match finder.find(&mut tx, who, scope, &record.child).await? {
            Found::Child(id) => {
                found.push((id, record));
                continue;
            }
            Found::None => "row-child-not-found",
            Found::OutsideScope => "row-child-outside-scope",
            Found::Several => "row-child-ambiguous",
        };
        let child = child_ref_text(&record.child);
        report.errors.push((
            record.line,
            tf(lang, refusal, &[("child", Arg::Text(&child))]),
        ));
    }
    // Each child's rows in date order, so a file with a whole history checks every measurement against
    // the one before it, as if they had been entered one visit at a time.
    found.sort_by_key(|(id, r)| (id.0, r.measured_on, r.line));
    let mut first_of_day: Option<(ChildId, NaiveDate, usize)> = None;
    for (id, record) in found {
        // Two rows that name one child differently (an id here, a NIK there) for the same day: the
        // reader could not tell; the second would overwrite the first.
        if let Some((_, _, line)) =
            first_of_day.filter(|(c, on, _)| *c == id && *on == record.measured_on)
        {
            report.errors.push((
                record.line,
                tf(
                    lang,
                    "row-duplicate-measurement",
                    &[("line", Arg::Num(line as i64))],
                ),
            ));
            continue;
        }
        first_of_day = Some((id, record.measured_on, record.line));
        // Always there: `find` answers `Place::Child` only for a child it has loaded.
        let Some(child) = finder.child(id) else {
            continue;
        };
        let reading = Reading {
            measured_on: record.measured_on,
            length: record.length,
            position: record.position.unwrap_or_else(|| {
                measurement::usual_position(child.birth_date, record.measured_on)
            }),
            weight: record.weight,
            muac: record.muac,
        };
        // The region list gives each kecamatan its zone; WIB only stands in for one without.
        let today = growth::local_today(&mut tx, child, Jakarta, now).await?;
        let recorded =
            growth::record(&mut tx, child, &reading, today, Source::Import, actor, now).await?;
        let action = match recorded.map(|r| r.saved) {
            Ok(Saved::Unchanged) => {
                report.unchanged += 1;
                continue;
            }
            Ok(Saved::Added) => {
                report.added += 1;
                "measurement.import.add"
            }
            Ok(Saved::Replaced(_)) => {
                report.updated += 1;
                "measurement.import.replace"
            }
            Err(refusal) => {
                let why = growth::refusal_text(lang, &refusal);
                report.errors.push((
                    record.line,
                    tf(
                        lang,
                        "row-measurement-not-recorded",
                        &[("reason", Arg::Text(&why))],
                    ),
                ));
                continue;
            }
        };
        audit::record(
            &mut tx,
            now,
            actor,
            action,
            &format!("child:{id}"),
            Some(&record.measured_on.to_string()),
        )
        .await?;
    }
    report.errors.sort_by_key(|(line, _)| *line);
    tx.commit().await?;
    Ok(report)
}

/// What looking a row's child up found.
enum Found {
    Child(ChildId),
    None,
    /// The child exists, in another coordinator's area.
    OutsideScope,
    /// More than one child of the scope has the name and birth date, and nothing else tells them apart.
    Several,
}

/// Finds the children a file names, remembering each answer: a file of a year's visits names each child
/// a dozen times.
#[derive(Default)]
struct ChildFinder {
    children: HashMap<ChildId, Child>,
    /// By [`ChildRef::key`].
    answers: HashMap<String, Option<ChildId>>,
    /// The scope's children by folded name and birth date, read once when a row needs it.
    by_name: Option<HashMap<(String, NaiveDate), Vec<ChildId>>>,
}

impl ChildFinder {
    fn child(&self, id: ChildId) -> Option<&Child> {
        self.children.get(&id)
    }

    async fn find(
        &mut self,
        conn: &mut Conn,
        who: &Actor,
        scope: &Scope,
        child: &ChildRef,
    ) -> store::Result<Found> {
        let key = child.key();
        let id = match self.answers.get(&key) {
            Some(answer) => *answer,
            None => {
                let found = match child {
                    ChildRef::Id(id) => Some(*id),
                    // An identity key always holds `|`, so passing the NIK as the key looks up by NIK only;
                    // the fallback to the name goes through `by_identity`, which knows a missing guardian.
                    ChildRef::Nik { nik, identity } => {
                        match store_children::find(conn, Some(nik.as_str()), nik.as_str()).await? {
                            Some((id, _)) => Some(id),
                            None => match identity {
                                Some(who) => match self.by_identity(conn, scope, who).await? {
                                    Found::Child(id) => Some(id),
                                    Found::Several => return Ok(Found::Several),
                                    _ => None,
                                },
                                None => None,
                            },
                        }
                    }
                    ChildRef::Identity(who) => match self.by_identity(conn, scope, who).await? {
                        Found::Child(id) => Some(id),
                        Found::Several => return Ok(Found::Several),
                        _ => None,
                    },
                };
                self.answers.insert(key, found);
                found
            }
        };
        let Some(id) = id else {
            return Ok(Found::None);
        };
        let child = match self.children.entry(id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => match store_children::get(conn, id).await? {
                Some(c) => slot.insert(c),
                None => return Ok(Found::None),
            },
        };
        Ok(
            if policy::check(who, Action::ManageChild(child_place_of(child))).is_ok() {
                Found::Child(id)
            } else {
                Found::OutsideScope
            },
        )
    }

    /// A child by name and birth date: with the guardian, by the children import's identity key (the same
    /// child that import recognises); without, among the scope's children, and only when one matches.
    async fn by_identity(
        &mut self,
        conn: &mut Conn,
        scope: &Scope,
        who: &Identity,
    ) -> store::Result<Found> {
        if let Some(key) = who.identity_key() {
            return Ok(match store_children::find(conn, None, &key).await? {
                Some((id, _)) => Found::Child(id),
                None => Found::None,
            });
        }
        if self.by_name.is_none() {
            // A name written another way (`Nur'aini`, `Nuraini`) escapes a SQL LIKE, so the scope's children
            // are read once and matched folded, as identity keys are.
            let filter = store_children::Filter::default();
            let (all, _) = store_children::search(conn, scope, &filter, i64::MAX).await?;
            let mut index: HashMap<(String, NaiveDate), Vec<ChildId>> = HashMap::new();
            for c in all {
                index
                    .entry((children::fold_name(&c.full_name), c.birth_date))
                    .or_default()
                    .push(c.id);
                self.children.insert(c.id, c);
            }
            self.by_name = Some(index);
        }
        let ids = self
            .by_name
            .as_ref()
            .and_then(|index| index.get(&who.name_key()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        Ok(match ids {
            [] => Found::None,
            [id] => Found::Child(*id),
            _ => Found::Several,
        })
    }
}

/// How a row named its child, to quote in the report: `ID 12`, `NIK …`, `Budi Santoso, 01-02-2025`.
fn child_ref_text(child: &ChildRef) -> String {
    match child {
        ChildRef::Id(id) => format!("ID {id}"),
        ChildRef::Nik { nik, .. } => format!("NIK {nik}"),
        ChildRef::Identity(who) => format!(
            "{}, {}",
            who.name.as_str(),
            who.birth_date.format("%d-%m-%Y")
        ),
    }
}

/// Checks and applies a regions file (Kemendagri code, name, optional zone) inside the coordinator's scope.
pub async fn import_regions(
    db: &Db,
    bytes: &[u8],
    file_name: &str,
    who: &Actor,
    lang: Lang,
    now: DateTime<Utc>,
) -> store::Result<Report> {
    if who.roles.coordinator.is_none() {
        return Ok(refused(t(lang, "error-not-allowed")));
    }
    let actor = who.recorded();
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
        if policy::check(who, Action::ManageRegion(code)).is_err() {
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
    TooLarge(reader::TooLarge),
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
            Self::TooLarge(reader::TooLarge::Unpacked { max_mb }) => tf(
                lang,
                "file-unpacks-too-large",
                &[("max", Arg::Num(i64::try_from(*max_mb).unwrap_or(i64::MAX)))],
            ),
            Self::TooLarge(reader::TooLarge::Ratio { max }) => tf(
                lang,
                "file-unpacks-too-dense",
                &[("max", Arg::Num(i64::try_from(*max).unwrap_or(i64::MAX)))],
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
        FileProblem::TooLarge(why) => Refusal::TooLarge(*why),
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
        P::TooLarge(why) => Refusal::TooLarge(*why),
    }
    .render(lang)
}

fn row_problem(lang: Lang, e: &RowError) -> String {
    let v = shown;
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
        RowProblem::NearKecamatan { value, nearest } => tf(
            lang,
            "row-near-kecamatan",
            &[
                ("value", Arg::Text(&v(value))),
                ("nearest", Arg::Text(&nearest.join(", "))),
            ],
        ),
        RowProblem::NearVillage { value, nearest } => tf(
            lang,
            "row-near-village",
            &[
                ("value", Arg::Text(&v(value))),
                ("nearest", Arg::Text(&nearest.join(", "))),
            ],
        ),
        RowProblem::VillageInSeveral { value, kecamatan } => tf(
            lang,
            "row-village-in-several",
            &[
                ("value", Arg::Text(&v(value))),
                ("kecamatan", Arg::Text(&kecamatan.join(", "))),
            ],
        ),
        RowProblem::KecamatanInSeveral { value, regencies } => tf(
            lang,
            "row-kecamatan-in-several",
            &[
                ("value", Arg::Text(&v(value))),
                ("regencies", Arg::Text(&regencies.join(", "))),
            ],
        ),
        RowProblem::VillageElsewhere { value, kecamatan } => tf(
            lang,
            "row-village-elsewhere",
            &[
                ("value", Arg::Text(&v(value))),
                ("kecamatan", Arg::Text(kecamatan)),
            ],
        ),
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

/// The name of a measurements list's column: the children list's where they share one.
fn measurement_column(lang: Lang, c: MeasurementColumn) -> String {
    match c {
        MeasurementColumn::ChildId => t(lang, "import-column-child-id"),
        MeasurementColumn::Position => t(lang, "import-column-position"),
        MeasurementColumn::Muac => t(lang, "import-column-muac"),
        _ => t(lang, &format!("column-{}", c.as_str().replace('_', "-"))),
    }
}

fn measurement_file_problem(lang: Lang, p: &measurement_file::FileProblem) -> String {
    use measurement_file::FileProblem as P;
    match p {
        P::Unreadable(detail) => Refusal::Unreadable(detail),
        P::Empty => Refusal::Empty,
        P::MissingColumns { columns, child } => {
            let mut names: Vec<String> = Vec::new();
            if *child {
                names.push(t(lang, "import-column-child-ref"));
            }
            names.extend(columns.iter().map(|c| measurement_column(lang, *c)));
            Refusal::MissingColumns(names)
        }
        P::TooManyRows { max } => Refusal::TooManyRows(*max),
        P::TooLarge(why) => Refusal::TooLarge(*why),
    }
    .render(lang)
}

fn measurement_row_problem(lang: Lang, p: &measurement_file::RowProblem) -> String {
    use measurement_file::RowProblem as P;
    let v = shown;
    let in_column = |key: &str, c: &MeasurementColumn, value: &str| {
        tf(
            lang,
            key,
            &[
                ("column", Arg::Text(&measurement_column(lang, *c))),
                ("value", Arg::Text(&v(value))),
            ],
        )
    };
    match p {
        P::Missing(c) => tf(
            lang,
            "row-missing",
            &[("column", Arg::Text(&measurement_column(lang, *c)))],
        ),
        P::NoChild => t(lang, "row-no-child"),
        P::BadChildId(x) => tf(lang, "row-bad-child-id", &[("value", Arg::Text(&v(x)))]),
        P::BadNik(x) => tf(lang, "row-bad-nik", &[("value", Arg::Text(&v(x)))]),
        P::BadName => t(lang, "row-bad-name"),
        P::BadGuardian => t(lang, "row-bad-guardian"),
        P::BadDate { column, value } => in_column("row-bad-date", column, value),
        P::BadNumber { column, value } => in_column("row-bad-number", column, value),
        P::OutOfRange { column, value } => in_column("row-out-of-range", column, value),
        P::BadPosition(x) => tf(lang, "row-bad-position", &[("value", Arg::Text(&v(x)))]),
        P::MeasuredInFuture => t(lang, "row-measured-in-future"),
        P::DuplicateOf { line } => tf(
            lang,
            "row-duplicate-measurement",
            &[("line", Arg::Num(*line as i64))],
        ),
    }
}

fn region_problem(lang: Lang, p: &region_file::RowProblem) -> String {
    match p {
        region_file::RowProblem::Missing(c) => tf(
            lang,
            "row-missing",
            &[("column", Arg::Text(&c.to_string()))],
        ),
        region_file::RowProblem::BadCode(x) => {
            tf(lang, "row-bad-code", &[("value", Arg::Text(&shown(x)))])
        }
        region_file::RowProblem::BadName(x) => tf(
            lang,
            "row-bad-region-name",
            &[("value", Arg::Text(&shown(x)))],
        ),
        region_file::RowProblem::HiddenCharacters(x) => tf(
            lang,
            "row-hidden-characters",
            &[("value", Arg::Text(&shown(x)))],
        ),
        region_file::RowProblem::BadZone(x) => {
            tf(lang, "row-bad-zone", &[("value", Arg::Text(&shown(x)))])
        }
        region_file::RowProblem::BadPoint(x) => {
            tf(lang, "row-bad-point", &[("value", Arg::Text(&shown(x)))])
        }
        region_file::RowProblem::DuplicateOf { line } => {
            tf(lang, "row-duplicate", &[("line", Arg::Num(*line as i64))])
        }
    }
}

/// A cell's text as a report quotes it: its first 40 characters, a hidden character (a control character,
/// a bidi override) shown as `�` — it would reorder the message around it, and PostgreSQL keeps no NUL.
fn shown(s: &str) -> String {
    s.chars()
        .take(40)
        .map(|c| if is_hidden_char(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// The report as messages (HTML), every rejected and warned line named: the first message has the figures,
/// and the lists go on over as many messages as Telegram's limit needs.
pub fn render(lang: Lang, file_name: &str, report: &Report) -> Vec<String> {
    crate::domain::digest::pack(&blocks(lang, file_name, report), MESSAGE_LIMIT)
}

/// The report as one text (for the command line, which has no message limit).
pub fn render_all(lang: Lang, file_name: &str, report: &Report) -> String {
    blocks(lang, file_name, report)
        .into_iter()
        .map(|b| b.join("\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The report's parts: the figures with the rejected lines, the warned lines, the note on the file.
fn blocks(lang: Lang, file_name: &str, report: &Report) -> Vec<Vec<String>> {
    if let Some(reason) = &report.refused {
        return vec![vec![tf(
            lang,
            "import-refused",
            &[
                ("file", Arg::Text(file_name)),
                ("reason", Arg::Text(reason)),
            ],
        )]];
    }
    let line = |key: &str, line: usize, problem: &str| {
        tf(
            lang,
            key,
            &[
                ("line", Arg::Num(line as i64)),
                ("problem", Arg::Html(problem)),
            ],
        )
    };
    let mut figures = vec![tf(
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
    figures.extend(
        report
            .errors
            .iter()
            .map(|(n, problem)| line("import-row-error", *n, problem)),
    );
    let mut blocks = vec![figures];
    if !report.warnings.is_empty() {
        let mut warned = vec![tf(
            lang,
            "import-warnings",
            &[("count", Arg::Num(report.warnings.len() as i64))],
        )];
        warned.extend(
            report
                .warnings
                .iter()
                .map(|(n, problem)| line("import-row-warning", *n, problem)),
        );
        blocks.push(warned);
    }
    if report.rejected_rows.is_some() {
        blocks.push(vec![t(lang, "import-rejected-file-note")]);
    }
    blocks
}
