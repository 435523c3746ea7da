package dev.paystream.platform.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import reactor.core.publisher.Mono;

/**
 * An idempotent, ordered consumer of Paystream events: one Kafka consumer group member that reads the
 * records of each poll (in partition order), hands their events to an {@link EventHandler} as one batch,
 * and commits the offsets only once the batch applied. What cannot be applied never blocks the records
 * behind it and is never dropped:
 *
 * <ul>
 *   <li>a record whose envelope cannot be read, or whose event the handler refuses, is parked at once;</li>
 *   <li>a batch that fails for a reason in a record (SQLSTATE 22, 23) is split until the records at
 *       fault are alone; they are parked and the rest applied;</li>
 *   <li>a batch that fails for a reason around the records (the database unreachable, a timeout) is
 *       delivered again after a back-off (200 ms, doubling up to 30 s), without end: the container pauses
 *       the consumer but keeps it in its group, and the consumer's health goes DOWN once it has failed
 *       without progress for {@code paystream.consumer.stuck-after};</li>
 *   <li>a batch that fails for a reason of unknown kind is delivered again up to
 *       {@code paystream.consumer.unknown-failure-attempts} times in all, then split and parked like a
 *       permanent failure.</li>
 * </ul>
 *
 * Parked records are kept in {@code parked_events} with their value and error, counted in metrics,
 * listed for operators and re-driven through the same handler ({@link #redrive}). See ADR 0004.
 *
 * <p>A handler that wants only some event types says so ({@link EventHandler#wantedTypes}): the records
 * of other types of CONTRACT §11 are skipped by their {@code ce_type} header, unread and unclaimed,
 * counted as {@code paystream.consumer.records{outcome="skipped"}}, and committed in order with the
 * rest of their poll. A re-drive asks no such question: an operator's re-drive is always applied.
 */
public final class EventConsumer implements SmartLifecycle {

    /**
     * What a service declares: the consumer's name (also the name of its claims and parked events, the
     * tag of its metrics and its Kafka client id), the consumer group, the topics and the handler.
     *
     * @param onRetry called once each time a poll failed and will be delivered again, for a service that
     *                keeps a metric of its own
     */
    public record Definition(String name, String groupId, List<String> topics, EventHandler handler, Consumer<Failure> onRetry) {

        public Definition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(onRetry, "onRetry");
            topics = List.copyOf(topics);
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("a consumer's name is lower case letters, digits and dashes: " + name);
            }
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("a consumer reads at least one topic");
            }
        }

        public static Definition of(String name, String groupId, List<String> topics, EventHandler handler) {
            return new Definition(name, groupId, topics, handler, failure -> { });
        }

        public Definition withOnRetry(Consumer<Failure> onRetry) {
            return new Definition(name, groupId, topics, handler, onRetry);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);
    /** Failures in a row logged as warnings before each further one is logged as an error. */
    private static final int RETRY_WARNINGS_MAX = 5;
    private static final int KEY_LOGGED_LENGTH_MAX = 64;

    private final Definition definition;
    private final EnvelopeReader reader;
    private final ParkedEvents parkedEvents;
    private final BatchApplier applier;
    private final ConsumerProgress progress;
    private final EventConsumerProperties properties;
    private final MeterRegistry meters;
    private final Runnable parkedChanged;
    private final ConcurrentMessageListenerContainer<String, String> container;

    EventConsumer(Definition definition, ConsumerFactory<String, String> kafkaConsumers, ParkedEvents parkedEvents,
                  EventConsumerProperties properties, MeterRegistry meters, Clock clock, Runnable parkedChanged) {
        this.definition = definition;
        this.reader = new EnvelopeReader();
        this.parkedEvents = parkedEvents;
        this.applier = new BatchApplier(definition.name(), reader, definition.handler(), parkedEvents);
        this.progress = new ConsumerProgress(clock);
        this.properties = properties;
        this.meters = meters;
        this.parkedChanged = parkedChanged;
        this.container = container(kafkaConsumers);
        Gauge.builder("paystream.consumer.failing", progress, tracked -> tracked.failingFor().toMillis() / 1000.0)
                .description("How long the consumer has failed without applying a poll; 0 while it makes progress")
                .baseUnit("seconds")
                .tag("consumer", definition.name())
                .register(meters);
    }

    public String name() {
        return definition.name();
    }

    Definition definition() {
        return definition;
    }

    /** How long this consumer may fail without progress before it counts as stuck. */
    EventConsumerProperties properties() {
        return properties;
    }

    ConsumerProgress progress() {
        return progress;
    }

    private ConcurrentMessageListenerContainer<String, String> container(ConsumerFactory<String, String> kafkaConsumers) {
        ContainerProperties containerProperties = new ContainerProperties(definition.topics().toArray(String[]::new));
        containerProperties.setGroupId(definition.groupId());
        containerProperties.setClientId(definition.name());
        // Offsets are committed once the listener returned, that is once the whole poll was applied or parked.
        containerProperties.setAckMode(ContainerProperties.AckMode.BATCH);
        containerProperties.setMessageListener((BatchMessageListener<String, String>) this::onPoll);
        containerProperties.setConsumerRebalanceListener(new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    progress.partitionsRevoked();
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Nothing to do: each poll says where it starts.
            }
        });
        ConcurrentMessageListenerContainer<String, String> created = new ConcurrentMessageListenerContainer<>(kafkaConsumers, containerProperties);
        created.setBeanName(definition.name());
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryBackoffFirst().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryBackoffMax().toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        // A poll the listener throws for is delivered again after the back-off, without end; meanwhile the
        // container pauses the consumer and keeps polling, so it stays in its group. The listener throws
        // only for what must be retried: everything it parked it returns normally for.
        created.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return created;
    }

    /** One poll's records, on the consumer's own thread: applied (or parked) before the offsets move on. */
    void onPoll(List<ConsumerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return;
        }
        boolean parkUnknown = progress.unknownFailuresOf(records) + 1 >= properties.unknownFailureAttempts();
        BatchApplier.Applied applied;
        try {
            // Blocking is right here: this is the consumer's thread, and the offsets wait for this poll.
            applied = applier.apply(records, parkUnknown).block(properties.applyTimeout());
        } catch (RuntimeException failed) {
            Failure failure = failed instanceof BatchApplier.RetryBatch retry ? retry.failure() : Failure.of(failed);
            ConsumerProgress.Streak streak = progress.failed(records, failure);
            onRetry(records, failure, streak, failed);
            // Always a RetryBatch, so the container's error handler never takes the failure for one it
            // would not retry (it gives up at once on a ClassCastException, say).
            throw failed instanceof BatchApplier.RetryBatch ? failed : new BatchApplier.RetryBatch(failure, failed);
        }
        progress.applied();
        report(applied);
    }

    private void onRetry(List<ConsumerRecord<String, String>> records, Failure failure, ConsumerProgress.Streak streak, Throwable failed) {
        meters.counter("paystream.consumer.retries", "consumer", name(), "failure", failure.kind().name().toLowerCase(Locale.ROOT))
                .increment();
        definition.onRetry().accept(failure);
        ConsumerRecord<String, String> first = records.get(0);
        String what = records.size() + " records from " + first.topic() + "-" + first.partition() + "@" + first.offset();
        if (streak.failures() <= RETRY_WARNINGS_MAX) {
            log.warn("Consumer {} could not apply {} (failure {} in a row, {}), retrying: {}", name(), what, streak.failures(),
                    failure.kind(), failure.message());
        } else {
            log.error("Consumer {} could not apply {} (failure {} in a row since {}, {}); it retries until they apply: {}", name(), what,
                    streak.failures(), streak.since(), failure.kind(), failure.message(), failed);
        }
    }

    private void report(BatchApplier.Applied applied) {
        meters.counter("paystream.consumer.records", "consumer", name(), "outcome", "applied").increment(applied.appliedCount());
        if (applied.skippedCount() > 0) {
            meters.counter("paystream.consumer.records", "consumer", name(), "outcome", "skipped").increment(applied.skippedCount());
        }
        if (applied.unapplied().isEmpty()) {
            return;
        }
        meters.counter("paystream.consumer.records", "consumer", name(), "outcome", "parked").increment(applied.unapplied().size());
        for (UnappliedRecord record : applied.parkedNow()) {
            meters.counter("paystream.consumer.parked", "consumer", name(), "failure_code", record.failure().code()).increment();
            String event = record.eventId() == null ? "no readable event" : "event " + record.eventType() + " " + record.eventId();
            log.error("Consumer {} parked {} (key {}, {}): {}: {}. It is kept with its value in parked_events; the records behind it go on",
                    name(), record.origin(), printable(record.key()), event, record.failure().code(), record.failure().message());
        }
        if (!applied.parkedNow().isEmpty()) {
            parkedChanged.run();
        }
    }

    /**
     * Applies a parked event again through this consumer's handler, as an operator asks once its cause is
     * fixed. Applied (or found applied before, by its claim): it is resolved. Failing again for a reason in
     * the record: it stays parked, with the new failure. A transient failure (the database unreachable) is
     * the {@code Mono}'s error and changes nothing.
     */
    public Mono<ParkedEvent> redrive(ParkedEvent parked) {
        if (!parked.consumer().equals(name())) {
            return Mono.error(new IllegalArgumentException(parked.id() + " was parked by " + parked.consumer() + ", not " + name()));
        }
        if (parked.isResolved()) {
            return Mono.just(parked);
        }
        if (parked.payload() == null) {
            return Mono.error(new IllegalStateException(parked.id() + " has no payload to apply"));
        }
        EnvelopeReader.Read read = reader.read(parked.payload(), parked.origin());
        Mono<ParkedEvent> outcome;
        if (read instanceof EnvelopeReader.Readable readable) {
            outcome = Mono.defer(() -> definition.handler().apply(List.of(readable.event())))
                    .timeout(properties.applyTimeout())
                    .flatMap(refusals -> refusals.isEmpty()
                            ? parkedEvents.resolve(parked.id())
                            : parkedEvents.failedAgain(parked.id(), Failure.refused(refusals.get(0).reason())))
                    .onErrorResume(error -> {
                        Failure failure = Failure.of(error);
                        return failure.kind() == Failure.Kind.TRANSIENT ? Mono.error(error) : parkedEvents.failedAgain(parked.id(), failure);
                    });
        } else {
            outcome = parkedEvents.failedAgain(parked.id(), Failure.unreadable(((EnvelopeReader.Unreadable) read).why()));
        }
        return outcome.doOnNext(after -> {
            if (after.isResolved()) {
                log.info("Consumer {} applied parked event {} ({}) on re-drive: resolved", name(), after.id(), after.origin());
                meters.counter("paystream.consumer.redrives", "consumer", name(), "outcome", "resolved").increment();
            } else {
                log.warn("Consumer {} could not apply parked event {} ({}) on re-drive either: {}: {}", name(), after.id(), after.origin(),
                        after.failureCode(), after.failureMessage());
                meters.counter("paystream.consumer.redrives", "consumer", name(), "outcome", "parked").increment();
            }
            parkedChanged.run();
        });
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public int getPhase() {
        return container.getPhase();
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
