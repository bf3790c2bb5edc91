-- Pending work is found through a partial index on the rows not reported on yet, so the agents'
-- work sweep costs what is pending, not everything ever issued.
ALTER TABLE host_work ADD COLUMN reported BOOLEAN NOT NULL DEFAULT false;
UPDATE host_work SET reported = true WHERE work_id IN (SELECT work_id FROM work_report);
CREATE INDEX host_work_pending ON host_work (machine_id) WHERE NOT reported;
