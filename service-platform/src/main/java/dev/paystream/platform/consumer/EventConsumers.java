package dev.paystream.platform.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Makes a service's event consumers and knows them all: for re-drives, for health, and for the
 * {@code paystream.consumer.parked.waiting} gauge, which it reads from the database now and then and
 * whenever a consumer parked or re-drove something.
 */
public final class EventConsumers implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventConsumers.class);

    private final ConsumerFactory<String, String> kafkaConsumers;
    private final ParkedEvents parkedEvents;
    private final EventConsumerProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, EventConsumer> consumers = new LinkedHashMap<>();
    private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();
    private final Sinks.Many<Boolean> refreshRequests = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable refreshes;

    public EventConsumers(ConsumerFactory<String, String> kafkaConsumers, ParkedEvents parkedEvents, EventConsumerProperties properties,
                          MeterRegistry meters, Clock clock) {
        this.kafkaConsumers = kafkaConsumers;
        this.parkedEvents = parkedEvents;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
        // One refresh at a time; requests that arrive meanwhile are folded into the next one.
        this.refreshes = Flux.merge(Flux.interval(properties.parkedRefresh()), refreshRequests.asFlux())
                .onBackpressureLatest()
                .concatMap(tick -> refreshWaiting(), 1)
                .subscribe();
    }

    /** A new consumer; it starts with the application context (it is a {@code SmartLifecycle} bean). */
    public synchronized EventConsumer create(EventConsumer.Definition definition) {
        if (consumers.containsKey(definition.name())) {
            throw new IllegalArgumentException("two event consumers named " + definition.name());
        }
        EventConsumer consumer = new EventConsumer(definition, kafkaConsumers, parkedEvents, properties, meters, clock,
                () -> refreshRequests.tryEmitNext(Boolean.TRUE));
        consumers.put(definition.name(), consumer);
        AtomicLong parked = waiting.computeIfAbsent(definition.name(), name -> new AtomicLong());
        Gauge.builder("paystream.consumer.parked.waiting", parked, AtomicLong::get)
                .description("Parked events of the consumer that no re-drive has resolved yet (the same figure on every instance)")
                .tag("consumer", definition.name())
                .register(meters);
        refreshRequests.tryEmitNext(Boolean.TRUE);
        return consumer;
    }

    public synchronized Optional<EventConsumer> named(String name) {
        return Optional.ofNullable(consumers.get(name));
    }

    public synchronized Collection<EventConsumer> all() {
        return List.copyOf(consumers.values());
    }

    /** Parked and unresolved events of {@code consumer}, as last read from the database. */
    long waiting(String consumer) {
        AtomicLong parked = waiting.get(consumer);
        return parked == null ? 0 : parked.get();
    }

    private Mono<Void> refreshWaiting() {
        return parkedEvents.waitingByConsumer()
                .doOnNext(counts -> waiting.forEach((consumer, parked) -> parked.set(counts.getOrDefault(consumer, 0L))))
                .onErrorResume(failure -> {
                    // The gauge keeps its last figure; the consumers' own failures say more about the database.
                    log.debug("Could not count parked events: {}", failure.toString());
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public void destroy() {
        refreshes.dispose();
    }
}
