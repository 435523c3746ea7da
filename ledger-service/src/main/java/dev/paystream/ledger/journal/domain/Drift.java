package dev.paystream.ledger.journal.domain;

import java.util.List;
import java.util.Objects;

/**
 * What one check found in one currency: {@code amount}, the sum of the absolute differences of every object
 * it checked (0 when all agree), how many objects differ, and the largest differences for an operator.
 * {@code currency} is the code as the events gave it (upper case): a fact in a code that is not ISO 4217
 * still has to show.
 */
public record Drift(DriftCheck check, String currency, long amount, long differing, List<Difference> largest) {

    /** One object that differs: the merchant, the object's id (a batch, a payment, or the merchant's account) and by how much. */
    public record Difference(String merchantId, String subject, long amount) {
    }

    public Drift {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(currency, "currency");
        if (amount < 0 || differing < 0) {
            throw new IllegalArgumentException("a drift is an absolute amount over a count of objects");
        }
        largest = List.copyOf(largest);
    }
}
