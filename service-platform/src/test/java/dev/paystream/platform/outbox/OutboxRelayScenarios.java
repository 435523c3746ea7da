package dev.paystream.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.events.RecordHeaders;
import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The outbox against a real PostgreSQL and a real broker: what was committed is published even when
 * the first attempt dies between commit and publish, exactly the committed rows are published, and
 * nothing is published twice once acknowledged. Subclasses say where PostgreSQL and Kafka are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OutboxRelayScenarios {

    private ConnectionFactory connections;
    private DatabaseClient database;
    private TransactionalOperator transactions;

    /** A fresh, empty database for these scenarios. */
    abstract TestPostgres.Database database();

    abstract String bootstrapServers();

    @BeforeAll
    void migrate() {
        TestPostgres.Database db = database();
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/platform").load().migrate();
        connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(db.r2dbcUrl()).mutate()
                .option(ConnectionFactoryOptions.USER, db.user())
                .option(ConnectionFactoryOptions.PASSWORD, db.password())
                .build());
        database = DatabaseClient.create(connections);
        transactions = TransactionalOperator.create(new R2dbcTransactionManager(connections));
    }

    @Test
    void rowsCommittedBeforeACrashArePublishedByTheNextRelayExactlyOnce() {
        String topic = "outbox-test-" + UUID.randomUUID();
        List<OutboxMessage> messages = List.of(message(topic, "pay_1", "payment.authorized"),
                message(topic, "pay_1", "payment.captured"), message(topic, "pay_2", "payment.authorized"));
        OutboxRelay deadBrokerRelay = relay("127.0.0.1:1");
        transactions.transactional(new OutboxWriter(database, deadBrokerRelay).append(messages)).block();

        // The first relay dies before the broker acknowledges: nothing may be marked published.
        assertThatThrownBy(() -> deadBrokerRelay.publishBatch().block()).isNotNull();
        assertThat(pendingCount(messages)).isEqualTo(3);

        OutboxRelay recovered = relay(bootstrapServers());
        Integer published = drain(recovered);

        List<ConsumerRecord<String, String>> records = consume(topic, 3);
        assertThat(published).isEqualTo(3);
        assertThat(pendingCount(messages)).isZero();
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(messages.stream().map(OutboxMessage::payload).toList());
        assertThat(records).filteredOn(record -> record.key().equals("pay_1")).extracting(ConsumerRecord::value)
                .containsExactly(messages.get(0).payload(), messages.get(1).payload());
        ConsumerRecord<String, String> first = records.stream().filter(record -> record.value().equals(messages.get(0).payload())).findFirst().orElseThrow();
        assertThat(header(first, RecordHeaders.EVENT_ID)).isEqualTo(messages.get(0).eventId());
        assertThat(header(first, RecordHeaders.EVENT_TYPE)).isEqualTo("payment.authorized");
        assertThat(recovered.publishBatch().block()).as("an acknowledged row is not published again").isZero();
    }

    @Test
    void rowsOfARolledBackTransactionAreNeverPublished() {
        String topic = "outbox-test-" + UUID.randomUUID();
        OutboxMessage message = message(topic, "pay_3", "payment.authorized");
        OutboxRelay relay = relay(bootstrapServers());

        Mono<Void> failingChange = new OutboxWriter(database, relay).append(List.of(message))
                .then(Mono.error(new IllegalStateException("the state change failed after the outbox write")));
        assertThatThrownBy(() -> transactions.transactional(failingChange).block()).hasMessageContaining("state change failed");

        drain(relay);
        assertThat(database.sql("SELECT count(*) AS n FROM outbox WHERE event_id = :id").bind("id", message.eventId())
                .map(row -> row.get("n", Long.class)).one().block()).isZero();
    }

    @Test
    void theRelayVacuumsTheOutboxAfterDeletingEnoughRows() {
        String topic = "outbox-test-" + UUID.randomUUID();
        OutboxRelay relay = relay(bootstrapServers(), 3);
        drain(relay);
        long vacuumsBefore = outboxVacuumCount();
        transactions.transactional(new OutboxWriter(database, relay).append(List.of(message(topic, "pay_4", "payment.authorized"),
                message(topic, "pay_4", "payment.captured")))).block();
        drain(relay);
        assertThat(outboxVacuumCount()).as("two rows deleted, the threshold is three").isEqualTo(vacuumsBefore);

        transactions.transactional(new OutboxWriter(database, relay).append(List.of(message(topic, "pay_5", "payment.authorized")))).block();
        assertThat(drain(relay)).isEqualTo(1);
        // The vacuuming backend reports to the statistics as it finishes; a new snapshot sees it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(outboxVacuumCount()).isEqualTo(vacuumsBefore + 1));
        assertThat(consume(topic, 3)).hasSize(3);
    }

    /**
     * An instance that stalls while it holds the relay lock (paused, partitioned: its connection stays
     * open) must not stop publishing for every instance: PostgreSQL ends its idle transaction after
     * the lock's idle timeout, and another relay publishes. Before the limits, the lock stayed taken
     * for as long as the stalled process lived.
     */
    @Test
    void aRelayThatStallsHoldingTheLockLosesItAndAnotherInstancePublishes() {
        String topic = "outbox-test-" + UUID.randomUUID();
        OutboxRelay relay = relay(bootstrapServers());
        drain(relay);
        Connection stalled = Mono.from(connections.create()).block();
        try {
            Mono.from(stalled.beginTransaction()).block();
            Boolean locked = Mono.from(stalled.createStatement(OutboxRelay.LOCK
                                    .replace(":idleTimeout", "'1s'").replace(":statementTimeout", "'5s'").replace(":key", "$1"))
                            .bind("$1", OutboxRelay.RELAY_LOCK_KEY).execute())
                    .flatMap(result -> Mono.from(result.map((row, meta) -> row.get("locked", Boolean.class)))).block();
            assertThat(locked).as("the stalled instance holds the relay lock").isTrue();
            transactions.transactional(new OutboxWriter(database, relay).append(List.of(message(topic, "pay_6", "payment.authorized")))).block();
            assertThat(relay.publishBatch().block()).as("locked out while the other instance holds the lock").isZero();

            // The stalled instance sends nothing more; its session ends after the idle timeout, and the lock with it.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> relay.publishBatch().block(), published -> published == 1);
            assertThat(consume(topic, 1)).hasSize(1);
        } finally {
            Mono.from(stalled.close()).onErrorComplete().block();
        }
    }

    @Test
    void theBacklogGaugesShowRowsWaitingForTheBrokerAndHowLongTheOldestWaited() {
        String topic = "outbox-test-" + UUID.randomUUID();
        OutboxRelay relay = relay(bootstrapServers());
        drain(relay);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // An hour ahead of the database: the oldest row has waited at least that long.
        Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        try (OutboxBacklogGauges gauges = new OutboxBacklogGauges(database, meters, anHourLater, Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gauge(meters, "paystream.outbox.pending")).isZero());
            assertThat(gauge(meters, "paystream.outbox.oldest.pending.age")).isZero();

            transactions.transactional(new OutboxWriter(database, relay).append(List.of(message(topic, "pay_7", "payment.authorized"),
                    message(topic, "pay_7", "payment.captured")))).block();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gauge(meters, "paystream.outbox.pending")).isEqualTo(2));
            assertThat(gauge(meters, "paystream.outbox.oldest.pending.age")).isBetween(3_500.0, 3_700.0);

            assertThat(drain(relay)).isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(gauge(meters, "paystream.outbox.pending")).isZero());
            assertThat(gauge(meters, "paystream.outbox.oldest.pending.age")).isZero();
        }
    }

    private static double gauge(SimpleMeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }

    private long outboxVacuumCount() {
        return database.sql("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'outbox'")
                .map(row -> row.get("vacuum_count", Long.class)).one().block();
    }

    private Integer drain(OutboxRelay relay) {
        int total = 0;
        Integer batch;
        while ((batch = relay.publishBatch().block()) != null && batch > 0) {
            total += batch;
        }
        return total;
    }

    private static OutboxMessage message(String topic, String key, String type) {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        return new OutboxMessage(eventId, topic, key, type, "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\"}");
    }

    private long pendingCount(List<OutboxMessage> messages) {
        return database.sql("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND event_id = ANY(:ids)")
                .bind("ids", messages.stream().map(OutboxMessage::eventId).toArray(String[]::new))
                .map(row -> row.get("n", Long.class)).one().block();
    }

    private OutboxRelay relay(String bootstrapServers) {
        return relay(bootstrapServers, 0);
    }

    private OutboxRelay relay(String bootstrapServers, long vacuumAfterRows) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        KafkaTemplate<String, String> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
        return new OutboxRelay(database, transactions, kafka,
                new OutboxRelayProperties(100, Duration.ofMillis(50), Duration.ofMillis(5), Duration.ofSeconds(5), Duration.ofSeconds(1),
                        Duration.ofSeconds(6), vacuumAfterRows),
                new SimpleMeterRegistry());
    }

    private List<ConsumerRecord<String, String>> consume(String topic, int expected) {
        // The records were acknowledged before this runs; waiting for one more than expected shows there is none.
        return TestKafka.readUntil(bootstrapServers(), topic, read -> read.size() > expected, Duration.ofSeconds(3));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
