package dev.paystream.webhook.delivery.domain;

import java.util.Collection;
import java.util.Set;

/**
 * What the live endpoints of one merchant subscribe to, together: event types of CONTRACT §11, prefixes
 * such as {@code payment.*}, and {@code *} for every type. The same rule as the fan-out statement's
 * ({@code event_types && ARRAY['*', type, '<prefix>.*']}).
 */
public final class SubscribedTypes {

    private static final SubscribedTypes NONE = new SubscribedTypes(Set.of());

    private final Set<String> patterns;

    private SubscribedTypes(Set<String> patterns) {
        this.patterns = patterns;
    }

    public static SubscribedTypes none() {
        return NONE;
    }

    public static SubscribedTypes of(Collection<String> patterns) {
        return patterns.isEmpty() ? NONE : new SubscribedTypes(Set.copyOf(patterns));
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether some endpoint subscribes to every type ({@code *}). */
    public boolean includesEveryType() {
        return patterns.contains("*");
    }

    /** Whether some endpoint subscribes to events of {@code type}. */
    public boolean includes(String type) {
        if (patterns.isEmpty()) {
            return false;
        }
        if (patterns.contains("*") || patterns.contains(type)) {
            return true;
        }
        int dot = type.indexOf('.');
        return dot > 0 && patterns.contains(type.substring(0, dot) + ".*");
    }

    @Override
    public String toString() {
        return "SubscribedTypes" + patterns;
    }
}
