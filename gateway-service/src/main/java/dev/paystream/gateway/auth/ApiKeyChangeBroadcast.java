package dev.paystream.gateway.auth;

import dev.paystream.gateway.merchant.ApiKeyChanges;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Tells every gateway replica sharing a Redis server about a revoked key or a changed merchant, so
 * each forgets its cached lookups at once rather than after the cache's TTL. It is a best effort on
 * top of the TTL: when Redis is unreachable, other replicas still stop accepting a revoked key once
 * their cached lookup expires (5 s by default).
 */
public final class ApiKeyChangeBroadcast implements ApiKeyChanges, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyChangeBroadcast.class);
    private static final String KEY_REVOKED = "key_revoked:";
    private static final String MERCHANT_CHANGED = "merchant_changed:";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(1);

    private final ReactiveStringRedisTemplate redis;
    private final String channel;
    private final ApiKeyAuthenticator local;
    private volatile Disposable subscription;

    public ApiKeyChangeBroadcast(ReactiveStringRedisTemplate redis, String channel, ApiKeyAuthenticator local) {
        this.redis = redis;
        this.channel = channel;
        this.local = local;
    }

    @Override
    public Mono<Void> keyRevoked(String keyId) {
        return local.keyRevoked(keyId).then(publish(KEY_REVOKED + keyId));
    }

    @Override
    public Mono<Void> merchantChanged(String merchantId) {
        return local.merchantChanged(merchantId).then(publish(MERCHANT_CHANGED + merchantId));
    }

    /** Completes once Redis took the message, so the admin's response means the other replicas were told. */
    private Mono<Void> publish(String message) {
        return redis.convertAndSend(channel, message)
                .timeout(PUBLISH_TIMEOUT)
                .doOnError(failure -> log.warn("Could not tell other gateway replicas about {} ({}); they will notice within the key cache TTL",
                        message, failure.toString()))
                .onErrorResume(failure -> Mono.empty())
                .then();
    }

    private void apply(String message) {
        if (message.startsWith(KEY_REVOKED)) {
            local.forgetKey(message.substring(KEY_REVOKED.length()));
        } else if (message.startsWith(MERCHANT_CHANGED)) {
            local.forgetMerchant(message.substring(MERCHANT_CHANGED.length()));
        }
    }

    @Override
    public void start() {
        subscription = redis.listenToChannel(channel)
                .doOnNext(message -> apply(message.getMessage()))
                .doOnError(failure -> log.warn("Lost the key-change channel ({}); resubscribing", failure.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
            subscription = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }
}
