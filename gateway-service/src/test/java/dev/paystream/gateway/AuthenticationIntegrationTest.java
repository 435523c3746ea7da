package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;

class AuthenticationIntegrationTest extends GatewayIntegrationTest {

    /** The default of paystream.failed-authentications.limit-per-address. */
    private static final int FAILED_AUTHENTICATIONS_PER_ADDRESS = 20;

    /** A client whose connections come from {@code address} (any 127.x.y.z is the loopback interface). */
    private WebTestClient clientFrom(String address) {
        HttpClient fromAddress = HttpClient.create().bindAddress(() -> new InetSocketAddress(address, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(fromAddress))
                .baseUrl("http://127.0.0.1:" + gatewayPort)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static String unknownKey() {
        return "sk_test_" + UUID.randomUUID().toString().replace("-", "") + "0123456789a";
    }

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
    void anAddressThatSentTooManyUnknownKeysGets429ProblemsWhileOtherAddressesAreServed() {
        WebTestClient fromAnotherAddress = clientFrom("127.0.0.2");
        for (int attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_ADDRESS; attempt++) {
            fromAnotherAddress.get().uri("/v1/customers").header("x-api-key", unknownKey()).exchange()
                    .expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$.code").isEqualTo("api_key_invalid");
        }

        fromAnotherAddress.get().uri("/v1/customers").header("x-api-key", unknownKey()).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60))
                .expectBody()
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.code").isEqualTo("too_many_failed_authentications")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("retry after"));
        // Until its window ends, the address gets no key checked at all, a valid one included.
        CreatedMerchant merchant = createMerchant("Neighbour Co");
        fromAnotherAddress.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        web.get().uri("/v1/customers").header("x-api-key", unknownKey()).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("api_key_invalid");
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
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
