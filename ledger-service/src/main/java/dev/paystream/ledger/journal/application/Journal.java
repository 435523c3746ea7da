package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import reactor.core.publisher.Mono;

/** Where journal entries are recorded. Append only: an entry is never changed or removed. */
public interface Journal {

    /**
     * Records {@code entry} and claims its event id (of type {@code eventType}) atomically, unless the
     * event was applied before: then nothing changes and it emits {@code false}.
     */
    Mono<Boolean> appendOnce(JournalEntry entry, String eventType);
}
