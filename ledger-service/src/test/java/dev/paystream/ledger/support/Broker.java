package dev.paystream.ledger.support;

import static org.awaitility.Awaitility.await;

import dev.paystream.testsupport.TestKafka;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The shared test broker as a publisher sees it: it sends records to their topics like payment-service
 * does (through test-support's {@link TestKafka#publish}) and tells when the ledger's consumer group has
 * committed past one, that is, when the ledger has finished with it. The admin client is opened once per
 * JVM and closed when it exits.
 */
public final class Broker {

    public static final String LEDGER_GROUP_ID = "ledger-service";
    private static final Duration CONSUMED_WITHIN = Duration.ofSeconds(30);

    private static Admin admin;

    private Broker() {
    }

    /** Publishes {@code event} to its topic and returns where the broker stored it. */
    public static RecordMetadata publish(TestEvent event) {
        return TestKafka.publish(event.topic(), event.key(), event.id(), event.type(), event.value());
    }

    /** Waits until the ledger's consumer group has committed an offset beyond {@code record}. */
    public static void awaitConsumed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        await().atMost(CONSUMED_WITHIN).until(() -> committedOffset(partition) > record.offset());
    }

    /** Whether the ledger's consumer group has committed an offset beyond {@code record}: it is done with it. */
    public static boolean isConsumed(RecordMetadata record) throws Exception {
        return committedOffset(new TopicPartition(record.topic(), record.partition())) > record.offset();
    }

    private static long committedOffset(TopicPartition partition) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(LEDGER_GROUP_ID)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        OffsetAndMetadata committed = offsets.get(partition);
        return committed == null ? -1 : committed.offset();
    }

    private static synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
            Admin opened = admin;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> opened.close(Duration.ofSeconds(2)), "close-test-admin"));
        }
        return admin;
    }
}
