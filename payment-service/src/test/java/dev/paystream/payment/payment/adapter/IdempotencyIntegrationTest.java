package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.paystream.payment.support.PaymentServiceTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** CONTRACT §3 against the real service and database. */
class IdempotencyIntegrationTest extends PaymentServiceTest {

    @Test
    void aRepeatedRequestGetsTheFirstResponseByteForByteAndCreatesNothingMore() throws SQLException {
        String merchant = newMerchantId();
        String key = idempotencyKey();

        EntityExchangeResult<byte[]> first = pay(merchant, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed").expectBody().returnResult();
        EntityExchangeResult<byte[]> second = pay(merchant, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectHeader().contentType(MediaType.APPLICATION_JSON).expectBody().returnResult();

        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(paymentsOf(merchant)).isEqualTo(1);
    }

    @Test
    void theAliasHeaderIsAcceptedAsTheSameKey() throws SQLException {
        String merchant = newMerchantId();
        String key = idempotencyKey();

        pay(merchant, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated();
        as(merchant).post().uri("/v1/payments").header("X-Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(cardPayment(5000, "4242424242424242")).exchange()
                .expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true");
        assertThat(paymentsOf(merchant)).isEqualTo(1);
    }

    @Test
    void aDeclineIsReplayedWithTheSamePaymentId() {
        String merchant = newMerchantId();
        String key = idempotencyKey();

        String first = new String(pay(merchant, key, cardPayment(5000, "4000000000000002")).expectStatus().isEqualTo(402)
                .expectBody().returnResult().getResponseBody());
        String second = new String(pay(merchant, key, cardPayment(5000, "4000000000000002")).expectStatus().isEqualTo(402)
                .expectHeader().valueEquals("Idempotent-Replayed", "true").expectBody().returnResult().getResponseBody());

        assertThat(second).isEqualTo(first).contains("payment_id");
    }

    @Test
    void theSameKeyWithAnotherRequestIsA409() {
        String merchant = newMerchantId();
        String key = idempotencyKey();
        pay(merchant, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated();

        pay(merchant, key, cardPayment(6000, "4242424242424242")).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("idempotency_key_reused");
    }

    @Test
    void keysAreScopedPerMerchant() throws SQLException {
        String key = idempotencyKey();
        String merchantA = newMerchantId();
        String merchantB = newMerchantId();

        pay(merchantA, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated().expectHeader().doesNotExist("Idempotent-Replayed");
        pay(merchantB, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated().expectHeader().doesNotExist("Idempotent-Replayed");

        assertThat(paymentsOf(merchantA)).isEqualTo(1);
        assertThat(paymentsOf(merchantB)).isEqualTo(1);
    }

    @Test
    void aRequestRejectedByValidationIsNotKeptSoTheKeyCanBeUsedAgain() {
        String merchant = newMerchantId();
        String key = idempotencyKey();
        Map<String, Object> invalid = new HashMap<>(cardPayment(5000, "4242424242424242"));
        invalid.put("amount", -5);

        pay(merchant, key, invalid).expectStatus().isEqualTo(422);
        pay(merchant, key, cardPayment(5000, "4242424242424242")).expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed");
    }

    @Test
    void fiftyConcurrentIdenticalRequestsCreateExactlyOnePayment() throws SQLException {
        String merchant = newMerchantId();
        String key = idempotencyKey();
        WebTestClient client = as(merchant);

        List<String> outcomes = Flux.fromStream(IntStream.range(0, 50).boxed())
                .parallel(50).runOn(Schedulers.boundedElastic())
                .map(attempt -> {
                    var result = client.post().uri("/v1/payments").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(cardPayment(5000, "4242424242424242")).exchange().returnResult(byte[].class);
                    return result.getStatus().value() + (result.getResponseHeaders().containsHeader("Idempotent-Replayed") ? " replayed" : "");
                })
                .sequential().collectList().block();

        // Exactly one request ran; every other one was either a replay of it or told that it was still running.
        assertThat(outcomes).hasSize(50).containsOnlyOnce("201").allMatch(outcome -> outcome.equals("201")
                || outcome.equals("201 replayed") || outcome.equals("409"));
        assertThat(paymentsOf(merchant)).isEqualTo(1);
    }

    /**
     * Issue 10, finding 6: a client that gives up on its request (here after 100 ms, while the slow
     * test card keeps the processor busy) used to leave the key "in progress" for 60 s, then run it a
     * second time. Now the abandoned request releases its key (it recorded no effect), and the retry
     * runs at once, once.
     */
    @Test
    void aRequestTheClientAbandonedFreesItsKeyForTheRetryAtOnce() throws SQLException {
        String merchant = newMerchantId();
        String key = idempotencyKey();
        WebTestClient impatient = as(merchant).mutate().responseTimeout(Duration.ofMillis(100)).build();
        assertThatThrownBy(() -> impatient.post().uri("/v1/payments").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(cardPayment(5000, "4000000000003220")).exchange()).isNotNull();

        var retry = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> pay(merchant, key, cardPayment(5000, "4000000000003220")).returnResult(byte[].class),
                        result -> result.getStatus().value() != 409);
        // The processor timeout answered: the payment failed, as the slow card asks for.
        assertThat(retry.getStatus().value()).isEqualTo(402);
        assertThat(retry.getResponseHeaders().containsHeader("Idempotent-Replayed")).isFalse();
        assertThat(paymentsOf(merchant)).isEqualTo(1);
    }

    /**
     * Issue 10, finding 7: a command that loses every race with concurrent commands on its payment is
     * a 409 {@code payment_changed_concurrently} that asks for a retry; it must not become the key's
     * answer, or the documented retry replays the 409 forever.
     */
    @Test
    void aConflictWithConcurrentRequestsIsNotKeptSoItsRetryRunsAgain() {
        String merchant = newMerchantId();
        String paymentId = pay(merchant, idempotencyKey(), cardPayment(5000, "4242424242424242"))
                .expectStatus().isCreated().returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
        WebTestClient client = as(merchant);
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> idempotencyKey()).toList();

        List<String> conflicted = Flux.fromIterable(keys).parallel(60).runOn(Schedulers.boundedElastic())
                .filter(key -> refundOfOne(client, paymentId, key).getStatus().value() == 409)
                .sequential().collectList().block();
        assertThat(conflicted).as("60 refunds of one payment at once: some lose every race").isNotEmpty();

        for (String key : conflicted) {
            var retried = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> refundOfOne(client, paymentId, key), result -> result.getStatus().value() != 409);
            assertThat(retried.getStatus().value()).isEqualTo(201);
        }
        client.get().uri("/v1/payments/{id}", paymentId).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.amount_refunded").isEqualTo(60);
    }

    private static EntityExchangeResult<byte[]> refundOfOne(WebTestClient client, String paymentId, String key) {
        return client.post().uri("/v1/payments/{id}/refunds", paymentId).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", 1)).exchange()
                .expectBody().returnResult();
    }

    private WebTestClient.ResponseSpec pay(String merchant, String key, Map<String, Object> body) {
        return as(merchant).post().uri("/v1/payments").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static long paymentsOf(String merchant) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM payments WHERE merchant_id = ?")) {
            statement.setString(1, merchant);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
