//! The coordinator digest's rules, as pure functions: when a digest is due (a crontab expression in the
//! coordinator's zone), how overdue deliveries group by sponsor and by office (longest first), and how the
//! rendered lines become messages within Telegram's limit without ever cutting a line.

use crate::domain::schedule::{CadenceError, crate_day_of_week};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::str::FromStr;

/// Telegram's limit on a message's text. Counted here in UTF-16 units of the HTML source, which is never
/// less than what Telegram counts (the text after parsing the markup).
pub const MESSAGE_LIMIT: usize = 4096;

/// The two digests a coordinator gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestKind {
    Daily,
    Weekly,
}

impl DigestKind {
    pub const ALL: [DigestKind; 2] = [DigestKind::Daily, DigestKind::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            DigestKind::Daily => "daily",
            DigestKind::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The schedule a coordinator starts with: every day at 07:00, the weekly summary on Monday at 07:00.
    pub fn default_cron(self) -> DigestCron {
        let seven = NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN);
        match self {
            DigestKind::Daily => DigestCron::daily_at(seven),
            DigestKind::Weekly => DigestCron::weekly_at(Weekday::Mon, seven),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestCronError {
    #[error("expected HH:MM or a crontab expression of 5 fields: {0}")]
    Bad(String),
    #[error("it never fires")]
    NeverFires,
    #[error("it fires more than 4 times a day")]
    TooFrequent,
}

/// When a digest goes out: a crontab expression (minute hour day-of-month month day-of-week, crontab's
/// day numbers), read in the coordinator's zone. Only the text is kept; the `cron` crate's schedule is made
/// from it when needed, like `domain::schedule::CronCadence` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestCron {
    text: String,
}

impl DigestCron {
    /// Every day at `time`.
    pub fn daily_at(time: NaiveTime) -> Self {
        Self::from_fields(time, "*")
    }

    /// Every week on `day` at `time`.
    pub fn weekly_at(day: Weekday, time: NaiveTime) -> Self {
        Self::from_fields(time, &day.num_days_from_sunday().to_string())
    }

    fn from_fields(time: NaiveTime, day_of_week: &str) -> Self {
        Self {
            text: format!("{} {} * * {day_of_week}", time.minute(), time.hour()),
        }
    }

    /// `HH:MM` (every day) or 5 crontab fields. Refuses what never fires or fires more than 4 times on a day:
    /// a digest is read, not streamed.
    pub fn parse(text: &str) -> Result<Self, DigestCronError> {
        let text = text.trim();
        if let Ok(time) = NaiveTime::parse_from_str(text, "%H:%M") {
            return Ok(Self::daily_at(time));
        }
        let fields: Vec<&str> = text.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(DigestCronError::Bad(text.to_owned()));
        }
        let cron = Self {
            text: fields.join(" ").to_lowercase(),
        };
        cron.check()?;
        Ok(cron)
    }

    /// The `cron` crate's schedule (which wants seconds first, and counts weekdays from Sunday = 1).
    fn schedule(&self) -> Result<cron::Schedule, DigestCronError> {
        let fields: Vec<&str> = self.text.split(' ').collect();
        let [minute, hour, day_of_month, month, day_of_week] = fields[..] else {
            return Err(DigestCronError::Bad(self.text.clone()));
        };
        let day_of_week = crate_day_of_week(day_of_week).map_err(|e| match e {
            CadenceError::BadCron(m) => DigestCronError::Bad(m),
            other => DigestCronError::Bad(other.to_string()),
        })?;
        cron::Schedule::from_str(&format!(
            "0 {minute} {hour} {day_of_month} {month} {day_of_week}"
        ))
        .map_err(|e| DigestCronError::Bad(e.to_string()))
    }

    fn check(&self) -> Result<(), DigestCronError> {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .ok_or(DigestCronError::NeverFires)?;
        let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
        let mut any = false;
        // A year and a bit covers every monthly and yearly expression; 2,000 firings is over 4 a day anyway.
        for fired in self
            .schedule()?
            .after(&start)
            .take_while(|t| *t < start + TimeDelta::days(400))
            .take(2_000)
        {
            any = true;
            let n = per_day.entry(fired.date_naive()).or_default();
            *n += 1;
            if *n > 4 {
                return Err(DigestCronError::TooFrequent);
            }
        }
        if any {
            Ok(())
        } else {
            Err(DigestCronError::NeverFires)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first firing strictly after `after`, read in `tz`.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        self.schedule()
            .ok()?
            .after(&after.with_timezone(&tz))
            .next()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The time of day, when the expression fires at one (`30 6 * * *` → 06:30), for labels and for moving
    /// the weekly summary along with the daily digest.
    pub fn time_of_day(&self) -> Option<NaiveTime> {
        let mut fields = self.text.split(' ');
        let minute = fields.next()?.parse().ok()?;
        let hour = fields.next()?.parse().ok()?;
        NaiveTime::from_hms_opt(hour, minute, 0)
    }

    /// The day of the week, when the expression fires on one day of each week at one time (`0 7 * * 1`).
    pub fn weekday(&self) -> Option<Weekday> {
        let fields: Vec<&str> = self.text.split(' ').collect();
        match fields[..] {
            [_, _, "*", "*", day] => {
                let n: u8 = day.parse().ok()?;
                Weekday::try_from((n + 6) % 7).ok()
            }
            _ => None,
        }
    }
}

/// A child whose latest height measurement is older than this many days (or who has none) is listed as
/// not measured: posyandu measure monthly, and a quarter without a height leaves a stunting status unknown.
pub const UNMEASURED_AFTER_DAYS: u32 = 90;

/// A list in the digest that may be shortened, with a "show all" button for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// What the programme's self-check finds broken (`domain::doctor`), each with its fix.
    Attention,
    Due,
    OverdueBySponsor,
    OverdueByOffice,
    Confirmed,
    Flags,
    Cases,
    /// Children whose height-for-age fell since the last digest.
    HazWorse,
    /// Children who left stunting since the last digest.
    LeftStunting,
    Unsponsored,
    /// Children without a height measurement for [`UNMEASURED_AFTER_DAYS`].
    Unmeasured,
    Unreachable,
}

impl Section {
    /// The lists in the order the digest shows them. The digest shows only what is here; a test checks that
    /// every section is.
    pub const ALL: [Section; 12] = [
        Section::Attention,
        Section::Due,
        Section::OverdueBySponsor,
        Section::OverdueByOffice,
        Section::Confirmed,
        Section::Flags,
        Section::Cases,
        Section::HazWorse,
        Section::LeftStunting,
        Section::Unsponsored,
        Section::Unmeasured,
        Section::Unreachable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Attention => "at",
            Section::Due => "due",
            Section::OverdueBySponsor => "ovs",
            Section::OverdueByOffice => "ovo",
            Section::Confirmed => "cf",
            Section::Flags => "fl",
            Section::Cases => "cs",
            Section::HazWorse => "hw",
            Section::LeftStunting => "ls",
            Section::Unsponsored => "un",
            Section::Unmeasured => "nm",
            Section::Unreachable => "ur",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One overdue delivery, as the digest groups it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub sponsor_id: i64,
    pub sponsor: String,
    /// `None`: a community member (no office).
    pub office: Option<String>,
    pub due_on: NaiveDate,
}

/// Overdue deliveries of one sponsor, or of one office's sponsors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueGroup {
    /// The sponsor's name, or the office's (`None`: community members).
    pub name: Option<String>,
    /// The sponsor's office, in a sponsor's group.
    pub office: Option<String>,
    pub deliveries: u32,
    pub sponsors: u32,
    /// Days since the oldest one was due.
    pub oldest_days: i64,
}

/// Overdue deliveries per sponsor, longest overdue first (then most deliveries, then by name).
pub fn overdue_by_sponsor(rows: &[Overdue], today: NaiveDate) -> Vec<OverdueGroup> {
    let mut groups: HashMap<i64, OverdueGroup> = HashMap::new();
    for row in rows {
        let days = (today - row.due_on).num_days();
        let group = groups
            .entry(row.sponsor_id)
            .or_insert_with(|| OverdueGroup {
                name: Some(row.sponsor.clone()),
                office: row.office.clone(),
                deliveries: 0,
                sponsors: 1,
                oldest_days: days,
            });
        group.deliveries += 1;
        group.oldest_days = group.oldest_days.max(days);
    }
    sorted(groups.into_values().collect())
}

/// Overdue deliveries per office (community members together), longest overdue first.
pub fn overdue_by_office(rows: &[Overdue], today: NaiveDate) -> Vec<OverdueGroup> {
    let mut groups: HashMap<Option<String>, (OverdueGroup, Vec<i64>)> = HashMap::new();
    for row in rows {
        let days = (today - row.due_on).num_days();
        let (group, sponsors) = groups.entry(row.office.clone()).or_insert_with(|| {
            (
                OverdueGroup {
                    name: row.office.clone(),
                    office: None,
                    deliveries: 0,
                    sponsors: 0,
                    oldest_days: days,
                },
                Vec::new(),
            )
        });
        group.deliveries += 1;
        group.oldest_days = group.oldest_days.max(days);
        if !sponsors.contains(&row.sponsor_id) {
            sponsors.push(row.sponsor_id);
        }
    }
    sorted(
        groups
            .into_values()
            .map(|(mut group, sponsors)| {
                group.sponsors = u32::try_from(sponsors.len()).unwrap_or(u32::MAX);
                group
            })
            .collect(),
    )
}

fn sorted(mut groups: Vec<OverdueGroup>) -> Vec<OverdueGroup> {
    groups.sort_by(|a, b| {
        b.oldest_days
            .cmp(&a.oldest_days)
            .then(b.deliveries.cmp(&a.deliveries))
            .then(a.name.cmp(&b.name))
    });
    groups
}

/// The Monday that starts the week of `date`. Weeks are local weeks, Monday to Sunday: a delivery belongs
/// to the week of its own date (`due_on`, a date in the zone of the child's region), whatever the zone of
/// whoever reads the summary.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// Which of `weeks` weeks starting on Monday `first` the date `date` falls in, if any.
pub fn week_index(first: NaiveDate, weeks: usize, date: NaiveDate) -> Option<usize> {
    let days = (monday_of(date) - first).num_days();
    usize::try_from(days / 7)
        .ok()
        .filter(|i| days >= 0 && *i < weeks)
}

/// `part` of `whole` in whole percent, rounded; 0 when there is no whole.
pub fn percent(part: u64, whole: u64) -> u64 {
    (part.min(whole).saturating_mul(100) + whole / 2)
        .checked_div(whole)
        .unwrap_or(0)
}

/// The length Telegram's limit is checked against (see [`MESSAGE_LIMIT`]).
pub fn length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Packs blocks of lines into messages of at most `limit` (UTF-16 units): lines joined by a newline, blocks
/// by an empty line. A block that fits in a message is never split across two; a longer one continues over
/// several, always between lines. A single line longer than a message (which the renderer never makes) is
/// clipped rather than sent over the limit.
pub fn pack(blocks: &[Vec<String>], limit: usize) -> Vec<String> {
    let mut messages = Vec::new();
    let mut current = String::new();
    let fits = |current: &str, sep: &str, more: &str| {
        length(current) + length(sep) + length(more) <= limit
    };
    for block in blocks.iter().filter(|b| !b.is_empty()) {
        let whole = block.join("\n");
        let sep = if current.is_empty() { "" } else { "\n\n" };
        if fits(&current, sep, &whole) {
            current.push_str(sep);
            current.push_str(&whole);
            continue;
        }
        if length(&whole) <= limit {
            messages.push(std::mem::take(&mut current));
            current = whole;
            continue;
        }
        // A block longer than a message: line by line.
        let mut sep = sep;
        for line in block {
            let line = clip(line, limit);
            if !fits(&current, sep, &line) {
                messages.push(std::mem::take(&mut current));
                sep = "";
            }
            current.push_str(sep);
            current.push_str(&line);
            sep = "\n";
        }
    }
    if !current.is_empty() {
        messages.push(current);
    }
    messages.retain(|m| !m.is_empty());
    messages
}

/// A line cut to `limit` with "…". Its markup is dropped first (a cut could leave a tag open, which
/// Telegram refuses), and the cut never falls inside an entity such as `&amp;`.
fn clip(line: &str, limit: usize) -> String {
    if length(line) <= limit {
        return line.to_owned();
    }
    let mut plain = String::with_capacity(line.len());
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let mut out = String::new();
    let mut used = 0;
    for c in plain.chars() {
        if used + c.len_utf16() + 1 > limit {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    if let Some(open) = out.rfind('&')
        && !out[open..].contains(';')
    {
        out.truncate(open);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn wita() -> Tz {
        chrono_tz::Asia::Makassar
    }

    #[test]
    fn the_default_digest_comes_at_seven_local_time() {
        let cron = DigestKind::Daily.default_cron();
        assert_eq!(cron.as_str(), "0 7 * * *");
        // 2026-11-24 07:00 WITA is 2026-11-23 23:00 UTC.
        let after = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let next = cron.next_after(after, wita()).expect("fires");
        assert_eq!(next, Utc.with_ymd_and_hms(2026, 11, 23, 23, 0, 0).unwrap());
        // Strictly after: at 07:00 itself the next one is tomorrow's.
        assert_eq!(
            cron.next_after(next, wita()),
            Some(Utc.with_ymd_and_hms(2026, 11, 24, 23, 0, 0).unwrap())
        );
    }

    #[test]
    fn the_weekly_summary_comes_on_monday() {
        let cron = DigestKind::Weekly.default_cron();
        assert_eq!(cron.as_str(), "0 7 * * 1");
        assert_eq!(cron.weekday(), Some(Weekday::Mon));
        // Tuesday 2026-11-24 noon WITA → Monday 2026-11-30 07:00 WITA.
        let after = Utc.with_ymd_and_hms(2026, 11, 24, 4, 0, 0).unwrap();
        assert_eq!(
            cron.next_after(after, wita()),
            Some(Utc.with_ymd_and_hms(2026, 11, 29, 23, 0, 0).unwrap())
        );
        let sunday =
            DigestCron::weekly_at(Weekday::Sun, NaiveTime::from_hms_opt(18, 30, 0).unwrap());
        assert_eq!(sunday.as_str(), "30 18 * * 0");
        assert_eq!(sunday.weekday(), Some(Weekday::Sun));
        assert_eq!(sunday.time_of_day(), NaiveTime::from_hms_opt(18, 30, 0));
    }

    #[test]
    fn times_and_crontab_expressions_are_read() {
        assert_eq!(DigestCron::parse("06:30").unwrap().as_str(), "30 6 * * *");
        let weekdays = DigestCron::parse(" 0  7 * *  mon-fri ").unwrap();
        assert_eq!(weekdays.as_str(), "0 7 * * mon-fri");
        // Saturday 2026-11-28 → Monday 2026-11-30 at 07:00 WITA.
        let after = Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap();
        assert_eq!(
            weekdays.next_after(after, wita()),
            Some(Utc.with_ymd_and_hms(2026, 11, 29, 23, 0, 0).unwrap())
        );
        assert_eq!(weekdays.weekday(), None);
        assert!(DigestCron::parse("0 7,16 * * *").is_ok());
    }

    #[test]
    fn bad_and_noisy_schedules_are_refused() {
        assert!(matches!(
            DigestCron::parse("pagi"),
            Err(DigestCronError::Bad(_))
        ));
        assert!(matches!(
            DigestCron::parse("25:00"),
            Err(DigestCronError::Bad(_))
        ));
        assert!(matches!(
            DigestCron::parse("0 7 * *"),
            Err(DigestCronError::Bad(_))
        ));
        assert!(matches!(
            DigestCron::parse("0 0 7 * * *"),
            Err(DigestCronError::Bad(_))
        ));
        assert_eq!(
            DigestCron::parse("* * * * *"),
            Err(DigestCronError::TooFrequent)
        );
        assert_eq!(
            DigestCron::parse("0 * * * *"),
            Err(DigestCronError::TooFrequent)
        );
        assert_eq!(
            DigestCron::parse("0 7 31 2 *"),
            Err(DigestCronError::NeverFires)
        );
    }

    fn overdue(sponsor_id: i64, office: Option<&str>, due_on: NaiveDate) -> Overdue {
        Overdue {
            sponsor_id,
            sponsor: format!("Sponsor {sponsor_id}"),
            office: office.map(str::to_owned),
            due_on,
        }
    }

    #[test]
    fn overdue_groups_put_the_longest_first() {
        let today = date(2026, 11, 24);
        let rows = vec![
            overdue(1, Some("Dinkes"), date(2026, 11, 20)),
            overdue(1, Some("Dinkes"), date(2026, 11, 13)),
            overdue(2, Some("Dinkes"), date(2026, 11, 22)),
            overdue(3, None, date(2026, 11, 17)),
            overdue(4, Some("Bappeda"), date(2026, 11, 22)),
        ];
        let sponsors = overdue_by_sponsor(&rows, today);
        assert_eq!(
            sponsors
                .iter()
                .map(|g| (g.name.as_deref().unwrap(), g.deliveries, g.oldest_days))
                .collect::<Vec<_>>(),
            vec![
                ("Sponsor 1", 2, 11),
                ("Sponsor 3", 1, 7),
                ("Sponsor 2", 1, 2),
                ("Sponsor 4", 1, 2)
            ]
        );
        assert_eq!(sponsors[0].office.as_deref(), Some("Dinkes"));
        let offices = overdue_by_office(&rows, today);
        assert_eq!(
            offices
                .iter()
                .map(|g| (g.name.as_deref(), g.deliveries, g.sponsors, g.oldest_days))
                .collect::<Vec<_>>(),
            vec![
                (Some("Dinkes"), 3, 2, 11),
                (None, 1, 1, 7),
                (Some("Bappeda"), 1, 1, 2)
            ]
        );
    }

    /// Every variant of [`Section`], as an array. The match it generates has no wildcard, so a new section
    /// does not compile until it is listed here.
    macro_rules! every_section {
        ($($variant:ident),* $(,)?) => {{
            fn listed(section: Section) {
                match section {
                    $(Section::$variant => {})*
                }
            }
            let _ = listed;
            [$(Section::$variant),*]
        }};
    }

    #[test]
    fn every_section_is_in_all_once() {
        let every = every_section![
            Attention,
            Due,
            OverdueBySponsor,
            OverdueByOffice,
            Confirmed,
            Flags,
            Cases,
            HazWorse,
            LeftStunting,
            Unsponsored,
            Unmeasured,
            Unreachable,
        ];
        for section in every {
            assert!(
                Section::ALL.contains(&section),
                "{section:?} is not in Section::ALL: no digest would show it"
            );
        }
        assert_eq!(Section::ALL.len(), every.len(), "a section twice in ALL");
    }

    #[test]
    fn section_codes_are_short_distinct_and_read_back() {
        let mut codes: Vec<&str> = Section::ALL.iter().map(|s| s.code()).collect();
        for section in Section::ALL {
            assert_eq!(Section::parse(section.code()), Some(section));
            assert!(section.code().len() <= 3, "{}", section.code());
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Section::ALL.len());
        assert_eq!(Section::parse("xx"), None);
    }

    #[test]
    fn percentages_round_and_never_divide_by_zero() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(5, 4), 100);
    }

    #[test]
    fn short_blocks_share_a_message() {
        let blocks = vec![vec!["a".to_owned(), "b".to_owned()], vec!["c".to_owned()]];
        assert_eq!(pack(&blocks, MESSAGE_LIMIT), vec!["a\nb\n\nc".to_owned()]);
        assert!(pack(&[], MESSAGE_LIMIT).is_empty());
    }

    #[test]
    fn a_block_that_fits_alone_is_not_split() {
        let first = vec!["x".repeat(3000)];
        let second = vec!["y".repeat(2000), "z".repeat(10)];
        let messages = pack(&[first.clone(), second.clone()], MESSAGE_LIMIT);
        assert_eq!(messages, vec![first.join("\n"), second.join("\n")]);
    }

    #[test]
    fn an_overlong_line_is_clipped_outside_markup() {
        let line = format!("{}<b>bold</b>", "a".repeat(4090));
        let messages = pack(&[vec![line]], MESSAGE_LIMIT);
        assert_eq!(messages.len(), 1);
        assert!(length(&messages[0]) <= MESSAGE_LIMIT);
        assert!(messages[0].ends_with('…'));
        assert!(!messages[0].contains('<'));
        assert_eq!(clip("a &amp; b", 5), "a …");
    }

    proptest! {
        /// Whatever the lines, every message is within the limit, no line is cut or lost, and the lines come
        /// in their order.
        #[test]
        fn packing_keeps_every_line_whole_and_in_order(
            blocks in proptest::collection::vec(
                proptest::collection::vec("[a-zé✅ ]{0,300}", 0..40), 0..12),
            limit in 400usize..5000,
        ) {
            let messages = pack(&blocks, limit);
            for m in &messages {
                prop_assert!(length(m) <= limit);
                prop_assert!(!m.is_empty());
            }
            let sent: Vec<&str> = messages
                .iter()
                .flat_map(|m| m.split('\n'))
                .filter(|l| !l.is_empty())
                .collect();
            let wanted: Vec<&str> = blocks
                .iter()
                .flatten()
                .map(String::as_str)
                .filter(|l| !l.is_empty())
                .collect();
            prop_assert_eq!(sent, wanted);
        }
    }

    #[test]
    fn weeks_are_local_weeks_from_monday_to_sunday() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        assert_eq!(monday_of(d(12, 7)), d(12, 7), "a Monday is its own week's");
        assert_eq!(monday_of(d(12, 13)), d(12, 7), "Sunday ends it");
        assert_eq!(monday_of(d(12, 6)), d(11, 30));
        // Twelve weeks from Monday 14 September: 7 December is the 13th week's, 30 November the 12th's.
        let first = d(9, 14);
        assert_eq!(week_index(first, 12, d(12, 6)), Some(11));
        assert_eq!(week_index(first, 12, d(11, 30)), Some(11));
        assert_eq!(week_index(first, 12, d(12, 7)), None);
        assert_eq!(week_index(first, 12, d(9, 14)), Some(0));
        assert_eq!(week_index(first, 12, d(9, 13)), None);
        assert_eq!(week_index(first, 13, d(12, 7)), Some(12));
    }
}
