package dev.paystream.ledger.support;

/** A record as a test publishes it: the event's id and type (also sent as headers), its key and its value. */
public record TestEvent(String id, String type, String key, String value) {
}
