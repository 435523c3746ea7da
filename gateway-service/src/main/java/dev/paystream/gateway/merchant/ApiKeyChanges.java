package dev.paystream.gateway.merchant;

import reactor.core.publisher.Mono;

/**
 * Told when a key stops being valid or a merchant's limits change, so that whoever caches key
 * lookups forgets them at once instead of waiting for the cache's TTL.
 */
public interface ApiKeyChanges {

    /** Completes once the change has been applied (and passed on, where there is anyone to tell). */
    Mono<Void> keyRevoked(String keyId);

    Mono<Void> merchantChanged(String merchantId);
}
