package dev.paystream.ledger.journal.adapter.web;

import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalLine;
import java.time.Instant;
import java.util.List;

/** A journal entry as the API shows it (CONTRACT §9). */
public record JournalEntryResponse(String id, String eventId, String paymentId, List<Line> lines, Instant createdAt) {

    /** One line; exactly one of {@code debit} and {@code credit} is positive. */
    public record Line(String account, String currency, long debit, long credit) {

        static Line of(JournalLine line) {
            return new Line(line.account().code(), line.currency().getCurrencyCode(), line.debit(), line.credit());
        }
    }

    static JournalEntryResponse of(JournalEntry entry) {
        return new JournalEntryResponse(entry.id().value(), entry.eventId(), entry.paymentId(),
                entry.lines().stream().map(Line::of).toList(), entry.createdAt());
    }
}
