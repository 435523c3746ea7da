package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.support.PaymentServiceTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** CONTRACT §12: the OpenAPI document describes every endpoint, its bodies in their wire names and its error codes. */
class OpenApiDocumentTest extends PaymentServiceTest {

    @Test
    void describesThePaymentEndpointsWithTheirBodiesAndErrors() {
        JsonNode document = web.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        JsonNode paths = document.get("paths");
        assertThat(paths.has("/v1/payments")).isTrue();
        assertThat(paths.has("/v1/payments/{id}/capture")).isTrue();
        assertThat(paths.has("/v1/payments/{id}/cancel")).isTrue();
        assertThat(paths.has("/v1/payments/{id}/refunds")).isTrue();
        assertThat(paths.has("/v1/payments/{id}/events")).isTrue();
        JsonNode create = paths.get("/v1/payments").get("post");
        assertThat(create.get("responses").propertyNames()).contains("201", "202", "400", "402", "409", "422", "503");
        assertThat(create.get("parameters").toString()).contains("Idempotency-Key");
        assertThat(create.toString()).doesNotContain("Caller").doesNotContain("claim_token").doesNotContain("IdempotentRequest");
        assertThat(create.get("responses").get("409").get("description").asString()).contains("idempotency_key_reused");
        assertThat(create.get("responses").get("422").get("content").get("application/problem+json").get("schema").get("$ref").asString())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(paths.get("/v1/payments/{id}/refunds").get("post").get("parameters").toString()).contains("Idempotency-Key");
        String schemas = document.get("components").get("schemas").toString();
        assertThat(document.get("components").get("schemas").has("Problem")).isTrue();
        assertThat(schemas).contains("amount_capturable").contains("payment_method").doesNotContain("amountCapturable");
    }
}
