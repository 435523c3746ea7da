package dev.paystream.ledger;

import static dev.paystream.ledger.support.PaymentEvents.authorized;
import static dev.paystream.ledger.support.PaymentEvents.captured;
import static dev.paystream.ledger.support.PaymentEvents.newMerchantId;
import static dev.paystream.ledger.support.PaymentEvents.newPaymentId;
import static dev.paystream.ledger.support.PaymentEvents.newPayoutId;
import static dev.paystream.ledger.support.PaymentEvents.newSettlementId;
import static dev.paystream.ledger.support.PaymentEvents.payout;
import static dev.paystream.ledger.support.PaymentEvents.refunded;
import static dev.paystream.ledger.support.PaymentEvents.settled;
import static dev.paystream.ledger.support.PaymentEvents.settlementCompleted;
import static dev.paystream.ledger.support.PaymentEvents.withoutCapture;
import static dev.paystream.ledger.support.Broker.awaitConsumed;
import static dev.paystream.ledger.support.Broker.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.events.EventTypes;
import dev.paystream.ledger.journal.application.EventPosting;
import dev.paystream.ledger.journal.application.PostingOutcome;
import dev.paystream.ledger.support.PaymentEvents;
import dev.paystream.ledger.support.Broker;
import dev.paystream.ledger.support.TestEvent;
import dev.paystream.platform.consumer.IncomingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Payment events published to the real broker, and what the ledger's API shows of them. */
class LedgerIntegrationTest extends LedgerIntegrationTestBase {

    private static final Instant CAPTURED_AT = Instant.parse("2026-11-23T18:30:01Z");

    @Autowired
    MeterRegistry meters;

    @Autowired
    EventPosting posting;

    private final String merchantId = newMerchantId();
    private final String paymentId = newPaymentId();

    @Test
    void aCapturedPaymentBecomesOneBalancedEntry() {
        publish(authorized(merchantId, paymentId, 5000, "USD", CAPTURED_AT.minusSeconds(1)));
        TestEvent capture = captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT);
        publish(capture);

        JsonNode entry = awaitEntries(merchantId, paymentId, 1).get(0);

        assertThat(entry.get("id").asString()).matches("je_[0-9a-f]{24}");
        assertThat(entry.get("event_id").asString()).isEqualTo(capture.id());
        assertThat(entry.get("payment_id").asString()).isEqualTo(paymentId);
        assertThat(entry.get("created_at").asString()).isEqualTo("2026-11-23T18:30:01Z");
        assertThat(lines(entry)).containsExactly(
                Map.of("account", "customer_funds", "currency", "USD", "debit", 5000L, "credit", 0L),
                Map.of("account", "merchant_pending", "currency", "USD", "debit", 0L, "credit", 5000L));
    }

    @Test
    void theSameEventDeliveredTwiceIsPostedOnce() {
        TestEvent capture = captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT);
        publish(capture);
        RecordMetadata redelivery = publish(capture);

        awaitConsumed(redelivery);

        assertThat(entriesOf(merchantId, paymentId)).hasSize(1);
        assertThat(balance(merchantId, "merchant_pending", "USD")).isEqualTo(5000);
    }

    @Test
    void aBurstOfEventsIsPostedInBatchesEachEventOnce() {
        int payments = 120;
        RecordMetadata last = null;
        for (int index = 0; index < payments; index++) {
            String burstPaymentId = newPaymentId();
            publish(authorized(merchantId, burstPaymentId, 100 + index, "EUR", CAPTURED_AT.minusSeconds(1)));
            TestEvent capture = captured(merchantId, burstPaymentId, 100 + index, "EUR", CAPTURED_AT);
            publish(capture);
            last = publish(capture);
        }

        awaitConsumed(last);

        long expected = 0;
        for (int index = 0; index < payments; index++) {
            expected += 100 + index;
        }
        assertThat(balance(merchantId, "merchant_pending", "EUR")).isEqualTo(expected);
        assertThat(balance(merchantId, "customer_funds", "EUR")).isEqualTo(expected);
        assertThat(count("SELECT count(*) FROM journal_entries WHERE merchant_id = :id", merchantId)).isEqualTo(payments);
        assertThat(count("SELECT count(*) FROM journal_lines WHERE merchant_id = :id", merchantId)).isEqualTo(2L * payments);
    }

    @Test
    void oneBatchPostsEachEventOnceAndTellsWhatItDidWithEach() {
        String otherPaymentId = newPaymentId();
        IncomingEvent capture = captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT).incoming();
        IncomingEvent authorization = authorized(merchantId, otherPaymentId, 700, "USD", CAPTURED_AT).incoming();
        IncomingEvent otherCapture = captured(merchantId, otherPaymentId, 700, "USD", CAPTURED_AT).incoming();

        assertThat(posting.applyAll(List.of(capture, capture, authorization)).block())
                .containsExactly(PostingOutcome.POSTED, PostingOutcome.DUPLICATE, PostingOutcome.NO_MONEY_MOVED);
        assertThat(posting.applyAll(List.of(authorization, otherCapture, capture)).block())
                .containsExactly(PostingOutcome.DUPLICATE, PostingOutcome.POSTED, PostingOutcome.DUPLICATE);

        assertThat(entriesOf(merchantId, paymentId)).hasSize(1);
        assertThat(entriesOf(merchantId, otherPaymentId)).hasSize(1);
        assertThat(balance(merchantId, "merchant_pending", "USD")).isEqualTo(5700);
    }

    @Test
    void anotherMerchantSeesNothingOfIt() {
        publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT));
        String entryId = awaitEntries(merchantId, paymentId, 1).get(0).get("id").asString();
        String otherMerchantId = newMerchantId();

        assertThat(entriesOf(otherMerchantId, paymentId)).isEmpty();
        assertThat(okJson(getAsMerchant(otherMerchantId, "/v1/ledger/entries")).get("data")).isEmpty();
        assertThat(okJson(getAsMerchant(otherMerchantId, "/v1/ledger/balances")).get("data")).isEmpty();
        getAsMerchant(otherMerchantId, "/v1/ledger/entries?starting_after=" + entryId)
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("starting_after");
    }

    @Test
    void anAuthorizationAloneGivesNoEntryButIsClaimed() {
        TestEvent authorization = authorized(merchantId, paymentId, 5000, "USD", CAPTURED_AT);

        awaitConsumed(publish(authorization));

        assertThat(entriesOf(merchantId, paymentId)).isEmpty();
        assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", authorization.id())).isOne();
    }

    @Test
    void aCaptureRefundedInTwoPartsGivesThreeBalancedEntriesAndARedeliveredRefundIsPostedOnce() {
        TestEvent capture = captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT);
        TestEvent firstRefund = refunded(merchantId, paymentId, 5000, 1000, 1000, "USD", CAPTURED_AT.plusSeconds(60));
        TestEvent secondRefund = refunded(merchantId, paymentId, 5000, 3000, 4000, "USD", CAPTURED_AT.plusSeconds(120));
        publish(capture);
        publish(firstRefund);
        publish(secondRefund);
        RecordMetadata redelivery = publish(secondRefund);

        awaitEntries(merchantId, paymentId, 3);
        awaitConsumed(redelivery);

        JsonNode entries = entriesOf(merchantId, paymentId);
        assertThat(entries.valueStream().map(entry -> entry.get("event_id").asString()).toList())
                .containsExactly(secondRefund.id(), firstRefund.id(), capture.id());
        assertThat(lines(entries.get(0))).containsExactly(
                Map.of("account", "merchant_pending", "currency", "USD", "debit", 3000L, "credit", 0L),
                Map.of("account", "customer_funds", "currency", "USD", "debit", 0L, "credit", 3000L));
        assertThat(lines(entries.get(1))).containsExactly(
                Map.of("account", "merchant_pending", "currency", "USD", "debit", 1000L, "credit", 0L),
                Map.of("account", "customer_funds", "currency", "USD", "debit", 0L, "credit", 1000L));
        assertThat(entries.valueStream().map(LedgerIntegrationTest::lines).toList()).allSatisfy(lines ->
                assertThat(lines.stream().mapToLong(line -> (Long) line.get("debit")).sum())
                        .isEqualTo(lines.stream().mapToLong(line -> (Long) line.get("credit")).sum()));
        // Both accounts are reported on their normal side: 5000 came in, 4000 went back, 1000 remains owed.
        assertThat(balances(merchantId)).containsExactly(
                List.of("USD", "customer_funds", 1000L, 5000L, 4000L),
                List.of("USD", "merchant_pending", 1000L, 4000L, 5000L));
        assertThat(okJson(getAsOperator("/v1/ledger/trial-balance")).get("balanced").asBoolean()).isTrue();
    }

    @Test
    void settlementsAndPayoutsMoveTheMoneyThroughTheChartAndEveryEntryIsListedByItsObject() {
        String otherPaymentId = newPaymentId();
        String settlementId = newSettlementId();
        String laterSettlementId = newSettlementId();
        String paidPayoutId = newPayoutId();
        String failedPayoutId = newPayoutId();
        Instant settledAt = CAPTURED_AT.plusSeconds(3600);
        double batchesBefore = postings("settlement.completed");
        double payoutsBefore = postings("payout.created");
        publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT));
        publish(captured(merchantId, otherPaymentId, 10000, "USD", CAPTURED_AT));
        publish(refunded(merchantId, paymentId, 5000, 1000, 1000, "USD", CAPTURED_AT.plusSeconds(60)));
        publish(settled(merchantId, paymentId, settlementId, 5000, 175, "USD", settledAt));
        publish(settled(merchantId, otherPaymentId, settlementId, 10000, 320, "USD", settledAt));
        TestEvent batch = settlementCompleted(merchantId, settlementId, 2, 1, 15000, 1000, 495, "USD", settledAt);
        publish(batch);
        publish(payout(EventTypes.PAYOUT_CREATED, merchantId, paidPayoutId, 2500, "USD", settledAt.plusSeconds(60)));
        publish(payout(EventTypes.PAYOUT_PAID, merchantId, paidPayoutId, 2500, "USD", settledAt.plusSeconds(61)));
        publish(payout(EventTypes.PAYOUT_CREATED, merchantId, failedPayoutId, 1002, "USD", settledAt.plusSeconds(62)));
        publish(payout(EventTypes.PAYOUT_FAILED, merchantId, failedPayoutId, 1002, "USD", settledAt.plusSeconds(63)));
        // A refund of a payment settled earlier comes out of pending and is settled by the next batch.
        publish(refunded(merchantId, otherPaymentId, 10000, 500, 500, "USD", settledAt.plusSeconds(120)));
        publish(settlementCompleted(merchantId, laterSettlementId, 0, 1, 0, 500, 0, "USD", settledAt.plusSeconds(86400)));

        // 15000 captured, 1500 refunded; 495 fees; 2500 paid out; 15000 - 1500 - 495 - 2500 available.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(balances(merchantId)).containsExactly(
                List.of("USD", "customer_funds", 13500L, 15000L, 1500L),
                List.of("USD", "merchant_pending", 0L, 15500L, 15500L),
                List.of("USD", "merchant_available", 10505L, 4002L, 14507L),
                List.of("USD", "fees", 495L, 0L, 495L),
                List.of("USD", "payouts", 2500L, 1002L, 3502L)));

        JsonNode batchEntries = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?settlement_id=" + settlementId)).get("data");
        assertThat(batchEntries).hasSize(1);
        assertThat(batchEntries.get(0).get("event_id").asString()).isEqualTo(batch.id());
        assertThat(batchEntries.get(0).get("settlement_id").asString()).isEqualTo(settlementId);
        assertThat(batchEntries.get(0).get("payment_id").isNull()).isTrue();
        assertThat(lines(batchEntries.get(0))).containsExactly(
                Map.of("account", "merchant_pending", "currency", "USD", "debit", 14000L, "credit", 0L),
                Map.of("account", "merchant_available", "currency", "USD", "debit", 0L, "credit", 13505L),
                Map.of("account", "fees", "currency", "USD", "debit", 0L, "credit", 495L));
        JsonNode failedPayout = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?payout_id=" + failedPayoutId)).get("data");
        assertThat(failedPayout.valueStream().map(entry -> lines(entry).get(0).get("account")).toList())
                .containsExactly("payouts", "merchant_available");
        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/entries?payout_id=" + paidPayoutId)).get("data")).hasSize(1);
        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/entries?account=fees")).get("data").valueStream()
                .map(entry -> entry.get("settlement_id").asString()).toList()).containsExactly(settlementId);
        assertThat(entriesOf(merchantId, otherPaymentId)).hasSize(2);
        assertThat(okJson(getAsOperator("/v1/ledger/trial-balance")).get("balanced").asBoolean()).isTrue();
        assertThat(postings("settlement.completed")).isEqualTo(batchesBefore + 2);
        assertThat(postings("payout.created")).isEqualTo(payoutsBefore + 2);
    }

    private double postings(String eventType) {
        return meters.counter("paystream.ledger.postings", "event_type", eventType).count();
    }

    @Test
    void paymentsThatNeverCapturedAreClaimedByTheirOwnRulesAndGiveNoEntry() {
        List<String> types = List.of(EventTypes.PAYMENT_PROCESSING, EventTypes.PAYMENT_DECLINED, EventTypes.PAYMENT_FAILED,
                EventTypes.PAYMENT_CANCELED);
        List<Double> claimedBefore = types.stream().map(this::claimedWithoutMoney).toList();
        List<TestEvent> events = types.stream()
                .map(type -> withoutCapture(type, merchantId, newPaymentId(), 5000, "USD", CAPTURED_AT))
                .toList();

        events.stream().map(Broker::publish).toList().forEach(Broker::awaitConsumed);

        for (TestEvent event : events) {
            assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", event.id())).as(event.type()).isOne();
            assertThat(count("SELECT count(*) FROM journal_entries WHERE event_id = :id", event.id())).as(event.type()).isZero();
        }
        // Counted under their own type, not as "other": the table knows them.
        assertThat(types.stream().map(this::claimedWithoutMoney).toList())
                .containsExactlyElementsOf(claimedBefore.stream().map(before -> before + 1).toList());
        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/balances")).get("data")).isEmpty();
    }

    @Test
    void anEventOfATypeWithoutARuleIsClaimedAndChangesNothing() {
        TestEvent payout = PaymentEvents.event("payment.disputed", 1, merchantId, paymentId, CAPTURED_AT,
                Map.of("amount", 2500, "currency", "USD", "payout", Map.of("id", "po_1", "status", "paid"), "added_later", true));

        awaitConsumed(publish(payout));

        assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", payout.id())).isOne();
        assertThat(count("SELECT count(*) FROM journal_entries WHERE event_id = :id", payout.id())).isZero();
        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/balances")).get("data")).isEmpty();
    }

    @Test
    void aRecordThatIsNoEventIsSkippedAndTheEventsBehindItArePosted() {
        RecordMetadata garbage = publish(new TestEvent(null, null, paymentId, "{\"amount\": 5000, not json"));
        publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT));

        awaitEntries(merchantId, paymentId, 1);
        awaitConsumed(garbage);
    }

    @Test
    void aCaptureThatBreaksItsContractIsKeptAsRejectedAndNotClaimed() {
        TestEvent zeroCapture = captured(merchantId, paymentId, 0, "USD", CAPTURED_AT);

        awaitConsumed(publish(zeroCapture));

        assertThat(entriesOf(merchantId, paymentId)).isEmpty();
        assertThat(count("SELECT count(*) FROM processed_events WHERE event_id = :id", zeroCapture.id())).isZero();
        String reason = database.sql("SELECT reason FROM rejected_events WHERE event_id = :id").bind("id", zeroCapture.id())
                .map(row -> row.get("reason", String.class)).one().block();
        assertThat(reason).isEqualTo("amount must be a positive integer");
    }

    @Test
    void aCaptureThatFailsToApplyIsRetriedUntilItAppliesAndIsNotAcknowledgedBefore() throws Exception {
        // A database outage for this payment alone: every insert of its entry fails until the trigger goes.
        database.sql("""
                CREATE FUNCTION simulated_outage() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payment_id = TG_ARGV[0] THEN RAISE EXCEPTION 'simulated outage'; END IF;
                    RETURN NEW;
                END; $$""").then().block();
        database.sql("CREATE TRIGGER simulated_outage BEFORE INSERT ON journal_entries FOR EACH ROW EXECUTE FUNCTION simulated_outage('"
                + paymentId + "')").then().block();
        RecordMetadata capture;
        try {
            double retriesBefore = meters.counter("ledger.events.retries").count();
            capture = publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT));
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.counter("ledger.events.retries").count() >= retriesBefore + 2);

            assertThat(Broker.isConsumed(capture)).as("acknowledged while failing").isFalse();
            assertThat(entriesOf(merchantId, paymentId)).isEmpty();
        } finally {
            database.sql("DROP TRIGGER simulated_outage ON journal_entries").then()
                    .then(database.sql("DROP FUNCTION simulated_outage()").then()).block();
        }

        awaitConsumed(capture);
        assertThat(entriesOf(merchantId, paymentId)).hasSize(1);
    }

    @Test
    void balancesShowEachAccountPerCurrencyOnItsNormalSide() {
        publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT));
        String euroPaymentId = newPaymentId();
        publish(captured(merchantId, euroPaymentId, 700, "EUR", CAPTURED_AT));
        awaitEntries(merchantId, paymentId, 1);
        awaitEntries(merchantId, euroPaymentId, 1);

        assertThat(balances(merchantId)).containsExactly(
                        List.of("EUR", "customer_funds", 700L, 700L, 0L),
                        List.of("EUR", "merchant_pending", 700L, 0L, 700L),
                        List.of("USD", "customer_funds", 5000L, 5000L, 0L),
                        List.of("USD", "merchant_pending", 5000L, 0L, 5000L));
    }

    @Test
    void theTrialBalanceOfAllMerchantsIsBalanced() {
        publish(captured(merchantId, paymentId, 5000, "USD", CAPTURED_AT));
        awaitEntries(merchantId, paymentId, 1);

        JsonNode trialBalance = okJson(getAsOperator("/v1/ledger/trial-balance"));

        assertThat(trialBalance.get("balanced").asBoolean()).isTrue();
        JsonNode usd = trialBalance.get("currencies").valueStream()
                .filter(totals -> totals.get("currency").asString().equals("USD")).findFirst().orElseThrow();
        assertThat(usd.get("debits").asLong()).isGreaterThanOrEqualTo(5000).isEqualTo(usd.get("credits").asLong());
    }

    @Test
    void aMerchantMayNotReadTheTrialBalance() {
        getAsMerchant(merchantId, "/v1/ledger/trial-balance")
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("admin_key_required");
    }

    private JsonNode awaitEntries(String merchantId, String paymentId, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> entriesOf(merchantId, paymentId).size() >= expected);
        JsonNode entries = entriesOf(merchantId, paymentId);
        assertThat(entries).hasSize(expected);
        return entries;
    }

    /** Each of the merchant's balances as [currency, account, balance, debits, credits], in the API's order. */
    private List<List<Object>> balances(String merchantId) {
        return okJson(getAsMerchant(merchantId, "/v1/ledger/balances")).get("data").valueStream()
                .map(balance -> List.<Object>of(balance.get("currency").asString(), balance.get("account").asString(),
                        balance.get("balance").asLong(), balance.get("debits").asLong(), balance.get("credits").asLong()))
                .toList();
    }

    private double claimedWithoutMoney(String type) {
        return meters.counter("ledger.events", "outcome", "no_money_moved", "type", type).count();
    }

    private long balance(String merchantId, String account, String currency) {
        return okJson(getAsMerchant(merchantId, "/v1/ledger/balances")).get("data").valueStream()
                .filter(balance -> balance.get("account").asString().equals(account) && balance.get("currency").asString().equals(currency))
                .findFirst().orElseThrow().get("balance").asLong();
    }

    private static List<Map<String, Object>> lines(JsonNode entry) {
        return entry.get("lines").valueStream().map(line -> Map.<String, Object>of(
                "account", line.get("account").asString(),
                "currency", line.get("currency").asString(),
                "debit", line.get("debit").asLong(),
                "credit", line.get("credit").asLong())).toList();
    }
}
