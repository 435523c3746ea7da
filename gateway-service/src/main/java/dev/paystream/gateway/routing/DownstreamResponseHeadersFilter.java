package dev.paystream.gateway.routing;

import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        List<String> connectionOptions = input.getConnection();
        HttpHeaders kept = new HttpHeaders();
        for (Map.Entry<String, List<String>> header : input.headerSet()) {
            String name = header.getKey();
            if (!ownedByGateway(name) && !ServiceRequestHeadersFilter.HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))
                    && !ServiceRequestHeadersFilter.namedIn(connectionOptions, name)) {
                kept.addAll(name, header.getValue());
            }
        }
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
