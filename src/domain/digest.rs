//! The coordinator digest as data, and how it becomes messages within Telegram's limit.

/// A list in the digest that may be shortened, with a "show all" button for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Due,
    OverdueBySponsor,
    OverdueByOffice,
    Confirmed,
    Flags,
    Cases,
    Unsponsored,
    Unreachable,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Due,
        Section::OverdueBySponsor,
        Section::OverdueByOffice,
        Section::Confirmed,
        Section::Flags,
        Section::Cases,
        Section::Unsponsored,
        Section::Unreachable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Due => "due",
            Section::OverdueBySponsor => "ovs",
            Section::OverdueByOffice => "ovo",
            Section::Confirmed => "cf",
            Section::Flags => "fl",
            Section::Cases => "cs",
            Section::Unsponsored => "un",
            Section::Unreachable => "ur",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}
