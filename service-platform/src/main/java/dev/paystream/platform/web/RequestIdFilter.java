package dev.paystream.platform.web;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Gives every request an id, echoed in {@code X-Request-Id} (the client's own when it sent a
 * sensible one), and writes one log line per request once the response is complete. The line
 * names method, path, status and duration; never headers or bodies, which may hold keys or cards.
 * The id is the exchange's {@link #ATTRIBUTE} ({@link #requestId}); the gateway passes it on to the
 * service it proxies to, whose own filter then keeps it.
 */
public final class RequestIdFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Request-Id";
    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

    private static final Logger log = LoggerFactory.getLogger("paystream.requests");
    /** A client-sent id is echoed only when it cannot smuggle anything into logs or headers. */
    private static final Pattern ACCEPTABLE_CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int CLIENT_CLOSED_REQUEST = 499;

    public static String requestId(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        return id != null ? id : exchange.getRequest().getHeaders().getFirst(HEADER);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
        String requestId = sent != null && ACCEPTABLE_CLIENT_ID.matcher(sent).matches() ? sent : newRequestId();
        exchange.getAttributes().put(ATTRIBUTE, requestId);
        exchange.getResponse().getHeaders().set(HEADER, requestId);
        long startedNanos = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            // A request whose client went away before its response was complete is logged as 499
            // (nginx's "client closed request"), not as the status the response happened to carry.
            int logged = signal == SignalType.CANCEL ? CLIENT_CLOSED_REQUEST : status == null ? 200 : status.value();
            log.info("{} {} status={} duration_ms={} request_id={}",
                    exchange.getRequest().getMethod(), exchange.getRequest().getPath().value(),
                    logged, (System.nanoTime() - startedNanos) / 1_000_000, requestId);
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    static String newRequestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }
}
