package dev.paystream.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server standing in for a service behind the gateway. It answers readiness with UP
 * and every other request with the method, path, headers and body it received, as JSON, so a test sees
 * exactly what the gateway forwarded.
 */
final class DownstreamStub {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DisposableServer server;
    private final AtomicInteger readinessChecks = new AtomicInteger();
    private final AtomicInteger requestsBegun = new AtomicInteger();

    private DownstreamStub(Duration delay) {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                // Its own event loop: a Spring context that closes disposes Reactor Netty's global ones.
                .runOn(LoopResources.create("downstream-stub", 1, true))
                .handle((request, response) -> {
                    requestsBegun.incrementAndGet();
                    return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                            .flatMap(received -> {
                                String body;
                                if (request.uri().startsWith("/actuator/health/readiness")) {
                                    readinessChecks.incrementAndGet();
                                    body = "{\"status\":\"UP\"}";
                                } else {
                                    Map<String, String> headers = new TreeMap<>();
                                    request.requestHeaders().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
                                    body = JSON.writeValueAsString(Map.of(
                                            "method", request.method().name(),
                                            "path", request.uri(),
                                            "headers", headers,
                                            "body", received));
                                }
                                // Services echo the request id, as RequestIdFilter does; the client must still see it once.
                                String requestId = request.requestHeaders().get("X-Request-Id");
                                if (requestId != null) {
                                    response.header("X-Request-Id", requestId);
                                }
                                return Mono.delay(delay)
                                        .then(response.header("Content-Type", "application/json")
                                                .sendString(Mono.just(body), StandardCharsets.UTF_8).then());
                            });
                })
                .bindNow();
    }

    /** Answers at once. */
    static DownstreamStub echo() {
        return new DownstreamStub(Duration.ZERO);
    }

    /** Answers everything, readiness included, only after {@code delay}. */
    static DownstreamStub slow(Duration delay) {
        return new DownstreamStub(delay);
    }

    /** How many requests have reached it, counted as their headers arrive. */
    int requestsBegun() {
        return requestsBegun.get();
    }

    /** How many times it was asked for its readiness. */
    int readinessChecks() {
        return readinessChecks.get();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A local port on which nothing listens, so connecting to it is refused at once. */
    static String deadUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
