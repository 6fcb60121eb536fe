//! Where "now" comes from. Everything that decides by time takes a `Clock`, so `asuh tick --at` and the
//! tests can run a pass as of any moment instead of waiting for it.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock.
    System,
    /// The machine's clock moved by a fixed amount: time still flows (a retry after 1 s is due a second
    /// later) but starts where `asuh tick --at` says.
    Shifted(Duration),
}

impl Clock {
    /// A clock that reads `at` now and runs on from there.
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        Clock::Shifted(at - Utc::now())
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Shifted(by) => Utc::now() + *by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_starts_where_asked_and_runs_on() {
        let at = DateTime::parse_from_rfc3339("2030-01-01T07:00:00+08:00")
            .map(|t| t.with_timezone(&Utc))
            .unwrap();
        let clock = Clock::starting_at(at);
        let first = clock.now();
        assert!((first - at).num_milliseconds().abs() < 1_000);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first);
    }
}
