package dev.paystream.webhook.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.webhook.support.WebhookServiceTest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** CONTRACT §10: endpoints through the service's API, as the gateway forwards them. */
class EndpointApiIntegrationTest extends WebhookServiceTest {

    private static final String URL = "https://hooks.example.com/paystream";

    @Test
    void anEndpointIsCreatedWithASecretShownOnceAndNeverAgain() {
        String merchant = newMerchantId();

        JsonNode created = createEndpoint(merchant, "http://127.0.0.1:9/hooks", List.of("payment.captured", "*", "payment.captured"));

        String id = created.get("id").asString();
        assertThat(id).startsWith("we_");
        String secret = created.get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSizeBetween(24, 64);
        assertThat(created.get("events")).extracting(JsonNode::asString).containsExactly("payment.captured", "*");
        assertThat(created.get("disabled").asBoolean()).isFalse();
        assertThat(created.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode fetched = get(merchant, "/v1/webhook-endpoints/" + id);
        assertThat(fetched.has("secret")).isFalse();
        assertThat(fetched.get("url").asString()).isEqualTo("http://127.0.0.1:9/hooks");
        assertThat(get(merchant, "/v1/webhook-endpoints").toString()).doesNotContain(secret);
    }

    @Test
    void endpointsAreListedNewestFirstAPageAtATime() {
        String merchant = newMerchantId();
        String first = createEndpoint(merchant, URL, List.of("*")).get("id").asString();
        String second = createEndpoint(merchant, URL, List.of("*")).get("id").asString();
        String third = createEndpoint(merchant, URL, List.of("*")).get("id").asString();

        JsonNode page = get(merchant, "/v1/webhook-endpoints?limit=2");
        assertThat(page.get("data")).extracting(endpoint -> endpoint.get("id").asString()).containsExactly(third, second);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode next = get(merchant, "/v1/webhook-endpoints?limit=2&starting_after=" + second);
        assertThat(next.get("data")).extracting(endpoint -> endpoint.get("id").asString()).containsExactly(first);
        assertThat(next.get("has_more").asBoolean()).isFalse();
        as(merchant).get().uri("/v1/webhook-endpoints?limit=101").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("limit");
        as(merchant).get().uri("/v1/webhook-endpoints?starting_after=we_nothing").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("starting_after");
    }

    @Test
    void anEndpointIsUpdatedDisabledEnabledAndDeleted() {
        String merchant = newMerchantId();
        String id = createEndpoint(merchant, URL, List.of("*")).get("id").asString();

        as(merchant).patch().uri("/v1/webhook-endpoints/" + id)
                .bodyValue(Map.of("url", "https://other.example.com/h", "events", List.of("payout.paid"), "description", "payouts", "disabled", true))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.url").isEqualTo("https://other.example.com/h")
                .jsonPath("$.events[0]").isEqualTo("payout.paid")
                .jsonPath("$.description").isEqualTo("payouts")
                .jsonPath("$.disabled").isEqualTo(true)
                .jsonPath("$.disabled_reason").isEqualTo("requested");
        as(merchant).patch().uri("/v1/webhook-endpoints/" + id).bodyValue(Map.of("disabled", false)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.disabled").isEqualTo(false).jsonPath("$.disabled_reason").doesNotExist()
                .jsonPath("$.description").isEqualTo("payouts");

        as(merchant).delete().uri("/v1/webhook-endpoints/" + id).exchange().expectStatus().isNoContent();
        as(merchant).get().uri("/v1/webhook-endpoints/" + id).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        as(merchant).delete().uri("/v1/webhook-endpoints/" + id).exchange().expectStatus().isNotFound();
    }

    @Test
    void anotherMerchantsEndpointDoesNotExistForAMerchant() {
        String owner = newMerchantId();
        String other = newMerchantId();
        String id = createEndpoint(owner, URL, List.of("*")).get("id").asString();

        as(other).get().uri("/v1/webhook-endpoints/" + id).exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        as(other).patch().uri("/v1/webhook-endpoints/" + id).bodyValue(Map.of("disabled", true)).exchange().expectStatus().isNotFound();
        as(other).post().uri("/v1/webhook-endpoints/" + id + "/rotate-secret").exchange().expectStatus().isNotFound();
        as(other).post().uri("/v1/webhook-endpoints/" + id + "/recover").bodyValue(Map.of("since", "2026-01-01T00:00:00Z"))
                .exchange().expectStatus().isNotFound();
        as(other).delete().uri("/v1/webhook-endpoints/" + id).exchange().expectStatus().isNotFound();
        assertThat(get(other, "/v1/webhook-endpoints").get("data")).isEmpty();
        assertThat(get(owner, "/v1/webhook-endpoints/" + id).get("disabled").asBoolean()).isFalse();
    }

    @Test
    void badInputIsA4xxProblemNamingTheField() {
        String merchant = newMerchantId();
        expectInvalid(merchant, Map.of("events", List.of("*")), "url");
        expectInvalid(merchant, Map.of("url", "ftp://example.com/x", "events", List.of("*")), "url");
        expectInvalid(merchant, Map.of("url", "https://user:pass@example.com/x", "events", List.of("*")), "url");
        expectInvalid(merchant, Map.of("url", "not a url", "events", List.of("*")), "url");
        expectInvalid(merchant, Map.of("url", URL), "events");
        expectInvalid(merchant, Map.of("url", URL, "events", List.of()), "events");
        expectInvalid(merchant, Map.of("url", URL, "events", List.of("payment.exploded")), "events");
        expectInvalid(merchant, Map.of("url", URL, "events", List.of("*"), "description", "x".repeat(501)), "description");
        as(merchant).post().uri("/v1/webhook-endpoints").bodyValue(Map.of("url", URL, "events", List.of("*"), "secret", "whsec_mine"))
                .exchange().expectStatus().isEqualTo(422);
        as(merchant).post().uri("/v1/webhook-endpoints").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"url\":")
                .exchange().expectStatus().isBadRequest();
        as(merchant).get().uri("/v1/webhook-deliveries?status=lost").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("status");
        as(merchant).post().uri("/v1/webhook-endpoints/we_x/recover").bodyValue(Map.of("since", "yesterday"))
                .exchange().expectStatus().isEqualTo(422).expectBody().jsonPath("$.param").isEqualTo("since");
        as(merchant).get().uri("/v1/webhook-deliveries/wd_nothing").exchange().expectStatus().isNotFound();
        as(merchant).post().uri("/v1/webhook-deliveries/wd_nothing/retry").exchange().expectStatus().isNotFound();
    }

    private void expectInvalid(String merchant, Map<String, Object> body, String field) {
        as(merchant).post().uri("/v1/webhook-endpoints").bodyValue(body).exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.param").isEqualTo(field).jsonPath("$.detail").isNotEmpty();
    }
}
