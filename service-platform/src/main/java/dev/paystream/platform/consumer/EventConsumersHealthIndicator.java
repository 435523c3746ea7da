package dev.paystream.platform.consumer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while any of the service's consumers has failed without progress for longer than
 * {@code paystream.consumer.stuck-after}: events wait behind a failure that retries do not cure (the
 * database has been unreachable for a minute, a schema is missing). Parked events do not make a
 * consumer unhealthy: they no longer hold anything up, and their own gauge reports them.
 */
public final class EventConsumersHealthIndicator implements HealthIndicator {

    private final EventConsumers consumers;

    public EventConsumersHealthIndicator(EventConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public Health health() {
        boolean stuck = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (EventConsumer consumer : consumers.all()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            Optional<ConsumerProgress.Streak> streak = consumer.progress().longestStreak();
            Duration failingFor = consumer.progress().failingFor();
            boolean consumerStuck = failingFor.compareTo(consumer.properties().stuckAfter()) > 0;
            stuck |= consumerStuck;
            detail.put("state", streak.isEmpty() ? "applying" : consumerStuck ? "stuck" : "retrying");
            streak.ifPresent(failing -> {
                detail.put("failing_since", failing.since().toString());
                detail.put("failures", failing.failures());
                detail.put("last_failure", failing.last().kind() + " " + failing.last().code() + ": " + failing.last().message());
            });
            detail.put("parked_waiting", consumers.waiting(consumer.name()));
            details.put(consumer.name(), detail);
        }
        return (stuck ? Health.down() : Health.up()).withDetails(details).build();
    }
}
