package dev.paystream.ledger;

import dev.paystream.ledger.journal.adapter.rebuild.LedgerRebuild;
import dev.paystream.ledger.journal.adapter.rebuild.RebuildSettings;
import dev.paystream.ledger.support.MoneyLifecycles;
import dev.paystream.ledger.support.TestEvent;
import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The rebuild's benchmark (bench/ledger-rebuild.sh, docs/benchmarks.md), not a test: it asserts nothing
 * about time and runs only when asked ({@code -Dledger.benchmark.events=N}). It fills two topics of their
 * own on the in-process broker with {@code N} events of random valid lives of money (the mix of
 * {@link MoneyLifecycles}, records delivered again included), migrates a fresh ledger database, then
 * replays the topics with the operator's rebuild and prints its report: records per second, this JVM's CPU
 * (the broker serving the fetches runs in it too) and the CPU of PostgreSQL's COPY backends.
 */
@EnabledIfSystemProperty(named = "ledger.benchmark.events", matches = "[0-9]+")
class LedgerRebuildBenchmark {

    @Test
    void replaysTheTopicsIntoFreshTables() throws Exception {
        int events = Integer.getInteger("ledger.benchmark.events");
        String suffix = Long.toHexString(System.nanoTime());
        List<String> topics = List.of("bench.payments." + suffix, "bench.settlements." + suffix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, TestKafka.PARTITIONS, (short) 1)).toList()).all().get();
        }
        long produceStarted = System.nanoTime();
        int published = publish(topics, events);
        System.out.printf("Published %,d records in %.1f s%n", published, (System.nanoTime() - produceStarted) / 1e9);

        TestPostgres.Database database = TestPostgres.createDatabase("ledgerbench");
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations("classpath:db/platform/consumer", "classpath:db/migration/ledger")
                .load().migrate();

        RebuildSettings settings = new RebuildSettings(TestKafka.bootstrapServers(), topics, database.jdbcUrl(), database.user(),
                database.password(), "ledger_rebuild", "ledger-service", false, Duration.ZERO);
        LedgerRebuild.Report report = new LedgerRebuild(settings).run();
        System.out.print(LedgerRebuild.describe(settings, report));
    }

    /** Lives of money until {@code events} records are published: payments on the first topic, batches on the second. */
    private static int publish(List<String> topics, int events) throws Exception {
        SplittableRandom random = new SplittableRandom(20261130L);
        int published = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            Future<RecordMetadata> last = null;
            while (published < events) {
                MoneyLifecycles.Life life = MoneyLifecycles.life(random, 60);
                for (TestEvent event : MoneyLifecycles.deliveries(life.events(), random, 2)) {
                    String topic = event.topic().startsWith("paystream.settlements") ? topics.get(1) : topics.get(0);
                    last = producer.send(new ProducerRecord<>(topic, event.key(), event.value()));
                    published++;
                }
            }
            producer.flush();
            last.get();
        }
        return published;
    }
}
