package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.ledger.journal.domain.EntrySubject;
import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalLine;
import java.time.Instant;
import java.util.List;

/**
 * A journal entry as the API shows it (CONTRACT §9). Exactly one of {@code payment_id}, {@code payout_id} and
 * {@code settlement_id} is set: the object whose event the entry records.
 */
public record JournalEntryResponse(String id, String eventId, String paymentId, String payoutId, String settlementId,
                                   List<Line> lines, Instant createdAt) {

    /** One line; exactly one of {@code debit} and {@code credit} is positive. */
    public record Line(String account, String currency, long debit, long credit) {

        static Line of(JournalLine line) {
            return new Line(line.account().code(), line.currency().getCurrencyCode(), line.debit(), line.credit());
        }
    }

    static JournalEntryResponse of(JournalEntry entry) {
        EntrySubject subject = entry.subject();
        return new JournalEntryResponse(entry.id().value(), entry.eventId(), subject.idOf(EntrySubject.Kind.PAYMENT),
                subject.idOf(EntrySubject.Kind.PAYOUT), subject.idOf(EntrySubject.Kind.SETTLEMENT),
                entry.lines().stream().map(Line::of).toList(), entry.createdAt());
    }
}
