package dev.paystream.payment.payout.domain;

import java.time.Instant;

/**
 * The facts of a payout's life, immutable and only ever appended. Whatever must handle every kind
 * (evolving the state, mapping to the contract) is a {@link Visitor}, so a new kind does not compile
 * until each of them handles it.
 */
public sealed interface PayoutEvent {

    PayoutId payoutId();

    Instant occurredAt();

    <R> R accept(Visitor<R> visitor);

    interface Visitor<R> {
        R created(PayoutCreated event);

        R paid(PayoutPaid event);

        R failed(PayoutFailed event);
    }

    /** The amount was taken from the merchant's available balance to be paid out; the bank's answer follows. */
    record PayoutCreated(PayoutId payoutId, PayoutDetails details, Instant occurredAt) implements PayoutEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.created(this);
        }
    }

    /** The money reached the customer. */
    record PayoutPaid(PayoutId payoutId, Instant occurredAt) implements PayoutEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.paid(this);
        }
    }

    /** The bank refused the payout ({@code failureCode}); its amount is the merchant's again. */
    record PayoutFailed(PayoutId payoutId, String failureCode, Instant occurredAt) implements PayoutEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.failed(this);
        }
    }
}
