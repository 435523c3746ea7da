package dev.paystream.gateway.merchant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.paystream.gateway.config.GatewayProperties;
import dev.paystream.platform.web.Problem;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The operator's endpoints for merchants and their API keys (CONTRACT §2). Only the admin key
 * reaches them: {@code ApiKeyAuthenticationFilter} refuses every other caller before they run.
 */
@RestController
public class MerchantController {

    static final int MAX_NAME_LENGTH = 200;
    /**
     * High enough that a load test through the gateway is never cut short by its own merchant's limit
     * (10,000,000 a minute is ~167,000 requests a second, two orders above what one machine serves);
     * it stays a bound so that a typo cannot disable limiting by overflow.
     */
    static final int MAX_RATE_LIMIT_PER_MINUTE = 10_000_000;

    private final MerchantStore store;
    private final ApiKeyChanges apiKeyChanges;
    private final int defaultRateLimitPerMinute;
    private final Clock clock;

    public MerchantController(MerchantStore store, ApiKeyChanges apiKeyChanges, GatewayProperties properties, Clock clock) {
        this.store = store;
        this.apiKeyChanges = apiKeyChanges;
        this.defaultRateLimitPerMinute = properties.rateLimit().defaultPerMinute();
        this.clock = clock;
    }

    public record CreateMerchantRequest(String name, Integer rateLimitPerMinute) {
    }

    public record UpdateMerchantRequest(String name, Integer rateLimitPerMinute) {
    }

    /**
     * A merchant; {@code api_key} and {@code api_key_id} (the id by which that first key is revoked)
     * are present only in the response that created it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MerchantResponse(String id, String name, int rateLimitPerMinute, String apiKey, String apiKeyId,
                                   Instant createdAt, Instant updatedAt) {

        static MerchantResponse of(Merchant merchant) {
            return new MerchantResponse(merchant.id(), merchant.name(), merchant.rateLimitPerMinute(), null, null,
                    merchant.createdAt(), merchant.updatedAt());
        }

        static MerchantResponse created(Merchant merchant, String apiKeyId, String apiKey) {
            return new MerchantResponse(merchant.id(), merchant.name(), merchant.rateLimitPerMinute(), apiKey, apiKeyId,
                    merchant.createdAt(), merchant.updatedAt());
        }
    }

    public record ApiKeyResponse(String id, String merchantId, String apiKey, Instant createdAt) {
    }

    @PostMapping("/v1/merchants")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<MerchantResponse> create(@RequestBody CreateMerchantRequest request) {
        String name = validName(request.name());
        int rateLimit = request.rateLimitPerMinute() == null
                ? defaultRateLimitPerMinute : validRateLimit(request.rateLimitPerMinute());
        Instant now = now();
        Merchant merchant = new Merchant(Secrets.newId("mer_"), name, rateLimit, now, now);
        String keyId = Secrets.newId("key_");
        String apiKey = Secrets.newApiKey();
        return store.createWithKey(merchant, keyId, apiKey)
                .thenReturn(MerchantResponse.created(merchant, keyId, apiKey));
    }

    @GetMapping("/v1/merchants/{merchantId}")
    public Mono<MerchantResponse> get(@PathVariable String merchantId) {
        return store.find(merchantId)
                .switchIfEmpty(Mono.error(() -> merchantNotFound(merchantId)))
                .map(merchant -> MerchantResponse.of(merchant));
    }

    @PatchMapping("/v1/merchants/{merchantId}")
    public Mono<MerchantResponse> update(@PathVariable String merchantId, @RequestBody UpdateMerchantRequest request) {
        String name = request.name() == null ? null : validName(request.name());
        Integer rateLimit = request.rateLimitPerMinute() == null ? null : validRateLimit(request.rateLimitPerMinute());
        return store.find(merchantId)
                .switchIfEmpty(Mono.error(() -> merchantNotFound(merchantId)))
                .flatMap(current -> store.update(merchantId,
                        name != null ? name : current.name(),
                        rateLimit != null ? rateLimit : current.rateLimitPerMinute(),
                        now()))
                .flatMap(updated -> apiKeyChanges.merchantChanged(merchantId).thenReturn(MerchantResponse.of(updated)));
    }

    @PostMapping("/v1/merchants/{merchantId}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<ApiKeyResponse> createApiKey(@PathVariable String merchantId) {
        Instant now = now();
        String keyId = Secrets.newId("key_");
        String apiKey = Secrets.newApiKey();
        return store.find(merchantId)
                .switchIfEmpty(Mono.error(() -> merchantNotFound(merchantId)))
                .flatMap(merchant -> store.addKey(merchantId, keyId, apiKey, now))
                .thenReturn(new ApiKeyResponse(keyId, merchantId, apiKey, now));
    }

    @DeleteMapping("/v1/api-keys/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> revokeApiKey(@PathVariable String keyId) {
        return store.revokeKey(keyId, now())
                .switchIfEmpty(Mono.error(() -> resourceMissing("key_id", "No active API key " + keyId)))
                .flatMap(merchantId -> apiKeyChanges.keyRevoked(keyId));
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw Problem.invalidField("name", "name must not be empty").toException();
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw Problem.invalidField("name", "name must be at most " + MAX_NAME_LENGTH + " characters").toException();
        }
        return trimmed;
    }

    private static int validRateLimit(int rateLimitPerMinute) {
        if (rateLimitPerMinute < 1 || rateLimitPerMinute > MAX_RATE_LIMIT_PER_MINUTE) {
            throw Problem.invalidField("rate_limit_per_minute",
                    "rate_limit_per_minute must be between 1 and " + MAX_RATE_LIMIT_PER_MINUTE).toException();
        }
        return rateLimitPerMinute;
    }

    private static RuntimeException merchantNotFound(String merchantId) {
        return resourceMissing("id", "No merchant " + merchantId);
    }

    /** CONTRACT §1: an unknown resource is a 404 {@code resource_missing}, {@code param} naming the path parameter. */
    private static RuntimeException resourceMissing(String param, String detail) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", detail, param, Map.of(), null).toException();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
