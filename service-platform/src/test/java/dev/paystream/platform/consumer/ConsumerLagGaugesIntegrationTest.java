package dev.paystream.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.testsupport.TestKafka;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import reactor.core.publisher.Mono;

/**
 * {@code paystream.consumer.lag} against the real broker: the records a consumer group has not
 * committed yet, over every partition of its topics, whether or not the consumer runs.
 */
class ConsumerLagGaugesIntegrationTest {

    @Test
    void theLagCountsTheRecordsTheGroupHasNotCommittedAndFallsToZeroOnceItConsumed() throws Exception {
        String topic = "lag-test-" + UUID.randomUUID();
        String group = "lag-test-group-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        for (int index = 0; index < 5; index++) {
            // Not envelopes: the consumer parks them, which moves its offsets on all the same.
            TestKafka.publish(topic, "key-" + index, "evt_" + index, "test.noted", "not an envelope " + index);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventConsumers consumers = new EventConsumers(
                new DefaultKafkaConsumerFactory<>(Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer()),
                new InMemoryParkedEvents(),
                new EventConsumerProperties(Duration.ofMillis(100), Duration.ofSeconds(1), 3, Duration.ofSeconds(10), Duration.ofSeconds(60),
                        Duration.ofHours(1)),
                meters, Clock.systemUTC());
        EventConsumer consumer = consumers.create(EventConsumer.Definition.of("lag-test", group, List.of(topic), events -> Mono.just(List.of())));
        ConsumerLag lag = new ConsumerLag(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        ConsumerLagGauges gauges = new ConsumerLagGauges(consumers, lag, meters, Duration.ofMillis(100));
        try {
            gauges.start();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lagOf(meters, "lag-test", group)).isEqualTo(5));

            // Stopped and started again (as Spring pauses and restarts a cached test context), with a collection
            // in between: the gauge must still show the figure being refreshed, not NaN (seen in CI).
            gauges.stop();
            System.gc();
            gauges.start();
            consumer.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lagOf(meters, "lag-test", group)).isZero());
        } finally {
            consumer.stop();
            gauges.stop();
            consumers.destroy();
            lag.close();
        }
    }

    private static double lagOf(SimpleMeterRegistry meters, String consumer, String group) {
        Gauge gauge = meters.find("paystream.consumer.lag").tag("consumer", consumer).tag("group", group).gauge();
        assertThat(gauge).as("the lag gauge of consumer %s", consumer).isNotNull();
        return gauge.value();
    }
}
