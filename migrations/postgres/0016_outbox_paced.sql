-- Whether a row is a new message, which Telegram's sending limits count and the sender paces (1), or an
-- edit or a menu, which goes unpaced (0). The sender lets unpaced requests take only some of its slots and,
-- while those are taken, claims paced rows only: a burst of edits no longer holds back the messages behind it.
ALTER TABLE outbox ADD COLUMN paced BIGINT NOT NULL DEFAULT 1;
UPDATE outbox SET paced = 0
    WHERE status IN ('pending', 'sending')
      AND (payload LIKE '{"kind":"edit"%' OR payload LIKE '{"kind":"commands"%' OR payload LIKE '{"kind":"menu_button"%');
