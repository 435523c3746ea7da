package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/** Where journal entries are recorded. Append only: an entry is never changed or removed. */
public interface Journal {

    /** An event to claim as processed: its id and type. */
    record Claim(String eventId, String eventType) {
    }

    /**
     * Claims every event of {@code claims} and records each entry of {@code entries} whose event was
     * claimed now, atomically: either all of it happens or nothing does. An event applied before is
     * not claimed again and its entry is not recorded. Every entry's event must be among the claims,
     * and no event may appear twice.
     *
     * The {@code facts} of settlement whose events were claimed now are recorded with them, for the drift
     * checks; every fact's event must be among the claims too.
     *
     * @return the ids of the events claimed now (those not applied before)
     */
    Mono<Set<String>> appendOnce(List<Claim> claims, List<JournalEntry> entries, List<SettlementFact> facts);
}
