package dev.paystream.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.paystream.webhook.support.Events;
import dev.paystream.webhook.support.Receiver;
import dev.paystream.webhook.support.WebhookServiceTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Deliveries end to end inside the service: an event on Kafka, a real receiver on 127.0.0.1, signatures checked by the official library. */
class DeliveryIntegrationTest extends WebhookServiceTest {

    @Test
    void aReceiverFailingTwiceGetsEachEventDeliveredOnceWithAValidSignatureEveryTime() throws Exception {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.failingTimesPerEvent(2)) {
            JsonNode endpoint = createEndpoint(merchant, receiver.url("/hooks"), List.of("payment.captured"));
            String secret = endpoint.get("secret").asString();
            Events.Event first = Events.paymentCaptured(merchant);
            Events.Event second = Events.paymentCaptured(merchant);

            Events.publish(first, second);

            for (Events.Event event : List.of(first, second)) {
                JsonNode delivery = deliveriesOf(merchant, event.id(), allWithStatus(1, "delivered")).get(0);
                assertThat(delivery.get("endpoint_id").asString()).isEqualTo(endpoint.get("id").asString());
                assertThat(delivery.get("event_type").asString()).isEqualTo("payment.captured");
                assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
                assertThat(streamOf(delivery.get("attempts")).map(attempt -> attempt.get("status_code").asInt())).containsExactly(500, 500, 200);
                assertThat(delivery.get("attempts").get(0).get("response_body").asString()).isEqualTo("not yet");
                List<Receiver.Request> received = receiver.requestsFor(event.id());
                assertThat(received).hasSize(3);
                for (Receiver.Request request : received) {
                    verify(secret, request);
                    assertThat(request.path()).isEqualTo("/hooks");
                    assertThat(request.header("content-type")).isEqualTo("application/json");
                }
                JsonNode body = JSON.readTree(received.get(0).body());
                assertThat(body.get("id").asString()).isEqualTo(event.id());
                assertThat(body.get("type").asString()).isEqualTo("payment.captured");
                assertThat(body.get("created_at").asString()).isEqualTo("2026-11-23T18:30:00Z");
                assertThat(body.get("data").get("id").asString()).isEqualTo(event.key());
                assertThat(body.get("data").get("status").asString()).isEqualTo("captured");
            }
            // Nothing more arrives once delivered: the successes were the last requests.
            assertThat(receiver.requests()).hasSize(6);
        }
    }

    @Test
    void anEventGoesToEveryEnabledSubscribedEndpointOfItsMerchantOnceEvenWhenPublishedTwice() {
        String merchant = newMerchantId();
        String otherMerchant = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            String all = createEndpoint(merchant, receiver.url("/all"), List.of("*")).get("id").asString();
            String prefix = createEndpoint(merchant, receiver.url("/payments"), List.of("payment.*")).get("id").asString();
            String exact = createEndpoint(merchant, receiver.url("/captured"), List.of("payment.captured", "payout.paid")).get("id").asString();
            createEndpoint(merchant, receiver.url("/refunds"), List.of("payment.refunded"));
            String disabled = createEndpoint(merchant, receiver.url("/disabled"), List.of("*")).get("id").asString();
            as(merchant).patch().uri("/v1/webhook-endpoints/" + disabled).bodyValue(Map.of("disabled", true)).exchange().expectStatus().isOk();
            createEndpoint(otherMerchant, receiver.url("/other"), List.of("*"));
            Events.Event captured = Events.paymentCaptured(merchant);

            Events.publish(captured, captured);

            JsonNode deliveries = deliveriesOf(merchant, captured.id(), allWithStatus(3, "delivered"));
            assertThat(streamOf(deliveries).map(delivery -> delivery.get("endpoint_id").asString())).containsExactlyInAnyOrder(all, prefix, exact);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requestsFor(captured.id()).size() == 3);
            assertThat(receiver.requestsFor(captured.id())).extracting(Receiver.Request::path)
                    .containsExactlyInAnyOrder("/all", "/payments", "/captured");
            assertThat(get(otherMerchant, "/v1/webhook-deliveries?event_id=" + captured.id()).get("data")).isEmpty();
        }
    }

    @Test
    void aRefundCarriesTheRefundAndASettlementFromItsOwnTopicCarriesTheSettlement() {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            createEndpoint(merchant, receiver.url("/hooks"), List.of("*"));
            Events.Event refunded = Events.payment("payment.refunded", merchant, Events.newPaymentId(), Events.newEventId());
            Events.Event settled = Events.settlementCompleted(merchant);

            Events.publish(refunded, settled);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(refunded.id()).size() == 1
                    && receiver.requestsFor(settled.id()).size() == 1);
            JsonNode refund = JSON.readTree(receiver.requestsFor(refunded.id()).get(0).body()).get("data");
            assertThat(refund.get("id").asString()).startsWith("re_");
            assertThat(refund.get("payment_id").asString()).isEqualTo(refunded.key());
            JsonNode settlement = JSON.readTree(receiver.requestsFor(settled.id()).get(0).body()).get("data");
            assertThat(settlement.get("id").asString()).isEqualTo(settled.key());
        }
    }

    @Test
    void afterARotationDeliveriesAreSignedWithTheNewSecretAndTheOldOne() throws Exception {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            JsonNode endpoint = createEndpoint(merchant, receiver.url("/hooks"), List.of("*"));
            String oldSecret = endpoint.get("secret").asString();
            JsonNode rotated = JSON.readTree(as(merchant).post().uri("/v1/webhook-endpoints/" + endpoint.get("id").asString() + "/rotate-secret")
                    .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
            String newSecret = rotated.get("secret").asString();
            assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
            Events.Event event = Events.paymentCaptured(merchant);

            Events.publish(event);

            Receiver.Request request = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(event.id()), requests -> requests.size() == 1).get(0);
            assertThat(request.header("webhook-signature").split(" ")).hasSize(2).allMatch(signature -> signature.startsWith("v1,"));
            verify(newSecret, request);
            verify(oldSecret, request);
            assertThatThrownBy(() -> verify("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), request))
                    .isInstanceOf(WebhookVerificationException.class);
        }
    }

    @Test
    void aGoneAnswerDisablesTheEndpointAndFailsTheDelivery() {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.answering(request -> Receiver.Answer.of(410, "gone"))) {
            String endpoint = createEndpoint(merchant, receiver.url("/hooks"), List.of("*")).get("id").asString();
            Events.Event event = Events.paymentCaptured(merchant);

            Events.publish(event);

            JsonNode delivery = deliveriesOf(merchant, event.id(), allWithStatus(1, "failed")).get(0);
            assertThat(delivery.get("attempts")).hasSize(1);
            JsonNode disabled = get(merchant, "/v1/webhook-endpoints/" + endpoint);
            assertThat(disabled.get("disabled").asBoolean()).isTrue();
            assertThat(disabled.get("disabled_reason").asString()).isEqualTo("gone");
            Events.Event later = Events.paymentCaptured(merchant);
            Events.publish(later, Events.paymentCaptured(merchant));
            // The later events are consumed (a marker event behind them gets its delivery) and make none for the disabled endpoint.
            try (Receiver marker = Receiver.ok()) {
                String other = newMerchantId();
                createEndpoint(other, marker.url("/marker"), List.of("*"));
                Events.Event markerEvent = Events.paymentCaptured(other);
                Events.publish(markerEvent);
                deliveriesOf(other, markerEvent.id(), allWithStatus(1, "delivered"));
            }
            assertThat(get(merchant, "/v1/webhook-deliveries?event_id=" + later.id()).get("data")).isEmpty();
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void aDeliveryThatFailsEveryAttemptOfTheScheduleFailsAndCanBeSentAgainByHandOrRecovered() {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.answering(request -> Receiver.Answer.of(503, "down"))) {
            String endpoint = createEndpoint(merchant, receiver.url("/hooks"), List.of("*")).get("id").asString();
            Instant before = Instant.now().minusSeconds(1);
            Events.Event first = Events.paymentCaptured(merchant);
            Events.Event second = Events.paymentCaptured(merchant);

            Events.publish(first, second);

            JsonNode failed = deliveriesOf(merchant, first.id(), allWithStatus(1, "failed")).get(0);
            // The test schedule has 3 delays: 4 attempts in all.
            assertThat(failed.get("attempts")).hasSize(4);
            assertThat(failed.get("next_attempt_at").isNull()).isTrue();
            deliveriesOf(merchant, second.id(), allWithStatus(1, "failed"));
            receiver.answer(request -> Receiver.Answer.status(204));

            byte[] retried = as(merchant).post().uri("/v1/webhook-deliveries/" + failed.get("id").asString() + "/retry").exchange()
                    .expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("pending").returnResult().getResponseBody();
            assertThat(JSON.readTree(retried).get("id").asString()).isEqualTo(failed.get("id").asString());
            JsonNode delivered = deliveriesOf(merchant, first.id(), allWithStatus(1, "delivered")).get(0);
            assertThat(delivered.get("attempts")).hasSize(5);

            as(merchant).post().uri("/v1/webhook-endpoints/" + endpoint + "/recover").bodyValue(Map.of("since", before.toString())).exchange()
                    .expectStatus().isAccepted().expectBody().jsonPath("$.deliveries_queued").isEqualTo(1);
            deliveriesOf(merchant, second.id(), allWithStatus(1, "delivered"));
            assertThat(get(merchant, "/v1/webhook-deliveries?endpoint_id=" + endpoint + "&status=failed").get("data")).isEmpty();
            assertThat(get(merchant, "/v1/webhook-deliveries?endpoint_id=" + endpoint + "&status=delivered").get("data")).hasSize(2);
        }
    }

    @Test
    void noRedirectIsFollowedAndOnlyTheFirstKibibyteOfAnAnswerIsKept() {
        String merchant = newMerchantId();
        try (Receiver elsewhere = Receiver.ok();
             Receiver receiver = Receiver.answering(request -> Receiver.Answer.of(302, "x".repeat(5000)).withHeader("Location", elsewhere.url("/x")))) {
            createEndpoint(merchant, receiver.url("/hooks"), List.of("*"));
            Events.Event event = Events.paymentCaptured(merchant);

            Events.publish(event);

            JsonNode delivery = deliveriesOf(merchant, event.id(), allWithStatus(1, "failed")).get(0);
            JsonNode attempt = delivery.get("attempts").get(0);
            assertThat(attempt.get("status_code").asInt()).isEqualTo(302);
            assertThat(attempt.get("response_body").asString()).hasSize(1024);
            assertThat(elsewhere.requests()).isEmpty();
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsAFailedAttemptAndASlowReceiverDoesNotHoldBackAFastOne() {
        String slowMerchant = newMerchantId();
        String fastMerchant = newMerchantId();
        try (Receiver slow = Receiver.answering(request -> Receiver.Answer.status(200).after(3_000));
             Receiver fast = Receiver.ok()) {
            createEndpoint(slowMerchant, slow.url("/slow"), List.of("*"));
            createEndpoint(fastMerchant, fast.url("/fast"), List.of("*"));
            List<Events.Event> slowEvents = java.util.stream.IntStream.range(0, 12).mapToObj(i -> Events.paymentCaptured(slowMerchant)).toList();
            List<Events.Event> fastEvents = java.util.stream.IntStream.range(0, 12).mapToObj(i -> Events.paymentCaptured(fastMerchant)).toList();

            Events.publish(slowEvents.toArray(Events.Event[]::new));
            Events.publish(fastEvents.toArray(Events.Event[]::new));

            // 12 slow deliveries at 1 s each, 2 at a time, would hold 8 shared slots for 6 s; the fast ones are done long before.
            for (Events.Event event : fastEvents) {
                deliveriesOf(fastMerchant, event.id(), allWithStatus(1, "delivered"));
            }
            assertThat(get(slowMerchant, "/v1/webhook-deliveries?status=pending&limit=100").get("data").size())
                    .as("the slow receiver's deliveries are still being tried").isPositive();
            JsonNode timedOut = deliveriesOf(slowMerchant, slowEvents.get(0).id(), data -> data.size() == 1 && data.get(0).get("attempts").size() > 0)
                    .get(0).get("attempts").get(0);
            assertThat(timedOut.get("status_code").isNull()).isTrue();
            assertThat(timedOut.get("error").asString()).isEqualTo("timeout");
            assertThat(timedOut.get("latency_ms").asLong()).isBetween(900L, 3_000L);
        }
    }

    @Test
    void attemptsTheirLatencyAndPendingDeliveriesAreMetrics() {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.failingTimesPerEvent(1)) {
            createEndpoint(merchant, receiver.url("/hooks"), List.of("*"));
            Events.Event event = Events.paymentCaptured(merchant);
            Events.publish(event);
            deliveriesOf(merchant, event.id(), allWithStatus(1, "delivered"));

            String metrics = new String(web.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build().get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody().returnResult()
                    .getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(metrics).contains("paystream_webhook_attempts_total{application=\"webhook-service\",outcome=\"succeeded\"}")
                    .contains("paystream_webhook_attempts_total{application=\"webhook-service\",outcome=\"http_error\"}")
                    .contains("paystream_webhook_attempt_latency_seconds_count")
                    .contains("paystream_webhook_deliveries_pending ")
                    .contains("paystream_webhook_deliveries_oldest_pending_age_seconds ")
                    .contains("paystream_webhook_deliveries_ended_total{application=\"webhook-service\",outcome=\"delivered\"}");
        }
    }
}
