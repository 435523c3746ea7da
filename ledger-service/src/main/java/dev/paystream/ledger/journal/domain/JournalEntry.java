package dev.paystream.ledger.journal.domain;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One money movement, recorded once and never changed: a correction is a new entry. Its lines
 * balance in every currency they use (debits equal credits), so no entry can create or destroy money.
 *
 * @param eventId   the event this entry records; an event is recorded at most once
 * @param subject   the payment, payout or settlement the event belongs to (the event's aggregate)
 * @param createdAt when the money moved: the event's {@code occurred_at}, not when the ledger read it
 */
public record JournalEntry(
        JournalEntryId id,
        String eventId,
        EntrySubject subject,
        String merchantId,
        Instant createdAt,
        List<JournalLine> lines) {

    /** A sane bound on one entry; the posting rules produce two or three lines. */
    public static final int LINES_MAX = 16;

    public JournalEntry {
        Objects.requireNonNull(id, "id");
        requireText(eventId, "eventId");
        Objects.requireNonNull(subject, "subject");
        requireText(merchantId, "merchantId");
        Objects.requireNonNull(createdAt, "createdAt");
        lines = List.copyOf(lines);
        if (lines.size() < 2 || lines.size() > LINES_MAX) {
            throw new IllegalArgumentException("journal entry " + id + " has " + lines.size()
                    + " lines; an entry has between 2 and " + LINES_MAX);
        }
        for (Map.Entry<Currency, long[]> totals : totalsByCurrency(lines).entrySet()) {
            long debits = totals.getValue()[0];
            long credits = totals.getValue()[1];
            if (debits != credits) {
                throw new IllegalArgumentException("journal entry " + id + " does not balance in "
                        + totals.getKey().getCurrencyCode() + ": debits " + debits + ", credits " + credits);
            }
        }
    }

    /** The payment this entry is about; null when it is about a payout or a settlement. */
    public String paymentId() {
        return subject.idOf(EntrySubject.Kind.PAYMENT);
    }

    private static Map<Currency, long[]> totalsByCurrency(List<JournalLine> lines) {
        // Sorted so that the first imbalance reported is the same on every run.
        Map<Currency, long[]> totals = new TreeMap<>((left, right) -> left.getCurrencyCode().compareTo(right.getCurrencyCode()));
        for (JournalLine line : lines) {
            long[] sums = totals.computeIfAbsent(line.currency(), currency -> new long[2]);
            sums[0] = Math.addExact(sums[0], line.debit());
            sums[1] = Math.addExact(sums[1], line.credit());
        }
        return totals;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
