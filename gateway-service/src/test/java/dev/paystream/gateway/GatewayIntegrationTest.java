package dev.paystream.gateway;

import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.testsupport.TestPostgres;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One gateway context, shared by every integration test class that extends this one: a fresh real
 * PostgreSQL database, and real HTTP servers standing in for the services. The customer service
 * answers at once, the ledger service too slowly for its route timeout, and the payment and webhook
 * services are down (nothing listens on their ports). Rate limits are counted in a real Redis.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
abstract class GatewayIntegrationTest {

    static final String ADMIN_KEY = "sk_admin_integration_test_0123456789";
    /** The real Redis of the development machines and CI; rate limits are counted there. */
    static final String REDIS_HOST = System.getenv().getOrDefault("PAYSTREAM_TEST_REDIS_HOST", "127.0.0.1");
    static final int REDIS_PORT = Integer.parseInt(System.getenv().getOrDefault("PAYSTREAM_TEST_REDIS_PORT", "6379"));
    static final Duration LEDGER_TIMEOUT = Duration.ofMillis(800);
    static final Duration REQUEST_BODY_TIMEOUT = Duration.ofMillis(1500);

    static final DownstreamStub CUSTOMER_SERVICE = DownstreamStub.echo();
    static final DownstreamStub SLOW_LEDGER_SERVICE = DownstreamStub.slow(Duration.ofSeconds(10));
    static final String STOPPED_SERVICE_URL = DownstreamStub.deadUrl();

    static TestPostgres.Database database;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        database = ServiceTestProperties.register(registry, "gateway");
        registry.add("paystream.admin-key", () -> ADMIN_KEY);
        registry.add("paystream.services.customer.url", CUSTOMER_SERVICE::url);
        registry.add("paystream.services.payment.url", () -> STOPPED_SERVICE_URL);
        registry.add("paystream.services.ledger.url", SLOW_LEDGER_SERVICE::url);
        registry.add("paystream.services.ledger.response-timeout-ms", LEDGER_TIMEOUT::toMillis);
        registry.add("paystream.services.webhook.url", () -> STOPPED_SERVICE_URL);
        registry.add("paystream.health-timeout", () -> "500ms");
        registry.add("paystream.request-body-timeout", () -> REQUEST_BODY_TIMEOUT.toMillis() + "ms");
        registry.add("paystream.cors.allowed-origins", () -> "https://dashboard.example.com");
        registry.add("spring.data.redis.host", () -> REDIS_HOST);
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
    }

    /** The properties of this context, for a second gateway replica sharing its database and Redis. */
    static Map<String, Object> replicaProperties() {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("spring.r2dbc.url", database.r2dbcUrl());
        properties.put("spring.r2dbc.username", database.user());
        properties.put("spring.r2dbc.password", database.password());
        properties.put("spring.flyway.url", database.jdbcUrl());
        properties.put("spring.flyway.user", database.user());
        properties.put("spring.flyway.password", database.password());
        properties.put("paystream.gateway.token", ServiceTestProperties.GATEWAY_TOKEN);
        properties.put("paystream.admin-key", ADMIN_KEY);
        properties.put("paystream.services.customer.url", CUSTOMER_SERVICE.url());
        properties.put("paystream.services.payment.url", STOPPED_SERVICE_URL);
        properties.put("paystream.services.ledger.url", SLOW_LEDGER_SERVICE.url());
        properties.put("paystream.services.webhook.url", STOPPED_SERVICE_URL);
        properties.put("spring.data.redis.host", REDIS_HOST);
        properties.put("spring.data.redis.port", REDIS_PORT);
        properties.put("server.port", 0);
        return properties;
    }

    @Autowired
    WebTestClient web;

    @Value("${local.server.port}")
    int gatewayPort;

    record CreatedMerchant(String id, String apiKey, String keyId) {
    }

    CreatedMerchant createMerchant(String name, int rateLimitPerMinute) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = web.post().uri("/v1/merchants")
                .header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", name, "rate_limit_per_minute", rateLimitPerMinute))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CREATED)
                .expectBody(Map.class).returnResult().getResponseBody();
        return new CreatedMerchant((String) body.get("id"), (String) body.get("api_key"), (String) body.get("api_key_id"));
    }

    CreatedMerchant createMerchant(String name) {
        return createMerchant(name, 1000);
    }
}
