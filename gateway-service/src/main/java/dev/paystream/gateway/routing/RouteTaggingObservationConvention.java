package dev.paystream.gateway.routing;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Boot's {@code http.server.requests} with one more tag, {@code route}: the id of the route (the
 * service) a request was proxied to, or {@code none} for the gateway's own endpoints. A proxied
 * request matches no handler pattern, so its {@code uri} tag is {@code UNKNOWN}; without this tag
 * the edge's request rate, errors and latency could not be told apart per service.
 */
public final class RouteTaggingObservationConvention extends DefaultServerRequestObservationConvention {

    public static final String ROUTE_TAG = "route";

    public RouteTaggingObservationConvention(String name) {
        super(name);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        Object route = context.getAttributes().get(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return super.getLowCardinalityKeyValues(context)
                .and(KeyValue.of(ROUTE_TAG, route instanceof Route proxiedTo ? proxiedTo.getId() : "none"));
    }
}
