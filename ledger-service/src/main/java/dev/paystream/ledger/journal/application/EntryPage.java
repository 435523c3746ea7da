package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import java.util.List;

/** A page of journal entries, newest first; {@code hasMore} when older entries follow. */
public record EntryPage(List<JournalEntry> entries, boolean hasMore) {

    public EntryPage {
        entries = List.copyOf(entries);
    }
}
