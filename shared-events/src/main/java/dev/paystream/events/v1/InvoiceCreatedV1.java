package dev.paystream.events.v1;

/** {@code invoice.created}: {@code invoice} was issued to its customer for {@code amount}; it is {@code open}. */
public record InvoiceCreatedV1(long amount, String currency, InvoiceV1 invoice) {
}
