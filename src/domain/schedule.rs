//! When packages go out and when people are reminded. A [`Cadence`] turns a sponsorship's plan into local
//! delivery dates; a [`ReminderPolicy`] turns one delivery into reminder [`Step`]s (with escalation to the
//! volunteer and the coordinator when it runs late); [`QuietHours`] keep messages out of the night.
//! Dates are local to the office's zone, instants are UTC, and the caller always passes the time in.

// `Offset` as a trait only: this module's own `Offset` is a reminder offset.
use chrono::Offset as _;
use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// At most this many dates come out of one [`Cadence::dates`] call: a plan is months long, never years.
pub const MAX_DATES: usize = 400;

/// How often a sponsorship's package goes out. Storage form (`spec`/`parse`): "weekly:mon", "biweekly:mon",
/// "monthly:15", "cron:<5-field cron: minute hour day-of-month month day-of-week>".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    Weekly(Weekday),
    Biweekly(Weekday),
    /// A day of the month, 1..=28 so that every month has it.
    Monthly(u8),
    Cron(CronCadence),
}

/// A validated 5-field cron expression (minute hour day-of-month month day-of-week), kept as the text the
/// user wrote (lower-cased, single spaces) so that it round-trips through storage unchanged.
///
/// Day-of-week follows crontab: 0 or 7 is Sunday, 1 Monday … 6 Saturday, or `sun`…`sat`. (The `cron` crate
/// that evaluates it counts 1 = Sunday, so the field is translated before evaluation.) When both
/// day-of-month and day-of-week are restricted, a date must match both, as the `cron` crate does: "0 8 1-7 * 1"
/// is the first Monday of the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronCadence {
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CadenceError {
    #[error(
        "unknown cadence (expected weekly:<day>, biweekly:<day>, monthly:<1-28> or cron:<expression>)"
    )]
    UnknownKind,
    #[error("not a day of the week")]
    BadWeekday,
    #[error("the day of the month must be a number from 1 to 28")]
    DayOutOfRange,
    #[error("not a valid cron expression: {0}")]
    BadCron(String),
    #[error(
        "the cron expression fires on more than 8 days in 4 weeks; packages go out at most about twice a week"
    )]
    CronTooFrequent,
    #[error("the cron expression never fires")]
    CronNeverFires,
}

impl Cadence {
    /// Reads "mingguan senin", "weekly mon", "dua mingguan kamis", "biweekly thu", "bulanan 15",
    /// "monthly 15" or "cron 0 9 * * 1" into a cadence.
    pub fn from_words(text: &str) -> Result<Cadence, CadenceError> {
        // "dua-mingguan" and "dua mingguan" alike (a cron expression keeps its ranges).
        let lower = text.trim().to_lowercase();
        let lower = if lower.starts_with("cron") {
            lower
        } else {
            lower.replace('-', " ")
        };
        let words: Vec<&str> = lower.split_whitespace().collect();
        let (kind, rest) = match words.as_slice() {
            ["dua", "mingguan", rest @ ..] | ["2", "mingguan", rest @ ..] => ("biweekly", rest),
            ["every", "two", "weeks", rest @ ..] => ("biweekly", rest),
            [first, rest @ ..] => (
                match *first {
                    "mingguan" | "weekly" => "weekly",
                    "biweekly" | "fortnightly" => "biweekly",
                    "bulanan" | "monthly" => "monthly",
                    "cron" => "cron",
                    _ => return Err(CadenceError::UnknownKind),
                },
                rest,
            ),
            [] => return Err(CadenceError::UnknownKind),
        };
        Cadence::parse(&format!("{kind}:{}", rest.join(" ")))
    }

    /// Case-insensitive. Weekdays accept English (`mon`, `monday`) and Indonesian names (`senin` … `minggu`,
    /// also `jum'at` and `ahad`). A monthly day that is not a number is reported as out of range.
    pub fn parse(spec: &str) -> Result<Cadence, CadenceError> {
        let (kind, arg) = spec
            .trim()
            .split_once(':')
            .ok_or(CadenceError::UnknownKind)?;
        let arg = arg.trim();
        match kind.trim().to_lowercase().as_str() {
            "weekly" => parse_weekday(arg)
                .map(Self::Weekly)
                .ok_or(CadenceError::BadWeekday),
            "biweekly" => parse_weekday(arg)
                .map(Self::Biweekly)
                .ok_or(CadenceError::BadWeekday),
            "monthly" => arg
                .parse::<u8>()
                .ok()
                .filter(|d| (1..=28).contains(d))
                .map(Self::Monthly)
                .ok_or(CadenceError::DayOutOfRange),
            "cron" => CronCadence::parse(arg).map(Self::Cron),
            _ => Err(CadenceError::UnknownKind),
        }
    }

    /// The canonical storage form: `parse(spec())` gives the same cadence back.
    pub fn spec(&self) -> String {
        match self {
            Self::Weekly(day) => format!("weekly:{}", weekday_name(*day)),
            Self::Biweekly(day) => format!("biweekly:{}", weekday_name(*day)),
            Self::Monthly(day) => format!("monthly:{day}"),
            Self::Cron(cron) => format!("cron:{}", cron.as_str()),
        }
    }

    /// The delivery dates in [from, to] inclusive (local dates in `tz`), ascending, at most one per day.
    /// `anchor` is the first day the plan may start (the sponsorship's start plus lead time): nothing before
    /// it; Biweekly counts every 14 days from the first matching weekday on/after `anchor`, so extending a
    /// plan later keeps the same rhythm. Cron: every local date on which the expression fires in `tz`.
    /// Capped at [`MAX_DATES`].
    pub fn dates(
        &self,
        anchor: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
        tz: Tz,
    ) -> Vec<NaiveDate> {
        let start = from.max(anchor);
        if start > to {
            return Vec::new();
        }
        match self {
            Self::Weekly(day) => first_on_or_after(start, *day)
                .map(|first| every(first, 7, to))
                .unwrap_or_default(),
            Self::Biweekly(day) => {
                let Some(first) = first_on_or_after(anchor, *day) else {
                    return Vec::new();
                };
                // The first date of the 14-day rhythm that is not before `start`.
                let behind = (start - first).num_days().max(0);
                let periods = u64::try_from((behind + 13) / 14).unwrap_or(0);
                first
                    .checked_add_days(Days::new(periods * 14))
                    .map(|begin| every(begin, 14, to))
                    .unwrap_or_default()
            }
            Self::Monthly(day) => monthly(*day, start, to),
            Self::Cron(cron) => cron
                .schedule()
                .map(|schedule| cron_dates(&schedule, start, to, tz, MAX_DATES))
                .unwrap_or_default(),
        }
    }
}

impl CronCadence {
    /// Checks the expression: exactly 5 fields, accepted by the `cron` crate, firing at least once within
    /// 400 days of 2026-01-01 and on at most 8 days in any 28 during 2026 (food packages go out at most
    /// about twice a week; anything denser is a typo such as a daily expression).
    pub fn parse(text: &str) -> Result<CronCadence, CadenceError> {
        let text = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let cron = Self { text };
        let schedule = cron.schedule_checked()?;

        let reference = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or(CadenceError::CronNeverFires)?;
        let horizon = reference
            .checked_add_days(Days::new(400))
            .ok_or(CadenceError::CronNeverFires)?;
        let year_end = NaiveDate::from_ymd_opt(2026, 12, 31).ok_or(CadenceError::CronNeverFires)?;
        let dates = cron_dates(&schedule, reference, horizon, Tz::UTC, MAX_DATES + 1);
        if dates.is_empty() {
            return Err(CadenceError::CronNeverFires);
        }
        let first_year: Vec<NaiveDate> = dates.into_iter().filter(|d| *d <= year_end).collect();
        // Nine dates within 28 consecutive days is more than 8 in some 28-day span.
        if first_year.windows(9).any(|w| (w[8] - w[0]).num_days() < 28) {
            return Err(CadenceError::CronTooFrequent);
        }
        Ok(cron)
    }

    /// The expression as stored: 5 fields, lower case, single spaces.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The `cron` crate's schedule for this expression; only `None` if a stored text was not validated.
    fn schedule(&self) -> Option<cron::Schedule> {
        self.schedule_checked().ok()
    }

    fn schedule_checked(&self) -> Result<cron::Schedule, CadenceError> {
        let fields: Vec<&str> = self.text.split(' ').filter(|f| !f.is_empty()).collect();
        let [minute, hour, day_of_month, month, day_of_week] = fields[..] else {
            return Err(CadenceError::BadCron(format!(
                "expected 5 fields (minute hour day-of-month month day-of-week), got {}; seconds and years are not supported",
                fields.len()
            )));
        };
        let day_of_week = crate_day_of_week(day_of_week)?;
        let expression = format!("0 {minute} {hour} {day_of_month} {month} {day_of_week}");
        cron::Schedule::from_str(&expression).map_err(|e| CadenceError::BadCron(e.to_string()))
    }
}

/// Translates a crontab day-of-week field (0/7 = Sunday, 1 = Monday … 6 = Saturday, names `sun`…`sat`,
/// lists, ranges, steps) into the `cron` crate's numbering (1 = Sunday … 7 = Saturday). The field is expanded
/// to the set of days, which also makes ranges ending in 7 (`5-7`, Friday to Sunday) work.
pub(crate) fn crate_day_of_week(field: &str) -> Result<String, CadenceError> {
    if field == "*" || field == "?" {
        return Ok("*".to_owned());
    }
    let bad = |why: &str| CadenceError::BadCron(format!("day-of-week '{field}': {why}"));
    let mut days = [false; 7];
    for item in field.split(',') {
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => {
                let step: u8 = step
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| bad("bad step"))?;
                (base, step)
            }
            None => (item, 1),
        };
        let (low, high) = match base {
            "*" | "?" => (0, 6),
            _ => match base.split_once('-') {
                Some((a, b)) => (
                    crontab_day(a).ok_or_else(|| bad("bad day"))?,
                    crontab_day(b).ok_or_else(|| bad("bad day"))?,
                ),
                None => {
                    let day = crontab_day(base).ok_or_else(|| bad("bad day"))?;
                    // `1/2` means from Monday every second day, as in crontab.
                    (day, if step > 1 { 6 } else { day })
                }
            },
        };
        if low > high {
            return Err(bad("a range must go forwards"));
        }
        for day in (low..=high).step_by(usize::from(step)) {
            days[usize::from(day % 7)] = true;
        }
    }
    Ok(days
        .iter()
        .enumerate()
        .filter(|(_, on)| **on)
        .map(|(i, _)| (i + 1).to_string())
        .collect::<Vec<_>>()
        .join(","))
}

/// One crontab day-of-week value: 0–7 or an English name.
fn crontab_day(s: &str) -> Option<u8> {
    if let Ok(n) = s.parse::<u8>() {
        return (n <= 7).then_some(n);
    }
    parse_english_weekday(s).map(|d| u8::try_from(d.num_days_from_sunday()).unwrap_or(0))
}

fn parse_english_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// English or Indonesian day names, any case. "Ahad" is the Islamic name for Sunday many people use;
/// phones often turn the apostrophe in "jum'at" into a curly one.
fn parse_weekday(s: &str) -> Option<Weekday> {
    let s = s.trim().to_lowercase();
    parse_english_weekday(&s).or(match s.as_str() {
        "senin" => Some(Weekday::Mon),
        "selasa" => Some(Weekday::Tue),
        "rabu" => Some(Weekday::Wed),
        "kamis" => Some(Weekday::Thu),
        "jumat" | "jum'at" | "jum\u{2019}at" => Some(Weekday::Fri),
        "sabtu" => Some(Weekday::Sat),
        "minggu" | "ahad" => Some(Weekday::Sun),
        _ => None,
    })
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn first_on_or_after(date: NaiveDate, day: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + day.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(ahead)))
}

/// `first`, then every `step` days, up to `to` and [`MAX_DATES`].
fn every(first: NaiveDate, step: u64, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut next = Some(first);
    while let Some(date) = next.filter(|d| *d <= to && out.len() < MAX_DATES) {
        out.push(date);
        next = date.checked_add_days(Days::new(step));
    }
    out
}

fn monthly(day: u8, start: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    // A hand-built `Monthly(0)` or `Monthly(40)` has no dates rather than looping over empty months.
    if !(1..=31).contains(&day) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut year, mut month) = (start.year(), start.month());
    while let Some(first) =
        NaiveDate::from_ymd_opt(year, month, 1).filter(|f| *f <= to && out.len() < MAX_DATES)
    {
        if let Some(date) = first
            .with_day(u32::from(day))
            .filter(|d| *d >= start && *d <= to)
        {
            out.push(date);
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    out
}

/// Every local date in [start, to] on which `schedule` fires in `tz`, one per date, at most `cap`. After each
/// hit the search jumps to the next local midnight, so an expression that fires every minute of a day costs
/// one lookup, not 1,440.
fn cron_dates(
    schedule: &cron::Schedule,
    start: NaiveDate,
    to: NaiveDate,
    tz: Tz,
    cap: usize,
) -> Vec<NaiveDate> {
    // The `cron` crate only knows the years 1970–2100.
    let (Some(min), Some(max)) = (
        NaiveDate::from_ymd_opt(1970, 1, 2),
        NaiveDate::from_ymd_opt(2100, 12, 31),
    ) else {
        return Vec::new();
    };
    let to = to.min(max);
    let mut out = Vec::new();
    let mut day = start.max(min);
    while day <= to && out.len() < cap {
        let midnight = local_to_utc(day, NaiveTime::MIN, tz).with_timezone(&tz);
        // The schedule looks strictly after the instant it is given.
        let Some(cursor) = midnight.checked_sub_signed(TimeDelta::seconds(1)) else {
            break;
        };
        let Some(fired) = schedule.after(&cursor).next() else {
            break;
        };
        let date = fired.date_naive();
        if date > to {
            break;
        }
        out.push(date);
        let Some(next) = date.succ_opt() else {
            break;
        };
        day = next;
    }
    out
}

/// One reminder offset relative to the due date, in local time: "-3d@08:00", "0d@07:00", "+2d@08:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset {
    pub days: i32,
    pub at: NaiveTime,
}

impl Offset {
    pub fn parse(s: &str) -> Option<Offset> {
        let (days, at) = s.trim().split_once('@')?;
        let days = days.trim().strip_suffix(['d', 'D'])?.parse().ok()?;
        let at = NaiveTime::parse_from_str(at.trim(), "%H:%M").ok()?;
        Some(Offset { days, at })
    }

    /// The days part with its sign: "-3d", "0d", "+2d".
    pub fn key(&self) -> String {
        day_key(self.days)
    }
}

fn day_key(days: i32) -> String {
    if days > 0 {
        format!("+{days}d")
    } else {
        format!("{days}d")
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.key(), self.at.format("%H:%M"))
    }
}

/// Who a reminder step is for. The order here is the order of steps that fire at the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Deliverer,
    Volunteer,
    Coordinator,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deliverer => "deliverer",
            Self::Volunteer => "volunteer",
            Self::Coordinator => "coordinator",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Deliverer => 0,
            Self::Volunteer => 1,
            Self::Coordinator => 2,
        }
    }
}

/// One reminder to send for a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Stable id, stored with the delivery so a reminder is sent once: "-3d", "0d", "+2d", "+2d:volunteer",
    /// "+3d:coordinator".
    pub key: String,
    pub fire_at: DateTime<Utc>,
    pub audience: Audience,
    /// After the due date: the wording changes from "coming up" to "late".
    pub overdue: bool,
}

/// When deliverers are reminded, and when a late delivery escalates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// Sorted by days, at most one per day.
    pub offsets: Vec<Offset>,
}

impl Default for ReminderPolicy {
    /// Three days ahead to prepare, the morning of the day, and two days late.
    fn default() -> Self {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        Self {
            offsets: vec![
                Offset {
                    days: -3,
                    at: at(8),
                },
                Offset { days: 0, at: at(7) },
                Offset { days: 2, at: at(8) },
            ],
        }
    }
}

impl ReminderPolicy {
    /// Comma-separated offsets ("-3d@08:00,0d@07:00,+2d@08:00"), in any order, days within -14..=14, one per
    /// day. The error names the part that is wrong.
    pub fn parse(s: &str) -> Result<ReminderPolicy, String> {
        let mut offsets: Vec<Offset> = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let offset = Offset::parse(part)
                .ok_or_else(|| format!("'{part}' is not a reminder like -3d@08:00"))?;
            if !(-14..=14).contains(&offset.days) {
                return Err(format!("'{part}': days must be between -14 and +14"));
            }
            if offsets.iter().any(|o| o.days == offset.days) {
                return Err(format!(
                    "'{part}': there is already a reminder at {}",
                    offset.key()
                ));
            }
            offsets.push(offset);
        }
        if offsets.is_empty() {
            return Err(
                "no reminders given (expected e.g. -3d@08:00,0d@07:00,+2d@08:00)".to_owned(),
            );
        }
        offsets.sort_by_key(|o| o.days);
        Ok(Self { offsets })
    }

    /// All steps for a delivery due on `due_on` in `tz`, sorted by fire_at (then Deliverer, Volunteer,
    /// Coordinator): each offset for the Deliverer; the first offset after the due date also for the
    /// Volunteer ("<key>:volunteer") and, one day later at the same local time, for the Coordinator
    /// ("+<days+1>d:coordinator"). Without an offset after the due date, nothing escalates.
    pub fn steps(&self, due_on: NaiveDate, tz: Tz) -> Vec<Step> {
        let step = |days: i32, at: NaiveTime, key: String, audience: Audience| {
            shift(due_on, days).map(|date| Step {
                key,
                fire_at: local_to_utc(date, at, tz),
                audience,
                overdue: days > 0,
            })
        };
        let mut steps: Vec<Step> = self
            .offsets
            .iter()
            .filter_map(|o| step(o.days, o.at, o.key(), Audience::Deliverer))
            .collect();
        if let Some(late) = self
            .offsets
            .iter()
            .filter(|o| o.days > 0)
            .min_by_key(|o| o.days)
        {
            let volunteer = format!("{}:{}", late.key(), Audience::Volunteer.as_str());
            steps.extend(step(late.days, late.at, volunteer, Audience::Volunteer));
            let later = late.days.saturating_add(1);
            let coordinator = format!("{}:{}", day_key(later), Audience::Coordinator.as_str());
            steps.extend(step(later, late.at, coordinator, Audience::Coordinator));
        }
        steps.sort_by(|a, b| {
            (a.fire_at, a.audience.rank(), &a.key).cmp(&(b.fire_at, b.audience.rank(), &b.key))
        });
        steps
    }

    /// The first step strictly after `done_key` in [`steps`](Self::steps) order (`None` = from the start);
    /// used to find the next reminder after one fired. If `done_key` is no longer in the policy (it changed
    /// since), the next step is the first one whose day comes after that key's day, so nobody is reminded twice.
    pub fn next_after(&self, due_on: NaiveDate, tz: Tz, done_key: Option<&str>) -> Option<Step> {
        let steps = self.steps(due_on, tz);
        let Some(done) = done_key else {
            return steps.into_iter().next();
        };
        if let Some(i) = steps.iter().position(|s| s.key == done) {
            return steps.into_iter().nth(i + 1);
        }
        let done_days = key_days(done)?;
        steps
            .into_iter()
            .find(|s| key_days(&s.key).is_some_and(|d| d > done_days))
    }
}

/// The day of a step key: "+2d:volunteer" → 2.
fn key_days(key: &str) -> Option<i32> {
    let days = key.split(':').next()?.strip_suffix('d')?;
    days.parse().ok()
}

impl fmt::Display for ReminderPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.offsets.iter().map(Offset::to_string).collect();
        f.write_str(&parts.join(","))
    }
}

fn shift(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    let n = Days::new(u64::from(days.unsigned_abs()));
    if days >= 0 {
        date.checked_add_days(n)
    } else {
        date.checked_sub_days(n)
    }
}

/// Nothing is sent between `start` and `end` local time (default 21:00–06:00, a window that crosses
/// midnight; a window within one day also works, and `start == end` means no quiet hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for QuietHours {
    /// Families and volunteers are asleep, or at evening prayers, after nine.
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(6, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

impl QuietHours {
    /// "21:00-06:00".
    pub fn parse(s: &str) -> Option<QuietHours> {
        let (start, end) = s.trim().split_once('-')?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
        Some(Self {
            start: time(start)?,
            end: time(end)?,
        })
    }

    /// `at` if it is outside quiet hours in `tz`, else the end of this quiet period (the next `end` local time).
    pub fn defer(&self, at: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        let local = at.with_timezone(&tz);
        let (date, time) = (local.date_naive(), local.time());
        let ends_on = if self.start < self.end {
            (self.start <= time && time < self.end).then_some(date)
        } else if self.start > self.end {
            if time >= self.start {
                date.succ_opt()
            } else {
                (time < self.end).then_some(date)
            }
        } else {
            None
        };
        ends_on.map_or(at, |d| local_to_utc(d, self.end, tz))
    }
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// Turns a local date and time into UTC in `tz`. Indonesian zones have no DST, but other zones can be
/// configured: an ambiguous time takes the earliest instant, a time in a gap moves forward an hour at a time.
pub fn local_to_utc(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let mut local = date.and_time(time);
    // The longest gap on record is a whole skipped day (Samoa, 2011).
    for _ in 0..=25 {
        match tz.from_local_datetime(&local) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => return a.min(b).with_timezone(&Utc),
            LocalResult::None => match local.checked_add_signed(TimeDelta::hours(1)) {
                Some(later) => local = later,
                None => break,
            },
        }
    }
    // Unreachable for real zones: read the time with the zone's offset at that moment.
    let offset = TimeDelta::seconds(i64::from(
        tz.offset_from_utc_datetime(&local).fix().local_minus_utc(),
    ));
    let utc = local.checked_sub_signed(offset).unwrap_or(local);
    Utc.from_utc_datetime(&utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::{Jakarta, Jayapura, Makassar};
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    fn cadence(s: &str) -> Cadence {
        Cadence::parse(s).expect("valid cadence")
    }

    #[test]
    fn every_kind_of_cadence_round_trips_through_its_spec() {
        for spec in [
            "weekly:mon",
            "biweekly:sun",
            "monthly:1",
            "monthly:28",
            "cron:0 9 * * 1,4",
            "cron:30 7 1-7 * mon",
        ] {
            let parsed = cadence(spec);
            assert_eq!(parsed.spec(), spec);
            assert_eq!(Cadence::parse(&parsed.spec()), Ok(parsed));
        }
    }

    #[test]
    fn weekdays_are_understood_in_english_and_indonesian() {
        for (name, day) in [
            ("senin", Weekday::Mon),
            ("Selasa", Weekday::Tue),
            ("RABU", Weekday::Wed),
            ("kamis", Weekday::Thu),
            ("jumat", Weekday::Fri),
            ("Jum'at", Weekday::Fri),
            ("jum\u{2019}at", Weekday::Fri),
            ("sabtu", Weekday::Sat),
            ("minggu", Weekday::Sun),
            ("ahad", Weekday::Sun),
            ("Monday", Weekday::Mon),
            ("THU", Weekday::Thu),
        ] {
            assert_eq!(
                Cadence::parse(&format!("weekly:{name}")),
                Ok(Cadence::Weekly(day)),
                "{name}"
            );
            let biweekly = cadence(&format!(" BiWeekly : {name} "));
            assert_eq!(biweekly, Cadence::Biweekly(day));
            assert_eq!(cadence(&biweekly.spec()), biweekly);
        }
        assert_eq!(cadence("weekly:kamis").spec(), "weekly:thu");
    }

    #[test]
    fn cron_text_is_normalised() {
        let c = cadence("CRON:  0   9 *  * MON,thu ");
        assert_eq!(c.spec(), "cron:0 9 * * mon,thu");
        assert_eq!(c, cadence("cron:0 9 * * mon,thu"));
    }

    #[test]
    fn bad_cadences_say_what_is_wrong() {
        use CadenceError::*;
        assert_eq!(Cadence::parse("daily"), Err(UnknownKind));
        assert_eq!(Cadence::parse("yearly:1"), Err(UnknownKind));
        assert_eq!(Cadence::parse("weekly:someday"), Err(BadWeekday));
        assert_eq!(Cadence::parse("biweekly:"), Err(BadWeekday));
        assert_eq!(Cadence::parse("monthly:0"), Err(DayOutOfRange));
        assert_eq!(Cadence::parse("monthly:29"), Err(DayOutOfRange));
        assert_eq!(Cadence::parse("monthly:first"), Err(DayOutOfRange));
        assert!(matches!(Cadence::parse("cron:0 9 * *"), Err(BadCron(_))));
        assert!(matches!(Cadence::parse("cron:0 99 * * 1"), Err(BadCron(_))));
        assert!(matches!(Cadence::parse("cron:0 9 * * 8"), Err(BadCron(_))));
        assert!(matches!(
            Cadence::parse("cron:0 9 * * 5-1"),
            Err(BadCron(_))
        ));
    }

    #[test]
    fn six_and_seven_field_crons_are_refused_with_an_explanation() {
        for spec in ["cron:0 0 9 * * 1", "cron:0 0 9 * * 1 2026"] {
            match Cadence::parse(spec) {
                Err(CadenceError::BadCron(why)) => {
                    assert!(why.contains("expected 5 fields"), "{why}")
                }
                other => panic!("{spec}: {other:?}"),
            }
        }
        assert!(matches!(
            Cadence::parse("cron:@weekly"),
            Err(CadenceError::BadCron(_))
        ));
    }

    #[test]
    fn daily_and_impossible_crons_are_refused() {
        assert_eq!(
            Cadence::parse("cron:0 8 * * *"),
            Err(CadenceError::CronTooFrequent)
        );
        assert_eq!(
            Cadence::parse("cron:0 8 * * 1-3"),
            Err(CadenceError::CronTooFrequent)
        );
        assert_eq!(
            Cadence::parse("cron:0 0 30 2 *"),
            Err(CadenceError::CronNeverFires)
        );
        // Twice a week is the most allowed, and every minute of one day still counts as one day.
        assert!(Cadence::parse("cron:0 8 * * 1,4").is_ok());
        assert!(Cadence::parse("cron:* * * * sun").is_ok());
    }

    // 2026-01-26 is a Monday; the window crosses the end of January and February.
    const FROM: (i32, u32, u32) = (2026, 1, 26);

    fn window() -> (NaiveDate, NaiveDate) {
        let from = date(FROM.0, FROM.1, FROM.2);
        (from, from + Days::new(59))
    }

    #[test]
    fn weekly_dates_start_at_the_anchor_and_cross_month_ends() {
        let (from, to) = window();
        // Anchor on a Wednesday: the Monday of that week is too early.
        let got = cadence("weekly:mon").dates(date(2026, 1, 28), from, to, Jakarta);
        let want = [
            (2, 2),
            (2, 9),
            (2, 16),
            (2, 23),
            (3, 2),
            (3, 9),
            (3, 16),
            (3, 23),
        ];
        assert_eq!(got, want.map(|(m, d)| date(2026, m, d)));
        // Thursday of the anchor week is fine.
        let got = cadence("weekly:thu").dates(date(2026, 1, 28), from, to, Jakarta);
        assert_eq!(got.first(), Some(&date(2026, 1, 29)));
        assert_eq!(
            got.last(),
            Some(&date(2026, 3, 26)),
            "the window's last day counts"
        );
        assert_eq!(got.len(), 9);
    }

    #[test]
    fn biweekly_keeps_its_rhythm_from_the_anchor_whatever_the_window() {
        let (from, to) = window();
        let anchor = date(2026, 1, 28);
        let every_other = cadence("biweekly:mon");
        let got = every_other.dates(anchor, from, to, Jakarta);
        assert_eq!(
            got,
            [
                date(2026, 2, 2),
                date(2026, 2, 16),
                date(2026, 3, 2),
                date(2026, 3, 16)
            ]
        );
        // Extending the plan later gives the same Mondays, not a rhythm restarted at `from`.
        let later = every_other.dates(anchor, date(2026, 2, 3), to, Jakarta);
        assert_eq!(
            later,
            [date(2026, 2, 16), date(2026, 3, 2), date(2026, 3, 16)]
        );
        let from_slot = every_other.dates(anchor, date(2026, 2, 16), to, Jakarta);
        assert_eq!(from_slot.first(), Some(&date(2026, 2, 16)));
    }

    #[test]
    fn monthly_dates_cross_month_ends_and_28_fits_february() {
        let (from, to) = window();
        let anchor = date(2026, 1, 28);
        assert_eq!(
            cadence("monthly:15").dates(anchor, from, to, Jakarta),
            [date(2026, 2, 15), date(2026, 3, 15)]
        );
        assert_eq!(
            cadence("monthly:28").dates(anchor, from, to, Jakarta),
            [date(2026, 1, 28), date(2026, 2, 28)]
        );
        assert_eq!(
            cadence("monthly:28").dates(
                date(2028, 1, 1),
                date(2028, 2, 1),
                date(2028, 3, 31),
                Jakarta
            ),
            [date(2028, 2, 28), date(2028, 3, 28)]
        );
    }

    #[test]
    fn an_empty_or_backwards_window_has_no_dates() {
        let weekly = cadence("weekly:mon");
        assert!(
            weekly
                .dates(
                    date(2026, 3, 1),
                    date(2026, 1, 1),
                    date(2026, 2, 28),
                    Jakarta
                )
                .is_empty()
        );
        assert!(
            weekly
                .dates(
                    date(2026, 1, 1),
                    date(2026, 2, 1),
                    date(2026, 1, 1),
                    Jakarta
                )
                .is_empty()
        );
    }

    #[test]
    fn dates_are_capped() {
        let weekly = cadence("weekly:mon");
        let got = weekly.dates(
            date(2026, 1, 1),
            date(2026, 1, 1),
            date(2040, 1, 1),
            Jakarta,
        );
        assert_eq!(got.len(), MAX_DATES);
    }

    #[test]
    fn cron_uses_crontab_weekday_numbers() {
        let got = cadence("cron:0 9 * * 1,4").dates(
            date(2026, 1, 1),
            date(2026, 3, 1),
            date(2026, 3, 15),
            Makassar,
        );
        let want = [(3, 2), (3, 5), (3, 9), (3, 12)].map(|(m, d)| date(2026, m, d));
        assert_eq!(got, want);
        assert!(
            got.iter()
                .all(|d| matches!(d.weekday(), Weekday::Mon | Weekday::Thu))
        );
        // 0 and 7 are both Sunday; a range may end on 7.
        let sundays = cadence("cron:0 9 * * 0").dates(
            date(2026, 3, 1),
            date(2026, 3, 1),
            date(2026, 3, 31),
            Makassar,
        );
        assert_eq!(
            sundays,
            cadence("cron:0 9 * * 7").dates(
                date(2026, 3, 1),
                date(2026, 3, 1),
                date(2026, 3, 31),
                Makassar
            )
        );
        assert!(sundays.iter().all(|d| d.weekday() == Weekday::Sun));
        assert_eq!(sundays.len(), 5);
        let weekend = cadence("cron:0 9 * * 6-7").dates(
            date(2026, 3, 1),
            date(2026, 3, 1),
            date(2026, 3, 8),
            Makassar,
        );
        assert_eq!(
            weekend,
            [date(2026, 3, 1), date(2026, 3, 7), date(2026, 3, 8)]
        );
    }

    #[test]
    fn cron_dates_are_local_dates_not_utc_dates() {
        // 01:30 on a Monday in Jayapura (UTC+9) is 16:30 on Sunday in UTC.
        let early = cadence("cron:30 1 * * mon");
        let local = early.dates(
            date(2026, 3, 1),
            date(2026, 3, 1),
            date(2026, 3, 31),
            Jayapura,
        );
        assert_eq!(local, [2, 9, 16, 23, 30].map(|d| date(2026, 3, d)));
        let in_utc = early.dates(
            date(2026, 3, 1),
            date(2026, 3, 1),
            date(2026, 3, 31),
            Tz::UTC,
        );
        assert_eq!(
            in_utc, local,
            "the expression is read in local time, whatever the zone"
        );
        let late = cadence("cron:30 23 * * mon");
        assert_eq!(
            late.dates(
                date(2026, 3, 1),
                date(2026, 3, 1),
                date(2026, 3, 10),
                Jayapura
            ),
            [date(2026, 3, 2), date(2026, 3, 9)]
        );
    }

    #[test]
    fn cron_fires_once_per_date_and_respects_anchor_and_window() {
        let busy = cadence("cron:*/15 6-18 * * 2,5");
        let got = busy.dates(
            date(2026, 3, 6),
            date(2026, 3, 1),
            date(2026, 3, 17),
            Jakarta,
        );
        assert_eq!(
            got,
            [
                date(2026, 3, 6),
                date(2026, 3, 10),
                date(2026, 3, 13),
                date(2026, 3, 17)
            ]
        );
        // Both day fields restricted: both must match (the first Monday of each month).
        let first_monday = cadence("cron:0 8 1-7 * 1");
        let got = first_monday.dates(
            date(2026, 1, 1),
            date(2026, 1, 1),
            date(2026, 4, 30),
            Jakarta,
        );
        assert_eq!(
            got,
            [
                date(2026, 1, 5),
                date(2026, 2, 2),
                date(2026, 3, 2),
                date(2026, 4, 6)
            ]
        );
    }

    #[test]
    fn offsets_parse_and_key_with_a_sign() {
        assert_eq!(
            Offset::parse("-3d@08:00"),
            Some(Offset {
                days: -3,
                at: time(8, 0)
            })
        );
        assert_eq!(
            Offset::parse(" +2d @ 8:30 "),
            Some(Offset {
                days: 2,
                at: time(8, 30)
            })
        );
        assert_eq!(
            Offset::parse("0d@07:00").map(|o| o.key()),
            Some("0d".to_owned())
        );
        assert_eq!(
            Offset::parse("+2d@08:00").map(|o| o.key()),
            Some("+2d".to_owned())
        );
        assert_eq!(
            Offset::parse("-3d@08:00").map(|o| o.key()),
            Some("-3d".to_owned())
        );
        for bad in ["", "3@08:00", "-3d", "-3d@25:00", "xd@08:00", "-3d@8"] {
            assert_eq!(Offset::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn policies_parse_sorted_and_name_the_bad_part() {
        let policy = ReminderPolicy::parse("+2d@08:00, -3d@08:00,0d@07:00").expect("valid policy");
        assert_eq!(policy, ReminderPolicy::default());
        assert_eq!(policy.to_string(), "-3d@08:00,0d@07:00,+2d@08:00");
        assert_eq!(ReminderPolicy::parse(&policy.to_string()), Ok(policy));
        let err = ReminderPolicy::parse("-3d@08:00,soon").expect_err("bad part");
        assert!(err.contains("'soon'"), "{err}");
        let err = ReminderPolicy::parse("-15d@08:00").expect_err("too early");
        assert!(err.contains("-15d@08:00"), "{err}");
        let err = ReminderPolicy::parse("1d@08:00,+1d@09:00").expect_err("twice on one day");
        assert!(err.contains("+1d@09:00"), "{err}");
        assert!(ReminderPolicy::parse(" , ").is_err());
        assert!(ReminderPolicy::parse("14d@08:00,-14d@08:00").is_ok());
    }

    #[test]
    fn default_policy_steps_for_a_delivery_in_makassar() {
        let steps = ReminderPolicy::default().steps(date(2026, 12, 10), Makassar);
        let got: Vec<(&str, DateTime<Utc>, Audience, bool)> = steps
            .iter()
            .map(|s| (s.key.as_str(), s.fire_at, s.audience, s.overdue))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "-3d",
                    utc("2026-12-07T00:00:00Z"),
                    Audience::Deliverer,
                    false
                ),
                (
                    "0d",
                    utc("2026-12-09T23:00:00Z"),
                    Audience::Deliverer,
                    false
                ),
                (
                    "+2d",
                    utc("2026-12-12T00:00:00Z"),
                    Audience::Deliverer,
                    true
                ),
                (
                    "+2d:volunteer",
                    utc("2026-12-12T00:00:00Z"),
                    Audience::Volunteer,
                    true
                ),
                (
                    "+3d:coordinator",
                    utc("2026-12-13T00:00:00Z"),
                    Audience::Coordinator,
                    true
                ),
            ]
        );
    }

    #[test]
    fn only_the_first_late_reminder_escalates() {
        let policy = ReminderPolicy::parse("0d@07:00,+1d@09:00,+4d@08:00").expect("valid policy");
        let keys: Vec<String> = policy
            .steps(date(2026, 12, 10), Jakarta)
            .into_iter()
            .map(|s| s.key)
            .collect();
        assert_eq!(
            keys,
            ["0d", "+1d", "+1d:volunteer", "+2d:coordinator", "+4d"]
        );
    }

    #[test]
    fn a_policy_without_late_reminders_does_not_escalate() {
        let policy = ReminderPolicy::parse("-1d@18:00,0d@07:00").expect("valid policy");
        let steps = policy.steps(date(2026, 12, 10), Jakarta);
        assert_eq!(steps.len(), 2);
        assert!(
            steps
                .iter()
                .all(|s| s.audience == Audience::Deliverer && !s.overdue)
        );
    }

    #[test]
    fn next_after_walks_every_step_then_stops() {
        let policy = ReminderPolicy::default();
        let due = date(2026, 12, 10);
        let all = policy.steps(due, Makassar);
        let mut walked = Vec::new();
        let mut done: Option<String> = None;
        while let Some(step) = policy.next_after(due, Makassar, done.as_deref()) {
            done = Some(step.key.clone());
            walked.push(step);
        }
        assert_eq!(walked, all);
        assert_eq!(
            policy.next_after(due, Makassar, Some("+3d:coordinator")),
            None
        );
    }

    #[test]
    fn next_after_a_key_the_policy_no_longer_has_moves_on_by_day() {
        let policy = ReminderPolicy::default();
        let due = date(2026, 12, 10);
        let next = policy.next_after(due, Makassar, Some("-1d")).map(|s| s.key);
        assert_eq!(next.as_deref(), Some("0d"));
        let next = policy
            .next_after(due, Makassar, Some("+1d:volunteer"))
            .map(|s| s.key);
        assert_eq!(next.as_deref(), Some("+2d"));
        assert_eq!(policy.next_after(due, Makassar, Some("+5d")), None);
        assert_eq!(policy.next_after(due, Makassar, Some("garbage")), None);
    }

    #[test]
    fn quiet_hours_across_midnight_defer_to_the_morning_in_wib() {
        let quiet = QuietHours::default();
        let at = |d: u32, h: u32, m: u32| local_to_utc(date(2026, 5, d), time(h, m), Jakarta);
        let morning_of = |d: u32| at(d, 6, 0);
        assert_eq!(quiet.defer(at(10, 20, 59), Jakarta), at(10, 20, 59));
        assert_eq!(quiet.defer(at(10, 21, 0), Jakarta), morning_of(11));
        assert_eq!(quiet.defer(at(10, 23, 0), Jakarta), morning_of(11));
        assert_eq!(quiet.defer(at(11, 2, 0), Jakarta), morning_of(11));
        assert_eq!(quiet.defer(at(11, 5, 59), Jakarta), morning_of(11));
        assert_eq!(quiet.defer(at(11, 6, 0), Jakarta), at(11, 6, 0));
        assert_eq!(morning_of(11), utc("2026-05-10T23:00:00Z"));
    }

    #[test]
    fn quiet_hours_within_one_day_and_none_at_all() {
        let siesta = QuietHours::parse("12:00-14:00").expect("valid window");
        let at = |h: u32, m: u32| local_to_utc(date(2026, 5, 10), time(h, m), Jakarta);
        assert_eq!(siesta.defer(at(11, 59), Jakarta), at(11, 59));
        assert_eq!(siesta.defer(at(12, 0), Jakarta), at(14, 0));
        assert_eq!(siesta.defer(at(13, 30), Jakarta), at(14, 0));
        assert_eq!(siesta.defer(at(14, 0), Jakarta), at(14, 0));
        assert_eq!(siesta.defer(at(23, 0), Jakarta), at(23, 0));
        let never = QuietHours::parse("22:00-22:00").expect("valid window");
        for (h, m) in [(21, 59), (22, 0), (3, 0)] {
            assert_eq!(never.defer(at(h, m), Jakarta), at(h, m));
        }
    }

    #[test]
    fn quiet_hours_parse_and_print() {
        assert_eq!(
            QuietHours::parse("21:00-06:00"),
            Some(QuietHours::default())
        );
        assert_eq!(QuietHours::default().to_string(), "21:00-06:00");
        assert_eq!(QuietHours::parse("21:00"), None);
        assert_eq!(QuietHours::parse("21:00-30:00"), None);
    }

    #[test]
    fn local_times_become_utc_even_in_gaps_and_overlaps() {
        assert_eq!(
            local_to_utc(date(2026, 12, 7), time(8, 0), Makassar),
            utc("2026-12-07T00:00:00Z")
        );
        assert_eq!(
            local_to_utc(date(2026, 12, 7), time(8, 0), Jayapura),
            utc("2026-12-06T23:00:00Z")
        );
        let berlin = chrono_tz::Europe::Berlin;
        // 02:30 does not exist on 29 March 2026 in Berlin: an hour later, 03:30 CEST.
        assert_eq!(
            local_to_utc(date(2026, 3, 29), time(2, 30), berlin),
            utc("2026-03-29T01:30:00Z")
        );
        // 02:30 happens twice on 25 October 2026: the first, still in CEST.
        assert_eq!(
            local_to_utc(date(2026, 10, 25), time(2, 30), berlin),
            utc("2026-10-25T00:30:00Z")
        );
    }

    fn arb_cadence() -> impl Strategy<Value = Cadence> {
        let weekday = (0u8..7).prop_map(|n| Weekday::try_from(n).unwrap_or(Weekday::Mon));
        prop_oneof![
            weekday.clone().prop_map(Cadence::Weekly),
            weekday.prop_map(Cadence::Biweekly),
            (1u8..=28).prop_map(Cadence::Monthly),
            prop::sample::select(vec![
                "cron:0 9 * * 1,4",
                "cron:30 1 1,15 * *",
                "cron:0 23 * * sat"
            ])
            .prop_map(|s| Cadence::parse(s).expect("valid cron")),
        ]
    }

    fn arb_zone() -> impl Strategy<Value = Tz> {
        prop::sample::select(vec![Jakarta, Makassar, Jayapura])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn dates_ascend_within_the_window(
            cadence in arb_cadence(),
            zone in arb_zone(),
            from_day in 0u64..800,
            span in 0u64..200,
            anchor_shift in -60i64..120,
        ) {
            let from = date(2025, 1, 1) + Days::new(from_day);
            let to = from + Days::new(span);
            let anchor = from + TimeDelta::days(anchor_shift);
            let dates = cadence.dates(anchor, from, to, zone);
            let start = from.max(anchor);
            prop_assert!(dates.windows(2).all(|w| w[0] < w[1]), "{dates:?}");
            prop_assert!(dates.iter().all(|d| start <= *d && *d <= to), "{dates:?}");
            match cadence {
                Cadence::Weekly(day) => {
                    prop_assert!(dates.iter().all(|d| d.weekday() == day));
                    prop_assert!(dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 7));
                    // No Monday in the window is missed.
                    if start <= to {
                        let expected = (start.iter_days().take_while(|d| *d <= to))
                            .filter(|d| d.weekday() == day)
                            .count();
                        prop_assert_eq!(dates.len(), expected);
                    }
                }
                Cadence::Biweekly(day) => {
                    prop_assert!(dates.iter().all(|d| d.weekday() == day));
                    prop_assert!(dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 14));
                }
                Cadence::Monthly(day) => {
                    prop_assert!(dates.iter().all(|d| d.day() == u32::from(day)));
                }
                Cadence::Cron(_) => {}
            }
        }
    }

    #[test]
    fn cadences_are_read_from_words_in_either_language() {
        let weekly = Cadence::parse("weekly:mon").unwrap();
        assert_eq!(Cadence::from_words("mingguan senin"), Ok(weekly.clone()));
        assert_eq!(Cadence::from_words("Weekly Mon"), Ok(weekly));
        let biweekly = Cadence::parse("biweekly:thu").unwrap();
        for text in [
            "dua mingguan kamis",
            "dua-mingguan kamis",
            "2 mingguan kamis",
            "biweekly thu",
        ] {
            assert_eq!(Cadence::from_words(text), Ok(biweekly.clone()), "{text}");
        }
        assert_eq!(
            Cadence::from_words("bulanan 15"),
            Cadence::parse("monthly:15")
        );
        assert_eq!(
            Cadence::from_words("cron 0 9 * * 1-2"),
            Cadence::parse("cron:0 9 * * 1-2")
        );
        assert_eq!(
            Cadence::from_words("kadang-kadang"),
            Err(CadenceError::UnknownKind)
        );
        assert_eq!(Cadence::from_words(""), Err(CadenceError::UnknownKind));
    }
}
