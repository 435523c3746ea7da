package dev.paystream.events.v1;

/**
 * {@code payment.processing}: an asynchronous payment of {@code amount} (paypal, bank_transfer) was
 * accepted and awaits the processor. No money is held or moved yet.
 */
public record PaymentProcessingV1(long amount, String currency, PaymentV1 payment) {
}
