package dev.paystream.platform.consumer;

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
 * consumers to be (unknown members, here or inside {@code data}, are ignored) and strict where a
 * value would otherwise fail later, in every attempt, inside a handler's SQL: an id with a NUL or
 * another control character, or a timestamp no database column holds, makes the record unreadable
 * up front, a permanent failure that is parked at once instead of retried.
 *
 * <p>A value without an {@code id} and a {@code type} cannot be deduplicated or routed: it is
 * unreadable too. Nothing of the value itself is ever put into a reason, which ends up in logs.
 */
public final class EnvelopeReader {

    /** What reading one record value gave. */
    public sealed interface Read {
    }

    public record Readable(IncomingEvent event) implements Read {
    }

    /**
     * Why the value is no event the consumer can apply; never contains any part of the value itself.
     *
     * @param eventId   the envelope's id when it has a plain one, so that operators can find the event; else null
     * @param eventType the envelope's type, on the same terms
     */
    public record Unreadable(String why, String eventId, String eventType) implements Read {

        public Unreadable(String why) {
            this(why, null, null);
        }
    }

    /** What an event id or type may look like: {@code evt_6d3a8e2f}, {@code payment.captured}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    /** The longest id (aggregate or merchant) passed on; ids of CONTRACT §1 are far shorter. */
    static final int ID_LENGTH_MAX = 255;
    /**
     * The instants an event may carry. Nothing in Paystream happened before 1970, and PostgreSQL's
     * timestamptz has no year 0 (ISO-8601's year 0000 is 1 BC), which Java's Instant reads happily.
     */
    static final Instant OCCURRED_AT_MIN = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant OCCURRED_AT_MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

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
            // Both end up in logs, metrics and claims; they must not be able to forge or flood them.
            return new Unreadable("the envelope's " + (NAME.matcher(id).matches() ? "type" : "id") + " is not a plain name");
        }
        String aggregateId = text(envelope, "aggregate_id");
        String merchantId = text(envelope, "merchant_id");
        String aggregateIdProblem = whyNotStorable(aggregateId);
        if (aggregateIdProblem != null) {
            return new Unreadable("the envelope's aggregate_id " + aggregateIdProblem, id, type);
        }
        String merchantIdProblem = whyNotStorable(merchantId);
        if (merchantIdProblem != null) {
            return new Unreadable("the envelope's merchant_id " + merchantIdProblem, id, type);
        }
        Instant occurredAt = instant(text(envelope, "occurred_at"));
        if (occurredAt != null && (occurredAt.isBefore(OCCURRED_AT_MIN) || occurredAt.isAfter(OCCURRED_AT_MAX))) {
            return new Unreadable("the envelope's occurred_at is not between 1970 and 9999", id, type);
        }
        JsonNode version = envelope.get("version");
        JsonNode sequence = envelope.get("sequence");
        return new Readable(new IncomingEvent(
                id,
                type,
                version != null && version.isInt() ? version.intValue() : 0,
                aggregateId,
                sequence != null && sequence.canConvertToLong() && sequence.isIntegralNumber() ? sequence.longValue() : 0,
                merchantId,
                occurredAt,
                new JsonEventData(envelope.get("data"), mapper),
                origin));
    }

    /**
     * Why an id cannot be stored and shown as it is, or null when it can. PostgreSQL text refuses NUL
     * (SQLSTATE 22021, on every attempt); other control characters could forge log lines; an unpaired
     * surrogate would be silently replaced when encoded as UTF-8, a different id than the one sent.
     */
    static String whyNotStorable(String id) {
        if (id == null) {
            return null;
        }
        if (id.length() > ID_LENGTH_MAX) {
            return "is longer than " + ID_LENGTH_MAX + " characters";
        }
        for (int index = 0; index < id.length(); index++) {
            char c = id.charAt(index);
            if (Character.isISOControl(c)) {
                return "holds a control character (U+" + String.format("%04X", (int) c) + ") at position " + index;
            }
            if (Character.isHighSurrogate(c) && index + 1 < id.length() && Character.isLowSurrogate(id.charAt(index + 1))) {
                index++;
            } else if (Character.isSurrogate(c)) {
                return "holds an unpaired surrogate at position " + index;
            }
        }
        return null;
    }

    private static String text(JsonNode object, String member) {
        JsonNode node = object.get(member);
        if (node == null || !node.isString() || node.stringValue().isBlank()) {
            return null;
        }
        return node.stringValue();
    }

    /**
     * A timestamp that does not parse is treated as absent, as before this reader was shared: a handler
     * that needs the time refuses the event by its own rule, one that does not still applies it. One that
     * parses but lies outside what a column holds would pass that rule and fail in SQL, so the caller
     * refuses it up front.
     */
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
