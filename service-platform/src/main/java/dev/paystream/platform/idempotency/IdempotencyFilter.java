package dev.paystream.platform.idempotency;

import dev.paystream.platform.caller.Caller;
import dev.paystream.platform.caller.GatewayCallerFilter;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
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
 * {@code idempotency_request_in_progress}. A request refused before it could have any effect
 * (malformed, invalid, unknown resource, or a server failure that rolled back) is not kept, so the
 * client can correct it and retry with the same key.
 */
public final class IdempotencyFilter implements WebFilter, Ordered {

    public static final String HEADER = "Idempotency-Key";
    public static final String HEADER_ALIAS = "X-Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int KEY_LENGTH_MAX = 255;
    /** Outcomes that prove the request changed nothing; they are not kept. */
    private static final Set<Integer> STATUSES_WITHOUT_EFFECT = Set.of(400, 404, 405, 413, 415, 422);

    private final List<PathPattern> guardedPaths;
    private final IdempotencyStore store;
    private final ProblemJsonExceptionHandler problems;
    private final int bodyLengthMax;

    IdempotencyFilter(List<PathPattern> guardedPaths, IdempotencyStore store, ProblemJsonExceptionHandler problems,
                      int bodyLengthMax) {
        this.guardedPaths = List.copyOf(guardedPaths);
        this.store = store;
        this.problems = problems;
        this.bodyLengthMax = bodyLengthMax;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Caller caller = exchange.getAttribute(GatewayCallerFilter.ATTRIBUTE);
        if (request.getMethod() != HttpMethod.POST || caller == null || caller.merchantId() == null || !guarded(request)) {
            return chain.filter(exchange);
        }
        String key = request.getHeaders().getFirst(HEADER);
        if (key == null) {
            key = request.getHeaders().getFirst(HEADER_ALIAS);
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
                .flatMap(body -> {
                    String fingerprint = fingerprint(request, body);
                    return store.claim(merchantId, idempotencyKey, fingerprint)
                            .flatMap(claimed -> claimed
                                    ? runFirst(exchange, chain, body, merchantId, idempotencyKey, fingerprint)
                                    : answerRepeat(exchange, merchantId, idempotencyKey, fingerprint));
                });
    }

    private Mono<Void> runFirst(ServerWebExchange exchange, WebFilterChain chain, byte[] body, String merchantId, String key,
                                String fingerprint) {
        CapturingResponse response = new CapturingResponse(exchange.getResponse(), captured -> settle(merchantId, key, fingerprint, captured));
        ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                // An empty body stays absent, so that an optional @RequestBody still sees none.
                return body.length == 0 ? Flux.empty() : Flux.defer(() -> Flux.just(response.bufferFactory().wrap(body)));
            }
        };
        ServerWebExchange captured = exchange.mutate().request(request).response(response).build();
        return chain.filter(captured)
                // Failures are rendered here rather than by the outer handler, so that the problem is kept too.
                .onErrorResume(failure -> problems.handle(captured, failure))
                .then(Mono.defer(response::settleIfNothingWritten))
                .onErrorResume(failure -> store.release(merchantId, key).then(Mono.error(failure)));
    }

    private Mono<Void> settle(String merchantId, String key, String fingerprint, CapturingResponse response) {
        HttpStatusCode status = response.getStatusCode() == null ? HttpStatus.OK : response.getStatusCode();
        if (status.is5xxServerError() || STATUSES_WITHOUT_EFFECT.contains(status.value())) {
            return store.release(merchantId, key);
        }
        MediaType contentType = response.getHeaders().getContentType();
        return store.complete(merchantId, key, fingerprint, status.value(), contentType == null ? null : contentType.toString(), response.body());
    }

    private Mono<Void> answerRepeat(ServerWebExchange exchange, String merchantId, String key, String fingerprint) {
        return store.find(merchantId, key)
                .map(Optional::of)
                // The first request released its key between our claim and our read: it had no effect.
                .defaultIfEmpty(Optional.empty())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return inProgress(exchange);
                    }
                    IdempotencyRecord previous = found.get();
                    if (!previous.requestFingerprint().equals(fingerprint)) {
                        return problems.write(exchange, new Problem(HttpStatus.CONFLICT, "idempotency_key_reused",
                                "This Idempotency-Key was already used with a different request", HEADER, Map.of(), null));
                    }
                    if (!previous.completed()) {
                        return inProgress(exchange);
                    }
                    ServerHttpResponse response = exchange.getResponse();
                    response.setStatusCode(HttpStatusCode.valueOf(previous.responseStatus()));
                    if (previous.responseType() != null) {
                        response.getHeaders().set("Content-Type", previous.responseType());
                    }
                    response.getHeaders().set(REPLAYED_HEADER, "true");
                    return response.writeWith(Mono.just(response.bufferFactory().wrap(previous.responseBody())));
                });
    }

    private Mono<Void> inProgress(ServerWebExchange exchange) {
        return problems.write(exchange, new Problem(HttpStatus.CONFLICT, "idempotency_request_in_progress",
                "A request with this Idempotency-Key is still being processed; retry shortly", HEADER, Map.of(), Duration.ofSeconds(1)));
    }

    private boolean guarded(ServerHttpRequest request) {
        var path = request.getPath().pathWithinApplication();
        for (PathPattern pattern : guardedPaths) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    static String fingerprint(ServerHttpRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((request.getMethod().name() + " " + request.getURI().getRawPath() + "?"
                    + (request.getURI().getRawQuery() == null ? "" : request.getURI().getRawQuery()) + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
        }
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
            return settle.apply(this);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
            return DataBufferUtils.join(content).flatMap(buffer -> {
                body = drain(buffer);
                settled = true;
                return settle.apply(this).then(super.writeWith(Mono.just(bufferFactory().wrap(body))));
            });
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> content) {
            return writeWith(Flux.from(content).concatMap(Flux::from));
        }
    }
}
