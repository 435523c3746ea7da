package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.testsupport.PrometheusScrape;
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
    void publishesItsOwnEndpointsInOpenApi() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/v1/merchants']").exists().jsonPath("$.paths['/v1/health']").exists();
    }
}
