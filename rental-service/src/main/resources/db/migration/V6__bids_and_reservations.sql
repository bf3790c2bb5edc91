-- Interruptible bids and reserved terms: the listing's minimum bid and maximum reserved discount,
-- and per instance its rental type, and a reserved one's term and prepayment.
ALTER TABLE rentable_machine ADD COLUMN min_bid BIGINT;
ALTER TABLE rentable_machine ADD COLUMN reserved_discount_max_bps INTEGER;
ALTER TABLE instance ADD COLUMN rental_type TEXT;
ALTER TABLE instance ADD COLUMN reserved_months INTEGER;
ALTER TABLE instance ADD COLUMN reserved_discount_bps INTEGER;
ALTER TABLE instance ADD COLUMN reserved_until TIMESTAMPTZ;
ALTER TABLE instance ADD COLUMN prepaid BIGINT;
ALTER TABLE instance ADD COLUMN bid BIGINT;
ALTER TABLE instance ADD COLUMN bid_meter INTEGER NOT NULL DEFAULT 0;
-- the machine's CPU cores and RAM, for each instance's proportional share
ALTER TABLE rentable_machine ADD COLUMN cpu_cores INTEGER;
ALTER TABLE rentable_machine ADD COLUMN ram_gb INTEGER;
