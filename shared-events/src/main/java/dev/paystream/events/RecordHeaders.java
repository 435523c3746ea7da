package dev.paystream.events;

/**
 * Kafka record headers that repeat the envelope's {@code id} and {@code type}, named after the
 * CloudEvents Kafka protocol binding so that routers can filter without parsing the value.
 */
public final class RecordHeaders {

    public static final String EVENT_ID = "ce_id";
    public static final String EVENT_TYPE = "ce_type";

    private RecordHeaders() {
    }
}
