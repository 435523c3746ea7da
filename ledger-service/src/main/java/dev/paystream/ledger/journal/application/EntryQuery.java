package dev.paystream.ledger.journal.application;

import java.util.Objects;

/**
 * One page of a merchant's journal entries, newest first.
 *
 * @param paymentId only the entries of this payment; null for all
 * @param after     start after this entry; null for the first page
 */
public record EntryQuery(String merchantId, String paymentId, EntryCursor after, int limit) {

    public static final int LIMIT_MAX = 100;

    public EntryQuery {
        Objects.requireNonNull(merchantId, "merchantId");
        if (limit < 1 || limit > LIMIT_MAX) {
            throw new IllegalArgumentException("limit must be between 1 and " + LIMIT_MAX);
        }
    }
}
