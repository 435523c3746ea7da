package dev.paystream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Two real gateway applications on one database and one Redis, as two replicas behind a load balancer. */
class ReplicatedGatewayIntegrationTest extends GatewayIntegrationTest {

    private static SecondGatewayReplica replica;

    /** Started on first use: only then has the first replica's context created the shared database. */
    private static synchronized SecondGatewayReplica secondReplica() {
        if (replica == null) {
            replica = SecondGatewayReplica.start(replicaProperties());
        }
        return replica;
    }

    @AfterAll
    static void stopSecondReplica() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void twoReplicasSharingOneRedisEnforceOneLimit() {
        CreatedMerchant merchant = createMerchant("Replicated Co", 5);
        WebTestClient[] replicas = {web, secondReplica().client()};
        for (int request = 0; request < 5; request++) {
            replicas[request % 2].get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                    .expectStatus().isOk();
        }
        for (WebTestClient gateway : replicas) {
            gateway.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                    .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectHeader().valueEquals("X-RateLimit-Remaining", "0");
        }
    }

    @Test
    void aKeyRevokedThroughOneReplicaIsRefusedByTheOtherWellBeforeItsCacheExpires() throws InterruptedException {
        CreatedMerchant merchant = createMerchant("Revoked Everywhere Co");
        WebTestClient second = secondReplica().client();
        // The second replica has now cached the key as valid for the cache's TTL (5 s).
        second.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange().expectStatus().isOk();

        web.delete().uri("/v1/api-keys/{id}", merchant.keyId()).header("x-api-key", ADMIN_KEY).exchange()
                .expectStatus().isNoContent();

        long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        HttpStatus status;
        do {
            status = HttpStatus.valueOf(second.get().uri("/v1/customers").header("x-api-key", merchant.apiKey())
                    .exchange().returnResult(Void.class).getStatus().value());
            if (status != HttpStatus.UNAUTHORIZED) {
                Thread.sleep(50);
            }
        } while (status != HttpStatus.UNAUTHORIZED && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(HttpStatus.UNAUTHORIZED);
    }
}
