-- Confirmations of deliveries and the evidence behind them: photos kept by content hash, flags on suspect
-- evidence, and cases the coordinators must resolve. Regions may carry a point (the family's place is their
-- village's), so a photo taken far away can be flagged.

ALTER TABLE regions ADD COLUMN lat_e6 BIGINT;   -- microdegrees; NULL when unknown
ALTER TABLE regions ADD COLUMN lon_e6 BIGINT;

-- What someone on the ground reported about one delivery.
CREATE TABLE confirmations (
    id            BIGSERIAL PRIMARY KEY,
    delivery_id   BIGINT NOT NULL REFERENCES deliveries (id),
    child_id      BIGINT NOT NULL,
    by_user       BIGINT NOT NULL,
    by_role       TEXT NOT NULL CHECK (by_role IN ('sponsor', 'volunteer', 'coordinator')),
    outcome       TEXT NOT NULL CHECK (outcome IN ('full', 'partial', 'not_received')),
    missing       TEXT,                       -- items not received, one a line (outcome 'partial')
    problem       TEXT,                       -- why not received (domain::evidence::Problem)
    detail        TEXT,                       -- the problem in the volunteer's words
    note          TEXT,
    lat_e6        BIGINT,                     -- the place the sender shared with Telegram's location button
    lon_e6        BIGINT,
    photos        BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
-- A delivery is confirmed as received once; "not received" reports may come before (nobody home, came back).
CREATE UNIQUE INDEX confirmations_received_once ON confirmations (delivery_id) WHERE outcome <> 'not_received';
CREATE INDEX confirmations_recent ON confirmations (created_at);

-- One photo (or picture sent as a file) of a confirmation.
CREATE TABLE evidence (
    id              BIGSERIAL PRIMARY KEY,
    confirmation_id BIGINT NOT NULL REFERENCES confirmations (id),
    delivery_id     BIGINT NOT NULL,
    sent_by         BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,          -- when the bot got it
    file_id         TEXT NOT NULL,
    file_unique_id  TEXT NOT NULL,
    as_document     BIGINT NOT NULL DEFAULT 0, -- sent as a file: keeps its EXIF
    lat_e6          BIGINT,                   -- the place the sender shared
    lon_e6          BIGINT,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'refused', 'failed')),
    sha256          TEXT,                     -- of the stored bytes; also the file's name
    size            BIGINT,
    kind            TEXT,                     -- what the bytes are (domain::evidence::ImageKind)
    storage_key     TEXT,
    taken_at        TEXT,                     -- EXIF capture time, camera-local 'YYYY-MM-DD HH:MM:SS'
    exif_lat_e6     BIGINT,
    exif_lon_e6     BIGINT,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,                   -- the next download try (or the lease of the one running); NULL when done
    error           TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX evidence_download ON evidence (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX evidence_by_unique_id ON evidence (file_unique_id);
CREATE INDEX evidence_by_hash ON evidence (sha256);
CREATE INDEX evidence_of_delivery ON evidence (delivery_id);

-- Why a piece of evidence is suspect (domain::evidence::FlagKind), for the coordinators.
CREATE TABLE evidence_flags (
    id          BIGSERIAL PRIMARY KEY,
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    delivery_id BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    other_delivery BIGINT,                    -- reused photo: the delivery it was first used for
    km          BIGINT,
    days        BIGINT,
    created_at  BIGINT NOT NULL,
    UNIQUE (evidence_id, kind)
);
CREATE INDEX evidence_flags_recent ON evidence_flags (created_at);

-- A delivery that did not fully reach the family, until a coordinator resolves it.
CREATE TABLE cases (
    id              BIGSERIAL PRIMARY KEY,
    delivery_id     BIGINT NOT NULL REFERENCES deliveries (id),
    child_id        BIGINT NOT NULL,
    confirmation_id BIGINT NOT NULL REFERENCES confirmations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('partial', 'not_received')),
    status          TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    opened_by       BIGINT NOT NULL,
    opened_at       BIGINT NOT NULL,
    resolved_by     BIGINT,
    resolved_at     BIGINT,
    resolution      TEXT
);
CREATE INDEX cases_open ON cases (status, opened_at);
CREATE INDEX cases_of_child ON cases (child_id);
