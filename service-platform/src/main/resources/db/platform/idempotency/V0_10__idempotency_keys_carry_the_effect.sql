-- Idempotency keys record the effect of their request in the same statement as the effect itself
-- (docs/adr/0002): claim_token identifies the claim a write must still hold, effect the id of what
-- the request created or changed. A retry whose first answer was lost finds the effect instead of
-- making a second one.
--
-- Every record made so far is purged: their request_fingerprint was an unkeyed SHA-256 of bodies
-- holding card numbers and CVCs, which brand, last4 and expiry in response_body made reversible.
-- New fingerprints are HMACs over the body without card.number and card.cvc.
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys ADD COLUMN claim_token TEXT, ADD COLUMN effect TEXT;

-- Secrets a service generates for itself when the deployment gives none (the fingerprint key).
CREATE TABLE platform_secrets (
    name       TEXT PRIMARY KEY,
    value      BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
