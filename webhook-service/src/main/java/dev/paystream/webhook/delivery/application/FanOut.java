package dev.paystream.webhook.delivery.application;

import dev.paystream.platform.consumer.EventHandler;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.platform.consumer.Refusal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Turns the events of every topic into deliveries, through the platform's idempotent consumer (ADR
 * 0004): a poll at a time, in one statement that claims the events and makes one delivery, with its
 * first attempt on the work queue, per (event, enabled endpoint of the event's merchant subscribed to
 * its type). A redelivered event finds its claim and makes nothing twice. An event of a type not in
 * CONTRACT §11 is claimed and sent nowhere; one that breaks its contract is refused (parked).
 */
public final class FanOut implements EventHandler {

    /** The consumer's name: its Kafka client id, the owner of its claims and parked events, a metric tag. */
    public static final String CONSUMER = "webhook-fan-out";

    private final WebhookBodies bodies;
    private final Deliveries deliveries;
    private final Runnable deliveriesMade;

    /**
     * @param deliveriesMade told after a poll made deliveries, so that their first attempts start without waiting for a poll of the queue
     */
    public FanOut(WebhookBodies bodies, Deliveries deliveries, Runnable deliveriesMade) {
        this.bodies = bodies;
        this.deliveries = deliveries;
        this.deliveriesMade = deliveriesMade;
    }

    @Override
    public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
        List<IncomingEvent> claimed = new ArrayList<>(events.size());
        List<OutgoingEvent> outgoing = new ArrayList<>(events.size());
        List<Refusal> refusals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (IncomingEvent event : events) {
            if (!seen.add(event.id())) {
                continue; // The same event twice in one poll is one event.
            }
            WebhookBodies.Read read = bodies.read(event);
            if (read instanceof WebhookBodies.Broken broken) {
                refusals.add(new Refusal(event, broken.reason()));
                continue;
            }
            claimed.add(event);
            if (read instanceof WebhookBodies.Deliverable deliverable) {
                outgoing.add(deliverable.event());
            }
        }
        if (claimed.isEmpty()) {
            return Mono.just(refusals);
        }
        return deliveries.fanOut(CONSUMER, claimed, outgoing)
                .doOnNext(made -> {
                    if (made > 0) {
                        deliveriesMade.run();
                    }
                })
                .thenReturn(refusals);
    }
}
