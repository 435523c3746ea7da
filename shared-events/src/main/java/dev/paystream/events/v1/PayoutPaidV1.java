package dev.paystream.events.v1;

/** {@code payout.paid}: {@code amount} reached the customer's account; the payout is final. */
public record PayoutPaidV1(long amount, String currency, PayoutV1 payout) {
}
