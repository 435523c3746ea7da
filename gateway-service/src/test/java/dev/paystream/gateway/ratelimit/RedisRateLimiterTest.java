package dev.paystream.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Against the real Redis of the development machines (127.0.0.1:6379) and against a Redis that is down. */
class RedisRateLimiterTest {

    private static final String REDIS_HOST = System.getenv().getOrDefault("PAYSTREAM_TEST_REDIS_HOST", "127.0.0.1");
    private static final int REDIS_PORT = Integer.parseInt(System.getenv().getOrDefault("PAYSTREAM_TEST_REDIS_PORT", "6379"));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private LettuceConnectionFactory connections;

    @AfterEach
    void closeConnections() {
        if (connections != null) {
            connections.destroy();
        }
    }

    @Test
    void countsInRedisSoThatTwoGatewaysShareOneLimit() {
        ReactiveStringRedisTemplate redis = redisAt(REDIS_HOST, REDIS_PORT);
        String prefix = "paystream:test:" + UUID.randomUUID() + ":";
        RedisRateLimiter first = new RedisRateLimiter(redis, prefix, Duration.ofSeconds(2), new InMemoryRateLimiter(Clock.systemUTC()), meters);
        RedisRateLimiter second = new RedisRateLimiter(redis, prefix, Duration.ofSeconds(2), new InMemoryRateLimiter(Clock.systemUTC()), meters);

        assertThat(first.acquire("key_shared", 2).block().remaining()).isEqualTo(1);
        assertThat(second.acquire("key_shared", 2).block().remaining()).isZero();
        RateLimit refused = first.acquire("key_shared", 2).block();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.resetAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(meters.counter("paystream.rate_limit.redis_fallbacks").count()).isZero();
    }

    @Test
    void failsOpenToCountingInProcessWhenRedisIsDown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RedisRateLimiter limiter = new RedisRateLimiter(redisAt("127.0.0.1", closedPort), "paystream:test:",
                Duration.ofMillis(200), new InMemoryRateLimiter(Clock.systemUTC()), meters);

        long started = System.nanoTime();
        assertThat(limiter.acquire("key_local", 2).block().allowed()).isTrue();
        assertThat(limiter.acquire("key_local", 2).block().allowed()).isTrue();
        RateLimit third = limiter.acquire("key_local", 2).block();

        assertThat(third.allowed()).as("the local fallback still enforces the limit").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(meters.counter("paystream.rate_limit.redis_fallbacks").count()).isEqualTo(3);
    }

    private ReactiveStringRedisTemplate redisAt(String host, int port) {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
        connections.afterPropertiesSet();
        connections.start();
        return new ReactiveStringRedisTemplate(connections);
    }
}
