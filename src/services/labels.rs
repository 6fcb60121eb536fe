//! How places are named in what people read: the same words on every screen and in every notice.

use crate::domain::RegionCode;
use crate::store::children::Child;

/// "Kendari Barat › Benu-Benua", from the names when the regions are set up, else the code.
pub fn area_label(
    kecamatan: &Option<String>,
    village: &Option<String>,
    code: &RegionCode,
) -> String {
    match (kecamatan, village) {
        (Some(k), Some(v)) => format!("{k} › {v}"),
        (Some(k), None) => k.clone(),
        _ => code.to_string(),
    }
}

/// Where a child lives, as precisely as the regions set up allow: village, else kecamatan, else its code.
pub fn child_place(c: &Child) -> String {
    c.village_name
        .clone()
        .or_else(|| c.kecamatan_name.clone())
        .unwrap_or_else(|| c.kecamatan.to_string())
}

/// A child's kecamatan by name (else its code).
pub fn kecamatan_name(c: &Child) -> String {
    c.kecamatan_name
        .clone()
        .unwrap_or_else(|| c.kecamatan.to_string())
}

/// A cadence's rule in words: "every other Monday", "monthly on day 15".
pub fn cadence_words(lang: crate::domain::Lang, c: &crate::domain::schedule::Cadence) -> String {
    use crate::domain::schedule::Cadence;
    use crate::i18n::{Arg, date_label, tf};
    let day = |d: chrono::Weekday| {
        let date = chrono::NaiveDate::from_isoywd_opt(2026, 10, d).unwrap_or_default();
        date_label(lang, date)
            .split(',')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    match c {
        Cadence::Weekly(d) => tf(lang, "cadence-weekly", &[("day", Arg::Text(&day(*d)))]),
        Cadence::Biweekly(d) => tf(lang, "cadence-biweekly", &[("day", Arg::Text(&day(*d)))]),
        Cadence::Monthly(n) => tf(lang, "cadence-monthly", &[("day", Arg::Num(i64::from(*n)))]),
        Cadence::Cron(_) => {
            let spec = c.spec();
            let expr = spec.strip_prefix("cron:").unwrap_or(&spec);
            tf(lang, "cadence-cron", &[("expr", Arg::Text(expr))])
        }
    }
}

/// A cadence as people read it: its name and its rule in words (HTML).
pub fn cadence_label(
    lang: crate::domain::Lang,
    name: &str,
    c: &crate::domain::schedule::Cadence,
) -> String {
    use crate::i18n::{Arg, tf};
    tf(
        lang,
        "cadence-label",
        &[
            ("name", Arg::Text(name)),
            ("spec", Arg::Html(&cadence_words(lang, c))),
        ],
    )
}
