package dev.paystream.gateway.config;

import dev.paystream.gateway.routing.ServiceUnavailableFilter;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Resilience4j circuit breaker per route (timeouts are the routes' own), named after the service (the routes'
 * {@code CircuitBreaker} filters in application.yml). Only failures to reach a service count (refused
 * or reset connections, timeouts); a service's own 4xx/5xx answers are responses, not outages.
 * An open circuit fails calls at once for {@code paystream.service-retry-after}, which is also the
 * {@code Retry-After} of the resulting 503.
 */
@Configuration(proxyBeanMethods = false)
public class CircuitBreakerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CircuitBreakerConfiguration.class);

    /**
     * Resilience4j's own Spring Boot auto-configuration refuses Boot 4, so the registries Spring Cloud
     * CircuitBreaker needs are declared here (Spring Cloud publishes their breakers as metrics).
     */
    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
        registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(event -> log.warn("Circuit breaker of the {} service: {}",
                        event.getCircuitBreakerName(), event.getStateTransition())));
        return registry;
    }

    @Bean
    TimeLimiterRegistry timeLimiterRegistry() {
        return TimeLimiterRegistry.ofDefaults();
    }

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> serviceCircuitBreakers(GatewayProperties properties) {
        GatewayProperties.CircuitBreaker settings = properties.circuitBreaker();
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(properties.serviceRetryAfter())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .recordException(ServiceUnavailableFilter::meansServiceUnavailable)
                .build();
        // No Resilience4j time limit (spring.cloud.circuitbreaker.resilience4j.disable-time-limiter): each
        // route's own connect and response timeouts bound its calls, and their expiry counts as a failure here.
        return factory -> properties.services().keySet().forEach(service ->
                factory.configure(builder -> builder.circuitBreakerConfig(breaker), service));
    }
}
