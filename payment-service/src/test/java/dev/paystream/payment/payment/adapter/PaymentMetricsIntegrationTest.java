package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.testsupport.PrometheusScrape;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The business metrics of CONTRACT §12 on {@code /actuator/prometheus}, as an operator's Prometheus
 * scrapes them: what a payment command committed counts once, with low-cardinality labels only.
 */
class PaymentMetricsIntegrationTest extends PaymentServiceTest {

    private static final Map<String, String> APPROVED_USD_CARD = Map.of("application", "payment-service", "outcome", "authorized",
            "method", "card", "currency", "USD");

    @Test
    void paymentsCountByOutcomeMethodAndCurrencyWithTheirAmountsAndDeclineCodes() {
        String merchant = newMerchantId();
        PrometheusScrape before = PrometheusScrape.of(web);

        String approved = create(merchant, cardPayment(5000, "4242424242424242"), idempotencyKey()).get("id").asString();
        as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(cardPayment(1500, "4000000000009995")).exchange().expectStatus().isEqualTo(402);

        PrometheusScrape after = PrometheusScrape.of(web);
        assertThat(increase(before, after, "paystream_payments_total", APPROVED_USD_CARD)).isEqualTo(1);
        assertThat(increase(before, after, "paystream_payments_total", Map.of("outcome", "declined", "method", "card", "currency", "USD")))
                .isEqualTo(1);
        assertThat(increase(before, after, "paystream_payment_declines_total", Map.of("code", "insufficient_funds", "method", "card")))
                .isEqualTo(1);
        assertThat(increase(before, after, "paystream_payment_amount_sum", Map.of("outcome", "authorized", "currency", "USD")))
                .isEqualTo(5000);
        assertThat(increase(before, after, "paystream_payment_amount_sum", Map.of("outcome", "declined", "currency", "USD")))
                .isEqualTo(1500);
        assertThat(increase(before, after, "paystream_payment_captures_total", Map.of("currency", "USD"))).isEqualTo(1);
        assertThat(increase(before, after, "paystream_payment_capture_amount_sum", Map.of("currency", "USD"))).isEqualTo(5000);
        assertThat(after.text()).as("no id is a label").doesNotContain(approved).doesNotContain(merchant);
    }

    @Test
    void refundsCountOnceAndARepeatedRequestCountsAsAReplayNotAsASecondRefund() {
        String merchant = newMerchantId();
        String id = create(merchant, cardPayment(4000, "5555555555554444"), idempotencyKey()).get("id").asString();
        PrometheusScrape before = PrometheusScrape.of(web);

        String key = idempotencyKey();
        for (int attempt = 0; attempt < 2; attempt++) {
            as(merchant).post().uri("/v1/payments/{id}/refunds", id).header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("amount", 1200)).exchange().expectStatus().isCreated();
        }

        PrometheusScrape after = PrometheusScrape.of(web);
        assertThat(increase(before, after, "paystream_refunds_total", Map.of("currency", "USD"))).isEqualTo(1);
        assertThat(increase(before, after, "paystream_refund_amount_sum", Map.of("currency", "USD"))).isEqualTo(1200);
        Map<String, String> refundRoute = Map.of("route", "/v1/payments/{id}/refunds");
        assertThat(increase(before, after, "paystream_idempotency_requests_total", with(refundRoute, "outcome", "executed"))).isEqualTo(1);
        assertThat(increase(before, after, "paystream_idempotency_requests_total", with(refundRoute, "outcome", "replayed"))).isEqualTo(1);
        assertThat(after.text()).doesNotContain(key).doesNotContain(id);
    }

    @Test
    void theOutboxBacklogAndTheConsumersLagAreGauges() {
        create(newMerchantId(), cardPayment(700, "4242424242424242"), idempotencyKey());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.of(web);
            assertThat(scrape.series("paystream_outbox_pending", Map.of("application", "payment-service"))).hasSize(1);
            assertThat(scrape.series("paystream_outbox_oldest_pending_age_seconds", Map.of("application", "payment-service"))).hasSize(1);
            assertThat(scrape.series("paystream_consumer_lag", Map.of("consumer", "payment-references", "group", "payment-service")))
                    .singleElement().satisfies(lag -> assertThat(lag.value()).isGreaterThanOrEqualTo(0));
        });
    }

    private JsonNode create(String merchant, Map<String, Object> body, String key) {
        return as(merchant).post().uri("/v1/payments").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private static double increase(PrometheusScrape before, PrometheusScrape after, String name, Map<String, String> labels) {
        assertThat(after.series(name, labels)).as("series %s%s", name, labels).isNotEmpty();
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(labels);
        more.put(name, value);
        return more;
    }
}
