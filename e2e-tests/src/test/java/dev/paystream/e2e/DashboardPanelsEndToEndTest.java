package dev.paystream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every panel of every Grafana dashboard in {@code deploy/grafana/dashboards} shows data from a running
 * platform (issue 16): a real Prometheus scrapes the shared platform with the operators' scrape
 * configuration, the test drives traffic that touches every metric a panel reads, then runs each panel's
 * query, read from the dashboard's JSON with Grafana's variables filled in, through Prometheus' HTTP API.
 * Skipped where the {@code prometheus} binary is not installed ({@code apt-get install prometheus}).
 */
@ExtendWith(Platform.Shared.class)
@EnabledIf("dev.paystream.e2e.LocalPrometheus#installed")
class DashboardPanelsEndToEndTest {

    /**
     * Grafana's built-in variables, as a dashboard at its default hour shows them: the rate window four
     * scrapes of the data source's 15 s interval (Grafana's own rule), so a rate needs two samples in it.
     */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of("__rate_interval", "1m", "__interval", "15s", "__range", "1h");
    private static final Duration DATA_WITHIN = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CARD = "\"card\":{\"number\":\"%s\",\"exp_month\":12,\"exp_year\":2030,\"cvc\":\"123\"}";

    private static GatewayClient client;
    private static LocalPrometheus prometheus;
    private static HttpServer receiver;
    private static final AtomicInteger deliveriesReceived = new AtomicInteger();

    record PanelQuery(String dashboard, String panel, String refId, String expression) {

        @Override
        public String toString() {
            return dashboard + " / \"" + panel + "\" / " + refId + ": " + expression;
        }
    }

    record Answer(PanelQuery query, String outcome, int series) {

        String describe() {
            return outcome + ": " + query;
        }

        boolean hasData() {
            return series > 0;
        }
    }

    @BeforeAll
    static void startPrometheusAndAReceiver(Platform platform) throws IOException, InterruptedException {
        client = platform.client();
        // The receiver answers the first delivery with a 500 and every later one with a 204: failed and
        // succeeded attempts, a retry, and deliveries that end delivered.
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hooks", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(deliveriesReceived.getAndIncrement() == 0 ? 500 : 204, -1);
            }
        });
        ExecutorService receiverThreads = Executors.newFixedThreadPool(4);
        receiver.setExecutor(receiverThreads);
        receiver.start();

        prometheus = LocalPrometheus.scraping(platform);
        int services = Platform.registry().size();
        await("every service scraped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(prometheus::targets, targets -> targets.size() == services && targets.stream().allMatch(target -> target.endsWith(" up")));
    }

    @AfterAll
    static void stopThem() {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (receiver != null) {
                receiver.stop(0);
                ((ExecutorService) receiver.getExecutor()).shutdownNow();
            }
        }
    }

    @Test
    void everyQueryOfEveryDashboardPanelParsesAndReturnsDataFromARunningPlatform() throws Exception {
        List<PanelQuery> queries = dashboardQueries();
        assertThat(queries).as("panel queries in deploy/grafana/dashboards").hasSizeGreaterThan(50);

        driveTrafficThatTouchesEveryMetric();

        // Counters appear when their first event is counted, and the ledger's and webhooks' when their
        // consumers get to the events: wait until every query has data, or stop at the first that does not parse.
        AtomicReference<List<Answer>> answers = new AtomicReference<>(List.of());
        try {
            await("every panel query returns data").atMost(DATA_WITHIN).pollInterval(Duration.ofSeconds(2)).until(() -> {
                answers.set(run(queries));
                return answers.get().stream().allMatch(answer -> answer.hasData())
                        || answers.get().stream().anyMatch(answer -> answer.outcome().startsWith("error"));
            });
        } catch (ConditionTimeoutException reportedBelow) {
            // The last answers say which queries had no data.
        }
        long withData = answers.get().stream().filter(Answer::hasData).count();
        System.out.printf("%d of %d panel queries returned data%n%s%n", withData, queries.size(),
                answers.get().stream().map(answer -> "  " + (answer.hasData() ? "ok " + answer.series() : answer.outcome()) + "  " + answer.query())
                        .collect(Collectors.joining("\n")));
        assertThat(answers.get().stream().filter(answer -> !answer.hasData()).map(Answer::describe))
                .as("panel queries without data (%d of %d have data)", withData, queries.size())
                .isEmpty();
    }

    /** Every query of every panel (also of panels inside rows) of every dashboard, with its variables filled in. */
    static List<PanelQuery> dashboardQueries() throws IOException {
        List<PanelQuery> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(Platform.checkout().resolve("deploy/grafana/dashboards"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(Files.readString(file));
                String name = dashboard.get("title").asString() + " (" + file.getFileName() + ")";
                Map<String, String> variables = new java.util.HashMap<>(GRAFANA_VARIABLES);
                JsonNode templating = dashboard.path("templating").path("list");
                // A dashboard variable as the dashboard opens: its saved current value.
                templating.forEach(variable -> variables.put(variable.get("name").asString(),
                        variable.path("current").path("value").isArray()
                                ? variable.path("current").path("value").get(0).asString()
                                : variable.path("current").path("value").asString()));
                List<JsonNode> panels = new ArrayList<>();
                dashboard.path("panels").forEach(panel -> {
                    panels.add(panel);
                    panel.path("panels").forEach(panels::add);
                });
                for (JsonNode panel : panels) {
                    for (JsonNode target : panel.path("targets")) {
                        String expression = substitute(target.get("expr").asString(), variables);
                        queries.add(new PanelQuery(name, panel.get("title").asString(), target.path("refId").asString(), expression));
                    }
                }
            }
        }
        return queries;
    }

    /**
     * Grafana's {@code $name}, {@code ${name}} and {@code [[name]]} forms. Longest names first, so that a
     * name that begins another ({@code $__range} of {@code $__range_s}) does not replace part of it.
     */
    static String substitute(String expression, Map<String, String> variables) {
        String filled = expression;
        for (String name : variables.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            String value = variables.get(name);
            filled = filled.replace("${" + name + "}", value).replace("[[" + name + "]]", value).replace("$" + name, value);
        }
        return filled;
    }

    private static List<Answer> run(List<PanelQuery> queries) throws IOException, InterruptedException {
        List<Answer> answers = new ArrayList<>();
        for (PanelQuery query : queries) {
            if (query.expression().contains("$")) {
                answers.add(new Answer(query, "error: a variable this test does not know", 0));
                continue;
            }
            JsonNode answer = prometheus.query(query.expression());
            if (!"success".equals(answer.path("status").asString())) {
                answers.add(new Answer(query, "error: " + answer.path("errorType").asString() + ": " + answer.path("error").asString(), 0));
            } else {
                int series = answer.path("data").path("result").size();
                answers.add(new Answer(query, series > 0 ? "ok" : "empty", series));
            }
        }
        return answers;
    }

    /**
     * Through the gateway, as merchants and the operator would: card payments approved (two currencies,
     * two brands) and declined with every test decline code, a processor failure, asynchronous methods
     * decided a moment later (approved and declined), a manual capture and a cancel, refunds with an
     * idempotent replay and a reused key, a customer and an invoice paid, a webhook endpoint with a
     * delivery that fails once then succeeds, a settlement, payouts paid and failed, and a key over its
     * rate limit.
     */
    private static void driveTrafficThatTouchesEveryMetric() throws Exception {
        String apiKey = client.createMerchantKey(100_000);
        expect(201, send("POST", "/v1/webhook-endpoints", apiKey, null,
                "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\",\"events\":[\"payment.captured\"]}"));
        String customerId = "dashboards-" + UUID.randomUUID();
        expect(201, send("POST", "/v1/customers", apiKey, null, "{\"customer_id\":\"" + customerId + "\",\"email\":\"ops@example.com\"}"));

        for (String number : List.of("4242424242424242", "5555555555554444")) {
            expect(201, pay(apiKey, card(number, 5000, "USD", "automatic")));
        }
        expect(201, pay(apiKey, card("4242424242424242", 2500, "EUR", "automatic")));
        for (String declined : List.of("4000000000000002", "4000000000009995", "4000000000000069", "4000000000000127")) {
            expect(402, pay(apiKey, card(declined, 1500, "USD", "automatic")));
        }
        // A processor failure: retried before it is given up, so it answers after a moment.
        expect(402, pay(apiKey, card("4000000000000119", 1000, "USD", "automatic")));
        // Asynchronous methods: processing now, decided by the completion queue (amounts ending in 02 are declined).
        expect(202, pay(apiKey, "{\"amount\":3000,\"currency\":\"USD\",\"payment_method\":\"paypal\"}"));
        expect(202, pay(apiKey, "{\"amount\":3002,\"currency\":\"EUR\",\"payment_method\":\"bank_transfer\"}"));

        // The same payment request twice with one key: one payment, one replay.
        String paymentKey = UUID.randomUUID().toString();
        String refunded = id(expect(201, send("POST", "/v1/payments", apiKey, paymentKey, card("5555555555554444", 8000, "USD", "automatic"))));
        expect(201, send("POST", "/v1/payments", apiKey, paymentKey, card("5555555555554444", 8000, "USD", "automatic")));
        // A refund sent twice with one key (one refund, one replay), then that key with another body: 409.
        String refundKey = UUID.randomUUID().toString();
        expect(201, send("POST", "/v1/payments/" + refunded + "/refunds", apiKey, refundKey, "{\"amount\":2000}"));
        expect(201, send("POST", "/v1/payments/" + refunded + "/refunds", apiKey, refundKey, "{\"amount\":2000}"));
        expect(409, send("POST", "/v1/payments/" + refunded + "/refunds", apiKey, refundKey, "{\"amount\":1000}"));

        String held = id(expect(201, pay(apiKey, card("4242424242424242", 6000, "USD", "manual"))));
        expect(200, send("POST", "/v1/payments/" + held + "/capture", apiKey, UUID.randomUUID().toString(), "{\"amount\":5000}"));
        String canceled = id(expect(201, pay(apiKey, card("4242424242424242", 4000, "USD", "manual"))));
        expect(200, send("POST", "/v1/payments/" + canceled + "/cancel", apiKey, UUID.randomUUID().toString(), null));

        String invoice = id(expect(201, send("POST", "/v1/invoices", apiKey, null,
                "{\"customer_id\":\"" + customerId + "\",\"amount\":1200,\"currency\":\"USD\"}")));
        expect(201, pay(apiKey, card("4242424242424242", 1200, "USD", "automatic")
                .replaceFirst("}$", ",\"customer_id\":\"" + customerId + "\",\"invoice_id\":\"" + invoice + "\"}")));

        // What was captured in USD settles; of what it made available, one payout is paid and one fails (amounts ending in 02).
        expect(201, send("POST", "/v1/settlements", apiKey, UUID.randomUUID().toString(), "{\"currency\":\"USD\"}"));
        String paid = id(expect(201, send("POST", "/v1/payouts", apiKey, UUID.randomUUID().toString(),
                "{\"customer_id\":\"" + customerId + "\",\"amount\":500,\"currency\":\"USD\",\"method\":\"bank_transfer\"}")));
        String failed = id(expect(201, send("POST", "/v1/payouts", apiKey, UUID.randomUUID().toString(),
                "{\"customer_id\":\"" + customerId + "\",\"amount\":1002,\"currency\":\"USD\",\"method\":\"paypal\"}")));

        // A key allowed two requests a minute, asked three times: the third is refused.
        String throttled = client.createMerchantKey(2);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(send("GET", "/v1/customers", throttled, null, null).statusCode());
        }
        assertThat(statuses).as("a key allowed 2 requests a minute, asked 3 times").contains(429);

        await("payouts decided").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> status(apiKey, "/v1/payouts/" + paid).equals("paid") && status(apiKey, "/v1/payouts/" + failed).equals("failed"));
        await("a webhook delivery failed and retried").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> deliveriesReceived.get() >= 2);
    }

    private static String card(String number, long amount, String currency, String captureMethod) {
        return "{\"amount\":" + amount + ",\"currency\":\"" + currency + "\",\"payment_method\":\"card\",\"capture_method\":\"" + captureMethod
                + "\"," + CARD.formatted(number) + "}";
    }

    private static HttpResponse<String> pay(String apiKey, String body) throws IOException, InterruptedException {
        return send("POST", "/v1/payments", apiKey, UUID.randomUUID().toString(), body);
    }

    private static HttpResponse<String> send(String method, String path, String apiKey, String idempotencyKey, String body)
            throws IOException, InterruptedException {
        return client.send(method, path, apiKey, idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey), body);
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri().getPath(), response.body())
                .isEqualTo(status);
        return response;
    }

    private static String id(HttpResponse<String> response) {
        return JSON.readTree(response.body()).get("id").asString();
    }

    private static String status(String apiKey, String path) throws IOException, InterruptedException {
        return JSON.readTree(send("GET", path, apiKey, null, null).body()).path("status").asString();
    }
}
