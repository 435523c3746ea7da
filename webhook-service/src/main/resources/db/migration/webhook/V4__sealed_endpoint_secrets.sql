-- Signing secrets sealed at rest (AES-256-GCM, the endpoint's id as associated data; SecretSealer).
-- The sealed columns replace the plain ones. The rows written before this migration are sealed at
-- startup, not here, because sealing needs the key, which SQL does not have (SecretsAtRest): the same
-- statement that writes a row's sealed secrets empties its plain columns, and nothing reads them any
-- more. The plain columns stay (nullable) for now rather than being dropped: a migration that dropped
-- them would run, on an upgrade from a version before this one, before the startup step could seal
-- them, and the secrets would be lost. A later version drops them, once every deployment has started
-- once with this one.
ALTER TABLE webhook_endpoints
    ADD COLUMN secret_sealed          BYTEA,
    ADD COLUMN previous_secret_sealed BYTEA,
    ALTER COLUMN secret DROP NOT NULL;

-- The sealing key, when PAYSTREAM_WEBHOOK_SECRET_KEY is not set (local mode), is generated once and kept in
-- platform_secrets as 'webhook_secret_key', like the idempotency fingerprint key.
