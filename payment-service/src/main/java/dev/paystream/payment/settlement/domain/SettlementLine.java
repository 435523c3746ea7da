package dev.paystream.payment.settlement.domain;

import java.time.Instant;

/**
 * One line of a settlement file (CONTRACT §8): a captured payment with its fee, or a refund as a negative
 * line without one. {@code netAmount = grossAmount - feeAmount}; a refund's gross and net are minus its amount.
 *
 * @param lineId the payment id of a payment line, the refund id of a refund line: what the line settles, once
 */
public record SettlementLine(
        SettlementId settlementId,
        LineType type,
        String lineId,
        String paymentId,
        String refundId,
        Instant occurredAt,
        String currency,
        long grossAmount,
        long feeAmount,
        long netAmount,
        String paymentMethod,
        String cardBrand,
        String cardLast4,
        String customerId,
        String invoiceId) {

    /** What a line needs to know of the payment it settles, or whose refund it settles. */
    public record PaymentFacts(String paymentId, String currency, String paymentMethod, String cardBrand, String cardLast4,
                               String customerId, String invoiceId) {
    }

    /** The line of a payment whose captured {@code amount} settles with {@code fee}, captured at {@code capturedAt}. */
    public static SettlementLine ofPayment(SettlementId settlementId, PaymentFacts payment, Instant capturedAt, long amount, long fee) {
        return new SettlementLine(settlementId, LineType.PAYMENT, payment.paymentId(), payment.paymentId(), null, capturedAt,
                payment.currency(), amount, fee, amount - fee, payment.paymentMethod(), payment.cardBrand(), payment.cardLast4(),
                payment.customerId(), payment.invoiceId());
    }

    /** The line of refund {@code refundId} of {@code amount}, made at {@code refundedAt}: negative, and no fee comes back. */
    public static SettlementLine ofRefund(SettlementId settlementId, PaymentFacts payment, String refundId, Instant refundedAt, long amount) {
        return new SettlementLine(settlementId, LineType.REFUND, refundId, payment.paymentId(), refundId, refundedAt, payment.currency(),
                -amount, 0, -amount, payment.paymentMethod(), payment.cardBrand(), payment.cardLast4(), payment.customerId(),
                payment.invoiceId());
    }
}
