//! Everything that speaks the Bot API (teloxide), and nothing else does.
//!
//! An update travels: [`poller`] (getUpdates → inbox table) → [`processor`] (one transaction: user, roles,
//! dialogue, [`handlers`], outbox rows) → [`sender`] (outbox → Bot API within Telegram's limits).

pub mod callback;
pub mod commands;
pub mod context;
pub mod handlers;
pub mod incoming;
pub mod poller;
pub mod processor;
pub mod sender;
