//! A child's progress between two height-for-age z-scores, as the digest and the sponsor's note tell it:
//! better, worse or unchanged (a change below a measurement's precision is no change), leaving stunting,
//! when a graduation is due, the baseline of a sponsorship, and a z-score written for people.
//!
//! z-scores are kept as thousandths (`haz_milli`); comparisons and rounding here are done in thousandths
//! too, so a boundary is exact: in binary floating point −2.8 − (−2.7) is −0.0999…, not −0.1.

use crate::domain::Lang;
use crate::domain::growth::{Stunting, stunting};
use chrono::NaiveDate;

/// A change of a z-score smaller than this is "unchanged": below the precision of a measurement.
pub const CHANGE_THRESHOLD: f64 = 0.1;

/// How a z-score moved from one measurement to a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Improved,
    Worsened,
    Unchanged,
}

/// A z-score in thousandths, as stored.
fn milli(z: f64) -> i64 {
    (z * 1000.0).round() as i64
}

/// `after − before` of at least +[`CHANGE_THRESHOLD`]: improved; of at most −[`CHANGE_THRESHOLD`]: worsened.
pub fn trend(before: f64, after: f64) -> Trend {
    let threshold = milli(CHANGE_THRESHOLD);
    let change = milli(after) - milli(before);
    if change >= threshold {
        Trend::Improved
    } else if change <= -threshold {
        Trend::Worsened
    } else {
        Trend::Unchanged
    }
}

fn stunted(z: f64) -> bool {
    stunting(z) != Stunting::Normal
}

/// Stunted before (z < −2) and no longer after (z ≥ −2), by WHO's cut-off as `growth::stunting` applies it.
pub fn left_stunting(before: f64, after: f64) -> bool {
    stunted(before) && !stunted(after)
}

/// A graduation is due when the two latest measurements are both ≥ −2 and the one before them was < −2
/// (the moment of leaving stunting on two measurements in a row; a child never recorded stunted is not asked).
pub fn graduation_due(haz_newest_first: &[f64]) -> bool {
    match haz_newest_first {
        [newest, second, third, ..] => !stunted(*newest) && !stunted(*second) && stunted(*third),
        _ => false,
    }
}

/// Which of a child's measurement dates (oldest first) a sponsorship whose first day is `start` (a date in
/// the zone of the child's region) is measured against: the last one before its first day (the child as
/// the sponsor found them), else the first one (the first look the programme had). A measurement taken on
/// the first day is one of the sponsorship's: progress is read up to it, not from it. `None` without
/// measurements.
pub fn baseline(dates_oldest_first: &[NaiveDate], start: NaiveDate) -> Option<usize> {
    match dates_oldest_first.iter().rposition(|d| *d < start) {
        Some(i) => Some(i),
        None if dates_oldest_first.is_empty() => None,
        None => Some(0),
    }
}

/// z-score for people: one decimal, a real minus sign (U+2212), decimal comma in Indonesian, dot in English: "−2,6" / "−2.6"; "0,0" never "−0,0".
pub fn z_text(lang: Lang, z: f64) -> String {
    // Rounded half away from zero from the thousandths, so −2.05 reads −2,1 whatever its binary form.
    let m = milli(z);
    let tenths = (m.abs() + 50) / 100;
    let sign = if m < 0 && tenths > 0 { "\u{2212}" } else { "" };
    let point = match lang {
        Lang::Id => ',',
        Lang::En => '.',
    };
    format!("{sign}{}{point}{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_of_a_tenth_counts_and_less_does_not() {
        assert_eq!(trend(-2.7, -2.6), Trend::Improved);
        assert_eq!(trend(-2.7, -2.8), Trend::Worsened);
        assert_eq!(trend(-2.8, -2.7), Trend::Improved);
        assert_eq!(trend(0.0, 0.1), Trend::Improved);
        assert_eq!(trend(0.1, 0.0), Trend::Worsened);
        assert_eq!(trend(-2.7, -2.601), Trend::Unchanged);
        assert_eq!(trend(-2.7, -2.799), Trend::Unchanged);
        assert_eq!(trend(-2.3, -2.3), Trend::Unchanged);
        assert_eq!(trend(-3.0, -1.0), Trend::Improved);
        assert_eq!(trend(-1.0, -3.0), Trend::Worsened);
    }

    #[test]
    fn leaving_stunting_is_crossing_minus_two_upwards() {
        assert!(left_stunting(-2.001, -2.0));
        assert!(left_stunting(-3.5, -1.2));
        assert!(!left_stunting(-2.0, -1.5), "−2 itself is not stunted");
        assert!(!left_stunting(-2.5, -2.001));
        assert!(!left_stunting(-1.5, -2.5));
        assert!(!left_stunting(-1.5, -1.0));
    }

    #[test]
    fn a_graduation_is_due_on_the_second_measurement_out_of_stunting() {
        assert!(graduation_due(&[-1.8, -1.9, -2.4]));
        assert!(graduation_due(&[-2.0, -2.0, -2.001, -3.0]));
        // Only one measurement out of stunting yet.
        assert!(!graduation_due(&[-1.8, -2.4, -2.6]));
        // Already out before: asked when it happened, not again.
        assert!(!graduation_due(&[-1.5, -1.8, -1.9, -2.4]));
        // Never recorded stunted.
        assert!(!graduation_due(&[-1.5, -1.8]));
        assert!(!graduation_due(&[-1.5, -1.8, -1.0]));
        // Stunted again.
        assert!(!graduation_due(&[-2.1, -1.8, -2.4]));
        assert!(!graduation_due(&[]));
        assert!(!graduation_due(&[-1.0]));
    }

    #[test]
    fn the_baseline_is_the_last_measurement_before_the_start_else_the_first_after() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        let dates = [d(3, 10), d(5, 2), d(8, 13), d(10, 1)];
        assert_eq!(baseline(&dates, d(8, 20)), Some(2));
        // Measured on the sponsorship's first day: that measurement is the sponsorship's, compared with
        // the one before.
        assert_eq!(baseline(&dates, d(8, 13)), Some(1), "on the start day");
        assert_eq!(
            baseline(&[d(8, 13)], d(8, 13)),
            Some(0),
            "only on the start day"
        );
        assert_eq!(baseline(&dates, d(1, 1)), Some(0));
        assert_eq!(baseline(&dates, d(12, 1)), Some(3));
        assert_eq!(baseline(&[], d(8, 20)), None);
    }

    #[test]
    fn z_scores_read_with_one_decimal_a_real_minus_and_the_languages_separator() {
        assert_eq!(z_text(Lang::Id, -2.6), "−2,6");
        assert_eq!(z_text(Lang::En, -2.6), "−2.6");
        assert_eq!(z_text(Lang::Id, -2.649), "−2,6");
        assert_eq!(z_text(Lang::Id, -2.65), "−2,7");
        assert_eq!(z_text(Lang::Id, -2.05), "−2,1");
        assert_eq!(z_text(Lang::En, 1.25), "1.3");
        assert_eq!(z_text(Lang::Id, -0.04), "0,0");
        assert_eq!(z_text(Lang::En, -0.04), "0.0");
        assert_eq!(z_text(Lang::Id, -0.05), "−0,1");
        assert_eq!(z_text(Lang::Id, 0.0), "0,0");
        assert_eq!(z_text(Lang::En, -10.96), "−11.0");
        assert_eq!(z_text(Lang::Id, f64::from(-3404) / 1000.0), "−3,4");
    }
}
