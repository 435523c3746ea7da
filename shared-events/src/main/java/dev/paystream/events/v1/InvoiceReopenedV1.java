package dev.paystream.events.v1;

/** {@code invoice.reopened}: refund {@code refund_id} of payment {@code payment_id} made a paid invoice {@code open} again. */
public record InvoiceReopenedV1(String paymentId, String refundId, InvoiceV1 invoice) {
}
