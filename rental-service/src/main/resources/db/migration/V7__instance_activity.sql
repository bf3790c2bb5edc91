-- The activity log of each instance: its events as written on the log (rentals, status, and the
-- agent's container reports), keyed by event id. Services stamp events with their own clocks, some
-- to the second: entries are ordered by the second, then by their place in the flow within it
-- (request, admission, placement, inputs to the machine, the machine's decisions by its sequence,
-- notifications back), then by sequence and id.
CREATE TABLE instance_event (
    event_id    TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    second      TIMESTAMPTZ NOT NULL,
    rank        SMALLINT NOT NULL,
    seq         BIGINT NOT NULL,
    type        TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX instance_event_order ON instance_event (instance_id, second, rank, seq, event_id);
