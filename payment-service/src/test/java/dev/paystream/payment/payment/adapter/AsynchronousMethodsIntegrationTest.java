package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.platform.workqueue.WorkQueueWorker;
import dev.paystream.payment.support.PaymentServiceTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** CONTRACT §5: paypal and bank_transfer answer 202 processing and are completed later, even across a restart. */
class AsynchronousMethodsIntegrationTest extends PaymentServiceTest {

    @Autowired
    WorkQueueWorker paymentCompletionWorker;

    @Test
    void aPaypalPaymentIsAcceptedAsProcessingThenAuthorizedAndCaptured() {
        String merchant = newMerchantId();

        String id = accepted(merchant, Map.of("amount", 2500, "currency", "EUR", "payment_method", "paypal"));

        awaitStatus(merchant, id, "captured");
        as(merchant).get().uri("/v1/payments/{id}/events", id).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data[0].type").isEqualTo("payment.processing")
                .jsonPath("$.data[1].type").isEqualTo("payment.authorized")
                .jsonPath("$.data[2].type").isEqualTo("payment.captured")
                .jsonPath("$.data[2].sequence").isEqualTo(3);
    }

    @Test
    void aBankTransferCanBeDeclinedLater() {
        String merchant = newMerchantId();

        String id = accepted(merchant, Map.of("amount", 10002, "currency", "USD", "payment_method", "bank_transfer"));

        JsonNode payment = awaitStatus(merchant, id, "declined");
        assertThat(payment.get("decline_code").asString()).isEqualTo("bank_declined");
    }

    @Test
    void aCardIsRefusedForAnAsynchronousMethod() {
        as(newMerchantId()).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amount", 2500, "currency", "EUR", "payment_method", "paypal",
                        "card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")))
                .exchange().expectStatus().isEqualTo(422).expectBody().jsonPath("$.param").isEqualTo("card");
    }

    @Test
    void pendingPaymentsSurviveAStopOfTheWorkerAndAreCompletedWhenItRunsAgain() {
        String merchant = newMerchantId();
        paymentCompletionWorker.stop();
        try {
            String id = accepted(merchant, Map.of("amount", 4000, "currency", "USD", "payment_method", "bank_transfer"));

            // Well past the 300 ms delay, with no worker the payment stays where the database left it.
            await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                    .until(() -> status(merchant, id), "processing"::equals);

            paymentCompletionWorker.start();
            awaitStatus(merchant, id, "captured");
        } finally {
            if (!paymentCompletionWorker.isRunning()) {
                paymentCompletionWorker.start();
            }
        }
    }

    private String accepted(String merchant, Map<String, Object> body) {
        JsonNode payment = as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(payment.get("status").asString()).isEqualTo("processing");
        assertThat(payment.get("card").isNull()).isTrue();
        return payment.get("id").asString();
    }

    private String status(String merchant, String id) {
        return get(merchant, id).get("status").asString();
    }

    private JsonNode get(String merchant, String id) {
        return as(merchant).get().uri("/v1/payments/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode awaitStatus(String merchant, String id, String status) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(merchant, id), payment -> status.equals(payment.get("status").asString()));
    }
}
