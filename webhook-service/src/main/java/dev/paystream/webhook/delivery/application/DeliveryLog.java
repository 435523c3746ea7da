package dev.paystream.webhook.delivery.application;

import dev.paystream.platform.web.PageRequest;
import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The deliveries of a merchant: listed, and sent again by hand. */
public interface DeliveryLog {

    /** Filters of {@code GET /v1/webhook-deliveries}; null means any. */
    record Filter(String endpointId, String eventId, String status) {
    }

    /** The rows of {@code page} ({@link PageRequest#rowsToFetch()} at most), newest first, after its cursor. */
    Flux<Delivery> list(String merchantId, Filter filter, PageRequest page);

    Mono<Delivery> find(String merchantId, String deliveryId);

    /** What asking for deliveries to be sent again gave. */
    sealed interface Resend {
    }

    /** Queued to be sent now; {@code delivery} is its state after that (for a single delivery). */
    record Queued(long count, Delivery delivery) implements Resend {
    }

    /** No such delivery or endpoint of this merchant. */
    record NotFound() implements Resend {
    }

    /** Its endpoint is disabled (or deleted): nothing would be sent. */
    record EndpointNotLive(String endpointId) implements Resend {
    }

    /** Sends the delivery again now, with a new round of the retry schedule, whatever its status. */
    Mono<Resend> retry(String merchantId, String deliveryId);

    /** Sends again now every failed delivery of the endpoint made since {@code since}, each with a new round. */
    Mono<Resend> recover(String merchantId, String endpointId, Instant since);
}
