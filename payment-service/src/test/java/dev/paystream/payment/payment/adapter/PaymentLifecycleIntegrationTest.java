package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.payment.adapter.contract.PaymentContractMapper;
import dev.paystream.payment.payment.application.PaymentEventStore;
import dev.paystream.payment.payment.application.RecordedPaymentEvent;
import dev.paystream.payment.payment.domain.Payment;
import dev.paystream.payment.payment.domain.PaymentId;
import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.payment.support.References;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Cancel, refunds, lists and the consistency of history and read model, against the real service. */
class PaymentLifecycleIntegrationTest extends PaymentServiceTest {

    /** The service's own mapper: the replayed payment is written as the API writes it. */
    @Autowired
    JsonMapper json;

    @Autowired
    PaymentEventStore store;

    @Test
    void aManualPaymentCanBeCanceledButACapturedOneCannot() {
        String merchant = newMerchantId();
        String manual = created(merchant, manualPayment(5000));
        String automatic = created(merchant, cardPayment(5000, "4242424242424242"));

        post(merchant, "/v1/payments/" + manual + "/cancel", null).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("canceled").jsonPath("$.amount_capturable").isEqualTo(0);
        post(merchant, "/v1/payments/" + automatic + "/cancel", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("payment_not_cancelable");
        post(merchant, "/v1/payments/" + manual + "/capture", null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("payment_not_capturable");
    }

    @Test
    void severalPartialRefundsUpToTheCapturedAmountThenNoMore() {
        String merchant = newMerchantId();
        String id = created(merchant, cardPayment(5000, "4242424242424242"));

        post(merchant, "/v1/payments/" + id + "/refunds", Map.of("amount", 1000, "reason", "requested_by_customer"))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.id").value(refundId -> assertThat((String) refundId).startsWith("re_"))
                .jsonPath("$.payment_id").isEqualTo(id).jsonPath("$.amount").isEqualTo(1000).jsonPath("$.status").isEqualTo("succeeded");
        as(merchant).get().uri("/v1/payments/{id}", id).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("partially_refunded").jsonPath("$.amount_refunded").isEqualTo(1000);
        post(merchant, "/v1/payments/" + id + "/refunds", Map.of("amount", 4001)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("amount_too_large");
        post(merchant, "/v1/payments/" + id + "/refunds", null).expectStatus().isCreated()
                .expectBody().jsonPath("$.amount").isEqualTo(4000);
        as(merchant).get().uri("/v1/payments/{id}", id).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("refunded").jsonPath("$.amount_refunded").isEqualTo(5000);
        post(merchant, "/v1/payments/" + id + "/refunds", Map.of("amount", 1)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("payment_not_refundable");
    }

    @Test
    void anUnknownRefundReasonIsA422NamingTheReason() {
        String merchant = newMerchantId();
        String id = created(merchant, cardPayment(5000, "4242424242424242"));

        post(merchant, "/v1/payments/" + id + "/refunds", Map.of("reason", "because")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("reason");
    }

    @RepeatedTest(3)
    void twoConcurrentRefundsThatTogetherExceedTheCaptureCannotBothSucceed() {
        String merchant = newMerchantId();
        String id = created(merchant, cardPayment(10000, "4242424242424242"));

        List<Integer> statuses = Flux.just(6000, 6000).parallel(2).runOn(Schedulers.boundedElastic())
                .map(amount -> post(merchant, "/v1/payments/" + id + "/refunds", Map.of("amount", amount))
                        .returnResult(byte[].class).getStatus().value())
                .sequential().collectList().block();

        assertThat(statuses).containsExactlyInAnyOrder(201, 422);
        as(merchant).get().uri("/v1/payments/{id}", id).exchange().expectBody().jsonPath("$.amount_refunded").isEqualTo(6000);
    }

    @Test
    void theHistoryOfAPaymentReplaysToTheStateTheReadModelShows() {
        String merchant = newMerchantId();
        String id = created(merchant, manualPayment(9000));
        post(merchant, "/v1/payments/" + id + "/capture", Map.of("amount", 7000)).expectStatus().isOk();
        post(merchant, "/v1/payments/" + id + "/refunds", Map.of("amount", 2500)).expectStatus().isCreated();

        List<RecordedPaymentEvent> history = store.history(new PaymentId(id), merchant).collectList().block();
        Payment replayed = Payment.replay(history.stream().map(RecordedPaymentEvent::event).toList());
        JsonNode readModel = as(merchant).get().uri("/v1/payments/{id}", id).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(history).extracting(RecordedPaymentEvent::sequence).containsExactly(1L, 2L, 3L);
        assertThat(json.readTree(json.writeValueAsString(PaymentContractMapper.toContract(replayed))))
                .isEqualTo(json.readTree(readModel.toString()));
        assertThat(readModel.get("status").asString()).isEqualTo("partially_refunded");
    }

    @Test
    void listsAreNewestFirstFilteredAndCursorPaginated() {
        String merchant = newMerchantId();
        References.customerCreated(merchant, "unixuser1");
        Map<String, Object> forCustomer = new HashMap<>(cardPayment(1000, "4242424242424242"));
        forCustomer.put("customer_id", "unixuser1");
        String first = created(merchant, forCustomer);
        String second = created(merchant, forCustomer);
        String third = created(merchant, forCustomer);
        created(merchant, manualPayment(2000));

        as(merchant).get().uri("/v1/payments?customer_id=unixuser1&limit=2").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.length()").isEqualTo(2)
                .jsonPath("$.data[0].id").isEqualTo(third).jsonPath("$.data[1].id").isEqualTo(second)
                .jsonPath("$.has_more").isEqualTo(true);
        as(merchant).get().uri("/v1/payments?customer_id=unixuser1&limit=2&starting_after=" + second).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.length()").isEqualTo(1).jsonPath("$.data[0].id").isEqualTo(first)
                .jsonPath("$.has_more").isEqualTo(false);
        as(merchant).get().uri("/v1/payments?status=authorized").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.length()").isEqualTo(1).jsonPath("$.data[0].amount").isEqualTo(2000);
        as(newMerchantId()).get().uri("/v1/payments").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.length()").isEqualTo(0);
        as(merchant).get().uri("/v1/payments?limit=101").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("limit");
        as(merchant).get().uri("/v1/payments?status=lost").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("status");
    }

    private static Map<String, Object> manualPayment(long amount) {
        Map<String, Object> manual = new HashMap<>(cardPayment(amount, "4242424242424242"));
        manual.put("capture_method", "manual");
        return manual;
    }

    private String created(String merchant, Map<String, Object> body) {
        return post(merchant, "/v1/payments", body).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    private WebTestClient.ResponseSpec post(String merchant, String path, Object body) {
        var request = as(merchant).post().uri(path).header("Idempotency-Key", idempotencyKey());
        return body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
