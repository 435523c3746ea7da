package dev.paystream.ledger;

import static dev.paystream.ledger.support.PaymentEvents.captured;
import static dev.paystream.ledger.support.PaymentEvents.newMerchantId;
import static dev.paystream.ledger.support.PaymentEvents.newPaymentId;
import static dev.paystream.ledger.support.Broker.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The ledger's HTTP API beyond the conventions every service shares ({@link LedgerServiceConventionsTest}):
 * pagination, validation, who may call what, and what its OpenAPI document shows.
 */
class LedgerApiIntegrationTest extends LedgerIntegrationTestBase {

    private final String merchantId = newMerchantId();

    @Test
    void listsEntriesNewestFirstOnePageAfterTheOther() {
        Instant first = Instant.parse("2026-11-23T10:00:00Z");
        List<String> paymentIds = List.of(newPaymentId(), newPaymentId(), newPaymentId());
        for (int i = 0; i < paymentIds.size(); i++) {
            publish(captured(merchantId, paymentIds.get(i), 1000 + i, "USD", first.plusSeconds(i)));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> okJson(getAsMerchant(merchantId, "/v1/ledger/entries")).get("data").size() == 3);

        JsonNode firstPage = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?limit=2"));
        String lastOfFirstPage = firstPage.get("data").get(1).get("id").asString();
        JsonNode secondPage = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?limit=2&starting_after=" + lastOfFirstPage));

        assertThat(paymentIdsOf(firstPage)).containsExactly(paymentIds.get(2), paymentIds.get(1));
        assertThat(firstPage.get("has_more").asBoolean()).isTrue();
        assertThat(paymentIdsOf(secondPage)).containsExactly(paymentIds.get(0));
        assertThat(secondPage.get("has_more").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "ten", "2.5"})
    void refusesALimitOutsideOneToAHundred(String limit) {
        getAsMerchant(merchantId, "/v1/ledger/entries?limit=" + limit)
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.param").isEqualTo("limit")
                .jsonPath("$.code").isEqualTo("invalid_limit")
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void refusesToStartAfterAnEntryItDoesNotKnow() {
        getAsMerchant(merchantId, "/v1/ledger/entries?starting_after=je_0123456789abcdef01234567")
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo("starting_after");
    }

    @Test
    void listsOnlyTheEntriesWithALineOnTheGivenAccountOfTheGivenPayment() {
        String paymentId = newPaymentId();
        String otherPaymentId = newPaymentId();
        publish(captured(merchantId, paymentId, 5000, "USD", Instant.parse("2026-11-23T10:00:00Z")));
        publish(captured(merchantId, otherPaymentId, 700, "USD", Instant.parse("2026-11-23T10:00:01Z")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> okJson(getAsMerchant(merchantId, "/v1/ledger/entries")).get("data").size() == 2);

        JsonNode pending = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?account=merchant_pending&payment_id=" + paymentId));
        JsonNode available = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?account=merchant_available"));
        JsonNode allAccounts = okJson(getAsMerchant(merchantId, "/v1/ledger/entries?account=&payment_id=" + otherPaymentId));

        assertThat(paymentIdsOf(pending)).containsExactly(paymentId);
        assertThat(available.get("data")).isEmpty();
        assertThat(paymentIdsOf(allAccounts)).containsExactly(otherPaymentId);
        assertThat(pending.get("data").get(0).has("payout_id")).isTrue();
        assertThat(pending.get("data").get(0).get("payout_id").isNull()).isTrue();
        assertThat(pending.get("data").get(0).get("settlement_id").isNull()).isTrue();
    }

    @Test
    void aPayoutOrSettlementWithoutEntriesListsNothing() {
        publish(captured(merchantId, newPaymentId(), 5000, "USD", Instant.parse("2026-11-23T10:00:00Z")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> okJson(getAsMerchant(merchantId, "/v1/ledger/entries")).get("data").size() == 1);

        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/entries?payout_id=po_0123456789abcdef")).get("data")).isEmpty();
        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/entries?settlement_id=st_0123456789abcdef")).get("data")).isEmpty();
    }

    @Test
    void refusesAnAccountOutsideTheChartOfAccounts() {
        getAsMerchant(merchantId, "/v1/ledger/entries?account=cash")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.param").isEqualTo("account")
                .jsonPath("$.code").isEqualTo("invalid_account")
                .jsonPath("$.detail").isEqualTo("account must be one of customer_funds, merchant_pending, merchant_available, fees, payouts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"payment_id", "payout_id", "settlement_id"})
    void refusesAnIdFilterHoldingAControlCharacter(String filter) {
        getAsMerchant(merchantId, uri -> uri.path("/v1/ledger/entries").queryParam(filter, "po_\u0001").build())
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.param").isEqualTo(filter);
    }

    @Test
    void aMerchantWithoutEntriesGetsEmptyLists() {
        JsonNode entries = okJson(getAsMerchant(merchantId, "/v1/ledger/entries"));

        assertThat(entries.get("data")).isEmpty();
        assertThat(entries.get("has_more").asBoolean()).isFalse();
        assertThat(okJson(getAsMerchant(merchantId, "/v1/ledger/balances")).get("data")).isEmpty();
    }


    @Test
    void theOperatorMustActThroughAMerchantToSeeItsAccounts() {
        getAsOperator("/v1/ledger/balances")
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("merchant_key_required");
    }


    @Test
    void documentsItsEndpointsWithoutTheGatewaysCallerAsAParameter() {
        JsonNode paths = okJson(web.get().uri("/v3/api-docs").exchange()).get("paths");

        assertThat(paths.propertyNames()).contains("/v1/ledger/entries", "/v1/ledger/balances", "/v1/ledger/trial-balance");
        assertThat(paths.get("/v1/ledger/entries").get("get").get("parameters").valueStream().map(parameter -> parameter.get("name").asString()))
                .containsExactlyInAnyOrder("payment_id", "payout_id", "settlement_id", "account", "limit", "starting_after");
    }

    private static List<String> paymentIdsOf(JsonNode page) {
        return page.get("data").valueStream().map(entry -> entry.get("payment_id").asString()).toList();
    }
}
