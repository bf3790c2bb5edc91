-- Ledger lines and balances are summed into in place: leave room on each page so those updates are
-- heap-only (HOT, no index entries written), since no indexed column ever changes.
ALTER TABLE ledger_line SET (fillfactor = 50);
ALTER TABLE balance SET (fillfactor = 50);
