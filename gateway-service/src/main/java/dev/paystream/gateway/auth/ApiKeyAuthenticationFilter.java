package dev.paystream.gateway.auth;

import dev.paystream.platform.web.MatchedPath;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemException;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates every {@code /v1} request but {@code GET /v1/health} by its API key, and keeps
 * merchant keys off the operator's endpoints. A client that sent too many unknown or revoked keys
 * ({@link FailedAuthentications}) gets a 429 problem for its requests with a key, before any lookup. The caller it establishes is the exchange's
 * {@link GatewayCaller#ATTRIBUTE}: the gateway's own endpoints read it, and
 * {@link dev.paystream.gateway.routing.ServiceRequestHeadersFilter} turns it into the identity headers a
 * service believes (and drops whatever identity headers and credentials the client sent).
 */
public final class ApiKeyAuthenticationFilter implements WebFilter, Ordered {

    /** After the request id (highest precedence) and CORS, before rate limiting and routing. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    static final String API_KEY_HEADER = "x-api-key";
    private static final String BEARER = "bearer ";
    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);
    private static final Duration KEY_STORE_RETRY_AFTER = Duration.ofSeconds(5);
    private static final List<String> ADMIN_PATHS = List.of("/v1/merchants", "/v1/api-keys");

    private static final String UNKNOWN_CLIENT = "unknown";

    private final ApiKeyAuthenticator authenticator;
    private final ProblemJsonExceptionHandler problems;
    private final FailedAuthentications failures;

    public ApiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, ProblemJsonExceptionHandler problems,
                                      FailedAuthentications failures) {
        this.authenticator = authenticator;
        this.problems = problems;
        this.failures = failures;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        // Decided on the path as routes match it, never the raw one (see MatchedPath).
        String path = MatchedPath.of(request);
        if (!needsKey(request.getMethod(), path)) {
            return chain.filter(exchange);
        }
        String presentedKey = presentedKey(request.getHeaders());
        if (presentedKey == null) {
            return reject(exchange, Problem.of(HttpStatus.UNAUTHORIZED, "api_key_missing",
                    "Send your API key in the x-api-key header or as Authorization: Bearer <key>"));
        }
        String client = client(request);
        Optional<Duration> refused = failures.refusedFor(client);
        if (refused.isPresent()) {
            return problems.write(exchange, tooManyFailures(refused.get()));
        }
        return authenticator.authenticate(presentedKey)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .onErrorMap(failure -> !(failure instanceof ProblemException), ApiKeyAuthenticationFilter::keysUnavailable)
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        failures.record(client);
                        return reject(exchange, Problem.of(HttpStatus.UNAUTHORIZED, "api_key_invalid",
                                "The API key is unknown or has been revoked"));
                    }
                    GatewayCaller caller = found.get();
                    if (!caller.admin() && isAdminPath(path)) {
                        return problems.write(exchange, Problem.of(HttpStatus.FORBIDDEN, "admin_key_required",
                                "This endpoint is for the operator's admin key; merchant keys may not call it"));
                    }
                    exchange.getAttributes().put(GatewayCaller.ATTRIBUTE, caller);
                    return chain.filter(exchange);
                });
    }

    /** The key store (the gateway's database) failed: a dependency is down, not the caller's fault. */
    private static Throwable keysUnavailable(Throwable failure) {
        log.warn("Could not look up an API key: {}", failure.toString());
        return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "authentication_unavailable",
                        "API keys cannot be checked at the moment; retry shortly")
                .withRetryAfter(KEY_STORE_RETRY_AFTER)
                .toException();
    }

    private Problem tooManyFailures(Duration refusedFor) {
        long retryAfterSeconds = Math.max(1, (refusedFor.toMillis() + 999) / 1000);
        return Problem.of(HttpStatus.TOO_MANY_REQUESTS, "too_many_failed_authentications",
                        failures.limit() + " requests from your address within " + failures.window().toSeconds()
                                + " seconds had an unknown or revoked API key; retry after " + retryAfterSeconds + " seconds")
                .withRetryAfter(Duration.ofSeconds(retryAfterSeconds));
    }

    /** The client as FailedAuthentications counts it: the connection's address (or its /64 network for IPv6). */
    private static String client(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? UNKNOWN_CLIENT : FailedAuthentications.clientOf(remote.getAddress());
    }

    static boolean needsKey(HttpMethod method, String path) {
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            return false;
        }
        return !(HttpMethod.GET.equals(method) && path.equals("/v1/health"));
    }

    static boolean isAdminPath(String path) {
        for (String prefix : ADMIN_PATHS) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    static String presentedKey(HttpHeaders headers) {
        String key = headers.getFirst(API_KEY_HEADER);
        if (key == null) {
            String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.length() > BEARER.length()
                    && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                key = authorization.substring(BEARER.length());
            }
        }
        return key == null || key.isBlank() ? null : key.strip();
    }

    private Mono<Void> reject(ServerWebExchange exchange, Problem problem) {
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"paystream\"");
        return problems.write(exchange, problem);
    }
}
