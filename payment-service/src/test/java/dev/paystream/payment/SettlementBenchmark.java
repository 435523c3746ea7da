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

        int recorded = Math.min(count, Integer.getInteger("settlement.benchmark.recorded", count));
        long recordStarted = System.nanoTime();
        CapturedPayments.record(payments, merchant, recorded);
        double recordSeconds = (System.nanoTime() - recordStarted) / 1e9;
        System.out.printf("Recorded %,d captured payments in %.1f s (%,.0f/s)%n", recorded, recordSeconds, recorded / recordSeconds);
        if (recorded < count) {
            long copyStarted = System.nanoTime();
            copy(merchant, recorded, count - recorded);
            System.out.printf("Recorded %,d more as copies of those (SQL) in %.1f s%n", count - recorded, (System.nanoTime() - copyStarted) / 1e9);
        }
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
        List<Long> backends = backendPids();
        long backendsBefore = processesCpuTicks(backends);
        long jitBefore = jitCompilerCpuTicks();
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
        long backendTicks = processesCpuTicks(backends) - backendsBefore;
        long jitTicks = jitCompilerCpuTicks() - jitBefore;
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
        System.out.printf("  CPU: of this JVM's, its JIT compiler threads %.1f s (the rest, %.1f s, is the work and GC; at 20,000 payments the JIT is a large and varying part)%n",
                jitTicks / 100.0, cpu / 1e9 - jitTicks / 100.0);
        System.out.printf("  CPU: PostgreSQL backends of this database %.1f s (%d backends; WAL writer, checkpointer and other databases not counted)%n",
                backendTicks / 100.0, backends.size());
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

    /**
     * Adds {@code copies} payments copied from the {@code recorded} ones by SQL (their read-model rows and events,
     * with new ids: a suffix to the payment's and event's ids, also inside the payload), for a run on a busy
     * machine where recording every payment through the service would take an hour. The copies are settled
     * as the originals are (same amounts, events and rows); they have no outbox rows, which settling does not read.
     */
    private void copy(String merchant, int recorded, int copies) {
        int idLength = database.sql("SELECT min(length(id)) AS n FROM payments WHERE merchant_id = :merchant").bind("merchant", merchant)
                .map(row -> row.get("n", Integer.class)).one().block();
        String originals = "SELECT id FROM payments WHERE merchant_id = :merchant AND length(id) = :length ORDER BY id LIMIT :n";
        for (int round = 1, left = copies; left > 0; round++, left -= recorded) {
            String suffix = String.format("c%04d", round);
            int n = Math.min(left, recorded);
            database.sql("INSERT INTO payments SELECT (jsonb_populate_record(NULL::payments, to_jsonb(p) || jsonb_build_object('id', p.id || :suffix))).*"
                            + " FROM payments p WHERE p.id IN (" + originals + ")")
                    .bind("suffix", suffix).bind("merchant", merchant).bind("length", idLength).bind("n", n).then().block();
            database.sql("INSERT INTO payment_events (payment_id, sequence, event_id, event_type, merchant_id, payload, occurred_at, recorded_at)"
                            + " SELECT e.payment_id || :suffix, e.sequence, e.event_id || :suffix, e.event_type, e.merchant_id,"
                            + " CAST(replace(CAST(e.payload AS TEXT), e.payment_id, e.payment_id || :suffix) AS JSONB), e.occurred_at, e.recorded_at"
                            + " FROM payment_events e WHERE e.payment_id IN (" + originals + ")")
                    .bind("suffix", suffix).bind("merchant", merchant).bind("length", idLength).bind("n", n).then().block();
        }
        database.sql("ANALYZE payments, payment_events").then().block();
    }

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> database.sql("SELECT count(*) AS n FROM outbox").map(row -> row.get("n", Long.class)).one().block() == 0);
    }

    private long count(String sql, String merchant) {
        return database.sql(sql.replace("count(*)", "count(*) AS n")).bind("merchant", merchant).map(row -> row.get("n", Long.class)).one().block();
    }

    /** The PostgreSQL backends serving this test's database (the service's pool and this test's own connection). */
    private List<Long> backendPids() {
        return database.sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                .map(row -> row.get("pid", Integer.class).longValue()).all().collectList().block();
    }

    /** User and system CPU of processes (utime and stime of /proc/PID/stat, in clock ticks of 1/100 s); a process gone counts 0. */
    private static long processesCpuTicks(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException gone) {
                // not on this machine, or ended
            }
        }
        return ticks;
    }

    /** User and system CPU of this JVM's JIT compiler threads (C1 and C2 CompilerThreadN in /proc/self/task), in clock ticks. */
    private static long jitCompilerCpuTicks() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended (the JIT stops idle compiler threads): its time is lost from the sum
                }
            }
        } catch (IOException notLinux) {
            return 0;
        }
        return ticks;
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
