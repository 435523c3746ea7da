package dev.paystream.events.v1;

/**
 * {@code invoice.payment_applied}: a capture of payment {@code payment_id} paid {@code amount} of the
 * invoice; {@code invoice.amount_paid} is the running total.
 */
public record InvoicePaymentAppliedV1(String paymentId, long amount, String currency, InvoiceV1 invoice) {
}
