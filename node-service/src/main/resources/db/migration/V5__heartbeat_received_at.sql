-- When a machine's latest heartbeat reached a node-service replica: a replica that has not heard the
-- machine itself asks this before it says the machine went offline.
ALTER TABLE machine_heartbeat ADD COLUMN received_at TIMESTAMPTZ;
