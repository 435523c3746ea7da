package dev.paystream.ledger.journal.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.events.v1.PaymentCapturedV1;
import dev.paystream.events.v1.PaymentRefundedV1;
import dev.paystream.ledger.journal.application.Posting;
import dev.paystream.ledger.journal.application.PostingRules;
import dev.paystream.ledger.journal.domain.AccountType;
import dev.paystream.ledger.journal.domain.JournalLine;
import dev.paystream.platform.consumer.EnvelopeReader;
import dev.paystream.platform.consumer.IncomingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {

    private static final String ORIGIN = "paystream.payments.v1-0@7";

    private final EnvelopeReader reader = new EnvelopeReader();

    @Test
    void readsTheGoldenCaptureSampleOfSharedEvents() throws IOException {
        IncomingEvent event = readable(sample("samples/v1/payment.captured.json"));

        assertThat(event.id()).isEqualTo("evt_6d3a8e2f9c4b1a7e");
        assertThat(event.type()).isEqualTo("payment.captured");
        assertThat(event.version()).isEqualTo(1);
        assertThat(event.aggregateId()).isEqualTo("pay_8c1e5a3f2d6b4e7a");
        assertThat(event.merchantId()).isEqualTo("mer_4f2a9c7e1b3d5a6c");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-23T18:30:01Z"));
        assertThat(event.origin()).isEqualTo(ORIGIN);
        assertThat(event.data().as(PaymentCapturedV1.class)).hasValueSatisfying(captured -> {
            assertThat(captured.amount()).isEqualTo(5000);
            assertThat(captured.currency()).isEqualTo("USD");
            assertThat(captured.payment().id()).isEqualTo("pay_8c1e5a3f2d6b4e7a");
        });
    }

    @Test
    void readsTheGoldenRefundSampleOfSharedEventsAndPostsItsAmount() throws IOException {
        IncomingEvent event = readable(sample("samples/v1/payment.refunded.json"));

        assertThat(event.data().as(PaymentRefundedV1.class)).hasValueSatisfying(refunded -> {
            assertThat(refunded.refund().id()).isEqualTo("re_4d6f8a1c3e5b7d9f");
            assertThat(refunded.refund().createdAt()).isEqualTo(Instant.parse("2026-11-23T18:35:00Z"));
            assertThat(refunded.payment().amountRefunded()).isEqualTo(1000);
        });
        Currency usd = Currency.getInstance("USD");
        assertThat(PostingRules.v1().post(event)).isEqualTo(new Posting.Lines(List.of(
                new JournalLine(AccountType.MERCHANT_PENDING, usd, 1000, 0),
                new JournalLine(AccountType.CUSTOMER_FUNDS, usd, 0, 1000))));
    }

    @Test
    void ignoresMembersItDoesNotKnowInTheEnvelopeAndInItsData() throws IOException {
        String withAdditions = sample("samples/v1/payment.captured.json")
                .replace("\"version\": 1,", "\"version\": 1, \"trace_id\": \"abc\", \"source\": {\"region\": \"eu\"},")
                .replace("\"amount\": 5000,", "\"amount\": 5000, \"fee_estimate\": 145,");

        IncomingEvent event = readable(withAdditions);

        assertThat(event.data().as(PaymentCapturedV1.class)).hasValueSatisfying(captured -> assertThat(captured.amount()).isEqualTo(5000));
    }

    @Test
    void refusesToTruncateAFractionalAmount() throws IOException {
        String fractional = sample("samples/v1/payment.captured.json").replaceFirst("\"amount\": 5000", "\"amount\": 50.5");

        assertThat(readable(fractional).data().as(PaymentCapturedV1.class)).isEmpty();
    }

    @Test
    void readsAnEnvelopeWithABadTimestampButLeavesItsTimeUnknown() throws IOException {
        String badTime = sample("samples/v1/payment.captured.json").replace("\"occurred_at\": \"2026-11-23T18:30:01Z\"", "\"occurred_at\": \"yesterday\"");

        assertThat(readable(badTime).occurredAt()).isNull();
    }

    @Test
    void findsNoEventInAValueThatIsNotJsonAndDoesNotQuoteIt() {
        EnvelopeReader.Read read = reader.read("card 4242424242424242 {", ORIGIN);

        assertThat(read).isInstanceOf(EnvelopeReader.Unreadable.class);
        assertThat(((EnvelopeReader.Unreadable) read).why()).startsWith("not JSON").doesNotContain("4242", "card");
    }

    @Test
    void findsNoEventInAJsonArrayOrAnEmptyValue() {
        assertThat(reader.read("[1, 2]", ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable("not a JSON object"));
        assertThat(reader.read(null, ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable("the record has no value"));
        assertThat(reader.read("", ORIGIN)).isInstanceOf(EnvelopeReader.Unreadable.class);
    }

    @Test
    void findsNoEventInAnEnvelopeWithoutIdOrType() {
        assertThat(reader.read("{\"type\":\"payment.captured\"}", ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable("the envelope has no id"));
        assertThat(reader.read("{\"id\":\"evt_1\",\"type\":\"\"}", ORIGIN)).isEqualTo(new EnvelopeReader.Unreadable("the envelope has no type"));
    }

    @Test
    void findsNoEventInAnEnvelopeWhoseIdCouldForgeALogLine() {
        assertThat(reader.read("{\"id\":\"evt_1\\nINFO forged\",\"type\":\"payment.captured\"}", ORIGIN))
                .isEqualTo(new EnvelopeReader.Unreadable("the envelope's id is not a plain name"));
    }

    private IncomingEvent readable(String value) {
        EnvelopeReader.Read read = reader.read(value, ORIGIN);
        assertThat(read).isInstanceOf(EnvelopeReader.Readable.class);
        return ((EnvelopeReader.Readable) read).event();
    }

    private static String sample(String path) throws IOException {
        try (InputStream stream = EnvelopeReaderTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(stream).as(path).isNotNull();
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
