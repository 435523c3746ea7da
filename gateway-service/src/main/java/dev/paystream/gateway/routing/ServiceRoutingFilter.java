package dev.paystream.gateway.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.client.HttpClient;

/**
 * Spring Cloud Gateway's proxy with one HTTP client per route, made once rather than per request,
 * that carries the route's connect timeout ({@code connect-timeout} metadata, as in Spring Cloud
 * Gateway) and its response timeout ({@code service-response-timeout} metadata, milliseconds).
 *
 * <p>The response timeout is Reactor Netty's own ({@link HttpClient#responseTimeout}): from the
 * moment the request is sent, the service may stay silent for at most that long, counted by a timer on
 * the connection's event loop; expiry closes the connection with a
 * {@link io.netty.handler.timeout.ReadTimeoutException}, which {@link ServiceUnavailableFilter} turns
 * into a 503 problem and the route's circuit breaker counts as a failure. Spring Cloud Gateway's
 * {@code response-timeout} metadata would instead wrap every call in a Reactor timeout, two timer
 * tasks on a shared scheduler per request; it is not used by the routes.
 */
public final class ServiceRoutingFilter extends NettyRoutingFilter {

    /** Route metadata: the service's response timeout in milliseconds. */
    public static final String RESPONSE_TIMEOUT = "service-response-timeout";

    private final Map<String, RouteClient> clients = new ConcurrentHashMap<>();

    public ServiceRoutingFilter(HttpClient httpClient, ObjectProvider<List<HttpHeadersFilter>> headersFilters,
                                HttpClientProperties properties) {
        super(httpClient, headersFilters, properties);
    }

    @Override
    protected HttpClient getHttpClient(Route route, ServerWebExchange exchange) {
        RouteClient cached = clients.get(route.getId());
        // The route locator keeps its Route instances until the routes are refreshed; a refreshed
        // route is a new instance, whose client is made afresh.
        if (cached == null || cached.route() != route) {
            cached = new RouteClient(route, withResponseTimeout(super.getHttpClient(route, exchange), route));
            clients.put(route.getId(), cached);
        }
        return cached.client();
    }

    private static HttpClient withResponseTimeout(HttpClient client, Route route) {
        Duration timeout = responseTimeout(route.getId(), route.getMetadata().get(RESPONSE_TIMEOUT));
        return timeout == null ? client : client.responseTimeout(timeout);
    }

    /**
     * A route's {@value #RESPONSE_TIMEOUT} metadata (milliseconds); {@code null} when it has none.
     * Checked for every route when the gateway starts (RoutingConfiguration), so a bad value stops
     * the start rather than failing each request.
     */
    public static Duration responseTimeout(String routeId, Object metadataValue) {
        if (metadataValue == null) {
            return null;
        }
        long millis;
        try {
            millis = metadataValue instanceof Number number ? number.longValue() : Long.parseLong(metadataValue.toString().trim());
        } catch (NumberFormatException notMillis) {
            throw new IllegalArgumentException("Route " + routeId + ": " + RESPONSE_TIMEOUT + " must be milliseconds, was " + metadataValue);
        }
        if (millis <= 0) {
            throw new IllegalArgumentException("Route " + routeId + ": " + RESPONSE_TIMEOUT + " must be positive, was " + metadataValue);
        }
        return Duration.ofMillis(millis);
    }

    private record RouteClient(Route route, HttpClient client) {
    }
}
