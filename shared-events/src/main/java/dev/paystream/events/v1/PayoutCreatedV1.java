package dev.paystream.events.v1;

/**
 * {@code payout.created}: {@code amount} was taken from the merchant's available balance to be paid out
 * to the payout's customer; the payout is {@code pending}.
 */
public record PayoutCreatedV1(long amount, String currency, PayoutV1 payout) {
}
