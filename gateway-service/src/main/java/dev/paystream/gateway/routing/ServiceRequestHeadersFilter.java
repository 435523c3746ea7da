package dev.paystream.gateway.routing;

import dev.paystream.gateway.auth.GatewayCaller;
import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.platform.web.RequestIdFilter;
import java.util.Set;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers a service receives with a proxied request, made in one pass over the client's.
 *
 * <p>Dropped: the hop-by-hop headers (RFC 9110 §7.6.1, and any the client names in {@code Connection}),
 * every {@code X-Paystream-*} header a client sent (so a client can never claim to be a merchant), the
 * client's credentials ({@code x-api-key}, {@code Authorization}: services do not need them, and a key
 * that never leaves the gateway cannot leak from a service's logs), the client's {@code X-Request-Id},
 * and any {@code Forwarded} or {@code X-Forwarded-*} header (unverifiable claims about the client's
 * address that a service must not log or trust as if the gateway had made them).
 * Set: the request's id as the gateway logged it, and, for an authenticated caller, the shared gateway
 * token with either the merchant's id or the admin flag. A request without a caller (the only ones
 * routed are {@code GET /v3/api-docs/<service>}, a service's OpenAPI document; everything under
 * {@code /v1} needs a key) gets no identity and no token, so a service refuses it anything under
 * {@code /v1}.
 *
 * <p>A request with both {@code Transfer-Encoding: chunked} and {@code Content-Length} loses the
 * length (RFC 9112 §6.3); the proxy sends the body chunked.
 */
public final class ServiceRequestHeadersFilter implements HttpHeadersFilter {

    private static final String PAYSTREAM_HEADER_PREFIX = "x-paystream-";
    private static final String X_FORWARDED_PREFIX = "x-forwarded-";
    private static final Set<String> CLIENT_CREDENTIALS = Set.of("x-api-key", "authorization");

    private final String gatewayToken;

    public ServiceRequestHeadersFilter(String gatewayToken) {
        if (gatewayToken == null || gatewayToken.length() < 16) {
            throw new IllegalArgumentException(
                    "paystream.gateway.token (PAYSTREAM_GATEWAY_TOKEN) must be set to the services' secret of at least 16 characters");
        }
        this.gatewayToken = gatewayToken;
    }

    @Override
    public HttpHeaders filter(HttpHeaders client, ServerWebExchange exchange) {
        HopByHopHeaders hopByHop = HopByHopHeaders.of(client);
        boolean chunked = "chunked".equalsIgnoreCase(trimmed(client.getFirst(HttpHeaders.TRANSFER_ENCODING)));
        HttpHeaders forwarded = new HttpHeaders();
        // forEach, not headerSet(): a request's read-only headers copy every entry for headerSet().
        client.forEach((name, values) -> {
            if (!notForServices(name, hopByHop) && !(chunked && name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH))) {
                forwarded.addAll(name, values);
            }
        });
        String requestId = RequestIdFilter.requestId(exchange);
        if (requestId != null) {
            forwarded.set(RequestIdFilter.HEADER, requestId);
        }
        GatewayCaller caller = GatewayCaller.of(exchange);
        if (caller != null) {
            forwarded.set(GatewayHeaders.GATEWAY_TOKEN, gatewayToken);
            if (caller.admin()) {
                forwarded.set(GatewayHeaders.ADMIN, "true");
            } else {
                forwarded.set(GatewayHeaders.MERCHANT_ID, caller.merchantId());
            }
        }
        return forwarded;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    private static boolean notForServices(String name, HopByHopHeaders hopByHop) {
        String lowerCase = HopByHopHeaders.lowerCase(name);
        return hopByHop.contains(name, lowerCase)
                || CLIENT_CREDENTIALS.contains(lowerCase)
                || lowerCase.startsWith(PAYSTREAM_HEADER_PREFIX)
                || lowerCase.equals("x-request-id")
                || lowerCase.equals("forwarded")
                || lowerCase.startsWith(X_FORWARDED_PREFIX);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
