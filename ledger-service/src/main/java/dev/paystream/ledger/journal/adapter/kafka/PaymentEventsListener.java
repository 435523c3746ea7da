package dev.paystream.ledger.journal.adapter.kafka;

import dev.paystream.events.Topics;
import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.journal.application.IncomingEvent;
import dev.paystream.ledger.journal.application.PostingOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Feeds the payment events of {@code paystream.payments.v1} into the ledger, a poll's batch at a time.
 *
 * <p>A batch is applied in one statement ({@link EventPosting#applyAll}), so it applies whole or not at
 * all. The listener runs on the consumer's own thread and returns only once its batch is committed to
 * PostgreSQL; Spring Kafka then commits the offsets. A failed attempt (database down, say) throws:
 * the container's error handler ({@code LedgerKafkaConfiguration}) keeps the consumer paused in its
 * group and delivers the same batch again with a capped back-off, for as long as it takes. Nothing is
 * acknowledged before it applied, and a restart during the retries delivers the batch again.
 *
 * <p>Only a value that is no event at all (not JSON, or without {@code id} or {@code type}) is
 * skipped, with one error line that names where it was read but never prints the value.
 */
public final class PaymentEventsListener {

    /** The listener's id, also the name of its container in the listener registry. */
    public static final String LISTENER_ID = "ledger-payments";

    private static final Logger log = LoggerFactory.getLogger(PaymentEventsListener.class);
    private static final int KEY_LOGGED_LENGTH_MAX = 64;

    private final EnvelopeReader reader;
    private final EventPosting posting;
    private final MeterRegistry meters;

    public PaymentEventsListener(EnvelopeReader reader, EventPosting posting, MeterRegistry meters) {
        this.reader = reader;
        this.posting = posting;
        this.meters = meters;
    }

    @KafkaListener(id = LISTENER_ID, topics = Topics.PAYMENTS, groupId = "${spring.kafka.consumer.group-id}", batch = "true")
    public void onPaymentEvents(List<ConsumerRecord<String, String>> records) {
        List<IncomingEvent> events = new ArrayList<>(records.size());
        List<Skipped> skipped = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
            EnvelopeReader.Read read = reader.read(record.value(), origin);
            if (read instanceof EnvelopeReader.Readable readable) {
                events.add(readable.event());
            } else {
                skipped.add(new Skipped(origin, record.key(), ((EnvelopeReader.Unreadable) read).why()));
            }
        }
        // Blocking is right here: this is the consumer's thread, and the offsets wait for this batch.
        List<PostingOutcome> outcomes = events.isEmpty() ? List.of() : posting.applyAll(events).block();
        // Reported only once the batch applied, so that a batch delivered again does not report twice.
        for (Skipped record : skipped) {
            log.error("Skipped record {} with key {}: {}. The value is not logged; read it from the topic at that offset",
                    record.origin(), printable(record.key()), record.why());
            meters.counter("ledger.events", "outcome", "unreadable", "type", "unknown").increment();
        }
        for (int index = 0; index < events.size(); index++) {
            report(events.get(index), outcomes.get(index));
        }
    }

    /** A record that is no event, where it was read and why. */
    private record Skipped(String origin, String key, String why) {
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

    /** A record key as it may be logged: bounded, and without anything that could forge a log line. */
    private static String printable(String key) {
        if (key == null) {
            return "(none)";
        }
        String bounded = key.length() > KEY_LOGGED_LENGTH_MAX ? key.substring(0, KEY_LOGGED_LENGTH_MAX) + "..." : key;
        return bounded.replaceAll("[^A-Za-z0-9_.:-]", "?");
    }
}
