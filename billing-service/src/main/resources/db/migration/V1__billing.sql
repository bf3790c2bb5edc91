-- Accounts and keys, projected from gpumarket.accounts.
CREATE TABLE account (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL,
    version     BIGINT NOT NULL
);

CREATE TABLE api_key (
    key_id      TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,
    read_only   BOOLEAN NOT NULL,
    revoked     BOOLEAN NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_key_account ON api_key (account_id);

CREATE TABLE ssh_key (
    key_id      TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    name        TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX ssh_key_account ON ssh_key (account_id);

-- The ledger and balances, projected from gpumarket.ledger. position orders entries as the log does.
CREATE TABLE ledger_entry (
    entry_id    TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    instance_id TEXT,
    machine_id  TEXT,
    at          TIMESTAMPTZ NOT NULL,
    partition_  INTEGER NOT NULL,
    log_offset  BIGINT NOT NULL
);
CREATE INDEX ledger_entry_account ON ledger_entry (account_id, at DESC, entry_id);

CREATE TABLE balance (
    account_id  TEXT PRIMARY KEY,
    micros      BIGINT NOT NULL
);
