//! WHO Child Growth Standards (2006) z-scores for children from birth to five years: length/height-for-age
//! (stunting), weight-for-age (underweight), weight-for-length/height (wasting) and BMI-for-age.
//!
//! The rules are those of WHO Anthro, the `anthro` R package (WorldHealthOrganization/anthro, release
//! 1.1.0 of January 2026; the same rules since release 0.9.1 of 2019), so that a child's z-score here is
//! the one a health worker gets from WHO's own software (`anthro_zscores`):
//! - Age is in completed days, 0 to 1826 (WHO Anthro computes z-scores below 60 months, which is up to
//!   day 1826); the age tables have one row per day, so nothing is interpolated by age.
//! - Under 731 days the tables want recumbent length, from 731 days standing height (`adjust_lenhei`):
//!   a child under 731 days measured standing gets 0.7 cm added, one from 731 days measured lying
//!   0.7 cm taken off. Before that, WHO Anthro refuses to believe "standing" for a baby under 9 months
//!   (age in days / 30.4375 < 9): it drops the position (and reports `c9mo_flag`), so the value is taken
//!   as it is, without the conversion ([`STANDING_FROM_DAYS`], [`standing_under_nine_months`]).
//! - Weight-for-length/height picks its table by age, not by position
//!   (`anthro_zscore_weight_for_lenhei`): weight-for-length under 731 days (45.0–110.0 cm),
//!   weight-for-height from 731 days (65.0–120.0 cm), looked up with the converted length; outside
//!   the table there is no z-score. The tables go in steps of 0.1 cm; between two rows L, M and S are
//!   interpolated linearly.
//! - BMI is computed on the converted length.
//! - `z = ((X/M)^L − 1)/(L·S)`. The three weight-based indicators restrict the tails: beyond ±3 SD the
//!   distance is counted in gaps between the 2 and 3 SD curves; length/height-for-age does not.
//! - [`haz`], [`waz`], [`whz`] and [`baz`] (and [`all_z_scores`]) give the z-score even where WHO
//!   flags it as implausible ([`Indicator::flagged`]); [`z_scores`], the one to record a visit with,
//!   refuses those.
//! - Nothing is rounded here, except that a flag is decided on the z-score rounded to 2 decimals, as
//!   WHO Anthro reports it: callers round for display.
//!
//! `tests/data/who_reference.csv` holds over 5,000 cases scored by an independent implementation of
//! these rules (`tests/data/who_reference.py`); a unit test checks every one.
//!
//! The tables are WHO's LMS parameters, compiled in from `data/who/` and parsed once.

use crate::domain::child::Sex;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;
use std::sync::LazyLock;

/// The last day of age the tables cover: WHO Anthro computes z-scores below 60 months (1826.25 days).
pub const MAX_AGE_DAYS: u32 = 1826;

/// From this age (two years) the tables want standing height; before it, recumbent length.
pub const HEIGHT_FROM_DAYS: u32 = 731;

/// Recumbent length is on average this much longer than standing height (WHO).
pub const LYING_MINUS_STANDING_CM: f64 = 0.7;

/// The first age at which a "standing" measurement is believed: 9 months, as WHO Anthro counts them
/// (age in days / 30.4375 ≥ 9). A younger baby cannot stand, so WHO Anthro drops the position, takes the
/// value as the recumbent length it must be and does not add 0.7 cm; it marks the measurement with
/// `c9mo_flag` for the person to look at ([`standing_under_nine_months`]).
pub const STANDING_FROM_DAYS: u32 = 274;

/// Whether WHO Anthro would mark this measurement with `c9mo_flag`: "standing" for a baby under 9 months,
/// a position it does not believe. The z-scores are still given (on the value as measured); the person
/// who entered it should hear that it looks unusual.
pub fn standing_under_nine_months(age_days: u32, position: Position) -> bool {
    position == Position::Standing && age_days < STANDING_FROM_DAYS
}

/// How the child was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Position {
    /// Recumbent length, on a length board.
    Lying,
    /// Standing height, on a height board.
    Standing,
}

/// The WHO indicators asuh computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Indicator {
    LengthHeightForAge,
    WeightForAge,
    WeightForLengthHeight,
    BmiForAge,
}

impl Indicator {
    /// The z-scores WHO accepts as plausible; a value outside is flagged as a likely error of
    /// measurement or entry. These are WHO Anthro's flags: |z| > 6 for length/height-for-age,
    /// z < −6 or z > +5 for weight-for-age (the shared README simplifies this to |z| > 6; WHO Anthro and
    /// the WHO–UNICEF 2019 recommendations use +5 above, and so does asuh), |z| > 5 for the others.
    pub fn plausible(self) -> RangeInclusive<f64> {
        match self {
            Self::LengthHeightForAge => -6.0..=6.0,
            Self::WeightForAge => -6.0..=5.0,
            Self::WeightForLengthHeight | Self::BmiForAge => -5.0..=5.0,
        }
    }

    /// Whether WHO flags `z` as implausible. WHO Anthro decides it on the z-score as it reports it,
    /// rounded to 2 decimals (`flag_zscore` after `round(z, 2)`): −6.004 is reported as −6.00 and not
    /// flagged, −6.006 is −6.01 and flagged.
    pub fn flagged(self, z: f64) -> bool {
        let reported = (z * 100.0).round() / 100.0;
        !self.plausible().contains(&reported)
    }

    fn check(self, z: f64) -> Result<f64, GrowthError> {
        if self.flagged(z) {
            Err(GrowthError::Implausible { indicator: self, z })
        } else {
            Ok(z)
        }
    }
}

/// Why a z-score cannot be given.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GrowthError {
    /// The WHO standards cover 0 to 1826 days.
    #[error("age {days} days is outside the WHO standards (0 to {MAX_AGE_DAYS} days)")]
    AgeOutOfRange { days: i64 },
    /// Outside the weight-for-length (45–110 cm) or weight-for-height (65–120 cm) table. `cm` is the
    /// length the table was asked for, after the 0.7 cm conversion, so it can be compared with those ends.
    #[error("length/height {cm} cm is outside the WHO weight-for-length/height table")]
    LengthOutOfRange { cm: f64 },
    /// A length or weight that is not a positive, finite number.
    #[error("a length or weight must be a positive number")]
    InvalidValue,
    /// WHO flags this z-score as implausible (see [`Indicator::plausible`]): the measurement or its
    /// entry is most likely wrong.
    #[error("{indicator:?} z-score {z:.2} is implausible: please measure again")]
    Implausible { indicator: Indicator, z: f64 },
}

/// One visit's measurement of a child.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    pub sex: Sex,
    /// Age in completed days on the day of measurement ([`crate::domain::child::age_days`]).
    pub age_days: u32,
    /// Length or height as measured, in cm, before any conversion.
    pub length_cm: f64,
    pub position: Position,
    /// Not every visit weighs the child.
    pub weight_kg: Option<f64>,
}

/// The z-scores of one measurement; the weight-based ones need a weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZScores {
    /// Length/height-for-age.
    pub haz: f64,
    /// Weight-for-age.
    pub waz: Option<f64>,
    /// Weight-for-length/height; also `None` when the length lies outside its table.
    pub whz: Option<f64>,
    /// BMI-for-age.
    pub baz: Option<f64>,
}

/// Length/height-for-age z-score, with the plain LMS formula (its L is 1: lengths are normal).
pub fn haz(
    sex: Sex,
    age_days: u32,
    length_cm: f64,
    position: Position,
) -> Result<f64, GrowthError> {
    let cm = table_length(age_days, positive(length_cm)?, position);
    Ok(TABLES.lhfa.at(sex, age_days)?.z(cm))
}

/// Weight-for-age z-score, with restricted tails.
pub fn waz(sex: Sex, age_days: u32, weight_kg: f64) -> Result<f64, GrowthError> {
    let kg = positive(weight_kg)?;
    Ok(TABLES.wfa.at(sex, age_days)?.restricted_z(kg))
}

/// Weight-for-length/height z-score, with restricted tails: weight-for-length on recumbent length
/// under 731 days, weight-for-height on standing height from 731 days, after the 0.7 cm conversion.
/// A length between two 0.1 cm rows of the table gets L, M and S interpolated linearly between them.
pub fn whz(
    sex: Sex,
    age_days: u32,
    length_cm: f64,
    position: Position,
    weight_kg: f64,
) -> Result<f64, GrowthError> {
    let cm = table_length(age_days, positive(length_cm)?, position);
    let kg = positive(weight_kg)?;
    let table = match age_days {
        0..HEIGHT_FROM_DAYS => &TABLES.wfl,
        HEIGHT_FROM_DAYS..=MAX_AGE_DAYS => &TABLES.wfh,
        _ => return Err(age_out_of_range(age_days)),
    };
    Ok(table.at(sex, cm)?.restricted_z(kg))
}

/// BMI-for-age z-score, with restricted tails; the BMI is taken on the converted length.
pub fn baz(
    sex: Sex,
    age_days: u32,
    length_cm: f64,
    position: Position,
    weight_kg: f64,
) -> Result<f64, GrowthError> {
    let metres = table_length(age_days, positive(length_cm)?, position) / 100.0;
    let bmi = positive(weight_kg)? / (metres * metres);
    Ok(TABLES.bmi.at(sex, age_days)?.restricted_z(bmi))
}

/// Every z-score the measurement allows, or `Implausible` for the first (in the order of [`ZScores`])
/// that WHO would flag: a flagged value is a measurement to take again, not a child to classify.
/// A length outside the weight-for-length/height table leaves `whz` empty rather than failing, since the
/// other z-scores still hold.
pub fn z_scores(m: &Measurement) -> Result<ZScores, GrowthError> {
    let z = all_z_scores(m)?;
    Ok(ZScores {
        haz: Indicator::LengthHeightForAge.check(z.haz)?,
        waz: z
            .waz
            .map(|z| Indicator::WeightForAge.check(z))
            .transpose()?,
        whz: z
            .whz
            .map(|z| Indicator::WeightForLengthHeight.check(z))
            .transpose()?,
        baz: z.baz.map(|z| Indicator::BmiForAge.check(z)).transpose()?,
    })
}

/// Every z-score the measurement allows, flagged or not, as WHO Anthro gives them: for looking again at
/// a measurement already recorded (rescoring), where refusing is no longer an option. A length outside
/// the weight-for-length/height table leaves `whz` empty.
pub fn all_z_scores(m: &Measurement) -> Result<ZScores, GrowthError> {
    let (sex, age, cm, position) = (m.sex, m.age_days, m.length_cm, m.position);
    let haz = haz(sex, age, cm, position)?;
    let Some(kg) = m.weight_kg else {
        return Ok(ZScores {
            haz,
            waz: None,
            whz: None,
            baz: None,
        });
    };
    let whz = match whz(sex, age, cm, position, kg) {
        Err(GrowthError::LengthOutOfRange { .. }) => None,
        z => Some(z?),
    };
    Ok(ZScores {
        haz,
        waz: Some(waz(sex, age, kg)?),
        whz,
        baz: Some(baz(sex, age, cm, position, kg)?),
    })
}

/// Stunting by length/height-for-age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stunting {
    /// z < −3.
    Severe,
    /// −3 ≤ z < −2.
    Stunted,
    Normal,
}

/// WHO's cut-offs: stunted below −2 SD, severely below −3 SD.
pub fn stunting(haz: f64) -> Stunting {
    match band(haz) {
        Band::BelowMinus3 => Stunting::Severe,
        Band::BelowMinus2 => Stunting::Stunted,
        Band::Above => Stunting::Normal,
    }
}

/// Wasting by weight-for-length/height.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Wasting {
    /// z < −3.
    Severe,
    /// −3 ≤ z < −2.
    Wasted,
    Normal,
}

/// WHO's cut-offs: wasted below −2 SD, severely below −3 SD.
pub fn wasting(whz: f64) -> Wasting {
    match band(whz) {
        Band::BelowMinus3 => Wasting::Severe,
        Band::BelowMinus2 => Wasting::Wasted,
        Band::Above => Wasting::Normal,
    }
}

/// Underweight by weight-for-age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Underweight {
    /// z < −3.
    Severe,
    /// −3 ≤ z < −2.
    Underweight,
    Normal,
}

/// WHO's cut-offs: underweight below −2 SD, severely below −3 SD.
pub fn underweight(waz: f64) -> Underweight {
    match band(waz) {
        Band::BelowMinus3 => Underweight::Severe,
        Band::BelowMinus2 => Underweight::Underweight,
        Band::Above => Underweight::Normal,
    }
}

/// The length/height on the WHO curve `z` at this age, for growth charts (−3, −2, 0, +2 SD): recumbent
/// length under 731 days, standing height from 731, so the curve steps down at two years as WHO's charts
/// do. `None` outside the ages of the standards or for a `z` with no positive length.
pub fn length_at_z(sex: Sex, age_days: u32, z: f64) -> Option<f64> {
    let cm = TABLES.lhfa.at(sex, age_days).ok()?.value_at(z);
    (cm.is_finite() && cm > 0.0).then_some(cm)
}

/// The three classifications share WHO's −2/−3 SD cut-offs.
enum Band {
    BelowMinus3,
    BelowMinus2,
    Above,
}

fn band(z: f64) -> Band {
    if z < -3.0 {
        Band::BelowMinus3
    } else if z < -2.0 {
        Band::BelowMinus2
    } else {
        Band::Above
    }
}

fn positive(value: f64) -> Result<f64, GrowthError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(GrowthError::InvalidValue)
    }
}

fn age_out_of_range(age_days: u32) -> GrowthError {
    GrowthError::AgeOutOfRange {
        days: i64::from(age_days),
    }
}

/// The length the tables want at this age: recumbent under 731 days, standing from 731 days (the value a
/// growth chart plots and a z-score is computed on).
pub fn table_length(age_days: u32, cm: f64, position: Position) -> f64 {
    match position {
        Position::Standing if (STANDING_FROM_DAYS..HEIGHT_FROM_DAYS).contains(&age_days) => {
            cm + LYING_MINUS_STANDING_CM
        }
        Position::Lying if age_days >= HEIGHT_FROM_DAYS => cm - LYING_MINUS_STANDING_CM,
        _ => cm,
    }
}

/// WHO's parameters of one row: the Box-Cox power L, the median M and the coefficient of variation S.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lms {
    l: f64,
    m: f64,
    s: f64,
}

impl Lms {
    /// The plain LMS z-score of `x`.
    fn z(self, x: f64) -> f64 {
        if self.l == 0.0 {
            (x / self.m).ln() / self.s
        } else {
            ((x / self.m).powf(self.l) - 1.0) / (self.l * self.s)
        }
    }

    /// The measurement on the curve `z`: WHO's formula for its SD curves.
    fn value_at(self, z: f64) -> f64 {
        if self.l == 0.0 {
            self.m * (self.s * z).exp()
        } else {
            self.m * (1.0 + self.l * self.s * z).powf(1.0 / self.l)
        }
    }

    /// WHO's z-score for weight-based indicators. Their skewed distributions would stretch the tails, so
    /// beyond ±3 SD the distance is counted in units of the gap between the 2 and 3 SD curves on that
    /// side: `z = 3 + (x − SD3)/(SD3 − SD2)` above, `z = −3 + (x − SD3neg)/(SD2neg − SD3neg)` below.
    fn restricted_z(self, x: f64) -> f64 {
        let z = self.z(x);
        if z > 3.0 {
            let (sd3, sd2) = (self.value_at(3.0), self.value_at(2.0));
            3.0 + (x - sd3) / (sd3 - sd2)
        } else if z < -3.0 {
            let (sd3, sd2) = (self.value_at(-3.0), self.value_at(-2.0));
            -3.0 + (x - sd3) / (sd2 - sd3)
        } else {
            z
        }
    }

    /// The row `share` of the way from `self` to `next`.
    fn lerp(self, next: Self, share: f64) -> Self {
        Self {
            l: self.l + share * (next.l - self.l),
            m: self.m + share * (next.m - self.m),
            s: self.s + share * (next.s - self.s),
        }
    }
}

/// A table indexed by age in days: row `i` of each sex is day `i`.
#[derive(Debug)]
struct AgeTable {
    rows: [Vec<Lms>; 2],
}

impl AgeTable {
    fn at(&self, sex: Sex, age_days: u32) -> Result<Lms, GrowthError> {
        usize::try_from(age_days)
            .ok()
            .and_then(|i| self.rows[sex_index(sex)].get(i))
            .copied()
            .ok_or_else(|| age_out_of_range(age_days))
    }
}

/// A table indexed by length in 0.1 cm steps from `first_mm`.
#[derive(Debug)]
struct LengthTable {
    first_mm: u32,
    rows: [Vec<Lms>; 2],
}

impl LengthTable {
    /// L, M and S at `cm`, as WHO Anthro looks them up (`anthro_zscore_weight_for_lenhei`), step for step
    /// in floating point: no z-score unless `first ≤ cm ≤ last`; the row below is `trunc(cm·10)/10`, the
    /// row above `trunc(cm·10 + 1)/10`, and `diff = (cm − below)/0.1`; above 0 the row above is mixed in
    /// linearly by `diff`. For every length typed in whole mm, converted or not, that is the plain
    /// interpolation between neighbouring rows, with one exception WHO Anthro has and asuh keeps so as to
    /// give WHO's number: 103.1 cm measured lying from 731 days is 102.39999999999999 cm, whose
    /// `cm·10 + 1` rounds to 1025.0, so the row above is 102.5 (not 102.4), mixed in at 0.99999999999994
    /// (about 0.02 SD less than the 102.4 row alone would give).
    fn at(&self, sex: Sex, cm: f64) -> Result<Lms, GrowthError> {
        let rows = &self.rows[sex_index(sex)];
        let out_of_range = || GrowthError::LengthOutOfRange { cm };
        let first = f64::from(self.first_mm);
        let last = first + rows.len().saturating_sub(1) as f64;
        if !(first / 10.0..=last / 10.0).contains(&cm) {
            return Err(out_of_range());
        }
        let row = |tenths: f64| {
            // A whole number of tenths within the table (checked above, give or take a row), so the
            // cast is exact.
            let i = tenths - first;
            (0.0..=last - first)
                .contains(&i)
                .then(|| rows.get(i as usize).copied())
                .flatten()
                .ok_or_else(out_of_range)
        };
        let below = (cm * 10.0).trunc();
        let above = (cm * 10.0 + 1.0).trunc();
        let diff = (cm - below / 10.0) / 0.1;
        let lower = row(below)?;
        if diff <= 0.0 {
            return Ok(lower);
        }
        Ok(lower.lerp(row(above)?, diff))
    }
}

fn sex_index(sex: Sex) -> usize {
    match sex {
        Sex::Male => 0,
        Sex::Female => 1,
    }
}

struct Tables {
    lhfa: AgeTable,
    wfa: AgeTable,
    bmi: AgeTable,
    wfl: LengthTable,
    wfh: LengthTable,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    Tables::parse()
        .expect("the WHO tables compiled in from data/who/ parse (the test tables_parse proves it)")
});

/// What is wrong with a compiled-in table; only ever seen in a failing test.
#[derive(Debug)]
#[expect(dead_code, reason = "read through Debug when the tables fail to parse")]
struct TableError {
    table: &'static str,
    line: usize,
    problem: &'static str,
}

/// Which measurement a table's rows must carry in its `loh` column.
#[derive(Clone, Copy)]
enum Loh {
    /// No such column (weight-for-age).
    None,
    /// `L` under 731 days, `H` from 731 (length/height-for-age, BMI-for-age).
    ByAge,
    /// The same letter on every row (weight-for-length `L`, weight-for-height `H`).
    All(&'static str),
}

/// One row of a WHO CSV: its line in the file, sex, index as written, LMS.
struct Row<'a> {
    line: usize,
    sex: usize,
    index: &'a str,
    lms: Lms,
}

impl Tables {
    fn parse() -> Result<Self, TableError> {
        Ok(Self {
            lhfa: age_table("lhfa", include_str!("../../data/who/lhfa.csv"), Loh::ByAge)?,
            wfa: age_table("wfa", include_str!("../../data/who/wfa.csv"), Loh::None)?,
            bmi: age_table("bmi", include_str!("../../data/who/bmi.csv"), Loh::ByAge)?,
            wfl: length_table("wfl", include_str!("../../data/who/wfl.csv"), Loh::All("L"))?,
            wfh: length_table("wfh", include_str!("../../data/who/wfh.csv"), Loh::All("H"))?,
        })
    }
}

/// The data rows of a table, with L, M and S parsed and the `loh` column checked.
fn parse_rows<'a>(
    table: &'static str,
    csv: &'a str,
    loh: Loh,
) -> impl Iterator<Item = Result<Row<'a>, TableError>> {
    csv.lines().enumerate().skip(1).map(move |(n, line)| {
        let error = |problem| TableError {
            table,
            line: n + 1,
            problem,
        };
        let fields: Vec<&str> = line.trim_end().split(',').collect();
        let expected_fields = if matches!(loh, Loh::None) { 5 } else { 6 };
        if fields.len() != expected_fields {
            return Err(error("wrong number of fields"));
        }
        let number = |i: usize| -> Result<f64, TableError> {
            fields[i]
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| error("L, M or S is not a number"))
        };
        let lms = Lms {
            l: number(2)?,
            m: number(3)?,
            s: number(4)?,
        };
        if lms.m <= 0.0 || lms.s <= 0.0 {
            return Err(error("M and S must be positive"));
        }
        let sex = match fields[0] {
            "1" => 0,
            "2" => 1,
            _ => return Err(error("sex is neither 1 nor 2")),
        };
        let loh_ok = match loh {
            Loh::None => true,
            Loh::All(letter) => fields[5] == letter,
            Loh::ByAge => {
                let age: u32 = fields[1].parse().map_err(|_| error("age is not a day"))?;
                fields[5] == if age < HEIGHT_FROM_DAYS { "L" } else { "H" }
            }
        };
        if !loh_ok {
            return Err(error("length/height column does not match the table"));
        }
        Ok(Row {
            line: n + 1,
            sex,
            index: fields[1],
            lms,
        })
    })
}

fn age_table(table: &'static str, csv: &str, loh: Loh) -> Result<AgeTable, TableError> {
    let mut rows: [Vec<Lms>; 2] = [Vec::new(), Vec::new()];
    for row in parse_rows(table, csv, loh) {
        let row = row?;
        let error = |problem| TableError {
            table,
            line: row.line,
            problem,
        };
        let day: usize = row.index.parse().map_err(|_| error("age is not a day"))?;
        if day != rows[row.sex].len() {
            return Err(error("days are not 0, 1, 2, … in order"));
        }
        rows[row.sex].push(row.lms);
    }
    complete(table, &rows, MAX_AGE_DAYS as usize + 1)?;
    Ok(AgeTable { rows })
}

fn length_table(table: &'static str, csv: &str, loh: Loh) -> Result<LengthTable, TableError> {
    let mut rows: [Vec<Lms>; 2] = [Vec::new(), Vec::new()];
    let mut first_mm = None;
    for row in parse_rows(table, csv, loh) {
        let row = row?;
        let error = |problem| TableError {
            table,
            line: row.line,
            problem,
        };
        let mm = millimetres(row.index).ok_or_else(|| error("length is not in 0.1 cm"))?;
        let first = *first_mm.get_or_insert(mm);
        let expected = u32::try_from(rows[row.sex].len())
            .ok()
            .and_then(|i| first.checked_add(i));
        if expected != Some(mm) {
            return Err(error("lengths are not in 0.1 cm steps from the first"));
        }
        rows[row.sex].push(row.lms);
    }
    let first_mm = first_mm.ok_or(TableError {
        table,
        line: 1,
        problem: "no rows",
    })?;
    complete(table, &rows, rows[0].len())?;
    Ok(LengthTable { first_mm, rows })
}

/// Both sexes have `len` rows, and every row has ±3 SD curves (needed by the restricted tails).
fn complete(table: &'static str, rows: &[Vec<Lms>; 2], len: usize) -> Result<(), TableError> {
    let error = |problem| TableError {
        table,
        line: 0,
        problem,
    };
    if len == 0 || rows.iter().any(|r| r.len() != len) {
        return Err(error("the sexes do not have the expected number of rows"));
    }
    let curves_defined = rows.iter().flatten().all(|lms| {
        [-3.0, 3.0]
            .iter()
            .all(|&z| lms.value_at(z).is_finite() && lms.value_at(z) > 0.0)
    });
    if !curves_defined {
        return Err(error("a row has no ±3 SD curve"));
    }
    Ok(())
}

/// `"45.0"` → 450: a length in cm with one decimal, as whole millimetres.
fn millimetres(cm: &str) -> Option<u32> {
    let (whole, tenth) = cm.split_once('.')?;
    if tenth.len() != 1 {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let tenth: u32 = tenth.parse().ok()?;
    whole.checked_mul(10)?.checked_add(tenth)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOY: Sex = Sex::Male;
    const GIRL: Sex = Sex::Female;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    #[test]
    fn tables_parse() {
        let tables = Tables::parse().expect("tables parse");
        for (name, table) in [
            ("lhfa", &tables.lhfa),
            ("wfa", &tables.wfa),
            ("bmi", &tables.bmi),
        ] {
            assert_eq!(table.rows.each_ref().map(Vec::len), [1827, 1827], "{name}");
        }
        assert_eq!(tables.wfl.first_mm, 450);
        assert_eq!(tables.wfl.rows.each_ref().map(Vec::len), [651, 651]);
        assert_eq!(tables.wfh.first_mm, 650);
        assert_eq!(tables.wfh.rows.each_ref().map(Vec::len), [551, 551]);
        // the first and last rows, as the files give them
        assert_eq!(
            tables.lhfa.rows[0][0],
            Lms {
                l: 1.0,
                m: 49.8842,
                s: 0.03795
            }
        );
        assert_eq!(
            tables.bmi.rows[1][1826],
            Lms {
                l: -0.5684,
                m: 15.2747,
                s: 0.09789
            }
        );
        assert_eq!(
            tables.wfl.rows[0][0],
            Lms {
                l: -0.3521,
                m: 2.441,
                s: 0.09182
            }
        );
        assert_eq!(
            tables.wfh.rows[1][550],
            Lms {
                l: -0.3833,
                m: 22.8173,
                s: 0.09828
            }
        );
    }

    #[test]
    fn a_malformed_table_is_refused() {
        let header = "sex,age_days,l,m,s,loh\n";
        let gap = format!("{header}1,0,1,49.8842,0.03795,L\n1,2,1,50.2,0.0378,L\n");
        assert!(age_table("t", &gap, Loh::ByAge).is_err());
        let wrong_loh = format!("{header}1,0,1,49.8842,0.03795,H\n");
        assert!(age_table("t", &wrong_loh, Loh::ByAge).is_err());
        let not_tenths = "sex,length_cm,l,m,s,loh\n1,45.05,-0.35,2.44,0.09,L\n";
        assert!(length_table("t", not_tenths, Loh::All("L")).is_err());
        assert_eq!(millimetres("110.0"), Some(1100));
        assert_eq!(millimetres("110"), None);
    }

    /// Agreement with WHO's own implementation, case by case: `tests/data/who_reference.csv` holds 5,708
    /// cases scored by `tests/data/who_reference.py`, an independent Python implementation written from
    /// WHO's algorithm as the `anthro` R package (release 1.1.0) implements it, never calling this code.
    /// Regenerate it from the repository's root with
    ///
    /// ```text
    /// python3 tests/data/who_reference.py
    /// ```
    ///
    /// (standard library only; the random cases come from a fixed seed, so the file comes out the same).
    /// It covers both positions on both sides of 9 months and of 731 days for all four indicators and
    /// both sexes, the ends of the weight-for-length/height tables (directly and through the 0.7 cm
    /// conversion, with `NA` where anthro gives no z-score), lengths between two rows, the restricted
    /// tails and the flags either side of WHO's rounding, and 500 random measurements as people enter
    /// them. Each z-score must agree within the row's tolerance (10⁻⁶ for the computed cases: the same
    /// arithmetic in double precision), and each flag must be anthro's.
    #[test]
    fn agrees_with_who_anthro_on_the_reference_cases() {
        let csv = include_str!("../../tests/data/who_reference.csv");
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().expect("header").split(',').collect();
        assert_eq!(
            header,
            [
                "source",
                "indicator",
                "sex",
                "age_days",
                "length_cm",
                "position",
                "weight_kg",
                "z",
                "flag",
                "tolerance",
                "note"
            ]
        );
        let (mut checked, mut differ) = (0, Vec::new());
        for (n, line) in lines.enumerate() {
            let line_no = n + 2;
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 11, "line {line_no}");
            let sex = Sex::parse_code(f[2]).expect("sex");
            let age: u32 = f[3].parse().expect("age");
            let length = || f[4].parse::<f64>().expect("length");
            let position = || match f[5] {
                "lying" => Position::Lying,
                "standing" => Position::Standing,
                other => panic!("line {line_no}: position {other}"),
            };
            let weight = || f[6].parse::<f64>().expect("weight");
            let tolerance: f64 = f[9].parse().expect("tolerance");
            assert!(tolerance <= 0.01, "line {line_no}: WHO asks for 0.01 z");
            let (indicator, actual) = match f[1] {
                "haz" => (
                    Indicator::LengthHeightForAge,
                    haz(sex, age, length(), position()),
                ),
                "waz" => (Indicator::WeightForAge, waz(sex, age, weight())),
                "whz" => (
                    Indicator::WeightForLengthHeight,
                    whz(sex, age, length(), position(), weight()),
                ),
                "baz" => (
                    Indicator::BmiForAge,
                    baz(sex, age, length(), position(), weight()),
                ),
                other => panic!("line {line_no}: indicator {other}"),
            };
            checked += 1;
            let agrees = match (f[7], &actual) {
                // anthro gives no z-score: outside the tables' ages or lengths
                (
                    "NA",
                    Err(GrowthError::AgeOutOfRange { .. } | GrowthError::LengthOutOfRange { .. }),
                ) => true,
                ("NA", Ok(_)) | ("NA", Err(_)) => false,
                (expected, Ok(z)) => {
                    let expected: f64 = expected.parse().expect("z");
                    // the reference's z is printed to 6 decimals
                    let flag = f[8] == "1";
                    close(*z, expected, tolerance + 5e-7)
                        && (f[0] == "who_anthro" || indicator.flagged(*z) == flag)
                }
                (_, Err(_)) => false,
            };
            if !agrees {
                differ.push(format!("line {line_no}: {line} gave {actual:?}"));
            }
        }
        assert!(checked > 5000, "{checked}");
        assert!(
            differ.is_empty(),
            "{} of {checked} cases differ from anthro:\n{}",
            differ.len(),
            differ.join("\n")
        );
    }

    #[test]
    fn the_median_at_birth_is_zero() {
        assert_eq!(haz(BOY, 0, 49.8842, Position::Lying), Ok(0.0));
        assert_eq!(waz(GIRL, 0, 3.2322), Ok(0.0));
    }

    #[test]
    fn classification_cut_offs_are_strictly_below() {
        assert_eq!(stunting(-3.0001), Stunting::Severe);
        assert_eq!(stunting(-3.0), Stunting::Stunted);
        assert_eq!(stunting(-2.0001), Stunting::Stunted);
        assert_eq!(stunting(-2.0), Stunting::Normal);
        assert_eq!(stunting(4.0), Stunting::Normal);
        assert_eq!(wasting(-3.5), Wasting::Severe);
        assert_eq!(wasting(-3.0), Wasting::Wasted);
        assert_eq!(wasting(-2.0), Wasting::Normal);
        assert_eq!(underweight(-3.01), Underweight::Severe);
        assert_eq!(underweight(-2.01), Underweight::Underweight);
        assert_eq!(underweight(-1.99), Underweight::Normal);
    }

    #[test]
    fn a_child_on_the_minus_two_sd_curve_is_just_stunted() {
        let on_curve = length_at_z(GIRL, 400, -2.0).expect("curve");
        assert_eq!(
            stunting(haz(GIRL, 400, on_curve - 0.01, Position::Lying).expect("z")),
            Stunting::Stunted
        );
        assert_eq!(
            stunting(haz(GIRL, 400, on_curve + 0.01, Position::Lying).expect("z")),
            Stunting::Normal
        );
    }

    #[test]
    fn ages_beyond_five_years_are_refused() {
        let too_old = Err(GrowthError::AgeOutOfRange { days: 1827 });
        assert_eq!(haz(BOY, 1827, 110.0, Position::Standing), too_old);
        assert_eq!(waz(BOY, 1827, 18.0), too_old);
        assert_eq!(whz(BOY, 1827, 110.0, Position::Standing, 18.0), too_old);
        assert_eq!(baz(BOY, 1827, 110.0, Position::Standing, 18.0), too_old);
        assert_eq!(length_at_z(BOY, 1827, 0.0), None);
        assert!(haz(BOY, 1826, 110.0, Position::Standing).is_ok());
        assert!(haz(BOY, u32::MAX, 110.0, Position::Standing).is_err());
    }

    #[test]
    fn lengths_outside_the_weight_for_length_tables_are_refused() {
        let out = |cm| Err(GrowthError::LengthOutOfRange { cm });
        assert_eq!(whz(BOY, 10, 44.9, Position::Lying, 2.5), out(44.9));
        assert_eq!(whz(BOY, 700, 110.1, Position::Lying, 18.0), out(110.1));
        assert_eq!(whz(BOY, 800, 64.9, Position::Standing, 7.0), out(64.9));
        assert_eq!(whz(GIRL, 1800, 120.1, Position::Standing, 22.0), out(120.1));
        // the table's ends hold, also when reached through the conversion
        assert!(whz(BOY, 10, 45.0, Position::Lying, 2.5).is_ok());
        assert!(whz(BOY, 700, 110.0, Position::Lying, 18.0).is_ok());
        assert!(whz(BOY, 700, 109.3, Position::Standing, 18.0).is_ok());
        assert!(whz(BOY, 800, 65.7, Position::Lying, 7.0).is_ok());
        assert!(whz(GIRL, 1500, 120.7, Position::Lying, 22.0).is_ok());
        // 65.5 cm lying at 800 days is 64.8 cm standing: below weight-for-height
        match whz(BOY, 800, 65.5, Position::Lying, 7.0) {
            Err(GrowthError::LengthOutOfRange { cm }) => assert!(close(cm, 64.8, 1e-9)),
            other => panic!("{other:?}"),
        }
        // a length fine for weight-for-length is not for weight-for-height
        assert!(whz(BOY, 730, 60.0, Position::Lying, 6.0).is_ok());
        assert!(whz(BOY, 731, 60.0, Position::Standing, 6.0).is_err());
    }

    #[test]
    fn values_that_are_not_measurements_are_refused() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(
                haz(BOY, 100, bad, Position::Lying),
                Err(GrowthError::InvalidValue)
            );
            assert_eq!(waz(BOY, 100, bad), Err(GrowthError::InvalidValue));
            assert_eq!(
                whz(BOY, 100, 60.0, Position::Lying, bad),
                Err(GrowthError::InvalidValue)
            );
            assert_eq!(
                baz(BOY, 100, bad, Position::Lying, 6.0),
                Err(GrowthError::InvalidValue)
            );
        }
    }

    #[test]
    fn standing_under_two_years_counts_as_lying_plus_0_7_cm() {
        let z = |cm, position| haz(GIRL, 500, cm, position).expect("z");
        assert!(close(
            z(75.0, Position::Standing),
            z(75.7, Position::Lying),
            1e-12
        ));
        let w = |cm, position| whz(GIRL, 500, cm, position, 9.0).expect("z");
        assert!(close(
            w(75.0, Position::Standing),
            w(75.7, Position::Lying),
            1e-12
        ));
        let b = |cm, position| baz(GIRL, 500, cm, position, 9.0).expect("z");
        assert!(close(
            b(75.0, Position::Standing),
            b(75.7, Position::Lying),
            1e-12
        ));
    }

    #[test]
    fn lying_from_two_years_counts_as_standing_minus_0_7_cm() {
        let z = |cm, position| haz(BOY, 731, cm, position).expect("z");
        assert!(close(
            z(85.7, Position::Lying),
            z(85.0, Position::Standing),
            1e-12
        ));
        let w = |cm, position| whz(BOY, 1200, cm, position, 13.0).expect("z");
        assert!(close(
            w(95.7, Position::Lying),
            w(95.0, Position::Standing),
            1e-12
        ));
        let b = |cm, position| baz(BOY, 1200, cm, position, 13.0).expect("z");
        assert!(close(
            b(95.7, Position::Lying),
            b(95.0, Position::Standing),
            1e-12
        ));
    }

    #[test]
    fn standing_is_not_believed_before_nine_months() {
        assert_eq!(
            haz(BOY, STANDING_FROM_DAYS - 1, 68.0, Position::Standing),
            haz(BOY, STANDING_FROM_DAYS - 1, 68.0, Position::Lying)
        );
        let standing = haz(BOY, STANDING_FROM_DAYS, 68.0, Position::Standing).expect("z");
        let lying = haz(BOY, STANDING_FROM_DAYS, 68.7, Position::Lying).expect("z");
        assert!(close(standing, lying, 1e-12));
        // WHO Anthro's age in months: 273 days is under 9 months, 274 is not
        assert!(f64::from(STANDING_FROM_DAYS - 1) / 30.4375 < 9.0);
        assert!(f64::from(STANDING_FROM_DAYS) / 30.4375 >= 9.0);
        // and marks it (c9mo_flag) for the person to look at
        assert!(standing_under_nine_months(273, Position::Standing));
        assert!(!standing_under_nine_months(273, Position::Lying));
        assert!(!standing_under_nine_months(274, Position::Standing));
    }

    #[test]
    fn a_flag_is_decided_on_the_z_score_as_who_reports_it() {
        let haz = Indicator::LengthHeightForAge;
        assert!(!haz.flagged(-6.004) && !haz.flagged(6.004));
        assert!(haz.flagged(-6.006) && haz.flagged(6.006));
        let waz = Indicator::WeightForAge;
        assert!(!waz.flagged(5.004) && waz.flagged(5.006));
        assert!(!waz.flagged(-5.9) && waz.flagged(-6.006));
        for other in [Indicator::WeightForLengthHeight, Indicator::BmiForAge] {
            assert!(!other.flagged(-5.004) && other.flagged(-5.006));
            assert!(!other.flagged(5.004) && other.flagged(5.006));
        }
        // a length/height-for-age of −6.004 is recorded, as WHO Anthro would report it unflagged
        let lms = TABLES.lhfa.at(BOY, 900).expect("row");
        let short = Measurement {
            sex: BOY,
            age_days: 900,
            length_cm: lms.value_at(-6.004),
            position: Position::Standing,
            weight_kg: None,
        };
        let z = z_scores(&short).expect("not flagged").haz;
        assert!(close(z, -6.004, 1e-9), "{z}");
    }

    #[test]
    fn all_z_scores_gives_flagged_values_too() {
        let tiny = Measurement {
            sex: BOY,
            age_days: 987,
            length_cm: 72.86,
            position: Position::Lying,
            weight_kg: Some(9.0),
        };
        assert!(matches!(
            z_scores(&tiny),
            Err(GrowthError::Implausible { .. })
        ));
        let all = all_z_scores(&tiny).expect("z-scores");
        assert!(close(all.haz, -6.09, 0.005), "{}", all.haz);
        assert_eq!(all.waz, Some(waz(BOY, 987, 9.0).expect("z")));
        assert_eq!(
            all.whz,
            Some(whz(BOY, 987, 72.86, Position::Lying, 9.0).expect("z"))
        );
        assert_eq!(
            all.baz,
            Some(baz(BOY, 987, 72.86, Position::Lying, 9.0).expect("z"))
        );
        let unweighed = Measurement {
            weight_kg: None,
            ..tiny
        };
        let all = all_z_scores(&unweighed).expect("z-scores");
        assert_eq!((all.waz, all.whz, all.baz), (None, None, None));
    }

    #[test]
    fn weight_tails_beyond_three_sd_are_counted_in_two_to_three_sd_gaps() {
        let lms = TABLES.wfa.at(BOY, 365).expect("row");
        let (sd2, sd3) = (lms.value_at(2.0), lms.value_at(3.0));
        let heavy = sd3 + 1.5 * (sd3 - sd2);
        assert!(close(waz(BOY, 365, heavy).expect("z"), 4.5, 1e-9));
        assert!(!close(lms.z(heavy), 4.5, 0.05), "the plain formula differs");
        let (sd2, sd3) = (lms.value_at(-2.0), lms.value_at(-3.0));
        let light = sd3 - 1.5 * (sd2 - sd3);
        assert!(close(waz(BOY, 365, light).expect("z"), -4.5, 1e-9));
        assert!(
            !close(lms.z(light), -4.5, 0.05),
            "the plain formula differs"
        );
        // the same rule for weight-for-length/height and BMI
        let lms = TABLES.wfh.at(GIRL, 100.0).expect("row");
        let (sd2, sd3) = (lms.value_at(2.0), lms.value_at(3.0));
        let w = sd3 + (sd3 - sd2);
        assert!(close(
            whz(GIRL, 1500, 100.0, Position::Standing, w).expect("z"),
            4.0,
            1e-9
        ));
        let lms = TABLES.bmi.at(GIRL, 1500).expect("row");
        let (sd2, sd3) = (lms.value_at(-2.0), lms.value_at(-3.0));
        let bmi = sd3 - (sd2 - sd3);
        let z = baz(GIRL, 1500, 100.0, Position::Standing, bmi).expect("z");
        assert!(close(z, -4.0, 1e-9));
        // length/height-for-age keeps the plain formula
        let lms = TABLES.lhfa.at(GIRL, 1500).expect("row");
        let tall = lms.value_at(4.0);
        assert!(close(
            haz(GIRL, 1500, tall, Position::Standing).expect("z"),
            4.0,
            1e-9
        ));
    }

    #[test]
    fn lengths_between_rows_interpolate_l_m_and_s() {
        let below = TABLES.wfl.at(GIRL, 70.0).expect("row");
        let above = TABLES.wfl.at(GIRL, 70.1).expect("row");
        let between = TABLES.wfl.at(GIRL, 70.025).expect("row");
        let expected = below.lerp(above, 0.25);
        assert!(close(between.m, expected.m, 1e-9));
        assert!(close(between.l, expected.l, 1e-9));
        assert!(close(between.s, expected.s, 1e-12));
        assert_eq!(
            TABLES.wfl.at(GIRL, 70.1).expect("row"),
            TABLES.wfl.rows[1][251]
        );
    }

    #[test]
    fn weight_for_height_looks_rows_up_as_who_anthro_does_even_where_floating_point_bends_it() {
        // 103.1 cm lying at 1435 days is 102.39999999999999 cm standing; WHO Anthro mixes in the
        // 102.5 cm row, not the 102.4 one, and asuh gives WHO's number.
        let cm = 103.1 - LYING_MINUS_STANDING_CM;
        assert_eq!((cm * 10.0).trunc(), 1023.0);
        assert_eq!((cm * 10.0 + 1.0).trunc(), 1025.0);
        let rows = &TABLES.wfh.rows[sex_index(BOY)];
        let (row_102_3, row_102_5) = (rows[1023 - 650], rows[1025 - 650]);
        let lms = row_102_3.lerp(row_102_5, (cm - 102.3) / 0.1);
        let z = whz(BOY, 1435, 103.1, Position::Lying, 20.018).expect("z");
        assert!(close(z, lms.restricted_z(20.018), 1e-12), "{z}");
        let row_102_4 = whz(BOY, 1435, 102.4, Position::Standing, 20.018).expect("z");
        assert!(close(z, 2.523523, 1e-6) && close(row_102_4, 2.545596, 1e-6));
        // every other length in whole mm, converted or not, finds its own row (to 10⁻⁹: a length just
        // under its row is mixed with the next at 0.99999999999999)
        for mm in 650_u32..=1200 {
            let cm = f64::from(mm) / 10.0;
            for position in [Position::Standing, Position::Lying] {
                let typed = if position == Position::Lying {
                    cm + LYING_MINUS_STANDING_CM
                } else {
                    cm
                };
                let typed = (typed * 10.0).round() / 10.0;
                if mm == 1024 && position == Position::Lying {
                    continue;
                }
                let z = whz(GIRL, 1000, typed, position, 15.0).expect("z");
                assert!(
                    close(z, rows_z(GIRL, mm, 15.0), 1e-9),
                    "{typed} {position:?}"
                );
            }
        }
    }

    /// The weight-for-height z-score of `kg` on the row of `mm` alone.
    fn rows_z(sex: Sex, mm: u32, kg: f64) -> f64 {
        TABLES.wfh.rows[sex_index(sex)][(mm - 650) as usize].restricted_z(kg)
    }

    #[test]
    fn z_scores_gives_what_the_values_allow() {
        let without_weight = Measurement {
            sex: GIRL,
            age_days: 400,
            length_cm: 74.0,
            position: Position::Lying,
            weight_kg: None,
        };
        let scores = z_scores(&without_weight).expect("z-scores");
        assert_eq!(
            scores.haz,
            haz(GIRL, 400, 74.0, Position::Lying).expect("z")
        );
        assert_eq!((scores.waz, scores.whz, scores.baz), (None, None, None));

        let weighed = Measurement {
            weight_kg: Some(9.0),
            ..without_weight
        };
        let scores = z_scores(&weighed).expect("z-scores");
        assert_eq!(scores.waz, Some(waz(GIRL, 400, 9.0).expect("z")));
        assert_eq!(
            scores.whz,
            Some(whz(GIRL, 400, 74.0, Position::Lying, 9.0).expect("z"))
        );
        assert_eq!(
            scores.baz,
            Some(baz(GIRL, 400, 74.0, Position::Lying, 9.0).expect("z"))
        );

        // 44.5 cm is below weight-for-length: no whz, the rest still holds
        let young_short = Measurement {
            sex: BOY,
            age_days: 10,
            length_cm: 44.5,
            position: Position::Lying,
            weight_kg: Some(2.4),
        };
        let scores = z_scores(&young_short).expect("z-scores");
        assert_eq!(scores.whz, None);
        assert!(scores.waz.is_some() && scores.baz.is_some());
    }

    #[test]
    fn z_scores_refuses_what_who_flags() {
        // WHO Anthro's own example: 72.86 cm lying at 987 days is −6.09
        let tiny = Measurement {
            sex: BOY,
            age_days: 987,
            length_cm: 72.86,
            position: Position::Lying,
            weight_kg: None,
        };
        match z_scores(&tiny) {
            Err(GrowthError::Implausible {
                indicator: Indicator::LengthHeightForAge,
                z,
            }) => assert!(close(z, -6.09, 0.005)),
            other => panic!("{other:?}"),
        }
        // weight-for-age is flagged above +5 but only below −6
        let wfa = TABLES.wfa.at(GIRL, 1).expect("row");
        let (sd2, sd3) = (wfa.value_at(2.0), wfa.value_at(3.0));
        let heavy = Measurement {
            sex: GIRL,
            age_days: 1,
            length_cm: 49.0,
            position: Position::Lying,
            weight_kg: Some(sd3 + 2.5 * (sd3 - sd2)),
        };
        assert!(matches!(
            z_scores(&heavy),
            Err(GrowthError::Implausible {
                indicator: Indicator::WeightForAge,
                ..
            })
        ));
        // WHO Anthro's example: 10.37 kg on day 1 is flagged
        assert!(
            !Indicator::WeightForAge
                .plausible()
                .contains(&waz(GIRL, 1, 10.37).expect("z"))
        );
        assert!(Indicator::WeightForAge.plausible().contains(&-5.5));
        assert!(!Indicator::WeightForAge.plausible().contains(&5.5));
        assert!(Indicator::LengthHeightForAge.plausible().contains(&5.5));
        assert!(
            !Indicator::WeightForLengthHeight
                .plausible()
                .contains(&-5.01)
        );
        // and WHO Anthro's BMI example: a BMI of 25 on day 1
        let z = baz(GIRL, 1, 50.0, Position::Lying, 6.25).expect("z");
        assert!(!Indicator::BmiForAge.plausible().contains(&z));
    }

    #[test]
    fn the_chart_curves_follow_the_table() {
        assert_eq!(length_at_z(BOY, 0, 0.0), Some(49.8842));
        for z in [-3.0, -2.0, 0.0, 2.0] {
            for age in [0, 365, 730, 731, 1826] {
                let cm = length_at_z(GIRL, age, z).expect("curve");
                let back = haz(GIRL, age, cm, table_position(age)).expect("z");
                assert!(close(back, z, 1e-9), "{age} days, {z} SD");
            }
        }
        // the curve steps down by about 0.7 cm when length becomes height
        let step =
            length_at_z(BOY, 730, 0.0).expect("curve") - length_at_z(BOY, 731, 0.0).expect("curve");
        assert!(step > 0.6 && step < 0.8);
        assert_eq!(length_at_z(BOY, 100, -40.0), None);
        assert_eq!(length_at_z(BOY, 100, f64::NAN), None);
    }

    /// The position the tables use at this age, so that no conversion applies.
    fn table_position(age_days: u32) -> Position {
        if age_days < HEIGHT_FROM_DAYS {
            Position::Lying
        } else {
            Position::Standing
        }
    }
}
