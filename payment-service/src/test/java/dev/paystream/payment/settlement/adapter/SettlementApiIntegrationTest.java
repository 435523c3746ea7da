package dev.paystream.payment.settlement.adapter;

import static dev.paystream.payment.support.Settlements.captured;
import static dev.paystream.payment.support.Settlements.settleNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import dev.paystream.payment.settlement.application.SettlementStore;
import dev.paystream.payment.settlement.domain.SettlementId;
import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.payment.support.References;
import dev.paystream.testsupport.EventSchemas;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CONTRACT §8: settlement batches with their fees, refunds as negative lines, the balance they make available, their files and events. */
class SettlementApiIntegrationTest extends PaymentServiceTest {

    @Autowired
    JsonMapper json;

    @Autowired
    SettlementStore store;

    @Test
    void settlesCapturedPaymentsWithTheFeeRoundedHalfUpForOddAmounts() {
        String merchant = newMerchantId();
        List<String> payments = new ArrayList<>();
        for (long amount : new long[] {500, 1500, 1, 12345}) {
            payments.add(captured(as(merchant), amount, "USD").get("id").asString());
        }
        // 500 → 14.5 → 15 + 30; 1500 → 43.5 → 44 + 30; 1 → 0 + 30; 12345 → 358.005 → 358 + 30
        long fees = 45 + 74 + 30 + 388;

        JsonNode settlement = only(settle(merchant, Map.of()));

        assertThat(settlement.get("id").asString()).startsWith("st_");
        assertThat(settlement.get("status").asString()).isEqualTo("completed");
        assertThat(settlement.get("currency").asString()).isEqualTo("USD");
        assertThat(settlement.get("payment_count").asLong()).isEqualTo(4);
        assertThat(settlement.get("refund_count").asLong()).isZero();
        assertThat(settlement.get("gross_amount").asLong()).isEqualTo(14346);
        assertThat(settlement.get("refunded_amount").asLong()).isZero();
        assertThat(settlement.get("fee_amount").asLong()).isEqualTo(fees);
        assertThat(settlement.get("net_amount").asLong()).isEqualTo(14346 - fees);
        assertThat(settlement.has("created_at")).isTrue();
        for (String payment : payments) {
            as(merchant).get().uri("/v1/payments/{id}", payment).exchange().expectBody()
                    .jsonPath("$.settlement_id").isEqualTo(settlement.get("id").asString()).jsonPath("$.status").isEqualTo("captured");
        }
        assertThat(balance(merchant, "available", "USD")).isEqualTo(14346 - fees);
        assertThat(balance(merchant, "pending", "USD")).isZero();
        as(merchant).get().uri("/v1/settlements/{id}", settlement.get("id").asString()).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).isEqualTo(settlement);
    }

    @Test
    void eachCurrencyIsABatchOfItsOwnAndYenHaveNoDecimals() {
        String merchant = newMerchantId();
        captured(as(merchant), 1000, "JPY");
        captured(as(merchant), 333, "jpy");
        captured(as(merchant), 5000, "USD");

        JsonNode yen = only(settle(merchant, Map.of("currency", "jpy")));

        assertThat(yen.get("currency").asString()).isEqualTo("JPY");
        assertThat(yen.get("payment_count").asLong()).isEqualTo(2);
        // ¥1000 → 29 + 30; ¥333 → 9.657 → 10 + 30
        assertThat(yen.get("fee_amount").asLong()).isEqualTo(59 + 40);
        assertThat(yen.get("net_amount").asLong()).isEqualTo(1333 - 99);
        assertThat(balance(merchant, "pending", "USD")).isEqualTo(5000);

        JsonNode rest = settle(merchant, Map.of());
        assertThat(rest.get("data")).hasSize(1);
        assertThat(rest.get("data").get(0).get("currency").asString()).isEqualTo("USD");
        assertThat(rest.get("data").get(0).get("net_amount").asLong()).isEqualTo(5000 - 175);
        assertThat(balance(merchant, "available", "JPY")).isEqualTo(1234);
    }

    @Test
    void nothingToSettleIsA200WithNoSettlement() {
        String merchant = newMerchantId();

        as(merchant).post().uri("/v1/settlements").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(0);
        captured(as(merchant), 700, "EUR");
        settle(merchant, Map.of());
        as(merchant).post().uri("/v1/settlements").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
        as(merchant).post().uri("/v1/settlements").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("currency", "XYZ")).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.param").isEqualTo("currency");
    }

    @Test
    void aRefundAfterSettlementLandsInTheNextBatchAsANegativeLine() {
        String merchant = newMerchantId();
        String payment = captured(as(merchant), 5000, "USD").get("id").asString();
        only(settle(merchant, Map.of()));
        refund(merchant, payment, 1000);
        assertThat(balance(merchant, "pending", "USD")).isEqualTo(-1000);
        assertThat(balance(merchant, "available", "USD")).isEqualTo(4825);

        JsonNode next = only(settle(merchant, Map.of()));

        assertThat(next.get("payment_count").asLong()).isZero();
        assertThat(next.get("refund_count").asLong()).isEqualTo(1);
        assertThat(next.get("gross_amount").asLong()).isZero();
        assertThat(next.get("refunded_amount").asLong()).isEqualTo(1000);
        assertThat(next.get("fee_amount").asLong()).isZero();
        assertThat(next.get("net_amount").asLong()).isEqualTo(-1000);
        assertThat(balance(merchant, "available", "USD")).isEqualTo(3825);
        assertThat(balance(merchant, "pending", "USD")).isZero();
    }

    @Test
    void aRefundBeforeSettlementIsANegativeLineOfTheSameBatchAndTheFeeStays() {
        String merchant = newMerchantId();
        String payment = captured(as(merchant), 5000, "USD").get("id").asString();
        refund(merchant, payment, 5000);
        assertThat(balance(merchant, "pending", "USD")).isZero();

        JsonNode settlement = only(settle(merchant, Map.of()));

        assertThat(settlement.get("payment_count").asLong()).isEqualTo(1);
        assertThat(settlement.get("refund_count").asLong()).isEqualTo(1);
        assertThat(settlement.get("net_amount").asLong()).isEqualTo(5000 - 5000 - 175);
        assertThat(balance(merchant, "available", "USD")).isEqualTo(-175);
    }

    @Test
    void theSettlementFileIsCsvWhoseNetAmountsSumToTheBatchNet() throws IOException {
        String merchant = newMerchantId();
        References.customerCreated(merchant, "smith, jr");
        Map<String, Object> forCustomer = new HashMap<>(cardPayment(2500, "5555555555554444"));
        forCustomer.put("customer_id", "smith, jr");
        String withCustomer = as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(forCustomer).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        String plain = captured(as(merchant), 1999, "USD").get("id").asString();
        String refundId = refund(merchant, plain, 999).get("id").asString();
        JsonNode settlement = only(settle(merchant, Map.of()));
        String id = settlement.get("id").asString();

        var response = as(merchant).get().uri("/v1/settlements/{id}/file", id).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/csv")
                .expectBody(byte[].class).returnResult();
        String file = new String(response.getResponseBody(), StandardCharsets.UTF_8);
        List<CSVRecord> rows;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(file))) {
            assertThat(parser.getHeaderNames()).containsExactly("settlement_id", "line_type", "payment_id", "refund_id", "occurred_at",
                    "currency", "gross_amount", "fee_amount", "net_amount", "payment_method", "card_brand", "card_last4", "customer_id",
                    "invoice_id");
            rows = parser.getRecords();
        }

        assertThat(response.getResponseHeaders().getContentType().getCharset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(file).contains("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows.stream().mapToLong(row -> Long.parseLong(row.get("net_amount"))).sum()).isEqualTo(settlement.get("net_amount").asLong());
        CSVRecord customerLine = rows.stream().filter(row -> row.get("payment_id").equals(withCustomer)).findFirst().orElseThrow();
        assertThat(customerLine.get("customer_id")).isEqualTo("smith, jr");
        assertThat(customerLine.get("line_type")).isEqualTo("payment");
        assertThat(customerLine.get("card_brand")).isEqualTo("mastercard");
        assertThat(customerLine.get("card_last4")).isEqualTo("4444");
        assertThat(customerLine.get("fee_amount")).isEqualTo("103");
        assertThat(customerLine.get("refund_id")).isEmpty();
        CSVRecord refundLine = rows.stream().filter(row -> row.get("line_type").equals("refund")).findFirst().orElseThrow();
        assertThat(refundLine.get("refund_id")).isEqualTo(refundId);
        assertThat(refundLine.get("payment_id")).isEqualTo(plain);
        assertThat(refundLine.get("gross_amount")).isEqualTo("-999");
        assertThat(refundLine.get("net_amount")).isEqualTo("-999");
        assertThat(refundLine.get("fee_amount")).isEqualTo("0");
        assertThat(Instant.parse(refundLine.get("occurred_at"))).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, ChronoUnit.MINUTES));
        as(newMerchantId()).get().uri("/v1/settlements/{id}/file", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void settlementEventsArePublishedAndMatchTheirSchemas() {
        String merchant = newMerchantId();
        String first = captured(as(merchant), 1234, "USD").get("id").asString();
        String second = captured(as(merchant), 4321, "USD").get("id").asString();
        String id = only(settle(merchant, Map.of())).get("id").asString();

        List<ConsumerRecord<String, String>> payments = readTopicUntil(Topics.PAYMENTS,
                read -> settled(read, first).isPresent() && settled(read, second).isPresent());
        List<ConsumerRecord<String, String>> settlements = readTopicUntil(Topics.SETTLEMENTS,
                read -> read.stream().anyMatch(record -> id.equals(record.key())));

        ConsumerRecord<String, String> settledFirst = settled(payments, first).orElseThrow();
        assertThat(EventSchemas.violations("payment.settled", settledFirst.value())).isEmpty();
        JsonNode envelope = json.readTree(settledFirst.value());
        assertThat(envelope.get("sequence").asLong()).isEqualTo(3);
        assertThat(envelope.get("data").get("settlement_id").asString()).isEqualTo(id);
        assertThat(envelope.get("data").get("fee_amount").asLong()).isEqualTo(66);
        assertThat(envelope.get("data").get("net_amount").asLong()).isEqualTo(1234 - 66);
        assertThat(envelope.get("data").get("payment").get("settlement_id").asString()).isEqualTo(id);
        ConsumerRecord<String, String> completed = settlements.stream().filter(record -> id.equals(record.key())).findFirst().orElseThrow();
        assertThat(header(completed)).isEqualTo("settlement.completed");
        assertThat(EventSchemas.violations("settlement.completed", completed.value())).isEmpty();
        JsonNode data = json.readTree(completed.value()).get("data");
        assertThat(data.get("payment_count").asLong()).isEqualTo(2);
        assertThat(data.get("net_amount").asLong()).isEqualTo(data.get("settlement").get("net_amount").asLong());
        assertThat(data.get("gross_amount").asLong()).isEqualTo(5555);
    }

    @Test
    void settlementsAreListedNewestFirstAndHiddenFromOtherMerchants() {
        String merchant = newMerchantId();
        captured(as(merchant), 100, "USD");
        String first = only(settle(merchant, Map.of())).get("id").asString();
        captured(as(merchant), 200, "USD");
        String second = only(settle(merchant, Map.of())).get("id").asString();

        as(merchant).get().uri("/v1/settlements").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(2).jsonPath("$.data[0].id").isEqualTo(second).jsonPath("$.data[1].id").isEqualTo(first);
        as(merchant).get().uri("/v1/settlements?limit=1&starting_after=" + second).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data[0].id").isEqualTo(first).jsonPath("$.has_more").isEqualTo(false);
        as(merchant).get().uri("/v1/settlements?starting_after=st_unknown").exchange().expectStatus().isEqualTo(422);
        as(newMerchantId()).get().uri("/v1/settlements/{id}", first).exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("resource_missing");
        as(newMerchantId()).get().uri("/v1/settlements").exchange().expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
    }

    @Test
    void anIdempotencyKeyIsHonouredButNotRequired() {
        String merchant = newMerchantId();
        captured(as(merchant), 900, "USD");
        String key = idempotencyKey();

        byte[] first = as(merchant).post().uri("/v1/settlements").header("Idempotency-Key", key).exchange().expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        captured(as(merchant), 800, "USD");
        byte[] again = as(merchant).post().uri("/v1/settlements").header("Idempotency-Key", key).exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true").expectBody().returnResult().getResponseBody();

        assertThat(again).isEqualTo(first);
        assertThat(balance(merchant, "pending", "USD")).isEqualTo(800);
    }

    @Test
    void aBatchWhoseRunStoppedIsCompletedByTheWorkQueue() {
        String merchant = newMerchantId();
        captured(as(merchant), 3000, "USD");
        captured(as(merchant), 4000, "USD");
        SettlementId id = new SettlementId("st_stopped" + merchant.substring(4));

        // The run is started as POST /v1/settlements starts it, and then stops before writing a page.
        store.start(merchant, "USD", id, Instant.now().truncatedTo(ChronoUnit.MILLIS)).block();
        assertThat(balance(merchant, "pending", "USD")).isEqualTo(7000);

        JsonNode settlement = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> as(merchant).get().uri("/v1/settlements/{id}", id.value()).exchange().returnResult(JsonNode.class),
                        result -> result.getStatus().value() == 200)
                .getResponseBody().blockFirst();
        assertThat(settlement.get("payment_count").asLong()).isEqualTo(2);
        assertThat(balance(merchant, "available", "USD")).isEqualTo(7000 - (87 + 30) - (116 + 30));
    }

    @RepeatedTest(2)
    void settlementsRacingWithRefundsSettleEveryPaymentAndRefundExactlyOnce() {
        String merchant = newMerchantId();
        List<String> payments = Flux.range(0, 30).parallel(6).runOn(Schedulers.boundedElastic())
                .map(index -> captured(as(merchant), 1000 + index, "USD").get("id").asString())
                .sequential().collectList().block();
        long captured = 30 * 1000 + 29 * 30 / 2;
        long fees = 0;
        for (int index = 0; index < 30; index++) {
            fees += ((1000 + index) * 29 + 500) / 1000 + 30;
        }

        Flux<Integer> refunds = Flux.fromIterable(payments).parallel(4).runOn(Schedulers.boundedElastic())
                .map(payment -> { refund(merchant, payment, 100); return 1; }).sequential();
        Flux<Integer> settlements = Flux.range(0, 4).parallel(4).runOn(Schedulers.boundedElastic())
                .map(attempt -> as(merchant).post().uri("/v1/settlements").exchange().returnResult(byte[].class).getStatus().value())
                .sequential();
        List<Integer> statuses = Flux.merge(refunds.map(ignored -> 0), settlements).filter(status -> status != 0).collectList().block();
        assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(200, 201));
        settle(merchant, Map.of());

        JsonNode all = as(merchant).get().uri("/v1/settlements?limit=100").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("data");
        long paymentsSettled = 0;
        long refundsSettled = 0;
        long net = 0;
        for (JsonNode settlement : all) {
            paymentsSettled += settlement.get("payment_count").asLong();
            refundsSettled += settlement.get("refund_count").asLong();
            net += settlement.get("net_amount").asLong();
        }
        assertThat(paymentsSettled).isEqualTo(30);
        assertThat(refundsSettled).isEqualTo(30);
        assertThat(net).isEqualTo(captured - 30 * 100 - fees);
        assertThat(balance(merchant, "available", "USD")).isEqualTo(net);
        assertThat(balance(merchant, "pending", "USD")).isZero();
        for (JsonNode settlement : all) {
            String file = as(merchant).get().uri("/v1/settlements/{id}/file", settlement.get("id").asString()).exchange()
                    .expectBody(String.class).returnResult().getResponseBody();
            long lines = file.lines().count() - 1;
            assertThat(lines).isEqualTo(settlement.get("payment_count").asLong() + settlement.get("refund_count").asLong());
        }
    }

    private JsonNode settle(String merchant, Map<String, Object> body) {
        return settleNow(as(merchant), body);
    }

    private static JsonNode only(JsonNode settled) {
        assertThat(settled.get("data")).hasSize(1);
        return settled.get("data").get(0);
    }

    private JsonNode refund(String merchant, String payment, long amount) {
        return as(merchant).post().uri("/v1/payments/{id}/refunds", payment).header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", amount)).exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private long balance(String merchant, String kind, String currency) {
        JsonNode balance = as(merchant).get().uri("/v1/balance").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode amount : balance.get(kind)) {
            if (amount.get("currency").asString().equals(currency)) {
                return amount.get("amount").asLong();
            }
        }
        return 0;
    }

    private static java.util.Optional<ConsumerRecord<String, String>> settled(List<ConsumerRecord<String, String>> records, String payment) {
        return records.stream().filter(record -> payment.equals(record.key()) && "payment.settled".equals(header(record))).findFirst();
    }

    private static String header(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(RecordHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8);
    }
}
