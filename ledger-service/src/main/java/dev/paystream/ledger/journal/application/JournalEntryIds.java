package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntryId;
import dev.paystream.platform.ids.TimeOrderedIds;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * New journal entry ids: {@code je_} and 24 hex digits, time-ordered ({@link TimeOrderedIds}), so
 * index inserts stay on the right edge of the journal's B-trees.
 */
public final class JournalEntryIds implements Supplier<JournalEntryId> {

    private final TimeOrderedIds ids;

    public JournalEntryIds() {
        this(Clock.systemUTC());
    }

    JournalEntryIds(Clock clock) {
        this.ids = new TimeOrderedIds(clock);
    }

    @Override
    public JournalEntryId get() {
        return new JournalEntryId(ids.next("je_"));
    }
}
