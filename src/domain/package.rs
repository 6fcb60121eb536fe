//! A food package: a named list of items with quantities ("Paket gizi: beras 5 kg, telur 30 butir,
//! susu 2 kotak"). Coordinators type it on one line; it is stored as JSON and shown back as a list.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub name: String,
    /// As written ("5", "2,5", "1/2"): quantities are shown, never computed with.
    pub quantity: String,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSpec {
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    #[error("no name before ':'")]
    NoName,
    #[error("name too long")]
    NameTooLong,
    #[error("no items")]
    NoItems,
    #[error("an item has no quantity")]
    NoQuantity,
    #[error("too many items")]
    TooManyItems,
}

const MAX_NAME: usize = 60;
const MAX_ITEMS: usize = 20;

/// Parses "Name: item qty [unit], item qty [unit], ...". An item is its words up to the first word
/// that starts with a digit (the quantity); whatever follows is the unit.
pub fn parse(input: &str) -> Result<PackageSpec, PackageError> {
    let (name, rest) = input.split_once(':').ok_or(PackageError::NoName)?;
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(PackageError::NoName);
    }
    if name.chars().count() > MAX_NAME {
        return Err(PackageError::NameTooLong);
    }
    let items = rest
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(item)
        .collect::<Result<Vec<_>, _>>()?;
    if items.is_empty() {
        return Err(PackageError::NoItems);
    }
    if items.len() > MAX_ITEMS {
        return Err(PackageError::TooManyItems);
    }
    Ok(PackageSpec { name, items })
}

fn item(text: &str) -> Result<Item, PackageError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|&i| i > 0)
        .ok_or(PackageError::NoQuantity)?;
    let unit = words[at + 1..].join(" ");
    Ok(Item {
        name: words[..at].join(" "),
        quantity: words[at].to_owned(),
        unit: (!unit.is_empty()).then_some(unit),
    })
}

/// "beras 5 kg, telur 30, susu 2 kotak": one line for lists and reminders.
pub fn summary(items: &[Item]) -> String {
    items
        .iter()
        .map(|i| match &i.unit {
            Some(u) => format!("{} {} {u}", i.name, i.quantity),
            None => format!("{} {}", i.name, i.quantity),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_line_becomes_items() {
        let p =
            parse("Paket gizi:  beras 5 kg, telur ayam 30 butir; susu 2 kotak, madu 1").unwrap();
        assert_eq!(p.name, "Paket gizi");
        assert_eq!(p.items.len(), 4);
        assert_eq!(
            p.items[1],
            Item {
                name: "telur ayam".into(),
                quantity: "30".into(),
                unit: Some("butir".into())
            }
        );
        assert_eq!(p.items[3].unit, None);
        assert_eq!(
            summary(&p.items),
            "beras 5 kg, telur ayam 30 butir, susu 2 kotak, madu 1"
        );
    }

    #[test]
    fn what_is_wrong_is_named() {
        assert_eq!(parse("beras 5 kg"), Err(PackageError::NoName));
        assert_eq!(parse(" : beras 5 kg"), Err(PackageError::NoName));
        assert_eq!(parse("Paket:"), Err(PackageError::NoItems));
        assert_eq!(parse("Paket: beras"), Err(PackageError::NoQuantity));
        assert_eq!(parse("Paket: 5 kg"), Err(PackageError::NoQuantity));
        let many = (0..21).map(|i| format!("x{i} 1")).collect::<Vec<_>>();
        assert_eq!(
            parse(&format!("P: {}", many.join(","))),
            Err(PackageError::TooManyItems)
        );
    }
}
