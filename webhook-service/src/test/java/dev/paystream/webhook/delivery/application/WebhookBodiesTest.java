package dev.paystream.webhook.delivery.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paystream.events.EventTypes;
import dev.paystream.platform.consumer.EnvelopeReader;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.webhook.support.Events;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Which object a delivery carries, and which events can never be delivered. */
class WebhookBodiesTest {

    private final WebhookBodies bodies = new WebhookBodies();

    @Test
    void everyTypeOfTheContractCarriesTheObjectItIsAbout() {
        assertThat(EventTypes.ALL).allSatisfy(type -> assertThat(WebhookBodies.objectOf(type)).isPresent());
        assertThat(WebhookBodies.objectOf("payment.captured")).hasValue("payment");
        assertThat(WebhookBodies.objectOf("payment.refunded")).hasValue("refund");
        assertThat(WebhookBodies.objectOf("payout.failed")).hasValue("payout");
        assertThat(WebhookBodies.objectOf("invoice.payment_applied")).hasValue("invoice");
        assertThat(WebhookBodies.objectOf("customer.updated")).hasValue("customer");
        assertThat(WebhookBodies.objectOf("settlement.completed")).hasValue("settlement");
        assertThat(WebhookBodies.objectOf("dispute.created")).isEmpty();
    }

    @Test
    void theBodyIsTheEventsIdTypeTimeAndObject() {
        Events.Event event = Events.paymentCaptured("mer_1");

        WebhookBodies.Read read = bodies.read(incoming(event.json()));

        OutgoingEvent outgoing = ((WebhookBodies.Deliverable) read).event();
        var body = JsonMapper.builder().build().readTree(outgoing.body());
        assertThat(body.propertyNames()).containsExactly("id", "type", "created_at", "data");
        assertThat(body.get("created_at").asString()).isEqualTo("2026-11-23T18:30:00Z");
        assertThat(body.get("data").get("id").asString()).isEqualTo(event.key());
        assertThat(outgoing.merchantId()).isEqualTo("mer_1");
    }

    @Test
    void anEventOfAnotherTypeGoesNowhereAndOneWithoutItsObjectOrMerchantIsBroken() {
        assertThat(bodies.read(incoming("{\"id\":\"evt_1\",\"type\":\"dispute.created\",\"merchant_id\":\"mer_1\",\"occurred_at\":\"2026-11-23T18:30:00Z\",\"data\":{}}")))
                .isInstanceOf(WebhookBodies.NotDeliverable.class);
        assertThat(bodies.read(incoming("{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"merchant_id\":\"mer_1\",\"occurred_at\":\"2026-11-23T18:30:00Z\",\"data\":{\"amount\":1}}")))
                .isInstanceOf(WebhookBodies.Broken.class);
        assertThat(bodies.read(incoming("{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"occurred_at\":\"2026-11-23T18:30:00Z\",\"data\":{\"payment\":{}}}")))
                .isInstanceOf(WebhookBodies.Broken.class);
        assertThat(bodies.read(incoming("{\"id\":\"evt_1\",\"type\":\"payment.captured\",\"merchant_id\":\"mer_1\",\"data\":{\"payment\":{}}}")))
                .isInstanceOf(WebhookBodies.Broken.class);
    }

    private static IncomingEvent incoming(String json) {
        return ((EnvelopeReader.Readable) new EnvelopeReader().read(json, "test-0@0")).event();
    }
}
