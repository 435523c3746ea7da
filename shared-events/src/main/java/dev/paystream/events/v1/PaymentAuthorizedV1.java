package dev.paystream.events.v1;

/**
 * {@code payment.authorized}: the processor approved and holds {@code amount} on the payment method.
 * No money has moved yet.
 */
public record PaymentAuthorizedV1(long amount, String currency, PaymentV1 payment) {
}
