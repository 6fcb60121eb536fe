-- Delivery schedules: the programme's packages and cadences, defaults per regency/city, the dated deliveries
-- of each sponsorship with their next reminder, and the pacing shared by every process that sends.

CREATE TABLE packages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    items      TEXT NOT NULL,                    -- JSON [{"name": "beras", "quantity": "5", "unit": "kg"}]
    created_by BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE cadences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    spec       TEXT NOT NULL UNIQUE,             -- domain::schedule::Cadence, e.g. 'biweekly:mon'
    created_by BIGINT,
    created_at BIGINT NOT NULL
);

-- What a new sponsorship gets: the regency/city's default, else the programme's (region_code '').
CREATE TABLE plan_defaults (
    region_code TEXT PRIMARY KEY,
    package_id  BIGINT NOT NULL REFERENCES packages (id),
    cadence_id  BIGINT NOT NULL REFERENCES cadences (id),
    deliverer   TEXT NOT NULL CHECK (deliverer IN ('sponsor', 'volunteer')),
    updated_by  BIGINT,
    updated_at  BIGINT NOT NULL
);

ALTER TABLE sponsorships ADD COLUMN package_id BIGINT REFERENCES packages (id);
ALTER TABLE sponsorships ADD COLUMN cadence_id BIGINT REFERENCES cadences (id);
ALTER TABLE sponsorships ADD COLUMN deliverer TEXT;
ALTER TABLE sponsorships ADD COLUMN planned_until TEXT;  -- deliveries exist up to this local date (YYYY-MM-DD)
CREATE INDEX sponsorships_planning ON sponsorships (status, planned_until);

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    sponsorship_id   BIGINT NOT NULL REFERENCES sponsorships (id),
    child_id         BIGINT NOT NULL REFERENCES children (id),
    sponsor_id       BIGINT NOT NULL,
    slot             TEXT NOT NULL,              -- the cadence's date; a reschedule keeps it
    due_on           TEXT NOT NULL,              -- the local date it is due
    due_at           BIGINT NOT NULL,            -- local midnight of due_on in UTC ms: the calendar keys off it
    package_id       BIGINT NOT NULL REFERENCES packages (id),
    deliverer        TEXT NOT NULL CHECK (deliverer IN ('sponsor', 'volunteer')),
    status           TEXT NOT NULL CHECK (status IN ('scheduled', 'due', 'overdue', 'confirmed', 'missed', 'skipped', 'cancelled')),
    next_step        TEXT,                       -- the next reminder step (domain::schedule::Step key)
    next_reminder_at BIGINT,                     -- when it fires; NULL once no reminder is left
    reason           TEXT,                       -- why it was skipped or cancelled
    rescheduled      BIGINT NOT NULL DEFAULT 0,  -- 1 once the sponsor moved it
    confirmed_at     BIGINT,
    confirmed_by     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
-- One live delivery per slot: planning twice, or two planners at once, never duplicates one.
CREATE UNIQUE INDEX deliveries_one_per_slot ON deliveries (sponsorship_id, slot) WHERE status <> 'cancelled';
CREATE INDEX deliveries_reminder_due ON deliveries (next_reminder_at) WHERE next_reminder_at IS NOT NULL;
CREATE INDEX deliveries_calendar ON deliveries (status, due_at);
CREATE INDEX deliveries_of_sponsor ON deliveries (sponsor_id, due_at);
CREATE INDEX deliveries_of_child ON deliveries (child_id, due_at);

-- Every sender (the bot and any workers) takes its turn from here: 'global' paces all messages, 'chat:<id>'
-- one chat, so the Telegram limits hold across processes.
CREATE TABLE send_pace (
    pace_key TEXT PRIMARY KEY,
    next_at  BIGINT NOT NULL
);
CREATE INDEX outbox_lease ON outbox (status, lease_until);
