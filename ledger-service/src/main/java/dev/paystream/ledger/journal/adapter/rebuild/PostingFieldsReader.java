package dev.paystream.ledger.journal.adapter.rebuild;

import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.events.v1.PayoutCreatedV1;
import dev.paystream.events.v1.PayoutFailedV1;
import dev.paystream.events.v1.SettlementCompletedV1;
import dev.paystream.platform.consumer.EnvelopeReader;
import dev.paystream.platform.consumer.EventData;
import dev.paystream.platform.consumer.IncomingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The rebuild's reader of record values: what {@link EnvelopeReader} gives, for the members the posting
 * rules read, at a fraction of its cost. The live reader builds a tree of the whole value (the payment,
 * refund or payout object of {@code data} included) and binds {@code data} to a contract record from it;
 * replaying a topic is bound by that decoding. This one reads the value's bytes once with Jackson's
 * streaming parser: the envelope's members, and the scalar members of {@code data} — the amounts and
 * currency the rules read — while the nested objects ({@code data.payment}, {@code .refund},
 * {@code .payout}, {@code .settlement}), which no rule reads, are skipped, not built.
 *
 * <p>It gives the same event as the live reader or hands the value to it: anything it does not read as
 * plainly as a valid event (not an object, an id with a character outside {@code [A-Za-z0-9_.:-]}, an id
 * or time out of bounds, a {@code data} that is not an object, a member of a contract record of another
 * JSON type than its field, a contract it does not build) is read by {@link EnvelopeReader}, which decides
 * as it does live. One difference is accepted: a nested object is not checked for its shape (the live
 * binding refuses, say, a {@code data.payment.amount} that is a string); such an event, refused live and
 * posted here, shows as a difference in the rebuild's comparison, not silently.
 */
final class PostingFieldsReader {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Instant OCCURRED_AT_MIN = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant OCCURRED_AT_MAX = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final int NAME_LENGTH_MAX = 128;
    private static final int ID_LENGTH_MAX = 255;

    /** A member of {@code data} that is not a number or a string: only its JSON kind is kept. */
    private enum Kind { NULL, OBJECT, OTHER }

    private final EnvelopeReader live = new EnvelopeReader();

    EnvelopeReader.Read read(byte[] value, String origin) {
        if (value != null) {
            try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value)) {
                IncomingEvent event = plainEvent(parser, value, origin);
                if (event != null) {
                    return new EnvelopeReader.Readable(event);
                }
            } catch (JacksonException | ArithmeticException notPlain) {
                // The live reader says why (or reads what this one does not).
            }
        }
        return live.read(value == null ? null : new String(value, StandardCharsets.UTF_8), origin);
    }

    /** The event, or null when the value is not plainly a valid one. */
    private IncomingEvent plainEvent(JsonParser parser, byte[] value, String origin) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String id = null;
        String type = null;
        String aggregateId = null;
        String merchantId = null;
        String occurredAt = null;
        int version = 0;
        long sequence = 0;
        Map<String, Object> data = null;
        boolean dataSeen = false;
        for (String member = parser.nextName(); member != null; member = parser.nextName()) {
            JsonToken token = parser.nextToken();
            switch (member) {
                case "id" -> id = text(parser, token);
                case "type" -> type = text(parser, token);
                case "aggregate_id" -> aggregateId = text(parser, token);
                case "merchant_id" -> merchantId = text(parser, token);
                case "occurred_at" -> occurredAt = text(parser, token);
                case "version" -> version = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                        ? parser.getIntValue() : 0;
                case "sequence" -> sequence = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? parser.getLongValue() : 0;
                case "data" -> {
                    dataSeen = true;
                    data = token == JsonToken.START_OBJECT ? scalars(parser) : null;
                    if (data == null) {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (parser.nextToken() != null || !dataSeen || data == null || !isName(id) || !isName(type) || !isId(aggregateId) || !isId(merchantId)) {
            return null;
        }
        Instant occurred = null;
        if (occurredAt != null) {
            try {
                occurred = Instant.parse(occurredAt);
            } catch (DateTimeParseException notAnInstant) {
                return null;
            }
            if (occurred.isBefore(OCCURRED_AT_MIN) || occurred.isAfter(OCCURRED_AT_MAX)) {
                return null;
            }
        }
        return new IncomingEvent(id, type, version, aggregateId, sequence, merchantId, occurred, new Scalars(data, value, origin, live),
                origin);
    }

    /** The members of the {@code data} object the parser is at: numbers (as Long), strings, or the kind of anything else. */
    private static Map<String, Object> scalars(JsonParser parser) {
        Map<String, Object> scalars = new HashMap<>(16);
        for (String member = parser.nextName(); member != null; member = parser.nextName()) {
            JsonToken token = parser.nextToken();
            Object scalar = switch (token) {
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Kind.OTHER : parser.getLongValue();
                case VALUE_STRING -> parser.getString();
                case VALUE_NULL -> Kind.NULL;
                case START_OBJECT -> {
                    parser.skipChildren();
                    yield Kind.OBJECT;
                }
                default -> {
                    parser.skipChildren();
                    yield Kind.OTHER;
                }
            };
            scalars.put(member, scalar);
        }
        return scalars;
    }

    /** As the live reader's: a string that is not blank, else null. */
    private static String text(JsonParser parser, JsonToken token) {
        if (token != JsonToken.VALUE_STRING) {
            parser.skipChildren();
            return null;
        }
        String text = parser.getString();
        return text.isBlank() ? null : text;
    }

    /** A plain name as the live reader wants an event's id and type. */
    private static boolean isName(String value) {
        if (value == null || value.length() > NAME_LENGTH_MAX) {
            return false;
        }
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Absent, or printable ASCII within the live reader's length: what it would pass on unchanged (anything else goes to it). */
    private static boolean isId(String value) {
        if (value == null) {
            return true;
        }
        if (value.length() > ID_LENGTH_MAX) {
            return false;
        }
        for (int index = 0; index < value.length(); index++) {
            char c = value.charAt(index);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code data} as the contract records the posting rules read, built from its scalar members (nested
     * objects, which no rule reads, are left null). A member of another JSON type than its field, or another
     * contract, is bound by the live reader from the whole value, as it would be live.
     */
    private record Scalars(Map<String, Object> members, byte[] value, String origin, EnvelopeReader live) implements EventData {

        @Override
        public <T> Optional<T> as(Class<T> contract) {
            try {
                Object built = build(contract);
                return Optional.of(contract.cast(built));
            } catch (NotPlain notPlain) {
                if (live.read(new String(value, StandardCharsets.UTF_8), origin) instanceof EnvelopeReader.Readable readable) {
                    return readable.event().data().as(contract);
                }
                return Optional.empty();
            }
        }

        private Object build(Class<?> contract) {
            if (contract == PaymentCapturedV1.class) {
                return new PaymentCapturedV1(number("amount"), string("currency"), object("payment", null));
            }
            if (contract == PaymentRefundedV1.class) {
                return new PaymentRefundedV1(number("amount"), string("currency"), object("refund", null), object("payment", null));
            }
            if (contract == PayoutCreatedV1.class) {
                return new PayoutCreatedV1(number("amount"), string("currency"), object("payout", null));
            }
            if (contract == PayoutFailedV1.class) {
                return new PayoutFailedV1(number("amount"), string("currency"), string("failure_code"), object("payout", null));
            }
            if (contract == SettlementCompletedV1.class) {
                return new SettlementCompletedV1(string("currency"), number("payment_count"), number("refund_count"), number("gross_amount"),
                        number("refunded_amount"), number("fee_amount"), number("net_amount"), object("settlement", null));
            }
            throw new NotPlain();
        }

        /** A primitive long field: an integer; absent or null is left to the live binding (Jackson 3 refuses null for a primitive). */
        private long number(String member) {
            if (members.get(member) instanceof Long number) {
                return number;
            }
            throw new NotPlain();
        }

        private String string(String member) {
            Object scalar = members.get(member);
            if (scalar == null || scalar == Kind.NULL) {
                return null;
            }
            if (scalar instanceof String text) {
                return text;
            }
            throw new NotPlain();
        }

        /** A nested object no rule reads: left null when it is an object or absent. */
        private <N> N object(String member, N unread) {
            Object scalar = members.get(member);
            if (scalar == null || scalar == Kind.NULL || scalar == Kind.OBJECT) {
                return unread;
            }
            throw new NotPlain();
        }
    }

    /** The value is not plain for this reader: the live one binds it. */
    private static final class NotPlain extends RuntimeException {

        NotPlain() {
            super(null, null, false, false);
        }
    }
}
