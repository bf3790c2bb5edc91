-- Instances as the log tells their story. Each topic fills its own columns (request, refusal,
-- placement, status by the machine's seq, cost), so any interleaving of topics gives the same row.
CREATE TABLE instance (
    id              TEXT PRIMARY KEY,
    account_id      TEXT,
    machine_id      TEXT,
    offer_id        TEXT,
    label           TEXT,
    num_gpus        INTEGER,
    image           TEXT,
    created_at      TIMESTAMPTZ,
    end_date        TIMESTAMPTZ,
    price_per_hour  BIGINT,
    refusal         TEXT,
    refusal_reason  TEXT,
    placed          BOOLEAN NOT NULL DEFAULT false,
    status          TEXT,
    status_reason   TEXT,
    status_seq      BIGINT NOT NULL DEFAULT 0,
    cost_so_far     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX instance_account ON instance (account_id, created_at);

-- Ledger charges already added to an instance's cost.
CREATE TABLE instance_charge (
    entry_id    TEXT PRIMARY KEY
);

-- What can be rented: machines with their listing, and the offer ids of each chunk size.
CREATE TABLE rentable_machine (
    machine_id      TEXT PRIMARY KEY,
    host_account_id TEXT,
    gpu_count       INTEGER NOT NULL,
    listed          BOOLEAN NOT NULL,
    gpu_price       BIGINT,
    storage_price   BIGINT,
    bandwidth_price BIGINT,
    min_gpus        INTEGER,
    end_date        TIMESTAMPTZ
);

CREATE TABLE offer_ref (
    offer_id    TEXT PRIMARY KEY,
    machine_id  TEXT NOT NULL,
    num_gpus    INTEGER NOT NULL
);

-- SSH public keys of accounts, to put into their instances.
CREATE TABLE account_ssh_key (
    key_id      TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    public_key  TEXT NOT NULL
);
