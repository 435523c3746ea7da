package dev.paystream.payment.payment.adapter.web;

/** The optional body of {@code POST /v1/payments/{id}/refunds}: without an amount, all that is refundable is refunded. */
public record RefundRequest(Long amount, String reason) {
}
