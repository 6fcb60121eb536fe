-- Lanes in the outbox: 0 answers a person's own action, 1 tells a person something (an approval, a case, an
-- offer), 2 is a batch (reminders, digests, monthly notes, report files). The sender claims a lower lane first;
-- within a lane by `turn`, a per-lane round number: a chat's next message in a lane takes the round after its
-- previous one, a chat with nothing queued joins the current round, so chats take turns.
ALTER TABLE outbox ADD COLUMN lane BIGINT NOT NULL DEFAULT 1;
ALTER TABLE outbox ADD COLUMN turn BIGINT NOT NULL DEFAULT 0;
-- What is ready to claim, in claim order (sent rows, the table's bulk, are not in it).
CREATE INDEX outbox_lane_ready ON outbox (lane, turn, id) WHERE status = 'pending';
-- A chat's open rows per lane: its next round, and whether an earlier row of the chat still waits.
CREATE INDEX outbox_chat_open ON outbox (chat_id, lane, id) WHERE status IN ('pending', 'sending');
-- Claimed rows whose lease may run out.
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE status = 'sending';
