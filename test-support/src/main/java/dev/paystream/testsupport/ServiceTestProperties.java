package dev.paystream.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a service's Spring context at a fresh real database and the shared real broker. Call it
 * from a {@code @DynamicPropertySource} method of a test base class, so that every test class
 * extending it shares one context (and one database).
 */
public final class ServiceTestProperties {

    /** The gateway token tests send; services refuse {@code /v1} calls without it. */
    public static final String GATEWAY_TOKEN = "test-gateway-token-0123456789";

    private ServiceTestProperties() {
    }

    public static TestPostgres.Database register(DynamicPropertyRegistry registry, String databasePrefix) {
        TestPostgres.Database database = TestPostgres.createDatabase(databasePrefix);
        registry.add("spring.r2dbc.url", database::r2dbcUrl);
        registry.add("spring.r2dbc.username", database::user);
        registry.add("spring.r2dbc.password", database::password);
        registry.add("spring.flyway.url", database::jdbcUrl);
        registry.add("spring.flyway.user", database::user);
        registry.add("spring.flyway.password", database::password);
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("paystream.gateway.token", () -> GATEWAY_TOKEN);
        return database;
    }
}
