package dev.paystream.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.events.Topics;
import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import dev.paystream.webhook.support.Events;
import dev.paystream.webhook.support.WebhookServiceTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The fan-out's parked events, through the platform's parked-events endpoint at /v1/webhooks/parked-events. */
class ParkedEventsIntegrationTest extends WebhookServiceTest {

    @Test
    void anEventWithoutAMerchantIsParkedListedForTheOperatorAndStaysParkedWhenReDriven() {
        String eventId = Events.newEventId();
        String paymentId = Events.newPaymentId();
        Events.publish(new Events.Event(eventId, "payment.captured", Topics.PAYMENTS, paymentId, """
                {"id":"%s","type":"payment.captured","version":1,"aggregate_id":"%s","sequence":1,"occurred_at":"2026-11-23T18:30:00Z",
                 "data":{"payment":{"id":"%s"}}}""".formatted(eventId, paymentId, paymentId)));

        JsonNode parked = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> streamOf(list("/v1/webhooks/parked-events?status=parked&limit=100").get("data"))
                        .filter(event -> eventId.equals(event.path("event_id").asString())).findFirst(), found -> found.isPresent())
                .orElseThrow();
        assertThat(parked.get("consumer").asString()).isEqualTo("webhook-fan-out");
        String id = parked.get("id").asString();
        assertThat(JSON.readTree(asOperator().get().uri("/v1/webhooks/parked-events/" + id).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody()).get("event_id").asString()).isEqualTo(eventId);

        JsonNode redriven = JSON.readTree(asOperator().post().uri("/v1/webhooks/parked-events/" + id + "/redrive").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());

        assertThat(redriven.get("status").asString()).isEqualTo("parked");
        assertThat(redriven.get("redrive_count").asInt()).isEqualTo(1);
        as(newMerchantId()).get().uri("/v1/webhooks/parked-events").exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("admin_key_required");
    }

    private JsonNode list(String path) {
        return JSON.readTree(asOperator().get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private WebTestClient asOperator() {
        return web.mutate()
                .defaultHeader(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .defaultHeader(GatewayHeaders.ADMIN, "true")
                .build();
    }
}
