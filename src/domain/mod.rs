//! Domain types and rules: no teloxide, no sqlx, no clock reads. Everything here is pure and unit-tested.

pub mod catalog;
pub mod child;
pub mod confirmation;
pub mod delivery;
pub mod dialogue;
pub mod digest;
pub mod doctor;
pub mod evidence;
pub mod growth;
pub mod ids;
pub mod invite;
pub mod lang;
pub mod matching;
pub mod measurement;
pub mod package;
pub mod policy;
pub mod progress;
pub mod region;
pub mod report;
pub mod role;
pub mod schedule;
pub mod sponsor;
pub mod sponsorship;
pub mod webapp;

pub use ids::{DeliveryId, OfficeId, UserId};
pub use lang::Lang;
pub use region::{RegionCode, RegionLevel};
