package dev.paystream.payment.settlement.application;

import dev.paystream.payment.settlement.domain.SettlementId;

/** Lines were refused because the batch is completing or completed already (another run of it got there first). */
public final class SettlementClosed extends RuntimeException {

    public SettlementClosed(SettlementId id, Throwable cause) {
        super("settlement " + id + " takes no more lines", cause);
    }
}
