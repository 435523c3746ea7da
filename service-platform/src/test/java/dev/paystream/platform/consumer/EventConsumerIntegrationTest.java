package dev.paystream.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.testsupport.FaultyTcpProxy;
import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The platform consumer against a real PostgreSQL (behind a proxy that can cut it off) and the real
 * broker, with a handler that claims and applies in one transaction ({@link EventClaims#claimThen}) and
 * stores each event's {@code data.note}: what PostgreSQL refuses is parked and the records behind it
 * applied, a redelivery changes nothing, a refused event is applied by its re-drive, and a database
 * outage is waited out, never parked, while the consumer's health turns DOWN. A second consumer, whose
 * handler wants only {@code payment.captured}, skips records of other contract types by their header.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventConsumerIntegrationTest {

    private static final String CONSUMER = "test-notes";
    private static final String REFUSED_NOTE = "refuse me";
    private static final String SKIPPING = "test-skipping";

    private final String topic = "consumer-test-" + UUID.randomUUID();
    private final String skippingTopic = "consumer-skip-test-" + UUID.randomUUID();
    private final String skippingGroup = "test-skipping-group-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private FaultyTcpProxy proxy;
    private DatabaseClient database;
    private EventConsumers consumers;
    private EventConsumer consumer;
    private EventConsumer skipping;
    private ParkedEventOperations operations;
    private KafkaProducer<String, String> producer;
    private volatile boolean refusing = true;

    /** The data of the test's events. */
    record Note(String note) {
    }

    @BeforeAll
    void start() throws Exception {
        TestPostgres.Database db = TestPostgres.createDatabase("consumer");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/platform").load().migrate();
        proxy = FaultyTcpProxy.to(db.host(), db.port());
        ConnectionFactory connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(
                        "r2dbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name()).mutate()
                .option(ConnectionFactoryOptions.USER, db.user())
                .option(ConnectionFactoryOptions.PASSWORD, db.password())
                .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(2))
                .build());
        database = DatabaseClient.create(connections);
        database.sql("CREATE TABLE notes (event_id TEXT PRIMARY KEY, note TEXT NOT NULL)").then().block();
        EventClaims claims = new EventClaims(database, TransactionalOperator.create(new R2dbcTransactionManager(connections)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(skippingTopic, 1, (short) 1)))
                    .all().get(10, TimeUnit.SECONDS);
        }
        DefaultKafkaConsumerFactory<String, String> kafkaConsumers = new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
        kafkaConsumers.addListener(new MicrometerConsumerListener<>(meters));
        ParkedEvents parkedEvents = new R2dbcParkedEvents(database, new TimeOrderedIds(Clock.systemUTC()));
        consumers = new EventConsumers(kafkaConsumers, parkedEvents,
                new EventConsumerProperties(Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofSeconds(10), Duration.ofSeconds(2),
                        Duration.ofMillis(200)),
                meters, Clock.systemUTC());
        consumer = consumers.create(EventConsumer.Definition.of(CONSUMER, "test-group-" + UUID.randomUUID(), List.of(topic),
                events -> claims.claimThen(CONSUMER, events, this::storeNotes)));
        skipping = consumers.create(EventConsumer.Definition.of(SKIPPING, skippingGroup, List.of(skippingTopic), new EventHandler() {
            @Override
            public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
                return claims.claimThen(SKIPPING, events, EventConsumerIntegrationTest.this::storeNotes);
            }

            @Override
            public Mono<WantedTypes> wantedTypes() {
                return Mono.just(WantedTypes.only(List.of("payment.captured")));
            }
        }));
        operations = new ParkedEventOperations(parkedEvents, consumers);
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        consumer.start();
        skipping.start();
    }

    @AfterAll
    void stop() {
        consumer.stop();
        skipping.stop();
        consumers.destroy();
        producer.close(Duration.ofSeconds(2));
        proxy.close();
    }

    /** The handler's effect: each note in one statement, refused notes aside. */
    private Mono<List<Refusal>> storeNotes(List<IncomingEvent> events) {
        List<String> ids = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        for (IncomingEvent event : events) {
            String note = event.data().as(Note.class).map(Note::note).orElse(null);
            if (note == null || (refusing && note.equals(REFUSED_NOTE))) {
                refusals.add(new Refusal(event, "a note must be given and may not be refused"));
            } else {
                ids.add(event.id());
                notes.add(note);
            }
        }
        if (ids.isEmpty()) {
            return Mono.just(refusals);
        }
        return database.sql("INSERT INTO notes (event_id, note) SELECT * FROM unnest(CAST(:ids AS TEXT[]), CAST(:notes AS TEXT[]))")
                .bind("ids", ids.toArray(String[]::new))
                .bind("notes", notes.toArray(String[]::new))
                .fetch().rowsUpdated()
                .thenReturn(refusals);
    }

    @Test
    void aRecordPostgresqlRefusesIsParkedAndTheRecordsBehindItAreApplied() {
        String key = "note_" + UUID.randomUUID();
        String before = eventId();
        String nul = eventId();
        String after = eventId();
        publish(key, note(before, "before"));
        RecordMetadata nulRecord = publish(key, note(nul, "a NUL \\u0000 in the text"));
        RecordMetadata rawNul = publish(key, "{\"id\":\"" + eventId() + "\",\"type\":\"note.added\",\"data\":{\"note\":\"raw \u0000\"}}");
        publish(key, note(after, "after"));

        await().atMost(Duration.ofSeconds(30)).until(() -> noteOf(after) != null);

        assertThat(noteOf(before)).isEqualTo("before");
        assertThat(noteOf(nul)).isNull();
        ParkedEvent parkedNul = parkedAt(nulRecord);
        assertThat(parkedNul.failureCode()).isEqualTo(Failure.INVALID_DATA);
        assertThat(parkedNul.failureMessage()).startsWith("SQLSTATE 22021");
        assertThat(parkedNul.eventId()).isEqualTo(nul);
        assertThat(parkedNul.key()).isEqualTo(key);
        assertThat(claimed(nul)).isZero();
        // A NUL byte in the value itself is no JSON; PostgreSQL keeps the value with the NUL escaped.
        ParkedEvent parkedRaw = parkedAt(rawNul);
        assertThat(parkedRaw.failureCode()).isEqualTo(Failure.UNREADABLE);
        assertThat(parkedRaw.payload()).endsWith("\"raw \\u0000\"}}");
        assertThat(meters.get("paystream.consumer.parked").tags("consumer", CONSUMER, "failure_code", "invalid_data").counter().count())
                .isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                meters.get("paystream.consumer.parked.waiting").tag("consumer", CONSUMER).gauge().value() >= 2);
        assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).as("Kafka's lag gauge").isNotEmpty();
    }

    @Test
    void anEventDeliveredTwiceIsAppliedOnce() {
        String key = "note_" + UUID.randomUUID();
        String id = eventId();
        publish(key, note(id, "once"));
        publish(key, note(id, "twice"));
        String marker = eventId();
        publish(key, note(marker, "marker"));

        await().atMost(Duration.ofSeconds(30)).until(() -> noteOf(marker) != null);

        assertThat(noteOf(id)).isEqualTo("once");
        assertThat(claimed(id)).isOne();
    }

    @Test
    void aRefusedEventIsParkedUnclaimedAndAppliedOnceByItsReDriveWhenTheHandlerTakesIt() {
        String key = "note_" + UUID.randomUUID();
        String refused = eventId();
        RecordMetadata record = publish(key, note(refused, REFUSED_NOTE));
        await().atMost(Duration.ofSeconds(30)).until(() -> parkedOrNull(record) != null);
        ParkedEvent parked = parkedAt(record);
        assertThat(parked.failureCode()).isEqualTo(Failure.REFUSED);
        assertThat(claimed(refused)).isZero();

        ParkedEvent stillRefused = redrive(parked);
        refusing = false;
        ParkedEvent resolved;
        try {
            resolved = redrive(parked);
        } finally {
            refusing = true;
        }
        ParkedEvent again = redrive(parked);

        assertThat(stillRefused.status()).isEqualTo(ParkedEvent.PARKED);
        assertThat(stillRefused.redriveCount()).isEqualTo(1);
        assertThat(resolved.status()).isEqualTo(ParkedEvent.RESOLVED);
        assertThat(resolved.redriveCount()).isEqualTo(2);
        assertThat(again).isEqualTo(resolved);
        assertThat(noteOf(refused)).isEqualTo(REFUSED_NOTE);
        assertThat(claimed(refused)).isOne();
    }

    @Test
    void whileTheDatabaseIsUnreachableTheConsumerRetriesParksNothingAndReportsItselfStuck() {
        EventConsumersHealthIndicator health = new EventConsumersHealthIndicator(consumers);
        String key = "note_" + UUID.randomUUID();
        String id = eventId();
        proxy.cut();
        RecordMetadata record;
        try {
            record = publish(key, note(id, "written after the outage"));
            await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN));
        } finally {
            proxy.restore();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> noteOf(id) != null);
        assertThat(parkedOrNull(record)).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(meters.get("paystream.consumer.retries").tags("consumer", CONSUMER, "failure", "transient").counter().count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void recordsOfTypesTheHandlerDoesNotWantAreSkippedUnreadUnclaimedAndCommittedWithTheRecordsBehindThem() throws Exception {
        String key = "note_" + UUID.randomUUID();
        String authorized = eventId();
        String captured = eventId();
        String unmarked = eventId();
        TestKafka.publish(skippingTopic, key, authorized, "payment.authorized", note(authorized, "authorized"));
        // Broken behind a header that names an unwanted type: were it read, it would be parked.
        RecordMetadata brokenSkipped = TestKafka.publish(skippingTopic, key, null, "payment.settled", "not json");
        TestKafka.publish(skippingTopic, key, captured, "payment.captured", note(captured, "captured"));
        RecordMetadata last = TestKafka.publish(skippingTopic, key, unmarked, null, note(unmarked, "without a type header"));

        await().atMost(Duration.ofSeconds(30)).until(() -> noteOf(unmarked) != null);

        assertThat(noteOf(captured)).isEqualTo("captured");
        assertThat(noteOf(authorized)).isNull();
        assertThat(claimed(SKIPPING, authorized)).isZero();
        assertThat(parkedOrNull(brokenSkipped)).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> committedOffset(skippingGroup, skippingTopic) > last.offset());
        assertThat(meters.get("paystream.consumer.records").tags("consumer", SKIPPING, "outcome", "skipped").counter().count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRecordWithoutTheTypeHeaderIsReadAsBeforeByAConsumerThatSkipsAndParkedWhenItIsNoEvent() {
        String key = "note_" + UUID.randomUUID();
        String after = eventId();
        RecordMetadata broken = TestKafka.publish(skippingTopic, key, null, null, "not json");
        RecordMetadata unknownType = TestKafka.publish(skippingTopic, key, null, "note.added", "not json either");
        TestKafka.publish(skippingTopic, key, after, null, note(after, "after"));

        await().atMost(Duration.ofSeconds(30)).until(() -> noteOf(after) != null);

        assertThat(parkedAt(broken).failureCode()).isEqualTo(Failure.UNREADABLE);
        assertThat(parkedAt(unknownType).failureCode()).isEqualTo(Failure.UNREADABLE);
        assertThat(claimed(SKIPPING, after)).isOne();
    }

    private static long committedOffset(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new org.apache.kafka.common.TopicPartition(topic, 0));
            return committed == null ? -1 : committed.offset();
        }
    }

    /**
     * An operator's re-drive. Run right after the outage test, the first connection through the proxy was
     * once reset before it was established (CI, 2026-11-30: "Failed to obtain R2DBC Connection", connection
     * reset by peer): nothing ran, so it is asked again, as an operator would — the re-drive's own semantics
     * are what this test checks.
     */
    private ParkedEvent redrive(ParkedEvent parked) {
        return operations.redrive(parked.id())
                .retryWhen(reactor.util.retry.Retry.backoff(3, Duration.ofMillis(200))
                        .filter(org.springframework.dao.DataAccessResourceFailureException.class::isInstance))
                .block();
    }

    private RecordMetadata publish(String key, String value) {
        try {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception failed) {
            throw new IllegalStateException("the test broker did not take the record", failed);
        }
    }

    private ParkedEvent parkedAt(RecordMetadata record) {
        await().atMost(Duration.ofSeconds(30)).until(() -> parkedOrNull(record) != null);
        return parkedOrNull(record);
    }

    private ParkedEvent parkedOrNull(RecordMetadata record) {
        String id = database.sql("SELECT id FROM parked_events WHERE topic = :topic AND record_partition = :partition AND record_offset = :offset")
                .bind("topic", record.topic()).bind("partition", record.partition()).bind("offset", record.offset())
                .map(row -> row.get("id", String.class)).one().block();
        return id == null ? null : operations.find(id).block();
    }

    private String noteOf(String eventId) {
        return database.sql("SELECT note FROM notes WHERE event_id = :id").bind("id", eventId)
                .map(row -> row.get("note", String.class)).one().block();
    }

    private long claimed(String eventId) {
        return claimed(CONSUMER, eventId);
    }

    private long claimed(String consumerName, String eventId) {
        return database.sql("SELECT count(*) AS n FROM processed_events WHERE consumer = :consumer AND event_id = :id")
                .bind("consumer", consumerName).bind("id", eventId)
                .map(row -> row.get("n", Long.class)).one().block();
    }

    private static String eventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static String note(String eventId, String note) {
        return "{\"id\":\"" + eventId + "\",\"type\":\"note.added\",\"version\":1,\"aggregate_id\":\"note_1\","
                + "\"occurred_at\":\"2026-11-23T18:30:01Z\",\"data\":{\"note\":\"" + note + "\"}}";
    }
}
