-- A delivery's next reminder lives apart from the delivery. The reminder pass moves tens of thousands of
-- them each morning (a million for a national programme); moving one here rewrites a narrow row and its two
-- index entries, where moving it on the delivery rewrote the whole row and all six of the delivery's indexes.
-- A row exists while a reminder is left: closing a delivery (confirmed, skipped, cancelled, missed) removes
-- it in the same transaction. Deliveries are never deleted.
CREATE TABLE delivery_reminders (
    delivery_id INTEGER PRIMARY KEY,  -- the delivery's id (the row id: one B-tree, no second index)
    step        TEXT NOT NULL,    -- the next reminder step (domain::schedule::Step key)
    next_at     BIGINT NOT NULL   -- when it fires (UTC ms)
);
CREATE INDEX delivery_reminders_due ON delivery_reminders (next_at);

INSERT INTO delivery_reminders (delivery_id, step, next_at)
    SELECT id, next_step, next_reminder_at FROM deliveries
    WHERE next_step IS NOT NULL AND next_reminder_at IS NOT NULL
      AND status IN ('scheduled', 'due', 'overdue');

DROP INDEX deliveries_reminder_due;
ALTER TABLE deliveries DROP COLUMN next_step;
ALTER TABLE deliveries DROP COLUMN next_reminder_at;
