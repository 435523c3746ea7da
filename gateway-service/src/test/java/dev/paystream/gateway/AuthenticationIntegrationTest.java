package dev.paystream.gateway;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class AuthenticationIntegrationTest extends GatewayIntegrationTest {

    @Test
    void aRequestWithoutAKeyIsA401Problem() {
        web.get().uri("/v1/customers").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("X-Request-Id")
                .expectBody()
                .jsonPath("$.code").isEqualTo("api_key_missing")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.request_id").isNotEmpty();
    }

    @Test
    void anUnknownKeyIsA401Problem() {
        web.get().uri("/v1/customers").header("x-api-key", "sk_test_thisKeyWasNeverIssued0000000000000000000").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("api_key_invalid");
        web.get().uri("/v1/customers").header("Authorization", "Bearer not-even-a-key").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("api_key_invalid");
    }

    @Test
    void aRevokedKeyIsA401Problem() {
        CreatedMerchant merchant = createMerchant("Revoked Ltd");
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        web.delete().uri("/v1/api-keys/{id}", merchant.keyId()).header("x-api-key", ADMIN_KEY).exchange().expectStatus().isNoContent();

        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("api_key_invalid");
    }

    @Test
    void pathParametersAndPercentEncodingDoNotGetPastTheKeyCheck() {
        // WebFlux matches routes and controllers on decoded segments without their ;parameters.
        web.post().uri(base -> base.build().resolve("/v1;x/merchants"))
                .bodyValue(Map.of("name", "Nobody"))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("api_key_missing");
        web.get().uri(base -> base.build().resolve("/v1;x/customers")).exchange()
                .expectStatus().isUnauthorized();

        CreatedMerchant merchant = createMerchant("Sly Ltd");
        for (String disguised : new String[] {"/v1/merchants;x", "/v1/%6Derchants", "/v1;a/merchants;b"}) {
            web.post().uri(base -> base.build().resolve(disguised)).header("x-api-key", merchant.apiKey())
                    .bodyValue(Map.of("name", "Mallory"))
                    .exchange()
                    .expectStatus().isForbidden()
                    .expectBody().jsonPath("$.code").isEqualTo("admin_key_required");
        }
        web.post().uri(base -> base.build().resolve("/v1/%6Derchants/" + merchant.id() + "/api-keys"))
                .header("x-api-key", merchant.apiKey())
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void aMerchantKeyOnAnAdminEndpointIsA403Problem() {
        CreatedMerchant merchant = createMerchant("Curious Inc");
        web.post().uri("/v1/merchants").header("x-api-key", merchant.apiKey())
                .bodyValue(Map.of("name", "Mallory"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("admin_key_required");
        web.get().uri("/v1/merchants/{id}", merchant.id()).header("Authorization", "Bearer " + merchant.apiKey())
                .exchange()
                .expectStatus().isForbidden();
        web.delete().uri("/v1/api-keys/key_anything").header("x-api-key", merchant.apiKey())
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void theKeyIsAcceptedAsABearerTokenToo() {
        CreatedMerchant merchant = createMerchant("Bearer Co");
        web.get().uri("/v1/customers").header("Authorization", "Bearer " + merchant.apiKey()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.headers['x-paystream-merchant-id']").isEqualTo(merchant.id());
    }

    @Test
    void healthNeedsNoKeyButEverythingElseUnderV1Does() {
        web.get().uri("/v1/health").exchange().expectStatus().isOk();
        web.post().uri("/v1/health").exchange().expectStatus().isUnauthorized();
        web.get().uri("/v1/anything-else").exchange().expectStatus().isUnauthorized();
    }
}
