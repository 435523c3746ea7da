package dev.paystream.gateway.config;

import dev.paystream.gateway.routing.DownstreamResponseHeadersFilter;
import dev.paystream.gateway.routing.ServiceRequestHeadersFilter;
import dev.paystream.gateway.routing.ServiceRoutingFilter;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.client.HttpClient;

/**
 * Spring Cloud Gateway's own proxy ({@link NettyRoutingFilter} as {@link ServiceRoutingFilter}, with
 * per-route clients and timeouts, and {@link NettyWriteResponseFilter}), declared here rather than
 * auto-configured ({@code global-filter.netty-routing.enabled: false} in application.yml) because the
 * headers that cross the gateway are made by exactly two filters,
 * one pass each way. The auto-configured proxy would apply every {@link HttpHeadersFilter} bean in
 * turn, each copying all headers (hop-by-hop removal, two gRPC filters, transfer-encoding
 * normalisation), on top of two copies for the request id and the caller's identity; together they
 * were a tenth of the gateway's CPU per proxied request. Their work is done by the two below:
 * <ul>
 *   <li>{@link ServiceRequestHeadersFilter}: hop-by-hop headers, client credentials and
 *   {@code X-Paystream-*} out; request id, gateway token and the caller's identity in;</li>
 *   <li>{@link DownstreamResponseHeadersFilter}: hop-by-hop headers and the ones the gateway sets itself out.</li>
 * </ul>
 * An {@link HttpHeadersFilter} bean declared elsewhere is therefore not applied to proxied requests.
 */
@Configuration(proxyBeanMethods = false)
public class RoutingConfiguration {

    @Bean
    ServiceRequestHeadersFilter serviceRequestHeadersFilter(GatewayProperties properties) {
        return new ServiceRequestHeadersFilter(properties.gateway().token());
    }

    @Bean
    DownstreamResponseHeadersFilter downstreamResponseHeadersFilter() {
        return new DownstreamResponseHeadersFilter();
    }

    @Bean
    NettyRoutingFilter routingFilter(HttpClient httpClient, HttpClientProperties httpClientProperties,
                                     org.springframework.cloud.gateway.config.GatewayProperties gatewayProperties,
                                     ServiceRequestHeadersFilter requestHeaders, DownstreamResponseHeadersFilter responseHeaders) {
        // A route whose response timeout is not a positive number of milliseconds stops the start.
        gatewayProperties.getRoutes().forEach(route -> ServiceRoutingFilter.responseTimeout(route.getId(),
                route.getMetadata().get(ServiceRoutingFilter.RESPONSE_TIMEOUT)));
        return new ServiceRoutingFilter(httpClient, headerFilters(requestHeaders, responseHeaders), httpClientProperties);
    }

    @Bean
    NettyWriteResponseFilter nettyWriteResponseFilter(org.springframework.cloud.gateway.config.GatewayProperties gatewayProperties,
                                                      ServiceRequestHeadersFilter requestHeaders,
                                                      DownstreamResponseHeadersFilter responseHeaders) {
        return new NettyWriteResponseFilter(gatewayProperties.getStreamingMediaTypes(), headerFilters(requestHeaders, responseHeaders));
    }

    private static ObjectProvider<List<HttpHeadersFilter>> headerFilters(HttpHeadersFilter... filters) {
        List<HttpHeadersFilter> list = List.of(filters);
        // Every other ObjectProvider method (getIfAvailable is the one the proxy calls) asks getObject.
        return new ObjectProvider<>() {
            @Override
            public List<HttpHeadersFilter> getObject() {
                return list;
            }
        };
    }
}
