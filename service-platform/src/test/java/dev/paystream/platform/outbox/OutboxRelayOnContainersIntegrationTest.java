package dev.paystream.platform.outbox;

import dev.paystream.testsupport.TestContainers;
import dev.paystream.testsupport.TestPostgres;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The outbox scenarios on a PostgreSQL container and a Kafka container, where a Docker engine
 * exists. Without one the class is skipped, not failed.
 */
@Testcontainers(disabledWithoutDocker = true)
class OutboxRelayOnContainersIntegrationTest extends OutboxRelayScenarios {

    @Override
    TestPostgres.Database database() {
        PostgreSQLContainer postgres = TestContainers.postgres();
        return new TestPostgres.Database(postgres.getHost(), postgres.getFirstMappedPort(), postgres.getDatabaseName(),
                postgres.getUsername(), postgres.getPassword());
    }

    @Override
    String bootstrapServers() {
        return TestContainers.kafka().getBootstrapServers();
    }
}
