package dev.paystream.events.v1;

/**
 * {@code invoice.payment_reversed}: refund {@code refund_id} of payment {@code payment_id} took
 * {@code amount} back from what was paid on the invoice; {@code invoice.amount_paid} is the running total.
 */
public record InvoicePaymentReversedV1(String paymentId, String refundId, long amount, String currency, InvoiceV1 invoice) {
}
