-- Growth monitoring: every WHO z-score of a measurement, the arm circumference, corrections of a day's
-- measurement, and the coordinators' graduation decisions.

-- z-scores × 1000, rounded; NULL where the measurement does not allow one (no weight, a length outside
-- the weight-for-length/height table). haz_milli (0002) stays the height-for-age z-score.
ALTER TABLE measurements ADD COLUMN waz_milli BIGINT;
ALTER TABLE measurements ADD COLUMN whz_milli BIGINT;
ALTER TABLE measurements ADD COLUMN baz_milli BIGINT;
-- Mid-upper arm circumference, in mm.
ALTER TABLE measurements ADD COLUMN muac_mm BIGINT;
-- Set when the day's measurement was corrected (the same child and day entered again).
ALTER TABLE measurements ADD COLUMN updated_at BIGINT;

-- A child left stunting on two measurements in a row while sponsored: the coordinators are asked whether to
-- end the sponsorship or keep it. One row per sponsorship and measurement that completed the two, so the
-- same measurement (imported twice, corrected) never asks twice; decision NULL = not answered yet.
CREATE TABLE graduations (
    id             BIGSERIAL PRIMARY KEY,
    sponsorship_id BIGINT NOT NULL REFERENCES sponsorships (id),
    child_id       BIGINT NOT NULL REFERENCES children (id),
    measured_on    TEXT NOT NULL,
    haz_milli      BIGINT NOT NULL,
    asked_at       BIGINT NOT NULL,
    decision       TEXT CHECK (decision IN ('end', 'keep')),
    decided_by     BIGINT,
    decided_at     BIGINT,
    UNIQUE (sponsorship_id, measured_on)
);
CREATE INDEX graduations_of_child ON graduations (child_id);

-- A coordinator's list of measurements is an import job of its own kind.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check
    CHECK (kind IN ('children', 'regions', 'measurements'));
