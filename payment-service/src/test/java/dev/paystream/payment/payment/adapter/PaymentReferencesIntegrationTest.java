package dev.paystream.payment.payment.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.payment.support.References;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * CONTRACT §4 and §5: a payment may name only the merchant's own customers and invoices, which
 * payment-service knows from their topics alone; one created an instant before is found (read your
 * writes); an invoice is paid in its currency, by its customer, while open, and never beyond its amount
 * — also when payments race.
 */
class PaymentReferencesIntegrationTest extends PaymentServiceTest {

    @Test
    void aCustomerThatDoesNotExistIsA422ResourceMissingAndNothingIsCharged() {
        String merchant = newMerchantId();

        pay(merchant, payment(1000, "USD", "cus_nobody", null)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing").jsonPath("$.param").isEqualTo("customer_id");
        assertThat(paymentCount(merchant)).isZero();
    }

    @Test
    void anotherMerchantsCustomerIsNotTheCallersOwn() {
        String owner = newMerchantId();
        References.customerCreated(owner, "cus_theirs");
        pay(owner, payment(1000, "USD", "cus_theirs", null)).expectStatus().isCreated();

        pay(newMerchantId(), payment(1000, "USD", "cus_theirs", null)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
    }

    /** The customer's event arrives after the payment request did: the request waits for it rather than answering 422. */
    @Test
    void aCustomerWhoseEventArrivesWhileThePaymentWaitsIsFound() {
        String merchant = newMerchantId();
        String customer = "cus_" + UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() ->
                pay(merchant, payment(1000, "USD", customer, null)).returnResult(byte[].class).getStatus().value());

        References.customerCreated(merchant, customer);

        assertThat(status.join()).isEqualTo(201);
    }

    @Test
    void anInvoiceIsPaidInInstalmentsUpToItsAmountAndARefundMakesRoomAgain() {
        String merchant = newMerchantId();
        String invoice = References.newInvoiceId();
        References.customerCreated(merchant, "cus_instalments");
        References.invoiceCreated(merchant, invoice, "cus_instalments", 10_000, "USD");

        String first = createdId(merchant, payment(6_000, "USD", "cus_instalments", invoice));
        pay(merchant, payment(5_000, "USD", null, invoice)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("amount_exceeds_invoice_due").jsonPath("$.param").isEqualTo("amount");
        createdId(merchant, payment(4_000, "USD", null, invoice));
        pay(merchant, payment(1, "USD", null, invoice)).expectStatus().isEqualTo(422);

        as(merchant).post().uri("/v1/payments/{id}/refunds", first).header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("amount", 1_000)).exchange().expectStatus().isCreated();
        createdId(merchant, payment(1_000, "USD", null, invoice));
    }

    @Test
    void aPaymentMustMatchItsInvoicesCurrencyAndCustomer() {
        String merchant = newMerchantId();
        String invoice = References.newInvoiceId();
        References.customerCreated(merchant, "cus_a");
        References.customerCreated(merchant, "cus_b");
        References.invoiceCreated(merchant, invoice, "cus_a", 10_000, "EUR");

        pay(merchant, payment(1_000, "USD", null, invoice)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_mismatch").jsonPath("$.param").isEqualTo("currency");
        pay(merchant, payment(1_000, "EUR", "cus_b", invoice)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_mismatch").jsonPath("$.param").isEqualTo("customer_id");
        pay(merchant, payment(1_000, "EUR", null, References.newInvoiceId())).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing").jsonPath("$.param").isEqualTo("invoice_id");
        assertThat(paymentCount(merchant)).isZero();
    }

    /** A void invoice is not payable, and an older event that arrives late does not make it open again. */
    @Test
    void aVoidInvoiceIsA409InvoiceNotOpenEvenAfterAStaleEventArrives() {
        String merchant = newMerchantId();
        String invoice = References.newInvoiceId();
        References.customerCreated(merchant, "cus_void");
        References.invoiceCreated(merchant, invoice, "cus_void", 10_000, "USD");
        References.invoice("invoice.voided", 3, merchant, invoice, "cus_void", 10_000, "USD", "void");
        References.invoice("invoice.updated", 2, merchant, invoice, "cus_void", 10_000, "USD", "open");

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                pay(merchant, payment(1_000, "USD", null, invoice)).expectStatus().isEqualTo(409)
                        .expectBody().jsonPath("$.code").isEqualTo("invoice_not_open"));
    }

    /** Twelve payments of 2,000 against an invoice of 10,000 at once: exactly five are recorded. */
    @Test
    void paymentsRacingForOneInvoiceNeverPayMoreThanItsAmount() {
        String merchant = newMerchantId();
        String invoice = References.newInvoiceId();
        References.customerCreated(merchant, "cus_race");
        References.invoiceCreated(merchant, invoice, "cus_race", 10_000, "USD");
        createdId(merchant, payment(1, "USD", null, invoice));
        as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(payment(1, "USD", null, invoice)).exchange().expectStatus().isCreated();
        // 2 of 10,000 taken: 9,998 due, room for four payments of 2,000.

        List<Integer> statuses = Flux.fromStream(IntStream.range(0, 12).boxed()).parallel(12).runOn(Schedulers.boundedElastic())
                .map(i -> pay(merchant, payment(2_000, "USD", null, invoice)).returnResult(byte[].class).getStatus().value())
                .sequential().collectList().block();

        assertThat(statuses).filteredOn(status -> status == 201).hasSize(4);
        assertThat(statuses).filteredOn(status -> status == 422).hasSize(8);
        assertThat(paymentCount(merchant)).isEqualTo(6);
    }

    private static Map<String, Object> payment(long amount, String currency, String customerId, String invoiceId) {
        Map<String, Object> body = new HashMap<>(cardPayment(amount, "4242424242424242"));
        body.put("currency", currency);
        if (customerId != null) {
            body.put("customer_id", customerId);
        }
        if (invoiceId != null) {
            body.put("invoice_id", invoiceId);
        }
        return body;
    }

    private WebTestClient.ResponseSpec pay(String merchant, Map<String, Object> body) {
        return as(merchant).post().uri("/v1/payments").header("Idempotency-Key", idempotencyKey())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String createdId(String merchant, Map<String, Object> body) {
        return pay(merchant, body).expectStatus().isCreated().returnResult(Map.class).getResponseBody().blockFirst().get("id").toString();
    }

    private long paymentCount(String merchant) {
        Map<?, ?> page = as(merchant).get().uri("/v1/payments?limit=100").exchange().expectStatus().isOk()
                .returnResult(Map.class).getResponseBody().blockFirst();
        return ((List<?>) page.get("data")).size();
    }
}
