package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walking skeleton end to end, on the platform as {@code ./paystream up} runs it (separate JVMs, a
 * real Kafka broker, a real PostgreSQL): a client pays through the gateway and finds the balanced
 * journal entry in the ledger, also through the gateway.
 */
@ExtendWith(Platform.Shared.class)
class WalkingSkeletonEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static GatewayClient client;
    private static String paymentServiceUrl;

    @BeforeAll
    static void connect(Platform platform) {
        client = platform.client();
        paymentServiceUrl = platform.url("payment");
    }

    @Test
    void aPaymentThroughTheGatewayBecomesABalancedLedgerEntry() throws Exception {
        String apiKey = createMerchantKey();

        HttpResponse<String> created = send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                """
                {"amount":5000,"currency":"USD","payment_method":"card",
                 "card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Request-Id")).isPresent();
        JsonNode payment = JSON.readTree(created.body());
        String paymentId = payment.get("id").asString();
        assertThat(payment.get("status").asString()).isEqualTo("captured");

        JsonNode entries = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> JSON.readTree(send("GET", "/v1/ledger/entries?payment_id=" + paymentId, apiKey, Map.of(), null).body()),
                        body -> body.has("data") && body.get("data").size() == 1);

        JsonNode entry = entries.get("data").get(0);
        assertThat(entry.get("payment_id").asString()).isEqualTo(paymentId);
        assertThat(entry.get("event_id").asString()).startsWith("evt_");
        long debits = 0;
        long credits = 0;
        for (JsonNode line : entry.get("lines")) {
            assertThat(line.get("currency").asString()).isEqualTo("USD");
            debits += line.get("debit").asLong();
            credits += line.get("credit").asLong();
        }
        assertThat(debits).isEqualTo(5000).isEqualTo(credits);
    }

    @Test
    void badInputThroughTheGatewayIsA422ProblemNamingTheField() throws Exception {
        String apiKey = createMerchantKey();

        HttpResponse<String> response = send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                "{\"amount\":-1,\"currency\":\"USD\",\"payment_method\":\"card\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JSON.readTree(response.body()).get("param").asString()).isEqualTo("amount");
    }

    @Test
    void aRequestWithoutAKeyIsRefusedByTheGateway() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/payments/pay_123", null, Map.of(), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void aDeclineThroughTheGatewayIsA402CarryingThePaymentAndItsDeclineCode() throws Exception {
        String apiKey = createMerchantKey();

        HttpResponse<String> response = send("POST", "/v1/payments", apiKey, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                cardPayment("4000000000009995"));

        assertThat(response.statusCode()).isEqualTo(402);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("decline_code").asString()).isEqualTo("insufficient_funds");
        HttpResponse<String> stored = send("GET", "/v1/payments/" + problem.get("payment_id").asString(), apiKey, Map.of(), null);
        assertThat(JSON.readTree(stored.body()).get("status").asString()).isEqualTo("declined");
    }

    @Test
    void anIdempotentRetryThroughTheGatewayIsReplayedByteForByte() throws Exception {
        String apiKey = createMerchantKey();
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        HttpResponse<String> first = send("POST", "/v1/payments", apiKey, key, cardPayment("4242424242424242"));
        HttpResponse<String> retry = send("POST", "/v1/payments", apiKey, key, cardPayment("4242424242424242"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(first.body());
    }

    @Test
    void aMerchantCannotSeeAnotherMerchantsPayment() throws Exception {
        String owner = createMerchantKey();
        String other = createMerchantKey();
        HttpResponse<String> created = send("POST", "/v1/payments", owner, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
                cardPayment("4242424242424242"));
        String paymentId = JSON.readTree(created.body()).get("id").asString();

        HttpResponse<String> response = send("GET", "/v1/payments/" + paymentId, other, Map.of(), null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("4242");
    }

    @Test
    void aServicePortCalledDirectlyWithAClaimedMerchantIsRefused() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(paymentServiceUrl + "/v1/payments"))
                .header("X-Paystream-Merchant-Id", "mer_someone_else").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("gateway_credential_required");
    }

    private static String cardPayment(String number) {
        return "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"" + number
                + "\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}}";
    }

    private static String createMerchantKey() throws IOException, InterruptedException {
        return client.createMerchantKey();
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        return client.send(method, path, apiKey, headers, body);
    }
}
