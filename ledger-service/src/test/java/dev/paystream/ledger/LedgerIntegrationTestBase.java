package dev.paystream.ledger;

import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import java.net.URI;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ledger against a fresh real PostgreSQL database and the shared real broker, with helpers to call
 * its API as the gateway does. It shares its Spring context with every other test class of this
 * module (see {@link LedgerTestInfrastructure}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
abstract class LedgerIntegrationTestBase implements LedgerTestInfrastructure {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    DatabaseClient database;

    /** A GET as the gateway sends it for {@code merchantId}'s API key. */
    WebTestClient.ResponseSpec getAsMerchant(String merchantId, String uri) {
        return web.get().uri(uri)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchantId)
                .exchange();
    }

    /** As {@link #getAsMerchant(String, String)}, with a URI built (and encoded) by {@code uri}. */
    WebTestClient.ResponseSpec getAsMerchant(String merchantId, Function<UriBuilder, URI> uri) {
        return web.get().uri(uri)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchantId)
                .exchange();
    }

    /** A GET as the gateway sends it for the operator's admin key. */
    WebTestClient.ResponseSpec getAsOperator(String uri) {
        return web.get().uri(uri)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.ADMIN, "true")
                .exchange();
    }

    /** As {@link #getAsOperator(String)}, with a URI built (and encoded) by {@code uri}. */
    WebTestClient.ResponseSpec getAsOperator(Function<UriBuilder, URI> uri) {
        return web.get().uri(uri)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.ADMIN, "true")
                .exchange();
    }

    /** A POST without a body as the gateway sends it for the operator's admin key. */
    WebTestClient.ResponseSpec postAsOperator(String uri) {
        return web.post().uri(uri)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.ADMIN, "true")
                .exchange();
    }

    /** A POST without a body as the gateway sends it for {@code merchantId}'s API key. */
    WebTestClient.ResponseSpec postAsMerchant(String merchantId, String uri) {
        return web.post().uri(uri)
                .header(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .header(GatewayHeaders.MERCHANT_ID, merchantId)
                .exchange();
    }

    JsonNode okJson(WebTestClient.ResponseSpec response) {
        String body = response.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    JsonNode entriesOf(String merchantId, String paymentId) {
        return okJson(getAsMerchant(merchantId, "/v1/ledger/entries?payment_id=" + paymentId)).get("data");
    }

    long count(String sql, String id) {
        return database.sql(sql).bind("id", id).map(row -> row.get(0, Long.class)).one().block();
    }
}
