package dev.paystream.payment.payment.adapter;

import static org.awaitility.Awaitility.await;

import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.FaultyTcpProxy;
import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.testsupport.TestPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
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
        String merchant = "mer_outage" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
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

    private WebTestClient.ResponseSpec createPayment(String merchant) {
        return web.post().uri("/v1/payments")
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchant)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amount", 2500, "currency", "usd", "payment_method", "card",
                        "card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")))
                .exchange();
    }
}
