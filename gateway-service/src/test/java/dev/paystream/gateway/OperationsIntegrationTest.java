package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
    void publishesItsOwnEndpointsInOpenApi() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/v1/merchants']").exists().jsonPath("$.paths['/v1/health']").exists();
    }
}
