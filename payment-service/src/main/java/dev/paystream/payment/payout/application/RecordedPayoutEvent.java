package dev.paystream.payment.payout.application;

import dev.paystream.payment.payout.domain.PayoutEvent;

/** A payout event as stored: with its global id ({@code evt_...}) and its place in the payout's history. */
public record RecordedPayoutEvent(String eventId, long sequence, PayoutEvent event) {
}
