package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.support.PaymentServiceTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
