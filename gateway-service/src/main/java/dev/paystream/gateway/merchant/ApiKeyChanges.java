package dev.paystream.gateway.merchant;

/**
 * Told when a key stops being valid or a merchant's limits change, so that whoever caches key
 * lookups forgets them at once instead of waiting for the cache's TTL.
 */
public interface ApiKeyChanges {

    void keyRevoked(String keyId);

    void merchantChanged(String merchantId);
}
