package dev.paystream.payment.payment.domain;

/** All that is kept of a card: never the number, never the CVC. */
public record CardSummary(String brand, String last4, int expMonth, int expYear) {
}
