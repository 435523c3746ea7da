package dev.paystream.webhook.delivery.application;

import dev.paystream.events.EventTypes;
import dev.paystream.platform.consumer.IncomingEvent;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of a delivery (CONTRACT §10): {@code {"id","type","created_at","data"}}, where {@code data} is
 * the object the event is about, as the API shows it, taken from the envelope's {@code data.<object>}:
 * the payment for {@code payment.*} (the refund for {@code payment.refunded}), the payout for
 * {@code payout.*}, the customer, the invoice or the settlement for theirs.
 */
public final class WebhookBodies {

    /** What reading an event for webhooks gave. */
    public sealed interface Read {
    }

    /** The event goes to its subscribed endpoints with this body. */
    public record Deliverable(OutgoingEvent event) implements Read {
    }

    /** Not a type of CONTRACT §11: nothing subscribes to it, nothing is sent. */
    public record NotDeliverable() implements Read {
    }

    /** A §11 event that breaks its contract, so it can never be sent: why. */
    public record Broken(String reason) implements Read {
    }

    private final JsonMapper json = JsonMapper.builder().build();

    /** The member of an envelope's {@code data} that a delivery of {@code type} carries, or empty for a type not of §11. */
    public static Optional<String> objectOf(String type) {
        if (!EventTypes.ALL.contains(type)) {
            return Optional.empty();
        }
        // A refund's event is about the refund; data.payment beside it shows the payment after it.
        return Optional.of(type.equals(EventTypes.PAYMENT_REFUNDED) ? "refund" : type.substring(0, type.indexOf('.')));
    }

    /**
     * Why the envelope of a §11 event breaks what every delivery needs (a merchant whose endpoints get
     * it, a time), or null when it does not: the checks that need nothing but the envelope.
     */
    public static String brokenEnvelope(IncomingEvent event) {
        if (event.merchantId() == null || event.merchantId().isEmpty()) {
            return "the event has no merchant_id, so no merchant's endpoints can get it";
        }
        if (event.occurredAt() == null) {
            return "the event has no valid occurred_at, which a delivery's created_at is";
        }
        return null;
    }

    public Read read(IncomingEvent event) {
        Optional<String> object = objectOf(event.type());
        if (object.isEmpty()) {
            return new NotDeliverable();
        }
        String broken = brokenEnvelope(event);
        if (broken != null) {
            return new Broken(broken);
        }
        JsonNode data = event.data().as(JsonNode.class).orElse(null);
        JsonNode carried = data == null ? null : data.get(object.get());
        if (carried == null || !carried.isObject()) {
            return new Broken("the event's data has no " + object.get() + " object to deliver");
        }
        ObjectNode body = json.createObjectNode();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("created_at", DateTimeFormatter.ISO_INSTANT.format(event.occurredAt().truncatedTo(ChronoUnit.SECONDS)));
        body.set("data", carried);
        return new Deliverable(new OutgoingEvent(event.id(), event.merchantId(), event.type(), json.writeValueAsString(body),
                event.occurredAt()));
    }
}
