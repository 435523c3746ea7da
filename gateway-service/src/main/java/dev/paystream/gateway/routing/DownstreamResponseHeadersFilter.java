package dev.paystream.gateway.routing;

import java.util.List;
import java.util.Locale;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Drops from a service's response the headers the gateway itself sets on every response (request
 * id, rate limits, CORS). The proxy adds a service's headers to the gateway's, so without this a
 * client would see two {@code X-Request-Id} values.
 */
public final class DownstreamResponseHeadersFilter implements HttpHeadersFilter {

    private static final List<String> OWNED_BY_GATEWAY = List.of("x-request-id", "x-ratelimit-", "access-control-");

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders kept = new HttpHeaders();
        input.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (OWNED_BY_GATEWAY.stream().noneMatch(lower::startsWith)) {
                kept.addAll(name, values);
            }
        });
        return kept;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.RESPONSE;
    }
}
