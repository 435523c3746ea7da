package dev.paystream.platform.consumer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Claims of event ids in {@code processed_events}, one row per consumer and event: the idempotent half
 * of every {@link EventHandler}. A claim commits with the effect of its event, so an event delivered
 * again finds its id taken and changes nothing; a refused event is never claimed, so that a re-drive or
 * a replay can still apply it.
 */
public final class EventClaims {

    /**
     * The claim as the first part of a data-modifying {@code WITH}: {@code WITH <CLAIM>, effect AS (...
     * JOIN claim ON claim.event_id = ...)}. It claims the ids bound by {@link #bind} and yields, as
     * {@code claim.event_id}, only those claimed now; the rest of the statement joins on it so that an
     * event applied before has no effect again. The whole statement commits or fails as one.
     */
    public static final String CLAIM = """
            claim AS (
                INSERT INTO processed_events (consumer, event_id, event_type)
                SELECT :claimConsumer, c.event_id, c.event_type
                FROM unnest(CAST(:claimEventIds AS TEXT[]), CAST(:claimEventTypes AS TEXT[])) AS c (event_id, event_type)
                ON CONFLICT (consumer, event_id) DO NOTHING
                RETURNING event_id)""";

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    public EventClaims(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    /** Binds the parameters of {@link #CLAIM}: the consumer's name and each event's id and type, in the same order. */
    public static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec statement, String consumer,
                                                         List<String> eventIds, List<String> eventTypes) {
        if (eventIds.size() != eventTypes.size()) {
            throw new IllegalArgumentException("one type per event id");
        }
        return statement.bind("claimConsumer", Objects.requireNonNull(consumer, "consumer"))
                .bind("claimEventIds", eventIds.toArray(String[]::new))
                .bind("claimEventTypes", eventTypes.toArray(String[]::new));
    }

    /**
     * In one transaction: claims every event of {@code events} for {@code consumer}, runs {@code effect}
     * with the events claimed now (those not applied before, each once, in their order), and takes back
     * the claims of the events the effect refuses. For handlers whose effect is more than one statement;
     * the statements of {@code effect} must use this service's {@link DatabaseClient} so that they join
     * the transaction.
     */
    public Mono<List<Refusal>> claimThen(String consumer, List<IncomingEvent> events,
                                         Function<List<IncomingEvent>, Mono<List<Refusal>>> effect) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        List<String> ids = events.stream().map(IncomingEvent::id).toList();
        List<String> types = events.stream().map(IncomingEvent::type).toList();
        Mono<List<Refusal>> claimed = bind(database.sql("WITH " + CLAIM + " SELECT event_id FROM claim"), consumer, ids, types)
                .map(row -> row.get("event_id", String.class))
                .all()
                .collect(HashSet<String>::new, Set::add)
                .flatMap(claimedNow -> effect.apply(firstOfEach(events, claimedNow)))
                .flatMap(refusals -> unclaim(consumer, refusals).thenReturn(refusals));
        return transactions.transactional(claimed);
    }

    private static List<IncomingEvent> firstOfEach(List<IncomingEvent> events, Set<String> claimedNow) {
        List<IncomingEvent> fresh = new ArrayList<>(claimedNow.size());
        Set<String> taken = new HashSet<>();
        for (IncomingEvent event : events) {
            if (claimedNow.contains(event.id()) && taken.add(event.id())) {
                fresh.add(event);
            }
        }
        return fresh;
    }

    private Mono<Void> unclaim(String consumer, List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            return Mono.empty();
        }
        return database.sql("DELETE FROM processed_events WHERE consumer = :consumer AND event_id = ANY(:eventIds)")
                .bind("consumer", consumer)
                .bind("eventIds", refusals.stream().map(refusal -> refusal.event().id()).toArray(String[]::new))
                .fetch().rowsUpdated().then();
    }
}
