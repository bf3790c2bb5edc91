-- The market moved into memory (MarketProjection, rebuilt from the log at every start): its
-- tables and stored offsets are gone.
DROP TABLE gpu_release;
DROP TABLE gpu_hold;
DROP TABLE market_listing;
DROP TABLE market_machine;
DELETE FROM projection_offset WHERE projection = 'offer-market';
