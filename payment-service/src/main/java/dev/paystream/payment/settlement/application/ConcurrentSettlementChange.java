package dev.paystream.payment.settlement.application;

import dev.paystream.payment.settlement.domain.SettlementId;

/**
 * Another writer changed what a settlement step read: a payment of the batch was refunded meanwhile, or
 * another run of the same batch wrote the same lines or completed it. The step is taken again on fresh state.
 */
public final class ConcurrentSettlementChange extends RuntimeException {

    public ConcurrentSettlementChange(SettlementId id, Throwable cause) {
        super("settlement " + id + ": what it read changed concurrently", cause);
    }
}
