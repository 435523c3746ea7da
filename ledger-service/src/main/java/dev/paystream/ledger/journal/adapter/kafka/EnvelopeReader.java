package dev.paystream.ledger.journal.adapter.kafka;

import dev.paystream.ledger.journal.application.IncomingEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a record value as the event envelope of CONTRACT §11. It is tolerant where the contract asks
 * consumers to be (unknown members, here or inside {@code data}, are ignored) and strict where money
 * is at stake (a fractional amount is not silently truncated). A value without an {@code id} and a
 * {@code type} cannot be deduplicated or routed: it is unreadable.
 */
public final class EnvelopeReader {

    /** What reading one record value gave. */
    public sealed interface Read {
    }

    public record Readable(IncomingEvent event) implements Read {
    }

    /** Why the value is no event; never contains any part of the value itself. */
    public record Unreadable(String why) implements Read {
    }

    /** What an event id or type may look like: {@code evt_6d3a8e2f}, {@code payment.captured}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final JsonMapper mapper;

    public EnvelopeReader() {
        // Not the application's HTTP mapper: that one refuses unknown members, which events may add within v1.
        this.mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }

    /**
     * @param origin where the value was read, carried along for logs and operators
     */
    public Read read(String value, String origin) {
        if (value == null) {
            return new Unreadable("the record has no value");
        }
        JsonNode envelope;
        try {
            envelope = mapper.readTree(value);
        } catch (JacksonException malformed) {
            // The parser's message may quote the offending text; only its position is reported.
            return new Unreadable("not JSON (" + malformed.getClass().getSimpleName() + " at line "
                    + malformed.getLocation().getLineNr() + ", column " + malformed.getLocation().getColumnNr() + ")");
        }
        if (envelope == null || !envelope.isObject()) {
            return new Unreadable("not a JSON object");
        }
        String id = text(envelope, "id");
        String type = text(envelope, "type");
        if (id == null || type == null) {
            return new Unreadable("the envelope has no " + (id == null ? "id" : "type"));
        }
        if (!NAME.matcher(id).matches() || !NAME.matcher(type).matches()) {
            // Both end up in logs, metrics and the inbox; they must not be able to forge or flood them.
            return new Unreadable("the envelope's " + (NAME.matcher(id).matches() ? "type" : "id") + " is not a plain name");
        }
        JsonNode version = envelope.get("version");
        return new Readable(new IncomingEvent(
                id,
                type,
                version != null && version.isInt() ? version.intValue() : 0,
                text(envelope, "aggregate_id"),
                text(envelope, "merchant_id"),
                instant(text(envelope, "occurred_at")),
                new JsonEventData(envelope.get("data"), mapper),
                origin));
    }

    private static String text(JsonNode object, String member) {
        JsonNode node = object.get(member);
        if (node == null || !node.isString() || node.stringValue().isBlank()) {
            return null;
        }
        return node.stringValue();
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }
}
