package dev.paystream.customer.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.customer.support.CustomerServiceTest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** CONTRACT §4 against the running service: create, retrieve, list, update, and what is refused. */
class CustomerApiIntegrationTest extends CustomerServiceTest {

    @Test
    void createsACustomerUnderTheCallersOwnIdAndAnswersItBack() {
        String merchant = newMerchantId();

        post(merchant, "/v1/customers", Map.of("customer_id", "unixuser1", "email", "jane@example.com", "name", "Jane Doe",
                "metadata", Map.of("plan", "gold")))
                .expectStatus().isCreated()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.id").isEqualTo("unixuser1")
                .jsonPath("$.customer_id").isEqualTo("unixuser1")
                .jsonPath("$.email").isEqualTo("jane@example.com")
                .jsonPath("$.name").isEqualTo("Jane Doe")
                .jsonPath("$.metadata.plan").isEqualTo("gold")
                .jsonPath("$.created_at").value(at -> assertThat((String) at).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"))
                .jsonPath("$.updated_at").exists();

        JsonNode found = getJson(merchant, "/v1/customers/unixuser1");
        assertThat(found.get("email").asString()).isEqualTo("jane@example.com");
        assertThat(found.get("created_at")).isEqualTo(found.get("updated_at"));
    }

    @Test
    void generatesACusIdWhenTheCallerGivesNone() {
        String merchant = newMerchantId();

        JsonNode created = JSON.readTree(post(merchant, "/v1/customers", Map.of("email", "a@b.co")).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(created.get("id").asString()).startsWith("cus_").isEqualTo(created.get("customer_id").asString());
        assertThat(created.get("name").isNull()).isTrue();
        assertThat(created.get("metadata").isEmpty()).isTrue();
        getJson(merchant, "/v1/customers/" + created.get("id").asString());
    }

    @Test
    void twoMerchantsMayBothHaveACustomerIdButOneMerchantNotTwice() {
        String merchant = newMerchantId();
        String other = newMerchantId();
        aCustomer(merchant, "unixuser1");
        aCustomer(other, "unixuser1");

        post(merchant, "/v1/customers", Map.of("customer_id", "unixuser1", "email", "again@example.com"))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("customer_exists").jsonPath("$.param").isEqualTo("customer_id");
        assertThat(getJson(merchant, "/v1/customers/unixuser1").get("email").asString()).isEqualTo("unixuser1@example.com");
    }

    @Test
    void anotherMerchantsCustomerIsNotFound() {
        String merchant = newMerchantId();
        aCustomer(merchant, "private-one");

        as(newMerchantId()).get().uri("/v1/customers/private-one").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("resource_missing");
        patch(newMerchantId(), "/v1/customers/private-one", Map.of("name", "Mallory")).expectStatus().isNotFound();
        as(merchant).get().uri("/v1/customers/{id}", "no such one").exchange().expectStatus().isNotFound();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "a@b", "a@@b.co", "a b@c.co", "a@b.c", "@b.co", "a@-b.co", "a@b.co\u0000"})
    void aBadEmailIsA422NamingTheEmail(String email) {
        post(newMerchantId(), "/v1/customers", Map.of("email", email))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_email").jsonPath("$.param").isEqualTo("email");
    }

    @Test
    void everyOtherBadFieldIsA422NamingIt() {
        String merchant = newMerchantId();
        Map<String, Map<String, Object>> bodies = new LinkedHashMap<>();
        bodies.put("email", Map.of("name", "No email"));
        bodies.put("customer_id", Map.of("customer_id", "has/slash", "email", "a@b.co"));
        bodies.put("name", Map.of("email", "a@b.co", "name", "x".repeat(256)));
        bodies.put("metadata", Map.of("email", "a@b.co", "metadata", Map.of("k".repeat(41), "v")));
        bodies.forEach((field, body) -> post(merchant, "/v1/customers", body)
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo(field).jsonPath("$.code").isEqualTo("invalid_" + field));

        post(merchant, "/v1/customers", Map.of("email", "a@b.co", "phone", "555")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("unknown_parameter").jsonPath("$.param").isEqualTo("phone");
        post(merchant, "/v1/customers", Map.of("email", "a@b.co", "metadata", tooManyKeys(51))).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("metadata");
        post(merchant, "/v1/customers", Map.of("email", "a@b.co", "metadata", Map.of("k", "v".repeat(501)))).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("metadata");
        as(merchant).post().uri("/v1/customers").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"email\":").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("malformed_json");
        as(merchant).post().uri("/v1/customers").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("missing_body");
    }

    @Test
    void anUpdateMergesMetadataRemovesNullKeysAndChangesEmailAndName() {
        String merchant = newMerchantId();
        post(merchant, "/v1/customers", Map.of("customer_id", "u-merge", "email", "old@example.com", "name", "Old Name",
                "metadata", Map.of("keep", "1", "change", "2", "drop", "3"))).expectStatus().isCreated();
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("change", "two");
        metadata.put("drop", null);
        metadata.put("add", "4");

        patch(merchant, "/v1/customers/u-merge", Map.of("email", "new@example.com", "metadata", metadata))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.email").isEqualTo("new@example.com")
                .jsonPath("$.name").isEqualTo("Old Name")
                .jsonPath("$.metadata").isEqualTo(Map.of("keep", "1", "change", "two", "add", "4"));

        Map<String, Object> removeName = new HashMap<>();
        removeName.put("name", null);
        patch(merchant, "/v1/customers/u-merge", removeName).expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEmpty().jsonPath("$.email").isEqualTo("new@example.com");
        Map<String, Object> removeMetadata = new HashMap<>();
        removeMetadata.put("metadata", null);
        patch(merchant, "/v1/customers/u-merge", removeMetadata).expectStatus().isOk()
                .expectBody().jsonPath("$.metadata").isEqualTo(Map.of());
        assertThat(getJson(merchant, "/v1/customers/u-merge").get("name").isNull()).isTrue();
    }

    @Test
    void anUpdateCannotRemoveTheEmailChangeTheIdOrExceedTheMetadataLimit() {
        String merchant = newMerchantId();
        post(merchant, "/v1/customers", Map.of("customer_id", "u-limits", "email", "a@b.co", "metadata", tooManyKeys(50)))
                .expectStatus().isCreated();
        Map<String, Object> noEmail = new HashMap<>();
        noEmail.put("email", null);

        patch(merchant, "/v1/customers/u-limits", noEmail).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_email");
        patch(merchant, "/v1/customers/u-limits", Map.of("email", "not-an-email")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("email");
        patch(merchant, "/v1/customers/u-limits", Map.of("customer_id", "renamed")).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("unknown_parameter").jsonPath("$.param").isEqualTo("customer_id");
        patch(merchant, "/v1/customers/u-limits", Map.of("metadata", Map.of("one-more", "x"))).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_metadata");
        assertThat(getJson(merchant, "/v1/customers/u-limits").get("metadata").size()).isEqualTo(50);
    }

    @Test
    void listsAreNewestFirstFilteredByEmailRegardlessOfCaseAndCursorPaginated() {
        String merchant = newMerchantId();
        for (String id : List.of("first", "second", "third")) {
            post(merchant, "/v1/customers", Map.of("customer_id", id, "email", "Shared@Example.com")).expectStatus().isCreated();
        }
        aCustomer(merchant, "someone-else");

        JsonNode page = getJson(merchant, "/v1/customers?email=shared@example.COM&limit=2");
        assertThat(page.get("data").findValuesAsString("id")).containsExactly("third", "second");
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode next = getJson(merchant, "/v1/customers?email=shared@example.com&limit=2&starting_after=second");
        assertThat(next.get("data").findValuesAsString("id")).containsExactly("first");
        assertThat(next.get("has_more").asBoolean()).isFalse();
        assertThat(getJson(merchant, "/v1/customers").get("data").findValuesAsString("id"))
                .containsExactly("someone-else", "third", "second", "first");
        assertThat(getJson(merchant, "/v1/customers?email=").get("data").size()).isEqualTo(4);
        assertThat(getJson(newMerchantId(), "/v1/customers").get("data").isEmpty()).isTrue();

        as(merchant).get().uri("/v1/customers?limit=0").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("limit");
        as(merchant).get().uri("/v1/customers?starting_after=nobody").exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_starting_after");
        as(newMerchantId()).get().uri("/v1/customers?starting_after=first").exchange().expectStatus().isEqualTo(422);
    }

    private static Map<String, String> tooManyKeys(int count) {
        Map<String, String> metadata = new HashMap<>();
        IntStream.range(0, count).forEach(index -> metadata.put("key" + index, "value"));
        return metadata;
    }
}
