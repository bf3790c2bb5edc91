-- How a running instance is reached: its launch mode, Jupyter token, and the host and ports its
-- agent published (from the agent's container reports).
ALTER TABLE instance ADD COLUMN launch_mode TEXT;
ALTER TABLE instance ADD COLUMN jupyter_token TEXT;
ALTER TABLE instance ADD COLUMN access_host TEXT;
ALTER TABLE instance ADD COLUMN ssh_port INTEGER;
ALTER TABLE instance ADD COLUMN jupyter_port INTEGER;
