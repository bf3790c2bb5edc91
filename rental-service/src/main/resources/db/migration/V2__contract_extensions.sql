-- The end a host's extension gave the contract (from rental.contract-extended.v1).
ALTER TABLE instance ADD COLUMN extended_end_date TIMESTAMPTZ;
