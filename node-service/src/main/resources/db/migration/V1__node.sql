-- Machines as gpumarket.machines says.
CREATE TABLE machine (
    id              TEXT PRIMARY KEY,
    host_account_id TEXT NOT NULL,
    spec            TEXT NOT NULL,
    checks          TEXT NOT NULL,
    agent_token_hash TEXT NOT NULL,
    online          BOOLEAN NOT NULL,
    listing         TEXT,
    registered_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX machine_host ON machine (host_account_id);

-- Work for host agents (from gpumarket.rentals) until the agent has reported on it (gpumarket.machines).
CREATE TABLE host_work (
    work_id     TEXT PRIMARY KEY,
    machine_id  TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    message     TEXT NOT NULL,
    reported    BOOLEAN NOT NULL,
    partition_  INTEGER NOT NULL,
    log_offset  BIGINT NOT NULL
);
CREATE INDEX host_work_pending ON host_work (machine_id, reported);
