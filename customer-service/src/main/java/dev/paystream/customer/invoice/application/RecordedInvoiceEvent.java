package dev.paystream.customer.invoice.application;

import dev.paystream.customer.invoice.domain.InvoiceEvent;

/** An invoice event as stored: with its global id ({@code evt_...}) and its place in the invoice's history. */
public record RecordedInvoiceEvent(String eventId, long sequence, InvoiceEvent event) {
}
