package dev.paystream.ledger.support;

import dev.paystream.events.Topics;

/** A record as a test publishes it: its topic, the event's id and type (also sent as headers), its key and its value. */
public record TestEvent(String topic, String id, String type, String key, String value) {

    /** A record of {@code paystream.payments.v1}, where payments and payouts are published. */
    public TestEvent(String id, String type, String key, String value) {
        this(Topics.PAYMENTS, id, type, key, value);
    }
}
