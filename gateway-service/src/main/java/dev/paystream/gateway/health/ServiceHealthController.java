package dev.paystream.gateway.health;

import dev.paystream.gateway.config.GatewayProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * {@code GET /v1/health}, the one {@code /v1} endpoint that needs no key: whether each service
 * behind the gateway is ready. All services are asked at once and each answer is bounded by a short
 * timeout, so one hanging service costs the caller that timeout, not a sum of them.
 *
 * <p>Since anyone may call it, one round of checks answers every caller for
 * {@code paystream.health-cache-ttl} (1 s): callers arriving while a round is under way wait for
 * that round, and a flood of calls costs the services (whose readiness asks their databases) at
 * most one round per second.
 */
@RestController
public class ServiceHealthController {

    private static final List<String> CONTRACT_ORDER = List.of("customer", "payment", "ledger", "webhook");

    private final Map<String, URI> services;
    private final Duration timeout;
    private final WebClient client;
    private final Mono<HealthResponse> recentHealth;

    public ServiceHealthController(GatewayProperties properties) {
        this.services = new LinkedHashMap<>();
        properties.services().entrySet().stream()
                .sorted(Comparator.comparingInt(entry -> order(entry.getKey())))
                .forEach(entry -> services.put(entry.getKey(), entry.getValue().url()));
        this.timeout = properties.healthTimeout();
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create()
                        .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                        .responseTimeout(timeout)))
                .build();
        this.recentHealth = checkServices().cache(properties.healthCacheTtl());
    }

    public record HealthResponse(String status, Map<String, String> services) {
    }

    @GetMapping("/v1/health")
    public Mono<HealthResponse> health() {
        return recentHealth;
    }

    private Mono<HealthResponse> checkServices() {
        return Flux.fromIterable(services.entrySet())
                .flatMap(service -> readiness(service.getValue()).map(state -> Map.entry(service.getKey(), state)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(states -> {
                    Map<String, String> ordered = new LinkedHashMap<>();
                    services.keySet().forEach(name -> ordered.put(name, states.get(name)));
                    boolean allUp = ordered.values().stream().allMatch("up"::equals);
                    return new HealthResponse(allUp ? "healthy" : "degraded", ordered);
                });
    }

    private Mono<String> readiness(URI service) {
        return client.get().uri(service.resolve("/actuator/health/readiness"))
                .exchangeToMono(response -> response.releaseBody()
                        .thenReturn(response.statusCode().is2xxSuccessful() ? "up" : "down"))
                .timeout(timeout)
                .onErrorReturn("down");
    }

    private static int order(String service) {
        int index = CONTRACT_ORDER.indexOf(service);
        return index >= 0 ? index : CONTRACT_ORDER.size();
    }
}
