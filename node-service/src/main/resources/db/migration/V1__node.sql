-- Machines as gpumarket.machines says.
CREATE TABLE machine (
    id              TEXT PRIMARY KEY,
    host_account_id TEXT NOT NULL,
    spec            TEXT NOT NULL,
    checks          TEXT NOT NULL,
    agent_token_hash TEXT NOT NULL,
    online          BOOLEAN NOT NULL,
    registered_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX machine_host ON machine (host_account_id);

-- Listing terms while a machine is listed (gpumarket.offers).
CREATE TABLE machine_listing (
    machine_id  TEXT PRIMARY KEY,
    terms       TEXT NOT NULL
);

-- Work for host agents (gpumarket.rentals), and the agents' reports on it (gpumarket.machines):
-- pending is work without a report. Kept apart so any interleaving of the two topics agrees.
CREATE TABLE host_work (
    work_id     TEXT PRIMARY KEY,
    machine_id  TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    message     TEXT NOT NULL,
    partition_  INTEGER NOT NULL,
    log_offset  BIGINT NOT NULL
);
CREATE INDEX host_work_machine ON host_work (machine_id);

CREATE TABLE work_report (
    work_id     TEXT PRIMARY KEY
);
