package dev.paystream.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts requests whose API key was unknown or revoked, per client, so that a client guessing keys
 * is refused before its guesses cost a database query each (the lookup cache cannot help: every
 * guess is new). A client that failed {@code limit} times within a window of {@code window}, which
 * opens with its first failure, is refused until that window ends.
 *
 * <p>A client is its address as the connection shows it, or its /64 network for IPv6, where one host
 * commonly holds all of one. Behind a load balancer that is the balancer's address unless the server
 * is told to trust forwarded headers ({@code server.forward-headers-strategy}), see README.
 *
 * <p>Counted in this JVM, like the rate limits without Redis: with several replicas a client gets
 * {@code limit} failures per replica and window. Memory is bounded: beyond
 * {@value #MAX_TRACKED_CLIENTS} clients the least recently failed are forgotten.
 */
public final class FailedAuthentications {

    private static final Logger log = LoggerFactory.getLogger(FailedAuthentications.class);
    private static final int MAX_TRACKED_CLIENTS = 100_000;
    private static final int IPV6_NETWORK_BYTES = 8;

    private record Window(long startMillis, int failures) {
    }

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Window> windows;

    public FailedAuthentications(int limit, Duration window, Clock clock) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("paystream.failed-authentications needs a positive limit-per-address and window, was "
                    + limit + " per " + window);
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(MAX_TRACKED_CLIENTS).expireAfterWrite(window).build();
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    /** How long {@code client} is still refused; empty while it is under the limit. */
    public Optional<Duration> refusedFor(String client) {
        Window current = windows.getIfPresent(client);
        if (current == null || current.failures() < limit) {
            return Optional.empty();
        }
        long remainingMillis = current.startMillis() + window.toMillis() - clock.millis();
        return remainingMillis > 0 ? Optional.of(Duration.ofMillis(remainingMillis)) : Optional.empty();
    }

    /** Counts one request of {@code client} with an unknown or revoked key. */
    public void record(String client) {
        long now = clock.millis();
        Window counted = windows.asMap().compute(client, (key, current) ->
                current == null || now - current.startMillis() >= window.toMillis()
                        ? new Window(now, 1)
                        : new Window(current.startMillis(), current.failures() + 1));
        if (counted.failures() == limit) {
            log.warn("{} sent {} requests with an unknown or revoked API key within {}; refusing its requests with a key until that window ends",
                    client, limit, window);
        }
    }

    /** The client an address belongs to: the address itself, or its /64 network for IPv6. */
    public static String clientOf(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(network, IPV6_NETWORK_BYTES, network.length, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException impossible) {
                throw new IllegalStateException("16 bytes are always an IPv6 address", impossible);
            }
        }
        return address.getHostAddress();
    }
}
