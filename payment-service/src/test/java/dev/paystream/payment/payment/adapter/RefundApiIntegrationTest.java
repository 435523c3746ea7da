package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.support.PaymentServiceTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** CONTRACT §5: refunds as a resource — retrieved and listed, by payment, for their merchant only. */
class RefundApiIntegrationTest extends PaymentServiceTest {

    @Test
    void aRefundIsRetrievedAsItWasCreated() {
        String merchant = newMerchantId();
        String payment = payment(merchant, 5000);
        JsonNode created = refund(merchant, payment, Map.of("amount", 1200, "reason", "duplicate"));

        JsonNode found = as(merchant).get().uri("/v1/refunds/{id}", created.get("id").asString()).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(found).isEqualTo(created);
        assertThat(found.get("payment_id").asString()).isEqualTo(payment);
        assertThat(found.get("amount").asLong()).isEqualTo(1200);
        assertThat(found.get("currency").asString()).isEqualTo("USD");
        assertThat(found.get("reason").asString()).isEqualTo("duplicate");
        assertThat(found.get("status").asString()).isEqualTo("succeeded");
        as(newMerchantId()).get().uri("/v1/refunds/{id}", created.get("id").asString()).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        as(merchant).get().uri("/v1/refunds/re_unknown").exchange().expectStatus().isNotFound();
    }

    @Test
    void refundsAreListedNewestFirstByPaymentAndPaginated() {
        String merchant = newMerchantId();
        String payment = payment(merchant, 5000);
        String other = payment(merchant, 3000);
        String first = refund(merchant, payment, Map.of("amount", 100)).get("id").asString();
        String second = refund(merchant, payment, Map.of("amount", 200)).get("id").asString();
        String ofOther = refund(merchant, other, Map.of("amount", 300)).get("id").asString();

        as(merchant).get().uri("/v1/refunds?payment_id=" + payment).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(2)
                .jsonPath("$.data[0].id").isEqualTo(second).jsonPath("$.data[1].id").isEqualTo(first)
                .jsonPath("$.has_more").isEqualTo(false);
        as(merchant).get().uri("/v1/refunds?limit=1").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data[0].id").isEqualTo(ofOther).jsonPath("$.has_more").isEqualTo(true);
        as(merchant).get().uri("/v1/refunds?limit=5&starting_after=" + ofOther).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(2).jsonPath("$.data[0].id").isEqualTo(second);
        as(merchant).get().uri("/v1/refunds?starting_after=re_unknown").exchange().expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.param").isEqualTo("starting_after");
        as(newMerchantId()).get().uri("/v1/refunds?payment_id=" + payment).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(0);
    }

    private String payment(String merchant, long amount) {
        return as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(cardPayment(amount, "4242424242424242")).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    private JsonNode refund(String merchant, String payment, Map<String, Object> body) {
        return as(merchant).post().uri("/v1/payments/{id}/refunds", payment).header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
