package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.testsupport.PrometheusScrape;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class OperationsIntegrationTest extends GatewayIntegrationTest {

    @Test
    void isReadyOnceMigratedAgainstItsDatabase() {
        web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void exposesCircuitBreakerAndRateLimitMetricsToPrometheus() {
        CreatedMerchant merchant = createMerchant("Metered Co");
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        web.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("resilience4j_circuitbreaker_state")
                        .contains("paystream_rate_limit_redis_fallbacks_total")
                        .doesNotContain(merchant.apiKey()));
    }

    @Test
    void countsTheRequestsItRefusesForTheirKeysRateLimit() {
        CreatedMerchant merchant = createMerchant("Throttled Co", 1);
        double before = PrometheusScrape.of(web).sum("paystream_rate_limit_refused_total", Map.of("application", "gateway-service"));

        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        web.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        PrometheusScrape after = PrometheusScrape.of(web);
        assertThat(after.sum("paystream_rate_limit_refused_total", Map.of("application", "gateway-service")) - before).isEqualTo(2);
        assertThat(after.text()).doesNotContain(merchant.id()).doesNotContain(merchant.keyId());
    }

    @Test
    void itsSwaggerUiListsEveryServicesOpenApiDocumentReadThroughTheGateway() {
        web.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.urls[*].url").value(urls -> assertThat(urls).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder(
                        "/v3/api-docs/payment", "/v3/api-docs/customer", "/v3/api-docs/ledger", "/v3/api-docs/webhook", "/v3/api-docs"));
        web.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
    }

    @Test
    void servesEachServicesOpenApiDocumentFromTheServiceWithoutAKey() {
        // The customer service stub echoes what reached it: the service's own document path, with no identity.
        web.get().uri("/v3/api-docs/customer").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.method").isEqualTo("GET")
                .jsonPath("$.path").isEqualTo("/v3/api-docs")
                .jsonPath("$.headers['x-paystream-gateway-token']").doesNotExist();
        // The payment and webhook services are down, the ledger too slow: their documents are routed to them all the same.
        web.get().uri("/v3/api-docs/payment").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.code").isEqualTo("service_unavailable").jsonPath("$.service").isEqualTo("payment");
        web.get().uri("/v3/api-docs/webhook").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        web.get().uri("/v3/api-docs/ledger").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.service").isEqualTo("ledger");
        web.get().uri("/v3/api-docs/unknown").exchange().expectStatus().isNotFound();
    }

    @Test
    void itsOwnOpenApiDocumentSendsClientsToTheAddressItWasReadFromWithAnApiKey() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.servers[0].url").isEqualTo("/")
                .jsonPath("$.components.securitySchemes.apiKey.name").isEqualTo("x-api-key")
                .jsonPath("$.components.securitySchemes.apiKey.in").isEqualTo("header");
    }

    @Test
    void publishesItsOwnEndpointsInOpenApi() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/v1/merchants']").exists().jsonPath("$.paths['/v1/health']").exists();
    }
}
