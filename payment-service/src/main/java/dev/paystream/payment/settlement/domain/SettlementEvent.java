package dev.paystream.payment.settlement.domain;

import java.time.Instant;

/** The facts of a settlement batch, immutable and only ever appended. */
public sealed interface SettlementEvent {

    SettlementId settlementId();

    Instant occurredAt();

    <R> R accept(Visitor<R> visitor);

    interface Visitor<R> {
        R completed(SettlementCompleted event);
    }

    /**
     * The batch of {@code merchantId}'s payments and refunds in {@code currency} was settled with these
     * {@code totals}: its net moved from the pending to the available balance, its fees went to fees.
     */
    record SettlementCompleted(SettlementId settlementId, String merchantId, String currency, SettlementTotals totals, Instant occurredAt)
            implements SettlementEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.completed(this);
        }
    }
}
