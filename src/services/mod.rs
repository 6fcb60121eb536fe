//! Use cases that span several aggregates: domain in, domain out, typed refusals. No teloxide; texts only in
//! `notices`, the one place that words a notice to the people who answer for an area.

pub mod children;
pub mod confirmations;
pub mod dashboard;
pub mod deliveries;
pub mod digest;
pub mod doctor;
pub mod evidence;
pub mod growth;
pub mod imports;
pub mod labels;
pub mod matching;
pub mod notices;
pub mod people;
pub mod programme;
pub mod reports;
pub mod sponsorships;
