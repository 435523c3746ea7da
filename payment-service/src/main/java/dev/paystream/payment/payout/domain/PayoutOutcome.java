package dev.paystream.payment.payout.domain;

/** What the bank answered to a payout. */
public sealed interface PayoutOutcome {

    record Paid() implements PayoutOutcome {
    }

    /** @param failureCode why, e.g. {@code account_closed} */
    record Failed(String failureCode) implements PayoutOutcome {
    }
}
