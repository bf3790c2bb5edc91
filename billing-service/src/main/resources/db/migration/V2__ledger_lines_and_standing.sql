-- The ledger as readable lines: usage postings grouped per instance, kind and minute (amounts
-- summed, entries counted), every other entry (deposit, payout) a line of its own keyed by its
-- entry id. Balances stay exact: they are the sum of all lines.
DROP TABLE ledger_entry;
CREATE TABLE ledger_line (
    line_id     TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    amount      BIGINT NOT NULL,
    entries     INTEGER NOT NULL,
    instance_id TEXT,
    machine_id  TEXT
);
CREATE INDEX ledger_line_account ON ledger_line (account_id, at DESC, line_id DESC);

-- An account's standing, projected from gpumarket.accounts.
ALTER TABLE account ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE account ADD COLUMN suspended_at TIMESTAMPTZ;
ALTER TABLE account ADD COLUMN low_balance_at TIMESTAMPTZ;

-- Weekly payout runs that finished: one row per cutoff.
CREATE TABLE payout_run (
    cutoff      TIMESTAMPTZ PRIMARY KEY,
    hosts_paid  INTEGER NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL
);
