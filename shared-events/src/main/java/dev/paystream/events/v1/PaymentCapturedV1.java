package dev.paystream.events.v1;

/**
 * {@code payment.captured}: {@code amount} moved from the customer to the merchant (pending settlement).
 * Only this capture's amount; {@code payment.amount_captured} is the running total.
 */
public record PaymentCapturedV1(long amount, String currency, PaymentV1 payment) {
}
