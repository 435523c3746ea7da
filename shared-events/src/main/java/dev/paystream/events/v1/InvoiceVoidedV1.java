package dev.paystream.events.v1;

/** {@code invoice.voided}: the merchant voided an open invoice on which nothing was paid; {@code void} is final. */
public record InvoiceVoidedV1(InvoiceV1 invoice) {
}
