package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.events.Topics;
import dev.paystream.payment.support.PaymentServiceTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PaymentApiIntegrationTest extends PaymentServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anApprovedCardPaymentIsCapturedStoredAndPublishedInOrder() {
        String merchant = newMerchantId();

        JsonNode payment = create(merchant, cardPayment(5000, "4242424242424242"))
                .expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        String id = payment.get("id").asString();
        assertThat(id).startsWith("pay_");
        assertThat(payment.get("status").asString()).isEqualTo("captured");
        assertThat(payment.get("amount").asLong()).isEqualTo(5000);
        assertThat(payment.get("amount_captured").asLong()).isEqualTo(5000);
        assertThat(payment.get("amount_capturable").asLong()).isZero();
        assertThat(payment.get("currency").asString()).isEqualTo("USD");
        assertThat(payment.get("card").get("brand").asString()).isEqualTo("visa");
        assertThat(payment.get("card").get("last4").asString()).isEqualTo("4242");
        assertThat(payment.get("auth_code").asString()).hasSize(6);
        assertThat(payment.toString()).doesNotContain("4242424242424242").doesNotContain("\"cvc\"");

        as(merchant).get().uri("/v1/payments/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("captured").jsonPath("$.metadata.order_id").isEqualTo("123");

        List<ConsumerRecord<String, String>> published = readTopicUntil(Topics.PAYMENTS,
                records -> records.stream().filter(record -> id.equals(record.key())).count() >= 2);
        List<JsonNode> envelopes = published.stream().filter(record -> id.equals(record.key()))
                .map(record -> JSON.readTree(record.value())).toList();
        assertThat(envelopes).extracting(envelope -> envelope.get("type").asString()).containsExactly("payment.authorized", "payment.captured");
        assertThat(envelopes).extracting(envelope -> envelope.get("sequence").asLong()).containsExactly(1L, 2L);
        assertThat(envelopes).allSatisfy(envelope -> {
            assertThat(envelope.get("merchant_id").asString()).isEqualTo(merchant);
            assertThat(envelope.get("aggregate_id").asString()).isEqualTo(id);
            assertThat(envelope.get("version").asInt()).isEqualTo(1);
        });
        assertThat(envelopes.get(1).get("data").get("amount").asLong()).isEqualTo(5000);
        ConsumerRecord<String, String> captured = published.stream().filter(record -> record.value().contains("payment.captured") && id.equals(record.key())).findFirst().orElseThrow();
        assertThat(new String(captured.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)).isEqualTo("payment.captured");
        assertThat(new String(captured.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).isEqualTo(envelopes.get(1).get("id").asString());
    }

    @Test
    void theEventsEndpointReplaysTheHistoryOldestFirstAsPublished() {
        String merchant = newMerchantId();
        String id = createdId(merchant, cardPayment(2500, "5555555555554444"));

        as(merchant).get().uri("/v1/payments/{id}/events", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.data.length()").isEqualTo(2)
                .jsonPath("$.data[0].type").isEqualTo("payment.authorized")
                .jsonPath("$.data[0].sequence").isEqualTo(1)
                .jsonPath("$.data[0].data.payment.status").isEqualTo("authorized")
                .jsonPath("$.data[1].type").isEqualTo("payment.captured")
                .jsonPath("$.data[1].data.payment.status").isEqualTo("captured")
                .jsonPath("$.data[1].data.payment.card.brand").isEqualTo("mastercard");
    }

    /** Issue 10, finding 14: the history is paginated like every list, oldest first, with the event id as cursor. */
    @Test
    void theEventsEndpointPagesThroughTheHistoryWithEventIdsAsCursors() {
        String merchant = newMerchantId();
        String id = createdId(merchant, cardPayment(2500, "4242424242424242"));
        for (int i = 0; i < 3; i++) {
            as(merchant).post().uri("/v1/payments/{id}/refunds", id).header("Idempotency-Key", idempotencyKey())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", 100)).exchange().expectStatus().isCreated();
        }

        JsonNode first = as(merchant).get().uri("/v1/payments/{id}/events?limit=2", id).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(first.get("data").size()).isEqualTo(2);
        assertThat(first.get("data").get(1).get("type").asString()).isEqualTo("payment.captured");

        as(merchant).get().uri("/v1/payments/{id}/events?limit=2&starting_after={cursor}", id, first.get("data").get(1).get("id").asString())
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.has_more").isEqualTo(true)
                .jsonPath("$.data.length()").isEqualTo(2)
                .jsonPath("$.data[0].sequence").isEqualTo(3)
                .jsonPath("$.data[0].type").isEqualTo("payment.refunded");
        as(merchant).get().uri("/v1/payments/{id}/events?starting_after=evt_unknown", id).exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("starting_after");
        as(merchant).get().uri("/v1/payments?starting_after=pay_unknown").exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("starting_after");
    }

    @Test
    void aManualPaymentWaitsForItsCaptureAndAPartialCaptureReleasesTheRest() {
        String merchant = newMerchantId();
        Map<String, Object> manual = new HashMap<>(cardPayment(5000, "4242424242424242"));
        manual.put("capture_method", "manual");
        String id = createdId(merchant, manual);

        as(merchant).post().uri("/v1/payments/{id}/capture", id).header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", 3000)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("captured")
                .jsonPath("$.amount_captured").isEqualTo(3000)
                .jsonPath("$.amount_capturable").isEqualTo(0);

        as(merchant).post().uri("/v1/payments/{id}/capture", id).header("Idempotency-Key", idempotencyKey()).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("payment_not_capturable");
    }

    @Test
    void capturingMoreThanAuthorizedIsA422NamingTheAmount() {
        String merchant = newMerchantId();
        Map<String, Object> manual = new HashMap<>(cardPayment(5000, "4242424242424242"));
        manual.put("capture_method", "manual");
        String id = createdId(merchant, manual);

        as(merchant).post().uri("/v1/payments/{id}/capture", id).header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", 5001)).exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("amount_too_large").jsonPath("$.param").isEqualTo("amount");
    }

    @ParameterizedTest
    @CsvSource({"4000000000000002,card_declined", "4000000000009995,insufficient_funds",
            "4000000000000069,expired_card", "4000000000000127,incorrect_cvc"})
    void aDeclinedCardIsA402ProblemAndTheDeclinedPaymentIsStored(String number, String declineCode) {
        String merchant = newMerchantId();

        JsonNode problem = create(merchant, cardPayment(5000, number))
                .expectStatus().isEqualTo(402)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(problem.get("decline_code").asString()).isEqualTo(declineCode);
        String paymentId = problem.get("payment_id").asString();
        as(merchant).get().uri("/v1/payments/{id}", paymentId).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("declined").jsonPath("$.decline_code").isEqualTo(declineCode);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"amount\":50.5,\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":0,\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":-5,\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":100000000,\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":\"lots\",\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":5000,\"currency\":\"XYZ\",\"payment_method\":\"card\"}|currency",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"cheque\"}|payment_method",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\"}|card",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424241\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}}|card.number",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":1,\"exp_year\":2020,\"cvc\":\"123\"}}|card.exp_year",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"capture_metod\":\"manual\"}|capture_metod",
            // Issue 10, finding 12: numbers in strings, numbers out of range, codes that are not money.
            "{\"amount\":\"5000\",\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":99999999999999999999,\"currency\":\"USD\",\"payment_method\":\"card\"}|amount",
            "{\"amount\":5000,\"currency\":\"XXX\",\"payment_method\":\"card\"}|currency",
            "{\"amount\":5000,\"currency\":\"XTS\",\"payment_method\":\"card\"}|currency",
            "{\"amount\":5000,\"currency\":\"xau\",\"payment_method\":\"card\"}|currency",
            "{\"amount\":5000,\"currency\":\"ZWD\",\"payment_method\":\"card\"}|currency",
            // Issue 10, finding 8: control characters, a NUL above all, which PostgreSQL cannot store.
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"},\"description\":\"a\\u0000b\"}|description",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"},\"metadata\":{\"k\":\"\\u0000\"}}|metadata",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"},\"customer_id\":\"cus\\u0000\"}|customer_id",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"},\"customer_id\":\"cus\\u0007x\"}|customer_id",
            "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\",\"holder\":\"J\\u0000D\"}}|card.holder"})
    void badInputIsA422ProblemNamingTheField(String body, String param) {
        String merchant = newMerchantId();
        as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.param").isEqualTo(param)
                .jsonPath("$.status").isEqualTo(422)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.request_id").isNotEmpty();
        // Refused before anything was authorized or stored.
        as(merchant).get().uri("/v1/payments").exchange().expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
    }

    @Test
    void aFieldNamedTwiceIsA400ProblemNotTheLastValueSilently() {
        as(newMerchantId()).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"amount\":1,\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"paypal\"}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_json").jsonPath("$.detail").isEqualTo("The request body names a field twice");
    }

    @Test
    void malformedJsonIsA400Problem() {
        as(newMerchantId()).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"amount\": 50").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_json");
    }

    @Test
    void aPaymentWithoutAnIdempotencyKeyIsA400Problem() {
        as(newMerchantId()).post().uri("/v1/payments").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(cardPayment(5000, "4242424242424242")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("idempotency_key_missing").jsonPath("$.param").isEqualTo("Idempotency-Key");
    }

    @Test
    void aWrongMediaTypeIsA415AndAWrongMethodA405Problem() {
        as(newMerchantId()).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.TEXT_PLAIN).bodyValue("amount=5").exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        as(newMerchantId()).delete().uri("/v1/payments").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anotherMerchantsPaymentIsNotFound() {
        String owner = newMerchantId();
        String id = createdId(owner, cardPayment(5000, "4242424242424242"));

        as(newMerchantId()).get().uri("/v1/payments/{id}", id).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        as(newMerchantId()).get().uri("/v1/payments/{id}/events", id).exchange().expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec create(String merchant, Map<String, Object> body) {
        return as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String createdId(String merchant, Map<String, Object> body) {
        return create(merchant, body).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }
}
