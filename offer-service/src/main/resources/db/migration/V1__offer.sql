-- Each machine as the market sees it: spec, health, listing terms and free GPUs.
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
    online                BOOLEAN NOT NULL,
    listed                BOOLEAN NOT NULL,
    gpu_price             BIGINT,
    storage_price         BIGINT,
    bandwidth_price       BIGINT,
    min_gpus              INTEGER,
    min_bid               BIGINT,
    reserved_discount_bps INTEGER,
    end_date              TIMESTAMPTZ,
    allocated_gpus        INTEGER NOT NULL
);

-- GPUs held by instances, so an allocation and its release each count once.
CREATE TABLE gpu_hold (
    instance_id TEXT PRIMARY KEY,
    machine_id  TEXT NOT NULL,
    gpus        INTEGER NOT NULL
);
