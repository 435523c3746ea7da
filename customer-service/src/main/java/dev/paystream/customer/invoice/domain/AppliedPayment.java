package dev.paystream.customer.invoice.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one payment paid on an invoice: its capture ({@code amountApplied}) less its refunds so far
 * ({@code amountReversed}, each of {@code refundIds} counted once).
 *
 * @param reversedAt when the last refund was taken back; null before the first
 */
public record AppliedPayment(String paymentId, Money amountApplied, Money amountReversed, List<String> refundIds,
                             Instant appliedAt, Instant reversedAt) {

    public AppliedPayment {
        refundIds = List.copyOf(refundIds);
    }

    /** What the payment still pays on the invoice. */
    public Money amountStillApplied() {
        return amountApplied.minus(amountReversed);
    }

    AppliedPayment reversedBy(String refundId, Money amount, Instant at) {
        List<String> refunds = new ArrayList<>(refundIds);
        refunds.add(refundId);
        return new AppliedPayment(paymentId, amountApplied, amountReversed.plus(amount), refunds, appliedAt, at);
    }
}
