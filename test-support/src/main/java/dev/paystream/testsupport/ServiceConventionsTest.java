package dev.paystream.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every back-end service promises operators and the gateway (CONTRACT §1, §12), checked against
 * the running service. A service's test extends it and points it at its database with a
 * {@code @DynamicPropertySource} calling {@link ServiceTestProperties#register}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class ServiceConventionsTest {

    @Autowired
    protected WebTestClient web;

    /** A {@code /v1} path of this service that a merchant may GET. */
    protected abstract String aV1Path();

    @Test
    void isLiveAndReadyOnceMigratedAgainstItsDatabase() {
        web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void refusesAV1CallThatDidNotComeThroughTheGatewayWhateverMerchantItClaims() {
        web.get().uri(aV1Path()).header("X-Paystream-Merchant-Id", "mer_spoofed").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("gateway_credential_required");
        web.get().uri(aV1Path()).header("X-Paystream-Merchant-Id", "mer_spoofed")
                .header("X-Paystream-Gateway-Token", "a-guess-that-is-long-enough").exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void refusesAV1CallDisguisedWithPathParametersAsWell() {
        // WebFlux routes /v1;x/... like /v1/..., so the credential check must see it as /v1/... too.
        String disguised = aV1Path().replaceFirst("^/v1/", "/v1;x/");
        web.get().uri(base -> base.build().resolve(disguised)).header("X-Paystream-Merchant-Id", "mer_spoofed").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("gateway_credential_required");
    }

    @Test
    void answersAnUnknownPathWithA404ProblemCarryingTheRequestId() {
        web.get().uri("/nothing-here").header("X-Request-Id", "req_from_client_1").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("X-Request-Id", "req_from_client_1")
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.request_id").isEqualTo("req_from_client_1");
    }

    @Test
    void generatesARequestIdWhenTheClientSentNone() {
        web.get().uri("/actuator/health/liveness").exchange()
                .expectHeader().value("X-Request-Id", id -> assertThat(id).startsWith("req_"));
    }

    @Test
    void exposesPrometheusMetricsAndAnOpenApiDocument() {
        // The page lists the Kafka clients' metrics per partition of every topic a service reads: more than the
        // test client's default 64 KiB buffer once a service reads two topics.
        web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.openapi").exists();
    }
}
