package dev.paystream.events.v1;

/**
 * {@code payment.declined}: the processor refused to authorize {@code amount}; {@code decline_code}
 * says why ({@code card_declined}, {@code insufficient_funds}, ...). No money is held or moved.
 */
public record PaymentDeclinedV1(long amount, String currency, String declineCode, PaymentV1 payment) {
}
