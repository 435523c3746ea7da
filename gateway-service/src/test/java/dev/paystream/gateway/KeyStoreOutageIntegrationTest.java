package dev.paystream.gateway;

import static org.awaitility.Awaitility.await;

import dev.paystream.testsupport.FaultyTcpProxy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Fault injection: a second gateway replica reaches the gateway database (merchants and API keys)
 * through a proxy the test cuts, as a database restart would. While it is cut, calls that need the
 * database are 503 problems with Retry-After, never 500s; once it is back, the replica serves them
 * again by itself, without a restart.
 */
class KeyStoreOutageIntegrationTest extends GatewayIntegrationTest {

    private static FaultyTcpProxy proxy;
    private static SecondGatewayReplica replica;

    @AfterAll
    static void stopReplicaAndProxy() {
        if (replica != null) {
            replica.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void whileTheKeyStoreIsUnreachableCallsNeedingItAre503ProblemsAndTheReplicaRecovers() {
        proxy = FaultyTcpProxy.to(database.host(), database.port());
        Map<String, Object> properties = replicaProperties();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database.name());
        replica = SecondGatewayReplica.start(properties);
        WebTestClient throughReplica = replica.client();
        CreatedMerchant merchant = createMerchant("Outage Co");

        proxy.cut();
        throughReplica.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("authentication_unavailable");
        createMerchantThrough(throughReplica)
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "2")
                .expectBody().jsonPath("$.code").isEqualTo("database_unavailable");

        proxy.restore();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> createMerchantThrough(throughReplica).expectStatus().isCreated());
        throughReplica.get().uri("/v1/customers").header("x-api-key", merchant.apiKey()).exchange()
                .expectStatus().isOk();
    }

    private static WebTestClient.ResponseSpec createMerchantThrough(WebTestClient client) {
        return client.post().uri("/v1/merchants")
                .header("x-api-key", ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Created during recovery"))
                .exchange();
    }
}
