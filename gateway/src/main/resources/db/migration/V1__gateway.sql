-- API keys (hashes only) and the role of their account, from gpumarket.accounts.
CREATE TABLE gateway_account (
    id      TEXT PRIMARY KEY,
    role    TEXT NOT NULL
);

CREATE TABLE gateway_key (
    key_hash    TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL UNIQUE,
    account_id  TEXT NOT NULL,
    read_only   BOOLEAN NOT NULL,
    revoked     BOOLEAN NOT NULL
);
