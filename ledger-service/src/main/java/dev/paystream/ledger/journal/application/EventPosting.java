package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalEntryId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies events to the ledger: decides each by the posting rules, then claims the event ids and
 * records the entries atomically (one statement for a whole batch), so an event is applied exactly
 * once however often it is delivered.
 */
public final class EventPosting {

    private static final Logger log = LoggerFactory.getLogger(EventPosting.class);

    private final PostingRules rules;
    private final Journal journal;
    private final RejectedEvents rejectedEvents;
    private final Supplier<JournalEntryId> entryIds;

    public EventPosting(PostingRules rules, Journal journal, RejectedEvents rejectedEvents, Supplier<JournalEntryId> entryIds) {
        this.rules = rules;
        this.journal = journal;
        this.rejectedEvents = rejectedEvents;
        this.entryIds = entryIds;
    }

    /**
     * Applies {@code events} in one attempt: the rejected ones are kept in rejected_events, all others
     * are claimed and posted in one statement, so either the whole batch applies or none of it does and
     * the attempt can be repeated. The same event twice in the batch is applied once.
     *
     * @return the outcome of each event, in the order of {@code events}
     */
    public Mono<List<PostingOutcome>> applyAll(List<IncomingEvent> events) {
        return Mono.defer(() -> {
            Map<String, Posting> postings = new LinkedHashMap<>();
            List<Journal.Claim> claims = new ArrayList<>();
            List<JournalEntry> entries = new ArrayList<>();
            List<IncomingEvent> rejected = new ArrayList<>();
            for (IncomingEvent event : events) {
                if (postings.containsKey(event.id())) {
                    continue;
                }
                Posting posting = rules.post(event);
                postings.put(event.id(), posting);
                if (posting instanceof Posting.Rejected) {
                    rejected.add(event);
                    continue;
                }
                claims.add(new Journal.Claim(event.id(), event.type()));
                if (posting instanceof Posting.Lines lines) {
                    entries.add(new JournalEntry(entryIds.get(), event.id(), event.aggregateId(), event.merchantId(),
                            event.occurredAt(), lines.lines()));
                }
            }
            Mono<Void> rejections = Flux.fromIterable(rejected)
                    .concatMap(event -> {
                        String reason = ((Posting.Rejected) postings.get(event.id())).reason();
                        log.error("Rejected {} {} from {}: {}. Kept in rejected_events and not claimed, so a replay after a fix posts it",
                                event.type(), event.id(), event.origin(), reason);
                        return rejectedEvents.record(event, reason);
                    })
                    .then();
            return rejections.then(journal.appendOnce(claims, entries))
                    .map(claimedNow -> outcomes(events, postings, claimedNow));
        });
    }

    private static List<PostingOutcome> outcomes(List<IncomingEvent> events, Map<String, Posting> postings, Set<String> claimedNow) {
        List<PostingOutcome> outcomes = new ArrayList<>(events.size());
        Set<String> reported = new HashSet<>();
        for (IncomingEvent event : events) {
            Posting posting = postings.get(event.id());
            boolean firstInBatch = reported.add(event.id());
            if (posting instanceof Posting.Rejected) {
                outcomes.add(PostingOutcome.REJECTED);
            } else if (!firstInBatch || !claimedNow.contains(event.id())) {
                outcomes.add(PostingOutcome.DUPLICATE);
            } else {
                outcomes.add(posting instanceof Posting.Lines ? PostingOutcome.POSTED : PostingOutcome.NO_MONEY_MOVED);
            }
        }
        return outcomes;
    }

    /** Whether metrics may name {@code eventType}: only types of the rules table, to bound their cardinality. */
    public boolean knows(String eventType) {
        return rules.knows(eventType);
    }
}
