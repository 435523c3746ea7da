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
        // A refreshed route is a new Route with new metadata: its client is made afresh.
        if (cached == null || cached.metadata() != route.getMetadata()) {
            cached = new RouteClient(route.getMetadata(), withResponseTimeout(super.getHttpClient(route, exchange), route));
            clients.put(route.getId(), cached);
        }
        return cached.client();
    }

    private static HttpClient withResponseTimeout(HttpClient client, Route route) {
        Object timeout = route.getMetadata().get(RESPONSE_TIMEOUT);
        if (timeout == null) {
            return client;
        }
        long millis = timeout instanceof Number number ? number.longValue() : Long.parseLong(timeout.toString().trim());
        if (millis <= 0) {
            throw new IllegalArgumentException("Route " + route.getId() + ": " + RESPONSE_TIMEOUT + " must be positive, was " + timeout);
        }
        return client.responseTimeout(Duration.ofMillis(millis));
    }

    private record RouteClient(Map<String, Object> metadata, HttpClient client) {
    }
}
