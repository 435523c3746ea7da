package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import reactor.core.publisher.Mono;

/** Where journal entries are recorded. Append only: an entry is never changed or removed. */
public interface Journal {

    /** Records {@code entry} in the caller's transaction. */
    Mono<Void> append(JournalEntry entry);
}
