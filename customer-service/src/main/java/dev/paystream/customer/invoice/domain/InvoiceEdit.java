package dev.paystream.customer.invoice.domain;

import dev.paystream.customer.metadata.MetadataPatch;
import java.time.LocalDate;

/**
 * An edit of an invoice's terms as a merge patch (RFC 7386): a field not given stays as it is;
 * {@code description} or {@code due_date} given as null is removed; {@code metadata} keys merge, a
 * key given as null is removed, and {@code metadata} given as null removes every key. The amount can
 * be changed, not removed; the currency cannot be changed.
 *
 * @param amountMinor the new amount in the invoice's currency, or null to keep it
 * @param metadata    the change of metadata, or null to keep it
 */
public record InvoiceEdit(
        Long amountMinor,
        boolean descriptionGiven,
        String description,
        boolean dueDateGiven,
        LocalDate dueDate,
        MetadataPatch metadata) {

    /** The terms this edit makes of {@code current}. */
    public InvoiceTerms applyTo(InvoiceTerms current) {
        return new InvoiceTerms(
                amountMinor == null ? current.amount() : new Money(amountMinor, current.amount().currency()),
                descriptionGiven ? description : current.description(),
                dueDateGiven ? dueDate : current.dueDate(),
                metadata == null ? current.metadata() : metadata.applyTo(current.metadata()));
    }
}
