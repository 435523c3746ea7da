package dev.paystream.ledger.journal.adapter.kafka;

import dev.paystream.events.Topics;
import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.journal.application.IncomingEvent;
import dev.paystream.ledger.journal.application.PostingOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.annotation.KafkaListener;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Feeds the payment events of {@code paystream.payments.v1} into the ledger.
 *
 * <p>The listener returns a {@link Mono}, so Spring Kafka acknowledges each record when its Mono
 * completes and commits offsets only up to the oldest record still in flight. The Mono therefore
 * never completes with an error: Spring Kafka acknowledges a record whose Mono failed before its
 * error handler retries it, so a crash during those retries would lose the record. Instead a failed
 * attempt (database down, say) is retried here with a capped back-off until it succeeds; until then
 * the record stays unacknowledged and is delivered again after a restart or a rebalance.
 *
 * <p>Only a value that is no event at all (not JSON, or without {@code id} or {@code type}) is
 * skipped, with one error line that names where it was read but never prints the value.
 */
public final class PaymentEventsListener {

    /** The listener's id, also the name of its container in the listener registry. */
    public static final String LISTENER_ID = "ledger-payments";

    private static final Logger log = LoggerFactory.getLogger(PaymentEventsListener.class);
    private static final Duration RETRY_BACKOFF_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(30);
    /** Attempts logged as warnings before each further failure is logged as an error. */
    private static final long RETRY_WARNINGS_MAX = 5;
    private static final int KEY_LOGGED_LENGTH_MAX = 64;

    private final EnvelopeReader reader;
    private final EventPosting posting;
    private final MeterRegistry meters;

    public PaymentEventsListener(EnvelopeReader reader, EventPosting posting, MeterRegistry meters) {
        this.reader = reader;
        this.posting = posting;
        this.meters = meters;
    }

    @KafkaListener(id = LISTENER_ID, topics = Topics.PAYMENTS, groupId = "${spring.kafka.consumer.group-id}")
    public Mono<Void> onPaymentEvent(ConsumerRecord<String, String> record) {
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        return Mono.defer(() -> apply(record, origin))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, RETRY_BACKOFF_FIRST)
                        .maxBackoff(RETRY_BACKOFF_MAX)
                        .doBeforeRetry(signal -> onRetry(origin, signal)))
                .then();
    }

    private Mono<PostingOutcome> apply(ConsumerRecord<String, String> record, String origin) {
        EnvelopeReader.Read read = reader.read(record.value(), origin);
        if (read instanceof EnvelopeReader.Unreadable unreadable) {
            log.error("Skipped record {} with key {}: {}. The value is not logged; read it from the topic at that offset",
                    origin, printable(record.key()), unreadable.why());
            meters.counter("ledger.events", "outcome", "unreadable", "type", "unknown").increment();
            return Mono.empty();
        }
        IncomingEvent event = ((EnvelopeReader.Readable) read).event();
        return posting.apply(event).doOnNext(outcome -> report(event, outcome));
    }

    private void report(IncomingEvent event, PostingOutcome outcome) {
        switch (outcome) {
            case POSTED -> log.debug("Posted {} {} of {} from {}", event.type(), event.id(), event.aggregateId(), event.origin());
            case DUPLICATE -> log.info("Ignored {} {} from {}: applied before", event.type(), event.id(), event.origin());
            case NO_MONEY_MOVED -> log.debug("Claimed {} {} from {}: no money moved", event.type(), event.id(), event.origin());
            case REJECTED -> {
                // EventPosting has logged why; the event is kept in rejected_events.
            }
        }
        String type = posting.knows(event.type()) ? event.type() : "other";
        meters.counter("ledger.events", "outcome", outcome.code(), "type", type).increment();
    }

    private void onRetry(String origin, Retry.RetrySignal signal) {
        meters.counter("ledger.events.retries").increment();
        long attempt = signal.totalRetries() + 1;
        if (attempt <= RETRY_WARNINGS_MAX) {
            log.warn("Could not apply record {} (attempt {}), retrying: {}", origin, attempt, describe(signal.failure()));
        } else {
            log.error("Could not apply record {} (attempt {}); consumption waits until it applies: {}",
                    origin, attempt, describe(signal.failure()), signal.failure());
        }
    }

    /** The failure on one line: its type and the message of its root cause, e.g. the database's own words. */
    private static String describe(Throwable failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        String message = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ");
        return failure.getClass().getSimpleName() + (cause == failure ? "" : " caused by " + cause.getClass().getSimpleName()) + ": " + message;
    }

    /** A record key as it may be logged: bounded, and without anything that could forge a log line. */
    private static String printable(String key) {
        if (key == null) {
            return "(none)";
        }
        String bounded = key.length() > KEY_LOGGED_LENGTH_MAX ? key.substring(0, KEY_LOGGED_LENGTH_MAX) + "..." : key;
        return bounded.replaceAll("[^A-Za-z0-9_.:-]", "?");
    }
}
