package dev.paystream.gateway.config;

import dev.paystream.gateway.auth.AdminKey;
import dev.paystream.gateway.auth.ApiKeyChangeBroadcast;
import dev.paystream.gateway.auth.ApiKeyAuthenticationFilter;
import dev.paystream.gateway.auth.ApiKeyAuthenticator;
import dev.paystream.gateway.auth.FailedAuthentications;
import dev.paystream.gateway.merchant.MerchantStore;
import dev.paystream.gateway.routing.RequestBodyLimitFilter;
import dev.paystream.gateway.routing.RequestBodyTimeoutFilter;
import dev.paystream.gateway.routing.RouteTaggingObservationConvention;
import dev.paystream.gateway.routing.ServiceUnavailableFilter;
import dev.paystream.gateway.routing.SingleWriteResponseFilter;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.util.unit.DataSize;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The gateway's own wiring. Requests pass, in order: request id, CORS, API key authentication, rate
 * limiting, the body size limit, then either a gateway controller (merchants, keys, health) or a
 * Spring Cloud Gateway route to the owning service.
 */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    static final String API_KEY_CHANGES_CHANNEL = "paystream:api-key-changes";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    MerchantStore merchantStore(DatabaseClient database, ReactiveTransactionManager transactionManager) {
        return new MerchantStore(database, transactionManager);
    }

    @Bean
    AdminKey adminKey(GatewayProperties properties) {
        return AdminKey.resolve(properties.adminKey(), properties.adminKeyFile());
    }

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(MerchantStore store, AdminKey adminKey, GatewayProperties properties) {
        return new ApiKeyAuthenticator(store, adminKey, properties.rateLimit().adminPerMinute(), properties.apiKeyCacheTtl());
    }

    /** With Redis, revocations and merchant changes reach every replica's key cache at once. */
    @Bean
    @Primary
    @Conditional(RedisConfiguredCondition.class)
    ApiKeyChangeBroadcast apiKeyChangeBroadcast(ReactiveRedisConnectionFactory connections, ApiKeyAuthenticator authenticator) {
        return new ApiKeyChangeBroadcast(new ReactiveStringRedisTemplate(connections), API_KEY_CHANGES_CHANNEL, authenticator);
    }

    @Bean
    FailedAuthentications failedAuthentications(GatewayProperties properties, Clock clock) {
        GatewayProperties.FailedAuthenticationLimit limit = properties.failedAuthentications();
        return new FailedAuthentications(limit.limitPerAddress(), limit.window(), clock);
    }

    @Bean
    ApiKeyAuthenticationFilter apiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, ProblemJsonExceptionHandler problems,
                                                          FailedAuthentications failedAuthentications) {
        return new ApiKeyAuthenticationFilter(authenticator, problems, failedAuthentications);
    }

    @Bean
    RequestBodyLimitFilter requestBodyLimitFilter(GatewayProperties properties, ProblemJsonExceptionHandler problems) {
        return new RequestBodyLimitFilter(properties.requestBodyLimit(), problems);
    }

    @Bean
    RequestBodyTimeoutFilter requestBodyTimeoutFilter(GatewayProperties properties, ProblemJsonExceptionHandler problems) {
        return new RequestBodyTimeoutFilter(properties.requestBodyTimeout(), problems);
    }

    @Bean
    ServiceUnavailableFilter serviceUnavailableFilter(GatewayProperties properties, ProblemJsonExceptionHandler problems) {
        return new ServiceUnavailableFilter(problems, properties.serviceRetryAfter());
    }

    /** {@code http.server.requests} tagged with the route a request was proxied to. */
    @Bean
    RouteTaggingObservationConvention routeTaggingObservationConvention(
            @Value("${management.observations.http.server.requests.name:http.server.requests}") String name) {
        return new RouteTaggingObservationConvention(name);
    }

    /** Small service responses (a declared length up to 64 KB) leave in one write. */
    @Bean
    SingleWriteResponseFilter singleWriteResponseFilter() {
        return new SingleWriteResponseFilter(DataSize.ofKilobytes(64));
    }

    /** CORS before authentication, so that a browser's preflight (which carries no key) is answered. */
    @Bean
    WebFilter corsFilter(GatewayProperties properties) {
        GatewayProperties.Cors cors = properties.cors();
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!cors.allowedOrigins().isEmpty()) {
            org.springframework.web.cors.CorsConfiguration configuration = new org.springframework.web.cors.CorsConfiguration();
            configuration.setAllowedOriginPatterns(cors.allowedOrigins());
            configuration.setAllowedMethods(cors.allowedMethods());
            configuration.setAllowedHeaders(cors.allowedHeaders());
            configuration.setExposedHeaders(cors.exposedHeaders());
            configuration.setMaxAge(cors.maxAge());
            source.registerCorsConfiguration("/**", configuration);
        }
        CorsWebFilter delegate = new CorsWebFilter(source);
        return new OrderedWebFilter(delegate, Ordered.HIGHEST_PRECEDENCE + 5);
    }

    /**
     * A class rather than a record: WebFlux describes each filter with {@code toString()} on every
     * request (a Reactor checkpoint), and a record's generated one is slow.
     */
    private static final class OrderedWebFilter implements WebFilter, Ordered {

        private final WebFilter delegate;
        private final int order;
        private final String description;

        OrderedWebFilter(WebFilter delegate, int order) {
            this.delegate = delegate;
            this.order = order;
            this.description = "OrderedWebFilter[" + delegate.getClass().getSimpleName() + "]";
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            return delegate.filter(exchange, chain);
        }

        @Override
        public int getOrder() {
            return order;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
