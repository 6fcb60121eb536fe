//! asuh: a Telegram bot for the *bapak/bunda asuh anak stunting* programmes of Indonesian local governments.
//!
//! # Layout
//! - [`domain`]: ids, roles, regions, registrations, dialogues, invites — pure types and rules, no I/O.
//! - [`store`]: all SQL, one module per aggregate, for SQLite and PostgreSQL alike.
//! - [`services`]: use cases spanning several aggregates (matching, the life of a sponsorship).
//! - [`outbound`]: what the bot sends, as data, and the one way to queue it (the outbox).
//! - [`telegram`]: the only module that speaks the Bot API: polling or the webhook into the inbox,
//!   handling updates, sending from the outbox.
//! - [`http`]: the HTTP listener (`ASUH_LISTEN`) that the webhook's route (and later others) is served on.
//! - [`web`]: the coordinators' dashboard (a Telegram Mini App) and its JSON API, on that listener.
//! - [`import`]: reading children and regions from CSV/XLSX files into validated records, row by row.
//! - [`report_files`]: a report as files: one XLSX workbook and a CSV per table, localized.
//! - [`jobs`]: the scheduler: expiring offers, planning deliveries, the delivery calendar, reminders.
//! - [`clock`]: where "now" comes from (the machine's, or shifted by `asuh tick --at`).
//! - [`i18n`]: texts from `locales/`, Indonesian first, English second.
//! - [`charts`]: charts drawn in-process into PNG (bundled fonts): the weekly programme chart.
//! - [`config`], [`app`], [`cli`]: settings, wiring, and the command line.

pub mod app;
pub mod callback;
pub mod charts;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod http;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod media;
pub mod outbound;
pub mod report_files;
pub mod services;
pub mod store;
pub mod telegram;
pub mod web;
