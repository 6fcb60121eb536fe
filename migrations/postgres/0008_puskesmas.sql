-- The Puskesmas a child is registered with, as the health office's file names it (e-PPGBM's "Pukesmas").
ALTER TABLE children ADD COLUMN puskesmas TEXT;
