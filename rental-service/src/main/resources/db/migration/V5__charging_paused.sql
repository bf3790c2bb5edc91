-- Whether the machine has paused metering an instance (its owner is suspended): such an instance cannot be started.
ALTER TABLE instance ADD COLUMN charging_paused BOOLEAN NOT NULL DEFAULT false;
