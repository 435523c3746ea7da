package dev.paystream.gateway.auth;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who sent a request, as established from its API key.
 *
 * @param merchantId         the merchant whose key it is; {@code null} for the admin key
 * @param apiKeyId           the key's id ({@code key_...}), or {@code admin}; rate limits count per key
 * @param rateLimitPerMinute how many requests this key may send per minute
 */
public record GatewayCaller(String merchantId, String apiKeyId, int rateLimitPerMinute, boolean admin) {

    public static final String ATTRIBUTE = GatewayCaller.class.getName();
    public static final String ADMIN_KEY_ID = "admin";

    public static GatewayCaller merchant(String merchantId, String apiKeyId, int rateLimitPerMinute) {
        return new GatewayCaller(merchantId, apiKeyId, rateLimitPerMinute, false);
    }

    public static GatewayCaller operator(int rateLimitPerMinute) {
        return new GatewayCaller(null, ADMIN_KEY_ID, rateLimitPerMinute, true);
    }

    /** The caller of an authenticated request; {@code null} on {@code GET /v1/health} and outside {@code /v1}. */
    public static GatewayCaller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
