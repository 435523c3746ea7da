package dev.paystream.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.customer.support.CustomerServiceTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** CONTRACT §12: the OpenAPI document describes every endpoint, its bodies in their wire names and its error codes. */
class OpenApiDocumentTest extends CustomerServiceTest {

    @Test
    void describesTheCustomerAndInvoiceEndpointsWithTheirBodiesAndErrors() {
        JsonNode document = web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1024 * 1024)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        JsonNode paths = document.get("paths");
        assertThat(paths.get("/v1/customers").propertyNames()).contains("get", "post");
        assertThat(paths.get("/v1/customers/{customerId}").propertyNames()).contains("get", "patch");
        assertThat(paths.get("/v1/invoices").propertyNames()).contains("get", "post");
        assertThat(paths.get("/v1/invoices/{id}").propertyNames()).contains("get", "patch");
        assertThat(paths.has("/v1/invoices/{id}/void")).isTrue();
        assertThat(paths.has("/v1/invoices/{id}/payments")).isTrue();
        assertThat(paths.has("/v1/invoices/parked-events/{id}/redrive")).isTrue();
        assertThat(paths.get("/v1/customers").get("post").get("responses").get("409").get("description").asString()).contains("customer_exists");
        assertThat(paths.get("/v1/invoices/{id}").get("patch").get("responses").get("409").get("description").asString())
                .contains("invoice_not_editable");
        assertThat(paths.get("/v1/invoices/{id}/void").get("post").get("responses").get("409").get("description").asString())
                .contains("invoice_not_voidable");
        assertThat(paths.get("/v1/invoices").get("post").get("responses").get("422").get("description").asString())
                .contains("resource_missing");
        assertThat(paths.get("/v1/customers").get("post").toString()).doesNotContain("Caller").doesNotContain("Idempotency-Key");
        String schemas = document.get("components").get("schemas").toString();
        assertThat(schemas).contains("amount_due").contains("due_date").contains("amount_reversed").doesNotContain("amountDue");
        assertThat(document.get("components").get("schemas").get("UpdateInvoiceRequest").get("properties").propertyNames())
                .containsExactlyInAnyOrder("amount", "description", "due_date", "metadata");
        assertThat(document.get("components").get("schemas").get("UpdateCustomerRequest").get("properties").propertyNames())
                .containsExactlyInAnyOrder("email", "name", "metadata");
    }
}
