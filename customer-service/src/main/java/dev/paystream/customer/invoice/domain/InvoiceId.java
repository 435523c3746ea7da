package dev.paystream.customer.invoice.domain;

import java.util.Objects;

/** An invoice's id, {@code inv_} and an opaque suffix. */
public record InvoiceId(String value) {

    public static final String PREFIX = "inv_";

    public InvoiceId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("an invoice id starts with " + PREFIX);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
