package dev.paystream.testsupport;

import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft, in-process, from spring-kafka-test) per test JVM, shared by every
 * Spring context of that JVM and stopped when the JVM exits. The contract's topics exist from the start.
 * With {@code PAYSTREAM_TEST_INFRA=containers} it is a Kafka container instead ({@link TestContainers}).
 */
public final class TestKafka {

    public static final int PARTITIONS = 3;
    private static EmbeddedKafkaKraftBroker broker;
    private static KafkaProducer<String, String> producer;

    private TestKafka() {
    }

    /**
     * Reads {@code topic} from the beginning, as a new consumer group, until {@code done} holds for
     * what was read or {@code timeout} passes; returns what was read either way.
     */
    public static List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> done,
                                                                Duration timeout) {
        return readUntil(bootstrapServers(), topic, done, timeout);
    }

    /** As {@link #readUntil(String, Predicate, Duration)}, from the broker at {@code bootstrapServers}. */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic,
                                                                Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Publishes {@code value} under {@code key} as a service would (with the {@code ce_id} and
     * {@code ce_type} headers) and waits for the broker's acknowledgement. The producer is opened
     * once per JVM and closed when it exits. Returns where the broker stored the record. A null
     * {@code eventId} or {@code eventType} sends no such header, as a record that is no event has none.
     */
    public static RecordMetadata publish(String topic, String key, String eventId, String eventType, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        if (eventId != null) {
            record.headers().add(RecordHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        }
        if (eventType != null) {
            record.headers().add(RecordHeaders.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8));
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

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            KafkaProducer<String, String> opened = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> opened.close(Duration.ofSeconds(2)), "close-test-producer"));
            producer = opened;
        }
        return producer;
    }

    public static synchronized String bootstrapServers() {
        if (TestContainers.requested()) {
            return TestContainers.kafka().getBootstrapServers();
        }
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, PARTITIONS, Topics.ALL.toArray(String[]::new));
            started.brokerProperty("group.initial.rebalance.delay.ms", "0");
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "stop-embedded-kafka"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }
}
