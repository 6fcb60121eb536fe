//! Background jobs that run inside `asuh run`: each is a `run_once(db, now)` that tests can call, and a
//! thin loop around it.

pub mod expiry;
