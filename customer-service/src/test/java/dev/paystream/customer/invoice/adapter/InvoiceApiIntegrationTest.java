package dev.paystream.customer.invoice.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.customer.support.CustomerServiceTest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** CONTRACT §7 against the running service: issue, retrieve, list, edit and void invoices, and what is refused. */
class InvoiceApiIntegrationTest extends CustomerServiceTest {

    @Test
    void createsAnOpenInvoiceForOneOfTheMerchantsCustomers() {
        String merchant = newMerchantId();
        aCustomer(merchant, "unixuser1");

        JsonNode invoice = JSON.readTree(post(merchant, "/v1/invoices", Map.of("customer_id", "unixuser1", "amount", 10000, "currency", "usd",
                "description", "December", "due_date", "2026-12-31", "metadata", Map.of("order_id", "123")))
                .expectStatus().isCreated()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(invoice.get("id").asString()).startsWith("inv_");
        assertThat(invoice.get("status").asString()).isEqualTo("open");
        assertThat(invoice.get("customer_id").asString()).isEqualTo("unixuser1");
        assertThat(invoice.get("amount").asLong()).isEqualTo(10000);
        assertThat(invoice.get("amount_paid").asLong()).isZero();
        assertThat(invoice.get("amount_due").asLong()).isEqualTo(10000);
        assertThat(invoice.get("currency").asString()).isEqualTo("USD");
        assertThat(invoice.get("description").asString()).isEqualTo("December");
        assertThat(invoice.get("due_date").asString()).isEqualTo("2026-12-31");
        assertThat(invoice.get("metadata").get("order_id").asString()).isEqualTo("123");
        assertThat(invoice.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(getJson(merchant, "/v1/invoices/" + invoice.get("id").asString())).isEqualTo(invoice);
    }

    @Test
    void anInvoiceForACustomerTheMerchantDoesNotHaveIsA422ResourceMissing() {
        String merchant = newMerchantId();
        aCustomer(newMerchantId(), "someone-elses");

        for (String customerId : new String[] {"nobody", "someone-elses"}) {
            post(merchant, "/v1/invoices", Map.of("customer_id", customerId, "amount", 10000, "currency", "USD"))
                    .expectStatus().isEqualTo(422)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("resource_missing").jsonPath("$.param").isEqualTo("customer_id");
        }
    }

    @Test
    void everyBadFieldIsA422NamingIt() {
        String merchant = newMerchantId();
        aCustomer(merchant, "c1");
        Map<String, Map<String, Object>> bodies = new LinkedHashMap<>();
        bodies.put("customer_id", Map.of("amount", 100, "currency", "USD"));
        bodies.put("amount", Map.of("customer_id", "c1", "amount", 0, "currency", "USD"));
        bodies.put("currency", Map.of("customer_id", "c1", "amount", 100, "currency", "XXX"));
        bodies.put("description", Map.of("customer_id", "c1", "amount", 100, "currency", "USD", "description", "x".repeat(1001)));
        bodies.put("due_date", Map.of("customer_id", "c1", "amount", 100, "currency", "USD", "due_date", "31/12/2026"));
        bodies.put("metadata", Map.of("customer_id", "c1", "amount", 100, "currency", "USD", "metadata", Map.of("", "v")));
        bodies.forEach((field, body) -> post(merchant, "/v1/invoices", body)
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_" + field).jsonPath("$.param").isEqualTo(field));

        post(merchant, "/v1/invoices", Map.of("customer_id", "c1", "amount", 100_000_000, "currency", "USD")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("amount");
        post(merchant, "/v1/invoices", Map.of("customer_id", "c1", "amount", 100, "currency", "USD", "due_date", "2026-02-30"))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.param").isEqualTo("due_date");
        post(merchant, "/v1/invoices", Map.of("customer_id", "c1", "amount", 100, "currency", "USD", "status", "paid"))
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("unknown_parameter");
        as(merchant).post().uri("/v1/invoices").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"customer_id\":\"c1\",\"amount\":50.5,\"currency\":\"USD\"}").exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("invalid_amount");
        assertThat(getJson(merchant, "/v1/invoices").get("data").isEmpty()).isTrue();
    }

    @Test
    void anotherMerchantsInvoiceIsNotFound() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);
        String stranger = newMerchantId();

        as(stranger).get().uri("/v1/invoices/{id}", invoice).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        patch(stranger, "/v1/invoices/" + invoice, Map.of("amount", 1)).expectStatus().isNotFound();
        post(stranger, "/v1/invoices/" + invoice + "/void", null).expectStatus().isNotFound();
        as(stranger).get().uri("/v1/invoices/{id}/payments", invoice).exchange().expectStatus().isNotFound();
        as(merchant).get().uri("/v1/invoices/inv_nothing").exchange().expectStatus().isNotFound();
        as(merchant).get().uri("/v1/invoices/not-an-invoice").exchange().expectStatus().isNotFound();
        assertThat(getJson(merchant, "/v1/invoices/" + invoice).get("status").asString()).isEqualTo("open");
    }

    @Test
    void anOpenUnpaidInvoiceCanBeEditedAsAMergePatch() {
        String merchant = newMerchantId();
        aCustomer(merchant, "c1");
        String invoice = JSON.readTree(post(merchant, "/v1/invoices", Map.of("customer_id", "c1", "amount", 10000, "currency", "EUR",
                        "description", "Draft", "due_date", "2026-12-31", "metadata", Map.of("keep", "1", "drop", "2")))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody()).get("id").asString();
        Map<String, Object> metadata = new HashMap<>(Map.of("add", "3"));
        metadata.put("drop", null);
        Map<String, Object> edit = new HashMap<>();
        edit.put("amount", 12000);
        edit.put("due_date", null);
        edit.put("metadata", metadata);

        patch(merchant, "/v1/invoices/" + invoice, edit).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.amount").isEqualTo(12000)
                .jsonPath("$.amount_due").isEqualTo(12000)
                .jsonPath("$.currency").isEqualTo("EUR")
                .jsonPath("$.description").isEqualTo("Draft")
                .jsonPath("$.due_date").isEmpty()
                .jsonPath("$.metadata").isEqualTo(Map.of("keep", "1", "add", "3"));

        patch(merchant, "/v1/invoices/" + invoice, Map.of("currency", "USD")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("unknown_parameter").jsonPath("$.param").isEqualTo("currency");
        Map<String, Object> noAmount = new HashMap<>();
        noAmount.put("amount", null);
        patch(merchant, "/v1/invoices/" + invoice, noAmount).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_amount");
        patch(merchant, "/v1/invoices/" + invoice, Map.of("due_date", "tomorrow")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("due_date");
        assertThat(getJson(merchant, "/v1/invoices/" + invoice).get("amount").asLong()).isEqualTo(12000);
    }

    @Test
    void aVoidedInvoiceIsFinalItCannotBeEditedOrVoidedAgain() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);

        post(merchant, "/v1/invoices/" + invoice + "/void", null).expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("void").jsonPath("$.amount_due").isEqualTo(10000);

        post(merchant, "/v1/invoices/" + invoice + "/void", null).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_not_voidable");
        patch(merchant, "/v1/invoices/" + invoice, Map.of("amount", 5000)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("invoice_not_editable");
        assertThat(getJson(merchant, "/v1/invoices/" + invoice).get("amount").asLong()).isEqualTo(10000);
    }

    @Test
    void listsAreNewestFirstFilteredByCustomerAndStatusAndCursorPaginated() {
        String merchant = newMerchantId();
        aCustomer(merchant, "alice");
        aCustomer(merchant, "bob");
        String first = anInvoice(merchant, "alice", 1000, "USD");
        String second = anInvoice(merchant, "alice", 2000, "USD");
        String third = anInvoice(merchant, "alice", 3000, "USD");
        String bobs = anInvoice(merchant, "bob", 4000, "USD");
        post(merchant, "/v1/invoices/" + second + "/void", null).expectStatus().isOk();

        JsonNode page = getJson(merchant, "/v1/invoices?customer_id=alice&limit=2");
        assertThat(page.get("data").findValuesAsString("id")).containsExactly(third, second);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode next = getJson(merchant, "/v1/invoices?customer_id=alice&limit=2&starting_after=" + second);
        assertThat(next.get("data").findValuesAsString("id")).containsExactly(first);
        assertThat(next.get("has_more").asBoolean()).isFalse();
        assertThat(getJson(merchant, "/v1/invoices?status=void").get("data").findValuesAsString("id")).containsExactly(second);
        assertThat(getJson(merchant, "/v1/invoices?status=open").get("data").findValuesAsString("id")).containsExactly(bobs, third, first);
        assertThat(getJson(merchant, "/v1/invoices?status=paid").get("data").isEmpty()).isTrue();
        assertThat(getJson(merchant, "/v1/invoices?status=&customer_id=").get("data").size()).isEqualTo(4);
        assertThat(getJson(newMerchantId(), "/v1/invoices").get("data").isEmpty()).isTrue();

        as(merchant).get().uri("/v1/invoices?status=draft").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_status").jsonPath("$.param").isEqualTo("status");
        as(merchant).get().uri("/v1/invoices?limit=101").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("limit");
        as(merchant).get().uri("/v1/invoices?starting_after=inv_unknown").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_starting_after");
        as(newMerchantId()).get().uri("/v1/invoices?starting_after=" + first).exchange().expectStatus().isEqualTo(422);
    }

    @Test
    void aNewInvoiceHasNoPaymentsYet() {
        String merchant = newMerchantId();
        String invoice = anInvoice(merchant, 10000);

        JsonNode payments = getJson(merchant, "/v1/invoices/" + invoice + "/payments");

        assertThat(payments.get("data").isEmpty()).isTrue();
        assertThat(payments.get("has_more").asBoolean()).isFalse();
        as(merchant).get().uri("/v1/invoices/{id}/payments?starting_after=pay_none", invoice).exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_starting_after");
    }
}
