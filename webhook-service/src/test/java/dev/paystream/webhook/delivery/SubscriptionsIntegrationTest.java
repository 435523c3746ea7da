package dev.paystream.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.webhook.delivery.application.FanOut;
import dev.paystream.webhook.endpoint.SecretSealer;
import dev.paystream.webhook.support.Events;
import dev.paystream.webhook.support.Receiver;
import dev.paystream.webhook.support.WebhookServiceTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The fan-out looks up what the merchants' endpoints subscribe to in a view it keeps in memory: an event
 * nobody subscribes to costs no write, and the view never misses an endpoint that existed before an
 * event was consumed, however the endpoint came to be (this instance's API or another instance's).
 *
 * <p>Each scenario publishes its events under one payment id, so they share a partition and are consumed
 * in order: once the last is delivered, the earlier ones were consumed.
 */
class SubscriptionsIntegrationTest extends WebhookServiceTest {

    @Autowired
    private SecretSealer sealer;

    @Autowired
    DatabaseClient sql;

    @Test
    void anEventNobodySubscribesToLeavesNoClaimNoBodyAndNoDelivery() {
        String unsubscribed = newMerchantId();
        String subscribed = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            createEndpoint(subscribed, receiver.url("/hooks"), List.of("*"));
            // The merchant has an endpoint, but not for captures.
            createEndpoint(unsubscribed, receiver.url("/refunds"), List.of("payment.refunded"));
            String paymentId = Events.newPaymentId();
            Events.Event ignored = Events.payment("payment.captured", unsubscribed, paymentId, Events.newEventId());
            Events.Event sentinel = Events.payment("payment.captured", subscribed, paymentId, Events.newEventId());

            Events.publish(ignored, sentinel);

            deliveriesOf(subscribed, sentinel.id(), allWithStatus(1, "delivered"));
            assertThat(count("SELECT count(*) FROM processed_events WHERE consumer = :consumer AND event_id = :id", ignored.id())).isZero();
            assertThat(count("SELECT count(*) FROM webhook_events WHERE id = :id", ignored.id())).isZero();
            assertThat(count("SELECT count(*) FROM webhook_deliveries WHERE event_id = :id", ignored.id())).isZero();
            assertThat(count("SELECT count(*) FROM processed_events WHERE consumer = :consumer AND event_id = :id", sentinel.id())).isOne();
            assertThat(receiver.requestsFor(ignored.id())).isEmpty();
        }
    }

    @Test
    void anEndpointCreatedAfterItsMerchantsEventsWentNowhereGetsTheNextOnes() {
        String merchant = newMerchantId();
        String witness = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            createEndpoint(witness, receiver.url("/witness"), List.of("*"));
            String paymentId = Events.newPaymentId();
            Events.Event before = Events.payment("payment.authorized", merchant, paymentId, Events.newEventId());
            Events.Event seen = Events.payment("payment.authorized", witness, paymentId, Events.newEventId());
            Events.publish(before, seen);
            // The merchant had no endpoint when its first event was consumed: the view holds it as subscribing to nothing.
            deliveriesOf(witness, seen.id(), allWithStatus(1, "delivered"));

            String endpoint = createEndpoint(merchant, receiver.url("/new"), List.of("payment.*")).get("id").asString();
            Events.Event after = Events.payment("payment.captured", merchant, paymentId, Events.newEventId());
            Events.publish(after);

            assertThat(deliveriesOf(merchant, after.id(), allWithStatus(1, "delivered")).get(0).get("endpoint_id").asString())
                    .isEqualTo(endpoint);
            assertThat(get(merchant, "/v1/webhook-deliveries?event_id=" + before.id()).get("data")).isEmpty();
        }
    }

    @Test
    void anEndpointWrittenByAnotherInstanceOrEnabledAgainCountsForTheNextEvent() {
        String merchant = newMerchantId();
        String witness = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            createEndpoint(witness, receiver.url("/witness"), List.of("*"));
            String paymentId = Events.newPaymentId();
            Events.Event first = Events.payment("payment.authorized", merchant, paymentId, Events.newEventId());
            Events.Event seen = Events.payment("payment.authorized", witness, paymentId, Events.newEventId());
            Events.publish(first, seen);
            deliveriesOf(witness, seen.id(), allWithStatus(1, "delivered"));

            // Another instance's API writes the row; nothing on this instance hears of it but the database.
            String endpoint = "we_other_instance_" + merchant.substring(4);
            // Its secret sealed, as every instance writes it (one database, one key).
            sql.sql("INSERT INTO webhook_endpoints (id, merchant_id, url, event_types, secret_sealed, created_at, updated_at) "
                            + "VALUES (:id, :merchant, :url, ARRAY['payment.captured'], :secret, now(), now())")
                    .bind("id", endpoint).bind("secret", sealer.seal(endpoint, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).bind("merchant", merchant).bind("url", receiver.url("/other-instance"))
                    .fetch().rowsUpdated().block();
            Events.Event second = Events.payment("payment.captured", merchant, paymentId, Events.newEventId());
            Events.publish(second);
            assertThat(deliveriesOf(merchant, second.id(), allWithStatus(1, "delivered")).get(0).get("endpoint_id").asString())
                    .isEqualTo(endpoint);

            as(merchant).patch().uri("/v1/webhook-endpoints/" + endpoint).bodyValue(Map.of("disabled", true)).exchange().expectStatus().isOk();
            Events.Event whileDisabled = Events.payment("payment.captured", merchant, paymentId, Events.newEventId());
            Events.Event seenAgain = Events.payment("payment.captured", witness, paymentId, Events.newEventId());
            Events.publish(whileDisabled, seenAgain);
            deliveriesOf(witness, seenAgain.id(), allWithStatus(1, "delivered"));
            as(merchant).patch().uri("/v1/webhook-endpoints/" + endpoint).bodyValue(Map.of("disabled", false)).exchange().expectStatus().isOk();
            Events.Event enabledAgain = Events.payment("payment.captured", merchant, paymentId, Events.newEventId());
            Events.publish(enabledAgain);

            deliveriesOf(merchant, enabledAgain.id(), allWithStatus(1, "delivered"));
            assertThat(get(merchant, "/v1/webhook-deliveries?event_id=" + whileDisabled.id()).get("data")).isEmpty();
        }
    }

    @Test
    void anEventWithATypeHeaderReachesAnEndpointCommittedJustBeforeItAndIsClaimedOnce() {
        String merchant = newMerchantId();
        try (Receiver receiver = Receiver.ok()) {
            // Created right before the events are published: the poll that reads them is handled after it committed.
            createEndpoint(merchant, receiver.url("/payouts-and-refunds"), List.of("payment.refunded"));
            String paymentId = Events.newPaymentId();
            Events.Event refunded = Events.payment("payment.refunded", merchant, paymentId, Events.newEventId());

            Events.publishWithTypeHeaders(refunded);

            deliveriesOf(merchant, refunded.id(), allWithStatus(1, "delivered"));
            assertThat(count("SELECT count(*) FROM processed_events WHERE consumer = :consumer AND event_id = :id", refunded.id())).isOne();
        }
    }

    private long count(String query, String eventId) {
        var statement = sql.sql(query).bind("id", eventId);
        if (query.contains(":consumer")) {
            statement = statement.bind("consumer", FanOut.CONSUMER);
        }
        return statement.map(row -> row.get(0, Long.class)).one().block();
    }
}
