-- Maintenance mode (machine.maintenance-mode-changed.v1) and the software the agent reports
-- (machine.software-reported.v1).
ALTER TABLE machine ADD COLUMN maintenance BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE machine ADD COLUMN driver_version TEXT;
ALTER TABLE machine ADD COLUMN cuda_version TEXT;
