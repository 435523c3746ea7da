package dev.paystream.customer.invoice.domain;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An edit of an invoice's terms as a merge patch (RFC 7386): a field not given stays as it is;
 * {@code description} or {@code due_date} given as null is removed; {@code metadata} keys merge, a
 * key given as null is removed, and {@code metadata} given as null removes every key. The amount can
 * be changed, not removed; the currency cannot be changed.
 *
 * @param amountMinor the new amount in the invoice's currency, or null to keep it
 * @param metadata    the keys to set or (null values) remove; null with {@code metadataGiven} removes all
 */
public record InvoiceEdit(
        Long amountMinor,
        boolean descriptionGiven,
        String description,
        boolean dueDateGiven,
        LocalDate dueDate,
        boolean metadataGiven,
        Map<String, String> metadata) {

    public InvoiceEdit {
        // Map.copyOf refuses the null values that remove keys.
        metadata = metadata == null ? null : new HashMap<>(metadata);
    }

    /** The terms this edit makes of {@code current}. */
    public InvoiceTerms applyTo(InvoiceTerms current) {
        return new InvoiceTerms(
                amountMinor == null ? current.amount() : new Money(amountMinor, current.amount().currency()),
                descriptionGiven ? description : current.description(),
                dueDateGiven ? dueDate : current.dueDate(),
                metadataGiven ? merged(current.metadata()) : current.metadata());
    }

    private Map<String, String> merged(Map<String, String> current) {
        if (metadata == null) {
            return Map.of();
        }
        Map<String, String> merged = new LinkedHashMap<>(current);
        metadata.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }
}
