package dev.paystream.ledger.journal.application;

import dev.paystream.ledger.journal.domain.JournalEntry;
import dev.paystream.ledger.journal.domain.JournalEntryId;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.platform.consumer.Refusal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Applies events to the ledger: decides each by the posting rules, then claims the event ids and
 * records the entries, with the facts of settlement the drift checks need, atomically (one statement
 * for a whole batch), so an event is applied exactly once however often it is delivered.
 */
public final class EventPosting {

    /**
     * What one batch did.
     *
     * @param outcomes the outcome of each event, in the order of the batch
     * @param refusals the events the rules rejected, each with the reason: not claimed, for the consumer to park
     */
    public record Posted(List<PostingOutcome> outcomes, List<Refusal> refusals) {
    }

    private final PostingRules rules;
    private final Journal journal;
    private final Supplier<JournalEntryId> entryIds;

    public EventPosting(PostingRules rules, Journal journal, Supplier<JournalEntryId> entryIds) {
        this.rules = rules;
        this.journal = journal;
        this.entryIds = entryIds;
    }

    /**
     * Applies {@code events} in one attempt: all but the rejected ones are claimed and posted in one
     * statement, so either the whole batch applies or none of it does and the attempt can be repeated.
     * The same event twice in the batch is applied once. Rejected events are neither claimed nor kept
     * here: the caller parks them.
     */
    public Mono<Posted> post(List<IncomingEvent> events) {
        return Mono.defer(() -> {
            Map<String, Posting> postings = new LinkedHashMap<>();
            List<Journal.Claim> claims = new ArrayList<>();
            List<JournalEntry> entries = new ArrayList<>();
            List<SettlementFact> facts = new ArrayList<>();
            for (IncomingEvent event : events) {
                if (postings.containsKey(event.id())) {
                    continue;
                }
                Posting posting = rules.post(event);
                postings.put(event.id(), posting);
                if (posting instanceof Posting.Rejected) {
                    continue;
                }
                claims.add(new Journal.Claim(event.id(), event.type()));
                SettlementFact.of(event).ifPresent(facts::add);
                if (posting instanceof Posting.Lines lines) {
                    entries.add(new JournalEntry(entryIds.get(), event.id(), rules.subjectOf(event), event.merchantId(),
                            event.occurredAt(), lines.lines()));
                }
            }
            return journal.appendOnce(claims, entries, facts).map(claimedNow -> posted(events, postings, claimedNow));
        });
    }

    /** As {@link #post}, only the outcome of each event, in the order of {@code events}. */
    public Mono<List<PostingOutcome>> applyAll(List<IncomingEvent> events) {
        return post(events).map(Posted::outcomes);
    }

    private static Posted posted(List<IncomingEvent> events, Map<String, Posting> postings, Set<String> claimedNow) {
        List<PostingOutcome> outcomes = new ArrayList<>(events.size());
        List<Refusal> refusals = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (IncomingEvent event : events) {
            Posting posting = postings.get(event.id());
            boolean firstInBatch = reported.add(event.id());
            if (posting instanceof Posting.Rejected rejected) {
                outcomes.add(PostingOutcome.REJECTED);
                refusals.add(new Refusal(event, rejected.reason()));
            } else if (!firstInBatch || !claimedNow.contains(event.id())) {
                outcomes.add(PostingOutcome.DUPLICATE);
            } else {
                outcomes.add(posting instanceof Posting.Lines ? PostingOutcome.POSTED : PostingOutcome.NO_MONEY_MOVED);
            }
        }
        return new Posted(outcomes, refusals);
    }

    /** Whether metrics may name {@code eventType}: only types of the rules table, to bound their cardinality. */
    public boolean knows(String eventType) {
        return rules.knows(eventType);
    }
}
