package dev.paystream.events.v1;

/**
 * {@code payout.failed}: the bank refused the payout ({@code failure_code}, e.g. {@code account_closed});
 * {@code amount} went back to the merchant's available balance.
 */
public record PayoutFailedV1(long amount, String currency, String failureCode, PayoutV1 payout) {
}
