package dev.paystream.ledger;

import static dev.paystream.ledger.support.PaymentEvents.captured;
import static dev.paystream.ledger.support.PaymentEvents.newMerchantId;
import static dev.paystream.ledger.support.PaymentEvents.newPaymentId;
import static dev.paystream.ledger.support.Broker.awaitConsumed;
import static dev.paystream.ledger.support.Broker.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.ledger.support.TestEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Records the ledger cannot post (issue 10, finding 3): each is parked with its value and error,
 * counted and listed for the operator, and the records behind it on the same partition are posted.
 * An operator re-drives a parked event once its cause is fixed.
 */
class LedgerParkedEventsIntegrationTest extends LedgerIntegrationTestBase {

    private static final Instant CAPTURED_AT = Instant.parse("2026-11-23T18:30:01Z");
    private static final String CONSUMER = "ledger-payments";

    @Autowired
    MeterRegistry meters;

    private final String merchantId = newMerchantId();
    private final String paymentId = newPaymentId();

    @Test
    void aRecordTheLedgerCannotPostIsParkedAndTheNextRecordOfTheSamePartitionIsPosted() {
        double unreadableBefore = parkedCount("unreadable");
        // All four records have the payment's key, so they are on one partition, in this order.
        TestEvent nulInMerchant = captured("mer_\u0000" + merchantId.substring(4), paymentId, 5000, "USD", CAPTURED_AT);
        TestEvent yearZero = captured(merchantId, paymentId, 5000, "USD", Instant.parse("0000-01-01T00:00:00Z"));
        TestEvent malformed = new TestEvent(null, null, paymentId, "{\"id\": \"evt_malformed\", \"type\": \"payment.captured\", amount: 5000");
        TestEvent valid = captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT);
        RecordMetadata nulRecord = publish(nulInMerchant);
        RecordMetadata yearZeroRecord = publish(yearZero);
        RecordMetadata malformedRecord = publish(malformed);
        RecordMetadata validRecord = publish(valid);

        await().atMost(Duration.ofSeconds(30)).until(() -> entriesOf(merchantId, paymentId).size() == 1);
        awaitConsumed(validRecord);

        assertThat(entriesOf(merchantId, paymentId).get(0).get("event_id").asString()).isEqualTo(valid.id());
        JsonNode parkedNul = parkedAt(nulRecord).orElseThrow();
        assertThat(parkedNul.get("event_id").asString()).isEqualTo(nulInMerchant.id());
        assertThat(parkedNul.get("event_type").asString()).isEqualTo("payment.captured");
        assertThat(parkedNul.get("consumer").asString()).isEqualTo(CONSUMER);
        assertThat(parkedNul.get("key").asString()).isEqualTo(paymentId);
        assertThat(parkedNul.get("status").asString()).isEqualTo("parked");
        assertThat(parkedNul.get("failure_code").asString()).isEqualTo("unreadable");
        assertThat(parkedNul.get("failure_message").asString()).contains("merchant_id", "control character");
        assertThat(parkedNul.get("parked_at").asString()).matches("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z");
        // The value is kept as it was sent: the NUL travelled as the JSON escape \u0000.
        assertThat(parkedNul.get("payload").asString()).isEqualTo(nulInMerchant.value()).contains("\\u0000");
        JsonNode parkedYearZero = parkedAt(yearZeroRecord).orElseThrow();
        assertThat(parkedYearZero.get("event_id").asString()).isEqualTo(yearZero.id());
        assertThat(parkedYearZero.get("failure_message").asString()).contains("occurred_at");
        JsonNode parkedMalformed = parkedAt(malformedRecord).orElseThrow();
        assertThat(parkedMalformed.get("event_id").isNull()).isTrue();
        assertThat(parkedMalformed.get("failure_message").asString()).startsWith("not JSON");
        assertThat(parkedMalformed.get("payload").asString()).isEqualTo(malformed.value());
        assertThat(parkedAt(validRecord)).isEmpty();
        assertThat(parkedCount("unreadable")).isEqualTo(unreadableBefore + 3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(prometheus())
                .containsPattern("paystream_consumer_parked_waiting\\{[^}]*consumer=\"ledger-payments\"[^}]*} [1-9]"));
    }

    @Test
    void aCaptureThePostingRulesRefuseIsParkedAsRefusedCountedAndListedAndTheNextOneIsPosted() {
        double refusedBefore = parkedCount("refused");
        double rejectedBefore = meters.counter("ledger.events", "outcome", "rejected", "type", "payment.captured").count();
        TestEvent unknownCurrency = captured(merchantId, paymentId, 5000, "XYZ", CAPTURED_AT);
        String otherPaymentId = newPaymentId();
        TestEvent other = captured(merchantId, otherPaymentId, 700, "USD", CAPTURED_AT);
        RecordMetadata refusedRecord = publish(unknownCurrency);
        // Same key, so same partition, right behind it.
        RecordMetadata otherRecord = publish(new TestEvent(other.id(), other.type(), paymentId, other.value()));

        awaitConsumed(otherRecord);

        assertThat(entriesOf(merchantId, otherPaymentId)).hasSize(1);
        assertThat(entriesOf(merchantId, paymentId)).isEmpty();
        JsonNode parked = parkedAt(refusedRecord).orElseThrow();
        assertThat(parked.get("event_id").asString()).isEqualTo(unknownCurrency.id());
        assertThat(parked.get("failure_code").asString()).isEqualTo("refused");
        assertThat(parked.get("failure_message").asString()).isEqualTo("currency must be an ISO-4217 code");
        assertThat(parked.get("payload").asString()).isEqualTo(unknownCurrency.value());
        assertThat(parkedCount("refused")).isEqualTo(refusedBefore + 1);
        assertThat(meters.counter("ledger.events", "outcome", "rejected", "type", "payment.captured").count()).isEqualTo(rejectedBefore + 1);
        // Not claimed: a re-drive after a fix, or a replay, can still post it.
        assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", unknownCurrency.id())).isZero();

        JsonNode redriven = okJson(postAsOperator("/v1/ledger/parked-events/" + parked.get("id").asString() + "/redrive"));

        assertThat(redriven.get("status").asString()).isEqualTo("parked");
        assertThat(redriven.get("failure_code").asString()).isEqualTo("refused");
        assertThat(entriesOf(merchantId, paymentId)).isEmpty();
    }

    @Test
    void aParkedEventThatStillCannotBePostedStaysParkedWhenReDriven() {
        TestEvent nulInMerchant = captured("mer_\u0000" + merchantId.substring(4), paymentId, 5000, "USD", CAPTURED_AT);
        RecordMetadata record = publish(nulInMerchant);
        awaitConsumed(record);
        String parkedId = parkedAt(record).orElseThrow().get("id").asString();

        JsonNode redriven = okJson(postAsOperator("/v1/ledger/parked-events/" + parkedId + "/redrive"));

        assertThat(redriven.get("id").asString()).isEqualTo(parkedId);
        assertThat(redriven.get("status").asString()).isEqualTo("parked");
        assertThat(redriven.get("redrive_count").asInt()).isEqualTo(1);
        assertThat(redriven.get("failure_code").asString()).isEqualTo("unreadable");
        assertThat(okJson(getAsOperator("/v1/ledger/parked-events/" + parkedId)).get("status").asString()).isEqualTo("parked");
        assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", nulInMerchant.id())).isZero();
    }

    @Test
    void aBatchThatFailsOnOneRecordIsSplitAndTheParkedRecordIsPostedOnceWhenReDrivenAfterTheFix() {
        // A constraint that this payment's entry breaks, as a rule deployed by mistake would: SQLSTATE 23514.
        database.sql("""
                CREATE FUNCTION refuse_payment() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payment_id = TG_ARGV[0] THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'check_violation'; END IF;
                    RETURN NEW;
                END; $$""").then().block();
        database.sql("CREATE TRIGGER refuse_payment BEFORE INSERT ON journal_entries FOR EACH ROW EXECUTE FUNCTION refuse_payment('"
                + paymentId + "')").then().block();
        TestEvent refused = captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT);
        String otherPaymentId = newPaymentId();
        TestEvent other = captured(merchantId, otherPaymentId, 700, "USD", CAPTURED_AT);
        RecordMetadata refusedRecord;
        RecordMetadata otherRecord;
        String parkedId;
        try {
            refusedRecord = publish(refused);
            // Same key, so same partition, right behind it.
            otherRecord = publish(new TestEvent(other.id(), other.type(), paymentId, other.value()));
            awaitConsumed(otherRecord);

            assertThat(entriesOf(merchantId, otherPaymentId)).hasSize(1);
            assertThat(entriesOf(merchantId, paymentId)).isEmpty();
            JsonNode parked = parkedAt(refusedRecord).orElseThrow();
            assertThat(parked.get("failure_code").asString()).isEqualTo("constraint_violation");
            assertThat(parked.get("failure_message").asString()).contains("SQLSTATE 23514", "refused for the test");
            parkedId = parked.get("id").asString();
        } finally {
            database.sql("DROP TRIGGER refuse_payment ON journal_entries").then()
                    .then(database.sql("DROP FUNCTION refuse_payment()").then()).block();
        }

        JsonNode redriven = okJson(postAsOperator("/v1/ledger/parked-events/" + parkedId + "/redrive"));
        JsonNode again = okJson(postAsOperator("/v1/ledger/parked-events/" + parkedId + "/redrive"));

        assertThat(redriven.get("status").asString()).isEqualTo("resolved");
        assertThat(redriven.get("resolved_at").asString()).isNotEmpty();
        assertThat(again.get("status").asString()).isEqualTo("resolved");
        JsonNode entries = entriesOf(merchantId, paymentId);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("event_id").asString()).isEqualTo(refused.id());
        assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", refused.id())).isOne();
    }

    @Test
    void listsParkedEventsNewestFirstOnePageAfterTheOther() {
        RecordMetadata first = publish(new TestEvent(null, null, paymentId, "first, not json"));
        RecordMetadata second = publish(new TestEvent(null, null, paymentId, "second, not json"));
        awaitConsumed(second);
        String firstId = parkedAt(first).orElseThrow().get("id").asString();
        String secondId = parkedAt(second).orElseThrow().get("id").asString();

        JsonNode newest = okJson(getAsOperator("/v1/ledger/parked-events?limit=1"));
        String newestId = newest.get("data").get(0).get("id").asString();
        JsonNode next = okJson(getAsOperator("/v1/ledger/parked-events?limit=1&starting_after=" + newestId));

        assertThat(newest.get("data")).hasSize(1);
        assertThat(newest.get("has_more").asBoolean()).isTrue();
        assertThat(newestId).isEqualTo(secondId);
        assertThat(next.get("data").get(0).get("id").asString()).isEqualTo(firstId);
        assertThat(okJson(getAsOperator("/v1/ledger/parked-events?status=resolved&limit=100")).get("data").valueStream()
                .map(parked -> parked.get("status").asString())).doesNotContain("parked");
    }

    @Test
    void onlyTheOperatorSeesOrReDrivesParkedEvents() {
        getAsMerchant(merchantId, "/v1/ledger/parked-events")
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("admin_key_required");
        postAsMerchant(merchantId, "/v1/ledger/parked-events/pe_0123456789abcdef01234567/redrive")
                .expectStatus().isForbidden();
        postAsOperator("/v1/ledger/parked-events/pe_0123456789abcdef01234567/redrive")
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        getAsOperator("/v1/ledger/parked-events?starting_after=pe_0123456789abcdef01234567")
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("starting_after");
        getAsOperator("/v1/ledger/parked-events?limit=0")
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("limit");
    }

    @Test
    void exposesTheConsumersProgressAndLagAsMetrics() {
        awaitConsumed(publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT)));

        assertThat(prometheus())
                .containsPattern("paystream_consumer_records_total\\{[^}]*consumer=\"ledger-payments\"[^}]*outcome=\"applied\"")
                .containsPattern("paystream_consumer_failing_seconds\\{[^}]*consumer=\"ledger-payments\"[^}]*} 0")
                .contains("paystream_consumer_parked_waiting{", "kafka_consumer_fetch_manager_records_lag_max{");
    }

    /** The parked event of the record at {@code record}'s position, if the ledger parked it. */
    private Optional<JsonNode> parkedAt(RecordMetadata record) {
        JsonNode page = okJson(getAsOperator("/v1/ledger/parked-events?limit=100"));
        return page.get("data").valueStream()
                .filter(parked -> parked.get("topic").asString().equals(record.topic())
                        && parked.get("partition").asInt() == record.partition()
                        && parked.get("offset").asLong() == record.offset())
                .findFirst();
    }

    private double parkedCount(String failureCode) {
        Counter counter = meters.find("paystream.consumer.parked").tags("consumer", CONSUMER, "failure_code", failureCode).counter();
        return counter == null ? 0 : counter.count();
    }

    private String prometheus() {
        // The page lists the Kafka client's metrics per partition of both topics: more than the client's default 64 KiB buffer.
        return web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
