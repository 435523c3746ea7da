package dev.paystream.payment.payment.application;

import dev.paystream.payment.payment.domain.PaymentEvent;

/** A payment event as stored: with its global id ({@code evt_...}) and its place in the payment's history. */
public record RecordedPaymentEvent(String eventId, long sequence, PaymentEvent event) {
}
