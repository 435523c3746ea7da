package dev.paystream.ledger.support;

import dev.paystream.events.Topics;
import dev.paystream.platform.consumer.EnvelopeReader;
import dev.paystream.platform.consumer.IncomingEvent;

/** A record as a test publishes it: its topic, the event's id and type (also sent as headers), its key and its value. */
public record TestEvent(String topic, String id, String type, String key, String value) {

    private static final EnvelopeReader READER = new EnvelopeReader();

    /** The event as the ledger's consumer reads it off its topic (the record must hold a readable envelope). */
    public IncomingEvent incoming() {
        return ((EnvelopeReader.Readable) READER.read(value, topic)).event();
    }

    /** A record of {@code paystream.payments.v1}, where payments and payouts are published. */
    public TestEvent(String id, String type, String key, String value) {
        this(Topics.PAYMENTS, id, type, key, value);
    }
}
