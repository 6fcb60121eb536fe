-- A fresh programme always has a working plan: the national programme's monthly food package, delivered by the
-- sponsor on the 1st of each month, as the programme's default (region_code ''). Programmes that already set up
-- packages, cadences or a default keep theirs.
INSERT INTO packages (name, items, created_at)
SELECT 'Paket bulanan',
       '[{"name":"beras","quantity":"5","unit":"kg"},{"name":"telur","quantity":"30","unit":"butir"},{"name":"susu","quantity":"2","unit":"kotak"}]',
       0
WHERE NOT EXISTS (SELECT 1 FROM packages);

INSERT INTO cadences (name, spec, created_at)
SELECT 'Bulanan', 'monthly:1', 0
WHERE NOT EXISTS (SELECT 1 FROM cadences);

INSERT INTO plan_defaults (region_code, package_id, cadence_id, deliverer, updated_at)
SELECT '', p.id, c.id, 'sponsor', 0
FROM packages p, cadences c
WHERE p.name = 'Paket bulanan' AND c.name = 'Bulanan'
  AND NOT EXISTS (SELECT 1 FROM plan_defaults WHERE region_code = '');
