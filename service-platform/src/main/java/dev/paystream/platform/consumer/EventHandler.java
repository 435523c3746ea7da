package dev.paystream.platform.consumer;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * What a service does with the events of one consumer. {@link EventConsumer} hands it the events of a
 * poll (up to {@code max-poll-records}), in partition order, and again smaller parts of them when a
 * batch fails for a reason that lies in a record (see {@link Failure}).
 *
 * <p>An implementation must apply a batch <b>atomically and at most once per event id</b>: the claim
 * of each applied event's id in {@code processed_events} (under the consumer's name) commits in the
 * same transaction as the event's effect, so that a batch delivered again, in whole or in part,
 * changes nothing twice. {@link EventClaims} gives both ways to do it: the claim as the first part of
 * one data-modifying statement (the ledger's way: a whole poll in one statement), or a transaction
 * that claims, then runs the effect for the events claimed now.
 *
 * <p>An event the handler will never be able to apply (it breaks its contract) is not claimed and is
 * returned as a {@link Refusal}; the consumer parks it. Anything else that goes wrong is an error of
 * the returned {@code Mono}, classified by {@link Failure#of}.
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * @return the events of {@code events} it refuses, none when it applied (or had already applied) all
     */
    Mono<List<Refusal>> apply(List<IncomingEvent> events);

    /**
     * Which event types this handler wants, asked once per attempt at a poll, before the poll's records are
     * read, so that an answer that depends on state (what endpoints subscribe to) is as fresh as the
     * attempt: an event of a type it does not want is skipped unread (see {@link WantedTypes}). An error of
     * the {@code Mono} fails the attempt, which is delivered again, as a failure around the records. The
     * default wants every type, and costs nothing per record.
     */
    default Mono<WantedTypes> wantedTypes() {
        return Mono.just(WantedTypes.ALL);
    }
}
