package dev.paystream.ledger.journal.adapter.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.events.EventTypes;
import dev.paystream.ledger.journal.application.Posting;
import dev.paystream.ledger.journal.application.PostingRules;
import dev.paystream.platform.consumer.EnvelopeReader;
import dev.paystream.platform.consumer.IncomingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rebuild's streaming reader gives what the live reader gives, for every event the rules read and for the odd ones. */
class PostingFieldsReaderTest {

    private static final PostingRules RULES = PostingRules.v1();
    private final PostingFieldsReader fast = new PostingFieldsReader();
    private final EnvelopeReader live = new EnvelopeReader();

    static Stream<String> goldenSamples() {
        return EventTypes.ALL.stream().map(PostingFieldsReaderTest::sample);
    }

    /** Values the streaming reader must hand to the live one, or read exactly as it does. */
    static Stream<String> oddValues() {
        String captured = sample(EventTypes.PAYMENT_CAPTURED);
        String completed = sample(EventTypes.SETTLEMENT_COMPLETED);
        return Stream.of(
                changed(captured, "\"amount\": 5000,\n    \"currency\"", "\"amount\": 5000.0,\n    \"currency\""),
                changed(captured, "\"amount\": 5000,\n    \"currency\"", "\"amount\": \"5000\",\n    \"currency\""),
                changed(captured, "\"amount\": 5000,\n    \"currency\"", "\"amount\": null,\n    \"currency\""),
                changed(captured, "\"amount\": 5000,\n    \"currency\"", "\"amount\": 99999999999999999999999,\n    \"currency\""),
                changed(captured, "\"currency\": \"USD\",\n    \"payment\"", "\"currency\": 840,\n    \"payment\""),
                changed(captured, "\"payment\": {", "\"payment\": [1], \"was\": {"),
                changed(captured, "\"data\": {", "\"data\": [], \"was\": {"),
                changed(captured, "\"data\": {", "\"was\": {"),
                changed(captured, "\"version\": 1", "\"version\": 2"),
                changed(captured, "\"version\": 1", "\"version\": \"1\""),
                changed(captured, "\"sequence\": 2", "\"sequence\": 1e3"),
                changed(captured, "\"id\": \"evt_", "\"id\": \"evt_\\u0001"),
                changed(captured, "\"merchant_id\": \"mer_", "\"merchant_id\": \"mer_\\u0000"),
                changed(captured, "\"merchant_id\": \"mer_", "\"merchant_id\": \"m\u00e9r_"),
                changed(captured, "\"merchant_id\": \"mer_4f2a9c7e1b3d5a6c\"", "\"merchant_id\": \"  \""),
                changed(captured, "\"occurred_at\": \"2026-11-23T18:30:01Z\"", "\"occurred_at\": \"0000-01-01T00:00:00Z\""),
                changed(captured, "\"occurred_at\": \"2026-11-23T18:30:01Z\"", "\"occurred_at\": \"yesterday\""),
                captured + " trailing",
                captured.substring(0, captured.length() / 2),
                "[1, 2]",
                "",
                changed(completed, "\"net_amount\": 13505,\n    \"settlement\"", "\"net_amount\": 13504,\n    \"settlement\""),
                changed(completed, "\"gross_amount\": 15000,\n    \"refunded", "\"gross_amount\": -15000,\n    \"refunded"),
                changed(completed, "\"currency\": \"USD\",\n    \"payment_count\"", "\"currency\": \"usd\",\n    \"payment_count\""));
    }

    @ParameterizedTest
    @MethodSource({"goldenSamples", "oddValues"})
    void givesTheLiveReadersEventAndPosting(String value) {
        EnvelopeReader.Read expected = live.read(value, "t-0@1");
        EnvelopeReader.Read actual = fast.read(value.getBytes(StandardCharsets.UTF_8), "t-0@1");

        if (expected instanceof EnvelopeReader.Readable readable) {
            assertThat(actual).isInstanceOf(EnvelopeReader.Readable.class);
            IncomingEvent want = readable.event();
            IncomingEvent got = ((EnvelopeReader.Readable) actual).event();
            assertThat(got).usingRecursiveComparison().ignoringFields("data").isEqualTo(want);
            Posting posting = RULES.post(want);
            assertThat(RULES.post(got)).isEqualTo(posting);
            if (posting instanceof Posting.Lines) {
                assertThat(RULES.subjectOf(got)).isEqualTo(RULES.subjectOf(want));
            }
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** {@code value} with {@code from} replaced by {@code to}; {@code from} must be there, or the case tests nothing. */
    private static String changed(String value, String from, String to) {
        if (!value.contains(from)) {
            throw new IllegalArgumentException("not in the sample: " + from);
        }
        return value.replace(from, to);
    }

    private static String sample(String type) {
        try (InputStream in = PostingFieldsReaderTest.class.getResourceAsStream("/samples/v1/" + type + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }
}
