package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.support.PaymentServiceTest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The test cards that misbehave (CONTRACT §5) and the guards around the processor. */
class ProcessorResilienceIntegrationTest extends PaymentServiceTest {

    @Autowired
    CircuitBreaker processorCircuitBreaker;

    @Autowired
    MeterRegistry meters;

    @AfterEach
    void closeTheBreakerForOtherTests() {
        processorCircuitBreaker.reset();
    }

    @Test
    void aCardThatKeepsFailingIsRetriedThenRecordedAsFailed() {
        String merchant = newMerchantId();
        double retriedBefore = failedWithRetry();

        JsonNode problem = pay(merchant, "4000000000000119").expectStatus().isEqualTo(402)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(problem.get("code").asString()).isEqualTo("processing_error");
        assertThat(problem.get("failure_code").asString()).isEqualTo("processing_error");
        assertThat(failedWithRetry()).as("one call that failed after its retries").isEqualTo(retriedBefore + 1);
        as(merchant).get().uri("/v1/payments/{id}", problem.get("payment_id").asString()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("failed").jsonPath("$.failure_code").isEqualTo("processing_error");
    }

    @Test
    void aSlowProcessorIsCutOffByTheTimeoutAndThePaymentFails() {
        String merchant = newMerchantId();

        JsonNode problem = pay(merchant, "4000000000003220").expectStatus().isEqualTo(402)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        // The simulator would approve after 3 s; the 500 ms timeout answered first.
        assertThat(problem.get("failure_code").asString()).isEqualTo("processor_timeout");
        as(merchant).get().uri("/v1/payments/{id}", problem.get("payment_id").asString()).exchange()
                .expectBody().jsonPath("$.status").isEqualTo("failed");
    }

    @Test
    void anOpenBreakerAnswersEvenGoodCardsWithA503AndRetryAfter() {
        String merchant = newMerchantId();
        processorCircuitBreaker.transitionToOpenState();

        pay(merchant, "4242424242424242").expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("processor_unavailable");
    }

    /**
     * The breaker is every merchant's: one merchant's test cards that ask for processor errors or
     * slow answers must not open it for everyone (before, ten of them did).
     */
    @Test
    void failuresThatTestCardsAskForNeverOpenTheBreakerForOtherMerchants() {
        String merchant = newMerchantId();
        for (int attempt = 0; attempt < 12; attempt++) {
            pay(merchant, "4000000000000119").expectStatus().isEqualTo(402);
        }
        pay(merchant, "4000000000003220").expectStatus().isEqualTo(402);

        assertThat(processorCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        pay(newMerchantId(), "4242424242424242").expectStatus().isCreated();
    }

    @Test
    void declinesDoNotCountAsProcessorFailures() {
        String merchant = newMerchantId();
        for (int attempt = 0; attempt < 12; attempt++) {
            pay(merchant, "4000000000000002").expectStatus().isEqualTo(402);
        }

        assertThat(processorCircuitBreaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        pay(merchant, "4242424242424242").expectStatus().isCreated();
    }

    private double failedWithRetry() {
        var counter = meters.find("resilience4j.retry.calls").tag("kind", "failed_with_retry").functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private WebTestClient.ResponseSpec pay(String merchant, String cardNumber) {
        return as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(cardPayment(5000, cardNumber)).exchange();
    }
}
