package dev.paystream.events.v1;

/** What may be known of a card once the payment is made: never the number or the CVC. */
public record CardV1(String brand, String last4, int expMonth, int expYear) {
}
