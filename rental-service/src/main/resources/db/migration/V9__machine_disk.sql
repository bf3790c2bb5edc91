-- The machine's disk, so a rental asking more than it has is refused at once (422).
ALTER TABLE rentable_machine ADD COLUMN disk_gb INTEGER;
