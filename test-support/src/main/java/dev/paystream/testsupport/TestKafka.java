package dev.paystream.testsupport;

import dev.paystream.events.Topics;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft, in-process, from spring-kafka-test) per test JVM, shared by every
 * Spring context of that JVM and stopped when the JVM exits. The contract's topics exist from the start.
 */
public final class TestKafka {

    public static final int PARTITIONS = 3;
    private static EmbeddedKafkaKraftBroker broker;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
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
