-- Reliability (the history it is computed from, and the last score published), verification,
-- performance (table estimate or benchmark), audit flags and GPU faults, from gpumarket.machines.
ALTER TABLE machine ADD COLUMN health TEXT;
ALTER TABLE machine ADD COLUMN reliability_ppm BIGINT;
ALTER TABLE machine ADD COLUMN uptime_ppm BIGINT;
ALTER TABLE machine ADD COLUMN failed_starts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE machine ADD COLUMN rental_disconnects INTEGER NOT NULL DEFAULT 0;
ALTER TABLE machine ADD COLUMN verification TEXT NOT NULL DEFAULT 'unverified';
ALTER TABLE machine ADD COLUMN verification_since TIMESTAMPTZ;
ALTER TABLE machine ADD COLUMN verification_reason TEXT;
ALTER TABLE machine ADD COLUMN dlperf_centi BIGINT;
ALTER TABLE machine ADD COLUMN benchmark_centi BIGINT;
ALTER TABLE machine ADD COLUMN benchmark_within_range BOOLEAN;
ALTER TABLE machine ADD COLUMN benchmark_at TIMESTAMPTZ;
ALTER TABLE machine ADD COLUMN audit_reason TEXT;
ALTER TABLE machine ADD COLUMN audit_at TIMESTAMPTZ;
ALTER TABLE machine ADD COLUMN faulted_gpus TEXT NOT NULL DEFAULT '{}';

-- Announced maintenance windows (machine.maintenance-scheduled.v1).
CREATE TABLE maintenance_window (
    id          TEXT PRIMARY KEY,
    machine_id  TEXT NOT NULL,
    start_at    TIMESTAMPTZ NOT NULL,
    end_at      TIMESTAMPTZ NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX maintenance_window_machine ON maintenance_window (machine_id, start_at);

-- The last heartbeat of each machine (gpumarket.heartbeats) and how many were counted; the
-- (boot, seq) window makes a heartbeat written twice count once.
CREATE TABLE machine_heartbeat (
    machine_id   TEXT PRIMARY KEY,
    boot_id      TEXT NOT NULL,
    max_seq      BIGINT NOT NULL,
    seen_mask    BIGINT NOT NULL,
    beats        BIGINT NOT NULL,
    sampled_at   TIMESTAMPTZ NOT NULL,
    gpus         TEXT NOT NULL,
    disk_free_gb BIGINT,
    running      TEXT NOT NULL,
    traffic      TEXT NOT NULL
);
