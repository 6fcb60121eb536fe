-- The coordinators' dashboard (a Telegram Mini App) and its meeting links.
-- A session begins when the Mini App's initData is checked; the browser holds a random token, the database
-- only its SHA-256. Short-lived: every request also checks the user's roles as they are then.
CREATE TABLE dashboard_sessions (
    token_hash  TEXT PRIMARY KEY,             -- hex SHA-256 of the bearer token
    user_id     BIGINT NOT NULL,
    lang        TEXT NOT NULL,                -- id | en, from the Telegram app's language
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_at);

-- A signed, read-only, time-limited link to the dashboard for the meeting's projector. The token itself
-- (id, expiry, HMAC) is never stored; revoking sets revoked_at.
CREATE TABLE meeting_links (
    id          BIGSERIAL PRIMARY KEY,
    created_by  BIGINT NOT NULL,
    region_code TEXT,                         -- NULL = the creator's whole area
    lang        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX meeting_links_of_creator ON meeting_links (created_by, expires_at);
