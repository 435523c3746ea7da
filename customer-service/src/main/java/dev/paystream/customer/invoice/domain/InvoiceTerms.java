package dev.paystream.customer.invoice.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an invoice asks for, the part a merchant may edit while nothing is paid.
 *
 * @param description null when there is none
 * @param dueDate     null when there is none
 */
public record InvoiceTerms(Money amount, String description, LocalDate dueDate, Map<String, String> metadata) {

    public InvoiceTerms {
        Objects.requireNonNull(amount, "amount");
        if (amount.amountMinor() < 1 || amount.amountMinor() > Money.AMOUNT_MAX) {
            throw new IllegalArgumentException("an invoice's amount is 1 to " + Money.AMOUNT_MAX + ": " + amount);
        }
        metadata = Map.copyOf(metadata);
    }

    /** The fields in which {@code other} differs from these terms, in {@link InvoiceField} order. */
    List<InvoiceField> differencesTo(InvoiceTerms other) {
        List<InvoiceField> fields = new ArrayList<>(InvoiceField.values().length);
        if (!amount.equals(other.amount)) {
            fields.add(InvoiceField.AMOUNT);
        }
        if (!Objects.equals(description, other.description)) {
            fields.add(InvoiceField.DESCRIPTION);
        }
        if (!Objects.equals(dueDate, other.dueDate)) {
            fields.add(InvoiceField.DUE_DATE);
        }
        if (!metadata.equals(other.metadata)) {
            fields.add(InvoiceField.METADATA);
        }
        return List.copyOf(fields);
    }
}
