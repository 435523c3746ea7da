import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * A realistic mixed load through the gateway (issue 17, item 1): card payments captured at once, card
 * payments authorized and then partly captured, refunds, declines, PayPal and bank-transfer payments
 * completed later, customers with invoices paid in two parts right after they are created, payouts
 * (one in ten ends in 02: failed by the simulated processor) and settlements run on demand. A webhook
 * endpoint subscribed to every event points at a receiver inside this program.
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
 *
 * For fault injection (chaos/run, e2e-tests' ChaosEndToEndTest) three more settings:
 * RETRY=1 makes every client retry, with the same Idempotency-Key, each request whose answer it did not
 * get (no answer within REQUEST_TIMEOUT seconds, 30, or the connection failed) or that answered 502, 503
 * or 504 or 409 idempotency_request_in_progress, after Retry-After (else 1 s), for up to RETRY_FOR
 * seconds (300). RECORD_DIR=<dir> writes what a checker needs: merchant.txt (merchant id, API key,
 * endpoint secret, receiver port), acks.tsv (every acknowledged payment, capture, refund, payout,
 * settlement, customer and invoice, with its Idempotency-Key), keys.tsv (every Idempotency-Key sent, with
 * the payment it targets), answers-5xx.tsv and no-answer.tsv (every 5xx and every request left without an
 * answer), webhooks.tsv (every delivery received: answer, webhook-id, webhook-timestamp,
 * webhook-signature, body in base64) and report.txt, after which the receiver stays up until the file
 * RECORD_DIR/exit appears (the file RECORD_DIR/stop ends the load before DURATION); RECORD_DIR/receiver.mode, read every
 * 200 ms, switches the receiver: "ok", "500" (answers 500 to everything) or "down" (its port closed).
 * Payments and payouts carry their Idempotency-Key in metadata.idempotency_key, so that a checker can
 * tell that no key took effect twice.
 */
public class LoadMix {

    /** Scenario weights (relative). Payouts draw on what settlements made available (CONTRACT §6, §8). */
    private static final String DEFAULT_MIX = "card=30,manual=15,refund=10,decline=8,async=10,invoice=15,payout=8,settlement=4";
    private static final String CARD = "\"card\":{\"number\":\"%s\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}";
    private static final String APPROVED = "4242424242424242";
    private static final String DECLINED = "4000000000000002";
    /** Answers that say "the platform could not do it now, try again" (CONTRACT §1: 503 with Retry-After). */
    private static final List<Integer> TRY_AGAIN = List.of(502, 503, 504);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final int sample;
    private final boolean retry;
    private final long retryForNanos;
    private final Duration requestTimeout;
    private final Path recordDir;
    private final Map<String, BufferedWriter> records = new ConcurrentHashMap<>();
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final Map<String, Lag> lags = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> webhooksByType = new ConcurrentHashMap<>();
    private final AtomicLong webhooksRefused = new AtomicLong();
    private final AtomicLong captures = new AtomicLong();
    /** Every answer of 500 or above by status, and of those the 503 problems with a Retry-After. */
    private final Map<Integer, AtomicLong> serverErrors = new ConcurrentHashMap<>();
    private final AtomicLong unavailableAsContracted = new AtomicLong();
    private final Map<String, AtomicLong> noAnswers = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong attemptNanosMax = new AtomicLong();
    private final Map<String, String> disabled = new ConcurrentHashMap<>();
    private final List<String> customers = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean measuring;
    private volatile boolean running = true;
    private volatile String receiverMode = "ok";
    private volatile HttpServer receiver;
    private int receiverPort;
    private String apiKey;

    /** One kind of request: its latencies (while measuring, retries included), answers by status, failures. */
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

    LoadMix(String gateway, int sample, boolean retry, long retryForSeconds, Duration requestTimeout, Path recordDir) {
        this.gateway = gateway;
        this.sample = sample;
        this.retry = retry;
        this.retryForNanos = TimeUnit.SECONDS.toNanos(retryForSeconds);
        this.requestTimeout = requestTimeout;
        this.recordDir = recordDir;
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
        String recordDir = env("RECORD_DIR", "");
        LoadMix load = new LoadMix(gateway, Integer.parseInt(env("SAMPLE", "5")), "1".equals(env("RETRY", "0")),
                Long.parseLong(env("RETRY_FOR", "300")), Duration.ofSeconds(Long.parseLong(env("REQUEST_TIMEOUT", "30"))),
                recordDir.isEmpty() ? null : Path.of(recordDir));
        load.run(adminKey, clients, warmup, duration, drain, mix, Integer.parseInt(env("RECEIVER_PORT", "0")));
    }

    private void run(String adminKey, int clients, int warmup, int duration, int drain, Map<String, Integer> mix, int port)
            throws Exception {
        if (recordDir != null) {
            Files.createDirectories(recordDir);
        }
        receiver = startReceiver(port);
        receiverPort = receiver.getAddress().getPort();
        HttpResponse<String> merchant = send("setup", "POST", "/v1/merchants", adminKey, null,
                "{\"name\":\"Mixed load\",\"rate_limit_per_minute\":100000}", 201);
        apiKey = field(merchant.body(), "api_key");
        HttpResponse<String> endpoint = send("setup", "POST", "/v1/webhook-endpoints", apiKey, null,
                "{\"url\":\"http://127.0.0.1:" + receiverPort + "/hooks\",\"events\":[\"*\"]}", 201);
        if (recordDir != null) {
            Files.writeString(recordDir.resolve("merchant.txt"), "merchant_id=" + field(merchant.body(), "id") + "\napi_key=" + apiKey
                    + "\nendpoint_id=" + field(endpoint.body(), "id") + "\nendpoint_secret=" + field(endpoint.body(), "secret")
                    + "\nreceiver_port=" + receiverPort + "\n");
        }
        for (int i = 0; i < 8; i++) {
            customers.add(createCustomer());
        }
        String started = Instant.now().toString();
        String loadBefore = loadAverage();
        System.out.printf(Locale.ROOT, "# LoadMix %s: %d cores, load %s, %d clients, %d s warm-up + %d s measured, gateway %s%s%n# mix %s%n",
                started, Runtime.getRuntime().availableProcessors(), loadBefore, clients, warmup, duration, gateway,
                retry ? ", retrying unanswered requests with their Idempotency-Key" : "", mix);

        ExecutorService clientPool = Executors.newFixedThreadPool(clients);
        ExecutorService helpers = Executors.newFixedThreadPool(3);
        for (int c = 0; c < clients; c++) {
            clientPool.submit(() -> client(mix));
        }
        clientPool.shutdown();
        helpers.submit(this::pollLedger);
        helpers.submit(this::pollLedger);
        helpers.submit(this::followControlFiles);
        sleepUnlessStopped(warmup);
        measuring = true;
        long measuredFrom = System.nanoTime();
        sleepUnlessStopped(duration);
        measuring = false;
        long measuredNanos = System.nanoTime() - measuredFrom;
        running = false;
        // Every client finishes the scenario it is in (with its retries), so that what it recorded is whole.
        if (!clientPool.awaitTermination(retryForNanos + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS)) {
            System.out.println("# some clients did not finish their scenario in time; interrupted");
            clientPool.shutdownNow();
        }
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
        while (System.nanoTime() < drainUntil && lags.values().stream().anyMatch(lag -> lag.ledgerAt == 0 || lag.webhookAt == 0)) {
            Thread.sleep(100);
        }
        helpers.shutdownNow();
        helpers.awaitTermination(30, TimeUnit.SECONDS);
        String report = report(measuredNanos, loadBefore);
        System.out.print(report);
        if (recordDir != null) {
            Files.writeString(recordDir.resolve("report.txt"), report);
            // A checker reads the webhooks still being delivered (retries of the receiver's outages) until it writes RECORD_DIR/exit.
            long holdUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (!Files.exists(recordDir.resolve("exit")) && System.nanoTime() < holdUntil) {
                Thread.sleep(200);
            }
        }
        HttpServer last = receiver;
        if (last != null) {
            last.stop(0);
            ((ExecutorService) last.getExecutor()).shutdownNow();
        }
        for (BufferedWriter writer : records.values()) {
            synchronized (writer) {
                writer.close();
            }
        }
    }

    /** Sleeps the given seconds, less if RECORD_DIR/stop appears (the chaos run ends the load when its faults are over). */
    private void sleepUnlessStopped(int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            if (recordDir != null && Files.exists(recordDir.resolve("stop"))) {
                return;
            }
            Thread.sleep(Math.min(200, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
        }
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
                    String key = newKey("capture", id);
                    HttpResponse<String> captured = send("capture.partial", "POST", "/v1/payments/" + id + "/capture", apiKey, key,
                            "{\"amount\":" + amount * 6 / 10 + "}", 200);
                    if (captured.statusCode() == 200) {
                        record("acks", "capture", id, key, id, field(captured.body(), "status"));
                    }
                    sampleCapture(captured, id);
                }
            }
            case "refund" -> {
                HttpResponse<String> paid = pay("payment.card", amount, "card", APPROVED, "", null, null, 201);
                if (paid.statusCode() == 201) {
                    String id = field(paid.body(), "id");
                    refund(id, "{\"amount\":" + amount / 4 + "}");
                    refund(id, "{\"amount\":" + amount / 4 + ",\"reason\":\"requested_by_customer\"}");
                }
            }
            case "decline" -> pay("payment.declined", amount, "card", DECLINED, "", null, null, 402);
            case "async" -> pay("payment.async", amount, ThreadLocalRandom.current().nextBoolean() ? "paypal" : "bank_transfer", null, "", null, null, 202);
            case "invoice" -> {
                // Created and paid at once, in two parts: payment-service must know both an instant later (ADR 0005).
                // No Idempotency-Key on the invoice: POST /v1/invoices takes none (docs/api.md: a header sent is ignored),
                // and with one send() would retry it under RETRY=1, making a second invoice when an answer was lost.
                String customer = createCustomer();
                HttpResponse<String> invoice = send("invoice.create", "POST", "/v1/invoices", apiKey, null,
                        "{\"customer_id\":\"" + customer + "\",\"amount\":10000,\"currency\":\"USD\"}", 201);
                if (invoice.statusCode() == 201) {
                    String invoiceId = field(invoice.body(), "id");
                    record("acks", "invoice", invoiceId, "", customer, "10000");
                    pay("payment.invoice", 4000, "card", APPROVED, "", customer, invoiceId, 201);
                    pay("payment.invoice", 6000, "card", APPROVED, "", customer, invoiceId, 201);
                }
            }
            case "payout" -> {
                // CONTRACT §6: refused (409) while the merchant's available balance, which settlements fill, is too low.
                // One in ten ends in 02: the simulated processor fails it (account_closed) and its amount comes back.
                String customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
                long payoutAmount = ThreadLocalRandom.current().nextInt(10) == 0 ? 202 : 100;
                String key = newKey("payout", "");
                HttpResponse<String> payout = send("payout", "POST", "/v1/payouts", apiKey, key,
                        "{\"customer_id\":\"" + customer + "\",\"amount\":" + payoutAmount + ",\"currency\":\"USD\",\"method\":\"bank_transfer\","
                                + "\"metadata\":{\"idempotency_key\":\"" + key + "\"}}", 201, 409);
                if (payout.statusCode() == 201) {
                    record("acks", "payout", field(payout.body(), "id"), key, customer, Long.toString(payoutAmount));
                }
                disableIfNotServed("payout", payout);
            }
            case "settlement" -> {
                String key = newKey("settlement", "");
                HttpResponse<String> settlement = send("settlement", "POST", "/v1/settlements", apiKey, key, "{\"currency\":\"USD\"}", 200, 201);
                if (settlement.statusCode() == 201) {
                    Matcher ids = Pattern.compile("\"id\":\"(st_[^\"]+)\"").matcher(settlement.body());
                    while (ids.find()) {
                        record("acks", "settlement", ids.group(1), key, "", "");
                    }
                }
                disableIfNotServed("settlement", settlement);
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    private void refund(String paymentId, String body) throws IOException, InterruptedException {
        String key = newKey("refund", paymentId);
        HttpResponse<String> refund = send("refund.partial", "POST", "/v1/payments/" + paymentId + "/refunds", apiKey, key, body, 201);
        if (refund.statusCode() == 201) {
            record("acks", "refund", field(refund.body(), "id"), key, paymentId, field(refund.body(), "status"));
        }
    }

    private void disableIfNotServed(String scenario, HttpResponse<String> response) {
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            if (disabled.putIfAbsent(scenario, response.statusCode() + " " + response.body()) == null) {
                System.out.printf("# %s is not served (%d): left out from now on%n", scenario, response.statusCode());
            }
        }
    }

    /** A customer with an id of this client's choosing: a retry of its creation answers 409 customer_exists, never makes two. */
    private String createCustomer() throws IOException, InterruptedException {
        String id = "load_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        HttpResponse<String> customer = send("customer.create", "POST", "/v1/customers", apiKey, null,
                "{\"customer_id\":\"" + id + "\",\"email\":\"load@example.com\"}", 201);
        boolean existsAfterRetry = retry && customer.statusCode() == 409 && customer.body().contains("customer_exists");
        if (customer.statusCode() != 201 && !existsAfterRetry) {
            throw new IllegalStateException("customer not created: " + customer.statusCode() + " " + customer.body());
        }
        record("acks", "customer", id, "", "", "");
        return id;
    }

    private HttpResponse<String> pay(String operation, long amount, String method, String card, String extra, String customer, String invoice,
                                     int expected) throws IOException, InterruptedException {
        String key = newKey("payment", "");
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
        body.append(",\"metadata\":{\"idempotency_key\":\"").append(key).append("\"}");
        body.append(extra).append('}');
        HttpResponse<String> response = send(operation, "POST", "/v1/payments", apiKey, key, body.toString(), expected);
        int status = response.statusCode();
        if (status == 201 || status == 202) {
            record("acks", "payment", field(response.body(), "id"), key, invoice == null ? "" : invoice, field(response.body(), "status"));
        } else if (status == 402) {
            record("acks", "payment", field(response.body(), "payment_id"), key, "", "declined");
        }
        if (status == 201 && "captured".equals(field(response.body(), "status"))) {
            sampleCapture(response, field(response.body(), "id"));
        }
        return response;
    }

    private void sampleCapture(HttpResponse<String> response, String paymentId) {
        if (measuring && (response.statusCode() == 200 || response.statusCode() == 201) && captures.incrementAndGet() % sample == 0) {
            lags.put(paymentId, new Lag(System.nanoTime()));
        }
    }

    /** A fresh Idempotency-Key, recorded (with the payment it acts on) before it is first sent. */
    private String newKey(String kind, String target) {
        String key = UUID.randomUUID().toString();
        record("keys", kind, key, target);
        return key;
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
                    HttpResponse<String> entries = send(null, "GET", "/v1/ledger/entries?payment_id=" + entry.getKey(), apiKey, null, null, 200);
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

    // ----------------------------------------------------------------------------------------------
    // webhook receiver

    private HttpServer startReceiver(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hooks", exchange -> {
            try (exchange) {
                long arrived = System.nanoTime();
                byte[] raw = exchange.getRequestBody().readAllBytes();
                String body = new String(raw, StandardCharsets.UTF_8);
                int answer = "500".equals(receiverMode) ? 500 : 200;
                record("webhooks", Integer.toString(answer), header(exchange, "webhook-id"), header(exchange, "webhook-timestamp"),
                        header(exchange, "webhook-signature"), Base64.getEncoder().encodeToString(raw));
                if (answer != 200) {
                    webhooksRefused.incrementAndGet();
                    exchange.sendResponseHeaders(answer, -1);
                    return;
                }
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

    private static String header(com.sun.net.httpserver.HttpExchange exchange, String name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
    }

    /** Follows RECORD_DIR/receiver.mode: "down" closes the receiver's port, "ok" or "500" opens it again on the same port. */
    private void followControlFiles() {
        while (!Thread.currentThread().isInterrupted() && recordDir != null) {
            try {
                Path file = recordDir.resolve("receiver.mode");
                String mode = Files.exists(file) ? Files.readString(file).trim() : "ok";
                if (!mode.equals(receiverMode)) {
                    if ("down".equals(mode) && receiver != null) {
                        HttpServer open = receiver;
                        receiver = null;
                        open.stop(0);
                        ((ExecutorService) open.getExecutor()).shutdownNow();
                    } else if (!"down".equals(mode) && receiver == null) {
                        receiver = startReceiver(receiverPort);
                    }
                    System.out.printf("# %s webhook receiver: %s%n", Instant.now(), mode);
                    receiverMode = mode;
                }
                Thread.sleep(200);
            } catch (InterruptedException stopped) {
                return;
            } catch (IOException | RuntimeException failure) {
                System.out.println("# receiver control: " + failure);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // HTTP

    /**
     * Sends a request and counts its answer under {@code operation} (none when null). With RETRY=1 a request
     * that may be repeated safely (it has an Idempotency-Key, is a GET, or creates a customer whose id this
     * program chose) is sent again while it gets no answer or a try-again answer, up to RETRY_FOR seconds.
     */
    private HttpResponse<String> send(String operation, String method, String path, String key, String idempotencyKey, String body, int... expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(requestTimeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("x-api-key", key);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        boolean repeatable = retry && (idempotencyKey != null || "GET".equals(method) || "/v1/customers".equals(path));
        String name = operation == null ? method + " " + path.replaceAll("[?].*", "") : operation;
        long first = System.nanoTime();
        long deadline = first + retryForNanos;
        while (true) {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException noAnswer) {
                long attempt = System.nanoTime() - start;
                attemptNanosMax.accumulateAndGet(attempt, Math::max);
                String kind = noAnswer instanceof HttpTimeoutException ? "timeout" : noAnswer.getClass().getSimpleName();
                noAnswers.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                record("no-answer", Instant.now().toString(), name, kind, Long.toString(TimeUnit.NANOSECONDS.toMillis(attempt)));
                if (!repeatable || System.nanoTime() > deadline) {
                    throw noAnswer;
                }
                retries.incrementAndGet();
                Thread.sleep(1000);
                continue;
            }
            long attempt = System.nanoTime() - start;
            attemptNanosMax.accumulateAndGet(attempt, Math::max);
            int status = response.statusCode();
            if (status >= 500) {
                noteServerError(name, response, attempt);
            }
            boolean tryAgain = TRY_AGAIN.contains(status) || status == 409 && response.body().contains("idempotency_request_in_progress");
            if (repeatable && tryAgain && System.nanoTime() < deadline) {
                retries.incrementAndGet();
                long seconds = response.headers().firstValue("Retry-After").map(LoadMix::seconds).orElse(1L);
                Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(1, Math.min(seconds, 10))));
                continue;
            }
            long latency = System.nanoTime() - first;
            if (operation != null) {
                Operation recorded = operation(operation);
                boolean wanted = Arrays.stream(expected).anyMatch(wantedStatus -> wantedStatus == status);
                if (measuring) {
                    recorded.latenciesNanos.add(latency);
                    recorded.statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    if (!wanted) {
                        recorded.unexpected.incrementAndGet();
                    }
                }
                if (!wanted) {
                    recorded.lastUnexpected = status + " " + abbreviate(response.body());
                }
            }
            return response;
        }
    }

    /** A 5xx is counted; only a 503 problem+json with a Retry-After is what CONTRACT §1 allows during an outage. */
    private void noteServerError(String operation, HttpResponse<String> response, long attemptNanos) {
        int status = response.statusCode();
        serverErrors.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String retryAfter = response.headers().firstValue("Retry-After").orElse("");
        if (status == 503 && contentType.startsWith("application/problem+json") && !retryAfter.isEmpty()) {
            unavailableAsContracted.incrementAndGet();
        }
        String code = field(response.body(), "code");
        record("answers-5xx", Instant.now().toString(), operation, Integer.toString(status), contentType, retryAfter, code == null ? "" : code,
                Long.toString(TimeUnit.NANOSECONDS.toMillis(attemptNanos)));
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException notSeconds) {
            return 1;
        }
    }

    private Operation operation(String name) {
        return operations.computeIfAbsent(name, key -> new Operation());
    }

    /** Appends a tab-separated line to RECORD_DIR/{file}.tsv (nothing without RECORD_DIR). */
    private void record(String file, String... fields) {
        if (recordDir == null) {
            return;
        }
        BufferedWriter writer = records.computeIfAbsent(file, name -> {
            try {
                return Files.newBufferedWriter(recordDir.resolve(name + ".tsv"), StandardCharsets.UTF_8);
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
        });
        String line = String.join("\t", Arrays.stream(fields).map(value -> value == null ? "" : value.replace('\t', ' ').replace('\n', ' ')).toList());
        synchronized (writer) {
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
        }
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

    private String report(long measuredNanos, String loadBefore) {
        StringBuilder out = new StringBuilder();
        double seconds = measuredNanos / 1e9;
        out.append(String.format(Locale.ROOT, "# load average before %s, after %s; measured %.1f s%n", loadBefore, loadAverage(), seconds));
        out.append(String.format(Locale.ROOT, "%-18s %8s %8s %9s %9s %9s %9s  %s%n", "operation", "count", "per_s", "p50_ms", "p99_ms", "max_ms",
                "unexpected", "answers"));
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
            out.append(String.format(Locale.ROOT, "%-18s %8d %8.1f %9.1f %9.1f %9.1f %9d  %s%n", entry.getKey(), sorted.size(), sorted.size() / seconds,
                    percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6,
                    operation.unexpected.get(), new TreeMap<>(operation.statuses)));
            if (operation.unexpected.get() > 0) {
                out.append(String.format("    last unexpected: %s%n", operation.lastUnexpected));
            }
        }
        out.append(String.format(Locale.ROOT, "%-18s %8d %8.1f%n", "all requests", all, all / seconds));
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
        out.append(lag("capture -> ledger entry", toLedger, lags.size()));
        out.append(lag("capture -> webhook delivered", toWebhook, lags.size()));
        long webhooks = webhooksByType.values().stream().mapToLong(AtomicLong::get).sum();
        out.append(String.format("webhooks received: %d answered 200 %s, %d answered 500 on purpose%n", webhooks, new TreeMap<>(webhooksByType),
                webhooksRefused.get()));
        out.append(String.format(Locale.ROOT, "answers 5xx: %s (503 problem+json with Retry-After: %d); no answer: %s; retries: %d; slowest attempt %.0f ms%n",
                new TreeMap<>(serverErrors), unavailableAsContracted.get(), new TreeMap<>(noAnswers), retries.get(), attemptNanosMax.get() / 1e6));
        disabled.forEach((scenario, why) -> out.append(String.format("left out: %s (%s)%n", scenario, abbreviate(why))));
        return out.toString();
    }

    private static String lag(String name, List<Long> lags, int sampled) {
        Collections.sort(lags);
        return String.format(Locale.ROOT, "lag %-28s sampled %d, seen %d: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", name, sampled, lags.size(),
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
