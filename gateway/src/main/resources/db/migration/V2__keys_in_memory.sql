-- The keys moved into memory (KeysProjection, rebuilt from the log at every start).
DROP TABLE gateway_key;
DROP TABLE gateway_account;
DELETE FROM projection_offset WHERE projection = 'gateway-keys';
