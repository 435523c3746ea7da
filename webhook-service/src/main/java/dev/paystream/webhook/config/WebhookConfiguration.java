package dev.paystream.webhook.config;

import dev.paystream.events.Topics;
import dev.paystream.platform.consumer.EventConsumer;
import dev.paystream.platform.consumer.EventConsumers;
import dev.paystream.platform.ids.TimeOrderedIds;
import dev.paystream.platform.workqueue.WorkQueueWorker;
import dev.paystream.webhook.delivery.adapter.http.NettySender;
import dev.paystream.webhook.delivery.adapter.r2dbc.R2dbcDeliveries;
import dev.paystream.webhook.delivery.adapter.r2dbc.R2dbcSubscriptions;
import dev.paystream.webhook.delivery.application.DeliveryAttempts;
import dev.paystream.webhook.delivery.application.EndpointGates;
import dev.paystream.webhook.delivery.application.FanOut;
import dev.paystream.webhook.delivery.application.PendingDeliveriesGauges;
import dev.paystream.webhook.delivery.application.WebhookBodies;
import dev.paystream.webhook.delivery.domain.RetrySchedule;
import dev.paystream.webhook.endpoint.R2dbcEndpoints;
import dev.paystream.webhook.endpoint.SecretSealer;
import dev.paystream.webhook.endpoint.SecretsAtRest;
import dev.paystream.webhook.destination.TargetPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Webhooks, wired explicitly: endpoints, the fan-out of every topic into deliveries, and the attempts
 * on the work queue ({@code paystream.webhooks.*}, defaults in application.yml).
 */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhookConfiguration.class);

    @Bean
    TargetPolicy targetPolicy(@Value("${paystream.webhooks.allow-private-targets}") boolean allowPrivateTargets) {
        if (allowPrivateTargets) {
            log.warn("paystream.webhooks.allow-private-targets is true: webhooks may be sent to loopback and private addresses, and over "
                    + "plain http (local mode)");
        }
        return TargetPolicy.withSystemResolver(allowPrivateTargets);
    }

    /**
     * The sealer of the endpoints' signing secrets, made at startup once every secret in the database is
     * sealed by its key (see {@link SecretsAtRest}): before anything that reads a secret exists, after
     * Flyway made the tables it needs.
     */
    @Bean
    @DependsOn("flywayInitializer")
    SecretSealer secretSealer(DatabaseClient database, @Value("${paystream.webhooks.secret-key:}") String key) {
        return SecretsAtRest.prepare(database, key).block(Duration.ofMinutes(2));
    }

    @Bean
    R2dbcEndpoints r2dbcEndpoints(DatabaseClient database, SecretSealer sealer,
                                  @Value("${paystream.webhooks.endpoints-per-merchant-max}") int endpointsMax) {
        return new R2dbcEndpoints(database, new TimeOrderedIds(Clock.systemUTC()), endpointsMax, sealer);
    }

    @Bean
    R2dbcDeliveries r2dbcDeliveries(DatabaseClient database, SecretSealer sealer) {
        return new R2dbcDeliveries(database, sealer);
    }

    @Bean(destroyMethod = "close")
    NettySender webhookSender(TargetPolicy targets, @Value("${paystream.webhooks.attempt-timeout}") Duration attemptTimeout,
                              @Value("${paystream.webhooks.concurrency}") int concurrency) {
        return new NettySender(targets, attemptTimeout, concurrency);
    }

    @Bean
    DeliveryAttempts deliveryAttempts(R2dbcDeliveries deliveries, NettySender sender, EndpointGates gates, MeterRegistry meters,
                                      @Value("${paystream.webhooks.retry-schedule}") String schedule,
                                      @Value("${paystream.webhooks.endpoint-busy-wait}") Duration busyWait) {
        return new DeliveryAttempts(deliveries, sender, gates, retrySchedule(schedule), busyWait, Clock.systemUTC(), meters);
    }

    /**
     * The gates of the endpoints. An endpoint's attempts, running and waiting in its line, hold at most half
     * of the worker's slots ({@code paystream.webhooks.concurrency}), whatever {@code waiting-per-endpoint}
     * says: a slow receiver leaves the other half to the others.
     */
    @Bean
    EndpointGates endpointGates(@Value("${paystream.webhooks.concurrency}") int concurrency,
                                @Value("${paystream.webhooks.concurrency-per-endpoint}") int concurrencyPerEndpoint,
                                @Value("${paystream.webhooks.circuit-breaker.failure-rate-threshold}") float failureRateThreshold,
                                @Value("${paystream.webhooks.circuit-breaker.window-size}") int windowSize,
                                @Value("${paystream.webhooks.circuit-breaker.minimum-calls}") int minimumCalls,
                                @Value("${paystream.webhooks.circuit-breaker.open-wait}") Duration openWait,
                                @Value("${paystream.webhooks.waiting-per-endpoint}") int waitingPerEndpoint,
                                @Value("${paystream.webhooks.endpoint-max-wait}") Duration maxWait) {
        return newEndpointGates(concurrency, concurrencyPerEndpoint, failureRateThreshold, windowSize, minimumCalls, openWait, waitingPerEndpoint,
                maxWait);
    }

    /** The gates as the service makes them (also for tests that drive the worker outside a Spring context). */
    public static EndpointGates newEndpointGates(int concurrency, int concurrencyPerEndpoint, float failureRateThreshold, int windowSize,
                                              int minimumCalls, Duration openWait, int waitingPerEndpoint, Duration maxWait) {
        int waiting = Math.max(0, Math.min(waitingPerEndpoint, concurrency / 2 - concurrencyPerEndpoint));
        if (waiting < waitingPerEndpoint) {
            // Said once at start: otherwise a smaller concurrency quietly shortens every endpoint's line too.
            log.warn("paystream.webhooks.waiting-per-endpoint={} is cut to {}: an endpoint's running and waiting attempts hold at most half"
                    + " of paystream.webhooks.concurrency={} (concurrency-per-endpoint={} running)", waitingPerEndpoint, waiting, concurrency,
                    concurrencyPerEndpoint);
        }
        return new EndpointGates(new EndpointGates.Settings(concurrencyPerEndpoint, failureRateThreshold, windowSize, minimumCalls, openWait,
                waiting, maxWait));
    }

    /**
     * The worker of the attempts queue: up to {@code paystream.webhooks.concurrency} attempts at once on
     * this instance. Its lease must outlast an attempt (the attempt timeout and the statements around
     * it), so that an item is never taken by a second worker while the first still sends it; it is also
     * how long the attempts a crashed instance held wait before another instance makes them. It must also
     * outlast the wait in an endpoint's line, during which the item is held as well.
     */
    @Bean
    WorkQueueWorker webhookAttemptsWorker(R2dbcDeliveries deliveries, DeliveryAttempts attempts, EndpointGates gates, MeterRegistry meters,
                                          @Value("${paystream.webhooks.attempt-timeout}") Duration attemptTimeout,
                                          @Value("${paystream.webhooks.lease}") Duration lease,
                                          @Value("${paystream.webhooks.concurrency}") int concurrency,
                                          @Value("${paystream.webhooks.poll-interval}") Duration pollInterval,
                                          @Value("${paystream.webhooks.endpoint-max-wait}") Duration maxWait) {
        // An item is held while it waits in its endpoint's line too.
        if (lease.compareTo(attemptTimeout.plus(maxWait).plusSeconds(2)) < 0) {
            throw new IllegalStateException("paystream.webhooks.lease (" + lease + ") must outlast the attempt timeout (" + attemptTimeout
                    + ") and the longest wait in an endpoint's line (" + maxWait + ") by at least 2 s");
        }
        return newAttemptsWorker(deliveries, attempts, gates, concurrency, pollInterval, lease, meters);
    }

    /** The worker of the attempts queue as the service makes it (also for tests that drive it outside a Spring context). */
    public static WorkQueueWorker newAttemptsWorker(R2dbcDeliveries deliveries, DeliveryAttempts attempts, EndpointGates gates, int concurrency,
                                                 Duration pollInterval, Duration lease, MeterRegistry meters) {
        WorkQueueWorker worker = new WorkQueueWorker(deliveries.queue(), attempts::attempt,
                new WorkQueueWorker.Settings(concurrency, pollInterval, lease, Duration.ofSeconds(1), Duration.ofMinutes(1), Integer.MAX_VALUE)
                        .withConcurrency(concurrency),
                meters)
                // Items of an endpoint whose attempts all run and whose line is full, or whose circuit is open, stay on the queue
                // untouched; the gates wake the worker once such an endpoint has room again (below).
                .skipping(gates::closed, false)
                // No more of one endpoint's items than its line can take once it opens again: each taken item costs a read of
                // its delivery, and one that finds the line full another statement to put it back and a wait (measured: 30-40 %
                // of the attempts of a drain to one endpoint were taken and put back so).
                .takingAtMostPerPayload(gates.placesWhenOpenAgain())
                // Each attempt's outcome statement moves or removes its item (R2dbcDeliveries.record): no second statement to remove it.
                .finishedByWork();
        gates.onRoomAgain(worker::wakeUp);
        return worker;
    }

    /** What the merchants' endpoints subscribe to, as the fan-out looks it up for every poll. */
    @Bean
    R2dbcSubscriptions r2dbcSubscriptions(DatabaseClient database,
                                          @Value("${paystream.webhooks.subscriptions-view-merchants-max}") int merchantsMax) {
        return new R2dbcSubscriptions(database, merchantsMax);
    }

    /** One consumer of every topic of CONTRACT §11: each event becomes its deliveries exactly once. */
    @Bean
    EventConsumer webhookFanOutConsumer(EventConsumers consumers, R2dbcSubscriptions subscriptions, R2dbcDeliveries deliveries,
                                        ObjectProvider<WorkQueueWorker> worker, @Value("${spring.kafka.consumer.group-id}") String groupId) {
        return consumers.create(EventConsumer.Definition.of(FanOut.CONSUMER, groupId, Topics.ALL,
                new FanOut(new WebhookBodies(), subscriptions, deliveries, () -> worker.getObject().wakeUp())));
    }

    @Bean(destroyMethod = "close")
    PendingDeliveriesGauges pendingDeliveriesGauges(R2dbcDeliveries deliveries, MeterRegistry meters,
                                                    @Value("${paystream.webhooks.pending-refresh}") Duration refresh) {
        return new PendingDeliveriesGauges(deliveries, meters, Clock.systemUTC(), refresh);
    }

    static RetrySchedule retrySchedule(String schedule) {
        return new RetrySchedule(Arrays.stream(schedule.split(",")).map(String::trim).filter(delay -> !delay.isEmpty())
                .map(DurationStyle::detectAndParse).toList());
    }
}
