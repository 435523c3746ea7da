package dev.paystream.platform.outbox;

import dev.paystream.testsupport.TestKafka;
import dev.paystream.testsupport.TestPostgres;

/** The outbox scenarios on the local PostgreSQL and the in-process broker. */
class OutboxRelayIntegrationTest extends OutboxRelayScenarios {

    @Override
    TestPostgres.Database database() {
        return TestPostgres.createDatabase("platform");
    }

    @Override
    String bootstrapServers() {
        return TestKafka.bootstrapServers();
    }
}
