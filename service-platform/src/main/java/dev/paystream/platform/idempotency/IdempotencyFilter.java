package dev.paystream.platform.idempotency;

import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.caller.GatewayCallerFilter;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * CONTRACT §3 for the POST endpoints that create or move money. The first request with a
 * (merchant, key) runs and its response is kept; a repeat of the same request gets that response
 * byte for byte with {@code Idempotent-Replayed: true}; the key with another request is a 409
 * {@code idempotency_key_reused}; a repeat while the first still runs is a 409
 * {@code idempotency_request_in_progress}.
 *
 * <p>An outcome is never guessed (docs/adr/0002). The request runs as an {@link IdempotentRequest}
 * whose write records its effect on the key in the same statement as the effect itself. A request
 * that ends without an answer to keep — a 5xx, a failure, a client that went away, an answer that
 * proves nothing happened (malformed, invalid, unknown resource) or asks to be retried (a conflict
 * with {@code Retry-After}) — releases its key only if no effect was recorded. When one was, the
 * effect committed even though its answer was lost, and a repeat is answered from it: the handler
 * runs with {@link IdempotentRequest#priorEffect()} set, returns what was created, creates nothing,
 * and that answer is kept.
 *
 * <p>Every guarded request counts in {@code paystream.idempotency.requests{route, outcome}}: the route
 * is the guarded path pattern; the outcome {@code executed} (the first request with its key),
 * {@code replayed} (the kept answer sent again), {@code recovered} (answered from a recorded effect),
 * {@code key_reused} or {@code in_progress} (both refused with a 409).
 */
public final class IdempotencyFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    public static final String HEADER = "Idempotency-Key";
    public static final String HEADER_ALIAS = "X-Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** The exchange attribute holding the request's {@link IdempotentRequest}. */
    public static final String ATTRIBUTE = IdempotentRequest.class.getName();
    static final int KEY_LENGTH_MAX = 255;
    /** Outcomes that prove the request changed nothing; they are not kept. */
    private static final Set<Integer> STATUSES_WITHOUT_EFFECT = Set.of(400, 404, 405, 408, 413, 415, 422);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<PathPattern> guardedPaths;
    private final List<PathPattern> optionalPaths;
    private final IdempotencyStore store;
    private final Mono<RequestFingerprints> fingerprints;
    private final ProblemJsonExceptionHandler problems;
    private final int bodyLengthMax;
    private final MeterRegistry meters;

    /**
     * @param guardedPaths  POST paths that require a key
     * @param optionalPaths POST paths that honour a key when one is sent and run without one otherwise
     */
    IdempotencyFilter(List<PathPattern> guardedPaths, List<PathPattern> optionalPaths, IdempotencyStore store,
                      Mono<RequestFingerprints> fingerprints, ProblemJsonExceptionHandler problems, int bodyLengthMax,
                      MeterRegistry meters) {
        this.guardedPaths = List.copyOf(guardedPaths);
        this.optionalPaths = List.copyOf(optionalPaths);
        this.store = store;
        this.fingerprints = fingerprints;
        this.problems = problems;
        this.bodyLengthMax = bodyLengthMax;
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Caller caller = exchange.getAttribute(GatewayCallerFilter.ATTRIBUTE);
        if (request.getMethod() != HttpMethod.POST || caller == null || caller.merchantId() == null) {
            return chain.filter(exchange);
        }
        PathPattern requiredRoute = matching(guardedPaths, request);
        boolean required = requiredRoute != null;
        PathPattern route = required ? requiredRoute : matching(optionalPaths, request);
        if (route == null) {
            return chain.filter(exchange);
        }
        String key = request.getHeaders().getFirst(HEADER);
        if (key == null) {
            key = request.getHeaders().getFirst(HEADER_ALIAS);
        }
        if (!required && key == null) {
            return chain.filter(exchange);
        }
        if (key == null || key.isBlank()) {
            return problems.write(exchange, new Problem(HttpStatus.BAD_REQUEST, "idempotency_key_missing",
                    "The Idempotency-Key header is required on this request", HEADER, Map.of(), null));
        }
        if (key.length() > KEY_LENGTH_MAX) {
            return problems.write(exchange, new Problem(HttpStatus.BAD_REQUEST, "idempotency_key_invalid",
                    "The Idempotency-Key header may be at most " + KEY_LENGTH_MAX + " characters", HEADER, Map.of(), null));
        }
        String idempotencyKey = key;
        String merchantId = caller.merchantId();
        return DataBufferUtils.join(request.getBody(), bodyLengthMax)
                .map(IdempotencyFilter::drain)
                .defaultIfEmpty(new byte[0])
                .zipWith(fingerprints)
                .flatMap(bodyAndFingerprints -> {
                    byte[] body = bodyAndFingerprints.getT1();
                    String fingerprint = bodyAndFingerprints.getT2().of(request, body);
                    String token = newClaimToken();
                    return store.claim(merchantId, idempotencyKey, fingerprint, token)
                            .flatMap(claimed -> {
                                if (claimed) {
                                    count(route, "executed");
                                    return runFirst(exchange, chain, body, new IdempotentRequest(merchantId, idempotencyKey, token, null), fingerprint);
                                }
                                return answerRepeat(exchange, chain, body, merchantId, idempotencyKey, fingerprint, route);
                            });
                });
    }

    private Mono<Void> runFirst(ServerWebExchange exchange, WebFilterChain chain, byte[] body, IdempotentRequest claim, String fingerprint) {
        String merchantId = claim.merchantId();
        String key = claim.key();
        String token = claim.claimToken();
        Mono<Void> release = Mono.defer(() -> store.release(merchantId, key, token));
        return run(exchange, chain, body, claim, captured -> answerToKeep(captured)
                        ? store.complete(merchantId, key, fingerprint, token, status(captured).value(), contentType(captured), captured.body())
                        : release)
                .onErrorResume(failure -> release
                        .onErrorResume(releaseFailure -> Mono.empty())
                        .then(Mono.error(failure)))
                // A client that went away cancels the request wherever it is; what it committed stays recorded on the key.
                .doOnCancel(() -> release.subscribe(null, failure -> log.warn(
                        "Could not release idempotency key of an abandoned request; it is taken over after the in-progress timeout: {}",
                        failure.toString())));
    }

    /**
     * Answers a repeat of a request whose effect committed while its answer was lost: the handler
     * returns what the effect created, and its answer is kept as the key's answer (unless another one
     * was kept meanwhile). It is a replay of the first request's effect, and says so.
     */
    private Mono<Void> recover(ServerWebExchange exchange, WebFilterChain chain, byte[] body, IdempotencyRecord previous,
                               String merchantId, String key) {
        exchange.getResponse().getHeaders().set(REPLAYED_HEADER, "true");
        return run(exchange, chain, body, new IdempotentRequest(merchantId, key, null, previous.effect()), captured -> answerToKeep(captured)
                ? store.complete(merchantId, key, previous.requestFingerprint(), previous.claimToken(), status(captured).value(),
                        contentType(captured), captured.body())
                : Mono.empty());
    }

    private Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, byte[] body, IdempotentRequest idempotentRequest,
                           Function<CapturingResponse, Mono<Void>> settle) {
        CapturingResponse response = new CapturingResponse(exchange.getResponse(), settle);
        ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                // An empty body stays absent, so that an optional @RequestBody still sees none.
                return body.length == 0 ? Flux.empty() : Flux.defer(() -> Flux.just(response.bufferFactory().wrap(body)));
            }
        };
        ServerWebExchange captured = exchange.mutate().request(request).response(response).build();
        captured.getAttributes().put(ATTRIBUTE, idempotentRequest);
        return chain.filter(captured)
                // Failures are rendered here rather than by the outer handler, so that the problem is kept too.
                .onErrorResume(failure -> problems.handle(captured, failure))
                .then(Mono.defer(response::settleIfNothingWritten));
    }

    /**
     * Whether the response is the request's final answer. A 5xx, an answer that proves nothing
     * happened, and one that asks to be retried ({@code Retry-After}, e.g. a conflict with concurrent
     * requests the server gave up on) are not: the key is released, unless an effect was recorded.
     */
    private static boolean answerToKeep(CapturingResponse response) {
        HttpStatusCode status = status(response);
        return !status.is5xxServerError() && !STATUSES_WITHOUT_EFFECT.contains(status.value())
                && !(status.is4xxClientError() && response.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER));
    }

    private static HttpStatusCode status(ServerHttpResponse response) {
        return response.getStatusCode() == null ? HttpStatus.OK : response.getStatusCode();
    }

    private static String contentType(ServerHttpResponse response) {
        MediaType contentType = response.getHeaders().getContentType();
        return contentType == null ? null : contentType.toString();
    }

    private Mono<Void> answerRepeat(ServerWebExchange exchange, WebFilterChain chain, byte[] body, String merchantId, String key,
                                    String fingerprint, PathPattern route) {
        return store.find(merchantId, key)
                .map(Optional::of)
                // The first request released its key between our claim and our read: it had no effect.
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        count(route, "in_progress");
                        return inProgress(exchange);
                    }
                    IdempotencyRecord previous = found.get();
                    if (!previous.requestFingerprint().equals(fingerprint)) {
                        count(route, "key_reused");
                        return problems.write(exchange, new Problem(HttpStatus.CONFLICT, "idempotency_key_reused",
                                "This Idempotency-Key was already used with a different request", HEADER, Map.of(), null));
                    }
                    if (previous.effectWithoutAnswer()) {
                        count(route, "recovered");
                        return recover(exchange, chain, body, previous, merchantId, key);
                    }
                    if (!previous.completed()) {
                        count(route, "in_progress");
                        return inProgress(exchange);
                    }
                    count(route, "replayed");
                    ServerHttpResponse response = exchange.getResponse();
                    response.setStatusCode(HttpStatusCode.valueOf(previous.responseStatus()));
                    if (previous.responseType() != null) {
                        response.getHeaders().set("Content-Type", previous.responseType());
                    }
                    response.getHeaders().set(REPLAYED_HEADER, "true");
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(previous.responseBody())));
                });
    }

    private static String newClaimToken() {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    private Mono<Void> inProgress(ServerWebExchange exchange) {
        return problems.write(exchange, new Problem(HttpStatus.CONFLICT, "idempotency_request_in_progress",
                "A request with this Idempotency-Key is still being processed; retry shortly", HEADER, Map.of(), Duration.ofSeconds(1)));
    }

    /** The first of the patterns the request's path matches, or null. */
    private static PathPattern matching(List<PathPattern> patterns, ServerHttpRequest request) {
        var path = request.getPath().pathWithinApplication();
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return pattern;
            }
        }
        return null;
    }

    private void count(PathPattern route, String outcome) {
        meters.counter("paystream.idempotency.requests", "route", route.getPatternString(), "outcome", outcome).increment();
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /**
     * Keeps a copy of the response and settles the key with it before the client sees it, so that a
     * client retrying the moment it has an answer is sure to get the replay.
     */
    private static final class CapturingResponse extends ServerHttpResponseDecorator {

        private final Function<CapturingResponse, Mono<Void>> settle;
        private byte[] body = new byte[0];
        private boolean settled;

        CapturingResponse(ServerHttpResponse delegate, Function<CapturingResponse, Mono<Void>> settle) {
            super(delegate);
            this.settle = settle;
        }

        byte[] body() {
            return body;
        }

        Mono<Void> settleIfNothingWritten() {
            if (settled) {
                return Mono.empty();
            }
            settled = true;
            return settleOrLog();
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
            return DataBufferUtils.join(content).flatMap(buffer -> {
                body = drain(buffer);
                settled = true;
                return settleOrLog().then(super.writeWith(Mono.just(bufferFactory().wrap(body))));
            });
        }

        /**
         * Keeping the answer is worth a try, not the answer itself: the request's effect committed (or
         * there was none), and whether the key also records the answer changes only how a retry is
         * answered — from the effect, recorded with the write ({@link IdempotentRequest#priorEffect}), or
         * once the claim times out. Before, a failure here (the database gone between the write and this
         * statement) replaced the answer with an error rendered into a response whose status was already
         * set: the client of a committed payment got a 201 with an empty body (chaos/run, 2026-12-01).
         */
        private Mono<Void> settleOrLog() {
            return settle.apply(this).onErrorResume(failure -> {
                log.warn("Could not keep the answer ({}) under its Idempotency-Key; the answer is sent all the same: {}",
                        getStatusCode(), failure.toString());
                return Mono.empty();
            });
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> content) {
            return writeWith(Flux.from(content).concatMap(Flux::from));
        }
    }
}
