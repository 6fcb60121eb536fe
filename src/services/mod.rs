//! Use cases that span several aggregates: domain in, domain out, typed refusals. No teloxide, no texts:
//! the Telegram layer and the jobs turn outcomes into messages.

pub mod deliveries;
pub mod imports;
pub mod matching;
pub mod notices;
pub mod sponsorships;
