/*
 * Warms the services' JIT before ./paystream up returns (issue 19), with requests that create
 * nothing: a throwaway merchant's card payments refused with a 422 for one metadata key too many
 * (after every other field was read and checked, before any card is asked or anything recorded),
 * and reads of payments, customers, invoices, ledger entries and webhook endpoints it does not have. The merchant is deleted afterwards: its
 * key revoked through the API (the gateway forgets it at once), then its rows removed from the
 * gateway's database. Every request carries X-Request-Id warmup-<n>, so its line in a service's log
 * says what it was.
 *
 * ./paystream up compiles it once into .paystream/classes and runs it with the PostgreSQL driver
 * of .paystream/lib/postgres on the classpath; by hand (JDK single-file source launcher):
 *
 *   java -cp '.paystream/lib/postgres/*' deploy/warmup/WarmUp.java <gateway-url> <seconds> <concurrency>
 *
 * Environment: PAYSTREAM_ADMIN_KEY; PAYSTREAM_DB_HOST/PORT/USER/PASSWORD and PAYSTREAM_GATEWAY_DB
 * (paystream_gateway) for the deletion.
 *
 * Exit 0 when the warm-up ran and its merchant is gone; 2 with one line on stderr when it could not
 * run or clean up (the platform is usable either way); 3 when a request answered as if it had
 * created something (it stops at once; the line names it).
 */
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class WarmUp {

    static final String MERCHANT_NAME = "paystream up warm-up (deleted before up returns)";
    /**
     * A card payment that would be approved, but with one metadata key more than the contract allows
     * (CONTRACT §4: at most 50): refused with a 422 after every other field has been read and checked,
     * before any card is asked or anything recorded; its idempotency claim is released.
     */
    static final String PAYMENT = "{\"amount\":5000,\"currency\":\"USD\",\"payment_method\":\"card\",\"description\":\"warm-up\","
            + "\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"},\"metadata\":{"
            + java.util.stream.IntStream.rangeClosed(0, 50).mapToObj(i -> "\"k" + i + "\":\"v\"").collect(java.util.stream.Collectors.joining(","))
            + "}}";

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Long: a request the client gives up on is cancelled in the service, whose idempotency claim then
     * stays behind (in progress, purged after the key retention) instead of being released.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int ANY = -1;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String runId = hex(6);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReference<String> created = new AtomicReference<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong timeouts = new AtomicLong();

    WarmUp(String gateway) {
        this.gateway = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            fail(2, "usage: WarmUp <gateway-url> <seconds> <concurrency>");
        }
        String adminKey = System.getenv("PAYSTREAM_ADMIN_KEY");
        if (adminKey == null || adminKey.isBlank()) {
            fail(2, "PAYSTREAM_ADMIN_KEY is not set");
        }
        WarmUp warmUp = new WarmUp(args[0]);
        long seconds = Long.parseLong(args[1]);
        int concurrency = Integer.parseInt(args[2]);

        String merchant = warmUp.send("POST", "/v1/merchants", adminKey,
                "{\"name\":\"" + MERCHANT_NAME + "\",\"rate_limit_per_minute\":100000}", 201).body();
        String merchantId = field(merchant, "id");
        String apiKey = field(merchant, "api_key");
        String apiKeyId = field(merchant, "api_key_id");
        long started = System.nanoTime();
        long requests;
        try {
            requests = warmUp.load(apiKey, seconds, concurrency);
            // Whatever happened above, this merchant must have no payment: checked through the API, as a user would look.
            String page = warmUp.send("GET", "/v1/payments?limit=1", apiKey, null, 200).body();
            if (!page.replace(" ", "").contains("\"data\":[]")) {
                warmUp.created.compareAndSet(null, "GET /v1/payments lists a payment of the warm-up merchant: " + page);
            }
        } finally {
            warmUp.delete(adminKey, merchantId, apiKeyId);
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (warmUp.created.get() != null) {
            fail(3, "the warm-up stopped: " + warmUp.created.get());
        }
        if (warmUp.failure.get() != null) {
            fail(2, "the warm-up stopped early: " + warmUp.failure.get());
        }
        System.out.printf("%d requests in %.0fs%s (refused payments and empty reads of a throwaway merchant, %s, now deleted)%n",
                requests, elapsed, warmUp.timeouts.get() == 0 ? "" : ", " + warmUp.timeouts.get() + " of them unanswered within "
                        + TIMEOUT.toSeconds() + "s", merchantId);
    }

    /** Runs the request mix from {@code concurrency} threads until {@code seconds} have passed; the number of requests sent. */
    long load(String apiKey, long seconds, int concurrency) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong sent = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            threads.execute(() -> {
                while (System.nanoTime() < deadline && created.get() == null && failure.get() == null) {
                    long n = sent.incrementAndGet();
                    try {
                        next(apiKey, n);
                    } catch (HttpTimeoutException slow) {
                        // A machine too busy to answer within the timeout: warming goes on (the service runs the request anyway).
                        timeouts.incrementAndGet();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e.toString());
                    }
                }
            });
        }
        threads.shutdown();
        if (!threads.awaitTermination(seconds + 60, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
        return sent.get();
    }

    /**
     * Mostly the payment path (7 in 10), then reads through the gateway: payment-service's must answer
     * as expected; the other services' reads only warm what is there (a service may be left out).
     */
    private void next(String apiKey, long n) throws Exception {
        switch ((int) (n % 10)) {
            case 1 -> send("GET", "/v1/payments/pay_" + hex(12), apiKey, null, 404);
            case 3 -> send("GET", "/v1/payments?limit=10", apiKey, null, 200);
            case 5 -> send("GET", switch ((int) (n / 10 % 4)) {
                case 0 -> "/v1/customers?limit=10";
                case 1 -> "/v1/invoices?limit=10";
                case 2 -> "/v1/webhook-endpoints";
                default -> "/v1/ledger/entries?payment_id=pay_" + hex(12);
            }, apiKey, null, ANY);
            default -> {
                HttpResponse<String> answer = send("POST", "/v1/payments", apiKey, PAYMENT, ANY);
                if (answer.statusCode() < 300) {
                    created.compareAndSet(null, "POST /v1/payments answered " + answer.statusCode() + ": " + answer.body());
                } else if (answer.statusCode() != 422) {
                    throw new IllegalStateException("POST /v1/payments answered " + answer.statusCode() + ": " + answer.body());
                }
            }
        }
    }

    /** Sends a request and checks its status ({@link #ANY}: the caller does). */
    HttpResponse<String> send(String method, String path, String key, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(TIMEOUT)
                .header("x-api-key", key)
                .header("X-Request-Id", "warmup-" + runId + "-" + sequence.incrementAndGet());
        if (body != null) {
            request.header("Content-Type", "application/json").header("Idempotency-Key", "warmup-" + hex(12))
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected != ANY && answer.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer;
    }

    /** Revokes the key (the gateway drops it from its caches at once), then deletes the merchant's rows. */
    void delete(String adminKey, String merchantId, String apiKeyId) throws Exception {
        send("DELETE", "/v1/api-keys/" + apiKeyId, adminKey, null, 204);
        Properties props = new Properties();
        props.setProperty("user", env("PAYSTREAM_DB_USER", "postgres"));
        String password = env("PAYSTREAM_DB_PASSWORD", "");
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("ApplicationName", "paystream-warm-up");
        String url = "jdbc:postgresql://" + env("PAYSTREAM_DB_HOST", "127.0.0.1") + ":" + env("PAYSTREAM_DB_PORT", "5432")
                + "/" + env("PAYSTREAM_GATEWAY_DB", "paystream_gateway");
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.setAutoCommit(false);
            try (PreparedStatement keys = c.prepareStatement("DELETE FROM api_keys WHERE merchant_id = ?");
                 PreparedStatement merchant = c.prepareStatement("DELETE FROM merchants WHERE id = ? AND name = ?")) {
                keys.setString(1, merchantId);
                keys.executeUpdate();
                merchant.setString(1, merchantId);
                merchant.setString(2, MERCHANT_NAME);
                if (merchant.executeUpdate() != 1) {
                    c.rollback();
                    fail(2, "the warm-up merchant " + merchantId + " was not found in the gateway's database");
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            fail(2, "could not delete the warm-up merchant " + merchantId + " (its key is revoked): " + e.getMessage());
        }
        send("GET", "/v1/merchants/" + merchantId, adminKey, null, 404);
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            fail(2, "no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    static void fail(int status, String message) {
        System.err.println(message);
        System.exit(status);
    }
}
