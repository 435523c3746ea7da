package dev.paystream.payment.payout.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.events.RecordHeaders;
import dev.paystream.events.Topics;
import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.payment.support.References;
import dev.paystream.payment.support.Settlements;
import dev.paystream.platform.workqueue.WorkQueueWorker;
import dev.paystream.testsupport.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/** CONTRACT §6: payouts drawn on the available balance, completed by the simulated bank, and the balance itself. */
class PayoutApiIntegrationTest extends PaymentServiceTest {

    @Autowired
    WorkQueueWorker payoutCompletionWorker;

    @Autowired
    JsonMapper json;

    @Test
    void createsAPendingPayoutThatIsPaidAMomentLater() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 10_000);

        JsonNode payout = created(merchant, payout(2500, "bank_transfer"));

        assertThat(payout.get("id").asString()).startsWith("po_");
        assertThat(payout.get("status").asString()).isEqualTo("pending");
        assertThat(payout.get("customer_id").asString()).isEqualTo("unixuser1");
        assertThat(payout.get("amount").asLong()).isEqualTo(2500);
        assertThat(payout.get("currency").asString()).isEqualTo("USD");
        assertThat(payout.get("method").asString()).isEqualTo("bank_transfer");
        assertThat(payout.get("failure_code").isNull()).isTrue();
        assertThat(payout.get("metadata").get("ticket").asString()).isEqualTo("T-42");
        assertThat(payout.has("created_at")).isTrue();
        assertThat(payout.has("updated_at")).isTrue();
        assertThat(available(merchant, "USD")).isEqualTo(7500);

        JsonNode paid = awaitStatus(merchant, payout.get("id").asString(), "paid");
        assertThat(paid.get("failure_code").isNull()).isTrue();
        assertThat(available(merchant, "USD")).isEqualTo(7500);
    }

    @Test
    void aPayoutOfAnAmountEndingIn02FailsWithAccountClosedAndGivesItsAmountBack() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "EUR", 5000);

        JsonNode payout = created(merchant, Map.of("customer_id", "unixuser1", "amount", 1002, "currency", "eur", "method", "paypal"));
        assertThat(available(merchant, "EUR")).isEqualTo(3998);

        JsonNode failed = awaitStatus(merchant, payout.get("id").asString(), "failed");
        assertThat(failed.get("failure_code").asString()).isEqualTo("account_closed");
        assertThat(available(merchant, "EUR")).isEqualTo(5000);
    }

    @Test
    void refusesPayoutAboveAvailableBalance() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 1000);

        post(merchant, payout(1001, "paypal")).expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("insufficient_available_balance")
                .jsonPath("$.param").isEqualTo("amount")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("1000 USD"));
        Map<String, Object> inYen = new HashMap<>(payout(1, "paypal"));
        inYen.put("currency", "JPY");
        post(merchant, inYen).expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("insufficient_available_balance");
        assertThat(available(merchant, "USD")).isEqualTo(1000);
        as(merchant).get().uri("/v1/payouts").exchange().expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
    }

    @RepeatedTest(3)
    void manyPayoutsAtOnceNeverExceedTheAvailableBalance() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 10_000);

        List<Integer> statuses = Flux.range(0, 25).parallel(25).runOn(Schedulers.boundedElastic())
                .map(attempt -> post(merchant, payout(1000, "paypal")).returnResult(byte[].class).getStatus().value())
                .sequential().collectList().block();

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(10);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(15);
        assertThat(available(merchant, "USD")).isZero();
        as(merchant).get().uri("/v1/payouts?limit=100").exchange().expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(10);
    }

    @Test
    void aPayoutToAnUnknownCustomerIsA422NamingTheCustomer() {
        String merchant = newMerchantId();
        makeAvailable(merchant, "USD", 10_000);

        post(merchant, payout(100, "paypal")).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("resource_missing").jsonPath("$.param").isEqualTo("customer_id");
    }

    @Test
    void aPayoutNamingACustomerCreatedAnInstantBeforeFindsIt() {
        String merchant = newMerchantId();
        makeAvailable(merchant, "USD", 10_000);

        // No wait for the projection: the customer's event is on its way while the payout is made.
        References.customerCreated(merchant, "unixuser1");
        created(merchant, payout(100, "paypal"));
    }

    @Test
    void badFieldsAreA422NamingTheField() {
        String merchant = merchantWithCustomer();
        Map<String, Map<String, Object>> cases = Map.of(
                "method", Map.of("customer_id", "unixuser1", "amount", 100, "currency", "USD", "method", "cash"),
                "amount", Map.of("customer_id", "unixuser1", "amount", 0, "currency", "USD", "method", "paypal"),
                "currency", Map.of("customer_id", "unixuser1", "amount", 100, "currency", "XYZ", "method", "paypal"),
                "customer_id", Map.of("amount", 100, "currency", "USD", "method", "paypal"));
        cases.forEach((field, body) -> post(merchant, body).expectStatus().isEqualTo(422).expectBody().jsonPath("$.param").isEqualTo(field));
        post(merchant, Map.of("customer_id", "unixuser1", "amount", 100, "currency", "USD", "method", "paypal", "destination", "x"))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("unknown_parameter");
    }

    @Test
    void aPayoutNeedsAnIdempotencyKeyAndARepeatIsReplayedWithoutASecondPayout() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 10_000);
        as(merchant).post().uri("/v1/payouts").contentType(MediaType.APPLICATION_JSON).bodyValue(payout(100, "paypal")).exchange()
                .expectStatus().isEqualTo(400).expectBody().jsonPath("$.code").isEqualTo("idempotency_key_missing");

        String key = idempotencyKey();
        byte[] first = as(merchant).post().uri("/v1/payouts").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(payout(300, "paypal")).exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody();
        byte[] second = as(merchant).post().uri("/v1/payouts").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(payout(300, "paypal")).exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true").expectBody().returnResult().getResponseBody();

        assertThat(second).isEqualTo(first);
        assertThat(available(merchant, "USD")).isEqualTo(9700);
    }

    @Test
    void payoutsAreListedNewestFirstByCustomerAndStatusAndHiddenFromOtherMerchants() {
        String merchant = merchantWithCustomer();
        References.customerCreated(merchant, "unixuser2");
        makeAvailable(merchant, "USD", 10_000);
        String first = created(merchant, payout(100, "paypal")).get("id").asString();
        String failing = created(merchant, payout(202, "paypal")).get("id").asString();
        Map<String, Object> other = new HashMap<>(payout(300, "bank_transfer"));
        other.put("customer_id", "unixuser2");
        String third = created(merchant, other).get("id").asString();
        awaitStatus(merchant, failing, "failed");

        as(merchant).get().uri("/v1/payouts?customer_id=unixuser1").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(2)
                .jsonPath("$.data[0].id").isEqualTo(failing).jsonPath("$.data[1].id").isEqualTo(first);
        as(merchant).get().uri("/v1/payouts?status=failed").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data.length()").isEqualTo(1).jsonPath("$.data[0].id").isEqualTo(failing);
        as(merchant).get().uri("/v1/payouts?limit=1").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data[0].id").isEqualTo(third).jsonPath("$.has_more").isEqualTo(true);
        as(merchant).get().uri("/v1/payouts?limit=2&starting_after=" + third).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.data[0].id").isEqualTo(failing).jsonPath("$.data[1].id").isEqualTo(first).jsonPath("$.has_more").isEqualTo(false);
        as(merchant).get().uri("/v1/payouts?status=lost").exchange().expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.param").isEqualTo("status");
        as(merchant).get().uri("/v1/payouts?starting_after=po_unknown").exchange().expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.param").isEqualTo("starting_after");
        String stranger = newMerchantId();
        as(stranger).get().uri("/v1/payouts/{id}", first).exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("resource_missing");
        as(stranger).get().uri("/v1/payouts").exchange().expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
    }

    @Test
    void payoutEventsArePublishedInOrderKeyedByThePayoutAndMatchTheirSchemas() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 10_000);
        String paid = created(merchant, payout(700, "paypal")).get("id").asString();
        String failed = created(merchant, payout(802, "bank_transfer")).get("id").asString();

        List<ConsumerRecord<String, String>> records = readTopicUntil(Topics.PAYMENTS, read -> ofKey(read, paid).size() == 2
                && ofKey(read, failed).size() == 2);

        assertThat(ofKey(records, paid)).extracting(this::type).containsExactly("payout.created", "payout.paid");
        assertThat(ofKey(records, failed)).extracting(this::type).containsExactly("payout.created", "payout.failed");
        for (ConsumerRecord<String, String> record : ofKey(records, failed)) {
            assertThat(EventSchemas.violations(type(record), record.value())).isEmpty();
            assertThat(new String(record.headers().lastHeader(RecordHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8)).isEqualTo(type(record));
        }
        for (ConsumerRecord<String, String> record : ofKey(records, paid)) {
            assertThat(EventSchemas.violations(type(record), record.value())).isEmpty();
        }
        JsonNode failure = json.readTree(ofKey(records, failed).get(1).value());
        assertThat(failure.get("sequence").asLong()).isEqualTo(2);
        assertThat(failure.get("merchant_id").asString()).isEqualTo(merchant);
        assertThat(failure.get("data").get("failure_code").asString()).isEqualTo("account_closed");
        assertThat(failure.get("data").get("payout").get("status").asString()).isEqualTo("failed");
    }

    @Test
    void pendingPayoutsSurviveAStopOfTheWorkerAndArePaidWhenItRunsAgain() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 10_000);
        payoutCompletionWorker.stop();
        try {
            String id = created(merchant, payout(4000, "bank_transfer")).get("id").asString();

            // Well past the completion delay, with no worker the payout stays where the database left it.
            await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> status(merchant, id), "pending"::equals);

            payoutCompletionWorker.start();
            awaitStatus(merchant, id, "paid");
        } finally {
            if (!payoutCompletionWorker.isRunning()) {
                payoutCompletionWorker.start();
            }
        }
    }

    @Test
    void theBalanceListsAvailableAndPendingPerCurrency() {
        String merchant = merchantWithCustomer();
        makeAvailable(merchant, "USD", 10_000);
        as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(cardPayment(5000, "4242424242424242")).exchange().expectStatus().isCreated();
        created(merchant, payout(2500, "paypal"));

        as(merchant).get().uri("/v1/balance").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.available.length()").isEqualTo(1)
                .jsonPath("$.available[0].currency").isEqualTo("USD")
                .jsonPath("$.available[0].amount").isEqualTo(7500)
                .jsonPath("$.pending[0].currency").isEqualTo("USD")
                .jsonPath("$.pending[0].amount").isEqualTo(5000);
        as(newMerchantId()).get().uri("/v1/balance").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.available.length()").isEqualTo(0).jsonPath("$.pending.length()").isEqualTo(0);
    }

    private String merchantWithCustomer() {
        String merchant = newMerchantId();
        References.customerCreated(merchant, "unixuser1");
        return merchant;
    }

    /** Money the merchant may pay out: a payment captured and settled whose net is {@code amount}. */
    private void makeAvailable(String merchant, String currency, long amount) {
        Settlements.makeAvailable(as(merchant), currency, amount);
    }

    private static Map<String, Object> payout(long amount, String method) {
        return Map.of("customer_id", "unixuser1", "amount", amount, "currency", "USD", "method", method,
                "description", "Store credit", "metadata", Map.of("ticket", "T-42"));
    }

    private WebTestClient.ResponseSpec post(String merchant, Map<String, Object> body) {
        return as(merchant).post().uri("/v1/payouts").header("Idempotency-Key", idempotencyKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private JsonNode created(String merchant, Map<String, Object> body) {
        return post(merchant, body).expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private long available(String merchant, String currency) {
        JsonNode balance = as(merchant).get().uri("/v1/balance").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        for (JsonNode amount : balance.get("available")) {
            if (amount.get("currency").asString().equals(currency)) {
                return amount.get("amount").asLong();
            }
        }
        return 0;
    }

    private String status(String merchant, String id) {
        return get(merchant, id).get("status").asString();
    }

    private JsonNode get(String merchant, String id) {
        return as(merchant).get().uri("/v1/payouts/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode awaitStatus(String merchant, String id, String status) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(merchant, id), payout -> status.equals(payout.get("status").asString()));
    }

    private static List<ConsumerRecord<String, String>> ofKey(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(record -> key.equals(record.key())).toList();
    }

    private String type(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader(RecordHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8);
    }
}
