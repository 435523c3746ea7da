package dev.paystream.payment.settlement.adapter;

import static dev.paystream.payment.support.Settlements.captured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paystream.payment.settlement.adapter.schedule.DailySettlementSchedule;
import dev.paystream.payment.settlement.application.SettlementRunner;
import dev.paystream.payment.support.PaymentServiceTest;
import dev.paystream.platform.workqueue.WorkQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** CONTRACT §8: the settlement schedule runs each occurrence exactly once, however many instances run it. */
class SettlementScheduleIntegrationTest extends PaymentServiceTest {

    @Autowired
    DatabaseClient database;

    @Autowired
    SettlementRunner runner;

    @Test
    void twoInstancesRunEachOccurrenceOfTheScheduleOnce() {
        String merchant = newMerchantId();
        captured(as(merchant), 2000, "USD");
        captured(as(merchant), 3000, "USD");
        // Two instances of the schedule on one database, firing every second, on a queue of their own (the application's
        // own schedule, at midnight, is left alone); each counts the occurrences it ran.
        WorkQueue queue = new WorkQueue(database, "settlement-schedule-" + UUID.randomUUID());
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<DailySettlementSchedule> instances = List.of(instance(queue, runs), instance(queue, runs));
        instances.forEach(DailySettlementSchedule::start);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> runs.size() >= 4);
        } finally {
            instances.forEach(DailySettlementSchedule::stop);
        }

        assertThat(runs.values()).extracting(AtomicInteger::get).containsOnly(1);
        JsonNode settlements = as(merchant).get().uri("/v1/settlements").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("data");
        assertThat(settlements).hasSize(1);
        assertThat(settlements.get(0).get("payment_count").asLong()).isEqualTo(2);
        assertThat(settlements.get(0).get("net_amount").asLong()).isEqualTo(5000 - (58 + 30) - (87 + 30));
    }

    private DailySettlementSchedule instance(WorkQueue queue, Map<String, AtomicInteger> runs) {
        return new DailySettlementSchedule(database, queue, "* * * * * *", occurrence -> Mono.defer(() -> {
            runs.computeIfAbsent(occurrence, any -> new AtomicInteger()).incrementAndGet();
            return runner.settleEveryMerchant().then();
        }), Clock.systemUTC(), Duration.ofMillis(100), Duration.ofMinutes(1), new SimpleMeterRegistry());
    }
}
