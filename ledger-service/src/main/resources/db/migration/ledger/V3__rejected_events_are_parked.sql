-- The ledger consumes through the platform's idempotent consumer (ADR 0004), named 'ledger-payments'
-- (PaymentEventsHandler.CONSUMER).

-- Its claims: V0_6 gave the claims made before it the empty consumer name.
UPDATE processed_events SET consumer = 'ledger-payments' WHERE consumer = '';

-- Events the posting rules reject are now parked by the consumer, with the other records it cannot
-- apply, instead of being kept in rejected_events. The rows kept so far move to parked_events; their
-- value was never kept, so they cannot be re-driven: replay their offset instead.
INSERT INTO parked_events (id, consumer, topic, record_partition, record_offset, record_key, event_id, event_type, merchant_id,
                           payload, failure_code, failure_message, parked_at)
SELECT 'pe_' || lpad(to_hex((extract(epoch FROM r.rejected_at) * 1000)::bigint), 12, '0') || substr(md5(r.event_id), 1, 12),
       'ledger-payments',
       coalesce(o.parts[1], r.origin),
       coalesce(o.parts[2]::integer, -1),
       coalesce(o.parts[3]::bigint, -row_number() OVER (ORDER BY r.rejected_at, r.event_id)),
       NULL, r.event_id, r.event_type, r.merchant_id, NULL, 'refused', r.reason, r.rejected_at
FROM rejected_events r, LATERAL (SELECT regexp_match(r.origin, '^(.+)-([0-9]+)@([0-9]+)$') AS parts) AS o
ON CONFLICT DO NOTHING;

DROP TABLE rejected_events;

-- The old name and columns, for queries written against the table: the ledger's refusals among its
-- parked events.
CREATE VIEW rejected_events AS
SELECT event_id, event_type, merchant_id, failure_message AS reason,
       topic || '-' || record_partition || '@' || record_offset AS origin, parked_at AS rejected_at
FROM parked_events
WHERE consumer = 'ledger-payments' AND failure_code = 'refused';
