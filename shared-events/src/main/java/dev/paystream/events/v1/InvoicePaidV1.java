package dev.paystream.events.v1;

/** {@code invoice.paid}: the capture of payment {@code payment_id} made {@code amount_paid} reach the amount. */
public record InvoicePaidV1(String paymentId, InvoiceV1 invoice) {
}
