package dev.paystream.payment.settlement.domain;

import java.util.List;

/**
 * What a settlement adds up to (CONTRACT §8): {@code grossAmount} of the payments' captured amounts,
 * {@code refundedAmount} of the refunds (positive), {@code feeAmount} of the payments' fees, and
 * {@code netAmount = grossAmount - refundedAmount - feeAmount}, which may be negative.
 */
public record SettlementTotals(long paymentCount, long refundCount, long grossAmount, long refundedAmount, long feeAmount, long netAmount) {

    public static final SettlementTotals NONE = new SettlementTotals(0, 0, 0, 0, 0, 0);

    public SettlementTotals {
        if (netAmount != grossAmount - refundedAmount - feeAmount) {
            throw new IllegalArgumentException("net is gross minus refunded minus fees");
        }
    }

    /** The totals of {@code lines}. */
    public static SettlementTotals of(List<SettlementLine> lines) {
        SettlementTotals totals = NONE;
        for (SettlementLine line : lines) {
            totals = totals.plus(line);
        }
        return totals;
    }

    public SettlementTotals plus(SettlementLine line) {
        return line.type() == LineType.PAYMENT
                ? new SettlementTotals(paymentCount + 1, refundCount, grossAmount + line.grossAmount(), refundedAmount,
                        feeAmount + line.feeAmount(), netAmount + line.netAmount())
                : new SettlementTotals(paymentCount, refundCount + 1, grossAmount, refundedAmount - line.grossAmount(), feeAmount,
                        netAmount + line.netAmount());
    }

    public boolean isEmpty() {
        return paymentCount == 0 && refundCount == 0;
    }
}
