package dev.paystream.events.v1;

import java.time.Instant;

/**
 * A settlement batch as the API returns it (CONTRACT §8): every captured payment and every refund of one
 * merchant and currency not settled before. {@code gross_amount} sums the payments' captured amounts,
 * {@code refunded_amount} the refunds (a positive number), {@code fee_amount} the fees of the payments;
 * {@code net_amount = gross_amount - refunded_amount - fee_amount}, which may be negative.
 */
public record SettlementV1(
        String id,
        String currency,
        String status,
        long paymentCount,
        long refundCount,
        long grossAmount,
        long refundedAmount,
        long feeAmount,
        long netAmount,
        Instant createdAt) {
}
