-- Asynchronous completions run on the platform's work queue (work_items, queue payment-completions):
-- the payments still waiting move there with their due time, and their own table goes.
INSERT INTO work_items (queue, item_key, payload, due_at)
SELECT 'payment-completions', payment_id, merchant_id, due_at FROM pending_completions
ON CONFLICT DO NOTHING;

DROP TABLE pending_completions;
