package dev.paystream.customer.invoice.domain;

import java.util.Locale;

/** The fields of an invoice an edit may change. */
public enum InvoiceField {
    AMOUNT, DESCRIPTION, DUE_DATE, METADATA;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
