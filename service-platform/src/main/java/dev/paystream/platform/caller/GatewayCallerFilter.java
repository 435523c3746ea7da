package dev.paystream.platform.caller;

import dev.paystream.platform.web.MatchedPath;
import dev.paystream.platform.web.Problem;
import dev.paystream.platform.web.ProblemJsonExceptionHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Accepts a {@code /v1} request only from the gateway: it must carry the shared gateway token, and
 * only then are its identity headers believed. A client that reaches a service port directly gets a
 * 401 problem, whatever merchant id it claims.
 */
public final class GatewayCallerFilter implements WebFilter, Ordered {

    public static final String ATTRIBUTE = Caller.class.getName();

    private final byte[] gatewayToken;
    private final ProblemJsonExceptionHandler problems;

    public GatewayCallerFilter(String gatewayToken, ProblemJsonExceptionHandler problems) {
        if (gatewayToken == null || gatewayToken.length() < 16) {
            throw new IllegalArgumentException("paystream.gateway.token must be set to a secret of at least 16 characters");
        }
        this.gatewayToken = gatewayToken.getBytes(StandardCharsets.UTF_8);
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!MatchedPath.of(exchange.getRequest()).startsWith("/v1/")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        String token = headers.getFirst(GatewayHeaders.GATEWAY_TOKEN);
        if (token == null || !MessageDigest.isEqual(gatewayToken, token.getBytes(StandardCharsets.UTF_8))) {
            return problems.write(exchange, Problem.of(HttpStatus.UNAUTHORIZED, "gateway_credential_required",
                    "Send requests through the gateway on port 8080 with an API key"));
        }
        String merchantId = headers.getFirst(GatewayHeaders.MERCHANT_ID);
        boolean admin = "true".equals(headers.getFirst(GatewayHeaders.ADMIN));
        if (merchantId == null && !admin) {
            return problems.write(exchange, Problem.of(HttpStatus.UNAUTHORIZED, "caller_unknown",
                    "The gateway did not identify a merchant for this request"));
        }
        exchange.getAttributes().put(ATTRIBUTE, new Caller(merchantId, admin));
        return chain.filter(exchange);
    }
}
