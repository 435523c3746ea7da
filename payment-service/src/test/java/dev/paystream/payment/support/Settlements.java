package dev.paystream.payment.support;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Payments captured and settled through the API, as a merchant makes money available. */
public final class Settlements {

    private Settlements() {
    }

    /** Captures a card payment of {@code amount} in {@code currency} and returns it. */
    public static JsonNode captured(WebTestClient merchant, long amount, String currency) {
        return merchant.post().uri("/v1/payments").header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("amount", amount, "currency", currency, "payment_method", "card",
                        "card", Map.of("number", "4242424242424242", "exp_month", 12, "exp_year", 2030, "cvc", "123")))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /** Settles the merchant now ({@code POST /v1/settlements}) and returns the answer's body. */
    public static JsonNode settleNow(WebTestClient merchant, Map<String, Object> body) {
        return merchant.post().uri("/v1/settlements").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().value(status -> org.assertj.core.api.Assertions.assertThat(status).isIn(200, 201))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    /**
     * Makes {@code available} (at least 31 minor units: a payment's fee is its 2.9 % and 30) available to pay
     * out: a payment whose net after the fee is exactly that, captured and settled.
     */
    public static void makeAvailable(WebTestClient merchant, String currency, long available) {
        // net(amount) = amount - round_half_up(amount × 29 / 1000) - 30 grows by 0 or 1 with each unit: every net is some amount's.
        long amount = available + 30;
        while (amount - (amount * 29 + 500) / 1000 - 30 < available) {
            amount++;
        }
        captured(merchant, amount, currency);
        settleNow(merchant, Map.of("currency", currency));
    }
}
