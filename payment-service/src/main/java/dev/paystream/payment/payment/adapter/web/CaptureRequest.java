package dev.paystream.payment.payment.adapter.web;

/** The optional body of {@code POST /v1/payments/{id}/capture}: without an amount, everything capturable is captured. */
public record CaptureRequest(Long amount) {
}
