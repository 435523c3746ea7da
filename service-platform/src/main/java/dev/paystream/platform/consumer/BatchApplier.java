package dev.paystream.platform.consumer;

import dev.paystream.events.EventTypes;
import dev.paystream.events.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import reactor.core.publisher.Mono;

/**
 * One attempt at the records of one poll: skips those of types the handler does not want (by their
 * {@code ce_type} header, unread), reads the envelopes of the others, hands the events to the handler as
 * one batch and, when that fails for a reason that lies in a record, splits the batch in halves until the
 * records at fault are alone; those are parked, everything else is applied, in partition order. A
 * failure that lies around the records fails the attempt, so that the whole poll is delivered again.
 */
final class BatchApplier {

    /**
     * What one successful attempt did.
     *
     * @param skippedCount the records skipped unread, of types the handler did not want
     */
    record Applied(int appliedCount, int skippedCount, List<UnappliedRecord> unapplied, List<UnappliedRecord> parkedNow) {
    }

    /** The types a {@code ce_type} header may name for its record to be skipped: those of CONTRACT §11. */
    private static final Set<String> KNOWN_TYPES = Set.copyOf(EventTypes.ALL);

    /** The attempt failed and the records must be delivered again; nothing was parked or skipped. */
    static final class RetryBatch extends RuntimeException {

        private final transient Failure failure;

        RetryBatch(Failure failure, Throwable cause) {
            super(failure.code() + ": " + failure.message(), cause, false, false);
            this.failure = failure;
        }

        Failure failure() {
            return failure;
        }
    }

    /** A record and what its value read as: an event, or why it is none. */
    private record Decoded(ConsumerRecord<String, String> record, IncomingEvent event, EnvelopeReader.Unreadable unreadable) {
    }

    private final String consumer;
    private final EnvelopeReader reader;
    private final EventHandler handler;
    private final ParkedEvents parkedEvents;

    BatchApplier(String consumer, EnvelopeReader reader, EventHandler handler, ParkedEvents parkedEvents) {
        this.consumer = consumer;
        this.reader = reader;
        this.handler = handler;
        this.parkedEvents = parkedEvents;
    }

    /**
     * @param parkUnknown whether a failure of unknown kind parks its record (its batch has failed that
     *                    way as often as allowed) or fails the attempt, to be retried
     */
    Mono<Applied> apply(List<ConsumerRecord<String, String>> records, boolean parkUnknown) {
        return Mono.defer(handler::wantedTypes)
                // Asked before any record is read; a failure to answer lies around the records, never in one.
                .onErrorMap(failure -> !(failure instanceof RetryBatch), failure -> new RetryBatch(Failure.of(failure), failure))
                .flatMap(wanted -> apply(records, wanted, parkUnknown));
    }

    private Mono<Applied> apply(List<ConsumerRecord<String, String>> records, WantedTypes wanted, boolean parkUnknown) {
        return Mono.defer(() -> {
            List<UnappliedRecord> unapplied = new ArrayList<>();
            List<Decoded> events = new ArrayList<>(records.size());
            int skipped = 0;
            for (ConsumerRecord<String, String> record : records) {
                if (wanted != WantedTypes.ALL && isUnwanted(record, wanted)) {
                    skipped++;
                    continue;
                }
                String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
                EnvelopeReader.Read read = reader.read(record.value(), origin);
                if (read instanceof EnvelopeReader.Readable readable) {
                    events.add(new Decoded(record, readable.event(), null));
                } else {
                    EnvelopeReader.Unreadable unreadable = (EnvelopeReader.Unreadable) read;
                    unapplied.add(unapplied(new Decoded(record, null, unreadable), Failure.unreadable(unreadable.why())));
                }
            }
            int skippedCount = skipped;
            return applySplitting(events, parkUnknown)
                    .flatMap(failed -> {
                        unapplied.addAll(failed);
                        List<UnappliedRecord> all = List.copyOf(unapplied);
                        return parkedEvents.park(all)
                                .onErrorMap(failure -> new RetryBatch(Failure.of(failure), failure))
                                .map(parkedNow -> new Applied(events.size() - failed.size(), skippedCount, all, parkedNow));
                    });
        });
    }

    /**
     * Whether the record's {@code ce_type} header names a type of CONTRACT §11 the handler does not want.
     * The outbox relay writes the header from the same row as the value, so the two agree; a record
     * without the header, or with one that names anything else, is read, so that what cannot be read
     * is still parked rather than passed over.
     */
    private static boolean isUnwanted(ConsumerRecord<String, String> record, WantedTypes wanted) {
        Header header = record.headers().lastHeader(RecordHeaders.EVENT_TYPE);
        if (header == null || header.value() == null) {
            return false;
        }
        String type = new String(header.value(), StandardCharsets.UTF_8);
        return KNOWN_TYPES.contains(type) && !wanted.includes(type);
    }

    /** Applies {@code part}; emits the records of it that were not applied, each with its failure. */
    private Mono<List<UnappliedRecord>> applySplitting(List<Decoded> part, boolean parkUnknown) {
        if (part.isEmpty()) {
            return Mono.just(List.of());
        }
        List<IncomingEvent> events = part.stream().map(Decoded::event).toList();
        return Mono.defer(() -> handler.apply(events))
                .map(refusals -> refused(part, refusals))
                .onErrorResume(error -> {
                    Failure failure = Failure.of(error);
                    if (failure.kind() == Failure.Kind.TRANSIENT || (failure.kind() == Failure.Kind.UNKNOWN && !parkUnknown)) {
                        return Mono.error(new RetryBatch(failure, error));
                    }
                    Failure permanent = failure.isPermanent() ? failure : failure.repeated();
                    if (part.size() == 1) {
                        return Mono.just(List.of(unapplied(part.get(0), permanent)));
                    }
                    // Halves keep partition order: the first half is applied (or split further) before the second.
                    List<Decoded> first = part.subList(0, part.size() / 2);
                    List<Decoded> second = part.subList(part.size() / 2, part.size());
                    return applySplitting(first, parkUnknown)
                            .flatMap(failedFirst -> applySplitting(second, parkUnknown).map(failedSecond -> {
                                List<UnappliedRecord> failed = new ArrayList<>(failedFirst);
                                failed.addAll(failedSecond);
                                return failed;
                            }));
                });
    }

    private List<UnappliedRecord> refused(List<Decoded> part, List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            return List.of();
        }
        Map<IncomingEvent, Decoded> byEvent = new IdentityHashMap<>();
        part.forEach(decoded -> byEvent.put(decoded.event(), decoded));
        List<UnappliedRecord> refused = new ArrayList<>(refusals.size());
        for (Refusal refusal : refusals) {
            Decoded decoded = byEvent.get(refusal.event());
            if (decoded == null) {
                throw new IllegalStateException("the handler of " + consumer + " refused an event it was not given: " + refusal.event().id());
            }
            refused.add(unapplied(decoded, Failure.refused(refusal.reason())));
        }
        return refused;
    }

    private UnappliedRecord unapplied(Decoded decoded, Failure failure) {
        ConsumerRecord<String, String> record = decoded.record();
        String eventId = decoded.event() != null ? decoded.event().id() : decoded.unreadable().eventId();
        String eventType = decoded.event() != null ? decoded.event().type() : decoded.unreadable().eventType();
        String merchantId = decoded.event() != null ? decoded.event().merchantId() : null;
        return new UnappliedRecord(consumer, record.topic(), record.partition(), record.offset(), record.key(), eventId, eventType,
                merchantId, record.value(), failure);
    }
}
