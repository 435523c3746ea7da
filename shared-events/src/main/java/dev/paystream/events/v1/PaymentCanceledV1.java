package dev.paystream.events.v1;

/** {@code payment.canceled}: the authorization of {@code amount} was released before any capture. No money moved. */
public record PaymentCanceledV1(long amount, String currency, PaymentV1 payment) {
}
