package dev.paystream.platform.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the shared envelope reader refuses up front, as a permanent failure, because it would fail in a
 * handler's SQL on every attempt; and what it still passes on. The ledger's own reader tests (golden
 * samples of shared-events, unknown members, unreadable values) run against this same class.
 */
class EnvelopeReaderTest {

    private static final String ORIGIN = "paystream.payments.v1-0@7";

    private final EnvelopeReader reader = new EnvelopeReader();

    @Test
    void refusesAMerchantIdHoldingANulAndNamesTheEventItRefused() {
        EnvelopeReader.Read read = reader.read(envelope("mer_\\u0000abc", "2026-11-23T18:30:01Z"), ORIGIN);

        assertThat(read).isEqualTo(new EnvelopeReader.Unreadable(
                "the envelope's merchant_id holds a control character (U+0000) at position 4", "evt_1", "payment.captured"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mer_a\\nINFO forged", "mer_\\u001b[31m", "mer_\\u007f", "mer_\\u0085"})
    void refusesAMerchantIdHoldingAnyControlCharacter(String merchantId) {
        assertThat(reader.read(envelope(merchantId, "2026-11-23T18:30:01Z"), ORIGIN))
                .isInstanceOfSatisfying(EnvelopeReader.Unreadable.class, unreadable ->
                        assertThat(unreadable.why()).startsWith("the envelope's merchant_id holds a control character"));
    }

    @Test
    void refusesAnAggregateIdWithAnUnpairedSurrogateOrLongerThanAnyId() {
        String surrogate = "{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"aggregate_id\":\"pay_\\ud800\"}";
        String tooLong = "{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"aggregate_id\":\"pay_" + "a".repeat(252) + "\"}";

        assertThat(reader.read(surrogate, ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable(
                "the envelope's aggregate_id holds an unpaired surrogate at position 4", "evt_1", "payment.captured"));
        assertThat(reader.read(tooLong, ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable(
                "the envelope's aggregate_id is longer than 255 characters", "evt_1", "payment.captured"));
    }

    @Test
    void acceptsIdsOfLettersOfAnyScriptAndCharactersBeyondTheBasicPlane() {
        String ids = "{\"id\":\"evt_1\",\"type\":\"customer.created\",\"aggregate_id\":\"kundin-jürgen-😀\",\"merchant_id\":\"mer_1\"}";

        assertThat(reader.read(ids, ORIGIN)).isInstanceOfSatisfying(EnvelopeReader.Readable.class, readable ->
                assertThat(readable.event().aggregateId()).isEqualTo("kundin-jürgen-😀"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"})
    void refusesAnOccurredAtNoColumnHolds(String occurredAt) {
        assertThat(reader.read(envelope("mer_1", occurredAt), ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable(
                "the envelope's occurred_at is not between 1970 and 9999", "evt_1", "payment.captured"));
    }

    @Test
    void acceptsTheFirstAndLastInstantsItAllows() {
        assertThat(readable(envelope("mer_1", "1970-01-01T00:00:00Z")).occurredAt()).isEqualTo(Instant.EPOCH);
        assertThat(readable(envelope("mer_1", "9999-12-31T23:59:59Z")).occurredAt()).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void readsTheSequenceAndLeavesWhatIsMissingAbsent() {
        IncomingEvent event = readable("{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"sequence\":3}");

        assertThat(event.sequence()).isEqualTo(3);
        assertThat(event.version()).isZero();
        assertThat(event.aggregateId()).isNull();
        assertThat(event.merchantId()).isNull();
        assertThat(event.occurredAt()).isNull();
        assertThat(event.origin()).isEqualTo(ORIGIN);
    }

    @Test
    void namesNoEventWhenTheIdOrTypeItselfIsUnfit() {
        assertThat(reader.read("{\"id\":\"evt_1\",\"type\":\"payment captured\",\"merchant_id\":\"mer_\\u0000\"}", ORIGIN))
                .isEqualTo(new EnvelopeReader.Unreadable("the envelope's type is not a plain name"));
    }

    private IncomingEvent readable(String value) {
        EnvelopeReader.Read read = reader.read(value, ORIGIN);
        assertThat(read).isInstanceOf(EnvelopeReader.Readable.class);
        return ((EnvelopeReader.Readable) read).event();
    }

    /** A capture's envelope as JSON text; {@code merchantId} is written as it is, JSON escapes included. */
    private static String envelope(String merchantId, String occurredAt) {
        return "{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"version\":1,\"aggregate_id\":\"pay_1\",\"sequence\":2,"
                + "\"merchant_id\":\"" + merchantId + "\",\"occurred_at\":\"" + occurredAt + "\",\"data\":{\"amount\":5000}}";
    }
}
