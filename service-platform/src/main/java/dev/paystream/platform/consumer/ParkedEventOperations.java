package dev.paystream.platform.consumer;

import dev.paystream.platform.web.Problem;
import java.util.Map;
import org.springframework.http.HttpStatus;
import dev.paystream.platform.web.Page;
import reactor.core.publisher.Mono;

/**
 * What an operator does with a service's parked events, exposed by {@link ParkedEventsController} under
 * the service's own path (the ledger's is {@code /v1/ledger/parked-events}). Answers a request's
 * mistakes as CONTRACT §1 problems.
 */
public final class ParkedEventOperations {

    private final ParkedEvents parkedEvents;
    private final EventConsumers consumers;

    public ParkedEventOperations(ParkedEvents parkedEvents, EventConsumers consumers) {
        this.parkedEvents = parkedEvents;
        this.consumers = consumers;
    }

    /** A page of parked events, newest first; {@code starting_after} must name a parked event. */
    public Mono<Page<ParkedEvent>> list(ParkedEventQuery query) {
        if (query.page().startingAfter() == null) {
            return parkedEvents.list(query);
        }
        return parkedEvents.find(query.page().startingAfter())
                .switchIfEmpty(Mono.error(query.page()::unknownCursor))
                .flatMap(found -> parkedEvents.list(query));
    }

    public Mono<ParkedEvent> find(String id) {
        return parkedEvents.find(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /**
     * Applies the parked event again through the handler of the consumer that parked it. Idempotent: a
     * resolved event is returned as it is, and an event applied meanwhile (a replay) is found claimed.
     */
    public Mono<ParkedEvent> redrive(String id) {
        return find(id).flatMap(parked -> {
            if (parked.isResolved()) {
                return Mono.just(parked);
            }
            if (parked.payload() == null) {
                return Mono.error(Problem.of(HttpStatus.CONFLICT, "parked_event_without_payload",
                        "This event was parked before payloads were kept: replay " + parked.origin() + " from the topic instead")
                        .toException());
            }
            return consumers.named(parked.consumer())
                    .map(consumer -> consumer.redrive(parked))
                    .orElseGet(() -> Mono.error(Problem.of(HttpStatus.CONFLICT, "consumer_not_running",
                            "No consumer named " + parked.consumer() + " runs in this service to apply it").toException()));
        });
    }

    private static RuntimeException notFound(String id) {
        return new Problem(HttpStatus.NOT_FOUND, "resource_missing", "No parked event " + id, "id", Map.of(), null).toException();
    }
}
