package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15 item 7, CONTRACT §6, §8, §9: the whole life of a merchant's money through the gateway — payments,
 * a refund before settlement, a settlement, a refund of a settled payment, a payout paid and one failed —
 * and then the ledger, built only from the events, agrees with payment-service's own figures per currency
 * (ADR 0006, "Reconciliation with payment-service") and its drift checks find nothing.
 */
@ExtendWith(Platform.Shared.class)
class LedgerReconciliationEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration AGREED_WITHIN = Duration.ofSeconds(90);
    private static GatewayClient client;
    private static String adminKey;

    @BeforeAll
    static void connect(Platform platform) {
        client = platform.client();
        adminKey = platform.adminKey();
    }

    @Test
    void afterPaymentsRefundsASettlementAndPayoutsTheLedgersBalancesEqualPaymentServicesPerCurrencyAndNoCheckDrifts() throws Exception {
        JsonNode merchant = created(send("POST", "/v1/merchants", adminKey, "{\"name\":\"Reconciled\"}"));
        String merchantId = merchant.get("id").asString();
        String apiKey = merchant.get("api_key").asString();
        String customerId = "e2e-" + UUID.randomUUID();
        created(send("POST", "/v1/customers", apiKey, "{\"customer_id\":\"" + customerId + "\",\"email\":\"payee@example.com\"}"));

        // Odd amounts, so that the fees round (half up) and a wrong rounding anywhere shows.
        String usdRefundedBefore = pay(apiKey, 1999, "USD");
        String usdRefundedAfter = pay(apiKey, 4567, "USD");
        pay(apiKey, 333, "USD");
        pay(apiKey, 10001, "USD");
        String eurRefundedAfter = pay(apiKey, 2501, "EUR");
        pay(apiKey, 777, "EUR");
        refund(apiKey, usdRefundedBefore, 1000);

        JsonNode settlements = JSON.readTree(send("POST", "/v1/settlements", apiKey, "{}").body());
        assertThat(settlements.get("data")).as(settlements.toString()).hasSize(2);

        refund(apiKey, usdRefundedAfter, 567);
        refund(apiKey, eurRefundedAfter, 2501);
        String paid = payout(apiKey, customerId, 2500, "USD");
        String failed = payout(apiKey, customerId, 1002, "USD");
        String eurPaid = payout(apiKey, customerId, 1203, "EUR");
        awaitPayout(apiKey, paid, "paid");
        awaitPayout(apiKey, failed, "failed");
        awaitPayout(apiKey, eurPaid, "paid");

        // payment-service's figures do not change any more; the ledger follows from the events.
        JsonNode balance = JSON.readTree(send("GET", "/v1/balance", apiKey, null).body());
        Map<String, Long> fees = settlementFees(apiKey);
        long started = System.nanoTime();
        Map<String, Map<String, Long>> ledger = await().atMost(AGREED_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> ledgerBalances(apiKey), shown -> agrees(shown, balance, fees));
        JsonNode drift = await().atMost(AGREED_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(send("GET", "/v1/ledger/drift?merchant_id=" + merchantId, adminKey, null).body()),
                        shown -> shown.get("drift").asLong() == 0 && shown.get("checks").size() == 12);
        long agreedAfterMillis = (System.nanoTime() - started) / 1_000_000;

        Map<String, Long> available = amounts(balance.get("available"));
        Map<String, Long> pending = amounts(balance.get("pending"));
        // USD: captured 16900, refunded 1567 (1000 before the batch, 567 after), fees 88 + 162 + 40 + 320 = 610, paid out 2500
        // (1002 failed and came back). EUR: captured 3278, fees 103 + 53 = 156, paid out 1203.
        assertThat(available).isEqualTo(Map.of("USD", 16900 - 1000 - 610 - 2500L, "EUR", 3278 - 156 - 1203L));
        // Refunds of settled payments are pending (negative) until the next batch settles them.
        assertThat(pending).isEqualTo(Map.of("USD", -567L, "EUR", -2501L));
        assertThat(fees).isEqualTo(Map.of("USD", 610L, "EUR", 156L));
        for (String currency : List.of("USD", "EUR")) {
            assertThat(ledger.get(currency).get("merchant_available")).as(currency).isEqualTo(available.get(currency));
            assertThat(ledger.get(currency).get("merchant_pending")).as(currency).isEqualTo(pending.get(currency));
            assertThat(ledger.get(currency).get("fees")).as(currency).isEqualTo(fees.get(currency));
        }
        assertThat(ledger.get("USD")).containsEntry("customer_funds", 16900 - 1567L).containsEntry("payouts", 2500L);
        assertThat(ledger.get("EUR")).containsEntry("customer_funds", 3278 - 2501L).containsEntry("payouts", 1203L);
        assertThat(drift.get("checks").valueStream().map(check -> check.get("check").asString()).distinct().toList())
                .containsExactly("trial_balance", "settlement_gross", "settlement_fees", "settled_captures", "settlement_refunds", "merchant_pending");
        JsonNode trialBalance = JSON.readTree(send("GET", "/v1/ledger/trial-balance", adminKey, null).body());
        assertThat(trialBalance.get("balanced").asBoolean()).as(trialBalance.toString()).isTrue();
        // The figures compared, for docs/benchmarks.md ("Ledger reconciliation").
        System.out.printf("[reconciliation] balance %s; fees %s; ledger %s; drift %d; ledger agreed %d ms after payment-service's last change%n",
                balance, fees, ledger, drift.get("drift").asLong(), agreedAfterMillis);
    }

    private static boolean agrees(Map<String, Map<String, Long>> ledger, JsonNode balance, Map<String, Long> fees) {
        Map<String, Long> available = amounts(balance.get("available"));
        Map<String, Long> pending = amounts(balance.get("pending"));
        for (String currency : available.keySet()) {
            Map<String, Long> accounts = ledger.getOrDefault(currency, Map.of());
            if (!available.get(currency).equals(accounts.getOrDefault("merchant_available", 0L))
                    || !pending.get(currency).equals(accounts.getOrDefault("merchant_pending", 0L))
                    || !fees.getOrDefault(currency, 0L).equals(accounts.getOrDefault("fees", 0L))) {
                return false;
            }
        }
        return ledger.keySet().equals(available.keySet());
    }

    /** currency → account → balance (on the account's normal side), from {@code GET /v1/ledger/balances}. */
    private static Map<String, Map<String, Long>> ledgerBalances(String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", "/v1/ledger/balances", apiKey, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Map<String, Long>> balances = new TreeMap<>();
        JSON.readTree(response.body()).get("data").forEach(account -> balances
                .computeIfAbsent(account.get("currency").asString(), currency -> new TreeMap<>())
                .put(account.get("account").asString(), account.get("balance").asLong()));
        return balances;
    }

    /** The sum of the fees of every settlement of the merchant, per currency (GET /v1/settlements, every page). */
    private static Map<String, Long> settlementFees(String apiKey) throws IOException, InterruptedException {
        Map<String, Long> fees = new TreeMap<>();
        String after = null;
        do {
            JsonNode page = JSON.readTree(send("GET", "/v1/settlements?limit=100" + (after == null ? "" : "&starting_after=" + after), apiKey, null).body());
            List<JsonNode> settlements = new ArrayList<>();
            page.get("data").forEach(settlements::add);
            settlements.forEach(settlement -> fees.merge(settlement.get("currency").asString(), settlement.get("fee_amount").asLong(), Long::sum));
            after = page.get("has_more").asBoolean() ? settlements.get(settlements.size() - 1).get("id").asString() : null;
        } while (after != null);
        return fees;
    }

    private static Map<String, Long> amounts(JsonNode list) {
        Map<String, Long> amounts = new TreeMap<>();
        list.forEach(amount -> amounts.put(amount.get("currency").asString(), amount.get("amount").asLong()));
        return amounts;
    }

    private static String pay(String apiKey, long amount, String currency) throws IOException, InterruptedException {
        JsonNode payment = created(send("POST", "/v1/payments", apiKey, idempotent(), "{\"amount\":" + amount + ",\"currency\":\"" + currency
                + "\",\"payment_method\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}}"));
        assertThat(payment.get("status").asString()).isEqualTo("captured");
        return payment.get("id").asString();
    }

    private static void refund(String apiKey, String paymentId, long amount) throws IOException, InterruptedException {
        created(send("POST", "/v1/payments/" + paymentId + "/refunds", apiKey, idempotent(), "{\"amount\":" + amount + "}"));
    }

    private static String payout(String apiKey, String customerId, long amount, String currency) throws IOException, InterruptedException {
        return created(send("POST", "/v1/payouts", apiKey, idempotent(), "{\"customer_id\":\"" + customerId + "\",\"amount\":" + amount
                + ",\"currency\":\"" + currency + "\",\"method\":\"bank_transfer\"}")).get("id").asString();
    }

    private static void awaitPayout(String apiKey, String payoutId, String status) {
        await().atMost(AGREED_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(send("GET", "/v1/payouts/" + payoutId, apiKey, null).body()).get("status").asString(), status::equals);
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static Map<String, String> idempotent() {
        return Map.of("Idempotency-Key", UUID.randomUUID().toString());
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, String body) throws IOException, InterruptedException {
        return client.send(method, path, apiKey, Map.of(), body);
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        return client.send(method, path, apiKey, headers, body);
    }
}
