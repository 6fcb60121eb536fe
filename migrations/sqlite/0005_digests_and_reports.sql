-- Coordinator digests and reports: when each coordinator's digests are due, the sponsors' monthly notes
-- already sent, report files being built, and the indexes the area queries need.

-- One row per coordinator and kind of digest. `cron` is the schedule in the coordinator's zone; NULL turns it
-- off (and `next_at` with it). A pass sends a digest only by moving `next_at` on from the value it read.
CREATE TABLE digest_schedules (
    user_id      BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('daily', 'weekly')),
    cron         TEXT,
    next_at      BIGINT,
    last_sent_at BIGINT,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE INDEX digest_schedules_due ON digest_schedules (next_at) WHERE next_at IS NOT NULL;

-- A sponsor's note about one month: the row is the claim, so each note is queued once by one process.
CREATE TABLE sponsor_notes (
    sponsor_id BIGINT NOT NULL,
    month      TEXT NOT NULL,                    -- YYYY-MM the note is about
    created_at BIGINT NOT NULL,
    PRIMARY KEY (sponsor_id, month)
);

-- A report asked for in the chat, built by the report worker and sent as documents.
CREATE TABLE report_jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id      BIGINT NOT NULL,
    requested_by BIGINT NOT NULL,
    region_code  TEXT,                           -- NULL = the whole programme
    from_date    TEXT NOT NULL,                  -- YYYY-MM-DD, inclusive
    to_date      TEXT NOT NULL,                  -- YYYY-MM-DD, inclusive
    status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    lease_until  BIGINT,
    error        TEXT,
    created_at   BIGINT NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX report_jobs_ready ON report_jobs (status, id);

-- Area queries (digests, reports) select children by a range of kecamatan codes, then their deliveries.
CREATE INDEX children_by_area ON children (kecamatan_code, village_code);
CREATE INDEX sponsors_by_office ON sponsors (office_id);

-- Reports: every confirmation of a delivery (the partial unique index holds only those that say it arrived)
-- and every sponsorship of a child (the live ones' index leaves out ended and transferred ones).
CREATE INDEX confirmations_of_delivery ON confirmations (delivery_id);
CREATE INDEX sponsorships_of_child ON sponsorships (child_id);
-- A district's digest finds the confirmations since the last one through its own children.
CREATE INDEX confirmations_of_child ON confirmations (child_id, created_at);
