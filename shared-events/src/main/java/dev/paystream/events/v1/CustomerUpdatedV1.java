package dev.paystream.events.v1;

import java.util.List;

/**
 * {@code customer.updated}: the fields named in {@code updated_fields} ({@code email}, {@code name},
 * {@code metadata}) changed; {@code customer} shows their new values.
 */
public record CustomerUpdatedV1(List<String> updatedFields, CustomerV1 customer) {
}
