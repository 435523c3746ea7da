package dev.paystream.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.paystream.gateway.merchant.ActiveApiKey;
import dev.paystream.gateway.merchant.ApiKeyChanges;
import dev.paystream.gateway.merchant.MerchantStore;
import dev.paystream.gateway.merchant.Secrets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Finds the caller behind a presented key. Lookups are cached for a few seconds (the TTL, at most
 * {@code paystream.api-key-cache-ttl}, 5 s by default) so that a busy key costs no database round
 * trip per request; a revocation or a merchant change handled by this replica clears the affected
 * entries at once (and, with Redis, {@link ApiKeyChangeBroadcast} tells the other replicas). Unknown
 * keys are cached too, so a flood of guesses cannot hammer the database.
 */
public final class ApiKeyAuthenticator implements ApiKeyChanges {

    private static final int MAX_CACHED_KEYS = 10_000;

    private final MerchantStore store;
    private final AdminKey adminKey;
    private final int adminRateLimitPerMinute;
    private final Cache<String, Optional<ActiveApiKey>> lookups;
    /** Bumped on every invalidation, so a lookup that raced with one does not put a stale answer back. */
    private final AtomicLong invalidations = new AtomicLong();

    public ApiKeyAuthenticator(MerchantStore store, AdminKey adminKey, int adminRateLimitPerMinute, Duration cacheTtl) {
        this.store = store;
        this.adminKey = adminKey;
        this.adminRateLimitPerMinute = adminRateLimitPerMinute;
        this.lookups = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(MAX_CACHED_KEYS).build();
    }

    /** The caller whose key this is; empty when the key is unknown or revoked. */
    public Mono<GatewayCaller> authenticate(String presentedKey) {
        if (adminKey.matches(presentedKey)) {
            return Mono.just(GatewayCaller.operator(adminRateLimitPerMinute));
        }
        if (!presentedKey.startsWith(Secrets.API_KEY_PREFIX)) {
            return Mono.empty();
        }
        byte[] presentedHash = Secrets.sha256(presentedKey);
        // The cache is keyed by the hash, never by the key, so a heap dump holds no usable key.
        String cacheKey = HexFormat.of().formatHex(presentedHash);
        Optional<ActiveApiKey> cached = lookups.getIfPresent(cacheKey);
        Mono<Optional<ActiveApiKey>> lookup = cached != null ? Mono.just(cached) : load(cacheKey, presentedHash);
        return lookup.flatMap(found -> Mono.justOrEmpty(found
                .filter(key -> MessageDigest.isEqual(key.keySha256(), presentedHash))
                .map(key -> GatewayCaller.merchant(key.merchantId(), key.id(), key.rateLimitPerMinute()))));
    }

    private Mono<Optional<ActiveApiKey>> load(String cacheKey, byte[] presentedHash) {
        long invalidationsBefore = invalidations.get();
        return store.findActiveKey(presentedHash)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .doOnNext(found -> {
                    if (invalidations.get() == invalidationsBefore) {
                        lookups.put(cacheKey, found);
                    }
                });
    }

    @Override
    public Mono<Void> keyRevoked(String keyId) {
        return Mono.fromRunnable(() -> forgetKey(keyId));
    }

    @Override
    public Mono<Void> merchantChanged(String merchantId) {
        return Mono.fromRunnable(() -> forgetMerchant(merchantId));
    }

    void forgetKey(String keyId) {
        invalidations.incrementAndGet();
        lookups.asMap().values().removeIf(found -> found.filter(key -> key.id().equals(keyId)).isPresent());
    }

    void forgetMerchant(String merchantId) {
        invalidations.incrementAndGet();
        lookups.asMap().values().removeIf(found -> found.filter(key -> key.merchantId().equals(merchantId)).isPresent());
    }
}
