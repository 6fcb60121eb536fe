//! Where a user stands in a conversation with the bot. Each step carries exactly what has been collected so
//! far, so a half-filled registration cannot be submitted. Stored as JSON in the database, so a dialogue
//! survives a restart.

use super::child::ChildId;
use super::confirmation::{Draft, PhotoRef};
use super::evidence::GeoPoint;
use super::ids::DeliveryId;
use super::region::RegionCode;
use super::sponsor::{Affiliation, Area, Capacity, InputError, PersonName, Phone, Registration};
use super::sponsorship::SponsorshipId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Dialogue {
    #[default]
    Idle,
    /// `/start` asked: sponsor, volunteer, or neither?
    ChoosingRole,
    SponsorName,
    SponsorPhone {
        name: PersonName,
    },
    SponsorOffice {
        name: PersonName,
        phone: Phone,
    },
    SponsorDistrict {
        name: PersonName,
        phone: Phone,
        affiliation: Affiliation,
    },
    SponsorVillage {
        name: PersonName,
        phone: Phone,
        affiliation: Affiliation,
        kecamatan: RegionCode,
    },
    SponsorCapacity {
        name: PersonName,
        phone: Phone,
        affiliation: Affiliation,
        area: Area,
    },
    SponsorConfirm {
        registration: Registration,
    },
    /// Waiting for why a sponsor declines or ends a sponsorship. `ending`: the sponsorship ends once the
    /// reason is given (or skipped); otherwise it was declined already and the reason is only recorded.
    Reason {
        sponsorship: SponsorshipId,
        ending: bool,
    },
    /// Waiting for why a sponsor skips a delivery.
    SkipReason {
        delivery: DeliveryId,
    },
    /// A confirmation of one delivery being put together (photos, place, outcome, items, note).
    Evidence {
        delivery: DeliveryId,
        #[serde(default)]
        draft: Draft,
    },
    /// Pictures came without saying for which delivery: waiting for the choice among the candidates.
    EvidencePick {
        photos: Vec<PhotoRef>,
        #[serde(default)]
        place: Option<GeoPoint>,
    },
    /// Waiting for what was done about a case, to resolve it with.
    CaseResolution {
        case: i64,
    },
    /// A measurement of a child being entered (date, length, position, weight, arm).
    Measure {
        child: ChildId,
        #[serde(default)]
        draft: crate::domain::measurement::Draft,
    },
}

/// Why a step refused an input, without saying how to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The input is not what this step waits for.
    WrongStep,
    Invalid(InputError),
}

impl From<InputError> for StepError {
    fn from(e: InputError) -> Self {
        StepError::Invalid(e)
    }
}

/// The transitions of the sponsor registration. Each consumes the current step and returns the next one.
impl Dialogue {
    pub fn is_idle(&self) -> bool {
        matches!(self, Dialogue::Idle)
    }

    pub fn with_name(self, text: &str) -> Result<Dialogue, StepError> {
        match self {
            Dialogue::SponsorName => Ok(Dialogue::SponsorPhone {
                name: PersonName::parse(text)?,
            }),
            _ => Err(StepError::WrongStep),
        }
    }

    pub fn with_phone(self, phone: Phone) -> Result<Dialogue, StepError> {
        match self {
            Dialogue::SponsorPhone { name } => Ok(Dialogue::SponsorOffice { name, phone }),
            _ => Err(StepError::WrongStep),
        }
    }

    pub fn with_affiliation(self, affiliation: Affiliation) -> Result<Dialogue, StepError> {
        match self {
            Dialogue::SponsorOffice { name, phone } => Ok(Dialogue::SponsorDistrict {
                name,
                phone,
                affiliation,
            }),
            _ => Err(StepError::WrongStep),
        }
    }

    /// A district chosen; `has_villages` says whether there are villages to narrow it down to.
    pub fn with_district(
        self,
        kecamatan: RegionCode,
        has_villages: bool,
    ) -> Result<Dialogue, StepError> {
        match self {
            Dialogue::SponsorDistrict {
                name,
                phone,
                affiliation,
            } if has_villages => Ok(Dialogue::SponsorVillage {
                name,
                phone,
                affiliation,
                kecamatan,
            }),
            Dialogue::SponsorDistrict {
                name,
                phone,
                affiliation,
            } => Ok(Dialogue::SponsorCapacity {
                name,
                phone,
                affiliation,
                area: Area {
                    kecamatan,
                    village: None,
                },
            }),
            _ => Err(StepError::WrongStep),
        }
    }

    /// A village chosen inside the district, or `None` for the whole district.
    pub fn with_village(self, village: Option<RegionCode>) -> Result<Dialogue, StepError> {
        match self {
            Dialogue::SponsorVillage {
                name,
                phone,
                affiliation,
                kecamatan,
            } => {
                if village.as_ref().is_some_and(|v| !kecamatan.contains(v)) {
                    return Err(StepError::WrongStep);
                }
                Ok(Dialogue::SponsorCapacity {
                    name,
                    phone,
                    affiliation,
                    area: Area { kecamatan, village },
                })
            }
            _ => Err(StepError::WrongStep),
        }
    }

    pub fn with_capacity(self, capacity: Capacity) -> Result<Dialogue, StepError> {
        match self {
            Dialogue::SponsorCapacity {
                name,
                phone,
                affiliation,
                area,
            } => Ok(Dialogue::SponsorConfirm {
                registration: Registration {
                    name,
                    phone,
                    affiliation,
                    area,
                    capacity,
                },
            }),
            _ => Err(StepError::WrongStep),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OfficeId;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid code")
    }

    fn phone() -> Phone {
        Phone::parse("+6281234567890").expect("phone")
    }

    #[test]
    fn registration_walks_every_step_in_order() {
        let d = Dialogue::SponsorName
            .with_name("Budi Santoso")
            .expect("name");
        let d = d.with_phone(phone()).expect("phone");
        let d = d
            .with_affiliation(Affiliation::Office(OfficeId(1)))
            .expect("office");
        let d = d.with_district(code("74.71.01"), true).expect("district");
        let d = d
            .with_village(Some(code("74.71.01.1001")))
            .expect("village");
        let d = d
            .with_capacity(Capacity::new(3).expect("cap"))
            .expect("capacity");
        let Dialogue::SponsorConfirm { registration } = d else {
            panic!("expected confirm, got {d:?}")
        };
        assert_eq!(registration.area.region(), &code("74.71.01.1001"));
        assert_eq!(registration.capacity.get(), 3);
    }

    #[test]
    fn a_district_without_villages_skips_the_village_step() {
        let d = Dialogue::SponsorDistrict {
            name: PersonName::parse("Budi").expect("n"),
            phone: phone(),
            affiliation: Affiliation::Community,
        };
        let d = d.with_district(code("74.71.01"), false).expect("district");
        assert!(matches!(d, Dialogue::SponsorCapacity { ref area, .. } if area.village.is_none()));
    }

    #[test]
    fn inputs_out_of_step_are_refused() {
        assert_eq!(Dialogue::Idle.with_name("Budi"), Err(StepError::WrongStep));
        assert_eq!(
            Dialogue::SponsorName.with_phone(phone()),
            Err(StepError::WrongStep)
        );
        assert_eq!(
            Dialogue::SponsorName.with_name("1"),
            Err(StepError::Invalid(InputError::Name))
        );
        let village_step = Dialogue::SponsorVillage {
            name: PersonName::parse("Budi").expect("n"),
            phone: phone(),
            affiliation: Affiliation::Community,
            kecamatan: code("74.71.01"),
        };
        assert_eq!(
            village_step.with_village(Some(code("74.71.02.1001"))),
            Err(StepError::WrongStep)
        );
    }

    #[test]
    fn dialogues_survive_serialisation() {
        let d = Dialogue::SponsorPhone {
            name: PersonName::parse("Siti Aminah").expect("n"),
        };
        let json = serde_json::to_string(&d).expect("json");
        assert_eq!(serde_json::from_str::<Dialogue>(&json).expect("parse"), d);
        assert_eq!(
            serde_json::to_string(&Dialogue::Idle).expect("json"),
            r#"{"step":"idle"}"#
        );
    }
}
