//! The languages asuh speaks: Indonesian first, English second.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "id")]
    Id,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// The language for a new user, from Telegram's `language_code` (an IETF tag such as `en-US`).
    /// Indonesian unless Telegram says English: the programme is Indonesian.
    pub fn from_telegram(code: Option<&str>) -> Self {
        match code {
            Some(c)
                if c.eq_ignore_ascii_case("en") || c.to_ascii_lowercase().starts_with("en-") =>
            {
                Lang::En
            }
            _ => Lang::Id,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_only_when_telegram_says_english() {
        assert_eq!(Lang::from_telegram(Some("en")), Lang::En);
        assert_eq!(Lang::from_telegram(Some("en-GB")), Lang::En);
        assert_eq!(Lang::from_telegram(Some("id")), Lang::Id);
        assert_eq!(Lang::from_telegram(Some("ms")), Lang::Id);
        assert_eq!(Lang::from_telegram(Some("eng")), Lang::Id);
        assert_eq!(Lang::from_telegram(None), Lang::Id);
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
    }
}
