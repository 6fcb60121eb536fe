//! Background work, all driven by one scheduler: a pass (`scheduler::tick`) expires unanswered offers,
//! extends delivery plans, moves deliveries along the calendar, sends the reminders that are due, the coordinators' digests and
//! the sponsors' monthly notes. The
//! pass takes its time from a `Clock`, so `asuh tick --at` and the tests can run it as of any moment.

pub mod digests;
pub mod expiry;
pub mod reminders;
pub mod reports;
pub mod scheduler;
