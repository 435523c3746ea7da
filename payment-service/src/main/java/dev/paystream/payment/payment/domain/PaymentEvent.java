package dev.paystream.payment.payment.domain;

import java.time.Instant;

/**
 * The facts of a payment's life. They are immutable and only ever appended; the state of a payment
 * is what {@link Payment#evolve} makes of them, in order.
 *
 * <p>Whatever must handle every kind of event — evolving the state, mapping to the public contract —
 * is a {@link Visitor}: a new kind of event does not compile until each of them handles it.
 */
public sealed interface PaymentEvent {

    PaymentId paymentId();

    Instant occurredAt();

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of event. */
    interface Visitor<R> {
        R processingStarted(PaymentProcessingStarted event);

        R authorized(PaymentAuthorized event);

        R declined(PaymentDeclined event);

        R failed(PaymentFailed event);

        R captured(PaymentCaptured event);

        R canceled(PaymentCanceled event);

        R refunded(PaymentRefunded event);

        R settled(PaymentSettled event);
    }

    /** An asynchronous payment (paypal, bank_transfer) was accepted and awaits the processor's answer. */
    record PaymentProcessingStarted(PaymentId paymentId, PaymentDetails details, Instant occurredAt) implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.processingStarted(this);
        }
    }

    /** The processor approved and holds the amount; nothing moved yet. */
    record PaymentAuthorized(PaymentId paymentId, PaymentDetails details, String authCode, Instant occurredAt)
            implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.authorized(this);
        }
    }

    /** The processor refused the payment; {@code declineCode} says why (e.g. {@code insufficient_funds}). */
    record PaymentDeclined(PaymentId paymentId, PaymentDetails details, String declineCode, Instant occurredAt)
            implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.declined(this);
        }
    }

    /** The processor could not process the payment; {@code failureCode} says why. Nothing is held. */
    record PaymentFailed(PaymentId paymentId, PaymentDetails details, String failureCode, Instant occurredAt)
            implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.failed(this);
        }
    }

    /** {@code amount} moved from the customer to the merchant; the rest of the authorization is released. */
    record PaymentCaptured(PaymentId paymentId, Money amount, Instant occurredAt) implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.captured(this);
        }
    }

    /** The authorization was released before any capture; {@code amountReleased} is what it held. */
    record PaymentCanceled(PaymentId paymentId, Money amountReleased, Instant occurredAt) implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.canceled(this);
        }
    }

    /** {@code amount} of the captured money went back to the customer, as refund {@code refundId}. */
    record PaymentRefunded(PaymentId paymentId, String refundId, Money amount, String reason, Instant occurredAt)
            implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.refunded(this);
        }
    }

    /**
     * The captured {@code amount} was settled in batch {@code settlementId} with fee {@code fee}: it moved
     * from the merchant's pending to its available balance (net of the fee) once the batch completed.
     */
    record PaymentSettled(PaymentId paymentId, String settlementId, Money amount, Money fee, Instant occurredAt) implements PaymentEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.settled(this);
        }
    }
}
