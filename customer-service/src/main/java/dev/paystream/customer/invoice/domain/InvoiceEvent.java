package dev.paystream.customer.invoice.domain;

import java.time.Instant;
import java.util.List;

/**
 * The facts of an invoice's life. They are immutable and only ever appended; the state of an invoice
 * is what {@link Invoice#evolve} makes of them, in order. Each changes what it names and nothing else:
 * a payment that completes the amount is {@link InvoicePaymentApplied} (the amounts) followed by
 * {@link InvoicePaid} (the status).
 *
 * <p>Whatever must handle every kind of event — evolving the state, storing it, mapping it to the
 * public contract — is a {@link Visitor}: a new kind of event does not compile until each handles it.
 */
public sealed interface InvoiceEvent {

    InvoiceId invoiceId();

    Instant occurredAt();

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of event. */
    interface Visitor<R> {
        R created(InvoiceCreated event);

        R updated(InvoiceUpdated event);

        R paymentApplied(InvoicePaymentApplied event);

        R paymentReversed(InvoicePaymentReversed event);

        R paid(InvoicePaid event);

        R reopened(InvoiceReopened event);

        R voided(InvoiceVoided event);
    }

    /** A merchant invoiced its customer {@code customerId} for {@code terms}; the invoice is open. */
    record InvoiceCreated(InvoiceId invoiceId, String merchantId, String customerId, InvoiceTerms terms, Instant occurredAt)
            implements InvoiceEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.created(this);
        }
    }

    /** The merchant changed the {@code updatedFields} of the terms, while nothing was paid; {@code terms} are the new ones. */
    record InvoiceUpdated(InvoiceId invoiceId, InvoiceTerms terms, List<InvoiceField> updatedFields, Instant occurredAt)
            implements InvoiceEvent {

        public InvoiceUpdated {
            updatedFields = List.copyOf(updatedFields);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.updated(this);
        }
    }

    /** The capture of payment {@code paymentId} paid {@code amount} of the invoice. */
    record InvoicePaymentApplied(InvoiceId invoiceId, String paymentId, Money amount, Instant occurredAt) implements InvoiceEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.paymentApplied(this);
        }
    }

    /** Refund {@code refundId} of payment {@code paymentId} took {@code amount} back from what was paid. */
    record InvoicePaymentReversed(InvoiceId invoiceId, String paymentId, String refundId, Money amount, Instant occurredAt)
            implements InvoiceEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.paymentReversed(this);
        }
    }

    /** The capture of payment {@code paymentId} made what was paid reach the amount. */
    record InvoicePaid(InvoiceId invoiceId, String paymentId, Instant occurredAt) implements InvoiceEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.paid(this);
        }
    }

    /** Refund {@code refundId} of payment {@code paymentId} left a paid invoice short of its amount: it is open again. */
    record InvoiceReopened(InvoiceId invoiceId, String paymentId, String refundId, Instant occurredAt) implements InvoiceEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.reopened(this);
        }
    }

    /** The merchant voided the invoice, open and with nothing paid; it stays void. */
    record InvoiceVoided(InvoiceId invoiceId, Instant occurredAt) implements InvoiceEvent {

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.voided(this);
        }
    }
}
