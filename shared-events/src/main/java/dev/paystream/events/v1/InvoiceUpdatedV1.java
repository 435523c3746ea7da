package dev.paystream.events.v1;

import java.util.List;

/**
 * {@code invoice.updated}: the fields named in {@code updated_fields} ({@code amount},
 * {@code description}, {@code due_date}, {@code metadata}) changed while nothing was paid;
 * {@code invoice} shows their new values.
 */
public record InvoiceUpdatedV1(List<String> updatedFields, InvoiceV1 invoice) {
}
