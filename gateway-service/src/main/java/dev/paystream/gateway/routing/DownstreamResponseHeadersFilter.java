package dev.paystream.gateway.routing;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers a client receives from a service's response, made in one pass: without the hop-by-hop
 * headers (RFC 9110 §7.6.1, and any the service names in {@code Connection}), which describe the
 * gateway's connection to the service, and without the headers the gateway itself sets on every
 * response (request id, rate limits, CORS). The proxy adds a service's headers to the gateway's, so
 * without this a client would see two {@code X-Request-Id} values.
 */
public final class DownstreamResponseHeadersFilter implements HttpHeadersFilter {

    /** Lower-case prefixes. */
    private static final String[] OWNED_BY_GATEWAY = {"x-request-id", "x-ratelimit-", "access-control-"};

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HopByHopHeaders hopByHop = HopByHopHeaders.of(input);
        HttpHeaders kept = new HttpHeaders();
        input.forEach((name, values) -> {
            if (!ownedByGateway(name) && !hopByHop.contains(name, HopByHopHeaders.lowerCase(name))) {
                kept.addAll(name, values);
            }
        });
        return kept;
    }

    private static boolean ownedByGateway(String name) {
        for (String prefix : OWNED_BY_GATEWAY) {
            if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }
}
