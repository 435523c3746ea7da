package dev.paystream.webhook.delivery.adapter.http;

import dev.paystream.webhook.delivery.application.Sender;
import dev.paystream.webhook.delivery.domain.AttemptResult;
import dev.paystream.webhook.destination.TargetPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends attempts with Reactor Netty. Before each one the endpoint's host is resolved and every address
 * checked ({@link TargetPolicy}), and the connection goes to the address that was checked, never to a
 * second lookup's. No redirect is followed: a 3xx is an answer like any other non-2xx. The whole
 * attempt, from the lookup to the first {@value AttemptResult#RESPONSE_BODY_BYTES_MAX} bytes of the
 * body, is bounded by the attempt timeout; the rest of a longer body is not read.
 */
public final class NettySender implements Sender, AutoCloseable {

    private static final Duration CONNECT_TIMEOUT_MAX = Duration.ofSeconds(5);

    private final TargetPolicy policy;
    private final Duration timeout;
    private final ConnectionProvider connections;
    private final HttpClient client;

    /**
     * @param connectionsMax connections open at once to one receiver's address: Reactor Netty keeps a pool per
     *                       remote address, each with this maximum. The total is bounded by the attempts
     *                       running at once ({@code paystream.webhooks.concurrency}), each holding one
     *                       connection, which is why the configuration passes that same figure here.
     */
    public NettySender(TargetPolicy policy, Duration timeout, int connectionsMax) {
        this.policy = policy;
        this.timeout = timeout;
        this.connections = ConnectionProvider.builder("webhook-deliveries")
                .maxConnections(connectionsMax)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        long connectTimeout = Math.min(timeout.toMillis(), CONNECT_TIMEOUT_MAX.toMillis());
        this.client = HttpClient.create(connections)
                .followRedirect(false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout)
                .responseTimeout(timeout);
    }

    @Override
    public Mono<AttemptResult> send(String url, Map<String, String> headers, String body) {
        long started = System.nanoTime();
        Mono<Checked> check = Mono.fromCallable(() -> {
            try {
                URI target = policy.parse(url);
                return new Checked(target, policy.resolve(target));
            } catch (TargetPolicy.InvalidTarget refused) {
                return new Checked(null, new TargetPolicy.Refused(refused.getMessage()));
            }
        });
        // A name lookup blocks; an address literal is only parsed, here, without a hop to another thread.
        return (isAddressLiteral(url) ? check : check.subscribeOn(Schedulers.boundedElastic()))
                .flatMap(checked -> {
                    if (checked.resolution() instanceof TargetPolicy.Allowed allowed) {
                        return post(checked.uri(), allowed, headers, body, started);
                    }
                    AttemptResult.Error error = checked.resolution() instanceof TargetPolicy.Refused
                            ? AttemptResult.Error.BLOCKED_TARGET : AttemptResult.Error.UNRESOLVABLE;
                    return Mono.just(AttemptResult.failed(error, elapsedMs(started)));
                })
                .timeout(timeout)
                .onErrorResume(failure -> Mono.just(AttemptResult.failed(isTimeout(failure)
                        ? AttemptResult.Error.TIMEOUT : AttemptResult.Error.CONNECTION_FAILED, elapsedMs(started))));
    }

    private record Checked(URI uri, TargetPolicy.Resolution resolution) {
    }

    /** Whether the URL's host is an IPv4 or a bracketed IPv6 literal (whose "resolution" looks nothing up). */
    static boolean isAddressLiteral(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return false;
        }
        start += 3;
        int at = url.indexOf('@', start);
        int slash = url.indexOf('/', start);
        if (at >= 0 && (slash < 0 || at < slash)) {
            start = at + 1;
        }
        if (start < url.length() && url.charAt(start) == '[') {
            return true;
        }
        int end = start;
        while (end < url.length() && url.charAt(end) != ':' && url.charAt(end) != '/' && url.charAt(end) != '?' && url.charAt(end) != '#') {
            end++;
        }
        if (end == start) {
            return false;
        }
        for (int index = start; index < end; index++) {
            char character = url.charAt(index);
            if (character != '.' && (character < '0' || character > '9')) {
                return false;
            }
        }
        return true;
    }

    private Mono<AttemptResult> post(URI target, TargetPolicy.Allowed allowed, Map<String, String> headers, String body, long started) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        String host = target.getPort() > 0 ? target.getHost() + ":" + target.getPort() : target.getHost();
        HttpClient pinned = client.remoteAddress(allowed::address);
        if ("https".equalsIgnoreCase(target.getScheme())) {
            pinned = pinned.secure();
        }
        return pinned
                .headers(request -> {
                    headers.forEach(request::set);
                    request.set(HttpHeaderNames.HOST, host);
                    request.set(HttpHeaderNames.CONTENT_LENGTH, content.length);
                })
                .post()
                .uri(path)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(content)))
                .responseConnection((response, connection) -> {
                    ByteArrayOutputStream kept = new ByteArrayOutputStream();
                    return connection.inbound().receive()
                            .doOnNext(chunk -> keep(kept, chunk))
                            .takeUntil(chunk -> kept.size() >= AttemptResult.RESPONSE_BODY_BYTES_MAX)
                            .then(Mono.fromSupplier(() -> AttemptResult.answered(response.status().code(), elapsedMs(started),
                                    text(kept.toByteArray()))));
                })
                .next()
                // A connection that ended without any response: no answer, never an attempt without a result.
                .switchIfEmpty(Mono.fromSupplier(() -> AttemptResult.failed(AttemptResult.Error.CONNECTION_FAILED, elapsedMs(started))));
    }

    private static void keep(ByteArrayOutputStream kept, ByteBuf chunk) {
        int room = AttemptResult.RESPONSE_BODY_BYTES_MAX - kept.size();
        if (room > 0) {
            byte[] bytes = new byte[Math.min(room, chunk.readableBytes())];
            chunk.readBytes(bytes);
            kept.write(bytes, 0, bytes.length);
        }
    }

    /** The kept bytes as text: malformed UTF-8 (also a character cut at the end) becomes U+FFFD, and NUL, which PostgreSQL text cannot hold, too. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.ReadTimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void close() {
        connections.dispose();
    }
}
