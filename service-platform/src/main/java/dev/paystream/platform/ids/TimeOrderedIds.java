package dev.paystream.platform.ids;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * New ids for payments, refunds, events and journal entries: a prefix and 24 hex digits, the creation millisecond
 * (6 bytes) and then 6 random bytes. Ids of one moment sort together, so the database's index
 * inserts stay on the right edge of its B-trees instead of touching a random page of an index that
 * outgrew memory. Ids stay opaque to clients (CONTRACT §1).
 */
public final class TimeOrderedIds {

    private static final int ID_BYTES = 12;
    private static final int TIME_BYTES = 6;
    private static final TimeOrderedIds SYSTEM = new TimeOrderedIds(Clock.systemUTC());

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    public TimeOrderedIds(Clock clock) {
        this.clock = clock;
    }

    /** A new id with {@code prefix} (such as {@code pay_}), from the system clock. */
    public static String newId(String prefix) {
        return SYSTEM.next(prefix);
    }

    /**
     * When an id made here with {@code prefix} was made: its creation millisecond, or empty when {@code id}
     * is not of this shape (an id a client chose, say). For this service's own reasoning about ids it
     * made or another Paystream service made; to clients ids stay opaque.
     */
    public static Optional<Instant> createdAt(String id, String prefix) {
        if (id == null || !id.startsWith(prefix) || id.length() != prefix.length() + 2 * ID_BYTES) {
            return Optional.empty();
        }
        String hex = id.substring(prefix.length());
        if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(hex.substring(0, 2 * TIME_BYTES), 16)));
    }

    /** A new id with {@code prefix}, from this instance's clock. */
    public String next(String prefix) {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        long millis = clock.millis();
        for (int index = TIME_BYTES - 1; index >= 0; index--) {
            bytes[index] = (byte) millis;
            millis >>>= 8;
        }
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
