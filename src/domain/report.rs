//! Report periods: the presets offered on buttons and the dates they cover.

/// A period offered on `/laporan`'s buttons, relative to the coordinator's today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPeriod {
    ThisMonth,
    LastMonth,
    LastThreeMonths,
    ThisYear,
}

impl ReportPeriod {
    pub const ALL: [ReportPeriod; 4] = [
        ReportPeriod::ThisMonth,
        ReportPeriod::LastMonth,
        ReportPeriod::LastThreeMonths,
        ReportPeriod::ThisYear,
    ];

    /// Its code in button data.
    pub fn code(self) -> &'static str {
        match self {
            ReportPeriod::ThisMonth => "tm",
            ReportPeriod::LastMonth => "lm",
            ReportPeriod::LastThreeMonths => "l3",
            ReportPeriod::ThisYear => "ty",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}
