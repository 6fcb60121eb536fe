//! Region names as people write them: `DESA BOMBA BOMBA`, `Kel. Lepo-lepo`, `kec  kendari barat` all name an
//! official region. A name is folded into a key (case, spaces, hyphens, apostrophes and the level's prefix
//! dropped) to compare; a name that still matches nothing is compared by edit distance, so a close spelling
//! resolves when one official name is clearly nearest, and the nearest ones are offered otherwise.

use super::children::fold_name;

/// The words offices put before a region's name, folded.
const PREFIXES: &[&str] = &[
    "desa",
    "kelurahan",
    "kel",
    "ds",
    "kecamatan",
    "kec",
    "kabupaten",
    "kab",
];

/// The key a region name is compared by: folded (lowercase, no accents or apostrophes, punctuation and
/// hyphens as spaces, one space between words), the level's prefix dropped.
pub fn region_key(name: &str) -> String {
    let folded = fold_name(name);
    let mut words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    while words.len() > 1 && PREFIXES.contains(&words[0]) {
        words.remove(0);
    }
    words.join(" ")
}

/// The edit distance between two keys (insertions, deletions, substitutions), counted in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How far a spelling may be from an official name and still be taken for it: one slip in a short name,
/// about one in five characters in a long one.
fn tolerance(key: &str) -> usize {
    (key.chars().count() / 5).max(1)
}

/// What matching a name against the official ones found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match<T> {
    /// One official name is it (the same key, or clearly the closest within the tolerance).
    One(T),
    /// Several official regions have exactly this name (a kecamatan name in two regencies).
    Several(Vec<T>),
    /// Nothing close enough: the nearest official names, best first (at most three).
    None(Vec<String>),
}

/// Finds the official name that `text` means among `candidates` (key, official name, value).
pub fn resolve<'a, T: Clone + 'a>(
    text: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str, &'a T)>,
) -> Match<T> {
    let key = region_key(text);
    let mut scored: Vec<(usize, &str, &T)> = candidates
        .into_iter()
        .map(|(k, name, value)| (distance(&key, k), name, value))
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let exact: Vec<&(usize, &str, &T)> = scored.iter().filter(|s| s.0 == 0).collect();
    match exact.as_slice() {
        [] => {}
        [only] => return Match::One(only.2.clone()),
        several => return Match::Several(several.iter().map(|s| s.2.clone()).collect()),
    }
    if let [first, rest @ ..] = scored.as_slice()
        && first.0 <= tolerance(&key)
        && rest.first().is_none_or(|second| second.0 > first.0)
    {
        return Match::One(first.2.clone());
    }
    let mut nearest: Vec<String> = Vec::new();
    for (_, name, _) in scored.iter().take(6) {
        if !nearest.iter().any(|n| n == name) {
            nearest.push((*name).to_owned());
        }
        if nearest.len() == 3 {
            break;
        }
    }
    Match::None(nearest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_the_way_offices_write_them() {
        assert_eq!(region_key("DESA BOMBA BOMBA"), "bomba bomba");
        assert_eq!(region_key("Bomba-bomba"), "bomba bomba");
        assert_eq!(region_key("Kel. Lepo-Lepo"), "lepo lepo");
        assert_eq!(region_key("KELURAHAN  Kambu"), "kambu");
        assert_eq!(region_key("Kec. Kendari Barat"), "kendari barat");
        assert_eq!(region_key("Soka'an"), "sokaan");
        // A name that is only a prefix word stays itself.
        assert_eq!(region_key("Desa"), "desa");
    }

    #[test]
    fn distances_count_slips() {
        assert_eq!(distance("kambu", "kambu"), 0);
        assert_eq!(distance("kambu", "kamby"), 1);
        assert_eq!(distance("andonohu", "andonuhu"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn a_close_spelling_resolves_and_a_far_one_offers_the_nearest() {
        let names = [
            ("andonohu", "Andonohu", 1),
            ("anggoeya", "Anggoeya", 2),
            ("rahandouna", "Rahandouna", 3),
        ];
        let list = || names.iter().map(|(k, n, v)| (*k, *n, v));
        assert_eq!(resolve("DESA ANDONUHU", list()), Match::One(1));
        assert_eq!(resolve("Rahandowna", list()), Match::One(3));
        match resolve("Kampung Baru", list()) {
            Match::None(nearest) => assert_eq!(nearest.len(), 3),
            other => panic!("{other:?}"),
        }
        // The same name twice: both are named.
        let same = [("kolono", "Kolono", 1), ("kolono", "Kolono", 2)];
        assert_eq!(
            resolve("KOLONO", same.iter().map(|(k, n, v)| (*k, *n, v))),
            Match::Several(vec![1, 2])
        );
        // Two official names equally near: neither is guessed.
        let twins = [("abcd", "Abcd", 1), ("abce", "Abce", 2)];
        assert!(matches!(
            resolve("abcf", twins.iter().map(|(k, n, v)| (*k, *n, v))),
            Match::None(_)
        ));
    }
}
