package dev.paystream.events.v1;

/**
 * {@code settlement.completed}: batch {@code settlement} settled {@code payment_count} payments and
 * {@code refund_count} refunds of one currency: {@code net_amount} moved from the merchant's pending to its
 * available balance and {@code fee_amount} went to fees. Published on {@code paystream.settlements.v1},
 * keyed by the settlement id, after the batch's {@code payment.settled} events.
 */
public record SettlementCompletedV1(
        String currency,
        long paymentCount,
        long refundCount,
        long grossAmount,
        long refundedAmount,
        long feeAmount,
        long netAmount,
        SettlementV1 settlement) {
}
