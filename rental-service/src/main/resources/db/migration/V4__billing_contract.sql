-- The GPU model goes into every contract (billing's fee by GPU class reads it).
ALTER TABLE rentable_machine ADD COLUMN gpu_model TEXT;
-- billing books each usage interval once, so cost so far needs no per-charge dedup table
DROP TABLE instance_charge;
