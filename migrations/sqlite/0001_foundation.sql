-- Foundation: users and their roles, regions, offices, invites, dialogues, and the durable inbox and outbox.
-- Times are Unix milliseconds (BIGINT) so that the same SQL serves SQLite and PostgreSQL.

CREATE TABLE users (
    id              BIGINT PRIMARY KEY,          -- Telegram user id, also the private chat id
    first_name      TEXT NOT NULL,
    username        TEXT,
    language        TEXT NOT NULL CHECK (language IN ('id', 'en')),
    language_chosen BIGINT NOT NULL DEFAULT 0,   -- 1 once the user picked it with /language
    unreachable_at  BIGINT,                      -- set when Telegram answers 403 (blocked, deactivated)
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,                -- Kemendagri code: 74, 74.71, 74.71.01, 74.71.01.1001
    parent_code TEXT,
    level       TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    name        TEXT NOT NULL,
    timezone    TEXT,                            -- IANA zone; inherited from the nearest ancestor that has one
    created_at  BIGINT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code, name);
CREATE INDEX regions_level ON regions (level, name);

CREATE TABLE offices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,             -- lower-cased name, so "Dinas Kesehatan" is not added twice
    created_at BIGINT NOT NULL
);

CREATE TABLE coordinators (
    user_id    BIGINT PRIMARY KEY,               -- no foreign key: ASUH_ADMINS may name someone who has not written yet
    scope_code TEXT,                             -- NULL = the whole deployment
    granted_by BIGINT,
    granted_at BIGINT NOT NULL
);

CREATE TABLE sponsors (
    user_id        BIGINT PRIMARY KEY REFERENCES users (id),
    full_name      TEXT NOT NULL,
    phone          TEXT NOT NULL,
    office_id      BIGINT REFERENCES offices (id),  -- NULL = community member
    kecamatan_code TEXT NOT NULL,
    village_code   TEXT,
    capacity       BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 20),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
    submitted_at   BIGINT NOT NULL,
    decided_by     BIGINT,
    decided_at     BIGINT
);
CREATE INDEX sponsors_status ON sponsors (status, kecamatan_code);

CREATE TABLE invites (
    code        TEXT PRIMARY KEY,
    region_code TEXT NOT NULL,
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    max_uses    BIGINT NOT NULL CHECK (max_uses > 0),
    uses        BIGINT NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
    revoked_at  BIGINT
);

CREATE TABLE volunteers (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id),
    region_code TEXT NOT NULL,
    invite_code TEXT REFERENCES invites (code),
    status      TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    joined_at   BIGINT NOT NULL
);
CREATE INDEX volunteers_region ON volunteers (status, region_code);

CREATE TABLE dialogues (
    user_id    BIGINT PRIMARY KEY,
    state      TEXT NOT NULL,                    -- JSON of domain::dialogue::Dialogue
    updated_at BIGINT NOT NULL
);

-- Every update from getUpdates is stored here before Telegram is told it arrived, and handled from here.
CREATE TABLE inbox (
    update_id    BIGINT PRIMARY KEY,
    chat_id      BIGINT,
    payload      TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    processed_at BIGINT,
    error        TEXT
);
CREATE INDEX inbox_pending ON inbox (processed_at, update_id);

-- Every message the bot sends goes through here, written in the transaction of the change that causes it.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dedup_key   TEXT UNIQUE,                     -- e.g. a reminder's (delivery, offset): enqueued once, ever
    chat_id     BIGINT NOT NULL,
    payload     TEXT NOT NULL,                   -- JSON of telegram::outbound::Outbound
    status      TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    not_before  BIGINT NOT NULL,
    lease_until BIGINT,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    message_id  BIGINT                           -- Telegram's id of the sent message, for later edits
);
CREATE INDEX outbox_ready ON outbox (status, not_before, id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       BIGINT NOT NULL,
    actor_id BIGINT,                             -- NULL = the server (CLI, ASUH_ADMINS)
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT
);
CREATE INDEX audit_log_subject ON audit_log (subject, at);
