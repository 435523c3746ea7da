package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class RateLimitIntegrationTest extends GatewayIntegrationTest {

    @Test
    void everyAuthenticatedResponseCarriesTheLimitAndWhatRemainsOfIt() {
        CreatedMerchant merchant = createMerchant("Counted Co", 50);
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "50")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "49");
        web.get().uri("/v1/nothing-here").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().valueEquals("X-RateLimit-Limit", "50")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "48");
    }

    @Test
    void theRequestAfterTheLimitIsA429ProblemWithRetryAfter() {
        CreatedMerchant merchant = createMerchant("Busy Co", 5);
        for (int request = 1; request <= 5; request++) {
            web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("X-RateLimit-Remaining", Integer.toString(5 - request));
        }
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("X-RateLimit-Limit", "5")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0")
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60))
                .expectBody()
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.code").isEqualTo("rate_limited")
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void withTheDefaultLimitThe101stRequestInAMinuteIsA429() {
        @SuppressWarnings("unchecked")
        Map<String, Object> created = web.post().uri("/v1/merchants").header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("name", "Default Limit Co")).exchange()
                .expectStatus().isEqualTo(HttpStatus.CREATED)
                .expectBody(Map.class).returnResult().getResponseBody();
        String apiKey = (String) created.get("api_key");
        assertThat(created.get("rate_limit_per_minute")).isEqualTo(100);

        for (int request = 1; request <= 100; request++) {
            web.get().uri("/v1/customers").header("x-api-key", apiKey).exchange().expectStatus().isOk();
        }
        web.get().uri("/v1/customers").header("x-api-key", apiKey).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().valueEquals("X-RateLimit-Limit", "100")
                .expectHeader().valueEquals("X-RateLimit-Remaining", "0");
    }

    @Test
    void eachKeyHasItsOwnBudget() {
        CreatedMerchant merchant = createMerchant("Two Keys Co", 1);
        @SuppressWarnings("unchecked")
        String secondKey = (String) web.post().uri("/v1/merchants/{id}/api-keys", merchant.id()).header("x-api-key", ADMIN_KEY)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("api_key");

        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        web.get().uri("/v1/customers").header("x-api-key", secondKey).exchange().expectStatus().isOk();
    }

    @Test
    void aLimitChangedByTheOperatorAppliesToTheNextRequest() {
        CreatedMerchant merchant = createMerchant("Upgraded Co", 2);
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        web.patch().uri("/v1/merchants/{id}", merchant.id()).header("x-api-key", ADMIN_KEY)
                .bodyValue(Map.of("rate_limit_per_minute", 10)).exchange().expectStatus().isOk();

        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-RateLimit-Limit", "10");
    }
}
