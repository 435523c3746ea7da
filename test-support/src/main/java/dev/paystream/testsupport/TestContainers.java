package dev.paystream.testsupport;

import dev.paystream.events.Topics;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL and Kafka in containers, for machines with a Docker engine. Tests use them when
 * {@code PAYSTREAM_TEST_INFRA=containers}; otherwise the local PostgreSQL and the in-process broker.
 * Started once per JVM and stopped by Testcontainers' reaper when the JVM exits.
 */
public final class TestContainers {

    public static final String POSTGRES_IMAGE = "postgres:15-alpine";
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private static PostgreSQLContainer postgres;
    private static KafkaContainer kafka;

    private TestContainers() {
    }

    /** Whether the tests were asked to run on containers ({@code PAYSTREAM_TEST_INFRA=containers}). */
    public static boolean requested() {
        return "containers".equals(System.getenv("PAYSTREAM_TEST_INFRA"));
    }

    public static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    public static synchronized PostgreSQLContainer postgres() {
        if (postgres == null) {
            PostgreSQLContainer started = new PostgreSQLContainer(POSTGRES_IMAGE);
            started.start();
            postgres = started;
        }
        return postgres;
    }

    /** A broker with the contract's topics, as the embedded one has them. */
    public static synchronized KafkaContainer kafka() {
        if (kafka == null) {
            KafkaContainer started = new KafkaContainer(KAFKA_IMAGE);
            started.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, started.getBootstrapServers()))) {
                admin.createTopics(Topics.ALL.stream().map(topic -> new NewTopic(topic, TestKafka.PARTITIONS, (short) 1)).toList()).all().get();
            } catch (ExecutionException | InterruptedException failure) {
                throw new IllegalStateException("Could not create the contract topics in the Kafka container", failure);
            }
            kafka = started;
        }
        return kafka;
    }
}
