-- Run once by the postgres image when its data volume is new (docker-entrypoint-initdb.d).
-- One database per service; each service migrates its own schema with Flyway at start-up.
CREATE DATABASE paystream_customer;
CREATE DATABASE paystream_payment;
CREATE DATABASE paystream_ledger;
CREATE DATABASE paystream_webhook;
CREATE DATABASE paystream_gateway;
