package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks end to end, on the platform as {@code ./paystream up} runs it, with a receiver in this JVM
 * (the platform's webhook-service retries every second: {@link Platform.Shared}). A merchant registers
 * an endpoint through the gateway and pays; webhook-service is killed with SIGKILL while its deliveries wait for retries and
 * while more events arrive; started again, it delivers every one of them, each signed validly (checked
 * by the official Standard Webhooks library) and each answered 200 exactly once.
 */
@ExtendWith(Platform.Shared.class)
class WebhooksEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Platform platform;
    private static String gateway;
    private static GatewayClient client;
    private static HttpServer receiver;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final AtomicInteger answer = new AtomicInteger(500);

    private record Received(Map<String, List<String>> headers, String body, int answered) {

        String webhookId() {
            return headers.get("webhook-id").get(0);
        }
    }

    @BeforeAll
    static void startTheReceiver(Platform started) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
                int status = answer.get();
                received.add(new Received(headers, body, status));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        receiver.start();

        platform = started;
        gateway = platform.url("gateway");
        client = platform.client();
    }

    @AfterAll
    static void stopTheReceiver() {
        if (receiver != null) {
            receiver.stop(0);
            ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
        }
    }

    @Test
    void webhookServiceKilledMidQueueResumesAndDeliversEveryEventOnceWithAValidSignature() throws Exception {
        String apiKey = createMerchantKey();
        HttpResponse<String> created = send("POST", "/v1/webhook-endpoints", apiKey,
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\",\"events\":[\"payment.captured\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = JSON.readTree(created.body()).get("secret").asString();
        List<String> payments = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            payments.add(pay(apiKey));
        }
        // The receiver fails them all: they wait on the queue for their next attempt.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> deliveries(apiKey, "pending").size() == 5 && failedAttemptsSeen() >= 5);

        platform.kill("webhook");
        for (int i = 0; i < 3; i++) {
            payments.add(pay(apiKey)); // Their events wait in Kafka while nobody consumes them.
        }
        answer.set(200);
        platform.up(); // Starts webhook-service again (what runs is left running) and waits until it is ready.

        List<JsonNode> delivered = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> deliveries(apiKey, "delivered"), list -> list.size() == 8);
        Set<String> paymentIdsDelivered = received.stream().filter(request -> request.answered() == 200)
                .map(request -> JSON.readTree(request.body()).get("data").get("id").asString()).collect(Collectors.toSet());
        assertThat(paymentIdsDelivered).containsExactlyInAnyOrderElementsOf(payments);
        Map<String, Long> successesPerEvent = received.stream().filter(request -> request.answered() == 200)
                .collect(Collectors.groupingBy(Received::webhookId, Collectors.counting()));
        assertThat(successesPerEvent).hasSize(8).allSatisfy((event, count) -> assertThat(count).as(event).isEqualTo(1));
        for (Received request : received) {
            new Webhook(secret).verify(request.body(), request.headers());
        }
        assertThat(delivered).allSatisfy(delivery -> assertThat(delivery.get("attempts").get(delivery.get("attempts").size() - 1)
                .get("status_code").asInt()).isEqualTo(200));
    }

    private static long failedAttemptsSeen() {
        return received.stream().filter(request -> request.answered() == 500).map(Received::webhookId).distinct().count();
    }

    private static List<JsonNode> deliveries(String apiKey, String status) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/v1/webhook-deliveries?limit=100&status=" + status, apiKey, null);
        JsonNode data = JSON.readTree(response.body()).get("data");
        return data == null ? List.of() : StreamSupport.stream(data.spliterator(), false).toList();
    }

    private static String pay(String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/payments"))
                .header("Content-Type", "application/json").header("x-api-key", apiKey)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":"
                        + "{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("id").asString();
    }

    private static String createMerchantKey() throws IOException, InterruptedException {
        return client.createMerchantKey();
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, String body) throws IOException, InterruptedException {
        return client.send(method, path, apiKey, Map.of(), body);
    }
}
