package dev.paystream.ledger.journal.adapter.kafka;

import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.journal.application.PostingOutcome;
import dev.paystream.platform.consumer.EventHandler;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.platform.consumer.Refusal;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Feeds the events of {@code paystream.payments.v1} (payments and payouts) and {@code paystream.settlements.v1}
 * into the ledger through the platform's idempotent consumer ({@code EventConsumer}, ADR 0004): a poll's
 * batch at a time, whatever its topics, in one statement
 * ({@link EventPosting#post}), so it applies whole or not at all. Events the posting rules reject are
 * returned as refusals, which the consumer parks; everything else about retries, splitting a failing
 * batch and parking is the consumer's.
 */
public final class JournalEventsHandler implements EventHandler {

    /**
     * The consumer's name: its Kafka client id, the owner of its claims and parked events, a metric tag. It
     * was named when it read payments only and keeps the name, under which its claims are recorded.
     */
    public static final String CONSUMER = "ledger-payments";

    private static final Logger log = LoggerFactory.getLogger(JournalEventsHandler.class);

    private final EventPosting posting;
    private final MeterRegistry meters;

    public JournalEventsHandler(EventPosting posting, MeterRegistry meters) {
        this.posting = posting;
        this.meters = meters;
    }

    @Override
    public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
        return posting.post(events).map(posted -> {
            // Reported only once the batch applied, so that a batch delivered again does not report twice.
            for (int index = 0; index < events.size(); index++) {
                report(events.get(index), posted.outcomes().get(index));
            }
            return posted.refusals();
        });
    }

    private void report(IncomingEvent event, PostingOutcome outcome) {
        switch (outcome) {
            case POSTED -> log.debug("Posted {} {} of {} from {}", event.type(), event.id(), event.aggregateId(), event.origin());
            case DUPLICATE -> log.info("Ignored {} {} from {}: applied before", event.type(), event.id(), event.origin());
            case NO_MONEY_MOVED -> log.debug("Claimed {} {} from {}: no money moved", event.type(), event.id(), event.origin());
            case REJECTED -> {
                // The consumer logs it as it parks it, with the reason.
            }
        }
        String type = posting.knows(event.type()) ? event.type() : "other";
        meters.counter("ledger.events", "outcome", outcome.code(), "type", type).increment();
        if (outcome == PostingOutcome.POSTED) {
            // The journal entries recorded, by the type of event they record (CONTRACT §12: ledger postings).
            meters.counter("paystream.ledger.postings", "event_type", type).increment();
        }
    }
}
