//! A child's measurements (one per day) with their WHO z-scores, and the graduation questions they raise.
//!
//! `children.haz_milli` is kept as the height-for-age z-score of the child's latest measurement by date: the
//! matcher's severity and the digests' ordering read it without touching this table.

use super::{Conn, Result, StoreError, from_millis, millis};
use crate::domain::UserId;
use crate::domain::child::{ChildId, Sex};
use crate::domain::growth::{Position, ZScores};
use crate::domain::measurement::{Reading, Recorded};
use crate::domain::sponsorship::SponsorshipId;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

/// Who entered a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A volunteer or coordinator in the chat.
    Chat,
    /// A coordinator's file (children list or measurements list).
    Import,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Chat => "chat",
            Source::Import => "import",
        }
    }
}

/// A z-score as stored: × 1000, rounded.
pub fn milli(z: f64) -> i64 {
    (z * 1000.0).round() as i64
}

pub fn from_milli(z: i64) -> f64 {
    z as f64 / 1000.0
}

fn position_text(p: Position) -> &'static str {
    match p {
        Position::Lying => "lying",
        Position::Standing => "standing",
    }
}

fn parse_position(s: &str) -> Result<Position> {
    match s {
        "lying" => Ok(Position::Lying),
        "standing" => Ok(Position::Standing),
        other => Err(StoreError::Corrupt(format!("position {other}"))),
    }
}

/// A recorded measurement with its z-scores (× 1000).
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub measured_on: NaiveDate,
    pub length_mm: i64,
    pub position: Position,
    pub weight_g: Option<i64>,
    pub muac_mm: Option<i64>,
    pub haz_milli: Option<i64>,
    pub waz_milli: Option<i64>,
    pub whz_milli: Option<i64>,
    pub baz_milli: Option<i64>,
}

impl Measurement {
    pub fn recorded(&self) -> Recorded {
        Recorded {
            measured_on: self.measured_on,
            length_mm: self.length_mm,
            position: self.position,
            weight_g: self.weight_g,
        }
    }

    pub fn haz(&self) -> Option<f64> {
        self.haz_milli.map(from_milli)
    }

    /// Whether `reading` with `z` says the same as this: entering it again changes nothing.
    fn same_as(&self, new: &New) -> bool {
        *self == new.as_measurement()
    }
}

/// A measurement to record: what was read and the z-scores it gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct New {
    pub reading: Reading,
    pub z: ZScores,
}

impl New {
    /// The measurement as it will be stored.
    pub fn as_measurement(&self) -> Measurement {
        let r = &self.reading;
        Measurement {
            measured_on: r.measured_on,
            length_mm: r.length.mm(),
            position: r.position,
            weight_g: r.weight.map(|w| w.g()),
            muac_mm: r.muac.map(|m| m.mm()),
            haz_milli: Some(milli(self.z.haz)),
            waz_milli: self.z.waz.map(milli),
            whz_milli: self.z.whz.map(milli),
            baz_milli: self.z.baz.map(milli),
        }
    }
}

/// What recording did.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Added,
    /// The day had a different measurement, which this one corrects.
    Replaced(Measurement),
    /// The day already had exactly this measurement (a file sent twice).
    Unchanged,
}

const COLUMNS: &str = "measured_on, length_mm, position, weight_g, muac_mm, haz_milli, waz_milli, whz_milli, baz_milli";

fn measurement(r: &sqlx::any::AnyRow) -> Result<Measurement> {
    let on: String = r.try_get("measured_on")?;
    Ok(Measurement {
        measured_on: NaiveDate::parse_from_str(&on, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("measured_on {on}: {e}")))?,
        length_mm: r.try_get("length_mm")?,
        position: parse_position(&r.try_get::<String, _>("position")?)?,
        weight_g: r.try_get("weight_g")?,
        muac_mm: r.try_get("muac_mm")?,
        haz_milli: r.try_get("haz_milli")?,
        waz_milli: r.try_get("waz_milli")?,
        whz_milli: r.try_get("whz_milli")?,
        baz_milli: r.try_get("baz_milli")?,
    })
}

/// Records the measurement of its day, replacing a different one of the same day, and keeps the child's
/// latest height-for-age z-score.
pub async fn save(
    conn: &mut Conn,
    child: ChildId,
    new: &New,
    source: Source,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Saved> {
    let row = new.as_measurement();
    let old = on_day(conn, child, row.measured_on).await?;
    // The same thirteen values either correct the day's measurement or add it.
    let sql = match &old {
        Some(old) if old.same_as(new) => return Ok(Saved::Unchanged),
        Some(_) => {
            "UPDATE measurements SET length_mm = $3, position = $4, weight_g = $5, muac_mm = $6,
                 haz_milli = $7, waz_milli = $8, whz_milli = $9, baz_milli = $10, source = $11,
                 recorded_by = $12, updated_at = $13
             WHERE child_id = $1 AND measured_on = $2"
        }
        None => {
            "INSERT INTO measurements (child_id, measured_on, length_mm, position, weight_g, muac_mm,
                 haz_milli, waz_milli, whz_milli, baz_milli, source, recorded_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT (child_id, measured_on) DO NOTHING"
        }
    };
    let done = sqlx::query(sql)
        .bind(child.0)
        .bind(row.measured_on.to_string())
        .bind(row.length_mm)
        .bind(position_text(row.position))
        .bind(row.weight_g)
        .bind(row.muac_mm)
        .bind(row.haz_milli)
        .bind(row.waz_milli)
        .bind(row.whz_milli)
        .bind(row.baz_milli)
        .bind(source.as_str())
        .bind(by.map(|u| u.0))
        .bind(millis(now))
        .execute(&mut *conn)
        .await?;
    let saved = match old {
        Some(old) => Saved::Replaced(old),
        // Two people entering the same day at once: the second insert does nothing, and that one is
        // told the day is recorded (the next look at the card shows whose values stand).
        None if done.rows_affected() == 0 => return Ok(Saved::Unchanged),
        None => Saved::Added,
    };
    refresh_child_haz(conn, child).await?;
    Ok(saved)
}

/// Sets `children.haz_milli` to the height-for-age of the child's latest measurement by date; returns
/// whether it changed.
pub async fn refresh_child_haz(conn: &mut Conn, child: ChildId) -> Result<bool> {
    const LATEST: &str = "(SELECT haz_milli FROM measurements WHERE child_id = $1 ORDER BY measured_on DESC LIMIT 1)";
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE children SET haz_milli = {LATEST}
         WHERE id = $1 AND ((haz_milli IS NULL) <> ({LATEST} IS NULL) OR haz_milli <> {LATEST})"
    )))
    .bind(child.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A recorded measurement with what scoring it needs of its child.
#[derive(Debug, Clone, PartialEq)]
pub struct OfChild {
    pub child: ChildId,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub measurement: Measurement,
}

/// Up to `limit` measurements of every child, ordered by child and day, starting after `after` (a child
/// and day, `None` from the first): one batch of a pass over the whole table.
pub async fn batch_after(
    conn: &mut Conn,
    after: Option<(ChildId, NaiveDate)>,
    limit: i64,
) -> Result<Vec<OfChild>> {
    let (child, day) = after.map_or((i64::MIN, String::new()), |(c, d)| (c.0, d.to_string()));
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT m.child_id, c.sex, c.birth_date, {columns}
         FROM measurements m JOIN children c ON c.id = m.child_id
         WHERE m.child_id > $1 OR (m.child_id = $1 AND m.measured_on > $2)
         ORDER BY m.child_id, m.measured_on LIMIT $3"
    )))
    .bind(child)
    .bind(day)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let sex: String = r.try_get("sex")?;
            let birth: String = r.try_get("birth_date")?;
            Ok(OfChild {
                child: ChildId(r.try_get("child_id")?),
                sex: Sex::parse_code(&sex)
                    .ok_or_else(|| StoreError::Corrupt(format!("sex {sex}")))?,
                birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                    .map_err(|e| StoreError::Corrupt(format!("birth date {birth}: {e}")))?,
                measurement: measurement(r)?,
            })
        })
        .collect()
}

/// Replaces a measurement's z-scores (× 1000) with `z`, provided it still holds the values `was` holds
/// (a measurement corrected meanwhile keeps the z-scores recorded with it); returns whether it did.
pub async fn set_z_scores(
    conn: &mut Conn,
    child: ChildId,
    was: &Measurement,
    z: [Option<i64>; 4],
    now: DateTime<Utc>,
) -> Result<bool> {
    let [haz, waz, whz, bmi] = z;
    let done = sqlx::query(
        "UPDATE measurements SET haz_milli = $3, waz_milli = $4, whz_milli = $5, baz_milli = $6,
             updated_at = $7
         WHERE child_id = $1 AND measured_on = $2 AND length_mm = $8 AND position = $9
             AND COALESCE(weight_g, -1) = $10",
    )
    .bind(child.0)
    .bind(was.measured_on.to_string())
    .bind(haz)
    .bind(waz)
    .bind(whz)
    .bind(bmi)
    .bind(millis(now))
    .bind(was.length_mm)
    .bind(position_text(was.position))
    .bind(was.weight_g.unwrap_or(-1))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The child's measurement of that day, if any.
pub async fn on_day(
    conn: &mut Conn,
    child: ChildId,
    day: NaiveDate,
) -> Result<Option<Measurement>> {
    let sql =
        format!("SELECT {COLUMNS} FROM measurements WHERE child_id = $1 AND measured_on = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(child.0)
        .bind(day.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(measurement).transpose()
}

/// The closest measurements before and after `day` (that day's own left out), to check a new one against.
pub async fn neighbours(
    conn: &mut Conn,
    child: ChildId,
    day: NaiveDate,
) -> Result<(Option<Measurement>, Option<Measurement>)> {
    let before = format!(
        "SELECT {COLUMNS} FROM measurements WHERE child_id = $1 AND measured_on < $2
         ORDER BY measured_on DESC LIMIT 1"
    );
    let after = format!(
        "SELECT {COLUMNS} FROM measurements WHERE child_id = $1 AND measured_on > $2
         ORDER BY measured_on LIMIT 1"
    );
    let mut found = [None, None];
    for (slot, sql) in found.iter_mut().zip([before, after]) {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(child.0)
            .bind(day.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        *slot = row.as_ref().map(measurement).transpose()?;
    }
    let [before, after] = found;
    Ok((before, after))
}

/// Every measurement of the child, the oldest first.
pub async fn history(conn: &mut Conn, child: ChildId) -> Result<Vec<Measurement>> {
    let sql =
        format!("SELECT {COLUMNS} FROM measurements WHERE child_id = $1 ORDER BY measured_on");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(child.0)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(measurement).collect()
}

/// A question to the coordinators: the child left stunting on two measurements in a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Graduation {
    pub id: i64,
    pub sponsorship: SponsorshipId,
    pub child: ChildId,
    pub measured_on: NaiveDate,
    pub haz_milli: i64,
    pub decision: Option<Decision>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The coordinator's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The sponsorship ends: the child graduates, the sponsor is thanked and offered another child.
    End,
    /// The sponsorship goes on.
    Keep,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::End => "end",
            Decision::Keep => "keep",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "end" => Some(Decision::End),
            "keep" => Some(Decision::Keep),
            _ => None,
        }
    }
}

/// Asks once per sponsorship and measurement; `None` when this one was asked already.
pub async fn ask_graduation(
    conn: &mut Conn,
    sponsorship: SponsorshipId,
    child: ChildId,
    measured_on: NaiveDate,
    haz_milli: i64,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO graduations (sponsorship_id, child_id, measured_on, haz_milli, asked_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sponsorship_id, measured_on) DO NOTHING RETURNING id",
    )
    .bind(sponsorship.0)
    .bind(child.0)
    .bind(measured_on.to_string())
    .bind(haz_milli)
    .bind(millis(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn graduation(conn: &mut Conn, id: i64) -> Result<Option<Graduation>> {
    let row = sqlx::query(
        "SELECT id, sponsorship_id, child_id, measured_on, haz_milli, decision, decided_by, decided_at
         FROM graduations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let on: String = r.try_get("measured_on")?;
    Ok(Some(Graduation {
        id: r.try_get("id")?,
        sponsorship: SponsorshipId(r.try_get("sponsorship_id")?),
        child: ChildId(r.try_get("child_id")?),
        measured_on: NaiveDate::parse_from_str(&on, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("measured_on {on}: {e}")))?,
        haz_milli: r.try_get("haz_milli")?,
        decision: r
            .try_get::<Option<String>, _>("decision")?
            .as_deref()
            .and_then(Decision::parse),
        decided_by: r.try_get::<Option<i64>, _>("decided_by")?.map(UserId),
        decided_at: r.try_get::<Option<i64>, _>("decided_at")?.map(from_millis),
    }))
}

/// Records the answer, if nobody answered first; returns whether this one counted.
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    decision: Decision,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE graduations SET decision = $2, decided_by = $3, decided_at = $4
         WHERE id = $1 AND decision IS NULL",
    )
    .bind(id)
    .bind(decision.as_str())
    .bind(by.0)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A child someone may measure, with when they were last measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ToMeasure {
    pub id: ChildId,
    pub name: String,
    pub birth_date: NaiveDate,
    pub last_measured: Option<NaiveDate>,
}

/// The open cases of `area` (a kecamatan, a village, a regency; `None` = everywhere) whose name contains
/// `text`, those measured longest ago (or never) first: the ones a volunteer should visit next. Returns at
/// most `limit` of them and how many there are.
pub async fn to_measure(
    conn: &mut Conn,
    area: Option<&crate::domain::RegionCode>,
    text: Option<&str>,
    limit: i64,
) -> Result<(Vec<ToMeasure>, i64)> {
    let area = area.map(|a| a.as_str().to_owned());
    let pattern = text.map(super::contains_pattern);
    let conditions = "c.status IN ('unmatched', 'matched')
        AND ($1 IS NULL OR c.kecamatan_code = $1 OR c.kecamatan_code LIKE $1 || '.%' OR c.village_code = $1)
        AND ($2 IS NULL OR LOWER(c.full_name) LIKE $2 ESCAPE '\\')";
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM children c WHERE {conditions}"
    )))
    .bind(&area)
    .bind(&pattern)
    .fetch_one(&mut *conn)
    .await?;
    // PostgreSQL orders by an output column only by its bare name, hence the subquery.
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM (
             SELECT c.id, c.full_name, c.birth_date,
                    (SELECT MAX(m.measured_on) FROM measurements m WHERE m.child_id = c.id) AS last_measured
             FROM children c WHERE {conditions}
         ) t
         ORDER BY t.last_measured IS NOT NULL, t.last_measured, t.full_name, t.id LIMIT $3"
    )))
    .bind(&area)
    .bind(&pattern)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let date = |s: String| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("date {s}: {e}")))
    };
    let list = rows
        .iter()
        .map(|r| {
            Ok(ToMeasure {
                id: ChildId(r.try_get("id")?),
                name: r.try_get("full_name")?,
                birth_date: date(r.try_get("birth_date")?)?,
                last_measured: r
                    .try_get::<Option<String>, _>("last_measured")?
                    .map(date)
                    .transpose()?,
            })
        })
        .collect::<Result<_>>()?;
    Ok((list, total))
}
