-- Receiving with several replicas: who handles a chat's updates now. One process at a time per chat, for a
-- lease that it renews before each update; a process that dies leaves the chat to another when it ends.
CREATE TABLE inbox_claims (
    chat_id     BIGINT PRIMARY KEY,          -- 0 for updates without a chat
    owner       TEXT NOT NULL,               -- host/pid/random of the process
    lease_until BIGINT NOT NULL
);
-- A chat's next updates.
CREATE INDEX inbox_chat_pending ON inbox (chat_id, update_id) WHERE processed_at IS NULL;
