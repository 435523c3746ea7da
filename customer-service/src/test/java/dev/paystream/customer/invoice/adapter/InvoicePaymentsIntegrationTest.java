package dev.paystream.customer.invoice.adapter;

import static dev.paystream.customer.support.PaymentsTopic.captured;
import static dev.paystream.customer.support.PaymentsTopic.newPaymentId;
import static dev.paystream.customer.support.PaymentsTopic.publish;
import static dev.paystream.customer.support.PaymentsTopic.refunded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.customer.support.CustomerServiceTest;
import dev.paystream.customer.support.PaymentsTopic.PaymentEvent;
import dev.paystream.events.EventTypes;
import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import dev.paystream.testsupport.EventSchemas;
import dev.paystream.testsupport.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Invoices paid by the payment events on {@code paystream.payments.v1}, as payment-service publishes
 * them: captures pay, refunds take back, each exactly once, and what cannot be applied is parked for
 * the operator while the invoice stays as it was. The invoice's own events are read back from Kafka.
 */
class InvoicePaymentsIntegrationTest extends CustomerServiceTest {

    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(30);

    @Autowired
    private MeterRegistry meters;

    @Test
    void twoPartialPaymentsPayTheInvoiceARefundReopensItAndItCanNoLongerBeEditedOrVoided() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        String first = newPaymentId();
        String second = newPaymentId();

        publish(captured(merchant, first, invoice, 4000, "USD"));
        JsonNode partlyPaid = awaitInvoice(merchant, invoice, shown -> shown.get("amount_paid").asLong() == 4000);
        assertThat(partlyPaid.get("status").asString()).isEqualTo("open");
        assertThat(partlyPaid.get("amount_due").asLong()).isEqualTo(6000);
        patch(merchant, "/v1/invoices/" + invoice, Map.of("amount", 5000)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_not_editable");
        post(merchant, "/v1/invoices/" + invoice + "/void", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_not_voidable");

        publish(captured(merchant, second, invoice, 6000, "USD"));
        JsonNode paid = awaitInvoice(merchant, invoice, shown -> shown.get("status").asString().equals("paid"));
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(10000);
        assertThat(paid.get("amount_due").asLong()).isZero();

        publish(refunded(merchant, second, invoice, "re_0partlyback", 1000, "USD", 6000, 0));
        JsonNode reopened = awaitInvoice(merchant, invoice, shown -> shown.get("status").asString().equals("open"));
        assertThat(reopened.get("amount_paid").asLong()).isEqualTo(9000);
        assertThat(reopened.get("amount_due").asLong()).isEqualTo(1000);
        post(merchant, "/v1/invoices/" + invoice + "/void", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_not_voidable");
        assertThat(getJson(merchant, "/v1/invoices?status=open").get("data").findValuesAsString("id")).contains(invoice);

        JsonNode payments = getJson(merchant, "/v1/invoices/" + invoice + "/payments").get("data");
        assertThat(payments.findValuesAsString("payment_id")).containsExactlyInAnyOrder(first, second);
        JsonNode refundedPayment = payments.get(payments.get(0).get("payment_id").asString().equals(second) ? 0 : 1);
        assertThat(refundedPayment.get("amount_applied").asLong()).isEqualTo(6000);
        assertThat(refundedPayment.get("amount_reversed").asLong()).isEqualTo(1000);
        assertThat(refundedPayment.get("currency").asString()).isEqualTo("USD");
        assertThat(refundedPayment.get("applied_at").asString()).isNotEmpty();
        assertThat(refundedPayment.get("reversed_at").asString()).isNotEmpty();
    }

    @Test
    void theInvoicesEventsArePublishedInOrderWithTheirSchemasAndCarryWhatAProjectionNeeds() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        String payment = newPaymentId();
        patch(merchant, "/v1/invoices/" + invoice, Map.of("amount", 8000, "description", "Edited")).expectStatus().isOk();
        publish(captured(merchant, payment, invoice, 8000, "USD"));
        awaitInvoice(merchant, invoice, shown -> shown.get("status").asString().equals("paid"));
        publish(refunded(merchant, payment, invoice, "re_0allback", 8000, "USD", 8000, 0));
        awaitInvoice(merchant, invoice, shown -> shown.get("amount_paid").asLong() == 0);
        post(merchant, "/v1/invoices/" + invoice + "/void", null).expectStatus().isOk();

        List<ConsumerRecord<String, String>> records = readTopicUntil(Topics.INVOICES, read -> ofInvoice(read, invoice).size() >= 7);
        List<ConsumerRecord<String, String>> mine = ofInvoice(records, invoice);

        assertThat(mine).allSatisfy(record -> {
            String type = JSON.readTree(record.value()).get("type").asString();
            assertThat(EventSchemas.violations(type, record.value())).isEmpty();
            assertThat(new String(record.headers().lastHeader(RecordHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8)).isEqualTo(type);
        });
        List<JsonNode> envelopes = mine.stream().map(record -> JSON.readTree(record.value())).toList();
        assertThat(envelopes).extracting(envelope -> envelope.get("type").asString()).containsExactly("invoice.created", "invoice.updated",
                "invoice.payment_applied", "invoice.paid", "invoice.payment_reversed", "invoice.reopened", "invoice.voided");
        assertThat(envelopes).extracting(envelope -> envelope.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(envelopes).allSatisfy(envelope -> assertThat(envelope.get("merchant_id").asString()).isEqualTo(merchant));
        JsonNode created = envelopes.get(0).at("/data/invoice");
        assertThat(created.get("customer_id").asString()).startsWith("cust-");
        assertThat(created.get("amount").asLong()).isEqualTo(10000);
        assertThat(created.get("amount_due").asLong()).isEqualTo(10000);
        assertThat(created.get("currency").asString()).isEqualTo("USD");
        assertThat(created.get("status").asString()).isEqualTo("open");
        assertThat(envelopes.get(1).at("/data/updated_fields").toString()).isEqualTo("[\"amount\",\"description\"]");
        assertThat(envelopes.get(2).at("/data/payment_id").asString()).isEqualTo(payment);
        assertThat(envelopes.get(2).at("/data/amount").asLong()).isEqualTo(8000);
        assertThat(envelopes.get(3).at("/data/invoice/status").asString()).isEqualTo("paid");
        assertThat(envelopes.get(4).at("/data/refund_id").asString()).isEqualTo("re_0allback");
        assertThat(envelopes.get(5).at("/data/invoice/amount_due").asLong()).isEqualTo(8000);
        assertThat(envelopes.get(6).at("/data/invoice")).isEqualTo(getJson(merchant, "/v1/invoices/" + invoice));
    }

    @Test
    void aRedeliveredCaptureOrRefundCountsOnce() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        String payment = newPaymentId();
        PaymentEvent capture = captured(merchant, payment, invoice, 5000, "USD");
        PaymentEvent refund = refunded(merchant, payment, invoice, "re_0once", 1000, "USD", 5000, 0);

        publish(capture);
        publish(capture);
        publish(refund);
        publish(refund);
        // Same key, same partition, in order: once this refund is applied, everything before it was read.
        publish(refunded(merchant, payment, invoice, "re_0marker", 1, "USD", 5000, 1000));

        // The marker's 1 makes what is reversed odd: once it is, the marker and everything before it were read.
        // (Waiting on amount_paid alone would pass at once: 0 is below what is expected before anything was applied.)
        JsonNode applied = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> getJson(merchant, "/v1/invoices/" + invoice + "/payments").get("data"),
                        data -> data.size() == 1 && data.get(0).get("amount_reversed").asLong() % 2 == 1)
                .get(0);
        assertThat(getJson(merchant, "/v1/invoices/" + invoice).get("amount_paid").asLong()).isEqualTo(5000 - 1000 - 1);
        assertThat(applied.get("amount_applied").asLong()).isEqualTo(5000);
        assertThat(applied.get("amount_reversed").asLong()).isEqualTo(1001);
        // Recognised as applied before (the claim of its event id), not refused by the invoice and parked.
        assertThat(parkedEventIds()).doesNotContain(capture.id(), refund.id());
    }

    @Test
    void aCaptureRacingTheMerchantsEditsOfItsInvoiceIsAppliedNeverParked() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        PaymentEvent capture = captured(merchant, newPaymentId(), invoice, 1000, "USD");
        AtomicBoolean applied = new AtomicBoolean();
        // Several editors at once, so that the consumer's append to the invoice meets theirs.
        List<CompletableFuture<List<Integer>>> editors = IntStream.range(0, 4).mapToObj(editor -> CompletableFuture.supplyAsync(() -> {
            List<Integer> statuses = new ArrayList<>();
            for (int edit = 0; !applied.get() && edit < 500; edit++) {
                statuses.add(patch(merchant, "/v1/invoices/" + invoice, Map.of("metadata", Map.of("edit", editor + "-" + edit)))
                        .returnResult(byte[].class).getStatus().value());
            }
            return statuses;
        })).toList();

        publish(capture);
        awaitInvoice(merchant, invoice, shown -> shown.get("amount_paid").asLong() == 1000);
        applied.set(true);

        assertThat(editors).allSatisfy(editor -> assertThat(editor.join()).isSubsetOf(200, 409));
        assertThat(getJson(merchant, "/v1/invoices/" + invoice).get("amount_paid").asLong()).isEqualTo(1000);
        assertThat(parkedEventIds()).doesNotContain(capture.id());
    }

    @Test
    void aCaptureThatCannotPayTheInvoiceIsParkedForTheOperatorAndChangesNothing() {
        String merchant = newMerchantId();
        String voided = anInvoice(merchant, 10000);
        post(merchant, "/v1/invoices/" + voided + "/void", null).expectStatus().isOk();
        String open = anInvoice(merchant, 10000);
        PaymentEvent ofVoid = captured(merchant, newPaymentId(), voided, 1000, "USD");
        PaymentEvent inEuros = captured(merchant, newPaymentId(), open, 1000, "EUR");
        PaymentEvent tooMuch = captured(merchant, newPaymentId(), open, 10001, "USD");
        PaymentEvent ofAStranger = captured(newMerchantId(), newPaymentId(), open, 1000, "USD");
        PaymentEvent unknownInvoice = captured(merchant, newPaymentId(), "inv_never_issued", 1000, "USD");
        List<PaymentEvent> refused = List.of(ofVoid, inEuros, tooMuch, ofAStranger, unknownInvoice);

        refused.forEach(event -> publish(event));

        Map<String, JsonNode> parked = awaitParked(refused);
        assertThat(parked.get(ofVoid.id()).get("failure_message").asString()).contains("invoice_not_open").contains(voided);
        assertThat(parked.get(inEuros.id()).get("failure_message").asString()).contains("currency_mismatch");
        assertThat(parked.get(tooMuch.id()).get("failure_message").asString()).contains("amount_exceeds_due");
        assertThat(parked.get(ofAStranger.id()).get("failure_message").asString()).contains("does not have");
        assertThat(parked.get(unknownInvoice.id()).get("failure_message").asString()).contains("inv_never_issued");
        assertThat(parked.values()).allSatisfy(event -> {
            assertThat(event.get("failure_code").asString()).isEqualTo("refused");
            assertThat(event.get("consumer").asString()).isEqualTo("invoice-payments");
            assertThat(event.get("status").asString()).isEqualTo("parked");
        });
        JsonNode stillVoid = getJson(merchant, "/v1/invoices/" + voided);
        assertThat(stillVoid.get("status").asString()).isEqualTo("void");
        assertThat(stillVoid.get("amount_paid").asLong()).isZero();
        assertThat(getJson(merchant, "/v1/invoices/" + open).get("amount_paid").asLong()).isZero();
        assertThat(getJson(merchant, "/v1/invoices/" + open + "/payments").get("data").isEmpty()).isTrue();
    }

    @Test
    void aParkedCaptureIsAppliedWhenReDrivenOnceItsCauseIsFixed() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        PaymentEvent tooMuch = captured(merchant, newPaymentId(), invoice, 12000, "USD");
        publish(tooMuch);
        String parkedId = awaitParked(List.of(tooMuch)).get(tooMuch.id()).get("id").asString();

        patch(merchant, "/v1/invoices/" + invoice, Map.of("amount", 12000)).expectStatus().isOk();
        asOperator().post().uri("/v1/invoices/parked-events/{id}/redrive", parkedId).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("resolved");

        JsonNode paid = getJson(merchant, "/v1/invoices/" + invoice);
        assertThat(paid.get("status").asString()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(12000);
        asOperator().post().uri("/v1/invoices/parked-events/{id}/redrive", parkedId).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("resolved");
        assertThat(getJson(merchant, "/v1/invoices/" + invoice).get("amount_paid").asLong()).isEqualTo(12000);
    }

    @Test
    void paymentEventsOfOtherTypesThanCapturesAndRefundsAreSkippedUnreadAndTheCaptureBehindThemIsApplied() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        String payment = newPaymentId();
        // An envelope no database column holds (year 0), behind a type header that says payment.authorized:
        // were it read, it would be parked under its id.
        String unreadable = "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        TestKafka.publish(Topics.PAYMENTS, payment, unreadable, EventTypes.PAYMENT_AUTHORIZED,
                "{\"id\":\"" + unreadable + "\",\"type\":\"payment.authorized\",\"occurred_at\":\"0000-01-01T00:00:00Z\"}");
        publish(captured(merchant, payment, invoice, 2500, "USD"));

        awaitInvoice(merchant, invoice, shown -> shown.get("amount_paid").asLong() == 2500);

        assertThat(parkedEventIds()).doesNotContain(unreadable);
        // Counted once the poll returned, which may be just after its invoice was paid.
        await().atMost(APPLIED_WITHIN).until(() -> meters.find("paystream.consumer.records")
                .tags("consumer", "invoice-payments", "outcome", "skipped").counter(), counter -> counter != null && counter.count() > 0);
    }

    @Test
    void parkedEventsAreForOperatorsOnly() {
        as(newMerchantId()).get().uri("/v1/invoices/parked-events").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("admin_key_required");
    }

    private List<String> parkedEventIds() {
        JsonNode page = JSON.readTree(asOperator().get().uri("/v1/invoices/parked-events?limit=100").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        return page.get("data").findValuesAsString("event_id");
    }

    private JsonNode awaitInvoice(String merchant, String invoice, Predicate<JsonNode> condition) {
        return await().atMost(APPLIED_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> getJson(merchant, "/v1/invoices/" + invoice), condition::test);
    }

    /** The parked events of {@code events}, by event id, once each is parked. */
    private Map<String, JsonNode> awaitParked(List<PaymentEvent> events) {
        List<String> ids = events.stream().map(PaymentEvent::id).toList();
        return await().atMost(APPLIED_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode page = JSON.readTree(asOperator().get().uri("/v1/invoices/parked-events?status=parked&limit=100").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            Map<String, JsonNode> parked = new HashMap<>();
            page.get("data").forEach(event -> {
                if (ids.contains(event.get("event_id").asString())) {
                    parked.put(event.get("event_id").asString(), event);
                }
            });
            return parked;
        }, parked -> parked.size() == ids.size());
    }

    private static List<ConsumerRecord<String, String>> ofInvoice(List<ConsumerRecord<String, String>> records, String invoice) {
        return records.stream().filter(record -> record.key().equals(invoice)).toList();
    }
}
