package dev.paystream.customer.metadata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change of metadata as a merge patch (RFC 7386), the way every PATCH of this service treats it
 * (CONTRACT §4): a key given a string is set, a key given null is removed, keys not named stay; a
 * patch without any keys ({@code "metadata": null}) removes them all.
 *
 * @param changes the keys named, with their new values or null; null to remove every key
 */
public record MetadataPatch(Map<String, String> changes) {

    public MetadataPatch {
        // Map.copyOf would refuse the null values that remove keys.
        changes = changes == null ? null : new HashMap<>(changes);
    }

    /** The metadata {@code current} becomes. */
    public Map<String, String> applyTo(Map<String, String> current) {
        if (changes == null) {
            return Map.of();
        }
        Map<String, String> merged = new LinkedHashMap<>(current);
        changes.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
