//! The official region list of Indonesia (Kemendagri codes and names: 38 provinces, 514 regencies/cities,
//! 7,285 kecamatan, 83,762 desa/kelurahan), shipped in the binary from the npm package `idn-area-data`
//! (ODbL; see `data/regions/README.md`), and each province's time zone. Read on demand and dropped after
//! use: the list costs memory only while a district is being set up or a file's names resolved.

use super::region::{RegionCode, RegionLevel};
use chrono_tz::Tz;
use std::io::Read;

const PROVINCES: &[u8] = include_bytes!("../../data/regions/provinces.csv.gz");
const REGENCIES: &[u8] = include_bytes!("../../data/regions/regencies.csv.gz");
const DISTRICTS: &[u8] = include_bytes!("../../data/regions/districts.csv.gz");
const VILLAGES: &[u8] = include_bytes!("../../data/regions/villages.csv.gz");

/// One official region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub code: RegionCode,
    pub name: String,
}

/// The whole list, each level sorted by code.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    levels: [Vec<Entry>; 4],
}

/// Why the shipped list could not be read (a broken build; never the user's fault).
#[derive(Debug, thiserror::Error)]
#[error("the built-in region list cannot be read: {0}")]
pub struct CatalogError(String);

fn slot(level: RegionLevel) -> usize {
    match level {
        RegionLevel::Province => 0,
        RegionLevel::Regency => 1,
        RegionLevel::District => 2,
        RegionLevel::Village => 3,
    }
}

fn read(gz: &[u8]) -> Result<Vec<Entry>, CatalogError> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .map_err(|e| CatalogError(e.to_string()))?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CatalogError(e.to_string()))?;
        let (Some(code), Some(name)) = (record.get(0), record.get(record.len() - 1)) else {
            continue;
        };
        let code = RegionCode::parse(code).map_err(|_| CatalogError(format!("code {code}")))?;
        out.push(Entry {
            code,
            name: name.to_owned(),
        });
    }
    out.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
    Ok(out)
}

impl Catalog {
    /// Reads the shipped list (a few tens of milliseconds).
    pub fn load() -> Result<Self, CatalogError> {
        Ok(Self {
            levels: [
                read(PROVINCES)?,
                read(REGENCIES)?,
                read(DISTRICTS)?,
                read(VILLAGES)?,
            ],
        })
    }

    /// The entries of one level.
    pub fn level(&self, level: RegionLevel) -> &[Entry] {
        &self.levels[slot(level)]
    }

    /// The official region with this code.
    pub fn get(&self, code: &RegionCode) -> Option<&Entry> {
        let list = self.level(code.level());
        list.binary_search_by(|e| e.code.as_str().cmp(code.as_str()))
            .ok()
            .map(|i| &list[i])
    }

    /// `code`, the regions above it and everything inside it, from the province down: what setting up
    /// `code` creates.
    pub fn with_ancestors_and_descendants(&self, code: &RegionCode) -> Vec<&Entry> {
        let mut out: Vec<&Entry> = Vec::new();
        let mut up = code.parent();
        let mut ancestors = Vec::new();
        while let Some(c) = up {
            if let Some(e) = self.get(&c) {
                ancestors.push(e);
            }
            up = c.parent();
        }
        ancestors.reverse();
        out.extend(ancestors);
        for level in [
            RegionLevel::Province,
            RegionLevel::Regency,
            RegionLevel::District,
            RegionLevel::Village,
        ] {
            if level < code.level() {
                continue;
            }
            let list = self.level(level);
            // Codes inside `code` sort right after it ("74.05" < "74.05.01" < "74.06").
            let start = list.partition_point(|e| e.code.as_str() < code.as_str());
            out.extend(list[start..].iter().take_while(|e| code.contains(&e.code)));
        }
        out
    }
}

/// The time zone of a province by its Kemendagri code: WIB for Sumatra, Java, West and Central
/// Kalimantan; WITA for Bali, the Nusa Tenggara, South, East and North Kalimantan and Sulawesi; WIT for
/// Maluku and Papua.
pub fn province_zone(province: &str) -> Option<Tz> {
    use chrono_tz::Asia::{Jakarta, Jayapura, Makassar};
    Some(match province {
        "11" | "12" | "13" | "14" | "15" | "16" | "17" | "18" | "19" | "21" | "31" | "32"
        | "33" | "34" | "35" | "36" | "61" | "62" => Jakarta,
        "51" | "52" | "53" | "63" | "64" | "65" | "71" | "72" | "73" | "74" | "75" | "76" => {
            Makassar
        }
        "81" | "82" | "91" | "92" | "93" | "94" | "95" | "96" => Jayapura,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("code")
    }

    #[test]
    fn the_shipped_list_is_whole() {
        let c = Catalog::load().expect("catalog");
        assert_eq!(c.level(RegionLevel::Province).len(), 38);
        assert_eq!(c.level(RegionLevel::Regency).len(), 514);
        assert_eq!(c.level(RegionLevel::District).len(), 7_285);
        assert_eq!(c.level(RegionLevel::Village).len(), 83_762);
        for p in c.level(RegionLevel::Province) {
            assert!(province_zone(p.code.as_str()).is_some(), "{}", p.name);
        }
        assert_eq!(
            c.get(&code("74.05")).map(|e| e.name.as_str()),
            Some("Kabupaten Konawe Selatan")
        );
    }

    #[test]
    fn a_regency_comes_with_its_province_kecamatan_and_villages() {
        let c = Catalog::load().expect("catalog");
        let all = c.with_ancestors_and_descendants(&code("74.05"));
        let count = |level| all.iter().filter(|e| e.code.level() == level).count();
        assert_eq!(count(RegionLevel::Province), 1);
        assert_eq!(count(RegionLevel::Regency), 1);
        assert_eq!(count(RegionLevel::District), 25);
        assert_eq!(count(RegionLevel::Village), 351);
        assert!(all.iter().all(|e| e.code.as_str().starts_with("74")));
        // Parents come before their children, so they can be inserted in order.
        assert_eq!(all[0].code.as_str(), "74");
    }

    #[test]
    fn zones_follow_the_province() {
        assert_eq!(province_zone("31"), Some(chrono_tz::Asia::Jakarta));
        assert_eq!(province_zone("74"), Some(chrono_tz::Asia::Makassar));
        assert_eq!(province_zone("94"), Some(chrono_tz::Asia::Jayapura));
        assert_eq!(province_zone("99"), None);
    }
}
