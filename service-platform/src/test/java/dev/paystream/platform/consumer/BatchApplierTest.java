package dev.paystream.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.events.RecordHeaders;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.core.publisher.Mono;

/**
 * One attempt at a poll's records: what is applied, in which order, what is parked and when the attempt
 * fails instead so that the whole poll is delivered again. The handler is a fake that applies a batch
 * atomically, as the contract asks, and fails it the way PostgreSQL would.
 */
class BatchApplierTest {

    private static final String TOPIC = "paystream.payments.v1";

    private final InMemoryParkedEvents parkedEvents = new InMemoryParkedEvents();
    private final FakeHandler handler = new FakeHandler();
    private final BatchApplier applier = new BatchApplier("test-consumer", new EnvelopeReader(), handler, parkedEvents);

    @Test
    void aRecordThatIsNoEventIsParkedAndTheEventsAroundItAreApplied() {
        List<ConsumerRecord<String, String>> records = List.of(event(0, "evt_0"), record(1, "not json"), event(2, "evt_2"));

        BatchApplier.Applied applied = applier.apply(records, false).block();

        assertThat(handler.applied).containsExactly("evt_0", "evt_2");
        assertThat(applied.appliedCount()).isEqualTo(2);
        assertThat(parkedEvents.parked).singleElement().satisfies(parked -> {
            assertThat(parked.offset()).isEqualTo(1);
            assertThat(parked.key()).isEqualTo("pay_1");
            assertThat(parked.payload()).isEqualTo("not json");
            assertThat(parked.failure().code()).isEqualTo(Failure.UNREADABLE);
        });
    }

    @Test
    void aBatchThatFailsOnOneRecordIsSplitUntilThatRecordIsAloneAndTheRestIsAppliedInOrder() {
        handler.poisoned = Set.of("evt_37");
        List<ConsumerRecord<String, String>> records = IntStream.range(0, 500).mapToObj(offset -> event(offset, "evt_" + offset)).toList();

        BatchApplier.Applied applied = applier.apply(records, false).block();

        List<String> expected = IntStream.range(0, 500).filter(offset -> offset != 37).mapToObj(offset -> "evt_" + offset).toList();
        assertThat(handler.applied).containsExactlyElementsOf(expected);
        assertThat(applied.appliedCount()).isEqualTo(499);
        assertThat(parkedEvents.parked).singleElement().satisfies(parked -> {
            assertThat(parked.offset()).isEqualTo(37);
            assertThat(parked.eventId()).isEqualTo("evt_37");
            assertThat(parked.failure().code()).isEqualTo(Failure.INVALID_DATA);
            assertThat(parked.failure().message()).startsWith("SQLSTATE 22021");
        });
        // Halving finds one bad record among 500 in two attempts per level, not one attempt per record.
        assertThat(handler.attempts).isLessThanOrEqualTo(1 + 2 * 9);
    }

    @Test
    void recordsTheHandlerRefusesAreParkedWithItsReasonAndTheOthersApplied() {
        handler.refused = Set.of("evt_1");

        applier.apply(List.of(event(0, "evt_0"), event(1, "evt_1"), event(2, "evt_2")), false).block();

        assertThat(handler.applied).containsExactly("evt_0", "evt_2");
        assertThat(parkedEvents.parked).singleElement().satisfies(parked -> {
            assertThat(parked.eventId()).isEqualTo("evt_1");
            assertThat(parked.failure()).isEqualTo(Failure.refused("amount must be a positive integer"));
        });
    }

    @Test
    void aFailureAroundTheRecordsFailsTheAttemptAndParksNothing() {
        handler.unreachable = true;

        assertThatThrownBy(() -> applier.apply(List.of(event(0, "evt_0"), record(1, "not json")), false).block())
                .isInstanceOfSatisfying(BatchApplier.RetryBatch.class, retry -> assertThat(retry.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT));
        assertThat(parkedEvents.parked).isEmpty();
        assertThat(handler.applied).isEmpty();
    }

    @Test
    void aFailureOfUnknownKindFailsTheAttemptUntilItsBatchHasFailedAsOftenAsAllowedThenParks() {
        handler.raising = Set.of("evt_1");
        List<ConsumerRecord<String, String>> records = List.of(event(0, "evt_0"), event(1, "evt_1"), event(2, "evt_2"));

        assertThatThrownBy(() -> applier.apply(records, false).block())
                .isInstanceOfSatisfying(BatchApplier.RetryBatch.class, retry -> assertThat(retry.failure().kind()).isEqualTo(Failure.Kind.UNKNOWN));
        assertThat(parkedEvents.parked).isEmpty();
        applier.apply(records, true).block();

        assertThat(handler.applied).containsExactly("evt_0", "evt_2");
        assertThat(parkedEvents.parked).singleElement().satisfies(parked -> {
            assertThat(parked.eventId()).isEqualTo("evt_1");
            assertThat(parked.failure().code()).isEqualTo(Failure.REPEATED_FAILURE);
            assertThat(parked.failure().message()).contains("P0001", "raised by a trigger");
        });
    }

    @Test
    void aTransientFailureWhileSplittingFailsTheWholeAttempt() {
        handler.poisoned = Set.of("evt_0");
        handler.unreachableFromAttempt = 2;

        assertThatThrownBy(() -> applier.apply(List.of(event(0, "evt_0"), event(1, "evt_1")), false).block())
                .isInstanceOf(BatchApplier.RetryBatch.class);
        assertThat(parkedEvents.parked).isEmpty();
    }

    @Test
    void parkingThatFailsFailsTheAttemptToo() {
        parkedEvents.failure = new CannotCreateTransactionException("no connection");

        assertThatThrownBy(() -> applier.apply(List.of(record(0, "not json")), false).block())
                .isInstanceOfSatisfying(BatchApplier.RetryBatch.class, retry -> assertThat(retry.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT));
    }

    @Test
    void recordsOfATypeTheHandlerDoesNotWantAreSkippedUnreadAndTheRecordsAroundThemApplied() {
        handler.wanted = Mono.just(WantedTypes.only(List.of("payment.captured")));
        // Unreadable behind a header that names an unwanted type: skipped, so never read, so never parked.
        List<ConsumerRecord<String, String>> records = List.of(event(0, "evt_0"), typed(record(1, "not json"), "payment.authorized"),
                typed(event(2, "evt_2"), "payment.captured"), typed(event(3, "evt_3"), "payment.settled"), event(4, "evt_4"));

        BatchApplier.Applied applied = applier.apply(records, false).block();

        assertThat(handler.applied).containsExactly("evt_0", "evt_2", "evt_4");
        assertThat(applied.appliedCount()).isEqualTo(3);
        assertThat(applied.skippedCount()).isEqualTo(2);
        assertThat(parkedEvents.parked).isEmpty();
    }

    @Test
    void aRecordWithoutTheTypeHeaderOrWithOneNamingNoContractTypeIsReadAndParkedWhenBroken() {
        handler.wanted = Mono.just(WantedTypes.only(List.of("payment.captured")));
        List<ConsumerRecord<String, String>> records = List.of(record(0, "not json"), typed(record(1, "not json either"), "note.added"),
                typed(event(2, "evt_2"), "payment.refunded-v2"), typed(record(3, "{}"), null));

        BatchApplier.Applied applied = applier.apply(records, false).block();

        assertThat(applied.skippedCount()).isZero();
        assertThat(handler.applied).containsExactly("evt_2");
        assertThat(parkedEvents.parked).extracting(UnappliedRecord::offset).containsExactly(0L, 1L, 3L);
        assertThat(parkedEvents.parked).allSatisfy(parked -> assertThat(parked.failure().code()).isEqualTo(Failure.UNREADABLE));
    }

    @Test
    void theWantedTypesAreAskedAgainOnEveryAttemptAndAFailureToAnswerFailsTheAttemptWithoutSkippingAnything() {
        List<ConsumerRecord<String, String>> records = List.of(typed(event(0, "evt_0"), "payment.captured"),
                typed(event(1, "evt_1"), "payment.authorized"));
        handler.wanted = Mono.error(new CannotCreateTransactionException("no connection", new R2dbcNonTransientResourceException("refused")));

        assertThatThrownBy(() -> applier.apply(records, false).block())
                .isInstanceOfSatisfying(BatchApplier.RetryBatch.class, retry -> assertThat(retry.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT));
        assertThat(handler.applied).isEmpty();
        assertThat(parkedEvents.parked).isEmpty();

        handler.wanted = Mono.just(WantedTypes.only(List.of("payment.authorized")));
        BatchApplier.Applied applied = applier.apply(records, false).block();

        assertThat(handler.applied).containsExactly("evt_1");
        assertThat(applied.skippedCount()).isOne();
    }

    /**
     * Not a benchmark, a measurement to compare (printed, not asserted): the CPU this thread spends on
     * 100,000 records of an unwanted type of a realistic size (the 1 kB golden payment.authorized), in
     * polls of 500, read and ignored by the handler as before, or skipped by their header.
     */
    @Test
    void aHundredThousandRecordsOfAnUnwantedTypeAreSkippedWithoutOneReachingTheHandler() throws Exception {
        String value;
        try (var sample = getClass().getResourceAsStream("/samples/v1/payment.authorized.json")) {
            value = new String(sample.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<ConsumerRecord<String, String>> poll = IntStream.range(0, 500)
                .mapToObj(offset -> typed(record(offset, value), "payment.authorized")).toList();
        BatchApplier reading = new BatchApplier("test-consumer", new EnvelopeReader(),
                events -> Mono.just(List.of()), parkedEvents);
        BatchApplier skipping = new BatchApplier("test-consumer", new EnvelopeReader(), new EventHandler() {
            @Override
            public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
                return Mono.error(new IllegalStateException("given " + events.size() + " events it does not want"));
            }

            @Override
            public Mono<WantedTypes> wantedTypes() {
                return Mono.just(WantedTypes.only(List.of("payment.captured")));
            }
        }, parkedEvents);
        int polls = 200;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] nanos = new long[2];
        int skipped = 0;
        for (int round = 0; round < 3; round++) {
            // Round 0 warms both paths up; rounds 1 and 2 are measured.
            long start = threads.getCurrentThreadCpuTime();
            for (int index = 0; index < polls; index++) {
                reading.apply(poll, false).block();
            }
            long read = threads.getCurrentThreadCpuTime() - start;
            start = threads.getCurrentThreadCpuTime();
            skipped = 0;
            for (int index = 0; index < polls; index++) {
                skipped += skipping.apply(poll, false).block().skippedCount();
            }
            long skip = threads.getCurrentThreadCpuTime() - start;
            if (round > 0) {
                nanos[0] += read;
                nanos[1] += skip;
            }
        }
        System.out.printf("CPU per record of an unwanted type (1 kB payment.authorized, polls of 500, 2 x 100,000 records): "
                + "read and ignored %.2f us, skipped by its header %.2f us%n", nanos[0] / 2e3 / 100_000, nanos[1] / 2e3 / 100_000);

        assertThat(skipped).isEqualTo(polls * poll.size());
        assertThat(parkedEvents.parked).isEmpty();
    }

    private static ConsumerRecord<String, String> typed(ConsumerRecord<String, String> record, String eventType) {
        if (eventType != null) {
            record.headers().add(new RecordHeader(RecordHeaders.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }

    private static ConsumerRecord<String, String> event(long offset, String eventId) {
        return record(offset, "{\"id\":\"" + eventId + "\",\"type\":\"payment.captured\",\"version\":1,\"aggregate_id\":\"pay_1\","
                + "\"merchant_id\":\"mer_1\",\"occurred_at\":\"2026-11-23T18:30:01Z\",\"data\":{}}");
    }

    private static ConsumerRecord<String, String> record(long offset, String value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, "pay_1", value);
    }

    /** Applies a batch all or nothing, and fails it as PostgreSQL would for the events it is told to. */
    private static final class FakeHandler implements EventHandler {

        final List<String> applied = new ArrayList<>();
        Set<String> poisoned = Set.of();
        Set<String> raising = Set.of();
        Set<String> refused = Set.of();
        boolean unreachable;
        int unreachableFromAttempt = Integer.MAX_VALUE;
        int attempts;
        Mono<WantedTypes> wanted = Mono.just(WantedTypes.ALL);

        @Override
        public Mono<WantedTypes> wantedTypes() {
            return wanted;
        }

        @Override
        public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
            attempts++;
            if (unreachable || attempts >= unreachableFromAttempt) {
                return Mono.error(new CannotCreateTransactionException("no connection", new R2dbcNonTransientResourceException("refused")));
            }
            if (events.stream().anyMatch(event -> poisoned.contains(event.id()))) {
                return Mono.error(new R2dbcNonTransientResourceException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
            }
            if (events.stream().anyMatch(event -> raising.contains(event.id()))) {
                return Mono.error(new R2dbcDataIntegrityViolationException("raised by a trigger", "P0001"));
            }
            List<Refusal> refusals = new ArrayList<>();
            for (IncomingEvent event : events) {
                if (refused.contains(event.id())) {
                    refusals.add(new Refusal(event, "amount must be a positive integer"));
                } else {
                    applied.add(event.id());
                }
            }
            return Mono.just(refusals);
        }
    }
}
