package dev.paystream.ledger.support;

import static org.awaitility.Awaitility.await;

import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import dev.paystream.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The real {@code paystream.payments.v1} topic of the shared test broker, as a publisher sees it: it
 * sends records like payment-service does and tells when the ledger's consumer group has committed
 * past one, that is, when the ledger has finished with it. The producer and admin client are opened
 * once per JVM and closed when it exits.
 */
public final class PaymentsTopic {

    public static final String LEDGER_GROUP_ID = "ledger-service";
    private static final Duration CONSUMED_WITHIN = Duration.ofSeconds(30);

    private static KafkaProducer<String, String> producer;
    private static Admin admin;

    private PaymentsTopic() {
    }

    /** Publishes {@code event} and returns where the broker stored it. */
    public static RecordMetadata publish(TestEvent event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PAYMENTS, event.key(), event.value());
        if (event.id() != null) {
            record.headers().add(RecordHeaders.EVENT_ID, event.id().getBytes(StandardCharsets.UTF_8));
            record.headers().add(RecordHeaders.EVENT_TYPE, event.type().getBytes(StandardCharsets.UTF_8));
        }
        try {
            return producer().send(record).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", interrupted);
        } catch (ExecutionException | TimeoutException failed) {
            throw new IllegalStateException("the test broker did not take the record", failed);
        }
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

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.ACKS_CONFIG, "all"));
            KafkaProducer<String, String> opened = producer;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> opened.close(Duration.ofSeconds(2)), "close-test-producer"));
        }
        return producer;
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
