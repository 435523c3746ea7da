package dev.paystream.customer.customer;

import dev.paystream.customer.metadata.MetadataPatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated {@code PATCH /v1/customers/{id}}: a merge patch (RFC 7386). A field that is absent stays
 * as it is; {@code name} set to null is removed; {@code metadata} keys merge, a key set to null is
 * removed, and {@code metadata} set to null removes every key.
 *
 * @param email     the new email, or null to keep it (an email cannot be removed)
 * @param nameGiven whether the patch names {@code name} at all
 * @param metadata  the change of metadata, or null to keep it
 */
record CustomerUpdate(String email, boolean nameGiven, String name, MetadataPatch metadata) {

    /** A customer after an update, and the fields that changed ({@code email}, {@code name}, {@code metadata}); none when nothing did. */
    record Applied(Customer customer, List<String> updatedFields) {
    }

    /**
     * What the update makes of {@code current} at {@code now}; the metadata it leads to may still hold
     * more keys than allowed, which the caller checks.
     */
    Applied applyTo(Customer current, Instant now) {
        List<String> updated = new ArrayList<>(3);
        String newEmail = current.email();
        if (email != null && !email.equals(current.email())) {
            newEmail = email;
            updated.add("email");
        }
        String newName = current.name();
        if (nameGiven && !Objects.equals(name, current.name())) {
            newName = name;
            updated.add("name");
        }
        Map<String, String> newMetadata = current.metadata();
        if (metadata != null) {
            Map<String, String> merged = metadata.applyTo(current.metadata());
            if (!merged.equals(current.metadata())) {
                newMetadata = merged;
                updated.add("metadata");
            }
        }
        if (updated.isEmpty()) {
            return new Applied(current, List.of());
        }
        return new Applied(new Customer(current.merchantId(), current.customerId(), newEmail, newName, newMetadata,
                current.createdAt(), now, current.version() + 1), List.copyOf(updated));
    }
}
