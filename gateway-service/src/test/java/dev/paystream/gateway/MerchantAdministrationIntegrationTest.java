package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class MerchantAdministrationIntegrationTest extends GatewayIntegrationTest {

    @Test
    void adminCreatesAMerchantAndSeesItsKeyOnlyOnce() {
        web.post().uri("/v1/merchants").header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", "Acme", "rate_limit_per_minute", 100))
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.id").value(id -> assertThat((String) id).startsWith("mer_"))
                .jsonPath("$.name").isEqualTo("Acme")
                .jsonPath("$.rate_limit_per_minute").isEqualTo(100)
                .jsonPath("$.api_key").value(key -> assertThat((String) key).startsWith("sk_test_").hasSizeGreaterThanOrEqualTo(8 + 43))
                .jsonPath("$.created_at").value(at -> assertThat((String) at).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"));

        CreatedMerchant merchant = createMerchant("Globex");
        web.get().uri("/v1/merchants/{id}", merchant.id()).header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(merchant.id())
                .jsonPath("$.name").isEqualTo("Globex")
                .jsonPath("$.api_key").doesNotExist();
    }

    @Test
    void rendersEveryTimestampAsIsoUtcToTheSecond() {
        String utcSeconds = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
        CreatedMerchant merchant = createMerchant("Timely Co");
        web.get().uri("/v1/merchants/{id}", merchant.id()).header("x-api-key", ADMIN_KEY).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.created_at").value(at -> assertThat((String) at).matches(utcSeconds))
                .jsonPath("$.updated_at").value(at -> assertThat((String) at).matches(utcSeconds));
        web.patch().uri("/v1/merchants/{id}", merchant.id()).header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", "Timely Corp")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.created_at").value(at -> assertThat((String) at).matches(utcSeconds))
                .jsonPath("$.updated_at").value(at -> assertThat((String) at).matches(utcSeconds));
        web.post().uri("/v1/merchants/{id}/api-keys", merchant.id()).header("x-api-key", ADMIN_KEY).exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.created_at").value(at -> assertThat((String) at).matches(utcSeconds));
    }

    @Test
    void merchantCreatedWithoutARateLimitGetsTheDefaultOfOneHundredPerMinute() {
        web.post().uri("/v1/merchants").header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", "Initech"))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.rate_limit_per_minute").isEqualTo(100);
    }

    @Test
    void adminRenamesAMerchantAndChangesItsRateLimit() {
        CreatedMerchant merchant = createMerchant("Umbrella");
        web.patch().uri("/v1/merchants/{id}", merchant.id()).header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("rate_limit_per_minute", 7))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Umbrella")
                .jsonPath("$.rate_limit_per_minute").isEqualTo(7);
        web.patch().uri("/v1/merchants/{id}", merchant.id()).header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", "Umbrella Corp"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("Umbrella Corp")
                .jsonPath("$.rate_limit_per_minute").isEqualTo(7);
    }

    @Test
    void refusesAnEmptyNameNamingTheField() {
        web.post().uri("/v1/merchants").header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", " ", "rate_limit_per_minute", 100))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.param").isEqualTo("name").jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void refusesARateLimitOutsideOneToTenMillion() {
        for (int rateLimit : new int[] {0, 10_000_001}) {
            web.post().uri("/v1/merchants").header("x-api-key", ADMIN_KEY)
                    .bodyValue(Map.of("name", "Acme", "rate_limit_per_minute", rateLimit))
                    .exchange()
                    .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                    .expectBody().jsonPath("$.param").isEqualTo("rate_limit_per_minute");
        }
    }

    @Test
    void acceptsARateLimitOfTenMillionAMinuteForLoadTests() {
        web.post().uri("/v1/merchants").header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", "Load test", "rate_limit_per_minute", 10_000_000))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.rate_limit_per_minute").isEqualTo(10_000_000);
    }

    @Test
    void anUnknownMerchantIsA404ResourceMissingProblemNamingTheIdParameter() {
        WebTestClient.ResponseSpec[] answers = {
                web.get().uri("/v1/merchants/mer_nobody").header("x-api-key", ADMIN_KEY).exchange(),
                web.patch().uri("/v1/merchants/mer_nobody").header("x-api-key", ADMIN_KEY)
                        .bodyValue(Map.of("name", "Ghost")).exchange(),
                web.post().uri("/v1/merchants/mer_nobody/api-keys").header("x-api-key", ADMIN_KEY).exchange()};
        for (WebTestClient.ResponseSpec answer : answers) {
            answer.expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(404)
                    .jsonPath("$.code").isEqualTo("resource_missing")
                    .jsonPath("$.param").isEqualTo("id")
                    .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("mer_nobody"));
        }
    }

    @Test
    void anExtraKeyWorksUntilItIsRevokedAndThenAtOnceNoMore() {
        CreatedMerchant merchant = createMerchant("Hooli");
        @SuppressWarnings("unchecked")
        Map<String, Object> extraKey = web.post().uri("/v1/merchants/{id}/api-keys", merchant.id()).header("x-api-key", ADMIN_KEY)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((String) extraKey.get("id")).startsWith("key_");
        String apiKey = (String) extraKey.get("api_key");
        assertThat(apiKey).startsWith("sk_test_").isNotEqualTo(merchant.apiKey());

        web.get().uri("/v1/customers").header("x-api-key", apiKey).exchange().expectStatus().isOk();

        web.delete().uri("/v1/api-keys/{id}", extraKey.get("id")).header("x-api-key", ADMIN_KEY)
                .exchange()
                .expectStatus().isNoContent();

        web.get().uri("/v1/customers").header("x-api-key", apiKey).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("api_key_invalid");
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
    }

    @Test
    void revokingAnUnknownKeyIsA404ResourceMissingProblemNamingTheKeyIdParameter() {
        web.delete().uri("/v1/api-keys/key_nothing").header("x-api-key", ADMIN_KEY)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.code").isEqualTo("resource_missing")
                .jsonPath("$.param").isEqualTo("key_id")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("key_nothing"));
    }
}
