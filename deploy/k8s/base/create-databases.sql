-- one database per service (each migrates its own schema with Flyway at start); used by the
-- Kubernetes base (postgres-init ConfigMap) and by docker-compose.yml
CREATE DATABASE billing;
CREATE DATABASE node;
CREATE DATABASE offer;
CREATE DATABASE rental;
CREATE DATABASE gateway;
