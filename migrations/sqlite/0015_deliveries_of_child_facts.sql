-- A report or the dashboard reads a child's deliveries of a period through (child_id, due_at) and needs only
-- the facts a delivery's standing is decided by. With those in the index SQLite answers from the index
-- alone: a child's deliveries lie together there, while in the table each lies in a page of its own (they
-- are written day by day for every child at once). A regency's quarter, 50,000 deliveries: 100 → 31 ms.
-- (PostgreSQL keeps the narrow index: it writes a new entry in every index of a row whose status changes,
-- and a national programme's morning changes some 300,000.)
CREATE INDEX deliveries_of_child_facts
    ON deliveries (child_id, due_at, due_on, status, sponsorship_id, sponsor_id, deliverer, confirmed_at);
DROP INDEX deliveries_of_child;
