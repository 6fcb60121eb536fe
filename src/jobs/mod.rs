//! Background work, all driven by one scheduler: a pass (`scheduler::tick`) expires unanswered offers,
//! extends delivery plans, moves deliveries along the calendar and sends the reminders that are due. The
//! pass takes its time from a `Clock`, so `asuh tick --at` and the tests can run it as of any moment.

pub mod expiry;
pub mod reminders;
pub mod scheduler;
