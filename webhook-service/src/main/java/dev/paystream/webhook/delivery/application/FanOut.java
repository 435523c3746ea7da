package dev.paystream.webhook.delivery.application;

import dev.paystream.platform.consumer.EventHandler;
import dev.paystream.platform.consumer.IncomingEvent;
import dev.paystream.platform.consumer.Refusal;
import dev.paystream.platform.consumer.WantedTypes;
import dev.paystream.webhook.delivery.domain.SubscribedTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Turns the events of every topic into deliveries, through the platform's idempotent consumer (ADR
 * 0004), a poll at a time.
 *
 * <p>Most events go to no endpoint, so what the merchants' endpoints subscribe to is looked up first
 * ({@link Subscriptions}, a view kept in memory that reflects every endpoint change committed before the
 * lookup). An event nobody subscribes to is only read: no claim, no body, no statement — consuming it
 * again changes nothing either. The events some endpoint subscribes to are claimed and get one delivery,
 * with its first attempt on the work queue, per (event, live endpoint of the event's merchant subscribed
 * to its type), all in one statement; a redelivered event finds its claim and makes nothing twice.
 *
 * <p>Before that, for each poll, the fan-out says which types it wants at all ({@link #wantedTypes}): those
 * some live endpoint of any merchant subscribes to ({@code *} meaning all), from the same view, read at
 * the time the poll is handled. The records of other types are skipped by their type header, unread, so
 * that the topics' busiest types cost next to nothing while nobody subscribes to them (reading an
 * envelope cost about 22 us of CPU against 0.14 us to skip it, BatchApplierTest's measurement). The view's
 * guarantee holds for them too: an endpoint committed before the poll was handled is in the answer.
 *
 * <p>An event of a type not in CONTRACT §11 is sent nowhere. One that breaks its contract is refused
 * (parked): without a merchant or a valid time when it is read, without the object its deliveries carry
 * when some endpoint subscribes to it. A broken event of a type no endpoint of any merchant subscribes to
 * is skipped unread, so it is no longer parked here: it could be delivered nowhere, and every topic has
 * another consumer that reads each of its events whole (the ledger: payments and settlements;
 * payment-service's reference projection: customers and invoices), where a value that is no envelope is
 * still parked. A record without a type header is read as before and refused when broken, whatever its
 * type.
 */
public final class FanOut implements EventHandler {

    /** The consumer's name: its Kafka client id, the owner of its claims and parked events, a metric tag. */
    public static final String CONSUMER = "webhook-fan-out";

    private final WebhookBodies bodies;
    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final Runnable deliveriesMade;

    /**
     * @param deliveriesMade told after a poll made deliveries, so that their first attempts start without waiting for a poll of the queue
     */
    public FanOut(WebhookBodies bodies, Subscriptions subscriptions, Deliveries deliveries, Runnable deliveriesMade) {
        this.bodies = bodies;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.deliveriesMade = deliveriesMade;
    }

    /** The types some live endpoint of any merchant subscribes to, asked for each poll (never kept from one poll to the next). */
    @Override
    public Mono<WantedTypes> wantedTypes() {
        return subscriptions.ofAnyMerchant()
                .<WantedTypes>map(subscribed -> subscribed.includesEveryType() ? WantedTypes.ALL : subscribed::includes);
    }

    @Override
    public Mono<List<Refusal>> apply(List<IncomingEvent> events) {
        List<IncomingEvent> candidates = new ArrayList<>(events.size());
        List<Refusal> refusals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> merchants = new LinkedHashSet<>();
        for (IncomingEvent event : events) {
            if (!seen.add(event.id()) || WebhookBodies.objectOf(event.type()).isEmpty()) {
                continue; // The same event twice in one poll is one event; a type outside §11 goes nowhere.
            }
            String broken = WebhookBodies.brokenEnvelope(event);
            if (broken != null) {
                refusals.add(new Refusal(event, broken));
                continue;
            }
            candidates.add(event);
            merchants.add(event.merchantId());
        }
        if (candidates.isEmpty()) {
            return Mono.just(refusals);
        }
        return subscriptions.of(merchants).flatMap(subscribed -> {
            List<OutgoingEvent> outgoing = new ArrayList<>();
            for (IncomingEvent event : candidates) {
                if (!subscribed.getOrDefault(event.merchantId(), SubscribedTypes.none()).includes(event.type())) {
                    continue;
                }
                WebhookBodies.Read read = bodies.read(event);
                if (read instanceof WebhookBodies.Broken broken) {
                    refusals.add(new Refusal(event, broken.reason()));
                } else if (read instanceof WebhookBodies.Deliverable deliverable) {
                    outgoing.add(deliverable.event());
                }
            }
            if (outgoing.isEmpty()) {
                return Mono.just(refusals);
            }
            return deliveries.fanOut(CONSUMER, outgoing)
                    .doOnNext(made -> {
                        if (made > 0) {
                            deliveriesMade.run();
                        }
                    })
                    .thenReturn(refusals);
        });
    }
}
