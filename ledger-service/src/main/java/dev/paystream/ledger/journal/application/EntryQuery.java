package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.AccountType;
import java.util.Objects;

/**
 * One page of a merchant's journal entries, newest first, narrowed by every filter that is set (they
 * combine: an entry matches all of them).
 *
 * @param paymentId    only the entries of this payment; null for any
 * @param payoutId     only the entries of this payout; null for any
 * @param settlementId only the entries of this settlement; null for any
 * @param account      only the entries with a line on this account; null for any
 * @param after        start after this entry; null for the first page
 */
public record EntryQuery(String merchantId, String paymentId, String payoutId, String settlementId, AccountType account,
                         EntryCursor after, int limit) {

    public static final int LIMIT_MAX = 100;

    public EntryQuery {
        Objects.requireNonNull(merchantId, "merchantId");
        if (limit < 1 || limit > LIMIT_MAX) {
            throw new IllegalArgumentException("limit must be between 1 and " + LIMIT_MAX);
        }
    }

    /** The same query, for the page after {@code cursor}. */
    public EntryQuery startingAfter(EntryCursor cursor) {
        return new EntryQuery(merchantId, paymentId, payoutId, settlementId, account, cursor, limit);
    }
}
