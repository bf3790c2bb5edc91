-- The searchable market. Each source topic has its own table, so any interleaving of the topics
-- (a rebuild) gives the same rows: machines and health (gpumarket.machines), listings
-- (gpumarket.offers), GPUs held by instances (gpumarket.rentals). Search joins them.
CREATE TABLE market_machine (
    id                    TEXT PRIMARY KEY,
    host_account_id       TEXT NOT NULL,
    gpu_model             TEXT NOT NULL,
    gpu_count             INTEGER NOT NULL,
    gpu_ram_gb            INTEGER NOT NULL,
    cpu_cores             INTEGER NOT NULL,
    ram_gb                INTEGER NOT NULL,
    disk_gb               INTEGER NOT NULL,
    region                TEXT NOT NULL,
    inet_up_mbps          INTEGER NOT NULL,
    inet_down_mbps        INTEGER NOT NULL,
    failed_checks         TEXT,
    online                BOOLEAN NOT NULL
);

CREATE TABLE market_listing (
    machine_id            TEXT PRIMARY KEY,
    listed                BOOLEAN NOT NULL,
    gpu_price             BIGINT NOT NULL,
    storage_price         BIGINT NOT NULL,
    bandwidth_price       BIGINT NOT NULL,
    min_gpus              INTEGER NOT NULL,
    min_bid               BIGINT NOT NULL,
    reserved_discount_bps INTEGER NOT NULL,
    end_date              TIMESTAMPTZ NOT NULL
);

-- GPUs held by instances: an allocation adds a row, its release removes it.
CREATE TABLE gpu_hold (
    instance_id TEXT PRIMARY KEY,
    machine_id  TEXT NOT NULL,
    gpus        INTEGER NOT NULL
);
CREATE INDEX gpu_hold_machine ON gpu_hold (machine_id);

-- Releases seen, so a release replayed before its allocation still cancels it.
CREATE TABLE gpu_release (
    instance_id TEXT PRIMARY KEY
);
