package dev.paystream.events.v1;

/**
 * {@code payment.settled}: the payment's captured {@code amount} was settled in batch {@code settlement_id}
 * with fee {@code fee_amount}; {@code net_amount = amount - fee_amount}. One per payment, in the payment's
 * own sequence on {@code paystream.payments.v1}; {@code payment.settlement_id} is set from here on.
 *
 * <p>Refunds are settled as lines of their own and have no event: the batch's totals, refunds included,
 * are in {@code settlement.completed}.
 */
public record PaymentSettledV1(String settlementId, long amount, long feeAmount, long netAmount, String currency, PaymentV1 payment) {
}
