package dev.paystream.events.v1;

/**
 * {@code payment.refunded}: {@code amount} of the captured money went back to the customer as
 * {@code refund}. Several partial refunds each give one event; {@code payment.amount_refunded} is the running total.
 */
public record PaymentRefundedV1(long amount, String currency, RefundV1 refund, PaymentV1 payment) {
}
