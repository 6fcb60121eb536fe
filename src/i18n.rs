//! Texts users read, from `locales/*.ftl` (Fluent), compiled into the binary. Arguments are escaped for
//! Telegram's HTML parse mode here, in one place, so that a name like `<Budi & Co>` can never break a message.

use crate::domain::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;

/// Each language's texts: the main file, then one file per larger feature (`locales/<feature>.<lang>.ftl`).
const SOURCES: [(Lang, &str); 2] = [
    (
        Lang::Id,
        concat!(
            include_str!("../locales/id.ftl"),
            "\n",
            include_str!("../locales/digest.id.ftl"),
            "\n",
            include_str!("../locales/reports.id.ftl"),
            "\n",
            include_str!("../locales/growth.id.ftl"),
            "\n",
            include_str!("../locales/dashboard.id.ftl"),
        ),
    ),
    (
        Lang::En,
        concat!(
            include_str!("../locales/en.ftl"),
            "\n",
            include_str!("../locales/digest.en.ftl"),
            "\n",
            include_str!("../locales/reports.en.ftl"),
            "\n",
            include_str!("../locales/growth.en.ftl"),
            "\n",
            include_str!("../locales/dashboard.en.ftl"),
        ),
    ),
];

struct Locales {
    id: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let langid = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks show up as stray characters in chat clients.
    bundle.set_use_isolating(false);
    // A broken locale file is a build defect that the locale tests catch; at run time, keep what parsed.
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let _ = bundle.add_resource(resource);
    bundle
}

static LOCALES: LazyLock<Locales> = LazyLock::new(|| Locales {
    id: bundle(Lang::Id, SOURCES[0].1),
    en: bundle(Lang::En, SOURCES[1].1),
});

/// A value to put into a message.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// Text from users or the database: escaped.
    Text(&'a str),
    /// Markup built by asuh itself from escaped parts (a list of lines): inserted as it is.
    Html(&'a str),
    /// A number: Fluent picks plural forms by it.
    Num(i64),
}

/// Escapes text for Telegram's HTML parse mode.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The message `key` in `lang` with `args`. A missing key gives the key itself (and a test fails).
pub fn tf(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let bundle = match lang {
        Lang::Id => &LOCALES.id,
        Lang::En => &LOCALES.en,
    };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::error!(key, lang = lang.code(), "missing locale key");
        return key.to_owned();
    };
    let mut fargs = FluentArgs::new();
    for (name, arg) in args {
        let value = match arg {
            Arg::Text(s) => FluentValue::from(escape(s)),
            Arg::Html(s) => FluentValue::from(s.to_string()),
            Arg::Num(n) => FluentValue::from(*n),
        };
        fargs.set(name.to_string(), value);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
    if !errors.is_empty() {
        tracing::error!(key, lang = lang.code(), ?errors, "locale formatting error");
    }
    text.into_owned()
}

/// The message `key` in `lang`, without arguments.
pub fn t(lang: Lang, key: &str) -> String {
    tf(lang, key, &[])
}

/// A date as people say it: "Kamis, 10-12-2026" / "Thursday, 10-12-2026".
pub fn date_label(lang: Lang, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let day = match date.weekday() {
        chrono::Weekday::Mon => "weekday-mon",
        chrono::Weekday::Tue => "weekday-tue",
        chrono::Weekday::Wed => "weekday-wed",
        chrono::Weekday::Thu => "weekday-thu",
        chrono::Weekday::Fri => "weekday-fri",
        chrono::Weekday::Sat => "weekday-sat",
        chrono::Weekday::Sun => "weekday-sun",
    };
    format!("{}, {}", t(lang, day), date.format("%d-%m-%Y"))
}

/// Every message id in a locale source, for the completeness tests.
pub fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_language_has_every_key_and_parses() {
        let mut sets = Vec::new();
        for (lang, source) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
                panic!("locales/{}.ftl does not parse: {errors:?}", lang.code());
            }
            let all = keys(source);
            let set = all.iter().cloned().collect::<BTreeSet<_>>();
            assert_eq!(
                all.len(),
                set.len(),
                "locales/{}.ftl defines a key twice",
                lang.code()
            );
            sets.push((lang, set));
        }
        let (_, id) = &sets[0];
        for (lang, set) in &sets[1..] {
            let missing: Vec<_> = id.symmetric_difference(set).collect();
            assert!(
                missing.is_empty(),
                "keys not in both id and {}: {missing:?}",
                lang.code()
            );
        }
    }

    /// Every `"some-key"` literal in the layers that choose texts (telegram, services, jobs) that looks like a message id
    /// must exist in the locales.
    #[test]
    fn every_key_used_in_code_exists() {
        let known: BTreeSet<String> = keys(SOURCES[0].1).into_iter().collect();
        let mut missing = Vec::new();
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![
            root.join("telegram"),
            root.join("services"),
            root.join("jobs"),
        ];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).expect("read src").flatten() {
                    stack.push(entry.path());
                }
                continue;
            }
            let code = std::fs::read_to_string(&path).expect("read file");
            for literal in code.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.contains('-')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && literal.starts_with(|c: char| c.is_ascii_lowercase());
                if looks_like_key && !known.contains(literal) && !literal.ends_with('-') {
                    missing.push(format!("{}: {literal}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used in code but missing from locales: {missing:#?}"
        );
    }

    #[test]
    fn arguments_are_escaped_and_plurals_follow_numbers() {
        let text = tf(
            Lang::En,
            "test-greeting",
            &[("name", Arg::Text("<Budi & Co>")), ("count", Arg::Num(1))],
        );
        assert_eq!(text, "Hello &lt;Budi &amp; Co&gt;, 1 child");
        let text = tf(
            Lang::En,
            "test-greeting",
            &[("name", Arg::Text("Ani")), ("count", Arg::Num(3))],
        );
        assert_eq!(text, "Hello Ani, 3 children");
        assert!(!text.contains('\u{2068}'), "no isolation marks");
    }
}
