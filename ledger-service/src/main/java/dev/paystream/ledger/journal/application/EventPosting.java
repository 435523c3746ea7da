package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalEntryId;
import dev.paystream.platform.inbox.ProcessedEvents;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Applies one event to the ledger: decides by the posting rules, then claims the event id and records
 * the entry atomically (one statement), so an event is applied exactly once however often it is delivered.
 */
public final class EventPosting {

    private static final Logger log = LoggerFactory.getLogger(EventPosting.class);

    private final PostingRules rules;
    private final ProcessedEvents processedEvents;
    private final Journal journal;
    private final RejectedEvents rejectedEvents;
    private final Supplier<JournalEntryId> entryIds;

    public EventPosting(PostingRules rules, ProcessedEvents processedEvents, Journal journal, RejectedEvents rejectedEvents,
                        Supplier<JournalEntryId> entryIds) {
        this.rules = rules;
        this.processedEvents = processedEvents;
        this.journal = journal;
        this.rejectedEvents = rejectedEvents;
        this.entryIds = entryIds;
    }

    /** Applies {@code event}; each subscription is one attempt in its own transaction. */
    public Mono<PostingOutcome> apply(IncomingEvent event) {
        return Mono.defer(() -> {
            Posting posting = rules.post(event);
            if (posting instanceof Posting.Rejected rejected) {
                log.error("Rejected {} {} from {}: {}. Kept in rejected_events and not claimed, so a replay after a fix posts it",
                        event.type(), event.id(), event.origin(), rejected.reason());
                return rejectedEvents.record(event, rejected.reason()).thenReturn(PostingOutcome.REJECTED);
            }
            if (!(posting instanceof Posting.Lines lines)) {
                // Nothing to record but the claim: one statement is atomic without a transaction around it.
                return processedEvents.claim(event.id(), event.type())
                        .map(firstTime -> firstTime ? PostingOutcome.NO_MONEY_MOVED : PostingOutcome.DUPLICATE);
            }
            JournalEntry entry = new JournalEntry(entryIds.get(), event.id(), event.aggregateId(), event.merchantId(),
                    event.occurredAt(), lines.lines());
            return journal.appendOnce(entry, event.type()).map(firstTime -> firstTime ? PostingOutcome.POSTED : PostingOutcome.DUPLICATE);
        });
    }

    /** Whether metrics may name {@code eventType}: only types of the rules table, to bound their cardinality. */
    public boolean knows(String eventType) {
        return rules.knows(eventType);
    }
}
