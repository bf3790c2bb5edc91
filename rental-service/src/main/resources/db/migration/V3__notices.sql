-- Notices to renters (rental.notice-issued.v1): announced maintenance, GPU faults.
CREATE TABLE instance_notice (
    event_id    TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    start_at    TIMESTAMPTZ,
    end_at      TIMESTAMPTZ
);
CREATE INDEX instance_notice_instance ON instance_notice (instance_id, at);
