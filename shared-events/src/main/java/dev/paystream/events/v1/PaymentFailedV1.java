package dev.paystream.events.v1;

/**
 * {@code payment.failed}: the payment could not be processed — a processor error that persisted
 * through the retries ({@code processing_error}) or no answer within the timeout
 * ({@code processor_timeout}). No money is held or moved.
 */
public record PaymentFailedV1(long amount, String currency, String failureCode, PaymentV1 payment) {
}
