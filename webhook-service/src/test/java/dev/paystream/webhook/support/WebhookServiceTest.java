package dev.paystream.webhook.support;

import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.testsupport.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of webhook-service integration tests: one Spring context on a real PostgreSQL database and the
 * real embedded broker, shared by every subclass. Private targets are allowed (the receivers listen on
 * 127.0.0.1) and the retry schedule is short. Requests carry the gateway's headers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class WebhookServiceTest {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static TestPostgres.Database database;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        database = ServiceTestProperties.register(registry, "webhook");
        // Each test context of this JVM consumes in a group of its own: sharing one would split the partitions between them.
        registry.add("spring.kafka.consumer.group-id", () -> "webhook-test-" + UUID.randomUUID());
        registry.add("paystream.webhooks.allow-private-targets", () -> "true");
        registry.add("paystream.webhooks.retry-schedule", () -> "200ms,200ms,200ms");
        registry.add("paystream.webhooks.attempt-timeout", () -> "1s");
        registry.add("paystream.webhooks.poll-interval", () -> "50ms");
        registry.add("paystream.webhooks.concurrency", () -> "8");
        registry.add("paystream.webhooks.concurrency-per-endpoint", () -> "2");
        registry.add("paystream.webhooks.endpoint-busy-wait", () -> "100ms");
        registry.add("paystream.webhooks.pending-refresh", () -> "200ms");
        // The breaker is tested on its own (EndpointGatesTest); here it must not hold back the scenarios' failing receivers.
        registry.add("paystream.webhooks.circuit-breaker.minimum-calls", () -> "1000");
        registry.add("paystream.webhooks.circuit-breaker.window-size", () -> "1000");
    }

    @Autowired
    protected WebTestClient web;

    protected static String newMerchantId() {
        return "mer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A client acting as {@code merchantId}, the way the gateway forwards an authenticated request. */
    protected WebTestClient as(String merchantId) {
        return web.mutate()
                .defaultHeader(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .defaultHeader(GatewayHeaders.MERCHANT_ID, merchantId)
                .build();
    }

    /** A new endpoint of {@code merchantId}: its JSON, with the secret. */
    protected JsonNode createEndpoint(String merchantId, String url, List<String> events) {
        byte[] body = as(merchantId).post().uri("/v1/webhook-endpoints").bodyValue(Map.of("url", url, "events", events))
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    protected JsonNode get(String merchantId, String path) {
        return JSON.readTree(as(merchantId).get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    /** The merchant's deliveries of {@code eventId}, once {@code done} holds for them (30 s at most). */
    protected JsonNode deliveriesOf(String merchantId, String eventId, Predicate<JsonNode> done) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(merchantId, "/v1/webhook-deliveries?event_id=" + eventId).get("data"), done);
    }

    protected static Predicate<JsonNode> allWithStatus(int count, String status) {
        return data -> data.size() == count && streamOf(data).allMatch(delivery -> delivery.get("status").asString().equals(status));
    }

    protected static java.util.stream.Stream<JsonNode> streamOf(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    /** Verifies a request with the official Standard Webhooks library; throws when the signature is not valid for {@code secret}. */
    protected static void verify(String secret, Receiver.Request request) throws Exception {
        new Webhook(secret).verify(request.body(), Map.of(
                "webhook-id", List.of(request.header("webhook-id")),
                "webhook-timestamp", List.of(request.header("webhook-timestamp")),
                "webhook-signature", List.of(request.header("webhook-signature"))));
    }
}
