package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.InvoiceId;

/** Another command appended to the same invoice between our read and our write; the command is decided again. */
public final class ConcurrentInvoiceChange extends RuntimeException {

    public ConcurrentInvoiceChange(InvoiceId id, Throwable cause) {
        super("invoice " + id + " changed concurrently", cause);
    }
}
