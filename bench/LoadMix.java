import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/*
 * A realistic mixed load through the gateway (issue 17, item 1): card payments captured at once, card
 * payments authorized and then partly captured, refunds, declines, PayPal and bank-transfer payments
 * completed later, customers with invoices paid in two parts right after they are created, and hooks
 * for payouts and settlements (weight 0 until payment-service serves them). A webhook endpoint
 * subscribed to every event points at a receiver inside this program.
 *
 * It reports throughput, p50/p99 per operation, and two lags measured on one clock (this program's):
 * from the capture's answer (201, or 200 for a capture) to the first time GET /v1/ledger/entries shows
 * the payment's entry, and to the arrival of its payment.captured webhook. Lags are measured for every
 * SAMPLE-th capture; the ledger is polled every 20 ms per sampled payment (the figure is at most a poll
 * round late).
 *
 *   ./paystream up
 *   java bench/LoadMix.java                               # 16 clients, 10 s warm-up, 60 s measured
 *   CLIENTS=32 DURATION=120 MIX=card=50,refund=20,invoice=30 java bench/LoadMix.java
 *
 * Environment: GATEWAY (http://127.0.0.1:8080), ADMIN_KEY (else .paystream/admin.key), CLIENTS (16),
 * WARMUP and DURATION in seconds (10, 60), DRAIN seconds to wait for lagging ledger entries and
 * webhooks after the load stops (60), SAMPLE (5), RECEIVER_PORT (0: any free port),
 * MIX (name=weight,...; names below, weights relative).
 * Each client is a closed loop: it picks a scenario by weight, runs its requests one after another,
 * then picks the next. Every request carries a fresh Idempotency-Key where one is needed.
 */
public class LoadMix {

    /** Scenario weights; payouts and settlements are hooks for when payment-service serves them (CONTRACT §6, §8). */
    private static final String DEFAULT_MIX = "card=35,manual=15,refund=10,decline=10,async=10,invoice=20,payout=0,settlement=0";
    private static final String CARD = "\"card\":{\"number\":\"%s\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}";
    private static final String APPROVED = "4242424242424242";
    private static final String DECLINED = "4000000000000002";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final int sample;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Map<String, Lag> lags = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> webhooksByType = new ConcurrentHashMap<>();
    private final AtomicLong captures = new AtomicLong();
    private final Map<String, String> disabled = new ConcurrentHashMap<>();
    private final List<String> customers = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean measuring;
    private volatile boolean running = true;
    private String apiKey;

    /** One kind of request: its latencies (while measuring), answers by status, failures. */
    private static final class Operation {
        final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final AtomicLong unexpected = new AtomicLong();
        volatile String lastUnexpected = "";
    }

    /** When the capture of a sampled payment was answered, and when its ledger entry and webhook were first seen. */
    private static final class Lag {
        final long capturedAt;
        volatile long ledgerAt;
        volatile long webhookAt;

        Lag(long capturedAt) {
            this.capturedAt = capturedAt;
        }
    }

    LoadMix(String gateway, int sample) {
        this.gateway = gateway;
        this.sample = sample;
    }

    public static void main(String[] args) throws Exception {
        String gateway = env("GATEWAY", "http://127.0.0.1:8080");
        String adminKey = System.getenv("ADMIN_KEY");
        if (adminKey == null || adminKey.isBlank()) {
            Path file = Path.of(".paystream", "admin.key");
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("No ADMIN_KEY and no .paystream/admin.key: start Paystream first (./paystream up)");
            }
            adminKey = Files.readString(file).trim();
        }
        int clients = Integer.parseInt(env("CLIENTS", "16"));
        int warmup = Integer.parseInt(env("WARMUP", "10"));
        int duration = Integer.parseInt(env("DURATION", "60"));
        int drain = Integer.parseInt(env("DRAIN", "60"));
        Map<String, Integer> mix = parseMix(env("MIX", DEFAULT_MIX));
        LoadMix load = new LoadMix(gateway, Integer.parseInt(env("SAMPLE", "5")));
        load.run(adminKey, clients, warmup, duration, drain, mix, Integer.parseInt(env("RECEIVER_PORT", "0")));
    }

    private void run(String adminKey, int clients, int warmup, int duration, int drain, Map<String, Integer> mix, int receiverPort)
            throws Exception {
        HttpServer receiver = startReceiver(receiverPort);
        HttpResponse<String> merchant = send("setup", "POST", "/v1/merchants", adminKey, false,
                "{\"name\":\"Mixed load\",\"rate_limit_per_minute\":100000}", 201);
        apiKey = field(merchant.body(), "api_key");
        send("setup", "POST", "/v1/webhook-endpoints", apiKey, false,
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\",\"events\":[\"*\"]}", 201);
        for (int i = 0; i < 8; i++) {
            customers.add(createCustomer());
        }
        String started = Instant.now().toString();
        String loadBefore = loadAverage();
        System.out.printf(Locale.ROOT, "# LoadMix %s: %d cores, load %s, %d clients, %d s warm-up + %d s measured, gateway %s%n# mix %s%n",
                started, Runtime.getRuntime().availableProcessors(), loadBefore, clients, warmup, duration, gateway, mix);

        ExecutorService pool = Executors.newFixedThreadPool(clients + 2);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> client(mix));
        }
        pool.submit(this::pollLedger);
        pool.submit(this::pollLedger);
        Thread.sleep(warmup * 1000L);
        measuring = true;
        long measuredFrom = System.nanoTime();
        Thread.sleep(duration * 1000L);
        measuring = false;
        long measuredNanos = System.nanoTime() - measuredFrom;
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
        running = false;
        while (System.nanoTime() < drainUntil && lags.values().stream().anyMatch(lag -> lag.ledgerAt == 0 || lag.webhookAt == 0)) {
            Thread.sleep(100);
        }
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        receiver.stop(0);
        ((ExecutorService) receiver.getExecutor()).shutdownNow();
        report(measuredNanos, loadBefore);
    }

    // ----------------------------------------------------------------------------------------------
    // scenarios

    private void client(Map<String, Integer> mix) {
        int total = mix.values().stream().mapToInt(Integer::intValue).sum();
        while (running) {
            int pick = ThreadLocalRandom.current().nextInt(total);
            String scenario = null;
            for (Map.Entry<String, Integer> entry : mix.entrySet()) {
                pick -= entry.getValue();
                if (pick < 0) {
                    scenario = entry.getKey();
                    break;
                }
            }
            if (disabled.containsKey(scenario)) {
                continue;
            }
            try {
                runScenario(scenario);
            } catch (IOException | RuntimeException failure) {
                operation("scenario." + scenario).unexpected.incrementAndGet();
                operation("scenario." + scenario).lastUnexpected = String.valueOf(failure);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private void runScenario(String scenario) throws IOException, InterruptedException {
        long amount = 1000 + ThreadLocalRandom.current().nextInt(90) * 100L;
        switch (scenario) {
            case "card" -> pay("payment.card", amount, "card", APPROVED, "", null, null, 201);
            case "manual" -> {
                HttpResponse<String> authorized = pay("payment.manual", amount, "card", APPROVED, ",\"capture_method\":\"manual\"", null, null, 201);
                if (authorized.statusCode() == 201) {
                    String id = field(authorized.body(), "id");
                    HttpResponse<String> captured = send("capture.partial", "POST", "/v1/payments/" + id + "/capture", apiKey, true,
                            "{\"amount\":" + amount * 6 / 10 + "}", 200);
                    sampleCapture(captured, id);
                }
            }
            case "refund" -> {
                HttpResponse<String> paid = pay("payment.card", amount, "card", APPROVED, "", null, null, 201);
                if (paid.statusCode() == 201) {
                    String id = field(paid.body(), "id");
                    send("refund.partial", "POST", "/v1/payments/" + id + "/refunds", apiKey, true, "{\"amount\":" + amount / 4 + "}", 201);
                    send("refund.partial", "POST", "/v1/payments/" + id + "/refunds", apiKey, true,
                            "{\"amount\":" + amount / 4 + ",\"reason\":\"requested_by_customer\"}", 201);
                }
            }
            case "decline" -> pay("payment.declined", amount, "card", DECLINED, "", null, null, 402);
            case "async" -> pay("payment.async", amount, ThreadLocalRandom.current().nextBoolean() ? "paypal" : "bank_transfer", null, "", null, null, 202);
            case "invoice" -> {
                // Created and paid at once, in two parts: payment-service must know both an instant later (ADR 0005).
                String customer = createCustomer();
                HttpResponse<String> invoice = send("invoice.create", "POST", "/v1/invoices", apiKey, false,
                        "{\"customer_id\":\"" + customer + "\",\"amount\":10000,\"currency\":\"USD\"}", 201);
                if (invoice.statusCode() == 201) {
                    String invoiceId = field(invoice.body(), "id");
                    pay("payment.invoice", 4000, "card", APPROVED, "", customer, invoiceId, 201);
                    pay("payment.invoice", 6000, "card", APPROVED, "", customer, invoiceId, 201);
                }
            }
            case "payout" -> {
                // CONTRACT §6: refused (409) while the merchant's available balance, which settlements fill, is too low.
                String customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
                HttpResponse<String> payout = send("payout", "POST", "/v1/payouts", apiKey, true,
                        "{\"customer_id\":\"" + customer + "\",\"amount\":100,\"currency\":\"USD\",\"method\":\"bank_transfer\"}", 201, 409);
                disableIfNotServed("payout", payout);
            }
            case "settlement" -> {
                HttpResponse<String> settlement = send("settlement", "POST", "/v1/settlements", apiKey, true, "{\"currency\":\"USD\"}", 200, 201);
                disableIfNotServed("settlement", settlement);
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private void disableIfNotServed(String scenario, HttpResponse<String> response) {
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            if (disabled.putIfAbsent(scenario, response.statusCode() + " " + response.body()) == null) {
                System.out.printf("# %s is not served (%d): left out from now on%n", scenario, response.statusCode());
            }
        }
    }

    private String createCustomer() throws IOException, InterruptedException {
        HttpResponse<String> customer = send("customer.create", "POST", "/v1/customers", apiKey, false, "{\"email\":\"load@example.com\"}", 201);
        if (customer.statusCode() != 201) {
            throw new IllegalStateException("customer not created: " + customer.statusCode() + " " + customer.body());
        }
        return field(customer.body(), "id");
    }

    private HttpResponse<String> pay(String operation, long amount, String method, String card, String extra, String customer, String invoice,
                                     int expected) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder("{\"amount\":").append(amount).append(",\"currency\":\"USD\",\"payment_method\":\"")
                .append(method).append('"');
        if (card != null) {
            body.append(',').append(String.format(CARD, card));
        }
        if (customer != null) {
            body.append(",\"customer_id\":\"").append(customer).append('"');
        }
        if (invoice != null) {
            body.append(",\"invoice_id\":\"").append(invoice).append('"');
        }
        body.append(extra).append('}');
        HttpResponse<String> response = send(operation, "POST", "/v1/payments", apiKey, true, body.toString(), expected);
        if (response.statusCode() == 201 && "captured".equals(field(response.body(), "status"))) {
            sampleCapture(response, field(response.body(), "id"));
        }
        return response;
    }

    private void sampleCapture(HttpResponse<String> response, String paymentId) {
        if (measuring && (response.statusCode() == 200 || response.statusCode() == 201) && captures.incrementAndGet() % sample == 0) {
            lags.put(paymentId, new Lag(System.nanoTime()));
        }
    }

    // ----------------------------------------------------------------------------------------------
    // lags

    private void pollLedger() {
        while (!Thread.currentThread().isInterrupted()) {
            long round = System.nanoTime();
            List<Map.Entry<String, Lag>> pending = new ArrayList<>(lags.entrySet());
            Collections.shuffle(pending);
            for (Map.Entry<String, Lag> entry : pending) {
                if (entry.getValue().ledgerAt != 0) {
                    continue;
                }
                try {
                    HttpResponse<String> entries = send(null, "GET", "/v1/ledger/entries?payment_id=" + entry.getKey(), apiKey, false, null, 200);
                    if (entries.statusCode() == 200 && entries.body().contains("\"lines\"") && entry.getValue().ledgerAt == 0) {
                        entry.getValue().ledgerAt = System.nanoTime();
                    }
                } catch (IOException ignored) {
                    // Polled again next round.
                } catch (InterruptedException stopped) {
                    return;
                }
            }
            long rest = TimeUnit.MILLISECONDS.toNanos(20) - (System.nanoTime() - round);
            if (rest > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(rest);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    private HttpServer startReceiver(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hooks", exchange -> {
            try (exchange) {
                long arrived = System.nanoTime();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String type = field(body, "type");
                webhooksByType.computeIfAbsent(type == null ? "?" : type, key -> new AtomicLong()).incrementAndGet();
                if ("payment.captured".equals(type)) {
                    int data = body.indexOf("\"data\"");
                    String paymentId = data < 0 ? null : field(body.substring(data), "id");
                    Lag lag = paymentId == null ? null : lags.get(paymentId);
                    if (lag != null && lag.webhookAt == 0) {
                        lag.webhookAt = arrived;
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        return server;
    }

    // ----------------------------------------------------------------------------------------------
    // HTTP

    private HttpResponse<String> send(String operation, String method, String path, String key, boolean idempotent, String body, int... expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("x-api-key", key);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotent) {
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        long latency = System.nanoTime() - start;
        if (operation != null) {
            Operation recorded = operation(operation);
            boolean wanted = Arrays.stream(expected).anyMatch(status -> status == response.statusCode());
            if (measuring) {
                recorded.latenciesNanos.add(latency);
                recorded.statuses.computeIfAbsent(response.statusCode(), status -> new AtomicLong()).incrementAndGet();
                if (!wanted) {
                    recorded.unexpected.incrementAndGet();
                }
            }
            if (!wanted) {
                recorded.lastUnexpected = response.statusCode() + " " + abbreviate(response.body());
            }
        }
        return response;
    }

    private Operation operation(String name) {
        return operations.computeIfAbsent(name, key -> new Operation());
    }

    /** The string value of the first {@code "name":"..."} in {@code json}; enough for the flat answers this program reads. */
    private static String field(String json, String name) {
        String marker = "\"" + name + "\":\"";
        int start = json.indexOf(marker);
        if (start < 0) {
            return null;
        }
        start += marker.length();
        return json.substring(start, json.indexOf('"', start));
    }

    // ----------------------------------------------------------------------------------------------
    // report

    private void report(long measuredNanos, String loadBefore) {
        double seconds = measuredNanos / 1e9;
        System.out.printf(Locale.ROOT, "# load average before %s, after %s%n", loadBefore, loadAverage());
        System.out.printf(Locale.ROOT, "%-18s %8s %8s %9s %9s %9s %9s  %s%n", "operation", "count", "per_s", "p50_ms", "p99_ms", "max_ms",
                "unexpected", "answers");
        long all = 0;
        for (Map.Entry<String, Operation> entry : new TreeMap<>(operations).entrySet()) {
            Operation operation = entry.getValue();
            List<Long> sorted;
            synchronized (operation.latenciesNanos) {
                sorted = new ArrayList<>(operation.latenciesNanos);
            }
            if (sorted.isEmpty() && operation.unexpected.get() == 0) {
                continue;
            }
            Collections.sort(sorted);
            all += sorted.size();
            System.out.printf(Locale.ROOT, "%-18s %8d %8.1f %9.1f %9.1f %9.1f %9d  %s%n", entry.getKey(), sorted.size(), sorted.size() / seconds,
                    percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6,
                    operation.unexpected.get(), new TreeMap<>(operation.statuses));
            if (operation.unexpected.get() > 0) {
                System.out.printf("    last unexpected: %s%n", operation.lastUnexpected);
            }
        }
        System.out.printf(Locale.ROOT, "%-18s %8d %8.1f%n", "all requests", all, all / seconds);
        List<Long> toLedger = new ArrayList<>();
        List<Long> toWebhook = new ArrayList<>();
        for (Lag lag : lags.values()) {
            if (lag.ledgerAt != 0) {
                toLedger.add(lag.ledgerAt - lag.capturedAt);
            }
            if (lag.webhookAt != 0) {
                toWebhook.add(lag.webhookAt - lag.capturedAt);
            }
        }
        printLag("capture -> ledger entry", toLedger, lags.size());
        printLag("capture -> webhook delivered", toWebhook, lags.size());
        long webhooks = webhooksByType.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf("webhooks received: %d %s%n", webhooks, new TreeMap<>(webhooksByType));
        disabled.forEach((scenario, why) -> System.out.printf("left out: %s (%s)%n", scenario, abbreviate(why)));
    }

    private static void printLag(String name, List<Long> lags, int sampled) {
        Collections.sort(lags);
        System.out.printf(Locale.ROOT, "lag %-28s sampled %d, seen %d: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", name, sampled, lags.size(),
                percentile(lags, 0.50) / 1e6, percentile(lags, 0.99) / 1e6, lags.isEmpty() ? 0 : lags.get(lags.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1));
    }

    private static Map<String, Integer> parseMix(String text) {
        Map<String, Integer> mix = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=");
            int weight = Integer.parseInt(pair[1].trim());
            if (weight > 0) {
                mix.put(pair[0].trim(), weight);
            }
        }
        if (mix.isEmpty()) {
            throw new IllegalArgumentException("MIX gives no scenario a weight: " + text);
        }
        return mix;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException unavailable) {
            return "?";
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
