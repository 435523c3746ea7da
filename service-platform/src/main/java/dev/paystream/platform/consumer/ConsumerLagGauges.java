package dev.paystream.platform.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code paystream.consumer.lag{consumer, group}}: the records of its topics each consumer group of
 * the service has not committed yet ({@link ConsumerLag#behind}), read from the broker every
 * {@code refresh}. It is the group's figure, the same on every instance of the service (aggregate
 * with {@code max}), and it is there even while no instance consumes — when a lag matters most; the
 * Kafka client's own {@code records-lag} metrics vanish with the consumer.
 *
 * <p>Started after every consumer bean exists, so it knows them all.
 */
public final class ConsumerLagGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagGauges.class);

    private final EventConsumers consumers;
    private final ConsumerLag lag;
    private final MeterRegistry meters;
    private final Duration refresh;
    private volatile Disposable refreshes;
    /**
     * One figure per consumer for the life of this bean, held strongly by its gauge: a gauge registered
     * again after a stop and start (Spring's test contexts pause and restart cached contexts) is the one
     * registered first, so a new figure each start would leave the gauge on the first one — weakly held
     * by default, and NaN once collected (seen in CI: payment-service's lag gauge NaN for 30 s).
     */
    private final java.util.Map<String, AtomicLong> figures = new java.util.concurrent.ConcurrentHashMap<>();

    public ConsumerLagGauges(EventConsumers consumers, ConsumerLag lag, MeterRegistry meters, Duration refresh) {
        this.consumers = consumers;
        this.lag = lag;
        this.meters = meters;
        this.refresh = refresh;
    }

    @Override
    public void start() {
        List<Mono<Void>> reads = consumers.all().stream().map(this::gauge).toList();
        refreshes = Flux.interval(Duration.ZERO, refresh)
                .onBackpressureDrop()
                .concatMap(tick -> Flux.concat(reads).then())
                .subscribe();
    }

    /** Registers the consumer's gauge and returns the read that refreshes it. */
    private Mono<Void> gauge(EventConsumer consumer) {
        EventConsumer.Definition definition = consumer.definition();
        AtomicLong behind = figures.computeIfAbsent(definition.name(), name -> new AtomicLong());
        Gauge.builder("paystream.consumer.lag", behind, AtomicLong::get)
                .strongReference(true)
                .description("Records of the consumer's topics its group has not committed yet (the same figure on every instance)")
                .tag("consumer", definition.name())
                .tag("group", definition.groupId())
                .register(meters);
        return Mono.defer(() -> lag.behind(definition.groupId(), definition.topics()))
                .doOnNext(behind::set)
                .onErrorResume(failure -> {
                    // The gauge keeps its last figure; the broker's unavailability shows in the consumers' own health.
                    log.debug("Could not read the lag of consumer group {}: {}", definition.groupId(), failure.toString());
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public void stop() {
        Disposable running = refreshes;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = refreshes;
        return running != null && !running.isDisposed();
    }
}
