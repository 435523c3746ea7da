package dev.paystream.payment.payment.domain;

/**
 * An invoice as a payment against it is checked (CONTRACT §5): the terms its customer-service owner
 * published, and what this service's own payments already hold against it ({@code amountHeld}:
 * processing, authorized, and captured but not refunded). Knowing its own payments, this service can
 * refuse the one that would overpay even when two race.
 */
public record InvoiceTerms(String invoiceId, String customerId, String currencyCode, long amount, String status, long amountHeld) {

    public static final String OPEN = "open";

    /** What a new payment may still take. */
    public long amountDue() {
        return Math.max(0, amount - amountHeld);
    }
}
