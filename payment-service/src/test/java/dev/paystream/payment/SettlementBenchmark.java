package dev.paystream.payment;

import static org.awaitility.Awaitility.await;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import dev.paystream.payment.payment.adapter.r2dbc.R2dbcPaymentEventStore;
import dev.paystream.payment.support.CapturedPayments;
import dev.paystream.platform.caller.GatewayHeaders;
import dev.paystream.testsupport.ServiceTestProperties;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The settlement benchmark (bench/settlement.sh, docs/benchmarks.md "Settlement"), not a test: it asserts
 * nothing about time and runs only when asked ({@code -Dsettlement.benchmark.payments=N}). It records
 * {@code N} captured payments of one merchant with the service's own append ({@link CapturedPayments}),
 * waits until the outbox relay published them, then settles them in one batch through
 * {@code POST /v1/settlements} and prints: the batch's duration and payments per second, this JVM's heap
 * (its peak as sampled every 10 ms, and its peak after each garbage collection, which is what the run
 * keeps alive), the CPU of this JVM and the machine's during the run, and the rows and events written.
 * The service runs in this JVM with the in-process Kafka broker, as in the integration tests.
 */
@EnabledIfSystemProperty(named = "settlement.benchmark.payments", matches = "[0-9]+")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30m")
class SettlementBenchmark {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        ServiceTestProperties.register(registry, "settlebench");
        // The run is measured alone: the schedule and a resumption of the batch beside its run stay out of it.
        registry.add("paystream.settlement.schedule.enabled", () -> "false");
        registry.add("paystream.settlement.resume-after", () -> "30m");
    }

    @Autowired
    WebTestClient web;

    @Autowired
    R2dbcPaymentEventStore payments;

    @Autowired
    DatabaseClient database;

    @Test
    void settlesCapturedPaymentsInOneBatch() throws Exception {
        int count = Integer.getInteger("settlement.benchmark.payments");
        String merchant = "mer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

        long recordStarted = System.nanoTime();
        CapturedPayments.record(payments, merchant, count);
        double recordSeconds = (System.nanoTime() - recordStarted) / 1e9;
        System.out.printf("Recorded %,d captured payments in %.1f s (%,.0f/s)%n", count, recordSeconds, count / recordSeconds);
        long drainStarted = System.nanoTime();
        awaitOutboxEmpty();
        System.out.printf("Outbox relayed their events in %.1f s more%n", (System.nanoTime() - drainStarted) / 1e9);

        System.gc();
        HeapWatch heap = HeapWatch.start();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] machineBefore = machineCpu();
        String loadBefore = loadAverage();
        long cpuBefore = os.getProcessCpuTime();
        long gcBefore = gcMillis();
        long started = System.nanoTime();
        JsonNode answer = web.mutate()
                .defaultHeader(GatewayHeaders.GATEWAY_TOKEN, ServiceTestProperties.GATEWAY_TOKEN)
                .defaultHeader(GatewayHeaders.MERCHANT_ID, merchant)
                .build()
                .post().uri("/v1/settlements").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("currency", "USD"))
                .exchange().expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        long gc = gcMillis() - gcBefore;
        long[] machineAfter = machineCpu();
        String loadAfter = loadAverage();
        heap.stop();

        JsonNode settlement = answer.get("data").get(0);
        String settlementId = settlement.get("id").asString();
        long settled = settlement.get("payment_count").asLong();
        System.out.printf("Settled %,d payments in one batch in %.2f s: %,.0f payments/s%n", settled, seconds, settled / seconds);
        System.out.printf("  totals: gross %d, fees %d, net %d%n", settlement.get("gross_amount").asLong(),
                settlement.get("fee_amount").asLong(), settlement.get("net_amount").asLong());
        System.out.printf("  heap: before %.1f MiB (after a full GC), peak sampled %.1f MiB, peak after a GC %.1f MiB (%d GCs, %d ms), max %.0f MiB%n",
                mib(heap.before), mib(heap.peakUsed.get()), mib(heap.peakAfterGc.get()), heap.collections.get(), gc,
                mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()));
        System.out.printf("  CPU: this JVM %.1f s (%.0f %% of one core); machine busy %.0f %% of %d cores; load average before %s, after %s%n",
                cpu / 1e9, 100 * cpu / 1e9 / seconds, 100.0 * (machineAfter[0] - machineBefore[0]) / (machineAfter[1] - machineBefore[1]),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        System.out.printf("  written: %,d payment.settled events, %,d settlement lines, %,d settlement.completed event, %,d outbox rows%n",
                count("SELECT count(*) FROM payment_events WHERE merchant_id = :merchant AND event_type = 'payment.settled'", merchant),
                count("SELECT count(*) FROM settlement_lines WHERE settlement_id = (SELECT id FROM settlements WHERE merchant_id = :merchant)", merchant),
                count("SELECT count(*) FROM settlement_events WHERE merchant_id = :merchant", merchant),
                count("SELECT count(*) FROM payment_events WHERE merchant_id = :merchant AND event_type = 'payment.settled'", merchant)
                        + count("SELECT count(*) FROM settlement_events WHERE merchant_id = :merchant", merchant));
        long relayStarted = System.nanoTime();
        awaitOutboxEmpty();
        System.out.printf("  outbox relayed in %.1f s after the batch completed (settlement %s)%n", (System.nanoTime() - relayStarted) / 1e9,
                settlementId);
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> database.sql("SELECT count(*) AS n FROM outbox").map(row -> row.get("n", Long.class)).one().block() == 0);
    }

    private long count(String sql, String merchant) {
        return database.sql(sql.replace("count(*)", "count(*) AS n")).bind("merchant", merchant).map(row -> row.get("n", Long.class)).one().block();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Busy and total jiffies of every core since boot (/proc/stat), for the machine's load during the run. */
    private static long[] machineCpu() throws IOException {
        long[] fields = Arrays.stream(Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+")).skip(1)
                .mapToLong(Long::parseLong).toArray();
        long total = Arrays.stream(fields).sum();
        long idle = fields[3] + fields[4];
        return new long[] {total - idle, total};
    }

    private static String loadAverage() throws IOException {
        return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    /** The heap during the run: sampled every 10 ms, and after every garbage collection (what is still alive). */
    private static final class HeapWatch {
        final long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        final AtomicLong peakUsed = new AtomicLong(before);
        final AtomicLong peakAfterGc = new AtomicLong(before);
        final AtomicLong collections = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        private final NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                peakAfterGc.accumulateAndGet(after, Math::max);
                collections.incrementAndGet();
            }
        };
        private Thread sampler;

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            ManagementFactory.getGarbageCollectorMXBeans().forEach(bean -> ((NotificationEmitter) bean).addNotificationListener(watch.listener, null, null));
            watch.sampler = new Thread(() -> {
                while (watch.running.get()) {
                    watch.peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException stopped) {
                        return;
                    }
                }
            }, "heap-sampler");
            watch.sampler.setDaemon(true);
            watch.sampler.start();
            return watch;
        }

        void stop() throws Exception {
            running.set(false);
            sampler.join();
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) bean).removeNotificationListener(listener);
            }
        }
    }
}
