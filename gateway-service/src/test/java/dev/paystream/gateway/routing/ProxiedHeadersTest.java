package dev.paystream.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paystream.gateway.auth.GatewayCaller;
import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.platform.web.RequestIdFilter;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The headers that cross the gateway: {@link ServiceRequestHeadersFilter} and {@link DownstreamResponseHeadersFilter}. */
class ProxiedHeadersTest {

    private static final String TOKEN = "gateway-token-0123456789";
    private final ServiceRequestHeadersFilter toServices = new ServiceRequestHeadersFilter(TOKEN);
    private final DownstreamResponseHeadersFilter toClients = new DownstreamResponseHeadersFilter();

    private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request, GatewayCaller caller) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(RequestIdFilter.ATTRIBUTE, "req_gateway");
        if (caller != null) {
            exchange.getAttributes().put(GatewayCaller.ATTRIBUTE, caller);
        }
        return exchange;
    }

    @Test
    void aServiceSeesTheAuthenticatedMerchantNotWhatTheClientClaimed() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.post("/v1/payments")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "k-1")
                .header("X-Paystream-Merchant-Id", "mer_someone_else")
                .header("x-paystream-admin", "true")
                .header("X-PAYSTREAM-GATEWAY-TOKEN", "guessed")
                .header("x-api-key", "sk_test_secret")
                .header("Authorization", "Bearer sk_test_secret")
                .header("X-Request-Id", "client-id"), GatewayCaller.merchant("mer_1", "key_1", 100));

        HttpHeaders sent = toServices.filter(exchange.getRequest().getHeaders(), exchange);

        assertThat(sent.get(GatewayHeaders.MERCHANT_ID)).containsExactly("mer_1");
        assertThat(sent.get(GatewayHeaders.GATEWAY_TOKEN)).containsExactly(TOKEN);
        assertThat(sent.containsHeader(GatewayHeaders.ADMIN)).isFalse();
        assertThat(sent.containsHeader("x-api-key")).isFalse();
        assertThat(sent.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat(sent.get(RequestIdFilter.HEADER)).containsExactly("req_gateway");
        assertThat(sent.get("Idempotency-Key")).containsExactly("k-1");
        assertThat(sent.getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/json");
    }

    @Test
    void theOperatorIsAdminWithoutAMerchant() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("/v1/payments")
                .header("X-Paystream-Merchant-Id", "mer_claimed"), GatewayCaller.operator(1000));

        HttpHeaders sent = toServices.filter(exchange.getRequest().getHeaders(), exchange);

        assertThat(sent.get(GatewayHeaders.ADMIN)).containsExactly("true");
        assertThat(sent.containsHeader(GatewayHeaders.MERCHANT_ID)).isFalse();
        assertThat(sent.get(GatewayHeaders.GATEWAY_TOKEN)).containsExactly(TOKEN);
    }

    @Test
    void aRequestWithoutAnAuthenticatedCallerCarriesNeitherIdentityNorToken() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("/v1/payments")
                .header("X-Paystream-Merchant-Id", "mer_claimed")
                .header("X-Paystream-Gateway-Token", TOKEN), null);

        HttpHeaders sent = toServices.filter(exchange.getRequest().getHeaders(), exchange);

        assertThat(sent.headerNames()).noneMatch(name -> name.toLowerCase().startsWith("x-paystream-"));
    }

    @Test
    void hopByHopHeadersTheOnesConnectionNamesAndForwardingClaimsStayAtTheGateway() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.post("/v1/payments")
                .header("Connection", "keep-alive, X-Session-Hint")
                .header("Keep-Alive", "timeout=5")
                .header("X-Session-Hint", "abc")
                .header("TE", "trailers")
                .header("Upgrade", "h2c")
                .header("Proxy-Authorization", "Basic eA==")
                .header("Forwarded", "for=10.0.0.1")
                .header("X-Forwarded-For", "10.0.0.1")
                .header("Accept", "application/json"), GatewayCaller.merchant("mer_1", "key_1", 100));

        HttpHeaders sent = toServices.filter(exchange.getRequest().getHeaders(), exchange);

        assertThat(sent.headerNames()).map(String::toLowerCase).doesNotContain(
                "connection", "keep-alive", "x-session-hint", "te", "upgrade", "proxy-authorization", "forwarded", "x-forwarded-for");
        assertThat(sent.getFirst(HttpHeaders.ACCEPT)).isEqualTo("application/json");
    }

    @Test
    void aChunkedRequestLosesItsContradictingContentLength() {
        MockServerWebExchange chunked = exchange(MockServerHttpRequest.post("/v1/payments")
                .header("Transfer-Encoding", "chunked")
                .header("Content-Length", "5"), GatewayCaller.merchant("mer_1", "key_1", 100));
        MockServerWebExchange sized = exchange(MockServerHttpRequest.post("/v1/payments")
                .header("Content-Length", "5"), GatewayCaller.merchant("mer_1", "key_1", 100));

        assertThat(toServices.filter(chunked.getRequest().getHeaders(), chunked).containsHeader(HttpHeaders.CONTENT_LENGTH)).isFalse();
        assertThat(toServices.filter(sized.getRequest().getHeaders(), sized).getFirst(HttpHeaders.CONTENT_LENGTH)).isEqualTo("5");
    }

    @Test
    void aClientGetsTheServicesHeadersButNotItsConnectionsOrTheGatewaysOwn() {
        HttpHeaders fromService = new HttpHeaders();
        fromService.add("Content-Type", "application/json");
        fromService.add("Content-Length", "42");
        fromService.add("Location", "/v1/payments/pay_1");
        fromService.add("Idempotent-Replayed", "true");
        fromService.add("Connection", "keep-alive, X-Backend-Hint");
        fromService.add("X-Backend-Hint", "1");
        fromService.add("Keep-Alive", "timeout=60");
        fromService.add("Transfer-Encoding", "chunked");
        fromService.add("X-Request-Id", "req_service");
        fromService.add("X-RateLimit-Remaining", "7");
        fromService.add("Access-Control-Allow-Origin", "*");
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("/v1/payments/pay_1"), null);

        HttpHeaders received = toClients.filter(fromService, exchange);

        assertThat(received.headerNames()).containsExactlyInAnyOrder("Content-Type", "Content-Length", "Location", "Idempotent-Replayed");
    }

    @Test
    void theServicesSecretIsRequired() {
        assertThatThrownBy(() -> new ServiceRequestHeadersFilter("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PAYSTREAM_GATEWAY_TOKEN");
    }
}
