package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.FaultyTcpProxy;
import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.testsupport.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Fault injection: payment-service reaches its real PostgreSQL through a proxy that the test cuts,
 * as a database restart or a network failure would. While it is cut, a payment is a 503 problem that
 * says to retry, never a 500; once it is back, the service recovers on its own (its connection pool
 * replaces the broken connections) without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class DatabaseOutageIntegrationTest {

    private static FaultyTcpProxy proxy;

    @Autowired
    private WebTestClient web;

    @Autowired
    private DatabaseClient database;

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) {
        TestPostgres.Database database = ServiceTestProperties.register(registry, "payment");
        proxy = FaultyTcpProxy.to(database.host(), database.port());
        // The service's connections go through the proxy; Flyway's migration still goes direct.
        registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name());
    }

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void whileTheDatabaseIsUnreachablePaymentsAre503ProblemsAndTheServiceRecoversWhenItIsBack() {
        String merchant = newMerchant();
        createPayment(merchant).expectStatus().isCreated();

        proxy.cut();
        createPayment(merchant)
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "2")
                .expectBody()
                .jsonPath("$.code").isEqualTo("database_unavailable")
                .jsonPath("$.status").isEqualTo(503);

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> createPayment(merchant).expectStatus().isCreated());
    }

    /**
     * CONTRACT §5, last bullet: the payment commits, the answer is lost with the connection, the
     * client gets a 5xx and retries with the same key. The retry must answer with the payment that
     * was created, and no second payment may exist. (Before the key travelled with the write, the
     * 5xx released the key and the retry charged the card again.)
     */
    @Test
    void aRetryAfterTheAnswerToACommittedPaymentWasLostReturnsThatPaymentAndChargesNothingTwice() throws Exception {
        String merchant = newMerchant();
        String key = UUID.randomUUID().toString();
        // Only the payment's write carries its description to the database: that write's answer is lost.
        String description = "lost-answer-" + UUID.randomUUID();
        var lost = proxy.loseAnswerTo(description, 1);

        createPayment(merchant, key, description).expectStatus().is5xxServerError();
        lost.get(10, TimeUnit.SECONDS);

        String paymentId = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> createPayment(merchant, key, description).returnResult(Map.class), result -> result.getStatus().value() == 201)
                .getResponseBody().blockFirst().get("id").toString();
        assertThat(paymentIds(merchant)).containsExactly(paymentId);
        createPayment(merchant, key, description).expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(paymentId);
        assertThat(paymentIds(merchant)).containsExactly(paymentId);
    }

    /**
     * The payment commits, then keeping its answer under the key fails (found by chaos/run during a
     * PostgreSQL restart: the client got a 201 with an empty body, so it had a payment it could not name).
     * Here a trigger refuses exactly that statement for this test's keys. The client still gets the payment;
     * a retry with the key answers the same one, and nothing is charged twice.
     */
    @Test
    void aPaymentWhoseAnswerCouldNotBeKeptUnderItsKeyIsStillAnsweredWithThePayment() {
        String merchant = newMerchant();
        String key = "unkept-" + UUID.randomUUID();
        String description = "unkept-answer-" + UUID.randomUUID();
        database.sql("""
                CREATE OR REPLACE FUNCTION refuse_to_keep_the_answer() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the answer cannot be kept (test)'; END $$""").then().block();
        // The payment's write sets the key's effect (no answer yet); keeping the answer sets its status: that one fails.
        database.sql("CREATE TRIGGER refuse_to_keep_the_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW"
                + " WHEN (NEW.idempotency_key LIKE 'unkept-%' AND NEW.response_status IS NOT NULL) EXECUTE FUNCTION refuse_to_keep_the_answer()")
                .then().block();
        try {
            Map<?, ?> answer = createPayment(merchant, key, description).expectStatus().isCreated()
                    .returnResult(Map.class).getResponseBody().blockFirst();

            assertThat(answer).isNotNull();
            String paymentId = String.valueOf(answer.get("id"));
            assertThat(paymentId).startsWith("pay_");
            assertThat(answer.get("description")).isEqualTo(description);
            assertThat(paymentIds(merchant)).containsExactly(paymentId);
            createPayment(merchant, key, description).expectStatus().isCreated()
                    .expectBody().jsonPath("$.id").isEqualTo(paymentId);
            assertThat(paymentIds(merchant)).containsExactly(paymentId);
        } finally {
            database.sql("DROP TRIGGER refuse_to_keep_the_answer ON idempotency_keys").then().block();
        }
    }

    /** The same for a refund: its retry answers with the refund that was made, and nothing is refunded twice. */
    @Test
    void aRetryAfterTheAnswerToACommittedRefundWasLostReturnsThatRefundAndRefundsNothingTwice() throws Exception {
        String merchant = newMerchant();
        String paymentId = createPayment(merchant, UUID.randomUUID().toString()).expectStatus().isCreated()
                .returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
        String key = UUID.randomUUID().toString();
        // The refund reads the payment (1), then writes the refund (2), whose answer is lost.
        var lost = proxy.loseAnswerTo(paymentId, 2);

        refund(merchant, paymentId, key).expectStatus().is5xxServerError();
        lost.get(10, TimeUnit.SECONDS);

        String refundId = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> refund(merchant, paymentId, key).returnResult(Map.class), result -> result.getStatus().value() == 201)
                .getResponseBody().blockFirst().get("id").toString();
        web.get().uri("/v1/payments/" + paymentId)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchant)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.amount_refunded").isEqualTo(1000)
                .jsonPath("$.status").isEqualTo("partially_refunded");
        refund(merchant, paymentId, key).expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(refundId);
    }

    private WebTestClient.ResponseSpec refund(String merchant, String paymentId, String key) {
        return web.post().uri("/v1/payments/" + paymentId + "/refunds")
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchant)
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amount", 1000))
                .exchange();
    }

    @SuppressWarnings("unchecked")
    private List<String> paymentIds(String merchant) {
        Map<String, Object> page = web.get().uri("/v1/payments?limit=100")
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchant)
                .exchange()
                .expectStatus().isOk()
                .returnResult(Map.class).getResponseBody().blockFirst();
        return ((List<Map<String, Object>>) page.get("data")).stream().map(payment -> payment.get("id").toString()).toList();
    }

    private static String newMerchant() {
        return "mer_outage" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private WebTestClient.ResponseSpec createPayment(String merchant) {
        return createPayment(merchant, UUID.randomUUID().toString());
    }

    private WebTestClient.ResponseSpec createPayment(String merchant, String key) {
        return createPayment(merchant, key, "Order #123");
    }

    private WebTestClient.ResponseSpec createPayment(String merchant, String key, String description) {
        return web.post().uri("/v1/payments")
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchant)
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amount", 2500, "currency", "usd", "payment_method", "card", "description", description,
                        "card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")))
                .exchange();
    }
}
