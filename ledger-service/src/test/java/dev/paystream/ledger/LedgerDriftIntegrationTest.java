package dev.paystream.ledger;

import static dev.paystream.ledger.support.PaymentEvents.captured;
import static dev.paystream.ledger.support.PaymentEvents.newMerchantId;
import static dev.paystream.ledger.support.PaymentEvents.newPaymentId;
import static dev.paystream.ledger.support.PaymentEvents.newPayoutId;
import static dev.paystream.ledger.support.PaymentEvents.newSettlementId;
import static dev.paystream.ledger.support.PaymentEvents.payout;
import static dev.paystream.ledger.support.PaymentEvents.refunded;
import static dev.paystream.ledger.support.PaymentEvents.settled;
import static dev.paystream.ledger.support.PaymentEvents.settlementCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.events.EventTypes;
import dev.paystream.ledger.support.Broker;
import dev.paystream.ledger.support.TestEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The ledger's drift checks (ADR 0006): what it can verify from the events alone, as
 * {@code GET /v1/ledger/drift} and the gauge {@code paystream.ledger.drift{check,currency}}. The test
 * database is shared by every test class, so the endpoint is asked about one merchant at a time.
 */
class LedgerDriftIntegrationTest extends LedgerIntegrationTestBase {

    private static final Instant CAPTURED_AT = Instant.parse("2026-11-23T10:00:00Z");

    @Autowired
    MeterRegistry meters;

    @Test
    void aWholeLifeOfPaymentsRefundsSettlementsAndPayoutsThatAddsUpShowsNoDriftInAnyCheck() {
        String merchantId = newMerchantId();
        String first = newPaymentId();
        String second = newPaymentId();
        String settlementId = newSettlementId();
        Instant settledAt = CAPTURED_AT.plusSeconds(3600);
        String payoutId = newPayoutId();
        consumed(captured(merchantId, first, 5001, "USD", CAPTURED_AT),
                captured(merchantId, second, 9999, "USD", CAPTURED_AT),
                refunded(merchantId, first, 5001, 1000, 1000, "USD", CAPTURED_AT.plusSeconds(60)),
                settled(merchantId, first, settlementId, 5001, 175, "USD", settledAt),
                settled(merchantId, second, settlementId, 9999, 320, "USD", settledAt),
                settlementCompleted(merchantId, settlementId, 2, 1, 15000, 1000, 495, "USD", settledAt),
                // A refund of a settled payment: in pending until the next batch settles it.
                refunded(merchantId, second, 9999, 700, 700, "USD", settledAt.plusSeconds(60)),
                payout(EventTypes.PAYOUT_CREATED, merchantId, payoutId, 1002, "USD", settledAt.plusSeconds(61)),
                payout(EventTypes.PAYOUT_FAILED, merchantId, payoutId, 1002, "USD", settledAt.plusSeconds(62)));

        JsonNode beforeTheNextBatch = drift(merchantId);
        consumed(settlementCompleted(merchantId, newSettlementId(), 0, 1, 0, 700, 0, "USD", settledAt.plusSeconds(86400)));
        JsonNode afterIt = drift(merchantId);

        for (JsonNode drift : List.of(beforeTheNextBatch, afterIt)) {
            assertThat(drift.get("drift").asLong()).isZero();
            assertThat(figures(drift)).isEqualTo(Map.of(
                    "trial_balance USD", 0L, "settlement_gross USD", 0L, "settlement_fees USD", 0L,
                    "settled_captures USD", 0L, "settlement_refunds USD", 0L, "merchant_pending USD", 0L));
            assertThat(drift.get("checks").valueStream().allMatch(check -> check.get("differing").asLong() == 0
                    && check.get("largest").isEmpty() && !check.get("description").asString().isBlank())).isTrue();
        }
    }

    @Test
    void aBatchWhoseTotalsArePaymentServicesAndNotTheSumOfItsPaymentsIsDriftNamedByCheckCurrencyAndSettlement() {
        String merchantId = newMerchantId();
        String paymentId = newPaymentId();
        String settlementId = newSettlementId();
        consumed(captured(merchantId, paymentId, 5000, "CHF", CAPTURED_AT),
                settled(merchantId, paymentId, settlementId, 5000, 175, "CHF", CAPTURED_AT.plusSeconds(60)),
                // 100 more than its payment, with a fee 5 higher than the payment's.
                settlementCompleted(merchantId, settlementId, 1, 0, 5100, 0, 180, "CHF", CAPTURED_AT.plusSeconds(60)));

        JsonNode drift = drift(merchantId);

        assertThat(figures(drift)).isEqualTo(Map.of(
                "trial_balance CHF", 0L, "settlement_gross CHF", 100L, "settlement_fees CHF", 5L,
                "settled_captures CHF", 0L, "settlement_refunds CHF", 0L,
                // The batch moved 5100 out of pending, where only 5000 of settled captures were.
                "merchant_pending CHF", 100L));
        assertThat(drift.get("drift").asLong()).isEqualTo(205);
        JsonNode gross = check(drift, "settlement_gross");
        assertThat(gross.get("differing").asLong()).isOne();
        assertThat(gross.get("largest").get(0).get("merchant_id").asString()).isEqualTo(merchantId);
        assertThat(gross.get("largest").get(0).get("subject").asString()).isEqualTo(settlementId);
        assertThat(gross.get("largest").get(0).get("amount").asLong()).isEqualTo(100);
        // The gauge has no merchant tag: across merchants, at least this one's drift, in the same currency and check.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(gauge("settlement_gross", "CHF")).isGreaterThanOrEqualTo(100);
            assertThat(gauge("settlement_fees", "CHF")).isGreaterThanOrEqualTo(5);
        });
        assertThat(meters.find("paystream.ledger.drift").gauges()).allSatisfy(gauge ->
                // Beside the common tag application: check and currency, never a merchant.
                assertThat(gauge.getId().getTags()).extracting(tag -> tag.getKey()).containsExactlyInAnyOrder("application", "check", "currency"));
    }

    @Test
    void aSettledPaymentWithoutItsCaptureAndABatchWithRefundsNeverPostedAreDrift() {
        String merchantId = newMerchantId();
        String paymentId = newPaymentId();
        String settlementId = newSettlementId();
        String unknownPayment = newPaymentId();
        consumed(captured(merchantId, paymentId, 3000, "SEK", CAPTURED_AT),
                settled(merchantId, paymentId, settlementId, 3000, 117, "SEK", CAPTURED_AT.plusSeconds(60)),
                // A payment the ledger never saw captured, settled in the same batch; and 250 of refunds it never saw.
                settled(merchantId, unknownPayment, settlementId, 700, 50, "SEK", CAPTURED_AT.plusSeconds(60)),
                settlementCompleted(merchantId, settlementId, 2, 1, 3700, 250, 167, "SEK", CAPTURED_AT.plusSeconds(60)));

        JsonNode drift = drift(merchantId);

        assertThat(figures(drift)).isEqualTo(Map.of(
                "trial_balance SEK", 0L, "settlement_gross SEK", 0L, "settlement_fees SEK", 0L,
                "settled_captures SEK", 700L, "settlement_refunds SEK", 250L,
                // Pending: 3000 captured - 3450 moved out by the batch = -450; what should be there: 0 unsettled captures
                // - (0 refunds posted - 250 settled) = 250. 700 apart.
                "merchant_pending SEK", 700L));
        assertThat(check(drift, "settled_captures").get("largest").get(0).get("subject").asString()).isEqualTo(unknownPayment);
    }

    @Test
    void aRedeliveredSettlementEventAddsNoSecondFact() {
        String merchantId = newMerchantId();
        String paymentId = newPaymentId();
        String settlementId = newSettlementId();
        TestEvent captured = captured(merchantId, paymentId, 1234, "NOK", CAPTURED_AT);
        TestEvent paymentSettled = settled(merchantId, paymentId, settlementId, 1234, 66, "NOK", CAPTURED_AT.plusSeconds(60));
        TestEvent batch = settlementCompleted(merchantId, settlementId, 1, 0, 1234, 0, 66, "NOK", CAPTURED_AT.plusSeconds(60));
        consumed(captured, paymentSettled, batch, paymentSettled, batch);

        assertThat(drift(merchantId).get("drift").asLong()).isZero();
        assertThat(figures(drift(merchantId))).containsEntry("settlement_gross NOK", 0L).containsEntry("merchant_pending NOK", 0L);
        assertThat(count("SELECT count(*) FROM settled_payments WHERE payment_id = :id", paymentId)).isOne();
        assertThat(count("SELECT count(*) FROM settlement_batches WHERE settlement_id = :id", settlementId)).isOne();
    }

    @Test
    void onlyTheOperatorMayAskAndAMerchantIdWithAControlCharacterIsRefused() {
        getAsMerchant(newMerchantId(), "/v1/ledger/drift").expectStatus().isForbidden();
        getAsOperator(uri -> uri.path("/v1/ledger/drift").queryParam("merchant_id", "mer_\u0001").build()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("merchant_id");
        assertThat(okJson(getAsOperator("/v1/ledger/drift?merchant_id=" + newMerchantId())).get("checks")).isEmpty();
    }

    /** Publishes {@code events} in order and waits until the ledger has consumed each (they are on two topics). */
    private static void consumed(TestEvent... events) {
        List.of(events).stream().map(Broker::publish).toList().forEach(Broker::awaitConsumed);
    }

    private JsonNode drift(String merchantId) {
        return okJson(getAsOperator("/v1/ledger/drift?merchant_id=" + merchantId));
    }

    private static JsonNode check(JsonNode drift, String name) {
        return drift.get("checks").valueStream().filter(check -> check.get("check").asString().equals(name)).findFirst().orElseThrow();
    }

    /** "check currency" → amount, in the endpoint's order. */
    private static Map<String, Long> figures(JsonNode drift) {
        Map<String, Long> figures = new LinkedHashMap<>();
        drift.get("checks").forEach(check -> figures.put(check.get("check").asString() + " " + check.get("currency").asString(),
                check.get("amount").asLong()));
        return figures;
    }

    private double gauge(String check, String currency) {
        Gauge gauge = meters.find("paystream.ledger.drift").tags("check", check, "currency", currency).gauge();
        return gauge == null ? -1 : gauge.value();
    }
}
