//! One visit's measurement of a child as people give it (typed in the chat or read from a file): the
//! values parsed from what they write, and the checks that refuse an implausible measurement, with the
//! reason, before it is recorded.
//!
//! A measurement is refused when:
//! - its date is in the future, before the birth, or past the fifth birthday (the WHO standards end there);
//! - a value is not a length, weight or arm circumference at all (outside the ranges below);
//! - WHO flags one of its z-scores as implausible ([`crate::domain::growth::z_scores`]);
//! - the child is shorter than at an earlier measurement (or taller than at a later one) by more than a
//!   measurement error, after putting both on the same footing (lying = standing + 0.7 cm);
//! - the weight doubled, or halved, within a month of another measurement.

use crate::domain::child::{Sex, age_days};
use crate::domain::growth::{self, GrowthError, Indicator, Position, ZScores};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Lengths people can mean, in mm: anything outside is another unit or a typo (WHO's tables run 45–120 cm;
/// the z-score flags catch what is inside this range but not plausible for the age).
const LENGTH_MM: std::ops::RangeInclusive<u32> = 300..=1400;
/// Weights, in g.
const WEIGHT_G: std::ops::RangeInclusive<u32> = 500..=40_000;
/// Mid-upper arm circumferences, in mm.
const MUAC_MM: std::ops::RangeInclusive<u32> = 50..=300;

/// How much shorter than before a child may measure: two people with the same board differ by up to
/// about a centimetre (WHO's technical error of measurement for length is a few mm per measurer).
pub const MAX_SHRINK_MM: i64 = 10;

/// Within this many days a weight may not double or halve.
pub const WEIGHT_JUMP_DAYS: i64 = 31;

/// Length or height in whole mm (0.1 cm, the precision of a length board).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LengthMm(u32);

/// Weight in g (a child scale reads to 10–100 g).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WeightG(u32);

/// Mid-upper arm circumference in mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MuacMm(u32);

/// Why a typed value was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("not a number")]
    NotANumber,
    #[error("outside the range of the quantity")]
    OutOfRange,
}

impl LengthMm {
    /// `"82,5"`, `"82.5 cm"`, `"82"`: centimetres, with a comma or a point.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        parse_tenths(text, &["cm"]).and_then(|mm| Self::from_mm(i64::from(mm)))
    }

    pub fn from_mm(mm: i64) -> Result<Self, ValueError> {
        in_range(mm, &LENGTH_MM).map(Self)
    }

    pub fn mm(self) -> i64 {
        i64::from(self.0)
    }

    pub fn cm(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl WeightG {
    /// `"10,2"`, `"10.25 kg"`: kilograms, with a comma or a point, to the gram.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let kg = parse_decimal(text, &["kg"])?;
        let grams = (kg * 1000.0).round();
        if !(0.0..=f64::from(u32::MAX)).contains(&grams) {
            return Err(ValueError::OutOfRange);
        }
        // In range of u32 by the check above.
        Self::from_g(grams as i64)
    }

    pub fn from_g(g: i64) -> Result<Self, ValueError> {
        in_range(g, &WEIGHT_G).map(Self)
    }

    pub fn g(self) -> i64 {
        i64::from(self.0)
    }

    pub fn kg(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl MuacMm {
    /// `"12,5"`, `"12.5 cm"`: centimetres.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        parse_tenths(text, &["cm"]).and_then(|mm| Self::from_mm(i64::from(mm)))
    }

    pub fn from_mm(mm: i64) -> Result<Self, ValueError> {
        in_range(mm, &MUAC_MM).map(Self)
    }

    pub fn mm(self) -> i64 {
        i64::from(self.0)
    }

    pub fn cm(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

fn in_range(value: i64, range: &std::ops::RangeInclusive<u32>) -> Result<u32, ValueError> {
    u32::try_from(value)
        .ok()
        .filter(|v| range.contains(v))
        .ok_or(ValueError::OutOfRange)
}

/// A decimal number as people type it: a comma or a point before the decimals, an optional unit after.
fn parse_decimal(text: &str, units: &[&str]) -> Result<f64, ValueError> {
    let mut s = text.trim().to_lowercase();
    for unit in units {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.trim_end().to_owned();
        }
    }
    let s = s.replace(',', ".");
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.matches('.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return Err(ValueError::NotANumber);
    }
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or(ValueError::NotANumber)
}

/// A value in cm to whole tenths (mm): `"82,55"` is refused rather than rounded, since no board reads it.
fn parse_tenths(text: &str, units: &[&str]) -> Result<u32, ValueError> {
    let value = parse_decimal(text, units)?;
    let tenths = value * 10.0;
    if (tenths - tenths.round()).abs() > 1e-6 {
        return Err(ValueError::NotANumber);
    }
    if !(0.0..=f64::from(u32::MAX)).contains(&tenths) {
        return Err(ValueError::OutOfRange);
    }
    Ok(tenths.round() as u32)
}

/// A date as Indonesians write it: `24-11-2026`, `24/11/2026`, `24.11.2026`, or ISO `2026-11-24`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
        .filter(|d| d.year() >= 1900)
}

/// What a measurement says, before it is checked against the child.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub measured_on: NaiveDate,
    pub length: LengthMm,
    pub position: Position,
    pub weight: Option<WeightG>,
    pub muac: Option<MuacMm>,
}

/// A measurement already recorded, to compare a new one with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recorded {
    pub measured_on: NaiveDate,
    pub length_mm: i64,
    pub position: Position,
    pub weight_g: Option<i64>,
}

/// Why a measurement is not recorded. Each says what to check, so the volunteer can measure again.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Implausible {
    #[error("the date is after today")]
    InFuture,
    #[error("the date is before the child's birth")]
    BeforeBirth,
    #[error("the child was over five years old on that day")]
    TooOld,
    #[error("WHO flags the {indicator:?} z-score {z:.2} as implausible")]
    Flagged { indicator: Indicator, z: f64 },
    #[error("{shorter_by_mm} mm shorter than on {earlier}")]
    Shorter {
        earlier: Recorded,
        shorter_by_mm: i64,
    },
    #[error("{taller_by_mm} mm taller than on {later}, which came after")]
    TallerThanLater { later: Recorded, taller_by_mm: i64 },
    #[error("the weight doubled or halved within {days} days of {other}")]
    WeightJump { other: Recorded, days: i64 },
}

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.measured_on)
    }
}

/// The checks of a date alone, so the chat can refuse it before asking for the values.
pub fn check_date(birth: NaiveDate, today: NaiveDate, on: NaiveDate) -> Result<(), Implausible> {
    if on > today {
        return Err(Implausible::InFuture);
    }
    match age_days(birth, on) {
        None => Err(Implausible::BeforeBirth),
        Some(days) if days > growth::MAX_AGE_DAYS => Err(Implausible::TooOld),
        Some(_) => Ok(()),
    }
}

/// Checks `reading` for a child born on `birth` against the closest recorded measurements before and
/// after its date (`None` when there is none; a measurement of the same day is being replaced and is
/// not passed), and gives its z-scores. `today` is the date where the child lives.
pub fn check(
    sex: Sex,
    birth: NaiveDate,
    today: NaiveDate,
    reading: &Reading,
    before: Option<&Recorded>,
    after: Option<&Recorded>,
) -> Result<ZScores, Implausible> {
    let on = reading.measured_on;
    check_date(birth, today, on)?;
    // The child's own record first: "half of yesterday's weight" says more than a z-score beyond −5.
    let lying = recumbent_mm(birth, on, reading.length.mm(), reading.position);
    if let Some(earlier) = before {
        let then = recumbent_mm(
            birth,
            earlier.measured_on,
            earlier.length_mm,
            earlier.position,
        );
        if then - lying > MAX_SHRINK_MM {
            return Err(Implausible::Shorter {
                earlier: *earlier,
                shorter_by_mm: then - lying,
            });
        }
    }
    if let Some(later) = after {
        let then = recumbent_mm(birth, later.measured_on, later.length_mm, later.position);
        if lying - then > MAX_SHRINK_MM {
            return Err(Implausible::TallerThanLater {
                later: *later,
                taller_by_mm: lying - then,
            });
        }
    }
    if let Some(weight) = reading.weight {
        for other in [before, after].into_iter().flatten() {
            let days = (on - other.measured_on).num_days().abs();
            let Some(then) = other.weight_g else { continue };
            if days <= WEIGHT_JUMP_DAYS && (weight.g() >= 2 * then || 2 * weight.g() <= then) {
                return Err(Implausible::WeightJump {
                    other: *other,
                    days,
                });
            }
        }
    }
    let age = age_days(birth, on).ok_or(Implausible::BeforeBirth)?;
    growth::z_scores(&growth::Measurement {
        sex,
        age_days: age,
        length_cm: reading.length.cm(),
        position: reading.position,
        weight_kg: reading.weight.map(WeightG::kg),
    })
    .map_err(|e| match e {
        GrowthError::Implausible { indicator, z } => Implausible::Flagged { indicator, z },
        // The age is the only thing left that can be out of the tables: lengths and weights are positive.
        _ => Implausible::TooOld,
    })
}

/// The length as if measured lying down, in mm, so two measurements taken in different positions compare:
/// standing height is 0.7 cm less than recumbent length (WHO), except for a baby under nine months, whose
/// "standing" value WHO takes as the length it must be.
fn recumbent_mm(birth: NaiveDate, on: NaiveDate, mm: i64, position: Position) -> i64 {
    let standing_believed = age_days(birth, on).is_some_and(|d| d >= growth::STANDING_FROM_DAYS);
    match position {
        Position::Standing if standing_believed => mm + 7,
        _ => mm,
    }
}

/// Whether the reading says "standing" for a baby under nine months: not refused, since WHO Anthro still
/// scores it (as the length lying down, without the 0.7 cm; [`growth::standing_under_nine_months`]), but
/// unusual enough to tell the person who entered it, as WHO Anthro marks it (`c9mo_flag`).
pub fn standing_under_nine_months(birth: NaiveDate, reading: &Reading) -> bool {
    age_days(birth, reading.measured_on)
        .is_some_and(|d| growth::standing_under_nine_months(d, reading.position))
}

/// The position WHO expects at this age: lying under two years, standing from two. What a file that does
/// not say is taken to mean, and the button offered first.
pub fn usual_position(birth: NaiveDate, on: NaiveDate) -> Position {
    match age_days(birth, on) {
        Some(d) if d >= growth::HEIGHT_FROM_DAYS => Position::Standing,
        _ => Position::Lying,
    }
}

/// The answer to an optional question: a value, or skipped. (Not `Option<Option<T>>`, which JSON cannot
/// tell from a question not asked yet.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer<T> {
    Given(T),
    Skipped,
}

impl<T: Copy> Answer<T> {
    pub fn value(self) -> Option<T> {
        match self {
            Answer::Given(v) => Some(v),
            Answer::Skipped => None,
        }
    }
}

/// A measurement being entered in the chat, step by step. The next step is the first thing missing, so
/// going back is only clearing a field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub measured_on: Option<NaiveDate>,
    pub length: Option<LengthMm>,
    pub position: Option<Position>,
    /// Skipped when there is no scale at hand.
    pub weight: Option<Answer<WeightG>>,
    /// Skipped when there is no arm tape at hand.
    pub muac: Option<Answer<MuacMm>>,
}

/// What the chat asks next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Date,
    Length,
    Position,
    Weight,
    Muac,
    /// Everything given: shown back with its z-scores, to save or redo.
    Review,
}

impl Draft {
    pub fn step(&self) -> Step {
        if self.measured_on.is_none() {
            Step::Date
        } else if self.length.is_none() {
            Step::Length
        } else if self.position.is_none() {
            Step::Position
        } else if self.weight.is_none() {
            Step::Weight
        } else if self.muac.is_none() {
            Step::Muac
        } else {
            Step::Review
        }
    }

    /// The reading, once every step is done.
    pub fn reading(&self) -> Option<Reading> {
        Some(Reading {
            measured_on: self.measured_on?,
            length: self.length?,
            position: self.position?,
            weight: self.weight?.value(),
            muac: self.muac?.value(),
        })
    }

    /// The reading so far with what is not asked yet left out, to check each value as soon as it is given.
    pub fn partial(&self) -> Option<Reading> {
        Some(Reading {
            measured_on: self.measured_on?,
            length: self.length?,
            position: self.position?,
            weight: self.weight.and_then(Answer::value),
            muac: self.muac.and_then(Answer::value),
        })
    }

    /// Forgets the values a refusal was about, so that step is asked again.
    pub fn clear_for(&mut self, refusal: &Implausible) {
        match refusal {
            Implausible::InFuture | Implausible::BeforeBirth | Implausible::TooOld => {
                self.measured_on = None
            }
            Implausible::Shorter { .. } | Implausible::TallerThanLater { .. } => {
                self.length = None;
                self.position = None;
            }
            Implausible::Flagged {
                indicator: Indicator::LengthHeightForAge,
                ..
            } => {
                self.length = None;
                self.position = None;
            }
            // A weight-based flag or a weight jump: the weight is the likelier mistake.
            Implausible::Flagged { .. } | Implausible::WeightJump { .. } => self.weight = None,
        }
    }
}

/// The dates offered as buttons: today and the day before.
pub fn recent_dates(today: NaiveDate) -> [NaiveDate; 2] {
    [today, today - Duration::days(1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn reading(on: &str, cm: &str, position: Position, kg: Option<&str>) -> Reading {
        Reading {
            measured_on: date(on),
            length: LengthMm::parse(cm).unwrap(),
            position,
            weight: kg.map(|k| WeightG::parse(k).unwrap()),
            muac: None,
        }
    }

    fn recorded(on: &str, mm: i64, position: Position, g: Option<i64>) -> Recorded {
        Recorded {
            measured_on: date(on),
            length_mm: mm,
            position,
            weight_g: g,
        }
    }

    const BIRTH: &str = "2024-06-01";

    fn check_simple(
        r: &Reading,
        before: Option<&Recorded>,
        after: Option<&Recorded>,
    ) -> Result<ZScores, Implausible> {
        check(Sex::Male, date(BIRTH), date("2026-11-24"), r, before, after)
    }

    #[test]
    fn values_parse_as_people_type_them() {
        assert_eq!(LengthMm::parse("82,5").unwrap().mm(), 825);
        assert_eq!(LengthMm::parse(" 82.5 cm ").unwrap().mm(), 825);
        assert_eq!(LengthMm::parse("82").unwrap().mm(), 820);
        assert_eq!(LengthMm::parse("82cm").unwrap().mm(), 820);
        assert_eq!(WeightG::parse("10,2").unwrap().g(), 10_200);
        assert_eq!(WeightG::parse("10.25 kg").unwrap().g(), 10_250);
        assert_eq!(WeightG::parse("9,875").unwrap().g(), 9_875);
        assert_eq!(MuacMm::parse("12,5").unwrap().mm(), 125);
    }

    #[test]
    fn values_that_are_not_measurements_are_refused() {
        for text in [
            "", "abc", "-82", "82,5,1", "8 2", "82.55", "1e2", ".", "NaN",
        ] {
            assert!(LengthMm::parse(text).is_err(), "{text}");
        }
        // another unit: mm, m, grams
        assert_eq!(LengthMm::parse("825"), Err(ValueError::OutOfRange));
        assert_eq!(LengthMm::parse("0,8"), Err(ValueError::OutOfRange));
        assert_eq!(WeightG::parse("10200"), Err(ValueError::OutOfRange));
        assert_eq!(WeightG::parse("0,2"), Err(ValueError::OutOfRange));
        assert_eq!(MuacMm::parse("125"), Err(ValueError::OutOfRange));
        assert!(WeightG::parse("99999999999999999999").is_err());
    }

    #[test]
    fn ends_of_the_ranges_hold() {
        assert!(LengthMm::from_mm(300).is_ok());
        assert!(LengthMm::from_mm(299).is_err());
        assert!(LengthMm::from_mm(1400).is_ok());
        assert!(LengthMm::from_mm(1401).is_err());
        assert!(WeightG::from_g(500).is_ok());
        assert!(WeightG::from_g(40_001).is_err());
        assert!(MuacMm::from_mm(-1).is_err());
    }

    #[test]
    fn dates_in_the_forms_people_write() {
        let d = date("2026-11-24");
        for text in [
            "24-11-2026",
            "24/11/2026",
            "24.11.2026",
            "2026-11-24",
            " 24-11-2026 ",
        ] {
            assert_eq!(parse_date(text), Some(d), "{text}");
        }
        for text in ["31-02-2026", "24-13-2026", "kemarin", "24-11-26", ""] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn a_plausible_measurement_gives_its_z_scores() {
        let r = reading("2026-11-20", "82,0", Position::Standing, Some("10,5"));
        let zs = check_simple(&r, None, None).unwrap();
        let expected = growth::z_scores(&growth::Measurement {
            sex: Sex::Male,
            age_days: age_days(date(BIRTH), date("2026-11-20")).unwrap(),
            length_cm: 82.0,
            position: Position::Standing,
            weight_kg: Some(10.5),
        })
        .unwrap();
        assert_eq!(zs, expected);
        assert!(zs.haz < -2.0, "{}", zs.haz);
    }

    #[test]
    fn dates_outside_the_childs_life_or_the_standards_are_refused() {
        let r = reading("2026-11-25", "82,0", Position::Standing, None);
        assert_eq!(check_simple(&r, None, None), Err(Implausible::InFuture));
        let r = reading("2024-05-31", "50,0", Position::Lying, None);
        assert_eq!(check_simple(&r, None, None), Err(Implausible::BeforeBirth));
        let old = check(
            Sex::Female,
            date("2020-01-01"),
            date("2026-11-24"),
            &reading("2025-01-02", "105,0", Position::Standing, None),
            None,
            None,
        );
        assert_eq!(old, Err(Implausible::TooOld));
        // the last day of the standards is still measured
        let last = check(
            Sex::Female,
            date("2020-01-01"),
            date("2026-11-24"),
            &reading("2024-12-31", "105,0", Position::Standing, None),
            None,
            None,
        );
        assert!(last.is_ok(), "{last:?}");
    }

    #[test]
    fn a_date_alone_is_checked_like_in_a_reading() {
        let (birth, today) = (date("2020-01-01"), date("2026-11-24"));
        assert_eq!(
            check_date(birth, today, date("2026-11-25")),
            Err(Implausible::InFuture)
        );
        assert_eq!(
            check_date(birth, today, date("2019-12-31")),
            Err(Implausible::BeforeBirth)
        );
        assert_eq!(
            check_date(birth, today, date("2025-01-01")),
            Err(Implausible::TooOld)
        );
        assert_eq!(check_date(birth, today, date("2024-12-31")), Ok(()));
        assert_eq!(check_date(birth, today, date("2020-01-01")), Ok(()));
    }

    #[test]
    fn who_flags_are_refused_with_the_indicator() {
        // 60 cm at 2.5 years is far beyond −6 SD
        let r = reading("2026-11-20", "60,0", Position::Standing, None);
        assert!(matches!(
            check_simple(&r, None, None),
            Err(Implausible::Flagged {
                indicator: Indicator::LengthHeightForAge,
                ..
            })
        ));
        // 30 kg at 88 cm
        let r = reading("2026-11-20", "88,0", Position::Standing, Some("30"));
        assert!(matches!(
            check_simple(&r, None, None),
            Err(Implausible::Flagged {
                indicator: Indicator::WeightForAge,
                ..
            })
        ));
    }

    #[test]
    fn shorter_than_before_beyond_a_measurement_error_is_refused() {
        let before = recorded("2026-08-20", 850, Position::Standing, Some(11_000));
        // 1.0 cm shorter: within the error
        let r = reading("2026-11-20", "84,0", Position::Standing, None);
        assert!(check_simple(&r, Some(&before), None).is_ok());
        // 1.1 cm shorter: refused
        let r = reading("2026-11-20", "83,9", Position::Standing, None);
        assert_eq!(
            check_simple(&r, Some(&before), None),
            Err(Implausible::Shorter {
                earlier: before,
                shorter_by_mm: 11
            })
        );
    }

    #[test]
    fn positions_are_compared_on_the_same_footing() {
        // 85.0 standing equals 85.7 lying: 85.0 lying later is 0.7 cm shorter, within the error
        let before = recorded("2026-08-20", 850, Position::Standing, None);
        let r = reading("2026-11-20", "85,0", Position::Lying, None);
        assert!(check_simple(&r, Some(&before), None).is_ok());
        // 86.0 lying before, 84.4 standing now is 85.1 lying: 0.9 cm shorter, within
        let before = recorded("2026-08-20", 860, Position::Lying, None);
        let r = reading("2026-11-20", "84,4", Position::Standing, None);
        assert!(check_simple(&r, Some(&before), None).is_ok());
        // 84.2 standing is 84.9 lying: 1.1 cm shorter, refused
        let r = reading("2026-11-20", "84,2", Position::Standing, None);
        assert!(matches!(
            check_simple(&r, Some(&before), None),
            Err(Implausible::Shorter {
                shorter_by_mm: 11,
                ..
            })
        ));
    }

    #[test]
    fn a_back_dated_measurement_may_not_be_taller_than_a_later_one() {
        let after = recorded("2026-11-20", 820, Position::Standing, None);
        let r = reading("2026-08-20", "83,5", Position::Standing, None);
        assert!(matches!(
            check_simple(&r, None, Some(&after)),
            Err(Implausible::TallerThanLater {
                taller_by_mm: 15,
                ..
            })
        ));
        let r = reading("2026-08-20", "81,0", Position::Standing, None);
        assert!(check_simple(&r, None, Some(&after)).is_ok());
    }

    #[test]
    fn a_weight_that_doubles_or_halves_within_a_month_is_refused() {
        let before = recorded("2026-10-20", 820, Position::Standing, Some(7_000));
        let r = reading("2026-11-20", "82,0", Position::Standing, Some("14,0"));
        assert_eq!(
            check_simple(&r, Some(&before), None),
            Err(Implausible::WeightJump {
                other: before,
                days: 31
            })
        );
        // just under double is a (large) gain, not a refusal here
        let before = recorded("2026-10-20", 820, Position::Standing, Some(10_000));
        let r = reading("2026-11-20", "82,0", Position::Standing, Some("11,0"));
        assert!(check_simple(&r, Some(&before), None).is_ok());
        // halving against a later measurement
        let after = recorded("2026-11-21", 820, Position::Standing, Some(22_000));
        let r = reading("2026-11-20", "82,0", Position::Standing, Some("11,0"));
        assert!(matches!(
            check_simple(&r, None, Some(&after)),
            Err(Implausible::WeightJump { days: 1, .. })
        ));
        // over a month apart the rule does not apply (the z-score flags still do)
        let before = recorded("2026-09-01", 820, Position::Standing, Some(6_000));
        let r = reading("2026-11-20", "82,0", Position::Standing, Some("12,0"));
        assert!(!matches!(
            check_simple(&r, Some(&before), None),
            Err(Implausible::WeightJump { .. })
        ));
    }

    #[test]
    fn the_draft_asks_for_the_first_thing_missing() {
        let mut d = Draft::default();
        assert_eq!(d.step(), Step::Date);
        d.measured_on = Some(date("2026-11-20"));
        assert_eq!(d.step(), Step::Length);
        d.length = Some(LengthMm::parse("82").unwrap());
        assert_eq!(d.step(), Step::Position);
        d.position = Some(Position::Standing);
        assert_eq!(d.step(), Step::Weight);
        assert!(d.reading().is_none());
        assert!(d.partial().is_some());
        d.weight = Some(Answer::Skipped);
        assert_eq!(d.step(), Step::Muac);
        d.muac = Some(Answer::Given(MuacMm::parse("13").unwrap()));
        assert_eq!(d.step(), Step::Review);
        let r = d.reading().unwrap();
        assert_eq!(r.weight, None);
        assert_eq!(r.muac.map(MuacMm::mm), Some(130));

        let mut redo = d.clone();
        redo.clear_for(&Implausible::Shorter {
            earlier: recorded("2026-01-01", 900, Position::Lying, None),
            shorter_by_mm: 20,
        });
        assert_eq!(redo.step(), Step::Length);
        let mut redo = d.clone();
        redo.clear_for(&Implausible::Flagged {
            indicator: Indicator::WeightForAge,
            z: 7.0,
        });
        assert_eq!(redo.step(), Step::Weight);
        let mut redo = d;
        redo.clear_for(&Implausible::InFuture);
        assert_eq!(redo.step(), Step::Date);
    }

    #[test]
    fn the_usual_position_follows_who() {
        let birth = date("2024-06-01");
        // 2024 is a leap year: day 730 is 1 June 2026, day 731 the 2nd
        assert_eq!(usual_position(birth, date("2026-06-01")), Position::Lying);
        assert_eq!(
            usual_position(birth, date("2026-06-02")),
            Position::Standing
        );
    }

    #[test]
    fn standing_under_nine_months_is_pointed_out_but_not_refused() {
        let birth = date("2026-01-01");
        // day 273 is 1 October 2026, under 9 months; day 274 the 2nd
        let young = reading("2026-10-01", "68,0", Position::Standing, Some("8,0"));
        assert!(standing_under_nine_months(birth, &young));
        let z = check(Sex::Male, birth, date("2026-11-24"), &young, None, None);
        assert!(z.is_ok(), "{z:?}");
        let lying = reading("2026-10-01", "68,0", Position::Lying, Some("8,0"));
        assert!(!standing_under_nine_months(birth, &lying));
        assert_eq!(
            check(Sex::Male, birth, date("2026-11-24"), &lying, None, None),
            z
        );
        let older = reading("2026-10-02", "68,0", Position::Standing, Some("8,0"));
        assert!(!standing_under_nine_months(birth, &older));
    }

    #[test]
    fn a_draft_survives_json() {
        let d = Draft {
            measured_on: Some(date("2026-11-20")),
            length: Some(LengthMm::parse("82,5").unwrap()),
            position: Some(Position::Lying),
            weight: Some(Answer::Skipped),
            muac: Some(Answer::Given(MuacMm::parse("12,5").unwrap())),
        };
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), d);
    }
}
