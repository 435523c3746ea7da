package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class CircuitBreakerIntegrationTest extends GatewayIntegrationTest {

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory circuitBreakers;

    @Test
    void repeatedFailuresOpenTheServicesCircuitWhichKeepsAnsweringA503ProblemAtOnce() {
        CreatedMerchant merchant = createMerchant("Persistent Co");
        for (int attempt = 0; attempt < 12; attempt++) {
            web.get().uri("/v1/webhook-endpoints").header("x-api-key", merchant.apiKey()).exchange()
                    .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        CircuitBreaker webhook = circuitBreakers.getCircuitBreakerRegistry().circuitBreaker("webhook");
        assertThat(webhook.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        long started = System.nanoTime();
        web.get().uri("/v1/webhook-endpoints").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody().jsonPath("$.code").isEqualTo("service_unavailable").jsonPath("$.service").isEqualTo("webhook");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
    }

    @Test
    void aHealthyServicesCircuitStaysClosed() {
        CreatedMerchant merchant = createMerchant("Steady Co");
        for (int attempt = 0; attempt < 12; attempt++) {
            web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        }
        assertThat(circuitBreakers.getCircuitBreakerRegistry().circuitBreaker("customer").getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
