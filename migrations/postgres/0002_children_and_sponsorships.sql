-- Children, their measurements, and the sponsorships that pair them with sponsors.

CREATE TABLE children (
    id             BIGSERIAL PRIMARY KEY,
    full_name      TEXT NOT NULL,
    sex            TEXT NOT NULL CHECK (sex IN ('m', 'f')),
    birth_date     TEXT NOT NULL,                 -- YYYY-MM-DD
    guardian_name  TEXT NOT NULL,
    guardian_phone TEXT,
    address        TEXT,
    kecamatan_code TEXT NOT NULL,
    village_code   TEXT,
    posyandu       TEXT,
    nik            TEXT UNIQUE,
    identity_key   TEXT NOT NULL UNIQUE,          -- folded name + birth date + guardian: a child without NIK
    fingerprint    TEXT NOT NULL,                 -- the imported fields: a re-import of the same row changes nothing
    notes          TEXT,
    status         TEXT NOT NULL CHECK (status IN ('unmatched', 'matched', 'graduated', 'moved', 'deceased')),
    close_reason   TEXT,
    haz_milli      BIGINT,                        -- latest height-for-age z-score × 1000, for the matcher
    waiting_since  BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX children_area ON children (status, kecamatan_code, village_code);
CREATE INDEX children_name ON children (full_name);

CREATE TABLE measurements (
    id          BIGSERIAL PRIMARY KEY,
    child_id    BIGINT NOT NULL REFERENCES children (id),
    measured_on TEXT NOT NULL,
    length_mm   BIGINT NOT NULL,
    position    TEXT NOT NULL CHECK (position IN ('lying', 'standing')),
    weight_g    BIGINT,
    haz_milli   BIGINT,
    source      TEXT NOT NULL,                    -- 'import', 'volunteer'
    recorded_by BIGINT,
    created_at  BIGINT NOT NULL,
    UNIQUE (child_id, measured_on)
);

-- What an office commits its sponsors to; NULL = the programme default (6 months, Rp 500,000 a month).
ALTER TABLE offices ADD COLUMN months BIGINT;
ALTER TABLE offices ADD COLUMN monthly_amount BIGINT;

CREATE TABLE sponsorships (
    id             BIGSERIAL PRIMARY KEY,
    child_id       BIGINT NOT NULL REFERENCES children (id),
    sponsor_id     BIGINT NOT NULL REFERENCES users (id),
    status         TEXT NOT NULL CHECK (status IN ('proposed', 'held', 'active', 'declined', 'expired', 'ended', 'transferred')),
    origin         TEXT NOT NULL CHECK (origin IN ('match', 'manual', 'request', 'transfer')),
    proposed_at    BIGINT NOT NULL,
    expires_at     BIGINT,
    decided_at     BIGINT,
    started_at     BIGINT,
    ended_at       BIGINT,
    end_reason     TEXT,
    months         BIGINT NOT NULL,
    monthly_amount BIGINT NOT NULL,
    created_by     BIGINT
);
-- A child never has two live sponsorships (a proposal, a hold or an active one).
CREATE UNIQUE INDEX sponsorships_one_live_per_child ON sponsorships (child_id) WHERE status IN ('proposed', 'held', 'active');
CREATE INDEX sponsorships_sponsor ON sponsorships (sponsor_id, status);
CREATE INDEX sponsorships_expiry ON sponsorships (status, expires_at);

CREATE TABLE import_jobs (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('children', 'regions')),
    chat_id       BIGINT NOT NULL,
    requested_by  BIGINT NOT NULL,
    file_id       TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts      BIGINT NOT NULL DEFAULT 0,
    lease_until   BIGINT,
    report        TEXT,
    created_at    BIGINT NOT NULL,
    finished_at   BIGINT
);
CREATE INDEX import_jobs_ready ON import_jobs (status, id);
