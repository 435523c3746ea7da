package dev.paystream.ledger.journal.domain;

import java.util.Locale;
import java.util.Objects;

/**
 * What a journal entry is about: the payment, payout or settlement whose event it records (the event's
 * aggregate). Entries are listed by it ({@code payment_id}, {@code payout_id}, {@code settlement_id}).
 */
public record EntrySubject(Kind kind, String id) {

    /** The kinds of object whose events move money. */
    public enum Kind {
        PAYMENT,
        PAYOUT,
        SETTLEMENT;

        /** The name of the field that holds such an id on the wire and in the database, e.g. {@code payout_id}. */
        public String idField() {
            return name().toLowerCase(Locale.ROOT) + "_id";
        }
    }

    public EntrySubject {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an entry's " + kind.idField() + " is required");
        }
    }

    public static EntrySubject payment(String paymentId) {
        return new EntrySubject(Kind.PAYMENT, paymentId);
    }

    public static EntrySubject payout(String payoutId) {
        return new EntrySubject(Kind.PAYOUT, payoutId);
    }

    public static EntrySubject settlement(String settlementId) {
        return new EntrySubject(Kind.SETTLEMENT, settlementId);
    }

    /** The id when the entry is about an object of {@code kind}, otherwise null. */
    public String idOf(Kind wanted) {
        return kind == wanted ? id : null;
    }
}
