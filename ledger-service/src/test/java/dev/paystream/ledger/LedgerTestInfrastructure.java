package dev.paystream.ledger;

import dev.paystream.testsupport.ServiceTestProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Points the ledger at a fresh real PostgreSQL database and the shared real broker. Every Spring test
 * class of this module implements it, so they all declare the very same property source method and
 * share one cached context: one database and one consumer in the {@code ledger-service} group. A
 * second context would be a second consumer in that group, taking partitions from the first.
 */
interface LedgerTestInfrastructure {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "ledger");
        // The drift gauges follow the events within a test's wait (30 s in production).
        registry.add("paystream.ledger.drift.refresh", () -> "1s");
    }
}
